//! `autoplay completions`.

use crate::cli::{CompletionsArgs, GlobalArgs};
use crate::exit::ExitStatus;

pub fn run(global: &GlobalArgs, _args: CompletionsArgs) -> anyhow::Result<ExitStatus> {
    super::not_yet("completions", global)
}
