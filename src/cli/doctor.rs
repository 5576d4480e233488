//! `doctor`: every check a support engineer would ask for.

use std::path::PathBuf;

use clap::Args;

use super::parse_duration;
use crate::shell::env_vars;

const DOCTOR_AFTER_HELP: &str = "\
Checks, one line each with the fix: the config folder and its file modes, the active profile
and where each value comes from, the connector (GET /health), the token (one stream
connection), the agent skills in the project (.autoplay/skills.lock), shell completions, and
products.json in the project.

Examples:
  autoplay doctor
  autoplay doctor --profile staging --wait 35s
  autoplay doctor --format json | jq '.checks[] | select(.status == \"fail\")'

Exit codes:
  0 nothing failed (warnings allowed) · 1 a check failed · 2 bad input";

#[derive(Debug, Clone, Args)]
#[command(after_help = DOCTOR_AFTER_HELP)]
pub(crate) struct DoctorArgs {
    /// Saved credentials profile to check
    #[arg(long, env = env_vars::PROFILE)]
    pub(crate) profile: Option<String>,
    /// How long the token check waits for the first heartbeat or event
    #[arg(long, value_name = "DURATION", default_value = "5s", value_parser = parse_duration)]
    pub(crate) wait: std::time::Duration,
    /// Project folder holding .autoplay/skills.lock and products.json
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub(crate) dir: PathBuf,
}
