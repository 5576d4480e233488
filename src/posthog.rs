/*!
PostHog events, both ways: the body PostHog's webhook destination sends (built by `autoplay
send`), and how the connector turns such events into `actions` frames (used by `serve`'s
`POST /webhook/{product_id}` and `POST /ingest/{product_id}` routes). One home for the mapping,
so what `send` posts and what `serve` streams can never drift apart.

The body of PostHog's "HTTP Webhook" destination is, by default,
`{"event": {event}, "person": {person}}`: `event` holds `uuid`, `event` (the event name),
`distinct_id`, `properties`, `elements_chain`, `timestamp` and `url`; `person` holds `id`,
`name`, `url` and `properties`. A flat event (`{"event": "$pageview", "distinct_id": …,
"properties": …}`, the capture API's shape), a `{"batch": [...]}` object and a JSON array of
either are accepted too.

The mapping:

| PostHog | `actions` frame |
|---|---|
| `$pageview` | a `pageview` action, title `Page Load: {$title or path}` |
| `$autocapture` with `$event_type` `click` (or none), `submit`, `change` | a `click`, `submit` or `change` action named after `$el_text` or the element's `text="…"` in `elements_chain` |
| `properties.$current_url` | `raw_url`; without query and fragment, `canonical_url` |
| `distinct_id` | `user_id` |
| `properties.$session_id` | `session_id` (no session: the `unknown` bucket, `null`) |
| `person.properties.email`, `properties.email`, `properties.$set.email` | `email` |
| `timestamp` (RFC 3339 or unix seconds) | `timestamp_start` and `timestamp_end` |

Other events (`$pageleave`, `$identify`, custom events) carry no action and are counted as
skipped. Events of one request become one frame per session, in the order they came.
*/

use serde_json::{Map, Value, json};

/// What a webhook or ingest body turned into.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Mapped {
    /// One `actions` frame per session, in first-appearance order.
    pub(crate) frames: Vec<Map<String, Value>>,
    /// Events that carry no action (other event names).
    pub(crate) skipped: usize,
}

/// Why a body could not be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub(crate) enum BodyError {
    #[error("the body is not valid JSON: {0}")]
    NotJson(String),
    #[error("expected a PostHog event object, a {{\"batch\": [...]}} object or an array of events, got {0}")]
    NotEvents(&'static str),
    #[error("event {index} is not an object (at {path})")]
    EventNotObject { index: usize, path: String },
}

/// The kind of test event `autoplay send` posts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TestKind {
    Pageview,
    Click,
}

/// A test event for `autoplay send`.
#[derive(Debug, Clone)]
pub(crate) struct TestEvent {
    pub(crate) kind: TestKind,
    /// The page's full URL.
    pub(crate) url: String,
    pub(crate) distinct_id: String,
    pub(crate) session_id: String,
    pub(crate) email: Option<String>,
    /// The clicked element's text (clicks only).
    pub(crate) label: String,
    /// Unix seconds.
    pub(crate) timestamp: f64,
    /// The event's uuid.
    pub(crate) uuid: String,
}

/// The body PostHog's webhook destination sends for this event (its default template).
pub(crate) fn destination_body(event: &TestEvent) -> Value {
    let (host, path) = split_url(&event.url);
    let mut properties = Map::new();
    properties.insert("$current_url".into(), json!(event.url));
    properties.insert("$host".into(), json!(host));
    properties.insert("$pathname".into(), json!(path));
    properties.insert("$session_id".into(), json!(event.session_id));
    properties.insert("$lib".into(), json!("autoplay-send"));
    let (name, elements_chain) = match event.kind {
        TestKind::Pageview => ("$pageview", String::new()),
        TestKind::Click => {
            properties.insert("$event_type".into(), json!("click"));
            properties.insert("$el_text".into(), json!(event.label));
            let text = event.label.replace('"', "'");
            ("$autocapture", format!("button:text=\"{text}\"nth-child=\"1\"nth-of-type=\"1\""))
        }
    };
    if let Some(email) = &event.email {
        properties.insert("$set".into(), json!({ "email": email }));
    }
    let timestamp = rfc3339(event.timestamp);
    let mut person_properties = Map::new();
    if let Some(email) = &event.email {
        person_properties.insert("email".into(), json!(email));
    }
    json!({
        "event": {
            "uuid": event.uuid,
            "event": name,
            "distinct_id": event.distinct_id,
            "properties": properties,
            "elements_chain": elements_chain,
            "timestamp": timestamp,
            "url": "",
        },
        "person": {
            "id": event.distinct_id,
            "name": event.email.clone().unwrap_or_else(|| event.distinct_id.clone()),
            "url": "",
            "properties": person_properties,
        },
    })
}

/// Reads a webhook or ingest body and maps its events to `actions` frames for `product_id`.
/// `now` stamps `forwarded_at` (and events without a time); `next_index` gives each action
/// its index within its session.
pub(crate) fn map_body(
    product_id: &str,
    body: &[u8],
    now: f64,
    mut next_index: impl FnMut(Option<&str>) -> i64,
) -> Result<Mapped, BodyError> {
    let value: Value = serde_json::from_slice(body).map_err(|err| BodyError::NotJson(err.to_string()))?;
    let (events, base): (Vec<&Value>, &str) = match &value {
        Value::Array(items) => (items.iter().collect(), ""),
        Value::Object(object) => match object.get("batch") {
            Some(Value::Array(items)) => (items.iter().collect(), "batch"),
            _ => (vec![&value], "$"),
        },
        other => return Err(BodyError::NotEvents(json_kind(other))),
    };
    let mut mapped = Mapped::default();
    let mut order: Vec<Option<String>> = Vec::new();
    // Per session: each action with its user and email.
    type Row = (Value, Option<String>, Option<String>);
    let mut by_session: Vec<Vec<Row>> = Vec::new();
    for (index, item) in events.iter().enumerate() {
        let Some(object) = item.as_object() else {
            let path = if base == "$" { "$".to_string() } else { format!("{base}[{index}]") };
            return Err(BodyError::EventNotObject { index, path });
        };
        let Some(event) = read_event(object) else {
            mapped.skipped += 1;
            continue;
        };
        let action = event.to_action(next_index(event.session_id.as_deref()), now);
        let slot = match order.iter().position(|s| *s == event.session_id) {
            Some(slot) => slot,
            None => {
                order.push(event.session_id.clone());
                by_session.push(Vec::new());
                order.len() - 1
            }
        };
        by_session[slot].push((action, event.user_id, event.email));
    }
    for (session_id, actions) in order.into_iter().zip(by_session) {
        let user_id = actions.iter().rev().find_map(|(_, user, _)| user.clone());
        let email = actions.iter().rev().find_map(|(_, _, email)| email.clone());
        let count = actions.len();
        let mut frame = Map::new();
        frame.insert("type".into(), json!("actions"));
        frame.insert("product_id".into(), json!(product_id));
        frame.insert("session_id".into(), json!(session_id));
        frame.insert("user_id".into(), json!(user_id));
        frame.insert("email".into(), json!(email));
        frame.insert("actions".into(), Value::Array(actions.into_iter().map(|(action, _, _)| action).collect()));
        frame.insert("count".into(), json!(count));
        frame.insert("forwarded_at".into(), json!(round3(now)));
        mapped.frames.push(frame);
    }
    Ok(mapped)
}

/// The fields of one PostHog event that make an action.
struct EventFields {
    action_type: &'static str,
    title: String,
    description: String,
    raw_url: String,
    canonical_url: String,
    session_id: Option<String>,
    user_id: Option<String>,
    email: Option<String>,
    timestamp: Option<f64>,
}

impl EventFields {
    fn to_action(&self, index: i64, now: f64) -> Value {
        let at = round3(self.timestamp.unwrap_or(now));
        json!({
            "index": index,
            "type": self.action_type,
            "title": self.title,
            "description": self.description,
            "canonical_url": self.canonical_url,
            "raw_url": self.raw_url,
            "timestamp_start": at,
            "timestamp_end": at,
            "session_id": self.session_id,
            "user_id": self.user_id,
            "email": self.email,
        })
    }
}

/// Reads one event in either shape; `None` for events that carry no action.
fn read_event(object: &Map<String, Value>) -> Option<EventFields> {
    // The destination's default body nests the event; a flat event is the event itself.
    let (event, person) = match object.get("event") {
        Some(Value::Object(event)) => (event, object.get("person").and_then(Value::as_object)),
        _ => (object, object.get("person").and_then(Value::as_object)),
    };
    let name = event.get("event").and_then(Value::as_str)?;
    let empty = Map::new();
    let properties = event.get("properties").and_then(Value::as_object).unwrap_or(&empty);
    let text = |map: &Map<String, Value>, key: &str| {
        map.get(key).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
    };
    let raw_url = text(properties, "$current_url").or_else(|| text(event, "url")).unwrap_or_default();
    let canonical_url = canonical(&raw_url);
    let (_, path) = split_url(&raw_url);
    let path = text(properties, "$pathname").unwrap_or(path);
    let (action_type, title, description) = match name {
        "$pageview" => {
            let page = text(properties, "$title").unwrap_or_else(|| path.clone());
            ("pageview", format!("Page Load: {page}"), format!("User opened {page}"))
        }
        "$autocapture" => {
            let label = text(properties, "$el_text")
                .or_else(|| event.get("elements_chain").and_then(Value::as_str).and_then(chain_text))
                .unwrap_or_else(|| "an element".to_string());
            match properties.get("$event_type").and_then(Value::as_str).unwrap_or("click") {
                "submit" => ("submit", format!("Submit {label}"), format!("User submitted {label} on {path}")),
                "change" => ("change", format!("Change {label}"), format!("User changed {label} on {path}")),
                _ => ("click", format!("Click {label}"), format!("User clicked {label} on {path}")),
            }
        }
        _ => return None,
    };
    let email = person
        .and_then(|p| p.get("properties"))
        .and_then(Value::as_object)
        .and_then(|p| text(p, "email"))
        .or_else(|| text(properties, "email"))
        .or_else(|| properties.get("$set").and_then(Value::as_object).and_then(|set| text(set, "email")));
    let timestamp = match event.get("timestamp") {
        Some(Value::Number(n)) => n.as_f64(),
        Some(Value::String(s)) => chrono::DateTime::parse_from_rfc3339(s.trim())
            .ok()
            .map(|t| t.timestamp() as f64 + f64::from(t.timestamp_subsec_millis()) / 1000.0),
        _ => None,
    };
    Some(EventFields {
        action_type,
        title,
        description,
        raw_url,
        canonical_url,
        session_id: text(properties, "$session_id"),
        user_id: text(event, "distinct_id").or_else(|| event.get("distinct_id").map(|v| v.to_string())),
        email,
        timestamp,
    })
}

/// The first `text="…"` of an autocapture `elements_chain`.
fn chain_text(chain: &str) -> Option<String> {
    let start = chain.find("text=\"")? + 6;
    let rest = &chain[start..];
    let end = rest.find('"')?;
    let text = rest[..end].trim();
    (!text.is_empty()).then(|| text.to_string())
}

/// The URL without its query and fragment.
fn canonical(url: &str) -> String {
    url.split(['?', '#']).next().unwrap_or("").to_string()
}

/// (`scheme://host`, `/path`) of a URL; a bare path has no host.
fn split_url(url: &str) -> (String, String) {
    let without = canonical(url);
    match without.find("://") {
        Some(scheme_end) => {
            let after = scheme_end + 3;
            match without[after..].find('/') {
                Some(slash) => (without[..after + slash].to_string(), without[after + slash..].to_string()),
                None => (without.clone(), "/".to_string()),
            }
        }
        None => (String::new(), if without.is_empty() { "/".to_string() } else { without }),
    }
}

/// Whether an `X-PostHog-Secret` header value proves the secret: the secret itself, or
/// `sha256=<hex HMAC-SHA256(secret, body)>`. Both compared in constant time.
pub(crate) fn secret_matches(secret: &str, header: &str, body: &[u8]) -> bool {
    if secret.is_empty() {
        return false;
    }
    let header = header.trim();
    if header.starts_with("sha256=") {
        let expected = crate::stream::forward::signature(secret, body);
        return constant_time_eq(expected.as_bytes(), header.to_ascii_lowercase().as_bytes());
    }
    constant_time_eq(secret.as_bytes(), header.as_bytes())
}

/// Equality whose time does not depend on where the inputs differ.
pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn rfc3339(seconds: f64) -> String {
    let millis = (seconds * 1000.0).round() as i64;
    chrono::DateTime::from_timestamp_millis(millis)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string())
        .unwrap_or_default()
}

fn round3(value: f64) -> f64 {
    (value * 1000.0).round() / 1000.0
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn test_event(kind: TestKind) -> TestEvent {
        TestEvent {
            kind,
            url: "https://app.example.com/billing?tab=plan".into(),
            distinct_id: "u_1".into(),
            session_id: "ps_1".into(),
            email: Some("a@b.c".into()),
            label: "Upgrade plan".into(),
            timestamp: 1_767_225_600.5,
            uuid: "0190-test".into(),
        }
    }

    #[test]
    fn what_send_posts_maps_back_to_one_action() {
        let body = destination_body(&test_event(TestKind::Click));
        assert_eq!(body["event"]["event"], "$autocapture");
        assert_eq!(body["event"]["timestamp"], "2026-01-01T00:00:00.500Z");
        let mapped = map_body("acme", body.to_string().as_bytes(), 2e9, |_| 7).unwrap();
        assert_eq!(mapped.skipped, 0);
        let frame = &mapped.frames[0];
        assert_eq!(frame["product_id"], "acme");
        assert_eq!(frame["session_id"], "ps_1");
        assert_eq!(frame["user_id"], "u_1");
        assert_eq!(frame["email"], "a@b.c");
        assert_eq!(frame["count"], 1);
        let action = &frame["actions"][0];
        assert_eq!(action["type"], "click");
        assert_eq!(action["index"], 7);
        assert_eq!(action["title"], "Click Upgrade plan");
        assert_eq!(action["description"], "User clicked Upgrade plan on /billing");
        assert_eq!(action["canonical_url"], "https://app.example.com/billing");
        assert_eq!(action["raw_url"], "https://app.example.com/billing?tab=plan");
        assert_eq!(action["timestamp_start"], 1_767_225_600.5);
    }

    #[test]
    fn flat_events_batches_and_other_names() {
        let body = json!([
            {"event": "$pageview", "distinct_id": "u_2", "properties": {"$current_url": "https://x.io/a", "$session_id": "s1", "$title": "Home"}},
            {"event": "$pageleave", "distinct_id": "u_2", "properties": {}},
            {"event": "$autocapture", "distinct_id": "u_3", "elements_chain": "a:text=\"Docs\"", "properties": {"$current_url": "https://x.io/b", "$session_id": "s2"}},
            {"event": "$pageview", "distinct_id": "u_2", "properties": {"$current_url": "https://x.io/c", "$session_id": "s1"}}
        ]);
        let mapped = map_body("p", body.to_string().as_bytes(), 100.0, |_| 0).unwrap();
        assert_eq!(mapped.skipped, 1);
        assert_eq!(mapped.frames.len(), 2);
        assert_eq!(mapped.frames[0]["session_id"], "s1");
        assert_eq!(mapped.frames[0]["count"], 2);
        assert_eq!(mapped.frames[0]["actions"][0]["title"], "Page Load: Home");
        assert_eq!(mapped.frames[0]["actions"][1]["title"], "Page Load: /c");
        assert_eq!(mapped.frames[1]["actions"][0]["title"], "Click Docs");
        assert_eq!(mapped.frames[1]["actions"][0]["timestamp_start"], 100.0);
        let batch = json!({"batch": [{"event": "$pageview", "properties": {}}]});
        let mapped = map_body("p", batch.to_string().as_bytes(), 1.0, |_| 0).unwrap();
        assert_eq!(mapped.frames[0]["session_id"], Value::Null);
    }

    #[test]
    fn bad_bodies_say_what_was_expected() {
        assert!(matches!(map_body("p", b"{", 0.0, |_| 0), Err(BodyError::NotJson(_))));
        assert_eq!(map_body("p", b"42", 0.0, |_| 0), Err(BodyError::NotEvents("a number")));
        assert_eq!(
            map_body("p", b"{\"batch\":[{},1]}", 0.0, |_| 0),
            Err(BodyError::EventNotObject { index: 1, path: "batch[1]".into() })
        );
    }

    #[test]
    fn secrets_plain_or_signed() {
        let body = b"{\"a\":1}";
        let signed = crate::stream::forward::signature("s3cret", body);
        assert!(secret_matches("s3cret", "s3cret", body));
        assert!(secret_matches("s3cret", &signed, body));
        assert!(!secret_matches("s3cret", &signed, b"{\"a\":2}"));
        assert!(!secret_matches("s3cret", "wrong", body));
        assert!(!secret_matches("", "", body));
    }
}
