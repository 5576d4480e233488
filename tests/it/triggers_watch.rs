//! `autoplay triggers watch` on the real binary: against `serve --replay` (the contract with
//! `triggers simulate`, reconnects), a growing recording (config reload, Ctrl-C), eviction and
//! a local webhook receiver (the forwarded signature).

use std::collections::BTreeMap;
use std::io::{BufRead, Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::{ServeProcess, autoplay, fixture};
use crate::triggers_simulate::{records, same, split_args};

const KEY: &str = "test_key_0123456789";

fn replay(path: &Path, extra: &[&str]) -> ServeProcess {
    let mut args = vec!["--replay", path.to_str().unwrap(), "--speed", "max", "--any-product", "--key", KEY];
    args.extend_from_slice(extra);
    ServeProcess::start(&args)
}

/// The fixture's simulate flags as watch takes them: `--rules` for the connector rules (watch's
/// `--profile` is the saved connection profile); bad lines are always skipped live.
fn watch_args(dir: &Path) -> Vec<String> {
    let args = std::fs::read_to_string(dir.join("args.txt")).unwrap_or_default();
    split_args(&args)
        .into_iter()
        .filter(|a| a != "--skip-bad-lines")
        .map(|a| if a == "--profile" { "--rules".to_string() } else { a })
        .collect()
}

fn frames(path: &Path) -> usize {
    std::fs::read_to_string(path).unwrap().lines().filter(|l| !l.trim().is_empty()).count()
}

/// Each session's records in their order (a live run decides sessions independently, so
/// only the lines of different sessions may interleave differently).
fn by_session(records: &[Value]) -> BTreeMap<(String, String), Vec<Value>> {
    let mut out: BTreeMap<(String, String), Vec<Value>> = BTreeMap::new();
    for r in records {
        let key = (r["product_id"].as_str().unwrap_or("").to_string(), r["session_id"].to_string());
        out.entry(key).or_default().push(r.clone());
    }
    out
}

fn compare(expected: &[Value], actual: &[Value]) -> Result<(), String> {
    if expected.len() != actual.len() {
        return Err(format!("{} records, expected {}", actual.len(), expected.len()));
    }
    let (e, a) = (by_session(expected), by_session(actual));
    if e.keys().ne(a.keys()) {
        return Err(format!(
            "sessions {:?}, expected {:?}",
            a.keys().collect::<Vec<_>>(),
            e.keys().collect::<Vec<_>>()
        ));
    }
    for (key, list) in &e {
        for (i, (x, y)) in list.iter().zip(&a[key]).enumerate() {
            if !same(x, y) {
                return Err(format!("session {key:?} record {i}:\n  expected {x}\n  actual   {y}"));
            }
        }
    }
    // Time never goes back within a session.
    for list in a.values() {
        if list.windows(2).any(|w| w[0]["ts"].as_f64() > w[1]["ts"].as_f64()) {
            return Err("a session's records go back in time".into());
        }
    }
    Ok(())
}

fn watch_replay(dir: &Path, serve: &ServeProcess, extra: &[&str]) -> std::process::Output {
    autoplay()
        .args(["triggers", "watch", "--format", "json", "--clock", "event", "--config"])
        .arg(dir.join("config.json"))
        .args(["--url", &serve.stream_url("demo"), "--max-events", &frames(&dir.join("events.jsonl")).to_string()])
        .args(watch_args(dir))
        .args(extra)
        .env("AUTOPLAY_APP_UNKEY_TOKEN", KEY)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap()
}

/// The contract: a replay served at full speed and watched on the event clock gives the
/// oracle's records of `triggers simulate`, on every fixture the simulator accepts.
#[test]
fn a_replay_watched_on_the_event_clock_gives_the_simulate_records() {
    let mut dirs: Vec<_> = std::fs::read_dir(fixture("simulate"))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("config.json").exists() && p.join("expected.jsonl").exists())
        .collect();
    dirs.sort();
    let mut failures = Vec::new();
    let mut checked = 0;
    for dir in &dirs {
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        let events = dir.join("events.jsonl");
        // `serve` refuses a recording with lines that are not JSON objects (the simulator
        // skips them with --skip-bad-lines): nothing to serve.
        let servable = std::fs::read_to_string(&events)
            .unwrap()
            .lines()
            .filter(|l| !l.trim().is_empty())
            .all(|l| serde_json::from_str::<Value>(l).is_ok_and(|v| v.is_object()));
        if !servable {
            continue;
        }
        checked += 1;
        let serve = replay(&events, &[]);
        let output = watch_replay(dir, &serve, &[]);
        if !output.status.success() {
            failures.push(format!(
                "{name}: exit {:?}: {}",
                output.status.code(),
                String::from_utf8_lossy(&output.stderr)
            ));
            continue;
        }
        let expected = records(&std::fs::read_to_string(dir.join("expected.jsonl")).unwrap());
        if let Err(e) = compare(&expected, &records(&String::from_utf8_lossy(&output.stdout))) {
            failures.push(format!("{name}: {e}"));
        }
    }
    assert!(checked >= 35, "only {checked} fixtures checked");
    assert!(failures.is_empty(), "{} of {checked} differ:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn reconnects_under_watch_lose_and_duplicate_nothing() {
    let dir = fixture("simulate/diff-200120");
    let serve = replay(&dir.join("events.jsonl"), &["--drop-after", "3", "--retry-ms", "5"]);
    let output = watch_replay(&dir, &serve, &[]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.matches("Reconnected to").count() >= 3, "{stderr}");
    let expected = records(&std::fs::read_to_string(dir.join("expected.jsonl")).unwrap());
    compare(&expected, &records(&String::from_utf8_lossy(&output.stdout))).unwrap();
}

#[test]
fn past_max_sessions_the_least_recent_session_ends_with_a_counted_warning() {
    let dir = fixture("simulate/multi-session-two-products");
    let serve = replay(&dir.join("events.jsonl"), &[]);
    let output = watch_replay(&dir, &serve, &["--max-sessions", "1"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let got = records(&String::from_utf8_lossy(&output.stdout));
    let ends = got.iter().filter(|r| r["kind"] == "session_end").count();
    let sessions = by_session(&got).len();
    assert!(ends >= 3, "{ends} session ends");
    let evicted = stderr
        .lines()
        .find_map(|l| {
            l.split(" session")
                .next()
                .and_then(|n| n.rsplit(' ').next()?.parse::<usize>().ok())
                .filter(|_| l.contains("ended early"))
        })
        .expect("a counted eviction warning");
    // Every session but the last one standing was evicted, and each evicted one ended.
    assert!(evicted >= 1 && evicted < ends, "{stderr}");
    assert!(ends >= sessions);
}

/// Waits until `file` holds `needle` (up to 30 s).
fn wait_for(file: &Path, needle: &str) -> bool {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if std::fs::read_to_string(file).unwrap_or_default().contains(needle) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

#[test]
fn a_changed_config_is_validated_and_reloaded_and_ctrl_c_prints_the_summary() {
    let tmp = tempfile::tempdir().unwrap();
    let source = fixture("simulate/worked-example");
    let config = tmp.path().join("products.json");
    std::fs::copy(source.join("config.json"), &config).unwrap();
    let (mut child, events, out_path, err_path) = watch_a_growing_file(tmp.path(), &config, &["--clock", "event"]);
    // The recording grows while watch follows it.
    let lines = std::fs::read_to_string(source.join("events.jsonl")).unwrap();
    let mut file = std::fs::OpenOptions::new().append(true).open(&events).unwrap();
    for line in lines.lines() {
        writeln!(file, "{line}").unwrap();
    }
    file.flush().unwrap();
    assert!(wait_for(&out_path, "\"kind\": \"fire\""), "no fire: {}", std::fs::read_to_string(&err_path).unwrap());
    // An invalid config is reported and the old one kept.
    std::thread::sleep(Duration::from_millis(1100)); // a new modification time
    std::fs::write(&config, "[{\"product_id\": \"p\", not json").unwrap();
    assert!(wait_for(&err_path, "keeping the previous config"), "{}", std::fs::read_to_string(&err_path).unwrap());
    std::thread::sleep(Duration::from_millis(1100));
    std::fs::copy(source.join("config.json"), &config).unwrap();
    assert!(wait_for(&err_path, "changed: reloaded"), "{}", std::fs::read_to_string(&err_path).unwrap());
    // Ctrl-C: every session flushed, the summary, exit 130.
    // SAFETY: a plain signal to the child this test started.
    unsafe {
        libc::kill(child.0.id() as i32, libc::SIGINT);
    }
    let status = child.0.wait().unwrap();
    assert_eq!(status.code(), Some(130));
    let stderr = std::fs::read_to_string(&err_path).unwrap();
    assert!(stderr.contains("summary"), "{stderr}");
    let got = records(&std::fs::read_to_string(&out_path).unwrap());
    let expected = records(&std::fs::read_to_string(source.join("expected.jsonl")).unwrap());
    compare(&expected, &got).unwrap();
}

/// The requests a receiver got: each one's head and body.
type Received = Arc<Mutex<Vec<(String, Vec<u8>)>>>;

/// A webhook receiver on 127.0.0.1 keeping each request's head and body.
fn receiver() -> (String, Received) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let received = Arc::new(Mutex::new(Vec::new()));
    let sink = received.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = std::io::BufReader::new(stream.try_clone().unwrap());
            loop {
                let (mut head, mut length) = (String::new(), 0usize);
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
    (url, received)
}

#[test]
fn decisions_are_forwarded_signed_to_a_local_webhook() {
    use hmac::Mac;
    let dir = fixture("simulate/worked-example");
    let tmp = tempfile::tempdir().unwrap();
    let secret = tmp.path().join("secret.txt");
    std::fs::write(&secret, "whsec_watch_secret\n").unwrap();
    let (hook, received) = receiver();
    let output = autoplay()
        .args(["triggers", "watch", "--format", "json", "--config"])
        .arg(dir.join("config.json"))
        .args(["--events", "-", "--forward-to", &hook, "--forward-secret-file", secret.to_str().unwrap()])
        .pipe_stdin(dir.join("events.jsonl"))
        .unwrap()
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(!stderr.contains("whsec_watch_secret"));
    let printed: Vec<String> = String::from_utf8_lossy(&output.stdout).lines().map(str::to_string).collect();
    assert!(printed.iter().any(|l| l.contains("\"kind\": \"fire\"")));
    let received = received.lock().unwrap();
    assert_eq!(received.len(), printed.len(), "{stderr}");
    for (head, body) in received.iter() {
        assert!(printed.contains(&String::from_utf8_lossy(body).to_string()));
        let signature = head
            .lines()
            .find_map(|l| l.to_lowercase().strip_prefix("x-connector-signature: ").map(str::to_string))
            .expect("signed");
        let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(b"whsec_watch_secret").unwrap();
        mac.update(body);
        assert_eq!(signature.trim(), format!("sha256={}", hex::encode(mac.finalize().into_bytes())));
    }
}

/// A one-row config with these builtins (instant triggers).
fn builtins_config(ids: &[&str]) -> String {
    let builtins: Vec<String> = ids
        .iter()
        .map(|id| {
            format!(r#"{{"id": "{id}", "name": "{id}", "description": "d", "triggering_type": "instant_trigger"}}"#)
        })
        .collect();
    format!(
        r#"[{{"product_id": "p", "integration_config": {{"proactive_triggers": {{"builtins": [{}],
            "dwell_threshold_seconds": 100000}}}}}}]"#,
        builtins.join(", ")
    )
}

fn visit(session: &str, url: &str, t: f64) -> String {
    format!(
        r#"{{"type": "actions", "product_id": "p", "session_id": "{session}", "user_id": "u_{session}", "forwarded_at": {t}, "actions": [{{"canonical_url": "{url}", "timestamp_start": {t}, "timestamp_end": {t}}}]}}"#
    )
}

/// A child process killed when the test ends, also when it fails half-way.
struct Reaped(std::process::Child);

/// `triggers watch --format json … --config CONFIG --events rec.jsonl` on an empty recording in
/// `dir` that the test then appends to; returns the child and the paths of the recording and
/// of the files stdout and stderr go to.
fn watch_a_growing_file(
    dir: &std::path::Path,
    config: &std::path::Path,
    args: &[&str],
) -> (Reaped, std::path::PathBuf, std::path::PathBuf, std::path::PathBuf) {
    let events = dir.join("rec.jsonl");
    std::fs::write(&events, "").unwrap();
    let (out_path, err_path) = (dir.join("out.txt"), dir.join("err.txt"));
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("autoplay"))
        .args(["triggers", "watch", "--format", "json"])
        .args(args)
        .arg("--config")
        .arg(config)
        .arg("--events")
        .arg(&events)
        .env("NO_COLOR", "1")
        .env("AUTOPLAY_CONFIG_DIR", dir.join("cfg"))
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::fs::File::create(&err_path).unwrap())
        .spawn()
        .unwrap();
    (Reaped(child), events, out_path, err_path)
}

impl Drop for Reaped {
    fn drop(&mut self) {
        if self.0.try_wait().ok().flatten().is_none() {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

/// A reload applies to a session that is already live, from its next evaluation: the session
/// bounced between two pages under a config without the ping-pong trigger; once the config
/// gains it, the session's next event fires it (over the pages seen before the reload), and
/// the session is the same one (one `session_end`, after the fire).
#[test]
fn a_reloaded_config_applies_to_live_sessions_from_their_next_evaluation() {
    let tmp = tempfile::tempdir().unwrap();
    let config = tmp.path().join("products.json");
    std::fs::write(&config, builtins_config(&["user_page_dwell"])).unwrap();
    let (mut child, events, out_path, err_path) =
        watch_a_growing_file(tmp.path(), &config, &["--clock", "wall", "--explain"]);
    let mut file = std::fs::OpenOptions::new().append(true).open(&events).unwrap();
    // Times of now: on the wall clock, a page's dwell runs from its action's time to now.
    let t0 = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs_f64();
    for (i, url) in ["/a", "/b", "/a"].iter().enumerate() {
        writeln!(file, "{}", visit("s1", url, t0 + i as f64)).unwrap();
    }
    file.flush().unwrap();
    // Three evaluations, none a fire: the config has no ping-pong trigger.
    let evaluated = || records(&std::fs::read_to_string(&out_path).unwrap()).len() >= 3;
    let deadline = Instant::now() + Duration::from_secs(30);
    while !evaluated() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    let before = records(&std::fs::read_to_string(&out_path).unwrap());
    assert!(before.len() >= 3, "{}", std::fs::read_to_string(&err_path).unwrap());
    assert!(before.iter().all(|r| r["kind"] == "evaluation"), "{before:?}");

    std::thread::sleep(Duration::from_millis(1100)); // a new modification time
    std::fs::write(&config, builtins_config(&["user_page_dwell", "canonical_url_ping_pong"])).unwrap();
    assert!(wait_for(&err_path, "applies from the next evaluation"), "{}", std::fs::read_to_string(&err_path).unwrap());
    let notice = std::fs::read_to_string(&err_path).unwrap();
    assert!(notice.contains("to 1 live session"), "{notice}");
    writeln!(file, "{}", visit("s1", "/b", t0 + 3.0)).unwrap();
    file.flush().unwrap();
    assert!(wait_for(&out_path, "\"kind\": \"fire\""), "no fire: {}", std::fs::read_to_string(&err_path).unwrap());
    // SAFETY: a plain signal to the child this test started.
    unsafe {
        libc::kill(child.0.id() as i32, libc::SIGINT);
    }
    assert_eq!(child.0.wait().unwrap().code(), Some(130));
    let all = records(&std::fs::read_to_string(&out_path).unwrap());
    let fire = all.iter().position(|r| r["kind"] == "fire").unwrap();
    assert_eq!(all[fire]["trigger_id"], "canonical_url_ping_pong");
    assert_eq!(all[fire]["session_id"], "s1");
    let ends: Vec<usize> = all.iter().enumerate().filter(|(_, r)| r["kind"] == "session_end").map(|(i, _)| i).collect();
    assert_eq!(ends.len(), 1, "{all:?}");
    assert!(ends[0] > fire);
    assert_eq!(all[ends[0]]["fires"], 1);
}

/// The focus flags of simulate choose what watch prints, with simulate's meaning: on a
/// fixture read to its end, watch prints exactly the records simulate prints with the same
/// flags.
#[test]
fn watch_prints_what_the_focus_flags_of_simulate_keep() {
    let dir = fixture("simulate/diff-200120");
    let simulate_args = split_args(&std::fs::read_to_string(dir.join("args.txt")).unwrap());
    let simulate = |focus: &[String]| {
        let output = autoplay()
            .args(["triggers", "simulate", "--format", "json", "--config"])
            .arg(dir.join("config.json"))
            .arg("--events")
            .arg(dir.join("events.jsonl"))
            .args(&simulate_args)
            .args(focus)
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        records(&String::from_utf8_lossy(&output.stdout))
    };
    let all = simulate(&[]);
    let fire = all.iter().find(|r| r["kind"] == "fire").expect("a fire");
    let (session, trigger) = (fire["session_id"].as_str().unwrap(), fire["trigger_id"].as_str().unwrap());
    let focuses: Vec<Vec<String>> = vec![
        vec!["--kind".into(), "fire,session_end".into()],
        vec!["--session".into(), session.into()],
        vec!["--trigger".into(), trigger.into(), "--to".into(), "120".into()],
        vec!["--kind".into(), "evaluation".into(), "--from".into(), "30".into()],
    ];
    for focus in focuses {
        let expected = simulate(&focus);
        assert!(!expected.is_empty(), "{focus:?} selects nothing");
        assert!(expected.len() < all.len(), "{focus:?} selects everything");
        let watch = autoplay()
            .args(["triggers", "watch", "--format", "json", "--config"])
            .arg(dir.join("config.json"))
            .args(["--events", "-"])
            .args(watch_args(&dir))
            .args(&focus)
            .pipe_stdin(dir.join("events.jsonl"))
            .unwrap()
            .timeout(Duration::from_secs(60))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&watch.stderr);
        assert!(watch.status.success(), "{focus:?}: {stderr}");
        compare(&expected, &records(&String::from_utf8_lossy(&watch.stdout)))
            .unwrap_or_else(|e| panic!("{focus:?}: {e}"));
        // The summary still counts every fire.
        let fires = all.iter().filter(|r| r["kind"] == "fire").count();
        assert!(stderr.contains("summary") && stderr.contains(&format!("{fires} fires")), "{stderr}");
    }
    let bad = autoplay()
        .args(["triggers", "watch", "--config"])
        .arg(dir.join("config.json"))
        .args(["--events", "-", "--kind", "fires"])
        .write_stdin("")
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("not a record kind"));
}

/// A followed recording is read with the limit of a recording line: a longer line (and a line
/// that is not UTF-8) is skipped with a warning, memory does not grow with it, and the events
/// after it are decided.
#[test]
fn an_overlong_or_non_utf8_line_is_skipped_and_the_watch_goes_on() {
    let tmp = tempfile::tempdir().unwrap();
    let source = fixture("simulate/worked-example");
    let mut input = vec![b'a'; 17 << 20];
    input.extend_from_slice(b"\n\xff\xfe\n");
    input.extend_from_slice(&std::fs::read(source.join("events.jsonl")).unwrap());
    let output = autoplay()
        .args(["triggers", "watch", "--format", "json", "--events", "-", "--config"])
        .arg(source.join("config.json"))
        .env("AUTOPLAY_CONFIG_DIR", tmp.path().join("cfg"))
        .write_stdin(input)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("skipped a line longer than 16 MiB"), "{stderr}");
    assert!(stderr.contains("skipped a line that is not UTF-8"), "{stderr}");
    let expected = records(&std::fs::read_to_string(source.join("expected.jsonl")).unwrap());
    compare(&expected, &records(&String::from_utf8_lossy(&output.stdout))).unwrap();
}
