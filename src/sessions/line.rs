//! A light, borrowed parse of one recording line: the keys `list` and `stats` need, and
//! for each action only its URL and type. Values of unexpected types are read leniently
//! (numbers as their Python `str()`, anything else as absent), as the SDK's models do.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// Why a line could not be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LineError {
    #[error("not valid JSON ({0})")]
    InvalidJson(String),
    #[error("not a JSON object")]
    NotAnObject,
}

/// The fields of one line the aggregator reads.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LightLine<'a> {
    #[serde(rename = "type", borrow)]
    pub event_type: LooseText<'a>,
    #[serde(borrow)]
    pub product_id: LooseText<'a>,
    #[serde(borrow)]
    pub session_id: LooseText<'a>,
    #[serde(borrow)]
    pub user_id: LooseText<'a>,
    #[serde(borrow)]
    pub email: LooseText<'a>,
    pub forwarded_at: LooseNumber,
    #[serde(borrow)]
    pub actions: LightActions<'a>,
}

/// A text field read leniently: strings as they are, numbers and booleans as Python would
/// print them, `null`, lists and objects as absent.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct LooseText<'a>(pub Option<Cow<'a, str>>);

impl<'a> LooseText<'a> {
    /// The value when it is truthy (the SDK's `get(key) or default`).
    pub fn truthy(&self) -> Option<&str> {
        self.0.as_deref().filter(|s| !s.is_empty())
    }
}

/// A number, or absent for anything else.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct LooseNumber(pub Option<f64>);

/// The actions of a line: how many, and each one's URL and type.
#[derive(Debug, Default)]
pub struct LightActions<'a> {
    pub items: Vec<LightAction<'a>>,
    /// `actions` was truthy but not a list of objects (the SDK raises on it).
    pub invalid: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LightAction<'a> {
    #[serde(borrow)]
    pub canonical_url: LooseText<'a>,
    #[serde(rename = "type", borrow)]
    pub action_type: LooseText<'a>,
}

impl<'a> LightLine<'a> {
    /// Parses one line; the top level must be an object.
    pub fn parse(line: &'a str) -> Result<LightLine<'a>, LineError> {
        if !line.trim_start().starts_with('{') {
            return Err(match serde_json::from_str::<IgnoredAny>(line) {
                Ok(_) => LineError::NotAnObject,
                Err(err) => LineError::InvalidJson(err.to_string()),
            });
        }
        // A key written twice is read as Python does: its last value counts.
        serde_json::from_str(line).or_else(|err| {
            match crate::py::json::last_values(line) {
                Ok(Some(rewritten)) => serde_json::from_str::<LightLine>(&rewritten).map(LightLine::into_owned),
                Ok(None) => Err(err),
                Err(err) => Err(err),
            }
            .map_err(|err| LineError::InvalidJson(err.to_string()))
        })
    }

    /// The same line, owning its text.
    pub fn into_owned(self) -> LightLine<'static> {
        LightLine {
            event_type: self.event_type.into_owned(),
            product_id: self.product_id.into_owned(),
            session_id: self.session_id.into_owned(),
            user_id: self.user_id.into_owned(),
            email: self.email.into_owned(),
            forwarded_at: self.forwarded_at,
            actions: LightActions {
                items: self
                    .actions
                    .items
                    .into_iter()
                    .map(|a| LightAction {
                        canonical_url: a.canonical_url.into_owned(),
                        action_type: a.action_type.into_owned(),
                    })
                    .collect(),
                invalid: self.actions.invalid,
            },
        }
    }
}

impl LooseText<'_> {
    fn into_owned(self) -> LooseText<'static> {
        LooseText(self.0.map(|t| Cow::Owned(t.into_owned())))
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for LooseText<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl<'de> Visitor<'de> for TextVisitor {
            type Value = LooseText<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(LooseText(Some(Cow::Borrowed(v))))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(LooseText(Some(Cow::Owned(v.to_string()))))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(LooseText(Some(Cow::Owned(v))))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(LooseText(Some(Cow::Owned(v.to_string()))))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(LooseText(Some(Cow::Owned(v.to_string()))))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Ok(LooseText(Some(Cow::Owned(crate::py::float_repr(v)))))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
                Ok(LooseText(v.then_some(Cow::Borrowed("True"))))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(LooseText(None))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(LooseText(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(LooseText(None))
            }
        }
        deserializer.deserialize_any(TextVisitor)
    }
}

impl<'de> Deserialize<'de> for LooseNumber {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NumberVisitor;
        impl<'de> Visitor<'de> for NumberVisitor {
            type Value = LooseNumber;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(LooseNumber(Some(v as f64)))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(LooseNumber(Some(v as f64)))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Ok(LooseNumber(Some(v)))
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
                Ok(LooseNumber(None))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
                Ok(LooseNumber(None))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(LooseNumber(None))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(LooseNumber(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(LooseNumber(None))
            }
        }
        deserializer.deserialize_any(NumberVisitor)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for LightActions<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ActionsVisitor;
        impl<'de> Visitor<'de> for ActionsVisitor {
            type Value = LightActions<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut items = Vec::new();
                let mut invalid = false;
                while let Some(item) = seq.next_element::<MaybeAction<'de>>()? {
                    match item.0 {
                        Some(action) => items.push(action),
                        None => invalid = true,
                    }
                }
                Ok(LightActions { items, invalid })
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut any = false;
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {
                    any = true;
                }
                Ok(LightActions { items: Vec::new(), invalid: any })
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(LightActions { items: Vec::new(), invalid: !v.is_empty() })
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(LightActions { items: Vec::new(), invalid: v != 0 })
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(LightActions { items: Vec::new(), invalid: v != 0 })
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Ok(LightActions { items: Vec::new(), invalid: v != 0.0 })
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
                Ok(LightActions { items: Vec::new(), invalid: v })
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(LightActions::default())
            }
        }
        deserializer.deserialize_any(ActionsVisitor)
    }
}

/// One element of `actions`: an object, or `None` for anything else.
struct MaybeAction<'a>(Option<LightAction<'a>>);

impl<'de: 'a, 'a> Deserialize<'de> for MaybeAction<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ElementVisitor;
        impl<'de> Visitor<'de> for ElementVisitor {
            type Value = MaybeAction<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                let action = LightAction::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(MaybeAction(Some(action)))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(MaybeAction(None))
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
                Ok(MaybeAction(None))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
                Ok(MaybeAction(None))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
                Ok(MaybeAction(None))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
                Ok(MaybeAction(None))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
                Ok(MaybeAction(None))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(MaybeAction(None))
            }
        }
        deserializer.deserialize_any(ElementVisitor)
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
