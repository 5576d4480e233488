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
pub(crate) mod handover;
pub(crate) mod pretty;
pub mod redis;
pub mod sse;

/// The tokio runtime for a command that follows one stream, on the calling thread alone. The
/// stream client runs its connection on a thread of its own and hands this one its frames in
/// batches (see `handover`); a multi-threaded runtime here would wake a second worker for
/// every network read instead, which cost more than parsing the events did.
pub(crate) fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    use anyhow::Context;
    tokio::runtime::Builder::new_current_thread().enable_all().build().context("could not start the async runtime")
}
