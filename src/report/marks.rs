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

/// What the report keeps of a line beyond the simulator's reading of it: the user id and the
/// `type` of each action.
#[derive(Debug, Default)]
pub(crate) struct LineMarks {
    user: Option<Box<str>>,
    types: Vec<Arc<str>>,
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
        let user = view.user_id.and_then(line::string_of).map(|u| Box::from(&*u));
        let names = &mut self.names;
        let types = view
            .action_items()
            .iter()
            .map(|a| {
                let name = a.action_type.and_then(line::string_of);
                let name = name.as_deref().unwrap_or("action");
                match names.get(name) {
                    Some(n) => n.clone(),
                    None => names.entry(Box::from(name)).or_insert_with(|| Arc::from(name)).clone(),
                }
            })
            .collect();
        LineMarks { user, types }
    }
}

impl LineMarks {
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
    pub(super) urls: Vec<Arc<str>>,
    url_index: FxHashMap<Arc<str>, u32>,
    pub(super) types: Vec<Arc<str>>,
    type_index: FxHashMap<Arc<str>, u32>,
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
    pub(crate) fn push(&mut self, ev: &SimEvent, line: LineMarks) {
        if ev.event_type == EventType::Summary {
            return;
        }
        let s = self.session(&ev.product_id, &ev.session_id);
        if self.sessions[s].user.is_none() {
            self.sessions[s].user = line.user;
        }
        if ev.event_type == EventType::Actions {
            for (i, a) in ev.actions.iter().enumerate() {
                let url = match &a.canonical_url {
                    Raw::Ok(u) => self.url(u),
                    Raw::Bad(_) => self.url(&Arc::from("")),
                };
                let t = match a.timestamp_start {
                    Raw::Ok(start) if start > 0.0 && start <= ev.t && start >= ev.t - MAX_ACTION_LEAD_S => start,
                    _ => ev.t,
                };
                let kind = match line.types.get(i) {
                    Some(name) => self.kind(name),
                    None => self.kind(&Arc::from("action")),
                };
                self.sessions[s].marks.push(Mark { t, kind, url });
                self.actions += 1;
            }
            return;
        }
        if ev.event_type == EventType::TourEnded {
            self.sessions[s].tour_ends.push(ev.t);
        }
        // Other events sit on the page the session was on.
        let url = match self.sessions[s].marks.last() {
            Some(m) => m.url,
            None => self.url(&Arc::from("")),
        };
        let kind = self.kind(&Arc::from(ev.event_type.name()));
        self.sessions[s].marks.push(Mark { t: ev.t, kind, url });
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

    fn url(&mut self, url: &Arc<str>) -> u32 {
        intern(&mut self.urls, &mut self.url_index, url)
    }

    fn kind(&mut self, name: &Arc<str>) -> u32 {
        intern(&mut self.types, &mut self.type_index, name)
    }
}

fn intern(list: &mut Vec<Arc<str>>, index: &mut FxHashMap<Arc<str>, u32>, text: &Arc<str>) -> u32 {
    if let Some(i) = index.get(text) {
        return *i;
    }
    let i = list.len() as u32;
    list.push(text.clone());
    index.insert(text.clone(), i);
    i
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
            s.marks.iter().map(|m| (m.t, &*marks.types[m.kind as usize], &*marks.urls[m.url as usize])).collect();
        // The click's start is far before the batch was forwarded: it is placed at the batch.
        assert_eq!(got, vec![(9999.5, "pageview", "/a"), (10000.0, "click", "/b"), (10020.0, "chat_opened", "/b")]);
        assert_eq!(marks.actions, 2);
        assert!(marks.of("p", "other").is_none());
    }
}
