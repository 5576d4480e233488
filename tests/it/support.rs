//! Shared helpers for the integration tests.

#![allow(dead_code)]

use std::path::PathBuf;

/// The built binary, ready to run with assert_cmd.
pub fn autoplay() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("autoplay").expect("binary is built");
    // Tests never read the developer's real profile or tokens.
    cmd.env_remove("AUTOPLAY_APP_UNKEY_TOKEN")
        .env_remove("AUTOPLAY_UNKEY_TOKEN")
        .env_remove("AUTOPLAY_STREAM_URL")
        .env_remove("AUTOPLAY_CONNECTOR_URL")
        .env_remove("AUTOPLAY_PRODUCT_ID")
        .env_remove("AUTOPLAY_PROFILE")
        .env_remove("AUTOPLAY_FORMAT")
        .env("AUTOPLAY_CONFIG_DIR", std::env::temp_dir().join("autoplay-tests-no-config"))
        .env("NO_COLOR", "1");
    cmd
}

/// A path under `tests/fixtures`.
pub fn fixture(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(path)
}
