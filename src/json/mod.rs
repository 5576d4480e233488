/*!
JSON paths ([`path`]) and where they are in a text (the crate's position map).
*/

pub mod path;
pub(crate) mod pos;
