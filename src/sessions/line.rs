//! What `sessions list` and `sessions stats` read of a recording line: the view of the one
//! line reader ([`crate::event::line`]) decoded leniently, as the SDK's models do: numbers
//! as their Python `str()`, `true` as `True`, anything else that is not a string as absent.
//! For each action only its URL and type are kept.

use std::borrow::Cow;

use serde_json::Value;

use crate::event::line::{self, ActionView, Actions, LineError, LineFields, LineView, NumberField};

/// The fields of one line the aggregator reads.
#[derive(Debug, Default)]
pub(crate) struct LightLine<'a> {
    pub(crate) event_type: LooseText<'a>,
    pub(crate) product_id: LooseText<'a>,
    pub(crate) session_id: LooseText<'a>,
    pub(crate) user_id: LooseText<'a>,
    pub(crate) email: LooseText<'a>,
    pub(crate) forwarded_at: LooseNumber,
    pub(crate) actions: LightActions<'a>,
}

/// A text field read leniently: strings as they are, numbers and booleans as Python would
/// print them, `null`, lists and objects as absent.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct LooseText<'a>(pub Option<Cow<'a, str>>);

impl LooseText<'_> {
    /// The value when it is truthy (the SDK's `get(key) or default`).
    pub(crate) fn truthy(&self) -> Option<&str> {
        self.0.as_deref().filter(|s| !s.is_empty())
    }
}

/// A number, or absent for anything else.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub(crate) struct LooseNumber(pub Option<f64>);

/// The actions of a line: how many, and each one's URL and type.
#[derive(Debug, Default)]
pub(crate) struct LightActions<'a> {
    pub(crate) items: Vec<LightAction<'a>>,
    /// `actions` was truthy but not a list of objects (the SDK raises on it).
    pub(crate) invalid: bool,
}

#[derive(Debug, Default)]
pub(crate) struct LightAction<'a> {
    pub(crate) canonical_url: LooseText<'a>,
    pub(crate) action_type: LooseText<'a>,
}

/// Why a raw value cannot be read leniently: the whole line is then unreadable.
struct Unreadable;

/// A raw JSON value read as [`LooseText`].
fn loose_text(raw: Option<&str>) -> Result<LooseText<'_>, Unreadable> {
    let Some(raw) = raw else { return Ok(LooseText(None)) };
    Ok(LooseText(match raw.as_bytes()[0] {
        b'"' => Some(line::string_of(raw).ok_or(Unreadable)?),
        b't' => Some(Cow::Borrowed("True")),
        b'-' | b'0'..=b'9' => match serde_json::from_str::<Value>(raw) {
            Ok(Value::Number(n)) if n.is_f64() => Some(Cow::Owned(crate::py::float_repr(n.as_f64().unwrap_or(0.0)))),
            Ok(Value::Number(n)) => Some(Cow::Owned(n.to_string())),
            _ => return Err(Unreadable),
        },
        _ => None,
    }))
}

/// A number field read as [`LooseNumber`].
fn loose_number(field: Option<NumberField>) -> Result<LooseNumber, Unreadable> {
    match field {
        Some(n) if n.is_out_of_range() => Err(Unreadable),
        Some(n) => Ok(LooseNumber(n.finite())),
        None => Ok(LooseNumber(None)),
    }
}

fn light_action<'a>(action: &ActionView<'a>) -> Result<LightAction<'a>, Unreadable> {
    Ok(LightAction { canonical_url: loose_text(action.canonical_url)?, action_type: loose_text(action.action_type)? })
}

/// The `forwarded_at` of an actions or summary line, when it is a number: what the
/// commands' `--at` defaults to (the latest one of a recording).
pub(crate) fn payload_time(view: &LineFields<'_>) -> Result<Option<f64>, LineError> {
    let read = || -> Result<Option<f64>, Unreadable> {
        let event_type = loose_text(view.event_type)?;
        let at = loose_number(view.forwarded_at)?;
        Ok(match event_type.0.as_deref() {
            Some(crate::event::model::ACTIONS | crate::event::model::SUMMARY) => at.0,
            _ => None,
        })
    };
    read().map_err(|Unreadable| LineError::of(view.source))
}

impl<'a> LightLine<'a> {
    /// Decodes one line's view; a value the lenient rules cannot read (a number out of range,
    /// an escaped lone surrogate) makes the line unreadable, as a full decode of it would.
    pub(crate) fn from_view(view: &LineView<'a, '_>) -> Result<LightLine<'a>, LineError> {
        Self::decode(view).map_err(|Unreadable| LineError::of(view.source))
    }

    fn decode(view: &LineView<'a, '_>) -> Result<LightLine<'a>, Unreadable> {
        let actions = match view.actions() {
            Actions::Absent => LightActions::default(),
            Actions::List { items, non_objects } => {
                LightActions { items: items.iter().map(light_action).collect::<Result<_, _>>()?, invalid: non_objects }
            }
            Actions::Other(value) => LightActions { items: Vec::new(), invalid: crate::py::is_truthy(value) },
        };
        Ok(LightLine {
            event_type: loose_text(view.event_type)?,
            product_id: loose_text(view.product_id)?,
            session_id: loose_text(view.session_id)?,
            user_id: loose_text(view.user_id)?,
            email: loose_text(view.email)?,
            forwarded_at: loose_number(view.forwarded_at)?,
            actions,
        })
    }

    /// Reads one line on its own (a stream of lines reads its views through one scratch and
    /// calls [`LightLine::from_view`]).
    #[cfg(test)]
    pub(crate) fn parse(text: &'a str) -> Result<LightLine<'a>, LineError> {
        let mut scratch = line::LineScratch::new();
        Self::from_view(&line::read(text, &mut scratch)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_aggregator_fields_leniently() {
        let line = LightLine::parse(
            r#"{"type":"actions","product_id":"p","session_id":7,"user_id":null,"forwarded_at":12,
                "actions":[{"canonical_url":"/a","type":"click","x":[1]},{"canonical_url":"\/b"}],"extra":{"a":1}}"#,
        )
        .unwrap();
        assert_eq!(line.event_type.truthy(), Some("actions"));
        assert_eq!(line.session_id.truthy(), Some("7"));
        assert_eq!(line.user_id.truthy(), None);
        assert_eq!(line.forwarded_at.0, Some(12.0));
        assert_eq!(line.actions.items.len(), 2);
        assert_eq!(line.actions.items[1].canonical_url.truthy(), Some("/b"));
        assert!(!line.actions.invalid);
    }

    #[test]
    fn flags_actions_the_sdk_would_reject() {
        assert!(LightLine::parse(r#"{"actions":"ab"}"#).unwrap().actions.invalid);
        assert!(LightLine::parse(r#"{"actions":[null]}"#).unwrap().actions.invalid);
        assert!(!LightLine::parse(r#"{"actions":""}"#).unwrap().actions.invalid);
        assert!(LightLine::parse("[1]").is_err());
        // A key written twice keeps its last value, as Python's json does.
        let line =
            LightLine::parse(r#"{"session_id": "a", "session_id": "b", "actions": [{"type": "x", "type": "click"}]}"#)
                .unwrap();
        assert_eq!((line.session_id.truthy(), line.actions.items[0].action_type.truthy()), (Some("b"), Some("click")));
        assert!(LightLine::parse("{").is_err());
    }
}
