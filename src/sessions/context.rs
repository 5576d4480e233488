//! The SDK's `ContextStore` (autoplay-sdk 0.7.3, `autoplay_sdk.context_store`): session →
//! context text.
//!
//! Actions are filed per bucket (`"{product}\x1f{session}"`, or the bare session id when the
//! payload has no product), summaries per session id only. [`ContextStore::get`] and
//! [`ContextStore::enrich`] produce the SDK's text byte for byte, including the fallback to a
//! single product-scoped bucket when no product is given.
//!
//! The clock is a parameter. The SDK evicts payloads older than the lookback on every `add`
//! (against its clock) and filters again on `get`; with a clock that does not move between
//! the adds and the read — how the SDK's reference runs and the CLI run — both are the same cutoff, so this
//! store applies it once, at read time, before the fallback rule looks at which buckets are
//! empty. [`ContextStore::prune`] evicts early to bound memory on long live runs.

use std::collections::HashMap;

use crate::event::model::ActionsPayload;

/// The unit separator between product and session in a bucket key.
pub const BUCKET_SEPARATOR: char = '\x1f';

/// An invalid store option, worded like the SDK's `ValueError`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ContextOptionError {
    /// `lookback_seconds` is not greater than 0 (as Python prints it).
    #[error("lookback_seconds must be > 0, got {0}")]
    Lookback(String),
    /// `max_actions` is less than 1.
    #[error("max_actions must be >= 1, got {0}")]
    MaxActions(i64),
}

/// What `get` includes, and the lookback/cap applied to actions.
#[derive(Debug, Clone, PartialEq)]
pub struct ContextOptions {
    /// Include the session's summary.
    pub include_summary: bool,
    /// Include the session's recent actions.
    pub include_actions: bool,
    /// Only actions forwarded within this many seconds of the clock.
    pub lookback_seconds: Option<f64>,
    /// At most this many actions (the most recent).
    pub max_actions: Option<usize>,
}

impl Default for ContextOptions {
    fn default() -> Self {
        ContextOptions { include_summary: true, include_actions: true, lookback_seconds: None, max_actions: None }
    }
}

impl ContextOptions {
    /// Checks the options the way the SDK's constructor does.
    pub fn new(
        include_summary: bool,
        include_actions: bool,
        lookback_seconds: Option<f64>,
        max_actions: Option<i64>,
    ) -> Result<ContextOptions, ContextOptionError> {
        if let Some(lookback) = lookback_seconds {
            // `not > 0` also rejects NaN, which Python would accept and then never match.
            if lookback.is_nan() || lookback <= 0.0 {
                return Err(ContextOptionError::Lookback(crate::py::float_repr(lookback)));
            }
        }
        let max_actions = match max_actions {
            Some(n) if n < 1 => return Err(ContextOptionError::MaxActions(n)),
            Some(n) => Some(usize::try_from(n).unwrap_or(usize::MAX)),
            None => None,
        };
        Ok(ContextOptions { include_summary, include_actions, lookback_seconds, max_actions })
    }
}

/// `actions_bucket_id(product_id, session_id)`.
pub fn bucket_id(product_id: Option<&str>, session_id: Option<&str>) -> String {
    let session = session_id.filter(|s| !s.is_empty()).unwrap_or("unknown").trim();
    match product_id.map(str::trim).filter(|p| !p.is_empty()) {
        Some(product) => format!("{product}{BUCKET_SEPARATOR}{session}"),
        None => session.to_string(),
    }
}

/// Which bucket `get` read when no product was given and the legacy bucket was empty. The
/// SDK logs a warning (once per session) in both cases.
#[derive(Debug, Clone, PartialEq)]
pub enum Fallback {
    /// Exactly one product-scoped bucket had payloads; it was used.
    Used {
        /// The bucket's key.
        bucket: String,
    },
    /// Several had payloads; no actions were returned.
    Ambiguous {
        /// Their keys, sorted.
        buckets: Vec<String>,
    },
}

impl Fallback {
    /// The product part of a bucket key.
    pub fn product_of(bucket: &str) -> &str {
        bucket.split_once(BUCKET_SEPARATOR).map(|(p, _)| p).unwrap_or("")
    }
}

/// The text `get` produced and whether the fallback rule was involved.
#[derive(Debug, Clone, PartialEq)]
pub struct ContextText {
    /// The context text (`""` when there is none).
    pub text: String,
    /// Whether the fallback rule was involved.
    pub fallback: Option<Fallback>,
}

/// Per-session summaries and per-bucket actions, in arrival order.
#[derive(Debug, Default, Clone)]
pub struct ContextStore {
    buckets: HashMap<String, Vec<ActionsPayload>>,
    summaries: HashMap<String, String>,
}

impl ContextStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// `add(payload)`: files the payload under its bucket.
    pub fn add(&mut self, payload: ActionsPayload) {
        let session = payload.session_id.clone().unwrap_or_else(|| "unknown".into());
        let key = bucket_id(Some(&payload.product_id), Some(&session));
        self.buckets.entry(key).or_default().push(payload);
    }

    /// `on_summary(session_id, text)`: stores or replaces the session's summary. (The SDK also
    /// creates an empty legacy bucket here; an empty bucket never changes `get`.)
    pub fn on_summary(&mut self, session_id: &str, text: &str) {
        self.summaries.insert(session_id.to_string(), text.to_string());
    }

    /// Folds a store built over later lines: buckets append, summaries are replaced.
    pub fn merge(&mut self, later: ContextStore) {
        for (key, payloads) in later.buckets {
            self.buckets.entry(key).or_default().extend(payloads);
        }
        self.summaries.extend(later.summaries);
    }

    /// Evicts payloads older than `now - lookback` (what the SDK does on each `add`).
    pub fn prune(&mut self, now: f64, lookback_seconds: f64) {
        let cutoff = now - lookback_seconds;
        for payloads in self.buckets.values_mut() {
            payloads.retain(|p| p.forwarded_at >= cutoff);
        }
    }

    /// Whether anything at all was stored for `session_id` (any bucket or a summary).
    pub fn knows(&self, session_id: &str) -> bool {
        let suffix = format!("{BUCKET_SEPARATOR}{session_id}");
        self.summaries.contains_key(session_id)
            || self.buckets.contains_key(&bucket_id(None, Some(session_id)))
            || self.buckets.keys().any(|k| k.ends_with(&suffix))
    }

    /// The product-scoped bucket keys of a session (for "which product?" hints).
    pub fn products_of(&self, session_id: &str) -> Vec<String> {
        let suffix = format!("{BUCKET_SEPARATOR}{session_id}");
        let mut products: Vec<String> =
            self.buckets.keys().filter(|k| k.ends_with(&suffix)).map(|k| Fallback::product_of(k).to_string()).collect();
        products.sort();
        products
    }

    /// `get(session_id, product_id=…)` with the clock at `now`.
    pub fn get(&self, session_id: &str, product_id: Option<&str>, options: &ContextOptions, now: f64) -> ContextText {
        let cutoff = options.lookback_seconds.map(|lookback| now - lookback);
        let live = |payloads: &Vec<ActionsPayload>| -> Vec<ActionsPayload> {
            match cutoff {
                Some(cutoff) => payloads.iter().filter(|p| p.forwarded_at >= cutoff).cloned().collect(),
                None => payloads.clone(),
            }
        };
        let summary =
            if options.include_summary { self.summaries.get(session_id).map(String::as_str).unwrap_or("") } else { "" };
        let mut fallback = None;
        let mut actions: Vec<ActionsPayload> = Vec::new();
        if options.include_actions {
            let key = bucket_id(product_id, Some(session_id));
            actions = self.buckets.get(&key).map(&live).unwrap_or_default();
            let no_product = product_id.map(str::trim).unwrap_or("").is_empty();
            if actions.is_empty() && no_product {
                let suffix = format!("{BUCKET_SEPARATOR}{session_id}");
                let mut scoped: Vec<(&String, Vec<ActionsPayload>)> = self
                    .buckets
                    .iter()
                    .filter(|(k, _)| k.ends_with(&suffix))
                    .map(|(k, v)| (k, live(v)))
                    .filter(|(_, v)| !v.is_empty())
                    .collect();
                scoped.sort_by(|a, b| a.0.cmp(b.0));
                if scoped.len() == 1 {
                    let (bucket, payloads) = scoped.remove(0);
                    fallback = Some(Fallback::Used { bucket: bucket.clone() });
                    actions = payloads;
                } else if scoped.len() > 1 {
                    fallback =
                        Some(Fallback::Ambiguous { buckets: scoped.iter().map(|(k, _)| (*k).clone()).collect() });
                }
            }
        }
        if let Some(max) = options.max_actions {
            actions = keep_most_recent_actions(actions, max);
        }
        ContextText { text: render_context(summary, &actions), fallback }
    }

    /// `enrich(session_id, query, …)`: the query alone when there is no context.
    pub fn enrich(
        &self,
        session_id: &str,
        query: &str,
        product_id: Option<&str>,
        options: &ContextOptions,
        now: f64,
    ) -> ContextText {
        let context = self.get(session_id, product_id, options, now);
        ContextText { text: enrich_text(&context.text, query), fallback: context.fallback }
    }
}

/// The enrich wrapper around a context text.
pub fn enrich_text(context: &str, query: &str) -> String {
    if context.is_empty() { query.to_string() } else { format!("[Session context]\n{context}\n\n[Query]\n{query}") }
}

/// Keeps the `max` most recent individual actions across payloads (newest payload last),
/// trimming the oldest kept payload to its last actions.
pub fn keep_most_recent_actions(payloads: Vec<ActionsPayload>, max: usize) -> Vec<ActionsPayload> {
    let mut kept: Vec<ActionsPayload> = Vec::new();
    let mut total = 0usize;
    for mut payload in payloads.into_iter().rev() {
        let remaining = max - total;
        if remaining == 0 {
            break;
        }
        if payload.actions.len() <= remaining {
            total += payload.actions.len();
        } else {
            let drop = payload.actions.len() - remaining;
            payload.actions.drain(..drop);
            payload.count = remaining;
            total += remaining;
        }
        kept.push(payload);
    }
    kept.reverse();
    kept
}

/// `Summary: …` and `Recent activity:` with actions numbered from 1 across payloads, joined
/// by a blank line; empty when there is neither.
pub fn render_context(summary: &str, payloads: &[ActionsPayload]) -> String {
    let mut lines = String::new();
    let mut n = 0usize;
    for action in payloads.iter().flat_map(|p| p.actions.iter()) {
        n += 1;
        if n > 1 {
            lines.push('\n');
        }
        lines.push_str(&format!("{n}. {}", action.to_text()));
    }
    let mut parts: Vec<String> = Vec::new();
    if !summary.is_empty() {
        parts.push(format!("Summary: {summary}"));
    }
    if !lines.is_empty() {
        parts.push(format!("Recent activity:\n{lines}"));
    }
    parts.join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn payload(value: serde_json::Value) -> ActionsPayload {
        ActionsPayload::from_value(&value).expect("valid payload")
    }

    fn batch(product: &str, session: &str, at: f64, descriptions: &[&str]) -> ActionsPayload {
        let actions: Vec<_> = descriptions
            .iter()
            .enumerate()
            .map(|(i, d)| json!({"index": i, "type": "click", "description": d, "canonical_url": "/u"}))
            .collect();
        payload(json!({"product_id": product, "session_id": session, "actions": actions, "forwarded_at": at}))
    }

    #[test]
    fn bucket_ids_follow_the_sdk() {
        assert_eq!(bucket_id(Some("acme"), Some("ps_abc")), "acme\x1fps_abc");
        assert_eq!(bucket_id(None, None), "unknown");
        assert_eq!(bucket_id(Some(" "), Some(" s ")), "s");
        assert_eq!(bucket_id(Some(" p "), Some("")), "p\x1funknown");
    }

    #[test]
    fn empty_store_gives_empty_text_and_enrich_returns_the_query() {
        let store = ContextStore::new();
        let options = ContextOptions::default();
        assert_eq!(store.get("s", None, &options, 0.0).text, "");
        assert_eq!(store.enrich("s", "Q?", None, &options, 0.0).text, "Q?");
    }

    #[test]
    fn summary_and_actions_are_joined_by_a_blank_line() {
        let mut store = ContextStore::new();
        store.add(batch("", "s", 10.0, &["a", "b"]));
        store.on_summary("s", "Did things.");
        let text = store.get("s", None, &ContextOptions::default(), 10.0).text;
        assert_eq!(text, "Summary: Did things.\n\nRecent activity:\n1. [0] click: a — /u\n2. [1] click: b — /u");
        let no_summary = ContextOptions { include_summary: false, ..ContextOptions::default() };
        assert!(store.get("s", None, &no_summary, 10.0).text.starts_with("Recent activity:"));
        let neither = ContextOptions { include_summary: false, include_actions: false, ..ContextOptions::default() };
        assert_eq!(store.get("s", None, &neither, 10.0).text, "");
        let enriched = store.enrich("s", "Q", None, &ContextOptions::default(), 10.0).text;
        assert!(enriched.starts_with("[Session context]\nSummary: Did things.\n\n"));
        assert!(enriched.ends_with("\n\n[Query]\nQ"));
    }

    #[test]
    fn max_actions_cuts_the_oldest_batch() {
        let mut store = ContextStore::new();
        store.add(batch("", "s", 1.0, &["a", "b"]));
        store.add(batch("", "s", 2.0, &["c", "d"]));
        let options = ContextOptions::new(true, true, None, Some(3)).unwrap();
        let text = store.get("s", None, &options, 2.0).text;
        assert_eq!(text, "Recent activity:\n1. [1] click: b — /u\n2. [0] click: c — /u\n3. [1] click: d — /u");
        let all = ContextOptions::new(true, true, None, Some(50)).unwrap();
        assert_eq!(store.get("s", None, &all, 2.0).text.lines().count(), 5);
    }

    #[test]
    fn lookback_is_inclusive_and_relative_to_the_clock() {
        let mut store = ContextStore::new();
        store.add(batch("", "s", 880.0, &["old"]));
        store.add(batch("", "s", 940.0, &["edge"]));
        store.add(batch("", "s", 990.0, &["new"]));
        let options = ContextOptions::new(true, true, Some(60.0), None).unwrap();
        let text = store.get("s", None, &options, 1000.0).text;
        assert_eq!(text, "Recent activity:\n1. [0] click: edge — /u\n2. [0] click: new — /u");
    }

    #[test]
    fn fallback_to_the_only_product_bucket_and_none_when_ambiguous() {
        let mut store = ContextStore::new();
        store.add(batch("acme", "s", 1.0, &["a"]));
        let got = store.get("s", None, &ContextOptions::default(), 1.0);
        assert_eq!(got.fallback, Some(Fallback::Used { bucket: "acme\x1fs".into() }));
        assert!(got.text.contains("1. [0] click: a"));
        store.add(batch("globex", "s", 1.0, &["g"]));
        let got = store.get("s", None, &ContextOptions::default(), 1.0);
        assert!(matches!(got.fallback, Some(Fallback::Ambiguous { .. })));
        assert_eq!(got.text, "");
        assert!(store.get("s", Some("globex"), &ContextOptions::default(), 1.0).text.contains("g — /u"));
        // An explicit product never falls back.
        assert_eq!(store.get("s", Some("initech"), &ContextOptions::default(), 1.0).text, "");
    }

    #[test]
    fn an_expired_legacy_bucket_lets_the_fallback_happen() {
        let mut store = ContextStore::new();
        store.add(batch("", "s", 1.0, &["legacy"]));
        store.add(batch("acme", "s", 100.0, &["scoped"]));
        let options = ContextOptions::new(true, true, Some(10.0), None).unwrap();
        let got = store.get("s", None, &options, 100.0);
        assert!(got.text.contains("scoped"), "{}", got.text);
    }

    #[test]
    fn option_errors_read_like_the_sdk() {
        assert_eq!(
            ContextOptions::new(true, true, Some(0.0), None).unwrap_err().to_string(),
            "lookback_seconds must be > 0, got 0.0"
        );
        assert_eq!(
            ContextOptions::new(true, true, None, Some(0)).unwrap_err().to_string(),
            "max_actions must be >= 1, got 0"
        );
    }
}
