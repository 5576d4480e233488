/*!
One session told top to bottom (`autoplay triggers explain`): its pages over time, the state
machine's phases, every fire with its reasons and, for each trigger that never fired, its
closest miss. Everything is read from the records of a `--why` run (the decisions and their
[`Why`]s), never worked out again.
*/

use serde_json::{Value, json};

use super::engine::{Record, RecordKind, SessionSummary, SimOutput};
use super::why::{self, Evidence, Verdict, Why, rel, secs};

/// One session's story.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Narrative {
    pub product_id: String,
    pub session_id: String,
    pub start: f64,
    pub end: f64,
    /// (time, page) each time the last page changed.
    pub pages: Vec<(f64, String)>,
    /// (time, what happened to the state machine).
    pub phases: Vec<(f64, String)>,
    pub fires: Vec<FireStory>,
    /// Per registry trigger that never fired (or the one `--trigger` names).
    pub misses: Vec<(String, Option<f64>, String)>,
    /// The decision at or just before `--at`, with every reason.
    pub at: Option<(f64, Vec<String>, Value)>,
}

/// A fire and its reasons.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FireStory {
    pub t: f64,
    pub trigger_id: String,
    pub body: String,
    pub reason: String,
    pub gate: String,
}

/// The records of one session.
fn session_records<'a>(out: &'a SimOutput, index: usize) -> impl Iterator<Item = &'a Record> + 'a {
    out.records.iter().filter(move |r| r.session_index == index)
}

fn why_of(r: &Record) -> Option<&Why> {
    match &r.kind {
        RecordKind::Fire(f) => f.why.as_deref(),
        RecordKind::Evaluation { why, .. } => why.as_deref(),
        _ => None,
    }
}

/// The session `session_id` (the first of that id) in a `--why` run.
pub(crate) fn find_session<'a>(out: &'a SimOutput, session_id: &str) -> Option<(usize, &'a SessionSummary)> {
    out.sessions.iter().enumerate().find(|(_, s)| &*s.session_id == session_id)
}

/// Tells session `index` of a `--why` run. `registry` is its product's trigger ids in order;
/// `trigger` narrows the misses (and fires) to one trigger; `at` adds the decision then.
pub(crate) fn tell(
    out: &SimOutput,
    index: usize,
    registry: &[&str],
    trigger: Option<&str>,
    at: Option<f64>,
) -> Narrative {
    let s = &out.sessions[index];
    let start = s.first_ts;
    let mut pages: Vec<(f64, String)> = Vec::new();
    let mut phases = Vec::new();
    let mut fires = Vec::new();
    let mut at_record: Option<&Record> = None;
    for r in session_records(out, index) {
        if let Some(w) = why_of(r)
            && let Some(page) = &w.window.page
            && pages.last().is_none_or(|(_, p)| p != page)
        {
            pages.push((r.ts, page.clone()));
        }
        if at.is_some_and(|t| r.ts <= t) && why_of(r).is_some() {
            at_record = Some(r);
        }
        match &r.kind {
            RecordKind::Fire(f) => {
                phases.push((r.ts, format!("proactive_assistance ({} fired)", f.trigger_id)));
                if trigger.is_none_or(|t| t == f.trigger_id) {
                    fires.push(FireStory {
                        t: r.ts,
                        trigger_id: f.trigger_id.to_string(),
                        body: f.body.clone(),
                        reason: why::fire_reason(f.trigger_id, &f.metadata, f.why.as_deref()),
                        gate: f.why.as_deref().map(|w| w.gate_line(start)).unwrap_or_default(),
                    });
                }
            }
            RecordKind::Timeout { from, cooldown_s } => phases.push((
                r.ts,
                format!("thinking ({} timed out, cooldown {} s)", from.as_str(), crate::py::str_of(cooldown_s)),
            )),
            RecordKind::CooldownCleared => phases.push((r.ts, "thinking, cooldown over".into())),
            RecordKind::Reactive { via } => phases.push((r.ts, format!("reactive_assistance (via {via})"))),
            RecordKind::TourStarted { flow_id, .. } => {
                phases.push((r.ts, format!("tour {} started", crate::py::str_of(flow_id))));
            }
            RecordKind::SessionEnd { state, .. } => phases.push((r.ts, format!("end in {}", state.as_str()))),
            _ => {}
        }
    }
    let fired: Vec<&str> = session_records(out, index)
        .filter_map(|r| match &r.kind {
            RecordKind::Fire(f) => Some(f.trigger_id),
            _ => None,
        })
        .collect();
    let misses = registry
        .iter()
        .filter(|id| trigger.is_none_or(|t| t == **id) && !fired.contains(id))
        .map(|id| {
            let (t, text) = closest_miss(out, index, id, start);
            (id.to_string(), t, text)
        })
        .collect();
    let at = at_record.and_then(|r| {
        let w = why_of(r)?;
        let mut lines = vec![format!("{} {}: {}", rel(r.ts, start), r.kind.name(), w.gate_line(start))];
        lines.extend(w.detector_lines(start));
        Some((r.ts, lines, w.to_value()))
    });
    Narrative {
        product_id: s.product_id.to_string(),
        session_id: s.session_id.to_string(),
        start,
        end: s.last_ts,
        pages,
        phases,
        fires,
        misses,
        at,
    }
}

/// The evaluation where `trigger` came closest to firing, in words: a match the gate
/// stopped (the latest), else the best measurement (most dwell seconds, the latest broken
/// ping-pong triple), else what it never saw.
fn closest_miss(out: &SimOutput, index: usize, trigger: &str, start: f64) -> (Option<f64>, String) {
    let mut blocked: Option<(f64, String)> = None;
    let mut best_dwell: Option<(f64, f64, String)> = None;
    // The broken triple seen in the longest URL sequence (the latest of equals).
    let mut last_break: Option<(f64, usize, String)> = None;
    let mut last_section: Option<(f64, String)> = None;
    for r in session_records(out, index) {
        let Some(w) = why_of(r) else { continue };
        let Some(d) = w.detectors.iter().find(|d| d.trigger_id == trigger) else { continue };
        if d.verdict.matched() && d.verdict != Verdict::Fired {
            let what = match d.verdict {
                Verdict::Shadowed => "matched but an earlier trigger won".to_string(),
                Verdict::Dropped => "matched but mode ping_pong_only drops it".to_string(),
                _ => format!("matched, but {}", w.gate_line(start)),
            };
            blocked = Some((r.ts, format!("{}: {what} at {}", d.evidence_text(start), rel(r.ts, start))));
            continue;
        }
        match &d.evidence {
            Evidence::Dwell(e) => {
                if let (Some(s), Some(th)) = (e.seconds, e.threshold)
                    && best_dwell.as_ref().is_none_or(|b| s > b.1)
                {
                    let page = e.page.as_deref().unwrap_or("?");
                    let text = format!(
                        "dwell reached {} s of {} s on {page} at {}",
                        secs(s.floor()),
                        secs(th),
                        rel(r.ts, start)
                    );
                    best_dwell = Some((r.ts, s, text));
                }
            }
            Evidence::PingPong(_) => {
                if let Evidence::PingPong(p) = &d.evidence
                    && p.broken.is_some()
                    && last_break.as_ref().is_none_or(|b| p.urls.len() >= b.1)
                {
                    let text = format!("ping-pong: {} (at {})", d.evidence_text(start), rel(r.ts, start));
                    last_break = Some((r.ts, p.urls.len(), text));
                }
            }
            Evidence::Section(_) => {
                last_section = Some((r.ts, format!("section: {} at {}", d.evidence_text(start), rel(r.ts, start))));
            }
        }
    }
    if let Some((t, text)) = blocked {
        return (Some(t), text);
    }
    if let Some((t, _, text)) = best_dwell {
        return (Some(t), text);
    }
    if let Some((t, _, text)) = last_break {
        return (Some(t), text);
    }
    if let Some((t, text)) = last_section {
        return (Some(t), text);
    }
    (None, "it never came close: no evaluation had evidence for it".into())
}

impl Narrative {
    /// The story as lines a person reads top to bottom.
    pub(crate) fn lines(&self) -> Vec<String> {
        let start = self.start;
        let mut out = vec![format!(
            "session {}/{}: {} … {}",
            self.product_id,
            self.session_id,
            rel(self.start, start),
            rel(self.end, start)
        )];
        out.push(String::new());
        out.push("pages".into());
        if self.pages.is_empty() {
            out.push("  (no pages)".into());
        }
        out.extend(self.pages.iter().map(|(t, p)| format!("  {:>9}  {p}", rel(*t, start))));
        out.push(String::new());
        out.push("phases".into());
        out.push(format!("  {:>9}  thinking", rel(start, start)));
        out.extend(self.phases.iter().map(|(t, p)| format!("  {:>9}  {p}", rel(*t, start))));
        out.push(String::new());
        out.push("fires".into());
        if self.fires.is_empty() {
            out.push("  none".into());
        }
        for f in &self.fires {
            out.push(format!("  {:>9}  {} {:?}", rel(f.t, start), f.trigger_id, f.body));
            out.push(format!("             because: {}", f.reason));
            out.push(format!("             gate: {}", f.gate));
        }
        if !self.misses.is_empty() {
            out.push(String::new());
            out.push("never fired (closest miss)".into());
            out.extend(self.misses.iter().map(|(id, _, text)| format!("  {id}: {text}")));
        }
        if let Some((_, lines, _)) = &self.at {
            out.push(String::new());
            out.push("the decision at --at".into());
            out.extend(lines.iter().map(|l| format!("  {l}")));
        }
        out
    }

    /// The story as one JSON document (times in unix seconds).
    pub(crate) fn to_value(&self) -> Value {
        json!({
            "product_id": self.product_id,
            "session_id": self.session_id,
            "start": self.start,
            "end": self.end,
            "pages": self.pages.iter().map(|(t, p)| json!({"ts": t, "url": p})).collect::<Vec<_>>(),
            "phases": self.phases.iter().map(|(t, p)| json!({"ts": t, "what": p})).collect::<Vec<_>>(),
            "fires": self.fires.iter().map(|f| json!({"ts": f.t, "trigger_id": f.trigger_id, "body": f.body,
                "reason": f.reason, "gate": f.gate})).collect::<Vec<_>>(),
            "closest_misses": self.misses.iter().map(|(id, t, text)| json!({"trigger_id": id, "ts": t, "text": text}))
                .collect::<Vec<_>>(),
            "at": self.at.as_ref().map(|(t, _, why)| json!({"ts": t, "why": why})),
        })
    }
}
