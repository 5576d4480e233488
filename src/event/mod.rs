/*!
The wire format: the payload model, the one reader of frame data and recording lines (with
its fast scanner), and the live-frame view built on it.
*/

pub mod frame;
pub mod line;
pub mod model;
mod scan;

/// `bytes` as text, when they are valid UTF-8. Every recording line and every frame of a
/// stream is checked here, so the check is the SIMD one of `simdutf8` (the same verdict as
/// the standard library's, several times faster on mostly-ASCII JSON).
pub(crate) fn utf8(bytes: &[u8]) -> Option<&str> {
    simdutf8::basic::from_utf8(bytes).ok()
}
