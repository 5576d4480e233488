/*!
Checks shared by the fuzz targets in `fuzz/` and the property tests: each takes arbitrary
input, runs one reader over it and returns `Err` describing the first broken invariant. They
are public only so the fuzz crate can call them; they are not part of the toolkit's API.
*/

use std::ops::ControlFlow;

use crate::event::line::{self, LineScratch, ReadPath};
use crate::stream::sse::{SseItem, SseParser};

/// Every item the SSE parser yields for `chunks` fed one after the other, rendered to compare.
fn sse_items(chunks: &[&[u8]]) -> Vec<String> {
    let mut parser = SseParser::new();
    let mut items = Vec::new();
    for chunk in chunks {
        let _ = parser.feed(chunk, |item: SseItem<'_>| {
            items.push(format!("{item:?}"));
            ControlFlow::Continue(())
        });
    }
    items.push(format!("last id {:?}", parser.last_event_id()));
    items
}

/// The SSE parser yields the same items (and ends with the same last event id) for `input`
/// whole and for `input` cut at `cuts` (offsets, taken modulo the length and sorted).
pub fn sse_chunking_agrees(input: &[u8], cuts: &[usize]) -> Result<(), String> {
    let mut at: Vec<usize> = cuts.iter().map(|c| if input.is_empty() { 0 } else { c % (input.len() + 1) }).collect();
    at.sort_unstable();
    let mut chunks = Vec::with_capacity(at.len() + 1);
    let mut start = 0;
    for cut in at {
        chunks.push(&input[start..cut]);
        start = cut;
    }
    chunks.push(&input[start..]);
    let (whole, cut) = (sse_items(&[input]), sse_items(&chunks));
    if whole != cut {
        return Err(format!("whole input gave {whole:?}\nchunks {chunks:?} gave {cut:?}"));
    }
    Ok(())
}

/// What one path of the line reader made of `text`, comparable across paths.
pub(crate) fn line_read_as(text: &str, path: ReadPath) -> Option<String> {
    let mut scratch = LineScratch::new();
    let read = line::read_by(text, &mut scratch, path)?;
    Some(match read {
        Ok(view) => format!("{:?} {:?} {:?}", *view, view.action_items(), view.actions()),
        Err(err) => format!("{err:?}"),
    })
}

/// The reader's verdict on `text` and the top-level fields it picked out (not `actions`),
/// reading everything or the top level only.
fn top_level_read_as(text: &str, reach: line::Reach) -> String {
    let mut scratch = LineScratch::new();
    match line::read_reaching(text, &mut scratch, reach) {
        Ok(view) => {
            let mut fields = (*view).clone();
            fields.forget_actions();
            format!("{fields:?}")
        }
        Err(err) => format!("{err:?}"),
    }
}

/// The recording line scanner agrees with serde_json: whatever line the scanner takes, it
/// reads to the same fields; the reader as used gives serde_json's verdict; the reader
/// accepts exactly the texts serde_json reads as an object; and reading the top level only
/// gives the same verdict and the same top-level fields.
pub fn line_scanner_agrees(text: &str) -> Result<(), String> {
    let (everything, top_level) =
        (top_level_read_as(text, line::Reach::Everything), top_level_read_as(text, line::Reach::TopLevel));
    if everything != top_level {
        return Err(format!("{text:?}: read whole {everything}, read to the top level {top_level}"));
    }
    let reference = line_read_as(text, ReadPath::Reference).ok_or("the reference path did not answer")?;
    if let Some(scanned) = line_read_as(text, ReadPath::ScannerOnly)
        && scanned != reference
    {
        return Err(format!("{text:?}: scanner read {scanned}, serde_json {reference}"));
    }
    let fast = line_read_as(text, ReadPath::Fast).ok_or("the fast path did not answer")?;
    if fast != reference {
        return Err(format!("{text:?}: reader read {fast}, serde_json {reference}"));
    }
    let accepted = line::read(text, &mut LineScratch::new()).is_ok();
    let is_object = serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(text).is_ok();
    // The reader accepts a line exactly when it decodes whole to an object.
    if is_object != accepted {
        return Err(format!("{text:?}: serde_json reads an object: {is_object}, the reader accepts it: {accepted}"));
    }
    Ok(())
}

/// Parsing and linting a `products.json` text never panics, and reading a list row by row
/// finds exactly what reading the whole document finds; returns the number of problems.
///
/// # Panics
/// When the two readings differ, with both reports, so that the fuzzer records the input.
pub fn config_lint(text: &str) -> usize {
    use crate::triggers::lint::{Parse, lint_text_as};
    let report = lint_text_as(text, Parse::RowByRow);
    let whole = lint_text_as(text, Parse::Whole);
    assert!(report == whole, "{text:?}: row by row {report:?}, whole {whole:?}");
    let _ = crate::triggers::config::parse_products_str(text);
    report.problems.len()
}

/// The JSON position map never panics, succeeds on every text serde_json accepts (within its
/// nesting limit), and every position it gives is inside the text.
pub fn json_pos_agrees(text: &str) -> Result<(), String> {
    use crate::json::pos::{SourceMap, position_from_serde};
    let lines = text.split('\n').count();
    let in_text = |p: crate::json::pos::Position| p.line >= 1 && p.line <= lines && p.column >= 1;
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(value) => {
            let map =
                SourceMap::build(text).map_err(|e| format!("{text:?}: serde_json reads it, the map fails: {e}"))?;
            let mut paths = Vec::new();
            every_path(&value, crate::json::path::JsonPath::root(), &mut paths);
            for path in paths {
                let p = map.value_position(&path).ok_or_else(|| format!("{text:?}: no position for {path}"))?;
                if !in_text(p) {
                    return Err(format!("{text:?}: {path} at {p}, outside the text"));
                }
            }
        }
        Err(err) => {
            let _ = SourceMap::build(text);
            let p = position_from_serde(text, err.line(), err.column());
            if err.line() > 0 && !in_text(p) {
                return Err(format!("{text:?}: serde_json error at {p}, outside the text"));
            }
        }
    }
    Ok(())
}

/// The path of every value in `value`, `at` included.
fn every_path(value: &serde_json::Value, at: crate::json::path::JsonPath, out: &mut Vec<crate::json::path::JsonPath>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, item) in map {
                every_path(item, at.key(key), out);
            }
        }
        serde_json::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                every_path(item, at.index(i), out);
            }
        }
        _ => {}
    }
    out.push(at);
}

/// The fuzz targets' invariants as property tests: few cases each, so `cargo test` stays fast
/// (the fuzz targets run the long searches).
#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    /// Text made of pieces that matter to JSON and to the line reader, so random cases reach
    /// the interesting paths instead of failing at the first byte.
    fn json_like() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "{",
            "}",
            "[",
            "]",
            ",",
            ":",
            " ",
            "\"",
            "\\",
            "\\u00e9",
            "\\ud83d\\ude00",
            "\\ud800",
            "0",
            "-1.5",
            "1e400",
            "1e5",
            "null",
            "true",
            "\"type\"",
            "\"actions\"",
            "\"forwarded_at\"",
            "\"session_id\"",
            "\"ts\"",
            "\"x\"",
            "\"timestamp_start\"",
            "\"canonical_url\"",
            "é",
            "\n",
            "\u{1}",
        ]);
        prop::collection::vec(pieces, 0..40).prop_map(|p| p.concat())
    }

    /// A plain recording line, edited by the pieces above at random places.
    fn edited_line() -> impl Strategy<Value = String> {
        let base = r#"{"type":"actions","product_id":"p","session_id":"s","actions":[{"type":"click","canonical_url":"https://a/b","timestamp_start":1.5,"timestamp_end":2}],"forwarded_at":3.25}"#;
        (json_like(), 0..base.len(), 0..4usize).prop_map(move |(piece, at, cut)| {
            let mut line = base.to_string();
            let end = (at + cut).min(line.len());
            line.replace_range(at..end, &piece);
            line
        })
    }

    /// SSE-like bytes: field names, line ends of every kind, and stray bytes.
    fn sse_like() -> impl Strategy<Value = Vec<u8>> {
        let pieces = prop::sample::select(vec![
            &b"data:"[..],
            b"data: x",
            b"event: e",
            b"id: 7",
            b"id",
            b"retry: 300",
            b":c",
            b"\n",
            b"\r",
            b"\r\n",
            b"\xef\xbb\xbf",
            b"\xff",
            b" ",
            b"{}",
            b"\x00",
        ]);
        prop::collection::vec(pieces, 0..60).prop_map(|p| p.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

        #[test]
        fn sse_frames_do_not_depend_on_chunking(input in sse_like(), cuts in prop::collection::vec(any::<usize>(), 0..8)) {
            super::sse_chunking_agrees(&input, &cuts).map_err(TestCaseError::fail)?;
        }

        #[test]
        fn the_line_scanner_reads_as_serde_json(line in prop_oneof![edited_line(), json_like()]) {
            super::line_scanner_agrees(&line).map_err(TestCaseError::fail)?;
        }

        #[test]
        fn config_parse_and_lint_never_panic(text in prop_oneof![json_like(), edited_line().prop_map(|l| format!("[{l}]"))]) {
            super::config_lint(&text);
        }

        #[test]
        fn json_positions_stay_in_the_text(text in prop_oneof![json_like(), edited_line()]) {
            super::json_pos_agrees(&text).map_err(TestCaseError::fail)?;
        }
    }
}
