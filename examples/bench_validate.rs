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
            let started = Instant::now();
            let out = Command::new(&binary)
                .args(["triggers", "validate", "--format", "json"])
                .arg(&file)
                .output()
                .expect("run autoplay");
            let elapsed = started.elapsed().as_secs_f64();
            let report: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
            let problems = report.get("problems").and_then(Value::as_array).map_or(0, Vec::len);
            println!(
                "{name:>32}, {layout:<8} ({:>5.1} MB): {elapsed:>6.2} s, exit {}, {problems} problems",
                text.len() as f64 / 1e6,
                out.status.code().unwrap_or(-1)
            );
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
