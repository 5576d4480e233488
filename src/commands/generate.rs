//! `autoplay generate`: synthetic traffic as a recording, on stdout or into `-o FILE`.
//!
//! A one-line summary goes to stderr at the end; a progress bar runs on a terminal; a
//! recording of a megabyte or more is not written to a terminal (give `-o` or a pipe).

use std::io::Write;

use anyhow::Context;

use crate::server::synthetic::{Generator, SyntheticOptions};
use crate::settings::GenerateSettings;
use crate::shell::exit::{ExitStatus, UserError};
use crate::shell::output::{LineWriter, count};
use crate::shell::ui;

/// About how many actions a session has without `--actions`, and bytes per action written.
const ACTIONS_PER_SESSION: u64 = 25;
const BYTES_PER_ACTION: u64 = 550;
/// The most a terminal is given without `-o`.
const TERMINAL_LIMIT: u64 = 1024 * 1024;
/// Runs estimated below this many actions take well under a second: no progress bar.
const PROGRESS_FROM: u64 = 100_000;

pub(crate) fn run(args: GenerateSettings) -> anyhow::Result<ExitStatus> {
    if args.sessions == 0 {
        return Err(crate::usage_error!("--sessions must be at least 1"));
    }
    let estimate = args.actions.unwrap_or(u64::from(args.sessions) * ACTIONS_PER_SESSION);
    if args.output.is_none() && ui::stdout_is_terminal() && estimate.saturating_mul(BYTES_PER_ACTION) >= TERMINAL_LIMIT
    {
        return Err(UserError::usage(format!(
            "not writing about {} of JSON to the terminal",
            human_bytes(estimate * BYTES_PER_ACTION)
        ))
        .with_hint("write it to a file with `-o rec.jsonl`, or pipe it (`| autoplay triggers simulate --events - …`)")
        .into());
    }
    let mut options = SyntheticOptions::new(args.sessions, args.seed);
    options.product = args.product;
    options.total_actions = args.actions;
    let mut sink: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(std::io::BufWriter::with_capacity(
            256 * 1024,
            std::fs::File::create(path).with_context(|| format!("could not create {}", path.display()))?,
        )),
        None => Box::new(LineWriterSink(LineWriter::block_buffered())),
    };
    let bar = (estimate >= PROGRESS_FROM).then(|| ui::progress(estimate, "actions", "Generating")).flatten();
    let (mut lines, mut actions, mut bytes) = (0u64, 0u64, 0u64);
    let mut line = String::with_capacity(1024);
    for event in Generator::new(options) {
        line.clear();
        let batch = event.data.get("actions").and_then(|a| a.as_array()).map_or(0, |a| a.len() as u64);
        line.push_str(&serde_json::Value::Object(event.data).to_string());
        line.push('\n');
        sink.write_all(line.as_bytes())?;
        lines += 1;
        actions += batch;
        bytes += line.len() as u64;
        if let Some(bar) = &bar
            && lines % 1024 == 0
        {
            bar.set_position(actions.min(estimate));
        }
    }
    sink.flush()?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let target = args.output.as_ref().map(|p| format!(" to {}", p.display())).unwrap_or_default();
    ui::info(format!(
        "wrote {}, {}, {}, {}{target}",
        count(args.sessions, "session", "sessions"),
        count(lines, "line", "lines"),
        count(actions, "action", "actions"),
        human_bytes(bytes)
    ));
    Ok(ExitStatus::Success)
}

/// Stdout through the output layer (a closed pipe ends quietly).
struct LineWriterSink(LineWriter);

impl Write for LineWriterSink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.raw(buf)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

fn human_bytes(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 30 => format!("{:.1} GB", b as f64 / f64::from(1u32 << 30)),
        b if b >= 1 << 20 => format!("{:.1} MB", b as f64 / f64::from(1u32 << 20)),
        b if b >= 1 << 10 => format!("{:.1} kB", b as f64 / 1024.0),
        b => format!("{b} bytes"),
    }
}
