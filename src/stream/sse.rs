/*!
An incremental Server-Sent Events parser over byte chunks, and the encoder of the frames the
local connector sends (the same subset the real connector writes).

The rules are the EventSource ones of the HTML Living Standard:

- one UTF-8 byte order mark is dropped at the very start of the stream (a later one is data);
- lines end at `\r\n`, `\r` or `\n`, and a `\r\n` split across two chunks counts once;
- a line starting with `:` is a comment; `field: value` loses one leading space from the
  value; `event`, `data`, `id` and `retry` are understood, other fields ignored;
- `id:` sets the last-event-id *buffer* (ignored when the value holds a NUL); the last event
  id that a reconnect sends back takes the buffer's value only when a blank line ends the
  event, so an id in an event the stream never finished does not count. An empty id clears it;
- `retry:` is taken only when its value is ASCII digits (`+300`, ` 300`, `3e2` are ignored);
- a blank line dispatches the event, unless its data buffer is empty (no `data:` line): such
  an event is dropped without a word. Data lines are joined with `\n`.

Memory stays bounded: a line longer than [`MAX_LINE`] is dropped (and the frame it belongs
to is reported, not dispatched) instead of growing the buffer. A frame whose text is not
valid UTF-8 is reported rather than dispatched. Neither stops the stream.
*/

use std::ops::ControlFlow;

use memchr::memchr2;

/// The longest line kept, in bytes. Longer lines are discarded with an [`SseIssue`].
pub const MAX_LINE: usize = 1024 * 1024;

/// One dispatched SSE event, borrowed from the parser until the callback returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SseFrame<'a> {
    /// The `event:` name, `"message"` when none was given.
    pub event: &'a str,
    /// The `data:` lines joined with `\n`.
    pub data: &'a str,
    /// The last event id at dispatch (kept across frames; `None` when unset or empty).
    pub id: Option<&'a str>,
}

impl SseFrame<'_> {
    /// Whether this is the connector's keep-alive frame (`event: heartbeat`).
    pub fn is_heartbeat(&self) -> bool {
        self.event == "heartbeat"
    }
}

/// Something the parser had to skip.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SseIssue {
    /// A line longer than [`MAX_LINE`] was discarded; its frame is dropped.
    LineTooLong {
        /// The length of the discarded line.
        bytes: usize,
    },
    /// A frame's data or event name was not UTF-8; the frame is dropped.
    InvalidUtf8,
}

/// What the parser yields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SseItem<'a> {
    /// A complete frame.
    Frame(SseFrame<'a>),
    /// Something skipped.
    Issue(SseIssue),
    /// The server asked for this reconnection delay (milliseconds).
    Retry(u64),
}

/// The parser state for one connection.
#[derive(Debug, Default)]
pub struct SseParser {
    /// The unfinished line carried over from the previous chunk.
    line: Vec<u8>,
    /// Bytes dropped from the current over-long line (0 when not discarding).
    discarding: usize,
    /// The previous chunk ended in `\r`: a `\n` at the start of the next one is its partner.
    after_cr: bool,
    event: Vec<u8>,
    data: Vec<u8>,
    /// Any of event/data/id/retry seen since the last dispatch.
    pending: bool,
    /// At least one `data:` line since the last dispatch.
    has_data: bool,
    /// The frame being built lost a line or had bad UTF-8.
    broken: Option<SseIssue>,
    /// The last-event-id buffer: what `id:` lines set.
    id_buffer: String,
    /// The last event id: the buffer's value at the last dispatch (what a reconnect sends).
    last_id: String,
    /// Still at the start of the stream, where one byte order mark may come.
    started: bool,
    /// Bytes of a possible byte order mark split across chunks.
    bom: Vec<u8>,
}

/// The UTF-8 byte order mark.
const BOM: &[u8] = b"\xEF\xBB\xBF";

impl SseParser {
    /// A parser at the start of a connection.
    pub fn new() -> Self {
        Self::default()
    }

    /// The last event id of a dispatched event, for `Last-Event-ID` on reconnect; `None`
    /// when no id was set or the last one was empty (then no header is sent at all).
    pub fn last_event_id(&self) -> Option<&str> {
        (!self.last_id.is_empty()).then_some(self.last_id.as_str())
    }

    /// Seeds the last event id (and its buffer), so frames without `id:` still report it.
    pub fn set_last_event_id(&mut self, id: Option<String>) {
        self.last_id = id.unwrap_or_default();
        self.id_buffer.clone_from(&self.last_id);
    }

    /// Feeds a chunk; each complete item goes to `on_item` at once (frames borrow the
    /// parser's buffers, so nothing is allocated per frame). `on_item` returning `Break`
    /// stops the parsing of this chunk; the rest of it is dropped.
    pub fn feed(&mut self, chunk: &[u8], mut on_item: impl FnMut(SseItem<'_>) -> ControlFlow<()>) -> ControlFlow<()> {
        let out = &mut on_item;
        if self.started {
            return self.feed_lines(chunk, out);
        }
        // At the start: hold bytes until they are known to be, or not to be, a BOM.
        let wanted = (BOM.len() - self.bom.len()).min(chunk.len());
        self.bom.extend_from_slice(&chunk[..wanted]);
        let rest = &chunk[wanted..];
        if BOM.starts_with(&self.bom) {
            if self.bom.len() < BOM.len() {
                return ControlFlow::Continue(());
            }
            self.started = true;
            self.bom = Vec::new();
            return self.feed_lines(rest, out);
        }
        self.started = true;
        let held = std::mem::take(&mut self.bom);
        self.feed_lines(&held, out)?;
        self.feed_lines(rest, out)
    }

    fn feed_lines(
        &mut self,
        mut chunk: &[u8],
        out: &mut impl FnMut(SseItem<'_>) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        // An empty chunk says nothing about what follows a `\r`, so it must not clear the flag.
        if self.after_cr && !chunk.is_empty() {
            self.after_cr = false;
            if chunk.first() == Some(&b'\n') {
                chunk = &chunk[1..];
            }
        }
        while !chunk.is_empty() {
            match memchr2(b'\n', b'\r', chunk) {
                Some(end) => {
                    let terminator = chunk[end];
                    if self.line.is_empty() && self.discarding == 0 && end <= MAX_LINE {
                        // The whole line is in this chunk: no copy into the line buffer.
                        self.process_line(&chunk[..end], out)?;
                    } else {
                        self.append_to_line(&chunk[..end]);
                        self.finish_line(out)?;
                    }
                    let mut next = end + 1;
                    if terminator == b'\r' {
                        if next < chunk.len() {
                            if chunk[next] == b'\n' {
                                next += 1;
                            }
                        } else {
                            self.after_cr = true;
                        }
                    }
                    chunk = &chunk[next..];
                }
                None => {
                    self.append_to_line(chunk);
                    break;
                }
            }
        }
        ControlFlow::Continue(())
    }

    fn append_to_line(&mut self, bytes: &[u8]) {
        if self.discarding > 0 {
            self.discarding += bytes.len();
            return;
        }
        if self.line.len() + bytes.len() > MAX_LINE {
            self.discarding = self.line.len() + bytes.len();
            self.line = Vec::new();
            return;
        }
        self.line.extend_from_slice(bytes);
    }

    fn finish_line(&mut self, out: &mut impl FnMut(SseItem<'_>) -> ControlFlow<()>) -> ControlFlow<()> {
        if self.discarding > 0 {
            let bytes = std::mem::take(&mut self.discarding);
            self.broken = Some(SseIssue::LineTooLong { bytes });
            self.pending = true;
            return ControlFlow::Continue(());
        }
        let line = std::mem::take(&mut self.line);
        let flow = self.process_line(&line, out);
        // Keep the allocation for the next line unless a big line inflated it.
        if line.capacity() <= 64 * 1024 {
            self.line = line;
            self.line.clear();
        }
        flow
    }

    fn process_line(&mut self, line: &[u8], out: &mut impl FnMut(SseItem<'_>) -> ControlFlow<()>) -> ControlFlow<()> {
        if line.is_empty() {
            return self.dispatch(out);
        }
        if line[0] == b':' {
            return ControlFlow::Continue(());
        }
        let (field, value) = match memchr::memchr(b':', line) {
            Some(colon) => {
                let value = &line[colon + 1..];
                (&line[..colon], value.strip_prefix(b" ").unwrap_or(value))
            }
            None => (line, &b""[..]),
        };
        match field {
            b"data" => {
                if self.has_data {
                    self.data.push(b'\n');
                }
                self.data.extend_from_slice(value);
                self.has_data = true;
                self.pending = true;
            }
            b"event" => {
                self.event.clear();
                self.event.extend_from_slice(value);
                self.pending = true;
            }
            b"id" => {
                if !value.contains(&0) {
                    match std::str::from_utf8(value) {
                        Ok(id) => {
                            self.id_buffer.clear();
                            self.id_buffer.push_str(id);
                        }
                        Err(_) => self.broken = Some(SseIssue::InvalidUtf8),
                    }
                }
                self.pending = true;
            }
            // Digits only; a value too large for u64 saturates (callers clamp it).
            b"retry" if !value.is_empty() && value.iter().all(u8::is_ascii_digit) => {
                let ms = value.iter().fold(0u64, |ms, d| ms.saturating_mul(10).saturating_add(u64::from(d - b'0')));
                return out(SseItem::Retry(ms));
            }
            _ => {}
        }
        ControlFlow::Continue(())
    }

    fn dispatch(&mut self, out: &mut impl FnMut(SseItem<'_>) -> ControlFlow<()>) -> ControlFlow<()> {
        // The event is complete: its id (or the one before) becomes the last event id,
        // whether or not the event carries data.
        if self.last_id != self.id_buffer {
            self.last_id.clone_from(&self.id_buffer);
        }
        if !std::mem::take(&mut self.pending) {
            return ControlFlow::Continue(());
        }
        let had_data = std::mem::take(&mut self.has_data);
        let broken = self.broken.take();
        // The buffers are cleared, not freed, so the next frame reuses them.
        let flow = if let Some(issue) = broken {
            out(SseItem::Issue(issue))
        } else if !had_data {
            // An empty data buffer: nothing is dispatched, and nothing is wrong.
            ControlFlow::Continue(())
        } else {
            match (crate::event::utf8(&self.event), crate::event::utf8(&self.data)) {
                (Some(event), Some(data)) => {
                    let event = if event.is_empty() { "message" } else { event };
                    let id = (!self.last_id.is_empty()).then_some(self.last_id.as_str());
                    out(SseItem::Frame(SseFrame { event, data, id }))
                }
                _ => out(SseItem::Issue(SseIssue::InvalidUtf8)),
            }
        };
        self.event.clear();
        self.data.clear();
        flow
    }
}

// ---------------------------------------------------------------------------------------------
// Encoding
// ---------------------------------------------------------------------------------------------

/// The frame the connector sends while there is nothing else to send.
pub(crate) const HEARTBEAT_FRAME: &[u8] = b"event: heartbeat\ndata:\n\n";

/// Appends an event with its id. `data` must be one line (a compact JSON object): a line
/// break would start a new field.
pub(crate) fn encode_event(buffer: &mut Vec<u8>, id: u64, data: &str) {
    use std::io::Write;
    // Writing to a Vec cannot fail.
    let _ = write!(buffer, "id: {id}\ndata: ");
    buffer.extend_from_slice(data.as_bytes());
    buffer.extend_from_slice(b"\n\n");
}

/// Appends a `retry:` field: the reconnection delay the client should use.
pub(crate) fn encode_retry(buffer: &mut Vec<u8>, milliseconds: u64) {
    buffer.extend_from_slice(format!("retry: {milliseconds}\n\n").as_bytes());
}

/// Appends a comment line, which clients ignore (it makes the response start at once).
pub(crate) fn encode_comment(buffer: &mut Vec<u8>, text: &str) {
    buffer.extend_from_slice(b": ");
    buffer.extend_from_slice(text.as_bytes());
    buffer.extend_from_slice(b"\n\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_parser_reads_what_the_encoder_writes() {
        let mut wire = Vec::new();
        encode_retry(&mut wire, 250);
        encode_comment(&mut wire, "connected");
        encode_event(&mut wire, 7, r#"{"type":"actions"}"#);
        wire.extend_from_slice(HEARTBEAT_FRAME);
        let mut out = Vec::new();
        collect(&mut SseParser::new(), &wire, &mut out);
        assert_eq!(
            out,
            vec![
                Owned::Retry(250),
                Owned::Frame("message".into(), r#"{"type":"actions"}"#.into(), Some("7".into())),
                Owned::Frame("heartbeat".into(), String::new(), Some("7".into())),
            ]
        );
    }

    /// An owned copy of what the parser yields, for comparing.
    #[derive(Debug, PartialEq)]
    enum Owned {
        Frame(String, String, Option<String>),
        Issue(SseIssue),
        Retry(u64),
    }

    fn collect(parser: &mut SseParser, chunk: &[u8], out: &mut Vec<Owned>) {
        let _ = parser.feed(chunk, |item| {
            out.push(match item {
                SseItem::Frame(f) => Owned::Frame(f.event.into(), f.data.into(), f.id.map(String::from)),
                SseItem::Issue(issue) => Owned::Issue(issue),
                SseItem::Retry(ms) => Owned::Retry(ms),
            });
            ControlFlow::Continue(())
        });
    }

    fn parse_chunks(chunks: &[&[u8]]) -> Vec<Owned> {
        let mut parser = SseParser::new();
        let mut out = Vec::new();
        for chunk in chunks {
            collect(&mut parser, chunk, &mut out);
        }
        out
    }

    fn frame(event: &str, data: &str, id: Option<&str>) -> Owned {
        Owned::Frame(event.into(), data.into(), id.map(String::from))
    }

    #[test]
    fn all_line_endings_and_split_crlf() {
        let expected = vec![frame("message", "a", None), frame("message", "b", None), frame("message", "c", None)];
        assert_eq!(parse_chunks(&[b"data: a\n\ndata: b\r\rdata: c\r\n\r\n"]), expected);
        assert_eq!(parse_chunks(&[b"data: a\r", b"\n\r", b"\ndata: b\r\n\r\ndata: c\n", b"\n"]), expected);
    }

    /// Found by the chunking property: an empty read between the `\r` and the `\n` of one
    /// line end used to make the `\n` a second, empty line, which dispatched the frame early.
    #[test]
    fn an_empty_chunk_inside_crlf_keeps_it_one_line_end() {
        let whole = parse_chunks(&[b"data: a\r\ndata: b\n\n"]);
        assert_eq!(parse_chunks(&[b"data: a\r", b"", b"\ndata: b\n\n"]), whole);
        assert_eq!(whole, vec![frame("message", "a\nb", None)]);
        let input = b"data: x\n:cdata:\n\xff\n\xff\xff\r\nid: 7:ciddata:";
        assert_eq!(crate::fuzz_api::sse_chunking_agrees(input, &[21, 21]), Ok(()));
    }

    #[test]
    fn byte_by_byte_equals_whole() {
        let input = b": hello\nevent: heartbeat\ndata:\n\nid: 7\ndata: {\"x\":1}\ndata: more\r\n\r\n";
        let whole = parse_chunks(&[input]);
        let singles: Vec<&[u8]> = input.chunks(1).collect();
        assert_eq!(parse_chunks(&singles), whole);
        assert_eq!(whole, vec![frame("heartbeat", "", None), frame("message", "{\"x\":1}\nmore", Some("7"))]);
    }

    #[test]
    fn comments_unknown_fields_and_one_space_stripped() {
        let out = parse_chunks(&[b": c\nfoo: bar\ndata:  two spaces\ndata\n\n"]);
        assert_eq!(out, vec![frame("message", " two spaces\n", None)]);
    }

    #[test]
    fn id_is_kept_across_frames_and_nul_ignored() {
        let out = parse_chunks(&[b"id: 1\ndata: a\n\ndata: b\n\nid: x\0y\ndata: c\n\n"]);
        assert_eq!(
            out,
            vec![frame("message", "a", Some("1")), frame("message", "b", Some("1")), frame("message", "c", Some("1"))]
        );
    }

    #[test]
    fn retry_is_reported_and_bad_retry_ignored() {
        let out = parse_chunks(&[b"retry: 2500\n\nretry: soon\n\n"]);
        assert_eq!(out, vec![Owned::Retry(2500)]);
    }

    #[test]
    fn long_line_is_discarded_and_stream_continues() {
        let mut parser = SseParser::new();
        let mut out = Vec::new();
        collect(&mut parser, b"data: ", &mut out);
        let big = vec![b'x'; 256 * 1024];
        for _ in 0..8 {
            collect(&mut parser, &big, &mut out);
        }
        assert!(parser.line.capacity() <= MAX_LINE + 64 * 1024, "buffer stays bounded");
        collect(&mut parser, b"\n\ndata: ok\n\n", &mut out);
        assert_eq!(out.len(), 2);
        assert!(matches!(out[0], Owned::Issue(SseIssue::LineTooLong { bytes }) if bytes > MAX_LINE));
        assert_eq!(out[1], frame("message", "ok", None));
    }

    #[test]
    fn break_stops_the_chunk() {
        let mut parser = SseParser::new();
        let mut seen = 0;
        let flow = parser.feed(b"data: a\n\ndata: b\n\n", |_| {
            seen += 1;
            ControlFlow::Break(())
        });
        assert_eq!((seen, flow), (1, ControlFlow::Break(())));
    }

    #[test]
    fn invalid_utf8_frame_is_reported() {
        let out = parse_chunks(&[b"data: \xff\xfe\n\ndata: fine\n\n"]);
        assert_eq!(out, vec![Owned::Issue(SseIssue::InvalidUtf8), frame("message", "fine", None)]);
    }

    #[test]
    fn one_bom_is_stripped_at_the_start_only() {
        let expected = vec![frame("message", "a", None)];
        assert_eq!(parse_chunks(&[b"\xEF\xBB\xBFdata: a\n\n"]), expected);
        assert_eq!(parse_chunks(&[b"\xEF", b"\xBB", b"\xBFdata: a\n\n"]), expected);
        assert_eq!(parse_chunks(&[b"\xEF\xBB", b"\xBFda", b"ta: a\n\n"]), expected);
        assert_eq!(parse_chunks(&[b"d", b"ata: a\n\n"]), expected, "no BOM at all");
        // A second BOM is part of the first field name, which is then unknown.
        assert_eq!(
            parse_chunks(&[b"\xEF\xBB\xBF\xEF\xBB\xBFdata: a\n\ndata: b\n\n"]),
            vec![frame("message", "b", None)]
        );
        // A BOM later in the stream is data.
        assert_eq!(
            parse_chunks(&[b"data: a\n\ndata: \xEF\xBB\xBFb\n\n"]),
            vec![frame("message", "a", None), frame("message", "\u{feff}b", None)]
        );
    }

    #[test]
    fn the_last_event_id_changes_only_when_an_event_ends() {
        let mut parser = SseParser::new();
        let mut out = Vec::new();
        collect(&mut parser, b"id: 1\ndata: a\n\nid: 2\ndata: b\n", &mut out);
        assert_eq!(out, vec![frame("message", "a", Some("1"))]);
        assert_eq!(parser.last_event_id(), Some("1"), "the unfinished event's id does not count");
        collect(&mut parser, b"\n", &mut out);
        assert_eq!(parser.last_event_id(), Some("2"));
        // An event without data still commits its id, without being dispatched.
        collect(&mut parser, b"id: 3\n\n", &mut out);
        assert_eq!((parser.last_event_id(), out.len()), (Some("3"), 2));
        // An empty id clears it: no Last-Event-ID at all.
        collect(&mut parser, b"id\ndata: c\n\n", &mut out);
        assert_eq!(out.last(), Some(&frame("message", "c", None)));
        assert_eq!(parser.last_event_id(), None);
        collect(&mut parser, b"id: 4\ndata: d\n\nid:\n\n", &mut out);
        assert_eq!(parser.last_event_id(), None);
    }

    #[test]
    fn a_seeded_id_is_reported_until_replaced() {
        let mut parser = SseParser::new();
        parser.set_last_event_id(Some("9".into()));
        let mut out = Vec::new();
        collect(&mut parser, b"data: a\n\nid: 10\ndata: b\n\n", &mut out);
        assert_eq!(out, vec![frame("message", "a", Some("9")), frame("message", "b", Some("10"))]);
    }

    #[test]
    fn retry_takes_ascii_digits_only() {
        for bad in [
            &b"retry: +300\n\n"[..],
            b"retry:  300\n\n",
            b"retry: 3e2\n\n",
            b"retry:\n\n",
            b"retry: 300ms\n\n",
            b"retry: -1\n\n",
        ] {
            assert_eq!(parse_chunks(&[bad]), vec![], "{}", String::from_utf8_lossy(bad));
        }
        assert_eq!(parse_chunks(&[b"retry:300\n"]), vec![Owned::Retry(300)]);
        assert_eq!(parse_chunks(&[b"retry: 0\n"]), vec![Owned::Retry(0)]);
        assert_eq!(parse_chunks(&[b"retry: 99999999999999999999999\n"]), vec![Owned::Retry(u64::MAX)]);
    }

    #[test]
    fn an_event_without_data_is_not_dispatched() {
        assert_eq!(parse_chunks(&[b"event: foo\n\nevent: bar\nid: 1\n\n"]), vec![]);
        // An empty `data:` line is data: an empty string.
        assert_eq!(parse_chunks(&[b"event: foo\ndata\n\n"]), vec![frame("foo", "", None)]);
    }
}
