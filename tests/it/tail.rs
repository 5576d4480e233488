//! `autoplay tail` against `autoplay serve` and scripted servers on 127.0.0.1.

use std::io::{BufRead, Read, Write};
use std::time::Duration;

use crate::support::{
    RawServer, ServeProcess, autoplay, http_response, read_one_line_then_close, recording, sample_events,
};

fn stdout_lines(output: &std::process::Output) -> Vec<String> {
    String::from_utf8_lossy(&output.stdout).lines().map(str::to_string).collect()
}

/// The key every replaying server here asks for.
const KEY: &str = "test_key_0123456789";

/// `autoplay serve` replaying `path` as fast as it can, plus `extra` flags.
fn replay_server(path: &std::path::Path, extra: &[&str]) -> ServeProcess {
    let mut args = vec!["--replay", path.to_str().unwrap(), "--speed", "max", "--key", KEY];
    args.extend_from_slice(extra);
    ServeProcess::start(&args)
}

fn tail(serve: &ServeProcess, extra: &[&str]) -> std::process::Output {
    autoplay()
        .args(["tail", "--format", "json", "--url", &serve.stream_url("demo")])
        .args(extra)
        .env("AUTOPLAY_APP_UNKEY_TOKEN", KEY)
        .timeout(Duration::from_secs(60))
        .output()
        .expect("tail runs")
}

#[test]
fn ndjson_output_equals_the_replayed_frames() {
    let events = sample_events(30, "demo");
    let (_dir, path) = recording(&events);
    let serve = replay_server(&path, &[]);
    let output = tail(&serve, &["--max-events", "30"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(stdout_lines(&output), events);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("Listening on"), "{stderr}");
    assert!(!stderr.contains(KEY), "the token never shows: {stderr}");
}

#[test]
fn filters_or_within_a_flag_and_across_flags() {
    let events = sample_events(24, "demo");
    let (_dir, path) = recording(&events);
    let serve = replay_server(&path, &[]);
    let output = tail(&serve, &["--user", "u1", "--session", "s0,s2", "--exit-when-idle", "700ms"]);
    assert!(output.status.success());
    let expected: Vec<String> = events
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 2 == 1 && (i % 3 == 0 || i % 3 == 2))
        .map(|(_, e)| e.clone())
        .collect();
    assert_eq!(stdout_lines(&output), expected);

    let output = tail(&serve, &["--url-contains", "page/3", "--type", "actions,summary", "--exit-when-idle", "700ms"]);
    assert_eq!(stdout_lines(&output).len(), 6, "every fourth event has page/3");
    let output = tail(&serve, &["--type", "summary", "--exit-when-idle", "700ms"]);
    assert!(stdout_lines(&output).is_empty());
}

#[test]
fn record_appends_every_frame_exactly_as_received() {
    let events = sample_events(12, "demo");
    let (dir, path) = recording(&events);
    let serve = replay_server(&path, &[]);
    let record = dir.path().join("out.jsonl");
    let record_arg = record.to_str().unwrap();
    // Filters decide what is shown, not what is recorded.
    let output = tail(&serve, &["--record", record_arg, "--user", "u0", "--max-events", "6"]);
    assert!(output.status.success());
    let recorded = std::fs::read_to_string(&record).unwrap();
    assert_eq!(recorded.lines().collect::<Vec<_>>(), events[..11].iter().map(String::as_str).collect::<Vec<_>>());
    // A second run appends, never truncates.
    let output = tail(&serve, &["--record", record_arg, "--max-events", "12"]);
    assert!(output.status.success());
    assert_eq!(std::fs::read_to_string(&record).unwrap().lines().count(), 23);
}

#[test]
fn auth_and_not_found_are_fatal_with_their_exit_codes() {
    for (status, code) in [("401", 4), ("403", 4), ("404", 5)] {
        let serve = ServeProcess::start(&["--fail-status", status]);
        let output = tail(&serve, &["--max-retries", "5"]);
        assert_eq!(output.status.code(), Some(code), "HTTP {status}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("error:") && stderr.contains("hint:"), "{stderr}");
        assert!(!stderr.contains("Listening on"), "no banner before a healthy response: {stderr}");
        assert!(!stderr.contains(KEY));
    }
    let serve = ServeProcess::start(&["--key", "right_key_0123456789"]);
    let output = tail(&serve, &[]);
    assert_eq!(output.status.code(), Some(4), "wrong key");
    let output = autoplay()
        .args(["tail", "--url", &serve.stream_url("unknown"), "--token-file", "/dev/null"])
        .env("AUTOPLAY_APP_UNKEY_TOKEN", "right_key_0123456789")
        .output()
        .unwrap();
    // An empty token file is a mistake to point out, not "no token".
    assert_eq!(output.status.code(), Some(2), "an empty token file is a usage error");
    assert!(String::from_utf8_lossy(&output.stderr).contains("the token from the file /dev/null is empty"));
}

#[test]
fn server_errors_are_retried_until_max_retries() {
    let serve = ServeProcess::start(&["--fail-status", "500"]);
    let output = tail(&serve, &["--max-retries", "1"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("gave up after 2 failed connection attempts"), "{stderr}");
    assert!(stderr.contains("reconnecting in"), "one line per reconnect: {stderr}");
    assert!(!stderr.contains("Listening on"));
}

#[test]
fn wrong_content_type_is_a_failed_attempt() {
    let server = RawServer::start(vec![http_response("200 OK", "application/json", b"{\"ok\":true}")]);
    let output = autoplay()
        .args(["tail", "--url", &format!("{}/stream/demo", server.url), "--max-retries", "0"])
        .env("AUTOPLAY_APP_UNKEY_TOKEN", KEY)
        .timeout(Duration::from_secs(30))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("text/event-stream"), "{stderr}");
    let requests = server.requests.lock().unwrap();
    assert!(
        requests[0].contains("authorization: Bearer test_key_0123456789")
            || requests[0].contains("Authorization: Bearer test_key_0123456789")
    );
    assert!(requests[0].to_lowercase().contains("accept: text/event-stream"));
}

#[test]
fn twenty_forced_drops_lose_and_duplicate_nothing() {
    let events = sample_events(100, "demo");
    let (_dir, path) = recording(&events);
    let serve = replay_server(&path, &["--drop-after", "5", "--retry-ms", "5"]);
    let output = tail(&serve, &["--max-events", "100"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(stdout_lines(&output), events, "every event once, in order");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.matches("Reconnected to").count() >= 19, "{stderr}");
}

#[test]
fn a_stalled_stream_is_reconnected_by_the_idle_timeout() {
    let events = sample_events(10, "demo");
    let (_dir, path) = recording(&events);
    let serve = replay_server(&path, &["--stall-after", "4", "--retry-ms", "5"]);
    let output = tail(&serve, &["--max-events", "10", "--idle-timeout", "300ms"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(stdout_lines(&output), events);
    assert!(String::from_utf8_lossy(&output.stderr).contains("idle timeout"));
}

#[test]
fn garbage_frames_are_skipped_with_warnings_and_the_stream_continues() {
    let good_1 = r#"{"type":"actions","session_id":"s1","actions":[]}"#;
    let good_2 = r#"{"type":"summary","session_id":"s1","summary":"ok"}"#;
    let mut body = Vec::new();
    body.extend_from_slice(b"data: {not json\n\n");
    body.extend_from_slice(b"data: [1,2]\n\n");
    body.extend_from_slice(b"event: heartbeat\ndata:\n\n");
    body.extend_from_slice(format!("data: {good_1}\n\n").as_bytes());
    body.extend_from_slice(b"data: \"");
    body.extend(std::iter::repeat_n(b'x', 2 * 1024 * 1024));
    body.extend_from_slice(b"\"\n\n");
    body.extend_from_slice(b"data: {\"type\":\"x\xff\"}\n\n");
    body.extend_from_slice(format!("data: {good_2}\n\n").as_bytes());
    let server = RawServer::start(vec![http_response("200 OK", "text/event-stream", &body)]);
    let output = autoplay()
        .args(["tail", "--format", "json", "--url", &format!("{}/stream/demo", server.url), "--max-events", "2"])
        .timeout(Duration::from_secs(30))
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(stdout_lines(&output), vec![good_1.to_string(), good_2.to_string()]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("not valid JSON"), "{stderr}");
    assert!(stderr.contains("not an object"), "{stderr}");
    assert!(stderr.contains("limit is 1 MiB"), "{stderr}");
    assert!(stderr.contains("not valid UTF-8"), "{stderr}");
}

#[test]
fn reconnect_sends_last_event_id() {
    let first = http_response("200 OK", "text/event-stream", b"retry: 5\n\nid: 7\ndata: {\"type\":\"actions\"}\n\n");
    let second = http_response("200 OK", "text/event-stream", b"id: 8\ndata: {\"type\":\"summary\"}\n\n");
    let server = RawServer::start(vec![first, second]);
    let output = autoplay()
        .args(["tail", "--format", "json", "--url", &format!("{}/stream/demo", server.url), "--max-events", "2"])
        .timeout(Duration::from_secs(30))
        .output()
        .unwrap();
    assert!(output.status.success());
    let requests = server.requests.lock().unwrap();
    assert!(!requests[0].to_lowercase().contains("last-event-id"));
    assert!(requests[1].to_lowercase().contains("last-event-id: 7"), "{}", requests[1]);
}

#[test]
fn expect_events_exits_3_when_too_few_arrive() {
    let events = sample_events(2, "demo");
    let (_dir, path) = recording(&events);
    let serve = replay_server(&path, &[]);
    let output = tail(&serve, &["--expect-events", "5", "--exit-when-idle", "500ms"]);
    assert_eq!(output.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&output.stderr).contains("expected at least 5 events, 2 arrived"));
    assert_eq!(stdout_lines(&output).len(), 2, "what arrived is still printed");
    let output = tail(&serve, &["--expect-events", "2", "--duration", "30s"]);
    assert!(output.status.success(), "stops as soon as the expected events arrived");
    let output = tail(&serve, &["--duration", "300ms"]);
    assert!(output.status.success());
}

#[test]
fn a_broken_pipe_exits_0_quietly() {
    let events = sample_events(50, "demo");
    let (_dir, path) = recording(&events);
    let serve = replay_server(&path, &["--loop"]);
    let binary = assert_cmd::cargo::cargo_bin("autoplay");
    let child = std::process::Command::new(binary)
        .args(["tail", "--format", "json", "--url", &serve.stream_url("demo")])
        .env("AUTOPLAY_APP_UNKEY_TOKEN", KEY)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let line = read_one_line_then_close(child);
    assert_eq!(line.trim_end(), events[0]);
}

#[test]
fn forwarding_posts_signed_events() {
    let events = sample_events(5, "demo");
    let (dir, path) = recording(&events);
    let serve = replay_server(&path, &[]);
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let hook = format!("http://{}/hook", listener.local_addr().unwrap());
    let received = std::sync::Arc::new(std::sync::Mutex::new(Vec::<(String, Vec<u8>)>::new()));
    let sink = received.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = std::io::BufReader::new(stream.try_clone().unwrap());
            loop {
                let mut head = String::new();
                let mut length = 0usize;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    if let Some(value) = line.to_lowercase().strip_prefix("content-length:") {
                        length = value.trim().parse().unwrap();
                    }
                    head.push_str(&line);
                    if line == "\r\n" {
                        break;
                    }
                }
                let mut body = vec![0u8; length];
                reader.read_exact(&mut body).unwrap();
                sink.lock().unwrap().push((head, body));
                stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok").unwrap();
            }
        }
    });
    let secret = dir.path().join("secret.txt");
    std::fs::write(&secret, "whsec_test_secret\n").unwrap();
    let output =
        tail(&serve, &["--max-events", "5", "--forward-to", &hook, "--forward-secret-file", secret.to_str().unwrap()]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("forwarded 5 events (0 failed, 0 dropped"), "{stderr}");
    assert!(!stderr.contains("whsec_test_secret"));
    let received = received.lock().unwrap();
    assert_eq!(received.len(), 5);
    for ((head, body), event) in received.iter().zip(&events) {
        assert_eq!(String::from_utf8_lossy(body), *event);
        let signature = head
            .lines()
            .find_map(|l| {
                l.strip_prefix("x-connector-signature: ").or_else(|| l.strip_prefix("X-Connector-Signature: "))
            })
            .expect("signed");
        assert_eq!(signature.trim(), expected_signature("whsec_test_secret", body));
        assert!(head.to_lowercase().contains("content-type: application/json"));
    }
}

/// `sha256=` and the lowercase hex HMAC-SHA256 of the body: the only header the SDK's
/// `WebhookReceiver.verify` accepts.
fn expected_signature(secret: &str, body: &[u8]) -> String {
    use hmac::Mac;
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

#[test]
fn forwarding_to_a_dead_target_does_not_block_the_stream() {
    let events = sample_events(3, "demo");
    let (_dir, path) = recording(&events);
    let serve = replay_server(&path, &[]);
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let output = tail(&serve, &["--max-events", "3", "--forward-to", &format!("http://{dead}/hook")]);
    assert!(output.status.success());
    assert_eq!(stdout_lines(&output).len(), 3);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("forwarding failed (could not connect)"), "{stderr}");
}

#[test]
fn text_and_pretty_formats() {
    let events = sample_events(2, "demo");
    let (_dir, path) = recording(&events);
    let serve = replay_server(&path, &[]);
    let output = autoplay()
        .args(["tail", "--format", "text", "--url", &serve.stream_url("demo"), "--max-events", "2"])
        .env("AUTOPLAY_APP_UNKEY_TOKEN", KEY)
        .output()
        .unwrap();
    insta::assert_snapshot!(String::from_utf8_lossy(&output.stdout), @r"
    Session s0 — 1 actions
    [0] pageview: opened page 0 — https://app.test/page/0
    Session s1 — 1 actions
    [0] pageview: opened page 1 — https://app.test/page/1
    ");
    let output = autoplay()
        .args(["tail", "--format", "pretty", "--url", &serve.stream_url("demo"), "--max-events", "2"])
        .env("AUTOPLAY_APP_UNKEY_TOKEN", KEY)
        .env("TZ", "UTC")
        .output()
        .unwrap();
    insta::assert_snapshot!(String::from_utf8_lossy(&output.stdout), @r"
    00:16:40  s0  u0  pageview  Page 0  https://app.test/page/0
    00:16:41  s1  u1  pageview  Page 1  https://app.test/page/1
    ");
}
