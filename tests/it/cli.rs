//! Conventions every command shares: exit codes, errors, help, secrets, signals.

use std::time::Duration;

use crate::support::{ServeProcess, autoplay, recording, sample_events};

#[test]
fn a_missing_stream_is_a_usage_error_with_a_hint() {
    let output = autoplay().args(["tail"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    insta::assert_snapshot!(String::from_utf8_lossy(&output.stderr), @r"
    error: no stream to read: give --url, or --connector and --product

    hint: `autoplay onboard --save` stores them; `autoplay demo` shows the whole loop with no account
    ");
}

/// A hint is a whole sentence: on a narrow terminal it wraps by words under itself, never in
/// the middle of a word, and every word of it is there.
#[test]
fn hints_wrap_by_words_at_the_terminal_width() {
    let output = autoplay().args(["tail"]).env("COLUMNS", "50").output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let hint: Vec<&str> = stderr.lines().skip_while(|l| !l.starts_with("hint: ")).collect();
    assert!(hint.len() > 1, "{stderr}");
    assert!(hint.iter().all(|l| l.chars().count() < 50), "{stderr}");
    assert!(hint[1..].iter().all(|l| l.starts_with("      ") && !l[6..].starts_with(' ')), "{stderr}");
    let words: Vec<&str> = hint.iter().flat_map(|l| l.split_whitespace()).collect();
    assert_eq!(
        words.join(" "),
        "hint: `autoplay onboard --save` stores them; `autoplay demo` shows the whole loop with no account"
    );
}

#[test]
fn bad_flags_exit_2() {
    autoplay().args(["tail", "--idle-timeout", "soon"]).assert().code(2);
    autoplay().args(["no-such-command"]).assert().code(2);
    autoplay().args(["serve", "--speed", "0"]).assert().code(2);
}

#[test]
fn help_teaches_with_examples_and_exit_codes() {
    let output = autoplay().args(["--help"]).output().unwrap();
    assert!(output.status.success());
    let help = String::from_utf8_lossy(&output.stdout);
    assert!(help.contains("Examples:") && help.contains("Exit codes:"), "{help}");
    let tail_help = autoplay().args(["tail", "--help"]).output().unwrap();
    let tail_help = String::from_utf8_lossy(&tail_help.stdout);
    assert!(tail_help.contains("OR within a flag") && tail_help.contains("--forward-to"), "{tail_help}");
}

#[test]
fn connector_and_product_build_the_stream_url() {
    let events = sample_events(3, "acme");
    let (dir, path) = recording(&events);
    let serve =
        ServeProcess::start(&["--replay", path.to_str().unwrap(), "--speed", "max", "--key", "k_0123456789abcdef"]);
    let token = dir.path().join("token");
    std::fs::write(&token, "  k_0123456789abcdef\n").unwrap();
    let output = autoplay()
        .args(["tail", "--format", "json", "--connector", &format!("{}/", serve.url), "--product", "acme"])
        .args(["--token-file", token.to_str().unwrap(), "--max-events", "3"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(String::from_utf8_lossy(&output.stdout).lines().count(), 3);
}

#[test]
fn token_from_stdin_and_the_second_env_name() {
    let events = sample_events(1, "demo");
    let (_dir, path) = recording(&events);
    let serve =
        ServeProcess::start(&["--replay", path.to_str().unwrap(), "--speed", "max", "--key", "k_0123456789abcdef"]);
    let output = autoplay()
        .args(["tail", "--url", &serve.stream_url("demo"), "--token", "-", "--max-events", "1"])
        .write_stdin("k_0123456789abcdef\n")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let output = autoplay()
        .args(["tail", "--url", &serve.stream_url("demo"), "--max-events", "1"])
        .env("AUTOPLAY_UNKEY_TOKEN", "k_0123456789abcdef")
        .output()
        .unwrap();
    assert!(output.status.success(), "AUTOPLAY_UNKEY_TOKEN is read after AUTOPLAY_APP_UNKEY_TOKEN");
    let output = autoplay()
        .args(["tail", "--url", &serve.stream_url("demo"), "--max-events", "1"])
        .env("AUTOPLAY_APP_UNKEY_TOKEN", "k_0123456789abcdef")
        .env("AUTOPLAY_UNKEY_TOKEN", "wrong_0123456789abcdef")
        .output()
        .unwrap();
    assert!(output.status.success(), "AUTOPLAY_APP_UNKEY_TOKEN wins");
}

#[test]
fn a_literal_token_works_with_a_warning_and_never_shows_in_logs() {
    let events = sample_events(1, "demo");
    let (_dir, path) = recording(&events);
    let serve =
        ServeProcess::start(&["--replay", path.to_str().unwrap(), "--speed", "max", "--key", "k_0123456789abcdef"]);
    let output = autoplay()
        .args(["-vv", "tail", "--url", &serve.stream_url("demo"), "--token", "k_0123456789abcdef", "--max-events", "1"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("visible to other processes"), "{stderr}");
    assert!(stderr.contains("connecting"), "-vv logs: {stderr}");
    assert!(!stderr.contains("k_0123456789abcdef"), "{stderr}");
}

#[test]
fn ctrl_c_exits_130_after_flushing() {
    let events = sample_events(3, "demo");
    let (dir, path) = recording(&events);
    let serve =
        ServeProcess::start(&["--replay", path.to_str().unwrap(), "--speed", "max", "--key", "k_0123456789abcdef"]);
    let record = dir.path().join("rec.jsonl");
    let out_path = dir.path().join("out.jsonl");
    let binary = assert_cmd::cargo::cargo_bin("autoplay");
    let mut child = std::process::Command::new(binary)
        .args(["tail", "--format", "json", "--url", &serve.stream_url("demo"), "--record", record.to_str().unwrap()])
        .env("AUTOPLAY_APP_UNKEY_TOKEN", "k_0123456789abcdef")
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while std::fs::read_to_string(&out_path).unwrap_or_default().lines().count() < 3 {
        assert!(std::time::Instant::now() < deadline, "events arrive");
        std::thread::sleep(Duration::from_millis(50));
    }
    std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130));
    assert_eq!(std::fs::read_to_string(&out_path).unwrap().lines().collect::<Vec<_>>(), events);
    assert_eq!(std::fs::read_to_string(&record).unwrap().lines().collect::<Vec<_>>(), events);
}
