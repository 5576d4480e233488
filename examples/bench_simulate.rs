//! Benchmark of `autoplay triggers simulate`: writes a recording of 1,000,000
//! actions over 20,000 sessions and a config with all three built-ins, runs the release
//! binary on it with `--format json > /dev/null` and prints actions per second and peak RSS.
//!
//! ```sh
//! cargo build --release && cargo run --release --example bench_simulate [-- DIR [ACTIONS SESSIONS]]
//! autoplay generate --sessions 20000 --actions 1000000 --format json > rec.jsonl
//! cargo run --release --example bench_simulate -- --recording rec.jsonl
//! ```
//!
//! With `--recording FILE` the example times that recording (e.g. one from `autoplay
//! generate`) instead of writing its own; the config is the same one-row config, which serves
//! every product id.
//!
//! The recording (`DIR/bench-recording.jsonl`, default DIR `/tmp/autoplay-bench`) has the
//! shape `autoplay tail --record` writes: one `actions` frame per line, sessions interleaved
//! in time order, 1–5 actions per batch, URLs drawn from a small site map so that ping-pong,
//! dwell and section hits all happen. The same files can be fed to the SDK's reference simulator for comparison.

// Benchmarks print their figures; that is their whole output.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const PAGES: &[&str] = &[
    "https://app.example.com/dashboard",
    "https://app.example.com/projects",
    "https://app.example.com/projects/:id",
    "https://app.example.com/projects/new",
    "https://app.example.com/settings",
    "https://app.example.com/settings/billing",
    "https://app.example.com/settings/team",
    "https://app.example.com/reports",
    "https://app.example.com/reports/:id",
    "https://app.example.com/integrations",
    "https://app.example.com/api-keys",
    "https://app.example.com/help",
];

const CONFIG: &str = r#"[{
  "product_id": "bench",
  "integration_config": {
    "interaction_timeout_s": 20, "cooldown_period_s": 60,
    "proactive_triggers": {
      "builtins": [
        {"id": "section_playbook_match", "name": "Section", "description": "Section help"},
        {"id": "user_page_dwell", "name": "Dwell", "description": "Lingering", "triggering_type": "instant_trigger"},
        {"id": "canonical_url_ping_pong", "name": "Ping-pong", "description": "Bouncing", "triggering_type": "instant_trigger"}
      ],
      "dwell_threshold_seconds": 45, "user_page_dwell_max_actions": 3,
      "section_url_rules": [
        {"prefix": "https://app.example.com/settings/billing", "section_id": "billing"},
        {"prefix": "https://app.example.com/reports", "section_id": "reports"}
      ],
      "section_playbook": {"billing": {"body": "Questions about your invoice?", "reply_option_labels": ["Download invoice"]}}
    },
    "proactive_intercom": [{
      "id": "t1", "name": "Projects", "proactive_criteria": {"id": "canonical_url_ping_pong", "name": "pp", "type": "x"},
      "messages": [{"id": "c1", "label": "Create a project", "user_tour_exists": true, "user_tour_id": "flow_new"},
                   {"id": "c2", "label": "Find my API key"}]
    }],
    "tour_registry": [{"id": "c1", "user_tour_id": "flow_new", "interaction_timeout_s": 30, "cooldown_period_s": 90}]
  }
}]"#;

struct Batch {
    t: f64,
    line: String,
}

fn generate(path: &Path, actions_total: usize, sessions: usize) -> std::io::Result<usize> {
    let mut rng = StdRng::seed_from_u64(42);
    let per_session = actions_total / sessions;
    let t0 = 1_714_600_000.0_f64;
    let mut batches: Vec<Batch> = Vec::with_capacity(actions_total / 2);
    let mut written = 0usize;
    for s in 0..sessions {
        let session_id = format!("ps_{s:05}");
        let user_id = format!("u_{}", s % 5000);
        // Sessions start over a two-hour window.
        let mut t = t0 + rng.random_range(0.0..7200.0_f64).floor();
        let mut page = rng.random_range(0..PAGES.len());
        let mut index = 0usize;
        let mut left = if s + 1 == sessions { actions_total - written } else { per_session };
        written += left;
        while left > 0 {
            let n = rng.random_range(1..=5usize).min(left);
            left -= n;
            let mut actions = String::new();
            let mut start = t;
            for i in 0..n {
                // Mostly move around; sometimes go back (ping-pong) or stay (dwell).
                let roll: f64 = rng.random();
                if roll < 0.55 {
                    page = rng.random_range(0..PAGES.len());
                } else if roll < 0.7 {
                    page = (page + 1) % PAGES.len();
                }
                let dur = rng.random_range(1.0..20.0_f64).floor();
                let end = if i + 1 == n { start } else { start + dur };
                if i > 0 {
                    actions.push(',');
                }
                let url = PAGES[page];
                let _ = write!(
                    actions,
                    r#"{{"index":{index},"type":"pageview","title":"Page {page}","description":"Visited page {page}","canonical_url":"{url}","raw_url":"{url}?ref=nav","timestamp_start":{start:.1},"timestamp_end":{end:.1},"session_id":"{session_id}","user_id":"{user_id}"}}"#
                );
                index += 1;
                // The next action starts where this one ends (the last one has zero span).
                start = end;
            }
            t = start;
            let forwarded_at = t + 1.0;
            let line = format!(
                r#"{{"type":"actions","product_id":"bench","session_id":"{session_id}","user_id":"{user_id}","email":null,"count":{n},"forwarded_at":{forwarded_at:.1},"actions":[{actions}]}}"#
            );
            batches.push(Batch { t: forwarded_at, line });
            t += rng.random_range(2.0..40.0_f64).floor();
        }
    }
    batches.sort_by(|a, b| a.t.total_cmp(&b.t));
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    for b in &batches {
        out.write_all(b.line.as_bytes())?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(written)
}

/// Actions in a recording (lines with an `actions` list).
fn count_actions(path: &Path) -> Result<usize, Box<dyn std::error::Error>> {
    #[derive(serde::Deserialize)]
    struct Line {
        #[serde(default)]
        actions: Option<Vec<serde::de::IgnoredAny>>,
    }
    let text = std::fs::read_to_string(path)?;
    Ok(text
        .lines()
        .filter_map(|l| serde_json::from_str::<Line>(l).ok())
        .map(|l| l.actions.map_or(0, |a| a.len()))
        .sum())
}

fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find(|l| l.starts_with("VmHWM:"))?.split_whitespace().nth(1)?.parse().ok()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let given = match args.iter().position(|a| a == "--recording") {
        Some(i) if i + 1 < args.len() => {
            let path = PathBuf::from(args.remove(i + 1));
            args.remove(i);
            Some(path)
        }
        _ => None,
    };
    let dir = PathBuf::from(args.first().cloned().unwrap_or_else(|| "/tmp/autoplay-bench".into()));
    let actions: usize = args.get(1).map(|s| s.parse()).transpose()?.unwrap_or(1_000_000);
    let sessions: usize = args.get(2).map(|s| s.parse()).transpose()?.unwrap_or(20_000);
    std::fs::create_dir_all(&dir)?;
    let config = dir.join("bench-products.json");
    std::fs::write(&config, CONFIG)?;
    let (recording, total) = match given {
        Some(path) => {
            let total = count_actions(&path)?;
            (path, total)
        }
        None => {
            let recording = dir.join("bench-recording.jsonl");
            let started = Instant::now();
            let total = generate(&recording, actions, sessions)?;
            println!("recording written in {:.1?}", started.elapsed());
            (recording, total)
        }
    };
    let size = std::fs::metadata(&recording)?.len();
    println!("recording: {} ({total} actions, {:.1} MB)", recording.display(), size as f64 / 1e6);

    let exe = std::env::current_exe()?;
    let bin = exe
        .parent()
        .and_then(Path::parent)
        .map(|p| p.join("autoplay"))
        .filter(|p| p.exists())
        .ok_or("build the binary first: cargo build --release")?;
    let started = Instant::now();
    let mut child = Command::new(&bin)
        .args(["triggers", "simulate", "--format", "json", "--config"])
        .arg(&config)
        .arg("--events")
        .arg(&recording)
        .stdout(Stdio::null())
        .spawn()?;
    let pid = child.id();
    let mut peak = 0u64;
    let status = loop {
        if let Some(kib) = peak_rss_kib(pid) {
            peak = peak.max(kib);
        }
        if let Some(status) = child.try_wait()? {
            break status;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let elapsed = started.elapsed();
    if !status.success() {
        return Err(format!("simulate failed: {status}").into());
    }
    println!(
        "command: {} triggers simulate --format json --config {} --events {} > /dev/null",
        bin.display(),
        config.display(),
        recording.display()
    );
    println!(
        "simulate: {:.2?} wall, {:.0} actions/s, peak RSS {:.0} MB (sampled)",
        elapsed,
        total as f64 / elapsed.as_secs_f64(),
        peak as f64 / 1024.0
    );
    Ok(())
}
