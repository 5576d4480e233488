//! `tail --format pretty` on the real binary against a real `serve --replay`: aligned
//! columns, a date line naming the zone, shortened URLs, nothing wider than the terminal
//! (pinned with `COLUMNS`, or a real pty of a given size).

use crate::support::{self, ServeProcess};

/// Two actions either side of midnight UTC (a date line between them), one long URL, a summary.
fn recording() -> (tempfile::TempDir, std::path::PathBuf) {
    let day = 1_764_633_600.0 - 3600.0;
    let lines = [
        serde_json::json!({"type": "actions", "product_id": "demo", "session_id": "ps_8f2c1a77d0e94b3aa5e91ab",
            "user_id": "u_42", "email": "ann@acme.io", "forwarded_at": day + 86_390.0, "count": 2, "actions": [
            {"type": "pageview", "title": "Billing", "description": "", "canonical_url": "https://app.acme.io/settings/billing",
             "timestamp_start": day + 86_390.0},
            {"type": "click", "title": "Download the invoice for November as a PDF",
             "canonical_url": "https://app.acme.io/settings/billing/invoices/2025-11/inv_7f3a9c2b/download?format=pdf",
             "timestamp_start": day + 90_001.0}]}),
        serde_json::json!({"type": "actions", "product_id": "demo", "session_id": "s2", "forwarded_at": day + 90_100.0,
            "count": 1, "actions": [{"type": "pageview", "title": "Home", "canonical_url": "/", "timestamp_start": day + 90_100.0}]}),
        serde_json::json!({"type": "summary", "product_id": "demo", "session_id": "s2", "forwarded_at": day + 90_200.0,
            "replaces": 1, "summary": "The user looked at pricing twice and then asked about the enterprise plan in the chat widget."}),
    ];
    support::recording(&lines.iter().map(|l| l.to_string()).collect::<Vec<_>>())
}

fn tail_at(columns: usize) -> String {
    let (_dir, path) = recording();
    let serve = ServeProcess::start(&["--replay", path.to_str().unwrap(), "--speed", "max", "--key", "k1"]);
    let output = support::autoplay()
        .args(["tail", "--url", &serve.stream_url("demo"), "--token-file"])
        .arg(token_file())
        .args(["--format", "pretty", "--max-events", "3"])
        .env("COLUMNS", columns.to_string())
        .env("TZ", "UTC")
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

fn token_file() -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("autoplay-tail-pretty-{}.key", std::process::id()));
    std::fs::write(&path, "k1").unwrap();
    path
}

#[test]
fn pretty_tail_at_80_columns() {
    let text = tail_at(80);
    assert!(text.lines().all(|l| l.chars().count() <= 80), "{text}");
    insta::assert_snapshot!(text);
}

#[test]
fn pretty_tail_at_120_columns() {
    let text = tail_at(120);
    assert!(text.lines().all(|l| l.chars().count() <= 120), "{text}");
    insta::assert_snapshot!(text);
}

/// On a real terminal nothing pins the width: the pty's own size decides (set with `stty`).
#[cfg(unix)]
#[test]
fn pretty_tail_fits_the_terminal_it_runs_in() {
    let (_dir, path) = recording();
    let serve = ServeProcess::start(&["--replay", path.to_str().unwrap(), "--speed", "max", "--key", "k1"]);
    let binary = assert_cmd::cargo::cargo_bin("autoplay");
    let script = format!(
        "stty cols 64 rows 40; exec {} tail --url {} --token-file {} --max-events 3",
        binary.display(),
        serve.stream_url("demo"),
        token_file().display()
    );
    let mut cmd = std::process::Command::new("sh");
    cmd.args(["-c", &script])
        .env("TERM", "xterm")
        .env("NO_COLOR", "1")
        .env("TZ", "UTC")
        .env_remove("COLUMNS")
        .env("AUTOPLAY_CONFIG_DIR", std::env::temp_dir().join("autoplay-tests-no-config"));
    let mut session = rexpect::session::spawn_command(cmd, Some(30_000)).expect("spawn on a pty");
    let seen = session.exp_string("3 events shown").expect("tail ends after three events");
    // rexpect hands bytes over one char each: decode them as the UTF-8 they are.
    let seen = String::from_utf8_lossy(&seen.chars().map(|c| c as u32 as u8).collect::<Vec<u8>>()).into_owned();
    let lines: Vec<&str> = seen.lines().map(|l| l.trim_end_matches('\r')).collect();
    // Pretty by default on a terminal: the date line names the zone, then aligned rows.
    assert!(lines.iter().any(|l| l.starts_with("── Tue 2 Dec 2025 · times in UTC")), "{seen}");
    assert!(lines.iter().any(|l| l.starts_with("── Wed 3 Dec 2025 ──")), "{seen}");
    for line in &lines {
        assert!(console::measure_text_width(line) <= 64, "wider than the 64-column terminal: {line:?}\n{seen}");
    }
    let rows: Vec<&&str> = lines.iter().filter(|l| l.contains("  pageview  ")).collect();
    assert_eq!(rows.len(), 2, "{seen}");
    let kind_at: Vec<usize> = rows.iter().map(|l| l[..l.find("pageview").unwrap()].chars().count()).collect();
    assert_eq!(kind_at[0], kind_at[1], "the type column is aligned: {seen}");
}
