//! The one integration-test binary: every module drives the real `autoplay` binary.

mod auth;
mod cli;
mod fake_connector;
mod onboard;
mod serve;
mod support;
mod tail;
