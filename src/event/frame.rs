/*!
A cheap, borrowed view of one frame's JSON data: enough to validate it, route it and filter
it without building a full `serde_json::Value` (the hot path of `tail`).

Reading the view checks that the whole text is valid JSON and that it is an object; only the
keys filters look at are kept. Values of unexpected types are ignored, never an error, as in
the SDK's lenient models. A repeated key keeps its last value, as Python's `json` does.
*/

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

/// The routing and filtering keys of a frame's data object.
#[derive(Debug, Default, Clone)]
pub struct FrameView<'a> {
    pub event_type: Option<Cow<'a, str>>,
    pub product_id: Option<Cow<'a, str>>,
    pub session_id: Option<Cow<'a, str>>,
    pub user_id: Option<Cow<'a, str>>,
    pub email: Option<Cow<'a, str>>,
    /// The `actions` value exactly as written (read by [`FrameView::urls`] only when needed).
    pub actions: Option<&'a RawValue>,
    /// `forwarded_at`, when it is a number.
    pub forwarded_at: Option<f64>,
}

/// Why a frame's data could not be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FrameError {
    #[error("invalid JSON: {0}")]
    InvalidJson(String),
    #[error("JSON is not an object")]
    NotAnObject,
}

impl<'a> FrameView<'a> {
    /// Parses `data`; the view borrows from it where the JSON has no escapes.
    pub fn parse(data: &'a str) -> Result<FrameView<'a>, FrameError> {
        let mut deserializer = serde_json::Deserializer::from_str(data);
        let view = match deserializer.deserialize_any(ViewVisitor) {
            Ok(view) => view,
            Err(err) if err.to_string().starts_with(NOT_AN_OBJECT) => return Err(FrameError::NotAnObject),
            Err(err) => return Err(FrameError::InvalidJson(err.to_string())),
        };
        deserializer.end().map_err(|err| FrameError::InvalidJson(err.to_string()))?;
        Ok(view)
    }

    pub fn event_type(&self) -> Option<&str> {
        self.event_type.as_deref()
    }

    /// `canonical_url` and `raw_url` of each action, in order; none when `actions` is not a
    /// list of objects.
    pub fn urls(&self) -> Vec<Cow<'a, str>> {
        match self.actions {
            Some(raw) => {
                let text: &'a str = raw.get();
                let mut deserializer = serde_json::Deserializer::from_str(text);
                deserializer.deserialize_any(ActionUrlsVisitor).map(|urls| urls.0).unwrap_or_default()
            }
            None => Vec::new(),
        }
    }
}

/// Writes the `visit_*` methods of the JSON kinds listed, each giving `$value` after
/// consuming (and so validating) the input: how the lenient readers below skip values of a
/// type they do not use.
macro_rules! other_kinds_give {
    ($value:expr; $($kind:ident)*) => { $( other_kinds_give!(@one $kind, $value); )* };
    (@one i64, $value:expr) => { fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> { Ok($value) } };
    (@one u64, $value:expr) => { fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> { Ok($value) } };
    (@one f64, $value:expr) => { fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> { Ok($value) } };
    (@one bool, $value:expr) => { fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> { Ok($value) } };
    (@one str, $value:expr) => { fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> { Ok($value) } };
    (@one unit, $value:expr) => { fn visit_unit<E>(self) -> Result<Self::Value, E> { Ok($value) } };
    (@one seq, $value:expr) => {
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok($value)
        }
    };
    (@one map, $value:expr) => {
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok($value)
        }
    };
}

const NOT_AN_OBJECT: &str = "__autoplay_not_an_object__";

struct ViewVisitor;

impl<'de> Visitor<'de> for ViewVisitor {
    type Value = FrameView<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut view = FrameView::default();
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            match key.as_ref() {
                "type" => view.event_type = map.next_value::<LenientStr>()?.0,
                "product_id" => view.product_id = map.next_value::<LenientStr>()?.0,
                "session_id" => view.session_id = map.next_value::<LenientStr>()?.0,
                "user_id" => view.user_id = map.next_value::<LenientStr>()?.0,
                "email" => view.email = map.next_value::<LenientStr>()?.0,
                "forwarded_at" => view.forwarded_at = map.next_value::<LenientNumber>()?.0,
                "actions" => view.actions = Some(map.next_value::<&'de RawValue>()?),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(view)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, _seq: A) -> Result<Self::Value, A::Error> {
        Err(de::Error::custom(NOT_AN_OBJECT))
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Err(de::Error::custom(NOT_AN_OBJECT))
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Err(de::Error::custom(NOT_AN_OBJECT))
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Err(de::Error::custom(NOT_AN_OBJECT))
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Err(de::Error::custom(NOT_AN_OBJECT))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Err(de::Error::custom(NOT_AN_OBJECT))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Err(de::Error::custom(NOT_AN_OBJECT))
    }
}

/// A string, or `None` for any other JSON value (which is skipped, not rejected).
struct LenientStr<'a>(Option<Cow<'a, str>>);

impl<'de> de::Deserialize<'de> for LenientStr<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(LenientStrVisitor)
    }
}

struct LenientStrVisitor;

impl<'de> Visitor<'de> for LenientStrVisitor {
    type Value = LenientStr<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(LenientStr(Some(Cow::Borrowed(v))))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(LenientStr(Some(Cow::Owned(v.to_string()))))
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(LenientStr(Some(Cow::Owned(v))))
    }
    other_kinds_give!(LenientStr(None); i64 u64 f64 bool unit seq map);
}

/// A number, or `None` for any other JSON value.
struct LenientNumber(Option<f64>);

impl<'de> de::Deserialize<'de> for LenientNumber {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = deserializer.deserialize_any(LenientStrVisitorNumber)?;
        Ok(LenientNumber(value))
    }
}

struct LenientStrVisitorNumber;

impl<'de> Visitor<'de> for LenientStrVisitorNumber {
    type Value = Option<f64>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v as f64))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v as f64))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    other_kinds_give!(None; str bool unit seq map);
}

/// The URLs of an `actions` list; anything that is not a list of objects gives none.
struct ActionUrls<'a>(Vec<Cow<'a, str>>);

struct ActionUrlsVisitor;

impl<'de> Visitor<'de> for ActionUrlsVisitor {
    type Value = ActionUrls<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of actions")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut urls = Vec::new();
        while let Some(action) = seq.next_element::<ActionUrl>()? {
            urls.extend(action.0);
        }
        Ok(ActionUrls(urls))
    }
    other_kinds_give!(ActionUrls(Vec::new()); map str i64 u64 f64 bool unit);
}

/// One action's URLs.
struct ActionUrl<'a>(Vec<Cow<'a, str>>);

impl<'de> de::Deserialize<'de> for ActionUrl<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ActionUrlVisitor)
    }
}

struct ActionUrlVisitor;

impl<'de> Visitor<'de> for ActionUrlVisitor {
    type Value = ActionUrl<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an action object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut urls = Vec::new();
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            if key == "canonical_url" || key == "raw_url" {
                if let Some(url) = map.next_value::<LenientStr>()?.0 {
                    urls.push(url);
                }
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(ActionUrl(urls))
    }
    other_kinds_give!(ActionUrl(Vec::new()); seq str i64 u64 f64 bool unit);
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
