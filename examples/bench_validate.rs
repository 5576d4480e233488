//! Time of `autoplay triggers validate` on large generated configs: many small product rows, one
//! row with many builtins, one row with many `proactive_intercom` entries, each pretty-printed and
//! on one line, and each with a problem in every row or entry so that positions are looked up.
//!
//! Run: `cargo build --release && cargo run --release --example bench_validate -- [ROWS] [ENTRIES]`
//! (defaults 100000 and 40000). It runs the release binary next to this example.

// Benchmarks print their figures; that is their whole output.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

use serde_json::{Value, json};

fn row(i: usize) -> Value {
    json!({
        "product_id": format!("product_{i}"),
        "integration_type": "event_stream",
        "integration_config": {
            "interaction_timeout_s": 20,
            "cooldown_period_s": 60,
            "proactive_triggers": {
                "builtins": [
                    {"id": "canonical_url_ping_pong", "triggering_type": "instant_trigger"},
                    {"id": "user_page_dwell", "triggering_type": "instant_trigger", "cooldown_period_s": 5}
                ],
                "dwell_threshold_seconds": 45,
                "section_url_rules": [{"prefix": "https://app.acme.dev/pricing", "section_id": "pricing"}],
                "section_playbook": {"pricing": {"body": "Comparing plans? \u{e9}", "reply_option_labels": ["Compare"]}}
            },
            "proactive_intercom": [{
                "id": "chips",
                "proactive_criteria": {"id": "canonical_url_ping_pong", "type": "canonical_url_ping_pong"},
                "messages": [{"id": "chip_docs", "label": "Find the docs", "user_tour_exists": false}]
            }]
        }
    })
}

/// A small row with one problem (a misspelt key), so 100,000 of them stay under the config
/// size limit even pretty-printed.
fn small_row(i: usize) -> Value {
    json!({
        "product_id": format!("p{i}"),
        "integration_config": {
            "coolddown_period_s": 60,
            "proactive_triggers": {"builtins": [{"id": "canonical_url_ping_pong", "name": "n", "description": "d"}]}
        }
    })
}

fn many_builtins(n: usize) -> Value {
    let mut doc = row(0);
    let builtins: Vec<Value> = (0..n)
        .map(|i| json!({"id": "canonical_url_ping_pong", "name": format!("copy {i}"), "triggering_type": "instant_trigger"}))
        .collect();
    doc["integration_config"]["proactive_triggers"]["builtins"] = Value::Array(builtins);
    Value::Array(vec![doc])
}

fn many_intercom(n: usize) -> Value {
    let mut doc = row(0);
    let entries: Vec<Value> = (0..n)
        .map(|i| {
            json!({
                "id": format!("chips_{i}"),
                "proactive_criteria": {"id": "canonical_url_ping_pong", "type": "canonical_url_ping_pong"},
                "messages": [{"id": "chip_docs", "label": "Find the docs", "user_tour_exists": false}]
            })
        })
        .collect();
    doc["integration_config"]["proactive_intercom"] = Value::Array(entries);
    Value::Array(vec![doc])
}

/// Runs of each case; the median is the figure.
const RUNS: usize = 5;

/// Problems in a report: the JSON report's list, or the pretty report's `error:`/`warning:` lines.
fn problem_count(format: &str, stdout: &[u8]) -> usize {
    if format == "json" {
        let report: Value = serde_json::from_slice(stdout).unwrap_or(Value::Null);
        return report.get("problems").and_then(Value::as_array).map_or(0, Vec::len);
    }
    String::from_utf8_lossy(stdout)
        .lines()
        .filter(|line| line.starts_with("error") || line.starts_with("warning"))
        .count()
}

fn main() {
    let mut args = std::env::args().skip(1).map(|n| n.replace('_', "").parse::<usize>().expect("a number"));
    let rows = args.next().unwrap_or(100_000);
    let entries = args.next().unwrap_or(40_000);
    let exe = std::env::current_exe().expect("own path");
    let binary: PathBuf = exe.parent().and_then(|d| d.parent()).expect("target dir").join("autoplay");
    assert!(binary.exists(), "{} is missing: run `cargo build --release` first", binary.display());
    let dir = std::env::temp_dir().join(format!("autoplay-bench-validate-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let cases = [
        (format!("{rows} rows"), Value::Array((0..rows).map(small_row).collect())),
        (format!("{entries} builtins"), many_builtins(entries)),
        (format!("{entries} proactive_intercom entries"), many_intercom(entries)),
    ];
    for (name, doc) in &cases {
        for (layout, text) in
            [("pretty", serde_json::to_string_pretty(doc).expect("json")), ("one line", doc.to_string())]
        {
            let file = dir.join("products.json");
            std::fs::write(&file, &text).expect("write config");
            for format in ["json", "pretty"] {
                let mut times = Vec::new();
                let mut outcome = (0, -1);
                for _ in 0..RUNS {
                    let started = Instant::now();
                    let out = Command::new(&binary)
                        .args(["triggers", "validate", "--format", format])
                        .arg(&file)
                        .output()
                        .expect("run autoplay");
                    times.push(started.elapsed().as_secs_f64());
                    outcome = (problem_count(format, &out.stdout), out.status.code().unwrap_or(-1));
                }
                times.sort_by(f64::total_cmp);
                println!(
                    "{name:>32}, {layout:<8} ({:>5.1} MB) --format {format:<6}: median {:>5.2} s \
                     (min {:.2}, max {:.2}), exit {}, {} problems",
                    text.len() as f64 / 1e6,
                    times[times.len() / 2],
                    times[0],
                    times[times.len() - 1],
                    outcome.1,
                    outcome.0
                );
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
