//! The one integration-test binary: every module drives the real `autoplay` binary.

// A test that needs a missing program (redis-server, chromium, python) says on stderr that it
// was skipped; that is the only printing tests do.
#![allow(clippy::print_stderr)]

mod auth;
mod cli;
mod completions;
mod compressed;
mod demo;
mod fake_connector;
mod generate;
mod hardening;
mod help;
mod local_loop;
mod mcp;
mod onboard;
mod plurals;
mod redis_buffer;
mod report;
mod serve;
mod sessions;
mod skill_snippets;
mod skills;
mod support;
mod tail;
mod tail_pretty;
mod triggers_simulate;
mod triggers_validate;
mod triggers_watch;
mod triggers_why;
