/*!
The trigger context and the three built-in detectors of the autoplay-sdk builtin catalog: strict
URL ping-pong (0.7.3) and the 0.13.0 hesitation rule, user page dwell, and the section playbook
with `build_product_section_playbook`.

Actions keep the raw shape the SDK would hold after its lenient `from_dict`: a URL or a
timestamp of the wrong type is kept as [`Raw::Bad`], and a detector that touches it fails
with the exception the SDK would raise, so the simulator stops exactly when the SDK would.

A session's actions live in an [`ActionLog`], which works out once per action what the
detectors compare (a page number per stripped URL, the section), because every evaluation
re-reads the same actions. Detectors return a [`LightHit`]; the full [`Hit`] is built only
for the hit that fires.
*/

use std::hash::BuildHasherDefault;
use std::ops::Range;
use std::sync::Arc;

use rustc_hash::FxHasher;
use serde_json::{Map, Value};

use super::config::{SdkRaise, TriggerTuning};
use crate::py;

pub(crate) const DEFAULT_PROACTIVE_QUICK_REPLY_BODY: &str = "Need my expert help?";
pub(crate) const DEFAULT_DWELL_BODY: &str = "Still on this page \u{2014} want a quick tip?";
pub(crate) const DEFAULT_DWELL_THRESHOLD_S: f64 = 60.0;
pub(crate) const DEFAULT_DWELL_MAX_ACTIONS: i64 = 5;
pub(crate) const PROACTIVE_BODY_MAX_CHARS: usize = 150;
pub(crate) const HESITATION_MIN_DISTINCT: usize = 3;

type FxMap<K, V> = std::collections::HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// A field value after `get(key) or default`: usable, or a truthy value of the wrong type.
#[derive(Debug, Clone, PartialEq)]
pub enum Raw<T> {
    /// A value of the type the SDK expects.
    Ok(T),
    /// The Python type name of the value the SDK kept, and its `str()` (the ping-pong
    /// predicate compares `str(url).strip()`, so `-3` and `"-3"` are the same page there).
    /// Boxed so that the common case stays small (a million actions are held at once).
    Bad(Box<BadValue>),
}

/// A value of the wrong type: its Python type name and its `str()`.
#[derive(Debug, Clone, PartialEq)]
pub struct BadValue {
    /// Python's name of the value's type (`int`, `list`, …).
    pub type_name: &'static str,
    /// Python's `str()` of the value.
    pub text: String,
}

fn bad(value: &Value) -> Box<BadValue> {
    Box::new(BadValue { type_name: py::type_name(value), text: py::str_of(value) })
}

/// The parts of a `SlimAction` the detectors read.
#[derive(Debug, Clone, PartialEq)]
pub struct Action {
    /// `canonical_url or ""`. Shared: recordings repeat the same few URLs a million times.
    pub canonical_url: Raw<Arc<str>>,
    /// `timestamp_start or 0.0`.
    pub timestamp_start: Raw<f64>,
    /// `timestamp_end or 0.0`.
    pub timestamp_end: Raw<f64>,
}

impl Action {
    /// A plain action.
    #[cfg(test)]
    pub(crate) fn new(url: &str, start: f64, end: f64) -> Action {
        Action { canonical_url: Raw::Ok(Arc::from(url)), timestamp_start: Raw::Ok(start), timestamp_end: Raw::Ok(end) }
    }

    /// `(canonical_url or "").strip()`.
    pub(crate) fn stripped_url(&self) -> Result<&str, SdkRaise> {
        match &self.canonical_url {
            Raw::Ok(s) => Ok(py::strip(s)),
            Raw::Bad(b) => Err(format!("AttributeError: '{}' object has no attribute 'strip'", b.type_name)),
        }
    }

    fn start(&self) -> Result<f64, SdkRaise> {
        number(&self.timestamp_start)
    }

    fn end(&self) -> Result<f64, SdkRaise> {
        number(&self.timestamp_end)
    }
}

fn number(raw: &Raw<f64>) -> Result<f64, SdkRaise> {
    match raw {
        Raw::Ok(v) => Ok(*v),
        Raw::Bad(b) => Err(format!("TypeError: unsupported operand type(s) for -: 'float' and '{}'", b.type_name)),
    }
}

/// A non-string truthy URL value, kept as the SDK would keep it.
pub(crate) fn raw_text_bad(value: &Value) -> Raw<Arc<str>> {
    Raw::Bad(bad(value))
}

/// `value or 0.0` for a field the SDK does arithmetic on (`True` counts as 1).
pub(crate) fn raw_number(value: Option<&Value>) -> Raw<f64> {
    match value {
        Some(v) if py::is_truthy(v) => match py::as_number(v) {
            Some(n) => Raw::Ok(n),
            None => Raw::Bad(bad(v)),
        },
        _ => Raw::Ok(0.0),
    }
}

/// A detector hit (`ProactiveTriggerResult` as wrapped by its entity).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Hit {
    pub trigger_id: &'static str,
    pub body: String,
    pub reply_option_labels: Vec<String>,
    pub metadata: Map<String, Value>,
}

/// Which SDK release's detector semantics to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SdkFamily {
    /// autoplay-sdk 0.7.x: ping-pong is the strict A→B→A rule only.
    V07,
    /// autoplay-sdk 0.13.x: ping-pong also fires on the hesitation rule.
    V013,
}

/// `validate_or_truncate_proactive_body`: strip, then at most 150 code points (right-stripped).
pub(crate) fn truncate_body(text: &str) -> String {
    let t = py::strip(text);
    if t.chars().count() <= PROACTIVE_BODY_MAX_CHARS {
        return t.to_string();
    }
    let cut: String = t.chars().take(PROACTIVE_BODY_MAX_CHARS).collect();
    cut.trim_end_matches(|c: char| c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)).to_string()
}

// ---------------------------------------------------------------------------------------------
// The session's actions
// ---------------------------------------------------------------------------------------------

/// What the detectors read of one buffered action, worked out once when it arrives: the same
/// action is read again by every evaluation whose window holds it (up to `max_actions` events
/// and every pulse in between), so stripping and comparing its URL there dominated the run.
#[derive(Debug, Clone, Copy)]
struct Facts {
    /// The page `str(url).strip()` names, as a number that is equal exactly for equal texts;
    /// 0 for `""`. Ping-pong and dwell compare these instead of the texts.
    page: u32,
    /// The action's section in `build_product_section_playbook`, or why reaching it raises.
    section: SectionOf,
}

/// The section an action maps to (a URL maps by its stripped text alone).
#[derive(Debug, Clone, Copy, PartialEq)]
enum SectionOf {
    /// Index in [`ActionLog::section_names`].
    Id(u32),
    /// The URL is not a string: `.strip()` raises.
    BadUrl,
    /// Rule `i` of `section_rule_specs` raises before a rule matches.
    BadRule(u32),
}

/// A session's buffered `actions` payloads, flattened in arrival order (the buffer only grows).
pub(crate) struct ActionLog<'t> {
    tuning: &'t TriggerTuning,
    /// Per payload: `forwarded_at` and the index of its first action.
    payloads: Vec<(f64, usize)>,
    actions: Vec<Action>,
    facts: Vec<Facts>,
    /// Stripped URL text → page number.
    pages: FxMap<Box<str>, u32>,
    /// Per page number: its section.
    page_sections: Vec<SectionOf>,
    /// The distinct section ids by content (the fallback first), so that sections compare
    /// as numbers.
    section_names: Vec<&'t str>,
    /// Scratch for the URL sequence of ping-pong.
    seq: Vec<u32>,
    /// Scratch for the distinct count of the hesitation rule.
    distinct: Vec<u32>,
}

/// A detector's finding, kept light: the full [`Hit`] (body, labels, metadata) is built only
/// for a hit that fires, most are shadowed or found again on the next pulse.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum LightHit<'t> {
    PingPong {
        strict: bool,
        /// The 0.13.0 hesitation rule (false for 0.7).
        broad: bool,
    },
    Dwell {
        dur: f64,
        run_len: usize,
        settings: DwellSettings,
        /// The last action (its index in the log).
        last: usize,
        /// `dwell_proactive_body` stripped (`""` for the default).
        body: &'t str,
    },
    Section {
        id: &'t str,
        /// Stripped, never empty.
        body: &'t str,
        labels: Option<&'t [Value]>,
    },
}

impl<'t> ActionLog<'t> {
    pub(crate) fn new(tuning: &'t TriggerTuning) -> Self {
        let mut section_names = vec![tuning.section_fallback_id.as_str()];
        for (_, id) in tuning.section_rule_specs.iter().flatten().flatten() {
            if !section_names.contains(&id.as_str()) {
                section_names.push(id.as_str());
            }
        }
        let mut pages = FxMap::default();
        pages.insert(Box::from(""), 0);
        ActionLog {
            tuning,
            payloads: Vec::new(),
            actions: Vec::new(),
            facts: Vec::new(),
            pages,
            // An empty URL is in the fallback section.
            page_sections: vec![SectionOf::Id(0)],
            section_names,
            seq: Vec::new(),
            distinct: Vec::new(),
        }
    }

    /// Buffers one `actions` payload (payloads arrive in time order).
    pub(crate) fn push(&mut self, forwarded_at: f64, actions: Vec<Action>) {
        self.payloads.push((forwarded_at, self.actions.len()));
        for a in &actions {
            let facts = self.facts_of(a);
            self.facts.push(facts);
        }
        self.actions.extend(actions);
    }

    /// The same buffered payloads read with another product's tuning (a reloaded config):
    /// pages and sections are worked out again, the actions are kept as they are.
    pub(crate) fn retuned<'u>(self, tuning: &'u TriggerTuning) -> ActionLog<'u> {
        let mut log = ActionLog::new(tuning);
        for a in &self.actions {
            let facts = log.facts_of(a);
            log.facts.push(facts);
        }
        log.payloads = self.payloads;
        log.actions = self.actions;
        log
    }

    fn facts_of(&mut self, a: &Action) -> Facts {
        let (text, url_ok) = match &a.canonical_url {
            Raw::Ok(s) => (py::strip(s), true),
            Raw::Bad(b) => (py::strip(&b.text), false),
        };
        let page = self.page(text);
        let section = if url_ok { self.page_sections[page as usize] } else { SectionOf::BadUrl };
        Facts { page, section }
    }

    fn page(&mut self, text: &str) -> u32 {
        if let Some(&p) = self.pages.get(text) {
            return p;
        }
        let p = self.page_sections.len() as u32;
        self.pages.insert(Box::from(text), p);
        let section = self.section_of(text);
        self.page_sections.push(section);
        p
    }

    /// The rules in order, as `build_product_section_playbook` tries them on a non-empty URL.
    fn section_of(&self, url: &str) -> SectionOf {
        self.section_rule(url).0
    }

    /// [`Self::section_of`] with the index of the rule that decided (`None`: the fallback).
    fn section_rule(&self, url: &str) -> (SectionOf, Option<usize>) {
        for (i, rule) in self.tuning.section_rule_specs.iter().enumerate() {
            match rule {
                Err(_) => return (SectionOf::BadRule(i as u32), Some(i)),
                Ok(Some((prefix, id))) if url.starts_with(prefix.as_str()) => {
                    let n = self.section_names.iter().position(|s| s == id).unwrap_or(0);
                    return (SectionOf::Id(n as u32), Some(i));
                }
                Ok(_) => {}
            }
        }
        (SectionOf::Id(0), None)
    }

    /// The actions `from_actions_payloads(..)` keeps at `now`, oldest first, as a range of the
    /// log: the payloads inside the lookback, then the batch-aware trim (whole payloads newest
    /// first while they fit, then the last actions of the next one), which always keeps the
    /// last `max_actions` of them.
    #[cfg(test)]
    pub(crate) fn window(&self, now: f64, lookback_s: f64, max_actions: usize) -> Range<usize> {
        self.window_cut(now, lookback_s, max_actions).0
    }

    /// The window of `window`, and whether `max_actions` cut actions that the lookback kept.
    pub(crate) fn window_cut(&self, now: f64, lookback_s: f64, max_actions: usize) -> (Range<usize>, bool) {
        let cutoff = now - lookback_s;
        let first = self.payloads.partition_point(|p| p.0 < cutoff);
        let end = self.actions.len();
        let start = self.payloads.get(first).map_or(end, |p| p.1);
        let capped = end.saturating_sub(max_actions);
        (start.max(capped)..end, capped > start)
    }

    /// `build_product_section_playbook(actions, rules, fallback_id)` over a window, written
    /// into `out` (its buffers are reused from window to window).
    pub(crate) fn section_activity(&self, window: Range<usize>, out: &mut SectionActivity<'t>) -> Result<(), SdkRaise> {
        out.current_section_id = "";
        out.sections.clear();
        out.visits.clear();
        let mut previous: Option<usize> = None;
        for i in window {
            let a = &self.actions[i];
            let name = match self.facts[i].section {
                SectionOf::Id(n) => n,
                SectionOf::BadUrl => return Err(a.stripped_url().err().unwrap_or_default()),
                SectionOf::BadRule(r) => {
                    return Err(self.tuning.section_rule_specs[r as usize].as_ref().err().cloned().unwrap_or_default());
                }
            };
            let section = self.section_names[name as usize];
            let (start, end) = (a.start()?, a.end()?);
            let dwell = (end - start).max(0.0);
            let idx = match out.sections.iter().position(|s| s.name == name) {
                Some(i) => {
                    let stats = &mut out.sections[i];
                    if previous == Some(i) {
                        // The section's last visit is the last visit of all.
                        if let Some(last) = out.visits.last_mut() {
                            last.1 += dwell;
                        }
                    } else {
                        out.visits.push((i, dwell));
                        stats.visits += 1;
                    }
                    stats.first_visited_at = stats.first_visited_at.min(start);
                    stats.last_visited_at = stats.last_visited_at.max(end);
                    i
                }
                None => {
                    out.sections.push(SectionStats {
                        id: section,
                        name,
                        visits: 1,
                        first_visited_at: start,
                        last_visited_at: end,
                    });
                    out.visits.push((out.sections.len() - 1, dwell));
                    out.sections.len() - 1
                }
            };
            previous = Some(idx);
            out.current_section_id = section;
        }
        for s in &out.sections {
            for t in [s.first_visited_at, s.last_visited_at] {
                if !(DATETIME_MIN_S..=DATETIME_MAX_S).contains(&t) {
                    return Err(format!("ValueError: year is out of range (timestamp {})", py::float_repr(t)));
                }
            }
        }
        Ok(())
    }

    /// The ping-pong detector (strict 0.7.3, or strict or hesitation in 0.13.0) over a window;
    /// it never raises. The URL sequence is `str(url).strip()` of each action, empty ones left
    /// out (a URL of another type takes part through its `str()`).
    pub(crate) fn ping_pong(&mut self, window: Range<usize>, sdk: SdkFamily) -> Option<LightHit<'t>> {
        self.seq.clear();
        self.seq.extend(self.facts[window].iter().map(|f| f.page).filter(|p| *p != 0));
        let strict = ping_pong_cycles(&self.seq) >= 1;
        let broad = match sdk {
            SdkFamily::V07 => false,
            SdkFamily::V013 => url_hesitation_with(&self.seq, &mut self.distinct),
        };
        (strict || broad).then_some(LightHit::PingPong { strict, broad })
    }

    /// The user page dwell detector over a window at `now`.
    pub(crate) fn dwell(
        &self,
        window: Range<usize>,
        now: f64,
        settings: &Result<DwellSettings, SdkRaise>,
    ) -> Result<Option<LightHit<'t>>, SdkRaise> {
        let settings = settings.as_ref().map_err(Clone::clone)?;
        let DwellReading::Measured { dur, run_len, last, .. } = self.dwell_reading(window, now, settings)? else {
            return Ok(None);
        };
        // NaN never fires: `dur >= nan` is false in Python too.
        if dur.partial_cmp(&settings.threshold).is_none_or(|o| o == std::cmp::Ordering::Less) {
            return Ok(None);
        }
        let body = dwell_body(self.tuning)?;
        Ok(Some(LightHit::Dwell { dur, run_len, settings: *settings, last, body }))
    }

    /// What the dwell detector measures over a window at `now`, before it compares the
    /// seconds with the threshold.
    pub(crate) fn dwell_reading(
        &self,
        window: Range<usize>,
        now: f64,
        settings: &DwellSettings,
    ) -> Result<DwellReading, SdkRaise> {
        if settings.threshold <= 0.0 {
            return Ok(DwellReading::Off);
        }
        if window.is_empty() {
            return Ok(DwellReading::NoActions);
        }
        let last = window.end - 1;
        self.actions[last].stripped_url()?;
        let last_page = self.facts[last].page;
        if last_page == 0 {
            return Ok(DwellReading::NoPage);
        }
        // Every URL read is stripped first, so one that is not a string raises even when it
        // would not match.
        let mut run_len = 0usize;
        for i in window.rev() {
            self.actions[i].stripped_url()?;
            if self.facts[i].page == last_page {
                run_len += 1;
            } else {
                break;
            }
        }
        if run_len as i64 > settings.max_actions {
            return Ok(DwellReading::TooMany { run_len, last });
        }
        let first_start = self.actions[last + 1 - run_len].start()?;
        let span = self.actions[last].end()? - first_start;
        let grows = span <= 0.0 && run_len == 1;
        let dur = if grows { (now - first_start).max(0.0) } else { span.max(0.0) };
        Ok(DwellReading::Measured { dur, run_len, last, grows, first_start })
    }

    /// The stripped text of action `i`'s URL (a URL of another type through its `str()`).
    pub(crate) fn url_text(&self, i: usize) -> String {
        match &self.actions[i].canonical_url {
            Raw::Ok(s) => py::strip(s).to_string(),
            Raw::Bad(b) => py::strip(&b.text).to_string(),
        }
    }

    /// The URL sequence ping-pong examines over a window (most recent last), with its
    /// evidence: the most recent `A → B → A` triple, else where the nearest one broke, and
    /// (0.13) the hesitation rule's counts.
    pub(crate) fn ping_pong_evidence(&self, window: Range<usize>, sdk: SdkFamily) -> PingPongEvidence {
        let mut urls = Vec::new();
        let mut seq = Vec::new();
        for i in window {
            let page = self.facts[i].page;
            if page != 0 {
                seq.push(page);
                urls.push(self.url_text(i));
            }
        }
        let triple = seq.windows(3).rposition(is_triple);
        let broken = if triple.is_some() { None } else { nearest_break(&seq) };
        let hesitation = match sdk {
            SdkFamily::V07 => None,
            SdkFamily::V013 => {
                let distinct = distinct_count(&seq, &mut Vec::new());
                let repeated = (0..seq.len()).rev().find(|&i| seq[..i].contains(&seq[i])).map(|i| urls[i].clone());
                Some(Hesitation { distinct, min_distinct: HESITATION_MIN_DISTINCT, repeated })
            }
        };
        PingPongEvidence { urls, triple, broken, hesitation }
    }

    /// The section evidence for a window: the last action's URL and the rule that maps it.
    pub(crate) fn section_evidence(&self, window: Range<usize>) -> Option<(String, Option<usize>)> {
        let last = window.end.checked_sub(1).filter(|l| *l >= window.start)?;
        let url = self.url_text(last);
        let rule = if url.is_empty() { None } else { self.section_rule(&url).1 };
        Some((url, rule))
    }
}

/// What the dwell detector measured ([`ActionLog::dwell_reading`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum DwellReading {
    /// The threshold is 0 or less: the detector is off.
    Off,
    /// The context holds no action.
    NoActions,
    /// The last action has no URL.
    NoPage,
    /// More actions in a row on the page than `user_page_dwell_max_actions`.
    TooMany { run_len: usize, last: usize },
    /// Seconds on the last page.
    Measured {
        dur: f64,
        run_len: usize,
        last: usize,
        /// One action with no span: the seconds grow with the clock from `first_start`.
        grows: bool,
        first_start: f64,
    },
}

/// Ping-pong's evidence ([`ActionLog::ping_pong_evidence`]).
#[derive(Debug, Clone, PartialEq)]
pub struct PingPongEvidence {
    /// The non-empty stripped URLs, most recent last.
    pub urls: Vec<String>,
    /// Index in `urls` of the most recent `A → B → A` triple's first URL.
    pub triple: Option<usize>,
    /// The nearest miss: `A → B → B… → A`, broken at index `at` (the repeat of `B`).
    pub broken: Option<Break>,
    /// The 0.13.0 hesitation rule's counts.
    pub hesitation: Option<Hesitation>,
}

/// Where an `A → B → A` triple broke.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Break {
    /// Index of `A`.
    pub from: usize,
    /// Index of the action that broke it (the second one on `B`).
    pub at: usize,
    /// Index of the `A` that came back.
    pub back: usize,
}

/// The 0.13.0 hesitation rule's counts.
#[derive(Debug, Clone, PartialEq)]
pub struct Hesitation {
    pub distinct: usize,
    pub min_distinct: usize,
    /// The most recent URL seen before.
    pub repeated: Option<String>,
}

/// The most recent `A, B, B…, A` (B repeated): the triple the repeat broke.
fn nearest_break(seq: &[u32]) -> Option<Break> {
    let mut found = None;
    for from in 0..seq.len() {
        let b = from + 1;
        if b >= seq.len() || seq[b] == seq[from] {
            continue;
        }
        let mut back = b;
        while back < seq.len() && seq[back] == seq[b] {
            back += 1;
        }
        if back < seq.len() && back > b + 1 && seq[back] == seq[from] {
            found = Some(Break { from, at: b + 1, back });
        }
    }
    found
}

impl<'t> LightHit<'t> {
    pub(crate) fn trigger_id(&self) -> &'static str {
        match self {
            LightHit::PingPong { .. } => super::config::PING_PONG_ID,
            LightHit::Dwell { .. } => super::config::DWELL_ID,
            LightHit::Section { .. } => super::config::SECTION_PLAYBOOK_ID,
        }
    }

    /// The full hit, as the detector returns it. `log` is the log the hit was found in.
    pub(crate) fn to_hit(self, log: &ActionLog<'t>, sdk: SdkFamily) -> Hit {
        let mut metadata = Map::new();
        let (body, reply_option_labels) = match self {
            LightHit::PingPong { strict, broad } => {
                metadata.insert("min_cycles".into(), Value::from(1));
                if sdk == SdkFamily::V013 {
                    let mut matched = Vec::new();
                    if strict {
                        matched.push(Value::from("strict_ping_pong"));
                    }
                    if broad {
                        matched.push(Value::from("hesitation_distinct_with_revisit"));
                    }
                    metadata.insert("matched".into(), Value::Array(matched));
                    metadata.insert("hesitation_min_distinct".into(), Value::from(HESITATION_MIN_DISTINCT));
                }
                (DEFAULT_PROACTIVE_QUICK_REPLY_BODY.to_string(), Vec::new())
            }
            LightHit::Dwell { dur, run_len, settings, last, body } => {
                metadata.insert("user_page_dwell_seconds".into(), Value::from(py::round3(dur)));
                metadata.insert("user_page_dwell_action_count".into(), Value::from(run_len));
                metadata.insert("user_page_dwell_max_actions".into(), Value::from(settings.max_actions));
                metadata.insert("dwell_threshold_seconds".into(), Value::from(settings.threshold));
                // The metadata keeps the last action's URL as sent (unstripped), cut to 512
                // code points.
                let raw_last = match &log.actions[last].canonical_url {
                    Raw::Ok(s) => s.chars().take(512).collect::<String>(),
                    Raw::Bad(_) => String::new(),
                };
                metadata.insert("user_page_dwell_canonical_url".into(), Value::from(raw_last));
                let body = if body.is_empty() { DEFAULT_DWELL_BODY } else { body };
                (truncate_body(body), Vec::new())
            }
            LightHit::Section { id, body, labels } => {
                metadata.insert("section_id".into(), Value::from(id));
                let labels = match labels {
                    Some(items) => items.iter().map(py::str_of).filter(|s| !py::strip(s).is_empty()).collect(),
                    None => Vec::new(),
                };
                (truncate_body(body), labels)
            }
        };
        Hit { trigger_id: self.trigger_id(), body, reply_option_labels, metadata }
    }
}

// ---------------------------------------------------------------------------------------------
// ping-pong
// ---------------------------------------------------------------------------------------------

/// Strict ping-pong: the number of `x, y, x` triples with `x != y`.
pub(crate) fn ping_pong_cycles<T: PartialEq>(seq: &[T]) -> usize {
    if seq.len() < 3 {
        return 0;
    }
    seq.windows(3).filter(|w| is_triple(w)).count()
}

/// `x, y, x` with `x != y`.
fn is_triple<T: PartialEq>(w: &[T]) -> bool {
    w[0] == w[2] && w[0] != w[1]
}

/// The number of distinct items (`distinct` is scratch).
fn distinct_count<T: Ord + Copy>(seq: &[T], distinct: &mut Vec<T>) -> usize {
    distinct.clear();
    distinct.extend_from_slice(seq);
    distinct.sort_unstable();
    distinct.dedup();
    distinct.len()
}

/// The 0.13.0 hesitation rule: at least 3 URLs, 3 distinct, and one seen twice.
#[cfg(test)]
pub(crate) fn url_hesitation<T: Ord + Copy>(seq: &[T]) -> bool {
    url_hesitation_with(seq, &mut Vec::new())
}

/// The 0.13 hesitation rule, with a reusable scratch buffer.
fn url_hesitation_with<T: Ord + Copy>(seq: &[T], distinct: &mut Vec<T>) -> bool {
    if seq.len() < 3 {
        return false;
    }
    let n = distinct_count(seq, distinct);
    if n < HESITATION_MIN_DISTINCT {
        return false;
    }
    n < seq.len()
}

// ---------------------------------------------------------------------------------------------
// dwell
// ---------------------------------------------------------------------------------------------

/// The dwell settings read from `context_extra`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct DwellSettings {
    pub threshold: f64,
    pub max_actions: i64,
}

/// The settings the dwell detector reads on every run. They depend on the tuning alone, so a
/// caller may compute them once and keep the result, error included: the detector raises the
/// same error each time it runs.
pub(crate) fn dwell_settings(tuning: &TriggerTuning) -> Result<DwellSettings, SdkRaise> {
    let threshold = match tuning.get("dwell_threshold_seconds") {
        None => DEFAULT_DWELL_THRESHOLD_S,
        Some(v) => py::float_of(v)?,
    };
    let max_actions = tuning
        .get("user_page_dwell_max_actions")
        .and_then(py::int_of)
        .filter(|n| *n > 0)
        .unwrap_or(DEFAULT_DWELL_MAX_ACTIONS);
    Ok(DwellSettings { threshold, max_actions })
}

// ---------------------------------------------------------------------------------------------
// section playbook
// ---------------------------------------------------------------------------------------------

/// One section's statistics in `product_section_playbook`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SectionStats<'a> {
    pub id: &'a str,
    /// The id's index in the log's distinct section ids.
    name: u32,
    /// Number of visits.
    pub visits: usize,
    pub first_visited_at: f64,
    pub last_visited_at: f64,
}

/// `build_product_section_playbook(..)`: sections in order of first appearance.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct SectionActivity<'a> {
    pub current_section_id: &'a str,
    pub sections: Vec<SectionStats<'a>>,
    /// Every visit in order: (index in `sections`, its dwell). One flat list, so that a
    /// window's activity is rebuilt without allocating.
    visits: Vec<(usize, f64)>,
}

impl SectionActivity<'_> {
    /// `dwell_seconds_per_visit` of section `i`.
    pub(crate) fn dwell_per_visit(&self, i: usize) -> impl Iterator<Item = f64> + '_ {
        self.visits.iter().filter(move |v| v.0 == i).map(|v| v.1)
    }
}

/// Earliest and latest unix seconds Python's `datetime` can format (years 1 to 9999).
const DATETIME_MIN_S: f64 = -62_135_596_800.0;
const DATETIME_MAX_S: f64 = 253_402_300_799.0;

/// `top_playbook_section_id`: most total dwell, then most visits, then the smallest id.
pub(crate) fn top_section<'a>(activity: &SectionActivity<'a>, book: &Map<String, Value>) -> Option<&'a str> {
    activity
        .sections
        .iter()
        .enumerate()
        .filter(|(_, s)| book.contains_key(s.id))
        // Summed visit by visit in order, as `sum(dwell_seconds_per_visit)`.
        .map(|(i, s)| (activity.dwell_per_visit(i).sum::<f64>(), s.visits, s.id))
        .min_by(|a, b| b.0.total_cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(b.2)))
        .map(|(_, _, id)| id)
}

/// The section playbook detector: it reads the window only through `activity`
/// (`product_section_playbook`, built when `section_url_rules` is a non-empty list).
pub(crate) fn section_playbook<'t>(
    tuning: &'t TriggerTuning,
    activity: Option<&SectionActivity<'t>>,
) -> Result<Option<LightHit<'t>>, SdkRaise> {
    let Some(Value::Object(book)) = tuning.get("section_playbook") else { return Ok(None) };
    let host = host_section_id(tuning)?;
    let section_id = if !host.is_empty() && book.contains_key(host) {
        host
    } else if let Some(activity) = activity {
        match top_section(activity, book) {
            Some(id) => id,
            None => {
                let current = py::strip(activity.current_section_id);
                if book.contains_key(current) && !current.is_empty() {
                    current
                } else {
                    return Ok(None);
                }
            }
        }
    } else {
        return Ok(None);
    };
    let Some((body, labels)) = section_row(&book[section_id])? else { return Ok(None) };
    if body.is_empty() {
        return Ok(None);
    }
    Ok(Some(LightHit::Section { id: section_id, body, labels }))
}

// The readers below are the only places the detectors read these settings, and `triggers
// validate` calls them too: a value is reported as raising exactly when the detector would
// raise on it.

/// `dwell_proactive_body` as the dwell detector reads it when it fires: stripped, `""` for the
/// default body.
pub(crate) fn dwell_body(tuning: &TriggerTuning) -> Result<&str, SdkRaise> {
    py::or_empty_strip(tuning.get("dwell_proactive_body"))
}

/// `current_section_id` as the section playbook detector reads it on every run.
pub(crate) fn host_section_id(tuning: &TriggerTuning) -> Result<&str, SdkRaise> {
    py::or_empty_strip(tuning.get("current_section_id"))
}

/// The key of a `section_playbook` object row that holds its body: the first of `body` and
/// `proactive_body` with a truthy value.
pub(crate) fn section_row_body_key(row: &Map<String, Value>) -> Option<&'static str> {
    ["body", "proactive_body"].into_iter().find(|key| row.get(*key).is_some_and(py::is_truthy))
}

/// A section's message: its body and its reply labels, as written.
pub(crate) type SectionMessage<'t> = (&'t str, Option<&'t [Value]>);

/// One `section_playbook` row as the section detector reads it once it picked that section:
/// the body (stripped; empty never fires) and the reply labels. `None` for a row that is
/// neither a string nor an object.
pub(crate) fn section_row(row: &Value) -> Result<Option<SectionMessage<'_>>, SdkRaise> {
    Ok(Some(match row {
        Value::String(s) => (py::strip(s), None),
        Value::Object(row) => {
            let body = match section_row_body_key(row).and_then(|key| row.get(key)) {
                Some(v) => py::strip_value(v)?,
                None => "",
            };
            let labels_value = [row.get("reply_option_labels"), row.get("quick_reply_labels")]
                .into_iter()
                .flatten()
                .find(|v| py::is_truthy(v));
            let labels = match labels_value {
                Some(Value::Array(items)) => Some(items.as_slice()),
                _ => None,
            };
            (body, labels)
        }
        _ => return Ok(None),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seq(urls: &[&str]) -> Vec<Action> {
        urls.iter().map(|u| Action::new(u, 0.0, 0.0)).collect()
    }

    fn tuning_of(doc: Value) -> TriggerTuning {
        super::super::config::parse_products(&doc).rows[0].tuning.clone()
    }

    /// The strict cycle count of the log's page sequence (empty URLs left out).
    fn cycles(urls: &[&str]) -> usize {
        let tuning = TriggerTuning::default();
        let mut log = ActionLog::new(&tuning);
        log.push(0.0, seq(urls));
        let pages: Vec<u32> = log.facts.iter().map(|f| f.page).filter(|p| *p != 0).collect();
        ping_pong_cycles(&pages)
    }

    #[test]
    fn strict_ping_pong_examples() {
        assert_eq!(cycles(&["/a", "/b", "/a"]), 1);
        assert_eq!(cycles(&["/a", "/a", "/a"]), 0);
        assert_eq!(cycles(&["/a", "", "/b", "  ", "/a"]), 1);
        assert_eq!(cycles(&["/a", "/b", "/b", "/a"]), 0);
        assert_eq!(cycles(&["/a", "/a", "/b", "/a"]), 1);
        assert_eq!(cycles(&["/a", "/b", "/a", "/b"]), 2);
        assert_eq!(cycles(&[" /a", "/b", "/a "]), 1);
    }

    #[test]
    fn hesitation_examples() {
        assert!(url_hesitation(&["/a", "/b", "/c", "/a"]));
        assert!(url_hesitation(&["/a", "/a", "/b", "/c"]));
        assert!(!url_hesitation(&["/a", "/b", "/c", "/d"]));
        assert!(!url_hesitation(&["/a", "/b", "/a", "/b"]));
    }

    #[test]
    fn pages_are_equal_exactly_for_equal_stripped_texts() {
        let tuning = TriggerTuning::default();
        let mut log = ActionLog::new(&tuning);
        let bad = Action { canonical_url: raw_text_bad(&serde_json::json!(-3)), ..Action::new("", 0.0, 0.0) };
        log.push(0.0, seq(&["/a", " /a\u{a0}", "/b", "", "  ", "-3"]));
        log.push(1.0, vec![bad]);
        let pages: Vec<u32> = log.facts.iter().map(|f| f.page).collect();
        assert_eq!(pages[0], pages[1]);
        assert_ne!(pages[0], pages[2]);
        assert_eq!((pages[3], pages[4]), (0, 0));
        assert_eq!(pages[5], pages[6]); // `str(-3)` is the page "-3" for ping-pong
        assert_eq!(log.facts[6].section, SectionOf::BadUrl);
    }

    /// `from_actions_payloads(..)` as the SDK states it, payload by payload.
    fn reference_recent_actions(
        payloads: &[(f64, Vec<Action>)],
        lookback_s: f64,
        max_actions: usize,
        now: f64,
    ) -> Vec<Action> {
        let cutoff = now - lookback_s;
        let mut remaining = max_actions;
        let mut taken: Vec<(usize, usize)> = Vec::new();
        for (i, (at, actions)) in payloads.iter().enumerate().rev() {
            if *at < cutoff {
                continue;
            }
            if remaining == 0 {
                break;
            }
            let n = actions.len();
            if n <= remaining {
                remaining -= n;
                taken.push((i, 0));
            } else {
                taken.push((i, n - remaining));
                break;
            }
        }
        taken.into_iter().rev().flat_map(|(i, skip)| payloads[i].1[skip..].iter().cloned()).collect()
    }

    #[test]
    fn lookback_and_batch_aware_trim() {
        let tuning = TriggerTuning::default();
        let mut log = ActionLog::new(&tuning);
        log.push(10.0, seq(&["/old"]));
        log.push(100.0, seq(&["/a", "/b", "/c"]));
        log.push(110.0, seq(&["/d", "/e"]));
        let urls =
            |r: Range<usize>| log.actions[r].iter().map(|a| a.stripped_url().unwrap().to_string()).collect::<Vec<_>>();
        assert_eq!(urls(log.window(130.0, 120.0, 3)), vec!["/c", "/d", "/e"]);
        assert_eq!(urls(log.window(130.0, 120.0, 50)), vec!["/old", "/a", "/b", "/c", "/d", "/e"]);
        assert_eq!(urls(log.window(130.0, 30.0, 50)), vec!["/a", "/b", "/c", "/d", "/e"]);
        assert_eq!(urls(log.window(130.0, 30.0, 2)), vec!["/d", "/e"]);
        assert!(urls(log.window(500.0, 30.0, 2)).is_empty());
    }

    #[test]
    fn the_window_is_the_sdk_trim() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let tuning = TriggerTuning::default();
        for _ in 0..300 {
            let mut log = ActionLog::new(&tuning);
            let mut payloads = Vec::new();
            let mut at = 0.0;
            for p in 0..rng.random_range(0..12) {
                at += f64::from(rng.random_range(0..4u8)) * 5.0;
                let actions: Vec<Action> =
                    (0..rng.random_range(0..5)).map(|k| Action::new(&format!("/{p}/{k}"), at, at)).collect();
                log.push(at, actions.clone());
                payloads.push((at, actions));
            }
            for _ in 0..10 {
                let now = at + f64::from(rng.random_range(0..30u8));
                let lookback = f64::from(rng.random_range(1..40u8));
                let max = rng.random_range(1..15);
                let expected = reference_recent_actions(&payloads, lookback, max, now);
                assert_eq!(log.actions[log.window(now, lookback, max)], expected[..]);
            }
        }
    }

    #[test]
    fn section_activity_matches_the_pinned_test() {
        let tuning = tuning_of(serde_json::json!({"integration_config": {"proactive_triggers": {
            "section_url_rules": [{"prefix": "/pricing", "section_id": "pricing"}], "section_url_fallback_id": "other"}}}));
        let mut log = ActionLog::new(&tuning);
        log.push(
            0.0,
            vec![
                Action::new("/pricing", 100.0, 110.0),
                Action::new("/pricing", 110.0, 125.0),
                Action::new("/checkout", 126.0, 130.0),
                Action::new("/pricing", 131.0, 140.0),
            ],
        );
        let mut act = SectionActivity::default();
        log.section_activity(0..4, &mut act).unwrap();
        assert_eq!(act.current_section_id, "pricing");
        assert_eq!(act.dwell_per_visit(0).collect::<Vec<_>>(), vec![25.0, 9.0]);
        assert_eq!(act.dwell_per_visit(1).collect::<Vec<_>>(), vec![4.0]);
        assert_eq!((act.sections[0].visits, act.sections[1].visits), (2, 1));
        // Rebuilt in place for another window.
        log.section_activity(2..4, &mut act).unwrap();
        assert_eq!(act.sections.iter().map(|s| s.id).collect::<Vec<_>>(), vec!["other", "pricing"]);
        assert_eq!(act.dwell_per_visit(1).collect::<Vec<_>>(), vec![9.0]);
    }

    #[test]
    fn section_ids_compare_by_content() {
        // Two rules naming the same section, and one naming the fallback.
        let tuning = tuning_of(serde_json::json!({"integration_config": {"proactive_triggers": {
            "section_url_rules": [{"prefix": "/a", "section_id": "s"}, {"prefix": "/b", "section_id": "s"},
                                  {"prefix": "/c", "section_id": "other"}]}}}));
        let mut log = ActionLog::new(&tuning);
        log.push(0.0, vec![Action::new("/a", 0.0, 1.0), Action::new("/b", 1.0, 3.0), Action::new("/c", 3.0, 4.0)]);
        log.push(0.0, vec![Action::new("/x", 4.0, 5.0), Action::new("", 5.0, 6.0)]);
        let mut act = SectionActivity::default();
        log.section_activity(0..5, &mut act).unwrap();
        assert_eq!(act.sections.iter().map(|s| s.id).collect::<Vec<_>>(), vec!["s", "other"]);
        assert_eq!(act.dwell_per_visit(0).collect::<Vec<_>>(), vec![3.0]);
        assert_eq!(act.dwell_per_visit(1).collect::<Vec<_>>(), vec![3.0]);
    }

    #[test]
    fn a_bad_rule_raises_only_when_an_action_reaches_it() {
        let tuning = tuning_of(serde_json::json!({"integration_config": {"proactive_triggers": {
            "section_url_rules": [{"prefix": "/a", "section_id": "a"}, 5]}}}));
        assert!(tuning.section_rule_specs[1].is_err());
        let mut log = ActionLog::new(&tuning);
        log.push(0.0, vec![Action::new("/a", 0.0, 1.0), Action::new("", 1.0, 2.0), Action::new("/b", 2.0, 3.0)]);
        let mut act = SectionActivity::default();
        assert!(log.section_activity(0..2, &mut act).is_ok());
        assert_eq!(log.section_activity(0..3, &mut act), tuning.section_rule_specs[1].clone().map(|_| ()));
    }

    #[test]
    fn dwell_runs_and_raises_like_the_detector() {
        let tuning = TriggerTuning::default();
        let settings = Ok(DwellSettings { threshold: 10.0, max_actions: 2 });
        let mut log = ActionLog::new(&tuning);
        log.push(0.0, vec![Action::new("/x", 0.0, 1.0), Action::new("/p", 10.0, 12.0), Action::new(" /p", 12.0, 25.0)]);
        let hit = log.dwell(0..3, 30.0, &settings).unwrap().unwrap();
        assert!(matches!(hit, LightHit::Dwell { run_len: 2, last: 2, dur: 15.0, .. }));
        let full = hit.to_hit(&log, SdkFamily::V07);
        assert_eq!(full.metadata["user_page_dwell_canonical_url"], " /p");
        assert_eq!(full.body, DEFAULT_DWELL_BODY);
        // Three in a row is more than max_actions.
        log.push(1.0, vec![Action::new("/p", 25.0, 40.0)]);
        assert_eq!(log.dwell(0..4, 40.0, &settings), Ok(None));
        // A URL that is not a string raises where it is read, before the run ends.
        let bad = Action { canonical_url: raw_text_bad(&serde_json::json!(7)), ..Action::new("", 0.0, 0.0) };
        let mut log = ActionLog::new(&tuning);
        log.push(0.0, vec![bad, Action::new("/p", 2.0, 2.0)]);
        assert!(log.dwell(0..2, 30.0, &settings).unwrap_err().starts_with("AttributeError: 'int'"));
        assert_eq!(
            log.dwell(1..2, 30.0, &settings),
            Ok(Some(LightHit::Dwell {
                dur: 28.0,
                run_len: 1,
                settings: DwellSettings { threshold: 10.0, max_actions: 2 },
                last: 1,
                body: "",
            }))
        );
        assert_eq!(log.dwell(1..2, 30.0, &Err("E".into())), Err("E".into()));
    }

    #[test]
    fn actions_stay_small() {
        assert!(std::mem::size_of::<Action>() <= 64, "{}", std::mem::size_of::<Action>());
    }

    #[test]
    fn body_truncation_counts_code_points() {
        let long: String = "é".repeat(200);
        assert_eq!(truncate_body(&long).chars().count(), 150);
        assert_eq!(truncate_body("  hi  "), "hi");
    }
}
