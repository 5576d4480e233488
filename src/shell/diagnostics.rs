//! The one error renderer: `error: …`, then `caused by: …` for each cause, then `hint: …`.

use std::io::Write;

use crate::shell::exit::{ExitStatus, UserError};
use crate::shell::secret;

/// Prints `err` to stderr and returns the exit status it maps to. A broken pipe anywhere in
/// the chain means the reader went away (`autoplay tail | head`): that is success, quietly.
pub(crate) fn report(err: &anyhow::Error) -> ExitStatus {
    if is_broken_pipe(err) {
        return ExitStatus::Success;
    }
    let status = status_of(err);
    let rendered = render(err, crate::shell::ui::colors_stderr());
    let mut stderr = std::io::stderr().lock();
    let _ = stderr.write_all(rendered.as_bytes());
    let _ = stderr.flush();
    status
}

/// The exit status of an error: the first [`UserError`] or stream error in the chain decides,
/// else 1.
pub(crate) fn status_of(err: &anyhow::Error) -> ExitStatus {
    for cause in err.chain() {
        if let Some(user) = cause.downcast_ref::<UserError>() {
            return user.status;
        }
        if let Some(stream) = cause.downcast_ref::<crate::stream::client::StreamError>() {
            return stream.exit_status();
        }
    }
    ExitStatus::Failure
}

/// Whether the chain holds an `io::ErrorKind::BrokenPipe`.
pub(crate) fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Renders the error chain. Messages pass through secret redaction.
pub(crate) fn render(err: &anyhow::Error, color: bool) -> String {
    let style = |text: &str, style: console::Style| -> String {
        if color { style.force_styling(true).apply_to(text).to_string() } else { text.to_string() }
    };
    let mut out = String::new();
    let mut chain = err.chain();
    let mut hints: Vec<String> = Vec::new();
    if let Some(first) = chain.next() {
        out.push_str(&style("error:", console::Style::new().red().bold()));
        out.push(' ');
        out.push_str(&secret::redact(&first.to_string()));
        out.push('\n');
        collect_hint(first, &mut hints);
    }
    let mut previous = err.chain().next().map(|e| e.to_string()).unwrap_or_default();
    for cause in chain {
        let text = cause.to_string();
        collect_hint(cause, &mut hints);
        // anyhow's context layers often repeat the inner message verbatim; print it once.
        if text.is_empty() || previous.contains(&text) {
            continue;
        }
        out.push_str(&style("caused by:", console::Style::new().red()));
        out.push(' ');
        out.push_str(&secret::redact(&text));
        out.push('\n');
        previous = text;
    }
    // Hints are whole sentences: wrapped by words under themselves, never broken mid-word.
    for hint in hints {
        out.push('\n');
        out.push_str(&crate::shell::ui::labelled(
            &style("hint:", console::Style::new().cyan().bold()),
            "hint:".len(),
            &secret::redact(&hint),
        ));
    }
    out
}

fn collect_hint(cause: &(dyn std::error::Error + 'static), hints: &mut Vec<String>) {
    let hint = if let Some(user) = cause.downcast_ref::<UserError>() {
        user.hint.clone()
    } else if let Some(stream) = cause.downcast_ref::<crate::stream::client::StreamError>() {
        stream.hint()
    } else {
        None
    };
    if let Some(hint) = hint
        && !hints.contains(&hint)
    {
        hints.push(hint);
    }
}
