//! `autoplay sessions`.

use crate::cli::{GlobalArgs, SessionsCommand};
use crate::exit::ExitStatus;

pub fn run(global: &GlobalArgs, _args: SessionsCommand) -> anyhow::Result<ExitStatus> {
    super::not_yet("sessions", global)
}
