/*!
Recordings: JSON Lines files of frame data, one object per line, as `autoplay tail --record`
and `autoplay generate` write them.

[`RecordingWriter`] appends and flushes each line, so a crash or Ctrl-C never leaves a
truncated recording behind (at most the line being written). [`open_lines`] reads one back,
from a file or stdin (`-`), with 1-based line numbers for error messages.
*/

use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;

/// Appends frames to a recording, one line each, flushed per line.
pub struct RecordingWriter {
    file: File,
    path: PathBuf,
    buffer: Vec<u8>,
}

impl RecordingWriter {
    /// Opens `path` for appending (creating it). Existing content is kept.
    pub fn append(path: &Path) -> anyhow::Result<Self> {
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .with_context(|| format!("could not open the recording {} for appending", path.display()))?;
        Ok(RecordingWriter { file, path: path.to_path_buf(), buffer: Vec::with_capacity(4096) })
    }

    /// Writes one frame's data as one line. Data spanning several lines (multi-line SSE
    /// data) is re-encoded compactly so the file stays one object per line.
    pub fn write_data(&mut self, data: &str) -> anyhow::Result<()> {
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

    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// A source of recording lines.
pub type LineReader = Box<dyn BufRead + Send>;

/// Opens a recording, or stdin for `-`.
pub fn open(path: &Path) -> anyhow::Result<LineReader> {
    if path.as_os_str() == "-" {
        return Ok(Box::new(BufReader::with_capacity(256 * 1024, io::stdin())));
    }
    let file = File::open(path).with_context(|| format!("could not open the recording {}", path.display()))?;
    Ok(Box::new(BufReader::with_capacity(256 * 1024, file)))
}

/// Calls `each(line_number, line)` for every non-blank line (1-based numbers). Stops at the
/// first error `each` returns. Invalid UTF-8 is reported with its line number.
pub fn for_each_line(
    reader: &mut dyn BufRead,
    mut each: impl FnMut(usize, &str) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let mut buffer = Vec::with_capacity(4096);
    let mut number = 0usize;
    loop {
        buffer.clear();
        let read = reader.read_until(b'\n', &mut buffer).context("could not read the recording")?;
        if read == 0 {
            return Ok(());
        }
        number += 1;
        let line = std::str::from_utf8(&buffer)
            .map_err(|_| crate::usage_error!("line {number}: not valid UTF-8"))?
            .trim_end_matches(['\n', '\r']);
        if line.trim().is_empty() {
            continue;
        }
        each(number, line)?;
    }
}

/// Cuts a recording into blocks of whole lines, for parsing a block's lines in parallel while
/// the next block is read. Only the input's last line may lack its newline.
pub struct BlockReader<R> {
    reader: R,
    /// Bytes read per block (a block grows when one line is longer).
    block_bytes: usize,
    /// The start of a line that the last read cut off.
    carry: Vec<u8>,
    eof: bool,
}

impl<R: io::Read> BlockReader<R> {
    pub fn new(reader: R, block_bytes: usize) -> Self {
        BlockReader { reader, block_bytes: block_bytes.max(1), carry: Vec::new(), eof: false }
    }

    /// Replaces `block` with the next lines (reusing its allocation); `false` once the
    /// recording is used up.
    pub fn fill(&mut self, block: &mut Vec<u8>) -> anyhow::Result<bool> {
        block.clear();
        block.append(&mut self.carry);
        let mut target = self.block_bytes.max(block.len() * 2);
        let cut = loop {
            if !self.eof && block.len() < target {
                // `read_to_end` fills spare capacity without zeroing it first.
                let want = target - block.len();
                block.reserve(want);
                let n =
                    (&mut self.reader).take(want as u64).read_to_end(block).context("could not read the recording")?;
                self.eof = n < want;
            }
            if self.eof {
                break block.len();
            }
            match memchr::memrchr(b'\n', block) {
                Some(i) => break i + 1,
                None => target *= 2, // one line longer than the block
            }
        };
        self.carry.extend_from_slice(&block[cut..]);
        block.truncate(cut);
        Ok(!block.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
