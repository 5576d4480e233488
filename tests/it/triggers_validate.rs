//! `autoplay triggers validate` and `autoplay triggers init` through the real binary.
//!
//! Fixtures: `tests/fixtures/validate/`. `parity/` holds small configs with the exit code the
//! SDK oracle gave for each (`parity/oracle-exit.tsv`, run with an empty recording):
//! `validate` must refuse exactly the configs the SDK refuses.

use serde_json::Value;

use crate::support::{autoplay, fixture};

fn validate_in_fixtures(args: &[&str]) -> assert_cmd::assert::Assert {
    autoplay().current_dir(fixture("validate")).args(["triggers", "validate"]).args(args).assert()
}

fn json_report(file: &str, extra: &[&str]) -> (Value, i32) {
    let mut args = vec![file, "--format", "json"];
    args.extend_from_slice(extra);
    let output = validate_in_fixtures(&args).get_output().clone();
    let report: Value = serde_json::from_slice(&output.stdout).expect("one JSON document on stdout");
    (report, output.status.code().unwrap_or(-1))
}

/// `(severity, code, path, line, column)` of every problem.
fn problems(report: &Value) -> Vec<(String, String, String, u64, u64)> {
    report["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .map(|p| {
            (
                p["severity"].as_str().unwrap_or_default().to_string(),
                p["code"].as_str().unwrap_or_default().to_string(),
                p["path"].as_str().unwrap_or_default().to_string(),
                p["line"].as_u64().unwrap_or(0),
                p["column"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

fn find<'a>(
    all: &'a [(String, String, String, u64, u64)],
    code: &str,
    path: &str,
) -> &'a (String, String, String, u64, u64) {
    all.iter().find(|p| p.1 == code && p.2 == path).unwrap_or_else(|| panic!("no {code} at {path} in {all:#?}"))
}

#[test]
fn errors_have_exact_paths_and_positions() {
    let (report, code) = json_report("errors.json", &[]);
    assert_eq!(code, 2);
    assert_eq!(report["valid"], false);
    assert_eq!(report["errors"], 8);
    let all = problems(&report);
    let b = "[0].integration_config.proactive_triggers.builtins";
    let expect = [
        ("timing_not_number", "[0].integration_config.interaction_timeout_s".to_string(), 5, 32),
        ("builtin_invalid", format!("{b}[0].name"), 8, 54),
        ("builtin_invalid", format!("{b}[1].description"), 9, 70),
        ("builtin_invalid", format!("{b}[2].id"), 10, 19),
        ("builtin_invalid", format!("{b}[3].cooldown_s"), 11, 89),
        ("builtin_invalid", format!("{b}[4].triggering_type"), 12, 94),
        ("row_not_object", "[1]".to_string(), 17, 3),
        ("builtins_not_list", "[2].integration_config.proactive_triggers.builtins".to_string(), 20, 65),
    ];
    for (code, path, line, column) in expect {
        let problem = find(&all, code, &path);
        assert_eq!((problem.0.as_str(), problem.3, problem.4), ("error", line, column), "{path}");
    }
    // The SDK's own messages.
    let messages: Vec<&str> =
        report["problems"].as_array().unwrap().iter().filter_map(|p| p["message"].as_str()).collect();
    assert!(messages.contains(
        &"builtin trigger spec row 4 triggering_type must be 'instant_trigger' or 'llm_judge_validation', got 'instant'"
    ));
    assert!(messages.contains(&"builtin trigger spec field 'cooldown_s' must be > 0, got -5"));
}

#[test]
fn every_warning_kind_is_reported_and_warnings_exit_zero() {
    let (report, code) = json_report("warnings.json", &[]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["valid"], true);
    assert_eq!(report["errors"], 0);
    let all = problems(&report);
    assert!(all.iter().all(|p| p.0 == "warning"));
    let ic = "[0].integration_config";
    let pt = format!("{ic}.proactive_triggers");
    let pi = format!("{ic}.proactive_intercom");
    let tr = format!("{ic}.tour_registry");
    let expect = [
        ("unknown_key", format!("{ic}.tour_ofer_body"), 7, 7),
        ("mode_unknown", format!("{pt}.mode"), 9, 17),
        ("llm_judge_default", format!("{pt}.builtins[0]"), 11, 11),
        ("min_cycles_ignored", format!("{pt}.builtins[0].min_cycles"), 11, 100),
        ("unknown_key", format!("{pt}.builtins[1].cooldown_period_s"), 12, 119),
        ("dwell_never_fires", format!("{pt}.dwell_threshold_seconds"), 14, 36),
        ("setting_unused", format!("{pt}.section_playbook"), 15, 9),
        ("criteria_not_evaluated", format!("{pi}[0].proactive_criteria.conditions[0].type"), 26, 69),
        ("criteria_leaf_param_ignored", format!("{pi}[0].proactive_criteria.conditions[0].value"), 26, 85),
        ("tour_unregistered", format!("{pi}[0].messages[0].user_tour_id"), 31, 96),
        ("chip_truthy_string", format!("{pi}[0].messages[1].user_tour_exists"), 32, 71),
        ("chips_unlinked", format!("{pi}[1].proactive_criteria.id"), 38, 41),
        ("chip_legacy_key", format!("{pi}[1].messages[0].offers_tour"), 39, 71),
        ("intercom_entry_skipped", format!("{pi}[2].messages[0].user_tour_id"), 45, 25),
        ("tour_timing_not_inherited", format!("{tr}[0]"), 49, 9),
        ("tour_entry_skipped", format!("{tr}[1]"), 50, 9),
        ("tour_never_matched", format!("{tr}[2]"), 51, 9),
        ("tour_legacy_key", format!("{tr}[2].label"), 51, 31),
    ];
    for (code, path, line, column) in &expect {
        let problem = find(&all, code, path);
        assert_eq!((problem.3, problem.4), (*line, *column), "{code} at {path}");
    }
    assert_eq!(all.len(), expect.len(), "{all:#?}");
    // Suggestions and the "will be ignored" wording.
    let text = report.to_string();
    assert!(text.contains("did you mean 'tour_offer_body'?"));
    assert!(text.contains("did you mean 'cooldown_s'?"));
    assert!(
        text.contains("did you mean 'canonical_url_ping_pong'?") || text.contains("did you mean 'user_page_dwell'?")
    );
    assert!(text.contains("proactive_intercom entry 2 will be ignored by the SDK"));
    assert!(text.contains("the SDK will ignore it"));
}

#[test]
fn settings_sections_legacy_chips_and_runtime_traps() {
    let (report, code) = json_report("more-warnings.json", &[]);
    assert_eq!(code, 0, "{report:#}");
    let all = problems(&report);
    let ic = "[0].integration_config";
    let pt = format!("{ic}.proactive_triggers");
    let pi = format!("{ic}.proactive_intercom");
    let expect = [
        ("sdk_raises", format!("{ic}.tour_offer_body"), 5, 26),
        ("registry_unsupported", format!("{pt}.registry"), 7, 21),
        ("sdk_raises", format!("{pt}.dwell_threshold_seconds"), 12, 36),
        ("dwell_max_actions_default", format!("{pt}.user_page_dwell_max_actions"), 13, 40),
        ("section_rule_skipped", format!("{pt}.section_url_rules[1]"), 16, 11),
        ("sdk_raises", format!("{pt}.section_url_rules[2]"), 17, 11),
        ("section_row_empty", format!("{pt}.section_playbook.pricing"), 20, 22),
        ("section_unreachable", format!("{pt}.section_playbook.billing"), 21, 11),
        ("section_row_empty", format!("{pt}.section_playbook.other"), 22, 20),
        ("intercom_legacy_form", pi.clone(), 25, 29),
        ("tour_chip_without_flow", format!("{pi}.messages[0]"), 26, 9),
        ("tour_chip_disabled", format!("{pi}.messages[1].flow_id"), 27, 39),
        ("tour_never_matched", format!("{ic}.tour_registry[0].user_tour_id"), 30, 39),
        ("sdk_raises", format!("{ic}.tour_registry[0].interaction_timeout_s"), 30, 68),
        ("product_id_duplicate", "[1].product_id".to_string(), 34, 19),
        ("product_id_missing", "[2]".to_string(), 35, 3),
    ];
    for (code, path, line, column) in &expect {
        let problem = find(&all, code, path);
        assert_eq!((problem.3, problem.4), (*line, *column), "{code} at {path}");
    }
    assert_eq!(all.len(), expect.len(), "{all:#?}");
}

#[test]
fn strict_turns_warnings_into_errors() {
    let (report, code) = json_report("warnings.json", &["--strict"]);
    assert_eq!(code, 2);
    assert_eq!(report["strict"], true);
    assert_eq!(report["warnings"], 0);
    assert_eq!(report["errors"], 18);
    validate_in_fixtures(&["clean.json", "--strict"]).code(0);
    validate_in_fixtures(&["duplicates.json", "--strict", "--format", "json"])
        .code(2)
        .stderr(predicates::str::contains("--strict counts warnings as errors"));
}

#[test]
fn json_report_shape() {
    let (report, code) = json_report("duplicates.json", &[]);
    assert_eq!(code, 0);
    insta::assert_snapshot!(serde_json::to_string_pretty(&report).unwrap(), @r#"
    {
      "file": "duplicates.json",
      "valid": true,
      "strict": false,
      "errors": 0,
      "warnings": 1,
      "problems": [
        {
          "severity": "warning",
          "code": "duplicate_key",
          "path": "product_id",
          "line": 3,
          "column": 3,
          "message": "key 'product_id' appears more than once in this object; only the last value is used",
          "hint": "remove the earlier occurrences"
        }
      ]
    }
    "#);
}

#[test]
fn pretty_report() {
    let output = validate_in_fixtures(&["errors.json", "--format", "pretty"]).code(2).get_output().clone();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    insta::assert_snapshot!("pretty_errors", stdout);
    assert!(stderr.contains("error: errors.json is not a valid trigger config: 8 errors"), "{stderr}");
    validate_in_fixtures(&["clean.json", "--format", "pretty"])
        .code(0)
        .stdout("clean.json: valid, no problems found\n");
}

#[test]
fn not_json_reports_line_and_character_column() {
    let (report, code) = json_report("not-json.json", &[]);
    assert_eq!(code, 2);
    let all = problems(&report);
    assert_eq!(all, vec![("error".into(), "json_syntax".into(), "$".into(), 4, 77)]);
    assert!(report["problems"][0]["message"].as_str().unwrap().contains("trailing comma"));
    let output = validate_in_fixtures(&["not-json.json", "--format", "pretty"]).code(2).get_output().clone();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("--> not-json.json:4:77"), "{stdout}");
}

#[test]
fn reads_stdin() {
    let text = std::fs::read_to_string(fixture("validate/errors.json")).unwrap();
    let output = autoplay()
        .args(["triggers", "validate", "-", "--format", "json"])
        .write_stdin(text)
        .assert()
        .code(2)
        .get_output()
        .clone();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["file"], "<stdin>");
    assert_eq!(report["errors"], 8);
    autoplay().args(["triggers", "validate", "-"]).write_stdin("[{\"product_id\": \"p\"}]").assert().code(0);
}

#[test]
fn missing_file_is_an_input_error() {
    validate_in_fixtures(&["no-such-file.json"])
        .code(2)
        .stderr(predicates::str::contains("no such file"))
        .stderr(predicates::str::contains("autoplay triggers init"));
}

#[test]
fn refuses_exactly_what_the_sdk_refuses() {
    let manifest = std::fs::read_to_string(fixture("validate/parity/oracle-exit.tsv")).unwrap();
    let mut checked = 0;
    for line in manifest.lines().filter(|l| !l.trim().is_empty()) {
        let (file, expected) = line.split_once('\t').expect("name<TAB>code");
        let expected: i32 = expected.trim().parse().unwrap();
        let code = autoplay()
            .current_dir(fixture("validate/parity"))
            .args(["triggers", "validate", file, "--format", "json"])
            .output()
            .unwrap()
            .status
            .code();
        assert_eq!(code, Some(expected), "{file}: the SDK oracle exits {expected}");
        checked += 1;
    }
    assert!(checked >= 20);
}

#[test]
fn init_writes_a_clean_template_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    autoplay()
        .current_dir(dir.path())
        .args(["triggers", "init"])
        .assert()
        .code(0)
        .stdout("")
        .stderr(predicates::str::contains("wrote products.json"))
        .stderr(predicates::str::contains("autoplay triggers validate products.json"));
    let written = std::fs::read_to_string(dir.path().join("products.json")).unwrap();
    let template = std::fs::read_to_string(fixture("../../templates/products.json")).unwrap();
    assert_eq!(written, template);

    // What init writes validates clean, even with --strict.
    autoplay()
        .current_dir(dir.path())
        .args(["triggers", "validate", "products.json", "--strict", "--format", "json"])
        .assert()
        .code(0)
        .stdout(predicates::str::contains("\"problems\":[]"));

    // No overwrite without --force.
    std::fs::write(dir.path().join("products.json"), "mine").unwrap();
    autoplay()
        .current_dir(dir.path())
        .args(["triggers", "init"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("products.json already exists"))
        .stderr(predicates::str::contains("--force"));
    assert_eq!(std::fs::read_to_string(dir.path().join("products.json")).unwrap(), "mine");

    autoplay().current_dir(dir.path()).args(["triggers", "init", "--force"]).assert().code(0);
    assert_eq!(std::fs::read_to_string(dir.path().join("products.json")).unwrap(), template);

    // Another path, with its folder created; `-` prints the template.
    autoplay().current_dir(dir.path()).args(["triggers", "init", "config/p.json", "-q"]).assert().code(0).stderr("");
    assert!(dir.path().join("config/p.json").exists());
    autoplay().args(["triggers", "init", "-"]).assert().code(0).stdout(template);
}

/// `triggers simulate --format json` with the contract's default tick and horizon.
fn simulate(config: &std::path::Path, events: &std::path::Path) -> std::process::Output {
    autoplay()
        .args(["triggers", "simulate", "--format", "json", "--tick", "10", "--horizon", "300"])
        .arg("--config")
        .arg(config)
        .arg("--events")
        .arg(events)
        .output()
        .unwrap()
}

#[test]
fn simulate_and_validate_refuse_the_same_configs() {
    let manifest = std::fs::read_to_string(fixture("validate/parity/oracle-exit.tsv")).unwrap();
    let empty = fixture("validate/empty.jsonl");
    for line in manifest.lines().filter(|l| !l.trim().is_empty()) {
        let (file, expected) = line.split_once('\t').expect("name<TAB>code");
        let config = fixture("validate/parity").join(file);
        let output = simulate(&config, &empty);
        let validated = autoplay().args(["triggers", "validate"]).arg(&config).output().unwrap().status.code();
        assert_eq!(output.status.code(), validated, "{file}: simulate and validate disagree");
        assert_eq!(output.status.code().map(|c| c.to_string()).as_deref(), Some(expected.trim()), "{file}");
    }
}

/// Numbers compared by value (`1` equals `1.0`), everything else as is.
fn normalize(value: &Value) -> Value {
    match value {
        Value::Number(n) => serde_json::json!(n.as_f64()),
        Value::Array(items) => Value::Array(items.iter().map(normalize).collect()),
        Value::Object(map) => Value::Object(map.iter().map(|(k, v)| (k.clone(), normalize(v))).collect()),
        other => other.clone(),
    }
}

#[test]
fn the_init_template_fires_on_the_demo_recording() {
    let dir = tempfile::tempdir().unwrap();
    autoplay().current_dir(dir.path()).args(["triggers", "init", "-q"]).assert().code(0);
    let demo = fixture("../../templates/demo-recording.jsonl");
    let output = simulate(&dir.path().join("products.json"), &demo);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let fires = |text: &str| -> Vec<Value> {
        text.lines()
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .filter(|r| r["kind"] == "fire")
            .map(|r| normalize(&r))
            .collect()
    };
    let ours = fires(&String::from_utf8_lossy(&output.stdout));
    for trigger in ["canonical_url_ping_pong", "user_page_dwell", "section_playbook_match"] {
        assert!(ours.iter().any(|f| f["trigger_id"] == trigger), "no {trigger} fire");
    }
    // The SDK oracle's fires for the same input (tests/fixtures/validate/init-demo-oracle.jsonl).
    let oracle = fires(&std::fs::read_to_string(fixture("validate/init-demo-oracle.jsonl")).unwrap());
    assert_eq!(ours, oracle);
}

#[test]
fn every_simulate_golden_config_is_valid() {
    let mut checked = 0;
    for entry in std::fs::read_dir(fixture("simulate")).unwrap() {
        let dir = entry.unwrap().path();
        let config = dir.join("config.json");
        // Cases the oracle refuses (`expected_exit.txt`) hold bad configs or bad recordings
        // on purpose.
        if !config.exists() || dir.join("expected_exit.txt").exists() {
            continue;
        }
        let output = autoplay().args(["triggers", "validate", "--format", "json"]).arg(&config).output().unwrap();
        let report: Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(output.status.code(), Some(0), "{}: {report:#}", config.display());
        assert_eq!(report["errors"], 0);
        checked += 1;
    }
    assert!(checked >= 10);
}

/// One schema for validate and simulate: each value the engine raises on (as the SDK does)
/// when a session reaches it is reported by `validate` at its path and line, with the very
/// exception `simulate` stops with on a recording that reaches it. The template with the value
/// put back runs clean on the same recording, so the failure is the value's.
#[test]
fn validate_reports_every_value_that_makes_simulate_raise() {
    let template: Value =
        serde_json::from_str(&std::fs::read_to_string(crate::support::template("products.json")).unwrap()).unwrap();
    let recording = crate::support::template("demo-recording.jsonl");
    let ic = "/0/integration_config";
    let pt = "/0/integration_config/proactive_triggers";
    // (JSON pointer of the value, the bad value, reached by the demo recording?)
    let cases: Vec<(String, Value, bool)> = vec![
        (format!("{pt}/section_playbook/pricing/body"), serde_json::json!(5), true),
        (format!("{pt}/section_playbook/pricing/body"), serde_json::json!(["a"]), true),
        (format!("{pt}/current_section_id"), serde_json::json!(7), true),
        (format!("{pt}/section_url_rules/0/prefix"), serde_json::json!(5), true),
        (format!("{pt}/section_url_rules/0"), serde_json::json!("pricing"), true),
        (format!("{pt}/dwell_threshold_seconds"), serde_json::json!("soon"), true),
        (format!("{pt}/dwell_proactive_body"), serde_json::json!(5), true),
        // Reached only when a user answers a chip or a tour runs, which the demo does not do.
        (format!("{ic}/tour_offer_body"), serde_json::json!(5), false),
        (format!("{ic}/tour_registry/0/interaction_timeout_s"), serde_json::json!("x"), false),
        (format!("{ic}/proactive_intercom/0/messages"), serde_json::json!(5), false),
    ];
    let dir = tempfile::tempdir().unwrap();
    let clean = dir.path().join("clean.json");
    std::fs::write(&clean, serde_json::to_string_pretty(&template).unwrap()).unwrap();
    assert!(simulate(&clean, &recording).status.success(), "the template runs clean on the demo");
    for (pointer, bad, reached) in cases {
        let mut config = template.clone();
        let (parent, key) = pointer.rsplit_once('/').unwrap();
        match config.pointer_mut(parent).unwrap_or_else(|| panic!("{parent} is in the template")) {
            Value::Object(object) => drop(object.insert(key.to_string(), bad.clone())),
            Value::Array(items) => items[key.parse::<usize>().unwrap()] = bad.clone(),
            other => panic!("{parent} is {other}"),
        }
        let file = dir.path().join("products.json");
        let text = serde_json::to_string_pretty(&config).unwrap();
        std::fs::write(&file, &text).unwrap();
        let output = autoplay().args(["triggers", "validate", "--format", "json"]).arg(&file).output().unwrap();
        let report: Value = serde_json::from_slice(&output.stdout).unwrap();
        let raising: Vec<&Value> =
            report["problems"].as_array().unwrap().iter().filter(|p| p["code"] == "sdk_raises").collect();
        assert_eq!(raising.len(), 1, "{pointer} = {bad}: {report:#}");
        let problem = raising[0];
        // The path names the value (or, for a list of entries, the list), and the line is
        // where the value is written.
        let path = problem["path"].as_str().unwrap();
        let line = problem["line"].as_u64().unwrap() as usize;
        let written = text.lines().nth(line - 1).unwrap();
        let last = pointer.rsplit('/').next().unwrap();
        assert!(
            written.contains(&format!("\"{last}\"")) || last.parse::<usize>().is_ok(),
            "{pointer}: line {line} is {written:?}"
        );
        assert!(!path.is_empty(), "{problem:#}");
        let message = problem["message"].as_str().unwrap();
        let simulated = simulate(&file, &recording);
        if reached {
            assert_eq!(simulated.status.code(), Some(2), "{pointer} = {bad}: simulate should stop");
            let stderr = String::from_utf8_lossy(&simulated.stderr);
            let raised = stderr.split("the SDK raised ").nth(1).and_then(|r| r.split(" (product").next()).unwrap();
            assert!(message.contains(raised), "{pointer}: validate says {message:?}, simulate raised {raised:?}");
        } else {
            assert!(simulated.status.success(), "{pointer}: the demo does not reach this value");
            assert!(message.contains("Error: "), "{pointer}: {message:?} names the exception");
        }
    }
}
