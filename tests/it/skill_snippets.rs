//! Every fenced block of every skill file, checked: JSON parses and config fragments pass
//! `triggers validate --strict`; every `autoplay` command of a shell block runs against local
//! fixtures (a local `autoplay serve`, a generated recording, a template config); Python blocks
//! compile and resolve their `autoplay_sdk` imports, attributes and call keywords in the release
//! they target, and runnable sketches run against a local `autoplay serve`; JS/TS/HTML blocks
//! pass `node --check`.
//!
//! A block's info string names its language and may carry attributes: `sdk=0.7` / `sdk=0.13`
//! (the release a Python block targets; default 0.13), `run=NAME` (run it with
//! `tests/skill_snippets/NAME.py`), `fragment=integration_config` (JSON keys of an
//! `integration_config` object), `no-run` (a placeholder fragment: compiled, never run).
//! The SDK interpreters come from `AUTOPLAY_SDK073_PYTHON` and `AUTOPLAY_SDK013_PYTHON`
//! (`.ci/run` creates them); without them, or without `node`, those tests print why they
//! were skipped.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{RawServer, ServeProcess, autoplay, http_response};

/// One fenced block: where it is, its language, its attributes and its text.
struct Block {
    file: String,
    line: usize,
    lang: String,
    attrs: Vec<String>,
    text: String,
}

impl Block {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find_map(|a| a.strip_prefix(name).and_then(|v| v.strip_prefix('=')))
    }
    fn has(&self, flag: &str) -> bool {
        self.attrs.iter().any(|a| a == flag)
    }
    fn place(&self) -> String {
        format!("{}:{}", self.file, self.line)
    }
}

const LANGUAGES: [&str; 9] = ["sh", "json", "python", "js", "ts", "html", "text", "http", "jsonc"];

/// Fails with `what` and everything the process printed unless it exited 0.
fn assert_success(output: &std::process::Output, what: &str) {
    assert!(
        output.status.success(),
        "{what}: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn skills_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("skills")
}

fn helper(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/skill_snippets").join(name)
}

fn markdown_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            markdown_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
}

/// Every fenced block of every Markdown file under `skills/`.
fn blocks() -> Vec<Block> {
    let mut files = Vec::new();
    markdown_files(&skills_dir(), &mut files);
    files.sort();
    let mut out = Vec::new();
    for path in files {
        let file = path.strip_prefix(skills_dir()).unwrap().to_string_lossy().into_owned();
        let text = fs::read_to_string(&path).unwrap();
        let mut open: Option<Block> = None;
        for (n, line) in text.lines().enumerate() {
            match (&mut open, line.strip_prefix("```")) {
                (None, Some(info)) => {
                    let mut words = info.split_whitespace();
                    let lang = words.next().unwrap_or("").to_string();
                    let attrs = words.map(str::to_string).collect();
                    open = Some(Block { file: file.clone(), line: n + 1, lang, attrs, text: String::new() });
                }
                (Some(_), Some("")) => out.push(open.take().unwrap()),
                (Some(block), _) => {
                    block.text.push_str(line);
                    block.text.push('\n');
                }
                (None, None) => {}
            }
        }
        assert!(open.is_none(), "{file}: a fenced block is never closed");
    }
    out
}

#[test]
fn every_block_names_its_language_and_json_blocks_parse() {
    let all = blocks();
    assert!(all.len() > 40, "only {} blocks found", all.len());
    for block in &all {
        assert!(LANGUAGES.contains(&block.lang.as_str()), "{}: fence language `{}`", block.place(), block.lang);
        if block.lang != "json" {
            continue;
        }
        let document = match block.attr("fragment") {
            Some("integration_config") => format!(
                r#"[{{"product_id": "acme", "contact_email": "ops@acme.com", "integration_type": "event_stream",
                    "integration_config": {{"mode": "sse", {}}}}}]"#,
                block.text
            ),
            Some(other) => panic!("{}: unknown fragment kind `{other}`", block.place()),
            None => block.text.clone(),
        };
        let parsed: Result<serde_json::Value, _> = serde_json::from_str(&document);
        assert!(parsed.is_ok(), "{}: not JSON: {:?}", block.place(), parsed.err());
        if block.attr("fragment").is_some() {
            let dir = tempfile::tempdir().unwrap();
            let config = dir.path().join("products.json");
            fs::write(&config, &document).unwrap();
            let output = autoplay()
                .args(["triggers", "validate", "--strict", "--format", "json"])
                .arg(&config)
                .output()
                .unwrap();
            assert_success(&output, &format!("{}: triggers validate --strict", block.place()));
        }
    }
}

/// The folder a shell block runs in: a recording, a template config, key files.
struct Fixtures {
    dir: tempfile::TempDir,
    session: String,
    user: String,
}

/// `rec.jsonl` is recorded from `serve` (synthetic traffic) as the skills record theirs, so its
/// timestamps are recent: `sessions user` looks back from now.
fn fixtures(serve: &ServeProcess) -> Fixtures {
    let dir = tempfile::tempdir().unwrap();
    let recording = dir.path().join("rec.jsonl");
    autoplay()
        .args(["tail", "--format", "json", "--duration", "1500ms", "--url", &serve.stream_url("demo")])
        .arg("--record")
        .arg(&recording)
        .env("AUTOPLAY_APP_UNKEY_TOKEN", "dev_key")
        .assert()
        .success();
    let first: serde_json::Value = fs::read_to_string(&recording)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|v| v["type"] == "actions" && v["user_id"].is_string())
        .expect("an actions event with a user");
    autoplay().current_dir(dir.path()).args(["triggers", "init"]).assert().success();
    fs::write(dir.path().join("key.txt"), "dev_key\n").unwrap();
    fs::write(dir.path().join("secret.txt"), "forward_secret\n").unwrap();
    Fixtures {
        session: first["session_id"].as_str().unwrap().to_string(),
        user: first["user_id"].as_str().unwrap().to_string(),
        dir,
    }
}

/// A shell line as the test runs it: placeholders filled in, waits bounded to a second.
fn runnable(line: &str, fx: &Fixtures, webhook: &str) -> String {
    let mut command = line.split(" # ").next().unwrap().trim().to_string();
    for (placeholder, value) in [
        ("<session_id>", fx.session.as_str()),
        ("<user_id>", fx.user.as_str()),
        ("<your user id>", fx.user.as_str()),
        ("<botpress webhook url>", webhook),
    ] {
        command = command.replace(placeholder, value);
    }
    assert!(!command.contains('<'), "a placeholder the test does not know: {line}");
    let words: Vec<&str> = command.split_whitespace().collect();
    if let Some(i) = words.iter().position(|w| *w == "--duration") {
        let mut words: Vec<String> = words.iter().map(|w| w.to_string()).collect();
        words[i + 1] = "1s".into();
        command = words.join(" ");
    } else if words.get(1) == Some(&"tail") && !command.contains("--max-events") {
        command.push_str(" --duration 1s");
    }
    command
}

fn bash(dir: &Path, command: &str, env: &[(&str, &str)]) -> std::process::Output {
    let binary = assert_cmd::cargo::cargo_bin("autoplay");
    let path = format!("{}:{}", binary.parent().unwrap().display(), std::env::var("PATH").unwrap_or_default());
    let mut cmd = Command::new("bash");
    cmd.current_dir(dir).arg("-c").arg(command).env("PATH", path).env("NO_COLOR", "1").env("AUTOPLAY_NO_INPUT", "true");
    for name in [
        "AUTOPLAY_APP_UNKEY_TOKEN",
        "AUTOPLAY_UNKEY_TOKEN",
        "AUTOPLAY_STREAM_URL",
        "AUTOPLAY_PROFILE",
        "AUTOPLAY_FORMAT",
    ] {
        cmd.env_remove(name);
    }
    for (name, value) in env {
        cmd.env(name, value);
    }
    cmd.output().unwrap()
}

#[test]
fn every_autoplay_command_of_every_shell_block_runs_against_local_fixtures() {
    let serve = ServeProcess::start(&["--synthetic", "--rate", "50", "--key", "dev_key"]);
    let hook = RawServer::start(vec![http_response("200 OK", "application/json", b"{}")]);
    let webhook = format!("{}/hook", hook.url);
    let mut ran = 0;
    for block in blocks().iter().filter(|b| b.lang == "sh") {
        let fx = fixtures(&serve);
        let config = fx.dir.path().join("config");
        let env = [
            ("AUTOPLAY_CONNECTOR_URL", serve.url.as_str()),
            ("AUTOPLAY_PRODUCT_ID", "demo"),
            ("AUTOPLAY_APP_UNKEY_TOKEN", "dev_key"),
            ("AUTOPLAY_CONFIG_DIR", config.to_str().unwrap()),
        ];
        for line in block.text.lines().map(str::trim).filter(|l| l.starts_with("autoplay ")) {
            let command = runnable(line, &fx, &webhook);
            let output = bash(fx.dir.path(), &command, &env);
            assert_eq!(
                output.status.code(),
                Some(0),
                "{}: `{command}` failed:\n{}",
                block.place(),
                String::from_utf8_lossy(&output.stderr)
            );
            ran += 1;
        }
    }
    assert!(ran > 50, "only {ran} commands ran");
}

/// The exit codes the skills' prose promises for `autoplay tail`.
#[test]
fn tail_exit_codes_are_the_ones_the_skills_state() {
    let serve = ServeProcess::start(&["--key", "dev_key"]);
    let fx = tempfile::tempdir().unwrap();
    let run = |url: &str, key: &str, extra: &str| {
        bash(fx.path(), &format!("autoplay tail --url {url} {extra}"), &[("AUTOPLAY_APP_UNKEY_TOKEN", key)])
            .status
            .code()
    };
    assert_eq!(run(&serve.stream_url("demo"), "wrong", "--duration 5s"), Some(4), "401 stops with exit 4");
    assert_eq!(run(&serve.stream_url("nope"), "dev_key", "--duration 5s"), Some(5), "404 stops with exit 5");
    assert_eq!(
        run(&serve.stream_url("demo"), "dev_key", "--expect-events 1 --duration 1s"),
        Some(3),
        "no event: exit 3"
    );
    let bad_mode = ServeProcess::start(&["--key", "dev_key", "--fail-status", "400"]);
    assert_eq!(
        run(&bad_mode.stream_url("demo"), "dev_key", "--max-retries 1 --duration 20s"),
        Some(1),
        "400 is retried until --max-retries gives up"
    );
}

fn sdk_python(release: &str) -> Option<PathBuf> {
    let var = match release {
        "0.7" => "AUTOPLAY_SDK073_PYTHON",
        "0.13" => "AUTOPLAY_SDK013_PYTHON",
        other => panic!("unknown SDK release `{other}`"),
    };
    std::env::var_os(var).map(PathBuf::from).filter(|p| p.exists())
}

/// A recording of two sessions in bursts with timestamps from now on, so that the pre-link
/// window keeps them: replayed at speed 1 it is live traffic for the sketches.
fn live_recording(dir: &Path) -> PathBuf {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs_f64() + 1.0;
    let mut t = now;
    let mut lines = String::new();
    for burst in 0..16 {
        for i in 0..5 {
            for session in ["ps_sketch", "ps_other"] {
                let n = burst * 5 + i;
                let event = serde_json::json!({"type": "actions", "product_id": "demo", "session_id": session,
                    "user_id": "u_sketch", "actions": [{"index": n, "type": "click", "title": "Click",
                    "description": format!("Clicked button {n} ({session})"), "canonical_url": "https://app.test/p",
                    "raw_url": "https://app.test/p", "timestamp_start": t, "timestamp_end": t}],
                    "count": 1, "forwarded_at": t});
                lines.push_str(&event.to_string());
                lines.push('\n');
            }
            t += 0.02;
        }
        t += 0.35;
    }
    let path = dir.join("live.jsonl");
    fs::write(&path, lines).unwrap();
    path
}

#[test]
fn python_blocks_resolve_in_their_sdk_release_and_sketches_run() {
    let (Some(sdk07), Some(sdk013)) = (sdk_python("0.7"), sdk_python("0.13")) else {
        eprintln!(
            "python_blocks_resolve_in_their_sdk_release_and_sketches_run: skipped: AUTOPLAY_SDK073_PYTHON and \
             AUTOPLAY_SDK013_PYTHON must name interpreters with autoplay-sdk[serve] 0.7.3 and 0.13.0 (.ci/run makes them)"
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut checked = 0;
    for (i, block) in blocks().iter().filter(|b| b.lang == "python").enumerate() {
        let python = match block.attr("sdk").unwrap_or("0.13") {
            "0.7" => &sdk07,
            "0.13" => &sdk013,
            other => panic!("{}: unknown sdk `{other}`", block.place()),
        };
        let file = dir.path().join(format!("block{i}.py"));
        fs::write(&file, &block.text).unwrap();
        let output = Command::new(python).arg(helper("check_python.py")).arg(&file).output().unwrap();
        assert_success(&output, &block.place());
        checked += 1;
        let Some(name) = block.attr("run") else { continue };
        assert!(!block.has("no-run"), "{}: both run= and no-run", block.place());
        let recording = live_recording(dir.path());
        let serve = ServeProcess::start(&["--key", "dev_key", "--replay", recording.to_str().unwrap(), "--speed", "1"]);
        let output = Command::new(python)
            .arg(helper(&format!("{}.py", name.replace('-', "_"))))
            .arg(&file)
            .arg("u_sketch")
            .env("AUTOPLAY_STREAM_URL", serve.stream_url("demo"))
            .env("AUTOPLAY_APP_UNKEY_TOKEN", "dev_key")
            .output()
            .unwrap();
        assert_success(&output, &format!("{}: run={name}", block.place()));
    }
    assert!(checked >= 4, "only {checked} Python blocks");
    // The SDK behaviours the skills state in prose (the table in skills/README.md).
    for (python, release) in [(&sdk07, "0.7"), (&sdk013, "0.13")] {
        let output = Command::new(python).arg(helper("sdk_claims.py")).arg(release).output().unwrap();
        assert_success(&output, &format!("sdk_claims.py {release}"));
    }
}

/// The script bodies of an HTML block (inline scripts only).
fn scripts(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        // The tag ends at the first `>` outside a quoted attribute value.
        let mut quote = None;
        let Some(open_end) = rest[start..].char_indices().find_map(|(i, c)| {
            match (quote, c) {
                (None, '"' | '\'') => quote = Some(c),
                (Some(q), c) if c == q => quote = None,
                (None, '>') => return Some(i),
                _ => {}
            }
            None
        }) else {
            break;
        };
        let body_start = start + open_end + 1;
        let Some(close) = rest[body_start..].find("</script>") else { break };
        out.push_str(&rest[body_start..body_start + close]);
        out.push('\n');
        rest = &rest[body_start + close..];
    }
    out
}

#[test]
fn js_ts_and_html_blocks_pass_node_check() {
    if Command::new("node").arg("--version").output().is_err() {
        eprintln!("js_ts_and_html_blocks_pass_node_check: skipped: node is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for (i, block) in blocks().iter().enumerate() {
        let (source, ext) = match block.lang.as_str() {
            "js" => (block.text.clone(), "js"),
            // The TS blocks use no type syntax; as ES modules they check with plain node.
            "ts" => (block.text.clone(), "mjs"),
            "html" => (scripts(&block.text), "js"),
            _ => continue,
        };
        let file = dir.path().join(format!("block{i}.{ext}"));
        fs::write(&file, source).unwrap();
        let output = Command::new("node").arg("--check").arg(&file).output().unwrap();
        assert_success(&output, &block.place());
    }
}
