//! Python value semantics the SDK relies on, restated for JSON values: truthiness, `str()`,
//! `repr()`, `float()` of a value, `int()` of a value, `round(x, 3)` and `str.strip()`.
//!
//! The SDK never type-checks its inputs, so the simulator must know which values Python
//! would accept, convert or trip over. Functions that can fail return the exception Python
//! would raise as a short `TypeName: message` string.

pub(crate) mod json;
mod repr;

use serde_json::Value;

pub(crate) use repr::{float_repr, is_truthy, repr, str_of, str_repr};

/// Python's name of the type of a JSON value (`int`, `str`, `NoneType`, …).
pub(crate) fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "NoneType",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_i64() || n.is_u64() => "int",
        Value::Number(_) => "float",
        Value::String(_) => "str",
        Value::Array(_) => "list",
        Value::Object(_) => "dict",
    }
}

/// Python's `str.strip()` (no arguments): strips Unicode whitespace.
pub(crate) fn strip(s: &str) -> &str {
    // Nearly every string the detectors strip (URLs) starts and ends with a plain ASCII
    // character; then there is nothing to strip and no need to decode chars at both ends.
    // A non-ASCII byte may start a whitespace char (U+00A0, U+2003, …): the full trim then.
    match (s.as_bytes().first(), s.as_bytes().last()) {
        (Some(&first), Some(&last)) if is_plain_ascii(first) && is_plain_ascii(last) => s,
        _ => strip_slow(s),
    }
}

/// [`strip`] without the fast path.
fn strip_slow(s: &str) -> &str {
    s.trim_matches(is_py_whitespace)
}

/// An ASCII byte that is not Python whitespace.
fn is_plain_ascii(b: u8) -> bool {
    b.is_ascii() && !is_py_whitespace(b as char)
}

fn is_py_whitespace(c: char) -> bool {
    // Python's str.isspace(): Unicode White_Space plus the ASCII separators 0x1c..0x1f.
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// A JSON number or bool as Python arithmetic sees it (`True` is 1).
pub(crate) fn as_number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::Bool(b) => Some(if *b { 1.0 } else { 0.0 }),
        _ => None,
    }
}

/// Python's `float(value)`.
pub(crate) fn float_of(value: &Value) -> Result<f64, String> {
    match value {
        Value::Number(_) | Value::Bool(_) => Ok(as_number(value).unwrap_or(0.0)),
        Value::String(s) => {
            parse_float_str(s).ok_or_else(|| format!("ValueError: could not convert string to float: {}", str_repr(s)))
        }
        other => {
            Err(format!("TypeError: float() argument must be a string or a real number, not '{}'", type_name(other)))
        }
    }
}

/// Python's `float(str)`: surrounding whitespace, `_` between digits, `inf`/`nan` words.
pub(crate) fn parse_float_str(s: &str) -> Option<f64> {
    let t = strip(s);
    if t.is_empty() {
        return None;
    }
    let (sign, body) = match t.as_bytes()[0] {
        b'+' => (1.0, &t[1..]),
        b'-' => (-1.0, &t[1..]),
        _ => (1.0, t),
    };
    let lower = body.to_ascii_lowercase();
    if lower == "inf" || lower == "infinity" {
        return Some(sign * f64::INFINITY);
    }
    if lower == "nan" {
        return Some(f64::NAN);
    }
    // Underscores are allowed only between two digits.
    let bytes = body.as_bytes();
    let mut cleaned = String::with_capacity(body.len());
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'_' {
            let prev_digit = i > 0 && bytes[i - 1].is_ascii_digit();
            let next_digit = i + 1 < bytes.len() && bytes[i + 1].is_ascii_digit();
            if !(prev_digit && next_digit) {
                return None;
            }
            continue;
        }
        if !(b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-')) {
            return None;
        }
        cleaned.push(b as char);
    }
    // Rust accepts the same decimal grammar once words and underscores are handled, except
    // that it also accepts a leading sign on the body, which Python would see as a double sign.
    if cleaned.starts_with(['+', '-']) {
        return None;
    }
    cleaned.parse::<f64>().ok().map(|v| sign * v)
}

/// Python's `int(value)` for the values the SDK feeds it; `None` where Python raises.
pub(crate) fn int_of(value: &Value) -> Option<i64> {
    match value {
        Value::Bool(b) => Some(*b as i64),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Some(i)
            } else {
                let f = n.as_f64()?;
                if f.is_finite() && f.abs() < 9.2e18 { Some(f.trunc() as i64) } else { None }
            }
        }
        Value::String(s) => {
            let t = strip(s);
            let t = t.strip_prefix('+').unwrap_or(t);
            let (neg, digits) = match t.strip_prefix('-') {
                Some(rest) => (true, rest),
                None => (false, t),
            };
            if digits.is_empty() || digits.starts_with('_') || digits.ends_with('_') || digits.contains("__") {
                return None;
            }
            if !digits.bytes().all(|b| b.is_ascii_digit() || b == b'_') {
                return None;
            }
            let v: i64 = digits.replace('_', "").parse().ok()?;
            Some(if neg { -v } else { v })
        }
        _ => None,
    }
}

/// Python's `round(x, 3)`: the double nearest to the correctly rounded decimal.
pub(crate) fn round3(x: f64) -> f64 {
    if !x.is_finite() {
        return x;
    }
    format!("{x:.3}").parse().unwrap_or(x)
}

/// Python `==` between two JSON values (`1 == 1.0 == True`).
pub(crate) fn py_eq(a: &Value, b: &Value) -> bool {
    match (as_number(a), as_number(b)) {
        (Some(x), Some(y)) => x == y,
        _ => match (a, b) {
            (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| py_eq(p, q)),
            (Value::Object(x), Value::Object(y)) => {
                x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| py_eq(v, w)))
            }
            _ => a == b,
        },
    }
}

/// `x.strip()` on a value: the SDK calls it on values it assumes are strings.
pub(crate) fn strip_value(value: &Value) -> Result<&str, String> {
    match value {
        Value::String(s) => Ok(strip(s)),
        other => Err(format!("AttributeError: '{}' object has no attribute 'strip'", type_name(other))),
    }
}

/// `(value or "").strip()`.
pub(crate) fn or_empty_strip(value: Option<&Value>) -> Result<&str, String> {
    match value {
        Some(v) if is_truthy(v) => strip_value(v),
        _ => Ok(""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn repr_matches_python() {
        assert_eq!(repr(&json!("abc")), "'abc'");
        assert_eq!(repr(&json!("it's")), "\"it's\"");
        assert_eq!(repr(&json!([1, "a", null, true])), "[1, 'a', None, True]");
        assert_eq!(repr(&json!({"a": 1.5})), "{'a': 1.5}");
        assert_eq!(repr(&json!(-1)), "-1");
    }

    #[test]
    fn float_parsing_like_python() {
        assert_eq!(parse_float_str(" 3 "), Some(3.0));
        assert_eq!(parse_float_str("1_0"), Some(10.0));
        assert_eq!(parse_float_str("-inf"), Some(f64::NEG_INFINITY));
        assert_eq!(parse_float_str("Infinity"), Some(f64::INFINITY));
        assert!(parse_float_str("nan").unwrap().is_nan());
        assert_eq!(parse_float_str("1e999"), Some(f64::INFINITY));
        assert_eq!(parse_float_str("0x10"), None);
        assert_eq!(parse_float_str("abc"), None);
        assert_eq!(parse_float_str("+-1"), None);
        assert_eq!(parse_float_str("_1"), None);
        assert_eq!(parse_float_str(".5"), Some(0.5));
        assert_eq!(float_of(&json!(true)), Ok(1.0));
        assert!(float_of(&json!(null)).is_err());
    }

    #[test]
    fn int_like_python() {
        assert_eq!(int_of(&json!(3.9)), Some(3));
        assert_eq!(int_of(&json!(" 7 ")), Some(7));
        assert_eq!(int_of(&json!("3.9")), None);
        assert_eq!(int_of(&json!(true)), Some(1));
        assert_eq!(int_of(&json!(null)), None);
    }

    #[test]
    fn round_three_places() {
        assert_eq!(round3(75.0), 75.0);
        assert_eq!(round3(0.0625), 0.062);
        assert_eq!(round3(1.2345678), 1.235);
        assert_eq!(round3(2.0005), 2.001); // 2.0005 is just above the tie in binary
    }

    #[test]
    fn strip_is_unicode_aware() {
        assert_eq!(strip("\u{a0} x \u{2003}"), "x");
        assert_eq!(strip("\u{1f}x"), "x");
    }

    #[test]
    fn strip_fast_path_agrees_with_the_full_trim() {
        let tricky = [
            "",
            "x",
            " ",
            "\u{a0}x",
            "x\u{a0}",
            " x",
            "x ",
            "x\u{1c}",
            "\u{1f}x",
            "\u{b}x",
            "x\u{c}",
            "\tx\n",
            "\rx",
            "é",
            "éx",
            "xé",
            "\u{85}x",
            "x\u{85}",
            "\u{2003}",
            "\u{3000}x",
            "x\u{2028}",
            "\u{200b}x",
            "\u{0}x",
            "x\u{7f}",
            "\u{1b}x",
            "x\u{1b}",
            "/a b/",
            " /a ",
            "日本",
            "\u{feff}x",
        ];
        for s in tricky {
            assert_eq!(strip(s), strip_slow(s), "{s:?}");
        }
        // Every ASCII byte and a few non-ASCII chars at either end.
        for c in (0u8..0x80).map(char::from).chain(['\u{a0}', '\u{85}', '\u{2000}', '\u{1680}', 'é']) {
            for s in [format!("{c}x"), format!("x{c}"), format!("{c}"), format!("{c}x{c}")] {
                assert_eq!(strip(&s), strip_slow(&s), "{s:?}");
            }
        }
    }
}
