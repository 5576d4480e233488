//! Where the local connector's events come from, and the per-connection pump that writes
//! them as SSE frames with heartbeats and injected faults.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use serde_json::Value;
use tokio::sync::{broadcast, mpsc};
use tokio::time::Instant;

use super::Faults;
use crate::event::line::{self as event_line, LineError, LineScratch, NumberField};
use crate::server::synthetic::{Generator, SyntheticOptions};
use crate::stream::sse;

/// Replay pace.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Speed {
    /// Multiply real time by this factor.
    Factor(f64),
    /// As fast as the client reads.
    Max,
}

/// One event of a recording.
#[derive(Debug, Clone)]
pub(crate) struct ReplayEvent {
    /// The line's `product_id` (stripped; `""` when it is not a string).
    pub product_id: String,
    /// The line as it appears in the recording (one compact JSON object).
    pub data: String,
    /// `forwarded_at` (or `ts`), for pacing.
    pub at: Option<f64>,
}

/// The event source of a server.
#[derive(Debug, Clone)]
pub(crate) enum Source {
    /// Heartbeats only.
    Idle,
    Replay {
        events: Arc<Vec<ReplayEvent>>,
        speed: Speed,
        repeat: bool,
    },
    Synthetic(SyntheticLive),
}

/// Options of the live synthetic feed.
#[derive(Debug, Clone)]
pub(crate) struct SyntheticLive {
    pub(crate) sessions: u32,
    /// Events per second.
    pub(crate) rate: f64,
    pub(crate) seed: u64,
}

/// Reads a recording for replay. Every non-blank line must be a JSON object.
pub(crate) fn load_recording(path: &Path) -> anyhow::Result<Vec<ReplayEvent>> {
    let mut reader = crate::recording::open(path)?;
    replay_events(&path.display().to_string(), &mut reader)
}

/// Reads replay events from recording lines (`label` names them in errors), through the one
/// line reader: the product a line is served under and the time it is paced by.
pub(crate) fn replay_events(label: &str, reader: &mut dyn std::io::BufRead) -> anyhow::Result<Vec<ReplayEvent>> {
    let mut events = Vec::new();
    crate::recording::for_each_line(reader, label, |number, line| {
        // The words every recording reader uses for a line it refuses.
        let invalid = |err: LineError| -> anyhow::Error {
            crate::shell::exit::UserError::usage(format!("{label}:{number}: {err}"))
                .with_hint("a recording has one JSON object per line, as `autoplay tail --record` writes them")
                .into()
        };
        let mut scratch = LineScratch::new();
        let view = event_line::read(line, &mut scratch).map_err(invalid)?;
        let time = |field: Option<NumberField>| match field {
            Some(n) if n.is_out_of_range() => Err(invalid(LineError::of(line))),
            Some(n) => Ok(n.finite()),
            None => Ok(None),
        };
        let product_id = match view.product_id {
            Some(raw) if event_line::is_undecodable_string(raw) => return Err(invalid(LineError::of(line))),
            raw => raw.and_then(event_line::string_of).unwrap_or_default().trim().to_string(),
        };
        let (forwarded_at, ts) = (time(view.forwarded_at)?, time(view.ts)?);
        let at = forwarded_at.or(ts);
        events.push(ReplayEvent { product_id, data: line.trim().to_string(), at });
        Ok(())
    })?;
    Ok(events)
}

/// An event of the live feed.
#[derive(Debug)]
pub(crate) struct LiveEvent {
    pub id: u64,
    pub product_id: String,
    pub data: String,
}

/// Starts the shared synthetic feed: a background task that emits `rate` events per second,
/// stamped with the wall clock. Each event goes to every product the server knows at that
/// moment (`--product` ones and those registered since), with that product's id in it.
pub(crate) fn start_synthetic(options: SyntheticLive, hub: Arc<super::Hub>) {
    tokio::spawn(async move {
        let period = Duration::from_secs_f64(1.0 / options.rate.max(0.001));
        let mut ticker = tokio::time::interval(period);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut round = 0u64;
        loop {
            let synthetic = SyntheticOptions::new(options.sessions.max(1), options.seed.wrapping_add(round));
            for event in Generator::new(synthetic) {
                ticker.tick().await;
                let data = restamp(event.data, event.at, unix_now());
                for product in hub.product_ids() {
                    let mut copy = data.clone();
                    copy.insert("product_id".into(), Value::String(product.clone()));
                    hub.publish(&product, copy);
                }
            }
            round += 1;
        }
    });
}

/// Shifts an event's times so that it was forwarded `now`.
fn restamp(mut data: serde_json::Map<String, Value>, at: f64, now: f64) -> serde_json::Map<String, Value> {
    let offset = now - at;
    let shift = |value: &mut Value| {
        if let Some(t) = value.as_f64() {
            *value = Value::from(((t + offset) * 1000.0).round() / 1000.0);
        }
    };
    if let Some(value) = data.get_mut("forwarded_at") {
        shift(value);
    }
    if let Some(Value::Array(actions)) = data.get_mut("actions") {
        for action in actions.iter_mut().filter_map(Value::as_object_mut) {
            for key in ["timestamp_start", "timestamp_end"] {
                if let Some(value) = action.get_mut(key) {
                    shift(value);
                }
            }
        }
    }
    data
}

pub(crate) fn unix_now() -> f64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs_f64()).unwrap_or(0.0)
}

/// What one connection receives from the server's source (live events come beside it, see
/// [`pump`]).
pub(crate) enum Feed {
    Replay(ReplayCursor),
    Idle,
}

/// A connection's position in a recording.
pub(crate) struct ReplayCursor {
    events: Arc<Vec<ReplayEvent>>,
    /// Indexes (into `events`) this connection receives, in order.
    indexes: Arc<Vec<usize>>,
    position: usize,
    round: u64,
    speed: Speed,
    repeat: bool,
    /// When the previous event was sent, and its recorded time (for pacing).
    previous: Option<(Instant, f64)>,
}

/// Per-product index lists are computed once per recording and shared by connections.
fn indexes_for(events: &Arc<Vec<ReplayEvent>>, product_id: &str, any_product: bool) -> Arc<Vec<usize>> {
    use std::sync::{Mutex, OnceLock};
    type Cache = HashMap<(usize, String, bool), Arc<Vec<usize>>>;
    static CACHE: OnceLock<Mutex<Cache>> = OnceLock::new();
    let key = (Arc::as_ptr(events) as usize, product_id.to_string(), any_product);
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    if let Ok(cache) = cache.lock()
        && let Some(found) = cache.get(&key)
    {
        return found.clone();
    }
    let indexes: Arc<Vec<usize>> = Arc::new(
        events
            .iter()
            .enumerate()
            .filter(|(_, event)| any_product || event.product_id == product_id)
            .map(|(index, _)| index)
            .collect(),
    );
    if let Ok(mut cache) = cache.lock() {
        cache.insert(key, indexes.clone());
    }
    indexes
}

impl Feed {
    /// A replay for one connection, resuming after `last_event_id` when given. Event ids are
    /// `round * len + index + 1`, so they keep growing across `--loop` rounds.
    pub(crate) fn replay(
        events: Arc<Vec<ReplayEvent>>,
        product_id: &str,
        any_product: bool,
        speed: Speed,
        repeat: bool,
        last_event_id: Option<u64>,
    ) -> Feed {
        let indexes = indexes_for(&events, product_id, any_product);
        let len = events.len().max(1) as u64;
        let (round, position) = match last_event_id {
            Some(id) if id > 0 => {
                let round = (id - 1) / len;
                let last_index = ((id - 1) % len) as usize;
                (round, indexes.partition_point(|&index| index <= last_index))
            }
            _ => (0, 0),
        };
        Feed::Replay(ReplayCursor { events, indexes, position, round, speed, repeat, previous: None })
    }

    pub(crate) fn idle() -> Feed {
        Feed::Idle
    }
}

/// One connection's settings.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ConnectionSettings {
    pub(crate) heartbeat: Duration,
    pub(crate) faults: Faults,
    pub(crate) retry_ms: Option<u64>,
}

/// The most bytes gathered into one chunk at `--speed max`.
const MAX_CHUNK: usize = 64 * 1024;

/// A connection's share of the live feed: synthetic traffic and events posted to the
/// webhook and ingest routes, for one product.
pub(crate) struct LiveShare {
    pub(crate) receiver: broadcast::Receiver<Arc<LiveEvent>>,
    pub(crate) product_id: String,
}

/// Writes a connection's frames (its feed and its live share) until the client goes away or
/// a fault ends it.
pub(crate) async fn pump(
    mut feed: Feed,
    mut live: LiveShare,
    settings: ConnectionSettings,
    sender: mpsc::Sender<Bytes>,
) {
    let mut opening = Vec::new();
    if let Some(ms) = settings.retry_ms {
        sse::encode_retry(&mut opening, ms);
    }
    sse::encode_comment(&mut opening, "connected");
    if sender.send(Bytes::from(opening)).await.is_err() {
        return;
    }
    let heartbeat = settings.heartbeat.max(Duration::from_millis(10));
    let mut heartbeats = tokio::time::interval_at(Instant::now() + heartbeat, heartbeat);
    let mut sent: u64 = 0;
    let mut exhausted = false;
    let mut live_open = true;
    loop {
        if settings.faults.stall_after.is_some_and(|n| sent >= n) {
            // Silent but open: the client's idle timeout must notice.
            sender.closed().await;
            return;
        }
        if settings.faults.drop_after.is_some_and(|n| sent >= n) {
            return;
        }
        let budget = [settings.faults.stall_after, settings.faults.drop_after]
            .into_iter()
            .flatten()
            .map(|limit| limit - sent)
            .min()
            .unwrap_or(u64::MAX);
        let mut chunk = Vec::new();
        tokio::select! {
            biased;
            _ = sender.closed() => return,
            _ = heartbeats.tick() => {
                chunk.extend_from_slice(sse::HEARTBEAT_FRAME);
            }
            count = next_frames(&mut feed, &mut chunk, budget), if !exhausted => {
                match count {
                    Some(count) => sent += count,
                    None => exhausted = true,
                }
            }
            received = live.receiver.recv(), if live_open => match received {
                Ok(event) if event.product_id == live.product_id => {
                    sse::encode_event(&mut chunk, event.id, &event.data);
                    sent += 1;
                }
                // Other products' events; and a slow client misses events, like on the
                // real connector.
                Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => {}
                Err(broadcast::error::RecvError::Closed) => live_open = false,
            },
        }
        if !chunk.is_empty() && sender.send(Bytes::from(chunk)).await.is_err() {
            return;
        }
    }
}

/// Waits for the next event(s) of the feed and appends their frames; at `--speed max`
/// gathers as many as are ready (up to `budget` events and [`MAX_CHUNK`] bytes).
/// `None` when the feed has nothing more to give.
async fn next_frames(feed: &mut Feed, chunk: &mut Vec<u8>, budget: u64) -> Option<u64> {
    match feed {
        Feed::Idle => None,
        Feed::Replay(cursor) => {
            let mut count = 0u64;
            while count < budget && chunk.len() < MAX_CHUNK {
                if cursor.position >= cursor.indexes.len() {
                    if cursor.repeat && !cursor.indexes.is_empty() {
                        cursor.position = 0;
                        cursor.round += 1;
                        cursor.previous = None;
                    } else {
                        return (count > 0).then_some(count);
                    }
                }
                let index = cursor.indexes[cursor.position];
                let event = &cursor.events[index];
                if let (Speed::Factor(factor), Some((sent_at, previous_at)), Some(at)) =
                    (cursor.speed, cursor.previous, event.at)
                {
                    if count > 0 {
                        // Paced: one event per chunk.
                        break;
                    }
                    let gap = ((at - previous_at) / factor).max(0.0);
                    tokio::time::sleep_until(sent_at + Duration::from_secs_f64(gap.min(86_400.0))).await;
                }
                let id = cursor.round * cursor.events.len() as u64 + index as u64 + 1;
                sse::encode_event(chunk, id, &event.data);
                count += 1;
                cursor.position += 1;
                if let Some(at) = event.at {
                    cursor.previous = Some((Instant::now(), at));
                }
                if matches!(cursor.speed, Speed::Factor(_)) {
                    break;
                }
            }
            Some(count)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(products: &[&str]) -> Arc<Vec<ReplayEvent>> {
        Arc::new(
            products
                .iter()
                .enumerate()
                .map(|(i, p)| ReplayEvent { product_id: p.to_string(), data: format!("{{\"n\":{i}}}"), at: None })
                .collect(),
        )
    }

    #[tokio::test]
    async fn replay_resumes_after_last_event_id_within_its_product() {
        let events = events(&["a", "b", "a", "a", "b"]);
        let mut feed = Feed::replay(events, "a", false, Speed::Max, false, Some(3));
        let mut chunk = Vec::new();
        assert_eq!(next_frames(&mut feed, &mut chunk, u64::MAX).await, Some(1));
        assert_eq!(String::from_utf8(chunk).unwrap(), "id: 4\ndata: {\"n\":3}\n\n");
        assert_eq!(next_frames(&mut feed, &mut Vec::new(), u64::MAX).await, None);
    }

    #[tokio::test]
    async fn loop_continues_ids_across_rounds() {
        let events = events(&["a", "a"]);
        let mut feed = Feed::replay(events, "a", false, Speed::Max, true, None);
        let mut chunk = Vec::new();
        assert_eq!(next_frames(&mut feed, &mut chunk, 3).await, Some(3));
        let text = String::from_utf8(chunk).unwrap();
        assert!(text.contains("id: 1\n") && text.contains("id: 2\n") && text.contains("id: 3\n"));
    }

    #[test]
    fn restamp_shifts_every_time() {
        let data =
            serde_json::json!({"forwarded_at": 10.0, "actions": [{"timestamp_start": 8.0, "timestamp_end": 9.0}]});
        let shifted = restamp(data.as_object().unwrap().clone(), 10.0, 110.0);
        assert_eq!(shifted["forwarded_at"], 110.0);
        assert_eq!(shifted["actions"][0]["timestamp_start"], 108.0);
    }
}
