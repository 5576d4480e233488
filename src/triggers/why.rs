/*!
Why a trigger decision came out as it did (`triggers simulate --why`): the context window the
detectors saw, each detector's verdict with its evidence, and the gate that decided.

A [`Why`] is filled in by the engine at the point where it makes the decision, from the values
that decision used: the hits the registry returned, the detectors' own measurements
([`ActionLog::dwell_reading`](super::detectors::ActionLog::dwell_reading),
[`ActionLog::ping_pong_evidence`](super::detectors::ActionLog::ping_pong_evidence)) and the
state machine's timers. This module only holds it and turns it into JSON and short lines.
*/

use serde_json::{Map, Value, json};

use super::detectors::PingPongEvidence;
use super::state::AgentState;

/// The reasons behind one evaluation.
#[derive(Debug, Clone, PartialEq)]
pub struct Why {
    /// The actions the detectors saw.
    pub window: Window,
    /// Whether the detectors' verdicts took part in the decision (false: the gate stopped
    /// the evaluation before the registry ran; the verdicts say what it would have found).
    pub detectors_decided: bool,
    /// Per registry row, in order.
    pub detectors: Vec<DetectorWhy>,
    /// What a detector raised while the registry ran only for the explanation.
    pub detectors_error: Option<String>,
    /// What let the decision through, or stopped it.
    pub gate: Gate,
}

/// The context window at the evaluation point.
#[derive(Debug, Clone, PartialEq)]
pub struct Window {
    pub from: f64,
    pub to: f64,
    pub lookback: f64,
    pub actions: usize,
    /// `--max-actions` dropped older actions that the lookback kept.
    pub cut_by_max_actions: bool,
    /// The last action's URL (stripped).
    pub page: Option<String>,
}

/// One detector's verdict and evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct DetectorWhy {
    pub trigger_id: &'static str,
    pub verdict: Verdict,
    pub evidence: Evidence,
}

/// A detector's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// It won and the message was delivered.
    Fired,
    /// It matched and was first, but the gate stopped the delivery.
    Matched,
    /// It matched after an earlier detector that also matched.
    Shadowed,
    /// It matched, but `mode: ping_pong_only` drops it.
    Dropped,
    /// It found nothing.
    NoMatch,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Fired => "fired",
            Verdict::Matched => "matched",
            Verdict::Shadowed => "shadowed",
            Verdict::Dropped => "dropped_by_mode",
            Verdict::NoMatch => "no_match",
        }
    }

    /// Whether the detector matched.
    pub fn matched(self) -> bool {
        self != Verdict::NoMatch
    }
}

/// What a detector looked at.
#[derive(Debug, Clone, PartialEq)]
pub enum Evidence {
    PingPong(PingPongEvidence),
    Dwell(DwellWhy),
    Section(SectionWhy),
}

/// `user_page_dwell`'s evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct DwellWhy {
    /// The last action's page.
    pub page: Option<String>,
    /// Seconds on it (`None` when the detector measured nothing).
    pub seconds: Option<f64>,
    pub threshold: Option<f64>,
    /// Actions in a row on the page, and the most the detector accepts.
    pub actions: Option<usize>,
    pub max_actions: Option<i64>,
    /// When the threshold is reached if nothing else happens (`None`: not by time alone).
    pub reached_at: Option<f64>,
    /// Why nothing was measured: `off`, `no_actions`, `no_page`, `too_many_actions`, or the
    /// SDK's error.
    pub note: Option<String>,
}

/// `section_playbook_match`'s evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct SectionWhy {
    /// The last action's URL.
    pub url: Option<String>,
    /// The section rule that mapped it: (index, prefix, section id).
    pub rule: Option<(usize, String, String)>,
    /// The section the detector chose (a hit) or the URL maps to.
    pub section_id: Option<String>,
    /// Whether `section_playbook` has an entry for it.
    pub in_playbook: bool,
}

/// The gate at the evaluation point.
#[derive(Debug, Clone, PartialEq)]
pub struct Gate {
    pub state: AgentState,
    /// When the session entered `state`.
    pub since: f64,
    /// An active state: it times out at the first point strictly after this.
    pub times_out_after: Option<f64>,
    /// A running cooldown clears at this time.
    pub cooldown_until: Option<f64>,
    /// The judge's answer (`None` when the evaluation stopped before it).
    pub judge: Option<&'static str>,
    /// Profile `connector`: no delivery before this time.
    pub min_interval_until: Option<f64>,
    /// What stopped the delivery: `state`, `cooldown`, `no_trigger`, `judge`, `min_interval`,
    /// or `None` for a fire.
    pub blocked_by: Option<&'static str>,
}

impl Why {
    /// The explanation as JSON (times are unix seconds, like the records' `ts`).
    pub fn to_value(&self) -> Value {
        let w = &self.window;
        let detectors: Vec<Value> = self.detectors.iter().map(DetectorWhy::to_value).collect();
        let g = &self.gate;
        let mut gate = Map::new();
        gate.insert("blocked_by".into(), json!(g.blocked_by));
        gate.insert("state".into(), json!(g.state.as_str()));
        gate.insert("since".into(), json!(g.since));
        gate.insert("times_out_after".into(), json!(g.times_out_after));
        gate.insert("cooldown_until".into(), json!(g.cooldown_until));
        gate.insert("judge".into(), json!(g.judge));
        gate.insert("min_interval_until".into(), json!(g.min_interval_until));
        let mut out = Map::new();
        out.insert(
            "window".into(),
            json!({"from": w.from, "to": w.to, "lookback": w.lookback, "actions": w.actions,
                   "cut_by_max_actions": w.cut_by_max_actions, "page": w.page}),
        );
        out.insert("detectors_decided".into(), json!(self.detectors_decided));
        out.insert("detectors".into(), Value::Array(detectors));
        if let Some(e) = &self.detectors_error {
            out.insert("detectors_error".into(), json!(e));
        }
        out.insert("gate".into(), Value::Object(gate));
        Value::Object(out)
    }

    /// The firing detector, if any.
    pub fn fired(&self) -> Option<&DetectorWhy> {
        self.detectors.iter().find(|d| d.verdict == Verdict::Fired)
    }

    /// The gate as one short line; times are shown relative to `start`.
    pub fn gate_line(&self, start: f64) -> String {
        let g = &self.gate;
        let rel = |t: f64| rel(t, start);
        match g.blocked_by {
            Some("state") => match g.times_out_after {
                Some(after) => format!("{} since {}, times out after {}", g.state.as_str(), rel(g.since), rel(after)),
                None => format!("{} since {}", g.state.as_str(), rel(g.since)),
            },
            Some("cooldown") => match g.cooldown_until {
                Some(until) => format!("cooldown until {}", rel(until)),
                None => "cooldown".into(),
            },
            Some("judge") => format!("the judge answered {}", g.judge.unwrap_or("no")),
            Some("min_interval") => match g.min_interval_until {
                Some(until) => format!("connector minimum interval until {}", rel(until)),
                None => "connector minimum interval".into(),
            },
            Some("no_trigger") => "no detector matched".into(),
            Some(other) => other.to_string(),
            None => format!("delivered (judge {})", g.judge.unwrap_or("-")),
        }
    }

    /// One line per detector, then the window (relative to `start`).
    pub fn detector_lines(&self, start: f64) -> Vec<String> {
        let mut lines: Vec<String> = self
            .detectors
            .iter()
            .map(|d| {
                let verdict = if self.detectors_decided { d.verdict.as_str().to_string() } else { would(d.verdict) };
                format!("{}: {verdict} — {}", d.trigger_id, d.evidence_text(start))
            })
            .collect();
        if let Some(e) = &self.detectors_error {
            lines.push(format!("a detector would raise {e}"));
        }
        let w = &self.window;
        lines.push(format!(
            "window {} … {} (lookback {} s): {} action{}{}",
            rel(w.from, start),
            rel(w.to, start),
            secs(w.lookback),
            w.actions,
            if w.actions == 1 { "" } else { "s" },
            if w.cut_by_max_actions { ", cut by --max-actions" } else { "" }
        ));
        lines
    }
}

/// A time relative to the session's start: `+21.0 s`, `-33.0 s`.
pub(crate) fn rel(t: f64, start: f64) -> String {
    format!("{:+.1} s", t - start)
}

/// Seconds as short as they are exact: `45`, `12.5`.
pub(crate) fn secs(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 { format!("{v:.0}") } else { format!("{v}") }
}

/// A verdict of a registry that ran only for the explanation.
fn would(verdict: Verdict) -> String {
    match verdict {
        Verdict::NoMatch => "no_match".into(),
        other => format!("would match ({})", if other == Verdict::Shadowed { "shadowed" } else { "first" }),
    }
}

/// An ordinal: 1st, 2nd, 3rd, 4th…
fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

impl DetectorWhy {
    fn to_value(&self) -> Value {
        let mut out = Map::new();
        out.insert("trigger_id".into(), json!(self.trigger_id));
        out.insert("verdict".into(), json!(self.verdict.as_str()));
        let evidence = match &self.evidence {
            Evidence::PingPong(p) => {
                let mut e = Map::new();
                e.insert("urls".into(), json!(p.urls));
                e.insert(
                    "triple".into(),
                    match p.triple {
                        Some(i) => json!({"index": i, "urls": &p.urls[i..i + 3]}),
                        None => Value::Null,
                    },
                );
                e.insert(
                    "broken".into(),
                    match p.broken {
                        Some(b) => json!({"from": b.from, "at": b.at, "back": b.back,
                                          "url": p.urls[b.at], "text": break_text(p)}),
                        None => Value::Null,
                    },
                );
                if let Some(h) = &p.hesitation {
                    e.insert(
                        "hesitation".into(),
                        json!({"urls": p.urls.len(), "distinct": h.distinct, "min_distinct": h.min_distinct,
                               "repeated": h.repeated}),
                    );
                }
                Value::Object(e)
            }
            Evidence::Dwell(d) => json!({
                "page": d.page, "seconds": d.seconds, "threshold": d.threshold, "actions": d.actions,
                "max_actions": d.max_actions, "reached_at": d.reached_at, "note": d.note,
            }),
            Evidence::Section(s) => json!({
                "url": s.url,
                "rule": s.rule.as_ref().map(|(i, prefix, id)| json!({"index": i, "prefix": prefix, "section_id": id})),
                "section_id": s.section_id, "in_playbook": s.in_playbook,
            }),
        };
        out.insert("evidence".into(), evidence);
        Value::Object(out)
    }

    /// The evidence in a few words.
    pub fn evidence_text(&self, start: f64) -> String {
        match &self.evidence {
            Evidence::PingPong(p) => {
                let mut text = if p.urls.is_empty() { "no URLs in the window".to_string() } else { path(&p.urls) };
                if let Some(i) = p.triple {
                    text.push_str(&format!("; triple at index {i}: {}", p.urls[i..i + 3].join(" → ")));
                } else if p.broken.is_some() {
                    text.push_str(&format!("; {}", break_text(p).unwrap_or_default()));
                } else {
                    text.push_str("; no A → B → A triple");
                }
                if let Some(h) = &p.hesitation {
                    text.push_str(&format!(
                        "; hesitation: {} distinct of {} URLs (needs {}), repeated {}",
                        h.distinct,
                        p.urls.len(),
                        h.min_distinct,
                        h.repeated.as_deref().unwrap_or("none")
                    ));
                }
                text
            }
            Evidence::Dwell(d) => {
                let page = d.page.as_deref().unwrap_or("?");
                match (d.seconds, d.threshold) {
                    (Some(s), Some(th)) => {
                        let mut text = format!("{s:.1} s of {} s on {page}", secs(th));
                        if let (Some(at), true) = (d.reached_at, s < th) {
                            text.push_str(&format!(", reached at {}", rel(at, start)));
                        }
                        text
                    }
                    _ => match d.note.as_deref() {
                        Some("too_many_actions") => format!(
                            "{} actions in a row on {page}, more than {}",
                            d.actions.unwrap_or(0),
                            d.max_actions.unwrap_or(0)
                        ),
                        Some("no_actions") => "no actions in the window".into(),
                        Some("no_page") => "the last action has no URL".into(),
                        Some("off") => "threshold 0: off".into(),
                        Some(other) => other.to_string(),
                        None => String::new(),
                    },
                }
            }
            Evidence::Section(s) => {
                let url = s.url.as_deref().unwrap_or("(no action)");
                let rule = match &s.rule {
                    Some((i, prefix, id)) => format!("rule {i} ({prefix:?} → {id})"),
                    None => "no section rule".into(),
                };
                let section = s.section_id.as_deref().unwrap_or("-");
                format!(
                    "{url}: {rule}, section {section} {}",
                    if s.in_playbook { "has a playbook entry" } else { "has no playbook entry" }
                )
            }
        }
    }
}

/// `a → b → c`, eliding the middle of a long sequence.
fn path(urls: &[String]) -> String {
    const SHOWN: usize = 8;
    if urls.len() <= SHOWN {
        return urls.join(" → ");
    }
    format!("{} → … → {}", urls[0], urls[urls.len() - (SHOWN - 1)..].join(" → "))
}

/// "2nd action on /reports breaks the triple at index 7".
fn break_text(p: &PingPongEvidence) -> Option<String> {
    let b = p.broken?;
    Some(format!(
        "{} action on {} breaks the triple {} → {} → {} at index {}",
        ordinal(b.at - b.from),
        p.urls[b.at],
        p.urls[b.from],
        p.urls[b.at],
        p.urls[b.back],
        b.at
    ))
}

/// One line saying why a fire happened, from its metadata and (when present) its [`Why`]:
/// the ping-pong URLs, the dwell seconds on which page, the section.
pub(crate) fn fire_reason(trigger_id: &str, metadata: &Map<String, Value>, why: Option<&Why>) -> String {
    let num = |key: &str| metadata.get(key).and_then(Value::as_f64);
    let text = |key: &str| metadata.get(key).and_then(Value::as_str);
    if let (Some(seconds), Some(url)) = (num("user_page_dwell_seconds"), text("user_page_dwell_canonical_url")) {
        let threshold = num("dwell_threshold_seconds").map(secs).unwrap_or_else(|| "?".into());
        return format!("dwell {seconds:.1} s on {} (threshold {threshold} s)", crate::py::strip(url));
    }
    if let Some(id) = text("section_id") {
        let url = why
            .and_then(|w| {
                w.detectors.iter().find_map(|d| match &d.evidence {
                    Evidence::Section(s) if d.trigger_id == trigger_id => s.url.clone(),
                    _ => None,
                })
            })
            .map(|u| format!(" (last page {u})"))
            .unwrap_or_default();
        return format!("section {id}{url}");
    }
    let fired = why.and_then(Why::fired).map(|d| &d.evidence);
    match fired {
        Some(Evidence::PingPong(p)) => match (p.triple, &p.hesitation) {
            (Some(i), _) => format!("ping-pong {}", p.urls[i..i + 3].join(" → ")),
            (None, Some(h)) => format!(
                "hesitation: {} distinct URLs of {}, {} seen again",
                h.distinct,
                p.urls.len(),
                h.repeated.as_deref().unwrap_or("one")
            ),
            (None, None) => "ping-pong".into(),
        },
        _ => trigger_id.to_string(),
    }
}
