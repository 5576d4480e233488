//! The one integration-test binary: every module drives the real `autoplay` binary.

mod auth;
mod cli;
mod completions;
mod fake_connector;
mod onboard;
mod redis_buffer;
mod serve;
mod sessions;
mod skill_snippets;
mod skills;
mod support;
mod tail;
mod triggers_simulate;
mod triggers_validate;
