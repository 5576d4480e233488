//! Throughput of the full live path: `autoplay serve --speed max` → HTTP → SSE parsing →
//! JSON decoding → filter → NDJSON on stdout, read here from a pipe.
//!
//! Run: `cargo build --release && cargo run --release --example bench_stream -- [EVENTS] [--python PY]`
//!
//! It writes a recording of 100,000 one-action events, serves it in a loop (so memory on
//! both sides stays flat however many events go by), tails EVENTS of them (default
//! 2,000,000) and prints events per second and the tail process's resident memory over
//! time. With `--python PY` (an interpreter with `autoplay-sdk` installed) it then runs the
//! SDK's `ConnectorClient` against the same server with `scripts/bench_sdk_client.py`.

// Benchmarks print their figures; that is their whole output.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const RECORDING_EVENTS: usize = 100_000;
const KEY: &str = "bench_key_0123456789";

fn main() {
    let mut args = std::env::args().skip(1);
    let mut events: u64 = 2_000_000;
    let mut python: Option<String> = None;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--python" => python = args.next(),
            number => events = number.replace('_', "").parse().expect("EVENTS is a number"),
        }
    }
    let binary = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/release/autoplay");
    assert!(binary.exists(), "build the release binary first: cargo build --release");

    let dir = tempfile::tempdir().expect("temp dir");
    let recording = dir.path().join("bench.jsonl");
    write_recording(&recording);

    let mut serve = Command::new(&binary)
        .args(["serve", "--port", "0", "--speed", "max", "--loop", "--heartbeat", "30", "--key", KEY])
        .arg("--replay")
        .arg(&recording)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("serve starts");
    let mut address = String::new();
    BufReader::new(serve.stdout.take().expect("stdout")).read_line(&mut address).expect("address");
    let url = format!("{}/stream/bench", address.trim());

    println!("autoplay tail: {events} one-action events from {url}");
    let started = Instant::now();
    let mut tail = Command::new(&binary)
        .args(["tail", "--format", "json", "--url", &url, "--max-events", &events.to_string(), "--type", "actions"])
        .env("AUTOPLAY_APP_UNKEY_TOKEN", KEY)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("tail starts");
    let pid = tail.id();
    let mut stdout = tail.stdout.take().expect("stdout");
    let reader = std::thread::spawn(move || {
        let mut buffer = vec![0u8; 1 << 20];
        let (mut bytes, mut lines) = (0u64, 0u64);
        loop {
            let read = stdout.read(&mut buffer).expect("read");
            if read == 0 {
                break;
            }
            bytes += read as u64;
            lines += memchr::memchr_iter(b'\n', &buffer[..read]).count() as u64;
        }
        (bytes, lines)
    });
    let mut samples = Vec::new();
    let mut next_sample = Instant::now();
    while tail.try_wait().expect("wait").is_none() {
        if Instant::now() >= next_sample {
            if let Some(rss) = rss_kib(pid) {
                samples.push((started.elapsed().as_secs_f64(), rss));
            }
            next_sample += Duration::from_secs(1);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let elapsed = started.elapsed().as_secs_f64();
    let (bytes, lines) = reader.join().expect("reader");
    assert_eq!(lines, events, "every event arrives");
    println!(
        "  {lines} events, {:.1} MB in {elapsed:.2} s: {:.0} events/s",
        bytes as f64 / 1e6,
        lines as f64 / elapsed
    );
    let rss: Vec<String> = samples.iter().map(|(t, kib)| format!("{t:.0}s:{:.1}MB", *kib as f64 / 1024.0)).collect();
    println!("  tail RSS over time: {}", rss.join(" "));

    if let Some(python) = python {
        let script = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scripts/bench_sdk_client.py");
        let sdk_events = (events / 10).max(10_000);
        println!("autoplay-sdk ConnectorClient: {sdk_events} events from the same server");
        let output =
            Command::new(python).arg(script).args([&url, KEY, &sdk_events.to_string()]).output().expect("python runs");
        std::io::stdout().write_all(&output.stdout).ok();
        std::io::stderr().write_all(&output.stderr).ok();
    }
    let _ = serve.kill();
    let _ = serve.wait();
}

/// One-action `actions` events for product `bench`, as the connector sends them.
fn write_recording(path: &std::path::Path) {
    let mut file = std::io::BufWriter::new(std::fs::File::create(path).expect("create recording"));
    for i in 0..RECORDING_EVENTS {
        let t = 1_767_225_600.0 + i as f64 * 0.5;
        writeln!(
            file,
            r#"{{"type":"actions","product_id":"bench","session_id":"ps_{s:05}","user_id":"u_{s:05}","email":"user{s}@example.com","actions":[{{"index":0,"type":"click","title":"Click Export CSV","description":"User clicked Export CSV on the Reports page","timestamp_start":{t},"timestamp_end":{t},"raw_url":"https://app.acme.dev/reports?range=30d","canonical_url":"https://app.acme.dev/reports","session_id":"ps_{s:05}","user_id":"u_{s:05}","email":"user{s}@example.com"}}],"count":1,"forwarded_at":{f}}}"#,
            s = i % 20_000,
            f = t + 0.4,
        )
        .expect("write recording");
    }
}

fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find_map(|line| line.strip_prefix("VmRSS:")?.trim().strip_suffix("kB")?.trim().parse().ok())
}
