//! The recording line scanner reads every line it takes as serde_json does.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Err(problem) = autoplay::fuzz_api::line_scanner_agrees(text) {
        panic!("{problem}");
    }
});
