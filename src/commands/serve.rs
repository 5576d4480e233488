//! `autoplay serve`.

use crate::cli::{GlobalArgs, ServeArgs};
use crate::exit::ExitStatus;

pub fn run(global: &GlobalArgs, _args: ServeArgs) -> anyhow::Result<ExitStatus> {
    super::not_yet("serve", global)
}
