//! Single-thread cost of reading recording lines for `autoplay triggers simulate`: the fast
//! scanner path (what the command takes for plain lines) against the serde_json path (what it
//! takes for every other line), over the same lines.
//!
//! Run: `cargo run --release --example bench_recording_lines -- RECORDING.jsonl`
//! (e.g. one written by `autoplay generate --sessions 20000 --actions 1000000`).

use std::time::Instant;

use autoplay::triggers::sim_lines::{
    LineOutcome, LineScratch, UrlTable, parse_line_serde_for_bench, parse_line_with, scan_for_bench,
};

fn main() {
    let path = std::env::args().nth(1).expect("usage: bench_recording_lines RECORDING.jsonl");
    let text = std::fs::read_to_string(&path).expect("a readable UTF-8 recording");
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let mb = text.len() as f64 / 1e6;
    println!("{} lines, {mb:.0} MB", lines.len());

    let started = Instant::now();
    let mut scanned = 0usize;
    {
        let mut scratch = LineScratch::new();
        for line in &lines {
            scanned += usize::from(scan_for_bench(line, &mut scratch));
        }
    }
    report("scanner only", scanned, mb, started);

    let mut scratch = LineScratch::new();
    let started = Instant::now();
    let mut events = 0usize;
    for (i, line) in lines.iter().enumerate() {
        if let Ok(LineOutcome::Event(_)) = parse_line_with(i + 1, line, &mut scratch) {
            events += 1;
        }
    }
    report("scanner path", events, mb, started);

    let started = Instant::now();
    let mut events = 0usize;
    let mut urls = UrlTable::default();
    for (i, line) in lines.iter().enumerate() {
        if let Ok(LineOutcome::Event(_)) = parse_line_serde_for_bench(i + 1, line, &mut urls) {
            events += 1;
        }
    }
    report("serde path  ", events, mb, started);
}

fn report(name: &str, events: usize, mb: f64, started: Instant) {
    let secs = started.elapsed().as_secs_f64();
    println!("{name}: {events} events in {secs:.3} s: {:.0} MB/s, {:.0} lines/s", mb / secs, events as f64 / secs);
}
