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
    let mut out = String::new();
    let _ = write_pretty(name, text, report, paint, |chunk| {
        out.push_str(chunk);
        Ok::<(), std::convert::Infallible>(())
    });
    out
}

/// [`render_pretty`] handed to `emit` a problem at a time, so that a report of many problems is
/// written as it is made rather than held whole. Stops at the first error `emit` returns.
pub(crate) fn write_pretty<E>(
    name: &str,
    text: &str,
    report: &Report,
    paint: Paint<'_>,
    mut emit: impl FnMut(&str) -> Result<(), E>,
) -> Result<(), E> {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut columns = ColumnCursor::default();
    let styles = Styles::new(paint);
    let mut block = String::new();
    for problem in &report.problems {
        block.clear();
        render_problem(&mut block, name, &lines, &mut columns, problem, &styles, paint);
        block.push('\n');
        emit(&block)?;
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
    emit(&summary)?;
    emit("\n")
}

fn render_problem(
    out: &mut String,
    name: &str,
    lines: &[&str],
    columns: &mut ColumnCursor,
    problem: &Problem,
    styles: &Styles,
    paint: Paint<'_>,
) {
    use std::fmt::Write;
    let (label, style) = match problem.severity {
        Severity::Error => ("error", &styles.error),
        Severity::Warning => ("warning", &styles.warning),
    };
    // Writing into a String cannot fail.
    let _ =
        writeln!(out, "{}{} {}", paint(&format!("{label}[{}]", problem.code), style), styles.colon, problem.message);
    let _ = match problem.position {
        Some(pos) => writeln!(out, "  {} {name}:{}:{}", styles.arrow, pos.line, pos.column),
        None => writeln!(out, "  {} {name}", styles.arrow),
    };
    if !problem.path.is_root() {
        let _ = writeln!(out, "  {} {}", styles.at, problem.path);
    }
    if let Some(pos) = problem.position
        && let Some(source) = lines.get(pos.line.saturating_sub(1))
    {
        let source = source.trim_end_matches('\r');
        let gutter = pos.line.to_string();
        let pad = " ".repeat(gutter.len());
        let at = columns.byte_of(source, pos.line, pos.column.saturating_sub(1));
        let (shown, caret_at) = excerpt(source, at);
        // A tab is one column wide in the excerpt so that the caret lines up.
        let shown = shown.replace('\t', " ");
        let bar = &styles.bar;
        let _ = writeln!(out, "  {pad} {bar}");
        let _ = writeln!(out, "  {} {bar} {shown}", paint(&gutter, &styles.dim));
        let _ = writeln!(out, "  {pad} {bar} {}{}", " ".repeat(caret_at), paint("^", style));
    }
    if let Some(hint) = &problem.hint {
        let _ = writeln!(out, "  {} {hint}", styles.hint);
    }
}

/// The styles of a problem block, and its fixed pieces painted once for the whole report.
struct Styles {
    error: Style,
    warning: Style,
    dim: Style,
    colon: String,
    arrow: String,
    at: String,
    bar: String,
    hint: String,
}

impl Styles {
    fn new(paint: Paint<'_>) -> Styles {
        let dim = Style::new().dim();
        Styles {
            error: Style::new().red().bold(),
            warning: Style::new().yellow().bold(),
            colon: paint(":", &Style::new().bold()),
            arrow: paint("-->", &dim),
            at: paint("at", &dim),
            bar: paint("|", &dim),
            hint: paint("hint:", &Style::new().cyan().bold()),
            dim,
        }
    }
}

/// Where a character column of a line starts, in bytes. Problems come sorted by position, so
/// on one line each lookup goes on from the one before: a config written on one line of
/// megabytes is walked once for all its problems, not once per problem.
#[derive(Default)]
struct ColumnCursor {
    line: usize,
    column: usize,
    byte: usize,
}

impl ColumnCursor {
    /// The byte offset of character `column` (0-based) of `text`, which is line `line`
    /// (the end of the text when the line is shorter).
    fn byte_of(&mut self, text: &str, line: usize, column: usize) -> usize {
        if line != self.line || column < self.column || self.byte > text.len() {
            *self = ColumnCursor { line, column: 0, byte: 0 };
        }
        let rest = &text[self.byte..];
        let step = rest.char_indices().nth(column - self.column).map_or(rest.len(), |(i, _)| i);
        self.byte += step;
        self.column = column;
        self.byte
    }
}

/// At most ~100 characters of a long line around the caret (at byte `at` of `line`); returns
/// the text and where the caret goes in it, in characters. Only the characters around the
/// caret are looked at, however long the line.
fn excerpt(line: &str, at: usize) -> (String, usize) {
    const WIDTH: usize = 100;
    // Indentation says nothing; drop it (but never past the caret).
    let indent = line.as_bytes()[..at].iter().take_while(|b| **b == b' ').count();
    let (line, at) = (&line[indent..], at - indent);
    let (head, tail) = line.split_at(at);
    // Counted only as far as the window can reach, plus one to tell "more" from "exactly".
    let before = head.chars().rev().take(WIDTH + 1).count();
    let after = tail.chars().take(WIDTH + 1).count();
    if before + after <= WIDTH {
        return (line.to_string(), before);
    }
    // A third of the window before the caret, more when the line ends soon after it.
    let back = (WIDTH / 3).min(before).max(WIDTH.saturating_sub(after)).min(before);
    let forward = (WIDTH - back).min(after);
    let start = match back {
        0 => head.len(),
        n => head.char_indices().rev().nth(n - 1).map_or(0, |(i, _)| i),
    };
    let end = tail.char_indices().nth(forward).map_or(tail.len(), |(i, _)| i);
    let mut shown = String::new();
    let mut caret = back;
    if back < before {
        shown.push('…');
        caret += 1;
    }
    shown.push_str(&head[start..]);
    shown.push_str(&tail[..end]);
    if forward < after {
        shown.push('…');
    }
    (shown, caret)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The excerpt of character `column`, through the cursor as the pretty report looks it up.
    fn excerpt_at(line: &str, column: usize) -> (String, usize) {
        excerpt(line, ColumnCursor::default().byte_of(line, 1, column))
    }

    #[test]
    fn excerpt_keeps_the_caret_on_the_column() {
        assert_eq!(excerpt_at("abc", 1), ("abc".to_string(), 1));
        assert_eq!(excerpt_at("    abc", 5), ("abc".to_string(), 1));
        assert_eq!(excerpt_at("    ", 2), ("  ".to_string(), 0));
        assert_eq!(excerpt_at("ab", 7), ("ab".to_string(), 2));
        let long: String = (0..300).map(|i| char::from(b'a' + (i % 26) as u8)).collect();
        let (shown, caret) = excerpt_at(&long, 200);
        assert_eq!(shown.chars().nth(caret), long.chars().nth(200));
        assert!(shown.starts_with('…') && shown.ends_with('…'));
        let (shown, caret) = excerpt_at(&long, 299);
        assert_eq!(shown.chars().nth(caret), long.chars().nth(299));
        assert_eq!(shown.chars().count(), 101, "a full window before the end of the line");
    }

    /// The window as it is defined: on the line's characters, counted from its start.
    fn window_by_counting_every_character(line: &str, column: usize) -> (String, usize) {
        const WIDTH: usize = 100;
        let indent = line.chars().take_while(|c| *c == ' ').count().min(column);
        let (line, column) = (&line[indent..], column - indent);
        let chars: Vec<char> = line.chars().collect();
        // A column past the end of the line puts the caret at the end.
        let column = column.min(chars.len());
        if chars.len() <= WIDTH {
            return (line.to_string(), column);
        }
        let start = column.saturating_sub(WIDTH / 3).min(chars.len().saturating_sub(WIDTH));
        let end = (start + WIDTH).min(chars.len());
        let mut shown: String = if start > 0 { "…".into() } else { String::new() };
        shown.extend(&chars[start..end]);
        if end < chars.len() {
            shown.push('…');
        }
        (shown, column - start + usize::from(start > 0))
    }

    #[test]
    fn excerpts_and_cursor_match_counting_from_the_line_start() {
        let lines = [
            String::new(),
            "  x".to_string(),
            "é".repeat(99),
            "é".repeat(100),
            format!("   {}", "ab€𝄞".repeat(60)),
            " ".repeat(150),
            format!("{}z", " ".repeat(120)),
        ];
        for line in &lines {
            let n = line.chars().count();
            let mut cursor = ColumnCursor::default();
            for column in 0..n + 3 {
                let expected = window_by_counting_every_character(line, column);
                assert_eq!(excerpt_at(line, column), expected, "{line:?} at {column}");
                // Going on from the column before gives the same place as starting over.
                assert_eq!(excerpt(line, cursor.byte_of(line, 7, column)), expected, "{line:?} at {column}");
            }
            // Going back on the same line, or on to another line, starts over.
            assert_eq!(excerpt(line, cursor.byte_of(line, 7, 0)), window_by_counting_every_character(line, 0));
            assert_eq!(excerpt(line, cursor.byte_of(line, 8, 1)), window_by_counting_every_character(line, 1));
        }
    }
}
