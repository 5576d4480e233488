/*!
JSON paths ([`path`]) and where they are in a text ([`pos`]).
*/

pub mod path;
pub(crate) mod pos;
