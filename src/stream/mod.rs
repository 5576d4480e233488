/*!
The live stream: SSE decoding, the reconnecting client, filters and the sinks a followed
stream feeds (pretty lines, forwarding, the Redis buffer).
*/

pub mod client;
pub mod filter;
pub mod forward;
pub mod pretty;
pub mod redis;
pub mod sse;
