//! `autoplay onboard`.

use crate::cli::{GlobalArgs, OnboardArgs};
use crate::exit::ExitStatus;

pub fn run(global: &GlobalArgs, _args: OnboardArgs) -> anyhow::Result<ExitStatus> {
    super::not_yet("onboard", global)
}
