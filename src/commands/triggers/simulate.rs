//! `autoplay triggers simulate`: reads the config and the recording ([`crate::simulate`]),
//! runs the engine in [`crate::triggers::engine`] and prints NDJSON records (`--format json`) or a timeline per
//! session with a summary per product (`--format pretty`).

use crate::settings::{GlobalSettings, SimulateSettings};
use crate::shell::exit::{ExitStatus, UserError};
use crate::shell::output::{self, Format, LineWriter};
use crate::shell::ui;
use crate::simulate::{load_config, pretty_lines, read_recording, sim_error};
use crate::triggers::engine::{self, SimOutput};

pub(crate) fn run(global: &GlobalSettings, args: SimulateSettings) -> anyhow::Result<ExitStatus> {
    prefer_small_pages();
    let format = output::resolve_format(global.format);
    output::ensure_supported(format, &[Format::Pretty, Format::Json], "autoplay triggers simulate")?;
    let opts = &args.options;
    opts.validate().map_err(UserError::usage)?;

    let parsed = load_config(&args.config)?;
    let mut simulation = engine::Simulation::new(&parsed, opts).map_err(|err| sim_error(err, &args.config))?;
    let stats = read_recording(&args.events, args.skip_bad_lines, &mut simulation)?;
    if stats.ignored > 0 && format == Format::Pretty {
        ui::info(format!("{} line(s) of other types (heartbeats, …) ignored", stats.ignored));
    }
    let unrouted = match format {
        Format::Json => {
            let run = simulation.run_ndjson().map_err(|err| sim_error(err, &args.config))?;
            write_ndjson(&run)?;
            run.unrouted
        }
        _ => {
            let out = simulation.run().map_err(|err| sim_error(err, &args.config))?;
            print_pretty(&out)?;
            out.unrouted
        }
    };
    for (pid, n) in &unrouted {
        ui::warn(format!("no product row for product_id {pid:?}; {n} event(s) skipped"));
    }
    Ok(ExitStatus::Success)
}

/// A simulation touches its memory once (a recording's events, then the records), so
/// transparent huge pages only add cost: each first touch zeroes 2 MB, and on a virtual
/// machine the first run after a pause paid a third of a second more for it. Small pages
/// from here on (Linux; elsewhere nothing changes).
fn prefer_small_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and only sets a flag of this process.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// Slices handed to one `writev`.
const WRITE_BATCH: usize = 512;

/// Writes the records straight from the sessions' texts with vectored writes: no copy into a
/// buffer first (the kernel copies once, or not at all for `/dev/null`).
fn write_ndjson(run: &engine::NdjsonRun) -> std::io::Result<()> {
    use std::io::{IoSlice, Write};
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut batch: Vec<IoSlice> = Vec::with_capacity(WRITE_BATCH);
    run.write_lines(|lines| {
        batch.push(IoSlice::new(lines));
        if batch.len() == WRITE_BATCH {
            write_all_vectored(&mut out, &mut batch)?;
        }
        Ok::<(), std::io::Error>(())
    })?;
    write_all_vectored(&mut out, &mut batch)?;
    out.flush()
}

/// `write_all` for a batch of slices (empties `batch`).
fn write_all_vectored(out: &mut impl std::io::Write, batch: &mut Vec<std::io::IoSlice>) -> std::io::Result<()> {
    let mut slices = &mut batch[..];
    while !slices.is_empty() {
        match out.write_vectored(slices) {
            Ok(0) => return Err(std::io::ErrorKind::WriteZero.into()),
            Ok(n) => std::io::IoSlice::advance_slices(&mut slices, n),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    batch.clear();
    Ok(())
}

fn print_pretty(out: &SimOutput) -> anyhow::Result<()> {
    let mut w = LineWriter::block_buffered();
    for line in pretty_lines(out, ui::colors_stdout()) {
        w.line(&line)?;
    }
    w.flush()?;
    Ok(())
}
