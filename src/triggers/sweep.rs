/*!
What if a config value were different (`autoplay triggers tune --vary`, `simulate --set`):
overrides of a `products.json` document by JSON path or unambiguous key name, the
combinations of several swept values, and the figures of one simulated combination.
*/

use serde_json::Value;

use super::engine::{Record, RecordKind, SessionSummary, SimOutput};
use crate::json::path::{JsonPath, Segment};

/// One `KEY=V1,V2,…` (or `KEY=FROM..TO:STEP`): where in the config, and the values to try.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Vary {
    /// As written.
    pub key: String,
    pub values: Vec<Value>,
}

/// At most this many values in one range.
const MAX_RANGE_VALUES: usize = 10_000;

/// Parses `KEY=V1,V2,…` or `KEY=FROM..TO:STEP` (a value is JSON, or else a string).
pub(crate) fn parse_vary(text: &str) -> Result<Vary, String> {
    let (key, values) =
        text.split_once('=').ok_or_else(|| format!("{text:?}: expected KEY=V1,V2,… or KEY=FROM..TO:STEP"))?;
    let key = key.trim();
    if key.is_empty() {
        return Err(format!("{text:?}: the key is empty"));
    }
    let values = match parse_range(values)? {
        Some(range) => range,
        None => values.split(',').map(parse_value).collect(),
    };
    if values.is_empty() {
        return Err(format!("{text:?}: no values"));
    }
    Ok(Vary { key: key.to_string(), values })
}

/// One value: JSON (`45`, `true`, `"x"`, `null`), or the text as a string.
pub(crate) fn parse_value(text: &str) -> Value {
    let t = text.trim();
    serde_json::from_str(t).unwrap_or_else(|_| Value::String(t.to_string()))
}

/// `FROM..TO:STEP` (both ends included), `None` when the text is not a range.
fn parse_range(text: &str) -> Result<Option<Vec<Value>>, String> {
    let Some((from, rest)) = text.split_once("..") else { return Ok(None) };
    let (to, step) = rest.split_once(':').unwrap_or((rest, "1"));
    let num = |s: &str| s.trim().parse::<f64>().ok().filter(|v| v.is_finite());
    let (Some(from), Some(to), Some(step)) = (num(from), num(to), num(step)) else {
        return Err(format!("{text:?}: a range is FROM..TO:STEP with numbers, e.g. 30..120:15"));
    };
    if step <= 0.0 || to < from {
        return Err(format!("{text:?}: a range needs FROM <= TO and a STEP > 0"));
    }
    let n = ((to - from) / step + 1e-9).floor() as usize + 1;
    if n > MAX_RANGE_VALUES {
        return Err(format!("{text:?}: {n} values; at most {MAX_RANGE_VALUES}"));
    }
    let whole = [from, step].iter().all(|v| v.fract() == 0.0);
    Ok(Some(
        (0..n)
            .map(|k| {
                let v = from + step * k as f64;
                if whole { Value::from(v as i64) } else { Value::from(v) }
            })
            .collect(),
    ))
}

/// Where `key` points in `doc`: a JSON path (`[0].integration_config.…`) when it holds a `.`
/// or `[`, else the one member of that name anywhere in the document.
pub(crate) fn resolve(doc: &Value, key: &str) -> Result<JsonPath, String> {
    if key.contains('.') || key.contains('[') {
        let path = JsonPath::parse(key).ok_or_else(|| format!("{key:?} is not a JSON path"))?;
        let (parent, _) = split_last(&path);
        if lookup(doc, &parent).is_none_or(|p| !p.is_object() && !p.is_array()) {
            return Err(format!("{key}: no such object in the config"));
        }
        return Ok(path);
    }
    let mut found = Vec::new();
    find_key(doc, key, &JsonPath::root(), &mut found);
    match found.len() {
        1 => Ok(found.remove(0)),
        0 => Err(format!("{key:?}: no member of that name in the config; give a JSON path to add it")),
        _ => Err(format!(
            "{key:?} is ambiguous: {}; give one of these paths",
            found.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
        )),
    }
}

fn find_key(value: &Value, key: &str, at: &JsonPath, out: &mut Vec<JsonPath>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let here = at.key(k);
                if k == key {
                    out.push(here.clone());
                }
                find_key(v, key, &here, out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                find_key(v, key, &at.index(i), out);
            }
        }
        _ => {}
    }
}

fn split_last(path: &JsonPath) -> (JsonPath, Option<&Segment>) {
    let mut parent = path.clone();
    let last = path.0.last();
    parent.0.pop();
    (parent, last)
}

fn lookup<'a>(doc: &'a Value, path: &JsonPath) -> Option<&'a Value> {
    path.0.iter().try_fold(doc, |v, seg| match seg {
        Segment::Key(k) => v.get(k.as_str()),
        Segment::Index(i) => v.get(*i),
    })
}

/// Sets the value at `path` (the member is added when its object exists).
pub(crate) fn set(doc: &mut Value, path: &JsonPath, value: Value) -> Result<(), String> {
    let (parent, last) = split_last(path);
    let mut target = doc;
    for seg in &parent.0 {
        target = match seg {
            Segment::Key(k) => target.get_mut(k.as_str()),
            Segment::Index(i) => target.get_mut(*i),
        }
        .ok_or_else(|| format!("{path}: no such object in the config"))?;
    }
    match (target, last) {
        (Value::Object(map), Some(Segment::Key(k))) => {
            map.insert(k.clone(), value);
            Ok(())
        }
        (Value::Array(items), Some(Segment::Index(i))) if *i < items.len() => {
            items[*i] = value;
            Ok(())
        }
        _ => Err(format!("{path}: cannot be set")),
    }
}

/// The run's record order on (time, session, place in the session).
fn record_order(a: &(f64, usize, usize), b: &(f64, usize, usize)) -> std::cmp::Ordering {
    a.0.total_cmp(&b.0).then((a.1, a.2).cmp(&(b.1, b.2)))
}

/// Every combination of the swept values, the first `--vary` varying slowest.
pub(crate) fn combinations(varies: &[Vary]) -> Vec<Vec<Value>> {
    let mut out: Vec<Vec<Value>> = vec![Vec::new()];
    for v in varies {
        out = out
            .into_iter()
            .flat_map(|prefix| {
                v.values.iter().map(move |x| {
                    let mut c = prefix.clone();
                    c.push(x.clone());
                    c
                })
            })
            .collect();
    }
    out
}

/// The figures of one simulated combination.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Figures {
    /// Fires per trigger id, in order of first fire.
    pub fires: Vec<(&'static str, usize)>,
    pub sessions: usize,
    pub sessions_with_fire: usize,
    /// Simulated session time (first to last point of each session), in hours.
    pub session_hours: f64,
    /// Median seconds from a session's first event to its first fire.
    pub median_first_fire_s: Option<f64>,
    pub timeouts: usize,
}

/// What one session's records add to its combination's [`Figures`]: counted as soon as the
/// session ends, so a sweep never holds a whole run's records.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct SessionTally {
    /// Per trigger: fires, and the time and place (index among the session's records) of the
    /// first, which order the triggers as the merged records would.
    fires: Vec<(&'static str, usize, f64, usize)>,
    /// The time of the session's first fire.
    first_fire: Option<f64>,
    timeouts: usize,
}

impl SessionTally {
    /// Counts one session's records (in its own order).
    pub(crate) fn of(records: &[Record]) -> SessionTally {
        let mut tally = SessionTally::default();
        for (place, r) in records.iter().enumerate() {
            tally.add(place, r);
        }
        tally
    }

    fn add(&mut self, place: usize, r: &Record) {
        match &r.kind {
            RecordKind::Fire(f) => {
                match self.fires.iter_mut().find(|(id, ..)| *id == f.trigger_id) {
                    Some((_, n, ..)) => *n += 1,
                    None => self.fires.push((f.trigger_id, 1, r.ts, place)),
                }
                self.first_fire.get_or_insert(r.ts);
            }
            RecordKind::Timeout { .. } => self.timeouts += 1,
            _ => {}
        }
    }
}

impl Figures {
    /// Counts a run's records.
    pub(crate) fn of(out: &SimOutput) -> Figures {
        let mut tallies = vec![SessionTally::default(); out.sessions.len()];
        let mut places = vec![0usize; out.sessions.len()];
        for r in &out.records {
            if let (Some(tally), Some(place)) = (tallies.get_mut(r.session_index), places.get_mut(r.session_index)) {
                tally.add(*place, r);
                *place += 1;
            }
        }
        Figures::of_sessions(&tallies, &out.sessions)
    }

    /// Adds up the sessions' tallies (`tallies[i]` is `sessions[i]`'s). Triggers come in the
    /// order of their first fire in the run's record order: by time, then session, then place
    /// in the session, as the run merges its sessions' records.
    pub(crate) fn of_sessions(tallies: &[SessionTally], sessions: &[SessionSummary]) -> Figures {
        let mut fires: Vec<(&'static str, usize, (f64, usize, usize))> = Vec::new();
        for (s, tally) in tallies.iter().enumerate() {
            for &(id, n, ts, place) in &tally.fires {
                let first = (ts + 0.0, s, place); // + 0.0: -0.0 and 0.0 are the same time
                match fires.iter_mut().find(|(known, ..)| *known == id) {
                    Some((_, total, at)) => {
                        *total += n;
                        if record_order(&first, at).is_lt() {
                            *at = first;
                        }
                    }
                    None => fires.push((id, n, first)),
                }
            }
        }
        fires.sort_by(|a, b| record_order(&a.2, &b.2));
        let mut firsts: Vec<f64> = tallies
            .iter()
            .zip(sessions)
            .filter_map(|(tally, session)| tally.first_fire.map(|ts| ts - session.first_ts))
            .collect();
        firsts.sort_by(f64::total_cmp);
        let median = match firsts.len() {
            0 => None,
            n if n % 2 == 1 => Some(firsts[n / 2]),
            n => Some((firsts[n / 2 - 1] + firsts[n / 2]) / 2.0),
        };
        Figures {
            fires: fires.into_iter().map(|(id, n, _)| (id, n)).collect(),
            sessions: sessions.len(),
            sessions_with_fire: firsts.len(),
            session_hours: sessions.iter().map(|s| (s.last_ts - s.first_ts).max(0.0)).sum::<f64>() / 3600.0,
            median_first_fire_s: median,
            timeouts: tallies.iter().map(|t| t.timeouts).sum(),
        }
    }

    pub(crate) fn total_fires(&self) -> usize {
        self.fires.iter().map(|(_, n)| n).sum()
    }

    /// Fires per simulated session-hour (`None` without session time).
    pub(crate) fn fires_per_session_hour(&self) -> Option<f64> {
        (self.session_hours > 0.0).then(|| self.total_fires() as f64 / self.session_hours)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_and_ranges() {
        assert_eq!(parse_vary("k=30,45").unwrap().values, vec![json!(30), json!(45)]);
        assert_eq!(parse_vary("k=30..60:15").unwrap().values, vec![json!(30), json!(45), json!(60)]);
        assert_eq!(parse_vary("k=0.5..1:0.25").unwrap().values, vec![json!(0.5), json!(0.75), json!(1.0)]);
        assert_eq!(parse_vary("mode=ping_pong_only").unwrap().values, vec![json!("ping_pong_only")]);
        assert!(parse_vary("k=9..1:1").is_err());
        assert!(parse_vary("nokey").is_err());
    }

    #[test]
    fn keys_resolve_by_path_or_unique_name() {
        let doc = json!([{"a": {"t": 1}, "b": [{"t": 2}, {"u": 3}]}]);
        assert_eq!(resolve(&doc, "u").unwrap().to_string(), "[0].b[1].u");
        assert!(resolve(&doc, "t").unwrap_err().contains("ambiguous"));
        assert!(resolve(&doc, "zz").is_err());
        let mut doc2 = doc.clone();
        let path = resolve(&doc, "[0].a.new").unwrap();
        set(&mut doc2, &path, json!(5)).unwrap();
        assert_eq!(doc2[0]["a"]["new"], 5);
        assert!(resolve(&doc, "[0].nope.x").is_err());
    }

    #[test]
    fn combinations_vary_the_first_slowest() {
        let v = |k: &str, xs: &[i64]| Vary { key: k.into(), values: xs.iter().map(|x| json!(x)).collect() };
        let c = combinations(&[v("a", &[1, 2]), v("b", &[3, 4])]);
        assert_eq!(
            c,
            vec![
                vec![json!(1), json!(3)],
                vec![json!(1), json!(4)],
                vec![json!(2), json!(3)],
                vec![json!(2), json!(4)]
            ]
        );
    }
}
