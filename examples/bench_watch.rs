//! Benchmark of `autoplay triggers watch` (not a test): the live engine fed by the local
//! connector.
//!
//! ```sh
//! cargo build --release && cargo run --release --example bench_watch [-- ACTIONS SESSIONS]
//! ```
//!
//! 1. Throughput: `autoplay generate` writes a recording of ACTIONS actions (default
//!    1,000,000) over SESSIONS sessions (default 20,000); `serve --replay --speed max` serves
//!    it and `watch --clock event --format json > /dev/null` takes every frame. Prints actions
//!    per second and the watcher's peak RSS.
//! 2. Latency: the same recording served at 1,000 frames per second (paced by `serve`),
//!    watched with `--clock wall --explain`: every `actions` frame gives an `evaluation` (or a
//!    fire) stamped with the time the frame arrived; this reader stamps each line as it reads
//!    it. Prints p50/p99/max of the difference.

// Benchmarks print their figures; that is their whole output.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

const KEY: &str = "bench_key_0123456789";

const CONFIG: &str = r#"[{
  "product_id": "bench",
  "integration_config": {
    "interaction_timeout_s": 20, "cooldown_period_s": 60,
    "proactive_triggers": {
      "builtins": [
        {"id": "user_page_dwell", "name": "Dwell", "description": "Lingering", "triggering_type": "instant_trigger"},
        {"id": "canonical_url_ping_pong", "name": "Ping-pong", "description": "Bouncing", "triggering_type": "instant_trigger"}
      ],
      "dwell_threshold_seconds": 45, "user_page_dwell_max_actions": 3
    }
  }
}]"#;

fn binary() -> PathBuf {
    let exe = std::env::current_exe().expect("current exe");
    exe.parent()
        .and_then(Path::parent)
        .map(|p| p.join("autoplay"))
        .filter(|p| p.exists())
        .expect("build the binary first: cargo build --release")
}

fn serve(bin: &Path, recording: &Path, speed: &str) -> (Child, String) {
    let mut child = Command::new(bin)
        .args(["serve", "--port", "0", "--any-product", "--key", KEY, "--speed", speed, "--replay"])
        .arg(recording)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("serve starts");
    let mut address = String::new();
    BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut address).expect("address");
    (child, format!("{}/stream/bench", address.trim()))
}

fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find(|l| l.starts_with("VmHWM:"))?.split_whitespace().nth(1)?.parse().ok()
}

fn unix_now() -> f64 {
    SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64())
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let actions: u64 = args.first().map_or(1_000_000, |s| s.replace('_', "").parse().expect("ACTIONS"));
    let sessions: u64 = args.get(1).map_or(20_000, |s| s.replace('_', "").parse().expect("SESSIONS"));
    let bin = binary();
    let dir = tempfile::tempdir().expect("temp dir");
    let (config, recording) = (dir.path().join("products.json"), dir.path().join("rec.jsonl"));
    std::fs::write(&config, CONFIG).expect("config");
    let generated = Command::new(&bin)
        .args(["generate", "--product", "bench", "--sessions", &sessions.to_string()])
        .args(["--actions", &actions.to_string(), "--output"])
        .arg(&recording)
        .status()
        .expect("generate");
    assert!(generated.success(), "generate failed");
    let text = std::fs::read_to_string(&recording).expect("recording");
    let frames = text.lines().filter(|l| !l.trim().is_empty()).count();
    let total_actions: usize = text
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .map(|v| v["actions"].as_array().map_or(0, Vec::len))
        .sum();
    drop(text);
    println!("recording: {frames} frames, {total_actions} actions, {sessions} sessions");

    // 1. Throughput on the event clock.
    let (mut server, url) = serve(&bin, &recording, "max");
    let started = Instant::now();
    let mut watch = Command::new(&bin)
        .args(["triggers", "watch", "--format", "json", "--clock", "event", "--config"])
        .arg(&config)
        .args(["--url", &url, "--max-events", &frames.to_string()])
        .env("AUTOPLAY_APP_UNKEY_TOKEN", KEY)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("watch starts");
    let pid = watch.id();
    let mut peak = 0;
    let status = loop {
        if let Some(kib) = peak_rss_kib(pid) {
            peak = peak.max(kib);
        }
        if let Some(status) = watch.try_wait().expect("wait") {
            break status;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let elapsed = started.elapsed();
    let _ = server.kill();
    let _ = server.wait();
    assert!(status.success(), "watch failed: {status}");
    println!(
        "watch --clock event: {elapsed:.2?}, {:.0} actions/s ({:.0} frames/s), peak RSS {:.0} MB",
        total_actions as f64 / elapsed.as_secs_f64(),
        frames as f64 / elapsed.as_secs_f64(),
        peak as f64 / 1024.0
    );

    // 2. Latency on the wall clock at about 1,000 frames per second. The recording's own
    // pace is sped up so that its frames come at that rate on average.
    let span = {
        let text = std::fs::read_to_string(&recording).expect("recording");
        let times: Vec<f64> = text
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter_map(|v| v["forwarded_at"].as_f64())
            .collect();
        times.iter().copied().fold(f64::MIN, f64::max) - times.iter().copied().fold(f64::MAX, f64::min)
    };
    let sample = frames.min(10_000);
    let speed = (span / frames as f64 * 1000.0).max(1.0);
    let (mut server, url) = serve(&bin, &recording, &format!("{speed:.3}"));
    let mut watch = Command::new(&bin)
        .args(["triggers", "watch", "--format", "json", "--clock", "wall", "--explain", "--config"])
        .arg(&config)
        .args(["--url", &url, "--max-events", &sample.to_string()])
        .env("AUTOPLAY_APP_UNKEY_TOKEN", KEY)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("watch starts");
    let reader = BufReader::new(watch.stdout.take().expect("stdout"));
    let started = Instant::now();
    let mut latencies: Vec<f64> = Vec::new();
    for line in reader.lines() {
        let Ok(line) = line else { break };
        let now = unix_now();
        let Ok(record) = serde_json::from_str::<serde_json::Value>(&line) else { continue };
        let at_frame = record["kind"] == "fire" || (record["kind"] == "evaluation" && record["point"] == "actions");
        if at_frame && let Some(ts) = record["ts"].as_f64() {
            latencies.push((now - ts) * 1000.0);
        }
    }
    let elapsed = started.elapsed();
    let _ = watch.wait();
    let _ = server.kill();
    let _ = server.wait();
    latencies.sort_by(f64::total_cmp);
    let pick = |q: f64| latencies.get(((latencies.len() as f64 - 1.0) * q) as usize).copied().unwrap_or(f64::NAN);
    println!(
        "watch --clock wall: {} frame records over {elapsed:.1?} ({:.0} frames/s): latency p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        latencies.len(),
        sample as f64 / elapsed.as_secs_f64(),
        pick(0.5),
        pick(0.99),
        pick(1.0)
    );
}
