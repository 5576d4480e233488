//! Every tool result is bounded: text beyond [`MAX_TEXT`] bytes is cut at a line end and JSON
//! beyond [`MAX_JSON`] bytes loses the tail of its longest list, each with a note saying how
//! much was left out and how to ask for less.

use serde_json::{Value, json};

/// The most text a tool returns, in bytes.
pub(crate) const MAX_TEXT: usize = 40_000;
/// The most structured JSON a tool returns, in bytes (serialized).
pub(crate) const MAX_JSON: usize = 160_000;

/// The text and data, each within its bound.
pub(crate) fn limit(text: String, data: Value, narrow: &str) -> (String, Value) {
    (limit_text(text, MAX_TEXT, narrow), limit_json(data, MAX_JSON, narrow))
}

fn limit_text(text: String, max: usize, narrow: &str) -> String {
    if text.len() <= max {
        return text;
    }
    let mut cut = max;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let cut = text[..cut].rfind('\n').unwrap_or(cut);
    format!("{}\n\n[truncated: showed {cut} of {} bytes; to see the rest, {narrow}]", &text[..cut], text.len())
}

fn size(value: &Value) -> usize {
    serde_json::to_vec(value).map(|v| v.len()).unwrap_or(usize::MAX)
}

fn limit_json(mut data: Value, max: usize, narrow: &str) -> Value {
    if size(&data) <= max {
        return data;
    }
    let Some(object) = data.as_object_mut() else {
        return json!({"truncated": {"note": format!("the result was too large; {narrow}")}});
    };
    let longest = object
        .iter()
        .filter_map(|(key, value)| value.as_array().map(|a| (key.clone(), a.len())))
        .max_by_key(|(_, len)| *len);
    let Some((key, total)) = longest else {
        return json!({"truncated": {"note": format!("the result was too large; {narrow}")}});
    };
    let mut kept = total;
    while kept > 0 {
        kept /= 2;
        if let Some(Value::Array(items)) = object.get_mut(&key) {
            items.truncate(kept);
        }
        if size(&Value::Object(object.clone())) <= max {
            break;
        }
    }
    object.insert(
        "truncated".into(),
        json!({"field": key, "kept": kept, "of": total, "note": format!("to see the rest, {narrow}")}),
    );
    data
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_is_cut_at_a_line_with_a_note() {
        let text = "line\n".repeat(100);
        let cut = limit_text(text, 42, "ask for less");
        assert!(cut.starts_with("line\nline\n"));
        assert!(cut.ends_with("[truncated: showed 39 of 500 bytes; to see the rest, ask for less]"), "{cut}");
    }

    #[test]
    fn large_json_loses_the_tail_of_its_longest_list() {
        let data = json!({"total": 1000, "rows": (0..1000).map(|i| json!({"n": i})).collect::<Vec<_>>()});
        let bounded = limit_json(data, 2_000, "lower `limit`");
        assert!(size(&bounded) <= 2_000 + 200);
        assert_eq!(bounded["truncated"]["of"], 1000);
        assert_eq!(bounded["rows"].as_array().unwrap().len(), bounded["truncated"]["kept"].as_u64().unwrap() as usize);
        assert_eq!(bounded["total"], 1000);
    }
}
