//! `autoplay triggers validate`: lint a `products.json` and print every problem.
//!
//! The linting is [`crate::triggers::lint`] and the report's rendering
//! [`crate::triggers::report`]; this module reads the file (or stdin), prints the report
//! (pretty with source excerpts, or one JSON document) and maps it to the exit code:
//! 0 when clean or only warnings, 2 on errors (warnings count as errors with `--strict`).

use std::path::Path;

use crate::settings::GlobalSettings;
use crate::shell::exit::{ExitStatus, UserError};
use crate::shell::output::Format;
use crate::shell::output::{self, LineWriter};
use crate::shell::ui;
use crate::triggers::lint;
use crate::triggers::report::{render_json, write_pretty};

pub(crate) fn run(global: &GlobalSettings, config: &Path, strict: bool) -> anyhow::Result<ExitStatus> {
    crate::shell::pages::prefer_small_pages();
    let format = output::resolve_format(global.format);
    output::ensure_supported(format, "autoplay triggers validate")?;
    let (name, text) = read_config(config)?;
    let mut report = lint::lint_text(&text);
    if strict {
        report.make_strict();
    }
    let mut out = LineWriter::block_buffered();
    match format {
        Format::Json => out.json_line(&render_json(&name, &report, strict))?,
        _ => {
            write_pretty(&name, &text, &report, &ui::paint_stdout, |chunk| out.raw(chunk.as_bytes()))?;
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
