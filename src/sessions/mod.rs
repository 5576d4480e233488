//! Session and user context at SDK parity, as pure functions over payloads.
//!
//! - [`context`]: the SDK's `ContextStore` (`get` / `enrich` text, lookback, max actions,
//!   product-scoped buckets and the fallback rule);
//! - [`user_index`]: the SDK's `UserSessionIndex` and the `get_user_activity` text;
//! - [`feed`]: recording lines into those stores, the way the SDK's clients feed them;
//! - [`aggregate`]: streaming per-session rows and totals for `list` and `stats`;
//! - [`line`]: the aggregator's lenient reading of one recording line;
//! - [`timeline`]: one session's events for `show`;
//! - [`demo`]: the sessions part of `autoplay demo`.
//!
//! Time is always passed in (Unix seconds as `f64`); nothing here reads a clock or prints.

pub mod aggregate;
pub mod context;
pub mod demo;
pub mod feed;
pub mod line;
pub mod timeline;
pub mod user_index;

pub use aggregate::{SessionRow, SessionTable};
pub use context::{ContextOptions, ContextStore, ContextText, Fallback};
pub use demo::demo_summary;
pub use feed::SessionFeed;
pub use user_index::{SessionRef, UserSessionIndex};
