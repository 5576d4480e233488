//! `autoplay auth status` and `autoplay auth logout`.

use std::path::Path;

use crate::support;

const PROFILE_TOKEN: &str = "uk_live_profile0123456789abcd";
const ENV_TOKEN: &str = "uk_live_environment0123456efgh";
const SETUP_TOKEN: &str = "uk_live_setupname0123456789ijkl";

/// Writes two hand-made profiles, `default` and `staging`.
fn write_profiles(dir: &Path) {
    std::fs::write(
        dir.join("config.toml"),
        "[profiles.default]\nconnector = \"http://127.0.0.1:9\"\nproduct = \"acme\"\n\n\
         [profiles.staging]\nconnector = \"http://staging\"\nproduct = \"beta\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("credentials.toml"),
        format!(
            "[profiles.default]\ntoken = \"{PROFILE_TOKEN}\"\n\n[profiles.staging]\ntoken = \"uk_live_staging0123456789mnop\"\n"
        ),
    )
    .unwrap();
}

fn auth(config: &Path) -> assert_cmd::Command {
    let mut cmd = support::autoplay();
    cmd.env("AUTOPLAY_CONFIG_DIR", config).arg("auth");
    cmd
}

fn json_status(cmd: &mut assert_cmd::Command) -> (Option<i32>, serde_json::Value, String) {
    let output = cmd.args(["--format", "json"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    for token in [PROFILE_TOKEN, ENV_TOKEN, SETUP_TOKEN] {
        assert!(!stdout.contains(token) && !stderr.contains(token), "a token leaked:\n{stdout}\n{stderr}");
    }
    (output.status.code(), serde_json::from_str(&stdout).unwrap(), stderr)
}

#[test]
fn no_credentials_is_exit_4() {
    let config = tempfile::tempdir().unwrap();
    let (code, status, stderr) = json_status(auth(config.path()).arg("status"));
    assert_eq!(code, Some(4));
    assert_eq!(status["token"], serde_json::Value::Null);
    assert_eq!(status["profiles"], serde_json::json!([]));
    assert!(stderr.contains("no credentials found") && stderr.contains("autoplay onboard --save"), "{stderr}");
}

#[test]
fn the_default_profile_is_the_source() {
    let config = tempfile::tempdir().unwrap();
    write_profiles(config.path());
    let (code, status, _) = json_status(auth(config.path()).arg("status"));
    assert_eq!(code, Some(0));
    assert_eq!(status["profile"], "default");
    assert_eq!(status["connector"], "http://127.0.0.1:9");
    assert_eq!(status["product"], "acme");
    assert_eq!(status["stream_url"], "http://127.0.0.1:9/stream/acme");
    assert_eq!(status["token"]["source"], "profile");
    assert_eq!(status["token"]["redacted"], "uk_live_…abcd");
    assert_eq!(status["token"]["detail"], config.path().join("credentials.toml").display().to_string());
    assert_eq!(status["profiles"], serde_json::json!(["default", "staging"]));
}

#[test]
fn a_named_profile_by_flag_or_environment() {
    let config = tempfile::tempdir().unwrap();
    write_profiles(config.path());
    let (code, status, _) = json_status(auth(config.path()).args(["status", "--profile", "staging"]));
    assert_eq!(code, Some(0));
    assert_eq!(status["product"], "beta");
    assert_eq!(status["token"]["redacted"], "uk_live_…mnop");
    let (code, status, _) = json_status(auth(config.path()).env("AUTOPLAY_PROFILE", "staging").arg("status"));
    assert_eq!(code, Some(0));
    assert_eq!(status["profile"], "staging");
    let output = auth(config.path()).args(["status", "--profile", "nope"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no saved profile named `nope`"));
}

#[test]
fn environment_tokens_win_over_the_profile_in_order() {
    let config = tempfile::tempdir().unwrap();
    write_profiles(config.path());
    let (code, status, _) = json_status(auth(config.path()).env("AUTOPLAY_UNKEY_TOKEN", SETUP_TOKEN).arg("status"));
    assert_eq!(code, Some(0));
    assert_eq!(status["token"]["source"], "env");
    assert_eq!(status["token"]["detail"], "AUTOPLAY_UNKEY_TOKEN");
    assert_eq!(status["token"]["redacted"], "uk_live_…ijkl");
    let (_, status, _) = json_status(
        auth(config.path())
            .env("AUTOPLAY_UNKEY_TOKEN", SETUP_TOKEN)
            .env("AUTOPLAY_APP_UNKEY_TOKEN", ENV_TOKEN)
            .arg("status"),
    );
    assert_eq!(status["token"]["detail"], "AUTOPLAY_APP_UNKEY_TOKEN");
    assert_eq!(status["token"]["redacted"], "uk_live_…efgh");
    // The connector and product still come from the profile.
    assert_eq!(status["product"], "acme");
}

#[test]
fn a_token_file_wins_over_everything() {
    let config = tempfile::tempdir().unwrap();
    write_profiles(config.path());
    let token_file = config.path().join("token.txt");
    std::fs::write(&token_file, format!("{ENV_TOKEN}\n")).unwrap();
    let (code, status, _) = json_status(auth(config.path()).env("AUTOPLAY_APP_UNKEY_TOKEN", SETUP_TOKEN).args([
        "status",
        "--token-file",
        token_file.to_str().unwrap(),
    ]));
    assert_eq!(code, Some(0));
    assert_eq!(status["token"]["source"], "file");
    assert_eq!(status["token"]["redacted"], "uk_live_…efgh");
}

#[test]
fn pretty_status_names_the_source() {
    let config = tempfile::tempdir().unwrap();
    write_profiles(config.path());
    let output = auth(config.path()).args(["status", "--format", "pretty"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8_lossy(&output.stdout).replace(&config.path().display().to_string(), "[CONFIG]");
    insta::assert_snapshot!("auth_status_pretty", text);
    let output = auth(config.path())
        .env("AUTOPLAY_APP_UNKEY_TOKEN", ENV_TOKEN)
        .args(["status", "--format", "pretty"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(text.contains("uk_live_…efgh  (from the environment variable AUTOPLAY_APP_UNKEY_TOKEN)"), "{text}");
}

#[test]
fn logout_removes_only_that_profile() {
    let config = tempfile::tempdir().unwrap();
    write_profiles(config.path());
    let output = auth(config.path()).args(["logout", "staging"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&output.stderr).contains("removed profile `staging`"));
    let credentials = std::fs::read_to_string(config.path().join("credentials.toml")).unwrap();
    assert!(!credentials.contains("staging") && credentials.contains(PROFILE_TOKEN), "{credentials}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(config.path().join("credentials.toml")).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // Removing it again is harmless.
    let output = auth(config.path()).args(["logout", "staging"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&output.stderr).contains("nothing removed"));
    // Logging out of the default profile leaves no credentials; an env token is pointed out.
    let output = auth(config.path()).env("AUTOPLAY_UNKEY_TOKEN", SETUP_TOKEN).arg("logout").output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&output.stderr).contains("AUTOPLAY_UNKEY_TOKEN is still set"));
    let (code, status, _) = json_status(auth(config.path()).arg("status"));
    assert_eq!(code, Some(4));
    assert_eq!(status["profiles"], serde_json::json!([]));
}

#[cfg(unix)]
#[test]
fn a_credentials_file_readable_by_others_is_pointed_out() {
    use std::os::unix::fs::PermissionsExt;
    let config = tempfile::tempdir().unwrap();
    write_profiles(config.path());
    let path = config.path().join("credentials.toml");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let (code, _, stderr) = json_status(auth(config.path()).arg("status"));
    assert_eq!(code, Some(0));
    assert!(stderr.contains("can be read by other users") && stderr.contains("chmod 600"), "{stderr}");
}

#[test]
fn a_broken_credentials_file_is_a_config_error_that_quotes_nothing() {
    let config = tempfile::tempdir().unwrap();
    std::fs::write(config.path().join("credentials.toml"), format!("[profiles.default]\ntoken = {PROFILE_TOKEN}\n"))
        .unwrap();
    let output = auth(config.path()).arg("status").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("credentials.toml is not valid TOML") && !stderr.contains(PROFILE_TOKEN), "{stderr}");
}

#[test]
fn urls_are_shown_without_user_info_or_secret_query_values() {
    let config = tempfile::tempdir().unwrap();
    let output = auth(config.path())
        .env("AUTOPLAY_APP_UNKEY_TOKEN", ENV_TOKEN)
        .args(["status", "--url", "http://me:hunter2@127.0.0.1:9/stream/acme?token=tok-secret&x=1"])
        .args(["--format", "pretty"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr);
    assert!(text.contains("http://***@127.0.0.1:9/stream/acme?token=***&x=1"), "{text}");
    assert!(!text.contains("hunter2") && !text.contains("tok-secret"), "{text}");
}
