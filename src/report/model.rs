//! The report's data: built from a run's records and the sessions' marks, serialised into
//! the page as one JSON document (times as integer milliseconds from the session's start,
//! texts interned in tables, so a million actions stay a few bytes each).

use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;
use serde_json::Value;
use serde_json::value::RawValue;

use super::marks::{Marks, SessionMarks};
use crate::triggers::detectors::SdkFamily;
use crate::triggers::engine::{JudgePolicy, Profile, Record, RecordKind, SessionSummary, SimOptions, SimOutput};
use crate::triggers::state::AgentState;

/// The state phases a lane shows, by index in the page's data.
const PHASES: [&str; 5] = ["thinking", "proactive", "cooldown", "reactive", "tour"];
const THINKING: i64 = 0;
const PROACTIVE: i64 = 1;
const COOLDOWN: i64 = 2;
const REACTIVE: i64 = 3;
const TOUR: i64 = 4;

/// At most this many bars in the time-to-first-fire histogram.
const MAX_HISTOGRAM_BINS: usize = 30;
/// At most this many bars in the fires-over-time chart (longer recordings use wider bars).
const MAX_TIME_BINS: usize = 2000;

/// What the report's header names: the inputs and options of the run.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Header {
    /// The command that made the report (`triggers simulate`, `demo`).
    pub(crate) command: String,
    pub(crate) config: String,
    pub(crate) recording: String,
    /// The options, as `--name value` pairs.
    pub(crate) options: Vec<(String, String)>,
    /// Whose decisions the run follows (`autoplay-sdk 0.7.3`).
    pub(crate) sdk: String,
}

impl Header {
    /// The header of a run of `command` on these files with these options.
    pub(crate) fn of_run(command: &str, config: &Path, recording: &Path, opts: &SimOptions) -> Header {
        let num = |v: f64| crate::py::float_repr(v);
        let mut options = vec![
            ("--tick".to_string(), num(opts.tick)),
            ("--horizon".into(), num(opts.horizon)),
            (
                "--judge".into(),
                match opts.judge {
                    JudgePolicy::Approve => "approve",
                    JudgePolicy::Reject => "reject",
                    JudgePolicy::InstantOnly => "instant-only",
                }
                .into(),
            ),
            (
                "--profile".into(),
                match opts.profile {
                    Profile::Sdk => "sdk",
                    Profile::Connector => "connector",
                }
                .into(),
            ),
            ("--lookback".into(), num(opts.lookback)),
            ("--max-actions".into(), opts.max_actions.to_string()),
        ];
        if let Some(p) = &opts.product {
            options.insert(0, ("--product".into(), p.clone()));
        }
        if opts.explain {
            options.push(("--explain".into(), String::new()));
        }
        let sdk = match opts.sdk {
            SdkFamily::V07 => "autoplay-sdk 0.7.3",
            SdkFamily::V013 => "autoplay-sdk 0.13.0",
        };
        Header {
            command: command.to_string(),
            config: config.display().to_string(),
            recording: recording.display().to_string(),
            options,
            sdk: format!("{sdk} (--sdk {})", if opts.sdk == SdkFamily::V07 { "0.7" } else { "0.13" }),
        }
    }
}

/// One combination of a tuning run: its parameter values, its fire counts per trigger and
/// any further numeric columns (the page sorts by any of them).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(not(test), allow(dead_code))] // filled by `triggers tune` once it writes reports
pub(crate) struct TuneRow {
    pub(crate) params: Vec<(String, String)>,
    pub(crate) fires: Vec<(String, u64)>,
    pub(crate) columns: Vec<(String, f64)>,
}

/// The whole report.
#[derive(Debug, Serialize)]
pub(crate) struct Report {
    header: Header,
    totals: Totals,
    products: Vec<ProductStats>,
    phases: [&'static str; 5],
    urls: Vec<String>,
    types: Vec<String>,
    /// The record bodies (each record's JSON without `ts` and the ids) as a tree of shared
    /// values: an entry is a plain JSON value, `{"o": keys, "v": [entry, …]}` for an object
    /// (its key list in `keys`) or `{"l": [entry, …]}` for a list. Fires that differ in one
    /// metadata number share everything else.
    values: Vec<Box<RawValue>>,
    keys: Vec<Vec<String>>,
    sessions: Vec<SessionRow>,
    /// The combinations of a tuning run, best first by the page's chosen column.
    pub(crate) tune: Option<Vec<TuneRow>>,
}

#[derive(Debug, Default, Serialize, PartialEq)]
struct Totals {
    sessions: u64,
    actions: u64,
    records: u64,
    fires: u64,
    timeouts: u64,
    never_fired: u64,
}

/// The charts of one product.
#[derive(Debug, Default, Serialize, PartialEq)]
struct ProductStats {
    id: String,
    sessions: u64,
    fired: u64,
    never_fired: u64,
    timeouts: u64,
    /// Fires per trigger, most first.
    fires: Vec<(String, u64)>,
    /// Time from a session's start to its first fire: bar width and counts.
    first_fire: Bins,
    /// Fires over the recording: bar width and counts from `start` on.
    over_time: Bins,
}

#[derive(Debug, Default, Serialize, PartialEq)]
struct Bins {
    start: f64,
    width_s: f64,
    counts: Vec<u64>,
}

/// One lane. Flat integer lists keep the page small.
#[derive(Debug, Serialize)]
struct SessionRow {
    /// Product index in `products`.
    p: usize,
    s: String,
    u: Option<String>,
    /// First time (unix seconds).
    t0: f64,
    /// Length in milliseconds.
    d: i64,
    f: u64,
    /// Marks: (ms from t0, type index, URL index) …
    a: Vec<i64>,
    /// Records: (ms from t0, body's index in `values`) …, in the run's order.
    r: Vec<i64>,
    /// Phases: (start ms, end ms, phase index) …
    b: Vec<i64>,
}

/// Builds the report of a run: `out` as the simulator returned it, `marks` as collected
/// while its recording was read.
pub(crate) fn build(header: Header, out: &SimOutput, marks: &Marks) -> Report {
    let mut by_session: Vec<Vec<&Record>> = vec![Vec::new(); out.sessions.len()];
    for r in &out.records {
        if let Some(v) = by_session.get_mut(r.session_index) {
            v.push(r);
        }
    }
    // Per session, in parallel: the lane's numbers and each record's body text.
    let empty = SessionMarks::default();
    let lanes: Vec<(SessionRow, Bodies)> = out
        .sessions
        .par_iter()
        .zip(by_session.par_iter())
        .map(|(summary, records)| {
            let m = marks.of(&summary.product_id, &summary.session_id).unwrap_or(&empty);
            lane(summary, records, m)
        })
        .collect();
    let mut values = ValueTable::default();
    let mut products: Vec<ProductStats> = Vec::new();
    let mut product_index: FxHashMap<&str, usize> = FxHashMap::default();
    let mut first_fires: Vec<Vec<f64>> = Vec::new();
    let mut fire_times: Vec<Vec<f64>> = Vec::new();
    let mut fires_by_trigger: Vec<BTreeMap<&str, u64>> = Vec::new();
    let mut totals = Totals::default();
    let mut sessions = Vec::with_capacity(out.sessions.len());
    for ((summary, records), (mut row, bodies)) in out.sessions.iter().zip(&by_session).zip(lanes) {
        let p = *product_index.entry(&summary.product_id).or_insert_with(|| {
            products.push(ProductStats { id: summary.product_id.to_string(), ..ProductStats::default() });
            first_fires.push(Vec::new());
            fire_times.push(Vec::new());
            fires_by_trigger.push(BTreeMap::new());
            products.len() - 1
        });
        row.p = p;
        for (k, &(start, end)) in bodies.ends.iter().enumerate() {
            row.r[2 * k + 1] = values.body(&bodies.text[start..end]) as i64;
        }
        let stats = &mut products[p];
        stats.sessions += 1;
        for rec in records {
            match &rec.kind {
                RecordKind::Fire(fire) => {
                    fire_times[p].push(rec.ts);
                    *fires_by_trigger[p].entry(fire.trigger_id).or_default() += 1;
                }
                RecordKind::Timeout { .. } => stats.timeouts += 1,
                _ => {}
            }
        }
        if let Some(first) = records.iter().find(|r| matches!(r.kind, RecordKind::Fire(_))) {
            first_fires[p].push(first.ts - summary.first_ts);
            stats.fired += 1;
        } else {
            stats.never_fired += 1;
        }
        totals.fires += row.f;
        totals.records += records.len() as u64;
        sessions.push(row);
    }
    let start = out.sessions.iter().map(|s| s.first_ts).fold(f64::INFINITY, f64::min);
    for (p, stats) in products.iter_mut().enumerate() {
        let mut fires: Vec<(String, u64)> = fires_by_trigger[p].iter().map(|(k, v)| (k.to_string(), *v)).collect();
        fires.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        stats.fires = fires;
        stats.first_fire = histogram(&first_fires[p]);
        stats.over_time = over_time(&fire_times[p], start);
        totals.timeouts += stats.timeouts;
        totals.never_fired += stats.never_fired;
    }
    totals.sessions = out.sessions.len() as u64;
    totals.actions = marks.actions;
    Report {
        header,
        totals,
        products,
        phases: PHASES,
        urls: marks.urls.iter().map(|u| u.to_string()).collect(),
        types: marks.types.iter().map(|t| t.to_string()).collect(),
        values: values.list,
        keys: values.keys,
        sessions,
        tune: None,
    }
}

impl Report {
    /// The page's data as JSON.
    pub(super) fn to_json(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_else(|_| b"null".to_vec())
    }
}

/// One session's lane, and the body of each of its records (interned afterwards, in order).
fn lane(summary: &SessionSummary, records: &[&Record], m: &SessionMarks) -> (SessionRow, Bodies) {
    let t0 = m.marks.first().map_or(summary.first_ts, |mark| mark.t.min(summary.first_ts));
    let end = records.iter().map(|r| r.ts).chain(m.marks.last().map(|mark| mark.t)).fold(summary.last_ts, f64::max);
    let ms = |t: f64| ((t - t0) * 1000.0).round() as i64;
    let mut a = Vec::with_capacity(m.marks.len() * 3);
    for mark in &m.marks {
        a.extend([ms(mark.t), i64::from(mark.kind), i64::from(mark.url)]);
    }
    let mut r = Vec::with_capacity(records.len() * 2);
    let mut bodies = Bodies::default();
    let mut json = String::with_capacity(512);
    for rec in records {
        r.extend([ms(rec.ts), 0]);
        json.clear();
        rec.write_json(&mut json);
        let start = bodies.text.len();
        bodies.text.push_str(tail_of(&json));
        bodies.ends.push((start, bodies.text.len()));
    }
    let fires = records.iter().filter(|r| matches!(r.kind, RecordKind::Fire(_))).count() as u64;
    let b = phases(records, &m.tour_ends, end).into_iter().flat_map(|(s, e, k)| [ms(s), ms(e), k]).collect();
    let row = SessionRow {
        p: 0,
        s: summary.session_id.to_string(),
        u: m.user.as_deref().map(str::to_string),
        t0,
        d: ms(end),
        f: fires,
        a,
        r,
        b,
    };
    (row, bodies)
}

/// A record's body: its JSON as `--format json` writes it, from `"kind"` on (so every field
/// of the record is kept, whatever it is), without the opening brace. Past the ids: a quote
/// inside a JSON string is always escaped, so the first `, "kind"` is the key.
fn tail_of(json: &str) -> &str {
    match json.find(", \"kind\": ") {
        Some(i) => &json[i + 2..],
        None => json.strip_prefix('{').unwrap_or(json),
    }
}

/// One session's record bodies (see [`tail_of`]) in one text.
#[derive(Default)]
struct Bodies {
    text: String,
    ends: Vec<(usize, usize)>,
}

/// The shared values of the record bodies.
#[derive(Default)]
struct ValueTable {
    /// Body text → its entry (most records repeat a body seen before).
    bodies: FxHashMap<String, usize>,
    /// Entry text → index.
    index: FxHashMap<String, usize>,
    list: Vec<Box<RawValue>>,
    key_index: FxHashMap<Vec<String>, usize>,
    keys: Vec<Vec<String>>,
}

impl ValueTable {
    /// The entry of a record body (as [`tail_of`] cuts it).
    fn body(&mut self, tail: &str) -> usize {
        if let Some(i) = self.bodies.get(tail) {
            return *i;
        }
        let value: Value = serde_json::from_str(&format!("{{{tail}")).unwrap_or(Value::Null);
        let i = self.value(&value);
        self.bodies.insert(tail.to_string(), i);
        i
    }

    fn value(&mut self, value: &Value) -> usize {
        let text = match value {
            Value::Object(map) => {
                let keys: Vec<String> = map.keys().cloned().collect();
                let k = match self.key_index.get(&keys) {
                    Some(k) => *k,
                    None => {
                        self.keys.push(keys.clone());
                        self.key_index.insert(keys, self.keys.len() - 1);
                        self.keys.len() - 1
                    }
                };
                let children: Vec<usize> = map.values().map(|v| self.value(v)).collect();
                serde_json::json!({"o": k, "v": children}).to_string()
            }
            Value::Array(items) => {
                let children: Vec<usize> = items.iter().map(|v| self.value(v)).collect();
                serde_json::json!({"l": children}).to_string()
            }
            scalar => scalar.to_string(),
        };
        if let Some(i) = self.index.get(&text) {
            return *i;
        }
        let i = self.list.len();
        self.list.push(RawValue::from_string(text.clone()).unwrap_or_else(|_| null()));
        self.index.insert(text, i);
        i
    }
}

fn null() -> Box<RawValue> {
    RawValue::from_string("null".into()).unwrap_or_default()
}

/// The state phases of a session's lane, from its records: (start, end, phase). Thinking
/// until a fire (to the fire's `state`), a reactive record or a tour start; a timeout goes
/// back to thinking and starts a cooldown, which lasts until `cooldown_cleared` (or the end).
/// A tour lasts until a `tour_ended` event or the next record that changes the state.
fn phases(records: &[&Record], tour_ends: &[f64], end: f64) -> Vec<(f64, f64, i64)> {
    let mut out = Vec::new();
    let Some(first) = records.first() else { return out };
    let mut state = (first.ts.min(end), THINKING);
    let mut cooldown: Option<f64> = None;
    let mut tour_ends = tour_ends.iter().copied().peekable();
    let switch = |out: &mut Vec<(f64, f64, i64)>, state: &mut (f64, i64), t: f64, to: i64| {
        if state.1 != to {
            if t > state.0 {
                out.push((state.0, t, state.1));
            }
            *state = (t, to);
        }
    };
    for r in records {
        if state.1 == TOUR {
            while let Some(&t) = tour_ends.peek() {
                if t > r.ts {
                    break;
                }
                tour_ends.next();
                if t >= state.0 {
                    switch(&mut out, &mut state, t, THINKING);
                }
            }
        }
        match &r.kind {
            RecordKind::Fire(fire) => {
                let to = match fire.state {
                    AgentState::Thinking => THINKING,
                    AgentState::Proactive => PROACTIVE,
                    AgentState::Reactive => REACTIVE,
                };
                switch(&mut out, &mut state, r.ts, to);
            }
            RecordKind::Timeout { .. } => {
                switch(&mut out, &mut state, r.ts, THINKING);
                cooldown.get_or_insert(r.ts);
            }
            RecordKind::CooldownCleared => {
                if let Some(start) = cooldown.take()
                    && r.ts > start
                {
                    out.push((start, r.ts, COOLDOWN));
                }
            }
            RecordKind::Reactive { .. } => switch(&mut out, &mut state, r.ts, REACTIVE),
            RecordKind::TourStarted { .. } => switch(&mut out, &mut state, r.ts, TOUR),
            _ => {}
        }
    }
    if end > state.0 {
        out.push((state.0, end, state.1));
    }
    if let Some(start) = cooldown
        && end > start
    {
        out.push((start, end, COOLDOWN));
    }
    out
}

/// Bars of a width from 1 s up to a day, the first that needs at most `max` bars for `span`.
fn bar_width(span: f64, max: usize) -> f64 {
    const WIDTHS: [f64; 14] =
        [1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 900.0, 1800.0, 3600.0, 86400.0];
    for w in WIDTHS {
        if span / w < max as f64 {
            return w;
        }
    }
    let mut w = 86400.0;
    while span / w >= max as f64 {
        w *= 2.0;
    }
    w
}

fn histogram(values: &[f64]) -> Bins {
    let max = values.iter().copied().fold(0.0, f64::max);
    let width = bar_width(max, MAX_HISTOGRAM_BINS);
    counts(values, 0.0, width)
}

/// Fires by hour of the recording (wider bars for a recording of more than `MAX_TIME_BINS`
/// hours).
fn over_time(times: &[f64], start: f64) -> Bins {
    if times.is_empty() || !start.is_finite() {
        return Bins { start: if start.is_finite() { start } else { 0.0 }, width_s: 3600.0, counts: Vec::new() };
    }
    let start = (start / 3600.0).floor() * 3600.0;
    let span = times.iter().copied().fold(start, f64::max) - start;
    let mut width = 3600.0;
    while span / width >= MAX_TIME_BINS as f64 {
        width *= 2.0;
    }
    counts(times, start, width)
}

fn counts(values: &[f64], start: f64, width: f64) -> Bins {
    let mut counts: Vec<u64> = Vec::new();
    for v in values {
        let i = ((v - start) / width).floor().max(0.0) as usize;
        if counts.len() <= i {
            counts.resize(i + 1, 0);
        }
        counts[i] += 1;
    }
    Bins { start, width_s: width, counts }
}

#[cfg(test)]
impl Report {
    /// A value of the table as the page rebuilds it.
    fn rebuild(&self, i: usize) -> Value {
        let entry: Value = serde_json::from_str(self.values[i].get()).unwrap();
        if let Some(list) = entry.get("l") {
            return Value::Array(
                list.as_array().unwrap().iter().map(|c| self.rebuild(c.as_u64().unwrap() as usize)).collect(),
            );
        }
        if let (Some(k), Some(v)) = (entry.get("o"), entry.get("v")) {
            let keys = &self.keys[k.as_u64().unwrap() as usize];
            let values = v.as_array().unwrap().iter().map(|c| self.rebuild(c.as_u64().unwrap() as usize));
            return Value::Object(keys.iter().cloned().zip(values).collect());
        }
        entry
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Marks;

    const CONFIG: &str = r#"{"product_id": "demo", "integration_config": {"proactive_triggers": {"builtins": [
        {"id": "canonical_url_ping_pong", "name": "n", "description": "d", "triggering_type": "instant_trigger"}]}}}"#;

    fn run(recording: &[&str]) -> Report {
        let text = recording.join("\n");
        let out = crate::triggers::simulate_recording(CONFIG, &text).unwrap();
        let marks = Marks::of_text(&text);
        let header = Header {
            command: "test".into(),
            config: "c".into(),
            recording: "r".into(),
            options: vec![],
            sdk: "autoplay-sdk 0.7.3".into(),
        };
        build(header, &out, &marks)
    }

    const BOUNCE: &str = r#"{"type": "actions", "product_id": "demo", "session_id": "s1", "user_id": "u", "forwarded_at": 100, "actions": [{"type": "pageview", "canonical_url": "/a"}, {"type": "click", "canonical_url": "/b"}, {"type": "pageview", "canonical_url": "/a"}]}"#;
    const QUIET: &str = r#"{"type": "actions", "product_id": "demo", "session_id": "s2", "forwarded_at": 130, "actions": [{"type": "pageview", "canonical_url": "/a"}]}"#;

    #[test]
    fn sessions_records_and_charts_come_from_the_run() {
        let report = run(&[BOUNCE, QUIET]);
        // s1 fires at 100 and again at 190 (see demo's test); s2 never fires.
        assert_eq!(report.sessions.len(), 2);
        assert_eq!(report.sessions[0].s, "s1");
        assert_eq!(report.sessions[0].u.as_deref(), Some("u"));
        assert_eq!(report.sessions[0].f, 2);
        assert_eq!(report.sessions[1].f, 0);
        assert_eq!(report.sessions[0].a.len(), 9, "three marks of three numbers");
        let p = &report.products[0];
        assert_eq!((p.sessions, p.fired, p.never_fired), (2, 1, 1));
        assert_eq!(p.fires, vec![("canonical_url_ping_pong".to_string(), 2)]);
        assert_eq!(p.first_fire.counts, vec![1]);
        assert_eq!(p.over_time.counts.iter().sum::<u64>(), 2);
        assert_eq!(report.totals.fires, 2);
        assert_eq!(report.totals.actions, 4);
        // Every record is kept, its body as the record's own JSON.
        let out = crate::triggers::simulate_recording(CONFIG, &[BOUNCE, QUIET].join("\n")).unwrap();
        assert_eq!(report.totals.records, out.records.len() as u64);
        let fire = out.records.iter().position(|r| matches!(r.kind, RecordKind::Fire(_))).unwrap();
        let r = &report.sessions[0].r;
        let value = report.rebuild(r[2 * fire + 1] as usize);
        let mut expected = out.records[fire].to_value();
        for key in ["ts", "product_id", "session_id"] {
            expected.as_object_mut().unwrap().remove(key);
        }
        assert_eq!(value, expected);
        assert_eq!(value["trigger_id"], "canonical_url_ping_pong");
    }

    #[test]
    fn phases_follow_fires_timeouts_and_cooldowns() {
        let report = run(&[BOUNCE]);
        let b = &report.sessions[0].b;
        let bands: Vec<(i64, i64, &str)> = b.chunks(3).map(|c| (c[0], c[1], PHASES[c[2] as usize])).collect();
        // Fire at +0 (proactive), timed out on the pulse at +30 s back to thinking with a 60 s
        // cooldown cleared at +90 s, when the second fire comes; it times out at +120 s, its
        // cooldown clears at +180 s and the session ends at +300 s.
        assert_eq!(
            bands,
            vec![
                (0, 30_000, "proactive"),
                (30_000, 90_000, "cooldown"),
                (30_000, 90_000, "thinking"),
                (90_000, 120_000, "proactive"),
                (120_000, 180_000, "cooldown"),
                (120_000, 300_000, "thinking"),
            ]
        );
    }

    #[test]
    fn bars_are_wide_enough_for_the_span() {
        assert_eq!(bar_width(10.0, 30), 1.0);
        assert_eq!(bar_width(400.0, 30), 15.0);
        assert_eq!(histogram(&[0.5, 1.5, 1.7]).counts, vec![1, 2]);
        let bins = over_time(&[7200.0 + 10.0, 7200.0 + 3700.0], 7250.0);
        assert_eq!((bins.start, bins.counts.clone()), (7200.0, vec![1, 1]));
    }
}
