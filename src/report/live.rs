//! The report of a live run (`triggers watch --report`): what the run decided, gathered as
//! it goes and drawn at exit by the same [`build_from_lines`] as a simulation's report.
//!
//! The run hands over each event its engine takes (with what [`LineMarks`] read of its line),
//! each record as the JSON line `--format json` prints, and each ended session's summary from
//! the engine itself. A stream has no end, so the report holds at most [`Limits`] of each;
//! what did not fit is counted and named in the page's header.

use std::sync::Arc;

use super::marks::{LineMarks, Marks};
use super::model::{Header, Report, SessionLines, build_from_lines};
use crate::shell::output;
use crate::triggers::engine::{EventType, Record, SessionSummary, SimEvent};

/// The most a live report holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Limits {
    /// Sessions (lanes); the sessions first seen later are left out.
    pub(crate) sessions: usize,
    /// Marks (actions and other events) over every session.
    pub(crate) marks: u64,
    /// Bytes of record text over every session.
    pub(crate) record_bytes: usize,
}

impl Default for Limits {
    /// A few times the 20,000-session, 1,000,000-action recording the report is measured on:
    /// a page a browser still opens quickly, and a few hundred MB of memory at most.
    fn default() -> Self {
        Limits { sessions: 100_000, marks: 5_000_000, record_bytes: 512 << 20 }
    }
}

/// One session of the report: its records' lines, and its summary once it ended.
#[derive(Debug, Default)]
struct Lane {
    /// The session index of its first run in the engine (the page's order).
    first_index: Option<usize>,
    summary: Option<SessionSummary>,
    text: String,
    lines: Vec<(f64, u32)>,
    /// The first and last time of its events (for a session that never ended).
    span: Option<(f64, f64)>,
    ids: Option<(Arc<str>, Arc<str>)>,
}

/// What did not fit in the report.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct LeftOut {
    sessions: u64,
    /// Whether more sessions than counted were left out.
    at_least: bool,
    marks: u64,
    records: u64,
}

/// A live run's report as it grows.
#[derive(Debug)]
pub(crate) struct LiveReport {
    limits: Limits,
    marks: Marks,
    /// By [`Marks::push`]'s session index.
    lanes: Vec<Lane>,
    mark_count: u64,
    record_bytes: usize,
    left_out: LeftOut,
    /// Sessions already left out (so each is counted once).
    skipped: rustc_hash::FxHashSet<(Box<str>, Box<str>)>,
}

impl LiveReport {
    pub(crate) fn new(limits: Limits) -> Self {
        LiveReport {
            limits,
            marks: Marks::new(),
            lanes: Vec::new(),
            mark_count: 0,
            record_bytes: 0,
            left_out: LeftOut::default(),
            skipped: Default::default(),
        }
    }

    /// An event the engine took (its time as the engine takes it), and what
    /// [`LineMarks`] read of its line.
    pub(crate) fn event(&mut self, ev: &SimEvent<'_>, line: LineMarks) {
        let known = self.marks.index_of(&ev.product_id, &ev.session_id);
        if known.is_none() && self.lanes.len() >= self.limits.sessions {
            let key = (Box::from(&*ev.product_id), Box::from(&*ev.session_id));
            if self.skipped.len() < self.limits.sessions {
                if self.skipped.insert(key) {
                    self.left_out.sessions += 1;
                }
            } else if !self.skipped.contains(&key) {
                // Past as many again, each new id is no longer remembered: the count is a floor.
                self.left_out.at_least = true;
            }
            return;
        }
        let adds = match ev.event_type {
            EventType::Summary => 0,
            EventType::Actions => ev.actions.len() as u64,
            _ => 1,
        };
        let s = if known.is_none() || self.mark_count + adds <= self.limits.marks {
            self.mark_count += adds;
            self.marks.push(ev, line)
        } else {
            self.left_out.marks += adds;
            match known {
                Some(s) => s,
                None => return,
            }
        };
        if s >= self.lanes.len() {
            self.lanes.resize_with(s + 1, Lane::default);
        }
        let lane = &mut self.lanes[s];
        if lane.ids.is_none() {
            lane.ids = Some((Arc::from(&*ev.product_id), Arc::from(&*ev.session_id)));
        }
        lane.span = Some(match lane.span {
            Some((first, last)) => (first.min(ev.t), last.max(ev.t)),
            None => (ev.t, ev.t),
        });
    }

    /// A record, with its line as `--format json` prints it.
    pub(crate) fn record(&mut self, r: &Record, json: &str) {
        let Some(lane) = self.lane_of(&r.product_id, &r.session_id) else { return };
        if self.record_bytes + json.len() + 1 > self.limits.record_bytes {
            self.left_out.records += 1;
            return;
        }
        self.record_bytes += json.len() + 1;
        let lane = &mut self.lanes[lane];
        lane.first_index.get_or_insert(r.session_index);
        lane.text.push_str(json);
        lane.text.push('\n');
        lane.lines.push((r.ts, lane.text.len() as u32));
    }

    /// A session the engine ended (a session that comes back later is the same lane).
    pub(crate) fn ended(&mut self, session_index: usize, summary: SessionSummary) {
        let Some(lane) = self.lane_of(&summary.product_id, &summary.session_id) else { return };
        let lane = &mut self.lanes[lane];
        lane.first_index = Some(lane.first_index.map_or(session_index, |i| i.min(session_index)));
        lane.summary = Some(match lane.summary.take() {
            None => summary,
            Some(before) => SessionSummary {
                first_ts: before.first_ts.min(summary.first_ts),
                last_ts: before.last_ts.max(summary.last_ts),
                fires: before.fires + summary.fires,
                ..before
            },
        });
    }

    fn lane_of(&self, product_id: &str, session_id: &str) -> Option<usize> {
        self.marks.index_of(product_id, session_id).filter(|s| *s < self.lanes.len())
    }

    /// The report: the lanes in order of the sessions' first run, `header` with a note of
    /// what did not fit.
    pub(crate) fn finish(self, mut header: Header) -> Report {
        let LeftOut { sessions, at_least, marks, records } = self.left_out;
        if sessions > 0 {
            header.notes.push(format!(
                "the report holds the first {} of the run; {}{sessions} more {} left out",
                output::count(self.limits.sessions as u64, "session", "sessions"),
                if at_least { "at least " } else { "" },
                if sessions == 1 && !at_least { "was" } else { "were" }
            ));
        }
        if marks > 0 {
            header.notes.push(format!(
                "{} left out past {} in all",
                output::count(marks, "action", "actions"),
                output::count(self.limits.marks, "mark", "marks")
            ));
        }
        if records > 0 {
            header.notes.push(format!(
                "{} left out past {} MB of records",
                output::count(records, "record", "records"),
                self.limits.record_bytes >> 20
            ));
        }
        let mut lanes: Vec<Lane> = self.lanes.into_iter().filter(|l| l.ids.is_some()).collect();
        lanes.sort_by_key(|l| l.first_index.unwrap_or(usize::MAX));
        let summaries: Vec<SessionSummary> = lanes.iter_mut().map(Lane::summary).collect();
        let lines: Vec<SessionLines> = lanes.iter().map(|l| SessionLines { text: &l.text, lines: &l.lines }).collect();
        build_from_lines(header, &summaries, &lines, &self.marks)
    }
}

impl Lane {
    /// The engine's summary, or (a session dropped because it failed) one from its events.
    fn summary(&mut self) -> SessionSummary {
        if let Some(summary) = self.summary.take() {
            return summary;
        }
        let (product_id, session_id) = self.ids.clone().unwrap_or_else(|| (Arc::from(""), Arc::from("")));
        let (first_ts, last_ts) = self.span.unwrap_or((0.0, 0.0));
        SessionSummary {
            product_key: product_id.trim().to_string(),
            product_id,
            session_id,
            user_id: None,
            first_ts,
            last_ts,
            fires: 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::build;
    use crate::triggers::engine::{LineOutcome, SimOptions, parse_line, simulate};
    use crate::triggers::live::{Clock, Live, LiveOptions};

    /// Two rows: a product with neither id has no row (one row alone would take every product).
    const CONFIG: &str = r#"[{"product_id": "p", "integration_config": {"proactive_triggers": {
        "builtins": [{"id": "canonical_url_ping_pong", "name": "Ping-pong", "description": "d",
                      "triggering_type": "instant_trigger"}]}}}, {"product_id": "q"}]"#;

    /// Three sessions bouncing between two pages, and one line of a product with no row.
    fn lines() -> Vec<String> {
        let mut out = Vec::new();
        for (i, s) in ["a", "b", "c"].iter().enumerate() {
            for (j, url) in ["/x", "/y", "/x", "/y"].iter().enumerate() {
                let t = 1_700_000_000.0 + (i * 41 + j * 5) as f64;
                out.push(format!(
                    r#"{{"type": "actions", "product_id": "p", "session_id": "{s}", "user_id": "u{i}", "forwarded_at": {t}, "actions": [{{"type": "pageview", "canonical_url": "{url}", "timestamp_start": {t}}}]}}"#
                ));
            }
        }
        out.push(r#"{"type": "actions", "product_id": "other", "session_id": "z", "forwarded_at": 1700000001, "actions": [{"canonical_url": "/q"}]}"#.into());
        out
    }

    fn leak<T>(v: T) -> &'static T {
        Box::leak(Box::new(v))
    }

    /// The lines through a live engine on the event clock, as `triggers watch` hands them to
    /// the report.
    fn watched(lines: &[String], limits: Limits) -> Report {
        watched_with_linger(lines, limits, 1e9)
    }

    fn watched_with_linger(lines: &[String], limits: Limits, linger: f64) -> Report {
        let config = leak(crate::triggers::config::parse_products_str(CONFIG).unwrap());
        let opts = leak(SimOptions::default());
        let mut live = Live::new(config, opts, LiveOptions { clock: Clock::Event, max_sessions: 100, linger }).unwrap();
        live.keep_ended();
        let mut report = LiveReport::new(limits);
        let take = |live: &mut Live, report: &mut LiveReport| {
            for r in live.take_records() {
                report.record(&r, &r.to_json());
            }
            for (i, summary) in live.take_ended() {
                report.ended(i, summary);
            }
        };
        for (i, line) in lines.iter().enumerate() {
            let Ok(LineOutcome::Event(ev)) = parse_line(i + 1, line) else { panic!("an event") };
            if live.routes(&ev.product_id) {
                report.event(&ev, LineMarks::read(line));
            }
            live.push(ev, 0.0);
            take(&mut live, &mut report);
        }
        live.flush();
        take(&mut live, &mut report);
        report.finish(Header::of_test())
    }

    #[test]
    fn a_live_run_read_to_its_end_gives_the_report_of_the_simulation() {
        let lines = lines();
        let config = crate::triggers::config::parse_products_str(CONFIG).unwrap();
        let events: Vec<_> = lines
            .iter()
            .enumerate()
            .filter_map(|(i, l)| match parse_line(i + 1, l) {
                Ok(LineOutcome::Event(e)) => Some(e),
                _ => None,
            })
            .collect();
        let out = simulate(&config, events, &SimOptions::default()).unwrap();
        assert!(out.records.iter().any(|r| r.kind.name() == "fire"));
        let mut marks = Marks::new();
        for (i, line) in lines.iter().enumerate() {
            if let Ok(LineOutcome::Event(ev)) = parse_line(i + 1, line)
                && ev.product_id == "p"
            {
                marks.push(&ev, LineMarks::read(line));
            }
        }
        let expected = serde_json::to_value(build(Header::of_test(), &out, &marks)).unwrap();
        let got = serde_json::to_value(watched(&lines, Limits::default())).unwrap();
        assert_eq!(got, expected);
        assert_eq!(got["sessions"].as_array().unwrap().len(), 3);
    }

    #[test]
    fn a_session_that_comes_back_after_it_ended_stays_one_lane() {
        let mut lines = lines();
        // Session `a` again, long after its horizon: the engine starts it afresh.
        let later = r#"{"type": "actions", "product_id": "p", "session_id": "a", "forwarded_at": 1700005000, "actions": [{"type": "click", "canonical_url": "/z"}]}"#;
        lines.push(later.to_string());
        let got = serde_json::to_value(watched_with_linger(&lines, Limits::default(), 0.0)).unwrap();
        let sessions = got["sessions"].as_array().unwrap();
        let lanes: Vec<&str> = sessions.iter().map(|s| s["s"].as_str().unwrap()).collect();
        assert_eq!(lanes, ["a", "b", "c"]);
        let a = &sessions[0];
        // Its five actions, and a lane from its first event to past its second run's end.
        assert_eq!(a["a"].as_array().unwrap().len() / 3, 5);
        assert!(a["d"].as_i64().unwrap() >= 5_000_000, "{a}");
        // Both runs' records: two `session_end` among them (a body's first member is its kind).
        let values = got["values"].as_array().unwrap();
        let session_end = values.iter().position(|v| v == "session_end").unwrap();
        let kind_of = |c: &[serde_json::Value]| values[c[1].as_u64().unwrap() as usize]["v"][0].as_u64();
        let ends = a["r"].as_array().unwrap().chunks(2).filter(|c| kind_of(c) == Some(session_end as u64)).count();
        assert_eq!(ends, 2, "{a}");
    }

    #[test]
    fn past_its_limits_the_report_keeps_the_first_sessions_and_says_what_it_left_out() {
        let report = watched(&lines(), Limits { sessions: 2, marks: 5, record_bytes: 1 << 20 });
        let got = serde_json::to_value(report).unwrap();
        let lanes: Vec<&str> = got["sessions"].as_array().unwrap().iter().map(|s| s["s"].as_str().unwrap()).collect();
        assert_eq!(lanes, ["a", "b"]);
        // Four marks of `a`, then the first of `b` (a new lane always gets its first event).
        let marks: Vec<usize> =
            got["sessions"].as_array().unwrap().iter().map(|s| s["a"].as_array().unwrap().len() / 3).collect();
        assert_eq!(marks, [4, 1]);
        let notes: Vec<&str> = got["header"]["notes"].as_array().unwrap().iter().map(|n| n.as_str().unwrap()).collect();
        assert_eq!(
            notes,
            [
                "the report holds the first 2 sessions of the run; 1 more was left out",
                "3 actions left out past 5 marks in all"
            ]
        );

        let report = watched(&lines(), Limits { sessions: 10, marks: 100, record_bytes: 200 });
        let got = serde_json::to_value(report).unwrap();
        let notes = got["header"]["notes"].as_array().unwrap();
        assert_eq!(notes.len(), 1);
        assert!(notes[0].as_str().unwrap().ends_with("left out past 0 MB of records"), "{notes:?}");
    }
}
