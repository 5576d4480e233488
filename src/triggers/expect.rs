/*!
Trigger behaviour as a test (`autoplay triggers test --expect FILE`): a JSON Lines file of
expectations, checked against the records of a `--why` run.

One expectation per line (blank lines are skipped), each with a `session` (an id, or `*` for
every session) and one of:
`{"fires": ID, "between": [T1, T2], "at_most": N}` (`between` and `at_most` optional; times
in seconds from the session's start), `{"never_fires": ID}` (`null`: no trigger at all),
`{"state_at": T, "is": STATE}`, `{"first_fire": ID}`.
*/

use serde_json::{Value, json};

use super::engine::{Record, RecordKind, SimOutput};
use super::state::AgentState;
use super::why::{Why, rel};

/// What one line expects.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Check {
    Fires { trigger: String, between: Option<(f64, f64)>, at_most: Option<usize> },
    NeverFires { trigger: Option<String> },
    StateAt { t: f64, state: AgentState },
    FirstFire { trigger: String },
}

/// One expectation and the line it was read from.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Expectation {
    pub line: usize,
    /// `None` for `*`.
    pub session: Option<String>,
    pub check: Check,
}

/// Reads the file's text: an error names the line and the JSON path of what is wrong.
pub(crate) fn parse(text: &str) -> Result<Vec<Expectation>, String> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        if raw.trim().is_empty() {
            continue;
        }
        let bad = |path: &str, what: &str| format!("line {line}: {path}: expected {what}");
        let v: Value = serde_json::from_str(raw).map_err(|e| format!("line {line}: not JSON ({e})"))?;
        let Value::Object(obj) = &v else { return Err(bad("$", "an object")) };
        let session = match obj.get("session") {
            Some(Value::String(s)) if s == "*" => None,
            Some(Value::String(s)) => Some(s.clone()),
            _ => return Err(bad("session", "a session id or \"*\"")),
        };
        let text_of = |key: &str| match obj.get(key) {
            Some(Value::String(s)) => Ok(s.clone()),
            _ => Err(bad(key, "a trigger id (a string)")),
        };
        let num = |key: &str| obj.get(key).and_then(Value::as_f64).ok_or_else(|| bad(key, "a number of seconds"));
        let check = if obj.contains_key("fires") {
            let between = match obj.get("between") {
                None => None,
                Some(Value::Array(a)) if a.len() == 2 && a.iter().all(Value::is_number) => {
                    Some((a[0].as_f64().unwrap_or(0.0), a[1].as_f64().unwrap_or(0.0)))
                }
                Some(_) => return Err(bad("between", "[T1, T2] (seconds from the session's start)")),
            };
            let at_most = match obj.get("at_most") {
                None => None,
                Some(n) => Some(n.as_u64().ok_or_else(|| bad("at_most", "a count (0 or more)"))? as usize),
            };
            Check::Fires { trigger: text_of("fires")?, between, at_most }
        } else if let Some(t) = obj.get("never_fires") {
            match t {
                Value::Null => Check::NeverFires { trigger: None },
                _ => Check::NeverFires { trigger: Some(text_of("never_fires")?) },
            }
        } else if obj.contains_key("state_at") {
            let state = obj
                .get("is")
                .and_then(Value::as_str)
                .and_then(AgentState::from_wire)
                .ok_or_else(|| bad("is", "thinking, proactive_assistance or reactive_assistance"))?;
            Check::StateAt { t: num("state_at")?, state }
        } else if obj.contains_key("first_fire") {
            Check::FirstFire { trigger: text_of("first_fire")? }
        } else {
            return Err(bad("$", "one of fires, never_fires, state_at, first_fire"));
        };
        out.push(Expectation { line, session, check });
    }
    Ok(out)
}

/// An expectation a session did not meet.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Unmet {
    pub line: usize,
    pub session: String,
    pub expected: String,
    pub got: String,
    /// The reasons of the decision nearest the expectation's time (or the session's last).
    pub why: Vec<String>,
}

/// Checks every expectation on every session it names; returns what was not met (and how
/// many (expectation, session) pairs were checked).
pub(crate) fn check(out: &SimOutput, expectations: &[Expectation]) -> (usize, Vec<Unmet>) {
    let mut unmet = Vec::new();
    let mut checked = 0;
    for e in expectations {
        let sessions: Vec<usize> = (0..out.sessions.len())
            .filter(|&i| e.session.as_deref().is_none_or(|s| *out.sessions[i].session_id == *s))
            .collect();
        if sessions.is_empty() {
            unmet.push(Unmet {
                line: e.line,
                session: e.session.clone().unwrap_or_else(|| "*".into()),
                expected: "the session in the recording".into(),
                got: "no such session".into(),
                why: Vec::new(),
            });
            continue;
        }
        for i in sessions {
            checked += 1;
            if let Some(u) = check_one(out, i, e) {
                unmet.push(u);
            }
        }
    }
    (checked, unmet)
}

fn check_one(out: &SimOutput, index: usize, e: &Expectation) -> Option<Unmet> {
    let s = &out.sessions[index];
    let start = s.first_ts;
    let records: Vec<&Record> = out.records.iter().filter(|r| r.session_index == index).collect();
    let fires: Vec<(f64, &str)> = records
        .iter()
        .filter_map(|r| match &r.kind {
            RecordKind::Fire(f) => Some((r.ts - start, f.trigger_id)),
            _ => None,
        })
        .collect();
    let list = |f: &[(f64, &str)]| {
        if f.is_empty() {
            "no fire".to_string()
        } else {
            f.iter().map(|(t, id)| format!("{id} at {}", rel(*t + start, start))).collect::<Vec<_>>().join(", ")
        }
    };
    let (expected, ok, got, near) = match &e.check {
        Check::Fires { trigger, between, at_most } => {
            let hits: Vec<(f64, &str)> = fires
                .iter()
                .copied()
                .filter(|(t, id)| id == trigger && between.is_none_or(|(a, b)| (a..=b).contains(t)))
                .collect();
            let mut expected = format!("fires {trigger}");
            if let Some((a, b)) = between {
                expected.push_str(&format!(" between +{a} s and +{b} s"));
            }
            if let Some(n) = at_most {
                expected.push_str(&format!(" at most {n} time{}", if *n == 1 { "" } else { "s" }));
            }
            let ok = !hits.is_empty() && at_most.is_none_or(|n| hits.len() <= n);
            (expected, ok, list(&fires), between.map(|(a, b)| start + (a + b) / 2.0))
        }
        Check::NeverFires { trigger } => {
            let hits: Vec<(f64, &str)> =
                fires.iter().copied().filter(|(_, id)| trigger.as_deref().is_none_or(|t| t == *id)).collect();
            let expected = format!("never fires {}", trigger.as_deref().unwrap_or("any trigger"));
            (expected, hits.is_empty(), list(&hits), hits.first().map(|h| h.0 + start))
        }
        Check::FirstFire { trigger } => {
            let ok = fires.first().is_some_and(|f| f.1 == trigger);
            (
                format!("first fire is {trigger}"),
                ok,
                list(&fires[..fires.len().min(1)]),
                fires.first().map(|f| f.0 + start),
            )
        }
        Check::StateAt { t, state } => {
            let at = start + t;
            let now = state_at(&records, at);
            (format!("state at +{t} s is {}", state.as_str()), now == *state, now.as_str().to_string(), Some(at))
        }
    };
    if ok {
        return None;
    }
    let why = nearest_why(&records, near.unwrap_or(s.last_ts))
        .map(|(t, kind, w)| {
            let mut lines = vec![format!("nearest decision {}: {kind}, {}", rel(t, start), w.gate_line(start))];
            lines.extend(w.detector_lines(start));
            lines
        })
        .unwrap_or_default();
    Some(Unmet { line: e.line, session: s.session_id.to_string(), expected, got, why })
}

/// The state after the records at or before `t` (thinking at the start).
fn state_at(records: &[&Record], t: f64) -> AgentState {
    let mut state = AgentState::Thinking;
    for r in records.iter().take_while(|r| r.ts <= t) {
        match &r.kind {
            RecordKind::Fire(_) => state = AgentState::Proactive,
            RecordKind::Reactive { .. } => state = AgentState::Reactive,
            RecordKind::Timeout { .. } => state = AgentState::Thinking,
            _ => {}
        }
    }
    state
}

/// The decision (fire or evaluation) with reasons nearest `t`.
fn nearest_why<'a>(records: &[&'a Record], t: f64) -> Option<(f64, &'static str, &'a Why)> {
    records
        .iter()
        .filter_map(|r| match &r.kind {
            RecordKind::Fire(f) => f.why.as_deref().map(|w| (r.ts, "fire", w)),
            RecordKind::Evaluation { why, .. } => why.as_deref().map(|w| (r.ts, "evaluation", w)),
            _ => None,
        })
        .min_by(|a, b| (a.0 - t).abs().total_cmp(&(b.0 - t).abs()))
}

/// The expectations every session meets now (`--update`): its first fire and its fires per
/// trigger at most as often as now, or that it never fires.
pub(crate) fn snapshot(out: &SimOutput) -> Vec<Value> {
    let mut lines = Vec::new();
    for (i, s) in out.sessions.iter().enumerate() {
        let mut counts: Vec<(&str, usize)> = Vec::new();
        for r in out.records.iter().filter(|r| r.session_index == i) {
            if let RecordKind::Fire(f) = &r.kind {
                match counts.iter_mut().find(|(id, _)| *id == f.trigger_id) {
                    Some((_, n)) => *n += 1,
                    None => counts.push((f.trigger_id, 1)),
                }
            }
        }
        let sid = &*s.session_id;
        match counts.first() {
            None => lines.push(json!({"session": sid, "never_fires": null})),
            Some((first, _)) => {
                lines.push(json!({"session": sid, "first_fire": first}));
                for (id, n) in &counts {
                    lines.push(json!({"session": sid, "fires": id, "at_most": n}));
                }
            }
        }
    }
    lines
}
