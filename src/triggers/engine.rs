/*!
The simulator of `autoplay triggers simulate`: recording lines in, NDJSON records out, as the
SDK's proactive trigger engine (autoplay-sdk 0.7.3, `autoplay_sdk.proactive_triggers`) would
produce them, record for record.

* [`parse_line`] reads one recording line into a [`SimEvent`] (or says why it is bad).
* [`simulate`] routes events to product rows, splits them into sessions (product id, session
  id), runs every session's timeline of events and pulses through the v2 state machine and
  the registry (in parallel: sessions are independent), and merges the records into the
  contract's order: `ts`, then the session's first appearance, then emission order.

Pure: no I/O, no clock. A value the SDK would raise on while simulating stops the run with
[`SimError::Sdk`], as the SDK would (exit 2).
*/

use std::collections::HashMap;
use std::fmt::Write as _;
use std::hash::BuildHasherDefault;
use std::ops::Range;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;
use rustc_hash::FxHasher;
use serde_json::{Map, Value};

use super::chips::{self, OfferAnswer};
use super::config::{BuiltinKind, PING_PONG_ID, ParsedConfig, ProductRow, TRIGGERING_TYPE_INSTANT};
use super::detectors::{self, ActionLog, DwellSettings, LightHit, SectionActivity};
pub use super::detectors::{Action, BadValue, Raw, SdkFamily};
pub use super::sim_lines::{
    BadLine, EventType, LineOutcome, LineScratch, SimEvent, UrlTable, parse_line, parse_line_with, parse_view,
};
use super::state::{AgentState, SessionState, StateError, TickOutcome};
pub use super::why::Why;
use super::why::{self as why, DetectorWhy, Evidence, Gate, Verdict};
use crate::py;
use crate::py::json;

/// Profile `connector`: no delivery within this many seconds of the session's last fire.
pub const CONNECTOR_MIN_INTERVAL_S: f64 = 300.0;

// ---------------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------------

/// How the LLM judge answers for a winner that is not an instant trigger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JudgePolicy {
    /// The judge approves every winner that is not an instant trigger.
    Approve,
    /// The judge rejects every winner that is not an instant trigger.
    Reject,
    /// No judge: only instant triggers are delivered.
    InstantOnly,
}

/// Which delivery rules apply on top of the trigger engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    /// The SDK's state machine and registry alone.
    Sdk,
    /// Also the connector's minimum interval between fires of a session.
    Connector,
}

/// The simulator's options (the contract's defaults in [`SimOptions::default`]).
#[derive(Debug, Clone, PartialEq)]
pub struct SimOptions {
    /// The product row every event uses (default: the row of the event's `product_id`; a
    /// one-row config serves every event).
    pub product: Option<String>,
    /// Seconds between background pulses (pulses at every multiple); 0: no pulses.
    pub tick: f64,
    /// Seconds a session keeps pulsing after its last event.
    pub horizon: f64,
    /// How the LLM judge answers.
    pub judge: JudgePolicy,
    /// Which delivery rules apply.
    pub profile: Profile,
    /// Which SDK release's detector semantics to follow.
    pub sdk: SdkFamily,
    /// Seconds of actions the trigger context looks back.
    pub lookback: f64,
    /// At most this many actions in the trigger context.
    pub max_actions: i64,
    /// Also emit an `evaluation` record for every evaluation that did not fire.
    pub explain: bool,
    /// Which records carry a [`Why`] (`--why`: fires and evaluations; it implies `explain`).
    pub why: WhyMode,
}

/// Which records carry the reasons of their decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WhyMode {
    /// None: the engine builds no evidence.
    #[default]
    Off,
    /// `fire` records only (the pretty timeline shows them).
    Fires,
    /// `fire` and `evaluation` records (`--why`).
    All,
}

impl Default for SimOptions {
    fn default() -> Self {
        SimOptions {
            product: None,
            tick: 10.0,
            horizon: 300.0,
            judge: JudgePolicy::Approve,
            profile: Profile::Sdk,
            sdk: SdkFamily::V07,
            lookback: 120.0,
            max_actions: 50,
            explain: false,
            why: WhyMode::Off,
        }
    }
}

impl SimOptions {
    /// The checks the SDK makes on the options (and the command line on its flags).
    pub fn validate(&self) -> Result<(), String> {
        for (name, v) in [("tick", self.tick), ("horizon", self.horizon), ("lookback", self.lookback)] {
            if !v.is_finite() {
                return Err(format!("--{name} must be a finite number"));
            }
        }
        if self.tick < 0.0 {
            return Err("--tick must be >= 0".into());
        }
        if self.horizon < 0.0 {
            return Err("--horizon must be >= 0".into());
        }
        if self.max_actions < 1 {
            return Err(format!("max_actions must be >= 1 or None, got {}", self.max_actions));
        }
        if self.lookback <= 0.0 {
            return Err(format!("lookback_seconds must be > 0 or None, got {}", py::float_repr(self.lookback)));
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// Records
// ---------------------------------------------------------------------------------------------

/// Why an evaluation delivered nothing (`evaluation.decision`).
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    /// The session is not thinking (the state it is in).
    State(AgentState),
    /// The session is cooling down.
    Cooldown,
    /// No trigger hit.
    NoTrigger,
    /// The judge rejected the winner.
    JudgeRejected,
    /// The winner needs the judge and there is none (`--judge instant-only`).
    JudgeRequired,
    /// Too soon after the session's last fire (connector profile).
    MinInterval,
}

impl Decision {
    /// The decision as a record writes it (`state:thinking`, `cooldown`, …).
    pub fn as_string(&self) -> String {
        match self {
            Decision::State(s) => format!("state:{}", s.as_str()),
            Decision::Cooldown => "cooldown".into(),
            Decision::NoTrigger => "no_trigger".into(),
            Decision::JudgeRejected => "judge_rejected".into(),
            Decision::JudgeRequired => "judge_required".into(),
            Decision::MinInterval => "min_interval".into(),
        }
    }
}

/// The kind-specific part of a record.
#[derive(Debug, Clone, PartialEq)]
pub enum RecordKind {
    /// Boxed: a fire is much larger than the other records.
    Fire(Box<FireRecord>),
    /// A proactive message went unanswered: the session went back to thinking.
    Timeout {
        /// The state that timed out.
        from: AgentState,
        /// The cooldown that starts, as the config gives it.
        cooldown_s: Value,
    },
    /// The cooldown ended.
    CooldownCleared,
    /// The user reached out: the session went to reactive assistance.
    Reactive {
        /// What the user did (`chat_opened`, `chat_message`, …).
        via: &'static str,
    },
    /// A chip offers a tour.
    TourOffer {
        /// The chip's label.
        label: Value,
        /// The tour offered.
        flow_id: String,
        /// The offer's text.
        body: String,
    },
    /// A tour started.
    TourStarted {
        /// The tour, as the event gives it.
        flow_id: Value,
        /// What started it.
        via: &'static str,
    },
    /// An offered tour was declined.
    TourDeclined {
        /// The tour offered.
        flow_id: String,
    },
    /// An event the state machine refused.
    InvalidTransition {
        /// The event.
        event: &'static str,
        /// The state machine's error.
        error: String,
    },
    /// The session's last record.
    SessionEnd {
        /// Its final state.
        state: AgentState,
        /// Whether a cooldown was still running.
        cooldown_active: bool,
        /// How many times a trigger fired.
        fires: u64,
    },
    /// An evaluation that did not fire (`--explain`).
    Evaluation {
        /// What prompted it (an event or a pulse).
        point: &'static str,
        /// Why nothing was delivered.
        decision: Decision,
        /// The triggers that hit.
        hits: Vec<&'static str>,
        /// With `--why`.
        why: Option<Box<Why>>,
    },
}

impl RecordKind {
    /// The record's `kind`.
    pub fn name(&self) -> &'static str {
        match self {
            RecordKind::Fire(_) => "fire",
            RecordKind::Timeout { .. } => "timeout",
            RecordKind::CooldownCleared => "cooldown_cleared",
            RecordKind::Reactive { .. } => "reactive",
            RecordKind::TourOffer { .. } => "tour_offer",
            RecordKind::TourStarted { .. } => "tour_started",
            RecordKind::TourDeclined { .. } => "tour_declined",
            RecordKind::InvalidTransition { .. } => "invalid_transition",
            RecordKind::SessionEnd { .. } => "session_end",
            RecordKind::Evaluation { .. } => "evaluation",
        }
    }
}

/// The fields of a `fire` record.
#[derive(Debug, Clone, PartialEq)]
pub struct FireRecord {
    /// The trigger that fired.
    pub trigger_id: &'static str,
    /// The message delivered.
    pub body: String,
    /// The reply chips offered.
    pub chips: Vec<Value>,
    /// Which rule chose the chips.
    pub chip_rule: &'static str,
    /// The trigger's `triggering_type`.
    pub triggering_type: &'static str,
    /// What the judge did.
    pub judge: &'static str,
    /// The hit's metadata.
    pub metadata: Map<String, Value>,
    /// Triggers that also hit but lost to this one.
    pub shadowed: Vec<&'static str>,
    /// The session's state after the fire.
    pub state: AgentState,
    /// The reasons (with [`WhyMode::Fires`] or [`WhyMode::All`]).
    pub why: Option<Box<Why>>,
}

/// One output record.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// When it happened (Unix seconds).
    pub ts: f64,
    /// The session's product id.
    pub product_id: Arc<str>,
    /// The session id.
    pub session_id: Arc<str>,
    /// Index of the session in order of first appearance.
    pub session_index: usize,
    /// What happened.
    pub kind: RecordKind,
}

impl Record {
    /// The record as one line of compact JSON (no newline).
    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(160);
        self.write_json(&mut out);
        out
    }

    /// Appends the record's JSON to `out`.
    pub fn write_json(&self, out: &mut String) {
        out.push_str("{\"ts\": ");
        json::write_f64(out, self.ts);
        push_ids_json(out, &self.product_id, &self.session_id);
        self.kind.write_json_tail(out);
    }
}

/// `, "product_id": …, "session_id": …`: the same for every record of a session.
fn push_ids_json(out: &mut String, product_id: &str, session_id: &str) {
    out.push_str(", \"product_id\": ");
    push_str(out, product_id);
    out.push_str(", \"session_id\": ");
    push_str(out, session_id);
}

impl RecordKind {
    /// The record's JSON from `, "kind"` to the closing brace.
    fn write_json_tail(&self, out: &mut String) {
        out.push_str(", \"kind\": \"");
        out.push_str(self.name());
        out.push('"');
        let field = |out: &mut String, name: &str| {
            out.push_str(", \"");
            out.push_str(name);
            out.push_str("\": ");
        };
        match self {
            RecordKind::Fire(fire) => {
                let FireRecord {
                    trigger_id,
                    body,
                    chips,
                    chip_rule,
                    triggering_type,
                    judge,
                    metadata,
                    shadowed,
                    state,
                    why,
                } = &**fire;
                field(out, "trigger_id");
                push_str(out, trigger_id);
                field(out, "body");
                push_str(out, body);
                field(out, "chips");
                json::write_list(out, chips, RECORDS, push_value);
                field(out, "chip_rule");
                push_str(out, chip_rule);
                field(out, "triggering_type");
                push_str(out, triggering_type);
                field(out, "judge");
                push_str(out, judge);
                field(out, "metadata");
                json::write_map(out, metadata, RECORDS);
                field(out, "shadowed");
                push_str_list(out, shadowed);
                field(out, "state");
                push_str(out, state.as_str());
                push_why(out, why);
            }
            RecordKind::Timeout { from, cooldown_s } => {
                field(out, "from");
                push_str(out, from.as_str());
                field(out, "cooldown_s");
                push_value(out, cooldown_s);
            }
            RecordKind::CooldownCleared => {}
            RecordKind::Reactive { via } => {
                field(out, "via");
                push_str(out, via);
            }
            RecordKind::TourOffer { label, flow_id, body } => {
                field(out, "label");
                push_value(out, label);
                field(out, "flow_id");
                push_str(out, flow_id);
                field(out, "body");
                push_str(out, body);
            }
            RecordKind::TourStarted { flow_id, via } => {
                field(out, "flow_id");
                push_value(out, flow_id);
                field(out, "via");
                push_str(out, via);
            }
            RecordKind::TourDeclined { flow_id } => {
                field(out, "flow_id");
                push_str(out, flow_id);
            }
            RecordKind::InvalidTransition { event, error } => {
                field(out, "event");
                push_str(out, event);
                field(out, "error");
                push_str(out, error);
            }
            RecordKind::SessionEnd { state, cooldown_active, fires } => {
                field(out, "state");
                push_str(out, state.as_str());
                field(out, "cooldown_active");
                out.push_str(if *cooldown_active { "true" } else { "false" });
                field(out, "fires");
                let _ = write!(out, "{fires}");
            }
            RecordKind::Evaluation { point, decision, hits, why } => {
                field(out, "point");
                push_str(out, point);
                field(out, "decision");
                push_str(out, &decision.as_string());
                field(out, "hits");
                push_str_list(out, hits);
                push_why(out, why);
            }
        }
        out.push('}');
    }
}

impl Record {
    /// The record as a JSON value (tests, tools).
    pub fn to_value(&self) -> Value {
        serde_json::from_str(&self.to_json()).unwrap_or(Value::Null)
    }
}

/// Records are written as Python prints them: `json.dumps(record, ensure_ascii=False)`.
const RECORDS: json::Layout = json::SPACED_UTF8;

fn push_str(out: &mut String, s: &str) {
    json::write_str(out, s, RECORDS);
}

fn push_value(out: &mut String, value: &Value) {
    json::write_value(out, value, RECORDS);
}

/// `, "why": {…}` when the record carries its reasons.
fn push_why(out: &mut String, why: &Option<Box<Why>>) {
    if let Some(why) = why {
        out.push_str(", \"why\": ");
        push_value(out, &why.to_value());
    }
}

fn push_str_list(out: &mut String, items: &[&str]) {
    json::write_list(out, items, RECORDS, |out, s| push_str(out, s));
}

// ---------------------------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------------------------

/// Why a run stopped.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SimError {
    /// An option is out of range.
    #[error("{0}")]
    Options(String),
    /// `--product` names no product row.
    #[error("--product {0:?}: no product row with that product_id")]
    UnknownProduct(String),
    /// The config has errors (or no rows).
    #[error("the config has errors")]
    Config,
    /// Another session failed first; this one stopped early (never returned to callers).
    #[error("stopped because another session failed")]
    Aborted,
    /// The SDK would have raised on a value of the config or the recording.
    #[error(
        "the SDK raised {message} (product {product_id:?}, session {session_id:?}, ts {}); the config or recording holds a value the SDK cannot use",
        py::float_repr(*.ts)
    )]
    Sdk {
        /// What the SDK raised.
        message: String,
        /// The session's product id.
        product_id: String,
        /// The session id.
        session_id: String,
        /// When (Unix seconds).
        ts: f64,
    },
}

/// One session of the run.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionSummary {
    /// The session's product id.
    pub product_id: Arc<str>,
    /// The session id.
    pub session_id: Arc<str>,
    /// The first `user_id` its lines carry.
    pub user_id: Option<Arc<str>>,
    /// The config row's key (`str(product_id).strip()`).
    pub product_key: String,
    /// Its first event (Unix seconds).
    pub first_ts: f64,
    /// Its last event (Unix seconds).
    pub last_ts: f64,
    /// How many times a trigger fired.
    pub fires: u64,
}

/// Everything a run produced.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SimOutput {
    /// In the contract's order.
    pub records: Vec<Record>,
    /// The sessions, in order of first appearance.
    pub sessions: Vec<SessionSummary>,
    /// Events skipped because no product row matched: (product id, count), first seen first.
    pub unrouted: Vec<(String, usize)>,
}

/// Runs the simulation over parsed events (file order).
pub fn simulate(config: &ParsedConfig, events: Vec<SimEvent>, opts: &SimOptions) -> Result<SimOutput, SimError> {
    let mut simulation = Simulation::new(config, opts)?;
    for ev in events {
        simulation.push(ev);
    }
    simulation.run()
}

/// One session's events, gathered while the recording is read.
struct Pending<'c> {
    product: &'c ProductRow,
    product_id: Box<str>,
    session_id: Box<str>,
    user_id: Option<Arc<str>>,
    events: Vec<SessionEvent>,
}

/// An event once routed: its session holds the ids. Kept small: a recording's events are
/// all held until the sessions run.
#[derive(Debug, Clone)]
pub(crate) struct SessionEvent {
    pub(crate) event_type: EventType,
    pub(crate) t: f64,
    pub(crate) actions: Vec<Action>,
    pub(crate) value: Option<Box<Value>>,
}

impl SessionEvent {
    /// The part of a parsed event its session keeps (the ids are the session's).
    pub(crate) fn of(ev: SimEvent<'_>) -> SessionEvent {
        SessionEvent { event_type: ev.event_type, t: ev.t, actions: ev.actions, value: ev.value.map(Box::new) }
    }
}

pub(crate) type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// A simulation fed one event at a time (in file order), so a large recording never has to
/// be held as one list: events go straight to their session.
pub struct Simulation<'c> {
    config: &'c ParsedConfig,
    opts: &'c SimOptions,
    /// The row every event uses (`--product`, or a one-row config).
    fixed: Option<&'c ProductRow>,
    /// product id → session id → session index.
    index: FxMap<Box<str>, FxMap<Box<str>, u32>>,
    sessions: Vec<Pending<'c>>,
    unrouted: Vec<(String, usize)>,
}

impl<'c> Simulation<'c> {
    /// A simulation of `config` with `opts`, before any event.
    pub fn new(config: &'c ParsedConfig, opts: &'c SimOptions) -> Result<Simulation<'c>, SimError> {
        Ok(Simulation {
            config,
            opts,
            fixed: fixed_row(config, opts)?,
            index: FxMap::default(),
            sessions: Vec::new(),
            unrouted: Vec::new(),
        })
    }

    /// Routes one event to its product row (the forced or only row, else the row of its
    /// `product_id`) and to its session (product id, session id).
    pub fn push(&mut self, ev: SimEvent) {
        let product = match self.fixed {
            Some(p) => p,
            None => match self.config.row_for(&ev.product_id) {
                Some(p) => p,
                None => {
                    match self.unrouted.iter_mut().find(|(pid, _)| *pid == ev.product_id) {
                        Some((_, n)) => *n += 1,
                        None => self.unrouted.push((ev.product_id.into_owned(), 1)),
                    }
                    return;
                }
            },
        };
        let by_session = match self.index.get_mut(&*ev.product_id) {
            Some(m) => m,
            None => self.index.entry(Box::from(&*ev.product_id)).or_default(),
        };
        let s = match by_session.get(&*ev.session_id) {
            Some(s) => *s as usize,
            None => {
                let s = self.sessions.len();
                by_session.insert(Box::from(&*ev.session_id), s as u32);
                self.sessions.push(Pending {
                    product,
                    product_id: Box::from(&*ev.product_id),
                    session_id: Box::from(&*ev.session_id),
                    user_id: None,
                    events: Vec::new(),
                });
                s
            }
        };
        let mut ev = ev;
        if self.sessions[s].user_id.is_none() {
            self.sessions[s].user_id = ev.user_id.take();
        }
        self.sessions[s].events.push(SessionEvent::of(ev));
    }

    /// Runs every session (in parallel) and merges the records into the contract's order.
    pub fn run(self) -> Result<SimOutput, SimError> {
        let Simulation { opts, sessions, unrouted, .. } = self;
        run_records(sessions.into_par_iter(), opts, unrouted)
    }

    /// The events routed to their sessions, kept to be simulated under several configs that
    /// differ only in values ([`Routed::run`]).
    pub fn into_routed(self) -> Routed {
        let rows = &self.config.rows;
        let keys = rows.iter().map(|r| r.key.clone()).collect();
        let sessions = self
            .sessions
            .into_iter()
            .map(|mut p| {
                // Sorted once here, so each run's stable sort finds them in order.
                p.events.sort_by(|a, b| a.t.partial_cmp(&b.t).unwrap_or(std::cmp::Ordering::Equal));
                RoutedSession {
                    row: rows.iter().position(|r| std::ptr::eq(r, p.product)).unwrap_or(0),
                    product_id: p.product_id,
                    session_id: p.session_id,
                    user_id: p.user_id,
                    events: p.events,
                }
            })
            .collect();
        Routed { keys, sessions, unrouted: self.unrouted }
    }

    /// Runs every session (in parallel), writing its records as NDJSON lines on the way, and
    /// returns them ready to be written in the contract's order: no record is kept as a
    /// value, so memory holds only the text.
    pub fn run_ndjson(self) -> Result<NdjsonRun, SimError> {
        let Simulation { opts, sessions, unrouted, .. } = self;
        let (texts, sessions) = run_sessions(sessions.into_par_iter(), opts, true, |sink, buffers| match sink {
            RecordSink::Json(json) => {
                // Exact-size copies: the growing buffers go back for the next session.
                let out = SessionJson { text: json.text.as_str().into(), lines: json.lines.as_slice().into() };
                *buffers = json;
                out
            }
            RecordSink::Records(_) => SessionJson::default(),
        })?;
        Ok(NdjsonRun { texts, sessions, unrouted })
    }
}

/// Checks the options and the config, and picks the row every event uses (`--product`, or
/// a one-row config); `None`: each event's own `product_id` picks its row.
pub(crate) fn fixed_row<'c>(config: &'c ParsedConfig, opts: &SimOptions) -> Result<Option<&'c ProductRow>, SimError> {
    opts.validate().map_err(SimError::Options)?;
    if config.has_errors() || config.rows.is_empty() {
        return Err(SimError::Config);
    }
    let forced = match &opts.product {
        Some(p) => Some(config.row_for(p).ok_or_else(|| SimError::UnknownProduct(p.clone()))?),
        None => None,
    };
    Ok(forced.or(if config.rows.len() == 1 { Some(&config.rows[0]) } else { None }))
}

/// Runs the sessions and merges their records into the contract's order.
fn run_records<'c>(
    sessions: impl IndexedParallelIterator<Item = Pending<'c>>,
    opts: &SimOptions,
    unrouted: Vec<(String, usize)>,
) -> Result<SimOutput, SimError> {
    let (per_session, summaries) = run_sessions(sessions, opts, false, |sink, _| match sink {
        RecordSink::Records(records) => records,
        RecordSink::Json(_) => Vec::new(),
    })?;
    let mut records = Vec::with_capacity(per_session.iter().map(Vec::len).sum());
    let mut lists: Vec<std::vec::IntoIter<Record>> = per_session.into_iter().map(Vec::into_iter).collect();
    let heads: Vec<Option<f64>> = lists.iter().map(|l| l.as_slice().first().map(|r| r.ts)).collect();
    merge_in_order(heads, |s| {
        let list = &mut lists[s];
        records.extend(list.next());
        list.as_slice().first().map(|r| r.ts)
    });
    Ok(SimOutput { records, sessions: summaries, unrouted })
}

/// A recording routed to its sessions once ([`Simulation::into_routed`]).
pub struct Routed {
    /// The product rows' keys of the config the events were routed by.
    keys: Vec<String>,
    sessions: Vec<RoutedSession>,
    /// Events whose product id matched no row: the id and how many.
    pub unrouted: Vec<(String, usize)>,
}

struct RoutedSession {
    /// The session's product row, by index.
    row: usize,
    product_id: Box<str>,
    session_id: Box<str>,
    user_id: Option<Arc<str>>,
    events: Vec<SessionEvent>,
}

impl Routed {
    /// Runs every session under `config`, whose product rows must be those the events were
    /// routed by (same keys, same order; their values may differ). Each session copies its
    /// events inside its own (parallel) run.
    pub fn run(&self, config: &ParsedConfig, opts: &SimOptions) -> Result<SimOutput, SimError> {
        run_records(self.pending(config, opts)?, opts, self.unrouted.clone())
    }

    /// Runs every session under `config` as [`Routed::run`] does, but hands each session's
    /// records to `fold` as soon as the session ends and keeps only what it returns (with the
    /// session summaries, both in session order), so a run's records are never all held at
    /// once: what a sweep of many combinations needs.
    pub(crate) fn run_folded<O: Send>(
        &self,
        config: &ParsedConfig,
        opts: &SimOptions,
        fold: impl Fn(Vec<Record>) -> O + Sync + Send,
    ) -> Result<(Vec<O>, Vec<SessionSummary>), SimError> {
        run_sessions(self.pending(config, opts)?, opts, false, |sink, _| match sink {
            RecordSink::Records(records) => fold(records),
            RecordSink::Json(_) => fold(Vec::new()),
        })
    }

    /// The routed sessions as pending runs under `config`, after checking that its rows are
    /// those the events were routed by.
    fn pending<'c>(
        &'c self,
        config: &'c ParsedConfig,
        opts: &SimOptions,
    ) -> Result<impl IndexedParallelIterator<Item = Pending<'c>>, SimError> {
        opts.validate().map_err(SimError::Options)?;
        if config.has_errors() || config.rows.is_empty() {
            return Err(SimError::Config);
        }
        if config.rows.iter().map(|r| &r.key).ne(self.keys.iter()) {
            return Err(SimError::Options("the product rows differ from the routed config's".into()));
        }
        Ok(self.sessions.par_iter().map(|s| Pending {
            product: &config.rows[s.row],
            product_id: s.product_id.clone(),
            session_id: s.session_id.clone(),
            user_id: s.user_id.clone(),
            events: s.events.clone(),
        }))
    }
}

/// A run's records as NDJSON, one text per session ([`Simulation::run_ndjson`]).
#[derive(Debug, Default)]
pub struct NdjsonRun {
    texts: Vec<SessionJson>,
    /// The sessions, in order of first appearance.
    pub sessions: Vec<SessionSummary>,
    /// Events skipped because no product row matched: (product id, count), first seen first.
    pub unrouted: Vec<(String, usize)>,
}

impl NdjsonRun {
    /// Each session's lines (in order of first appearance): its text, and per line its `ts`
    /// and where the line ends in the text.
    pub fn session_texts(&self) -> impl ExactSizeIterator<Item = (&str, &[(f64, u32)])> {
        self.texts.iter().map(|t| (&*t.text, &*t.lines))
    }

    /// Calls `write` with the lines (each ending in `\n`) in the contract's order: `ts`, then
    /// the session's first appearance, then emission order. Lines of one session that follow
    /// each other in the output come as one slice. Stops at the first error.
    pub fn write_lines<'r, E>(&'r self, mut write: impl FnMut(&'r [u8]) -> Result<(), E>) -> Result<(), E> {
        let mut next = vec![0usize; self.texts.len()]; // each session's next line
        let heads: Vec<Option<f64>> = self.texts.iter().map(|t| t.lines.first().map(|l| l.0)).collect();
        let mut failed = None;
        // The lines taken but not yet written: (session, start, end) in its text.
        let mut pending: Option<(usize, usize, usize)> = None;
        let mut flush = |pending: (usize, usize, usize), failed: &mut Option<E>| {
            let (s, start, end) = pending;
            if failed.is_none()
                && let Err(e) = write(&self.texts[s].text.as_bytes()[start..end])
            {
                *failed = Some(e);
            }
        };
        merge_in_order(heads, |s| {
            let text = &self.texts[s];
            let j = next[s];
            let start = if j == 0 { 0 } else { text.lines[j - 1].1 as usize };
            let end = text.lines[j].1 as usize;
            next[s] = j + 1;
            pending = match pending {
                Some((p, p_start, p_end)) if p == s && p_end == start => Some((s, p_start, end)),
                Some(done) => {
                    flush(done, &mut failed);
                    Some((s, start, end))
                }
                None => Some((s, start, end)),
            };
            if failed.is_some() { None } else { text.lines.get(j + 1).map(|l| l.0) }
        });
        if let Some(done) = pending {
            flush(done, &mut failed);
        }
        failed.map_or(Ok(()), Err)
    }
}

/// Visits sessions' record lists in the contract's order. Each list is already in time order
/// (a session emits at its timeline's points, which never go back), so a k-way merge on
/// (`ts`, session index) gives the order without sorting. `heads[s]` is the `ts` of session
/// `s`'s first record; `take(s)` consumes that record and returns the `ts` of the next.
fn merge_in_order(heads: Vec<Option<f64>>, mut take: impl FnMut(usize) -> Option<f64>) {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;
    /// `ts` as a key that orders like the float (every `ts` here is finite).
    fn key(ts: f64) -> i64 {
        let bits = (ts + 0.0).to_bits() as i64; // + 0.0: -0.0 and 0.0 are the same time
        bits ^ (((bits >> 63) as u64) >> 1) as i64
    }
    let mut heap: BinaryHeap<Reverse<(i64, u32)>> =
        heads.iter().enumerate().filter_map(|(s, ts)| ts.map(|ts| Reverse((key(ts), s as u32)))).collect();
    while let Some(mut top) = heap.peek_mut() {
        let s = top.0.1;
        match take(s as usize) {
            Some(ts) => top.0 = (key(ts), s),
            None => {
                std::collections::binary_heap::PeekMut::pop(top);
            }
        }
    }
}

/// Where a session's records go.
pub(crate) enum RecordSink {
    Records(Vec<Record>),
    /// NDJSON lines, written into buffers that are reused from session to session.
    Json(JsonBuffers),
}

/// A session's NDJSON while it runs.
#[derive(Debug, Default)]
pub(crate) struct JsonBuffers {
    /// `, "product_id": …, "session_id": …`, shared by every line.
    ids: String,
    text: String,
    /// Per line: its `ts` and the end of the line in `text`.
    lines: Vec<(f64, u32)>,
}

/// One session's records as NDJSON lines, in exact-size allocations (a growing buffer per
/// session would leave memory behind at every doubling).
#[derive(Debug, Default)]
struct SessionJson {
    text: Box<str>,
    lines: Box<[(f64, u32)]>,
}

/// Runs the sessions in parallel. Each one's records go to a list (`json` false) or to NDJSON
/// buffers; `finish` turns a finished sink into the session's output.
fn run_sessions<'c, O: Send>(
    sessions: impl IndexedParallelIterator<Item = Pending<'c>>,
    opts: &SimOptions,
    json: bool,
    finish: impl Fn(RecordSink, &mut JsonBuffers) -> O + Sync + Send,
) -> Result<(Vec<O>, Vec<SessionSummary>), SimError> {
    // A failing session stops the others early: the run fails anyway, and a session with a
    // huge span of pulses must not keep it busy.
    let abort = AtomicBool::new(false);
    let results: Vec<Result<(O, SessionSummary), SimError>> = sessions
        .enumerate()
        .map_init(JsonBuffers::default, |buffers, (i, s)| {
            let sink = if json {
                let mut b = std::mem::take(buffers);
                b.text.clear();
                b.lines.clear();
                b.ids.clear();
                push_ids_json(&mut b.ids, &s.product_id, &s.session_id);
                RecordSink::Json(b)
            } else {
                RecordSink::Records(Vec::new())
            };
            let user_id = s.user_id;
            let result = SessionSim::new(s.product, opts, i, &s.product_id, &s.session_id, &abort, sink)
                .run(s.events)
                .map(|(sink, summary)| (finish(sink, buffers), SessionSummary { user_id, ..summary }));
            if result.is_err() {
                abort.store(true, Ordering::Relaxed);
            }
            result
        })
        .collect();
    if let Some(err) = results.iter().filter_map(|r| r.as_ref().err()).find(|e| **e != SimError::Aborted) {
        return Err(err.clone());
    }
    let mut outputs = Vec::with_capacity(results.len());
    let mut summaries = Vec::with_capacity(results.len());
    for r in results {
        let (out, summary) = r?;
        outputs.push(out);
        summaries.push(summary);
    }
    Ok((outputs, summaries))
}

/// Every `k * tick` (k an integer) with `first <= k * tick <= last + horizon`: the pulses at
/// which a session's triggers are evaluated between events.
pub fn pulse_times(first: f64, last: f64, tick: f64, horizon: f64) -> Vec<f64> {
    Pulses::new(first, last, tick, horizon).collect()
}

/// The pulses of one session, generated lazily (a long session with a short tick has many).
#[derive(Debug, Clone)]
pub struct Pulses {
    k: i64,
    tick: f64,
    end: f64,
    done: bool,
}

impl Pulses {
    /// The pulses of a session whose events span `first..=last`.
    pub fn new(first: f64, last: f64, tick: f64, horizon: f64) -> Pulses {
        let end = last + horizon;
        let q = if tick > 0.0 { (first / tick).ceil() } else { f64::NAN };
        if !q.is_finite() || q.abs() > 9.0e15 {
            return Pulses { k: 0, tick, end, done: true };
        }
        let mut k = q as i64;
        while (k as f64) * tick < first {
            k += 1;
        }
        while ((k - 1) as f64) * tick >= first {
            k -= 1;
        }
        Pulses { k, tick, end, done: false }
    }
}

impl Iterator for Pulses {
    type Item = f64;

    fn next(&mut self) -> Option<f64> {
        if self.done {
            return None;
        }
        let t = (self.k as f64) * self.tick;
        if t <= self.end {
            self.k += 1;
            Some(t)
        } else {
            self.done = true;
            None
        }
    }
}

/// The pulses of a live session: every `k * tick` from its first event on, with no end
/// (the end moves with each new event; the session checks it).
#[derive(Debug, Clone, Copy)]
struct PulseCursor {
    k: i64,
    tick: f64,
    done: bool,
}

impl PulseCursor {
    fn none() -> PulseCursor {
        PulseCursor { k: 0, tick: 0.0, done: true }
    }

    /// The first pulse at or after `first` (none with `tick` 0), as [`Pulses::new`] finds it.
    fn new(first: f64, tick: f64) -> PulseCursor {
        let Pulses { k, tick, done, .. } = Pulses::new(first, f64::INFINITY, tick, 0.0);
        PulseCursor { k, tick, done }
    }

    #[inline]
    fn peek(&self) -> Option<f64> {
        if self.done { None } else { Some((self.k as f64) * self.tick) }
    }

    #[inline]
    fn advance(&mut self) {
        self.k += 1;
    }
}

pub(crate) struct SessionSim<'a> {
    product: &'a ProductRow,
    opts: &'a SimOptions,
    index: usize,
    product_id: Arc<str>,
    session_id: Arc<str>,
    pub(crate) sink: RecordSink,
    /// The buffered `actions` payloads.
    log: ActionLog<'a>,
    /// `dwell_settings` of the product, read once: the dwell detector reads them (and raises
    /// the same error) on every run.
    dwell: Result<DwellSettings, String>,
    pending_flow: Option<String>,
    last_fire_at: Option<f64>,
    fires: u64,
    abort: &'a AtomicBool,
    /// What the detectors computed for the current context window.
    window: WindowCache<'a>,
    /// The hits of the current evaluation in registry order, with their registry index
    /// (reused from evaluation to evaluation).
    found: Vec<(LightHit<'a>, usize)>,
    /// When the session entered its current state (for `--why`).
    state_since: f64,
    /// The v2 state machine, from the first point on (boxed: every point takes it out and
    /// puts it back, which then moves a pointer, not the whole state).
    state: Option<Box<SessionState>>,
    /// The session's next pulse.
    pulses: PulseCursor,
    /// The time of the last point (event or pulse).
    t: f64,
    /// The first and the last event's time.
    first: f64,
    last_event: f64,
    /// Points so far (an abort is checked every 4096).
    points: u32,
}

/// Results that depend only on the context's actions, kept while the window (the actions
/// inside the lookback) stays the same: pulses re-evaluate the same window many times.
#[derive(Default)]
struct WindowCache<'a> {
    /// The window in the log; `None` before the first evaluation.
    range: Option<Range<usize>>,
    /// `product_section_playbook`, when the product has section rules.
    activity: SectionActivity<'a>,
    /// What building `activity` raised.
    activity_error: Option<String>,
    ping_pong: Option<Option<LightHit<'a>>>,
    section: Option<Result<Option<LightHit<'a>>, String>>,
}

impl<'a> SessionSim<'a> {
    pub(crate) fn new(
        product: &'a ProductRow,
        opts: &'a SimOptions,
        index: usize,
        product_id: &str,
        session_id: &str,
        abort: &'a AtomicBool,
        sink: RecordSink,
    ) -> Self {
        SessionSim {
            sink,
            window: WindowCache::default(),
            found: Vec::new(),
            abort,
            product,
            opts,
            index,
            product_id: Arc::from(product_id),
            session_id: Arc::from(session_id),
            log: ActionLog::new(&product.tuning),
            dwell: detectors::dwell_settings(&product.tuning),
            pending_flow: None,
            last_fire_at: None,
            fires: 0,
            state_since: f64::NAN,
            state: None,
            pulses: PulseCursor::none(),
            t: f64::NAN,
            first: f64::NAN,
            last_event: f64::NAN,
            points: 0,
        }
    }

    fn emit(&mut self, ts: f64, kind: RecordKind) {
        if matches!(kind, RecordKind::Fire(_) | RecordKind::Reactive { .. } | RecordKind::Timeout { .. }) {
            self.state_since = ts;
        }
        match &mut self.sink {
            RecordSink::Records(records) => records.push(Record {
                ts,
                product_id: self.product_id.clone(),
                session_id: self.session_id.clone(),
                session_index: self.index,
                kind,
            }),
            RecordSink::Json(json) => {
                json.text.push_str("{\"ts\": ");
                json::write_f64(&mut json.text, ts);
                json.text.push_str(&json.ids);
                kind.write_json_tail(&mut json.text);
                json.text.push('\n');
                json.lines.push((ts, json.text.len() as u32));
            }
        }
    }

    /// An evaluation the gate stopped before the registry ran. With `--why` the registry
    /// runs once more for the explanation only (what it raises is reported, never raised).
    fn explain_early(
        &mut self,
        s: &SessionState,
        t: f64,
        point: &'static str,
        decision: Decision,
        blocked: &'static str,
    ) {
        if !self.opts.explain {
            return;
        }
        let why = if self.opts.why == WhyMode::All {
            let window = self.prepare_window(t);
            let error = self.detect(t, window.0.clone()).err();
            let hits: Vec<&'static str> = self.found.iter().map(|(h, _)| h.trigger_id()).collect();
            if self.product.tuning.ping_pong_only {
                self.found.retain(|(h, _)| h.trigger_id() == PING_PONG_ID);
            }
            let mut why = self.why_at(s, t, window, &hits, None, Some(blocked));
            why.detectors_decided = false;
            why.detectors_error = error;
            Some(why)
        } else {
            None
        };
        self.emit(t, RecordKind::Evaluation { point, decision, hits: Vec::new(), why });
    }

    /// An evaluation that ran the registry and delivered nothing.
    #[allow(clippy::too_many_arguments)]
    fn explain_late(
        &mut self,
        s: &SessionState,
        t: f64,
        point: &'static str,
        decision: Decision,
        hits: Vec<&'static str>,
        window: (Range<usize>, bool),
        judge: Option<&'static str>,
        blocked: &'static str,
    ) {
        if !self.opts.explain {
            return;
        }
        let why = (self.opts.why == WhyMode::All).then(|| self.why_at(s, t, window, &hits, judge, Some(blocked)));
        self.emit(t, RecordKind::Evaluation { point, decision, hits, why });
    }

    /// The context window at `t` (and whether `--max-actions` cut it), with the detectors'
    /// cache brought up to that window.
    fn prepare_window(&mut self, t: f64) -> (Range<usize>, bool) {
        let product = self.product;
        let opts = self.opts;
        let (range, cut) = self.log.window_cut(t, opts.lookback, opts.max_actions as usize);
        if self.window.range.as_ref() != Some(&range) {
            let window = &mut self.window;
            window.range = Some(range.clone());
            window.ping_pong = None;
            window.section = None;
            window.activity_error = match product.tuning.section_rules {
                Some(_) => self.log.section_activity(range.clone(), &mut window.activity).err(),
                None => None,
            };
        }
        (range, cut)
    }

    /// The reasons of the decision just made at `t`: `self.found` holds the registry's hits
    /// after the mode filter, `hits` before it.
    fn why_at(
        &self,
        s: &SessionState,
        t: f64,
        (range, cut): (Range<usize>, bool),
        hits: &[&'static str],
        judge: Option<&'static str>,
        blocked: Option<&'static str>,
    ) -> Box<Why> {
        let product = self.product;
        let opts = self.opts;
        let detectors = product
            .registry
            .iter()
            .enumerate()
            .map(|(i, spec)| {
                let position = self.found.iter().position(|(_, k)| *k == i);
                let trigger_id = spec.trigger_id();
                let verdict = match position {
                    Some(0) if blocked.is_none() => Verdict::Fired,
                    Some(0) => Verdict::Matched,
                    Some(_) => Verdict::Shadowed,
                    None if hits.contains(&trigger_id) => Verdict::Dropped,
                    None => Verdict::NoMatch,
                };
                let evidence = match spec.kind {
                    BuiltinKind::PingPong => Evidence::PingPong(self.log.ping_pong_evidence(range.clone(), opts.sdk)),
                    BuiltinKind::Dwell => Evidence::Dwell(self.dwell_why(range.clone(), t)),
                    BuiltinKind::SectionPlaybook => {
                        let hit = position.and_then(|p| match self.found[p].0 {
                            LightHit::Section { id, .. } => Some(id),
                            _ => None,
                        });
                        Evidence::Section(self.section_why(range.clone(), hit))
                    }
                };
                DetectorWhy { trigger_id, verdict, evidence }
            })
            .collect();
        let min_interval_until = match (opts.profile, self.last_fire_at) {
            (Profile::Connector, Some(last)) => Some(last + CONNECTOR_MIN_INTERVAL_S),
            _ => None,
        };
        Box::new(Why {
            window: why::Window {
                from: t - opts.lookback,
                to: t,
                lookback: opts.lookback,
                actions: range.len(),
                cut_by_max_actions: cut,
                page: range.end.checked_sub(1).filter(|l| *l >= range.start).map(|l| self.log.url_text(l)),
            },
            detectors_decided: true,
            detectors,
            detectors_error: None,
            gate: Gate {
                state: s.current_state,
                since: self.state_since,
                times_out_after: s.times_out_after(product.tour_registry.as_ref()),
                cooldown_until: s.thinking.cooldown_until(s.cooldown_period_s),
                judge,
                min_interval_until,
                blocked_by: blocked,
            },
        })
    }

    /// What the dwell detector measured at `t`.
    fn dwell_why(&self, range: Range<usize>, t: f64) -> why::DwellWhy {
        let mut out = why::DwellWhy {
            page: None,
            seconds: None,
            threshold: None,
            actions: None,
            max_actions: None,
            reached_at: None,
            note: None,
        };
        let settings = match &self.dwell {
            Ok(s) => *s,
            Err(e) => {
                out.note = Some(e.clone());
                return out;
            }
        };
        out.threshold = Some(settings.threshold);
        out.max_actions = Some(settings.max_actions);
        if let Some(last) = range.end.checked_sub(1).filter(|l| *l >= range.start) {
            out.page = Some(self.log.url_text(last));
        }
        match self.log.dwell_reading(range, t, &settings) {
            Ok(detectors::DwellReading::Measured { dur, run_len, grows, first_start, .. }) => {
                out.seconds = Some(dur);
                out.actions = Some(run_len);
                if grows {
                    out.reached_at = Some(first_start + settings.threshold);
                }
            }
            Ok(detectors::DwellReading::TooMany { run_len, .. }) => {
                out.actions = Some(run_len);
                out.note = Some("too_many_actions".into());
            }
            Ok(detectors::DwellReading::Off) => out.note = Some("off".into()),
            Ok(detectors::DwellReading::NoActions) => out.note = Some("no_actions".into()),
            Ok(detectors::DwellReading::NoPage) => out.note = Some("no_page".into()),
            Err(e) => out.note = Some(e),
        }
        out
    }

    /// The section evidence: the last URL, the rule that maps it, its section.
    fn section_why(&self, range: Range<usize>, hit: Option<&str>) -> why::SectionWhy {
        let tuning = &self.product.tuning;
        let (url, rule) = self.log.section_evidence(range).map_or((None, None), |(u, r)| (Some(u), r));
        let rule = rule.and_then(|i| match &tuning.section_rule_specs[i] {
            Ok(Some((prefix, id))) => Some((i, prefix.clone(), id.clone())),
            _ => None,
        });
        let section_id = match (hit, &rule) {
            (Some(id), _) => Some(id.to_string()),
            (None, Some((_, _, id))) => Some(id.clone()),
            (None, None) if url.is_some() && tuning.section_rules.is_some() => Some(tuning.section_fallback_id.clone()),
            (None, None) => None,
        };
        let in_playbook = match (tuning.get("section_playbook"), &section_id) {
            (Some(Value::Object(book)), Some(id)) => book.contains_key(id.as_str()),
            _ => false,
        };
        why::SectionWhy { url, rule, section_id, in_playbook }
    }

    fn raised(&self, message: String, ts: f64) -> SimError {
        SimError::Sdk { message, product_id: self.product_id.to_string(), session_id: self.session_id.to_string(), ts }
    }

    fn run(mut self, mut events: Vec<SessionEvent>) -> Result<(RecordSink, SessionSummary), SimError> {
        // A recording knows each session's events up front: in time order (stable), fed one
        // by one as a live stream would bring them, then flushed to the horizon.
        events.sort_by(|a, b| a.t.partial_cmp(&b.t).unwrap_or(std::cmp::Ordering::Equal));
        for ev in events {
            self.feed(ev)?;
        }
        let summary = self.finish()?;
        Ok((self.sink, summary))
    }

    /// Feeds the session's next event (its time never before the previous point's): the
    /// pulses due before it run first (at equal times the event comes first).
    pub(crate) fn feed(&mut self, ev: SessionEvent) -> Result<(), SimError> {
        let t = ev.t;
        if self.state.is_none() {
            self.first = t;
            self.pulses = PulseCursor::new(t, self.opts.tick);
            self.state_since = t;
            self.last_event = t;
        } else {
            // The new event moves the horizon: every pulse before it is due.
            self.last_event = t;
            self.pulses_before(t, false)?;
        }
        self.point(t, Some(ev))
    }

    /// Runs the pulses before `until` (with `inclusive`, also the one at `until`), never past
    /// the horizon after the last event.
    pub(crate) fn pulses_before(&mut self, until: f64, inclusive: bool) -> Result<(), SimError> {
        if self.state.is_none() {
            return Ok(());
        }
        let end = self.last_event + self.opts.horizon;
        while let Some(p) = self.pulses.peek() {
            let due = if inclusive { p <= until } else { p < until };
            if !due || p > end {
                break;
            }
            self.pulses.advance();
            self.points = self.points.wrapping_add(1);
            if self.points.is_multiple_of(4096) && self.abort.load(Ordering::Relaxed) {
                return Err(SimError::Aborted);
            }
            self.point(p, None)?;
        }
        Ok(())
    }

    /// When the session's next pulse is due, if any is left before its horizon.
    pub(crate) fn next_pulse(&self) -> Option<f64> {
        self.state.as_ref()?;
        self.pulses.peek().filter(|p| *p <= self.last_event + self.opts.horizon)
    }

    /// The time of the session's last point (its clock never goes back).
    pub(crate) fn clock(&self) -> f64 {
        self.t
    }

    /// The time of the session's first event (NaN before it).
    pub(crate) fn first_event(&self) -> f64 {
        self.first
    }

    /// The time of the session's last event.
    pub(crate) fn last_event(&self) -> f64 {
        self.last_event
    }

    /// The config row that decides the session.
    pub(crate) fn product(&self) -> &'a ProductRow {
        self.product
    }

    /// Whether the session has had its first point.
    pub(crate) fn started(&self) -> bool {
        self.state.is_some()
    }

    /// From the next point on, the session is decided by `product` (a reloaded config's row).
    /// What the session lived through stays: its buffered actions (read again with the new
    /// row's tuning), its state machine (state, timers, running cooldown, tour) and its
    /// fires. The state machine takes the new row's interaction timeout and cooldown period;
    /// a running cooldown clears by the new period. The triggers keep no memory of their own
    /// between evaluations (each evaluation reads the context window), so a removed trigger
    /// simply is not evaluated again and an added one is evaluated from the next point on,
    /// over the same window the others see.
    pub(crate) fn set_product(&mut self, product: &'a ProductRow) {
        let log = std::mem::replace(&mut self.log, ActionLog::new(&product.tuning));
        self.log = log.retuned(&product.tuning);
        self.product = product;
        self.dwell = detectors::dwell_settings(&product.tuning);
        self.window = WindowCache::default();
        self.found.clear();
        if let Some(s) = &mut self.state {
            s.interaction_timeout_s = product.interaction_timeout_s;
            s.cooldown_period_s = product.cooldown_period_f64();
            s.cooldown_period_written = product.cooldown_period_s.clone();
        }
    }

    /// One evaluation point: the state machine's tick, then the event (or the pulse).
    fn point(&mut self, t: f64, event: Option<SessionEvent>) -> Result<(), SimError> {
        self.t = t;
        let product = self.product;
        let registry = product.tour_registry.as_ref();
        let mut s = match self.state.take() {
            Some(s) => s,
            None => {
                let mut s = SessionState::new(t, product.interaction_timeout_s, product.cooldown_period_f64());
                s.cooldown_period_written = product.cooldown_period_s.clone();
                Box::new(s)
            }
        };
        let result = self.point_on(&mut s, t, registry, event);
        self.state = Some(s);
        result
    }

    fn point_on(
        &mut self,
        s: &mut SessionState,
        t: f64,
        registry: Option<&super::config::TourRegistry>,
        event: Option<SessionEvent>,
    ) -> Result<(), SimError> {
        match s.tick(t, registry) {
            Ok(TickOutcome::TimedOut { from }) => {
                let cooldown_s = match &s.thinking.active_cooldown_period_s {
                    Some(v) => v.clone(),
                    None => self.product.cooldown_period_s.clone(),
                };
                self.emit(t, RecordKind::Timeout { from, cooldown_s });
            }
            Ok(TickOutcome::CooldownCleared) => self.emit(t, RecordKind::CooldownCleared),
            Ok(TickOutcome::Nothing) => {}
            Err(StateError::Sdk(m)) | Err(StateError::InvalidTransition(m)) => return Err(self.raised(m, t)),
        }
        match event {
            None => self.evaluate(s, t, "pulse"),
            Some(ev) => self.apply(s, t, ev),
        }
    }

    /// Runs the pulses left before the horizon and writes `session_end`: the session's last
    /// record.
    pub(crate) fn finish(&mut self) -> Result<SessionSummary, SimError> {
        self.pulses_before(f64::INFINITY, true)?;
        self.end_now()
    }

    /// Writes `session_end` at the last point, without the pulses left (a session evicted
    /// from a live run).
    pub(crate) fn end_now(&mut self) -> Result<SessionSummary, SimError> {
        let Some(s) = &self.state else {
            return Err(SimError::Options("a session has at least one event".into()));
        };
        let (state, cooldown_active) = (s.current_state, s.thinking.cooldown_active);
        let t = self.t;
        self.emit(t, RecordKind::SessionEnd { state, cooldown_active, fires: self.fires });
        Ok(SessionSummary {
            product_id: self.product_id.clone(),
            session_id: self.session_id.clone(),
            user_id: None,
            product_key: self.product.key.clone(),
            first_ts: self.first,
            last_ts: t,
            fires: self.fires,
        })
    }

    fn guarded(&mut self, t: f64, event: EventType, result: Result<(), StateError>) -> Result<bool, SimError> {
        match result {
            Ok(()) => Ok(true),
            Err(StateError::InvalidTransition(error)) => {
                self.emit(t, RecordKind::InvalidTransition { event: event.name(), error });
                Ok(false)
            }
            Err(StateError::Sdk(m)) => Err(self.raised(m, t)),
        }
    }

    fn apply(&mut self, s: &mut SessionState, t: f64, ev: SessionEvent) -> Result<(), SimError> {
        match ev.event_type {
            EventType::Actions => {
                self.log.push(ev.t, ev.actions);
                self.evaluate(s, t, "actions")?;
            }
            EventType::Summary => {}
            EventType::ChatOpened => self.user_reached_out(s, t, ev.event_type, "chat_opened")?,
            EventType::ChatMessage => {
                let text = ev.value.as_deref();
                let answer = match &self.pending_flow {
                    Some(_) => chips::match_yes_no(text).map_err(|m| self.raised(m, t))?,
                    None => None,
                };
                if let Some(answer) = answer {
                    let flow = self.pending_flow.take().unwrap_or_default();
                    s.record_user_interaction(t);
                    match answer {
                        OfferAnswer::Yes => {
                            let r = s.set_visual_guidance(t, true, Some(Value::String(flow.clone())));
                            if self.guarded(t, ev.event_type, r)? {
                                self.emit(t, RecordKind::TourStarted { flow_id: Value::String(flow), via: "offer" });
                            }
                        }
                        OfferAnswer::No => self.emit(t, RecordKind::TourDeclined { flow_id: flow }),
                    }
                    return Ok(());
                }
                let row_label = match &self.product.message_rows {
                    Err(m) => return Err(self.raised(m.clone(), t)),
                    Ok(Some(rows)) if !rows.is_empty() => {
                        chips::match_row(rows, text).map_err(|m| self.raised(m, t))?.map(|r| r.label.clone())
                    }
                    Ok(_) => None,
                };
                match row_label {
                    Some(label) => self.chip_click(s, t, Value::String(label))?,
                    None => self.user_reached_out(s, t, ev.event_type, "chat_message")?,
                }
            }
            EventType::ChipClick => {
                let label = ev.value.map_or(Value::Null, |v| *v);
                self.chip_click(s, t, label)?;
            }
            EventType::Reaction => s.record_reaction(t),
            EventType::TourStarted | EventType::UsertourTrigger => {
                let flow = ev.value.map_or(Value::Null, |v| *v);
                let r = s.set_visual_guidance(t, true, Some(flow.clone()));
                if self.guarded(t, ev.event_type, r)? {
                    self.emit(t, RecordKind::TourStarted { flow_id: flow, via: "event" });
                }
            }
            EventType::TourStep => s.record_tour_step(t),
            EventType::TourEnded => {
                let r = s.set_visual_guidance(t, false, None);
                self.guarded(t, ev.event_type, r)?;
            }
        }
        Ok(())
    }

    /// The user opened the chat or wrote in it: while thinking, the session turns reactive;
    /// otherwise it counts as an interaction.
    fn user_reached_out(
        &mut self,
        s: &mut SessionState,
        t: f64,
        event: EventType,
        via: &'static str,
    ) -> Result<(), SimError> {
        if s.current_state == AgentState::Thinking {
            let r = s.transition_to_reactive(t);
            if self.guarded(t, event, r)? {
                self.emit(t, RecordKind::Reactive { via });
            }
        } else {
            s.record_user_interaction(t);
        }
        Ok(())
    }

    fn chip_click(&mut self, s: &mut SessionState, t: f64, label: Value) -> Result<(), SimError> {
        s.record_option_click(t);
        let flow =
            chips::resolve_tour_offer(&self.product.message_rows, Some(&label)).map_err(|m| self.raised(m, t))?;
        if let Some(flow) = flow.filter(|f| !f.is_empty()) {
            let body = self.product.tour_offer_body.clone().map_err(|m| self.raised(m, t))?;
            self.pending_flow = Some(flow.clone());
            self.emit(t, RecordKind::TourOffer { label, flow_id: flow, body });
        }
        Ok(())
    }

    /// Runs the registry in order on one window into `found`; the first exception wins, as in
    /// the SDK.
    fn detect(&mut self, t: f64, window: Range<usize>) -> Result<(), String> {
        self.found.clear();
        let product = self.product;
        let WindowCache { activity, activity_error, ping_pong, section, .. } = &mut self.window;
        if let Some(e) = activity_error {
            return Err(e.clone());
        }
        let activity = product.tuning.section_rules.as_ref().map(|_| &*activity);
        let sdk = self.opts.sdk;
        for (i, spec) in product.registry.iter().enumerate() {
            let outcome = match spec.kind {
                BuiltinKind::Dwell => self.log.dwell(window.clone(), t, &self.dwell)?,
                BuiltinKind::PingPong => *ping_pong.get_or_insert_with(|| self.log.ping_pong(window.clone(), sdk)),
                BuiltinKind::SectionPlaybook => {
                    section.get_or_insert_with(|| detectors::section_playbook(&product.tuning, activity)).clone()?
                }
            };
            if let Some(hit) = outcome {
                self.found.push((hit, i));
            }
        }
        Ok(())
    }

    fn evaluate(&mut self, s: &mut SessionState, t: f64, point: &'static str) -> Result<(), SimError> {
        if s.current_state != AgentState::Thinking {
            self.explain_early(s, t, point, Decision::State(s.current_state), "state");
            return Ok(());
        }
        if s.thinking.cooldown_active {
            self.explain_early(s, t, point, Decision::Cooldown, "cooldown");
            return Ok(());
        }
        let product = self.product;
        let opts = self.opts;
        let window = self.prepare_window(t);
        let outcome = self.detect(t, window.0.clone());
        outcome.map_err(|m| self.raised(m, t))?;
        // Only `--explain` prints the hits (and `why` reads them).
        let hits: Vec<&'static str> = if opts.explain || opts.why != WhyMode::Off {
            self.found.iter().map(|(h, _)| h.trigger_id()).collect()
        } else {
            Vec::new()
        };
        if product.tuning.ping_pong_only {
            self.found.retain(|(h, _)| h.trigger_id() == PING_PONG_ID);
        }
        let Some(&(winner, spec)) = self.found.first() else {
            self.explain_late(s, t, point, Decision::NoTrigger, hits, window, None, "no_trigger");
            return Ok(());
        };
        // The registry row's triggering type goes into the hit's metadata (no detector sets
        // the key), and the SDK reads it back from there.
        let triggering_type = product.registry[spec].triggering_type;
        let judge = if triggering_type == TRIGGERING_TYPE_INSTANT {
            "instant"
        } else {
            match opts.judge {
                JudgePolicy::Approve => "approved",
                JudgePolicy::Reject => {
                    self.explain_late(s, t, point, Decision::JudgeRejected, hits, window, Some("rejected"), "judge");
                    return Ok(());
                }
                JudgePolicy::InstantOnly => {
                    self.explain_late(s, t, point, Decision::JudgeRequired, hits, window, Some("required"), "judge");
                    return Ok(());
                }
            }
        };
        if opts.profile == Profile::Connector
            && let Some(last) = self.last_fire_at
            && t - last < CONNECTOR_MIN_INTERVAL_S
        {
            self.explain_late(s, t, point, Decision::MinInterval, hits, window, Some(judge), "min_interval");
            return Ok(());
        }
        let why = match opts.why {
            WhyMode::Off => None,
            _ => Some(self.why_at(s, t, window.clone(), &hits, Some(judge), None)),
        };
        match s.transition_to_proactive(t) {
            Ok(true) => {}
            Ok(false) => {
                self.explain_late(s, t, point, Decision::Cooldown, hits, window, Some(judge), "cooldown");
                return Ok(());
            }
            Err(StateError::Sdk(m)) | Err(StateError::InvalidTransition(m)) => return Err(self.raised(m, t)),
        }
        self.last_fire_at = Some(t);
        self.fires += 1;
        let shadowed: Vec<&'static str> = self.found[1..].iter().map(|(h, _)| h.trigger_id()).collect();
        let winner = winner.to_hit(&self.log, opts.sdk);
        let mut metadata = winner.metadata;
        metadata.entry("triggering_type").or_insert_with(|| Value::from(triggering_type));
        let (chips, chip_rule) = match product.config_for_trigger(winner.trigger_id) {
            Some(config) => (config.messages.iter().map(|m| m.label.clone()).collect(), "criteria_id"),
            None if !winner.reply_option_labels.is_empty() => {
                (winner.reply_option_labels.iter().cloned().map(Value::String).collect(), "result")
            }
            None => (Vec::new(), "none"),
        };
        self.emit(
            t,
            RecordKind::Fire(Box::new(FireRecord {
                trigger_id: winner.trigger_id,
                body: winner.body,
                chips,
                chip_rule,
                triggering_type,
                judge,
                metadata,
                shadowed,
                state: s.current_state,
                why,
            })),
        );
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_like_json() {
        for text in ["plain", "quote \" and \\ back", "ctl \u{1} \n\t\r", "é — 日本"] {
            let mut out = String::new();
            push_str(&mut out, text);
            assert_eq!(serde_json::from_str::<String>(&out).unwrap(), text);
        }
    }

    #[test]
    fn whole_floats_print_as_the_shortest_repr() {
        use rand::{Rng, SeedableRng};
        let display = |v: f64| {
            let text = format!("{v}");
            if text.contains('.') { text } else { text + ".0" }
        };
        let mut rng = rand::rngs::StdRng::seed_from_u64(11);
        let mut values = vec![0.0, -0.0, 1.0, -1.0, 1e15, 9_007_199_254_740_991.0, 9_007_199_254_740_992.0, 9.9e15];
        values.extend((0..53).map(|k| 2f64.powi(k)));
        values.extend((0..20_000).map(|_| (rng.random::<u64>() >> rng.random_range(11..64)) as f64));
        values.extend((0..2_000).map(|_| -((rng.random::<u64>() >> 11) as f64)));
        values.extend((0..2_000).map(|_| rng.random_range(1.0e9..2.0e9f64)));
        values.extend((0..2_000).map(|_| (rng.random_range(1.0e12..2.0e12f64)).round() / 1000.0));
        for v in values {
            let mut out = String::new();
            json::write_f64(&mut out, v);
            let expected = if v != 0.0 && !(1e-4..1e16).contains(&v.abs()) { py::float_repr(v) } else { display(v) };
            assert_eq!(out, expected, "{v:e}");
        }
    }

    #[test]
    fn pulses_are_multiples_in_the_closed_range() {
        assert_eq!(pulse_times(21.0, 126.0, 10.0, 0.0), (3..=12).map(|k| k as f64 * 10.0).collect::<Vec<_>>());
        assert_eq!(pulse_times(20.0, 20.0, 10.0, 10.0), vec![20.0, 30.0]);
        assert!(pulse_times(1.0, 2.0, 0.0, 100.0).is_empty());
        assert_eq!(pulse_times(0.3, 0.3, 0.1, 0.0), Vec::<f64>::new()); // 3 * 0.1 = 0.30000000000000004 > 0.3
    }
}
