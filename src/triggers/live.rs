/*!
The simulator's engine on a live stream (`autoplay triggers watch`): events come one at a time
and nothing is known of the future. Each session is the simulator's own session engine
([`super::engine`]), fed event by event and pulsed by a clock:

* [`Clock::Event`]: time is the stream's timestamps. A session's events wait until the stream
  has moved past their time (so events of equal or out-of-order times are taken in the order
  the simulator sorts them), and its pulses run as the simulator places them: before its next
  event, or up to its horizon once it ends. A finished stream flushed with [`Live::flush`]
  gives each session exactly the records of `triggers simulate`.
* [`Clock::Wall`]: time is the caller's clock (the wall clock): an event happens when it
  arrives, and the pulses of every session run when [`Live::advance`] reaches them.

Memory stays bounded: a session whose horizon has passed (plus the linger) ends with its
`session_end` record and is dropped; past `max_sessions` live sessions the least recently
active one ends early (counted). Pure: no I/O; the clock is a number passed in.
*/

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, VecDeque};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use super::config::{ParsedConfig, ProductRow};
use super::engine::{
    FxMap, Record, RecordKind, RecordSink, SessionEvent, SessionSim, SessionSummary, SimError, SimEvent, SimOptions,
    fixed_row,
};
use super::focus::Focus;

/// What a live run's time is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Clock {
    /// The caller's clock: events happen when they arrive.
    Wall,
    /// The stream's own timestamps.
    Event,
}

impl Clock {
    /// The clock as `--clock` names it.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Clock::Wall => "wall",
            Clock::Event => "event",
        }
    }
}

/// How a live run keeps its sessions.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct LiveOptions {
    pub(crate) clock: Clock,
    /// At most this many live sessions; past it the least recently active one ends.
    pub(crate) max_sessions: usize,
    /// Seconds a session is kept after its horizon, in case it comes back (a session that
    /// comes back after it ended starts again).
    pub(crate) linger: f64,
}

/// Counters of a live run.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct LiveStats {
    /// Events taken.
    pub(crate) events: u64,
    /// Sessions ended early because too many were live.
    pub(crate) evicted: u64,
    /// Sessions ended after their horizon.
    pub(crate) ended: u64,
    /// Events older than their session's clock, taken at the session's clock.
    pub(crate) late: u64,
    /// Events whose product id matched no row: (product id, count), first seen first.
    pub(crate) unrouted: Vec<(String, u64)>,
    /// Sessions the SDK would have raised on (dropped, with the error).
    pub(crate) failed: Vec<SimError>,
}

/// The per-product summary of everything decided so far.
#[derive(Debug, Clone, Default)]
pub(crate) struct Tally {
    order: Vec<Arc<str>>,
    products: FxMap<Arc<str>, ProductTally>,
}

#[derive(Debug, Clone, Default)]
struct ProductTally {
    sessions: u64,
    never_fired: u64,
    timeouts: u64,
    fires: BTreeMap<&'static str, u64>,
}

impl Tally {
    fn count(&mut self, r: &Record) {
        let e = match self.products.get_mut(&r.product_id) {
            Some(e) => e,
            None => {
                self.order.push(r.product_id.clone());
                self.products.entry(r.product_id.clone()).or_default()
            }
        };
        match &r.kind {
            RecordKind::Fire(fire) => *e.fires.entry(fire.trigger_id).or_default() += 1,
            RecordKind::Timeout { .. } => e.timeouts += 1,
            RecordKind::SessionEnd { fires, .. } => {
                e.sessions += 1;
                if *fires == 0 {
                    e.never_fired += 1;
                }
            }
            _ => {}
        }
    }

    /// Fires so far, every product.
    pub(crate) fn fires(&self) -> u64 {
        self.products.values().map(|p| p.fires.values().sum::<u64>()).sum()
    }

    /// The summary as simulate prints it: `summary`, then one line per product.
    pub(crate) fn lines(&self) -> Vec<String> {
        let mut lines = vec!["summary".to_string()];
        if self.order.is_empty() {
            lines.push("  no sessions".into());
        }
        for key in &self.order {
            let e = &self.products[key];
            let fires = e.fires.iter().map(|(id, n)| (*id, *n));
            lines.push(product_summary_line(key, e.sessions, fires, e.timeouts, e.never_fired));
        }
        lines
    }
}

/// One product's line of the summary `triggers simulate` and `triggers watch` print:
/// `  acme: 3 sessions, 2 fires (dwell 2), 1 timeout, 1 session never fired`.
pub(crate) fn product_summary_line<'a>(
    product: &str,
    sessions: u64,
    fires: impl Iterator<Item = (&'a str, u64)>,
    timeouts: u64,
    never_fired: u64,
) -> String {
    let plural = |n: u64| if n == 1 { "" } else { "s" };
    let (mut total, mut per) = (0, Vec::new());
    for (id, n) in fires {
        total += n;
        per.push(format!("{id} {n}"));
    }
    let name = if product.is_empty() { "(no product_id)" } else { product };
    format!(
        "  {name}: {sessions} session{}, {total} fire{}{}, {timeouts} timeout{}, {never_fired} session{} never fired",
        plural(sessions),
        plural(total),
        if per.is_empty() { String::new() } else { format!(" ({})", per.join(", ")) },
        plural(timeouts),
        plural(never_fired),
    )
}

/// Sessions never abort each other in a live run.
static NEVER: AtomicBool = AtomicBool::new(false);

type Key = (Box<str>, Box<str>);

/// A session's key in one string, so that a lookup needs no allocation: the product id's
/// length, a colon, the product id, then the session id (the length keeps every pair apart).
fn push_key(out: &mut String, product: &str, session: &str) {
    // The length's digits without a formatter: one per event is measurable on a busy stream.
    out.push_str(itoa::Buffer::new().format(product.len()));
    out.push(':');
    out.push_str(product);
    out.push_str(session);
}

struct Slot {
    sim: SessionSim<'static>,
    key: Key,
    /// [`Clock::Event`]: events not yet taken, in time order (stable).
    pending: Vec<SessionEvent>,
    /// Its place in the LRU order.
    touched: u64,
    /// Bumped whenever its timer changes (older timers are stale).
    generation: u64,
    /// What a focus reads of the session (its ids, first user id, first event), kept only
    /// while a focus is set.
    summary: Option<SessionSummary>,
}

/// The trigger engine over a live stream of events.
pub(crate) struct Live {
    config: &'static ParsedConfig,
    opts: &'static SimOptions,
    live: LiveOptions,
    fixed: Option<&'static ProductRow>,
    /// [`push_key`] of each live session → its id.
    keys: FxMap<Box<str>, u64>,
    /// Scratch for a key looked up.
    scratch: String,
    slots: FxMap<u64, Slot>,
    next_id: u64,
    /// (touch counter, session id), least recent first. An entry is current while the
    /// session's `touched` equals it; older ones are skipped (and compacted away), so a touch
    /// costs a push, not a search.
    lru: VecDeque<(u64, u64)>,
    touch: u64,
    /// (when, session id, generation): the next time a session has something to do.
    timers: BinaryHeap<Reverse<(OrdF64, u64, u64)>>,
    /// [`Clock::Event`]: the latest time the stream has shown.
    watermark: f64,
    /// Scratch for the events of a session that became ready.
    ready: Vec<SessionEvent>,
    out: Vec<Record>,
    /// With a focus: per record of `out`, whether the focus keeps it.
    kept: Vec<bool>,
    focus: Option<Focus>,
    stats: LiveStats,
    tally: Tally,
    /// With [`Live::keep_ended`]: the summaries of the sessions ended since the last
    /// [`Live::take_ended`], each with its session index.
    ended: Option<Vec<(usize, SessionSummary)>>,
}

/// A finite `f64` ordered as a number.
#[derive(Debug, Clone, Copy)]
struct OrdF64(f64);
impl PartialEq for OrdF64 {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}
impl Eq for OrdF64 {}
impl PartialOrd for OrdF64 {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for OrdF64 {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

impl Live {
    /// A live run of `config` with `opts` (both checked as simulate checks them).
    pub(crate) fn new(
        config: &'static ParsedConfig,
        opts: &'static SimOptions,
        live: LiveOptions,
    ) -> Result<Live, SimError> {
        let fixed = fixed_row(config, opts)?;
        Ok(Live {
            config,
            opts,
            live,
            fixed,
            keys: FxMap::default(),
            scratch: String::new(),
            slots: FxMap::default(),
            next_id: 0,
            lru: VecDeque::new(),
            touch: 0,
            timers: BinaryHeap::new(),
            watermark: f64::NEG_INFINITY,
            ready: Vec::new(),
            out: Vec::new(),
            kept: Vec::new(),
            focus: None,
            stats: LiveStats::default(),
            tally: Tally::default(),
            ended: None,
        })
    }

    /// A reloaded config, from the next evaluation on: sessions that start from now use it,
    /// and every live session takes its row for its next point (event or pulse), keeping its
    /// state machine and history ([`SessionSim::set_product`] says what carries over). A live
    /// session whose product has no row in the new config keeps the row it had until it
    /// ends. Returns how many live sessions took a new row and how many kept theirs.
    pub(crate) fn set_config(&mut self, config: &'static ParsedConfig) -> Result<(usize, usize), SimError> {
        let fixed = fixed_row(config, self.opts)?;
        self.fixed = fixed;
        self.config = config;
        let (mut moved, mut kept) = (0, 0);
        for slot in self.slots.values_mut() {
            match fixed.or_else(|| config.row_for(&slot.key.0)) {
                Some(row) => {
                    slot.sim.set_product(row);
                    moved += 1;
                }
                None => kept += 1,
            }
        }
        Ok((moved, kept))
    }

    /// The run's clock.
    pub(crate) fn clock(&self) -> Clock {
        self.live.clock
    }

    /// [`Clock::Wall`] stopped: every session ends where it is (its waiting pulses are in the
    /// future).
    pub(crate) fn flush_now(&mut self) {
        let mut ids: Vec<u64> = self.slots.keys().copied().collect();
        ids.sort_unstable();
        for id in ids {
            self.end(id, false);
        }
        self.timers.clear();
    }

    /// How many sessions are live.
    pub(crate) fn live_sessions(&self) -> usize {
        self.slots.len()
    }

    /// The counters so far.
    pub(crate) fn stats(&self) -> &LiveStats {
        &self.stats
    }

    /// The per-product summary so far.
    pub(crate) fn tally(&self) -> &Tally {
        &self.tally
    }

    /// Keeps the summary of every session that ends (its ids, first and last time, fires, as
    /// `triggers simulate` returns them) for [`Live::take_ended`].
    pub(crate) fn keep_ended(&mut self) {
        self.ended.get_or_insert_with(Vec::new);
    }

    /// The sessions ended since the last call (with [`Live::keep_ended`]), each with the
    /// session index its records carry.
    pub(crate) fn take_ended(&mut self) -> Vec<(usize, SessionSummary)> {
        self.ended.as_mut().map(std::mem::take).unwrap_or_default()
    }

    /// Whether an event of `product_id` reaches a session (the others are counted in
    /// [`LiveStats::unrouted`] and skipped).
    pub(crate) fn routes(&self, product_id: &str) -> bool {
        self.fixed.is_some() || self.config.row_for(product_id).is_some()
    }

    /// The records decided since the last call, each session's in its order.
    pub(crate) fn take_records(&mut self) -> std::vec::IntoIter<Record> {
        self.kept.clear();
        std::mem::take(&mut self.out).into_iter()
    }

    /// Marks every record from now on with whether `focus` keeps it (see
    /// [`Live::take_marked`]). The focus chooses what is shown, never what is decided: every
    /// session still runs from its first event and the tally counts every record.
    pub(crate) fn set_focus(&mut self, focus: Focus) {
        self.focus = focus.is_active().then_some(focus);
    }

    /// [`Live::take_records`], each with whether the focus keeps it (always, without one).
    pub(crate) fn take_marked(&mut self) -> impl Iterator<Item = (Record, bool)> + use<> {
        let kept = std::mem::take(&mut self.kept);
        let all = kept.is_empty();
        let records = std::mem::take(&mut self.out);
        records.into_iter().enumerate().map(move |(i, r)| (r, all || kept.get(i).copied().unwrap_or(true)))
    }

    /// Takes one event. `now` is the caller's clock ([`Clock::Wall`]: the event's time).
    pub(crate) fn push(&mut self, ev: SimEvent<'_>, now: f64) {
        self.stats.events += 1;
        if self.live.clock == Clock::Wall {
            // What was due before this event happens first (a session past its end ends).
            self.run_due(now, true);
        }
        self.scratch.clear();
        push_key(&mut self.scratch, &ev.product_id, &ev.session_id);
        let id = match self.keys.get(self.scratch.as_str()) {
            Some(id) => *id,
            None => {
                let product = match self.fixed {
                    Some(p) => p,
                    None => match self.config.row_for(&ev.product_id) {
                        Some(p) => p,
                        None => {
                            match self.stats.unrouted.iter_mut().find(|(pid, _)| *pid == ev.product_id) {
                                Some((_, n)) => *n += 1,
                                None => self.stats.unrouted.push((ev.product_id.into_owned(), 1)),
                            }
                            return;
                        }
                    },
                };
                let key: Key = (Box::from(&*ev.product_id), Box::from(&*ev.session_id));
                self.start(key, product)
            }
        };
        self.touch += 1;
        let touch = self.touch;
        if self.lru.len() > 2 * self.slots.len() + 1024 {
            let slots = &self.slots;
            self.lru.retain(|(touch, id)| slots.get(id).is_some_and(|s| s.touched == *touch));
        }
        self.lru.push_back((touch, id));
        let Some(slot) = self.slots.get_mut(&id) else { return };
        if let Some(summary) = &mut slot.summary
            && summary.user_id.is_none()
        {
            // The session's user is the first user id its lines carry, as in simulate.
            summary.user_id = ev.user_id.clone();
        }
        slot.touched = touch;
        let mut ev = SessionEvent::of(ev);
        match self.live.clock {
            Clock::Wall => {
                ev.t = now;
                self.take(id, ev);
            }
            Clock::Event => {
                let at = slot.pending.partition_point(|p| p.t <= ev.t);
                slot.pending.insert(at, ev);
                self.watermark = self.watermark.max(slot.pending[at].t);
                self.schedule(id);
                let watermark = self.watermark;
                self.run_due(watermark, false);
            }
        }
    }

    /// [`Clock::Wall`]: runs everything due at `now` (pulses, sessions past their horizon).
    pub(crate) fn advance(&mut self, now: f64) {
        if self.live.clock == Clock::Wall {
            self.run_due(now, true);
        }
    }

    /// When [`Live::advance`] next has something to do.
    pub(crate) fn next_due(&mut self) -> Option<f64> {
        while let Some(Reverse((when, id, generation))) = self.timers.peek().copied() {
            if self.slots.get(&id).is_some_and(|s| s.generation == generation) {
                return Some(when.0);
            }
            self.timers.pop();
        }
        None
    }

    /// The stream ended: every session takes its waiting events, runs its pulses to the
    /// horizon and ends. The records of this flush come in the simulator's order (time, then
    /// first appearance).
    pub(crate) fn flush(&mut self) {
        let start = self.out.len();
        let mut ids: Vec<u64> = self.slots.keys().copied().collect();
        ids.sort_unstable();
        for id in ids {
            let pending = match self.slots.get_mut(&id) {
                Some(slot) => std::mem::take(&mut slot.pending),
                None => continue,
            };
            let mut id = id;
            for ev in pending {
                if self.ended_before(id, ev.t) {
                    let Some(again) = self.restart(id) else { break };
                    id = again;
                }
                self.take(id, ev);
            }
            self.end(id, true);
        }
        let order = |a: &Record, b: &Record| a.ts.total_cmp(&b.ts).then(a.session_index.cmp(&b.session_index));
        if self.focus.is_some() {
            let mut tail: Vec<(Record, bool)> = self.out.drain(start..).zip(self.kept.drain(start..)).collect();
            tail.sort_by(|a, b| order(&a.0, &b.0));
            for (r, keep) in tail {
                self.out.push(r);
                self.kept.push(keep);
            }
        } else {
            self.out[start..].sort_by(order);
        }
        self.timers.clear();
    }

    fn start(&mut self, key: Key, product: &'static ProductRow) -> u64 {
        if self.slots.len() >= self.live.max_sessions.max(1)
            && let Some(oldest) = self.least_recent()
        {
            self.stats.evicted += 1;
            if let Some(slot) = self.slots.get_mut(&oldest) {
                let pending = std::mem::take(&mut slot.pending);
                for ev in pending {
                    self.take(oldest, ev);
                }
            }
            self.end(oldest, false);
        }
        let id = self.next_id;
        self.next_id += 1;
        let sim =
            SessionSim::new(product, self.opts, id as usize, &key.0, &key.1, &NEVER, RecordSink::Records(Vec::new()));
        let mut joined = String::with_capacity(key.0.len() + key.1.len() + 1);
        push_key(&mut joined, &key.0, &key.1);
        self.keys.insert(joined.into_boxed_str(), id);
        let summary = self.focus.as_ref().map(|_| SessionSummary {
            product_id: Arc::from(&*key.0),
            session_id: Arc::from(&*key.1),
            user_id: None,
            product_key: product.key.clone(),
            first_ts: f64::NAN,
            last_ts: f64::NAN,
            fires: 0,
        });
        self.slots.insert(id, Slot { sim, key, pending: Vec::new(), touched: 0, generation: 0, summary });
        id
    }

    /// Feeds one event to its session (never before the session's clock).
    fn take(&mut self, id: u64, mut ev: SessionEvent) {
        let Some(slot) = self.slots.get_mut(&id) else { return };
        if slot.sim.started() && ev.t < slot.sim.clock() {
            self.stats.late += 1;
            ev.t = slot.sim.clock();
        }
        let result = slot.sim.feed(ev);
        self.collect(id);
        match result {
            Ok(()) => self.schedule(id),
            Err(err) => self.fail(id, err),
        }
    }

    /// Runs what is due at `now`: waiting events before it ([`Clock::Event`], strictly
    /// before: more events at `now` may come), pulses up to it ([`Clock::Wall`]), and the
    /// end of sessions past their horizon and linger.
    fn run_due(&mut self, now: f64, inclusive: bool) {
        while let Some(Reverse((when, id, generation))) = self.timers.peek().copied() {
            let due = if inclusive { when.0 <= now } else { when.0 < now };
            if !due {
                break;
            }
            self.timers.pop();
            let Some(slot) = self.slots.get_mut(&id) else { continue };
            if slot.generation != generation {
                continue;
            }
            let ready = slot.pending.partition_point(|p| p.t < now);
            // The ready events go through a list kept from call to call (no allocation).
            let mut events = std::mem::take(&mut self.ready);
            events.extend(slot.pending.drain(..ready));
            let mut failed = None;
            let mut id = id;
            for ev in events.drain(..) {
                if self.ended_before(id, ev.t) {
                    // The session ended before this event: it comes back as a new one.
                    let Some(again) = self.restart(id) else { break };
                    id = again;
                }
                self.take(id, ev);
            }
            events.clear();
            self.ready = events;
            let Some(slot) = self.slots.get_mut(&id) else { continue };
            if inclusive && let Err(err) = slot.sim.pulses_before(now, true) {
                failed = Some(err);
            }
            self.collect(id);
            if let Some(err) = failed {
                self.fail(id, err);
                continue;
            }
            let Some(slot) = self.slots.get(&id) else { continue };
            let end = self.end_time(&slot.sim);
            let over = now > end || (inclusive && now >= end);
            match slot.pending.first() {
                None if over => self.end(id, true),
                // Its next event comes after its end: it ends now, and that event starts it again.
                Some(next) if over && next.t > end => {
                    if let Some(again) = self.restart(id) {
                        self.schedule(again);
                    }
                }
                _ => self.schedule(id),
            }
        }
        if self.timers.len() > 4 * self.slots.len() + 1024 {
            self.rebuild_timers();
        }
    }

    /// Whether a started session's end (see [`Live::end_time`]) lies before `t`.
    fn ended_before(&self, id: u64, t: f64) -> bool {
        self.slots.get(&id).is_some_and(|slot| slot.sim.started() && t > self.end_time(&slot.sim))
    }

    /// Ends a session whose next events come after its end (with its pulses up to its
    /// horizon) and starts the same session id again as a new session, on the same config
    /// row, holding those events. Returns the new session's id.
    fn restart(&mut self, id: u64) -> Option<u64> {
        let slot = self.slots.get_mut(&id)?;
        let pending = std::mem::take(&mut slot.pending);
        let (key, product) = (slot.key.clone(), slot.sim.product());
        self.end(id, true);
        let again = self.start(key, product);
        self.touch += 1;
        self.lru.push_back((self.touch, again));
        let slot = self.slots.get_mut(&again)?;
        slot.touched = self.touch;
        slot.pending = pending;
        Some(again)
    }

    /// When a session is dropped: its horizon plus the linger after its last event.
    fn end_time(&self, sim: &SessionSim<'_>) -> f64 {
        sim.last_event() + self.opts.horizon + self.live.linger
    }

    fn schedule(&mut self, id: u64) {
        let end = match self.slots.get(&id) {
            Some(slot) => self.end_time(&slot.sim),
            None => return,
        };
        let clock = self.live.clock;
        let Some(slot) = self.slots.get_mut(&id) else { return };
        slot.generation += 1;
        let mut when = end;
        if let Some(first) = slot.pending.first() {
            when = when.min(first.t);
        }
        if clock == Clock::Wall
            && let Some(p) = slot.sim.next_pulse()
        {
            when = when.min(p);
        }
        if when.is_finite() {
            self.timers.push(Reverse((OrdF64(when), id, slot.generation)));
        }
    }

    fn rebuild_timers(&mut self) {
        self.timers.clear();
        let ids: Vec<u64> = self.slots.keys().copied().collect();
        for id in ids {
            self.schedule(id);
        }
    }

    /// Ends a session (`with_pulses`: after its pulses up to the horizon) and drops it.
    fn end(&mut self, id: u64, with_pulses: bool) {
        let Some(slot) = self.slots.get_mut(&id) else { return };
        let result = if with_pulses { slot.sim.finish() } else { slot.sim.end_now() };
        self.collect(id);
        match result {
            Err(err) => self.stats.failed.push(err),
            Ok(summary) => {
                if with_pulses {
                    self.stats.ended += 1;
                }
                if let Some(ended) = &mut self.ended {
                    ended.push((id as usize, summary));
                }
            }
        }
        self.remove(id);
    }

    fn fail(&mut self, id: u64, err: SimError) {
        self.stats.failed.push(err);
        self.remove(id);
    }

    /// Takes the least recently active live session out of the LRU order.
    fn least_recent(&mut self) -> Option<u64> {
        while let Some((touch, id)) = self.lru.pop_front() {
            if self.slots.get(&id).is_some_and(|s| s.touched == touch) {
                return Some(id);
            }
        }
        None
    }

    fn remove(&mut self, id: u64) {
        if let Some(slot) = self.slots.remove(&id) {
            self.scratch.clear();
            push_key(&mut self.scratch, &slot.key.0, &slot.key.1);
            self.keys.remove(self.scratch.as_str());
        }
    }

    /// Moves a session's new records to the output (marked, with a focus).
    fn collect(&mut self, id: u64) {
        let Some(slot) = self.slots.get_mut(&id) else { return };
        if let Some(summary) = &mut slot.summary {
            summary.first_ts = slot.sim.first_event();
        }
        if let RecordSink::Records(records) = &mut slot.sim.sink {
            for r in records.drain(..) {
                self.tally.count(&r);
                if let (Some(focus), Some(summary)) = (&self.focus, &slot.summary) {
                    self.kept.push(focus.keeps(&r, summary));
                }
                self.out.push(r);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::triggers::engine::{LineOutcome, parse_line, simulate};

    const CONFIG: &str = r#"[{"product_id": "p", "integration_config": {"proactive_triggers": {
        "builtins": [{"id": "canonical_url_ping_pong", "name": "Ping-pong", "description": "d",
                      "triggering_type": "instant_trigger"}]}}}]"#;

    fn lines() -> Vec<String> {
        let mut out = Vec::new();
        for (i, s) in ["a", "b", "a", "b"].iter().enumerate() {
            for (j, url) in ["/x", "/y", "/x"].iter().enumerate() {
                let t = 1_700_000_000.0 + (i * 37 + j * 3) as f64;
                out.push(format!(
                    r#"{{"type": "actions", "product_id": "p", "session_id": "{s}{}", "forwarded_at": {t}, "actions": [{{"canonical_url": "{url}", "timestamp_start": {t}, "timestamp_end": {t}}}]}}"#,
                    i / 2
                ));
            }
        }
        out
    }

    fn leak<T>(v: T) -> &'static T {
        Box::leak(Box::new(v))
    }

    fn events(lines: &[String]) -> Vec<SimEvent<'_>> {
        lines
            .iter()
            .enumerate()
            .filter_map(|(i, l)| match parse_line(i + 1, l) {
                Ok(LineOutcome::Event(e)) => Some(e),
                _ => None,
            })
            .collect()
    }

    /// The records of `lines` pushed on the event clock, then flushed.
    fn replayed(
        config: &'static ParsedConfig,
        opts: &'static SimOptions,
        lines: &[String],
        linger: f64,
    ) -> Vec<Record> {
        let mut live = Live::new(config, opts, LiveOptions { clock: Clock::Event, max_sessions: 100, linger }).unwrap();
        let mut got = Vec::new();
        for ev in events(lines) {
            live.push(ev, 0.0);
            got.extend(live.take_records());
        }
        live.flush();
        got.extend(live.take_records());
        got
    }

    #[test]
    fn event_clock_then_flush_is_simulate() {
        let config = leak(crate::triggers::config::parse_products_str(CONFIG).unwrap());
        let opts = leak(SimOptions { explain: true, ..SimOptions::default() });
        let lines = lines();
        let expected: Vec<String> =
            simulate(config, events(&lines), opts).unwrap().records.iter().map(Record::to_json).collect();
        let mut got = replayed(config, opts, &lines, 1e9);
        got.sort_by(|a, b| a.ts.total_cmp(&b.ts).then(a.session_index.cmp(&b.session_index)));
        let got: Vec<String> = got.iter().map(Record::to_json).collect();
        assert_eq!(got, expected);
    }

    /// On the event clock, a session whose next event comes after its horizon and linger
    /// ends there and starts again with that event, whether the stream moves on past it or
    /// ends right after it.
    #[test]
    fn a_session_that_comes_back_after_its_end_starts_again() {
        let config = leak(crate::triggers::config::parse_products_str(CONFIG).unwrap());
        let opts = leak(SimOptions::default());
        let line = |t: f64| {
            format!(
                r#"{{"type": "actions", "product_id": "p", "session_id": "a", "forwarded_at": {t}, "actions": [{{"canonical_url": "/x"}}]}}"#
            )
        };
        let t0 = 1_700_000_000.0;
        for moved_on in [false, true] {
            let mut lines = vec![line(t0), line(t0 + 1000.0)];
            if moved_on {
                lines.push(line(t0 + 5000.0));
            }
            let got = replayed(config, opts, &lines, 600.0);
            let ends: Vec<(f64, usize)> = got
                .iter()
                .filter(|r| matches!(r.kind, RecordKind::SessionEnd { .. }))
                .map(|r| (r.ts - t0, r.session_index))
                .collect();
            let expected =
                if moved_on { vec![(300.0, 0), (1300.0, 1), (5300.0, 2)] } else { vec![(300.0, 0), (1300.0, 1)] };
            assert_eq!(ends, expected, "moved on: {moved_on}");
        }
    }

    #[test]
    fn the_least_recent_session_is_evicted() {
        let config = leak(crate::triggers::config::parse_products_str(CONFIG).unwrap());
        let opts = leak(SimOptions::default());
        let mut live =
            Live::new(config, opts, LiveOptions { clock: Clock::Wall, max_sessions: 1, linger: 0.0 }).unwrap();
        let lines = lines();
        for (i, ev) in events(&lines).into_iter().enumerate() {
            live.push(ev, 1_700_000_000.0 + i as f64);
        }
        assert!(live.live_sessions() <= 1);
        assert!(live.stats().evicted >= 3);
        let ends = live.take_records().filter(|r| matches!(r.kind, RecordKind::SessionEnd { .. })).count();
        assert_eq!(ends as u64, live.stats().evicted);
    }

    #[test]
    fn a_session_ends_after_its_horizon() {
        let config = leak(crate::triggers::config::parse_products_str(CONFIG).unwrap());
        let opts = leak(SimOptions { horizon: 30.0, ..SimOptions::default() });
        let mut live =
            Live::new(config, opts, LiveOptions { clock: Clock::Wall, max_sessions: 10, linger: 5.0 }).unwrap();
        let lines = lines();
        let first = events(&lines).into_iter().next().unwrap();
        live.push(first, 1_700_000_000.0);
        live.advance(1_700_000_034.0);
        assert_eq!(live.live_sessions(), 1);
        live.advance(1_700_000_036.0);
        assert_eq!(live.live_sessions(), 0);
        let records: Vec<Record> = live.take_records().collect();
        assert!(matches!(records.last().map(|r| &r.kind), Some(RecordKind::SessionEnd { .. })));
        assert_eq!(records.last().unwrap().ts, 1_700_000_030.0);
    }

    #[test]
    fn a_new_config_applies_to_a_live_session_from_its_next_event() {
        const DWELL_ONLY: &str = r#"[{"product_id": "p", "integration_config": {"proactive_triggers": {
            "builtins": [{"id": "user_page_dwell", "name": "Dwell", "description": "d",
                          "triggering_type": "instant_trigger"}], "dwell_threshold_seconds": 100000}}}]"#;
        let before = leak(crate::triggers::config::parse_products_str(DWELL_ONLY).unwrap());
        let after = leak(crate::triggers::config::parse_products_str(CONFIG).unwrap());
        let opts = leak(SimOptions::default());
        let mut live =
            Live::new(before, opts, LiveOptions { clock: Clock::Wall, max_sessions: 10, linger: 0.0 }).unwrap();
        let lines = lines();
        let mut evs = events(&lines).into_iter().filter(|e| e.session_id == "a0");
        for (i, ev) in evs.by_ref().take(2).enumerate() {
            live.push(ev, 1_700_000_000.0 + i as f64);
        }
        assert!(!live.take_records().any(|r| matches!(r.kind, RecordKind::Fire(_))));
        assert_eq!(live.set_config(after).unwrap(), (1, 0));
        let third = evs.next().unwrap();
        live.push(third, 1_700_000_002.0);
        let fires: Vec<Record> = live.take_records().filter(|r| matches!(r.kind, RecordKind::Fire(_))).collect();
        assert_eq!(fires.len(), 1);
        assert_eq!(&*fires[0].session_id, "a0");
        assert_eq!(live.live_sessions(), 1);
    }

    #[test]
    fn a_focus_marks_records_and_the_tally_counts_them_all() {
        let config = leak(crate::triggers::config::parse_products_str(CONFIG).unwrap());
        let opts = leak(SimOptions { explain: true, ..SimOptions::default() });
        let mut live =
            Live::new(config, opts, LiveOptions { clock: Clock::Event, max_sessions: 100, linger: 0.0 }).unwrap();
        live.set_focus(Focus { sessions: vec!["b1".into()], kinds: vec!["fire".into()], ..Focus::default() });
        let lines = lines();
        let mut marked = Vec::new();
        for ev in events(&lines) {
            live.push(ev, 0.0);
            marked.extend(live.take_marked());
        }
        live.flush();
        marked.extend(live.take_marked());
        let shown: Vec<&Record> = marked.iter().filter(|(_, keep)| *keep).map(|(r, _)| r).collect();
        assert!(!shown.is_empty());
        assert!(shown.iter().all(|r| &*r.session_id == "b1" && matches!(r.kind, RecordKind::Fire(_))));
        assert!(marked.len() > shown.len());
        assert!(live.tally().fires() > shown.len() as u64);
    }
}
