//! `autoplay sessions`: the oracle's golden context/user cases byte for byte, and the
//! list/show/stats/exit-code behaviour over small recordings.

use std::path::Path;

use crate::support::{autoplay, fixture};

/// POSIX-ish word splitting for args.txt (plain words, single and double quotes).
fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut in_word = false;
    let mut chars = line.trim().chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                for q in chars.by_ref() {
                    if q == '\'' {
                        break;
                    }
                    current.push(q);
                }
            }
            '"' => {
                in_word = true;
                while let Some(q) = chars.next() {
                    match q {
                        '"' => break,
                        '\\' => current.extend(chars.next()),
                        _ => current.push(q),
                    }
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut current));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                current.push(c);
            }
        }
    }
    if in_word {
        words.push(current);
    }
    words
}

/// The oracle's flags as `sessions` arguments: `--session X` / `--user X` become the
/// positional id, the rest keep their names.
fn sessions_args(case: &Path) -> Vec<String> {
    let name = case.file_name().unwrap().to_string_lossy().to_string();
    let subcommand = if name.starts_with("context") { "context" } else { "user" };
    let words = shell_words(&std::fs::read_to_string(case.join("args.txt")).unwrap());
    let mut id = None;
    let mut rest = Vec::new();
    let mut iter = words.into_iter();
    while let Some(word) = iter.next() {
        if word == "--session" || word == "--user" {
            id = iter.next();
        } else {
            rest.push(word);
        }
    }
    let mut args = vec!["sessions".to_string(), subcommand.to_string(), id.expect("args.txt names the id")];
    args.push("--from".into());
    args.push(case.join("events.jsonl").to_string_lossy().to_string());
    args.extend(rest);
    args
}

#[test]
fn golden_context_and_user_cases_match_the_sdk_byte_for_byte() {
    let root = fixture("sessions");
    let mut cases: Vec<_> =
        std::fs::read_dir(&root).unwrap().map(|e| e.unwrap().path()).filter(|p| p.join("args.txt").exists()).collect();
    cases.sort();
    assert!(cases.len() >= 30, "expected the golden and generated cases, found {}", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let expected = std::fs::read(case.join("expected.txt")).unwrap();
        let output = autoplay().args(sessions_args(case)).output().unwrap();
        if output.stdout != expected || !output.status.success() {
            failures.push(format!(
                "{}: exit {:?}\n--- got\n{}--- expected\n{}--- stderr\n{}",
                case.display(),
                output.status.code(),
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&expected),
                String::from_utf8_lossy(&output.stderr)
            ));
        }
    }
    assert!(failures.is_empty(), "{} case(s) differ:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn the_same_cases_read_from_stdin() {
    let case = fixture("sessions/context-lookback-max");
    let mut args = sessions_args(&case);
    let at = args.iter().position(|a| a == "--from").unwrap();
    args[at + 1] = "-".into();
    let events = std::fs::read(case.join("events.jsonl")).unwrap();
    let expected = std::fs::read(case.join("expected.txt")).unwrap();
    autoplay().args(&args).write_stdin(events).assert().success().stdout(expected);
    let user = fixture("sessions/user-index-default");
    let mut args = sessions_args(&user);
    let at = args.iter().position(|a| a == "--from").unwrap();
    args[at + 1] = "-".into();
    autoplay()
        .args(&args)
        .write_stdin(std::fs::read(user.join("events.jsonl")).unwrap())
        .assert()
        .success()
        .stdout(std::fs::read(user.join("expected.txt")).unwrap());
}

fn recording() -> String {
    fixture("sessions/user-index-default/events.jsonl").to_string_lossy().to_string()
}

#[test]
fn unknown_session_and_user_exit_5_with_a_hint() {
    let from = recording();
    let out = autoplay().args(["sessions", "context", "nope", "--from", &from]).assert().code(5);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(stderr.contains("no session `nope`"), "{stderr}");
    autoplay().args(["sessions", "show", "nope", "--from", &from]).assert().code(5);
    let out = autoplay().args(["sessions", "user", "ghost", "--from", &from]).assert().code(5);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(stderr.contains("identify()") && stderr.contains("drift"), "{stderr}");
}

#[test]
fn invalid_store_options_exit_2_with_the_sdk_message() {
    let from = recording();
    let out = autoplay().args(["sessions", "context", "s_cut", "--from", &from, "--max-actions", "0"]).assert().code(2);
    assert!(String::from_utf8_lossy(&out.get_output().stderr).contains("max_actions must be >= 1, got 0"));
    let out = autoplay().args(["sessions", "user", "u_idx", "--from", &from, "--lookback", "0"]).assert().code(2);
    assert!(String::from_utf8_lossy(&out.get_output().stderr).contains("lookback_seconds must be > 0"));
    autoplay().args(["sessions", "list"]).assert().code(2);
    autoplay().args(["sessions", "list", "--from", "/no/such/file.jsonl"]).assert().code(2);
}

#[test]
fn a_bad_line_is_an_input_error_with_its_number() {
    let out = autoplay()
        .args(["sessions", "list", "--from", "-"])
        .write_stdin("{\"type\":\"actions\",\"session_id\":\"s\"}\n\n{oops\n")
        .assert()
        .code(2);
    assert!(String::from_utf8_lossy(&out.get_output().stderr).contains("<stdin>:3: not valid JSON"));
}

/// A session's lines are the ones whose `session_id` names it, escaped or not; a line of
/// another session that names it elsewhere is not read for it (nor warned about).
#[test]
fn a_session_is_read_from_its_session_id_field_not_from_wherever_its_id_appears() {
    let lines = [
        r#"{"type":"actions","product_id":"p","session_id":"s_a","user_id":"u1","forwarded_at":10,"count":1,"actions":[{"description":"A did x","timestamp_start":10}]}"#,
        r#"{"type":"actions","product_id":"p","session_id":"s_b","user_id":"u2","email":"u1@x","forwarded_at":11,"count":5,"actions":[{"description":"B went to s_a","raw_url":"/s_a","timestamp_start":11}]}"#,
        r#"{"type":"actions","product_id":"p","session_id":"s\u005fa","user_id":"u1","forwarded_at":12,"count":1,"actions":[{"description":"A did y","timestamp_start":12}]}"#,
    ];
    let dir = tempfile::tempdir().unwrap();
    let from = dir.path().join("rec.jsonl");
    std::fs::write(&from, lines.join("\n") + "\n").unwrap();
    let from = from.to_string_lossy().to_string();
    for command in ["context", "show"] {
        let out = autoplay().args(["sessions", command, "s_a", "--product", "p", "--from", &from]).assert().success();
        let (stdout, stderr) =
            (String::from_utf8_lossy(&out.get_output().stdout), String::from_utf8_lossy(&out.get_output().stderr));
        assert!(
            stdout.contains("A did x") && stdout.contains("A did y") && !stdout.contains("B went"),
            "{command}: {stdout}"
        );
        assert!(!stderr.contains("session=s_b"), "{command} warned about another session's line: {stderr}");
    }
    let out = autoplay().args(["sessions", "context", "s_b", "--product", "p", "--from", &from]).assert().success();
    assert!(
        String::from_utf8_lossy(&out.get_output().stderr)
            .contains("count=5 does not match len(actions)=1 for session=s_b")
    );
    let out = autoplay().args(["sessions", "user", "u1", "--from", &from]).assert().success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout);
    assert!(stdout.contains("Session s_a (p)") && stdout.contains("A did y") && !stdout.contains("s_b"), "{stdout}");
}

#[test]
fn list_rows_sorted_filtered_and_limited() {
    let from = recording();
    let out = autoplay().args(["sessions", "list", "--from", &from, "--format", "json"]).assert().success();
    let rows: Vec<serde_json::Value> =
        String::from_utf8_lossy(&out.get_output().stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert!(rows.len() > 10);
    let last_seen: Vec<f64> = rows.iter().map(|r| r["last_seen"].as_f64().unwrap_or(f64::NEG_INFINITY)).collect();
    assert!(last_seen.windows(2).all(|w| w[0] >= w[1]), "newest first: {last_seen:?}");
    let multi: Vec<_> = rows.iter().filter(|r| r["session_id"] == "s_multi").collect();
    assert_eq!(multi.len(), 3, "one row per product, and the legacy bucket");

    let out = autoplay()
        .args(["sessions", "list", "--from", &from, "--format", "json", "--sort", "actions", "--limit", "2"])
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    let first: serde_json::Value = serde_json::from_str(stdout.lines().next().unwrap()).unwrap();
    assert_eq!(first["session_id"], "s_cut");
    assert_eq!(first["actions"], 6);
    assert_eq!(stdout.lines().count(), 2);
    assert!(String::from_utf8_lossy(&out.get_output().stderr).contains("showing 2 of"));

    let out = autoplay()
        .args(["sessions", "list", "--from", &from, "--format", "json", "--user", "u_idx", "--product", "acme"])
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(stdout.lines().all(|l| l.contains("\"user_id\":\"u_idx\"") && l.contains("\"product_id\":\"acme\"")));
    assert!(stdout.contains("s_u1_c"));

    let out =
        autoplay().args(["sessions", "list", "--from", &from, "--format", "json", "--since", "10s"]).assert().success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(stdout.contains("s_u1_noprod") && !stdout.contains("s_multi"), "{stdout}");
}

#[test]
fn list_pretty_table() {
    let out = autoplay()
        .args(["sessions", "list", "--from", &recording(), "--format", "pretty", "--product", "globex"])
        .assert()
        .success();
    insta::assert_snapshot!(String::from_utf8_lossy(&out.get_output().stdout), @r"
    PRODUCT  SESSION  USER   EMAIL  ACTIONS  SUMMARIES  FIRST SEEN            LAST SEEN             LAST URL
    globex   s_u1_b   u_idx  -      1        0          2024-05-01T23:41:01Z  2024-05-01T23:41:01Z  /b
    globex   s_multi  emp_1  -      1        0          2024-05-01T23:40:05Z  2024-05-01T23:40:05Z  /payroll
    ");
}

#[test]
fn show_needs_a_product_when_the_id_is_shared() {
    let from = recording();
    let out = autoplay().args(["sessions", "show", "s_multi", "--from", &from]).assert().code(2);
    assert!(String::from_utf8_lossy(&out.get_output().stderr).contains("several products"));
    let out = autoplay()
        .args(["sessions", "show", "s_multi", "--from", &from, "--product", "acme", "--format", "pretty"])
        .assert()
        .success();
    insta::assert_snapshot!(String::from_utf8_lossy(&out.get_output().stdout), @r"
    Session s_multi (product acme) — 2 actions, 1 summary
    2024-05-01T23:40:00Z  [0] pageview: Opened deals — /deals
    2024-05-01T23:40:00Z  [1] click: Clicked New deal — /deals
    2024-05-01T23:40:08Z  summary (replaces 3): User looked at deals.
    ");
    let out = autoplay().args(["sessions", "show", "s_cut", "--from", &from, "--format", "json"]).assert().success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert_eq!(stdout.lines().count(), 6);
    let first: serde_json::Value = serde_json::from_str(stdout.lines().next().unwrap()).unwrap();
    assert_eq!(first["kind"], "action");
    assert_eq!(first["description"], "Step 0");
}

#[test]
fn stats_totals() {
    let out = autoplay().args(["sessions", "stats", "--from", &recording(), "--format", "json"]).assert().success();
    let stats: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(stats["event_types"]["heartbeat"], 1);
    assert_eq!(stats["event_types"]["usertour_trigger"], 1);
    assert_eq!(stats["actions_per_session"]["max"], 6);
    assert!(stats["sessions"].as_u64().unwrap() > 10);
    assert!(stats["top_urls"].as_array().unwrap().len() <= 10);
}

#[test]
fn context_json_format_wraps_the_text() {
    let case = fixture("sessions/context-product-scoped");
    let mut args = sessions_args(&case);
    args.extend(["--format".into(), "json".into()]);
    let out = autoplay().args(&args).assert().success();
    let record: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let expected = std::fs::read_to_string(case.join("expected.txt")).unwrap();
    assert_eq!(record["text"].as_str().unwrap(), expected.trim_end_matches('\n'));
    assert_eq!(record["product_id"], "acme");
}

/// A one-shot SSE endpoint: answers each connection with the frames, then holds it open.
fn sse_server(frames: Vec<String>) -> u16 {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let frames = frames.clone();
            std::thread::spawn(move || {
                let mut request = Vec::new();
                let mut byte = [0u8; 1];
                while !request.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap_or(0) == 1 {
                    request.push(byte[0]);
                }
                let mut body = String::from(
                    "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n",
                );
                body.push_str(": heartbeat\n\n");
                for frame in &frames {
                    body.push_str(&format!("data: {frame}\n\n"));
                }
                let _ = stream.write_all(body.as_bytes());
                let _ = stream.flush();
                std::thread::sleep(std::time::Duration::from_secs(30));
            });
        }
    });
    port
}

#[test]
fn live_source_listens_for_the_duration() {
    let frames = vec![
        r#"{"type":"actions","product_id":"demo","session_id":"live_1","user_id":"u_live","forwarded_at":1714606800.0,"actions":[{"index":0,"type":"click","description":"Clicked live","canonical_url":"/live"}]}"#.to_string(),
        r#"{"type":"summary","product_id":"demo","session_id":"live_1","summary":"A live summary.","forwarded_at":1714606801.0}"#.to_string(),
    ];
    let port = sse_server(frames);
    let url = format!("http://127.0.0.1:{port}/stream/demo");
    let out = autoplay()
        .args(["sessions", "list", "--live", "--url", &url, "--duration", "1500ms", "--format", "json"])
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(stdout.contains(r#""session_id":"live_1""#) && stdout.contains(r#""summaries":1"#), "{stdout}");
    // The clock is the wall clock with --live, so give the context no lookback.
    autoplay()
        .args(["sessions", "context", "live_1", "--live", "--url", &url, "--duration", "1500ms"])
        .assert()
        .success()
        .stdout("Summary: A live summary.\n\nRecent activity:\n1. [0] click: Clicked live — /live\n");
}

/// `--live` says what happens when the stream drops, in the same words as `tail`: a clean
/// close is a notice with the attempt number, a failed attempt a warning counting failures.
#[test]
fn live_reconnects_are_announced_like_tail() {
    let frame = r#"{"type":"actions","product_id":"demo","session_id":"live_1","forwarded_at":1714606800.0,"actions":[{"index":0,"type":"click","description":"Clicked","canonical_url":"/a"}]}"#;
    let stream = crate::support::http_response(
        "200 OK",
        "text/event-stream",
        format!("retry: 100\ndata: {frame}\n\n").as_bytes(),
    );
    let unavailable = crate::support::http_response("503 Service Unavailable", "text/plain", b"busy");
    let server = crate::support::RawServer::start(vec![stream, unavailable]);
    let url = format!("{}/stream/demo", server.url);
    let out = autoplay()
        .args(["sessions", "list", "--live", "--url", &url, "--duration", "1200ms", "--format", "json"])
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(stderr.contains("the connector closed the stream; reconnecting in 0.1 s (attempt 1)"), "{stderr}");
    assert!(stderr.contains("503 Service Unavailable") && stderr.contains("(attempt 1)"), "{stderr}");
    assert!(!stderr.contains("failure 0") && !stderr.contains("stream disconnected"), "{stderr}");
    assert!(String::from_utf8_lossy(&out.get_output().stdout).contains(r#""session_id":"live_1""#));
}

/// Ctrl-C while `--live` listens stops the command with exit 130 and prints nothing on
/// stdout (no half list).
#[cfg(unix)]
#[test]
fn ctrl_c_during_live_exits_130() {
    let port = sse_server(Vec::new());
    let url = format!("http://127.0.0.1:{port}/stream/demo");
    let dir = tempfile::tempdir().unwrap();
    let err_path = dir.path().join("stderr");
    let child = crate::support::autoplay_process()
        .args(["sessions", "list", "--live", "--url", &url, "--duration", "60s", "--format", "json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::fs::File::create(&err_path).unwrap())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while !std::fs::read_to_string(&err_path).unwrap().contains("listening to") {
        assert!(started.elapsed() < std::time::Duration::from_secs(20), "never listened");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    std::thread::sleep(std::time::Duration::from_millis(300));
    // SAFETY: a plain signal to the child this test started.
    unsafe {
        libc::kill(child.id() as i32, libc::SIGINT);
    }
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(130), "{}", std::fs::read_to_string(&err_path).unwrap());
    assert!(output.stdout.is_empty(), "{}", String::from_utf8_lossy(&output.stdout));
}
