/*!
JSON paths and where they are in a text.
*/

pub mod pos;
