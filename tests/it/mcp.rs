//! `autoplay mcp` driven over stdio by a real MCP client (rmcp's): the handshake, the tool
//! and resource lists, every tool on fixtures, bad inputs, path escapes and cancellation. The
//! official Python MCP SDK check runs when `.ci/run` provides its interpreter
//! (`AUTOPLAY_MCP_PYTHON`); without it the test says it was skipped.

use std::path::Path;
use std::process::Stdio;

use rmcp::model::{CallToolRequestParams, CallToolResult, ClientRequest, ReadResourceRequestParams, Request};
use rmcp::service::{PeerRequestOptions, RunningService};
use rmcp::transport::TokioChildProcess;
use rmcp::{RoleClient, ServiceExt};
use serde_json::{Value, json};

use crate::support::{ServeProcess, autoplay, autoplay_process, fixture};

type Client = RunningService<RoleClient, ()>;

/// `autoplay mcp` started in `dir` with the test environment of `support::autoplay`.
fn server_command(dir: &Path, extra: &[&str]) -> tokio::process::Command {
    let mut cmd = autoplay_process();
    cmd.arg("mcp").args(extra).current_dir(dir);
    tokio::process::Command::from(cmd)
}

async fn connect(cmd: tokio::process::Command) -> Client {
    let (transport, _stderr) =
        TokioChildProcess::builder(cmd).stderr(Stdio::null()).spawn().expect("autoplay mcp starts");
    ().serve(transport).await.expect("the MCP handshake succeeds")
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap()
}

async fn call(client: &Client, tool: &str, arguments: Value) -> CallToolResult {
    let arguments = arguments.as_object().cloned().unwrap_or_default();
    client
        .call_tool(CallToolRequestParams::new(tool.to_string()).with_arguments(arguments))
        .await
        .unwrap_or_else(|e| panic!("{tool}: the call itself failed: {e}"))
}

fn text(result: &CallToolResult) -> String {
    result.content.iter().filter_map(|c| c.as_text().map(|t| t.text.clone())).collect::<Vec<_>>().join("")
}

fn ok(result: CallToolResult, tool: &str) -> CallToolResult {
    assert_eq!(result.is_error, Some(false), "{tool} failed: {}", text(&result));
    result
}

/// A project folder with a recording, the template config and a broken config.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(root.join("templates/demo-recording.jsonl"), dir.path().join("rec.jsonl")).unwrap();
    std::fs::copy(root.join("templates/products.json"), dir.path().join("products.json")).unwrap();
    std::fs::copy(fixture("validate/errors.json"), dir.path().join("errors.json")).unwrap();
    std::fs::copy(fixture("sessions/context-product-scoped/events.jsonl"), dir.path().join("scoped.jsonl")).unwrap();
    std::fs::create_dir(dir.path().join("sim")).unwrap();
    for file in ["config.json", "events.jsonl"] {
        std::fs::copy(fixture(&format!("simulate/chat-reactive-timeout/{file}")), dir.path().join("sim").join(file))
            .unwrap();
    }
    dir
}

fn cli_stdout(dir: &Path, args: &[&str]) -> String {
    let output = autoplay().current_dir(dir).args(args).output().unwrap();
    assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

fn cli_stderr(dir: &Path, args: &[&str]) -> String {
    let output = autoplay().current_dir(dir).args(args).output().unwrap();
    assert!(!output.status.success(), "{args:?} should fail");
    String::from_utf8(output.stderr).unwrap()
}

#[test]
fn lists_every_tool_and_the_skills_and_template_as_resources() {
    let dir = project();
    runtime().block_on(async {
        let client = connect(server_command(dir.path(), &[])).await;
        let info = client.peer_info().expect("server info");
        assert_eq!(info.server_info.as_ref().map(|s| s.name.as_str()), Some("autoplay"));
        let mut names: Vec<String> =
            client.list_all_tools().await.unwrap().into_iter().map(|t| t.name.to_string()).collect();
        names.sort();
        assert_eq!(
            names,
            [
                "auth_status",
                "session_context",
                "session_show",
                "sessions_list",
                "sessions_stats",
                "stream_sample",
                "triggers_explain",
                "triggers_init_template",
                "triggers_simulate",
                "triggers_validate",
                "user_activity",
            ]
        );
        let tools = client.list_all_tools().await.unwrap();
        let context = tools.iter().find(|t| t.name == "session_context").unwrap();
        let schema = serde_json::to_value(&*context.input_schema).unwrap();
        assert_eq!(schema["required"], json!(["session"]), "{schema}");
        assert!(schema["properties"]["from"].is_object(), "{schema}");

        let resources = client.list_all_resources().await.unwrap();
        let uris: Vec<&str> = resources.iter().map(|r| r.uri.as_str()).collect();
        assert!(uris.contains(&"autoplay://skills/autoplay-core/SKILL.md"), "{uris:?}");
        assert!(uris.contains(&"autoplay://skills/chatbot-intercom/SKILL.md"), "{uris:?}");
        assert!(uris.contains(&"autoplay://templates/products.json"), "{uris:?}");
        let read =
            client.read_resource(ReadResourceRequestParams::new("autoplay://templates/products.json")).await.unwrap();
        let body = serde_json::to_value(&read.contents[0]).unwrap();
        assert_eq!(body["text"].as_str().unwrap(), std::fs::read_to_string(dir.path().join("products.json")).unwrap());
        let skill = client
            .read_resource(ReadResourceRequestParams::new("autoplay://skills/autoplay-core/SKILL.md"))
            .await
            .unwrap();
        let skill = serde_json::to_value(&skill.contents[0]).unwrap();
        let on_disk =
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("skills/autoplay-core/SKILL.md"))
                .unwrap();
        assert_eq!(skill["text"].as_str().unwrap(), on_disk);
        assert!(client.read_resource(ReadResourceRequestParams::new("autoplay://nothing")).await.is_err());
        client.cancel().await.unwrap();
    });
}

#[test]
fn session_tools_answer_what_the_sessions_commands_print() {
    let dir = project();
    let path = dir.path();
    runtime().block_on(async {
        let client = connect(server_command(path, &[])).await;

        let query = "How do I add a teammate?";
        let context = ok(
            call(
                &client,
                "session_context",
                json!({"from": "scoped.jsonl", "session": "ps_1", "product": "acme", "query": query}),
            )
            .await,
            "session_context",
        );
        let cli = cli_stdout(
            path,
            &["sessions", "context", "ps_1", "--from", "scoped.jsonl", "--product", "acme", "--query", query],
        );
        assert_eq!(text(&context), cli.strip_suffix('\n').unwrap_or(&cli));
        let expected = std::fs::read_to_string(fixture("sessions/context-product-scoped/expected.txt")).unwrap();
        assert_eq!(text(&context).trim_end(), expected.trim_end());
        assert_eq!(context.structured_content.as_ref().unwrap()["session_id"], "ps_1");

        let list = ok(call(&client, "sessions_list", json!({"from": "rec.jsonl"})).await, "sessions_list");
        let cli = cli_stdout(path, &["sessions", "list", "--from", "rec.jsonl", "--format", "pretty"]);
        assert_eq!(text(&list), cli.trim_end());
        let rows = &list.structured_content.as_ref().unwrap()["sessions"];
        let cli_rows: Vec<Value> = cli_stdout(path, &["sessions", "list", "--from", "rec.jsonl", "--format", "json"])
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(rows, &json!(cli_rows));
        let session = cli_rows[0]["session_id"].as_str().unwrap().to_string();
        let user = cli_rows[0]["user_id"].as_str().unwrap().to_string();

        let limited = ok(call(&client, "sessions_list", json!({"from": "rec.jsonl", "limit": 2})).await, "list");
        assert!(text(&limited).contains("showing 2 of 8 sessions"), "{}", text(&limited));

        let show = ok(call(&client, "session_show", json!({"from": "rec.jsonl", "session": session})).await, "show");
        let cli = cli_stdout(path, &["sessions", "show", &session, "--from", "rec.jsonl", "--format", "pretty"]);
        assert_eq!(text(&show), cli.trim_end());

        let stats = ok(call(&client, "sessions_stats", json!({"from": "rec.jsonl"})).await, "stats");
        let cli = cli_stdout(path, &["sessions", "stats", "--from", "rec.jsonl", "--format", "pretty"]);
        assert_eq!(text(&stats), cli.trim_end());
        let cli_json: Value =
            serde_json::from_str(&cli_stdout(path, &["sessions", "stats", "--from", "rec.jsonl", "--format", "json"]))
                .unwrap();
        assert_eq!(stats.structured_content.as_ref().unwrap(), &cli_json);

        let activity = ok(call(&client, "user_activity", json!({"from": "rec.jsonl", "user": user})).await, "user");
        let cli = cli_stdout(path, &["sessions", "user", &user, "--from", "rec.jsonl"]);
        assert_eq!(text(&activity), cli.trim_end());
        client.cancel().await.unwrap();
    });
}

#[test]
fn trigger_tools_validate_simulate_explain_and_give_the_template() {
    let dir = project();
    let path = dir.path();
    runtime().block_on(async {
        let client = connect(server_command(path, &[])).await;

        let clean = ok(call(&client, "triggers_validate", json!({"config": "products.json"})).await, "validate");
        assert_eq!(clean.structured_content.as_ref().unwrap()["valid"], true);
        assert!(text(&clean).contains("products.json: valid, no problems found"), "{}", text(&clean));

        let broken = ok(call(&client, "triggers_validate", json!({"config": "errors.json"})).await, "validate");
        let report = broken.structured_content.as_ref().unwrap();
        let output = autoplay()
            .current_dir(path)
            .args(["triggers", "validate", "errors.json", "--format", "json"])
            .output()
            .unwrap();
        let cli: Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(report, &cli);
        assert_eq!(report["valid"], false);
        let first = &report["problems"][0];
        assert!(first["line"].is_u64() && first["path"].is_string(), "{first}");
        let cli_pretty = String::from_utf8(
            autoplay()
                .current_dir(path)
                .args(["triggers", "validate", "errors.json", "--format", "pretty"])
                .output()
                .unwrap()
                .stdout,
        )
        .unwrap();
        assert_eq!(text(&broken), cli_pretty.trim_end_matches('\n').to_string() + "\n");

        let args = json!({"config": "sim/config.json", "events": "sim/events.jsonl"});
        let simulated = ok(call(&client, "triggers_simulate", args.clone()).await, "simulate");
        let cli: Vec<Value> = cli_stdout(
            path,
            &[
                "triggers",
                "simulate",
                "--config",
                "sim/config.json",
                "--events",
                "sim/events.jsonl",
                "--format",
                "json",
            ],
        )
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
        assert_eq!(simulated.structured_content.as_ref().unwrap()["records"], json!(cli));
        let cli_pretty = cli_stdout(
            path,
            &[
                "triggers",
                "simulate",
                "--config",
                "sim/config.json",
                "--events",
                "sim/events.jsonl",
                "--format",
                "pretty",
            ],
        );
        assert_eq!(text(&simulated), cli_pretty.trim_end_matches('\n'));

        // The focus filters and --why: the records `triggers simulate --why --session S` prints.
        let session = cli[0]["session_id"].as_str().unwrap().to_string();
        let mut filtered = args.clone();
        filtered["sessions"] = json!([session]);
        filtered["why"] = json!(true);
        let one = ok(call(&client, "triggers_simulate", filtered).await, "simulate");
        let records = one.structured_content.as_ref().unwrap()["records"].as_array().unwrap().clone();
        assert!(!records.is_empty());
        assert!(records.iter().all(|r| r["session_id"] == json!(session)));
        assert!(records.iter().any(|r| r["kind"] == "evaluation"), "{records:?}");
        let focused_args = [
            "triggers",
            "simulate",
            "--config",
            "sim/config.json",
            "--events",
            "sim/events.jsonl",
            "--why",
            "--session",
            &session,
            "--format",
            "json",
        ];
        let cli_focused: Vec<Value> =
            cli_stdout(path, &focused_args).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert_eq!(records, cli_focused);
        let fires = ok(
            call(
                &client,
                "triggers_simulate",
                json!({"config": "sim/config.json", "events": "sim/events.jsonl", "kinds": ["fire"]}),
            )
            .await,
            "simulate",
        );
        let fire_records = fires.structured_content.as_ref().unwrap()["records"].as_array().unwrap().clone();
        assert!(fire_records.iter().all(|r| r["kind"] == "fire"), "{fire_records:?}");
        let bad_kind = call(
            &client,
            "triggers_simulate",
            json!({"config": "sim/config.json", "events": "sim/events.jsonl", "kinds": ["fires"]}),
        )
        .await;
        assert_eq!(bad_kind.is_error, Some(true));
        assert!(text(&bad_kind).contains("the kinds are fire, timeout"), "{}", text(&bad_kind));

        // triggers_explain is the narrative of `autoplay triggers explain`.
        let mut explain = args.clone();
        explain["session"] = json!(session);
        let explained = ok(call(&client, "triggers_explain", explain).await, "explain");
        let cli_story = cli_stdout(
            path,
            &[
                "triggers",
                "explain",
                &session,
                "--config",
                "sim/config.json",
                "--events",
                "sim/events.jsonl",
                "--format",
                "pretty",
            ],
        );
        assert_eq!(text(&explained), cli_story.trim_end_matches('\n'));
        let cli_story_json: Value = serde_json::from_str(&cli_stdout(
            path,
            &[
                "triggers",
                "explain",
                &session,
                "--config",
                "sim/config.json",
                "--events",
                "sim/events.jsonl",
                "--format",
                "json",
            ],
        ))
        .unwrap();
        assert_eq!(explained.structured_content.as_ref().unwrap(), &cli_story_json);
        let mut missing = args.clone();
        missing["session"] = json!("ps_nobody");
        let missing = call(&client, "triggers_explain", missing).await;
        assert_eq!(missing.is_error, Some(true));
        assert!(text(&missing).contains("no session \"ps_nobody\""), "{}", text(&missing));

        let template = ok(call(&client, "triggers_init_template", json!({})).await, "template");
        assert_eq!(text(&template), std::fs::read_to_string(path.join("products.json")).unwrap());
        client.cancel().await.unwrap();
    });
}

#[test]
fn bad_inputs_and_path_escapes_are_tool_errors_with_the_cli_message() {
    let dir = project();
    let outside = tempfile::tempdir().unwrap();
    std::fs::copy(dir.path().join("rec.jsonl"), outside.path().join("rec.jsonl")).unwrap();
    let outside_rec = outside.path().join("rec.jsonl").display().to_string();
    runtime().block_on(async {
        let client = connect(server_command(dir.path(), &[])).await;
        for from in ["../rec.jsonl", outside_rec.as_str(), "-"] {
            let result = call(&client, "sessions_list", json!({"from": from})).await;
            assert_eq!(result.is_error, Some(true), "{from}");
            assert!(text(&result).starts_with("error: "), "{}", text(&result));
        }
        let escaped = call(&client, "sessions_list", json!({"from": outside_rec})).await;
        assert!(text(&escaped).contains("outside the folders this server may read"), "{}", text(&escaped));
        assert!(text(&escaped).contains("--allow DIR"), "{}", text(&escaped));
        let escaped = call(&client, "triggers_validate", json!({"config": "../../etc/passwd"})).await;
        assert_eq!(escaped.is_error, Some(true));

        // The same message the CLI prints for an unknown session (exit 5).
        let unknown = call(&client, "session_context", json!({"from": "rec.jsonl", "session": "ps_nobody"})).await;
        assert_eq!(unknown.is_error, Some(true));
        let cli = cli_stderr(dir.path(), &["sessions", "context", "ps_nobody", "--from", "rec.jsonl"]);
        assert_eq!(
            text(&unknown).replace(&dir.path().join("rec.jsonl").display().to_string(), "rec.jsonl"),
            cli.trim_end()
        );
        assert_eq!(unknown.structured_content.as_ref().unwrap()["exit_code"], 5);

        let no_source = call(&client, "sessions_stats", json!({})).await;
        assert_eq!(no_source.is_error, Some(true));
        assert!(text(&no_source).contains("no session data"), "{}", text(&no_source));
        let bad_option =
            call(&client, "session_context", json!({"from": "rec.jsonl", "session": "x", "lookback": -1})).await;
        assert_eq!(bad_option.is_error, Some(true));

        // A wrong argument type is refused, and the server keeps serving.
        let wrong = client
            .call_tool(
                CallToolRequestParams::new("session_context")
                    .with_arguments(json!({"session": 42}).as_object().cloned().unwrap()),
            )
            .await;
        assert!(wrong.is_err() || wrong.as_ref().is_ok_and(|r| r.is_error == Some(true)));
        ok(call(&client, "triggers_init_template", json!({})).await, "template after errors");
        client.cancel().await.unwrap();
    });

    // With --allow, the outside folder is readable.
    runtime().block_on(async {
        let client = connect(server_command(dir.path(), &["--allow", outside.path().to_str().unwrap()])).await;
        ok(call(&client, "sessions_list", json!({"from": outside_rec})).await, "allowed");
        client.cancel().await.unwrap();
    });
}

#[test]
fn results_are_bounded_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let generated = autoplay().args(["generate", "--sessions", "800", "--seed", "3"]).output().unwrap();
    assert!(generated.status.success());
    std::fs::write(dir.path().join("big.jsonl"), &generated.stdout).unwrap();
    runtime().block_on(async {
        let client = connect(server_command(dir.path(), &[])).await;
        let list = ok(call(&client, "sessions_list", json!({"from": "big.jsonl", "limit": 100000})).await, "list");
        let shown = text(&list);
        assert!(shown.len() < 45_000, "{}", shown.len());
        assert!(shown.contains("[truncated: showed"), "{}", &shown[shown.len() - 300..]);
        assert!(shown.contains("lower `limit`"));
        client.cancel().await.unwrap();
    });
}

#[test]
fn stream_sample_takes_events_from_a_local_serve_and_auth_status_shows_no_secret() {
    let dir = project();
    let recording = dir.path().join("rec.jsonl");
    let secret = "k_secret_0123456789abcdef";
    let serve =
        ServeProcess::start(&["--replay", recording.to_str().unwrap(), "--speed", "max", "--loop", "--key", secret]);
    runtime().block_on(async {
        let mut cmd = server_command(dir.path(), &[]);
        cmd.env("AUTOPLAY_APP_UNKEY_TOKEN", secret);
        let client = connect(cmd).await;
        let sample = ok(
            call(&client, "stream_sample", json!({"url": serve.stream_url("demo"), "count": 3, "seconds": 30})).await,
            "stream_sample",
        );
        let data = sample.structured_content.as_ref().unwrap();
        assert_eq!(data["count"], 3);
        assert_eq!(text(&sample).lines().count(), 3);

        let status = ok(call(&client, "auth_status", json!({})).await, "auth_status");
        let everything = format!("{}{}", text(&status), status.structured_content.as_ref().unwrap());
        assert!(!everything.contains("k_secret"), "{everything}");
        assert!(text(&status).contains("AUTOPLAY_APP_UNKEY_TOKEN"), "{}", text(&status));
        client.cancel().await.unwrap();
    });
}

/// A stream that sends its headers and then nothing, until the test ends.
fn silent_stream() -> (String, std::net::TcpListener) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/stream/p", listener.local_addr().unwrap());
    (url, listener)
}

#[test]
fn a_cancelled_call_stops_and_the_server_keeps_serving() {
    use std::io::{Read, Write};
    let dir = project();
    let (url, listener) = silent_stream();
    let (closed_send, closed) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let (mut socket, _) = listener.accept().unwrap();
        let mut head = [0u8; 4096];
        let _ = socket.read(&mut head);
        socket.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n").unwrap();
        // Read until the client hangs up: the cancelled tool must drop its connection.
        let mut rest = [0u8; 64];
        while matches!(socket.read(&mut rest), Ok(n) if n > 0) {}
        let _ = closed_send.send(());
    });
    runtime().block_on(async {
        let client = connect(server_command(dir.path(), &[])).await;
        let arguments = json!({"url": url, "count": 5, "seconds": 110}).as_object().cloned().unwrap();
        let request = ClientRequest::CallToolRequest(Request::new(
            CallToolRequestParams::new("stream_sample").with_arguments(arguments),
        ));
        let handle = client.send_cancellable_request(request, PeerRequestOptions::no_options()).await.unwrap();
        // Once the server has connected to the stream, cancel.
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        handle.cancel(Some("test".into())).await.unwrap();
        tokio::task::spawn_blocking(move || closed.recv().expect("the stream connection is closed after cancelling"))
            .await
            .unwrap();
        ok(call(&client, "triggers_init_template", json!({})).await, "after cancel");
        client.cancel().await.unwrap();
    });
}

/// A call reading a recording reports the bytes read as it goes, and once cancelled it stops
/// reading: the recording here is a FIFO fed a line at a time, and its writer sees the reader
/// close it (a broken pipe) soon after the cancel, instead of the read going on in the
/// background.
#[cfg(unix)]
#[test]
fn a_cancelled_read_stops_reading_the_recording() {
    use std::io::Write;
    let dir = project();
    let fifo = dir.path().join("slow.jsonl");
    if !std::process::Command::new("mkfifo").arg(&fifo).status().is_ok_and(|s| s.success()) {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    let line = std::fs::read_to_string(dir.path().join("rec.jsonl")).unwrap().lines().next().unwrap().to_string();
    let (closed_send, closed) = std::sync::mpsc::channel();
    let writer_fifo = fifo.clone();
    std::thread::spawn(move || {
        // Opening blocks until the server opens the FIFO to read it.
        let mut pipe = std::fs::OpenOptions::new().write(true).open(writer_fifo).unwrap();
        let started = std::time::Instant::now();
        while started.elapsed() < std::time::Duration::from_secs(60) {
            if let Err(err) = pipe.write_all(format!("{line}\n").as_bytes()) {
                let _ = closed_send.send(err.kind());
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    });
    runtime().block_on(async {
        let (log, client) = progress_client(dir.path()).await;
        let params = stats_with_progress("slow.jsonl", 9);
        let request = ClientRequest::CallToolRequest(Request::new(params));
        let handle = client.send_cancellable_request(request, PeerRequestOptions::no_options()).await.unwrap();
        // Wait for a progress notification that counts bytes read, then cancel.
        let mut waited = 0;
        while !log.0.lock().unwrap().iter().any(|(_, m)| m.as_deref().is_some_and(|m| m.ends_with(" read"))) {
            assert!(waited < 200, "no progress while reading: {:?}", log.0.lock().unwrap());
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            waited += 1;
        }
        handle.cancel(Some("test".into())).await.unwrap();
        let kind = tokio::task::spawn_blocking(move || closed.recv_timeout(std::time::Duration::from_secs(30)))
            .await
            .unwrap()
            .expect("the server closes the recording after the cancel");
        assert_eq!(kind, std::io::ErrorKind::BrokenPipe);
        let after = client.call_tool(CallToolRequestParams::new("triggers_init_template")).await.unwrap();
        ok(after, "after cancel");
        client.cancel().await.unwrap();
    });
}

/// The official Python MCP SDK (a client nobody here wrote) lists the tools and calls
/// `session_context`; its text equals `autoplay sessions context`.
#[test]
fn the_python_mcp_sdk_gets_the_same_context_text() {
    let Some(python) = std::env::var_os("AUTOPLAY_MCP_PYTHON") else {
        eprintln!("skipped: AUTOPLAY_MCP_PYTHON is not set (.ci/run installs the Python MCP SDK)");
        return;
    };
    if !Path::new(&python).exists() {
        eprintln!("skipped: AUTOPLAY_MCP_PYTHON={} does not exist", Path::new(&python).display());
        return;
    }
    let dir = project();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/mcp_python/check_context.py");
    let output = std::process::Command::new(&python)
        .arg(&script)
        .arg(assert_cmd::cargo::cargo_bin("autoplay"))
        .args(["scoped.jsonl", "ps_1", "acme"])
        .current_dir(dir.path())
        .env("AUTOPLAY_CONFIG_DIR", std::env::temp_dir().join("autoplay-tests-no-config"))
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let printed = String::from_utf8(output.stdout).unwrap();
    let (tools, context) = printed.split_once("\n---\n").expect("tools, then the context text");
    assert!(tools.lines().any(|t| t == "session_context"), "{tools}");
    assert!(tools.lines().any(|t| t == "triggers_validate"), "{tools}");
    let cli = cli_stdout(dir.path(), &["sessions", "context", "ps_1", "--from", "scoped.jsonl", "--product", "acme"]);
    assert_eq!(context, cli);
}

// ---------------------------------------------------------------------------------------------
// install-skills --mcp
// ---------------------------------------------------------------------------------------------

fn agent_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".claude")).unwrap();
    std::fs::create_dir(dir.path().join(".cursor")).unwrap();
    std::fs::write(dir.path().join(".mcp.json"), r#"{"mcpServers": {"github": {"command": "gh-mcp"}}, "x": 1}"#)
        .unwrap();
    dir
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn install_skills_mcp_merges_the_server_into_both_agents_configs() {
    let dir = agent_project();
    let path = dir.path();
    let output = autoplay().current_dir(path).args(["install-skills", "--mcp", "--format", "pretty"]).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let printed = String::from_utf8(output.stdout).unwrap();
    assert!(printed.contains("updated        .mcp.json   MCP server `autoplay`"), "{printed}");
    assert!(printed.contains("created        .cursor/mcp.json"), "{printed}");

    let claude = read_json(&path.join(".mcp.json"));
    assert_eq!(claude["mcpServers"]["github"], json!({"command": "gh-mcp"}));
    assert_eq!(claude["x"], 1);
    assert_eq!(claude["mcpServers"]["autoplay"], json!({"command": "autoplay", "args": ["mcp"]}));
    let cursor = read_json(&path.join(".cursor/mcp.json"));
    assert_eq!(cursor["mcpServers"]["autoplay"], json!({"command": "autoplay", "args": ["mcp"]}));

    let lock = read_json(&path.join(".autoplay/skills.lock"));
    let recorded: Vec<(String, String)> = lock["mcp"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["agent"].as_str().unwrap().to_string(), e["path"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(
        recorded,
        [("cursor".to_string(), ".cursor/mcp.json".to_string()), ("claude".into(), ".mcp.json".into())]
    );

    // A re-run changes nothing; a skills-only re-run keeps the record.
    let again = autoplay().current_dir(path).args(["install-skills", "--mcp", "--format", "json"]).output().unwrap();
    assert!(again.status.success());
    let document: Value = serde_json::from_slice(&again.stdout).unwrap();
    assert!(document["mcp"].as_array().unwrap().iter().all(|e| e["action"] == "unchanged"), "{document}");
    autoplay().current_dir(path).args(["install-skills"]).assert().success();
    assert_eq!(read_json(&path.join(".autoplay/skills.lock"))["mcp"], lock["mcp"]);
}

#[test]
fn install_skills_mcp_dry_run_and_diff_write_nothing() {
    let dir = agent_project();
    let path = dir.path();
    let before = std::fs::read_to_string(path.join(".mcp.json")).unwrap();
    let dry = autoplay()
        .current_dir(path)
        .args(["install-skills", "--mcp", "--dry-run", "--format", "pretty"])
        .output()
        .unwrap();
    assert!(dry.status.success());
    assert!(
        String::from_utf8_lossy(&dry.stdout).contains("update         .mcp.json"),
        "{}",
        String::from_utf8_lossy(&dry.stdout)
    );
    let diff =
        autoplay().current_dir(path).args(["install-skills", "--mcp", "--diff", "--format", "json"]).output().unwrap();
    assert!(diff.status.success());
    let document: Value = serde_json::from_slice(&diff.stdout).unwrap();
    let claude = document["mcp"].as_array().unwrap().iter().find(|e| e["path"] == ".mcp.json").unwrap().clone();
    assert_eq!(claude["action"], "update");
    assert!(claude["diff"].as_str().unwrap().contains("+    \"autoplay\": {"), "{claude}");
    assert_eq!(std::fs::read_to_string(path.join(".mcp.json")).unwrap(), before);
    assert!(!path.join(".cursor/mcp.json").exists());
    assert!(!path.join(".autoplay").exists());
}

#[test]
fn install_skills_mcp_refuses_a_config_it_cannot_parse() {
    let dir = agent_project();
    let path = dir.path();
    std::fs::write(path.join(".cursor/mcp.json"), "{\"mcpServers\": {,}").unwrap();
    let output = autoplay().current_dir(path).args(["install-skills", "--mcp"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("error: .cursor/mcp.json:1:"), "{stderr}");
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert_eq!(std::fs::read_to_string(path.join(".cursor/mcp.json")).unwrap(), "{\"mcpServers\": {,}");
    assert!(!path.join(".autoplay").exists());
    assert!(!read_json(&path.join(".mcp.json"))["mcpServers"].as_object().unwrap().contains_key("autoplay"));
}

// ---------------------------------------------------------------------------------------------
// --http
// ---------------------------------------------------------------------------------------------

#[test]
fn http_serves_the_streamable_transport_on_loopback_only() {
    use std::io::{BufRead, Read, Write};
    let dir = project();
    let mut child = autoplay_process()
        .args(["mcp", "--http", "127.0.0.1:0"])
        .current_dir(dir.path())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut banner = String::new();
    stderr.read_line(&mut banner).unwrap();
    let address = banner
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_else(|| panic!("no address in {banner:?}"))
        .to_string();
    let body = r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}"#;
    let mut socket = std::net::TcpStream::connect(&address).unwrap();
    write!(
        socket,
        "POST /mcp HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut seen = Vec::new();
    let mut chunk = [0u8; 4096];
    while !String::from_utf8_lossy(&seen).contains("serverInfo") {
        let n = socket.read(&mut chunk).unwrap();
        assert!(n > 0, "the connection closed: {}", String::from_utf8_lossy(&seen));
        seen.extend_from_slice(&chunk[..n]);
    }
    let response = String::from_utf8_lossy(&seen);
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains(r#""name":"autoplay""#), "{response}");
    let _ = child.kill();
    let _ = child.wait();

    let refused = autoplay().args(["mcp", "--http", "0.0.0.0:0"]).output().unwrap();
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("loopback only"));
}

/// Progress values and messages, in order.
type Progressed = Vec<(f64, Option<String>)>;

/// Records the progress notifications the server sends.
#[derive(Clone, Default)]
struct ProgressLog(std::sync::Arc<std::sync::Mutex<Progressed>>);

impl rmcp::ClientHandler for ProgressLog {
    async fn on_progress(
        &self,
        params: rmcp::model::ProgressNotificationParam,
        _context: rmcp::service::NotificationContext<RoleClient>,
    ) {
        self.0.lock().unwrap().push((params.progress, params.message));
    }
}

/// `autoplay mcp` in `dir` with a client that records the progress notifications.
async fn progress_client(dir: &Path) -> (ProgressLog, RunningService<RoleClient, ProgressLog>) {
    let log = ProgressLog::default();
    let (transport, _stderr) =
        TokioChildProcess::builder(server_command(dir, &[])).stderr(Stdio::null()).spawn().unwrap();
    let client = log.clone().serve(transport).await.unwrap();
    (log, client)
}

/// A `sessions_stats` call on `from` asking for progress under `token`.
fn stats_with_progress(from: &str, token: i64) -> CallToolRequestParams {
    use rmcp::model::{NumberOrString, ProgressToken, RequestMetaObject};
    let mut meta = RequestMetaObject::new();
    meta.set_progress_token(ProgressToken(NumberOrString::Number(token)));
    let arguments = json!({"from": from}).as_object().cloned().unwrap();
    let mut params = CallToolRequestParams::new("sessions_stats").with_arguments(arguments);
    params.meta = Some(meta);
    params
}

#[test]
fn a_call_with_a_progress_token_gets_progress_notifications() {
    let dir = project();
    runtime().block_on(async {
        let (log, client) = progress_client(dir.path()).await;
        let params = stats_with_progress("rec.jsonl", 7);
        let result = client.call_tool(params).await.unwrap();
        ok(result, "sessions_stats");
        // Notifications come before the answer on the wire; one more round trip lets the
        // client finish handling them.
        client.list_all_tools().await.unwrap();
        let seen = log.0.lock().unwrap().clone();
        assert_eq!(seen.first().map(|p| p.0), Some(0.0), "{seen:?}");
        assert_eq!(seen.first().and_then(|p| p.1.clone()).as_deref(), Some("counting"));
        assert_eq!(seen.last().and_then(|p| p.1.clone()).as_deref(), Some("done"), "{seen:?}");
        // Progress only ever grows, as the protocol asks.
        assert!(seen.windows(2).all(|w| w[0].0 < w[1].0), "{seen:?}");
        client.cancel().await.unwrap();
    });
}
