//! Where things are in a JSON text: a map from JSON paths to line and column.
//!
//! `serde_json` gives us values but forgets where they came from. Diagnostics about a config
//! (`[0].integration_config.proactive_triggers.builtins[1].triggering_type`) are much more useful
//! with a `file:line:col`, so [`SourceMap::build`] makes one extra pass over the text and records
//! the position of every value and of every object key.
//!
//! Conventions:
//! - Lines and columns are 1-based. A column counts Unicode scalar values (characters), not
//!   bytes, so a key after `"café": 1, ` is where an editor shows it; a tab counts as one.
//! - Paths are [`JsonPath`]s, rendered as described there.
//! - When an object holds the same key twice, the map points at the *last* occurrence: that is
//!   the value both Python's `json` module and `serde_json` keep.
//!
//! The pass is a small recursive-descent scanner. It expects text that `serde_json` already
//! accepted, but it never panics on anything else: it returns a [`ScanError`] instead.

use std::fmt;

use rustc_hash::FxHashMap;

use super::path::{JsonPath, Segment};

/// A 1-based line and column (the column counts characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Position {
    pub(crate) line: usize,
    pub(crate) column: usize,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// One value of the document: where its first character and (for an object member) its key's
/// opening quote are, and how to reach its children.
#[derive(Debug)]
struct Node {
    value: usize,
    key: Option<usize>,
    /// The enclosing value (the root is its own parent) and, in an array, this item's index.
    parent: u32,
    index: u32,
    children: Children,
}

#[derive(Debug)]
enum Children {
    None,
    Items(Vec<u32>),
    /// Member keys (decoded) to nodes. A key written again points at the later member; the
    /// earlier member's subtree is then unreachable, which is how its positions are forgotten.
    Members(FxHashMap<Box<str>, u32>),
}

/// The text was not the JSON the scanner expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} at {position}")]
pub(crate) struct ScanError {
    pub(crate) message: String,
    pub(crate) position: Position,
}

/// Positions of every value of a JSON document, by path.
///
/// The values form a tree of nodes in text order, so a lookup walks the path's segments (a
/// hash lookup per key) and building it allocates once per value, not once per path: a
/// config of 40,000 rows maps in a few milliseconds.
#[derive(Debug)]
pub(crate) struct SourceMap<'a> {
    nodes: Vec<Node>,
    duplicates: Vec<JsonPath>,
    lines: LineIndex<'a>,
}

impl<'a> SourceMap<'a> {
    /// Scans `text` (one JSON document, optional surrounding whitespace).
    pub(crate) fn build(text: &'a str) -> Result<SourceMap<'a>, ScanError> {
        let mut scanner = Scanner { text, bytes: text.as_bytes(), at: 0, nodes: Vec::new(), duplicates: Vec::new() };
        scanner.skip_ws();
        scanner.value(0, 0, None, 0)?;
        scanner.skip_ws();
        if scanner.at != scanner.bytes.len() {
            return Err(scanner.error("trailing characters after the JSON document"));
        }
        let Scanner { nodes, duplicates, .. } = scanner;
        let mut map = SourceMap { nodes, duplicates: Vec::new(), lines: LineIndex::new(text) };
        // A member written more than once is listed once, at its last occurrence, and only if
        // that member is still part of the document (not inside a value a later key replaced).
        let reachable = map.reachable();
        let mut seen = std::collections::HashSet::new();
        let mut last: Vec<u32> = duplicates.into_iter().filter(|id| reachable[*id as usize]).collect();
        last.sort_unstable();
        for id in last {
            let path = map.path_of(id, text);
            if seen.insert(path.clone()) {
                map.duplicates.push(path);
            }
        }
        Ok(map)
    }

    /// Members whose key appears more than once in their object, in text order (each once).
    pub(crate) fn duplicate_keys(&self) -> &[JsonPath] {
        &self.duplicates
    }

    /// The position of the value at `path`.
    pub(crate) fn value_position(&self, path: &JsonPath) -> Option<Position> {
        self.find(path).map(|node| self.lines.position(node.value))
    }

    /// The position of the key of the member at `path`, or of the value for array items and
    /// the root.
    pub(crate) fn key_position(&self, path: &JsonPath) -> Option<Position> {
        self.find(path).map(|node| self.lines.position(node.key.unwrap_or(node.value)))
    }

    /// The position for a path that may not exist in the text (e.g. a missing key): the value
    /// at the longest existing prefix.
    pub(crate) fn nearest_position(&self, path: &JsonPath) -> Position {
        let Some(mut node) = self.nodes.first() else { return Position { line: 1, column: 1 } };
        for segment in &path.0 {
            match self.child(node, segment) {
                Some(child) => node = child,
                None => break,
            }
        }
        self.lines.position(node.key.unwrap_or(node.value))
    }

    fn find(&self, path: &JsonPath) -> Option<&Node> {
        let mut node = self.nodes.first()?;
        for segment in &path.0 {
            node = self.child(node, segment)?;
        }
        Some(node)
    }

    fn child(&self, node: &Node, segment: &Segment) -> Option<&Node> {
        let id = match (&node.children, segment) {
            (Children::Items(items), Segment::Index(i)) => *items.get(*i)?,
            (Children::Members(members), Segment::Key(key)) => *members.get(key.as_str())?,
            _ => return None,
        };
        self.nodes.get(id as usize)
    }

    /// Which nodes the root still reaches.
    fn reachable(&self) -> Vec<bool> {
        let mut reachable = vec![false; self.nodes.len()];
        let mut stack = if self.nodes.is_empty() { Vec::new() } else { vec![0u32] };
        while let Some(id) = stack.pop() {
            reachable[id as usize] = true;
            match &self.nodes[id as usize].children {
                Children::None => {}
                Children::Items(items) => stack.extend(items),
                Children::Members(members) => stack.extend(members.values()),
            }
        }
        reachable
    }

    /// The path of a node, from its ancestors; keys are decoded again from the text.
    fn path_of(&self, mut id: u32, text: &str) -> JsonPath {
        let mut segments = Vec::new();
        while id != 0 {
            let node = &self.nodes[id as usize];
            segments.push(match node.key {
                Some(at) => {
                    let mut scanner =
                        Scanner { text, bytes: text.as_bytes(), at, nodes: Vec::new(), duplicates: Vec::new() };
                    Segment::Key(scanner.string().unwrap_or_default())
                }
                None => Segment::Index(node.index as usize),
            });
            id = node.parent;
        }
        segments.reverse();
        JsonPath(segments)
    }
}

/// Byte offsets of line starts, to turn an offset into a line and a character column.
///
/// A column is a count of characters from the line start. Counting them from the line start
/// on every lookup would make a one-line (minified) file quadratic in its number of problems,
/// so the index also keeps the character count at checkpoints every [`CHECKPOINT_BYTES`]: a
/// lookup counts at most that many bytes on from the nearest checkpoint before it.
#[derive(Debug)]
struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
    /// `(byte offset, characters before it)`, at char boundaries, ascending; starts at `(0, 0)`.
    checkpoints: Vec<(usize, usize)>,
}

/// Spacing of [`LineIndex`]'s character-count checkpoints.
const CHECKPOINT_BYTES: usize = 4096;

impl<'a> LineIndex<'a> {
    fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(at, _)| at + 1));
        let mut checkpoints = vec![(0, 0)];
        let (mut at, mut chars) = (0, 0);
        while at + CHECKPOINT_BYTES < text.len() {
            let mut next = at + CHECKPOINT_BYTES;
            while !text.is_char_boundary(next) {
                next += 1;
            }
            chars += text[at..next].chars().count();
            checkpoints.push((next, chars));
            at = next;
        }
        LineIndex { text, starts, checkpoints }
    }

    /// Characters before the byte `offset` (a char boundary) in the whole text.
    fn chars_before(&self, offset: usize) -> usize {
        let i = self.checkpoints.partition_point(|&(at, _)| at <= offset).saturating_sub(1);
        let (at, chars) = self.checkpoints[i];
        chars + self.text[at..offset].chars().count()
    }

    fn position(&self, offset: usize) -> Position {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&start| start <= offset);
        let start = self.starts[line.saturating_sub(1)];
        let column = if self.text.is_char_boundary(offset) {
            // A short line is counted directly; the checkpoints are for long (minified) ones.
            if offset - start <= CHECKPOINT_BYTES {
                self.text[start..offset].chars().count()
            } else {
                self.chars_before(offset) - self.chars_before(start)
            }
        } else {
            offset - start
        } + 1;
        Position { line: line.max(1), column }
    }
}

/// Line and character column of a byte offset in `text` (1-based).
fn position_of_offset(text: &str, offset: usize) -> Position {
    LineIndex::new(text).position(offset)
}

/// Turns `serde_json`'s error position (a 1-based line and a column counted in bytes of that
/// line) into a character column, so it agrees with [`SourceMap`].
pub(crate) fn position_from_serde(text: &str, line: usize, byte_column: usize) -> Position {
    let Some(line_text) = text.split('\n').nth(line.saturating_sub(1)) else {
        return Position { line: line.max(1), column: byte_column.max(1) };
    };
    let mut end = byte_column.min(line_text.len());
    while end > 0 && !line_text.is_char_boundary(end) {
        end -= 1;
    }
    let column = line_text[..end].chars().count().max(1);
    Position { line: line.max(1), column }
}

/// Nesting deeper than this is refused rather than risking the stack (serde_json stops at 128).
const MAX_DEPTH: usize = 512;

struct Scanner<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
    /// Every value in the order it starts.
    nodes: Vec<Node>,
    /// Members that replaced an earlier member of the same key.
    duplicates: Vec<u32>,
}

impl Scanner<'_> {
    fn error(&self, message: &str) -> ScanError {
        ScanError { message: message.to_string(), position: position_of_offset(self.text, self.at) }
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    /// Scans one value and returns its node.
    fn value(&mut self, parent: u32, index: u32, key: Option<usize>, depth: usize) -> Result<u32, ScanError> {
        if depth > MAX_DEPTH {
            return Err(self.error("nesting too deep"));
        }
        let id = u32::try_from(self.nodes.len()).map_err(|_| self.error("too many values"))?;
        self.nodes.push(Node { value: self.at, key, parent, index, children: Children::None });
        let children = match self.bytes.get(self.at) {
            Some(b'{') => Children::Members(self.object(id, depth)?),
            Some(b'[') => Children::Items(self.array(id, depth)?),
            _ => {
                self.scalar()?;
                Children::None
            }
        };
        self.nodes[id as usize].children = children;
        Ok(id)
    }

    fn scalar(&mut self) -> Result<(), ScanError> {
        match self.bytes.get(self.at) {
            Some(b'"') => self.string().map(|_| ()),
            Some(b'-' | b'0'..=b'9') => {
                while let Some(b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9') = self.bytes.get(self.at) {
                    self.at += 1;
                }
                Ok(())
            }
            Some(_) => {
                for literal in ["true", "false", "null"] {
                    if self.text.get(self.at..).is_some_and(|rest| rest.starts_with(literal)) {
                        self.at += literal.len();
                        return Ok(());
                    }
                }
                Err(self.error("expected a JSON value"))
            }
            None => Err(self.error("unexpected end of input")),
        }
    }

    fn object(&mut self, id: u32, depth: usize) -> Result<FxHashMap<Box<str>, u32>, ScanError> {
        let mut members = FxHashMap::default();
        self.at += 1;
        self.skip_ws();
        if self.bytes.get(self.at) == Some(&b'}') {
            self.at += 1;
            return Ok(members);
        }
        loop {
            self.skip_ws();
            let key_at = self.at;
            if self.bytes.get(self.at) != Some(&b'"') {
                return Err(self.error("expected an object key"));
            }
            let key = self.string()?;
            self.skip_ws();
            if self.bytes.get(self.at) != Some(&b':') {
                return Err(self.error("expected ':'"));
            }
            self.at += 1;
            self.skip_ws();
            let child = self.value(id, 0, Some(key_at), depth + 1)?;
            if members.insert(key.into_boxed_str(), child).is_some() {
                self.duplicates.push(child);
            }
            self.skip_ws();
            match self.bytes.get(self.at) {
                Some(b',') => self.at += 1,
                Some(b'}') => {
                    self.at += 1;
                    return Ok(members);
                }
                _ => return Err(self.error("expected ',' or '}'")),
            }
        }
    }

    fn array(&mut self, id: u32, depth: usize) -> Result<Vec<u32>, ScanError> {
        let mut items = Vec::new();
        self.at += 1;
        self.skip_ws();
        if self.bytes.get(self.at) == Some(&b']') {
            self.at += 1;
            return Ok(items);
        }
        loop {
            self.skip_ws();
            let index = u32::try_from(items.len()).map_err(|_| self.error("too many values"))?;
            items.push(self.value(id, index, None, depth + 1)?);
            self.skip_ws();
            match self.bytes.get(self.at) {
                Some(b',') => self.at += 1,
                Some(b']') => {
                    self.at += 1;
                    return Ok(items);
                }
                _ => return Err(self.error("expected ',' or ']'")),
            }
        }
    }

    /// Scans a string starting at its opening quote and returns its decoded value.
    fn string(&mut self) -> Result<String, ScanError> {
        let start = self.at;
        self.at += 1;
        let mut has_escape = false;
        loop {
            match self.bytes.get(self.at) {
                Some(b'"') => break,
                Some(b'\\') => {
                    has_escape = true;
                    self.at += 2;
                }
                Some(_) => self.at += 1,
                None => return Err(self.error("unterminated string")),
            }
        }
        self.at += 1;
        let raw = self.text.get(start..self.at).ok_or_else(|| self.error("invalid string"))?;
        if !has_escape {
            return Ok(raw[1..raw.len() - 1].to_string());
        }
        serde_json::from_str(raw).map_err(|_| ScanError {
            message: "invalid string escape".to_string(),
            position: position_of_offset(self.text, start),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(text: &str) -> JsonPath {
        JsonPath::parse(text).expect("valid path")
    }

    fn pos(line: usize, column: usize) -> Option<Position> {
        Some(Position { line, column })
    }

    #[test]
    fn finds_values_and_keys() {
        let text = "[\n  {\n    \"product_id\": \"p\",\n    \"integration_config\": {\"proactive_triggers\": {\"builtins\": [\n      {\"id\": 1}, {\"triggering_type\": \"x\"}\n    ]}}\n  }\n]\n";
        let map = SourceMap::build(text).unwrap();
        assert_eq!(map.value_position(&JsonPath::root()), pos(1, 1));
        assert_eq!(map.value_position(&path("[0]")), pos(2, 3));
        assert_eq!(map.key_position(&path("[0].product_id")), pos(3, 5));
        assert_eq!(map.value_position(&path("[0].product_id")), pos(3, 19));
        let tt = path("[0].integration_config.proactive_triggers.builtins[1].triggering_type");
        assert_eq!(map.key_position(&tt), pos(5, 19));
        assert_eq!(map.value_position(&tt), pos(5, 38));
        assert_eq!(map.value_position(&path("[0].integration_config.proactive_triggers.builtins[0].id")), pos(5, 14));
        assert_eq!(map.value_position(&path("[1]")), None);
        // A missing key falls back to the nearest existing parent.
        assert_eq!(map.nearest_position(&path("[0].integration_config.nope.deeper")), Position { line: 4, column: 5 });
    }

    #[test]
    fn columns_count_characters_and_keys_are_decoded() {
        let text = "{\"caf\u{e9}\": \"\u{1F600}\\\"\u{e9}\", \"a\\u00e9\\n\": [1, 2], \"k\": true}";
        let map = SourceMap::build(text).unwrap();
        // {"café": "😀\"é", "aé\n": ...
        assert_eq!(map.key_position(&path("[\"caf\u{e9}\"]")), pos(1, 2));
        let escaped_key = JsonPath::root().key("a\u{e9}\n");
        assert_eq!(map.key_position(&escaped_key), pos(1, 18));
        assert_eq!(map.value_position(&escaped_key.index(1)), pos(1, 35));
        assert_eq!(map.value_position(&path("k")), pos(1, 44));
    }

    #[test]
    fn surrogate_pairs_in_keys() {
        let text = r#"{"\ud83d\ude00": {"x": null}}"#;
        let map = SourceMap::build(text).unwrap();
        assert_eq!(map.value_position(&JsonPath::root().key("\u{1F600}").key("x")), pos(1, 24));
    }

    #[test]
    fn duplicate_keys_point_at_the_last() {
        let text = "{\"a\": {\"b\": 1},\n \"a\": 2}";
        let map = SourceMap::build(text).unwrap();
        assert_eq!(map.key_position(&path("a")), pos(2, 2));
        assert_eq!(map.value_position(&path("a.b")), None);
        assert_eq!(map.duplicate_keys(), &[path("a")]);
    }

    #[test]
    fn checkpoints_give_the_same_columns_as_counting_from_the_line_start() {
        let mut text = String::new();
        for i in 0..3000 {
            text.push_str(["ab", "\u{e9}", "\u{1F600}", "\n", "xyz"][i % 5 * (i % 7) % 5]);
        }
        let index = LineIndex::new(&text);
        assert!(index.checkpoints.len() > 1);
        for (offset, _) in text.char_indices() {
            let start = text[..offset].rfind('\n').map_or(0, |at| at + 1);
            let line = text[..offset].matches('\n').count() + 1;
            let column = text[start..offset].chars().count() + 1;
            assert_eq!(index.position(offset), Position { line, column }, "offset {offset}");
        }
    }

    #[test]
    fn nested_duplicates_are_forgotten_with_their_value() {
        let text = r#"{"a": {"b": {"c": 1, "c": 2}, "d": 3}, "e": 4, "a": {"b": 5}, "a": [6]}"#;
        let map = SourceMap::build(text).unwrap();
        assert_eq!(map.duplicate_keys(), &[path("a")]);
        assert_eq!(map.value_position(&path("a.b")), None);
        assert_eq!(map.value_position(&path("a.d")), None);
        assert_eq!(map.value_position(&path("a[0]")), pos(1, 69));
        assert_eq!(map.value_position(&path("e")), pos(1, 45));
    }

    #[test]
    fn crlf_and_tabs() {
        let text = "{\r\n\t\"a\": [\r\n\t\t3]}";
        let map = SourceMap::build(text).unwrap();
        assert_eq!(map.key_position(&path("a")), pos(2, 2));
        assert_eq!(map.value_position(&path("a[0]")), pos(3, 3));
    }

    #[test]
    fn refuses_bad_text_without_panicking() {
        for bad in ["", "{", "[1,", "{\"a\" 1}", "\"abc", "[1] x", "{\"a\":}", "tru", "\"\\", "{\"\\x\": 1}"] {
            assert!(SourceMap::build(bad).is_err(), "{bad:?}");
        }
        let deep = "[".repeat(10_000);
        assert!(SourceMap::build(&deep).is_err());
    }

    #[test]
    fn every_prefix_and_corruption_is_handled() {
        let text = "[{\"caf\u{e9}\": \"\\u00e9\\\"\u{1F600}\", \"n\": [1.5e3, -0, true, null, {}]}]";
        assert!(SourceMap::build(text).is_ok());
        for (at, _) in text.char_indices() {
            let _ = SourceMap::build(&text[..at]);
            for junk in ["\"", "\\", "{", "]", ":", ",", "x"] {
                let corrupted = format!("{}{junk}{}", &text[..at], &text[at..]);
                let _ = SourceMap::build(&corrupted);
                let _ = position_of_offset(&corrupted, at + 1);
            }
        }
    }

    #[test]
    fn serde_columns_become_character_columns() {
        let text = "{\"\u{e9}\u{e9}\": x}";
        let err = serde_json::from_str::<serde_json::Value>(text).unwrap_err();
        let position = position_from_serde(text, err.line(), err.column());
        assert_eq!(position, Position { line: 1, column: 8 });
        assert_eq!(position_from_serde("a", 9, 3), Position { line: 9, column: 3 });
    }
}
