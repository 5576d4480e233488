//! [`JsonPath`]: where a value sits in a JSON document, from the root.
//!
//! Rendering: `[0]` for array items and `.key` for object members; a key that is not a plain
//! identifier is rendered as `["a key"]` (JSON string syntax). A path that starts with a key has
//! no leading dot (`integration_config.mode`); the root is `$`. So a config problem reads
//! `[0].integration_config.proactive_triggers.builtins[1].triggering_type`.

use std::fmt;

/// One step of a JSON path.
///
/// The variant order is part of the contract: paths sort keys before indexes at the same depth,
/// which is how `triggers validate` orders problems that share a line and column.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Segment {
    /// An object member, by its (decoded) key.
    Key(String),
    /// An array item, by its 0-based index.
    Index(usize),
}

/// A JSON path: the steps from the root to a value.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct JsonPath(pub Vec<Segment>);

impl JsonPath {
    /// The document itself.
    pub fn root() -> Self {
        JsonPath(Vec::new())
    }

    /// This path extended by an object key.
    pub fn key(&self, key: &str) -> Self {
        let mut segments = self.0.clone();
        segments.push(Segment::Key(key.to_string()));
        JsonPath(segments)
    }

    /// This path extended by an array index.
    pub fn index(&self, index: usize) -> Self {
        let mut segments = self.0.clone();
        segments.push(Segment::Index(index));
        JsonPath(segments)
    }

    /// This path followed by `rest` (a path relative to this one).
    pub fn join(&self, rest: &JsonPath) -> Self {
        let mut segments = self.0.clone();
        segments.extend(rest.0.iter().cloned());
        JsonPath(segments)
    }

    /// Whether this is the root path `$`.
    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    /// The last key of the path, if it ends with one.
    pub fn last_key(&self) -> Option<&str> {
        match self.0.last() {
            Some(Segment::Key(key)) => Some(key),
            _ => None,
        }
    }

    /// The last index of the path, if it ends with one.
    pub fn last_index(&self) -> Option<usize> {
        match self.0.last() {
            Some(Segment::Index(index)) => Some(*index),
            _ => None,
        }
    }

    /// Parses the rendering produced by `Display` back into a path. Also accepts `$` or `$.`
    /// as a root prefix and a leading dot. Returns `None` on anything else.
    pub fn parse(text: &str) -> Option<JsonPath> {
        let text = text.strip_prefix('$').unwrap_or(text);
        let bytes = text.as_bytes();
        let mut segments = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'.' => {
                    let start = i + 1;
                    let mut end = start;
                    while end < bytes.len() && bytes[end] != b'.' && bytes[end] != b'[' {
                        end += 1;
                    }
                    if end == start {
                        return None;
                    }
                    segments.push(Segment::Key(text[start..end].to_string()));
                    i = end;
                }
                b'[' => {
                    if bytes.get(i + 1) == Some(&b'"') {
                        // A quoted key: find the closing quote, honouring escapes.
                        let mut end = i + 2;
                        while end < bytes.len() && bytes[end] != b'"' {
                            end += if bytes[end] == b'\\' { 2 } else { 1 };
                        }
                        if end >= bytes.len() || bytes.get(end + 1) != Some(&b']') {
                            return None;
                        }
                        let key: String = serde_json::from_str(&text[i + 1..=end]).ok()?;
                        segments.push(Segment::Key(key));
                        i = end + 2;
                    } else {
                        let close = text[i..].find(']')? + i;
                        let index: usize = text[i + 1..close].parse().ok()?;
                        segments.push(Segment::Index(index));
                        i = close + 1;
                    }
                }
                _ if i == 0 => {
                    // A path that starts with a bare key.
                    let mut end = 0;
                    while end < bytes.len() && bytes[end] != b'.' && bytes[end] != b'[' {
                        end += 1;
                    }
                    segments.push(Segment::Key(text[..end].to_string()));
                    i = end;
                }
                _ => return None,
            }
        }
        Some(JsonPath(segments))
    }
}

/// Whether `key` can be written after a dot and parsed back: no dots, brackets, quotes or
/// spaces, and no leading digit (which would read like an index).
fn is_plain_key(key: &str) -> bool {
    !key.is_empty()
        && !key.as_bytes()[0].is_ascii_digit()
        && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("$");
        }
        for (n, segment) in self.0.iter().enumerate() {
            match segment {
                Segment::Index(index) => write!(f, "[{index}]")?,
                Segment::Key(key) if is_plain_key(key) => {
                    if n > 0 {
                        f.write_str(".")?;
                    }
                    f.write_str(key)?;
                }
                Segment::Key(key) => {
                    let quoted = serde_json::to_string(key).map_err(|_| fmt::Error)?;
                    write!(f, "[{quoted}]")?;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(text: &str) -> JsonPath {
        JsonPath::parse(text).expect("valid path")
    }

    #[test]
    fn renders_and_parses_paths() {
        let p = JsonPath::root().index(0).key("integration_config").key("builtins").index(1).key("triggering_type");
        assert_eq!(p.to_string(), "[0].integration_config.builtins[1].triggering_type");
        assert_eq!(JsonPath::parse(&p.to_string()), Some(p));
        let odd = JsonPath::root().key("section playbook").key("a.b").index(2).key("x\"y");
        assert_eq!(odd.to_string(), r#"["section playbook"]["a.b"][2]["x\"y"]"#);
        assert_eq!(JsonPath::parse(&odd.to_string()), Some(odd));
        assert_eq!(path("integration_config.mode").0.len(), 2);
        assert_eq!(path("$.a[3]"), JsonPath::root().key("a").index(3));
        assert_eq!(JsonPath::parse(""), Some(JsonPath::root()));
        assert_eq!(JsonPath::root().to_string(), "$");
        assert_eq!(JsonPath::parse("$"), Some(JsonPath::root()));
        assert_eq!(JsonPath::parse("[x]"), None);
        assert_eq!(JsonPath::parse("a..b"), None);
    }

    #[test]
    fn join_and_last_segment() {
        let p = JsonPath::root().index(0).key("messages");
        let joined = p.join(&JsonPath::root().index(2).key("user_tour_id"));
        assert_eq!(joined.to_string(), "[0].messages[2].user_tour_id");
        assert_eq!(joined.last_key(), Some("user_tour_id"));
        assert_eq!(JsonPath::root().index(4).last_index(), Some(4));
        assert_eq!(joined.last_index(), None);
    }
}
