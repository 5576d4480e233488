//! `autoplay demo`: its steps as NDJSON, its files kept where it says, and every command it
//! prints runs as printed.

use crate::support::{ServeProcess, autoplay};

fn steps(dir: &std::path::Path) -> Vec<serde_json::Value> {
    let output = autoplay().args(["demo", "--format", "json", "--keep"]).arg(dir).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object a line"))
        .collect()
}

/// The printed command's words after `autoplay` (the demo's folder has no spaces).
fn words(command: &str) -> Vec<String> {
    let rest = command.strip_prefix("autoplay ").expect("an autoplay command");
    rest.split_whitespace().map(str::to_string).collect()
}

#[test]
fn json_prints_one_object_per_step_and_its_commands_run_as_printed() {
    let dir = tempfile::tempdir().unwrap();
    let steps = steps(dir.path());
    let ids: Vec<&str> = steps.iter().map(|s| s["step"].as_str().unwrap()).collect();
    assert_eq!(ids, ["serve", "tail", "sessions", "triggers", "report", "next"]);
    assert_eq!(steps[1]["events"], 46, "{}", steps[1]);
    for file in ["demo-recording.jsonl", "products.json", "demo.key", "demo-report.html"] {
        assert!(dir.path().join(file).is_file(), "{file} kept in the --keep folder");
    }
    // The offline commands of the sessions, triggers and report steps succeed as printed.
    for step in &steps[2..5] {
        for command in step["commands"].as_array().unwrap() {
            let command = command.as_str().unwrap();
            let output = autoplay().args(words(command)).output().unwrap();
            assert!(output.status.success(), "{command}: {}", String::from_utf8_lossy(&output.stderr));
            assert!(!output.stdout.is_empty() || command.contains("--report"), "{command} printed nothing");
        }
    }
    // The printed serve and tail commands work together (serve on a free port here).
    let serve_words = words(steps[0]["commands"][0].as_str().unwrap());
    let args: Vec<&str> = serve_words[1..].iter().map(String::as_str).collect();
    let serve = ServeProcess::start(&args);
    let tail_words = words(steps[1]["commands"][0].as_str().unwrap());
    let url = tail_words.iter().position(|w| w == "--url").unwrap() + 1;
    let mut tail_words = tail_words.clone();
    tail_words[url] = serve.stream_url("demo");
    let output = autoplay().args(&tail_words).args(["--max-events", "1", "--format", "json"]).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(String::from_utf8_lossy(&output.stdout).lines().count(), 1);
}

#[test]
fn pretty_names_its_folder_and_prints_runnable_commands() {
    let dir = tempfile::tempdir().unwrap();
    let output = autoplay()
        .args(["demo", "--format", "pretty", "--duration", "20s", "--keep"])
        .arg(dir.path())
        .env("COLUMNS", "100")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8_lossy(&output.stdout);
    let recording = dir.path().join("demo-recording.jsonl");
    assert!(text.contains(&format!("  $ autoplay sessions list --from {}\n", recording.display())), "{text}");
    assert!(text.contains(&format!("the demo's files are in {}", dir.path().display())), "{text}");
    assert!(text.contains("8 sessions in the recording:"), "{text}");
    // What the live tail showed, counted right.
    assert!(text.contains("46 events: 40 actions payloads, 6 summaries"), "{text}");
}

#[test]
fn a_format_the_demo_does_not_print_is_refused_clearly() {
    let output = autoplay().args(["demo", "--format", "text"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("[possible values: pretty, json]"));
}
