//! `autoplay triggers validate`: lint a `products.json` and print every problem.
//!
//! The linting is [`crate::triggers::lint`]; this module reads the file (or stdin), renders the
//! report (pretty with source excerpts, or one JSON document) and maps it to the exit code:
//! 0 when clean or only warnings, 2 on errors (warnings count as errors with `--strict`).

use std::path::Path;

use console::Style;
use serde_json::json;

use crate::settings::GlobalSettings;
use crate::shell::exit::{ExitStatus, UserError};
use crate::shell::output::Format;
use crate::shell::output::{self, LineWriter};
use crate::shell::ui;
use crate::triggers::config::Severity;
use crate::triggers::lint::{self, Problem, Report};

pub(crate) fn run(global: &GlobalSettings, config: &Path, strict: bool) -> anyhow::Result<ExitStatus> {
    let format = output::resolve_format(global.format);
    output::ensure_supported(format, &[Format::Pretty, Format::Json], "autoplay triggers validate")?;
    let (name, text) = read_config(config)?;
    let mut report = lint::lint_text(&text);
    if strict {
        report.make_strict();
    }
    let mut out = LineWriter::block_buffered();
    match format {
        Format::Json => out.line(&render_json(&name, &report, strict).to_string())?,
        _ => {
            for line in render_pretty(&name, &text, &report).lines() {
                out.line(line)?;
            }
        }
    }
    out.flush()?;
    if report.has_errors() {
        let count = report.error_count();
        let mut error = UserError::usage(format!(
            "{name} is not a valid trigger config: {count} {}",
            if count == 1 { "error" } else { "errors" }
        ));
        if strict && report.problems.iter().any(|p| p.code != "json_syntax") {
            error = error.with_hint("--strict counts warnings as errors");
        }
        return Err(error.into());
    }
    Ok(ExitStatus::Success)
}

/// Reads the config as UTF-8 text; `-` is stdin. Returns the name to show and the text.
fn read_config(path: &Path) -> anyhow::Result<(String, String)> {
    if path.as_os_str() == "-" {
        let text = crate::fs::read_stdin_limited(crate::fs::MAX_CONFIG_BYTES)
            .map_err(|e| UserError::usage(format!("could not read the config from stdin: {e}")))?;
        return Ok(("<stdin>".to_string(), text));
    }
    let name = path.display().to_string();
    match crate::fs::read_text_limited(path, crate::fs::MAX_CONFIG_BYTES) {
        Ok(text) => Ok((name, text)),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            Err(UserError::usage(format!("{name}: no such file"))
                .with_hint("`autoplay triggers init` writes a starting products.json")
                .into())
        }
        Err(err) => Err(UserError::usage(format!("could not read {name}: {err}")).into()),
    }
}

fn severity_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// The machine-readable report: one JSON document.
fn render_json(name: &str, report: &Report, strict: bool) -> serde_json::Value {
    let problems: Vec<serde_json::Value> = report
        .problems
        .iter()
        .map(|p| {
            json!({
                "severity": severity_name(p.severity),
                "code": p.code,
                "path": p.path.to_string(),
                "line": p.position.map(|pos| pos.line),
                "column": p.position.map(|pos| pos.column),
                "message": p.message,
                "hint": p.hint,
            })
        })
        .collect();
    json!({
        "file": name,
        "valid": !report.has_errors(),
        "strict": strict,
        "errors": report.error_count(),
        "warnings": report.warning_count(),
        "problems": problems,
    })
}

/// The report for people: one block per problem with the source line, then a summary.
fn render_pretty(name: &str, text: &str, report: &Report) -> String {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut out = String::new();
    for problem in &report.problems {
        out.push_str(&render_problem(name, &lines, problem));
        out.push('\n');
    }
    let (errors, warnings) = (report.error_count(), report.warning_count());
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let summary = match (errors, warnings) {
        (0, 0) => ui::paint_stdout(&format!("{name}: valid, no problems found"), &Style::new().green().bold()),
        (0, w) => {
            format!("{name}: valid with {}", ui::paint_stdout(&plural(w, "warning"), &Style::new().yellow().bold()))
        }
        (e, w) => format!(
            "{name}: {}, {}",
            ui::paint_stdout(&plural(e, "error"), &Style::new().red().bold()),
            plural(w, "warning")
        ),
    };
    out.push_str(&summary);
    out.push('\n');
    out
}

fn render_problem(name: &str, lines: &[&str], problem: &Problem) -> String {
    let (label, style) = match problem.severity {
        Severity::Error => ("error", Style::new().red().bold()),
        Severity::Warning => ("warning", Style::new().yellow().bold()),
    };
    let dim = Style::new().dim();
    let mut out = format!(
        "{}{} {}\n",
        ui::paint_stdout(&format!("{label}[{}]", problem.code), &style),
        ui::paint_stdout(":", &Style::new().bold()),
        problem.message
    );
    let location = match problem.position {
        Some(pos) => format!("{name}:{}:{}", pos.line, pos.column),
        None => name.to_string(),
    };
    out.push_str(&format!("  {} {location}\n", ui::paint_stdout("-->", &dim)));
    if !problem.path.is_root() {
        out.push_str(&format!("  {} {}\n", ui::paint_stdout("at", &dim), problem.path));
    }
    if let Some(pos) = problem.position
        && let Some(source) = lines.get(pos.line.saturating_sub(1))
    {
        let source = source.trim_end_matches('\r').replace('\t', " ");
        let gutter = pos.line.to_string();
        let pad = " ".repeat(gutter.len());
        let (shown, caret_at) = excerpt(&source, pos.column.saturating_sub(1));
        out.push_str(&format!("  {pad} {}\n", ui::paint_stdout("|", &dim)));
        out.push_str(&format!("  {} {} {shown}\n", ui::paint_stdout(&gutter, &dim), ui::paint_stdout("|", &dim)));
        out.push_str(&format!(
            "  {pad} {} {}{}\n",
            ui::paint_stdout("|", &dim),
            " ".repeat(caret_at),
            ui::paint_stdout("^", &style)
        ));
    }
    if let Some(hint) = &problem.hint {
        out.push_str(&format!("  {} {hint}\n", ui::paint_stdout("hint:", &Style::new().cyan().bold())));
    }
    out
}

/// At most ~100 characters of a long line around the column; returns the text and where the
/// caret goes in it.
fn excerpt(line: &str, column: usize) -> (String, usize) {
    const WIDTH: usize = 100;
    // Indentation says nothing; drop it (but never past the caret).
    let indent = line.chars().take_while(|c| *c == ' ').count().min(column);
    let (line, column) = (&line[indent..], column - indent);
    let chars: Vec<char> = line.chars().collect();
    if chars.len() <= WIDTH {
        return (line.to_string(), column.min(chars.len()));
    }
    let start = column.saturating_sub(WIDTH / 3).min(chars.len().saturating_sub(WIDTH));
    let end = (start + WIDTH).min(chars.len());
    let mut shown = String::new();
    let mut caret = column - start;
    if start > 0 {
        shown.push('…');
        caret += 1;
    }
    shown.extend(&chars[start..end]);
    if end < chars.len() {
        shown.push('…');
    }
    (shown, caret)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_keeps_the_caret_on_the_column() {
        assert_eq!(excerpt("abc", 1), ("abc".to_string(), 1));
        assert_eq!(excerpt("    abc", 5), ("abc".to_string(), 1));
        assert_eq!(excerpt("    ", 2), ("  ".to_string(), 0));
        let long: String = (0..300).map(|i| char::from(b'a' + (i % 26) as u8)).collect();
        let (shown, caret) = excerpt(&long, 200);
        assert_eq!(shown.chars().nth(caret), long.chars().nth(200));
        let (shown, caret) = excerpt(&long, 299);
        assert_eq!(shown.chars().nth(caret), long.chars().nth(299));
    }
}
