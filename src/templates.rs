//! Files the toolkit ships inside the binary, kept verbatim in `templates/`.

/// The commented starting trigger config `autoplay triggers init` writes: the three builtins,
/// chips linked to ping-pong by criteria id and a tour registry entry.
pub(crate) const PRODUCTS_JSON: &str = include_str!("../templates/products.json");

/// The recording `autoplay demo` serves (`autoplay generate --sessions 8 --seed 1`).
pub(crate) const DEMO_RECORDING: &str = include_str!("../templates/demo-recording.jsonl");
