/*!
Recordings: JSON Lines files of frame data, one object per line, as `autoplay tail --record`
and `autoplay generate` write them.

[`RecordingWriter`] appends and flushes each line, so a crash or Ctrl-C never leaves a
truncated recording behind (at most the line being written). [`open`] and [`for_each_line`] read one back,
from a file or stdin (`-`), gzip or zstd compressed or not, with 1-based line numbers for
error messages.

Every command that reads a recording reads it here, so every command gives the same verdict
on the same line: a line longer than [`MAX_LINE_BYTES`] (16 MiB) or not UTF-8 is exit 2 naming
the file and the line, and memory stays bounded whatever the input (`/dev/zero` included).
*/

use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;

/// Appends frames to a recording, one line each, flushed per line.
pub(crate) struct RecordingWriter {
    file: File,
    path: PathBuf,
    buffer: Vec<u8>,
}

impl RecordingWriter {
    /// Opens `path` for appending (creating it). Existing content is kept.
    pub(crate) fn append(path: &Path) -> anyhow::Result<Self> {
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .with_context(|| format!("could not open the recording {} for appending", path.display()))?;
        Ok(RecordingWriter { file, path: path.to_path_buf(), buffer: Vec::with_capacity(4096) })
    }

    /// Writes one frame's data as one line. Data spanning several lines (multi-line SSE
    /// data) is re-encoded compactly so the file stays one object per line.
    pub(crate) fn write_data(&mut self, data: &str) -> anyhow::Result<()> {
        self.buffer.clear();
        if data.contains('\n') || data.contains('\r') {
            let value: serde_json::Value = serde_json::from_str(data).context("frame data is not JSON")?;
            serde_json::to_writer(&mut self.buffer, &value)?;
        } else {
            self.buffer.extend_from_slice(data.as_bytes());
        }
        self.buffer.push(b'\n');
        // One write call per line: with O_APPEND the line lands whole or not at all.
        self.file
            .write_all(&self.buffer)
            .with_context(|| format!("could not write to the recording {}", self.path.display()))
    }
}

/// A source of recording lines.
pub(crate) type LineReader = Box<dyn BufRead + Send>;

/// Opens a recording, or stdin for `-`. Compressed recordings are read transparently: gzip
/// and zstd, told by their magic bytes (so `.gz` and `.zst` files, and compressed stdin, all
/// work whatever they are called).
pub(crate) fn open(path: &Path) -> anyhow::Result<LineReader> {
    open_observed(path, None)
}

/// Called with the number of bytes read from the file (compressed bytes for a compressed
/// file) as reading goes on, for a progress bar.
pub(crate) type ReadObserver = std::sync::Arc<dyn Fn(u64) + Send + Sync>;

/// [`open`], telling `observer` how far into the file reading has got.
pub(crate) fn open_observed(path: &Path, observer: Option<ReadObserver>) -> anyhow::Result<LineReader> {
    let raw: Box<dyn Read + Send> = if path.as_os_str() == "-" {
        Box::new(io::stdin())
    } else {
        if path.is_dir() {
            return Err(crate::usage_error!("{} is a directory, not a recording", path.display()));
        }
        // A pipe (`--from <(zcat rec.gz)`) is read like a file; its reads are bounded like one.
        Box::new(File::open(path).with_context(|| format!("could not open the recording {}", path.display()))?)
    };
    let raw: Box<dyn Read + Send> = match observer {
        Some(observer) => Box::new(Observed { inner: raw, observer }),
        None => raw,
    };
    let raw: Box<dyn Read + Send> = match ReadWatch::of_this_thread() {
        Some(watch) => Box::new(Watched { inner: raw, watch }),
        None => raw,
    };
    let mut buffered = BufReader::with_capacity(256 * 1024, raw);
    let name = path.display().to_string();
    let compression = sniff(&mut buffered).with_context(|| format!("could not read the recording {name}"))?;
    Ok(match compression {
        Compression::None => Box::new(buffered),
        Compression::Gzip => {
            Box::new(BufReader::with_capacity(256 * 1024, flate2::bufread::MultiGzDecoder::new(buffered)))
        }
        Compression::Zstd => Box::new(BufReader::with_capacity(
            256 * 1024,
            zstd::stream::read::Decoder::with_buffer(buffered)
                .with_context(|| format!("could not start reading the zstd recording {name}"))?,
        )),
    })
}

/// How a recording is compressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Compression {
    /// Plain JSON Lines.
    None,
    /// gzip (`1f 8b`), several members allowed.
    Gzip,
    /// zstd (`28 b5 2f fd`).
    Zstd,
}

/// Tells the compression from the first bytes, without consuming them.
fn sniff(reader: &mut impl BufRead) -> io::Result<Compression> {
    let head = reader.fill_buf()?;
    Ok(if head.starts_with(&[0x1f, 0x8b]) {
        Compression::Gzip
    } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        Compression::Zstd
    } else {
        Compression::None
    })
}

/// A reader that reports each read's size.
struct Observed {
    inner: Box<dyn Read + Send>,
    observer: ReadObserver,
}

impl Read for Observed {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        (self.observer)(n as u64);
        Ok(n)
    }
}

/// A watch on the recordings one thread opens: how many bytes were read so far, and a flag
/// that makes the next read fail. The MCP server runs each tool call on a thread of its own
/// with a watch, so a long read reports progress and a cancelled call stops reading (and
/// frees the file) instead of finishing in the background. Commands never set one.
#[derive(Clone, Default)]
pub(crate) struct ReadWatch {
    /// Bytes read from the file (compressed bytes for a compressed file).
    pub(crate) bytes: std::sync::Arc<std::sync::atomic::AtomicU64>,
    /// Set to stop: every later read fails with "cancelled".
    pub(crate) cancelled: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

thread_local! {
    static THREAD_WATCH: std::cell::RefCell<Option<ReadWatch>> = const { std::cell::RefCell::new(None) };
}

impl ReadWatch {
    /// Every recording this thread opens from now on is read under `self`.
    pub(crate) fn install_on_this_thread(&self) {
        THREAD_WATCH.with(|watch| *watch.borrow_mut() = Some(self.clone()));
    }

    fn of_this_thread() -> Option<ReadWatch> {
        THREAD_WATCH.with(|watch| watch.borrow().clone())
    }
}

/// A reader under a [`ReadWatch`]. The watch is taken when the file is opened, so reads on
/// other threads (block readers) still answer to it.
struct Watched {
    inner: Box<dyn Read + Send>,
    watch: ReadWatch,
}

impl Read for Watched {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        use std::sync::atomic::Ordering;
        if self.watch.cancelled.load(Ordering::Relaxed) {
            // Not `Interrupted`: read loops retry that one.
            return Err(io::Error::other("cancelled"));
        }
        let n = self.inner.read(buf)?;
        self.watch.bytes.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// The longest recording line read, in bytes (16 MiB, far above any real frame): a longer
/// line is exit 2, so a file without newlines (`/dev/zero`) never fills memory.
pub(crate) const MAX_LINE_BYTES: usize = 16 << 20;

/// Why a recording could not be read.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ReadError {
    /// A line longer than [`MAX_LINE_BYTES`].
    #[error("line {line} is longer than {} MiB, the limit of a recording line", MAX_LINE_BYTES >> 20)]
    LineTooLong {
        /// Its 1-based number.
        line: usize,
    },
    /// A line that is not UTF-8.
    #[error("line {line}: not valid UTF-8")]
    NotUtf8 {
        /// Its 1-based number.
        line: usize,
    },
    /// The reader failed.
    #[error("{0}")]
    Io(#[from] io::Error),
}

impl ReadError {
    /// The error every command shows: exit 2 naming the recording (`label`) and the line.
    pub(crate) fn in_file(self, label: &str) -> anyhow::Error {
        use crate::shell::exit::UserError;
        match self {
            ReadError::LineTooLong { line } => UserError::usage(format!(
                "{label}:{line}: line longer than {} MiB, the limit of a recording line",
                MAX_LINE_BYTES >> 20
            ))
            .with_hint("a recording has one JSON object per line, as `autoplay tail --record` writes them")
            .into(),
            ReadError::NotUtf8 { line } => UserError::usage(format!("{label}:{line}: not valid UTF-8"))
                .with_hint("a recording has one JSON object per line, as `autoplay tail --record` writes them")
                .into(),
            ReadError::Io(err) => UserError::usage(format!("could not read {label}: {err}")).into(),
        }
    }
}

/// Calls `each(line_number, line)` for every non-blank line (1-based numbers), in order,
/// reading as [`fold_blocks`] does (same limit, same numbering, same verdicts; errors name
/// `label`). Stops at the first error `each` returns.
pub(crate) fn for_each_line(
    reader: &mut dyn BufRead,
    label: &str,
    mut each: impl FnMut(usize, &str) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let mut blocks = BlockReader::new(reader, 1 << 20);
    let mut block = Block::default();
    let mut lines_before = 0;
    while block.fill(&mut blocks, lines_before).map_err(|e| e.in_file(label))? {
        for (number, text) in block.lines(0..block.spans.len()) {
            let text = text.map_err(|NotUtf8| ReadError::NotUtf8 { line: number }.in_file(label))?;
            each(number, text)?;
        }
        lines_before += block.spans.len();
    }
    Ok(())
}

/// Cuts a recording into blocks of whole lines, for parsing a block's lines in parallel while
/// the next block is read. Only the input's last line may lack its newline.
pub(crate) struct BlockReader<R> {
    reader: R,
    /// Bytes read per block (a block grows when one line is longer).
    block_bytes: usize,
    /// The start of a line that the last read cut off.
    carry: Vec<u8>,
    eof: bool,
}

impl<R: io::Read> BlockReader<R> {
    pub(crate) fn new(reader: R, block_bytes: usize) -> Self {
        BlockReader { reader, block_bytes: block_bytes.max(1), carry: Vec::new(), eof: false }
    }

    /// Replaces `block` with the next lines (reusing its allocation); `false` once the
    /// recording is used up. A line longer than [`MAX_LINE_BYTES`] stops the reading with
    /// [`ReadError::LineTooLong`] (numbered 0: the caller knows where the block starts).
    pub(crate) fn fill(&mut self, block: &mut Vec<u8>) -> Result<bool, ReadError> {
        block.clear();
        block.append(&mut self.carry);
        let mut target = self.block_bytes.max(block.len() * 2).min(self.block_bytes.max(MAX_LINE_BYTES + 1));
        let cut = loop {
            if !self.eof && block.len() < target {
                // `read_to_end` fills spare capacity without zeroing it first.
                let want = target - block.len();
                block.reserve(want);
                let n = (&mut self.reader).take(want as u64).read_to_end(block)?;
                self.eof = n < want;
            }
            if self.eof {
                break block.len();
            }
            match memchr::memrchr(b'\n', block) {
                Some(i) => break i + 1,
                // The block is the start of one line: past the limit it is refused, else the
                // block grows until the line ends.
                None if block.len() > MAX_LINE_BYTES => return Err(ReadError::LineTooLong { line: 0 }),
                None => target = (target * 2).min(MAX_LINE_BYTES + 1),
            }
        };
        self.carry.extend_from_slice(&block[cut..]);
        block.truncate(cut);
        Ok(!block.is_empty())
    }
}

/// The text of one non-blank recording line, or the fact that it is not UTF-8.
pub(crate) type LineText<'a> = Result<&'a str, NotUtf8>;

/// A recording line that is not valid UTF-8.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not valid UTF-8")]
pub(crate) struct NotUtf8;

/// A line's text without its `\r` ending, or `None` for a blank line (whitespace only).
fn line_text(bytes: &[u8]) -> Option<LineText<'_>> {
    match crate::event::utf8(bytes) {
        None => Some(Err(NotUtf8)),
        Some(text) => {
            let text = text.trim_end_matches('\r');
            (!text.trim().is_empty()).then_some(Ok(text))
        }
    }
}

/// A run of non-blank lines of a block, with their 1-based numbers. A line loses its `\r`
/// ending; a line of whitespace only is blank.
pub(crate) struct Lines<'a> {
    data: &'a [u8],
    /// (start, end) of each line left, blank ones included.
    spans: std::slice::Iter<'a, (usize, usize)>,
    /// The number of the line before the next span.
    number: usize,
}

impl<'a> Iterator for Lines<'a> {
    type Item = (usize, LineText<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        for &(start, end) in self.spans.by_ref() {
            self.number += 1;
            if let Some(text) = line_text(&self.data[start..end]) {
                return Some((self.number, text));
            }
        }
        None
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, Some(self.spans.len()))
    }
}

impl<'a> Lines<'a> {
    /// The lines of the run that hold a match, told by `next_match(bytes, from)`: the offset
    /// in `bytes` of the first match at or after `from`, or `None`. A line without one is
    /// skipped unread, not even checked for UTF-8, so one search over the run's bytes
    /// replaces a test of every line (for a second pass over lines that have had their
    /// verdict). A match must lie inside one line.
    pub(crate) fn holding<F>(self, next_match: F) -> Holding<'a, F>
    where
        F: FnMut(&'a [u8], usize) -> Option<usize>,
    {
        let spans = self.spans.as_slice();
        let (from, end) = match (spans.first(), spans.last()) {
            (Some(first), Some(last)) => (first.0, last.1),
            _ => (0, 0),
        };
        Holding { data: &self.data[..end], spans, number: self.number, from, next_match }
    }
}

/// The lines of a run that hold a match ([`Lines::holding`]), with their 1-based numbers.
pub(crate) struct Holding<'a, F> {
    /// The block up to the end of the run's last line.
    data: &'a [u8],
    /// (start, end) of each line of the run.
    spans: &'a [(usize, usize)],
    /// The number of the line before the run.
    number: usize,
    /// Where the search goes on.
    from: usize,
    next_match: F,
}

impl<'a, F> Iterator for Holding<'a, F>
where
    F: FnMut(&'a [u8], usize) -> Option<usize>,
{
    type Item = (usize, LineText<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        while self.from < self.data.len() {
            let at = (self.next_match)(self.data, self.from)?;
            // The line whose end (its newline, or the block's end) is the first at or past
            // the match.
            let index = self.spans.partition_point(|&(_, end)| end < at);
            let &(start, end) = self.spans.get(index)?;
            self.from = end + 1;
            if let Some(text) = line_text(&self.data[start..end]) {
                return Some((self.number + index + 1, text));
            }
        }
        None
    }
}

/// One block of whole lines.
#[derive(Default)]
struct Block {
    data: Vec<u8>,
    /// (start, end) of every line in `data`.
    spans: Vec<(usize, usize)>,
    /// Lines before the block, in the recording.
    lines_before: usize,
}

impl Block {
    /// Reads the next block, numbering its lines after `lines_before`; `false` once the
    /// recording is used up.
    fn fill<R: Read>(&mut self, blocks: &mut BlockReader<R>, lines_before: usize) -> Result<bool, ReadError> {
        self.lines_before = lines_before;
        self.spans.clear();
        let more = blocks.fill(&mut self.data).map_err(|e| match e {
            ReadError::LineTooLong { .. } => ReadError::LineTooLong { line: lines_before + 1 },
            other => other,
        })?;
        let data = &self.data;
        let mut start = 0usize;
        let last = (!data.is_empty() && data[data.len() - 1] != b'\n').then_some(data.len());
        for end in memchr::memchr_iter(b'\n', data).chain(last) {
            if end - start > MAX_LINE_BYTES {
                return Err(ReadError::LineTooLong { line: lines_before + self.spans.len() + 1 });
            }
            self.spans.push((start, end));
            start = end + 1;
        }
        Ok(more)
    }

    /// The lines of `range` (indexes into the block's lines).
    fn lines(&self, range: std::ops::Range<usize>) -> Lines<'_> {
        Lines { data: &self.data, number: self.lines_before + range.start, spans: self.spans[range].iter() }
    }
}

/// Lines below which a run is not split further between the cores.
const MIN_RUN: usize = 64;

/// Reads a recording in blocks of whole lines and folds them on every core: `fold` turns one
/// run of a block's lines into a partial result (runs are split off as cores fall idle), and
/// `merge` takes the partial results in line order. While one block is folded, the partial
/// results of the block before it are merged and the next block is read, so reading, parsing
/// and merging overlap. The first error in line order stops the fold; a line too long for
/// the reader is an error naming `label` and the line.
pub(crate) fn fold_blocks<R, P, F, M>(
    reader: R,
    label: &str,
    block_bytes: usize,
    fold: F,
    mut merge: M,
) -> anyhow::Result<()>
where
    R: Read + Send,
    P: Send,
    F: Fn(Lines<'_>) -> anyhow::Result<P> + Sync,
    M: FnMut(P) -> anyhow::Result<()> + Send,
{
    use rayon::prelude::*;
    let mut blocks = BlockReader::new(reader, block_bytes);
    let (mut current, mut next) = (Block::default(), Block::default());
    let mut more = current.fill(&mut blocks, 0).map_err(|e| e.in_file(label))?;
    let mut folded: Vec<anyhow::Result<P>> = Vec::new();
    loop {
        let lines_after = current.lines_before + current.spans.len();
        let fold_current = || -> Vec<anyhow::Result<P>> {
            if !more {
                return Vec::new();
            }
            let runs = rayon::iter::split(0..current.spans.len(), |run| {
                if run.len() < 2 * MIN_RUN {
                    return (run, None);
                }
                let middle = run.start + run.len() / 2;
                (run.start..middle, Some(middle..run.end))
            });
            runs.map(|run| fold(current.lines(run))).collect()
        };
        // The merge's own error comes first; a read error only after the current block's
        // lines (which come before the unreadable one) are merged.
        let merge_previous_and_read = || -> anyhow::Result<Result<bool, ReadError>> {
            for part in folded.drain(..) {
                merge(part?)?;
            }
            Ok(if more { next.fill(&mut blocks, lines_after) } else { Ok(false) })
        };
        let (parts, read) = rayon::join(fold_current, merge_previous_and_read);
        let next_more = match read? {
            Ok(next_more) => next_more,
            Err(err) => {
                for part in parts {
                    merge(part?)?;
                }
                return Err(err.in_file(label));
            }
        };
        if !more {
            return Ok(());
        }
        folded = parts;
        std::mem::swap(&mut current, &mut next);
        more = next_more;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A watched thread's recordings count their bytes, and stop once cancelled; other
    /// threads' recordings are not watched.
    #[test]
    fn a_watch_counts_bytes_and_stops_reading_when_cancelled() {
        use std::sync::atomic::Ordering;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rec.jsonl");
        std::fs::write(&path, "{\"a\": 1}\n".repeat(100_000)).unwrap();
        let watch = ReadWatch::default();
        let watched = watch.clone();
        let path_in_thread = path.clone();
        let (first, after_cancel) = std::thread::spawn(move || {
            watched.install_on_this_thread();
            let mut reader = open(&path_in_thread).unwrap();
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            watched.cancelled.store(true, Ordering::Relaxed);
            let mut rest = Vec::new();
            (line, reader.read_to_end(&mut rest).map_err(|e| e.to_string()))
        })
        .join()
        .unwrap();
        assert_eq!(first, "{\"a\": 1}\n");
        assert_eq!(after_cancel, Err("cancelled".to_string()));
        let read = watch.bytes.load(Ordering::Relaxed);
        assert!(read > 0 && read < 900_000, "{read} bytes read of 900,000");
        // This thread has no watch: the whole file reads.
        let mut all = Vec::new();
        open(&path).unwrap().read_to_end(&mut all).unwrap();
        assert_eq!(all.len(), 900_000);
    }

    /// Every byte comes out once, in whole lines, whatever the block size.
    #[test]
    fn blocks_hold_whole_lines() {
        let text = "{\"a\": 1}\n\n  \r\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\r\nlast without newline";
        for block_bytes in [1, 2, 7, 16, 1 << 20] {
            let mut blocks = BlockReader::new(text.as_bytes(), block_bytes);
            let (mut block, mut all) = (Vec::new(), Vec::new());
            while blocks.fill(&mut block).unwrap() {
                assert!(block.ends_with(b"\n") || all.len() + block.len() == text.len(), "{block_bytes}");
                all.extend_from_slice(&block);
            }
            assert_eq!(all, text.as_bytes(), "block of {block_bytes} bytes");
        }
    }

    /// Every line comes out whole, once, with its number, whatever the block size.
    #[test]
    fn blocks_number_their_lines() {
        let text = "{\"a\": 1}\n\n  \r\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\r\nlast without newline";
        let expected: Vec<(usize, &str)> = text
            .split('\n')
            .enumerate()
            .map(|(i, l)| (i + 1, l.trim_end_matches('\r')))
            .filter(|(_, l)| !l.trim().is_empty())
            .collect();
        for block_bytes in [1, 2, 7, 16, 1 << 20] {
            let reader: LineReader = Box::new(std::io::Cursor::new(text.as_bytes().to_vec()));
            let mut seen = Vec::new();
            fold_blocks(
                reader,
                "rec",
                block_bytes,
                |lines| Ok(lines.map(|(n, l)| (n, l.unwrap().to_string())).collect::<Vec<_>>()),
                |part| {
                    seen.extend(part);
                    Ok(())
                },
            )
            .unwrap();
            let seen: Vec<(usize, &str)> = seen.iter().map(|(n, l)| (*n, l.as_str())).collect();
            assert_eq!(seen, expected, "block of {block_bytes} bytes");
        }
    }

    #[test]
    fn holding_gives_the_lines_with_a_match_and_skips_the_rest_unread() {
        // Line 4 is not UTF-8 and holds no match: it is skipped, not refused. Line 6 is not
        // UTF-8 and holds one: it is refused, with its number.
        let text = b"x1 a\nb\n\n  x\r\n\xff\nx\xff\nax\nlast x".to_vec();
        let next_x = |bytes: &[u8], from: usize| memchr::memchr(b'x', &bytes[from..]).map(|i| from + i);
        let every = |_: &[u8], from: usize| Some(from);
        for block_bytes in [1, 3, 8, 1 << 20] {
            for (find, expected) in [
                (
                    &next_x as &(dyn Fn(&[u8], usize) -> Option<usize> + Sync),
                    vec![(1, Ok("x1 a")), (4, Ok("  x")), (6, Err(NotUtf8)), (7, Ok("ax")), (8, Ok("last x"))],
                ),
                (
                    &every,
                    vec![
                        (1, Ok("x1 a")),
                        (2, Ok("b")),
                        (4, Ok("  x")),
                        (5, Err(NotUtf8)),
                        (6, Err(NotUtf8)),
                        (7, Ok("ax")),
                        (8, Ok("last x")),
                    ],
                ),
            ] {
                let reader: LineReader = Box::new(std::io::Cursor::new(text.clone()));
                let mut seen = Vec::new();
                fold_blocks(
                    reader,
                    "rec",
                    block_bytes,
                    |lines| Ok(lines.holding(find).map(|(n, l)| (n, l.map(str::to_string))).collect::<Vec<_>>()),
                    |part| {
                        seen.extend(part);
                        Ok(())
                    },
                )
                .unwrap();
                let seen: Vec<(usize, Result<&str, NotUtf8>)> =
                    seen.iter().map(|(n, l)| (*n, l.as_deref().map_err(|e| *e))).collect();
                assert_eq!(seen, expected, "block of {block_bytes} bytes");
            }
        }
    }

    #[test]
    fn block_fold_counts_lines_across_blocks_and_pieces() {
        let text: String = (1..=5000).map(|i| if i % 7 == 0 { "\n".to_string() } else { format!("{i}\n") }).collect();
        let mut numbers: Vec<(usize, usize)> = Vec::new();
        fold_blocks(
            std::io::Cursor::new(text.into_bytes()),
            "rec",
            1000,
            |lines| Ok(lines.map(|(n, line)| (n, line.unwrap().parse().unwrap())).collect::<Vec<_>>()),
            |part| {
                numbers.extend(part);
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(numbers.len(), 5000 - 5000 / 7);
        assert!(numbers.iter().all(|(n, v)| n == v));
    }

    #[test]
    fn block_fold_handles_lines_longer_than_a_block_and_no_final_newline() {
        let lines: Vec<String> = (0..50).map(|i| format!("{i}:{}", "x".repeat(i * 3))).collect();
        let text = lines.join("\r\n");
        let mut seen: Vec<(usize, String)> = Vec::new();
        fold_blocks(
            std::io::Cursor::new(text.into_bytes()),
            "rec",
            16,
            |lines| Ok(lines.map(|(n, line)| (n, line.unwrap().to_string())).collect::<Vec<_>>()),
            |part| {
                seen.extend(part);
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(seen.len(), 50);
        for (i, (n, line)) in seen.iter().enumerate() {
            assert_eq!((*n, line.as_str()), (i + 1, lines[i].as_str()));
        }
    }

    /// The first error in line order wins, and invalid UTF-8 is reported with its number.
    #[test]
    fn block_fold_stops_at_the_first_error_in_line_order() {
        let mut text = Vec::new();
        for i in 1..=3000 {
            if i == 1234 {
                text.extend_from_slice(b"\xff\n");
            } else {
                text.extend_from_slice(format!("{i}\n").as_bytes());
            }
        }
        let mut merged = 0usize;
        let err = fold_blocks(
            std::io::Cursor::new(text),
            "rec",
            100,
            |lines| {
                let mut n = 0;
                for (number, line) in lines {
                    line.map_err(|e| anyhow::anyhow!("line {number}: {e}"))?;
                    n += 1;
                }
                Ok(n)
            },
            |n| {
                merged += n;
                Ok(())
            },
        )
        .unwrap_err();
        assert_eq!(err.to_string(), "line 1234: not valid UTF-8");
        assert!(merged < 1234);
    }
}
