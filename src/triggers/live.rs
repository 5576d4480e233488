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
use std::collections::{BTreeMap, BinaryHeap};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use super::config::{ParsedConfig, ProductRow};
use super::engine::{
    FxMap, Record, RecordKind, RecordSink, SessionEvent, SessionSim, SimError, SimEvent, SimOptions, fixed_row,
};

/// What a live run's time is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Clock {
    /// The caller's clock: events happen when they arrive.
    Wall,
    /// The stream's own timestamps.
    Event,
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

struct Slot {
    sim: SessionSim<'static>,
    key: Key,
    /// [`Clock::Event`]: events not yet taken, in time order (stable).
    pending: Vec<SessionEvent>,
    /// Its place in the LRU order.
    touched: u64,
    /// Bumped whenever its timer changes (older timers are stale).
    generation: u64,
}

/// The trigger engine over a live stream of events.
pub(crate) struct Live {
    config: &'static ParsedConfig,
    opts: &'static SimOptions,
    live: LiveOptions,
    fixed: Option<&'static ProductRow>,
    keys: FxMap<Key, u64>,
    slots: FxMap<u64, Slot>,
    next_id: u64,
    /// touch counter → session id, least recent first.
    lru: BTreeMap<u64, u64>,
    touch: u64,
    /// (when, session id, generation): the next time a session has something to do.
    timers: BinaryHeap<Reverse<(OrdF64, u64, u64)>>,
    /// [`Clock::Event`]: the latest time the stream has shown.
    watermark: f64,
    out: Vec<Record>,
    stats: LiveStats,
    tally: Tally,
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
            slots: FxMap::default(),
            next_id: 0,
            lru: BTreeMap::new(),
            touch: 0,
            timers: BinaryHeap::new(),
            watermark: f64::NEG_INFINITY,
            out: Vec::new(),
            stats: LiveStats::default(),
            tally: Tally::default(),
        })
    }

    /// Sessions that start from now on use `config`; live sessions keep the row they started
    /// with (their history was read by it).
    pub(crate) fn set_config(&mut self, config: &'static ParsedConfig) -> Result<(), SimError> {
        self.fixed = fixed_row(config, self.opts)?;
        self.config = config;
        Ok(())
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

    /// The records decided since the last call, each session's in its order.
    pub(crate) fn take_records(&mut self) -> std::vec::IntoIter<Record> {
        std::mem::take(&mut self.out).into_iter()
    }

    /// Takes one event. `now` is the caller's clock ([`Clock::Wall`]: the event's time).
    pub(crate) fn push(&mut self, ev: SimEvent<'_>, now: f64) {
        self.stats.events += 1;
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
        if self.live.clock == Clock::Wall {
            // What was due before this event happens first (a session past its end ends).
            self.run_due(now, true);
        }
        let key: Key = (Box::from(&*ev.product_id), Box::from(&*ev.session_id));
        let id = match self.keys.get(&key) {
            Some(id) => *id,
            None => self.start(key, product),
        };
        self.touch += 1;
        let touch = self.touch;
        let Some(slot) = self.slots.get_mut(&id) else { return };
        self.lru.remove(&slot.touched);
        slot.touched = touch;
        self.lru.insert(touch, id);
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
            for ev in pending {
                self.take(id, ev);
            }
            self.end(id, true);
        }
        self.out[start..].sort_by(|a, b| a.ts.total_cmp(&b.ts).then(a.session_index.cmp(&b.session_index)));
        self.timers.clear();
    }

    fn start(&mut self, key: Key, product: &'static ProductRow) -> u64 {
        if self.slots.len() >= self.live.max_sessions.max(1)
            && let Some((_, oldest)) = self.lru.pop_first()
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
        self.keys.insert(key.clone(), id);
        self.slots.insert(id, Slot { sim, key, pending: Vec::new(), touched: 0, generation: 0 });
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
            let events: Vec<SessionEvent> = slot.pending.drain(..ready).collect();
            let mut failed = None;
            for ev in events {
                self.take(id, ev);
            }
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
            if slot.pending.is_empty() && (now > end || (inclusive && now >= end)) {
                self.end(id, true);
            } else {
                self.schedule(id);
            }
        }
        if self.timers.len() > 4 * self.slots.len() + 1024 {
            self.rebuild_timers();
        }
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
        if let Err(err) = result {
            self.stats.failed.push(err);
        } else if with_pulses {
            self.stats.ended += 1;
        }
        self.remove(id);
    }

    fn fail(&mut self, id: u64, err: SimError) {
        self.stats.failed.push(err);
        self.remove(id);
    }

    fn remove(&mut self, id: u64) {
        if let Some(slot) = self.slots.remove(&id) {
            self.lru.remove(&slot.touched);
            self.keys.remove(&slot.key);
        }
    }

    /// Moves a session's new records to the output.
    fn collect(&mut self, id: u64) {
        let Some(slot) = self.slots.get_mut(&id) else { return };
        if let RecordSink::Records(records) = &mut slot.sim.sink {
            for r in records.drain(..) {
                self.tally.count(&r);
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

    #[test]
    fn event_clock_then_flush_is_simulate() {
        let config = leak(crate::triggers::config::parse_products_str(CONFIG).unwrap());
        let opts = leak(SimOptions { explain: true, ..SimOptions::default() });
        let lines = lines();
        let expected: Vec<String> =
            simulate(config, events(&lines), opts).unwrap().records.iter().map(Record::to_json).collect();
        let mut live =
            Live::new(config, opts, LiveOptions { clock: Clock::Event, max_sessions: 100, linger: 1e9 }).unwrap();
        let mut got = Vec::new();
        for ev in events(&lines) {
            live.push(ev, 0.0);
            got.extend(live.take_records());
        }
        live.flush();
        got.extend(live.take_records());
        got.sort_by(|a, b| a.ts.total_cmp(&b.ts).then(a.session_index.cmp(&b.session_index)));
        let got: Vec<String> = got.iter().map(Record::to_json).collect();
        assert_eq!(got, expected);
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
}
