//! The Redis event buffer: member bodies byte-identical to the SDK's (fixtures written by
//! the Python SDK's `RedisEventBuffer`), and, against a real `redis-server` started on a
//! free port, the sink, `--from redis://`, `sessions drain`, the window trim and corrupt
//! members. Without `redis-server` on PATH those tests print that they were skipped.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use autoplay::stream::redis::{self as redis_buffer, RedisSink};
use serde_json::{Map, Value};

use crate::support::{autoplay, fixture};

/// A throwaway `redis-server`, stopped when dropped.
struct RedisServer {
    child: Child,
    port: u16,
}

impl RedisServer {
    /// Starts one, or returns `None` (after saying so) when the binary is missing.
    fn start(test: &str) -> Option<RedisServer> {
        let port = TcpListener::bind("127.0.0.1:0").ok()?.local_addr().ok()?.port();
        let child = match Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
        {
            Ok(child) => child,
            Err(_) => {
                eprintln!("{test}: skipped (redis-server is not installed)");
                return None;
            }
        };
        let server = RedisServer { child, port };
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "redis-server did not start on port {port}");
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(server)
    }

    fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/0", self.port)
    }

    fn connection(&self) -> redis::Connection {
        redis::Client::open(self.url()).unwrap().get_connection().unwrap()
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn events() -> Vec<Map<String, Value>> {
    std::fs::read_to_string(fixture("redis/events.jsonl"))
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str::<Map<String, Value>>(l).unwrap())
        .collect()
}

/// (session, score, member) written by the Python SDK 0.7.3 for `events.jsonl`.
fn sdk_members() -> Vec<(String, f64, String)> {
    std::fs::read_to_string(fixture("redis/sdk_members.jsonl"))
        .unwrap()
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            (v["session"].as_str().unwrap().into(), v["score"].as_f64().unwrap(), v["member"].as_str().unwrap().into())
        })
        .collect()
}

#[test]
fn member_bodies_are_byte_identical_to_the_sdk() {
    let mut ours: Vec<(String, String)> = events()
        .iter()
        .filter_map(|d| redis_buffer::member_json(d).unwrap().map(|body| (redis_buffer::member_session(d), body)))
        .collect();
    let mut theirs: Vec<(String, String)> = sdk_members()
        .into_iter()
        .map(|(session, _, member)| {
            assert!(member.as_bytes()[..8].iter().all(u8::is_ascii_hexdigit) && &member[8..9] == ":");
            (session, member[9..].to_string())
        })
        .collect();
    ours.sort();
    theirs.sort();
    assert_eq!(ours.len(), 31);
    assert_eq!(ours, theirs);
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
}

fn write_with_sink(url: &str, prefix: &str, window: f64) {
    runtime().block_on(async {
        let mut sink = RedisSink::connect(url, prefix, window).await.unwrap();
        for data in events() {
            sink.add(&data).await.unwrap();
        }
    });
}

#[test]
fn our_sink_writes_the_sdk_layout_and_reads_back() {
    let Some(server) = RedisServer::start("our_sink_writes_the_sdk_layout_and_reads_back") else { return };
    write_with_sink(&server.url(), "ours", 1e9);
    let mut con = server.connection();
    let mut sessions: Vec<String> = redis::cmd("SMEMBERS").arg("autoplay:sdk:sessions:ours").query(&mut con).unwrap();
    sessions.sort();
    let mut expected: Vec<String> = sdk_members().into_iter().map(|(s, _, _)| s).collect();
    expected.sort();
    expected.dedup();
    assert_eq!(sessions, expected, "same session keys as the SDK, `_nosession` included");
    let members: Vec<(String, f64)> = redis::cmd("ZRANGE")
        .arg("autoplay:sdk:buffer:ours:s_cut")
        .arg(0)
        .arg(-1)
        .arg("WITHSCORES")
        .query(&mut con)
        .unwrap();
    assert_eq!(members.len(), 3);
    assert_eq!(members[0].1, 1714606830.0);
    assert!(members[0].0.as_bytes()[..8].iter().all(u8::is_ascii_hexdigit));
    assert!(members[0].0[8..].starts_with(r#":{"type":"actions","product_id":"acme","session_id":"s_cut""#));

    // Reading through --from redis:// gives the same context text as the file.
    let case = fixture("sessions/context-max-actions-cut");
    let expected = std::fs::read(case.join("expected.txt")).unwrap();
    autoplay()
        .args(["sessions", "context", "s_cut", "--from", &server.url(), "--prefix", "ours", "--max-actions", "3"])
        .assert()
        .success()
        .stdout(expected);
    // Reading does not consume.
    let size: u64 = redis::cmd("ZCARD").arg("autoplay:sdk:buffer:ours:s_cut").query(&mut con).unwrap();
    assert_eq!(size, 3);
}

#[test]
fn sdk_written_members_read_and_drain_in_score_order() {
    let Some(server) = RedisServer::start("sdk_written_members_read_and_drain_in_score_order") else { return };
    let mut con = server.connection();
    let members = sdk_members();
    for (session, score, member) in &members {
        let _: () = redis::cmd("SADD").arg("autoplay:sdk:sessions:sdk").arg(session).query(&mut con).unwrap();
        let key = format!("autoplay:sdk:buffer:sdk:{session}");
        let _: () = redis::cmd("ZADD").arg(&key).arg(score).arg(member).query(&mut con).unwrap();
    }
    let _: () = redis::cmd("ZADD")
        .arg("autoplay:sdk:buffer:sdk:s_cut")
        .arg(1.0)
        .arg("0badf00d:{not json")
        .query(&mut con)
        .unwrap();

    autoplay()
        .args(["sessions", "context", "s_multi", "--from", &server.url(), "--prefix", "sdk", "--product", "acme"])
        .assert()
        .success()
        .stdout(std::fs::read(fixture("sessions/context-scoped-acme/expected.txt")).unwrap());

    let out = autoplay().args(["sessions", "drain", "--from", &server.url(), "--prefix", "sdk"]).assert().success();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(stderr.contains("skipped 1 corrupt"), "{stderr}");
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), members.len());
    let mut by_score: Vec<&(String, f64, String)> = members.iter().collect();
    by_score.sort_by(|a, b| a.1.partial_cmp(&b.1).unwrap());
    let scores: Vec<f64> = lines
        .iter()
        .map(|l| members.iter().find(|(_, _, m)| &m[9..] == *l).map(|(_, s, _)| *s).expect("a body the SDK wrote"))
        .collect();
    assert!(scores.windows(2).all(|w| w[0] <= w[1]), "score order");
    // Consumed: the keys are gone and a second drain prints nothing.
    let exists: u64 = redis::cmd("EXISTS").arg("autoplay:sdk:sessions:sdk").query(&mut con).unwrap();
    assert_eq!(exists, 0);
    let keys: Vec<String> = redis::cmd("KEYS").arg("autoplay:sdk:buffer:sdk:*").query(&mut con).unwrap();
    assert!(keys.is_empty(), "{keys:?}");
    autoplay().args(["sessions", "drain", "--from", &server.url(), "--prefix", "sdk"]).assert().success().stdout("");
}

#[test]
fn the_writer_task_writes_in_order_and_reports() {
    let Some(server) = RedisServer::start("the_writer_task_writes_in_order_and_reports") else { return };
    let url = server.url();
    let report = runtime().block_on(async {
        let writer = RedisSink::connect(&url, "task", 1e9).await.unwrap().spawn_writer();
        for data in events() {
            assert!(writer.send(data));
        }
        let bad = serde_json::json!({"type": "actions", "actions": "ab"});
        assert!(writer.send(bad.as_object().unwrap().clone()));
        writer.finish().await.unwrap()
    });
    assert_eq!(report, redis_buffer::SinkReport { written: 31, other_types: 2, rejected: 1, dropped: 0 });
    autoplay()
        .args(["sessions", "user", "u_idx", "--from", &url, "--prefix", "task", "--at", "1714606867"])
        .assert()
        .success();
}

#[test]
fn the_window_trims_from_the_payloads_own_time() {
    let Some(server) = RedisServer::start("the_window_trims_from_the_payloads_own_time") else { return };
    let url = server.url();
    runtime().block_on(async {
        let mut sink = RedisSink::connect(&url, "w", 120.0).await.unwrap();
        // The trim bound is inclusive: at 1220 with a 120 s window, 1100 goes and 1100.5 stays.
        for (at, text) in [(1000.0, "old"), (1100.0, "edge"), (1100.5, "inside"), (1220.0, "new")] {
            let data = serde_json::json!({"type": "summary", "session_id": "s", "summary": text, "forwarded_at": at});
            sink.add(data.as_object().unwrap()).await.unwrap();
        }
        let other = serde_json::json!({"type": "usertour_trigger", "session_id": "s"});
        assert!(!sink.add(other.as_object().unwrap()).await.unwrap(), "other types are not written");
        assert_eq!(sink.size().await.unwrap(), 2);
    });
    let out = autoplay().args(["sessions", "drain", "--from", &url, "--prefix", "w"]).assert().success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(!stdout.contains("\"old\"") && !stdout.contains("\"edge\""), "{stdout}");
    assert!(stdout.contains("\"inside\"") && stdout.contains("\"new\""), "{stdout}");
}

#[test]
fn unreachable_redis_exits_1_with_a_clear_error() {
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let url = format!("redis://127.0.0.1:{port}");
    let out = autoplay().args(["sessions", "list", "--from", &url]).assert().code(1);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(stderr.contains("could not connect to Redis"), "{stderr}");
    autoplay().args(["sessions", "drain", "--from", &url]).assert().code(1);
    let err = runtime().block_on(RedisSink::connect(&url, "p", 120.0)).err().expect("no server");
    assert!(err.to_string().contains("could not connect to Redis"));
}

#[test]
fn tail_sink_buffers_every_received_payload_for_sessions() {
    let Some(server) = RedisServer::start("tail_sink_buffers_every_received_payload_for_sessions") else { return };
    let mut lines = crate::support::sample_events(9, "demo");
    lines.push(r#"{"type":"summary","product_id":"demo","session_id":"s0","summary":"Looked around","replaces":2,"forwarded_at":1010.0}"#.into());
    lines.push(r#"{"type":"usertour_trigger","product_id":"demo","flow_id":"f1","session_id":"s0"}"#.into());
    let (_dir, path) = crate::support::recording(&lines);
    let serve = crate::support::ServeProcess::start(&[
        "--replay",
        path.to_str().unwrap(),
        "--speed",
        "max",
        "--key",
        "k_0123456789abcdef",
    ]);
    let output = autoplay()
        .args([
            "tail",
            "--format",
            "json",
            "--url",
            &serve.stream_url("demo"),
            "--max-events",
            "1",
            "--type",
            "usertour_trigger",
        ])
        .args(["--sink", &server.url(), "--prefix", "tailed", "--window", "1000000"])
        .env("AUTOPLAY_APP_UNKEY_TOKEN", "k_0123456789abcdef")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("Redis buffer: 10 payloads written (1 of other types left out"), "{stderr}");
    // What tail buffered reads back through `sessions`, without being consumed.
    let listed = autoplay()
        .args(["sessions", "list", "--format", "json", "--from", &server.url(), "--prefix", "tailed"])
        .output()
        .unwrap();
    assert!(listed.status.success(), "{}", String::from_utf8_lossy(&listed.stderr));
    assert_eq!(String::from_utf8_lossy(&listed.stdout).lines().count(), 3, "sessions s0, s1, s2");
    let drained =
        autoplay().args(["sessions", "drain", "--from", &server.url(), "--prefix", "tailed"]).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&drained.stdout).lines().count(), 10);
}

#[test]
fn tail_sink_to_unreachable_redis_exits_1() {
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let output = autoplay()
        .args(["tail", "--url", "http://127.0.0.1:9/stream/demo", "--sink", &format!("redis://127.0.0.1:{port}")])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("could not connect to Redis"));
}
