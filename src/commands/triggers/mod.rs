//! `autoplay triggers validate|simulate|init`.

use crate::settings::{GlobalSettings, TriggersSettings};
use crate::shell::exit::ExitStatus;

mod explain;
mod init;
mod simulate;
mod test;
mod tune;
mod validate;
mod watch;

pub(crate) fn run(global: &GlobalSettings, settings: TriggersSettings) -> anyhow::Result<ExitStatus> {
    match settings {
        TriggersSettings::Validate { config, strict } => validate::run(global, &config, strict),
        TriggersSettings::Simulate(settings) => simulate::run(global, settings),
        TriggersSettings::Explain(settings) => explain::run(global, settings),
        TriggersSettings::Tune(settings) => tune::run(global, settings),
        TriggersSettings::Test(settings) => test::run(global, settings),
        TriggersSettings::Init { path, force } => init::run(&path, force),
        TriggersSettings::Watch(settings) => watch::run(global, settings),
    }
}
