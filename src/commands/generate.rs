//! `autoplay generate`: synthetic traffic as a recording on stdout.

use crate::server::synthetic::{Generator, SyntheticOptions};
use crate::settings::GenerateSettings;
use crate::shell::exit::ExitStatus;
use crate::shell::output::LineWriter;

pub(crate) fn run(args: GenerateSettings) -> anyhow::Result<ExitStatus> {
    if args.sessions == 0 {
        return Err(crate::usage_error!("--sessions must be at least 1"));
    }
    let mut options = SyntheticOptions::new(args.sessions, args.seed);
    options.product = args.product;
    options.total_actions = args.actions;
    let mut out = LineWriter::block_buffered();
    let mut line = String::with_capacity(1024);
    for event in Generator::new(options) {
        line.clear();
        line.push_str(&serde_json::Value::Object(event.data).to_string());
        out.line(&line)?;
    }
    out.flush()?;
    Ok(ExitStatus::Success)
}
