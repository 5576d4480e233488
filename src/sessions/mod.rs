//! Session and user context at SDK parity, as pure functions over payloads.
//!
//! - [`context`]: the SDK's `ContextStore` (`get` / `enrich` text, lookback, max actions,
//!   product-scoped buckets and the fallback rule);
//! - [`user_index`]: the SDK's `UserSessionIndex` and the `get_user_activity` text;
//! - [`feed`]: recording lines into those stores, the way the SDK's clients feed them;
//! - `aggregate`: streaming per-session rows and totals for `list` and `stats`;
//! - `line`: the aggregator's lenient reading of one recording line;
//! - `timeline`: one session's events for `show`;
//! - `demo`: the sessions part of `autoplay demo`;
//! - `source`: where the lines come from (a recording, stdin, Redis, the live stream);
//! - `query`: the questions `autoplay sessions` and the MCP tools ask, each answered once.
//!
//! Time is always passed in (Unix seconds as `f64`); apart from `source` (which reads files,
//! Redis and the stream, and warns about what it skips), nothing here reads a clock or prints.

pub(crate) mod aggregate;
pub mod context;
pub(crate) mod demo;
pub mod feed;
pub(crate) mod line;
pub(crate) mod query;
pub(crate) mod source;
pub(crate) mod timeline;
pub mod user_index;

pub use context::{ContextOptions, ContextStore, ContextText, Fallback};
pub(crate) use demo::demo_summary;
pub use feed::SessionFeed;
pub use user_index::{SessionRef, UserSessionIndex};
