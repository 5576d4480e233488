//! The local loop through the real binary: `serve` as a dev connector (registered products
//! get synthetic traffic, a kept key, the request log, the webhook, ingest and live-activity
//! routes) and `autoplay send` into it, read back with `autoplay tail`.

use std::path::Path;
use std::process::{Child, Stdio};

use serde_json::Value;

use crate::support::{self, ServeProcess, http_request};

/// A command of the real binary with its config folder in `config`.
fn autoplay_in(config: &Path) -> assert_cmd::Command {
    let mut cmd = support::autoplay();
    cmd.env("AUTOPLAY_CONFIG_DIR", config)
        .env_remove("ONBOARD_CONNECTOR_TIMEOUT_SECONDS")
        .env_remove("AUTOPLAY_ADMIN_KEY");
    cmd
}

fn onboard(config: &Path, connector: &str, product: &str) {
    let output = autoplay_in(config)
        .args(["onboard", "--connector", connector, "--product", product, "--email", "ops@acme.com"])
        .args(["--save", "--no-input", "--no-gitignore", "--format", "json"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
}

/// `autoplay tail` (json) as a child process with the given extra arguments.
fn spawn_tail(config: &Path, args: &[&str]) -> Child {
    std::process::Command::new(assert_cmd::cargo::cargo_bin("autoplay"))
        .args(["tail", "--format", "json"])
        .args(args)
        .env("AUTOPLAY_CONFIG_DIR", config)
        .env("NO_COLOR", "1")
        .env_remove("AUTOPLAY_APP_UNKEY_TOKEN")
        .env_remove("AUTOPLAY_UNKEY_TOKEN")
        .env_remove("AUTOPLAY_STREAM_URL")
        .env_remove("AUTOPLAY_CONNECTOR_URL")
        .env_remove("AUTOPLAY_PRODUCT_ID")
        .env_remove("AUTOPLAY_PROFILE")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn finish(child: Child) -> (Option<i32>, Vec<Value>, String) {
    let output = child.wait_with_output().unwrap();
    let frames = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).expect("NDJSON"))
        .collect();
    (output.status.code(), frames, String::from_utf8_lossy(&output.stderr).into_owned())
}

#[test]
fn serve_synthetic_then_onboard_then_tail_with_no_flags_receives_events() {
    let config = tempfile::tempdir().unwrap();
    let serve = ServeProcess::start_with_config(config.path(), &["--synthetic", "--rate", "20"]);
    onboard(config.path(), &serve.url, "acme");
    // Only the saved profile says where and with which key.
    let tail = spawn_tail(config.path(), &["--max-events", "2", "--duration", "10s"]);
    let (code, frames, stderr) = finish(tail);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(frames.len(), 2, "{stderr}");
    assert!(frames.iter().all(|f| f["product_id"] == "acme"), "{frames:?}");

    // A restart keeps the registration (and so the saved key keeps working).
    drop(serve);
    let serve = ServeProcess::start_with_config(config.path(), &["--synthetic", "--rate", "20"]);
    let profile = std::fs::read_to_string(config.path().join("config.toml")).unwrap();
    let port = serve.url.rsplit(':').next().unwrap();
    let profile = regex_free_replace_port(&profile, port);
    std::fs::write(config.path().join("config.toml"), profile).unwrap();
    let (code, frames, stderr) = finish(spawn_tail(config.path(), &["--max-events", "1", "--duration", "10s"]));
    assert_eq!((code, frames.len()), (Some(0), 1), "{stderr}");
    assert!(serve.stderr().contains("products: acme, demo"), "{}", serve.stderr());
}

/// The profile names the connector with its port; a restarted `--port 0` server has another.
fn regex_free_replace_port(profile: &str, port: &str) -> String {
    profile
        .lines()
        .map(|line| match line.find("http://127.0.0.1:") {
            Some(start) => {
                let prefix = &line[..start + "http://127.0.0.1:".len()];
                let rest = &line[prefix.len()..];
                let after = rest.trim_start_matches(|c: char| c.is_ascii_digit());
                format!("{prefix}{port}{after}")
            }
            None => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_generated_key_is_kept_private_and_stable_unless_renewed() {
    let config = tempfile::tempdir().unwrap();
    let key_file = config.path().join("serve.key");
    let first = ServeProcess::start_with_config(config.path(), &[]);
    let key = std::fs::read_to_string(&key_file).unwrap().trim().to_string();
    assert!(key.starts_with("dev_"), "{key}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&key_file).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let command = format!("autoplay tail --url {}/stream/demo --token-file {}", first.url, key_file.display());
    assert!(first.wait_for_stderr(&command), "{}", first.stderr());
    // The printed command works as printed.
    let args: Vec<&str> = command.split(' ').skip(1).collect();
    autoplay_in(config.path()).args(&args).args(["--duration", "300ms"]).assert().success();
    drop(first);

    let again = ServeProcess::start_with_config(config.path(), &[]);
    assert_eq!(std::fs::read_to_string(&key_file).unwrap().trim(), key, "same key after a restart");
    drop(again);
    let renewed = ServeProcess::start_with_config(config.path(), &["--new-key"]);
    let new_key = std::fs::read_to_string(&key_file).unwrap().trim().to_string();
    assert_ne!(new_key, key);
    let output = autoplay_in(config.path())
        .args(["tail", "--url", &renewed.stream_url("demo"), "--duration", "300ms"])
        .env("AUTOPLAY_APP_UNKEY_TOKEN", &key)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(4), "the old key is refused");
}

#[test]
fn one_log_line_per_request_without_secrets_and_quiet_with_q() {
    let serve = ServeProcess::start(&["--key", "k_secret_0123456789"]);
    let (status, _) =
        http_request("GET", &serve.stream_url("nope"), &[("Authorization", "Bearer k_secret_0123456789")], b"");
    assert_eq!(status, 404);
    assert!(serve.wait_for_stderr("GET  /stream/nope 404 product=nope subscribers=0 "), "{}", serve.stderr());
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("key.txt");
    std::fs::write(&key, "k_secret_0123456789").unwrap();
    let url = serve.stream_url("demo");
    let tail = spawn_tail(dir.path(), &["--url", &url, "--token-file", key.to_str().unwrap(), "--duration", "5s"]);
    assert!(serve.wait_for_stderr("GET  /stream/demo 200 product=demo subscribers=1 "), "{}", serve.stderr());
    let (status, _) = http_request("GET", &format!("{}/health", serve.url), &[], b"");
    assert_eq!(status, 200);
    assert!(serve.wait_for_stderr("GET  /health 200"), "{}", serve.stderr());
    let line = serve.stderr().lines().find(|l| l.contains("GET  /stream/demo")).unwrap().to_string();
    assert!(line.ends_with("ms"), "the duration ends the line: {line}");
    assert!(line.as_bytes()[2] == b':' && line.as_bytes()[5] == b':', "the time starts it: {line}");
    assert!(!serve.stderr().contains("k_secret_0123456789"), "{}", serve.stderr());
    drop(tail);

    let quiet = ServeProcess::start(&["-q", "--key", "k_secret_0123456789"]);
    let (status, _) = http_request("GET", &format!("{}/health", quiet.url), &[], b"");
    assert_eq!(status, 200);
    // A second request's answer: the first one's log line would be written by now.
    assert_eq!(http_request("GET", &format!("{}/health", quiet.url), &[], b"").0, 200);
    assert_eq!(quiet.stderr(), "", "-q silences the banner and the request log");
}

#[test]
fn send_after_onboard_reaches_tail_and_live_activity() {
    let config = tempfile::tempdir().unwrap();
    let serve = ServeProcess::start(&["--key", "k_0123456789abcdef"]);
    onboard(config.path(), &serve.url, "acme");
    let tail = spawn_tail(config.path(), &["--max-events", "3", "--duration", "20s"]);
    assert!(serve.wait_for_stderr("GET  /stream/acme 200"), "{}", serve.stderr());

    let output = autoplay_in(config.path())
        .args(["send", "click", "--url", "/billing?tab=plan", "--label", "Upgrade plan", "--user", "u_42"])
        .args(["--session", "ps_demo", "--email", "u42@acme.com", "--format", "json"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let reply: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(reply["status"], 200);
    assert_eq!(reply["response"]["actions"], 1);
    let output = autoplay_in(config.path())
        .args(["send", "pageview", "--url", "/pricing", "--user", "u_42", "--session", "ps_demo"])
        .args(["--count", "2", "--interval", "0", "--format", "json"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(String::from_utf8_lossy(&output.stdout).lines().count(), 2);
    assert!(String::from_utf8_lossy(&output.stderr).contains("sent 2 events to"));

    let (code, frames, stderr) = finish(tail);
    assert_eq!((code, frames.len()), (Some(0), 3), "{stderr}");
    let click = &frames[0];
    assert_eq!(click["type"], "actions");
    assert_eq!(click["product_id"], "acme");
    assert_eq!(click["session_id"], "ps_demo");
    assert_eq!(click["user_id"], "u_42");
    assert_eq!(click["email"], "u42@acme.com");
    let action = &click["actions"][0];
    assert_eq!(action["type"], "click");
    assert_eq!(action["title"], "Click Upgrade plan");
    assert_eq!(action["canonical_url"], "https://app.example.com/billing");
    assert_eq!(action["raw_url"], "https://app.example.com/billing?tab=plan");
    assert_eq!(frames[2]["actions"][0]["index"], 2, "a session's actions count on");

    // The user's recent actions, oldest first, with the key.
    let activity = format!("{}/users/acme/u_42/live-activity?limit=2", serve.url);
    let (status, body) = http_request("GET", &activity, &[("Authorization", "Bearer k_0123456789abcdef")], b"");
    assert_eq!(status, 200, "{body}");
    let body: Value = serde_json::from_str(&body).unwrap();
    let actions = body["actions"].as_array().unwrap();
    assert_eq!(actions.len(), 2);
    assert_eq!((actions[0]["index"].as_i64(), actions[1]["index"].as_i64()), (Some(1), Some(2)));
    assert_eq!(http_request("GET", &activity, &[], b"").0, 401);
    let bad_limit = format!("{}/users/acme/u_42/live-activity?limit=lots", serve.url);
    assert_eq!(http_request("GET", &bad_limit, &[("Authorization", "Bearer k_0123456789abcdef")], b"").0, 400);
}

#[test]
fn webhook_checks_the_secret_plain_or_signed() {
    let serve = ServeProcess::start(&["--key", "k_0123456789abcdef"]);
    let products = format!("{}/products", serve.url);
    let register = br#"{"product_id":"acme","contact_email":"ops@acme.com","webhook_secret":"whsec_abcdefghijklmnop"}"#;
    assert_eq!(http_request("POST", &products, &[], register).0, 201);
    let webhook = format!("{}/webhook/acme", serve.url);
    let body = br#"{"event":{"event":"$pageview","distinct_id":"u_1","properties":{"$current_url":"https://x.io/a","$session_id":"s1"}},"person":{}}"#;
    let signed = signature("whsec_abcdefghijklmnop", body);
    let (status, reply) = http_request("POST", &webhook, &[("X-PostHog-Secret", "whsec_abcdefghijklmnop")], body);
    assert_eq!(status, 200, "{reply}");
    assert_eq!(http_request("POST", &webhook, &[("X-PostHog-Secret", &signed)], body).0, 200);
    assert_eq!(http_request("POST", &webhook, &[("X-PostHog-Secret", "wrong")], body).0, 401);
    assert_eq!(http_request("POST", &webhook, &[("X-PostHog-Secret", &signed)], b"{}").0, 401, "signed another body");
    assert_eq!(http_request("POST", &webhook, &[], body).0, 401);
    let (status, reply) = http_request("POST", &webhook, &[("X-PostHog-Secret", "whsec_abcdefghijklmnop")], b"[1]");
    assert_eq!(status, 400);
    assert!(reply.contains("event 0 is not an object"), "{reply}");
    let unknown = format!("{}/webhook/nope", serve.url);
    assert_eq!(http_request("POST", &unknown, &[("X-PostHog-Secret", "whsec_abcdefghijklmnop")], body).0, 404);

    // `send` maps the answers to exit codes.
    let config = tempfile::tempdir().unwrap();
    let secret = config.path().join("secret.txt");
    std::fs::write(&secret, "wrong-secret\n").unwrap();
    let send = |product: &str| {
        autoplay_in(config.path())
            .args(["send", "pageview", "--connector", &serve.url, "--product", product])
            .args(["--secret-file", secret.to_str().unwrap()])
            .output()
            .unwrap()
    };
    let output = send("acme");
    assert_eq!(output.status.code(), Some(4));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("HTTP 401") && !stderr.contains("wrong-secret"), "{stderr}");
    std::fs::write(&secret, "whsec_abcdefghijklmnop").unwrap();
    assert_eq!(send("acme").status.code(), Some(0));
    assert_eq!(send("nope").status.code(), Some(5));
    // No secret anywhere: exit 4 with a hint.
    let output = autoplay_in(config.path())
        .args(["send", "pageview", "--connector", &serve.url, "--product", "acme"])
        .env_remove("AUTOPLAY_WEBHOOK_SECRET")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--secret-file"));
}

fn signature(secret: &str, body: &[u8]) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

#[test]
fn provider_profiles_send_to_the_ingest_url() {
    let config = tempfile::tempdir().unwrap();
    let serve = ServeProcess::start(&["--key", "k_0123456789abcdef"]);
    let output = autoplay_in(config.path())
        .args(["onboard", "--connector", &serve.url, "--provider", "posthog", "--provider-project-id", "7"])
        .args(["--email", "ops@acme.com", "--save", "--no-input", "--no-gitignore", "--format", "json"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let result: Value = serde_json::from_slice(&output.stdout).unwrap();
    let product = result["product_id"].as_str().unwrap().to_string();
    let output = autoplay_in(config.path()).args(["send", "pageview", "--format", "json"]).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(serve.wait_for_stderr(&format!("POST /ingest/{product} 200")), "{}", serve.stderr());
    let ingest = format!("{}/ingest/{product}", serve.url);
    assert_eq!(http_request("POST", &ingest, &[("Authorization", "Bearer nope")], b"{}").0, 401);
}

#[test]
fn replay_with_any_product_feeds_registered_products() {
    let (_dir, path) = support::recording(&support::sample_events(4, "other"));
    let serve = ServeProcess::start(&["--replay", path.to_str().unwrap(), "--any-product", "--speed", "max"]);
    let products = format!("{}/products", serve.url);
    let (status, created) =
        http_request("POST", &products, &[], br#"{"product_id":"acme","contact_email":"ops@acme.com"}"#);
    assert_eq!(status, 201);
    let key: Value = serde_json::from_str(&created).unwrap();
    let output = support::autoplay()
        .args([
            "tail",
            "--format",
            "json",
            "--url",
            &serve.stream_url("acme"),
            "--max-events",
            "4",
            "--duration",
            "10s",
        ])
        .env("AUTOPLAY_APP_UNKEY_TOKEN", key["unkey_key"].as_str().unwrap())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(String::from_utf8_lossy(&output.stdout).lines().count(), 4);
}

#[test]
fn auth_status_check_reports_what_is_wrong_with_tails_exit_codes() {
    let config = tempfile::tempdir().unwrap();
    let serve = ServeProcess::start(&["--key", "k_0123456789abcdef", "--heartbeat", "0.2"]);
    onboard(config.path(), &serve.url, "acme");
    let status = |extra: &[&str], env: &[(&str, &str)]| {
        let mut cmd = autoplay_in(config.path());
        cmd.args(["auth", "status", "--check", "--wait", "5s", "--format", "pretty"]).args(extra);
        for (name, value) in env {
            cmd.env(name, value);
        }
        let output = cmd.output().unwrap();
        let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
        (output.status.code(), text)
    };
    let (code, text) = status(&[], &[]);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("Check:") && text.contains("✓ accepted"), "{text}");
    let output = autoplay_in(config.path()).args(["auth", "status", "--check", "--format", "json"]).output().unwrap();
    let document: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!((output.status.code(), document["check"]["ok"].as_bool()), (Some(0), Some(true)), "{document}");

    let (code, text) = status(&[], &[("AUTOPLAY_APP_UNKEY_TOKEN", "uk_live_wrongwrongwrong0000")]);
    assert_eq!(code, Some(4), "{text}");
    assert!(text.contains("✗") && text.contains("HTTP 401"), "{text}");
    assert!(!text.contains("uk_live_wrongwrongwrong0000"), "{text}");
    let (code, text) = status(
        &["--product", "nope", "--connector", &serve.url],
        &[("AUTOPLAY_APP_UNKEY_TOKEN", "k_0123456789abcdef")],
    );
    assert_eq!(code, Some(5), "{text}");
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead_url = format!("http://{}/stream/acme", dead.local_addr().unwrap());
    drop(dead);
    let (code, text) = status(&["--url", &dead_url], &[]);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("connector unreachable at") && text.contains("(connection refused)"), "{text}");
    let plain = support::RawServer::start(vec![support::http_response("200 OK", "text/plain", b"hello")]);
    let (code, text) = status(&["--url", &format!("{}/stream/acme", plain.url)], &[]);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("text/event-stream") && text.contains("text/plain"), "{text}");
}

#[test]
fn doctor_checks_the_setup_and_names_the_fix() {
    let config = tempfile::tempdir().unwrap();
    let project = tempfile::tempdir().unwrap();
    let serve = ServeProcess::start(&["--key", "k_0123456789abcdef", "--heartbeat", "0.2"]);
    onboard(config.path(), &serve.url, "acme");
    std::fs::write(project.path().join("products.json"), "[{\"product_id\": 1,}]").unwrap();
    let doctor = |format: &str| {
        autoplay_in(config.path())
            .args(["doctor", "--dir", project.path().to_str().unwrap(), "--format", format])
            .env("SHELL", "/bin/bash")
            .env("HOME", project.path())
            .env_remove("XDG_DATA_HOME")
            .output()
            .unwrap()
    };
    let output = doctor("json");
    let document: Value = serde_json::from_slice(&output.stdout).unwrap();
    let status = |name: &str| {
        document["checks"].as_array().unwrap().iter().find(|c| c["name"] == name).map(|c| c["status"].clone()).unwrap()
    };
    assert_eq!(status("config folder"), "ok");
    assert_eq!(status("file modes"), "ok");
    assert_eq!(status("profile"), "ok");
    assert_eq!(status("connector"), "ok");
    assert_eq!(status("token"), "ok");
    assert_eq!(status("skills"), "warn");
    assert_eq!(status("completions"), "warn");
    assert_eq!(status("products.json"), "fail", "{document}");
    assert_eq!((output.status.code(), document["ok"].as_bool()), (Some(1), Some(false)));
    let profile = document["checks"].as_array().unwrap().iter().find(|c| c["name"] == "profile").unwrap();
    let detail = profile["detail"].as_str().unwrap();
    assert!(detail.contains("product acme (profile default)"), "{detail}");
    assert!(!document.to_string().contains("uk_live_") || detail.contains('…'), "tokens are masked: {detail}");

    // Fixed: valid products.json, completions installed, skills installed.
    autoplay_in(config.path()).args(["triggers", "init", "--force"]).current_dir(project.path()).assert().success();
    let completions = project.path().join(".local/share/bash-completion/completions");
    std::fs::create_dir_all(&completions).unwrap();
    std::fs::write(completions.join("autoplay"), "# completions").unwrap();
    autoplay_in(config.path())
        .args(["install-skills", "--agent", "claude", "--dest", project.path().to_str().unwrap()])
        .assert()
        .success();
    let output = doctor("pretty");
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(text.lines().any(|l| l.starts_with("✓ skills") && l.contains("up to date")), "{text}");
    assert!(text.lines().any(|l| l.starts_with("✓ completions")), "{text}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let credentials = config.path().join("credentials.toml");
        std::fs::set_permissions(&credentials, std::fs::Permissions::from_mode(0o644)).unwrap();
        let output = doctor("pretty");
        let text = String::from_utf8_lossy(&output.stdout);
        assert_eq!(output.status.code(), Some(1), "{text}");
        assert!(text.contains(&format!("fix: chmod 600 {}", credentials.display())), "{text}");
    }
}

#[test]
fn tail_warns_about_filter_values_that_cannot_match() {
    let serve = ServeProcess::start(&["--key", "k_0123456789abcdef"]);
    let output = support::autoplay()
        .args(["tail", "--url", &serve.stream_url("demo"), "--duration", "200ms", "--type", "action"])
        .args(["--user", "ann@acme.com"])
        .env("AUTOPLAY_APP_UNKEY_TOKEN", "k_0123456789abcdef")
        .output()
        .unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--type action matches no known event type (did you mean `actions`?)"), "{stderr}");
    assert!(stderr.contains("the types are actions, summary, usertour_trigger"), "{stderr}");
    assert!(stderr.contains("use --email ann@acme.com"), "{stderr}");
    assert!(stderr.contains("0 events shown"), "{stderr}");
}
