/*!
The trigger context and the three built-in detectors (triggers.md §3–5), restated from the
spec: strict URL ping-pong (0.7.3) and the 0.13.0 hesitation rule, user page dwell, and the
section playbook with `build_product_section_playbook`.

Actions keep the raw shape the SDK would hold after its lenient `from_dict`: a URL or a
timestamp of the wrong type is kept as [`Raw::Bad`], and a detector that touches it fails
with the exception the SDK would raise, so the simulator stops exactly when the SDK would.
*/

use std::sync::Arc;

use serde_json::{Map, Value};

use super::config::{BuiltinKind, SdkRaise, TriggerTuning};
use super::py;

pub const DEFAULT_PROACTIVE_QUICK_REPLY_BODY: &str = "Need my expert help?";
pub const DEFAULT_DWELL_BODY: &str = "Still on this page \u{2014} want a quick tip?";
pub const DEFAULT_DWELL_THRESHOLD_S: f64 = 60.0;
pub const DEFAULT_DWELL_MAX_ACTIONS: i64 = 5;
pub const PROACTIVE_BODY_MAX_CHARS: usize = 150;
pub const HESITATION_MIN_DISTINCT: usize = 3;
pub const UNMAPPED_SECTION_ID: &str = "other";

/// A field value after `get(key) or default`: usable, or a truthy value of the wrong type.
#[derive(Debug, Clone, PartialEq)]
pub enum Raw<T> {
    Ok(T),
    /// The Python type name of the value the SDK kept, and its `str()` (the ping-pong
    /// predicate compares `str(url).strip()`, so `-3` and `"-3"` are the same page there).
    /// Boxed so that the common case stays small (a million actions are held at once).
    Bad(Box<BadValue>),
}

/// A value of the wrong type: its Python type name and its `str()`.
#[derive(Debug, Clone, PartialEq)]
pub struct BadValue {
    pub type_name: &'static str,
    pub text: String,
}

fn bad(value: &Value) -> Box<BadValue> {
    Box::new(BadValue { type_name: py::type_name(value), text: py::str_of(value) })
}

/// The parts of a `SlimAction` the detectors read.
#[derive(Debug, Clone, PartialEq)]
pub struct Action {
    /// Shared: recordings repeat the same few URLs a million times.
    pub canonical_url: Raw<Arc<str>>,
    pub timestamp_start: Raw<f64>,
    pub timestamp_end: Raw<f64>,
}

impl Action {
    /// From a JSON action object, with the SDK's `or default` rules.
    pub fn from_object(obj: &Map<String, Value>) -> Action {
        Action {
            canonical_url: raw_text(obj.get("canonical_url")),
            timestamp_start: raw_number(obj.get("timestamp_start")),
            timestamp_end: raw_number(obj.get("timestamp_end")),
        }
    }

    /// A plain action (tests, generators).
    pub fn new(url: &str, start: f64, end: f64) -> Action {
        Action { canonical_url: Raw::Ok(Arc::from(url)), timestamp_start: Raw::Ok(start), timestamp_end: Raw::Ok(end) }
    }

    /// `(canonical_url or "").strip()`.
    pub fn stripped_url(&self) -> Result<&str, SdkRaise> {
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

/// `value or ""` for a field the SDK treats as text.
pub fn raw_text(value: Option<&Value>) -> Raw<Arc<str>> {
    match value {
        Some(v) if py::is_truthy(v) => match v {
            Value::String(s) => Raw::Ok(Arc::from(s.as_str())),
            other => Raw::Bad(bad(other)),
        },
        _ => Raw::Ok(Arc::from("")),
    }
}

/// A non-string truthy URL value, kept as the SDK would keep it.
pub fn raw_text_bad(value: &Value) -> Raw<Arc<str>> {
    Raw::Bad(bad(value))
}

/// `value or 0.0` for a field the SDK does arithmetic on (`True` counts as 1).
pub fn raw_number(value: Option<&Value>) -> Raw<f64> {
    match value {
        Some(v) if py::is_truthy(v) => match py::as_number(v) {
            Some(n) => Raw::Ok(n),
            None => Raw::Bad(bad(v)),
        },
        _ => Raw::Ok(0.0),
    }
}

/// One buffered `actions` payload.
#[derive(Debug, Clone, PartialEq)]
pub struct Payload {
    pub forwarded_at: f64,
    pub actions: Vec<Action>,
}

/// `from_actions_payloads(..)` reduced to what the detectors read: the recent actions, oldest
/// first (lookback per payload, then the batch-aware trim to `max_actions`).
pub fn recent_actions(buffer: &[Payload], lookback_s: f64, max_actions: usize, now: f64) -> Vec<&Action> {
    let cutoff = now - lookback_s;
    // Newest first: whole payloads while they fit, then the last actions of the next one.
    let mut remaining = max_actions;
    let mut taken: Vec<(usize, usize)> = Vec::with_capacity(16); // (payload, first action kept)
    for (i, p) in buffer.iter().enumerate().rev() {
        if p.forwarded_at < cutoff {
            continue;
        }
        if remaining == 0 {
            break;
        }
        let n = p.actions.len();
        if n <= remaining {
            remaining -= n;
            taken.push((i, 0));
        } else {
            taken.push((i, n - remaining));
            break;
        }
    }
    let mut out = Vec::with_capacity(max_actions - remaining);
    for (i, skip) in taken.into_iter().rev() {
        out.extend(buffer[i].actions[skip..].iter());
    }
    out
}

/// A detector hit (`ProactiveTriggerResult` as wrapped by its entity).
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub trigger_id: &'static str,
    pub body: String,
    pub reply_option_labels: Vec<String>,
    pub metadata: Map<String, Value>,
}

/// Which SDK release's detector semantics to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SdkFamily {
    V07,
    V013,
}

/// What every detector of one evaluation sees.
pub struct EvalContext<'a> {
    pub actions: &'a [&'a Action],
    pub tuning: &'a TriggerTuning,
    pub eval_now: f64,
    pub sdk: SdkFamily,
    /// `product_section_playbook`, built when `section_url_rules` is a non-empty list.
    pub section_playbook: Option<&'a SectionActivity<'a>>,
}

/// Runs one catalog detector.
pub fn evaluate(kind: BuiltinKind, ctx: &EvalContext) -> Result<Option<Hit>, SdkRaise> {
    match kind {
        BuiltinKind::PingPong => ping_pong(ctx),
        BuiltinKind::Dwell => dwell(ctx),
        BuiltinKind::SectionPlaybook => section_playbook(ctx),
    }
}

/// `validate_or_truncate_proactive_body`: strip, then at most 150 code points (right-stripped).
pub fn truncate_body(text: &str) -> String {
    let t = py::strip(text);
    if t.chars().count() <= PROACTIVE_BODY_MAX_CHARS {
        return t.to_string();
    }
    let cut: String = t.chars().take(PROACTIVE_BODY_MAX_CHARS).collect();
    cut.trim_end_matches(|c: char| c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)).to_string()
}

// ---------------------------------------------------------------------------------------------
// ping-pong
// ---------------------------------------------------------------------------------------------

/// The non-empty URLs in order as the ping-pong predicates read them: `str(url).strip()`
/// (a URL of another type takes part through its `str()`; it never raises here).
fn url_sequence<'a>(actions: &[&'a Action]) -> Vec<&'a str> {
    let mut seq = Vec::with_capacity(actions.len());
    for a in actions {
        let u = match &a.canonical_url {
            Raw::Ok(s) => py::strip(s),
            Raw::Bad(b) => py::strip(&b.text),
        };
        if !u.is_empty() {
            seq.push(u);
        }
    }
    seq
}

/// Strict ping-pong: the number of `x, y, x` triples with `x != y`.
pub fn ping_pong_cycles(seq: &[&str]) -> usize {
    if seq.len() < 3 {
        return 0;
    }
    seq.windows(3).filter(|w| w[0] == w[2] && w[0] != w[1]).count()
}

/// The 0.13.0 hesitation rule: at least 3 URLs, 3 distinct, and one seen twice.
pub fn url_hesitation(seq: &[&str]) -> bool {
    if seq.len() < 3 {
        return false;
    }
    let mut distinct: Vec<&str> = seq.to_vec();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() < HESITATION_MIN_DISTINCT {
        return false;
    }
    distinct.len() < seq.len()
}

fn ping_pong(ctx: &EvalContext) -> Result<Option<Hit>, SdkRaise> {
    let seq = url_sequence(ctx.actions);
    let strict = ping_pong_cycles(&seq) >= 1;
    let mut metadata = Map::new();
    metadata.insert("min_cycles".into(), Value::from(1));
    match ctx.sdk {
        SdkFamily::V07 => {
            if !strict {
                return Ok(None);
            }
        }
        SdkFamily::V013 => {
            let broad = url_hesitation(&seq);
            if !strict && !broad {
                return Ok(None);
            }
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
    }
    Ok(Some(Hit {
        trigger_id: super::config::PING_PONG_ID,
        body: DEFAULT_PROACTIVE_QUICK_REPLY_BODY.to_string(),
        reply_option_labels: Vec::new(),
        metadata,
    }))
}

// ---------------------------------------------------------------------------------------------
// dwell
// ---------------------------------------------------------------------------------------------

/// The dwell settings read from `context_extra`.
#[derive(Debug, Clone, PartialEq)]
pub struct DwellSettings {
    pub threshold: f64,
    pub max_actions: i64,
}

pub fn dwell_settings(tuning: &TriggerTuning) -> Result<DwellSettings, SdkRaise> {
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

fn dwell(ctx: &EvalContext) -> Result<Option<Hit>, SdkRaise> {
    let settings = dwell_settings(ctx.tuning)?;
    if settings.threshold <= 0.0 {
        return Ok(None);
    }
    let now = ctx.eval_now;
    let Some(last) = ctx.actions.last() else { return Ok(None) };
    let last_url = last.stripped_url()?;
    if last_url.is_empty() {
        return Ok(None);
    }
    let mut run_len = 0usize;
    for a in ctx.actions.iter().rev() {
        if a.stripped_url()? == last_url {
            run_len += 1;
        } else {
            break;
        }
    }
    if run_len as i64 > settings.max_actions {
        return Ok(None);
    }
    let run = &ctx.actions[ctx.actions.len() - run_len..];
    let first_start = run[0].start()?;
    let span = run[run_len - 1].end()? - first_start;
    let dur = if span <= 0.0 && run_len == 1 { (now - first_start).max(0.0) } else { span.max(0.0) };
    // NaN never fires: `dur >= nan` is false in Python too.
    if dur.partial_cmp(&settings.threshold).is_none_or(|o| o == std::cmp::Ordering::Less) {
        return Ok(None);
    }
    let body = match ctx.tuning.get("dwell_proactive_body") {
        Some(v) => py::or_empty_strip(Some(v))?.to_string(),
        None => String::new(),
    };
    let body = if body.is_empty() { DEFAULT_DWELL_BODY.to_string() } else { body };
    let mut metadata = Map::new();
    metadata.insert("user_page_dwell_seconds".into(), Value::from(py::round3(dur)));
    metadata.insert("user_page_dwell_action_count".into(), Value::from(run_len));
    metadata.insert("user_page_dwell_max_actions".into(), Value::from(settings.max_actions));
    metadata.insert("dwell_threshold_seconds".into(), Value::from(settings.threshold));
    // The metadata keeps the last action's URL as sent (unstripped), cut to 512 code points.
    let raw_last = match &last.canonical_url {
        Raw::Ok(s) => s.chars().take(512).collect::<String>(),
        Raw::Bad(_) => String::new(),
    };
    metadata.insert("user_page_dwell_canonical_url".into(), Value::from(raw_last));
    Ok(Some(Hit {
        trigger_id: super::config::DWELL_ID,
        body: truncate_body(&body),
        reply_option_labels: Vec::new(),
        metadata,
    }))
}

// ---------------------------------------------------------------------------------------------
// section playbook
// ---------------------------------------------------------------------------------------------

/// One section's statistics in `product_section_playbook`.
#[derive(Debug, Clone, PartialEq)]
pub struct SectionStats<'a> {
    pub id: &'a str,
    pub dwell_seconds_per_visit: Vec<f64>,
    pub first_visited_at: f64,
    pub last_visited_at: f64,
}

/// `build_product_section_playbook(..)`: sections in order of first appearance.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SectionActivity<'a> {
    pub current_section_id: &'a str,
    pub sections: Vec<SectionStats<'a>>,
}

/// Earliest and latest unix seconds Python's `datetime` can format (years 1 to 9999).
const DATETIME_MIN_S: f64 = -62_135_596_800.0;
const DATETIME_MAX_S: f64 = 253_402_300_799.0;

/// `build_product_section_playbook(actions, rules, fallback_id)` with the rules as
/// [`TriggerTuning::section_rule_specs`]: a bad rule raises only when an action reaches it.
pub fn build_section_activity<'t>(
    actions: &[&Action],
    tuning: &'t TriggerTuning,
) -> Result<SectionActivity<'t>, SdkRaise> {
    let fallback = tuning.section_fallback_id.as_str();
    let mut out = SectionActivity::default();
    let mut previous: Option<usize> = None;
    for a in actions {
        let url = a.stripped_url()?;
        let mut section = fallback;
        if !url.is_empty() {
            for rule in &tuning.section_rule_specs {
                match rule {
                    Err(e) => return Err(e.clone()),
                    Ok(Some((prefix, id))) if url.starts_with(prefix.as_str()) => {
                        section = id.as_str();
                        break;
                    }
                    Ok(_) => {}
                }
            }
        }
        let (start, end) = (a.start()?, a.end()?);
        let dwell = (end - start).max(0.0);
        let idx = match out.sections.iter().position(|s| s.id == section) {
            Some(i) => {
                let stats = &mut out.sections[i];
                if previous == Some(i) {
                    if let Some(last) = stats.dwell_seconds_per_visit.last_mut() {
                        *last += dwell;
                    }
                } else {
                    stats.dwell_seconds_per_visit.push(dwell);
                }
                stats.first_visited_at = stats.first_visited_at.min(start);
                stats.last_visited_at = stats.last_visited_at.max(end);
                i
            }
            None => {
                out.sections.push(SectionStats {
                    id: section,
                    dwell_seconds_per_visit: vec![dwell],
                    first_visited_at: start,
                    last_visited_at: end,
                });
                out.sections.len() - 1
            }
        };
        previous = Some(idx);
        out.current_section_id = section;
    }
    for s in &out.sections {
        for t in [s.first_visited_at, s.last_visited_at] {
            if !(DATETIME_MIN_S..=DATETIME_MAX_S).contains(&t) {
                return Err(format!("ValueError: year is out of range (timestamp {})", py::py_float_repr(t)));
            }
        }
    }
    Ok(out)
}

/// `top_playbook_section_id`: most total dwell, then most visits, then the smallest id.
pub fn top_section<'a>(activity: &SectionActivity<'a>, book: &Map<String, Value>) -> Option<&'a str> {
    activity
        .sections
        .iter()
        .filter(|s| book.contains_key(s.id))
        .map(|s| (s.dwell_seconds_per_visit.iter().sum::<f64>(), s.dwell_seconds_per_visit.len(), s.id))
        .min_by(|a, b| b.0.total_cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(b.2)))
        .map(|(_, _, id)| id)
}

fn section_playbook(ctx: &EvalContext) -> Result<Option<Hit>, SdkRaise> {
    let Some(Value::Object(book)) = ctx.tuning.get("section_playbook") else { return Ok(None) };
    let host = py::or_empty_strip(ctx.tuning.get("current_section_id"))?;
    let section_id = if !host.is_empty() && book.contains_key(host) {
        host.to_string()
    } else if let Some(activity) = ctx.section_playbook {
        match top_section(activity, book) {
            Some(id) => id.to_string(),
            None => {
                let current = py::strip(activity.current_section_id);
                if book.contains_key(current) && !current.is_empty() {
                    current.to_string()
                } else {
                    return Ok(None);
                }
            }
        }
    } else {
        return Ok(None);
    };
    let (body, labels) = match &book[&section_id] {
        Value::String(s) => (py::strip(s).to_string(), Vec::new()),
        Value::Object(row) => {
            let body_value =
                [row.get("body"), row.get("proactive_body")].into_iter().flatten().find(|v| py::is_truthy(v));
            let body = match body_value {
                Some(v) => py::strip_value(v)?.to_string(),
                None => String::new(),
            };
            let labels_value = [row.get("reply_option_labels"), row.get("quick_reply_labels")]
                .into_iter()
                .flatten()
                .find(|v| py::is_truthy(v));
            let labels = match labels_value {
                Some(Value::Array(items)) => {
                    items.iter().map(py::str_of).filter(|s| !py::strip(s).is_empty()).collect()
                }
                _ => Vec::new(),
            };
            (body, labels)
        }
        _ => return Ok(None),
    };
    if body.is_empty() {
        return Ok(None);
    }
    let mut metadata = Map::new();
    metadata.insert("section_id".into(), Value::from(section_id));
    Ok(Some(Hit {
        trigger_id: super::config::SECTION_PLAYBOOK_ID,
        body: truncate_body(&body),
        reply_option_labels: labels,
        metadata,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seq(urls: &[&str]) -> Vec<Action> {
        urls.iter().map(|u| Action::new(u, 0.0, 0.0)).collect()
    }

    #[test]
    fn strict_ping_pong_examples() {
        let check = |urls: &[&str]| {
            let actions = seq(urls);
            let refs: Vec<&Action> = actions.iter().collect();
            ping_pong_cycles(&url_sequence(&refs))
        };
        assert_eq!(check(&["/a", "/b", "/a"]), 1);
        assert_eq!(check(&["/a", "/a", "/a"]), 0);
        assert_eq!(check(&["/a", "", "/b", "  ", "/a"]), 1);
        assert_eq!(check(&["/a", "/b", "/b", "/a"]), 0);
        assert_eq!(check(&["/a", "/a", "/b", "/a"]), 1);
        assert_eq!(check(&["/a", "/b", "/a", "/b"]), 2);
        assert_eq!(check(&[" /a", "/b", "/a "]), 1);
    }

    #[test]
    fn hesitation_examples() {
        assert!(url_hesitation(&["/a", "/b", "/c", "/a"]));
        assert!(url_hesitation(&["/a", "/a", "/b", "/c"]));
        assert!(!url_hesitation(&["/a", "/b", "/c", "/d"]));
        assert!(!url_hesitation(&["/a", "/b", "/a", "/b"]));
    }

    #[test]
    fn lookback_and_batch_aware_trim() {
        let buffer = vec![
            Payload { forwarded_at: 10.0, actions: seq(&["/old"]) },
            Payload { forwarded_at: 100.0, actions: seq(&["/a", "/b", "/c"]) },
            Payload { forwarded_at: 110.0, actions: seq(&["/d", "/e"]) },
        ];
        let urls = |v: Vec<&Action>| v.iter().map(|a| a.stripped_url().unwrap().to_string()).collect::<Vec<_>>();
        assert_eq!(urls(recent_actions(&buffer, 120.0, 3, 130.0)), vec!["/c", "/d", "/e"]);
        assert_eq!(urls(recent_actions(&buffer, 120.0, 50, 130.0)), vec!["/old", "/a", "/b", "/c", "/d", "/e"]);
        assert_eq!(urls(recent_actions(&buffer, 30.0, 50, 130.0)), vec!["/a", "/b", "/c", "/d", "/e"]);
        assert_eq!(urls(recent_actions(&buffer, 30.0, 2, 130.0)), vec!["/d", "/e"]);
    }

    #[test]
    fn section_activity_matches_the_pinned_test() {
        let actions = [
            Action::new("/pricing", 100.0, 110.0),
            Action::new("/pricing", 110.0, 125.0),
            Action::new("/checkout", 126.0, 130.0),
            Action::new("/pricing", 131.0, 140.0),
        ];
        let refs: Vec<&Action> = actions.iter().collect();
        let doc = serde_json::json!({"integration_config": {"proactive_triggers": {
            "section_url_rules": [{"prefix": "/pricing", "section_id": "pricing"}], "section_url_fallback_id": "other"}}});
        let parsed = super::super::config::parse_products(&doc);
        let act = build_section_activity(&refs, &parsed.rows[0].tuning).unwrap();
        assert_eq!(act.current_section_id, "pricing");
        assert_eq!(act.sections[0].dwell_seconds_per_visit, vec![25.0, 9.0]);
        assert_eq!(act.sections[1].dwell_seconds_per_visit, vec![4.0]);
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
