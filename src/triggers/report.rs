//! The report of `autoplay triggers validate` (and the MCP `triggers_validate` tool): every
//! problem of [`crate::triggers::lint`] with its path, line, column and hint, for people (with
//! the source line and a caret) or as one JSON document.

use console::Style;

use crate::sessions::query::Paint;
use crate::triggers::config::Severity;
use crate::triggers::lint::{Problem, Report};

fn severity_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// The machine-readable report: one JSON document. It borrows the problems and is written
/// straight to its output, so a report of 200,000 problems costs no copy of itself.
#[derive(Debug, serde::Serialize)]
pub(crate) struct JsonReport<'a> {
    file: &'a str,
    valid: bool,
    strict: bool,
    errors: usize,
    warnings: usize,
    problems: Vec<JsonProblem<'a>>,
}

#[derive(Debug, serde::Serialize)]
struct JsonProblem<'a> {
    severity: &'static str,
    code: &'static str,
    #[serde(serialize_with = "as_text")]
    path: &'a crate::json::path::JsonPath,
    line: Option<usize>,
    column: Option<usize>,
    message: &'a str,
    hint: Option<&'a str>,
}

fn as_text<S: serde::Serializer>(path: &&crate::json::path::JsonPath, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(path)
}

/// The JSON document of a report (`name` is the file as the user gave it).
pub(crate) fn render_json<'a>(name: &'a str, report: &'a Report, strict: bool) -> JsonReport<'a> {
    let problems = report
        .problems
        .iter()
        .map(|p| JsonProblem {
            severity: severity_name(p.severity),
            code: p.code,
            path: &p.path,
            line: p.position.map(|pos| pos.line),
            column: p.position.map(|pos| pos.column),
            message: &p.message,
            hint: p.hint.as_deref(),
        })
        .collect();
    JsonReport {
        file: name,
        valid: !report.has_errors(),
        strict,
        errors: report.error_count(),
        warnings: report.warning_count(),
        problems,
    }
}

/// The report for people: one block per problem with the source line, then a summary.
pub(crate) fn render_pretty(name: &str, text: &str, report: &Report, paint: Paint<'_>) -> String {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut out = String::new();
    for problem in &report.problems {
        out.push_str(&render_problem(name, &lines, problem, paint));
        out.push('\n');
    }
    let (errors, warnings) = (report.error_count(), report.warning_count());
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let summary = match (errors, warnings) {
        (0, 0) => paint(&format!("{name}: valid, no problems found"), &Style::new().green().bold()),
        (0, w) => {
            format!("{name}: valid with {}", paint(&plural(w, "warning"), &Style::new().yellow().bold()))
        }
        (e, w) => {
            format!("{name}: {}, {}", paint(&plural(e, "error"), &Style::new().red().bold()), plural(w, "warning"))
        }
    };
    out.push_str(&summary);
    out.push('\n');
    out
}

fn render_problem(name: &str, lines: &[&str], problem: &Problem, paint: Paint<'_>) -> String {
    let (label, style) = match problem.severity {
        Severity::Error => ("error", Style::new().red().bold()),
        Severity::Warning => ("warning", Style::new().yellow().bold()),
    };
    let dim = Style::new().dim();
    let mut out = format!(
        "{}{} {}\n",
        paint(&format!("{label}[{}]", problem.code), &style),
        paint(":", &Style::new().bold()),
        problem.message
    );
    let location = match problem.position {
        Some(pos) => format!("{name}:{}:{}", pos.line, pos.column),
        None => name.to_string(),
    };
    out.push_str(&format!("  {} {location}\n", paint("-->", &dim)));
    if !problem.path.is_root() {
        out.push_str(&format!("  {} {}\n", paint("at", &dim), problem.path));
    }
    if let Some(pos) = problem.position
        && let Some(source) = lines.get(pos.line.saturating_sub(1))
    {
        let source = source.trim_end_matches('\r').replace('\t', " ");
        let gutter = pos.line.to_string();
        let pad = " ".repeat(gutter.len());
        let (shown, caret_at) = excerpt(&source, pos.column.saturating_sub(1));
        out.push_str(&format!("  {pad} {}\n", paint("|", &dim)));
        out.push_str(&format!("  {} {} {shown}\n", paint(&gutter, &dim), paint("|", &dim)));
        out.push_str(&format!("  {pad} {} {}{}\n", paint("|", &dim), " ".repeat(caret_at), paint("^", &style)));
    }
    if let Some(hint) = &problem.hint {
        out.push_str(&format!("  {} {hint}\n", paint("hint:", &Style::new().cyan().bold())));
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
