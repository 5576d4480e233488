/*!
An incremental Server-Sent Events parser over byte chunks, and the encoder of the frames the
local connector sends (the same subset the real connector writes).

Lines end at `\r\n`, `\r` or `\n`, and a `\r\n` split across two chunks counts once. A line
starting with `:` is a comment. `field: value` loses one leading space from the value;
`event`, `data`, `id` and `retry` are understood, other fields ignored. An empty line
dispatches the frame; data lines are joined with `\n`; the last event id survives dispatch.

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
    /// The last event id seen on this connection (kept across frames).
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
    /// The last event id (valid when `has_id`).
    last_id: String,
    has_id: bool,
}

impl SseParser {
    /// A parser at the start of a connection.
    pub fn new() -> Self {
        Self::default()
    }

    /// The last event id seen (for `Last-Event-ID` on reconnect).
    pub fn last_event_id(&self) -> Option<&str> {
        self.has_id.then_some(self.last_id.as_str())
    }

    /// Seeds the last event id, so frames without `id:` still report it.
    pub fn set_last_event_id(&mut self, id: Option<String>) {
        self.has_id = id.is_some();
        self.last_id = id.unwrap_or_default();
    }

    /// Feeds a chunk; each complete item goes to `on_item` at once (frames borrow the
    /// parser's buffers, so nothing is allocated per frame). `on_item` returning `Break`
    /// stops the parsing of this chunk; the rest of it is dropped.
    pub fn feed(
        &mut self,
        mut chunk: &[u8],
        mut on_item: impl FnMut(SseItem<'_>) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        let out = &mut on_item;
        if self.after_cr {
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
                            self.last_id.clear();
                            self.last_id.push_str(id);
                            self.has_id = true;
                        }
                        Err(_) => self.broken = Some(SseIssue::InvalidUtf8),
                    }
                }
                self.pending = true;
            }
            b"retry" => {
                self.pending = true;
                if let Some(ms) = std::str::from_utf8(value).ok().and_then(|v| v.parse::<u64>().ok()) {
                    return out(SseItem::Retry(ms));
                }
            }
            _ => {}
        }
        ControlFlow::Continue(())
    }

    fn dispatch(&mut self, out: &mut impl FnMut(SseItem<'_>) -> ControlFlow<()>) -> ControlFlow<()> {
        if !std::mem::take(&mut self.pending) {
            return ControlFlow::Continue(());
        }
        let had_data = std::mem::take(&mut self.has_data);
        let broken = self.broken.take();
        // The buffers are cleared, not freed, so the next frame reuses them.
        let flow = if let Some(issue) = broken {
            out(SseItem::Issue(issue))
        } else if !had_data && self.event.is_empty() {
            // A frame of only `id:`/`retry:` lines carries no event.
            ControlFlow::Continue(())
        } else {
            match (std::str::from_utf8(&self.event), std::str::from_utf8(&self.data)) {
                (Ok(event), Ok(data)) => {
                    let event = if event.is_empty() { "message" } else { event };
                    let id = self.has_id.then_some(self.last_id.as_str());
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
}
