//! Every command's help at 80 and 120 columns: nothing wider than the terminal, examples
//! whole on their lines, one exit code per line, the global flags under their own heading.

use crate::support;

fn help(path: &[&str], columns: usize, flag: &str) -> String {
    let output = support::autoplay().args(path).arg(flag).env("COLUMNS", columns.to_string()).output().unwrap();
    assert!(output.status.success(), "{path:?}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

/// The subcommands a help text lists (without `help`).
fn subcommands(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut inside = false;
    for line in text.lines() {
        if line == "Commands:" {
            inside = true;
            continue;
        }
        if inside {
            if !line.starts_with("  ") {
                break;
            }
            if line.starts_with("   ") {
                continue; // a wrapped description
            }
            if let Some(name) = line.split_whitespace().next().filter(|n| *n != "help") {
                names.push(name.to_string());
            }
        }
    }
    names
}

/// Every command path, the root included.
fn every_command() -> Vec<Vec<String>> {
    let mut paths = vec![Vec::new()];
    let mut index = 0;
    while index < paths.len() {
        let path = paths[index].clone();
        let args: Vec<&str> = path.iter().map(String::as_str).collect();
        for name in subcommands(&help(&args, 120, "--help")) {
            let mut child = path.clone();
            child.push(name);
            paths.push(child);
        }
        index += 1;
    }
    paths
}

/// Checks one rendered help; returns what is wrong.
fn problems(path: &[String], text: &str, columns: usize) -> Vec<String> {
    let mut found = Vec::new();
    let name = format!("autoplay {}", path.join(" "));
    for line in text.lines() {
        if line.chars().count() > columns {
            found.push(format!("{name} at {columns}: line wider than the terminal: {line:?}"));
        }
    }
    let lines: Vec<&str> = text.lines().collect();
    let Some(start) = lines.iter().position(|l| *l == "Examples:") else {
        found.push(format!("{name}: no Examples"));
        return found;
    };
    let mut previous_continues = false;
    let mut previous_is_example = false;
    for line in lines[start + 1..].iter().take_while(|l| !l.is_empty()) {
        let command = line.strip_prefix("  ").is_some_and(|rest| rest.starts_with("autoplay"));
        let continuation = previous_continues && line.starts_with("      ");
        let description = previous_is_example && line.starts_with("      ") && !previous_continues;
        if !(command || continuation || description) {
            found.push(format!("{name} at {columns}: an example line that is not a whole command: {line:?}"));
        }
        previous_continues = (command || continuation) && line.ends_with(" \\");
        previous_is_example = command || continuation || description;
    }
    if let Some(exit) = lines.iter().position(|l| *l == "Exit codes:") {
        for line in lines[exit + 1..].iter().take_while(|l| !l.is_empty()) {
            let code = line.strip_prefix("  ").and_then(|rest| rest.split(' ').next()).unwrap_or("");
            let is_code = !code.is_empty() && code.chars().all(|c| c.is_ascii_digit());
            if !(is_code || line.starts_with("    ")) {
                found.push(format!("{name} at {columns}: an exit-code line that is not one code: {line:?}"));
            }
        }
    }
    found
}

#[test]
fn every_help_fits_80_and_120_columns_with_whole_examples() {
    let commands = every_command();
    assert!(commands.len() > 20, "{commands:?}");
    let mut found = Vec::new();
    for path in &commands {
        let args: Vec<&str> = path.iter().map(String::as_str).collect();
        for columns in [80, 120] {
            for flag in ["-h", "--help"] {
                found.extend(problems(path, &help(&args, columns, flag), columns));
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn global_options_come_last_and_format_lists_what_the_command_supports() {
    let text = help(&["auth", "status"], 100, "-h");
    let global = text.find("Global options:").expect("a Global options heading");
    let own = text.find("--check").unwrap();
    assert!(own < global, "{text}");
    assert!(text[global..].contains("--no-input") && text[..global].find("--no-input").is_none(), "{text}");
    assert!(text.contains("[possible values: pretty, json]"), "{text}");
    for hidden in ["--max-retries", "--idle-timeout", "--connect-timeout"] {
        assert!(!text.contains(hidden), "{hidden} does nothing on auth status: {text}");
    }
    // A command that prints a single format does not offer --format.
    for single in [&["serve"][..], &["completions"], &["auth", "logout"], &["generate"]] {
        assert!(!help(single, 100, "--help").contains("--format <FORMAT>"), "{single:?} offers --format");
    }
    // Not merely hidden: the flags are not part of `auth status` at all.
    support::autoplay().args(["auth", "status", "--max-retries", "3"]).assert().code(2);
    let tail = help(&["tail"], 100, "-h");
    assert!(tail.contains("--max-retries") && tail.contains("[possible values: pretty, json, text]"), "{tail}");
    // A format the command does not support is refused by the parser, naming the ones it does.
    let output = support::autoplay().args(["auth", "status", "--format", "text"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("[possible values: pretty, json]"));
}
