//! `autoplay auth`.

use crate::cli::{AuthCommand, GlobalArgs};
use crate::exit::ExitStatus;

pub fn run(global: &GlobalArgs, _args: AuthCommand) -> anyhow::Result<ExitStatus> {
    super::not_yet("auth", global)
}
