//! `autoplay install-skills`.

use crate::cli::{GlobalArgs, InstallSkillsArgs};
use crate::exit::ExitStatus;

pub fn run(global: &GlobalArgs, _args: InstallSkillsArgs) -> anyhow::Result<ExitStatus> {
    super::not_yet("install-skills", global)
}
