/*!
Recordings: JSON Lines files of frame data, one object per line, as `autoplay tail --record`
and `autoplay generate` write them.

[`RecordingWriter`] appends and flushes each line, so a crash or Ctrl-C never leaves a
truncated recording behind (at most the line being written). [`open_lines`] reads one back,
from a file or stdin (`-`), with 1-based line numbers for error messages.
*/

use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, Write};
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
