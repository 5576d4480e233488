//! `autoplay tail`.

use crate::cli::{GlobalArgs, TailArgs};
use crate::exit::ExitStatus;

pub fn run(global: &GlobalArgs, _args: TailArgs) -> anyhow::Result<ExitStatus> {
    super::not_yet("tail", global)
}
