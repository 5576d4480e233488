//! `autoplay triggers simulate` against the oracle's expected records.
//!
//! Every folder of `tests/fixtures/simulate/` holds `config.json`, `events.jsonl`, `args.txt`
//! (extra arguments, shell-quoted) and the oracle's output: `expected.jsonl` (exit 0) or
//! `expected_exit.txt` (the oracle's exit code when it refused the input). Records are
//! compared by parsed value: `1 == 1.0`, a boolean never equals a number, key order is
//! ignored and list order is kept.

use std::path::Path;

use serde_json::Value;

use crate::support::{autoplay, fixture, read_one_line_then_close};

/// `shlex`-style split for the simple quoting the args files use.
pub(crate) fn split_args(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut any = false;
    for c in text.trim().chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => cur.push(c),
            None if c == '\'' || c == '"' => {
                quote = Some(c);
                any = true;
            }
            None if c.is_whitespace() => {
                if any || !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                    any = false;
                }
            }
            None => cur.push(c),
        }
    }
    if any || !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Equality by parsed value.
pub(crate) fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

pub(crate) fn records(text: &str) -> Vec<Value> {
    text.lines().filter(|l| !l.trim().is_empty()).map(|l| serde_json::from_str(l).expect("NDJSON record")).collect()
}

fn run_case(dir: &Path) -> Result<(), String> {
    let args = std::fs::read_to_string(dir.join("args.txt")).unwrap_or_default();
    let output = autoplay()
        .args(["triggers", "simulate", "--format", "json", "--config"])
        .arg(dir.join("config.json"))
        .arg("--events")
        .arg(dir.join("events.jsonl"))
        .args(split_args(&args))
        .output()
        .map_err(|e| e.to_string())?;
    let code = output.status.code().unwrap_or(-1);
    let stdout = String::from_utf8_lossy(&output.stdout);
    if let Ok(expected_exit) = std::fs::read_to_string(dir.join("expected_exit.txt")) {
        let expected_exit: i32 = expected_exit.trim().parse().map_err(|_| "bad expected_exit.txt".to_string())?;
        if code != expected_exit {
            return Err(format!(
                "exit {code}, expected {expected_exit}; stderr: {}",
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        if code != 0 && !stdout.trim().is_empty() {
            return Err("a failed run printed records".into());
        }
        return Ok(());
    }
    if code != 0 {
        return Err(format!("exit {code}; stderr: {}", String::from_utf8_lossy(&output.stderr)));
    }
    let expected = records(&std::fs::read_to_string(dir.join("expected.jsonl")).map_err(|e| e.to_string())?);
    let actual = records(&stdout);
    for (i, (e, a)) in expected.iter().zip(&actual).enumerate() {
        if !same(e, a) {
            return Err(format!("record {i} differs:\n  expected {e}\n  actual   {a}"));
        }
    }
    if expected.len() != actual.len() {
        return Err(format!("{} records, expected {}", actual.len(), expected.len()));
    }
    Ok(())
}

#[test]
fn every_simulate_fixture_matches_the_oracle() {
    let root = fixture("simulate");
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .expect("fixtures/simulate exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("config.json").exists())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 16, "the oracle's golden cases are all there");
    let failures: Vec<String> = dirs
        .iter()
        .filter_map(|d| {
            run_case(d).err().map(|e| format!("{}: {e}", d.file_name().unwrap_or_default().to_string_lossy()))
        })
        .collect();
    assert!(failures.is_empty(), "{} of {} cases differ:\n{}", failures.len(), dirs.len(), failures.join("\n"));
}

#[test]
fn args_split_like_a_shell() {
    assert_eq!(split_args("--a 'b c' d"), vec!["--a", "b c", "d"]);
    assert_eq!(split_args(""), Vec::<String>::new());
}

#[test]
fn invalid_config_exits_2_with_every_error() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("products.json");
    std::fs::write(
        &config,
        r#"[{"product_id": "p", "integration_config": {"proactive_triggers": {"builtins": [
            {"id": "nope", "name": "n", "description": "d"},
            {"id": "user_page_dwell", "name": "n", "description": "d", "triggering_type": "x"}]}}}]"#,
    )
    .unwrap();
    let events = dir.path().join("events.jsonl");
    std::fs::write(&events, "").unwrap();
    let out = autoplay()
        .args(["triggers", "simulate", "--config"])
        .arg(&config)
        .arg("--events")
        .arg(&events)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("builtins[0].id"), "{stderr}");
    assert!(stderr.contains("builtins[1].triggering_type"), "{stderr}");
    assert!(out.stdout.is_empty());
}

#[test]
fn bad_line_exits_2_with_its_number_unless_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("products.json");
    std::fs::write(&config, r#"{"product_id": "p"}"#).unwrap();
    let events = dir.path().join("events.jsonl");
    std::fs::write(&events, "{\"type\": \"chat_opened\", \"session_id\": \"s\", \"ts\": 1}\n\nnot json\n").unwrap();
    let run = |skip: bool| {
        let mut cmd = autoplay();
        cmd.args(["triggers", "simulate", "--format", "json", "--config"]).arg(&config).arg("--events").arg(&events);
        if skip {
            cmd.arg("--skip-bad-lines");
        }
        cmd.output().unwrap()
    };
    let failed = run(false);
    assert_eq!(failed.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&failed.stderr).contains(":3:"));
    let skipped = run(true);
    assert_eq!(skipped.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&skipped.stderr).contains("line skipped"));
    assert!(String::from_utf8_lossy(&skipped.stdout).contains("\"kind\": \"reactive\""));
}

/// `-v` says how long each phase of a run took, on stderr; the records on stdout are the
/// same as without it.
#[test]
fn verbose_logs_the_time_of_each_phase() {
    let dir = fixture("simulate/worked-example");
    let run = |verbose: bool| {
        let mut cmd = autoplay();
        if verbose {
            cmd.arg("-v");
        }
        cmd.args(["triggers", "simulate", "--format", "json", "--config"])
            .arg(dir.join("config.json"))
            .arg("--events")
            .arg(dir.join("events.jsonl"))
            .output()
            .unwrap()
    };
    let (quiet, verbose) = (run(false), run(true));
    assert_eq!(verbose.status.code(), Some(0));
    assert_eq!(quiet.stdout, verbose.stdout);
    let stderr = String::from_utf8_lossy(&verbose.stderr);
    for field in ["read_ms=", "run_ms=", "write_ms="] {
        assert!(stderr.contains(field), "{field} missing from: {stderr}");
    }
    assert!(!String::from_utf8_lossy(&quiet.stderr).contains("read_ms="));
}

#[test]
fn pretty_timeline_and_summary() {
    let dir = fixture("simulate/worked-example");
    let out = autoplay()
        .args(["triggers", "simulate", "--format", "pretty", "--config"])
        .arg(dir.join("config.json"))
        .arg("--events")
        .arg(dir.join("events.jsonl"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    insta::assert_snapshot!(String::from_utf8_lossy(&out.stdout));
}

#[test]
fn reads_stdin_and_a_recording_written_by_tail() {
    // `autoplay tail --record` writes the frame data verbatim, heartbeats included.
    let recording = concat!(
        "{\"type\":\"heartbeat\"}\n",
        "{\"type\":\"actions\",\"product_id\":\"p\",\"session_id\":\"s\",\"user_id\":\"u\",\"email\":null,",
        "\"count\":3,\"forwarded_at\":100.5,\"actions\":[{\"index\":0,\"type\":\"pageview\",\"title\":\"A\",",
        "\"description\":\"a\",\"canonical_url\":\"/a\",\"timestamp_start\":90,\"timestamp_end\":95},",
        "{\"index\":1,\"canonical_url\":\"/b\",\"timestamp_start\":95,\"timestamp_end\":97},",
        "{\"index\":2,\"canonical_url\":\"/a\",\"timestamp_start\":97,\"timestamp_end\":97}]}\n",
        "{\"type\":\"summary\",\"product_id\":\"p\",\"session_id\":\"s\",\"summary\":\"x\",\"replaces\":3,\"forwarded_at\":101}\n"
    );
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("products.json");
    std::fs::write(&config, r#"{"product_id": "p"}"#).unwrap();
    let out = autoplay()
        .args(["triggers", "simulate", "--format", "json", "--horizon", "0", "--events", "-", "--config"])
        .arg(&config)
        .write_stdin(recording)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let recs = records(&String::from_utf8_lossy(&out.stdout));
    assert_eq!(recs[0]["kind"], "fire");
    assert_eq!(recs[0]["judge"], "approved", "the default registry is gated");
    assert_eq!(recs.last().unwrap()["kind"], "session_end");
}

#[test]
fn a_reader_that_stops_early_ends_the_run_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let recording = dir.path().join("rec.jsonl");
    let generated =
        autoplay().args(["generate", "--sessions", "200", "--actions", "20000", "--format", "json"]).output();
    std::fs::write(&recording, generated.unwrap().stdout).unwrap();
    let config = dir.path().join("products.json");
    std::fs::write(&config, r#"{"product_id": "demo"}"#).unwrap();
    // `--explain` makes far more output than a pipe holds, so the writer meets the closed pipe.
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("autoplay"))
        .args(["triggers", "simulate", "--format", "json", "--explain", "--config"])
        .arg(&config)
        .arg("--events")
        .arg(&recording)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let first = read_one_line_then_close(child);
    assert!(serde_json::from_str::<Value>(&first).is_ok(), "{first}");
}
