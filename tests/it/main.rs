//! The one integration-test binary: every module drives the real `autoplay` binary.

mod sessions;
mod support;
