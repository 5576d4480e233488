//! Help that fits the terminal: every command's after-help (examples, exit codes, notes) is
//! laid out again for the width clap renders at, so clap never has to wrap a line of it.
//!
//! - An example is its command on one line (`  autoplay …`) and its description on the next
//!   (indented six). A command longer than the width continues on the next line after a
//!   trailing ` \`, split between shell words (quotes kept whole), so each stays runnable.
//! - An exit-code block puts each code on its own line.
//! - Any other paragraph is wrapped by words.
//!
//! The global flags get their own heading (`Global options`, listed after the command's own),
//! and `--format` lists only what the command supports ([`crate::shell::output::formats_of`]).

use clap::Command;
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};

use crate::shell::output::Format;

/// The heading of the flags every command takes.
pub(crate) const GLOBAL_HEADING: &str = "Global options";

/// The indent of example descriptions and command continuations.
const INDENT: &str = "      ";

/// The width help is rendered at: `COLUMNS`, else the terminal's, else 100; at most 100 (as
/// clap caps it) and at least 40.
pub(crate) fn width() -> usize {
    crate::shell::ui::terminal_width().unwrap_or(100).clamp(40, 100)
}

/// Whether [`finish`] lays out the after-help texts too, or only gives each command what
/// parsing needs (its `--format` values). Laying out every command's help is most of the
/// tree's building time, and only help and errors are rendered from it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Texts {
    /// Lay them out: the tree will be shown (help, an error, completions).
    LaidOut,
    /// Leave them as written: the tree only parses.
    AsWritten,
}

/// Applies the layout to the whole command tree for `width` columns.
pub(crate) fn finish(command: Command, width: usize, texts: Texts) -> Command {
    let mut command = command.term_width(width);
    if texts == Texts::LaidOut {
        command = relayout(command, width);
    }
    let names: Vec<String> = command.get_subcommands().map(|c| c.get_name().to_string()).collect();
    for name in names {
        command = command.mut_subcommand(&name, |sub| finish_sub(sub, &name, width, texts));
    }
    command
}

fn finish_sub(mut command: Command, path: &str, width: usize, texts: Texts) -> Command {
    if texts == Texts::LaidOut {
        command = relayout(command, width);
    }
    let names: Vec<String> = command.get_subcommands().map(|c| c.get_name().to_string()).collect();
    if names.is_empty() {
        command = command.arg(format_arg(path));
    }
    for name in names {
        let sub_path = format!("{path} {name}");
        command = command.mut_subcommand(&name, |sub| finish_sub(sub, &sub_path, width, texts));
    }
    command
}

/// `--format` as this command takes it: the global flag with only the supported values.
fn format_arg(path: &str) -> clap::Arg {
    let supported = crate::shell::output::formats_of(path);
    let values: Vec<PossibleValue> = supported.iter().filter_map(clap::ValueEnum::to_possible_value).collect();
    let parser = PossibleValuesParser::new(values).map(|name: String| match name.as_str() {
        "json" => Format::Json,
        "text" => Format::Text,
        _ => Format::Pretty,
    });
    let default = if supported.len() == 1 {
        format!("Output format (only `{}` here)", crate::shell::output::format_name(supported[0]))
    } else {
        "Output format; default: pretty on a terminal, json otherwise".to_string()
    };
    clap::Arg::new("format")
        .long("format")
        .value_name("FORMAT")
        .env(crate::shell::env_vars::FORMAT)
        .value_parser(parser)
        .help(default)
        .help_heading(GLOBAL_HEADING)
        .global(true)
        // A command that prints one format has no choice to offer: accepted, not shown.
        .hide(supported.len() == 1)
}

fn relayout(command: Command, width: usize) -> Command {
    match command.get_after_help().map(|text| text.to_string()) {
        Some(text) => command.after_help(layout(&text, width)),
        None => command,
    }
}

/// Lays out an after-help text for `width` columns (see the module docs).
pub(crate) fn layout(text: &str, width: usize) -> String {
    let limit = width.saturating_sub(1).max(20);
    let mut out: Vec<String> = Vec::new();
    let mut lines = text.lines().peekable();
    #[derive(PartialEq)]
    enum Mode {
        Prose,
        Examples,
        ExitCodes,
    }
    let mut mode = Mode::Prose;
    let mut paragraph: Vec<String> = Vec::new();
    let flush = |paragraph: &mut Vec<String>, out: &mut Vec<String>| {
        if !paragraph.is_empty() {
            out.extend(crate::shell::ui::wrap_words(&paragraph.join(" "), "", "", limit));
            paragraph.clear();
        }
    };
    while let Some(line) = lines.next() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            flush(&mut paragraph, &mut out);
            out.push(String::new());
            mode = Mode::Prose;
            continue;
        }
        if !line.starts_with(' ') {
            if trimmed == "Examples:" {
                flush(&mut paragraph, &mut out);
                out.push(trimmed.to_string());
                mode = Mode::Examples;
                continue;
            }
            if let Some(rest) = trimmed.strip_prefix("Exit codes:") {
                flush(&mut paragraph, &mut out);
                out.push("Exit codes:".to_string());
                mode = Mode::ExitCodes;
                let mut block = rest.trim().to_string();
                while let Some(next) = lines.peek() {
                    if next.trim().is_empty() || !next.starts_with(' ') {
                        break;
                    }
                    // A line that starts with a code starts an item; others continue one.
                    let next = next.trim();
                    let starts_item = next.split(' ').next().is_some_and(|w| w.chars().all(|c| c.is_ascii_digit()));
                    block.push_str(if starts_item && !block.is_empty() { " · " } else { " " });
                    block.push_str(next);
                    lines.next();
                }
                for item in block.split(" · ").map(str::trim).filter(|i| !i.is_empty()) {
                    out.extend(crate::shell::ui::wrap_words(item, "  ", "    ", limit));
                }
                continue;
            }
        }
        match mode {
            Mode::Examples => {
                let mut command_line = trimmed.to_string();
                // A command already continued with ` \`.
                while command_line.ends_with('\\') {
                    let Some(next) = lines.next() else { break };
                    command_line.pop();
                    command_line = format!("{} {}", command_line.trim_end(), next.trim());
                }
                let (command, description) = split_example(&command_line);
                let mut descriptions = Vec::new();
                if !description.is_empty() {
                    descriptions.push(description);
                }
                // Descriptions already on their own lines.
                while let Some(next) = lines.peek() {
                    let is_description = next.starts_with(INDENT) && !next.trim().starts_with("autoplay");
                    if !is_description {
                        break;
                    }
                    descriptions.push(next.trim().to_string());
                    lines.next();
                }
                out.extend(layout_command(&command, limit));
                if !descriptions.is_empty() {
                    out.extend(crate::shell::ui::wrap_words(&descriptions.join(" "), INDENT, INDENT, limit));
                }
            }
            Mode::ExitCodes => out.extend(crate::shell::ui::wrap_words(trimmed, "  ", "    ", limit)),
            Mode::Prose => paragraph.push(trimmed.to_string()),
        }
    }
    flush(&mut paragraph, &mut out);
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out.join("\n")
}

/// A command and its description: the description starts after the first run of two or
/// more spaces outside quotes.
fn split_example(line: &str) -> (String, String) {
    let mut quote: Option<char> = None;
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    for (i, &(at, c)) in chars.iter().enumerate() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '\'' || c == '"' => quote = Some(c),
            None if c == ' ' && chars.get(i + 1).is_some_and(|&(_, n)| n == ' ') => {
                return (line[..at].trim().to_string(), line[at..].trim().to_string());
            }
            None => {}
        }
    }
    (line.trim().to_string(), String::new())
}

/// Shell words, quotes kept whole.
fn shell_words(command: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut quote: Option<char> = None;
    for c in command.chars() {
        match quote {
            Some(q) => {
                current.push(c);
                if c == q {
                    quote = None;
                }
            }
            None if c == ' ' => {
                if !current.is_empty() {
                    words.push(std::mem::take(&mut current));
                }
            }
            None => {
                if c == '\'' || c == '"' {
                    quote = Some(c);
                }
                current.push(c);
            }
        }
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// `  command`, continued with ` \` where it is longer than `limit`.
fn layout_command(command: &str, limit: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::from("  ");
    for word in shell_words(command) {
        let empty = line.trim().is_empty();
        // Room for the word and, on a line that is not the last, the ` \`.
        if !empty && line.chars().count() + 1 + word.chars().count() + 2 > limit {
            line.push_str(" \\");
            lines.push(std::mem::replace(&mut line, String::from(INDENT)));
        }
        if !line.trim().is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    lines.push(line);
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every command that prints something decides its formats in the one table (a new
    /// command that forgets it would silently offer every format).
    #[test]
    fn every_command_lists_its_formats() {
        fn leaves(command: &Command, path: &str, out: &mut Vec<String>) {
            let subs: Vec<&Command> = command.get_subcommands().filter(|c| c.get_name() != "help").collect();
            if subs.is_empty() {
                out.push(path.to_string());
            }
            for sub in subs {
                let child =
                    if path.is_empty() { sub.get_name().to_string() } else { format!("{path} {}", sub.get_name()) };
                leaves(sub, &child, out);
            }
        }
        let mut paths = Vec::new();
        leaves(&<crate::cli::Cli as clap::CommandFactory>::command(), "", &mut paths);
        let missing: Vec<&String> = paths.iter().filter(|p| !crate::shell::output::formats_listed(p)).collect();
        assert!(missing.is_empty(), "commands without a formats entry: {missing:?}");
    }

    #[test]
    fn examples_keep_their_commands_whole() {
        let text = "Examples:\n  autoplay tail --format json --record rec.jsonl | jq -c '.actions[]?.canonical_url'   NDJSON to jq\n  autoplay demo";
        let laid = layout(text, 50);
        assert_eq!(
            laid,
            "Examples:\n  autoplay tail --format json --record \\\n      rec.jsonl | jq -c \\\n      '.actions[]?.canonical_url'\n      NDJSON to jq\n  autoplay demo"
        );
        assert!(laid.lines().all(|l| l.chars().count() < 50));
    }

    #[test]
    fn exit_codes_one_per_line_and_prose_rewrapped() {
        let text = "Some prose that was\nhard-wrapped.\n\nExit codes:\n  0 ok · 1 failure · 2 usage\n  3 expectation";
        assert_eq!(
            layout(text, 80),
            "Some prose that was hard-wrapped.\n\nExit codes:\n  0 ok\n  1 failure\n  2 usage\n  3 expectation"
        );
    }
}
