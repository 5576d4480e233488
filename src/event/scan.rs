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
/// On `None` the fields are left part filled. `padded` is reusable space: the line is copied
/// into it with [`PAD`] zero bytes after it, so the cursor can look at the byte after any
/// token, or at the next eight or sixteen, without a bounds check on each (a zero byte is
/// never valid where the cursor looks, so the padding ends every loop).
pub(super) fn scan<'a>(
    line: &'a str,
    fields: &mut LineFields<'a>,
    actions: &mut Vec<ActionView<'a>>,
    padded: &mut Vec<u8>,
) -> Option<()> {
    scan_reaching(line, fields, actions, padded, true)
}

/// [`scan`] without picking out the items of `actions`: the list is checked as any value is,
/// and `fields.actions` is left absent.
pub(super) fn scan_top_level<'a>(
    line: &'a str,
    fields: &mut LineFields<'a>,
    actions: &mut Vec<ActionView<'a>>,
    padded: &mut Vec<u8>,
) -> Option<()> {
    scan_reaching(line, fields, actions, padded, false)
}

#[inline(always)]
fn scan_reaching<'a>(
    line: &'a str,
    fields: &mut LineFields<'a>,
    actions: &mut Vec<ActionView<'a>>,
    padded: &mut Vec<u8>,
    read_actions: bool,
) -> Option<()> {
    actions.clear();
    *fields = LineFields::empty(line);
    padded.clear();
    padded.extend_from_slice(line.as_bytes());
    padded.extend_from_slice(&[0; PAD]);
    let mut cur = Cursor { text: line, bytes: padded, len: line.len(), pos: 0, read_actions };
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

/// Zero bytes after the copy of the line: enough for one 16-byte load at the end.
const PAD: usize = 16;

/// Where the scan is. `pos <= len` always holds: the cursor only steps over bytes it has
/// checked, and none of the checks accepts a zero byte, so it stops at the padding.
struct Cursor<'a, 'p> {
    text: &'a str,
    /// The line's bytes followed by [`PAD`] zeros.
    bytes: &'p [u8],
    /// The line's length.
    len: usize,
    pos: usize,
    /// Whether the items of `actions` are picked out (else the list is only checked).
    read_actions: bool,
}

impl<'a> Cursor<'a, '_> {
    /// The text of a value the cursor has just passed over, from its first byte (`start`) to
    /// the byte after its last (`end`). Unchecked: slicing with checks was about a twentieth
    /// of the scanner's instructions.
    #[inline(always)]
    fn span(&self, start: usize, end: usize) -> &'a str {
        debug_assert!(start <= end && end <= self.len);
        debug_assert!(self.text.is_char_boundary(start) && self.text.is_char_boundary(end));
        // SAFETY: `start <= end <= len`, the line's length. Both are character boundaries:
        // every value begins with an ASCII byte (`"`, `{`, `[`, a digit, `-`, `t`, `f`, `n`)
        // and ends with one (`"`, `}`, `]`, a digit, `e`, `l`), and in UTF-8 the byte after an
        // ASCII byte begins a character.
        unsafe { self.text.get_unchecked(start..end) }
    }

    /// The byte at the cursor; a zero at the end of the line (the padding).
    #[inline(always)]
    fn byte(&self) -> u8 {
        debug_assert!(self.pos <= self.len);
        // SAFETY: `pos <= len` (see `Cursor`) and `bytes` is `len + PAD` long. Unchecked
        // because the cursor reads each byte once or twice: the checks were about a tenth of its
        // instructions.
        unsafe { *self.bytes.get_unchecked(self.pos) }
    }

    #[inline(always)]
    fn skip_ws(&mut self) {
        // Compact JSON has none: one comparison settles it.
        if self.byte() > b' ' {
            return;
        }
        while let b' ' | b'\t' | b'\n' | b'\r' = self.byte() {
            self.pos += 1;
        }
    }

    /// Consumes `byte` (after whitespace) or fails.
    #[inline(always)]
    fn expect(&mut self, byte: u8) -> Option<()> {
        self.skip_ws();
        if self.byte() == byte {
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
        if self.byte() != open {
            return None;
        }
        self.pos += 1;
        self.skip_ws();
        if self.byte() == close {
            self.pos += 1;
            return Some(());
        }
        loop {
            self.skip_ws();
            item(self)?;
            self.skip_ws();
            match self.byte() {
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
        Some(&self.text.as_bytes()[start + 1..end - 1])
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
        (self.pos == self.len).then_some(())
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
            TopField::Actions if !self.read_actions => self.value(1)?,
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
                        if cur.byte() != b'"' {
                            return None; // a URL of another type: serde's path reads it
                        }
                        let (span, _) = cur.string()?;
                        action.canonical_url = Some(cur.span(span.0, span.1));
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
        if self.byte() == b'n' {
            self.literal(b"null")?;
            return Some(true);
        }
        Some(false)
    }

    /// A value kept as raw JSON; `null` reads as absent.
    #[inline(always)]
    fn raw_or_null(&mut self) -> Option<Option<&'a str>> {
        if self.null()? {
            return Some(None);
        }
        let start = self.pos;
        self.value(1)?;
        Some(Some(self.span(start, self.pos)))
    }

    /// A finite number, or `null`; anything else goes to serde.
    #[inline(always)]
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
        if self.bytes[self.pos..self.len].starts_with(word) {
            self.pos += word.len();
            Some(())
        } else {
            None
        }
    }

    /// Skips one value, checking it.
    #[inline(always)]
    fn value(&mut self, depth: u32) -> Option<()> {
        match self.byte() {
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

    #[inline(never)]
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

    #[inline(never)]
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
        if self.byte() != b'"' {
            return None;
        }
        self.pos += 1;
        let mut escaped = false;
        loop {
            self.pos += special_byte(self.bytes, self.pos);
            match self.byte() {
                b'"' => {
                    self.pos += 1;
                    return Some(((start, self.pos), escaped));
                }
                b'\\' => self.pos += 1,
                _ => return None, // JSON strings hold no raw control characters
            }
            escaped = true;
            match self.byte() {
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
                        if self.bytes[..self.len].get(self.pos..self.pos + 2)? != b"\\u" {
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
        let hex = self.bytes[..self.len].get(at..at + 4)?;
        if !hex.iter().all(u8::is_ascii_hexdigit) {
            return None;
        }
        u32::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()
    }

    /// A number in JSON's grammar, with its digits read along the way.
    #[inline(always)]
    fn number(&mut self) -> Option<Digits> {
        let mut digits = Digits { negative: false, mantissa: 0, count: 0, scale: 0, exponent: false };
        if self.byte() == b'-' {
            digits.negative = true;
            self.pos += 1;
        }
        match self.byte() {
            b'0' => {
                self.pos += 1;
                digits.count = 1;
            }
            b'1'..=b'9' => self.digits(&mut digits),
            _ => return None,
        }
        if self.byte() == b'.' {
            self.pos += 1;
            if !self.byte().is_ascii_digit() {
                return None;
            }
            let before = digits.count;
            self.digits(&mut digits);
            digits.scale = digits.count - before;
        }
        if let b'e' | b'E' = self.byte() {
            digits.exponent = true;
            self.pos += 1;
            if let b'+' | b'-' = self.byte() {
                self.pos += 1;
            }
            if !self.byte().is_ascii_digit() {
                return None;
            }
            self.digits(&mut Digits::default());
        }
        Some(digits)
    }

    #[inline(always)]
    fn digits(&mut self, into: &mut Digits) {
        // Eight at a time while eight digits follow (timestamps have ten or more); the
        // padding holds no digit, so the eight bytes are always there and no step crosses it.
        while let Some(eight) = self.bytes.get(self.pos..self.pos + 8) {
            let word = u64::from_le_bytes(eight.try_into().unwrap_or_default());
            if word & 0xF0F0_F0F0_F0F0_F0F0 != 0x3030_3030_3030_3030
                || word.wrapping_add(0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0 != 0x3030_3030_3030_3030
            {
                break;
            }
            into.mantissa = into.mantissa.wrapping_mul(100_000_000).wrapping_add(eight_digits(word));
            into.count += 8;
            self.pos += 8;
        }
        while let d @ b'0'..=b'9' = self.byte() {
            into.mantissa = into.mantissa.wrapping_mul(10).wrapping_add(u64::from(d - b'0'));
            into.count += 1;
            self.pos += 1;
        }
    }
}

/// The number that eight ASCII digits spell (the first digit in the lowest byte): pairs of
/// digits are combined into bytes, then the four pairs into one number by two multiplications
/// whose wanted sums land in the upper half of the word.
#[inline(always)]
fn eight_digits(word: u64) -> u64 {
    const LOW_BYTES: u64 = 0x0000_00FF_0000_00FF;
    let x = word - 0x3030_3030_3030_3030;
    let pairs = x.wrapping_mul(10).wrapping_add(x >> 8);
    let low = (pairs & LOW_BYTES).wrapping_mul(100 + (1_000_000 << 32));
    let high = ((pairs >> 16) & LOW_BYTES).wrapping_mul(1 + (10_000 << 32));
    low.wrapping_add(high) >> 32
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

/// How far after `from` the first byte is that ends a run of plain string text: a quote, a
/// backslash or a control character. `bytes` is a padded line (its zeros are control
/// characters, so there always is one, at the latest in the padding, and every 16 bytes
/// loaded lie inside `bytes`). Strings in recordings are short (keys, ids, titles), so this
/// checks 16 bytes per step inline rather than calling out per string.
#[inline(always)]
fn special_byte(bytes: &[u8], from: usize) -> usize {
    #[cfg(target_arch = "x86_64")]
    {
        // SSE2 is part of x86_64, so no detection is needed.
        use std::arch::x86_64::{
            __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_max_epu8, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
        };
        let mut i = from;
        loop {
            debug_assert!(i + 16 <= bytes.len());
            // SAFETY: `from` is at most the line's length and `PAD` (16) zeros follow the line,
            // so the first 16 bytes are inside `bytes`; a step is taken only past 16 bytes with
            // no zero among them, so those were the line's own and the next 16 are inside too.
            // SSE2 is always present on x86_64; `_mm_loadu_si128` has no alignment requirement.
            let mask = unsafe {
                let chunk = _mm_loadu_si128(bytes.as_ptr().add(i).cast::<__m128i>());
                let quote = _mm_cmpeq_epi8(chunk, _mm_set1_epi8(b'"' as i8));
                let backslash = _mm_cmpeq_epi8(chunk, _mm_set1_epi8(b'\\' as i8));
                // max(x, 0x1f) == 0x1f exactly when x <= 0x1f (unsigned).
                let control = _mm_cmpeq_epi8(_mm_max_epu8(chunk, _mm_set1_epi8(0x1f)), _mm_set1_epi8(0x1f));
                _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(quote, backslash), control))
            };
            if mask != 0 {
                return i + mask.trailing_zeros() as usize - from;
            }
            i += 16;
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        // The padding holds a zero, so a byte is always found; the length is never reached.
        bytes[from..].iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20).unwrap_or(bytes.len() - 1 - from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The view's fields, whether the line has an `actions` list, and its items.
    fn scan_one(line: &str) -> Option<(LineFields<'_>, bool, Vec<ActionView<'_>>)> {
        let mut actions = Vec::new();
        let mut fields = LineFields::default();
        scan(line, &mut fields, &mut actions, &mut Vec::new())?;
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
            let mut padded = text.as_bytes().to_vec();
            padded.extend_from_slice(&[0; PAD]);
            let mut cur = Cursor { text, bytes: &padded, len: text.len(), pos: 0, read_actions: true };
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

    /// The cursor reads past the end of a line only into the padding: every prefix of lines
    /// whose digits, strings, literals and escapes run up to the cut is read as serde_json
    /// reads it (and, in a debug build, the cursor's own checks hold).
    #[test]
    fn every_prefix_is_read_as_serde_reads_it() {
        let lines = [
            r#"{"type":"actions","session_id":"ps_0123456789abcdef0123","actions":[{"timestamp_start":1767225600.612345678,"canonical_url":"https://app.example.com/a/very/long/path"}],"forwarded_at":17672256017180000}"#,
            r#"{"a":[true,false,null,-0.5e-7,12345678901234567890],"b":"\u00e9\ud83d\ude00\"","c":{}}"#,
            r#" { "ts" : 1234567 , "text" : "日本語のテキスト" , "x" : [ ] } "#,
            "{\"n\":12345678}",
            "{\"n\":123456789012345678}",
        ];
        for line in lines {
            assert!(crate::fuzz_api::line_scanner_agrees(line).is_ok(), "{line}");
            for cut in (0..line.len()).filter(|&cut| line.is_char_boundary(cut)) {
                let prefix = &line[..cut];
                if let Err(problem) = crate::fuzz_api::line_scanner_agrees(prefix) {
                    panic!("{problem}");
                }
                // The same prefix closed, so that the cut lands inside a whole line.
                let closed = format!("{prefix}\"}}");
                if let Err(problem) = crate::fuzz_api::line_scanner_agrees(&closed) {
                    panic!("{problem}");
                }
            }
        }
    }

    /// Eight digits at a time spell the same number as one at a time.
    #[test]
    fn eight_digits_at_a_time() {
        for text in ["00000000", "12345678", "99999999", "10000001", "07654321"] {
            let word = u64::from_le_bytes(text.as_bytes().try_into().unwrap());
            assert_eq!(eight_digits(word), text.parse::<u64>().unwrap(), "{text}");
        }
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
