//! The SSE parser gives the same frames for an input whole and cut into chunks anywhere.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The first byte says how many cut points follow (two bytes each); the rest is the stream.
    let Some((&count, rest)) = data.split_first() else { return };
    let count = usize::from(count % 16).min(rest.len() / 2);
    let (cuts, input) = rest.split_at(count * 2);
    let cuts: Vec<usize> = cuts.chunks(2).map(|c| usize::from(u16::from_le_bytes([c[0], c[1]]))).collect();
    if let Err(problem) = autoplay::fuzz_api::sse_chunking_agrees(input, &cuts) {
        panic!("{problem}");
    }
});
