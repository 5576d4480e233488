//! `autoplay demo`.

use crate::cli::{DemoArgs, GlobalArgs};
use crate::exit::ExitStatus;

pub fn run(global: &GlobalArgs, _args: DemoArgs) -> anyhow::Result<ExitStatus> {
    super::not_yet("demo", global)
}
