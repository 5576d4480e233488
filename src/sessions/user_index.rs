//! autoplay-sdk 0.7.3's `UserSessionIndex`: user → recent sessions, and the
//! `get_user_activity` text built from a [`ContextStore`].
//!
//! The clock is a parameter: `add` uses the payload's `forwarded_at`, or `clock` when that is
//! 0; reads filter against `now`.

use std::collections::HashMap;

use super::context::{ContextOptions, ContextStore};
use crate::event::model::ActionsPayload;

/// An invalid index option, worded like the SDK's `ValueError`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum UserIndexError {
    /// `lookback_seconds` is not greater than 0.
    #[error("lookback_seconds must be > 0")]
    Lookback,
    /// `max_sessions_per_user` is less than 1.
    #[error("max_sessions_per_user must be >= 1")]
    MaxSessions,
}

/// One remembered session of a user.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionRef {
    /// The session id (stripped).
    pub session_id: String,
    /// Its product (`None` for none).
    pub product_id: Option<String>,
    /// When the session was last seen (Unix seconds).
    pub last_seen_at: f64,
}

/// Recent sessions per user, newest first, capped per user.
#[derive(Debug, Clone)]
pub struct UserSessionIndex {
    lookback_seconds: f64,
    max_sessions_per_user: usize,
    sessions: HashMap<String, Vec<SessionRef>>,
    emails: HashMap<String, String>,
}

impl UserSessionIndex {
    /// Defaults in the SDK: 300 s and 20 sessions.
    pub fn new(lookback_seconds: f64, max_sessions_per_user: i64) -> Result<Self, UserIndexError> {
        if lookback_seconds.is_nan() || lookback_seconds <= 0.0 {
            return Err(UserIndexError::Lookback);
        }
        if max_sessions_per_user < 1 {
            return Err(UserIndexError::MaxSessions);
        }
        Ok(UserSessionIndex {
            lookback_seconds,
            max_sessions_per_user: usize::try_from(max_sessions_per_user).unwrap_or(usize::MAX),
            sessions: HashMap::new(),
            emails: HashMap::new(),
        })
    }

    /// `add(payload)`; `clock` stands in for a missing (0) `forwarded_at`.
    pub fn add(&mut self, payload: &ActionsPayload, clock: f64) {
        let user = payload.user_id.as_deref().unwrap_or("").trim();
        let session = payload.session_id.as_deref().unwrap_or("").trim();
        if user.is_empty() || session.is_empty() {
            return;
        }
        let now = if payload.forwarded_at != 0.0 { payload.forwarded_at } else { clock };
        if let Some(email) = payload.email.as_deref().filter(|e| !e.is_empty()) {
            self.emails.insert(user.to_string(), email.to_string());
        }
        let lookback = self.lookback_seconds;
        let refs = self.sessions.entry(user.to_string()).or_default();
        refs.retain(|r| r.session_id != session && now - r.last_seen_at <= lookback);
        refs.push(SessionRef {
            session_id: session.to_string(),
            product_id: Some(payload.product_id.clone()).filter(|p| !p.is_empty()),
            last_seen_at: now,
        });
        // A stable sort, newest first: equal times keep their order, as Python's does.
        refs.sort_by(|a, b| b.last_seen_at.partial_cmp(&a.last_seen_at).unwrap_or(std::cmp::Ordering::Equal));
        refs.truncate(self.max_sessions_per_user);
    }

    /// `get_recent_sessions(user)` at `now`, newest first.
    pub fn recent_sessions(&self, user_id: &str, now: f64) -> Vec<SessionRef> {
        self.sessions
            .get(user_id)
            .map(|refs| refs.iter().filter(|r| now - r.last_seen_at <= self.lookback_seconds).cloned().collect())
            .unwrap_or_default()
    }

    /// `get_email(user)`.
    pub fn email(&self, user_id: &str) -> Option<&str> {
        self.emails.get(user_id).map(String::as_str)
    }

    /// Every user seen, sorted.
    pub fn users(&self) -> Vec<&str> {
        let mut users: Vec<&str> = self.sessions.keys().map(String::as_str).collect();
        users.sort_unstable();
        users
    }
}

/// `get_user_activity(user)`: one block per recent session with context, joined by a blank
/// line; empty when there is no activity.
pub fn user_activity(refs: &[SessionRef], store: &ContextStore, now: f64) -> String {
    let options = ContextOptions::default();
    let blocks: Vec<String> = refs
        .iter()
        .filter_map(|r| {
            let text = store.get(&r.session_id, r.product_id.as_deref(), &options, now).text;
            (!text.is_empty()).then(|| {
                format!("Session {} ({}):\n{}", r.session_id, r.product_id.as_deref().unwrap_or("no-product-id"), text)
            })
        })
        .collect();
    blocks.join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn payload(user: &str, session: &str, product: &str, at: f64) -> ActionsPayload {
        ActionsPayload::from_value(&json!({
            "product_id": product, "session_id": session, "user_id": user, "email": "e@x", "forwarded_at": at,
            "actions": [{"index": 0, "type": "click", "description": format!("in {session}"), "canonical_url": "/u"}]
        }))
        .unwrap()
    }

    #[test]
    fn newest_first_with_cap_and_lookback() {
        let mut index = UserSessionIndex::new(300.0, 2).unwrap();
        index.add(&payload("u", "s1", "p", 100.0), 0.0);
        index.add(&payload("u", "s2", "p", 200.0), 0.0);
        index.add(&payload("u", "s3", "q", 300.0), 0.0);
        let ids: Vec<_> = index.recent_sessions("u", 300.0).into_iter().map(|r| r.session_id).collect();
        assert_eq!(ids, ["s3", "s2"]);
        assert_eq!(index.recent_sessions("u", 550.0).len(), 1, "s2 is 350 s old");
        assert_eq!(index.email("u"), Some("e@x"));
    }

    #[test]
    fn activity_text_names_sessions_and_products() {
        let mut index = UserSessionIndex::new(300.0, 20).unwrap();
        let mut store = ContextStore::new();
        for p in [payload("u", "s10", "acme", 10.0), payload("u", "s11", "", 20.0)] {
            index.add(&p, 0.0);
            store.add(p);
        }
        let text = user_activity(&index.recent_sessions("u", 20.0), &store, 20.0);
        assert_eq!(
            text,
            "Session s11 (no-product-id):\nRecent activity:\n1. [0] click: in s11 — /u\n\n\
             Session s10 (acme):\nRecent activity:\n1. [0] click: in s10 — /u"
        );
    }

    #[test]
    fn errors_read_like_the_sdk() {
        assert_eq!(UserSessionIndex::new(0.0, 1).unwrap_err().to_string(), "lookback_seconds must be > 0");
        assert_eq!(UserSessionIndex::new(1.0, 0).unwrap_err().to_string(), "max_sessions_per_user must be >= 1");
    }
}
