//! `autoplay triggers validate|simulate|init`.

use crate::cli::{GlobalArgs, TriggersCommand};
use crate::shell::exit::ExitStatus;

pub mod init;
pub mod simulate;
pub mod validate;

pub fn run(global: &GlobalArgs, command: TriggersCommand) -> anyhow::Result<ExitStatus> {
    match command {
        TriggersCommand::Validate(args) => validate::run(global, args),
        TriggersCommand::Simulate(args) => simulate::run(global, args),
        TriggersCommand::Init(args) => init::run(global, args),
    }
}
