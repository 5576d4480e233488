//! The SDK's `RedisEventBuffer` (autoplay-sdk 0.7.3, `autoplay_sdk.buffer`), so a buffer
//! written by the Python SDK reads back here and ours reads back there.
//!
//! Layout: a SET `autoplay:sdk:sessions:{prefix}` of session ids, and per session a ZSET
//! `autoplay:sdk:buffer:{prefix}:{session_id}` (`_nosession` when the payload has none)
//! whose members are `<8 hex>:<compact JSON>` scored by `forwarded_at` (the clock when it is
//! 0). The JSON is the SDK model's fields in the SDK's order, `ensure_ascii` escapes and
//! numbers as they came (an int stays an int). Unlike the SDK we also write
//! `conversation_id` (when the payload has one), which the SDK's readers ignore.
//!
//! `add` runs the SDK's transaction: SADD, trim the ZSET to the window measured from the
//! payload's own timestamp, ZADD. [`RedisEventBuffer::read`] lists everything without
//! consuming; [`RedisEventBuffer::drain`] reads and deletes like the SDK's `drain()`.

use std::time::Duration;

use serde_json::{Map, Value};

use crate::event::model::{ActionsPayload, Event, ModelError};
use crate::py::is_truthy;
use crate::py::json;

/// The sink `autoplay tail --sink` writes to.
pub type RedisSink = RedisEventBuffer;

/// Why the buffer could not be used.
#[derive(Debug, thiserror::Error)]
pub enum RedisBufferError {
    /// The URL is not a Redis URL.
    #[error("invalid Redis URL {url}: {reason}")]
    InvalidUrl {
        /// The URL, password masked.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The server could not be reached.
    #[error("could not connect to Redis at {url}: {source}")]
    Connect {
        /// The URL, password masked.
        url: String,
        /// The driver's error.
        source: redis::RedisError,
    },
    /// A command failed on an open connection.
    #[error("Redis command failed: {0}")]
    Command(#[from] redis::RedisError),
    /// The payload is one the SDK's model refuses.
    #[error("payload rejected: {0}")]
    Payload(#[from] ModelError),
}

impl RedisBufferError {
    /// What to try next, for the error renderer's `hint:` line.
    pub fn hint(&self) -> &'static str {
        match self {
            RedisBufferError::InvalidUrl { .. } => "the URL looks like redis://host:6379/0",
            RedisBufferError::Payload(_) => "the SDK's RedisEventBuffer would reject this payload too",
            _ => "is Redis running and reachable? try `redis-cli -u URL ping`",
        }
    }
}

/// `autoplay:sdk:sessions:{prefix}`.
pub(crate) fn sessions_key(prefix: &str) -> String {
    format!("autoplay:sdk:sessions:{prefix}")
}

/// `autoplay:sdk:buffer:{prefix}:{session_id}`.
pub(crate) fn buffer_key(prefix: &str, session_id: &str) -> String {
    format!("autoplay:sdk:buffer:{prefix}:{session_id}")
}

/// The session a payload is filed under: its `session_id` when truthy, else `_nosession`.
pub fn member_session(data: &Map<String, Value>) -> String {
    match data.get("session_id").filter(|v| is_truthy(v)) {
        Some(value) => crate::py::str_of(value),
        None => "_nosession".to_string(),
    }
}

/// The SDK's member body for an actions or summary payload; `None` for other types.
pub fn member_json(data: &Map<String, Value>) -> Result<Option<String>, ModelError> {
    let truthy_or = |key: &str, default: Value| data.get(key).filter(|v| is_truthy(v)).cloned().unwrap_or(default);
    let mut out = Map::new();
    match data.get("type").and_then(Value::as_str) {
        Some(crate::event::model::ACTIONS) => {
            // Validates `actions` exactly as the SDK's from_dict does.
            let (payload, _) = ActionsPayload::from_object(data)?;
            out.insert("type".into(), Value::from("actions"));
            out.insert("product_id".into(), truthy_or("product_id", Value::from("")));
            out.insert("session_id".into(), truthy_or("session_id", Value::Null));
            out.insert("user_id".into(), truthy_or("user_id", Value::Null));
            out.insert("email".into(), truthy_or("email", Value::Null));
            let empty = Vec::new();
            let raw_actions = data.get("actions").and_then(Value::as_array).unwrap_or(&empty);
            let actions: Vec<Value> = raw_actions
                .iter()
                .filter_map(Value::as_object)
                .map(|action| {
                    let get_or = |key: &str, default: Value| {
                        action.get(key).filter(|v| is_truthy(v)).cloned().unwrap_or(default)
                    };
                    let raw = |key: &str| action.get(key).cloned().unwrap_or(Value::Null);
                    let mut a = Map::new();
                    a.insert("title".into(), get_or("title", Value::from("")));
                    a.insert("description".into(), get_or("description", Value::from("")));
                    a.insert("canonical_url".into(), get_or("canonical_url", Value::from("")));
                    a.insert("index".into(), get_or("index", Value::from(0)));
                    a.insert("type".into(), get_or("type", Value::from("")));
                    a.insert("timestamp_start".into(), get_or("timestamp_start", Value::from(0.0)));
                    a.insert("timestamp_end".into(), get_or("timestamp_end", Value::from(0.0)));
                    a.insert("raw_url".into(), get_or("raw_url", Value::from("")));
                    a.insert("session_id".into(), raw("session_id"));
                    a.insert("user_id".into(), raw("user_id"));
                    a.insert("email".into(), raw("email"));
                    if let Some(conversation) = action.get("conversation_id").filter(|v| !v.is_null()) {
                        a.insert("conversation_id".into(), conversation.clone());
                    }
                    Value::Object(a)
                })
                .collect();
            out.insert("actions".into(), Value::Array(actions));
            out.insert("count".into(), Value::from(payload.count));
            out.insert("forwarded_at".into(), truthy_or("forwarded_at", Value::from(0.0)));
            if let Some(conversation) = data.get("conversation_id").filter(|v| !v.is_null()) {
                out.insert("conversation_id".into(), conversation.clone());
            }
        }
        Some(crate::event::model::SUMMARY) => {
            out.insert("type".into(), Value::from("summary"));
            out.insert("product_id".into(), truthy_or("product_id", Value::from("")));
            out.insert("session_id".into(), truthy_or("session_id", Value::Null));
            out.insert("summary".into(), truthy_or("summary", Value::from("")));
            out.insert("replaces".into(), truthy_or("replaces", Value::from(0)));
            out.insert("forwarded_at".into(), truthy_or("forwarded_at", Value::from(0.0)));
        }
        _ => return Ok(None),
    }
    let mut text = String::with_capacity(256);
    write_python_json(&Value::Object(out), &mut text);
    Ok(Some(text))
}

/// `<8 hex>:<body>`: the random prefix keeps identical payloads apart in the ZSET.
pub(crate) fn member(body: &str) -> String {
    format!("{:08x}:{body}", rand::random::<u32>())
}

/// `json.dumps(value, separators=(",", ":"))`: compact, `ensure_ascii`, Python number forms.
pub(crate) fn write_python_json(value: &Value, out: &mut String) {
    json::write_value(out, value, json::COMPACT_ASCII);
}

/// One member read back: its score and the JSON body (prefix removed).
#[derive(Debug, Clone, PartialEq)]
pub struct BufferedEntry {
    /// The member's score: its `forwarded_at`.
    pub score: f64,
    /// The payload's JSON.
    pub body: String,
}

/// Everything read from the buffer, in score order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BufferContents {
    /// The readable members of every session, in score order.
    pub entries: Vec<BufferedEntry>,
    /// Members skipped: not JSON, or a payload the SDK's from_dict rejects.
    pub corrupt: usize,
    /// Members of another type, which the SDK's drain also leaves out.
    pub other_types: usize,
    /// Sessions listed in the buffer.
    pub sessions: usize,
}

/// Why a member could not be read back.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum MemberProblem {
    /// Not JSON, or a payload the SDK's `from_dict` rejects.
    Corrupt,
    /// A payload type the buffer does not hold (not actions or summary).
    OtherType,
}

/// Strips the `<8 hex>:` prefix when present (character 8 is `:` and the member is longer
/// than 9 characters) and checks the body as the SDK's deserialiser does.
pub(crate) fn decode_member(raw: &str) -> Result<(&str, Event), MemberProblem> {
    let body = match raw.char_indices().nth(8) {
        Some((i, ':')) if raw[i + 1..].chars().next().is_some() => &raw[i + 1..],
        _ => raw,
    };
    let value: Value = serde_json::from_str(body).map_err(|_| MemberProblem::Corrupt)?;
    let object = value.as_object().ok_or(MemberProblem::Corrupt)?;
    match object.get("type").and_then(Value::as_str) {
        Some(crate::event::model::ACTIONS) | Some(crate::event::model::SUMMARY) => {}
        _ => return Err(MemberProblem::OtherType),
    }
    let event = Event::from_object(object).map_err(|_| MemberProblem::Corrupt)?;
    Ok((body, event))
}

/// Sorts members by score (stable) and decodes them.
pub(crate) fn collect_members(per_session: Vec<Vec<(Vec<u8>, f64)>>) -> BufferContents {
    let mut contents = BufferContents { sessions: per_session.len(), ..BufferContents::default() };
    for members in per_session {
        for (raw, score) in members {
            let Ok(raw) = String::from_utf8(raw) else {
                contents.corrupt += 1;
                continue;
            };
            match decode_member(&raw) {
                Ok((body, _)) => contents.entries.push(BufferedEntry { score, body: body.to_string() }),
                Err(MemberProblem::Corrupt) => contents.corrupt += 1,
                Err(MemberProblem::OtherType) => contents.other_types += 1,
            }
        }
    }
    contents.entries.sort_by(|a, b| a.score.partial_cmp(&b.score).unwrap_or(std::cmp::Ordering::Equal));
    contents
}

/// Hides the password of a `redis://user:pass@host` URL.
pub(crate) fn redact_url(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        _ => url.to_string(),
    }
}

/// A connection to one buffer (`prefix`, `window_s`).
pub struct RedisEventBuffer {
    connection: redis::aio::MultiplexedConnection,
    prefix: String,
    window_s: f64,
}

impl RedisEventBuffer {
    /// Connects (2 s timeouts, like the SDK) and checks the server with PING.
    pub async fn connect(url: &str, prefix: &str, window_s: f64) -> Result<Self, RedisBufferError> {
        let shown = redact_url(url);
        let client = redis::Client::open(url)
            .map_err(|err| RedisBufferError::InvalidUrl { url: shown.clone(), reason: err.to_string() })?;
        let config = redis::AsyncConnectionConfig::new()
            .set_connection_timeout(Some(Duration::from_secs(2)))
            .set_response_timeout(Some(Duration::from_secs(2)));
        let mut connection = client
            .get_multiplexed_async_connection_with_config(&config)
            .await
            .map_err(|source| RedisBufferError::Connect { url: shown.clone(), source })?;
        redis::cmd("PING")
            .query_async::<()>(&mut connection)
            .await
            .map_err(|source| RedisBufferError::Connect { url: shown, source })?;
        Ok(RedisEventBuffer { connection, prefix: prefix.to_string(), window_s })
    }

    /// The key prefix this buffer reads and writes.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// Writes one actions or summary payload (other types are left out: returns false).
    /// `now` stands in for a missing `forwarded_at`.
    pub async fn add_at(&mut self, data: &Map<String, Value>, now: f64) -> Result<bool, RedisBufferError> {
        let Some(body) = member_json(data)? else {
            return Ok(false);
        };
        let session = member_session(data);
        let forwarded_at = data.get("forwarded_at").and_then(Value::as_f64).unwrap_or(0.0);
        let score = if forwarded_at != 0.0 { forwarded_at } else { now };
        let key = buffer_key(&self.prefix, &session);
        redis::pipe()
            .atomic()
            .cmd("SADD")
            .arg(sessions_key(&self.prefix))
            .arg(&session)
            .ignore()
            .cmd("ZREMRANGEBYSCORE")
            .arg(&key)
            .arg("-inf")
            .arg(score - self.window_s)
            .ignore()
            .cmd("ZADD")
            .arg(&key)
            .arg(score)
            .arg(member(&body))
            .ignore()
            .query_async::<()>(&mut self.connection)
            .await?;
        Ok(true)
    }

    /// [`Self::add_at`] with the wall clock.
    pub async fn add(&mut self, data: &Map<String, Value>) -> Result<bool, RedisBufferError> {
        let now =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs_f64()).unwrap_or(0.0);
        self.add_at(data, now).await
    }

    async fn session_ids(&mut self) -> Result<Vec<String>, RedisBufferError> {
        let mut ids: Vec<String> =
            redis::cmd("SMEMBERS").arg(sessions_key(&self.prefix)).query_async(&mut self.connection).await?;
        ids.sort();
        Ok(ids)
    }

    /// Everything buffered, in score order, without consuming it.
    pub async fn read(&mut self) -> Result<BufferContents, RedisBufferError> {
        let ids = self.session_ids().await?;
        if ids.is_empty() {
            return Ok(BufferContents::default());
        }
        let mut pipe = redis::pipe();
        for id in &ids {
            pipe.cmd("ZRANGE").arg(buffer_key(&self.prefix, id)).arg(0).arg(-1).arg("WITHSCORES");
        }
        let ranges: Vec<Vec<(Vec<u8>, f64)>> = pipe.query_async(&mut self.connection).await?;
        Ok(collect_members(ranges))
    }

    /// The SDK's `drain()`: reads every session's members and deletes them and the
    /// sessions set in one transaction.
    pub async fn drain(&mut self) -> Result<BufferContents, RedisBufferError> {
        let ids = self.session_ids().await?;
        if ids.is_empty() {
            return Ok(BufferContents::default());
        }
        let mut pipe = redis::pipe();
        pipe.atomic();
        for id in &ids {
            pipe.cmd("ZRANGE").arg(buffer_key(&self.prefix, id)).arg(0).arg(-1).arg("WITHSCORES");
        }
        for id in &ids {
            pipe.cmd("DEL").arg(buffer_key(&self.prefix, id)).ignore();
        }
        pipe.cmd("DEL").arg(sessions_key(&self.prefix)).ignore();
        let ranges: Vec<Vec<(Vec<u8>, f64)>> = pipe.query_async(&mut self.connection).await?;
        Ok(collect_members(ranges))
    }

    /// The SDK's `size()`: ZCARD summed over the sessions set (no trim).
    pub async fn size(&mut self) -> Result<u64, RedisBufferError> {
        let ids = self.session_ids().await?;
        if ids.is_empty() {
            return Ok(0);
        }
        let mut pipe = redis::pipe();
        for id in &ids {
            pipe.cmd("ZCARD").arg(buffer_key(&self.prefix, id));
        }
        let counts: Vec<u64> = pipe.query_async(&mut self.connection).await?;
        Ok(counts.iter().sum())
    }
}

/// What a [`SinkWriter`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SinkReport {
    /// Actions and summary payloads written.
    pub written: u64,
    /// Frames of other types, left out as the SDK does.
    pub other_types: u64,
    /// Payloads the SDK's models reject (e.g. `actions` not a list), left out.
    pub rejected: u64,
    /// Payloads dropped because the writer fell too far behind (its queue was full).
    pub dropped: u64,
}

/// How many payloads may wait for Redis before new ones are dropped (memory stays bounded).
pub(crate) const SINK_QUEUE: usize = 10_000;

/// A background task that writes payloads to the buffer in arrival order, for callers that
/// cannot `.await` (a [`crate::stream::client::StreamHandler`]'s `on_frame`). Stops at the first
/// Redis error, which [`SinkWriter::finish`] returns.
pub struct SinkWriter {
    sender: tokio::sync::mpsc::Sender<Map<String, Value>>,
    dropped: std::sync::atomic::AtomicU64,
    task: tokio::task::JoinHandle<Result<SinkReport, RedisBufferError>>,
}

impl RedisEventBuffer {
    /// Moves the buffer into a writer task on the current tokio runtime.
    pub fn spawn_writer(mut self) -> SinkWriter {
        let (sender, mut receiver) = tokio::sync::mpsc::channel::<Map<String, Value>>(SINK_QUEUE);
        let task = tokio::spawn(async move {
            let mut report = SinkReport::default();
            while let Some(data) = receiver.recv().await {
                match self.add(&data).await {
                    Ok(true) => report.written += 1,
                    Ok(false) => report.other_types += 1,
                    Err(RedisBufferError::Payload(_)) => report.rejected += 1,
                    Err(err) => return Err(err),
                }
            }
            Ok(report)
        });
        SinkWriter { sender, dropped: std::sync::atomic::AtomicU64::new(0), task }
    }
}

impl SinkWriter {
    /// Queues one frame's data without waiting; a full queue drops it (counted).
    /// `false` once the writer has stopped (call `finish` for why).
    pub fn send(&self, data: Map<String, Value>) -> bool {
        match self.sender.try_send(data) {
            Ok(()) => true,
            Err(tokio::sync::mpsc::error::TrySendError::Full(_)) => {
                self.dropped.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                true
            }
            Err(tokio::sync::mpsc::error::TrySendError::Closed(_)) => false,
        }
    }

    /// Waits until everything queued is written.
    pub async fn finish(self) -> Result<SinkReport, RedisBufferError> {
        drop(self.sender);
        let dropped = self.dropped.into_inner();
        match self.task.await {
            Ok(result) => result.map(|report| SinkReport { dropped, ..report }),
            Err(join) => {
                Err(RedisBufferError::Command(redis::RedisError::from(std::io::Error::other(join.to_string()))))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn object(value: Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap()
    }

    #[test]
    fn actions_body_matches_the_sdk_example() {
        // The member the SDK writes for this payload (observed from autoplay-sdk 0.7.3).
        let data = object(json!({
            "type": "actions", "product_id": "p1", "session_id": "ps_1", "user_id": "u1", "count": 1,
            "forwarded_at": 1700000000, "extra": true,
            "actions": [{"title": "Click Export", "description": "User clicked Export — CSV",
                "canonical_url": "https://app.example.com/reports", "index": 3, "type": "click",
                "timestamp_start": 1000.5, "timestamp_end": 1001.0,
                "raw_url": "https://app.example.com/reports?tab=csv", "session_id": "ps_1", "email": "é@x.com"}]
        }));
        assert_eq!(
            member_json(&data).unwrap().unwrap(),
            r#"{"type":"actions","product_id":"p1","session_id":"ps_1","user_id":"u1","email":null,"actions":[{"title":"Click Export","description":"User clicked Export \u2014 CSV","canonical_url":"https://app.example.com/reports","index":3,"type":"click","timestamp_start":1000.5,"timestamp_end":1001.0,"raw_url":"https://app.example.com/reports?tab=csv","session_id":"ps_1","user_id":null,"email":"\u00e9@x.com"}],"count":1,"forwarded_at":1700000000}"#
        );
    }

    #[test]
    fn summary_body_and_defaults() {
        let data = object(
            json!({"type": "summary", "product_id": "p1", "session_id": "s1", "summary": "Summary text", "replaces": 3, "forwarded_at": 2.0}),
        );
        assert_eq!(
            member_json(&data).unwrap().unwrap(),
            r#"{"type":"summary","product_id":"p1","session_id":"s1","summary":"Summary text","replaces":3,"forwarded_at":2.0}"#
        );
        let empty = object(json!({"type": "summary"}));
        assert_eq!(
            member_json(&empty).unwrap().unwrap(),
            r#"{"type":"summary","product_id":"","session_id":null,"summary":"","replaces":0,"forwarded_at":0.0}"#
        );
        assert_eq!(member_json(&object(json!({"type": "usertour_trigger"}))).unwrap(), None);
        assert_eq!(member_session(&empty), "_nosession");
    }

    #[test]
    fn conversation_id_is_written_when_present() {
        let data = object(json!({"type": "actions", "conversation_id": "c1", "actions": [{"conversation_id": "c2"}]}));
        let body = member_json(&data).unwrap().unwrap();
        assert!(body.ends_with(r#""forwarded_at":0.0,"conversation_id":"c1"}"#), "{body}");
        assert!(body.contains(r#""email":null,"conversation_id":"c2"}"#), "{body}");
    }

    #[test]
    fn escapes_like_python_ensure_ascii() {
        let mut out = String::new();
        write_python_json(&json!("a\"b\\c\n\u{1}\u{7f}/😀"), &mut out);
        assert_eq!(out, r#""a\"b\\c\n\u0001\u007f/\ud83d\ude00""#);
    }

    #[test]
    fn decodes_with_and_without_prefix_and_flags_corrupt_members() {
        let body = r#"{"type":"summary","session_id":"s","summary":"x"}"#;
        let stored = member(body);
        let (decoded, event) = decode_member(&stored).unwrap();
        assert_eq!(decoded, body);
        assert!(matches!(event, Event::Summary(_)));
        assert_eq!(decode_member(body).unwrap().0, body, "old members without a prefix");
        assert_eq!(decode_member("3f2a9c1b:{not json").unwrap_err(), MemberProblem::Corrupt);
        assert_eq!(decode_member(r#"3f2a9c1b:{"type":"actions","actions":"ab"}"#).unwrap_err(), MemberProblem::Corrupt);
        assert_eq!(decode_member(r#"3f2a9c1b:{"type":"other"}"#).unwrap_err(), MemberProblem::OtherType);
    }

    #[test]
    fn members_come_back_in_score_order() {
        let contents = collect_members(vec![
            vec![(b"aaaaaaaa:{\"type\":\"summary\",\"summary\":\"b\"}".to_vec(), 2.0)],
            vec![(b"bbbbbbbb:{\"type\":\"summary\",\"summary\":\"a\"}".to_vec(), 1.0), (b"junk".to_vec(), 3.0)],
        ]);
        assert_eq!(contents.entries.iter().map(|e| e.score).collect::<Vec<_>>(), [1.0, 2.0]);
        assert_eq!(contents.corrupt, 1);
    }
}
