//! Benchmark of `autoplay triggers watch` (not a test): the live engine fed by the local
//! connector.
//!
//! ```sh
//! cargo build --release && cargo run --release --example bench_watch [-- ACTIONS SESSIONS [LONG]]
//! ```
//!
//! 1. The connector alone: `serve --replay --speed max` read by a bare socket reader that
//!    only counts frames (what the server can deliver; the server's CPU time too).
//! 2. Throughput: `autoplay generate` writes a recording of ACTIONS actions (default
//!    1,000,000) over SESSIONS sessions (default 20,000); `serve --replay --speed max` serves
//!    it and `watch --clock event --format json > /dev/null` takes every frame. Prints actions
//!    per second on the wall clock and per CPU second of the watcher, and the watcher's RSS
//!    sampled once a second (first, last, max).
//! 3. With LONG (e.g. 10_000_000): memory over a long stream. `autoplay generate` writes
//!    LONG actions over 10 times SESSIONS sessions straight into `watch --clock event
//!    --events -` (a pipe: no recording of gigabytes on disk or in a server), and the
//!    watcher's RSS is sampled once a second.
//! 4. Latency: `serve --synthetic --rate 1000` (1,000 evenly paced frames per second) watched
//!    with `--clock wall --explain`: every `actions` frame gives an `evaluation` (or a fire)
//!    stamped with the time its read arrived; this reader stamps each line as it reads it.
//!    Prints p50/p99/max of the difference.

// Benchmarks print their figures; that is their whole output.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::{BufRead, BufReader, Read, Write};
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

/// A `/proc/PID/status` figure in KiB (`VmRSS:`, `VmHWM:`).
fn status_kib(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find(|l| l.starts_with(field))?.split_whitespace().nth(1)?.parse().ok()
}

/// User + system CPU seconds of a live process.
fn cpu_seconds(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    // SAFETY: sysconf only reads a constant of the system.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64;
    Some(ticks / hz)
}

/// Waits for `child`, sampling its RSS once a second; returns whether it succeeded, its CPU
/// seconds (from the kernel's accounting of the ended process) and the RSS samples in KiB.
fn wait_sampling(child: Child) -> (bool, f64, Vec<u64>, u64) {
    let pid = child.id();
    let mut samples = Vec::new();
    let mut peak = 0;
    let mut next = Instant::now();
    loop {
        if Instant::now() >= next {
            if let Some(kib) = status_kib(pid, "VmRSS:") {
                samples.push(kib);
            }
            next += Duration::from_secs(1);
        }
        if let Some(kib) = status_kib(pid, "VmHWM:") {
            peak = kib;
        }
        let mut status = 0;
        // SAFETY: a zeroed rusage is a valid value for wait4 to fill in.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        // SAFETY: waits (without blocking) for the child this process started.
        let done = unsafe { libc::wait4(pid as i32, &mut status, libc::WNOHANG, &mut usage) };
        if done == pid as i32 {
            let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
            let cpu = secs(usage.ru_utime) + secs(usage.ru_stime);
            let ok = libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
            drop(child);
            return (ok, cpu, samples, peak);
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Reads the server's stream with a bare socket until `frames` data frames went by (or the
/// server closed); returns how many it saw.
fn count_frames(url: &str, frames: usize) -> usize {
    let rest = url.strip_prefix("http://").expect("an http URL");
    let (host, path) = rest.split_once('/').expect("a path");
    let mut socket = std::net::TcpStream::connect(host).expect("connect");
    write!(
        socket,
        "GET /{path} HTTP/1.0\r\nHost: {host}\r\nAuthorization: Bearer {KEY}\r\nAccept: text/event-stream\r\n\r\n"
    )
    .expect("request");
    let mut buffer = vec![0u8; 256 * 1024];
    let (mut seen, mut last) = (0, 0u8);
    while seen < frames {
        let n = match socket.read(&mut buffer) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        // A frame ends with an empty line: count "\n\n" (across reads too).
        for &b in &buffer[..n] {
            if b == b'\n' && last == b'\n' {
                seen += 1;
            }
            if b != b'\r' {
                last = b;
            }
        }
    }
    seen
}

fn summary(samples: &[u64]) -> String {
    let mb = |k: u64| k as f64 / 1024.0;
    match (samples.first(), samples.last(), samples.iter().max()) {
        (Some(first), Some(last), Some(max)) => {
            format!(
                "RSS once a second: first {:.0} MB, last {:.0} MB, max {:.0} MB ({} samples)",
                mb(*first),
                mb(*last),
                mb(*max),
                samples.len()
            )
        }
        _ => "RSS: no samples".into(),
    }
}

fn unix_now() -> f64 {
    SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64())
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let actions: u64 = args.first().map_or(1_000_000, |s| s.replace('_', "").parse().expect("ACTIONS"));
    let sessions: u64 = args.get(1).map_or(20_000, |s| s.replace('_', "").parse().expect("SESSIONS"));
    let long: Option<u64> = args.get(2).map(|s| s.replace('_', "").parse().expect("LONG"));
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

    // 1. The connector alone.
    let (mut server, url) = serve(&bin, &recording, "max");
    let started = Instant::now();
    // The opening comment and heartbeats are frames too: a few more than the events.
    let seen = count_frames(&url, frames + 1);
    let elapsed = started.elapsed();
    let serve_cpu = cpu_seconds(server.id()).unwrap_or(f64::NAN);
    let _ = server.kill();
    let _ = server.wait();
    println!(
        "serve --replay --speed max alone: {seen} frames in {elapsed:.2?}: {:.0} actions/s ({:.0} frames/s); serve CPU {serve_cpu:.2} s",
        total_actions as f64 / elapsed.as_secs_f64(),
        seen as f64 / elapsed.as_secs_f64(),
    );

    // 2. Throughput on the event clock.
    let (mut server, url) = serve(&bin, &recording, "max");
    let started = Instant::now();
    let watch = Command::new(&bin)
        .args(["triggers", "watch", "--format", "json", "--clock", "event", "--config"])
        .arg(&config)
        .args(["--url", &url, "--max-events", &frames.to_string()])
        .env("AUTOPLAY_APP_UNKEY_TOKEN", KEY)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("watch starts");
    let (ok, cpu, samples, peak) = wait_sampling(watch);
    let elapsed = started.elapsed();
    let serve_cpu = cpu_seconds(server.id()).unwrap_or(f64::NAN);
    let _ = server.kill();
    let _ = server.wait();
    assert!(ok, "watch failed");
    let (actions, served) = (total_actions as f64, frames as f64);
    println!(
        "watch --clock event: {elapsed:.2?}, {:.0} actions/s ({:.0} frames/s); watch CPU {cpu:.2} s ({:.0} actions per CPU second), serve CPU {serve_cpu:.2} s",
        actions / elapsed.as_secs_f64(),
        served / elapsed.as_secs_f64(),
        actions / cpu,
    );
    println!("watch memory: {}; peak {:.0} MB", summary(&samples), peak as f64 / 1024.0);

    // 3. Memory over a long stream, from a pipe.
    if let Some(long) = long {
        let mut generator = Command::new(&bin)
            .args(["generate", "--product", "bench", "--sessions", &(sessions * 10).to_string()])
            .args(["--actions", &long.to_string()])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("generate starts");
        let started = Instant::now();
        let watch = Command::new(&bin)
            .args(["triggers", "watch", "--format", "json", "--clock", "event", "--events", "-", "--config"])
            .arg(&config)
            .stdin(generator.stdout.take().expect("stdout"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("watch starts");
        let (ok, cpu, samples, peak) = wait_sampling(watch);
        let _ = generator.wait();
        assert!(ok, "watch failed");
        println!(
            "watch --events - over {long} actions ({} sessions): {:.1?}, watch CPU {cpu:.1} s; {}; peak {:.0} MB",
            sessions * 10,
            started.elapsed(),
            summary(&samples),
            peak as f64 / 1024.0
        );
    }

    // 4. Latency on the wall clock at 1,000 frames per second, evenly paced.
    let sample: usize = 10_000;
    let mut server = Command::new(&bin)
        .args(["serve", "--port", "0", "--key", KEY, "--product", "bench", "--synthetic"])
        .args(["--sessions", "200", "--rate", "1000"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("serve starts");
    let mut address = String::new();
    BufReader::new(server.stdout.take().expect("stdout")).read_line(&mut address).expect("address");
    let url = format!("{}/stream/bench", address.trim());
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
        "watch --clock wall: {sample} frames over {elapsed:.1?} ({:.0} frames/s), {} frame records: latency p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        sample as f64 / elapsed.as_secs_f64(),
        latencies.len(),
        pick(0.5),
        pick(0.99),
        pick(1.0)
    );
}
