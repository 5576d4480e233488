//! `autoplay triggers`.

use crate::cli::{GlobalArgs, TriggersCommand};
use crate::exit::ExitStatus;

pub fn run(global: &GlobalArgs, _args: TriggersCommand) -> anyhow::Result<ExitStatus> {
    super::not_yet("triggers", global)
}
