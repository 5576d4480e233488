//! `autoplay triggers validate`.

use crate::cli::{GlobalArgs, TriggersValidateArgs};
use crate::exit::ExitStatus;

pub fn run(global: &GlobalArgs, _args: TriggersValidateArgs) -> anyhow::Result<ExitStatus> {
    crate::commands::not_yet("triggers validate", global)
}
