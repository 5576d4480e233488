//! The JSON position map never panics and places every value of an accepted text inside it.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Err(problem) = autoplay::fuzz_api::json_pos_agrees(text) {
        panic!("{problem}");
    }
});
