//! `autoplay triggers explain SESSION`: simulates the recording with `--why` (every session
//! from its first event) and tells one session top to bottom ([`crate::triggers::narrative`]).

use crate::settings::{ExplainSettings, GlobalSettings};
use crate::shell::exit::{ExitStatus, UserError};
use crate::shell::output::{self, Format, LineWriter};
use crate::simulate::explain;

pub(crate) fn run(global: &GlobalSettings, args: ExplainSettings) -> anyhow::Result<ExitStatus> {
    let format = output::resolve_format(global.format);
    output::ensure_supported(format, "autoplay triggers explain")?;
    let opts = &args.options;
    opts.validate().map_err(UserError::usage)?;
    let story = explain(&args)?;
    let mut w = LineWriter::block_buffered();
    match format {
        Format::Json => w.line(&story.to_value().to_string())?,
        _ => {
            for line in story.lines() {
                w.line(&line)?;
            }
        }
    }
    w.flush()?;
    Ok(ExitStatus::Success)
}
