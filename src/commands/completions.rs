//! `autoplay completions <shell>`: print the shell completion script generated from the CLI
//! definition. The same scripts are kept in `completions/` (a test checks they are current).

use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs, GlobalArgs};
use crate::shell::exit::ExitStatus;

pub fn run(_global: &GlobalArgs, args: CompletionsArgs) -> anyhow::Result<ExitStatus> {
    let script = script(args.shell);
    let mut out = crate::shell::output::LineWriter::block_buffered();
    out.raw(&script)?;
    out.flush()?;
    Ok(ExitStatus::Success)
}

/// The completion script for `shell`.
pub fn script(shell: clap_complete::Shell) -> Vec<u8> {
    let mut command = Cli::command();
    let mut buffer = Vec::new();
    clap_complete::generate(shell, &mut command, "autoplay", &mut buffer);
    buffer
}

/// The file name the script is kept under in `completions/` (`autoplay.bash`, `_autoplay`, …).
pub fn file_name(shell: clap_complete::Shell) -> String {
    use clap_complete::Generator;
    shell.file_name("autoplay")
}
