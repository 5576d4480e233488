//! `autoplay auth status` and `autoplay auth logout`.
