/*!
The one reader of the wire format: one JSON object per frame, and per line of a recording.

[`read`] checks that the whole text is strict JSON and an object, and hands back a
[`LineView`]: the fields the toolkit routes, filters, aggregates and simulates on, as raw JSON
borrowed from the text, with the items of `actions` and their fields. Each caller decides how
leniently it reads a field's value (the simulator, the aggregator and the live filters each
follow their own part of the SDK), so the view never decodes more than it must.

Two paths read a line and give the same view:

* the scanner (`scan`), one pass over the bytes that takes the plain shape of a line, which
  is almost every line the connector and `autoplay generate` write;
* serde_json, the reference, for every line the scanner does not take (escaped keys, a field
  written twice, a timestamp that is not a number, deep nesting, invalid JSON).

The scanner can make reading faster, never different: every line it takes is one serde_json
reads to the same view. As Python's `json` does, a key written twice keeps its last value.
A field holding `null` reads as absent.
*/

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use serde_json::value::RawValue;

use super::model::{Event, ModelError};
use super::scan;

/// Why a text is not a line the toolkit can read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LineError {
    /// The text is not JSON; serde_json's message says where.
    #[error("not valid JSON ({0})")]
    InvalidJson(String),
    /// Valid JSON, but not an object.
    #[error("not a JSON object")]
    NotAnObject,
}

impl LineError {
    /// serde_json's verdict on `text`: what is wrong with it as a line. Also names the place
    /// when a view was read but one of its strings cannot be decoded (an escaped lone
    /// surrogate, which only a full decode refuses).
    pub fn of(text: &str) -> LineError {
        if !text.trim_start().starts_with('{') {
            // Python's `json.loads` reads any JSON value; the line is then not a dict.
            return match serde_json::from_str::<IgnoredAny>(text) {
                Ok(_) => LineError::NotAnObject,
                Err(e) => LineError::InvalidJson(e.to_string()),
            };
        }
        match serde_json::from_str::<Value>(text) {
            Err(e) => LineError::InvalidJson(e.to_string()),
            Ok(_) => LineError::InvalidJson("a string that cannot be decoded".into()),
        }
    }
}

/// A field meant to hold a number.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NumberField<'a> {
    /// A JSON number.
    Finite(f64),
    /// Any other value (a string, a boolean, a list, an object, a number out of range), as
    /// raw JSON.
    Other(&'a str),
}

impl NumberField<'_> {
    /// The number, when the field holds one.
    pub fn finite(&self) -> Option<f64> {
        match self {
            NumberField::Finite(v) => Some(*v),
            NumberField::Other(_) => None,
        }
    }

    /// Whether the field holds a number too large for an `f64` (`1e400`): Python reads it as
    /// infinity, serde_json refuses the whole text, and so did every reader that decoded the
    /// field before this one.
    pub fn is_out_of_range(&self) -> bool {
        matches!(self, NumberField::Other(raw) if raw.starts_with(|c: char| c == '-' || c.is_ascii_digit()))
    }
}

/// One object of a line's `actions`. Text fields are raw JSON (a string keeps its quotes and
/// escapes); `None` when absent or `null`.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ActionView<'a> {
    /// `canonical_url` (the page, with ids replaced by placeholders).
    pub canonical_url: Option<&'a str>,
    /// `raw_url` (the page as visited).
    pub raw_url: Option<&'a str>,
    /// The action's `type` (`click`, `pageview`, …).
    pub action_type: Option<&'a str>,
    /// `timestamp_start` (Unix seconds).
    pub timestamp_start: Option<NumberField<'a>>,
    /// `timestamp_end` (Unix seconds).
    pub timestamp_end: Option<NumberField<'a>>,
}

/// What a line's `actions` field holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Actions<'a, 's> {
    /// Missing, or `null`.
    Absent,
    /// A list.
    List {
        /// Its objects, in order.
        items: &'s [ActionView<'a>],
        /// Whether it also held anything else (the SDK raises on such a list).
        non_objects: bool,
    },
    /// Any other value (a string, a number, an object, …).
    Other(&'s Value),
}

/// What a path found in `actions` (the items themselves are in the scratch).
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) enum FoundActions {
    #[default]
    Absent,
    List {
        non_objects: bool,
    },
    Other(Box<Value>),
}

/// The fields of one line. Text fields are raw JSON borrowed from the line (decode them with
/// [`string_of`] or as the caller's rules say); `None` when absent or `null`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LineFields<'a> {
    /// The whole line.
    pub source: &'a str,
    /// `type`.
    pub event_type: Option<&'a str>,
    /// `product_id`.
    pub product_id: Option<&'a str>,
    /// `session_id`.
    pub session_id: Option<&'a str>,
    /// `user_id`.
    pub user_id: Option<&'a str>,
    /// `email`.
    pub email: Option<&'a str>,
    /// `forwarded_at` (Unix seconds, stamped by the connector).
    pub forwarded_at: Option<NumberField<'a>>,
    /// `ts` (chat, chip, reaction and tour events).
    pub ts: Option<NumberField<'a>>,
    /// `text` (a chat message's words).
    pub text: Option<&'a str>,
    /// `label` (a chip's label).
    pub label: Option<&'a str>,
    /// `flow_id` (tour events).
    pub flow_id: Option<&'a str>,
    pub(super) actions: FoundActions,
}

impl<'a> LineFields<'a> {
    pub(super) fn empty(source: &'a str) -> Self {
        LineFields { source, ..LineFields::default() }
    }

    /// The fields without what was found in `actions` (to compare two readings' top levels).
    pub(crate) fn forget_actions(&mut self) {
        self.actions = FoundActions::Absent;
    }

    /// The whole line as a JSON object, every field (to build the SDK's payloads from).
    pub fn object(&self) -> Result<serde_json::Map<String, Value>, LineError> {
        serde_json::from_str(self.source).map_err(|e| LineError::InvalidJson(e.to_string()))
    }
}

/// One line as read: its fields and the objects of its `actions`, borrowed from the line and
/// from the scratch that was read into (so reading the next line needs no allocation).
#[derive(Debug, Clone, Copy)]
pub struct LineView<'a, 's> {
    fields: &'s LineFields<'a>,
    items: &'s [ActionView<'a>],
}

impl<'a> std::ops::Deref for LineView<'a, '_> {
    type Target = LineFields<'a>;

    fn deref(&self) -> &LineFields<'a> {
        self.fields
    }
}

impl<'a, 's> LineView<'a, 's> {
    /// What `actions` holds.
    pub fn actions(&self) -> Actions<'a, 's> {
        match &self.fields.actions {
            FoundActions::Absent => Actions::Absent,
            FoundActions::List { non_objects } => Actions::List { items: self.items, non_objects: *non_objects },
            FoundActions::Other(value) => Actions::Other(value),
        }
    }

    /// The objects of `actions` (none unless it is a list).
    pub fn action_items(&self) -> &'s [ActionView<'a>] {
        match self.fields.actions {
            FoundActions::List { .. } => self.items,
            _ => &[],
        }
    }

    /// `type` when it is a string.
    pub fn event_type(&self) -> Option<Cow<'a, str>> {
        self.fields.event_type.and_then(string_of)
    }

    /// The payload as the SDK's `from_dict` reads it, by `type`.
    pub fn event(&self) -> Result<Result<Event, ModelError>, LineError> {
        Ok(Event::from_object(&self.object()?))
    }
}

/// Reusable space for reading lines (one per thread): the fields and the items of `actions`
/// of the line read last.
#[derive(Debug, Default)]
pub struct LineScratch<'a> {
    fields: LineFields<'a>,
    actions: Vec<ActionView<'a>>,
    /// The scanner's copy of the line, with room after it (see [`scan::scan`]).
    padded: Vec<u8>,
}

impl<'a> LineScratch<'a> {
    /// An empty scratch (it allocates on the first line with actions).
    pub fn new() -> Self {
        LineScratch::default()
    }

    /// The scratch emptied, for texts of another lifetime (a stream's frames, each in its own
    /// buffer): the space for `actions` is kept, so reading the next frame allocates nothing.
    pub fn recycle<'b>(self) -> LineScratch<'b> {
        let mut actions = self.actions;
        actions.clear();
        // An empty list of one lifetime's views collected into one of another: the standard
        // library reuses the allocation in place (same layout), no item is ever mapped.
        let actions = actions.into_iter().map(|_| -> ActionView<'b> { unreachable!("the list is empty") }).collect();
        LineScratch { fields: LineFields::default(), actions, padded: self.padded }
    }

    /// The action objects of the line read last, taken out of the scratch.
    pub fn take_actions(&mut self) -> Vec<ActionView<'a>> {
        std::mem::take(&mut self.actions)
    }

    /// The view of the line read last (when that read succeeded), read again at no cost:
    /// for a caller that wants fields its reader already passed over.
    pub fn last_view(&self) -> LineView<'a, '_> {
        LineView { fields: &self.fields, items: &self.actions }
    }
}

/// Which path reads a line (benchmarks and tests compare them; everyone else uses [`read`]).
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadPath {
    /// The scanner, with serde_json for the lines it does not take.
    Fast,
    /// The scanner alone: `None` when it does not take the line.
    ScannerOnly,
    /// serde_json alone.
    Reference,
}

/// Reads one line (or one frame's data).
pub fn read<'a, 's>(text: &'a str, scratch: &'s mut LineScratch<'a>) -> Result<LineView<'a, 's>, LineError> {
    match read_by(text, scratch, ReadPath::Fast) {
        Some(result) => result,
        None => unreachable!("the fast path always answers"),
    }
}

/// How much of a line [`read_reaching`] picks out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// Every field of the view, the items of `actions` included ([`read`]).
    Everything,
    /// The top-level fields only: `actions` is checked like any other value but its items are
    /// not picked out, so the view's `actions` must not be used. For a reader that needs the
    /// verdict and the top-level fields of every line (the session and user questions), where
    /// picking out the items was about a fifth of the scanner's work.
    TopLevel,
}

/// [`read`], picking out `reach` of the line. The verdict is the same for every reach: the
/// whole line is checked either way.
pub fn read_reaching<'a, 's>(
    text: &'a str,
    scratch: &'s mut LineScratch<'a>,
    reach: Reach,
) -> Result<LineView<'a, 's>, LineError> {
    if reach == Reach::Everything {
        return read(text, scratch);
    }
    let LineScratch { fields, actions, padded } = scratch;
    let read = match scan::scan_top_level(text, fields, actions, padded) {
        Some(()) => Ok(()),
        None => reference(text, fields, actions),
    };
    read.map(|()| LineView { fields: &scratch.fields, items: &scratch.actions })
}

/// [`read`] by one path; `None` only for [`ReadPath::ScannerOnly`] on a line it leaves.
#[doc(hidden)]
pub fn read_by<'a, 's>(
    text: &'a str,
    scratch: &'s mut LineScratch<'a>,
    path: ReadPath,
) -> Option<Result<LineView<'a, 's>, LineError>> {
    let LineScratch { fields, actions, padded } = scratch;
    let read = match path {
        ReadPath::Reference => reference(text, fields, actions),
        ReadPath::Fast | ReadPath::ScannerOnly => match scan::scan(text, fields, actions, padded) {
            Some(()) => Ok(()),
            None if path == ReadPath::ScannerOnly => return None,
            None => reference(text, fields, actions),
        },
    };
    Some(read.map(|()| LineView { fields: &scratch.fields, items: &scratch.actions }))
}

/// The text of a raw JSON value when it is a string (borrowed when it has no escapes);
/// `None` for any other value, and for a string Rust cannot hold (an escaped lone surrogate).
pub fn string_of(raw: &str) -> Option<Cow<'_, str>> {
    if raw.len() >= 2 && raw.starts_with('"') && raw.ends_with('"') && !has_backslash(raw.as_bytes()) {
        return Some(Cow::Borrowed(&raw[1..raw.len() - 1]));
    }
    if raw.starts_with('"') {
        return serde_json::from_str::<String>(raw).ok().map(Cow::Owned);
    }
    None
}

/// Whether `bytes` holds a `\\`, eight bytes at a time: ids and URLs are short, too short
/// for `memchr` to pay for its setup, and testing a word rather than a byte took 3 % off
/// `sessions list`'s instructions.
fn has_backslash(bytes: &[u8]) -> bool {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    const BACKSLASHES: u64 = u64::from_ne_bytes([b'\\'; 8]);
    let mut words = bytes.chunks_exact(8);
    for word in words.by_ref() {
        let x = u64::from_ne_bytes(word.try_into().unwrap_or_default()) ^ BACKSLASHES;
        // A zero byte of `x` (a backslash of the word) sets its high bit here; no other does.
        if x.wrapping_sub(ONES) & !x & HIGHS != 0 {
            return true;
        }
    }
    words.remainder().contains(&b'\\')
}

/// Whether a raw JSON value is a string Rust cannot hold (an escaped lone surrogate, which
/// Python keeps but serde_json refuses to decode).
pub fn is_undecodable_string(raw: &str) -> bool {
    raw.starts_with('"') && string_of(raw).is_none()
}

// ---------------------------------------------------------------------------------------------
// The reference path
// ---------------------------------------------------------------------------------------------

/// Reads `text` into `fields` and `actions` (whatever the scanner left there is replaced).
fn reference<'a>(
    text: &'a str,
    fields: &mut LineFields<'a>,
    actions: &mut Vec<ActionView<'a>>,
) -> Result<(), LineError> {
    *fields = LineFields::empty(text);
    actions.clear();
    if !text.trim_start().starts_with('{') {
        return Err(LineError::of(text));
    }
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let read = deserializer
        .deserialize_map(LineVisitor { fields: &mut *fields, actions: &mut *actions })
        .and_then(|()| deserializer.end())
        // The view keeps most values raw; every line must still decode whole, so a number
        // out of range or a lone surrogate anywhere makes it unreadable in every command.
        .and_then(|()| serde_json::from_str::<Decodes>(text).map(|_| ()));
    read.map_err(|e| {
        actions.clear();
        *fields = LineFields::empty(text);
        LineError::InvalidJson(e.to_string())
    })
}

/// A JSON value decoded all the way down (every number and string) and then dropped: what
/// a full decode would refuse, without building the value.
struct Decodes;

impl<'de> de::Deserialize<'de> for Decodes {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(DecodesVisitor)
    }
}

struct DecodesVisitor;

impl<'de> Visitor<'de> for DecodesVisitor {
    type Value = Decodes;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Decodes, E> {
        Ok(Decodes)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Decodes, E> {
        Ok(Decodes)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Decodes, E> {
        Ok(Decodes)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Decodes, E> {
        Ok(Decodes)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Decodes, E> {
        Ok(Decodes)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Decodes, E> {
        Ok(Decodes)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Decodes, A::Error> {
        while seq.next_element::<Decodes>()?.is_some() {}
        Ok(Decodes)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Decodes, A::Error> {
        while map.next_entry::<Decodes, Decodes>()?.is_some() {}
        Ok(Decodes)
    }
}

/// The next value of an object as raw JSON; `None` for `null`.
fn raw<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Option<&'de str>, A::Error> {
    Ok(map.next_value::<Option<&'de RawValue>>()?.map(RawValue::get))
}

/// A number field from its raw JSON: a number, or another value kept raw.
fn number_field<'a, E: de::Error>(raw: Option<&'a RawValue>) -> Result<Option<NumberField<'a>>, E> {
    let Some(raw) = raw.map(RawValue::get) else { return Ok(None) };
    Ok(Some(match raw.parse::<f64>() {
        // Both round correctly, as serde_json does with `float_roundtrip`.
        Ok(v) if v.is_finite() => NumberField::Finite(v),
        _ => NumberField::Other(raw),
    }))
}

/// The top-level keys the view keeps.
enum LineKey {
    Type,
    ProductId,
    SessionId,
    UserId,
    Email,
    ForwardedAt,
    Ts,
    Text,
    Label,
    FlowId,
    Actions,
    Other,
}

impl LineKey {
    fn of(key: &str) -> LineKey {
        match key {
            "type" => LineKey::Type,
            "product_id" => LineKey::ProductId,
            "session_id" => LineKey::SessionId,
            "user_id" => LineKey::UserId,
            "email" => LineKey::Email,
            "forwarded_at" => LineKey::ForwardedAt,
            "ts" => LineKey::Ts,
            "text" => LineKey::Text,
            "label" => LineKey::Label,
            "flow_id" => LineKey::FlowId,
            "actions" => LineKey::Actions,
            _ => LineKey::Other,
        }
    }
}

/// Reads an object key as one of the keys a reader keeps (the function picks it by name).
struct KeyVisitor<K>(fn(&str) -> K);

impl<K> Visitor<'_> for KeyVisitor<K> {
    type Value = K;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<K, E> {
        Ok((self.0)(key))
    }
}

impl<'de> de::Deserialize<'de> for LineKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_identifier(KeyVisitor(LineKey::of))
    }
}

struct LineVisitor<'v, 's, 'a> {
    fields: &'v mut LineFields<'a>,
    actions: &'s mut Vec<ActionView<'a>>,
}

impl<'de> Visitor<'de> for LineVisitor<'_, '_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let view = self.fields;
        // A key written twice: the last value counts, as in Python.
        while let Some(key) = map.next_key::<LineKey>()? {
            match key {
                LineKey::Type => view.event_type = raw(&mut map)?,
                LineKey::ProductId => view.product_id = raw(&mut map)?,
                LineKey::SessionId => view.session_id = raw(&mut map)?,
                LineKey::UserId => view.user_id = raw(&mut map)?,
                LineKey::Email => view.email = raw(&mut map)?,
                LineKey::Text => view.text = raw(&mut map)?,
                LineKey::Label => view.label = raw(&mut map)?,
                LineKey::FlowId => view.flow_id = raw(&mut map)?,
                LineKey::ForwardedAt => view.forwarded_at = number_field(map.next_value()?)?,
                LineKey::Ts => view.ts = number_field(map.next_value()?)?,
                LineKey::Actions => {
                    self.actions.clear();
                    view.actions = map.next_value_seed(ActionsSeed { items: &mut *self.actions })?;
                }
                LineKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// Reads `actions` into the scratch's items.
struct ActionsSeed<'s, 'a> {
    items: &'s mut Vec<ActionView<'a>>,
}

impl<'de> DeserializeSeed<'de> for ActionsSeed<'_, 'de> {
    type Value = FoundActions;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<FoundActions, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ActionsSeed<'_, 'de> {
    type Value = FoundActions;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<FoundActions, A::Error> {
        let mut non_objects = false;
        while let Some(item) = seq.next_element::<MaybeAction<'de>>()? {
            match item.0 {
                Some(action) => self.items.push(action),
                None => non_objects = true,
            }
        }
        Ok(FoundActions::List { non_objects })
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<FoundActions, A::Error> {
        let value = de::Deserialize::deserialize(de::value::MapAccessDeserializer::new(map))?;
        Ok(FoundActions::Other(Box::new(Value::Object(value))))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<FoundActions, E> {
        Ok(FoundActions::Other(Box::new(Value::String(v.to_string()))))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<FoundActions, E> {
        Ok(FoundActions::Other(Box::new(Value::from(v))))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<FoundActions, E> {
        Ok(FoundActions::Other(Box::new(Value::from(v))))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<FoundActions, E> {
        Ok(FoundActions::Other(Box::new(Value::from(v))))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<FoundActions, E> {
        Ok(FoundActions::Other(Box::new(Value::Bool(v))))
    }
    fn visit_unit<E: de::Error>(self) -> Result<FoundActions, E> {
        Ok(FoundActions::Absent)
    }
}

/// One item of `actions`: an object, or `None` for anything else.
struct MaybeAction<'a>(Option<ActionView<'a>>);

/// The action keys the view keeps.
enum ActionKey {
    CanonicalUrl,
    RawUrl,
    Type,
    TimestampStart,
    TimestampEnd,
    Other,
}

impl ActionKey {
    fn of(key: &str) -> ActionKey {
        match key {
            "canonical_url" => ActionKey::CanonicalUrl,
            "raw_url" => ActionKey::RawUrl,
            "type" => ActionKey::Type,
            "timestamp_start" => ActionKey::TimestampStart,
            "timestamp_end" => ActionKey::TimestampEnd,
            _ => ActionKey::Other,
        }
    }
}

impl<'de> de::Deserialize<'de> for ActionKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_identifier(KeyVisitor(ActionKey::of))
    }
}

impl<'de> de::Deserialize<'de> for MaybeAction<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ItemVisitor;
        impl<'de> Visitor<'de> for ItemVisitor {
            type Value = MaybeAction<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut action = ActionView::default();
                while let Some(key) = map.next_key::<ActionKey>()? {
                    match key {
                        ActionKey::CanonicalUrl => action.canonical_url = raw(&mut map)?,
                        ActionKey::RawUrl => action.raw_url = raw(&mut map)?,
                        ActionKey::Type => action.action_type = raw(&mut map)?,
                        ActionKey::TimestampStart => action.timestamp_start = number_field(map.next_value()?)?,
                        ActionKey::TimestampEnd => action.timestamp_end = number_field(map.next_value()?)?,
                        ActionKey::Other => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
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
        deserializer.deserialize_any(ItemVisitor)
    }
}

/// Test support: one or two random edits of `line` (a piece inserted, a character removed or
/// replaced by a piece), for the randomized checks that the scanner reads as serde_json does.
#[cfg(test)]
pub(crate) fn edit_randomly(line: &mut String, pieces: &[&str], rng: &mut impl rand::Rng) {
    for _ in 0..rng.random_range(1..3) {
        let mut at = rng.random_range(0..=line.len());
        while !line.is_char_boundary(at) {
            at -= 1;
        }
        let end = (at + 1..=line.len()).find(|&e| line.is_char_boundary(e)).unwrap_or(line.len());
        let piece = pieces[rng.random_range(0..pieces.len())];
        match rng.random_range(0..3) {
            0 => line.insert_str(at, piece),
            1 => line.replace_range(at..end, ""),
            _ => line.replace_range(at..end, piece),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn has_backslash_finds_one_anywhere_and_nothing_else() {
        // Every length up to five words, a backslash at every place or none, around bytes
        // one off from it and high bytes (where a carry could mislead a word-wise test).
        for len in 0..40 {
            for filler in [b'a', b'\\' - 1, b'\\' + 1, 0xdc, 0xff, 0x00] {
                let mut bytes = vec![filler; len];
                assert!(!has_backslash(&bytes), "{len} bytes of {filler:#x}");
                for at in 0..len {
                    bytes[at] = b'\\';
                    assert!(has_backslash(&bytes), "{len} bytes of {filler:#x}, backslash at {at}");
                    bytes[at] = filler;
                }
            }
        }
    }

    /// What a path read, comparable across paths (the fuzz targets' comparison).
    fn read_as(text: &str, path: ReadPath) -> Option<String> {
        crate::fuzz_api::line_read_as(text, path)
    }

    /// Random small edits of plain lines: whatever the scanner takes, it reads to the view
    /// serde_json reads (every field, the new ones included).
    #[test]
    fn the_scanner_reads_every_field_as_serde_does() {
        use rand::{Rng, SeedableRng};
        let bases = [
            r#"{"type":"actions","product_id":"p","session_id":"s","user_id":"u","email":"e@x","actions":[{"index":0,"type":"click","title":"A b","raw_url":"https://a/b?x","canonical_url":"https://a/b","timestamp_start":1767225600.6,"timestamp_end":1767225601}],"count":1,"forwarded_at":1767225601.718}"#,
            r#"{"type": "chat_message", "product_id": "p", "session_id": "s", "ts": 12.5, "text": "yes please", "label": null, "meta": {"a": [1, -2.5e3, true, null]}}"#,
            r#"{"type":"usertour_trigger","session_id":"s","forwarded_at":3,"flow_id":"f_1","x":"\u00e9\n"}"#,
        ];
        let pieces = [
            "\"",
            "\\",
            "{",
            "}",
            "[",
            "]",
            ",",
            ":",
            " ",
            "0",
            "-",
            "1e5",
            ".",
            "null",
            "true",
            "é",
            "\u{1}",
            "\\u00",
            "x",
            "\"type\"",
            "\"email\"",
            "\"raw_url\"",
            "1e400",
        ];
        let mut rng = rand::rngs::StdRng::seed_from_u64(11);
        let mut taken = 0;
        for _ in 0..4000 {
            let mut line = bases[rng.random_range(0..bases.len())].to_string();
            crate::event::line::edit_randomly(&mut line, &pieces, &mut rng);
            let reference = read_as(&line, ReadPath::Reference).unwrap();
            if let Some(scanned) = read_as(&line, ReadPath::ScannerOnly) {
                taken += 1;
                assert_eq!(scanned, reference, "{line}");
            }
            assert_eq!(read_as(&line, ReadPath::Fast).unwrap(), reference, "{line}");
            // Reading the top level only: the same verdict and top-level fields.
            assert_eq!(crate::fuzz_api::line_scanner_agrees(&line), Ok(()), "{line}");
        }
        assert!(taken > 400, "the scanner should still read many edited lines ({taken})");
    }

    #[test]
    fn a_key_written_twice_keeps_its_last_value_and_odd_values_stay_raw() {
        let mut scratch = LineScratch::new();
        let view = read(
            r#"{"email":"a","email":"b","forwarded_at":"soon","actions":[{"type":"x","type":"click"},7]}"#,
            &mut scratch,
        )
        .unwrap();
        assert_eq!(view.email, Some("\"b\""));
        assert_eq!(view.forwarded_at, Some(NumberField::Other("\"soon\"")));
        match view.actions() {
            Actions::List { items, non_objects } => {
                assert_eq!((items.len(), items[0].action_type, non_objects), (1, Some("\"click\""), true));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(read("[1", &mut scratch).map(|_| ()), Err(LineError::of("[1")));
        assert!(matches!(LineError::of("[1"), LineError::InvalidJson(_)));
        assert_eq!(read(" 7 ", &mut scratch).map(|_| ()), Err(LineError::NotAnObject));
    }

    /// A number out of range or a lone surrogate anywhere in a line makes it unreadable, on
    /// every path, with serde_json's message; a surrogate pair is fine.
    #[test]
    fn lines_that_do_not_decode_whole_are_refused() {
        for text in [
            r#"{"ts":1e400}"#,
            r#"{"meta":{"x":[1,-1e400]}}"#,
            r#"{"a":1000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000}"#,
            r#"{"title":"\ud800"}"#,
            r#"{"title":"\udc00\ud800"}"#,
            r#"{"title":"\ud800\u0041"}"#,
        ] {
            let mut scratch = LineScratch::new();
            let err = read(text, &mut scratch).map(|_| ()).unwrap_err();
            assert_eq!(err, LineError::of(text), "{text}");
            assert!(read_as(text, ReadPath::ScannerOnly).is_none(), "{text}");
        }
        let mut scratch = LineScratch::new();
        assert!(read(r#"{"title":"\ud83d\ude00","x":1e300}"#, &mut scratch).is_ok());
        assert!(read_as(r#"{"title":"\ud83d\ude00","x":1e300}"#, ReadPath::ScannerOnly).is_some());
    }
}
