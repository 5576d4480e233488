//! The one integration-test binary: every module drives the real `autoplay` binary.

mod redis_buffer;
mod sessions;
mod support;
