//! The report as one HTML file: the template with its styles, its script and the data put
//! inline, so it opens from `file://` with no request to any host.

use std::path::Path;

use super::Report;

const TEMPLATE: &str = include_str!("../../templates/report/report.html");
const STYLE: &str = include_str!("../../templates/report/report.css");
const SCRIPT: &str = include_str!("../../templates/report/report.js");

/// The placeholders of the template, in the order they appear.
const STYLE_SLOT: &str = "/*{{style}}*/";
const DATA_SLOT: &str = "{{data}}";
const SCRIPT_SLOT: &str = "/*{{script}}*/";

/// The page for `report`.
pub(crate) fn render(report: &Report) -> Vec<u8> {
    let data = report.to_json();
    let mut out = Vec::with_capacity(TEMPLATE.len() + STYLE.len() + SCRIPT.len() + data.len() + data.len() / 64);
    let mut rest = TEMPLATE;
    for (slot, fill) in
        [(STYLE_SLOT, Fill::Text(STYLE)), (DATA_SLOT, Fill::Json(&data)), (SCRIPT_SLOT, Fill::Text(SCRIPT))]
    {
        let (before, after) = rest.split_once(slot).unwrap_or((rest, ""));
        out.extend_from_slice(before.as_bytes());
        match fill {
            Fill::Text(text) => out.extend_from_slice(text.as_bytes()),
            Fill::Json(json) => push_script_safe(&mut out, json),
        }
        rest = after;
    }
    out.extend_from_slice(rest.as_bytes());
    out
}

/// Writes the page for `report` to `path` (replacing the file in one step).
pub(crate) fn write(path: &Path, report: &Report) -> std::io::Result<()> {
    crate::fs::write_atomic(path, &render(report), crate::fs::Access::Keep)
}

enum Fill<'a> {
    Text(&'a str),
    Json(&'a [u8]),
}

/// JSON inside a `<script>` element: a `<` only occurs inside strings there, and `\u003c`
/// reads the same, so no text of the data can close the element.
fn push_script_safe(out: &mut Vec<u8>, json: &[u8]) {
    let mut rest = json;
    while let Some(i) = memchr::memchr(b'<', rest) {
        out.extend_from_slice(&rest[..i]);
        out.extend_from_slice(b"\\u003c");
        rest = &rest[i + 1..];
    }
    out.extend_from_slice(rest);
}

#[cfg(test)]
mod tests {
    #[test]
    fn data_cannot_close_its_script_element() {
        let mut out = Vec::new();
        super::push_script_safe(&mut out, br#"{"s": "</script><b>"}"#);
        assert_eq!(String::from_utf8(out.clone()).unwrap(), r#"{"s": "\u003c/script>\u003cb>"}"#);
        let value: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(value["s"], "</script><b>");
    }
}
