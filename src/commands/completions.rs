//! `autoplay completions <shell>`: print the script that registers `autoplay` as its own
//! completer in that shell (the binary answers each Tab, so values such as the saved profiles
//! complete too). The same scripts are kept in `completions/` (a test checks they are current).

use crate::settings::CompletionsSettings;
use crate::shell::exit::ExitStatus;

pub(crate) fn run(settings: CompletionsSettings) -> anyhow::Result<ExitStatus> {
    let mut script = Vec::new();
    crate::cli::completion_script(settings.shell, &mut script)?;
    let mut out = crate::shell::output::LineWriter::block_buffered();
    out.raw(&script)?;
    out.flush()?;
    Ok(ExitStatus::Success)
}
