//! Hostile input: every recording reader gives the same verdict on the same bad line, inputs
//! without bounds (`/dev/zero`, huge lines) are refused naming the file, tokens must fit in a
//! header, boolean variables read like booleans, and out-of-range flags are usage errors.

use std::io::Write;
use std::path::Path;
use std::time::Duration;

use crate::support::autoplay;

const GOOD: &str = r#"{"type":"actions","product_id":"p","session_id":"s","user_id":"u","email":"e@x","actions":[{"index":0,"type":"click","title":"A","raw_url":"https://a/b","canonical_url":"https://a/b","timestamp_start":100.5,"timestamp_end":101}],"count":1,"forwarded_at":101.5}"#;

/// Every command that reads a recording, with `file` as its recording.
fn readers(file: &str, config: &str) -> Vec<Vec<String>> {
    let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    vec![
        args(&["sessions", "list", "--from", file]),
        args(&["sessions", "show", "s", "--from", file]),
        args(&["sessions", "context", "s", "--from", file]),
        args(&["sessions", "user", "u", "--from", file]),
        args(&["sessions", "stats", "--from", file]),
        args(&["triggers", "simulate", "--config", config, "--events", file]),
        args(&["serve", "--port", "0", "--replay", file]),
    ]
}

fn run(args: &[String]) -> (Option<i32>, String) {
    let output = autoplay().args(args).timeout(Duration::from_secs(60)).output().unwrap();
    (output.status.code(), String::from_utf8_lossy(&output.stderr).into_owned())
}

#[test]
fn every_recording_reader_gives_the_same_verdict_on_the_same_bad_line() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("products.json");
    std::fs::write(&config, r#"[{"product_id":"p","integration_config":{}}]"#).unwrap();
    let long = format!(r#"{{"type":"actions","session_id":"other","x":"{}"}}"#, "a".repeat(17 << 20));
    let table: Vec<(&str, Vec<u8>, &str)> = vec![
        ("not-json", br#"{"type":"actions","#.to_vec(), ":2: not valid JSON (EOF while parsing"),
        ("not-an-object", b"[1,2]".to_vec(), ":2: not a JSON object"),
        ("not-utf8", b"{\"type\":\"\xff\"}".to_vec(), ":2: not valid UTF-8"),
        (
            "huge-number",
            br#"{"type":"actions","session_id":"other","forwarded_at":5,"actions":[],"meta":{"x":1e400}}"#.to_vec(),
            ":2: not valid JSON (number out of range",
        ),
        (
            "lone-surrogate",
            br#"{"type":"actions","session_id":"other","forwarded_at":5,"actions":[],"meta":"\ud800"}"#.to_vec(),
            ":2: not valid JSON (",
        ),
        ("too-long", long.into_bytes(), ":2: line longer than 16 MiB, the limit of a recording line"),
    ];
    for (name, bad, expected) in &table {
        let file = dir.path().join(format!("{name}.jsonl"));
        let mut contents = format!("{GOOD}\n").into_bytes();
        contents.extend_from_slice(bad);
        contents.extend_from_slice(format!("\n{GOOD}\n").as_bytes());
        std::fs::write(&file, contents).unwrap();
        let file = file.to_str().unwrap();
        for args in readers(file, config.to_str().unwrap()) {
            let (code, stderr) = run(&args);
            assert_eq!(code, Some(2), "{name}: {args:?}\n{stderr}");
            assert!(stderr.contains(&format!("{file}{expected}")), "{name}: {args:?}\n{stderr}");
            assert!(!stderr.contains("panicked"), "{stderr}");
        }
    }
}

#[test]
fn unbounded_inputs_and_folders_are_refused_naming_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("products.json");
    std::fs::write(&config, r#"[{"product_id":"p","integration_config":{}}]"#).unwrap();
    let folder = dir.path().to_str().unwrap();
    for args in readers("/dev/zero", config.to_str().unwrap()) {
        let (code, stderr) = run(&args);
        assert_eq!(code, Some(2), "{args:?}\n{stderr}");
        assert!(stderr.contains("/dev/zero:1: line longer than 16 MiB"), "{args:?}\n{stderr}");
    }
    for args in readers(folder, config.to_str().unwrap()) {
        let (code, stderr) = run(&args);
        assert_eq!(code, Some(2), "{args:?}\n{stderr}");
        assert!(stderr.contains(&format!("{folder} is a directory")), "{args:?}\n{stderr}");
    }
    // Config files: a folder, a FIFO and /dev/zero, in validate and simulate alike.
    let fifo = dir.path().join("fifo");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().is_ok_and(|s| s.success());
    let mut configs = vec![(folder.to_string(), "is a directory"), ("/dev/zero".into(), "is larger than 32 MiB")];
    if made {
        configs.push((fifo.to_str().unwrap().to_string(), "is not a regular file"));
    } else {
        eprintln!("skipped the FIFO case: mkfifo is not available");
    }
    let (_rec_dir, recording) = crate::support::recording(&[GOOD.to_string()]);
    for (path, expected) in &configs {
        for args in [
            vec!["triggers", "validate", path.as_str()],
            vec!["triggers", "simulate", "--config", path.as_str(), "--events", recording.to_str().unwrap()],
        ] {
            let output = autoplay().args(&args).timeout(Duration::from_secs(30)).output().unwrap();
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert_eq!(output.status.code(), Some(2), "{args:?}\n{stderr}");
            assert!(stderr.contains(&format!("{path} {expected}")), "{args:?}\n{stderr}");
        }
    }
}

fn write(path: &Path, contents: &[u8]) {
    std::fs::File::create(path).unwrap().write_all(contents).unwrap();
}

#[test]
fn a_token_that_cannot_go_in_a_header_is_a_usage_error_naming_its_source() {
    let dir = tempfile::tempdir().unwrap();
    let url = "http://127.0.0.1:9/stream/p";
    let cases: Vec<(&str, &[u8], &str)> = vec![
        ("crlf", b"uk_live_abc\r\ndef\n", "holds a line break at character 12"),
        ("control", b"uk_live_\x07abc", "holds a control character (U+0007)"),
        ("empty", b"  \n", "is empty"),
        ("not-ascii", "uk_live_é".as_bytes(), "outside printable ASCII"),
    ];
    for (name, contents, expected) in cases {
        let file = dir.path().join(name);
        write(&file, contents);
        let output = autoplay()
            .args(["tail", "--url", url, "--max-retries", "0", "--token-file", file.to_str().unwrap()])
            .timeout(Duration::from_secs(30))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{name}: {stderr}");
        assert!(stderr.contains(&format!("the token from the file {}", file.display())), "{name}: {stderr}");
        assert!(stderr.contains(expected), "{name}: {stderr}");
        assert!(!stderr.contains("abc"), "the token leaked: {stderr}");
    }
    // From the environment, the variable is named.
    let output = autoplay()
        .args(["tail", "--url", url, "--max-retries", "0"])
        .env("AUTOPLAY_APP_UNKEY_TOKEN", "uk_live_abc\ndef")
        .timeout(Duration::from_secs(30))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("the environment variable AUTOPLAY_APP_UNKEY_TOKEN holds a line break"), "{stderr}");
    // An unreadable token file is exit 2 too, naming it.
    let missing = dir.path().join("missing");
    for args in [
        vec!["tail", "--url", url, "--max-retries", "0"],
        vec!["sessions", "list", "--live", "--url", url, "--duration", "1s"],
        vec!["auth", "status"],
    ] {
        let output = autoplay()
            .args(&args)
            .args(["--token-file", missing.to_str().unwrap()])
            .timeout(Duration::from_secs(30))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(&format!("could not read the token file {}", missing.display())), "{stderr}");
    }
}

#[test]
fn boolean_variables_read_one_zero_true_false_yes_no() {
    let (_dir, recording) = crate::support::recording(&[GOOD.to_string()]);
    for value in ["1", "0", "true", "false", "yes", "no", "TRUE", "No"] {
        for name in ["AUTOPLAY_NO_INPUT", "AUTOPLAY_NO_PROGRESS"] {
            let output = autoplay()
                .args(["sessions", "stats", "--from", recording.to_str().unwrap()])
                .env(name, value)
                .output()
                .unwrap();
            assert!(output.status.success(), "{name}={value}: {}", String::from_utf8_lossy(&output.stderr));
        }
    }
    let output = autoplay()
        .args(["sessions", "stats", "--from", recording.to_str().unwrap()])
        .env("AUTOPLAY_NO_INPUT", "maybe")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("'maybe'"));
}

#[test]
fn out_of_range_numbers_and_durations_are_usage_errors_never_panics() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("products.json");
    std::fs::write(&config, r#"[{"product_id":"p","integration_config":{}}]"#).unwrap();
    let (_rec, recording) = crate::support::recording(&[GOOD.to_string()]);
    let (config, recording) = (config.to_str().unwrap(), recording.to_str().unwrap());
    let url = "http://127.0.0.1:9/stream/p";
    let cases: Vec<Vec<&str>> = vec![
        vec!["tail", "--url", url, "--idle-timeout", "18446744073709551616"],
        vec!["tail", "--url", url, "--connect-timeout", "1e300"],
        vec!["tail", "--url", url, "--duration", "5124095576030431h"],
        vec!["tail", "--url", url, "--exit-when-idle=-1"],
        vec!["sessions", "list", "--live", "--url", url, "--duration", "5124095576030431h"],
        vec!["sessions", "context", "s", "--from", recording, "--lookback", "9999999999"],
        vec!["serve", "--port", "0", "--heartbeat", "0"],
        vec!["serve", "--port", "0", "--heartbeat", "18446744073709551616"],
        vec!["serve", "--port", "0", "--synthetic", "--rate", "99999999999999"],
        vec!["serve", "--port", "0", "--synthetic", "--rate", "NaN"],
        vec!["triggers", "simulate", "--config", config, "--events", recording, "--horizon", "1e10"],
        vec!["triggers", "simulate", "--config", config, "--events", recording, "--horizon", "10000000000"],
        vec!["triggers", "simulate", "--config", config, "--events", recording, "--tick=-5"],
        vec!["demo", "--duration", "9000h"],
    ];
    for args in cases {
        let output = autoplay().args(&args).timeout(Duration::from_secs(30)).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("invalid value"), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

#[test]
fn an_actions_count_that_does_not_match_is_reconciled_with_the_sdk_warning() {
    let line = GOOD.replace(r#""count":1"#, r#""count":5"#);
    let (_dir, recording) = crate::support::recording(&[line]);
    for command in [["sessions", "show", "s"], ["sessions", "context", "s"]] {
        let output = autoplay().args(command).args(["--from", recording.to_str().unwrap()]).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{command:?}: {stderr}");
        assert!(
            stderr.contains(
                "recording.jsonl:1: ActionsPayload.count=5 does not match len(actions)=1 for session=s — using len(actions) as the authoritative value"
            ),
            "{command:?}: {stderr}"
        );
    }
}
