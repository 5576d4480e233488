//! Single-thread cost of reading recording lines: the line reader's scanner alone, the
//! simulator's reading of a line through the scanner (what `autoplay triggers simulate` takes
//! for plain lines) and through serde_json (what it takes for every other line), and the
//! `sessions list` aggregation of each line, over the same lines.
//!
//! Run: `cargo run --release --example bench_recording_lines -- RECORDING.jsonl`
//! (e.g. one written by `autoplay generate --sessions 20000 --actions 1000000`).

use std::time::Instant;

use autoplay::event::line::{self, ReadPath};
use autoplay::triggers::sim_lines::{LineOutcome, LineScratch, parse_line_by};

fn main() {
    let path = std::env::args().nth(1).expect("usage: bench_recording_lines RECORDING.jsonl");
    let text = std::fs::read_to_string(&path).expect("a readable UTF-8 recording");
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let mb = text.len() as f64 / 1e6;
    println!("{} lines, {mb:.0} MB", lines.len());

    let started = Instant::now();
    let mut scanned = 0usize;
    {
        let mut scratch = line::LineScratch::new();
        for text in &lines {
            scanned += usize::from(line::read_by(text, &mut scratch, ReadPath::ScannerOnly).is_some());
        }
    }
    report("scanner only", scanned, mb, started);

    for (name, path) in [("scanner path", ReadPath::Fast), ("serde path  ", ReadPath::Reference)] {
        let mut scratch = LineScratch::new();
        let started = Instant::now();
        let mut events = 0usize;
        for (i, line) in lines.iter().enumerate() {
            if let Some(Ok(LineOutcome::Event(_))) = parse_line_by(i + 1, line, &mut scratch, path) {
                events += 1;
            }
        }
        report(name, events, mb, started);
    }
}

fn report(name: &str, events: usize, mb: f64, started: Instant) {
    let secs = started.elapsed().as_secs_f64();
    println!("{name}: {events} events in {secs:.3} s: {:.0} MB/s, {:.0} lines/s", mb / secs, events as f64 / secs);
}
