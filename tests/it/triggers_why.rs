//! `triggers simulate --why`: the reasons agree with the decisions they explain, on every
//! oracle fixture and on generated recordings, and adding them changes no other key.

use std::path::Path;

use serde_json::Value;

use crate::support::{autoplay, fixture};
use crate::triggers_simulate::{records, split_args};

/// Runs simulate on a case with extra arguments: (exit code, stdout).
fn simulate(config: &Path, events: &Path, args: &[String], extra: &[&str]) -> (i32, String) {
    let out = autoplay()
        .args(["triggers", "simulate", "--format", "json", "--config"])
        .arg(config)
        .arg("--events")
        .arg(events)
        .args(args)
        .args(extra)
        .output()
        .unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned())
}

fn verdicts<'a>(why: &'a Value, pred: impl Fn(&str) -> bool + 'a) -> impl Iterator<Item = &'a str> + 'a {
    why["detectors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(move |d| pred(d["verdict"].as_str().unwrap_or("")))
        .map(|d| d["trigger_id"].as_str().unwrap_or(""))
}

/// Every `why` agrees with its record: a fire has its trigger as the one firing detector and
/// an open gate; an evaluation names the gate that matches its decision.
fn check_agreement(recs: &[Value], case: &str) {
    for r in recs {
        let kind = r["kind"].as_str().unwrap_or("");
        if kind != "fire" && kind != "evaluation" {
            assert!(r.get("why").is_none(), "{case}: {r}");
            continue;
        }
        let why = &r["why"];
        assert!(why.is_object(), "{case}: a {kind} without why: {r}");
        let ts = r["ts"].as_f64().unwrap();
        let gate = &why["gate"];
        let fired: Vec<&str> = verdicts(why, |v| v == "fired").collect();
        if kind == "fire" {
            assert_eq!(fired, vec![r["trigger_id"].as_str().unwrap()], "{case}: {r}");
            assert!(gate["blocked_by"].is_null(), "{case}: {r}");
            assert_eq!(gate["state"], "thinking", "{case}: {r}");
            let shadowed: Vec<&str> = verdicts(why, |v| v == "shadowed").collect();
            let listed: Vec<&str> = r["shadowed"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
            assert_eq!(shadowed, listed, "{case}: {r}");
            continue;
        }
        assert!(fired.is_empty(), "{case}: an evaluation with a firing detector: {r}");
        let decision = r["decision"].as_str().unwrap();
        if why["detectors_decided"] == true {
            // The hits are exactly the detectors that matched (mode-dropped ones included).
            let matched: Vec<&str> = verdicts(why, |v| v != "no_match").collect();
            let hits: Vec<&str> = r["hits"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
            assert_eq!(matched, hits, "{case}: {r}");
        }
        let first_matched = verdicts(why, |v| v == "matched").count();
        match decision {
            "no_trigger" => {
                assert_eq!(gate["blocked_by"], "no_trigger", "{case}: {r}");
                assert_eq!(first_matched, 0, "{case}: {r}");
            }
            "cooldown" => {
                assert_eq!(gate["blocked_by"], "cooldown", "{case}: {r}");
                assert!(gate["cooldown_until"].as_f64().is_some_and(|u| u >= ts), "{case}: {r}");
            }
            "judge_rejected" | "judge_required" => {
                assert_eq!(gate["blocked_by"], "judge", "{case}: {r}");
                let answer = if decision == "judge_rejected" { "rejected" } else { "required" };
                assert_eq!(gate["judge"], answer, "{case}: {r}");
                assert_eq!(first_matched, 1, "{case}: {r}");
            }
            "min_interval" => {
                assert_eq!(gate["blocked_by"], "min_interval", "{case}: {r}");
                assert!(gate["min_interval_until"].as_f64().is_some_and(|u| u >= ts), "{case}: {r}");
                assert_eq!(first_matched, 1, "{case}: {r}");
            }
            state => {
                let state = state.strip_prefix("state:").unwrap_or_else(|| panic!("{case}: decision {state}"));
                assert_eq!(gate["blocked_by"], "state", "{case}: {r}");
                assert_eq!(gate["state"], state, "{case}: {r}");
                assert!(gate["times_out_after"].as_f64().is_some_and(|u| u >= ts), "{case}: {r}");
                assert!(gate["since"].as_f64().is_some_and(|s| s <= ts), "{case}: {r}");
            }
        }
    }
}

/// `--why` output with every `why` removed equals `--explain` output.
fn check_parity(explain: &str, why: &str, case: &str) {
    let mut stripped = records(why);
    for r in &mut stripped {
        if let Some(obj) = r.as_object_mut() {
            obj.remove("why");
        }
    }
    assert_eq!(stripped, records(explain), "{case}: --why changed a record");
}

#[test]
fn why_agrees_with_every_fixture_decision() {
    let root = fixture("simulate");
    let mut checked = 0;
    for entry in std::fs::read_dir(&root).unwrap() {
        let dir = entry.unwrap().path();
        if !dir.join("config.json").exists() {
            continue;
        }
        let case = dir.file_name().unwrap().to_string_lossy().into_owned();
        let args = split_args(&std::fs::read_to_string(dir.join("args.txt")).unwrap_or_default());
        let (config, events) = (dir.join("config.json"), dir.join("events.jsonl"));
        let (why_code, why_out) = simulate(&config, &events, &args, &["--why"]);
        if let Ok(code) = std::fs::read_to_string(dir.join("expected_exit.txt")) {
            assert_eq!(why_code.to_string(), code.trim(), "{case}: --why changed the exit code");
            continue;
        }
        let explain: &[&str] = if args.iter().any(|a| a == "--explain") { &[] } else { &["--explain"] };
        let (code, explain_out) = simulate(&config, &events, &args, explain);
        assert_eq!((code, why_code), (0, 0), "{case}");
        check_parity(&explain_out, &why_out, &case);
        check_agreement(&records(&why_out), &case);
        checked += 1;
    }
    assert!(checked >= 30, "only {checked} fixtures checked");
}

#[test]
fn why_agrees_on_generated_recordings() {
    let dir = tempfile::tempdir().unwrap();
    let recording = dir.path().join("rec.jsonl");
    let generated =
        autoplay().args(["generate", "--sessions", "12", "--seed", "5", "--format", "json"]).output().unwrap();
    std::fs::write(&recording, generated.stdout).unwrap();
    let config = dir.path().join("products.json");
    // All three detectors, instant, a short dwell threshold and section rules, so that every
    // verdict and gate shows up.
    std::fs::write(
        &config,
        r#"{"product_id": "demo", "integration_config": {"proactive_triggers": {
            "builtins": [
              {"id": "user_page_dwell", "name": "d", "description": "d", "triggering_type": "instant_trigger"},
              {"id": "canonical_url_ping_pong", "name": "p", "description": "p", "triggering_type": "llm_judge_validation"},
              {"id": "section_playbook_match", "name": "s", "description": "s", "triggering_type": "instant_trigger"}],
            "dwell_threshold_seconds": 20,
            "section_url_rules": [{"prefix": "/billing", "section_id": "billing"}],
            "section_playbook": {"billing": "Questions about billing?"}}}}"#,
    )
    .unwrap();
    let variants: [&[&str]; 4] = [
        &[],
        &["--judge", "reject"],
        &["--profile", "connector", "--sdk", "0.13"],
        &["--judge", "instant-only", "--max-actions", "3"],
    ];
    for extra in variants {
        let args: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
        let (c1, explain_out) = simulate(&config, &recording, &args, &["--explain"]);
        let (c2, why_out) = simulate(&config, &recording, &args, &["--why"]);
        assert_eq!((c1, c2), (0, 0));
        let case = format!("generated {extra:?}");
        check_parity(&explain_out, &why_out, &case);
        let recs = records(&why_out);
        assert!(recs.iter().any(|r| r["kind"] == "fire"), "{case}: no fire to check");
        check_agreement(&recs, &case);
    }
}

/// The README's worked example: clicks on the same page break every `A → B → A` triple.
#[test]
fn pretty_why_explains_the_ping_pong_miss() {
    let dir = fixture("why");
    let out = autoplay()
        .args(["triggers", "simulate", "--format", "pretty", "--why", "--horizon", "30", "--config"])
        .arg(dir.join("products.json"))
        .arg("--events")
        .arg(dir.join("rec.jsonl"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("2nd action on /reports breaks the triple"), "{text}");
    insta::assert_snapshot!(text);
}

/// Filters select records of the full run: the filtered output is the full output filtered.
#[test]
fn filters_print_a_subset_of_the_same_decisions() {
    let dir = tempfile::tempdir().unwrap();
    let recording = dir.path().join("rec.jsonl");
    let generated =
        autoplay().args(["generate", "--sessions", "8", "--seed", "9", "--format", "json"]).output().unwrap();
    std::fs::write(&recording, generated.stdout).unwrap();
    let config = fixture("simulate/worked-example/config.json");
    let (code, full) = simulate(&config, &recording, &["--product".into(), "prod_demo".into()], &["--why"]);
    assert_eq!(code, 0);
    let full = records(&full);
    let sessions: Vec<&str> = {
        let mut s: Vec<&str> = full.iter().map(|r| r["session_id"].as_str().unwrap()).collect();
        s.dedup();
        s
    };
    let starts = |sid: &str| full.iter().find(|r| r["session_id"] == sid).unwrap()["ts"].as_f64().unwrap();
    let picked = format!("{},{}", sessions[1], sessions[3]);
    // A session's user is the first user_id its lines carry.
    let mut user_of: std::collections::BTreeMap<String, String> = std::collections::BTreeMap::new();
    for line in std::fs::read_to_string(&recording).unwrap().lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        if let (Some(s), Some(u)) = (v["session_id"].as_str(), v["user_id"].as_str())
            && !u.is_empty()
        {
            user_of.entry(s.to_string()).or_insert_with(|| u.to_string());
        }
    }
    let user = user_of[sessions[2]].clone();
    let users = format!("{user},nobody");
    type Keep<'a> = Box<dyn Fn(&Value) -> bool + 'a>;
    let cases: Vec<(Vec<&str>, Keep)> = vec![
        (
            vec!["--session", &picked],
            Box::new(|r: &Value| r["session_id"] == sessions[1] || r["session_id"] == sessions[3]),
        ),
        (vec!["--user", &users], Box::new(|r: &Value| user_of.get(r["session_id"].as_str().unwrap()) == Some(&user))),
        (vec!["--kind", "fire,timeout"], Box::new(|r: &Value| r["kind"] == "fire" || r["kind"] == "timeout")),
        (
            vec!["--trigger", "user_page_dwell"],
            Box::new(|r: &Value| {
                r["trigger_id"] == "user_page_dwell"
                    || (r["kind"] == "evaluation"
                        && r["hits"].as_array().unwrap().iter().any(|h| h == "user_page_dwell"))
            }),
        ),
        (
            vec!["--from", "60", "--to", "+200"],
            Box::new(|r: &Value| {
                let rel = r["ts"].as_f64().unwrap() - starts(r["session_id"].as_str().unwrap());
                (60.0..=200.0).contains(&rel)
            }),
        ),
    ];
    for (flags, keep) in cases {
        let args: Vec<String> = ["--product", "prod_demo"].iter().chain(&flags).map(|s| s.to_string()).collect();
        let (code, out) = simulate(&config, &recording, &args, &["--why"]);
        assert_eq!(code, 0, "{flags:?}");
        let expected: Vec<Value> = full.iter().filter(|r| keep(r)).cloned().collect();
        assert!(!expected.is_empty(), "{flags:?} selects nothing");
        assert_eq!(records(&out), expected, "{flags:?}");
    }
    let bad = autoplay()
        .args(["triggers", "simulate", "--format", "json", "--kind", "fires", "--config"])
        .arg(&config)
        .arg("--events")
        .arg(&recording)
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--kind \"fires\""));
}

/// `autoplay triggers <command…> --config C --events E <extra…>`.
fn triggers(command: &[&str], config: &Path, events: &Path, extra: &[&str]) -> std::process::Output {
    autoplay()
        .arg("triggers")
        .args(command)
        .arg("--config")
        .arg(config)
        .arg("--events")
        .arg(events)
        .args(extra)
        .output()
        .unwrap()
}

fn explain(session: &str, config: &Path, events: &Path, extra: &[&str]) -> std::process::Output {
    triggers(&["explain", session], config, events, extra)
}

#[test]
fn explain_tells_a_session_with_its_closest_misses() {
    let dir = fixture("why");
    let (config, events) = (dir.join("products.json"), dir.join("rec.jsonl"));
    let out = explain("s1", &config, &events, &["--format", "pretty"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("never fired (closest miss)"), "{text}");
    insta::assert_snapshot!(text);
    // The same story as one JSON document.
    let out = explain("s1", &config, &events, &["--format", "json"]);
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["fires"], serde_json::json!([]));
    let misses: Vec<&str> =
        doc["closest_misses"].as_array().unwrap().iter().map(|m| m["trigger_id"].as_str().unwrap()).collect();
    assert_eq!(misses, ["canonical_url_ping_pong", "user_page_dwell"]);
    assert!(doc["closest_misses"][0]["text"].as_str().unwrap().contains("breaks the triple"));
    // An unknown session is "not found".
    let out = explain("nope", &config, &events, &[]);
    assert_eq!(out.status.code(), Some(5));
    assert!(String::from_utf8_lossy(&out.stderr).contains("s1"));
}

#[test]
fn explain_shows_fires_and_the_decision_at_a_time() {
    let dir = fixture("simulate/worked-example");
    let out =
        explain("s1", &dir.join("config.json"), &dir.join("events.jsonl"), &["--format", "pretty", "--at", "100"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("because: dwell 75.0 s on https://app.example.com/billing"), "{text}");
    assert!(text.contains("cooldown until +179.0 s"), "{text}");
    insta::assert_snapshot!(text);
}

fn tune(config: &Path, events: &Path, extra: &[&str]) -> std::process::Output {
    triggers(&["tune"], config, events, extra)
}

/// One unchanged value gives exactly the counts of the simulate records; a sweep moves them.
#[test]
fn tune_with_one_unchanged_value_counts_the_simulate_records() {
    let dir = tempfile::tempdir().unwrap();
    let recording = dir.path().join("rec.jsonl");
    let generated =
        autoplay().args(["generate", "--sessions", "10", "--seed", "3", "--format", "json"]).output().unwrap();
    std::fs::write(&recording, generated.stdout).unwrap();
    let config = fixture("simulate/worked-example/config.json");
    let product = ["--product".to_string(), "prod_demo".to_string()];
    let (code, out) = simulate(&config, &recording, &product, &[]);
    assert_eq!(code, 0);
    let recs = records(&out);
    let count = |id: &str| recs.iter().filter(|r| r["kind"] == "fire" && r["trigger_id"] == id).count();
    let fired_sessions: std::collections::BTreeSet<&str> =
        recs.iter().filter(|r| r["kind"] == "fire").map(|r| r["session_id"].as_str().unwrap()).collect();
    let sweep = tune(
        &config,
        &recording,
        &["--product", "prod_demo", "--format", "json", "--vary", "dwell_threshold_seconds=45,20"],
    );
    assert_eq!(sweep.status.code(), Some(0), "{}", String::from_utf8_lossy(&sweep.stderr));
    let rows = records(&String::from_utf8_lossy(&sweep.stdout));
    assert_eq!(rows.len(), 2);
    let same = &rows[0];
    assert_eq!(same["set"]["dwell_threshold_seconds"], 45);
    for id in ["user_page_dwell", "canonical_url_ping_pong"] {
        assert_eq!(same["fires"][id].as_u64().unwrap_or(0) as usize, count(id), "{id}");
    }
    assert_eq!(same["sessions_with_fire"].as_u64().unwrap() as usize, fired_sessions.len());
    assert_eq!(same["timeouts"].as_u64().unwrap() as usize, recs.iter().filter(|r| r["kind"] == "timeout").count());
    assert!(rows[1]["fires"]["user_page_dwell"].as_u64() >= same["fires"]["user_page_dwell"].as_u64());
    // A sweep of the one unchanged value alone: every trigger's count, exactly.
    let single = tune(
        &config,
        &recording,
        &["--product", "prod_demo", "--format", "json", "--vary", "dwell_threshold_seconds=45"],
    );
    assert_eq!(single.status.code(), Some(0), "{}", String::from_utf8_lossy(&single.stderr));
    let single = records(&String::from_utf8_lossy(&single.stdout));
    assert_eq!(single.len(), 1);
    let mut per_trigger = serde_json::Map::new();
    for r in recs.iter().filter(|r| r["kind"] == "fire") {
        let id = r["trigger_id"].as_str().unwrap().to_string();
        let n = per_trigger.get(&id).and_then(Value::as_u64).unwrap_or(0);
        per_trigger.insert(id, Value::from(n + 1));
    }
    assert!(!per_trigger.is_empty());
    assert_eq!(single[0]["fires"], Value::Object(per_trigger.clone()));
    // The triggers come in the order of their first fire in the records (the table's columns).
    let order = |fires: &Value| fires.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(order(&single[0]["fires"]), per_trigger.keys().cloned().collect::<Vec<_>>());
    // With --report the first combination keeps its records for the page; its row is the same.
    let page = dir.path().join("tune.html");
    let mut with_report = vec!["--product", "prod_demo", "--format", "json", "--vary", "dwell_threshold_seconds=45,20"];
    with_report.extend(["--report", page.to_str().unwrap()]);
    let reported = tune(&config, &recording, &with_report);
    assert_eq!(reported.status.code(), Some(0), "{}", String::from_utf8_lossy(&reported.stderr));
    assert_eq!(records(&String::from_utf8_lossy(&reported.stdout)), rows);
    assert_eq!(order(&records(&String::from_utf8_lossy(&reported.stdout))[0]["fires"]), order(&rows[0]["fires"]));
    assert_eq!(
        single[0]["total_fires"].as_u64().unwrap() as usize,
        recs.iter().filter(|r| r["kind"] == "fire").count()
    );
    let ended = recs.iter().filter(|r| r["kind"] == "session_end").count();
    assert_eq!(single[0]["sessions"].as_u64().unwrap() as usize, ended);
    assert_eq!(single[0]["sessions_with_fire"], same["sessions_with_fire"]);
    assert_eq!(single[0]["timeouts"], same["timeouts"]);
    // `simulate --set` gives the records of the second combination.
    let (code, set_out) = simulate(&config, &recording, &product, &["--set", "dwell_threshold_seconds=20"]);
    assert_eq!(code, 0);
    let set_fires = records(&set_out).iter().filter(|r| r["kind"] == "fire").count();
    assert_eq!(set_fires as u64, rows[1]["total_fires"].as_u64().unwrap());
}

#[test]
fn tune_refuses_bad_keys_and_values_before_running() {
    let config = fixture("simulate/worked-example/config.json");
    let events = fixture("simulate/worked-example/events.jsonl");
    let cases: [(&str, &str); 3] = [
        ("cooldown_period_s=30,60", "ambiguous"),
        ("no_such_key=1", "no member of that name"),
        (
            "[0].integration_config.proactive_triggers.builtins[0].triggering_type=instant_trigger,bogus",
            "builtins[0].triggering_type",
        ),
    ];
    for (vary, message) in cases {
        let out = tune(&config, &events, &["--vary", vary]);
        assert_eq!(out.status.code(), Some(2), "{vary}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(message),
            "{vary}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.stdout.is_empty(), "{vary}");
    }
    let table = tune(&config, &events, &["--format", "pretty", "--vary", "dwell_threshold_seconds=30..90:30"]);
    assert_eq!(table.status.code(), Some(0));
    insta::assert_snapshot!(String::from_utf8_lossy(&table.stdout));
}

#[test]
fn test_checks_expectations_with_exit_0_3_and_2() {
    let dir = tempfile::tempdir().unwrap();
    let case = fixture("simulate/worked-example");
    let (config, events) = (case.join("config.json"), case.join("events.jsonl"));
    let write = |name: &str, lines: &[&str]| {
        let path = dir.path().join(name);
        std::fs::write(&path, lines.join("\n")).unwrap();
        path
    };
    let run = |expect: &Path, extra: &[&str]| {
        let mut args: Vec<&str> = vec!["--expect", expect.to_str().unwrap()];
        args.extend(extra);
        triggers(&["test"], &config, &events, &args)
    };
    let met = write(
        "met.jsonl",
        &[
            r#"{"session": "s1", "fires": "user_page_dwell", "between": [100, 200], "at_most": 1}"#,
            "",
            r#"{"session": "*", "first_fire": "canonical_url_ping_pong"}"#,
            r#"{"session": "s1", "state_at": 100, "is": "thinking"}"#,
        ],
    );
    let out = run(&met, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let unmet = write(
        "unmet.jsonl",
        &[
            r#"{"session": "s1", "never_fires": "canonical_url_ping_pong"}"#,
            r#"{"session": "s1", "state_at": 5, "is": "thinking"}"#,
        ],
    );
    let out = run(&unmet, &["--format", "pretty"]);
    assert_eq!(out.status.code(), Some(3));
    let report = String::from_utf8_lossy(&out.stdout).replace(dir.path().to_str().unwrap(), "<dir>");
    insta::assert_snapshot!(report);
    let bad = write(
        "bad.jsonl",
        &[r#"{"session": "s1", "fires": "x"}"#, r#"{"session": "s1", "state_at": "soon", "is": "thinking"}"#],
    );
    let out = run(&bad, &[]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("bad.jsonl: line 2: state_at"), "{stderr}");
    // --update writes what the config meets now, and that file passes.
    let snap = dir.path().join("snap.jsonl");
    let out = run(&snap, &["--update"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(std::fs::read_to_string(&snap).unwrap().contains(r#""first_fire":"canonical_url_ping_pong""#));
    assert_eq!(run(&snap, &[]).status.code(), Some(0));
}
