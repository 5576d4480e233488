/*!
Synthetic traffic: realistic sessions of a small SaaS app ("Acme Projects"), for `autoplay
generate`, `autoplay serve --synthetic`, the demo and the benchmarks.

Each session follows a persona — a browser, a user bouncing between billing and pricing
(ping-pong), a user lingering on one page (long dwell), a busy builder — and emits `actions`
batches of 1–3 actions, with a `summary` now and then. Sessions overlap in time; events come
out in `forwarded_at` order. The same seed always gives the same events, and memory is
proportional to the number of sessions, not events, so millions of actions stream out.
*/

use std::cmp::Ordering;
use std::collections::{BinaryHeap, VecDeque};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{Map, Value, json};

/// 2026-01-01T00:00:00Z: the default start of generated time.
pub(crate) const DEFAULT_START: f64 = 1_767_225_600.0;

const HOST: &str = "https://app.acme.dev";

/// A page of the app: canonical path, a raw example path and its title.
struct Page {
    canonical: &'static str,
    raw: &'static str,
    title: &'static str,
    clicks: &'static [&'static str],
}

const fn page(
    canonical: &'static str,
    raw: &'static str,
    title: &'static str,
    clicks: &'static [&'static str],
) -> Page {
    Page { canonical, raw, title, clicks }
}

const PAGES: &[Page] = &[
    page("/dashboard", "/dashboard", "Dashboard", &["Open recent project", "Dismiss welcome banner"]),
    page("/projects", "/projects?sort=recent", "Projects", &["New project", "Filter by owner"]),
    page("/projects/:id", "/projects/812", "Project details", &["Add task", "Share project"]),
    page("/projects/new", "/projects/new", "New project", &["Create project", "Pick template"]),
    page("/reports", "/reports?range=30d", "Reports", &["Export CSV", "Change date range"]),
    page("/settings/billing", "/settings/billing?tab=plan", "Billing", &["Upgrade plan", "Update card"]),
    page("/pricing", "/pricing", "Pricing", &["Compare plans", "Contact sales"]),
    page("/settings/team", "/settings/team", "Team settings", &["Invite teammate", "Change role"]),
    page("/integrations", "/integrations", "Integrations", &["Connect Slack", "Connect GitHub"]),
    page("/help", "/help/getting-started", "Help center", &["Search help", "Open article"]),
];

const BILLING: usize = 5;
const PRICING: usize = 6;
const REPORTS: usize = 4;
const PROJECT_NEW: usize = 3;

/// What kind of user a session is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Persona {
    /// Wanders through a few pages.
    Browser,
    /// Bounces between billing and pricing: the ping-pong pattern.
    PingPong,
    /// Looks around, then stays on one page and goes quiet: the long-dwell pattern.
    Lingerer,
    /// Creates projects and exports reports with many clicks.
    Builder,
}

/// Options of the generator.
#[derive(Debug, Clone)]
pub(crate) struct SyntheticOptions {
    pub(crate) sessions: u32,
    pub(crate) seed: u64,
    pub(crate) product: String,
    /// Total actions to generate; `None` gives each session one natural script.
    pub(crate) total_actions: Option<u64>,
    pub(crate) start: f64,
}

impl SyntheticOptions {
    pub(crate) fn new(sessions: u32, seed: u64) -> Self {
        SyntheticOptions { sessions, seed, product: "demo".into(), total_actions: None, start: DEFAULT_START }
    }
}

/// One generated frame: its data object and its `forwarded_at`.
#[derive(Debug, Clone)]
pub(crate) struct SyntheticEvent {
    pub(crate) at: f64,
    pub(crate) data: Map<String, Value>,
}

struct SessionState {
    session_id: String,
    user_id: String,
    email: Option<String>,
    persona: Persona,
    rng: StdRng,
    /// Time of the next batch.
    next_at: f64,
    page: usize,
    step: u32,
    actions_left: u64,
    action_index: u64,
    batches: u32,
    /// Events generated ahead, in time order; the session's place in the queue is the first.
    ready: VecDeque<SyntheticEvent>,
    finished: bool,
}

struct Scheduled {
    at: f64,
    order: u64,
    slot: usize,
}

impl PartialEq for Scheduled {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Scheduled {}
impl PartialOrd for Scheduled {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Scheduled {
    // Reversed: BinaryHeap is a max-heap and we want the earliest first.
    fn cmp(&self, other: &Self) -> Ordering {
        other.at.total_cmp(&self.at).then_with(|| other.order.cmp(&self.order))
    }
}

/// An iterator of synthetic events in time order.
pub(crate) struct Generator {
    options: SyntheticOptions,
    sessions: Vec<Option<SessionState>>,
    queue: BinaryHeap<Scheduled>,
    order: u64,
}

impl Generator {
    pub(crate) fn new(options: SyntheticOptions) -> Self {
        let mut master = StdRng::seed_from_u64(options.seed);
        let count = options.sessions.max(1) as usize;
        let per_session_budget = options.total_actions.map(|total| {
            let base = total / count as u64;
            (base, total % count as u64)
        });
        let mut sessions = Vec::with_capacity(count);
        let queue = BinaryHeap::with_capacity(count);
        // Sessions start staggered over a window that grows with their number.
        let spread = (count as f64 * 4.0).max(30.0);
        for slot in 0..count {
            let seed: u64 = master.random();
            let mut rng = StdRng::seed_from_u64(seed);
            let persona = match slot % 4 {
                0 => Persona::Browser,
                1 => Persona::PingPong,
                2 => Persona::Lingerer,
                _ => Persona::Builder,
            };
            let user_number = 1000 + rng.random_range(0..(count as u32 * 2).max(10));
            let user_id = format!("u_{user_number}");
            let email = rng.random_bool(0.7).then(|| format!("user{user_number}@example.com"));
            let actions_left = match per_session_budget {
                Some((base, extra)) => base + u64::from((slot as u64) < extra),
                None => u64::MAX,
            };
            let start = options.start + rng.random_range(0.0..spread);
            let start = (start * 10.0).round() / 10.0;
            sessions.push(Some(SessionState {
                session_id: format!("ps_{:08x}", rng.random::<u32>()),
                user_id,
                email,
                persona,
                rng,
                next_at: start,
                page: 0,
                step: 0,
                actions_left,
                action_index: 0,
                batches: 0,
                ready: VecDeque::new(),
                finished: false,
            }));
        }
        let mut generator = Generator { options, sessions, order: 0, queue };
        for slot in 0..count {
            generator.schedule(slot);
        }
        generator
    }

    /// Makes sure the session has its next event ready and queues it by that event's time;
    /// drops the session when it has nothing more to say.
    fn schedule(&mut self, slot: usize) {
        let Some(state) = self.sessions[slot].as_mut() else { return };
        if state.ready.is_empty() && !state.finished {
            generate_batch(state, &self.options);
        }
        match state.ready.front() {
            Some(event) => {
                self.order += 1;
                self.queue.push(Scheduled { at: event.at, order: self.order, slot });
            }
            None => self.sessions[slot] = None,
        }
    }
}

/// Appends the session's next batch (and maybe a summary) to its ready events.
fn generate_batch(state: &mut SessionState, options: &SyntheticOptions) {
    let product = options.product.as_str();
    let budgeted = options.total_actions.is_some();
    let (pages, finished) = next_pages(state, budgeted);
    state.finished = finished;
    if pages.is_empty() {
        state.finished = true;
        return;
    }
    let mut actions = Vec::with_capacity(pages.len());
    let mut t = state.next_at;
    for (i, (page, is_click)) in pages.iter().enumerate() {
        let page_info = &PAGES[*page];
        let start = t;
        let gap = if *is_click { state.rng.random_range(1.0..6.0) } else { state.rng.random_range(3.0..15.0) };
        let end = if i + 1 == pages.len() { start } else { start + gap };
        let (action_type, title, description) = if *is_click {
            let label = page_info.clicks[state.rng.random_range(0..page_info.clicks.len())];
            ("click", format!("Click {label}"), format!("User clicked {label} on the {} page", page_info.title))
        } else {
            ("pageview", format!("Page Load: {}", page_info.title), format!("User opened the {} page", page_info.title))
        };
        let mut action = json!({
            "index": state.action_index,
            "type": action_type,
            "title": title,
            "description": description,
            "timestamp_start": round3(start),
            "timestamp_end": round3(end),
            "raw_url": format!("{HOST}{}", page_info.raw),
            "canonical_url": format!("{HOST}{}", page_info.canonical),
            "session_id": state.session_id,
            "user_id": state.user_id,
        });
        if let (Some(email), Value::Object(map)) = (&state.email, &mut action) {
            map.insert("email".into(), Value::String(email.clone()));
        }
        actions.push(action);
        state.action_index += 1;
        t = end;
    }
    let forwarded_at = round3(t + state.rng.random_range(0.5..2.0));
    let mut data = Map::new();
    data.insert("type".into(), json!("actions"));
    data.insert("product_id".into(), json!(product));
    data.insert("session_id".into(), json!(state.session_id));
    data.insert("user_id".into(), json!(state.user_id));
    if let Some(email) = &state.email {
        data.insert("email".into(), json!(email));
    }
    let count = actions.len();
    data.insert("actions".into(), Value::Array(actions));
    data.insert("count".into(), json!(count));
    data.insert("forwarded_at".into(), json!(forwarded_at));
    state.ready.push_back(SyntheticEvent { at: forwarded_at, data });
    state.batches += 1;
    state.action_index = state.action_index.min(u64::from(u32::MAX));
    if state.batches.is_multiple_of(5) {
        let summary_at = round3(forwarded_at + 0.25);
        let mut summary = Map::new();
        summary.insert("type".into(), json!("summary"));
        summary.insert("product_id".into(), json!(product));
        summary.insert("session_id".into(), json!(state.session_id));
        summary.insert("summary".into(), json!(summary_text(state.persona, PAGES[state.page].title)));
        summary.insert("replaces".into(), json!(state.batches * 2));
        summary.insert("forwarded_at".into(), json!(summary_at));
        state.ready.push_back(SyntheticEvent { at: summary_at, data: summary });
    }
    // Lingerers go quiet for long stretches on one page; others keep a steady pace.
    let pause = match state.persona {
        Persona::Lingerer if state.step % 4 == 3 => state.rng.random_range(90.0..180.0),
        Persona::PingPong => state.rng.random_range(3.0..10.0),
        _ => state.rng.random_range(5.0..30.0),
    };
    state.next_at = round3(forwarded_at + pause);
}

impl Iterator for Generator {
    type Item = SyntheticEvent;

    fn next(&mut self) -> Option<SyntheticEvent> {
        let scheduled = self.queue.pop()?;
        let event = self.sessions[scheduled.slot].as_mut()?.ready.pop_front()?;
        self.schedule(scheduled.slot);
        Some(event)
    }
}

/// The pages (and whether each action is a click) of a session's next batch, and whether the
/// session ends with it.
fn next_pages(state: &mut SessionState, budgeted: bool) -> (Vec<(usize, bool)>, bool) {
    if state.actions_left == 0 {
        return (Vec::new(), true);
    }
    let step = state.step;
    state.step += 1;
    let rng = &mut state.rng;
    let mut batch: Vec<(usize, bool)> = match state.persona {
        Persona::Browser => {
            let page = rng.random_range(0..PAGES.len());
            let mut batch = vec![(page, false)];
            if rng.random_bool(0.5) {
                batch.push((page, true));
            }
            batch
        }
        Persona::PingPong => {
            // billing, pricing, billing, pricing …: a cycle every two batches.
            let page = if step.is_multiple_of(2) { BILLING } else { PRICING };
            vec![(page, false)]
        }
        Persona::Lingerer => {
            let page = if step % 4 == 3 { REPORTS } else { rng.random_range(0..PAGES.len()) };
            vec![(page, false)]
        }
        Persona::Builder => {
            let page = if step.is_multiple_of(2) { PROJECT_NEW } else { REPORTS };
            vec![(page, false), (page, true), (page, true)]
        }
    };
    let natural_length = match state.persona {
        Persona::Browser => 6,
        Persona::PingPong => 5,
        Persona::Lingerer => 4,
        Persona::Builder => 5,
    };
    let natural_end = !budgeted && state.step >= natural_length;
    let allowed = state.actions_left.min(batch.len() as u64) as usize;
    batch.truncate(allowed);
    state.actions_left -= batch.len() as u64;
    state.page = batch.last().map_or(state.page, |(page, _)| *page);
    (batch, natural_end || state.actions_left == 0)
}

fn summary_text(persona: Persona, page: &str) -> String {
    match persona {
        Persona::Browser => format!("The user explored several areas of the app and is now on {page}."),
        Persona::PingPong => {
            "The user keeps switching between billing and pricing, comparing plans without upgrading.".into()
        }
        Persona::Lingerer => format!("The user has spent a long time on {page} without taking action."),
        Persona::Builder => "The user is creating projects and exporting reports.".into(),
    }
}

fn round3(value: f64) -> f64 {
    (value * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_events_and_time_ordered() {
        let a: Vec<_> = Generator::new(SyntheticOptions::new(8, 7)).map(|e| Value::Object(e.data)).collect();
        let b: Vec<_> = Generator::new(SyntheticOptions::new(8, 7)).map(|e| Value::Object(e.data)).collect();
        assert_eq!(a, b);
        let times: Vec<f64> = a.iter().map(|v| v["forwarded_at"].as_f64().unwrap()).collect();
        assert!(times.windows(2).all(|w| w[0] <= w[1]), "events come out in time order");
        assert!(a.iter().any(|v| v["type"] == "summary"));
    }

    #[test]
    fn total_actions_is_exact() {
        let mut options = SyntheticOptions::new(7, 3);
        options.total_actions = Some(1000);
        let total: usize =
            Generator::new(options).filter_map(|e| e.data.get("actions").and_then(Value::as_array).map(Vec::len)).sum();
        assert_eq!(total, 1000);
    }

    #[test]
    fn batches_parse_with_the_model() {
        for event in Generator::new(SyntheticOptions::new(4, 1)) {
            let parsed = crate::event::model::Event::from_object(&event.data).unwrap();
            if let crate::event::model::Event::Actions(payload) = parsed {
                assert!(!payload.actions.is_empty());
                assert!(payload.actions.last().is_some_and(|a| a.timestamp_end == a.timestamp_start));
            }
        }
    }
}
