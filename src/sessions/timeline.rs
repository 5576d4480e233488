//! One session's events for `sessions show`, grouped by product (the same session id can
//! exist under several products), in arrival order.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::event::model::{ActionsPayload, SlimAction, SummaryPayload};

/// One thing that happened in a session.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum TimelineItem {
    Action { forwarded_at: f64, user_id: Option<String>, action: Box<SlimAction> },
    Summary { forwarded_at: f64, summary: String, replaces: i64 },
}

impl TimelineItem {
    pub(crate) fn forwarded_at(&self) -> f64 {
        match self {
            TimelineItem::Action { forwarded_at, .. } | TimelineItem::Summary { forwarded_at, .. } => *forwarded_at,
        }
    }

    /// The NDJSON record of this item.
    pub(crate) fn to_json(&self, product_id: &str, session_id: &str) -> Value {
        match self {
            TimelineItem::Action { forwarded_at, user_id, action } => json!({
                "kind": "action",
                "product_id": product_id,
                "session_id": session_id,
                "user_id": user_id,
                "forwarded_at": forwarded_at,
                "index": action.index,
                "type": action.action_type,
                "title": action.title,
                "description": action.description,
                "canonical_url": action.canonical_url,
                "raw_url": action.raw_url,
                "timestamp_start": action.timestamp_start,
                "timestamp_end": action.timestamp_end,
            }),
            TimelineItem::Summary { forwarded_at, summary, replaces } => json!({
                "kind": "summary",
                "product_id": product_id,
                "session_id": session_id,
                "forwarded_at": forwarded_at,
                "summary": summary,
                "replaces": replaces,
            }),
        }
    }
}

/// The events of one session id, per product (`""` for none).
#[derive(Debug, Clone, Default)]
pub(crate) struct Timelines {
    session_id: String,
    pub(crate) by_product: BTreeMap<String, Vec<TimelineItem>>,
}

impl Timelines {
    /// Collects events whose session key (`(session_id or "unknown").strip()`) is `session_id`.
    pub(crate) fn new(session_id: &str) -> Self {
        Timelines { session_id: session_id.to_string(), by_product: BTreeMap::new() }
    }

    fn matches(&self, session_id: Option<&str>) -> bool {
        session_id.unwrap_or("unknown").trim() == self.session_id
    }

    pub(crate) fn add_actions(&mut self, payload: &ActionsPayload) {
        if !self.matches(payload.session_id.as_deref()) {
            return;
        }
        let items = self.by_product.entry(payload.product_id.trim().to_string()).or_default();
        items.extend(payload.actions.iter().map(|action| TimelineItem::Action {
            forwarded_at: payload.forwarded_at,
            user_id: payload.user_id.clone(),
            action: Box::new(action.clone()),
        }));
    }

    pub(crate) fn add_summary(&mut self, payload: &SummaryPayload) {
        if !self.matches(payload.session_id.as_deref()) {
            return;
        }
        self.by_product.entry(payload.product_id.trim().to_string()).or_default().push(TimelineItem::Summary {
            forwarded_at: payload.forwarded_at,
            summary: payload.summary.clone(),
            replaces: payload.replaces,
        });
    }

    pub(crate) fn products(&self) -> Vec<&str> {
        self.by_product.keys().map(String::as_str).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn groups_a_session_by_product() {
        let mut timelines = Timelines::new("s");
        let a = ActionsPayload::from_value(&json!({"product_id": "p", "session_id": " s", "forwarded_at": 3,
            "actions": [{"description": "d", "canonical_url": "/u"}]}))
        .unwrap();
        timelines.add_actions(&a);
        timelines.add_summary(
            &SummaryPayload::from_value(&json!({"product_id": "q", "session_id": "s", "summary": "S"})).unwrap(),
        );
        timelines.add_summary(&SummaryPayload::from_value(&json!({"product_id": "q", "session_id": "t"})).unwrap());
        assert_eq!(timelines.products(), ["p", "q"]);
        let record = timelines.by_product["p"][0].to_json("p", "s");
        assert_eq!(record["kind"], "action");
        assert_eq!(record["forwarded_at"], 3.0);
    }
}
