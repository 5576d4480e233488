/*!
The wire format: the payload model, the one reader of frame data and recording lines (with
its fast scanner), and the live-frame view built on it.
*/

pub mod frame;
pub mod line;
pub mod model;
mod scan;
