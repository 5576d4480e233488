//! The report's data: built from a run's records and the sessions' marks, serialised into
//! the page as one JSON document (times as integer milliseconds from the session's start,
//! texts interned in tables, so a million actions stay a few bytes each).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;
use serde_json::Value;
use serde_json::value::RawValue;

use super::marks::{Marks, SessionMarks};
use crate::triggers::detectors::SdkFamily;
use crate::triggers::engine::{JudgePolicy, Profile, SessionSummary, SimOptions, SimOutput};
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
    /// What the reader should know of how the report was made (what a live run's report
    /// left out).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) notes: Vec<String>,
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
                "--rules".into(),
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
            notes: Vec::new(),
        }
    }
}

#[cfg(test)]
impl Header {
    /// A header for the tests of the report's data.
    pub(super) fn of_test() -> Header {
        Header {
            command: "test".into(),
            config: "c".into(),
            recording: "r".into(),
            options: vec![],
            sdk: "autoplay-sdk 0.7.3".into(),
            notes: Vec::new(),
        }
    }
}

/// One combination of a tuning run: its parameter values, its fire counts per trigger and
/// any further numeric columns (the page sorts by any of them).
#[derive(Debug, Clone, Serialize)]
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
    /// The lane's end (unix seconds; not in the page: `d` says it).
    #[serde(skip)]
    end: f64,
}

/// One session's records as the NDJSON lines `--format json` prints: the text, and per line
/// its `ts` and where it ends in the text (each line ends in `\n`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct SessionLines<'a> {
    pub(crate) text: &'a str,
    pub(crate) lines: &'a [(f64, u32)],
}

impl<'a> SessionLines<'a> {
    /// The lines (without their `\n`), with their `ts`.
    fn iter(&self) -> impl Iterator<Item = (f64, &'a str)> + 'a {
        let text = self.text;
        let mut start = 0usize;
        self.lines.iter().map(move |&(ts, end)| {
            let end = end as usize;
            let line = text.get(start..end).unwrap_or("").trim_end_matches('\n');
            start = end;
            (ts, line)
        })
    }
}

/// The records of a run kept as values, as the NDJSON text of each session
/// ([`build_from_lines`] reads them).
pub(crate) fn session_texts(out: &SimOutput) -> Vec<(String, Vec<(f64, u32)>)> {
    let mut texts: Vec<(String, Vec<(f64, u32)>)> = vec![Default::default(); out.sessions.len()];
    for r in &out.records {
        if let Some((text, lines)) = texts.get_mut(r.session_index) {
            r.write_json(text);
            text.push('\n');
            lines.push((r.ts, text.len() as u32));
        }
    }
    texts
}

/// Builds the report of a run kept as values (see [`build_from_lines`]).
pub(crate) fn build(header: Header, out: &SimOutput, marks: &Marks) -> Report {
    let texts = session_texts(out);
    let lines: Vec<SessionLines> = texts.iter().map(|(text, lines)| SessionLines { text, lines }).collect();
    build_from_lines(header, &out.sessions, &lines, marks)
}

/// Builds the report of a run: the sessions as the simulator returned them, each one's
/// records as the very NDJSON lines the run prints (`lines[i]` for `sessions[i]`), and the
/// marks collected while the recording was read. A record is read from its line: its body is
/// interned once per distinct text, and what the lane needs of it (kind, trigger, state) is
/// read from that body once.
pub(crate) fn build_from_lines(
    header: Header,
    sessions: &[SessionSummary],
    lines: &[SessionLines<'_>],
    marks: &Marks,
) -> Report {
    let started = std::time::Instant::now();
    let lap = |stage: &str| tracing::trace!(ms = started.elapsed().as_millis() as u64, "report model: {stage}");
    let empty_lines = SessionLines { text: "", lines: &[] };
    let lines_of = |i: usize| lines.get(i).copied().unwrap_or(empty_lines);
    // Per session, in parallel: the lane's marks.
    let empty = SessionMarks::default();
    let mut rows: Vec<SessionRow> = sessions
        .par_iter()
        .enumerate()
        .map(|(i, summary)| {
            let m = marks.of(&summary.product_id, &summary.session_id).unwrap_or(&empty);
            lane(summary, &lines_of(i), m)
        })
        .collect();
    lap("lanes");
    // Each record's body, interned: every core reads a run of sessions into a table of its
    // own, and the tables are then joined in session order, which gives the table of one
    // reading in order.
    let per_shard = sessions.len().div_ceil(rayon::current_num_threads().max(1)).max(1);
    let tables: Vec<ValueTable> = rows
        .par_chunks_mut(per_shard)
        .enumerate()
        .map(|(shard, rows)| {
            let first = shard * per_shard;
            let records = (first..first + rows.len()).map(|i| lines_of(i).lines.len()).sum();
            let mut values = ValueTable::with_capacity(records);
            for (i, row) in (first..).zip(rows.iter_mut()) {
                for (k, (_, line)) in lines_of(i).iter().enumerate() {
                    row.r[2 * k + 1] = values.body(line) as i64;
                }
            }
            values
        })
        .collect();
    lap("bodies interned");
    tracing::trace!(entries = ?tables.iter().map(|t| t.list.len()).collect::<Vec<_>>(), "report model: tables");
    let mut tables = tables.into_iter();
    let mut values = tables.next().unwrap_or_default();
    for (table, rows) in tables.zip(rows.chunks_mut(per_shard).skip(1)) {
        let at = values.absorb(&table);
        for row in rows {
            for c in row.r.chunks_mut(2) {
                c[1] = at[c[1] as usize] as i64;
            }
        }
    }
    lap("tables joined");
    let infos = &values.infos;
    // Per session, in parallel: the phases, from the records' kinds.
    rows.par_iter_mut().enumerate().for_each(|(i, row)| {
        let recs: Vec<(f64, &BodyInfo)> =
            lines_of(i).lines.iter().zip(row.r.chunks(2)).map(|(l, c)| (l.0, &infos[c[1] as usize])).collect();
        let t0 = row.t0;
        let ms = |t: f64| ((t - t0) * 1000.0).round() as i64;
        let end = row.end;
        let m = marks.of(&sessions[i].product_id, &sessions[i].session_id).unwrap_or(&empty);
        row.f = recs.iter().filter(|(_, b)| b.kind == Kind::Fire).count() as u64;
        row.b = phases(&recs, &m.tour_ends, end).into_iter().flat_map(|(s, e, k)| [ms(s), ms(e), k]).collect();
    });
    lap("phases");
    let mut products: Vec<ProductStats> = Vec::new();
    let mut product_index: FxHashMap<&str, usize> = FxHashMap::default();
    let mut first_fires: Vec<Vec<f64>> = Vec::new();
    let mut fire_times: Vec<Vec<f64>> = Vec::new();
    let mut fires_by_trigger: Vec<BTreeMap<&str, u64>> = Vec::new();
    let mut totals = Totals::default();
    for (i, (summary, row)) in sessions.iter().zip(rows.iter_mut()).enumerate() {
        let p = *product_index.entry(&summary.product_id).or_insert_with(|| {
            products.push(ProductStats { id: summary.product_id.to_string(), ..ProductStats::default() });
            first_fires.push(Vec::new());
            fire_times.push(Vec::new());
            fires_by_trigger.push(BTreeMap::new());
            products.len() - 1
        });
        row.p = p;
        let stats = &mut products[p];
        stats.sessions += 1;
        let mut first = None;
        for (l, c) in lines_of(i).lines.iter().zip(row.r.chunks(2)) {
            let info = &infos[c[1] as usize];
            match info.kind {
                Kind::Fire => {
                    fire_times[p].push(l.0);
                    first.get_or_insert(l.0);
                    *fires_by_trigger[p].entry(info.trigger.as_deref().unwrap_or("")).or_default() += 1;
                }
                Kind::Timeout => stats.timeouts += 1,
                _ => {}
            }
        }
        if let Some(first) = first {
            first_fires[p].push(first - summary.first_ts);
            stats.fired += 1;
        } else {
            stats.never_fired += 1;
        }
        totals.fires += row.f;
        totals.records += lines_of(i).lines.len() as u64;
    }
    let start = sessions.iter().map(|s| s.first_ts).fold(f64::INFINITY, f64::min);
    for (p, stats) in products.iter_mut().enumerate() {
        let mut fires: Vec<(String, u64)> = fires_by_trigger[p].iter().map(|(k, v)| (k.to_string(), *v)).collect();
        fires.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        stats.fires = fires;
        stats.first_fire = histogram(&first_fires[p]);
        stats.over_time = over_time(&fire_times[p], start);
        totals.timeouts += stats.timeouts;
        totals.never_fired += stats.never_fired;
    }
    totals.sessions = sessions.len() as u64;
    totals.actions = marks.actions;
    lap("products");
    Report {
        header,
        totals,
        products,
        phases: PHASES,
        urls: marks.urls().iter().map(|u| u.to_string()).collect(),
        types: marks.types().iter().map(|t| t.to_string()).collect(),
        values: values.list,
        keys: values.keys,
        sessions: rows,
        tune: None,
    }
}

/// One session's lane: its marks, its records' times (their bodies are filled in after), its
/// span. The phases and fire count come later, from the records' bodies.
fn lane(summary: &SessionSummary, lines: &SessionLines<'_>, m: &SessionMarks) -> SessionRow {
    let t0 = m.marks.first().map_or(summary.first_ts, |mark| mark.t.min(summary.first_ts));
    let end = lines.lines.iter().map(|l| l.0).chain(m.marks.last().map(|mark| mark.t)).fold(summary.last_ts, f64::max);
    let ms = |t: f64| ((t - t0) * 1000.0).round() as i64;
    let mut a = Vec::with_capacity(m.marks.len() * 3);
    for mark in &m.marks {
        a.extend([ms(mark.t), i64::from(mark.kind), i64::from(mark.url)]);
    }
    let mut r = Vec::with_capacity(lines.lines.len() * 2);
    for &(ts, _) in lines.lines {
        r.extend([ms(ts), 0]);
    }
    SessionRow {
        p: 0,
        s: summary.session_id.to_string(),
        u: m.user.as_deref().map(str::to_string),
        t0,
        d: ms(end),
        f: 0,
        a,
        r,
        b: Vec::new(),
        end,
    }
}

/// A record's body: its JSON as `--format json` writes it, from `"kind"` on (so every field
/// of the record is kept, whatever it is), without the opening brace. Past the ids: a quote
/// inside a JSON string is always escaped, so the first `, "kind"` is the key.
fn tail_of(json: &str) -> &str {
    static KIND_KEY: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b", \"kind\": "));
    match KIND_KEY.find(json.as_bytes()) {
        Some(i) => &json[i + 2..],
        None => json.strip_prefix('{').unwrap_or(json),
    }
}

/// What a lane needs of a record kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Fire,
    Timeout,
    CooldownCleared,
    Reactive,
    TourStarted,
    Other,
}

/// What a lane needs of a record, read once per distinct body.
#[derive(Debug, Clone, PartialEq)]
struct BodyInfo {
    kind: Kind,
    /// A fire's trigger id.
    trigger: Option<String>,
    /// A fire's phase afterwards (from its `state`).
    phase: i64,
}

impl BodyInfo {
    fn of(value: &Value) -> BodyInfo {
        BodyInfo::of_fields(|key| value.get(key).and_then(Value::as_str).map(Cow::Borrowed))
    }

    /// From the body's string members (`member(key)`: the member's text when it is a string).
    fn of_fields<'v>(member: impl Fn(&str) -> Option<Cow<'v, str>>) -> BodyInfo {
        let kind = match member("kind").as_deref() {
            Some("fire") => Kind::Fire,
            Some("timeout") => Kind::Timeout,
            Some("cooldown_cleared") => Kind::CooldownCleared,
            Some("reactive") => Kind::Reactive,
            Some("tour_started") => Kind::TourStarted,
            _ => Kind::Other,
        };
        let phase = match member("state").as_deref() {
            Some(s) if s == AgentState::Proactive.as_str() => PROACTIVE,
            Some(s) if s == AgentState::Reactive.as_str() => REACTIVE,
            _ => THINKING,
        };
        let trigger = match kind {
            Kind::Fire => member("trigger_id").map(String::from),
            _ => None,
        };
        BodyInfo { kind, trigger, phase }
    }
}

/// The shared values of the record bodies.
#[derive(Default)]
struct ValueTable<'a> {
    /// Body text (as [`tail_of`] cuts it from its record line) → its entry (most records
    /// repeat a body seen before).
    bodies: FxHashMap<&'a str, usize>,
    /// A member's or item's JSON text, as the record lines hold it → its entry: the same
    /// chips, metadata and strings recur in many bodies, and each text is read only once.
    raws: FxHashMap<&'a str, usize>,
    /// Entry text → index.
    index: FxHashMap<Box<str>, usize>,
    list: Vec<Box<RawValue>>,
    /// Per entry: what a lane needs of it, when it is a record body (else the default).
    infos: Vec<BodyInfo>,
    /// An object's keys (each as JSON, one after the other) → index in `keys`.
    key_index: FxHashMap<Box<[u8]>, usize>,
    keys: Vec<Vec<String>>,
}

impl<'a> ValueTable<'a> {
    /// A table sized for `records` record bodies (at most that many distinct ones): its maps
    /// never grow, so their keys are never hashed again.
    fn with_capacity(records: usize) -> ValueTable<'a> {
        fn map<K>(records: usize) -> FxHashMap<K, usize> {
            FxHashMap::with_capacity_and_hasher(records, Default::default())
        }
        ValueTable { bodies: map(records), index: map(records), raws: map(records), ..ValueTable::default() }
    }

    /// The entry of the body of a record line (the members [`tail_of`] keeps).
    fn body(&mut self, line: &'a str) -> usize {
        let tail = tail_of(line);
        if let Some(i) = self.bodies.get(tail) {
            return *i;
        }
        // The members are read from the line itself, so their texts can key `raws`; the body's
        // are those from the one whose key starts right after the tail's opening quote.
        let members = serde_json::from_str::<Members<'a>>(line).ok().and_then(|Members(members)| {
            let start = members.iter().position(|(k, _)| k.as_ptr() as usize == tail.as_ptr() as usize + 1)?;
            Some(members.into_iter().skip(start).collect::<Vec<_>>())
        });
        let (i, info) = match members {
            Some(members) => {
                let member = |key: &str| {
                    members.iter().find(|(k, _)| *k == key).and_then(|(_, v)| serde_json::from_str(v.get()).ok())
                };
                let info = BodyInfo::of_fields(member);
                (self.object(&members), info)
            }
            None => {
                let value: Value = serde_json::from_str(&format!("{{{tail}")).unwrap_or(Value::Null);
                (self.value(&value), BodyInfo::of(&value))
            }
        };
        self.infos[i] = info;
        self.bodies.insert(tail, i);
        i
    }

    /// The entry of a value given as JSON text: read member by member without building the
    /// value ([`ValueTable::value`] when the text needs more than that), the same entry.
    fn raw(&mut self, raw: &'a RawValue) -> usize {
        let text = raw.get();
        if let Some(i) = self.raws.get(text) {
            return *i;
        }
        let i = self.raw_text(text);
        self.raws.insert(text, i);
        i
    }

    /// [`ValueTable::raw`] for a text not read before.
    fn raw_text(&mut self, text: &'a str) -> usize {
        match text.as_bytes().first() {
            Some(b'{') => {
                if let Ok(Members(members)) = serde_json::from_str::<Members<'a>>(text) {
                    return self.object(&members);
                }
            }
            Some(b'[') => {
                if let Ok(items) = serde_json::from_str::<Vec<&'a RawValue>>(text) {
                    let mut entry = b"{\"l\":".to_vec();
                    self.raw_children(&mut entry, items.iter().copied());
                    entry.push(b'}');
                    return self.entry(&entry);
                }
            }
            _ if is_compact(text) => return self.entry(text.as_bytes()),
            _ => {}
        }
        let value: Value = serde_json::from_str(text).unwrap_or(Value::Null);
        self.value(&value)
    }

    /// The entry of an object given as its members.
    fn object(&mut self, members: &[(&'a str, &'a RawValue)]) -> usize {
        let mut joined = Vec::new();
        for (key, _) in members {
            write_json(&mut joined, key);
        }
        let k = match self.key_index.get(joined.as_slice()) {
            Some(k) => *k,
            None => {
                self.keys.push(members.iter().map(|(k, _)| k.to_string()).collect());
                self.key_index.insert(joined.into_boxed_slice(), self.keys.len() - 1);
                self.keys.len() - 1
            }
        };
        let mut entry = b"{\"o\":".to_vec();
        push_index(&mut entry, k);
        entry.extend_from_slice(b",\"v\":");
        self.raw_children(&mut entry, members.iter().map(|(_, v)| *v));
        entry.push(b'}');
        self.entry(&entry)
    }

    fn raw_children(&mut self, text: &mut Vec<u8>, values: impl Iterator<Item = &'a RawValue>) {
        text.push(b'[');
        for (n, v) in values.enumerate() {
            if n > 0 {
                text.push(b',');
            }
            let i = self.raw(v);
            push_index(text, i);
        }
        text.push(b']');
    }

    /// The entry of `value`: `{"o":keys,"v":[…]}`, `{"l":[…]}` or the value itself, as
    /// compact JSON.
    fn value(&mut self, value: &Value) -> usize {
        let mut text = Vec::new();
        match value {
            Value::Object(map) => {
                let mut joined = Vec::new();
                for key in map.keys() {
                    write_json(&mut joined, key);
                }
                let k = match self.key_index.get(joined.as_slice()) {
                    Some(k) => *k,
                    None => {
                        self.keys.push(map.keys().cloned().collect());
                        self.key_index.insert(joined.into_boxed_slice(), self.keys.len() - 1);
                        self.keys.len() - 1
                    }
                };
                text.extend_from_slice(b"{\"o\":");
                push_index(&mut text, k);
                text.extend_from_slice(b",\"v\":");
                self.children(&mut text, map.values());
                text.push(b'}');
            }
            Value::Array(items) => {
                text.extend_from_slice(b"{\"l\":");
                self.children(&mut text, items.iter());
                text.push(b'}');
            }
            scalar => write_json(&mut text, scalar),
        }
        self.entry(&text)
    }

    /// Adds the entries and key lists of `other` (a table of later records) that this one
    /// lacks, in `other`'s order, and returns where each of `other`'s entries is now. Every
    /// entry's children come before it, so the table is the one that reading `other`'s
    /// records after this one's would have made, index for index.
    fn absorb(&mut self, other: &ValueTable<'_>) -> Vec<usize> {
        let mut joined_of: Vec<&[u8]> = vec![&[]; other.keys.len()];
        for (joined, &k) in &other.key_index {
            joined_of[k] = joined;
        }
        let key_at: Vec<usize> = other
            .keys
            .iter()
            .zip(joined_of)
            .map(|(names, joined)| match self.key_index.get(joined) {
                Some(k) => *k,
                None => {
                    self.keys.push(names.clone());
                    self.key_index.insert(Box::from(joined), self.keys.len() - 1);
                    self.keys.len() - 1
                }
            })
            .collect();
        let mut at: Vec<usize> = Vec::with_capacity(other.list.len());
        let mut text = Vec::new();
        for entry in &other.list {
            text.clear();
            let i = match Entry::parse(entry.get()) {
                Some(Entry::Object { keys, values }) => {
                    text.extend_from_slice(b"{\"o\":");
                    push_index(&mut text, key_at[keys]);
                    text.extend_from_slice(b",\"v\":");
                    push_indices(&mut text, values.iter().map(|&j| at[j]));
                    text.push(b'}');
                    self.entry(&text)
                }
                Some(Entry::List(items)) => {
                    text.extend_from_slice(b"{\"l\":");
                    push_indices(&mut text, items.iter().map(|&j| at[j]));
                    text.push(b'}');
                    self.entry(&text)
                }
                // A scalar reads the same in either table: taken as it is.
                None => match self.index.get(entry.get()) {
                    Some(i) => *i,
                    None => self.push_entry(entry.get(), entry.clone()),
                },
            };
            at.push(i);
        }
        for &j in other.bodies.values() {
            self.infos[at[j]] = other.infos[j].clone();
        }
        at
    }

    /// The index of an entry's text, added when new. The text is copied only then: most
    /// entries looked up are already in the table.
    fn entry(&mut self, text: &[u8]) -> usize {
        let text = std::str::from_utf8(text).unwrap_or("null");
        if let Some(i) = self.index.get(text) {
            return *i;
        }
        let raw = RawValue::from_string(text.to_string()).unwrap_or_else(|_| null());
        self.push_entry(text, raw)
    }

    /// Appends an entry not in the table yet.
    fn push_entry(&mut self, text: &str, raw: Box<RawValue>) -> usize {
        let i = self.list.len();
        self.index.insert(Box::from(text), i);
        self.list.push(raw);
        self.infos.push(BodyInfo { kind: Kind::Other, trigger: None, phase: THINKING });
        i
    }

    /// `[i, …]`: the entries of `values`.
    fn children<'v>(&mut self, text: &mut Vec<u8>, values: impl Iterator<Item = &'v Value>) {
        text.push(b'[');
        for (n, v) in values.enumerate() {
            if n > 0 {
                text.push(b',');
            }
            let i = self.value(v);
            push_index(text, i);
        }
        text.push(b']');
    }
}

/// An object's members in order, each value as its JSON text. Refused (so the caller reads
/// the object as a value) when a key holds an escape or occurs twice: a value keeps the last
/// of equal keys, and the entry must be the value's.
struct Members<'a>(Vec<(&'a str, &'a RawValue)>);

impl<'de> serde::Deserialize<'de> for Members<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Members<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut members: Vec<(&'de str, &'de RawValue)> = Vec::new();
                while let Some((key, value)) = map.next_entry::<&'de str, &'de RawValue>()? {
                    if members.iter().any(|(k, _)| *k == key) {
                        return Err(serde::de::Error::custom("a key occurs twice"));
                    }
                    members.push((key, value));
                }
                Ok(Members(members))
            }
        }
        deserializer.deserialize_map(Visit)
    }
}

/// Whether a scalar's JSON text is already as [`write_json`] writes its value: a string
/// without escapes (no control character or quote can stand in one unescaped), a short
/// integer, `true`, `false`, `null`.
fn is_compact(text: &str) -> bool {
    let b = text.as_bytes();
    match b.first() {
        Some(b'"') => b.len() >= 2 && b.ends_with(b"\"") && !b.contains(&b'\\'),
        Some(b't' | b'f' | b'n') => matches!(text, "true" | "false" | "null"),
        Some(_) => {
            let digits = b.strip_prefix(b"-").unwrap_or(b);
            !digits.is_empty()
                && digits.len() <= 15
                && digits.iter().all(u8::is_ascii_digit)
                && (digits[0] != b'0' || (digits.len() == 1 && b.len() == 1))
        }
        None => false,
    }
}

/// `value` as compact JSON.
fn write_json(out: &mut Vec<u8>, value: &(impl Serialize + ?Sized)) {
    if serde_json::to_writer(&mut *out, value).is_err() {
        out.extend_from_slice(b"null");
    }
}

/// `i` in decimal (the entries' texts are made of many of these; a formatter per index
/// was measurable).
fn push_index(out: &mut Vec<u8>, i: usize) {
    out.extend_from_slice(itoa::Buffer::new().format(i).as_bytes());
}

/// `[i, …]`.
fn push_indices(out: &mut Vec<u8>, indices: impl Iterator<Item = usize>) {
    out.push(b'[');
    for (n, i) in indices.enumerate() {
        if n > 0 {
            out.push(b',');
        }
        push_index(out, i);
    }
    out.push(b']');
}

/// An entry of a [`ValueTable`] read back: an object (its key list and its values' entries)
/// or a list (its items' entries). Any other entry is a scalar's JSON, taken as it is.
#[derive(Debug, PartialEq)]
enum Entry {
    Object { keys: usize, values: Vec<usize> },
    List(Vec<usize>),
}

impl Entry {
    /// Reads `{"o":K,"v":[…]}` or `{"l":[…]}` as [`ValueTable`] writes them (no scalar's JSON
    /// starts with `{`).
    fn parse(text: &str) -> Option<Entry> {
        fn indices(text: &str) -> Option<Vec<usize>> {
            let inner = text.strip_prefix('[')?.strip_suffix(']')?;
            if inner.is_empty() {
                return Some(Vec::new());
            }
            inner.split(',').map(|n| n.parse().ok()).collect()
        }
        if let Some(rest) = text.strip_prefix("{\"o\":") {
            let (keys, values) = rest.strip_suffix('}')?.split_once(",\"v\":")?;
            return Some(Entry::Object { keys: keys.parse().ok()?, values: indices(values)? });
        }
        let items = text.strip_prefix("{\"l\":")?.strip_suffix('}')?;
        Some(Entry::List(indices(items)?))
    }
}

fn null() -> Box<RawValue> {
    RawValue::from_string("null".into()).unwrap_or_default()
}

/// The state phases of a session's lane, from its records (time, what the body says): (start,
/// end, phase). Thinking until a fire (to the fire's `state`), a reactive record or a tour
/// start; a timeout goes back to thinking and starts a cooldown, which lasts until
/// `cooldown_cleared` (or the end). A tour lasts until a `tour_ended` event or the next record
/// that changes the state.
fn phases(records: &[(f64, &BodyInfo)], tour_ends: &[f64], end: f64) -> Vec<(f64, f64, i64)> {
    let mut out = Vec::new();
    let Some(first) = records.first() else { return out };
    let mut state = (first.0.min(end), THINKING);
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
    for &(ts, info) in records {
        if state.1 == TOUR {
            while let Some(&t) = tour_ends.peek() {
                if t > ts {
                    break;
                }
                tour_ends.next();
                if t >= state.0 {
                    switch(&mut out, &mut state, t, THINKING);
                }
            }
        }
        match info.kind {
            Kind::Fire => switch(&mut out, &mut state, ts, info.phase),
            Kind::Timeout => {
                switch(&mut out, &mut state, ts, THINKING);
                cooldown.get_or_insert(ts);
            }
            Kind::CooldownCleared => {
                if let Some(start) = cooldown.take()
                    && ts > start
                {
                    out.push((start, ts, COOLDOWN));
                }
            }
            Kind::Reactive => switch(&mut out, &mut state, ts, REACTIVE),
            Kind::TourStarted => switch(&mut out, &mut state, ts, TOUR),
            Kind::Other => {}
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
    use crate::triggers::engine::RecordKind;

    const CONFIG: &str = r#"{"product_id": "demo", "integration_config": {"proactive_triggers": {"builtins": [
        {"id": "canonical_url_ping_pong", "name": "n", "description": "d", "triggering_type": "instant_trigger"}]}}}"#;

    fn run(recording: &[&str]) -> Report {
        let text = recording.join("\n");
        let out = crate::triggers::simulate_recording(CONFIG, &text).unwrap();
        let marks = Marks::of_text(&text);
        build(Header::of_test(), &out, &marks)
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
    fn bodies_read_member_by_member_get_the_entries_of_their_values() {
        let bodies = [
            r#""kind": "fire", "trigger_id": "t\u00e9", "state": "proactive_assistance", "a": 1.5e-05, "b": "\u00e9\"x", "c": [1, -0, 0, 10000000000000000000000, 12.0, {"d": null}], "e\u0041": true, "f": {}, "g": [], "h": {"x": [false, "\u003c/script>"]}}"#,
            r#""kind": "timeout", "k": 1, "k": 2}"#,
            r#""kind": "other", "nested": {"k": 1, "k": [2]}, "é": "ü"}"#,
            r#"not json"#,
            // Members the first body has, in another body: read from the cache of texts.
            r#""kind": "fire", "trigger_id": "t2", "c": [1, -0, 0, 10000000000000000000000, 12.0, {"d": null}], "h": {"x": [false, "\u003c/script>"]}, "f": {}}"#,
        ];
        let lines: Vec<String> =
            bodies.iter().map(|body| format!(r#"{{"ts": 1.5, "product_id": "p", "session_id": "s", {body}"#)).collect();
        let mut fast = ValueTable::default();
        let mut slow = ValueTable::default();
        for (body, line) in bodies.iter().zip(&lines) {
            let i = fast.body(line);
            let value: Value = serde_json::from_str(&format!("{{{body}")).unwrap_or(Value::Null);
            let j = slow.value(&value);
            assert_eq!(i, j, "{body}");
            assert_eq!(fast.infos[i], BodyInfo::of(&value), "{body}");
        }
        let texts = |t: &ValueTable| t.list.iter().map(|v| v.get().to_string()).collect::<Vec<_>>();
        assert_eq!(texts(&fast), texts(&slow));
        assert_eq!(fast.keys, slow.keys);
        assert_eq!(fast.infos[0].kind, Kind::Other);
        let fire = fast.body(&lines[0]);
        // A body seen again, and one whose members were all seen in other bodies, add nothing
        // beyond their own entries.
        let before = fast.list.len();
        assert_eq!(fast.body(&lines[0]), fire);
        assert_eq!(fast.list.len(), before);
        assert_eq!((fast.infos[fire].kind, fast.infos[fire].trigger.as_deref()), (Kind::Fire, Some("té")));
        assert_eq!(fast.infos[fire].phase, PROACTIVE);
    }

    #[test]
    fn tables_of_later_records_join_as_one_reading_in_order() {
        let bodies = [
            r#""kind": "fire", "trigger_id": "a", "chips": ["x", "y"], "metadata": {"n": 1, "m": [true]}}"#,
            r#""kind": "timeout", "from": "proactive_assistance", "cooldown_s": 60}"#,
            r#""kind": "fire", "trigger_id": "b", "chips": ["y"], "metadata": {"n": 2.5e-3, "m": [true]}}"#,
            r#""kind": "fire", "trigger_id": "a", "chips": ["x", "y"], "metadata": {"n": 1, "m": [true]}}"#,
            r#""kind": "other", "k": 1, "k": 2}"#,
            r#""kind": "reactive", "metadata": {"m": [true], "n": 1}, "list": [[], {}, [["x"]]]}"#,
        ];
        let lines: Vec<String> =
            bodies.iter().map(|body| format!(r#"{{"ts": 1.5, "product_id": "p", "session_id": "s", {body}"#)).collect();
        let texts = |t: &ValueTable| t.list.iter().map(|v| v.get().to_string()).collect::<Vec<_>>();
        for split in 0..=lines.len() {
            let mut whole = ValueTable::default();
            let expected: Vec<usize> = lines.iter().map(|l| whole.body(l)).collect();
            let mut first = ValueTable::default();
            let mut later = ValueTable::default();
            let mut got: Vec<usize> = lines[..split].iter().map(|l| first.body(l)).collect();
            let local: Vec<usize> = lines[split..].iter().map(|l| later.body(l)).collect();
            let at = first.absorb(&later);
            got.extend(local.iter().map(|&j| at[j]));
            assert_eq!(got, expected, "split at {split}");
            assert_eq!(texts(&first), texts(&whole), "split at {split}");
            assert_eq!(first.keys, whole.keys, "split at {split}");
            assert_eq!(first.infos, whole.infos, "split at {split}");
        }
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
