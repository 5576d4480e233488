//! The one integration-test binary: every module drives the real `autoplay` binary.

mod auth;
mod cli;
mod completions;
mod fake_connector;
mod onboard;
mod serve;
mod skills;
mod support;
mod tail;
mod triggers_simulate;
mod triggers_validate;
