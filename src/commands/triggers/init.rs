//! `autoplay triggers init`.

use crate::cli::{GlobalArgs, TriggersInitArgs};
use crate::exit::ExitStatus;

pub fn run(global: &GlobalArgs, _args: TriggersInitArgs) -> anyhow::Result<ExitStatus> {
    crate::commands::not_yet("triggers init", global)
}
