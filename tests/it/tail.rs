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
    assert!(
        stderr.contains("the connector answered 500 Internal Server Error; retrying in 1."),
        "one line per reconnect: {stderr}"
    );
    assert!(stderr.contains("(attempt 1)"), "{stderr}");
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
    assert!(stderr.contains("forwarded 5 events; 0 not delivered (0 failed, 0 dropped"), "{stderr}");
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
        .env("COLUMNS", "100")
        .output()
        .unwrap();
    insta::assert_snapshot!(String::from_utf8_lossy(&output.stdout), @r"
    ── Thu 1 Jan 1970 · times in UTC (+00:00) ──
    00:16:40  s0              u0                      pageview  Page 0  https://app.test/page/0
    00:16:41  s1              u1                      pageview  Page 1  https://app.test/page/1
    ");
}

/// `tail --format json --url {server}/stream/demo` plus `extra`, without a token.
fn tail_raw(server: &RawServer, extra: &[&str]) -> std::process::Output {
    autoplay()
        .args(["tail", "--format", "json", "--url", &format!("{}/stream/demo", server.url)])
        .args(extra)
        .env("AUTOPLAY_APP_UNKEY_TOKEN", KEY)
        .timeout(Duration::from_secs(60))
        .output()
        .expect("tail runs")
}

fn header<'a>(request: &'a str, name: &str) -> Option<&'a str> {
    request.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.eq_ignore_ascii_case(name).then(|| value.trim())
    })
}

fn sse_response(content_type: &str, body: &[u8]) -> Vec<u8> {
    http_response("200 OK", content_type, body)
}

#[test]
fn the_stream_follows_the_eventsource_rules_on_the_wire() {
    let a = r#"{"type":"actions","session_id":"a"}"#;
    let b = r#"{"type":"actions","session_id":"b"}"#;
    let c = r#"{"type":"actions","session_id":"c"}"#;
    // A BOM, an MIME type with parameters and odd case, an id that is set by an event the
    // stream never finishes, and a retry below the 100 ms floor.
    let first = sse_response(
        "Text/Event-Stream; charset=utf-8",
        format!("\u{feff}retry: 1\nid: 1\ndata: {a}\n\nevent: foo\n\nid: 2\ndata: {b}").as_bytes(),
    );
    // An empty id resets the last event id.
    let second = sse_response("text/event-stream", format!("id\ndata: {b}\n\n").as_bytes());
    let third = sse_response("text/event-stream", format!("data: {c}\n\n").as_bytes());
    let server = RawServer::start(vec![first, second, third]);
    let output = tail_raw(&server, &["--max-events", "3", "--max-retries", "0"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(stdout_lines(&output), vec![a.to_string(), b.to_string(), c.to_string()]);
    assert!(!stderr.contains("warning"), "an event without data is dropped quietly: {stderr}");
    assert!(stderr.contains("the connector closed the stream; reconnecting in 0.1 s (attempt 1)"), "{stderr}");
    let requests = server.requests.lock().unwrap();
    for request in requests.iter() {
        assert_eq!(header(request, "accept"), Some("text/event-stream"));
        assert_eq!(header(request, "cache-control"), Some("no-cache"));
    }
    assert_eq!(header(&requests[0], "last-event-id"), None);
    assert_eq!(header(&requests[1], "last-event-id"), Some("1"), "the unfinished event's id does not count");
    assert_eq!(header(&requests[2], "last-event-id"), None, "an empty id sends no header at all");
}

#[test]
fn content_types_are_compared_by_their_mime_essence() {
    for wrong in ["text/event-streamx", "text/plain", "application/json; text/event-stream"] {
        let server = RawServer::start(vec![sse_response(wrong, b"data: {}\n\n")]);
        let output = tail_raw(&server, &["--max-retries", "0"]);
        assert_eq!(output.status.code(), Some(1), "{wrong}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(&format!("Content-Type `{wrong}`")), "{stderr}");
    }
}

#[test]
fn an_id_that_cannot_be_a_header_is_dropped_with_one_warning() {
    let frame = |session: &str| {
        format!("id: a\u{1}b\ndata: {{\"type\":\"actions\",\"session_id\":\"{session}\"}}\n\nretry: 100\n\n")
    };
    let server = RawServer::start(vec![
        sse_response("text/event-stream", frame("a").as_bytes()),
        sse_response("text/event-stream", frame("b").as_bytes()),
        sse_response("text/event-stream", frame("c").as_bytes()),
    ]);
    let output = tail_raw(&server, &["--max-events", "3"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(stdout_lines(&output).len(), 3);
    assert_eq!(stderr.matches("cannot be sent in an HTTP header").count(), 1, "{stderr}");
    let requests = server.requests.lock().unwrap();
    assert!(requests.iter().all(|r| header(r, "last-event-id").is_none()));
}

#[test]
fn no_content_stops_reconnecting_with_exit_0() {
    let server = RawServer::start(vec![http_response("204 No Content", "text/plain", b"")]);
    let output = tail_raw(&server, &[]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("204 No Content") && stderr.contains("stop reconnecting"), "{stderr}");
    assert_eq!(server.requests.lock().unwrap().len(), 1);
}

fn redirect(status: &str, location: &str) -> Vec<u8> {
    format!("HTTP/1.1 {status}\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").into_bytes()
}

#[test]
fn same_origin_redirects_are_followed_with_the_token() {
    let event = r#"{"type":"actions","session_id":"r"}"#;
    let server = RawServer::start(vec![
        redirect("301 Moved Permanently", "/v2/stream/demo"),
        redirect("307 Temporary Redirect", "/v3/stream/demo"),
        sse_response("text/event-stream", format!("data: {event}\n\n").as_bytes()),
    ]);
    let output = tail_raw(&server, &["--max-events", "1"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(stdout_lines(&output), vec![event.to_string()]);
    let requests = server.requests.lock().unwrap();
    assert!(requests[2].starts_with("GET /v3/stream/demo "), "{}", requests[2]);
    for request in requests.iter() {
        assert_eq!(header(request, "authorization"), Some(format!("Bearer {KEY}").as_str()));
    }
}

#[test]
fn a_redirect_to_another_origin_is_never_followed_with_the_token() {
    let elsewhere = RawServer::start(vec![sse_response("text/event-stream", b"data: {}\n\n")]);
    let location = format!("{}/stream/demo?token=leak", elsewhere.url);
    let server = RawServer::start(vec![redirect("302 Found", &location)]);
    let output = tail_raw(&server, &[]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    let shown = format!("{}/stream/demo?token=***", elsewhere.url);
    assert!(stderr.contains(&shown), "names the new location, masked: {stderr}");
    assert!(stderr.contains(&format!("--url {shown}")), "hints --url: {stderr}");
    assert!(!stderr.contains("leak") && !stderr.contains(KEY), "{stderr}");
    assert!(elsewhere.requests.lock().unwrap().is_empty(), "nothing is sent to the other origin");
}

#[test]
fn redirect_loops_stop_after_ten() {
    let server = RawServer::start(vec![redirect("308 Permanent Redirect", "/stream/demo")]);
    let output = tail_raw(&server, &[]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("more than 10 redirects"));
    assert_eq!(server.requests.lock().unwrap().len(), 11);
}

#[test]
fn a_healthy_stream_that_reconnects_by_idle_timeout_never_uses_up_its_retries() {
    let events = sample_events(10, "demo");
    let (_dir, path) = recording(&events);
    let serve = replay_server(&path, &["--stall-after", "3", "--retry-ms", "5"]);
    let output = tail(&serve, &["--max-events", "10", "--idle-timeout", "300ms", "--max-retries", "0"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(stdout_lines(&output), events);
}

#[test]
fn a_response_that_ends_before_any_frame_is_a_failed_attempt() {
    let server = RawServer::start(vec![sse_response("text/event-stream", b"retry: 0\n\n: hello\n\n")]);
    let output = tail_raw(&server, &["--max-retries", "2"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("gave up after 3 failed connection attempts"), "{stderr}");
    assert!(
        stderr.contains("before sending an event or a heartbeat; retrying in 0.1 s (attempt 1)"),
        "clamped: {stderr}"
    );
    assert_eq!(server.requests.lock().unwrap().len(), 3);
}

#[test]
fn retry_after_on_503_sets_the_wait() {
    let busy = b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 2\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        .to_vec();
    let event = r#"{"type":"actions","session_id":"x"}"#;
    let server =
        RawServer::start(vec![busy, sse_response("text/event-stream", format!("data: {event}\n\n").as_bytes())]);
    let output = tail_raw(&server, &["--max-events", "1"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("the connector answered 503 Service Unavailable; retrying in 2."), "{stderr}");
}

#[test]
fn an_unreachable_connector_is_said_in_words() {
    let dead = crate::fake_connector::dead_url();
    let output = autoplay()
        .args(["tail", "--url", &format!("{dead}/stream/demo"), "--max-retries", "1"])
        .env("AUTOPLAY_APP_UNKEY_TOKEN", KEY)
        .timeout(Duration::from_secs(30))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let host = dead.trim_start_matches("http://");
    assert!(
        stderr.contains(&format!("connector unreachable at {host} (connection refused); retrying in 1.")),
        "{stderr}"
    );
    assert!(stderr.contains("(attempt 1)"), "{stderr}");
}

#[test]
fn forwarding_counts_events_still_in_flight_as_undelivered() {
    let events = sample_events(3, "demo");
    let (_dir, path) = recording(&events);
    let serve = replay_server(&path, &[]);
    // A webhook that takes connections and never answers.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = silent.local_addr().unwrap();
    let _held = std::thread::spawn(move || {
        let mut open = Vec::new();
        for stream in silent.incoming().flatten() {
            open.push(stream);
        }
    });
    let output = tail(&serve, &["--max-events", "3", "--forward-to", &format!("http://{address}/hook")]);
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("forwarded 0 events; 3 not delivered (0 failed, 0 dropped because the queue was full, 3 still queued or in flight at the end)"),
        "{stderr}"
    );
}

#[test]
fn verbose_logs_each_http_exchange_and_very_verbose_its_headers() {
    let event = r#"{"type":"actions","session_id":"v"}"#;
    let server = RawServer::start(vec![sse_response("text/event-stream", format!("data: {event}\n\n").as_bytes())]);
    let output = tail_raw(&server, &["-v", "--max-events", "1"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let url = format!("{}/stream/demo", server.url);
    assert!(stderr.contains(&format!("→ GET {url}")), "{stderr}");
    assert!(stderr.contains(&format!("← 200 GET {url} (")), "{stderr}");
    assert!(!stderr.contains("content-type: text/event-stream"), "-v has no headers: {stderr}");
    let output = tail_raw(&server, &["-vv", "--max-events", "1"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("authorization: ***"), "{stderr}");
    assert!(stderr.contains("content-type: text/event-stream"), "{stderr}");
    assert!(!stderr.contains(KEY), "{stderr}");
}

/// Output is flushed whenever the input is drained, not when a buffer fills: a server that
/// sends one frame and then waits for its line to show up on stdout before it sends the
/// next one sees every line. A line held back would be seen only after the server gave up
/// waiting (30 s) and sent the next frame anyway, which the test reports.
#[test]
fn each_line_arrives_before_the_next_frame_is_sent() {
    use std::sync::mpsc;
    let events = sample_events(4, "demo");
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}/stream/demo", listener.local_addr().expect("address"));
    let (line_seen, wait_for_line) = mpsc::channel::<usize>();
    let frames = events.clone();
    let server = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().expect("tail connects");
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).expect("request") == 1 {
            head.push(byte[0]);
        }
        stream
            .write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n")
            .expect("head");
        let mut seen_in_time = Vec::new();
        for (i, frame) in frames.iter().enumerate() {
            stream.write_all(format!("id: {i}\ndata: {frame}\n\n").as_bytes()).expect("frame");
            stream.flush().expect("flush");
            // The next frame goes out only once this one's line was read (or after 30 s).
            seen_in_time.push(wait_for_line.recv_timeout(Duration::from_secs(30)) == Ok(i));
        }
        seen_in_time
    });
    let binary = assert_cmd::cargo::cargo_bin("autoplay");
    let mut child = std::process::Command::new(binary)
        .args(["tail", "--format", "json", "--url", &url, "--max-events", "4"])
        .env("AUTOPLAY_APP_UNKEY_TOKEN", KEY)
        .env("AUTOPLAY_CONFIG_DIR", std::env::temp_dir().join("autoplay-tests-no-config"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("tail starts");
    let mut reader = std::io::BufReader::new(child.stdout.take().expect("piped stdout"));
    let mut lines = Vec::new();
    for i in 0..events.len() {
        let mut line = String::new();
        reader.read_line(&mut line).expect("a line");
        lines.push(line.trim_end().to_string());
        let _ = line_seen.send(i);
    }
    let status = child.wait().expect("tail ends");
    assert!(status.success());
    assert_eq!(lines, events);
    assert_eq!(server.join().expect("server"), [true; 4], "a line was still buffered when the next frame went out");
}

/// An actions batch whose `count` is not its number of actions is reconciled as the SDK does,
/// with the SDK's warning on stderr (pretty and text output parse each event).
#[test]
fn a_count_mismatch_is_reconciled_with_the_sdk_warning() {
    let frame = r#"{"type":"actions","product_id":"demo","session_id":"s1","forwarded_at":1.0,"count":5,"actions":[{"index":0,"type":"click","description":"Clicked","canonical_url":"/a"}]}"#;
    let body = format!(": hi\n\ndata: {frame}\n\n");
    let server = RawServer::start(vec![http_response("200 OK", "text/event-stream", body.as_bytes())]);
    let output = autoplay()
        .args(["tail", "--format", "text", "--url", &format!("{}/stream/demo", server.url), "--max-events", "1"])
        .timeout(Duration::from_secs(30))
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stdout).starts_with("Session s1 — 1 actions"));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(
            "ActionsPayload.count=5 does not match len(actions)=1 for session=s1 — using len(actions) as the authoritative value"
        ),
        "{stderr}"
    );
}
