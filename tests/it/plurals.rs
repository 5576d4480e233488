//! Counts read right on the real binary: `1 session`, `2 summaries`, `1 event shown`.

use crate::support::{ServeProcess, autoplay, recording, sample_events};

fn summary(session: &str, at: f64) -> String {
    serde_json::json!({"type": "summary", "product_id": "acme", "session_id": session, "forwarded_at": at,
        "replaces": 1, "summary": "looked at billing"})
    .to_string()
}

#[test]
fn sessions_stats_and_show_count_in_the_singular_and_the_plural() {
    let (_dir, one) = recording(&sample_events(1, "acme"));
    let output = autoplay().args(["sessions", "stats", "--format", "pretty", "--from"]).arg(&one).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.starts_with("1 session, 1 user, 1 product; 1 action, 0 summaries in 1 line\n"), "{text}");

    let mut lines = sample_events(4, "acme");
    lines.push(summary("s0", 2000.0));
    lines.push(summary("s2", 2001.0));
    let (_dir, many) = recording(&lines);
    let output = autoplay().args(["sessions", "stats", "--format", "pretty", "--from"]).arg(&many).output().unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.starts_with("3 sessions, 2 users, 1 product; 4 actions, 2 summaries in 6 lines\n"), "{text}");

    let output =
        autoplay().args(["sessions", "show", "s1", "--format", "pretty", "--from"]).arg(&many).output().unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.lines().next().unwrap_or("").ends_with("— 1 action, 0 summaries"), "{text}");
    let output =
        autoplay().args(["sessions", "show", "s0", "--format", "pretty", "--from"]).arg(&many).output().unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.lines().next().unwrap_or("").ends_with("— 2 actions, 1 summary"), "{text}");
}

#[test]
fn tail_says_1_event_shown() {
    let (_dir, path) = recording(&sample_events(1, "acme"));
    let serve = ServeProcess::start(&[
        "--product",
        "acme",
        "--replay",
        path.to_str().unwrap(),
        "--speed",
        "max",
        "--key",
        "k1",
    ]);
    let key = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(key.path(), "k1").unwrap();
    let output = autoplay()
        .args(["tail", "--url", &serve.stream_url("acme"), "--max-events", "1", "--token-file"])
        .arg(key.path())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stderr).contains("1 event shown (1 received)"));
}
