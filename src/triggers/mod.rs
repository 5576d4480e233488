/*!
The trigger engine at SDK parity: the `products.json` model ([`config`]), the built-in
detectors, chips and tour offers, the v2 session state machine and the simulator timeline.
Everything here is pure: time is an `f64` of seconds passed in, never read from a clock.
*/

pub mod config;
pub mod lint;
pub mod py;
