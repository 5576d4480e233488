//! `autoplay serve`, `autoplay generate` and `autoplay demo` through the real binary.

use std::io::Read;
use std::time::Duration;

use crate::support::{ServeProcess, autoplay, http_request};

#[test]
fn registration_api_answers_like_the_connector() {
    let serve = ServeProcess::start(&[]);
    let products = format!("{}/products", serve.url);
    let body = br#"{"product_id":"acme","contact_email":"ops@acme.com","webhook_secret":"","integration_type":"event_stream","integration_config":{"mode":"sse"},"forward_url":"","forward_secret":"","force_reregister":false}"#;
    let (status, created) = http_request("POST", &products, &[("Content-Type", "application/json")], body);
    assert_eq!(status, 201, "{created}");
    let created: serde_json::Value = serde_json::from_str(&created).unwrap();
    let key = created["unkey_key"].as_str().unwrap();
    assert!(key.starts_with("uk_live_") && created["unkey_key_id"].as_str().unwrap().starts_with("key_"));

    let (status, _) = http_request("POST", &products, &[], body);
    assert_eq!(status, 409, "a duplicate without force_reregister");
    let (status, _) = http_request("POST", &products, &[], b"{not json");
    assert_eq!(status, 400);
    let (status, error) = http_request("POST", &products, &[], br#"{"product_id":"x"}"#);
    assert_eq!(status, 400);
    assert!(error.contains("contact_email"), "{error}");

    // The issued key opens the new product's stream, and only that one.
    let output = autoplay()
        .args(["tail", "--format", "json", "--url", &serve.stream_url("acme"), "--duration", "300ms"])
        .env("AUTOPLAY_APP_UNKEY_TOKEN", key)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let output = autoplay()
        .args(["tail", "--url", &serve.stream_url("demo"), "--duration", "300ms"])
        .env("AUTOPLAY_APP_UNKEY_TOKEN", key)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(4));

    let (status, health) = http_request("GET", &format!("{}/health", serve.url), &[], b"");
    assert_eq!((status, health.as_str()), (200, r#"{"status":"ok"}"#));
}

#[test]
fn serve_prints_the_address_first_and_a_masked_generated_key_on_stderr() {
    let binary = assert_cmd::cargo::cargo_bin("autoplay");
    let config = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(binary)
        .args(["serve", "--port", "0", "--heartbeat", "0.2"])
        .env("AUTOPLAY_CONFIG_DIR", config.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(700));
    let _ = child.kill();
    let _ = child.wait();
    let mut stdout = String::new();
    child.stdout.take().unwrap().read_to_string(&mut stdout).unwrap();
    let mut stderr = String::new();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    assert!(stdout.starts_with("http://127.0.0.1:"), "{stdout}");
    assert_eq!(stdout.lines().count(), 1, "only the address on stdout");
    assert!(stderr.contains("key:      dev_…"), "{stderr}");
    // The key is in its 0600 file and in the printed command's --token-file, never in the log.
    let key = std::fs::read_to_string(config.path().join("serve.key")).unwrap();
    let key = key.trim();
    assert!(key.starts_with("dev_") && key.len() > 20, "{key}");
    assert!(!stderr.contains(key), "the whole key is printed: {stderr}");
    assert!(stderr.contains(&format!("key:      dev_…{}", &key[key.len() - 4..])), "{stderr}");
}

#[test]
fn synthetic_feed_is_shared_live_traffic() {
    let serve = ServeProcess::start(&["--synthetic", "--rate", "50", "--key", "k_0123456789abcdef"]);
    let output = autoplay()
        .args([
            "tail",
            "--format",
            "json",
            "--url",
            &serve.stream_url("demo"),
            "--max-events",
            "5",
            "--duration",
            "20s",
        ])
        .env("AUTOPLAY_APP_UNKEY_TOKEN", "k_0123456789abcdef")
        .output()
        .unwrap();
    assert!(output.status.success());
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs_f64();
    let lines: Vec<serde_json::Value> =
        String::from_utf8_lossy(&output.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 5);
    for line in lines {
        let at = line["forwarded_at"].as_f64().unwrap();
        assert!((now - at).abs() < 60.0, "stamped with the wall clock: {at} vs {now}");
    }
}

#[test]
fn heartbeats_keep_an_idle_stream_alive() {
    // No events at all, heartbeats every 100 ms, a 400 ms idle timeout: no reconnect happens.
    let serve = ServeProcess::start(&["--heartbeat", "0.1", "--key", "k_0123456789abcdef"]);
    let output = autoplay()
        .args(["tail", "--url", &serve.stream_url("demo"), "--idle-timeout", "400ms", "--duration", "1500ms"])
        .env("AUTOPLAY_APP_UNKEY_TOKEN", "k_0123456789abcdef")
        .output()
        .unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("reconnecting") && !stderr.contains("retrying"), "{stderr}");
    assert!(output.stdout.is_empty(), "heartbeats are never printed");
}

#[test]
fn generate_is_deterministic_and_counts_actions_exactly() {
    let first = autoplay().args(["generate", "--sessions", "20", "--seed", "9", "--actions", "500"]).output().unwrap();
    let second = autoplay().args(["generate", "--sessions", "20", "--seed", "9", "--actions", "500"]).output().unwrap();
    assert!(first.status.success());
    assert_eq!(first.stdout, second.stdout);
    let mut actions = 0;
    let mut sessions = std::collections::BTreeSet::new();
    for line in String::from_utf8_lossy(&first.stdout).lines() {
        let value: serde_json::Value = serde_json::from_str(line).unwrap();
        actions += value["actions"].as_array().map_or(0, Vec::len);
        sessions.insert(value["session_id"].as_str().unwrap().to_string());
    }
    assert_eq!(actions, 500);
    assert_eq!(sessions.len(), 20);
    let other = autoplay().args(["generate", "--sessions", "20", "--seed", "10", "--actions", "500"]).output().unwrap();
    assert_ne!(first.stdout, other.stdout);
    autoplay().args(["generate", "--sessions", "0"]).assert().code(2);
}

#[test]
fn replay_of_a_bad_recording_names_the_line() {
    let (_dir, path) = crate::support::recording(&[r#"{"type":"actions"}"#.into(), "[1,2]".into()]);
    let output = autoplay().args(["serve", "--replay", path.to_str().unwrap()]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("recording.jsonl:2: not a JSON object"), "{stderr}");
}

#[test]
fn demo_runs_offline_and_reports_what_it_saw() {
    let output = autoplay().args(["demo"]).env("TZ", "UTC").timeout(Duration::from_secs(60)).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("A local connector is serving the demo recording on http://127.0.0.1:"));
    assert!(stdout.contains("Page Load: Billing"), "{stdout}");
    assert!(stdout.contains("46 events: 40 actions payloads, 6 summaries"), "{stdout}");
    assert!(stdout.contains("8 sessions from 6 users"), "{stdout}");
    assert!(stdout.contains("Proactive triggers that fire"), "{stdout}");
    assert!(stdout.contains("8 sessions in the recording"), "{stdout}");
    // Every session is listed: eight rows.
    assert_eq!(stdout.lines().filter(|l| l.contains(" last at ")).count(), 8, "{stdout}");
    assert!(stdout.contains("Recent activity:"), "{stdout}");
    assert!(stdout.contains("canonical_url_ping_pong  \"Need my expert help?\""), "{stdout}");
    assert!(stdout.contains("user_page_dwell"), "{stdout}");
}

#[test]
fn registered_product_ids_follow_the_onboard_rule() {
    let serve = ServeProcess::start(&[]);
    let products = format!("{}/products", serve.url);
    let body = |id: &str| serde_json::json!({"product_id": id, "contact_email": "ops@acme.com"}).to_string();
    for bad in ["a/b", "..", "x..y", "a\u{0}b", "a b", &"p".repeat(129)] {
        let (status, error) = http_request("POST", &products, &[], body(bad).as_bytes());
        assert_eq!(status, 400, "{bad:?}: {error}");
        assert!(error.contains("product id"), "{error}");
    }
    let (status, created) = http_request("POST", &products, &[], body(&"p".repeat(128)).as_bytes());
    assert_eq!(status, 201, "{created}");
}

#[test]
fn a_slow_request_head_is_cut_off_while_streams_live_on() {
    use std::io::Write;
    let serve =
        ServeProcess::start(&["--header-timeout", "300ms", "--heartbeat", "0.2", "--key", "k_0123456789abcdef"]);
    let host = serve.url.trim_start_matches("http://").to_string();
    // Slowloris: a head that never ends is closed without an answer.
    let mut slow = std::net::TcpStream::connect(&host).unwrap();
    slow.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    slow.write_all(b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: 1\r\n").unwrap();
    let mut answer = Vec::new();
    let _ = slow.read_to_end(&mut answer);
    assert!(!String::from_utf8_lossy(&answer).contains("200 OK"), "{}", String::from_utf8_lossy(&answer));
    // A stream whose head came in time stays open well past the head deadline.
    let mut stream = std::net::TcpStream::connect(&host).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    stream
        .write_all(b"GET /stream/demo HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer k_0123456789abcdef\r\n\r\n")
        .unwrap();
    let mut seen = String::new();
    let mut buffer = [0u8; 4096];
    while seen.matches("event: heartbeat").count() < 4 {
        let n = stream.read(&mut buffer).unwrap();
        assert!(n > 0, "the stream ended early: {seen}");
        seen.push_str(&String::from_utf8_lossy(&buffer[..n]));
    }
}

#[test]
fn connections_over_the_cap_are_answered_503() {
    use std::io::Write;
    let serve = ServeProcess::start(&["--max-connections", "2", "--key", "k_0123456789abcdef"]);
    let host = serve.url.trim_start_matches("http://").to_string();
    let open = |_: usize| {
        let mut stream = std::net::TcpStream::connect(&host).unwrap();
        stream
            .write_all(b"GET /stream/demo HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer k_0123456789abcdef\r\n\r\n")
            .unwrap();
        let mut first = [0u8; 12];
        stream.read_exact(&mut first).unwrap();
        assert_eq!(&first, b"HTTP/1.1 200");
        stream
    };
    let held: Vec<_> = (0..2).map(open).collect();
    let (status, body) = http_request("GET", &format!("{}/health", serve.url), &[], b"");
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("too many connections"), "{body}");
    drop(held);
    // The freed places are taken again (the server notices the closes on its own time).
    let mut status = 0;
    for _ in 0..200 {
        status = http_request("GET", &format!("{}/health", serve.url), &[], b"").0;
        if status == 200 {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(status, 200);
}
