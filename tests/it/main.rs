//! The one integration-test binary: every module drives the real `autoplay` binary.

mod cli;
mod serve;
mod support;
mod tail;
