//! `autoplay generate`.

use crate::cli::{GenerateArgs, GlobalArgs};
use crate::exit::ExitStatus;

pub fn run(global: &GlobalArgs, _args: GenerateArgs) -> anyhow::Result<ExitStatus> {
    super::not_yet("generate", global)
}
