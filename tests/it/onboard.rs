//! `autoplay onboard` against a scripted connector and against `autoplay serve`.

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::json;

use crate::fake_connector::{FakeConnector, Reply, dead_url};
use crate::support::{self, ServeProcess};

const KEY: &str = "uk_live_0123456789abcdefWXYZ";

/// `autoplay onboard` with its config folder in `config`, no inherited onboarding settings.
fn onboard(config: &Path) -> assert_cmd::Command {
    let mut cmd = support::autoplay();
    cmd.env("AUTOPLAY_CONFIG_DIR", config)
        .env_remove("ONBOARD_CONNECTOR_TIMEOUT_SECONDS")
        .env_remove("AUTOPLAY_ADMIN_KEY")
        .arg("onboard");
    cmd
}

fn created(product: &str) -> Reply {
    Reply::json(201, json!({"product_id": product, "unkey_key": KEY, "unkey_key_id": "key_abc123", "dual_write": true}))
}

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn success_prints_the_result_and_saves_a_private_profile() {
    let connector = FakeConnector::start(vec![created("acme")]);
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("autoplay");
    let output = onboard(&config)
        .args(["--product", "acme", "--email", "ops@acme.com", "--connector", &connector.url, "--save"])
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));

    // The request body is the SDK's, with a generated 43-character secret.
    let received = connector.received();
    assert_eq!(received.len(), 1);
    let body = &received[0].body;
    let secret = body["webhook_secret"].as_str().unwrap().to_string();
    assert_eq!(secret.len(), 43);
    assert_eq!(
        body,
        &json!({"product_id": "acme", "contact_email": "ops@acme.com", "webhook_secret": secret,
                "integration_type": "event_stream", "integration_config": {"mode": "sse"},
                "forward_url": "", "forward_secret": "", "force_reregister": false})
    );
    assert!(received[0].headers.get("x-admin-key").is_none());

    // stdout holds the result object, secrets included.
    let result: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(result["product_id"], "acme");
    assert_eq!(result["stream_url"], format!("{}/stream/acme", connector.url));
    assert_eq!(result["webhook_url"], format!("{}/webhook/acme", connector.url));
    assert_eq!(result["webhook_secret"], secret.as_str());
    assert_eq!(result["unkey_key"], KEY);
    assert_eq!(result["unkey_key_id"], "key_abc123");
    assert_eq!(result["render_sync_performed"], true);
    assert_eq!(result["integration_type"], "event_stream");
    assert_eq!(result["connector_response"]["dual_write"], true);
    // stderr never shows them.
    let err = stderr(&output);
    assert!(!err.contains(KEY) && !err.contains(&secret), "{err}");

    // Settings and secrets are split, and the secrets file is private.
    let config_text = std::fs::read_to_string(config.join("config.toml")).unwrap();
    let credentials_text = std::fs::read_to_string(config.join("credentials.toml")).unwrap();
    assert!(!config_text.contains(KEY) && !config_text.contains(&secret), "{config_text}");
    let settings: toml::Table = config_text.parse().unwrap();
    let profile = &settings["profiles"]["default"];
    assert_eq!(profile["connector"].as_str(), Some(connector.url.as_str()));
    assert_eq!(profile["product"].as_str(), Some("acme"));
    assert_eq!(profile["api"].as_str(), Some("legacy"));
    let secrets: toml::Table = credentials_text.parse().unwrap();
    let profile = &secrets["profiles"]["default"];
    assert_eq!(profile["token"].as_str(), Some(KEY));
    assert_eq!(profile["token_id"].as_str(), Some("key_abc123"));
    assert_eq!(profile["webhook_secret"].as_str(), Some(secret.as_str()));
    #[cfg(unix)]
    {
        assert_eq!(mode(&config.join("credentials.toml")), 0o600);
        assert_eq!(mode(&config), 0o700);
    }
}

#[test]
fn pretty_output_is_the_operator_summary() {
    let connector = FakeConnector::start(vec![created("acme")]);
    let config = tempfile::tempdir().unwrap();
    let secret_file = config.path().join("secret.txt");
    std::fs::write(&secret_file, "my-webhook-secret-value\n").unwrap();
    let output = onboard(config.path())
        .args(["--product", "acme", "--email", "ops@acme.com", "--connector", &connector.url])
        .args(["--webhook-secret-file", secret_file.to_str().unwrap(), "--format", "pretty"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(connector.received()[0].body["webhook_secret"], "my-webhook-secret-value");
    let summary = stdout(&output).replace(&connector.url, "http://connector");
    insta::assert_snapshot!("onboard_operator_summary", summary);
    // Nothing saved: a hint says the secrets are shown once.
    assert!(stderr(&output).contains("shown once"), "{}", stderr(&output));
    assert!(!config.path().join("credentials.toml").exists());
}

#[test]
fn env_file_keeps_other_lines_and_gitignore_is_updated() {
    let connector = FakeConnector::start(vec![created("acme")]);
    let project = tempfile::tempdir().unwrap();
    std::fs::create_dir(project.path().join(".autoplay")).unwrap();
    std::fs::write(project.path().join(".autoplay/.env"), "# mine\nFOO=bar\nAUTOPLAY_PRODUCT_ID=\"old\"\n").unwrap();
    std::fs::write(project.path().join(".gitignore"), "target").unwrap();
    let output = onboard(&project.path().join("config"))
        .current_dir(project.path())
        .args(["--product", "acme", "--email", "ops@acme.com", "--connector", &connector.url])
        .args(["--env-file", ".autoplay/.env", "--gitignore", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let result: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let env = std::fs::read_to_string(project.path().join(".autoplay/.env")).unwrap();
    let expected = format!(
        "# mine\nFOO=bar\nAUTOPLAY_PRODUCT_ID='acme'\n\n# Written by autoplay onboard\n\
         AUTOPLAY_CONNECTOR_URL='{url}'\nAUTOPLAY_STREAM_URL='{url}/stream/acme'\n\
         AUTOPLAY_WEBHOOK_SECRET='{secret}'\nAUTOPLAY_APP_UNKEY_TOKEN='{KEY}'\nAUTOPLAY_UNKEY_TOKEN='{KEY}'\n",
        url = connector.url,
        secret = result["webhook_secret"].as_str().unwrap(),
    );
    assert_eq!(env, expected);
    #[cfg(unix)]
    assert_eq!(mode(&project.path().join(".autoplay/.env")), 0o600);
    assert_eq!(std::fs::read_to_string(project.path().join(".gitignore")).unwrap(), "target\n.autoplay/\n");

    // A second run replaces the values in place and leaves .gitignore alone.
    let connector = FakeConnector::start(vec![created("acme")]);
    let output = onboard(&project.path().join("config"))
        .current_dir(project.path())
        .args(["--product", "acme", "--email", "ops@acme.com", "--connector", &connector.url])
        .args(["--env-file", ".autoplay/.env", "--gitignore", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let env = std::fs::read_to_string(project.path().join(".autoplay/.env")).unwrap();
    assert_eq!(env.matches("AUTOPLAY_UNKEY_TOKEN=").count(), 1, "{env}");
    assert!(env.contains(&format!("AUTOPLAY_CONNECTOR_URL='{}'", connector.url)), "{env}");
    assert!(env.starts_with("# mine\nFOO=bar\n"), "{env}");
    assert_eq!(std::fs::read_to_string(project.path().join(".gitignore")).unwrap(), "target\n.autoplay/\n");
}

#[test]
fn without_a_terminal_gitignore_is_only_suggested() {
    let connector = FakeConnector::start(vec![created("acme")]);
    let project = tempfile::tempdir().unwrap();
    let output = onboard(&project.path().join("config"))
        .current_dir(project.path())
        .args(["--product", "acme", "--email", "ops@acme.com", "--connector", &connector.url])
        .args(["--env-file", ".autoplay/.env", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stderr(&output).contains(".autoplay/ holds secrets"), "{}", stderr(&output));
    assert!(!project.path().join(".gitignore").exists());
}

#[test]
fn conflict_without_force_is_exit_2_with_a_hint_and_no_secrets() {
    let connector = FakeConnector::start(vec![Reply::json(
        409,
        json!({"detail": "product 'acme' is already registered", "webhook_secret": "leaked-secret-1234"}),
    )]);
    let config = tempfile::tempdir().unwrap();
    let output = onboard(config.path())
        .args(["--product", "acme", "--email", "ops@acme.com", "--connector", &connector.url])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(err.contains("already registered") && err.contains("HTTP 409"), "{err}");
    assert!(err.contains("--force-reregister") && err.contains("rotates"), "{err}");
    assert!(err.contains("[REDACTED]") && !err.contains("leaked-secret-1234"), "{err}");
    assert!(stdout(&output).is_empty());
    assert_eq!(connector.received().len(), 1);
}

#[test]
fn force_reregister_is_sent_in_the_body() {
    let connector = FakeConnector::start(vec![created("acme")]);
    let config = tempfile::tempdir().unwrap();
    let output = onboard(config.path())
        .args(["--product", "acme", "--email", "ops@acme.com", "--connector", &connector.url])
        .args(["--force-reregister", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(connector.received()[0].body["force_reregister"], true);
    assert!(stderr(&output).contains("rotates its webhook secret"), "{}", stderr(&output));
}

#[test]
fn conflict_with_yes_re_registers() {
    let connector = FakeConnector::start(vec![Reply::json(409, json!({"detail": "exists"})), created("acme")]);
    let config = tempfile::tempdir().unwrap();
    let output = onboard(config.path())
        .args(["--product", "acme", "--email", "ops@acme.com", "--connector", &connector.url])
        .args(["--yes", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let received = connector.received();
    assert_eq!(received.len(), 2);
    assert_eq!(received[0].body["force_reregister"], false);
    assert_eq!(received[1].body["force_reregister"], true);
    // The same secret is sent again.
    assert_eq!(received[0].body["webhook_secret"], received[1].body["webhook_secret"]);
}

#[test]
fn bad_request_bodies_are_shown_redacted() {
    let connector = FakeConnector::start(vec![Reply::json(
        400,
        json!({"detail": "invalid", "errors": [{"api_key": "leaked-api-key-99", "password": ""}],
               "forward_secret": "leaked-forward-77"}),
    )]);
    let config = tempfile::tempdir().unwrap();
    let output = onboard(config.path())
        .args(["--product", "acme", "--email", "ops@acme.com", "--connector", &connector.url])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(
        err.contains(r#"HTTP 400: {"detail":"invalid","errors":[{"api_key":"[REDACTED]","password":""}],"forward_secret":"[REDACTED]"}"#),
        "{err}"
    );
    assert!(!err.contains("leaked"), "{err}");
}

#[test]
fn server_errors_show_the_body_and_never_the_sent_secrets() {
    let config = tempfile::tempdir().unwrap();
    let secret_file = config.path().join("secret.txt");
    std::fs::write(&secret_file, "echoed-webhook-secret-value").unwrap();
    // A broken connector that echoes the secret in a plain-text error.
    let connector = FakeConnector::start(vec![Reply::text(500, "internal error for echoed-webhook-secret-value")]);
    let output = onboard(config.path())
        .args(["--product", "acme", "--email", "ops@acme.com", "--connector", &connector.url])
        .args(["--webhook-secret-file", secret_file.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(err.contains("HTTP 500: internal error for"), "{err}");
    assert!(!err.contains("echoed-webhook-secret-value"), "{err}");
}

#[test]
fn forbidden_and_unauthorized_are_exit_4() {
    let connector = FakeConnector::start(vec![Reply::json(401, json!({"detail": "admin key required"}))]);
    let config = tempfile::tempdir().unwrap();
    let output = onboard(config.path())
        .args(["--product", "acme", "--email", "ops@acme.com", "--connector", &connector.url])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(4));
    assert!(stderr(&output).contains("--admin-key-file"), "{}", stderr(&output));
}

#[test]
fn the_admin_key_is_sent_as_a_header() {
    let connector = FakeConnector::start(vec![created("acme")]);
    let config = tempfile::tempdir().unwrap();
    let key_file = config.path().join("admin.txt");
    std::fs::write(&key_file, "admin-key-value\n").unwrap();
    let output = onboard(config.path())
        .args(["--product", "acme", "--email", "ops@acme.com", "--connector", &connector.url])
        .args(["--admin-key-file", key_file.to_str().unwrap(), "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(connector.received()[0].headers["x-admin-key"], "admin-key-value");

    let connector = FakeConnector::start(vec![created("acme")]);
    let output = onboard(config.path())
        .env("AUTOPLAY_ADMIN_KEY", "admin-from-env")
        .args(["--product", "acme", "--email", "ops@acme.com", "--connector", &connector.url, "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(connector.received()[0].headers["x-admin-key"], "admin-from-env");
}

#[test]
fn a_success_without_a_stream_key_is_a_clear_error() {
    let connector = FakeConnector::start(vec![Reply::json(201, json!({"product_id": "acme"}))]);
    let config = tempfile::tempdir().unwrap();
    let output = onboard(config.path())
        .args(["--product", "acme", "--email", "ops@acme.com", "--connector", &connector.url, "--save"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("no unkey_key / unkey_key_id"), "{}", stderr(&output));
    assert!(!config.path().join("credentials.toml").exists());
}

#[test]
fn an_unreachable_connector_is_named() {
    let url = dead_url();
    let config = tempfile::tempdir().unwrap();
    let output = onboard(config.path())
        .args(["--product", "acme", "--email", "ops@acme.com", "--connector", &format!("{url}/")])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(err.contains(&format!("could not reach the connector at '{url}'")), "{err}");
    assert!(err.contains("--connector") && err.contains("connector host"), "{err}");
}

#[test]
fn a_slow_connector_times_out() {
    let connector = FakeConnector::start(vec![created("acme").slow(Duration::from_secs(8))]);
    let config = tempfile::tempdir().unwrap();
    for (flag, env) in [(Some("1"), None), (None, Some("0.2"))] {
        let mut cmd = onboard(config.path());
        cmd.args(["--product", "acme", "--email", "ops@acme.com", "--connector", &connector.url]);
        if let Some(flag) = flag {
            cmd.args(["--timeout", flag]);
        }
        if let Some(env) = env {
            // Clamped up to 1 s.
            cmd.env("ONBOARD_CONNECTOR_TIMEOUT_SECONDS", env);
        }
        let started = Instant::now();
        let output = cmd.output().unwrap();
        assert!(started.elapsed() < Duration::from_secs(6), "took {:?}", started.elapsed());
        assert_eq!(output.status.code(), Some(1));
        let err = stderr(&output);
        assert!(err.contains("did not answer within 1 s") && err.contains("--timeout"), "{err}");
    }
}

#[test]
fn missing_values_without_a_terminal_name_their_flag() {
    let config = tempfile::tempdir().unwrap();
    let output = onboard(config.path()).args(["--email", "ops@acme.com"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("missing --product"), "{}", stderr(&output));
    let output = onboard(config.path()).args(["--product", "acme"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("missing --email"), "{}", stderr(&output));
    let output = onboard(config.path()).args(["--product", "a/b", "--email", "ops@acme.com"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let output = onboard(config.path()).args(["--product", "acme", "--email", "nope"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("--email"), "{}", stderr(&output));
    let output = onboard(config.path())
        .args(["--product", "acme", "--email", "ops@acme.com", "--save", "bad name"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}

// ---------------------------------------------------------------------------------------------
// Provider API
// ---------------------------------------------------------------------------------------------

fn provider_created(with_owner_token: bool) -> Reply {
    let mut credentials = json!({"ingest_secret": "ingest-secret-value", "mcp_key": "mcp_key_0123456789abcdef"});
    if with_owner_token {
        credentials["owner_token"] = json!("own_token_0123456789abcdef");
    }
    Reply::json(
        201,
        json!({"product_id": "prod_abc", "provider": "posthog", "provider_project_id": "12345",
               "credentials": credentials,
               "setup": {"ingest_url": "https://c/ingest/prod_abc", "ingest_auth": "Authorization: Bearer <ingest_secret>",
                         "mcp_url": "https://m/mcp", "mcp_auth": "Authorization: Bearer <mcp_key>"}}),
    )
}

#[test]
fn provider_api_registers_and_keeps_the_owner_token() {
    let connector = FakeConnector::start(vec![provider_created(true), provider_created(false)]);
    let config = tempfile::tempdir().unwrap();
    let output = onboard(config.path())
        .args(["--provider", "PostHog", "--provider-project-id", "12345", "--email", "ops@acme.com"])
        .args(["--connector", &connector.url, "--save", "--format", "pretty"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        connector.received()[0].body,
        json!({"provider": "posthog", "provider_project_id": "12345", "contact_email": "ops@acme.com"})
    );
    let summary = stdout(&output);
    assert!(summary.contains("Product registered: prod_abc  (provider: posthog)"), "{summary}");
    assert!(summary.contains("owner_token :  own_token_0123456789abcdef"), "{summary}");
    assert!(summary.contains("Secrets above are shown once"), "{summary}");

    // Re-registering with the owner token: the connector does not return it again; the saved
    // one is kept.
    let owner_file = config.path().join("owner.txt");
    std::fs::write(&owner_file, "own_token_0123456789abcdef").unwrap();
    let output = onboard(config.path())
        .args(["--provider", "posthog", "--provider-project-id", "12345", "--email", "ops@acme.com"])
        .args(["--connector", &connector.url, "--save", "--format", "json"])
        .args(["--owner-token-file", owner_file.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(connector.received()[1].body["owner_token"], "own_token_0123456789abcdef");
    let secrets: toml::Table =
        std::fs::read_to_string(config.path().join("credentials.toml")).unwrap().parse().unwrap();
    let profile = &secrets["profiles"]["default"];
    assert_eq!(profile["owner_token"].as_str(), Some("own_token_0123456789abcdef"));
    assert_eq!(profile["mcp_key"].as_str(), Some("mcp_key_0123456789abcdef"));
    let settings: toml::Table = std::fs::read_to_string(config.path().join("config.toml")).unwrap().parse().unwrap();
    assert_eq!(settings["profiles"]["default"]["api"].as_str(), Some("provider"));
    assert_eq!(settings["profiles"]["default"]["product"].as_str(), Some("prod_abc"));
}

#[test]
fn provider_api_without_the_owner_token_is_exit_4() {
    let connector = FakeConnector::start(vec![Reply::json(
        403,
        json!({"detail": "already registered", "owner_token": "leaked-owner-token"}),
    )]);
    let config = tempfile::tempdir().unwrap();
    let output = onboard(config.path())
        .args(["--provider", "amplitude", "--provider-project-id", "9", "--email", "ops@acme.com"])
        .args(["--connector", &connector.url])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(4));
    let err = stderr(&output);
    assert!(err.contains("--owner-token-file") && !err.contains("leaked-owner-token"), "{err}");
}

#[test]
fn provider_api_flags_are_checked() {
    let config = tempfile::tempdir().unwrap();
    let output = onboard(config.path())
        .args(["--provider", "mixpanel", "--provider-project-id", "9", "--email", "ops@acme.com"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let output = onboard(config.path()).args(["--provider", "posthog", "--email", "ops@acme.com"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("missing --provider-project-id"), "{}", stderr(&output));
    let output = onboard(config.path())
        .args(["--provider", "posthog", "--provider-project-id", "9", "--email", "ops@acme.com", "--force-reregister"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}

// ---------------------------------------------------------------------------------------------
// End to end against `autoplay serve`
// ---------------------------------------------------------------------------------------------

#[test]
fn onboard_against_serve_then_tail_with_no_flags() {
    let (_dir, recording) = support::recording(&support::sample_events(3, "acme"));
    let serve = ServeProcess::start(&["--replay", recording.to_str().unwrap(), "--speed", "max", "--loop"]);
    let config = tempfile::tempdir().unwrap();
    let output = onboard(config.path())
        .args(["--product", "acme", "--email", "ops@acme.com", "--connector", &serve.url, "--save", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let result: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let key = result["unkey_key"].as_str().unwrap().to_string();

    // A second registration is refused...
    let output = onboard(config.path())
        .args(["--product", "acme", "--email", "ops@acme.com", "--connector", &serve.url])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));

    // ...and `tail` reads the saved profile with no flags at all.
    let output = support::autoplay()
        .env("AUTOPLAY_CONFIG_DIR", config.path())
        .args(["tail", "--max-events", "1", "--format", "json"])
        .timeout(Duration::from_secs(20))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let line = stdout(&output);
    let event: serde_json::Value = serde_json::from_str(line.lines().next().unwrap()).unwrap();
    assert_eq!(event["product_id"], "acme");
    assert!(!stderr(&output).contains(&key));

    // After a forced re-registration the old key stops working and the saved one is updated.
    let output = onboard(config.path())
        .args(["--product", "acme", "--email", "ops@acme.com", "--connector", &serve.url])
        .args(["--force-reregister", "--save", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let output = support::autoplay()
        .env("AUTOPLAY_CONFIG_DIR", config.path())
        .args(["tail", "--max-events", "1", "--format", "json"])
        .timeout(Duration::from_secs(20))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let output = support::autoplay()
        .env("AUTOPLAY_CONFIG_DIR", config.path())
        .env("AUTOPLAY_APP_UNKEY_TOKEN", &key)
        .args(["tail", "--max-events", "1", "--format", "json"])
        .timeout(Duration::from_secs(20))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(4), "{}", stderr(&output));
}

#[test]
fn provider_api_against_serve_reuses_the_saved_owner_token() {
    let serve = ServeProcess::start(&[]);
    let config = tempfile::tempdir().unwrap();
    let register = |config: &Path| {
        onboard(config)
            .args(["--provider", "posthog", "--provider-project-id", "4242", "--email", "ops@acme.com"])
            .args(["--connector", &serve.url, "--save", "--format", "json"])
            .output()
            .unwrap()
    };
    let first = register(config.path());
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let first: serde_json::Value = serde_json::from_str(&stdout(&first)).unwrap();
    assert!(first["owner_token"].is_string(), "{first}");

    // Someone without the owner token is refused.
    let other = tempfile::tempdir().unwrap();
    let refused = register(other.path());
    assert_eq!(refused.status.code(), Some(4), "{}", stderr(&refused));

    // The saved profile holds it, so registering again just works and keeps the same product.
    let again = register(config.path());
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    assert!(stderr(&again).contains("using the owner token saved in profile `default`"));
    let again: serde_json::Value = serde_json::from_str(&stdout(&again)).unwrap();
    assert_eq!(again["product_id"], first["product_id"]);
    assert_eq!(again["owner_token"], serde_json::Value::Null);
    let secrets: toml::Table =
        std::fs::read_to_string(config.path().join("credentials.toml")).unwrap().parse().unwrap();
    assert_eq!(secrets["profiles"]["default"]["owner_token"].as_str(), first["owner_token"].as_str());
}

// ---------------------------------------------------------------------------------------------
// Prompts, driven through a pseudo-terminal
// ---------------------------------------------------------------------------------------------

#[cfg(unix)]
mod prompts {
    use super::*;

    /// `autoplay onboard ARGS` on a pseudo-terminal, with prompts allowed.
    fn spawn(config: &Path, cwd: &Path, args: &[&str]) -> rexpect::session::PtySession {
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("autoplay"));
        for name in [
            "CI",
            "AUTOPLAY_NO_INPUT",
            "AUTOPLAY_CONNECTOR_URL",
            "AUTOPLAY_PRODUCT_ID",
            "AUTOPLAY_FORMAT",
            "AUTOPLAY_ADMIN_KEY",
            "ONBOARD_CONNECTOR_TIMEOUT_SECONDS",
        ] {
            cmd.env_remove(name);
        }
        cmd.env("TERM", "xterm").env("NO_COLOR", "1").env("AUTOPLAY_CONFIG_DIR", config).current_dir(cwd);
        cmd.arg("onboard").args(args);
        rexpect::session::spawn_command(cmd, Some(15_000)).expect("spawn on a pty")
    }

    /// Answers a yes/no question once it is drawn: the key is read in raw mode, so a key sent
    /// before the prompt switches the terminal over could be lost.
    fn answer(session: &mut rexpect::session::PtySession, key: &str) {
        session.exp_string("(y/n)").unwrap();
        std::thread::sleep(Duration::from_millis(400));
        session.send(key).unwrap();
        session.flush().unwrap();
    }

    /// Waits for the end and returns the exit status as text (`Exited(Pid(..), CODE)`).
    fn finish(mut session: rexpect::session::PtySession) -> (String, String) {
        let rest = session.exp_eof().expect("the command ends");
        let status = format!("{:?}", session.process().wait().expect("wait"));
        (rest, status)
    }

    #[test]
    fn missing_values_are_asked_for_and_a_conflict_is_confirmed() {
        let connector = FakeConnector::start(vec![Reply::json(409, json!({"detail": "exists"})), created("acme")]);
        let project = tempfile::tempdir().unwrap();
        let config = project.path().join("config");
        let mut session = spawn(&config, project.path(), &["--save", "--env-file", ".autoplay/.env"]);
        session.exp_string("Product id").unwrap();
        session.send_line("acme").unwrap();
        session.exp_string("Contact email").unwrap();
        session.send_line("not-an-email").unwrap();
        session.exp_string("does not look like an email address").unwrap();
        session.send_line("ops@acme.com").unwrap();
        session.exp_string("Connector URL").unwrap();
        session.exp_string("event-connector-luda.onrender.com").unwrap();
        session.send_line(&connector.url).unwrap();
        session.exp_string("is already registered. Re-register it?").unwrap();
        answer(&mut session, "y");
        session.exp_string("Product registered: acme").unwrap();
        // What was asked, as flags: the same run without questions.
        session.exp_string("The same without questions:").unwrap();
        let equivalent = format!(
            "autoplay onboard --product acme --email ops@acme.com --connector {} --force-reregister --save --env-file .autoplay/.env",
            connector.url
        );
        session.exp_string(&equivalent).unwrap();
        session.exp_string("No .gitignore found. Create one with .autoplay/?").unwrap();
        answer(&mut session, "y");
        let (_, status) = finish(session);
        assert!(status.ends_with(", 0)"), "{status}");

        let received = connector.received();
        assert_eq!(received.len(), 2);
        assert_eq!(received[0].body["product_id"], "acme");
        assert_eq!(received[0].body["contact_email"], "ops@acme.com");
        assert_eq!(received[0].body["force_reregister"], false);
        assert_eq!(received[1].body["force_reregister"], true);
        assert!(std::fs::read_to_string(config.join("credentials.toml")).unwrap().contains(KEY));
        assert!(std::fs::read_to_string(project.path().join(".autoplay/.env")).unwrap().contains(KEY));
        assert_eq!(std::fs::read_to_string(project.path().join(".gitignore")).unwrap(), ".autoplay/\n");
    }

    #[test]
    fn declining_the_re_registration_is_exit_2() {
        let connector = FakeConnector::start(vec![Reply::json(409, json!({"detail": "exists"}))]);
        let project = tempfile::tempdir().unwrap();
        let config = project.path().join("config");
        let mut session = spawn(
            &config,
            project.path(),
            &["--product", "acme", "--email", "ops@acme.com", "--connector", &connector.url],
        );
        session.exp_string("Re-register it?").unwrap();
        answer(&mut session, "n");
        let (rest, status) = finish(session);
        assert!(status.ends_with(", 2)"), "{status}");
        assert!(rest.contains("--force-reregister"), "{rest}");
        assert_eq!(connector.received().len(), 1);
    }

    #[test]
    fn the_provider_api_asks_for_its_own_values() {
        let connector = FakeConnector::start(vec![provider_created(true)]);
        let project = tempfile::tempdir().unwrap();
        let config = project.path().join("config");
        let mut session = spawn(
            &config,
            project.path(),
            &["--provider", "amplitude", "--connector", &connector.url, "--format", "json"],
        );
        session.exp_string("amplitude project id").unwrap();
        session.send_line("777").unwrap();
        session.exp_string("Contact email").unwrap();
        session.send_line("ops@acme.com").unwrap();
        session.exp_string("\"product_id\": \"prod_abc\"").unwrap();
        session.exp_string("Save these credentials as profile `default`").unwrap();
        answer(&mut session, "y");
        let (_, status) = finish(session);
        assert!(status.ends_with(", 0)"), "{status}");
        assert_eq!(connector.received()[0].body["provider_project_id"], "777");
        assert_eq!(connector.received()[0].body["provider"], "amplitude");
        let credentials = std::fs::read_to_string(config.join("credentials.toml")).unwrap();
        assert!(credentials.contains("own_token_0123456789abcdef"), "{credentials}");
    }
}

#[test]
fn registration_redirects_are_never_followed() {
    for status in [301, 302, 307, 308] {
        let elsewhere = FakeConnector::start(vec![created("acme")]);
        let connector = FakeConnector::start(vec![Reply::redirect(status, &format!("{}/products", elsewhere.url))]);
        let config = tempfile::tempdir().unwrap();
        let admin = config.path().join("admin");
        std::fs::write(&admin, "admin-key-0123456789").unwrap();
        let output = onboard(config.path())
            .args(["--product", "acme", "--email", "ops@acme.com", "--connector", &connector.url])
            .args(["--admin-key-file", admin.to_str().unwrap()])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "HTTP {status}");
        let err = stderr(&output);
        assert!(err.contains(&format!("HTTP {status}, a redirect to {}/products", elsewhere.url)), "{err}");
        assert!(err.contains("never follows redirects") && err.contains("--connector"), "{err}");
        assert!(elsewhere.received().is_empty(), "nothing, the admin key least of all, reaches the other origin");
        assert_eq!(connector.received().len(), 1);
    }
}

#[test]
fn destinations_are_checked_before_registering() {
    let connector = FakeConnector::start(vec![created("acme")]);
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("autoplay");
    std::fs::create_dir(&config).unwrap();
    std::fs::write(config.join("credentials.toml"), "[profiles.default\ntoken = \"x\"\n").unwrap();
    let output = onboard(&config)
        .args(["--product", "acme", "--email", "ops@acme.com", "--connector", &connector.url, "--save"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("credentials.toml"), "{}", stderr(&output));
    assert!(connector.received().is_empty(), "nothing was registered");
    assert!(!config.join("config.toml").exists(), "nothing was written");

    let project = tempfile::tempdir().unwrap();
    std::fs::create_dir(project.path().join("env-dir")).unwrap();
    let output = onboard(&project.path().join("config"))
        .current_dir(project.path())
        .args(["--product", "acme", "--email", "ops@acme.com", "--connector", &connector.url, "--env-file", "env-dir"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("env-dir exists but is not a regular file"), "{}", stderr(&output));
    assert!(connector.received().is_empty());

    std::fs::create_dir(project.path().join(".gitignore")).unwrap();
    let output = onboard(&project.path().join("config"))
        .current_dir(project.path())
        .args(["--product", "acme", "--email", "ops@acme.com", "--connector", &connector.url, "--env-file", ".env"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains(".gitignore exists but is not a regular file"), "{}", stderr(&output));
    assert!(connector.received().is_empty());
}

#[test]
fn gitignore_says_when_it_cannot_apply() {
    let connector = FakeConnector::start(vec![created("acme")]);
    let project = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    let env_file = outside.path().join(".env");
    let output = onboard(&project.path().join("config"))
        .current_dir(project.path())
        .args(["--product", "acme", "--email", "ops@acme.com", "--connector", &connector.url])
        .args(["--env-file", env_file.to_str().unwrap(), "--gitignore"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stderr(&output).contains("--gitignore: not applied"), "{}", stderr(&output));
    let text = std::fs::read_to_string(&env_file).unwrap();
    assert!(text.contains(&format!("AUTOPLAY_UNKEY_TOKEN='{KEY}'")), "{text}");
}

#[test]
fn error_bodies_are_redacted_by_rule_on_both_apis() {
    let body = json!({"detail": "bad", "unkey_key": "leak-unkey-1", "nested": {"webhookSecret": "leak-webhook-2",
        "list": [{"apiKey": "leak-api-3", "private_key": "leak-private-4", "Owner-Token": "leak-owner-5"}]}});
    let expected = r#"{"detail":"bad","unkey_key":"[REDACTED]","nested":{"webhookSecret":"[REDACTED]","list":[{"apiKey":"[REDACTED]","private_key":"[REDACTED]","Owner-Token":"[REDACTED]"}]}}"#;
    let connector = FakeConnector::start(vec![Reply::json(400, body)]);
    let config = tempfile::tempdir().unwrap();
    for provider_api in [false, true] {
        let mut command = onboard(config.path());
        command.args(["--email", "ops@acme.com", "--connector", &connector.url]);
        if provider_api {
            command.args(["--provider", "posthog", "--provider-project-id", "12345"]);
        } else {
            command.args(["--product", "acme"]);
        }
        let output = command.output().unwrap();
        assert_eq!(output.status.code(), Some(1));
        let err = stderr(&output);
        assert!(err.contains(expected), "provider API {provider_api}: {err}");
        assert!(!err.contains("leak"), "{err}");
    }
}

/// A connector whose answer never ends: onboard reads at most 1 MiB of it, then stops with a
/// clear error instead of filling memory or hanging.
#[test]
fn an_endless_answer_is_cut_and_reported() {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        let (mut socket, _) = listener.accept().unwrap();
        let mut head = [0u8; 8192];
        let _ = socket.read(&mut head);
        let _ = socket.write_all(b"HTTP/1.1 201 Created\r\nContent-Type: application/json\r\n\r\n{\"product_id\": \"");
        let chunk = vec![b'a'; 64 * 1024];
        // Up to 1 GiB, until the client hangs up.
        for _ in 0..16_384 {
            if socket.write_all(&chunk).is_err() {
                return;
            }
        }
    });
    let config = tempfile::tempdir().unwrap();
    let output = onboard(config.path())
        .args(["--product", "acme", "--email", "ops@acme.com", "--connector", &url])
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    let err = stderr(&output);
    assert!(matches!(output.status.code(), Some(1 | 2)), "{:?}: {err}", output.status);
    assert!(err.contains("error:"), "{err}");
    assert!(err.len() < 16 * 1024, "the error repeats the body: {} bytes", err.len());
    assert!(!config.path().join("credentials.toml").exists());
}
