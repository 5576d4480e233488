//! Benchmark for `autoplay sessions` (not a test): writes a recording of 1,000,000 actions
//! in 20,000 interleaved sessions (connector-shaped payloads, 1–8 actions per batch) and
//! times `sessions list` and `sessions context` over it with the release binary, printing
//! wall time and peak RSS (via `/usr/bin/time -v` when present).
//!
//! ```sh
//! cargo build --release && cargo run --release --example bench_sessions [-- DIR]
//! ```

// Benchmarks print their figures; that is their whole output.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const SESSIONS: usize = 20_000;
const ACTIONS: usize = 1_000_000;
const PAGES: [&str; 12] = [
    "/dashboard",
    "/deals",
    "/deals/:id",
    "/contacts",
    "/contacts/:id",
    "/reports",
    "/reports/:id",
    "/settings/billing",
    "/settings/team",
    "/settings/team/invite",
    "/forecast",
    "/inbox",
];
const KINDS: [&str; 4] = ["pageview", "click", "submit", "input"];

fn write_recording(path: &Path) -> std::io::Result<(usize, String)> {
    let mut rng = StdRng::seed_from_u64(7);
    let mut out = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    // Each session gets 50 actions on average; sessions start staggered and interleave.
    let per_session = ACTIONS / SESSIONS;
    let mut remaining: Vec<usize> = vec![per_session; SESSIONS];
    let mut next_index = vec![0usize; SESSIONS];
    let mut written = 0usize;
    let mut lines = 0usize;
    let mut clock = 1_714_600_000.0f64;
    let mut active: Vec<usize> = Vec::new();
    let mut next_session = 0usize;
    let mut line = String::with_capacity(4096);
    while written < ACTIONS {
        while active.len() < 400 && next_session < SESSIONS {
            active.push(next_session);
            next_session += 1;
        }
        let slot = rng.random_range(0..active.len());
        let s = active[slot];
        let n = rng.random_range(1..=8usize).min(remaining[s]);
        clock += rng.random_range(0.0..0.02);
        let (product, user) = (if s.is_multiple_of(10) { "globex" } else { "acme" }, s / 2);
        line.clear();
        write!(
            line,
            r#"{{"type":"actions","product_id":"{product}","session_id":"ps_{s:05}","user_id":"u_{user}","email":"user{user}@example.com","actions":["#
        )
        .unwrap();
        for i in 0..n {
            let page = PAGES[rng.random_range(0..PAGES.len())];
            let kind = KINDS[rng.random_range(0..KINDS.len())];
            let index = next_index[s];
            next_index[s] += 1;
            if i > 0 {
                line.push(',');
            }
            write!(
                line,
                r#"{{"index":{index},"type":"{kind}","title":"Page {page}","description":"User did {kind} number {index} on {page}","canonical_url":"https://app.example.com{page}","raw_url":"https://app.example.com{page}?ref=nav&i={index}","timestamp_start":{clock:.3},"timestamp_end":{end:.3},"session_id":"ps_{s:05}","user_id":"u_{user}","email":"user{user}@example.com"}}"#,
                end = clock + 1.5
            )
            .unwrap();
        }
        write!(line, r#"],"count":{n},"forwarded_at":{clock:.3}}}"#).unwrap();
        line.push('\n');
        out.write_all(line.as_bytes())?;
        lines += 1;
        written += n;
        remaining[s] -= n;
        if remaining[s] == 0 {
            active.swap_remove(slot);
            if rng.random_bool(0.5) {
                writeln!(
                    out,
                    r#"{{"type":"summary","product_id":"{product}","session_id":"ps_{s:05}","summary":"User worked through deals and reports.","replaces":{per_session},"forwarded_at":{clock:.3}}}"#
                )?;
                lines += 1;
            }
        }
    }
    out.flush()?;
    Ok((lines, "ps_10001".to_string()))
}

fn run(binary: &Path, args: &[&str]) {
    let timed = Path::new("/usr/bin/time").exists();
    let mut command = if timed {
        let mut c = Command::new("/usr/bin/time");
        c.arg("-v").arg(binary);
        c
    } else {
        Command::new(binary)
    };
    let started = Instant::now();
    let output = command.args(args).stdout(Stdio::piped()).stderr(Stdio::piped()).output().expect("runs");
    let elapsed = started.elapsed();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let rss = stderr
        .lines()
        .find_map(|l| l.trim().strip_prefix("Maximum resident set size (kbytes): "))
        .and_then(|kb| kb.trim().parse::<f64>().ok())
        .map(|kb| format!("{:.0} MB", kb / 1024.0))
        .unwrap_or_else(|| "n/a".into());
    let lines = output.stdout.iter().filter(|b| **b == b'\n').count();
    println!(
        "autoplay {}\n  exit {:?}, {lines} stdout lines, wall {:.3} s, peak RSS {rss}",
        args.join(" "),
        output.status.code(),
        elapsed.as_secs_f64()
    );
}

fn main() {
    let dir = std::env::args().nth(1).map(PathBuf::from).unwrap_or_else(std::env::temp_dir);
    let binary = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/release/autoplay");
    if !binary.exists() {
        eprintln!("build the release binary first: cargo build --release");
        std::process::exit(2);
    }
    let path = dir.join("autoplay-bench-1m.jsonl");
    let started = Instant::now();
    let (lines, session) = write_recording(&path).expect("writes the recording");
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    println!(
        "recording: {} ({lines} lines, {ACTIONS} actions, {SESSIONS} sessions, {:.0} MB) written in {:.1} s",
        path.display(),
        size as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    let from = path.to_string_lossy().to_string();
    // Warm the page cache once so both commands read from memory.
    let _ = std::fs::read(&path);
    run(&binary, &["sessions", "list", "--from", &from, "--format", "json"]);
    run(&binary, &["sessions", "context", &session, "--from", &from, "--product", "acme"]);
    run(&binary, &["sessions", "context", &session, "--from", &from, "--lookback", "300", "--max-actions", "20"]);
    run(&binary, &["sessions", "stats", "--from", &from, "--format", "json"]);
    if std::env::var_os("BENCH_KEEP").is_none() {
        let _ = std::fs::remove_file(&path);
    }
}
