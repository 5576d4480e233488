//! `autoplay triggers simulate`.

use crate::cli::{GlobalArgs, TriggersSimulateArgs};
use crate::exit::ExitStatus;

pub fn run(global: &GlobalArgs, _args: TriggersSimulateArgs) -> anyhow::Result<ExitStatus> {
    crate::commands::not_yet("triggers simulate", global)
}
