//! Parsing and linting a `products.json` never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    autoplay::fuzz_api::config_lint(text);
});
