/*!
JSON as Python's `json.dumps` writes it, byte for byte, in the two layouts the SDK produces:
[`COMPACT_ASCII`] (`separators=(",", ":")`, the Redis buffer's members) and [`SPACED_UTF8`]
(the default separators with `ensure_ascii=False`, the simulator's records).

Python differs from serde_json in the details: floats keep a `.0` and switch to exponent
notation at 1e16 (`1e+16`), `\b` and `\f` have short escapes, and `ensure_ascii` escapes DEL
and every non-ASCII character as UTF-16 units.
*/

use std::fmt::Write as _;

use serde_json::{Map, Value};

use crate::py::float_repr;

/// Separators and escaping of one `json.dumps` call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Layout {
    item_separator: &'static str,
    key_separator: &'static str,
    ensure_ascii: bool,
}

/// `json.dumps(value, separators=(",", ":"))`.
pub(crate) const COMPACT_ASCII: Layout = Layout { item_separator: ",", key_separator: ":", ensure_ascii: true };

/// `json.dumps(value, ensure_ascii=False)`.
pub(crate) const SPACED_UTF8: Layout = Layout { item_separator: ", ", key_separator: ": ", ensure_ascii: false };

/// Appends `value`.
pub(crate) fn write_value(out: &mut String, value: &Value, layout: Layout) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) if n.is_f64() => write_f64(out, n.as_f64().unwrap_or(0.0)),
        Value::Number(n) => {
            let _ = write!(out, "{n}");
        }
        Value::String(s) => write_str(out, s, layout),
        Value::Array(items) => write_list(out, items, layout, |out, v| write_value(out, v, layout)),
        Value::Object(map) => write_map(out, map, layout),
    }
}

/// Appends a JSON object.
pub(crate) fn write_map(out: &mut String, map: &Map<String, Value>, layout: Layout) {
    out.push('{');
    for (i, (key, value)) in map.iter().enumerate() {
        if i > 0 {
            out.push_str(layout.item_separator);
        }
        write_str(out, key, layout);
        out.push_str(layout.key_separator);
        write_value(out, value, layout);
    }
    out.push('}');
}

/// Appends a JSON array of `items`, each written by `item`.
pub(crate) fn write_list<T>(out: &mut String, items: &[T], layout: Layout, mut item: impl FnMut(&mut String, &T)) {
    out.push('[');
    for (i, v) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(layout.item_separator);
        }
        item(out, v);
    }
    out.push(']');
}

/// Appends a float as Python's `repr` writes it (`1.0`, `1e+16`), without a temporary string
/// in the common range. Non-finite values (which JSON cannot hold) are written as `null`.
pub(crate) fn write_f64(out: &mut String, v: f64) {
    if !v.is_finite() {
        out.push_str("null");
    } else if v != 0.0 && !(1e-4..1e16).contains(&v.abs()) {
        out.push_str(&float_repr(v));
    } else if v.fract() == 0.0 && v != 0.0 && v.abs() < 9_007_199_254_740_992.0 {
        // Whole numbers (pulse times: most records' `ts`) print as their integer, which is
        // far cheaper than the shortest-digits search and the same text: below 2^53 every
        // integer is exact, so no shorter string reads back as the same float. Zero goes
        // the general way (`-0.0` keeps its sign there).
        let _ = write!(out, "{}.0", v as i64);
    } else {
        let start = out.len();
        let _ = write!(out, "{v}");
        if !out[start..].contains('.') {
            out.push_str(".0");
        }
    }
}

/// Appends a JSON string with Python's escapes.
pub(crate) fn write_str(out: &mut String, s: &str, layout: Layout) {
    out.push('"');
    let bytes = s.as_bytes();
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        let b = bytes[i];
        let short = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0x00..=0x1f => "",
            0x7f..=0xff if layout.ensure_ascii => "",
            _ => {
                i += 1;
                continue;
            }
        };
        out.push_str(&s[start..i]);
        if !short.is_empty() {
            out.push_str(short);
            i += 1;
        } else if b < 0x80 {
            let _ = write!(out, "\\u{b:04x}");
            i += 1;
        } else if let Some(c) = s[i..].chars().next() {
            // `i` is at a character's first byte: only ASCII bytes and whole characters
            // are stepped over before it.
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                let _ = write!(out, "\\u{unit:04x}");
            }
            i += c.len_utf8();
        }
        start = i;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn dumps(value: &Value, layout: Layout) -> String {
        let mut out = String::new();
        write_value(&mut out, value, layout);
        out
    }

    /// Expected texts are what CPython 3.11 prints for the same values.
    #[test]
    fn writes_what_python_writes() {
        let value = json!({"a": [1, 2.0, -0.5, 1e16, 1.5e-5, null, true], "é": "x\"\\\n\u{8}\u{c}\u{1}\u{7f}é😀"});
        assert_eq!(
            dumps(&value, COMPACT_ASCII),
            r#"{"a":[1,2.0,-0.5,1e+16,1.5e-05,null,true],"\u00e9":"x\"\\\n\b\f\u0001\u007f\u00e9\ud83d\ude00"}"#
        );
        assert_eq!(
            dumps(&value, SPACED_UTF8),
            "{\"a\": [1, 2.0, -0.5, 1e+16, 1.5e-05, null, true], \"é\": \"x\\\"\\\\\\n\\b\\f\\u0001\u{7f}é😀\"}"
        );
    }

    #[test]
    fn floats_read_back_as_the_same_value() {
        for v in [0.0, -0.0, 1.0, -3.0, 0.1, 1767225601.718, 123456789.0, 8.9e15, 9.5e15, 1e-4, 2.5e-7, 1e300] {
            let mut out = String::new();
            write_f64(&mut out, v);
            assert_eq!(out.parse::<f64>().unwrap().to_bits(), v.to_bits(), "{out}");
            assert_eq!(out, float_repr(v), "{v}");
        }
    }
}
