//! `autoplay completions <shell>`: print the shell completion script generated from the CLI
//! definition. The same scripts are kept in `completions/` (a test checks they are current).

use crate::settings::CompletionsSettings;
use crate::shell::exit::ExitStatus;

pub(crate) fn run(settings: CompletionsSettings) -> anyhow::Result<ExitStatus> {
    let mut command = settings.command;
    let mut script = Vec::new();
    clap_complete::generate(settings.shell, &mut command, "autoplay", &mut script);
    let mut out = crate::shell::output::LineWriter::block_buffered();
    out.raw(&script)?;
    out.flush()?;
    Ok(ExitStatus::Success)
}
