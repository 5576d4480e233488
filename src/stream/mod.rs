/*!
The live stream: SSE decoding and encoding, the reconnecting client, filters, following a
stream to the end (`follow`) and the sinks a followed stream feeds (pretty
lines, forwarding, the Redis buffer).
*/

pub(crate) mod check;
pub mod client;
pub mod filter;
pub(crate) mod follow;
pub(crate) mod forward;
pub(crate) mod pretty;
pub mod redis;
pub mod sse;
