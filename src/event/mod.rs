/*!
The wire format: the payload model, a fast borrowed view of one frame, and the scanner that
reads recording lines.
*/

pub mod frame;
pub mod model;
pub(crate) mod scan;
