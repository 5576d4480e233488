//! The report as one HTML file: the template with its styles, its script and the data put
//! inline, so it opens from `file://` with no request to any host.

use std::io::{self, Write};
use std::path::Path;

use super::Report;

const TEMPLATE: &str = include_str!("../../templates/report/report.html");
const STYLE: &str = include_str!("../../templates/report/report.css");
const SCRIPT: &str = include_str!("../../templates/report/report.js");

/// The placeholders of the template, in the order they appear.
const STYLE_SLOT: &str = "/*{{style}}*/";
const DATA_SLOT: &str = "{{data}}";
const SCRIPT_SLOT: &str = "/*{{script}}*/";

/// Bytes of the data gathered before each pass of the `<` escaping.
const DATA_BUFFER: usize = 64 << 10;

/// Writes the page for `report` to `out`: the template's text, with the data serialised
/// straight into the page (never held whole in memory).
fn write_page(out: &mut dyn Write, report: &Report) -> io::Result<()> {
    let mut rest = TEMPLATE;
    for (slot, fill) in [(STYLE_SLOT, Some(STYLE)), (DATA_SLOT, None), (SCRIPT_SLOT, Some(SCRIPT))] {
        let (before, after) = rest.split_once(slot).unwrap_or((rest, ""));
        out.write_all(before.as_bytes())?;
        match fill {
            Some(text) => out.write_all(text.as_bytes())?,
            None => {
                let mut data = io::BufWriter::with_capacity(DATA_BUFFER, ScriptSafe(&mut *out));
                serde_json::to_writer(&mut data, report)?;
                data.flush()?;
            }
        }
        rest = after;
    }
    out.write_all(rest.as_bytes())
}

/// The report's file could not be written.
#[derive(Debug, thiserror::Error)]
#[error("could not write the report {}", path.display())]
pub(crate) struct WriteError {
    path: std::path::PathBuf,
    #[source]
    source: io::Error,
}

/// Writes the page for `report` to `path` (replacing the file in one step).
pub(crate) fn write(path: &Path, report: &Report) -> Result<(), WriteError> {
    crate::fs::write_atomic_with(path, crate::fs::Access::Keep, |out| write_page(out, report))
        .map_err(|source| WriteError { path: path.to_path_buf(), source })
}

/// JSON inside a `<script>` element: a `<` only occurs inside strings there, and `\u003c`
/// reads the same, so no text of the data can close the element.
struct ScriptSafe<W>(W);

impl<W: Write> Write for ScriptSafe<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.write_all(buf)?;
        Ok(buf.len())
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        let mut rest = buf;
        while let Some(i) = memchr::memchr(b'<', rest) {
            self.0.write_all(&rest[..i])?;
            self.0.write_all(b"\\u003c")?;
            rest = &rest[i + 1..];
        }
        self.0.write_all(rest)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn data_cannot_close_its_script_element() {
        use std::io::Write;
        let mut out = Vec::new();
        super::ScriptSafe(&mut out).write_all(br#"{"s": "</script><b>"}"#).unwrap();
        assert_eq!(String::from_utf8(out.clone()).unwrap(), r#"{"s": "\u003c/script>\u003cb>"}"#);
        let value: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(value["s"], "</script><b>");
    }
}
