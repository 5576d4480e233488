//! The sessions' actions as the report draws them: one mark per action (and per chat, chip
//! or tour event), gathered while the recording is read.

use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::event::line::{self, LineScratch, LineView};
use crate::triggers::detectors::Raw;
use crate::triggers::engine::{EventType, LineOutcome, SimEvent, parse_line};

/// An action's time is its `timestamp_start` (when set) if that lies at most this long before the
/// line's time (a batch is forwarded soon after it happened); otherwise the line's time.
const MAX_ACTION_LEAD_S: f64 = 3600.0;

/// What the report keeps of a line beyond the simulator's reading of it: whether the user id
/// is the empty string (the simulator keeps only a non-empty one, which the lane shows), and
/// the `type` of each action (the first apart: most batches hold one action, and need no list).
#[derive(Debug, Default)]
pub(crate) struct LineMarks {
    empty_user: bool,
    first_type: Option<Arc<str>>,
    more_types: Vec<Arc<str>>,
}

/// Reads [`LineMarks`] from lines already read (a recording repeats a few type names a
/// million times; each is allocated once per reader).
#[derive(Debug, Default)]
pub(crate) struct LineMarksReader {
    names: FxHashMap<Box<str>, Arc<str>>,
}

impl LineMarksReader {
    pub(crate) fn new() -> Self {
        LineMarksReader::default()
    }

    /// The user id and action types of a line as [`crate::event::line`] read it.
    pub(crate) fn of_view(&mut self, view: &LineView<'_, '_>) -> LineMarks {
        let empty_user = view.user_id.and_then(line::string_of).is_some_and(|u| u.is_empty());
        let names = &mut self.names;
        let mut types = view.action_items().iter().map(|a| {
            let name = a.action_type.and_then(line::string_of);
            let name = name.as_deref().unwrap_or("action");
            match names.get(name) {
                Some(n) => n.clone(),
                None => names.entry(Box::from(name)).or_insert_with(|| Arc::from(name)).clone(),
            }
        });
        let first_type = types.next();
        LineMarks { empty_user, first_type, more_types: types.collect() }
    }
}

impl LineMarks {
    /// The `type` of the line's `i`-th action.
    fn type_of(&self, i: usize) -> Option<&Arc<str>> {
        match i {
            0 => self.first_type.as_ref(),
            _ => self.more_types.get(i - 1),
        }
    }

    /// Reads one line on its own (nothing when it cannot be read).
    pub(crate) fn read(text: &str) -> LineMarks {
        let mut scratch = LineScratch::new();
        match line::read(text, &mut scratch) {
            Ok(view) => LineMarksReader::new().of_view(&view),
            Err(_) => LineMarks::default(),
        }
    }
}

/// One mark on a lane.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Mark {
    pub(super) t: f64,
    /// Index into [`Marks::types`].
    pub(super) kind: u32,
    /// Index into [`Marks::urls`].
    pub(super) url: u32,
}

/// One session's marks.
#[derive(Debug, Default)]
pub(super) struct SessionMarks {
    pub(super) user: Option<Box<str>>,
    pub(super) marks: Vec<Mark>,
    /// Times of `tour_ended` events (a tour ends without a record).
    pub(super) tour_ends: Vec<f64>,
}

/// The marks of every session, keyed as the simulator keys sessions (product id, session id).
#[derive(Debug, Default)]
pub(crate) struct Marks {
    index: FxHashMap<Box<str>, FxHashMap<Box<str>, u32>>,
    pub(super) sessions: Vec<SessionMarks>,
    urls: Interner,
    types: Interner,
    /// How many marks are actions (the rest are chat, chip and tour events).
    pub(super) actions: u64,
}

impl Marks {
    pub(crate) fn new() -> Self {
        Marks::default()
    }

    /// The marks of a recording held in memory, read as
    /// [`crate::triggers::simulate_recording`] reads it (unreadable lines skipped).
    pub(crate) fn of_text(recording_jsonl: &str) -> Marks {
        let mut marks = Marks::new();
        for (i, line) in recording_jsonl.lines().enumerate() {
            if let Ok(LineOutcome::Event(ev)) = parse_line(i + 1, line) {
                marks.push(&ev, LineMarks::read(line));
            }
        }
        marks
    }

    /// Adds the marks of one event (in file order), `line` being what [`LineMarks`] read of
    /// the same line.
    /// Returns the session's index (its place among the sessions in order of first event).
    pub(crate) fn push(&mut self, ev: &SimEvent, line: LineMarks) -> usize {
        let s = self.session(&ev.product_id, &ev.session_id);
        if ev.event_type == EventType::Summary {
            return s;
        }
        if self.sessions[s].user.is_none() {
            // The line's user id as a string: the simulator's (non-empty), or the empty one.
            self.sessions[s].user = match &ev.user_id {
                Some(user) => Some(Box::from(&**user)),
                None if line.empty_user => Some(Box::from("")),
                None => None,
            };
        }
        if ev.event_type == EventType::Actions {
            for (i, a) in ev.actions.iter().enumerate() {
                let url = match &a.canonical_url {
                    Raw::Ok(u) => self.urls.shared(u),
                    Raw::Bad(_) => self.urls.text(""),
                };
                let t = match a.timestamp_start {
                    Raw::Ok(start) if start > 0.0 && start <= ev.t && start >= ev.t - MAX_ACTION_LEAD_S => start,
                    _ => ev.t,
                };
                let kind = match line.type_of(i) {
                    Some(name) => self.types.shared(name),
                    None => self.types.text("action"),
                };
                self.sessions[s].marks.push(Mark { t, kind, url });
                self.actions += 1;
            }
            return s;
        }
        if ev.event_type == EventType::TourEnded {
            self.sessions[s].tour_ends.push(ev.t);
        }
        // Other events sit on the page the session was on.
        let url = match self.sessions[s].marks.last() {
            Some(m) => m.url,
            None => self.urls.text(""),
        };
        let kind = self.types.text(ev.event_type.name());
        self.sessions[s].marks.push(Mark { t: ev.t, kind, url });
        s
    }

    /// The index [`Marks::push`] gave the session (product id, session id), if it has one.
    pub(crate) fn index_of(&self, product_id: &str, session_id: &str) -> Option<usize> {
        self.index.get(product_id)?.get(session_id).map(|s| *s as usize)
    }

    /// The session's index in [`Marks::sessions`], added when new.
    fn session(&mut self, product_id: &str, session_id: &str) -> usize {
        let by_session = match self.index.get_mut(product_id) {
            Some(m) => m,
            None => self.index.entry(Box::from(product_id)).or_default(),
        };
        match by_session.get(session_id) {
            Some(s) => *s as usize,
            None => {
                let s = self.sessions.len();
                by_session.insert(Box::from(session_id), s as u32);
                self.sessions.push(SessionMarks::default());
                s
            }
        }
    }

    /// The marks of the simulator's session (product id, session id), if it had any.
    pub(super) fn of(&self, product_id: &str, session_id: &str) -> Option<&SessionMarks> {
        let s = *self.index.get(product_id)?.get(session_id)?;
        self.sessions.get(s as usize)
    }

    /// The marks' URLs (a mark's `url` indexes them).
    pub(super) fn urls(&self) -> &[Arc<str>] {
        &self.urls.list
    }

    /// The marks' types (a mark's `kind` indexes them).
    pub(super) fn types(&self) -> &[Arc<str>] {
        &self.types.list
    }
}

/// Distinct allocations looked up by address, at most (beyond, texts are looked up by text).
const MAX_BY_ADDRESS: usize = 1 << 16;

/// A table of texts, each with its index. The reader shares each repeated URL (and type
/// name) as one allocation, so a text is mostly found by its address, without hashing or
/// comparing it.
#[derive(Debug, Default)]
struct Interner {
    list: Vec<Arc<str>>,
    index: FxHashMap<Arc<str>, u32>,
    /// Address → (the text, its index). Holding the text keeps its address from being
    /// reused for another text.
    by_address: FxHashMap<usize, (Arc<str>, u32)>,
}

impl Interner {
    /// The index of a shared text.
    fn shared(&mut self, text: &Arc<str>) -> u32 {
        let address = Arc::as_ptr(text).cast::<u8>() as usize;
        if let Some((_, i)) = self.by_address.get(&address) {
            return *i;
        }
        let i = match self.index.get(text) {
            Some(i) => *i,
            None => self.add(text.clone()),
        };
        if self.by_address.len() < MAX_BY_ADDRESS {
            self.by_address.insert(address, (text.clone(), i));
        }
        i
    }

    /// The index of a text.
    fn text(&mut self, text: &str) -> u32 {
        match self.index.get(text) {
            Some(i) => *i,
            None => self.add(Arc::from(text)),
        }
    }

    fn add(&mut self, text: Arc<str>) -> u32 {
        let i = self.list.len() as u32;
        self.list.push(text.clone());
        self.index.insert(text, i);
        i
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn push(marks: &mut Marks, text: &str) {
        let LineOutcome::Event(ev) = parse_line(1, text).unwrap() else { panic!("not an event") };
        marks.push(&ev, LineMarks::read(text));
    }

    #[test]
    fn actions_get_their_type_url_and_start_time_and_other_events_sit_on_the_last_page() {
        let mut marks = Marks::new();
        push(
            &mut marks,
            r#"{"type": "actions", "product_id": "p", "session_id": "s", "user_id": "u1", "forwarded_at": 10000,
               "actions": [{"type": "pageview", "canonical_url": "/a", "timestamp_start": 9999.5},
                           {"type": "click", "canonical_url": "/b", "timestamp_start": 5}]}"#,
        );
        push(&mut marks, r#"{"type": "chat_opened", "product_id": "p", "session_id": "s", "ts": 10020}"#);
        let s = marks.of("p", "s").unwrap();
        assert_eq!(s.user.as_deref(), Some("u1"));
        let got: Vec<(f64, &str, &str)> =
            s.marks.iter().map(|m| (m.t, &*marks.types()[m.kind as usize], &*marks.urls()[m.url as usize])).collect();
        // The click's start is far before the batch was forwarded: it is placed at the batch.
        assert_eq!(got, vec![(9999.5, "pageview", "/a"), (10000.0, "click", "/b"), (10020.0, "chat_opened", "/b")]);
        assert_eq!(marks.actions, 2);
        assert!(marks.of("p", "other").is_none());
    }

    #[test]
    fn the_user_is_the_first_line_s_string_user_id_even_an_empty_one() {
        let mut marks = Marks::new();
        push(&mut marks, r#"{"type": "chat_opened", "product_id": "p", "session_id": "a", "user_id": 7, "ts": 1}"#);
        push(&mut marks, r#"{"type": "chat_opened", "product_id": "p", "session_id": "a", "user_id": "", "ts": 2}"#);
        push(&mut marks, r#"{"type": "chat_opened", "product_id": "p", "session_id": "a", "user_id": "u", "ts": 3}"#);
        push(
            &mut marks,
            r#"{"type": "chat_opened", "product_id": "p", "session_id": "b", "user_id": "\u0075", "ts": 4}"#,
        );
        assert_eq!(marks.of("p", "a").unwrap().user.as_deref(), Some(""));
        assert_eq!(marks.of("p", "b").unwrap().user.as_deref(), Some("u"));
    }
}
