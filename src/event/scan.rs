/*!
The fast path of the line reader: one pass over the bytes that checks the whole line is
strict JSON and picks out the fields of a [`LineView`](super::line::LineView), without building values for the rest
(titles, descriptions, most of a line).

It only answers for the plain shape of a line. Anything else (an escaped key, a field the
view keeps written twice, a number field holding something else, a number that may be out of range, a lone
surrogate escape,
`actions` that is not a list of objects, nesting deeper than [`MAX_DEPTH`]) gives `None`, and
the reader takes serde_json, whose answer is the reference. So every line this path accepts
is one serde_json accepts, read to the same view.
*/

use super::line::{ActionView, FoundActions, LineFields, NumberField};

/// Deeper lines go to serde_json (its own limit is 128).
const MAX_DEPTH: u32 = 64;

/// Scans `line` into `fields`; on `Some`, `actions` holds the items of its `actions` list.
/// On `None` the fields are left part filled.
pub(super) fn scan<'a>(line: &'a str, fields: &mut LineFields<'a>, actions: &mut Vec<ActionView<'a>>) -> Option<()> {
    actions.clear();
    *fields = LineFields::empty(line);
    let mut cur = Cursor { text: line, bytes: line.as_bytes(), pos: 0 };
    let scanned = cur.top_level(fields, actions);
    if scanned.is_none() {
        actions.clear();
    }
    scanned
}

/// Which top-level field a key names (bit positions in the duplicate mask).
#[derive(Clone, Copy)]
enum TopField {
    Type = 0,
    ForwardedAt,
    Ts,
    ProductId,
    SessionId,
    UserId,
    Email,
    Actions,
    Text,
    Label,
    FlowId,
}

fn top_field(key: &[u8]) -> Option<TopField> {
    Some(match key {
        b"type" => TopField::Type,
        b"forwarded_at" => TopField::ForwardedAt,
        b"ts" => TopField::Ts,
        b"product_id" => TopField::ProductId,
        b"session_id" => TopField::SessionId,
        b"user_id" => TopField::UserId,
        b"email" => TopField::Email,
        b"actions" => TopField::Actions,
        b"text" => TopField::Text,
        b"label" => TopField::Label,
        b"flow_id" => TopField::FlowId,
        _ => return None,
    })
}

struct Cursor<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    #[inline(always)]
    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    /// Consumes `byte` (after whitespace) or fails.
    #[inline(always)]
    fn expect(&mut self, byte: u8) -> Option<()> {
        self.skip_ws();
        if self.peek() == Some(byte) {
            self.pos += 1;
            Some(())
        } else {
            None
        }
    }

    /// `open item (, item)* close` or `open close`, whitespace allowed between; the cursor is
    /// on `open`. Every object and array of a line goes through here.
    #[inline(always)]
    fn list(&mut self, open: u8, close: u8, mut item: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        if self.peek() != Some(open) {
            return None;
        }
        self.pos += 1;
        self.skip_ws();
        if self.peek() == Some(close) {
            self.pos += 1;
            return Some(());
        }
        loop {
            self.skip_ws();
            item(self)?;
            self.skip_ws();
            match self.peek()? {
                b',' => self.pos += 1,
                b if b == close => {
                    self.pos += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// An object member's key and colon; the key's text, or `None` when it has escapes (an
    /// escaped key could spell a field name: serde decides those lines).
    #[inline(always)]
    fn key(&mut self) -> Option<&'a [u8]> {
        let ((start, end), escaped) = self.string()?;
        if escaped {
            return None;
        }
        self.expect(b':')?;
        self.skip_ws();
        Some(&self.bytes[start + 1..end - 1])
    }

    fn top_level(&mut self, line: &mut LineFields<'a>, actions: &mut Vec<ActionView<'a>>) -> Option<()> {
        let mut seen = 0u32;
        self.skip_ws();
        self.list(b'{', b'}', |cur| {
            match top_field(cur.key()?) {
                None => cur.value(1),
                Some(field) => {
                    let bit = 1u32 << field as u32;
                    if seen & bit != 0 {
                        return None; // the last value counts: serde's path reads it so
                    }
                    seen |= bit;
                    cur.top_field(field, line, actions)
                }
            }
        })?;
        self.skip_ws();
        (self.pos == self.bytes.len()).then_some(())
    }

    fn top_field(
        &mut self,
        field: TopField,
        line: &mut LineFields<'a>,
        actions: &mut Vec<ActionView<'a>>,
    ) -> Option<()> {
        match field {
            TopField::ForwardedAt => line.forwarded_at = self.number_or_null()?,
            TopField::Ts => line.ts = self.number_or_null()?,
            TopField::Actions => {
                if !self.null()? {
                    line.actions = FoundActions::List { non_objects: false };
                    self.list(b'[', b']', |cur| {
                        actions.push(cur.action()?);
                        Some(())
                    })?;
                }
            }
            TopField::Type => line.event_type = self.raw_or_null()?,
            TopField::ProductId => line.product_id = self.raw_or_null()?,
            TopField::SessionId => line.session_id = self.raw_or_null()?,
            TopField::UserId => line.user_id = self.raw_or_null()?,
            TopField::Email => line.email = self.raw_or_null()?,
            TopField::Text => line.text = self.raw_or_null()?,
            TopField::Label => line.label = self.raw_or_null()?,
            TopField::FlowId => line.flow_id = self.raw_or_null()?,
        }
        Some(())
    }

    /// One object of `actions` (any other item goes to serde).
    fn action(&mut self) -> Option<ActionView<'a>> {
        let mut action = ActionView::default();
        let mut seen = 0u8;
        self.list(b'{', b'}', |cur| {
            let bit = match cur.key()? {
                b"canonical_url" => 1,
                b"timestamp_start" => 2,
                b"timestamp_end" => 4,
                b"type" => 8,
                b"raw_url" => 16,
                _ => 0,
            };
            if seen & bit != 0 {
                return None;
            }
            seen |= bit;
            match bit {
                1 => {
                    if !cur.null()? {
                        if cur.peek() != Some(b'"') {
                            return None; // a URL of another type: serde's path reads it
                        }
                        let (span, _) = cur.string()?;
                        action.canonical_url = Some(&cur.text[span.0..span.1]);
                    }
                }
                2 => action.timestamp_start = cur.number_or_null()?,
                4 => action.timestamp_end = cur.number_or_null()?,
                8 => action.action_type = cur.raw_or_null()?,
                16 => action.raw_url = cur.raw_or_null()?,
                _ => cur.value(2)?,
            }
            Some(())
        })?;
        Some(action)
    }

    /// `null` (consumed: `Some(true)`), or something else (not consumed: `Some(false)`).
    fn null(&mut self) -> Option<bool> {
        if self.peek() == Some(b'n') {
            self.literal(b"null")?;
            return Some(true);
        }
        Some(false)
    }

    /// A value kept as raw JSON; `null` reads as absent.
    fn raw_or_null(&mut self) -> Option<Option<&'a str>> {
        if self.null()? {
            return Some(None);
        }
        let start = self.pos;
        self.value(1)?;
        Some(Some(&self.text[start..self.pos]))
    }

    /// A finite number, or `null`; anything else goes to serde.
    fn number_or_null(&mut self) -> Option<Option<NumberField<'a>>> {
        if self.null()? {
            return Some(None);
        }
        let start = self.pos;
        let digits = self.number()?;
        // Both paths round correctly, as serde_json does with `float_roundtrip`.
        let value = match digits.exact() {
            Some(v) => v,
            None => self.text[start..self.pos].parse().ok()?,
        };
        value.is_finite().then_some(Some(NumberField::Finite(value)))
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        if self.bytes[self.pos..].starts_with(word) {
            self.pos += word.len();
            Some(())
        } else {
            None
        }
    }

    /// Skips one value, checking it.
    fn value(&mut self, depth: u32) -> Option<()> {
        match self.peek()? {
            b'"' => self.string().map(|_| ()),
            b'{' => self.object(depth + 1),
            b'[' => self.array(depth + 1),
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            b'-' | b'0'..=b'9' => {
                let start = self.pos;
                let digits = self.number()?;
                // A number that may be out of an `f64`'s range (`1e400`) makes the line
                // unreadable; serde_json says so and where.
                if digits.exponent || digits.count > 300 {
                    let value: f64 = self.text[start..self.pos].parse().ok()?;
                    return value.is_finite().then_some(());
                }
                Some(())
            }
            _ => None,
        }
    }

    fn object(&mut self, depth: u32) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.list(b'{', b'}', |cur| {
            cur.string()?;
            cur.expect(b':')?;
            cur.skip_ws();
            cur.value(depth)
        })
    }

    fn array(&mut self, depth: u32) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.list(b'[', b']', |cur| cur.value(depth))
    }

    /// A string at the cursor: its span (with the quotes) and whether it has escapes.
    #[inline(always)]
    fn string(&mut self) -> Option<((usize, usize), bool)> {
        let start = self.pos;
        if self.peek() != Some(b'"') {
            return None;
        }
        self.pos += 1;
        let mut escaped = false;
        loop {
            self.pos += special_byte(&self.bytes[self.pos..])?;
            match self.bytes[self.pos] {
                b'"' => {
                    self.pos += 1;
                    return Some(((start, self.pos), escaped));
                }
                b'\\' => self.pos += 1,
                _ => return None, // JSON strings hold no raw control characters
            }
            escaped = true;
            match self.peek()? {
                b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => self.pos += 1,
                b'u' => {
                    let unit = self.hex_unit(self.pos + 1)?;
                    self.pos += 5;
                    // A surrogate must come as a high-low pair; a lone one cannot be decoded
                    // and goes to serde_json, which refuses the line.
                    if (0xDC00..=0xDFFF).contains(&unit) {
                        return None;
                    }
                    if (0xD800..=0xDBFF).contains(&unit) {
                        if self.bytes.get(self.pos..self.pos + 2)? != b"\\u" {
                            return None;
                        }
                        if !(0xDC00..=0xDFFF).contains(&self.hex_unit(self.pos + 2)?) {
                            return None;
                        }
                        self.pos += 6;
                    }
                }
                _ => return None,
            }
        }
    }

    /// The UTF-16 code unit of the four hex digits at `at`.
    fn hex_unit(&self, at: usize) -> Option<u32> {
        let hex = self.bytes.get(at..at + 4)?;
        if !hex.iter().all(u8::is_ascii_hexdigit) {
            return None;
        }
        u32::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()
    }

    /// A number in JSON's grammar, with its digits read along the way.
    #[inline(always)]
    fn number(&mut self) -> Option<Digits> {
        let mut digits = Digits { negative: false, mantissa: 0, count: 0, scale: 0, exponent: false };
        if self.peek() == Some(b'-') {
            digits.negative = true;
            self.pos += 1;
        }
        match self.peek()? {
            b'0' => {
                self.pos += 1;
                digits.count = 1;
            }
            b'1'..=b'9' => self.digits(&mut digits),
            _ => return None,
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !self.peek()?.is_ascii_digit() {
                return None;
            }
            let before = digits.count;
            self.digits(&mut digits);
            digits.scale = digits.count - before;
        }
        if let Some(b'e' | b'E') = self.peek() {
            digits.exponent = true;
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if !self.peek()?.is_ascii_digit() {
                return None;
            }
            self.digits(&mut Digits::default());
        }
        Some(digits)
    }

    #[inline(always)]
    fn digits(&mut self, into: &mut Digits) {
        while let Some(d @ b'0'..=b'9') = self.peek() {
            into.mantissa = into.mantissa.wrapping_mul(10).wrapping_add(u64::from(d - b'0'));
            into.count += 1;
            self.pos += 1;
        }
    }
}

/// Powers of ten that are exact in an `f64`.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
    1e21, 1e22,
];

/// The digits of a number as it is scanned.
#[derive(Debug, Default, Clone, Copy)]
struct Digits {
    negative: bool,
    /// The digits as an integer (meaningful while `count` is at most 19).
    mantissa: u64,
    /// Digits before and after the point.
    count: u32,
    /// Digits after the point.
    scale: u32,
    exponent: bool,
}

impl Digits {
    /// The value, when it is a plain decimal of at most 15 digits: the digits as an integer
    /// over a power of ten. Both are exact in an `f64` and IEEE division rounds correctly, so
    /// this is the correctly rounded value (Clinger's fast path). `None` otherwise.
    fn exact(&self) -> Option<f64> {
        if self.exponent || self.count > 15 {
            return None;
        }
        let value = self.mantissa as f64 / POW10[self.scale as usize];
        Some(if self.negative { -value } else { value })
    }
}

/// The index of the first byte that ends a run of plain string text: a quote, a backslash or a
/// control character (`None`: no such byte). Strings in recordings are short (keys, ids,
/// titles), so this checks 16 bytes per step inline rather than calling out per string.
#[inline]
fn special_byte(bytes: &[u8]) -> Option<usize> {
    let mut i = 0;
    #[cfg(target_arch = "x86_64")]
    {
        // SSE2 is part of x86_64, so no detection is needed.
        use std::arch::x86_64::{
            __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_max_epu8, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
        };
        while i + 16 <= bytes.len() {
            // SAFETY: the 16 bytes at `i` are inside `bytes` (checked above); SSE2 is always
            // present on x86_64; `_mm_loadu_si128` has no alignment requirement.
            let mask = unsafe {
                let chunk = _mm_loadu_si128(bytes.as_ptr().add(i).cast::<__m128i>());
                let quote = _mm_cmpeq_epi8(chunk, _mm_set1_epi8(b'"' as i8));
                let backslash = _mm_cmpeq_epi8(chunk, _mm_set1_epi8(b'\\' as i8));
                // max(x, 0x1f) == 0x1f exactly when x <= 0x1f (unsigned).
                let control = _mm_cmpeq_epi8(_mm_max_epu8(chunk, _mm_set1_epi8(0x1f)), _mm_set1_epi8(0x1f));
                _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(quote, backslash), control))
            };
            if mask != 0 {
                return Some(i + mask.trailing_zeros() as usize);
            }
            i += 16;
        }
    }
    bytes[i..].iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20).map(|p| i + p)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The view's fields, whether the line has an `actions` list, and its items.
    fn scan_one(line: &str) -> Option<(LineFields<'_>, bool, Vec<ActionView<'_>>)> {
        let mut actions = Vec::new();
        let mut fields = LineFields::default();
        scan(line, &mut fields, &mut actions)?;
        let has_actions = matches!(fields.actions, FoundActions::List { .. });
        Some((fields, has_actions, actions))
    }

    #[test]
    fn reads_the_plain_shape() {
        let line = r#"{"type":"actions","product_id":"p","session_id":"s","user_id":"u","actions":[{"index":0,"title":"T \"q\"","timestamp_start":1.5,"timestamp_end":2,"canonical_url":"https://a/b","extra":{"x":[1,2,{"y":null}]}}],"count":1,"forwarded_at":1767225601.718}"#;
        let (l, has_actions, actions) = scan_one(line).unwrap();
        assert_eq!(l.event_type, Some("\"actions\""));
        assert_eq!(l.product_id, Some("\"p\""));
        assert_eq!(l.session_id, Some("\"s\""));
        assert_eq!(l.user_id, Some("\"u\""));
        assert_eq!(l.forwarded_at, Some(NumberField::Finite(1767225601.718)));
        assert!(has_actions);
        assert_eq!(
            actions,
            vec![ActionView {
                canonical_url: Some("\"https://a/b\""),
                raw_url: None,
                action_type: None,
                timestamp_start: Some(NumberField::Finite(1.5)),
                timestamp_end: Some(NumberField::Finite(2.0))
            }]
        );
    }

    #[test]
    fn fast_decimals_round_like_the_standard_parser() {
        let mut cases: Vec<String> = [
            "0",
            "-0",
            "0.0",
            "-0.0",
            "1",
            "1767225601.718",
            "1767225600.6",
            "0.1",
            "0.3",
            "-2.5",
            "9007199254740991",
            "9007199254740993",
            "123456789012345.6",
            "0.000000000000001",
            "1.7976931348623157",
            "42.4200",
            "1e5",
            "-1.5E-3",
            "12345678901234567890123",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let mut x = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let digits = (x % 10u64.pow((x >> 52) as u32 % 17 + 1)) as f64;
            let point = (x >> 60) as i32 % 16;
            cases.push(format!("{:.*}", point as usize, digits / 10f64.powi(point)));
        }
        let mut fast = 0;
        for text in &cases {
            let expected: f64 = text.parse().unwrap();
            let mut cur = Cursor { text, bytes: text.as_bytes(), pos: 0 };
            let digits = cur.number().unwrap();
            assert_eq!(cur.pos, text.len(), "{text}");
            if let Some(v) = digits.exact() {
                fast += 1;
                assert_eq!(v.to_bits(), expected.to_bits(), "{text}");
            }
        }
        assert!(fast > cases.len() / 2);
    }

    #[test]
    fn null_reads_as_absent() {
        let (l, _, _) =
            scan_one(r#"{"type": "usertour_trigger", "ts": null, "product_id": null, "flow_id": {"a": 1}}"#).unwrap();
        assert_eq!((l.ts, l.product_id, l.flow_id), (None, None, Some(r#"{"a": 1}"#)));
        assert!(!scan_one(r#"{"actions": null}"#).unwrap().1);
        assert_eq!(scan_one("{\"x\": -0}").map(|_| ()), Some(()));
        assert_eq!(
            scan_one("{\"ts\": -0.0}").unwrap().0.ts.and_then(|t| t.finite()).map(f64::to_bits),
            Some((-0f64).to_bits())
        );
    }

    #[test]
    fn hands_unusual_lines_to_serde() {
        for line in [
            "[1]",
            "{\"type\": \"a\", \"type\": \"b\"}",
            "{\"t\\u0079pe\": \"a\"}",
            "{\"ts\": \"1\"}",
            "{\"ts\": true}",
            "{\"ts\": 1e999}",
            "{\"actions\": {}}",
            "{\"actions\": [1]}",
            "{\"actions\": [{\"canonical_url\": 5}]}",
            "{\"actions\": [{\"timestamp_end\": 1, \"timestamp_end\": 2}]}",
            "{\"actions\": [{\"timestamp_start\": \"1\"}]}",
            "{\"a\": 1} x",
            "{\"a\": 01}",
            "{\"a\": 1.}",
            "{\"a\": .5}",
            "{\"a\": -}",
            "{\"a\": 1e}",
            "{\"a\": \"\t\"}",
            "{\"a\": \"\\x\"}",
            "{\"a\": \"\\u12g4\"}",
            "{\"a\": tru}",
            "{\"a\": [1,]}",
            "{\"a\": {\"b\": 1,}}",
            "{\"a\": 1,}",
            "{\"a\" 1}",
            "{\"a\": \"unterminated}",
            "{\"a\": 1",
        ] {
            assert!(scan_one(line).is_none(), "{line}");
        }
        let deep = format!("{{\"a\": {}{}}}", "[".repeat(70), "]".repeat(70));
        assert!(scan_one(&deep).is_none());
    }

    #[test]
    fn accepts_what_json_allows() {
        for line in [
            "{}",
            " { } ",
            "{\"a\": \"\\u00e9\\n\\\"\\\\\\/\"}",
            "{\"a\": [true, false, null, -1.5e+3, 0, 0.25E-2, \"x\", {}, []]}",
            "{\"a\": 123456789012345678901234567890}",
            "{\"ünïcode key\": \"日本\"}",
        ] {
            assert!(scan_one(line).is_some(), "{line}");
            assert!(serde_json::from_str::<serde_json::Value>(line).is_ok(), "{line}");
        }
    }
}
