//! `autoplay generate`: `-o FILE`, the summary on stderr, the terminal guard and the progress
//! bar (on a pseudo-terminal).

use crate::support;

#[test]
fn output_file_equals_stdout_and_a_summary_goes_to_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("rec.jsonl");
    let piped = support::autoplay().args(["generate", "--sessions", "4", "--seed", "3"]).output().unwrap();
    assert!(piped.status.success());
    let written = support::autoplay()
        .args(["generate", "--sessions", "4", "--seed", "3", "-o", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(written.status.success());
    assert!(written.stdout.is_empty(), "nothing on stdout with -o");
    assert_eq!(std::fs::read(&file).unwrap(), piped.stdout);
    let lines = piped.stdout.iter().filter(|b| **b == b'\n').count();
    let actions: usize = String::from_utf8_lossy(&piped.stdout)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["actions"].as_array().map_or(0, Vec::len))
        .sum();
    let stderr = String::from_utf8_lossy(&written.stderr);
    let expected = format!("wrote 4 sessions, {lines} lines, {actions} actions, ");
    assert!(stderr.contains(&expected) && stderr.contains(&format!("to {}", file.display())), "{stderr}");
    let one = support::autoplay().args(["generate", "--sessions", "1", "--actions", "1"]).output().unwrap();
    assert!(String::from_utf8_lossy(&one.stderr).contains("wrote 1 session, "), "plural");
    let quiet = support::autoplay().args(["generate", "-q"]).output().unwrap();
    assert!(quiet.stderr.is_empty());
}

#[cfg(unix)]
mod on_a_terminal {
    fn spawn(args: &[&str], env: &[(&str, &str)]) -> rexpect::session::PtySession {
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("autoplay"));
        cmd.env("TERM", "xterm").env("NO_COLOR", "1").env_remove("AUTOPLAY_NO_PROGRESS").env_remove("CI");
        for (name, value) in env {
            cmd.env(name, value);
        }
        cmd.arg("generate").args(args);
        rexpect::session::spawn_command(cmd, Some(60_000)).expect("spawn on a pty")
    }

    #[test]
    fn megabytes_are_not_written_to_a_terminal() {
        let mut session = spawn(&["--sessions", "500"], &[]);
        session.exp_string("not writing about").unwrap();
        session.exp_string("-o rec.jsonl").unwrap();
        session.exp_eof().unwrap();
        let status = format!("{:?}", session.process().wait().unwrap());
        assert!(status.contains(", 2)"), "{status}");
    }

    #[test]
    fn a_progress_bar_on_a_terminal_unless_turned_off() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("big.jsonl");
        let args = ["--sessions", "200", "--actions", "120000", "-o", file.to_str().unwrap()];
        let mut session = spawn(&args, &[]);
        session.exp_string("Generating [").unwrap();
        let rest = session.exp_eof().unwrap();
        assert!(rest.contains("wrote 200 sessions"), "{rest}");
        for (extra, env) in [(Some("--no-progress"), None), (None, Some(("AUTOPLAY_NO_PROGRESS", "1")))] {
            let mut args: Vec<&str> = args.to_vec();
            args.extend(extra);
            let mut session = spawn(&args, &env.into_iter().collect::<Vec<_>>());
            let everything = session.exp_eof().unwrap();
            assert!(!everything.contains("Generating"), "{everything}");
            assert!(everything.contains("wrote 200 sessions"), "{everything}");
        }
    }
}
