//! Recording lines into autoplay-sdk 0.7.3's session stores, the way its clients and chat
//! pipeline feed them: an actions batch goes to `ContextStore.add(payload)`, a summary to
//! `ContextStore.on_summary(payload.session_id or "unknown", payload.summary)`, and every
//! actions batch to `UserSessionIndex.add(payload)`; other types are ignored.
//!
//! A command asks about a few sessions or one user, so a [`SessionFeed`] keeps only what
//! those reads can reach (the store's `get` never looks at another session's bucket, the
//! index never at another user), and can tell from the raw text of a line's id field that
//! the line cannot concern them ([`SessionFeed::may_concern`]) before it is decoded.

use std::collections::HashSet;

use super::context::{ContextStore, bucket_id};
use super::user_index::UserSessionIndex;
use crate::event::line::LineFields;
use crate::event::model::{ActionsPayload, Event};

/// What a feed keeps.
#[derive(Debug, Clone)]
enum Keep {
    /// The store, for these session ids.
    Sessions(HashSet<String>),
    /// The index's batches, for this user id.
    User(String),
}

/// The stores fed from a recording's lines, in line order.
#[derive(Debug, Clone)]
pub struct SessionFeed {
    keep: Keep,
    prefilter: Prefilter,
    /// The SDK's `ContextStore`, for the kept sessions.
    pub store: ContextStore,
    /// The kept user's batches, without their actions (the index reads only ids, the e-mail
    /// and the time), for [`SessionFeed::index`].
    user_batches: Vec<ActionsPayload>,
}

impl SessionFeed {
    /// A feed of the store for these session ids (as a command names them: a bucket's
    /// session part is stripped, a summary's id is not, so both spellings are kept).
    pub fn for_sessions<'a>(session_ids: impl IntoIterator<Item = &'a str>) -> SessionFeed {
        let (mut ids, mut keys) = (HashSet::new(), Vec::new());
        for id in session_ids {
            let key = bucket_id(None, Some(id));
            ids.insert(id.to_string());
            ids.insert(key.clone());
            keys.push(key);
        }
        // A line that holds a session id holds its stripped form.
        let prefilter = Prefilter::new(keys.iter().map(String::as_str));
        SessionFeed { keep: Keep::Sessions(ids), prefilter, store: ContextStore::new(), user_batches: Vec::new() }
    }

    /// A feed of the user index for one user id.
    pub fn for_user(user_id: &str) -> SessionFeed {
        SessionFeed {
            keep: Keep::User(user_id.to_string()),
            prefilter: Prefilter::new([user_id]),
            store: ContextStore::new(),
            user_batches: Vec::new(),
        }
    }

    /// Whether a line, as the reader saw it, can concern the kept sessions or user. The
    /// payload's session (or user) is its top-level `session_id` (`user_id`) alone, so this
    /// is `false` only when that field's raw text cannot spell any of the ids; the line then
    /// need not be decoded. Looking at the one field rather than the whole line also keeps
    /// a line of another session that mentions the id elsewhere (a URL, an action's own
    /// `session_id`) from being decoded for nothing.
    pub fn may_concern(&self, view: &LineFields<'_>) -> bool {
        let field = match self.keep {
            Keep::Sessions(_) => view.session_id,
            Keep::User(_) => view.user_id,
        };
        self.prefilter.may_match_field(field)
    }

    /// Feeds one line's payload.
    pub fn add(&mut self, event: Event) {
        match (&self.keep, event) {
            (Keep::Sessions(ids), Event::Actions(payload))
                if ids.contains(&bucket_id(None, payload.session_id.as_deref())) =>
            {
                self.store.add(payload);
            }
            (Keep::Sessions(ids), Event::Summary(summary)) => {
                let id = summary.session_id.as_deref().unwrap_or("unknown");
                if ids.contains(id) {
                    self.store.on_summary(id, &summary.summary);
                }
            }
            (Keep::User(user), Event::Actions(mut payload))
                if payload.user_id.as_deref().map(str::trim) == Some(user.as_str()) =>
            {
                payload.actions.clear();
                self.user_batches.push(payload);
            }
            _ => {}
        }
    }

    /// Folds a feed built over the lines that come after this one's.
    pub fn merge(&mut self, later: SessionFeed) {
        self.store.merge(later.store);
        self.user_batches.extend(later.user_batches);
    }

    /// Adds the kept user's batches to `index` in line order, `clock` standing in for a
    /// missing `forwarded_at` (the index's own clock in the SDK).
    pub fn index(&self, index: &mut UserSessionIndex, clock: f64) {
        for payload in &self.user_batches {
            index.add(payload, clock);
        }
    }
}

/// Whether a text can mention one of some ids: always when an id could be written with JSON
/// escapes, else when the text holds one of them or a backslash (which could escape one).
#[derive(Debug, Clone)]
pub(crate) struct Prefilter {
    finders: Vec<memchr::memmem::Finder<'static>>,
    always: bool,
}

impl Prefilter {
    pub(crate) fn new<'a>(needles: impl IntoIterator<Item = &'a str>) -> Prefilter {
        let mut finders = Vec::new();
        let mut always = false;
        for needle in needles {
            let plain = !needle.is_empty()
                && needle != "unknown"
                && needle.bytes().all(|b| (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\' && b != b'/');
            if plain {
                finders.push(memchr::memmem::Finder::new(needle.as_bytes()).into_owned());
            } else {
                always = true;
            }
        }
        Prefilter { finders, always }
    }

    pub(crate) fn may_match(&self, text: &str) -> bool {
        self.always
            || self.finders.iter().any(|f| f.find(text.as_bytes()).is_some())
            || memchr::memchr(b'\\', text.as_bytes()).is_some()
    }

    /// [`Prefilter::may_match`] of the raw text of the field that names a payload's session
    /// or user; no field means `unknown` (no user), which only an `unknown` id can match.
    pub(crate) fn may_match_field(&self, raw: Option<&str>) -> bool {
        match raw {
            Some(raw) => self.may_match(raw),
            None => self.always,
        }
    }

    /// A search of one text for the places that may mention an id, in order.
    pub(crate) fn search(&self) -> Search<'_> {
        Search { filter: self, next: vec![Next::Unknown; self.finders.len() + 1] }
    }
}

/// Where the search for one needle stands.
#[derive(Debug, Clone, Copy)]
enum Next {
    /// Not looked for past the last place asked about.
    Unknown,
    /// Found here (at or after the last place asked about).
    At(usize),
    /// Not in the rest of the text.
    Gone,
}

/// [`Prefilter::search`]: each needle's next place is kept until the search passes it, so
/// every needle goes over the text once however often the others are found.
pub(crate) struct Search<'f> {
    filter: &'f Prefilter,
    /// The ids' next places, then the backslash's.
    next: Vec<Next>,
}

impl Search<'_> {
    /// The first place in `bytes` at or after `from` that may mention an id (`from` itself
    /// when every place may). `bytes` must be the same text at every call.
    pub(crate) fn next_match(&mut self, bytes: &[u8], from: usize) -> Option<usize> {
        if self.filter.always {
            return (from <= bytes.len()).then_some(from);
        }
        let rest = bytes.get(from..)?;
        let mut first = None::<usize>;
        for (k, next) in self.next.iter_mut().enumerate() {
            let stale = match *next {
                Next::Unknown => true,
                Next::At(at) => at < from,
                Next::Gone => false,
            };
            if stale {
                let found = match self.filter.finders.get(k) {
                    Some(finder) => finder.find(rest),
                    None => memchr::memchr(b'\\', rest),
                };
                *next = found.map_or(Next::Gone, |i| Next::At(from + i));
            }
            if let Next::At(at) = *next {
                first = Some(first.map_or(at, |f| f.min(at)));
            }
        }
        first
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefilter_passes_lines_that_might_escape_the_id() {
        let filter = Prefilter::new(["ps_1"]);
        assert!(filter.may_match(r#"{"session_id":"ps_1"}"#));
        assert!(!filter.may_match(r#"{"session_id":"ps_2"}"#));
        assert!(filter.may_match(r#"{"session_id":"\u0070s_1"}"#));
        assert!(Prefilter::new(["unknown"]).may_match("{}"));
        assert!(Prefilter::new(["a/b"]).may_match("{}"));
    }

    #[test]
    fn a_search_finds_every_place_in_order_as_a_scan_from_each_place_would() {
        let filter = Prefilter::new(["ab", "b_c"]);
        let text = b"xxab_cab\\qqqb_cab-ab--\\";
        let mut search = filter.search();
        let mut from = 0;
        let mut seen = Vec::new();
        while let Some(at) = search.next_match(text, from) {
            seen.push(at);
            from = at + 1;
        }
        let expected: Vec<usize> =
            (0..text.len()).filter(|&i| [&b"ab"[..], b"b_c", b"\\"].iter().any(|n| text[i..].starts_with(n))).collect();
        assert_eq!(seen, expected);
        // Skipping ahead past places already found.
        let mut search = filter.search();
        assert_eq!(search.next_match(text, 0), Some(2));
        assert_eq!(search.next_match(text, 9), Some(12));
        assert_eq!(search.next_match(text, text.len()), None);
        let always = Prefilter::new(["unknown"]);
        assert_eq!(always.search().next_match(text, 5), Some(5));
    }

    #[test]
    fn a_line_concerns_a_feed_by_its_id_field_alone() {
        let concerns = |feed: &SessionFeed, line: &str| {
            let mut scratch = crate::event::line::LineScratch::new();
            let view = crate::event::line::read(line, &mut scratch).unwrap();
            feed.may_concern(&view)
        };
        let sessions = SessionFeed::for_sessions(["ps_1"]);
        assert!(concerns(&sessions, r#"{"type":"actions","session_id":"ps_1","actions":[]}"#));
        assert!(concerns(&sessions, r#"{"type":"summary","session_id":" ps_1 ","summary":"S"}"#));
        // An escape could spell the id: decoded to find out.
        assert!(concerns(&sessions, r#"{"type":"actions","session_id":"\u0070s_1","actions":[]}"#));
        // Another session's line that names the id elsewhere is not decoded.
        let elsewhere = r#"{"type":"actions","session_id":"ps_2","user_id":"ps_1","actions":[{"raw_url":"/ps_1","session_id":"ps_1"}]}"#;
        assert!(!concerns(&sessions, elsewhere));
        assert!(!concerns(&sessions, r#"{"type":"actions","actions":[]}"#));
        assert!(concerns(&SessionFeed::for_sessions(["unknown"]), r#"{"type":"actions","actions":[]}"#));
        let user = SessionFeed::for_user("ps_1");
        assert!(concerns(&user, elsewhere));
        assert!(!concerns(&user, r#"{"type":"actions","session_id":"ps_1","user_id":"u_2","actions":[]}"#));
    }

    #[test]
    fn a_feed_keeps_its_sessions_and_its_user() {
        let event = |line: &str| Event::from_value(&serde_json::from_str(line).unwrap()).unwrap();
        let mut feed = SessionFeed::for_sessions([" s1 "]);
        feed.add(event(r#"{"type":"actions","session_id":"s1","forwarded_at":1,"actions":[{"description":"a"}]}"#));
        feed.add(event(r#"{"type":"actions","session_id":"s2","forwarded_at":1,"actions":[{"description":"b"}]}"#));
        feed.add(event(r#"{"type":"summary","session_id":" s1 ","summary":"S"}"#));
        assert!(feed.store.knows("s1") && feed.store.knows(" s1 ") && !feed.store.knows("s2"));
        let mut user = SessionFeed::for_user("u");
        user.add(event(r#"{"type":"actions","session_id":"s1","user_id":" u ","forwarded_at":5,"actions":[{}]}"#));
        user.add(event(r#"{"type":"actions","session_id":"s2","user_id":"v","forwarded_at":6}"#));
        let mut index = UserSessionIndex::new(300.0, 20).unwrap();
        user.index(&mut index, 0.0);
        assert_eq!(index.recent_sessions("u", 5.0).len(), 1);
    }
}
