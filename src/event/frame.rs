/*!
The view of one live frame's data that `tail` and the stream filters read: the routing and
filtering keys, read by the one line reader ([`super::line`]) without building a full
`serde_json::Value` (the hot path of `tail`).

Reading the view checks that the whole text is valid JSON and that it is an object. Values of
unexpected types are ignored, never an error, as in the SDK's lenient models: a key that
should hold a string and holds a number reads as absent. A repeated key keeps its last value,
as Python's `json` does.
*/

use std::borrow::Cow;

use super::line::{self, ActionView, LineError, LineScratch, LineView};

/// The routing and filtering keys of a frame's data object.
#[derive(Debug, Default, Clone)]
pub struct FrameView<'a> {
    /// `type`, when it is a string.
    pub event_type: Option<Cow<'a, str>>,
    /// `product_id`, when it is a string.
    pub product_id: Option<Cow<'a, str>>,
    /// `session_id`, when it is a string.
    pub session_id: Option<Cow<'a, str>>,
    /// `user_id`, when it is a string.
    pub user_id: Option<Cow<'a, str>>,
    /// `email`, when it is a string.
    pub email: Option<Cow<'a, str>>,
    /// `forwarded_at`, when it is a number.
    pub forwarded_at: Option<f64>,
    /// The objects of `actions` (their URLs are decoded by [`FrameView::urls`] only when asked):
    /// borrowed from the line's view when the frame was read with one.
    actions: Cow<'a, [ActionView<'a>]>,
}

/// Why a frame's data could not be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FrameError {
    /// The data is not JSON (serde_json's message).
    #[error("invalid JSON: {0}")]
    InvalidJson(String),
    /// Valid JSON, but not an object.
    #[error("JSON is not an object")]
    NotAnObject,
}

impl From<LineError> for FrameError {
    fn from(err: LineError) -> Self {
        match err {
            LineError::InvalidJson(message) => FrameError::InvalidJson(message),
            LineError::NotAnObject => FrameError::NotAnObject,
        }
    }
}

impl<'a> FrameView<'a> {
    /// Parses `data`; the view borrows from it where the JSON has no escapes.
    pub fn parse(data: &'a str) -> Result<FrameView<'a>, FrameError> {
        let mut scratch = LineScratch::new();
        let mut view = FrameView::checked(&line::read(data, &mut scratch)?)?;
        view.actions = Cow::Owned(scratch.take_actions());
        Ok(view)
    }

    /// The view of a frame whose data was already read by [`line::read`] (the one reading of
    /// the frame: a caller that needs more of the line takes it from the same view). The same
    /// checks as [`FrameView::parse`]; the actions stay borrowed from the line's view.
    pub fn of_line<'s: 'a>(line: &LineView<'a, 's>) -> Result<FrameView<'a>, FrameError> {
        let mut view = FrameView::checked(line)?;
        view.actions = Cow::Borrowed(line.action_items());
        Ok(view)
    }

    /// The checked fields of a line's view, without its actions.
    fn checked(line: &LineView<'a, '_>) -> Result<FrameView<'a>, FrameError> {
        let data = line.source;
        if line.forwarded_at.is_some_and(|at| at.is_out_of_range()) {
            return Err(LineError::of(data).into());
        }
        // A string the view keeps but cannot decode makes the frame unreadable.
        let text = |raw: Option<&'a str>| -> Result<Option<Cow<'a, str>>, FrameError> {
            match raw {
                None => Ok(None),
                Some(raw) => match line::string_of(raw) {
                    Some(text) => Ok(Some(text)),
                    None if line::is_undecodable_string(raw) => Err(LineError::of(data).into()),
                    None => Ok(None),
                },
            }
        };
        Ok(FrameView {
            event_type: text(line.event_type)?,
            product_id: text(line.product_id)?,
            session_id: text(line.session_id)?,
            user_id: text(line.user_id)?,
            email: text(line.email)?,
            forwarded_at: line.forwarded_at.as_ref().and_then(line::NumberField::finite),
            actions: Cow::Owned(Vec::new()),
        })
    }

    /// `type`, when it is a string.
    pub fn event_type(&self) -> Option<&str> {
        self.event_type.as_deref()
    }

    /// `canonical_url` and `raw_url` of each action, in order; none when `actions` is not a
    /// list of objects.
    pub fn urls(&self) -> Vec<Cow<'a, str>> {
        self.actions
            .iter()
            .flat_map(|action| [action.canonical_url, action.raw_url])
            .filter_map(|raw| raw.and_then(line::string_of))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_routing_keys_and_urls() {
        let data = r#"{"type":"actions","session_id":"s\u0031","user_id":7,"email":null,"forwarded_at":12,
            "actions":[{"canonical_url":"/a","raw_url":"/a?x"},null,{"canonical_url":3}],"extra":{"deep":[1,2]}}"#;
        let view = FrameView::parse(data).unwrap();
        assert_eq!(view.event_type(), Some("actions"));
        assert_eq!(view.session_id.as_deref(), Some("s1"));
        assert_eq!(view.user_id, None);
        assert_eq!(view.forwarded_at, Some(12.0));
        assert_eq!(view.urls(), vec!["/a", "/a?x"]);
    }

    #[test]
    fn rejects_non_objects_and_bad_json() {
        assert!(matches!(FrameView::parse("[1,2]"), Err(FrameError::NotAnObject)));
        assert!(matches!(FrameView::parse("42"), Err(FrameError::NotAnObject)));
        assert!(matches!(FrameView::parse("null"), Err(FrameError::NotAnObject)));
        assert!(matches!(FrameView::parse("{\"a\":"), Err(FrameError::InvalidJson(_))));
        assert!(matches!(FrameView::parse("{} x"), Err(FrameError::InvalidJson(_))));
        assert!(matches!(FrameView::parse(""), Err(FrameError::InvalidJson(_))));
    }

    #[test]
    fn last_duplicate_key_wins() {
        let view = FrameView::parse(r#"{"type":"summary","type":"actions"}"#).unwrap();
        assert_eq!(view.event_type(), Some("actions"));
    }
}
