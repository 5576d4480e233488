/*!
The `products.json` model: product rows and each row's `integration_config`, parsed the way
autoplay-sdk 0.7.3 parses them (`autoplay_sdk.proactive_triggers`: the builtins registry, the
`proactive_intercom` parsers, the tour registry and the session timings).

This is the one walk of the config schema: `simulate` runs on what [`parse_products`] returns
and `triggers validate` adds its trap warnings on top of it. The parser never stops at the first
problem: it returns every row it could read and every [`Issue`], each with a [`JsonPath`] such as
`[0].integration_config.proactive_triggers.builtins[1].triggering_type`.

* **Errors** are what the SDK refuses when the config is loaded (a bad `builtins` row, with the
  SDK's exact message), plus the shapes the simulator refuses up front because it could not
  replay them faithfully: a config that is neither a list nor an object, a row,
  `integration_config` or `proactive_triggers` that is not an object, `builtins` that is not a
  list, a session timing that is not a number (`null` means the default). `simulate` exits 2 on
  any error.
* **Warnings** are entries the SDK silently skips: a `proactive_intercom` entry that its strict
  v2 parser rejects, a `tour_registry` entry without an `id`.

Values the SDK only trips over later (a non-string `tour_offer_body`, `messages: 5` in the
flattening parser) are kept as `Err(exception)` so the engine raises at the same moment the SDK
would.
*/

use std::fmt;

use serde_json::{Map, Value};

use crate::json::path::JsonPath;
use crate::py;

/// The id of the URL ping-pong (hesitation) trigger.
pub const PING_PONG_ID: &str = "canonical_url_ping_pong";
/// The id of the page dwell trigger.
pub const DWELL_ID: &str = "user_page_dwell";
/// The id of the section playbook trigger.
pub const SECTION_PLAYBOOK_ID: &str = "section_playbook_match";
/// Catalog ids, sorted (the order the SDK lists them in its unknown-id message).
pub const CATALOG_IDS: [&str; 3] = [PING_PONG_ID, SECTION_PLAYBOOK_ID, DWELL_ID];

/// A hit is delivered at once.
pub const TRIGGERING_TYPE_INSTANT: &str = "instant_trigger";
/// A hit waits for an LLM judge (the SDK default).
pub const TRIGGERING_TYPE_LLM_JUDGE: &str = "llm_judge_validation";

/// The session (`SessionState`) interaction timeout when `integration_config` sets none.
pub const DEFAULT_INTERACTION_TIMEOUT_S: f64 = 20.0;
/// The session cooldown when `integration_config` sets none.
pub const DEFAULT_COOLDOWN_PERIOD_S: f64 = 60.0;
/// A builtins row's result (entity) timeout when the row sets none.
pub const DEFAULT_RESULT_TIMEOUT_S: f64 = 10.0;
/// A builtins row's result (entity) cooldown when the row sets none.
pub const DEFAULT_RESULT_COOLDOWN_S: f64 = 30.0;
/// A tour entry's interaction timeout when it sets none (the session value is not inherited).
pub const TOUR_DEFAULT_INTERACTION_TIMEOUT_S: f64 = 20.0;
/// A tour entry's cooldown when it sets none (the session value is not inherited).
pub const TOUR_DEFAULT_COOLDOWN_PERIOD_S: f64 = 120.0;
/// The question of a tour offer when `tour_offer_body` is blank.
pub const TOUR_OFFER_QUICK_REPLY_BODY: &str = "Would you like me to show you?";
/// Most chips a v2 `proactive_intercom` entry may carry.
pub const MAX_MESSAGES: usize = 3;

/// Keys of `proactive_triggers` copied into the trigger context's `context_extra`.
pub const EXTRA_KEYS: [&str; 7] = [
    "dwell_threshold_seconds",
    "user_page_dwell_max_actions",
    "dwell_proactive_body",
    "section_playbook",
    "section_url_rules",
    "section_url_fallback_id",
    "current_section_id",
];

// ---------------------------------------------------------------------------------------------
// The schema: the objects of a products.json and their keys
// ---------------------------------------------------------------------------------------------

/// Keys of a product row.
pub(crate) const ROW_KEYS: &[&str] = &[
    "product_id",
    "contact_email",
    "webhook_secret",
    "integration_type",
    "integration_config",
    "forward_url",
    "forward_secret",
];
/// Keys of `integration_config`. Besides what the trigger engine reads, the connector reads the
/// push-mode target (`url`, `secret`) and the knowledge-base ids (`kb_*`) from here.
pub(crate) const IC_KEYS: &[&str] = &[
    "mode",
    "access_token",
    "admin_id",
    "interaction_timeout_s",
    "cooldown_period_s",
    "proactive_triggers",
    "proactive_intercom",
    "tour_registry",
    "tour_offer_body",
    "proactive",
    "url",
    "secret",
    "kb_product_id",
    "kb_knowledge_id",
];
/// Keys of `proactive_triggers`.
pub(crate) const PT_KEYS: &[&str] = &[
    "builtins",
    "mode",
    "registry",
    "dwell_threshold_seconds",
    "user_page_dwell_max_actions",
    "dwell_proactive_body",
    "section_url_rules",
    "section_url_fallback_id",
    "section_playbook",
    "current_section_id",
];
/// Keys of a `builtins` row.
pub(crate) const BUILTIN_KEYS: &[&str] =
    &["id", "name", "description", "interaction_timeout_s", "cooldown_s", "triggering_type"];
/// Keys of a list-form `proactive_intercom` entry.
pub(crate) const ENTRY_KEYS: &[&str] = &["id", "name", "proactive_criteria", "messages"];
/// Keys of a criteria group (a node with an `operator`).
pub(crate) const GROUP_KEYS: &[&str] = &["id", "name", "operator", "conditions"];
/// Keys of a criteria leaf.
pub(crate) const LEAF_KEYS: &[&str] = &["id", "name", "type"];
/// Keys of a chip in a list-form entry.
pub(crate) const MESSAGE_KEYS: &[&str] = &["id", "label", "user_tour_exists", "user_tour_id"];
/// Keys of a chip of the legacy object form, which still reads the old tour keys.
pub(crate) const LEGACY_MESSAGE_KEYS: &[&str] =
    &["id", "label", "user_tour_exists", "user_tour_id", "offers_tour", "flow_id"];
/// Keys of the legacy object form of `proactive_intercom`.
pub(crate) const LEGACY_INTERCOM_KEYS: &[&str] = &["messages"];
/// Keys of a `tour_registry` entry.
pub(crate) const TOUR_KEYS: &[&str] =
    &["id", "user_tour_id", "user_tour_name", "interaction_timeout_s", "cooldown_period_s"];
/// Keys of a `section_url_rules` entry.
pub(crate) const RULE_KEYS: &[&str] = &["prefix", "section_id"];
/// Keys of an object row of `section_playbook`.
pub(crate) const PLAYBOOK_ROW_KEYS: &[&str] = &["body", "proactive_body", "reply_option_labels", "quick_reply_labels"];
/// Keys of `integration_config.proactive` (the connector's proactive gates).
pub(crate) const PROACTIVE_KEYS: &[&str] = &["enabled", "min_actions", "cooldown_seconds"];

/// The `proactive_triggers` keys only the dwell trigger reads.
pub(crate) const DWELL_KEYS: &[&str] =
    &["dwell_threshold_seconds", "user_page_dwell_max_actions", "dwell_proactive_body"];
/// The `proactive_triggers` keys only the section playbook trigger reads.
pub(crate) const SECTION_KEYS: &[&str] =
    &["section_url_rules", "section_url_fallback_id", "section_playbook", "current_section_id"];

/// An object of a `products.json`, by its place in the schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Place {
    Row,
    IntegrationConfig,
    ProactiveTriggers,
    Proactive,
    Builtin,
    IntercomEntry,
    CriteriaGroup,
    CriteriaLeaf,
    Chip,
    LegacyChip,
    LegacyIntercom,
    Tour,
    SectionRule,
    PlaybookRow,
}

impl Place {
    /// The keys read in this object.
    pub(crate) fn keys(self) -> &'static [&'static str] {
        match self {
            Place::Row => ROW_KEYS,
            Place::IntegrationConfig => IC_KEYS,
            Place::ProactiveTriggers => PT_KEYS,
            Place::Proactive => PROACTIVE_KEYS,
            Place::Builtin => BUILTIN_KEYS,
            Place::IntercomEntry => ENTRY_KEYS,
            Place::CriteriaGroup => GROUP_KEYS,
            Place::CriteriaLeaf => LEAF_KEYS,
            Place::Chip => MESSAGE_KEYS,
            Place::LegacyChip => LEGACY_MESSAGE_KEYS,
            Place::LegacyIntercom => LEGACY_INTERCOM_KEYS,
            Place::Tour => TOUR_KEYS,
            Place::SectionRule => RULE_KEYS,
            Place::PlaybookRow => PLAYBOOK_ROW_KEYS,
        }
    }

    /// Keys nothing reads here but people write anyway (each gets a warning of its own, not
    /// "unknown key"): `min_cycles` of the ping-pong constructor, chip keys in a tour entry.
    pub(crate) fn unread_keys(self) -> &'static [&'static str] {
        match self {
            Place::Builtin => &["min_cycles"],
            Place::Tour => &["label", "user_tour_exists"],
            _ => &[],
        }
    }

    /// How messages name this object.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Place::Row => "a product row",
            Place::IntegrationConfig => "integration_config",
            Place::ProactiveTriggers => "proactive_triggers",
            Place::Proactive => "integration_config.proactive",
            Place::Builtin => "a builtins row",
            Place::IntercomEntry => "a proactive_intercom entry",
            Place::CriteriaGroup => "a criteria group",
            Place::CriteriaLeaf => "a criteria leaf",
            Place::Chip | Place::LegacyChip => "a chip",
            Place::LegacyIntercom => "the legacy proactive_intercom object",
            Place::Tour => "a tour registry entry",
            Place::SectionRule => "a section rule",
            Place::PlaybookRow => "a section playbook row",
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Issues
// ---------------------------------------------------------------------------------------------

/// How bad an [`Issue`] is (errors sort after warnings).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// An entry the SDK skips or a value that does not do what it seems to.
    Warning,
    /// Something the SDK (or the simulator) refuses at load time.
    Error,
}

/// One problem found in the config.
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    /// Whether the config is refused.
    pub severity: Severity,
    /// A stable machine-readable name (`builtin_invalid`, `intercom_entry_skipped`, …).
    pub code: &'static str,
    /// Where the problem is.
    pub path: JsonPath,
    /// What is wrong, in the SDK's words where it has some.
    pub message: String,
}

impl Issue {
    fn error(code: &'static str, path: JsonPath, message: impl Into<String>) -> Issue {
        Issue { severity: Severity::Error, code, path, message: message.into() }
    }

    fn warning(code: &'static str, path: JsonPath, message: impl Into<String>) -> Issue {
        Issue { severity: Severity::Warning, code, path, message: message.into() }
    }
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

// ---------------------------------------------------------------------------------------------
// The parsed model
// ---------------------------------------------------------------------------------------------

/// The three built-in detectors of the catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BuiltinKind {
    /// `canonical_url_ping_pong`.
    PingPong,
    /// `user_page_dwell`.
    Dwell,
    /// `section_playbook_match`.
    SectionPlaybook,
}

impl BuiltinKind {
    /// The detector a catalog id names.
    pub fn from_id(id: &str) -> Option<BuiltinKind> {
        match id {
            PING_PONG_ID => Some(BuiltinKind::PingPong),
            DWELL_ID => Some(BuiltinKind::Dwell),
            SECTION_PLAYBOOK_ID => Some(BuiltinKind::SectionPlaybook),
            _ => None,
        }
    }

    /// The catalog id.
    pub fn id(self) -> &'static str {
        match self {
            BuiltinKind::PingPong => PING_PONG_ID,
            BuiltinKind::Dwell => DWELL_ID,
            BuiltinKind::SectionPlaybook => SECTION_PLAYBOOK_ID,
        }
    }
}

/// One registry slot: a catalog trigger wrapped with its timings and triggering type.
#[derive(Debug, Clone, PartialEq)]
pub struct BuiltinSpec {
    /// Which detector.
    pub kind: BuiltinKind,
    /// Display name from the row (the catalog name for the default registry).
    pub name: String,
    /// Description from the row.
    pub description: String,
    /// The result's interaction timeout (it does not reach the session state machine).
    pub interaction_timeout_s: f64,
    /// The result's cooldown (it does not reach the session state machine).
    pub cooldown_s: f64,
    /// `instant_trigger` or `llm_judge_validation`.
    pub triggering_type: &'static str,
}

impl BuiltinSpec {
    /// The catalog id of the trigger.
    pub fn trigger_id(&self) -> &'static str {
        self.kind.id()
    }

    /// `default_proactive_trigger_registry()`: ping-pong only, catalog defaults, gated.
    pub fn default_registry() -> Vec<BuiltinSpec> {
        vec![BuiltinSpec {
            kind: BuiltinKind::PingPong,
            name: "URL ping-pong (hesitation)".into(),
            description: String::new(),
            interaction_timeout_s: DEFAULT_RESULT_TIMEOUT_S,
            cooldown_s: DEFAULT_RESULT_COOLDOWN_S,
            triggering_type: TRIGGERING_TYPE_LLM_JUDGE,
        }]
    }
}

/// One `tour_registry` entry. Timings are kept as written: the SDK does no coercion, and a
/// `null` or a string only breaks `tick()` later.
#[derive(Debug, Clone, PartialEq)]
pub struct TourDefinition {
    /// The chip id the entry belongs to.
    pub id: Value,
    /// The tour provider's flow id (`None` when missing or `null`).
    pub user_tour_id: Option<Value>,
    /// The tour's name (`None` when missing or `null`).
    pub user_tour_name: Option<Value>,
    /// Interaction timeout while the tour runs, as written.
    pub interaction_timeout_s: Value,
    /// Cooldown after the tour, as written.
    pub cooldown_period_s: Value,
}

/// `parse_tour_registry`: the list form, with the module defaults 20 / 120.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TourRegistry {
    /// The row's product key.
    pub product_id: String,
    /// The entries with an `id`, in list order.
    pub tours: Vec<TourDefinition>,
}

impl TourRegistry {
    /// `get_by_user_tour_id`: the first tour whose provider flow id equals `flow` (Python
    /// `==`); a falsy flow finds nothing.
    pub fn get_by_user_tour_id(&self, flow: &Value) -> Option<&TourDefinition> {
        if !py::is_truthy(flow) {
            return None;
        }
        self.tours.iter().find(|t| t.user_tour_id.as_ref().is_some_and(|u| py::py_eq(u, flow)))
    }

    /// `get`: the first tour whose chip id equals `id`.
    pub fn get(&self, id: &Value) -> Option<&TourDefinition> {
        self.tours.iter().find(|t| py::py_eq(&t.id, id))
    }
}

/// A criteria tree node of a v2 `proactive_intercom` entry (parsed, never evaluated by the SDK).
#[derive(Debug, Clone, PartialEq)]
pub enum Criteria {
    /// A condition: id, name and the `type` string (which nothing evaluates).
    Leaf {
        /// The node id, as written.
        id: Value,
        /// The node name, as written.
        name: Value,
        /// The `type` string, as written.
        leaf_type: Value,
    },
    /// `AND` / `OR` over child nodes.
    Group {
        /// The node id, as written; the top-level one links the chips to a trigger.
        id: Value,
        /// The node name, as written.
        name: Value,
        /// `AND` or `OR`.
        operator: String,
        /// The child nodes (at least one).
        conditions: Vec<Criteria>,
    },
}

impl Criteria {
    /// The node's `id` as written.
    pub fn id(&self) -> &Value {
        match self {
            Criteria::Leaf { id, .. } | Criteria::Group { id, .. } => id,
        }
    }
}

/// One chip of a v2 entry (`TriggerMessage`), values as written.
#[derive(Debug, Clone, PartialEq)]
pub struct TriggerMessage {
    /// Chip id.
    pub id: Value,
    /// Chip label.
    pub label: Value,
    /// Whether the chip offers a tour (as written).
    pub user_tour_exists: Value,
    /// The tour's flow id (as written, `null` when missing).
    pub user_tour_id: Value,
}

/// A `proactive_intercom` list entry the strict v2 parser accepted (`ProactiveTriggerConfig`).
#[derive(Debug, Clone, PartialEq)]
pub struct TriggerConfig {
    /// Index of the entry in the `proactive_intercom` list.
    pub index: usize,
    /// Entry id.
    pub id: Value,
    /// Entry name.
    pub name: Value,
    /// The criteria tree; its top-level id links the chips to a trigger.
    pub criteria: Criteria,
    /// One to three chips.
    pub messages: Vec<TriggerMessage>,
}

/// A chip row from the flattening parser (`parse_proactive_intercom_messages`).
#[derive(Debug, Clone, PartialEq)]
pub struct MessageRow {
    /// `str(id).strip()`, or `msg_<index>` when blank.
    pub id: String,
    /// `str(label).strip()` (never blank).
    pub label: String,
    /// Whether tapping the chip offers a tour.
    pub user_tour_exists: bool,
    /// The flow id, stripped (`None` when blank).
    pub user_tour_id: Option<String>,
}

/// The `proactive_triggers` keys the simulator reads.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TriggerTuning {
    /// `EXTRA_KEYS` present in `proactive_triggers`, in `EXTRA_KEYS` order, values as written.
    pub extra: Vec<(&'static str, Value)>,
    /// `mode == "ping_pong_only"` exactly.
    pub ping_pong_only: bool,
    /// `section_url_rules` when it is a non-empty array.
    pub section_rules: Option<Vec<Value>>,
    /// `section_url_fallback_id` as written (`null` when absent).
    pub section_fallback: Value,
    /// Each rule of `section_rules` as `build_product_section_playbook` reads it: `(prefix,
    /// section id)` stripped, `None` for a rule with a blank prefix or id (skipped), or the
    /// exception the SDK raises when it reaches that rule.
    pub section_rule_specs: Vec<Result<Option<(String, String)>, SdkRaise>>,
    /// The section of a URL no rule matches: `str(fallback).strip()`, else `other`.
    pub section_fallback_id: String,
}

impl TriggerTuning {
    /// The value of one of [`EXTRA_KEYS`], as written.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.extra.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }
}

/// A Python exception the SDK would raise when it uses a value (e.g. `AttributeError: 'int'
/// object has no attribute 'strip'`).
pub type SdkRaise = String;

/// One product row, parsed once.
#[derive(Debug, Clone, PartialEq)]
pub struct ProductRow {
    /// Position in the config array (0 for a single-object config).
    pub index: usize,
    /// `str(product_id).strip()`, `""` when missing.
    pub key: String,
    /// The row's `integration_config` as written (empty when missing or not an object).
    pub integration_config: Map<String, Value>,
    /// The session interaction timeout in seconds.
    pub interaction_timeout_s: f64,
    /// The session cooldown as written (an integer stays an integer).
    pub cooldown_period_s: Value,
    /// The registry in priority order: the `builtins` rows, or the default registry.
    pub registry: Vec<BuiltinSpec>,
    /// Whether `builtins` was missing or empty, so the registry is the default one.
    pub registry_is_default: bool,
    /// The `proactive_triggers` tuning the detectors read.
    pub tuning: TriggerTuning,
    /// `parse_tour_registry`: `None` unless `tour_registry` is a list.
    pub tour_registry: Option<TourRegistry>,
    /// `parse_proactive_trigger_configs`: the v2 entries the strict parser accepts.
    pub trigger_configs: Vec<TriggerConfig>,
    /// `parse_proactive_intercom_messages`: `Ok(None)` when there are no chips.
    pub message_rows: Result<Option<Vec<MessageRow>>, SdkRaise>,
    /// `tour_offer_quick_reply_body`.
    pub tour_offer_body: Result<String, SdkRaise>,
    /// The objects of the row as written, for the linter's trap warnings.
    pub(crate) source: RowSource,
}

impl ProductRow {
    /// The session cooldown as a number of seconds.
    pub fn cooldown_period_f64(&self) -> f64 {
        py::as_number(&self.cooldown_period_s).unwrap_or(DEFAULT_COOLDOWN_PERIOD_S)
    }

    /// `find_trigger_config_by_criteria`: the first accepted entry whose top-level criteria id
    /// equals `trigger_id`.
    pub fn config_for_trigger(&self, trigger_id: &str) -> Option<&TriggerConfig> {
        self.trigger_configs.iter().find(|c| c.criteria.id().as_str() == Some(trigger_id))
    }
}

/// What the parser met in one row besides what the engine uses: each object it walked, by its
/// place in the schema, with its members as written. `triggers validate` finds its traps here
/// rather than walking the document a second time.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct RowSource {
    /// Where the row sits (`$` for a single-row config).
    pub(crate) path: JsonPath,
    /// The row object's members; an object `integration_config` is here empty (its contents
    /// are [`ProductRow::integration_config`]).
    pub(crate) members: Map<String, Value>,
    pub(crate) builtins: BuiltinsSource,
    pub(crate) intercom: IntercomSource,
    /// The object entries of a `tour_registry` list, whether the SDK keeps them or not.
    pub(crate) tour_entries: Vec<ListItem>,
}

/// An object in a list, with its index there.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct ListItem {
    pub(crate) index: usize,
    pub(crate) members: Map<String, Value>,
}

/// `proactive_triggers.builtins` as written.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) enum BuiltinsSource {
    /// Missing or `null`: the default registry.
    #[default]
    Absent,
    /// `[]`: the default registry too.
    Empty,
    /// The object rows of a non-empty list (other items are errors), each with the trigger id
    /// when the SDK accepts the row.
    Rows(Vec<(ListItem, Option<&'static str>)>),
    /// Not a list (an error).
    NotList,
}

/// `integration_config.proactive_intercom` as written.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) enum IntercomSource {
    /// Missing or `null`.
    #[default]
    Absent,
    /// The object entries of the list form (the accepted ones are also in
    /// [`ProductRow::trigger_configs`], by index).
    List(Vec<ListItem>),
    /// The legacy object form.
    Legacy(Map<String, Value>),
    /// Anything else, which the SDK ignores.
    Other(Value),
}

/// Everything [`parse_products`] found.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ParsedConfig {
    /// The rows that are objects, in config order.
    pub rows: Vec<ProductRow>,
    /// Every problem, in the order the parser met them.
    pub issues: Vec<Issue>,
    /// How many items the config list holds (objects or not); `None` for a single-row object.
    pub(crate) listed_rows: Option<usize>,
}

impl ParsedConfig {
    /// Whether any issue is an error.
    pub fn has_errors(&self) -> bool {
        self.issues.iter().any(|i| i.severity == Severity::Error)
    }

    /// The errors, in order.
    pub fn errors(&self) -> impl Iterator<Item = &Issue> {
        self.issues.iter().filter(|i| i.severity == Severity::Error)
    }

    /// The warnings, in order.
    pub fn warnings(&self) -> impl Iterator<Item = &Issue> {
        self.issues.iter().filter(|i| i.severity == Severity::Warning)
    }

    /// The row for an event's product id (`str(pid).strip()`; first row wins on duplicates).
    pub fn row_for(&self, product_id: &str) -> Option<&ProductRow> {
        let key = py::strip(product_id);
        self.rows.iter().find(|r| r.key == key)
    }
}

/// Why a config file could not be read as JSON at all.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("invalid JSON at line {line}, column {column}: {message}")]
pub struct JsonSyntaxError {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in bytes (as `serde_json` counts).
    pub column: usize,
    /// `serde_json`'s message without its position.
    pub message: String,
}

/// Parses the text of a `products.json`.
pub fn parse_products_str(text: &str) -> Result<ParsedConfig, JsonSyntaxError> {
    let value: Value = serde_json::from_str(text).map_err(|e| JsonSyntaxError {
        line: e.line(),
        column: e.column(),
        message: strip_position(&e.to_string()),
    })?;
    Ok(parse_document(value))
}

fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// Parses a `products.json` document: an array of rows, or one row object.
pub fn parse_products(doc: &Value) -> ParsedConfig {
    parse_document(doc.clone())
}

/// [`parse_products`] of a document it may take apart: each row keeps its own parts of the
/// document rather than copies, so a large config is held once, not twice.
fn parse_document(doc: Value) -> ParsedConfig {
    let mut out = ParsedConfig::default();
    let root = JsonPath::root();
    match doc {
        Value::Object(row) => {
            if let Some(parsed) = parse_row(row, 0, root, &mut out.issues) {
                out.rows.push(parsed);
            }
        }
        Value::Array(rows) => {
            out.listed_rows = Some(rows.len());
            out.rows.reserve_exact(rows.len());
            if rows.is_empty() {
                out.issues.push(Issue::error("no_rows", root.clone(), "config holds no product rows"));
            }
            for (i, row) in rows.into_iter().enumerate() {
                out.rows.extend(parse_listed_row(row, i, &mut out.issues));
            }
        }
        other => out.issues.push(Issue::error(
            "config_not_array",
            root,
            format!("expected a JSON array of product rows or one product row object, got {}", py::type_name(&other)),
        )),
    }
    out
}

/// The items of a config array, each as its own text, so that a large config can be parsed
/// row by row (and on several threads) rather than as one document. `None` when the text is
/// not a non-empty JSON array: [`parse_products_str`] then says what it is.
pub(crate) fn split_listed_rows(text: &str) -> Option<Vec<&serde_json::value::RawValue>> {
    let rows: Vec<&serde_json::value::RawValue> = serde_json::from_str(text).ok()?;
    (!rows.is_empty()).then_some(rows)
}

/// Item `index` of a config array: its row when it is an object. Its issues go to `issues`,
/// exactly as [`parse_products_str`] reports them for that item.
pub(crate) fn parse_listed_row(item: Value, index: usize, issues: &mut Vec<Issue>) -> Option<ProductRow> {
    let path = JsonPath::root().index(index);
    match item {
        Value::Object(obj) => parse_row(obj, index, path, issues),
        other => {
            issues.push(Issue::error(
                "row_not_object",
                path,
                format!("product row {index} must be a JSON object, got {}", py::type_name(&other)),
            ));
            None
        }
    }
}

fn parse_row(mut row: Map<String, Value>, index: usize, path: JsonPath, issues: &mut Vec<Issue>) -> Option<ProductRow> {
    let key = match row.get("product_id") {
        None | Some(Value::Null) => String::new(),
        Some(v) => py::strip(&py::str_of(v)).to_string(),
    };
    let ic_path = path.key("integration_config");
    // An object integration_config moves into the row whole; the row's own members keep an
    // empty object in its place.
    let integration_config = match row.get_mut("integration_config") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(m)) => std::mem::take(m),
        Some(other) => {
            issues.push(Issue::error(
                "not_object",
                ic_path.clone(),
                format!("integration_config must be a JSON object, got {}", py::type_name(other)),
            ));
            Map::new()
        }
    };
    let ic = &integration_config;
    let pt_path = ic_path.key("proactive_triggers");
    let empty = Map::new();
    let pt = match ic.get("proactive_triggers") {
        None | Some(Value::Null) => &empty,
        Some(Value::Object(m)) => m,
        Some(other) => {
            issues.push(Issue::error(
                "not_object",
                pt_path.clone(),
                format!("proactive_triggers must be a JSON object, got {}", py::type_name(other)),
            ));
            &empty
        }
    };

    // Registry.
    let builtins_path = pt_path.key("builtins");
    let (registry, registry_is_default, builtins_source) = match pt.get("builtins") {
        None | Some(Value::Null) => (BuiltinSpec::default_registry(), true, BuiltinsSource::Absent),
        Some(Value::Array(rows)) if rows.is_empty() => (BuiltinSpec::default_registry(), true, BuiltinsSource::Empty),
        Some(Value::Array(rows)) => {
            let mut specs = Vec::new();
            let mut source = Vec::new();
            for (i, b) in rows.iter().enumerate() {
                let parsed = parse_builtin_row(i, b);
                if let Some(members) = b.as_object() {
                    let trigger_id = parsed.as_ref().ok().map(BuiltinSpec::trigger_id);
                    source.push((ListItem { index: i, members: members.clone() }, trigger_id));
                }
                match parsed {
                    Ok(spec) => specs.push(spec),
                    Err(errors) => {
                        for (field, message) in errors {
                            let p = match field {
                                Some(f) => builtins_path.index(i).key(f),
                                None => builtins_path.index(i),
                            };
                            issues.push(Issue::error("builtin_invalid", p, message));
                        }
                    }
                }
            }
            (specs, false, BuiltinsSource::Rows(source))
        }
        Some(other) => {
            issues.push(Issue::error(
                "builtins_not_list",
                builtins_path,
                format!("proactive_triggers.builtins must be a list, got {}", py::type_name(other)),
            ));
            (Vec::new(), false, BuiltinsSource::NotList)
        }
    };

    // Session-level FSM timings.
    let timeout = session_number(ic, "interaction_timeout_s", DEFAULT_INTERACTION_TIMEOUT_S, &ic_path, issues);
    let cooldown = session_number(ic, "cooldown_period_s", DEFAULT_COOLDOWN_PERIOD_S, &ic_path, issues);

    let tuning = TriggerTuning {
        extra: EXTRA_KEYS.iter().filter_map(|k| pt.get(*k).map(|v| (*k, v.clone()))).collect(),
        ping_pong_only: pt.get("mode").and_then(Value::as_str) == Some("ping_pong_only"),
        section_rules: match pt.get("section_url_rules") {
            Some(Value::Array(rules)) if !rules.is_empty() => Some(rules.clone()),
            _ => None,
        },
        section_fallback: pt.get("section_url_fallback_id").cloned().unwrap_or(Value::Null),
        section_rule_specs: Vec::new(),
        section_fallback_id: String::new(),
    };
    let tuning = TriggerTuning {
        section_rule_specs: tuning.section_rules.iter().flatten().map(section_rule_spec).collect(),
        section_fallback_id: match &tuning.section_fallback {
            Value::Null => "other".to_string(),
            other => {
                Some(py::strip(&py::str_of(other)).to_string()).filter(|s| !s.is_empty()).unwrap_or("other".into())
            }
        },
        ..tuning
    };

    let tour_registry = parse_tour_registry(ic, &key, &ic_path.key("tour_registry"), issues);
    let trigger_configs = parse_trigger_configs(ic, &ic_path.key("proactive_intercom"), issues);
    let message_rows = parse_message_rows(ic);
    let tour_offer_body = tour_offer_body(ic);
    let source = RowSource {
        members: row,
        builtins: builtins_source,
        intercom: intercom_source(ic),
        tour_entries: match ic.get("tour_registry") {
            Some(Value::Array(entries)) => object_items(entries),
            _ => Vec::new(),
        },
        path,
    };

    Some(ProductRow {
        index,
        key,
        interaction_timeout_s: py::as_number(&timeout).unwrap_or(DEFAULT_INTERACTION_TIMEOUT_S),
        cooldown_period_s: cooldown,
        registry,
        registry_is_default,
        tuning,
        tour_registry,
        trigger_configs,
        message_rows,
        tour_offer_body,
        integration_config,
        source,
    })
}

/// The object items of a list, with their indexes.
fn object_items(items: &[Value]) -> Vec<ListItem> {
    let objects = items.iter().enumerate().filter_map(|(index, item)| Some((index, item.as_object()?)));
    objects.map(|(index, members)| ListItem { index, members: members.clone() }).collect()
}

/// `proactive_intercom` as written.
fn intercom_source(ic: &Map<String, Value>) -> IntercomSource {
    match ic.get("proactive_intercom") {
        None | Some(Value::Null) => IntercomSource::Absent,
        Some(Value::Array(entries)) => IntercomSource::List(object_items(entries)),
        Some(Value::Object(legacy)) => IntercomSource::Legacy(legacy.clone()),
        Some(other) => IntercomSource::Other(other.clone()),
    }
}

fn session_number(ic: &Map<String, Value>, key: &str, default: f64, path: &JsonPath, issues: &mut Vec<Issue>) -> Value {
    match ic.get(key) {
        None | Some(Value::Null) => Value::from(default),
        Some(Value::Number(n)) if n.as_f64().is_some_and(f64::is_finite) => Value::Number(n.clone()),
        Some(other) => {
            issues.push(Issue::error(
                "timing_not_number",
                path.key(key),
                format!("integration_config.{key} must be a number, got {}", py::repr(other)),
            ));
            Value::from(default)
        }
    }
}

/// One `section_url_rules` entry as the section playbook builder reads it.
fn section_rule_spec(rule: &Value) -> Result<Option<(String, String)>, SdkRaise> {
    let Some(obj) = rule.as_object() else {
        return Err(format!("AttributeError: '{}' object has no attribute 'get'", py::type_name(rule)));
    };
    let prefix = py::or_empty_strip(obj.get("prefix"))?;
    let section = py::or_empty_strip(obj.get("section_id"))?;
    Ok(if prefix.is_empty() || section.is_empty() { None } else { Some((prefix.to_string(), section.to_string())) })
}

// ---------------------------------------------------------------------------------------------
// builtins rows (registry_from_builtin_specs)
// ---------------------------------------------------------------------------------------------

/// Validates one `builtins` row with the SDK's rules. On failure returns every problem of the
/// row as `(field, message)`, in the SDK's check order: the first one is the SDK's message.
fn parse_builtin_row(i: usize, row: &Value) -> Result<BuiltinSpec, Vec<(Option<&'static str>, String)>> {
    let Some(obj) = row.as_object() else {
        return Err(vec![(
            None,
            format!("builtin trigger spec row {i} must be a JSON object, got {}", py::type_name(row)),
        )]);
    };
    let mut errors: Vec<(Option<&'static str>, String)> = Vec::new();
    let mut text_field = |field: &'static str| -> Option<String> {
        let value = obj.get(field).unwrap_or(&Value::Null);
        match value {
            Value::String(s) if !py::strip(s).is_empty() => Some(py::strip(s).to_string()),
            Value::String(_) => {
                errors.push((
                    Some(field),
                    format!("builtin trigger spec row {i} must include non-empty string '{field}'"),
                ));
                None
            }
            other => {
                errors.push((
                    Some(field),
                    format!(
                        "builtin trigger spec row {i} field '{field}' must be a string, got {}",
                        py::type_name(other)
                    ),
                ));
                None
            }
        }
    };
    let id = text_field("id");
    let name = text_field("name");
    let description = text_field("description");
    let kind = match &id {
        Some(id) => match BuiltinKind::from_id(id) {
            Some(kind) => Some(kind),
            None => {
                errors.push((
                    Some("id"),
                    format!(
                        "unknown proactive builtin trigger id {}; known ids: [{}]",
                        py::str_repr(id),
                        CATALOG_IDS.iter().map(|c| py::str_repr(c)).collect::<Vec<_>>().join(", ")
                    ),
                ));
                None
            }
        },
        None => None,
    };
    let mut timing = |field: &'static str, default: f64| -> f64 {
        match obj.get(field) {
            None | Some(Value::Null) => default,
            Some(value) => match py::float_of(value) {
                Ok(f) if f <= 0.0 => {
                    errors.push((
                        Some(field),
                        format!("builtin trigger spec field '{field}' must be > 0, got {}", py::repr(value)),
                    ));
                    default
                }
                Ok(f) => f,
                Err(_) => {
                    errors.push((
                        Some(field),
                        format!(
                            "builtin trigger spec field '{field}' must be a positive number, got {}",
                            py::repr(value)
                        ),
                    ));
                    default
                }
            },
        }
    };
    let interaction_timeout_s = timing("interaction_timeout_s", DEFAULT_RESULT_TIMEOUT_S);
    let cooldown_s = timing("cooldown_s", DEFAULT_RESULT_COOLDOWN_S);
    let triggering_type = match obj.get("triggering_type") {
        None | Some(Value::Null) => Some(TRIGGERING_TYPE_LLM_JUDGE),
        Some(Value::String(s)) => match py::strip(s) {
            TRIGGERING_TYPE_INSTANT => Some(TRIGGERING_TYPE_INSTANT),
            TRIGGERING_TYPE_LLM_JUDGE => Some(TRIGGERING_TYPE_LLM_JUDGE),
            other => {
                errors.push((
                    Some("triggering_type"),
                    format!(
                        "builtin trigger spec row {i} triggering_type must be 'instant_trigger' or 'llm_judge_validation', got {}",
                        py::str_repr(other)
                    ),
                ));
                None
            }
        },
        Some(_) => {
            errors.push((
                Some("triggering_type"),
                format!("builtin trigger spec row {i} field 'triggering_type' must be a string"),
            ));
            None
        }
    };
    match (kind, name, description, triggering_type) {
        (Some(kind), Some(name), Some(description), Some(triggering_type)) if errors.is_empty() => {
            Ok(BuiltinSpec { kind, name, description, interaction_timeout_s, cooldown_s, triggering_type })
        }
        _ => Err(errors),
    }
}

// ---------------------------------------------------------------------------------------------
// tour_registry (parse_tour_registry)
// ---------------------------------------------------------------------------------------------

fn parse_tour_registry(
    ic: &Map<String, Value>,
    product_key: &str,
    path: &JsonPath,
    issues: &mut Vec<Issue>,
) -> Option<TourRegistry> {
    let Some(Value::Array(entries)) = ic.get("tour_registry") else {
        if let Some(other) = ic.get("tour_registry").filter(|v| !v.is_null()) {
            issues.push(Issue::warning(
                "tour_registry_ignored",
                path.clone(),
                format!("tour_registry must be a list; the SDK ignores a {}", py::type_name(other)),
            ));
        }
        return None;
    };
    let mut tours = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let Some(obj) = entry.as_object() else {
            issues.push(Issue::warning(
                "tour_entry_skipped",
                path.index(i),
                format!("tour registry entry is a {}, not an object; the SDK will ignore it", py::type_name(entry)),
            ));
            continue;
        };
        let Some(id) = obj.get("id") else {
            issues.push(Issue::warning(
                "tour_entry_skipped",
                path.index(i),
                "tour registry entry has no 'id'; the SDK will ignore it",
            ));
            continue;
        };
        let timing = |key: &str, default: f64| obj.get(key).cloned().unwrap_or_else(|| Value::from(default));
        tours.push(TourDefinition {
            id: id.clone(),
            user_tour_id: obj.get("user_tour_id").filter(|v| !v.is_null()).cloned(),
            user_tour_name: obj.get("user_tour_name").filter(|v| !v.is_null()).cloned(),
            interaction_timeout_s: timing("interaction_timeout_s", TOUR_DEFAULT_INTERACTION_TIMEOUT_S),
            cooldown_period_s: timing("cooldown_period_s", TOUR_DEFAULT_COOLDOWN_PERIOD_S),
        });
    }
    Some(TourRegistry { product_id: product_key.to_string(), tours })
}

// ---------------------------------------------------------------------------------------------
// proactive_intercom: the strict v2 parser (parse_proactive_trigger_configs)
// ---------------------------------------------------------------------------------------------

fn parse_trigger_configs(ic: &Map<String, Value>, path: &JsonPath, issues: &mut Vec<Issue>) -> Vec<TriggerConfig> {
    let Some(Value::Array(entries)) = ic.get("proactive_intercom") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        match parse_trigger_config(i, entry) {
            Ok(config) => out.push(config),
            Err((sub, reason)) => {
                issues.push(Issue::warning(
                    "intercom_entry_skipped",
                    path.index(i).join(&sub),
                    format!("proactive_intercom entry {i} will be ignored by the SDK: {reason}"),
                ));
            }
        }
    }
    out
}

type EntryError = (JsonPath, String);

/// `ProactiveTriggerConfig.from_dict`, accepting exactly what the SDK accepts.
fn parse_trigger_config(index: usize, entry: &Value) -> Result<TriggerConfig, EntryError> {
    let here = JsonPath::root();
    let Some(obj) = entry.as_object() else {
        return Err((here, format!("an entry must be an object, got {}", py::type_name(entry))));
    };
    let required = |key: &str| obj.get(key).ok_or_else(|| (JsonPath::root(), format!("missing key '{key}'")));
    let id = required("id")?.clone();
    let name = required("name")?.clone();
    let criteria = parse_criteria(required("proactive_criteria")?, &here.key("proactive_criteria"))?;
    let messages_value = required("messages")?;
    let mpath = here.key("messages");
    let Value::Array(items) = messages_value else {
        return Err((mpath, format!("'messages' must be a list, got {}", py::type_name(messages_value))));
    };
    let mut messages = Vec::new();
    for (j, m) in items.iter().enumerate() {
        let Some(mo) = m.as_object() else {
            return Err((mpath.index(j), format!("a message must be an object, got {}", py::type_name(m))));
        };
        let mid = mo.get("id").ok_or_else(|| (mpath.index(j), "message is missing key 'id'".to_string()))?;
        let label = mo.get("label").ok_or_else(|| (mpath.index(j), "message is missing key 'label'".to_string()))?;
        let exists = mo.get("user_tour_exists").cloned().unwrap_or(Value::Bool(false));
        let tour_id = mo.get("user_tour_id").cloned().unwrap_or(Value::Null);
        if py::is_truthy(&exists) && !py::is_truthy(&tour_id) {
            return Err((
                mpath.index(j).key("user_tour_id"),
                format!("TriggerMessage {}: user_tour_id is required when user_tour_exists is True", py::repr(mid)),
            ));
        }
        messages.push(TriggerMessage {
            id: mid.clone(),
            label: label.clone(),
            user_tour_exists: exists,
            user_tour_id: tour_id,
        });
    }
    if messages.is_empty() {
        return Err((mpath, format!("ProactiveTriggerConfig {}: must have at least 1 message", py::repr(&id))));
    }
    if messages.len() > MAX_MESSAGES {
        return Err((
            mpath,
            format!("ProactiveTriggerConfig {}: max {MAX_MESSAGES} messages, got {}", py::repr(&id), messages.len()),
        ));
    }
    Ok(TriggerConfig { index, id, name, criteria, messages })
}

/// `criteria_from_dict`: a node with an `operator` key is a group.
fn parse_criteria(node: &Value, path: &JsonPath) -> Result<Criteria, EntryError> {
    let Some(obj) = node.as_object() else {
        return Err((path.clone(), format!("a criteria node must be an object, got {}", py::type_name(node))));
    };
    let show_id = || py::repr(obj.get("id").unwrap_or(&Value::Null));
    let key =
        |k: &str| obj.get(k).cloned().ok_or_else(|| (path.clone(), format!("criteria node is missing key '{k}'")));
    if obj.contains_key("operator") {
        let conditions = match obj.get("conditions") {
            Some(Value::Array(c)) if !c.is_empty() => c,
            _ => {
                return Err((
                    path.key("conditions"),
                    format!("CriteriaGroup {}: 'conditions' must be a non-empty list", show_id()),
                ));
            }
        };
        let id = key("id")?;
        let name = key("name")?;
        let operator = match obj.get("operator") {
            Some(Value::String(op)) if op == "AND" || op == "OR" => op.clone(),
            other => {
                return Err((
                    path.key("operator"),
                    format!(
                        "CriteriaGroup {}: operator must be 'AND' or 'OR', got {}",
                        show_id(),
                        py::repr(other.unwrap_or(&Value::Null))
                    ),
                ));
            }
        };
        let cpath = path.key("conditions");
        let conditions =
            conditions.iter().enumerate().map(|(i, c)| parse_criteria(c, &cpath.index(i))).collect::<Result<_, _>>()?;
        Ok(Criteria::Group { id, name, operator, conditions })
    } else {
        if !obj.contains_key("type") {
            return Err((path.clone(), format!("CriteriaLeaf {}: 'type' field is required for leaf nodes", show_id())));
        }
        Ok(Criteria::Leaf { id: key("id")?, name: key("name")?, leaf_type: obj["type"].clone() })
    }
}

// ---------------------------------------------------------------------------------------------
// proactive_intercom: the flattening parser (parse_proactive_intercom_messages)
// ---------------------------------------------------------------------------------------------

/// The legacy flatten: every chip row of every entry (list form) or of the legacy dict.
fn parse_message_rows(ic: &Map<String, Value>) -> Result<Option<Vec<MessageRow>>, SdkRaise> {
    let mut rows = Vec::new();
    match ic.get("proactive_intercom") {
        Some(Value::Array(entries)) => {
            for entry in entries {
                let Some(obj) = entry.as_object() else { continue };
                if let Some(items) = entry_messages(obj)? {
                    flatten_rows(items, &mut rows);
                }
            }
        }
        Some(Value::Object(legacy)) => match legacy.get("messages") {
            Some(Value::Array(items)) if !items.is_empty() => flatten_rows(items, &mut rows),
            _ => return Ok(None),
        },
        _ => return Ok(None),
    }
    Ok(if rows.is_empty() { None } else { Some(rows) })
}

/// The `messages` of one list-form `proactive_intercom` entry as the flatten iterates them:
/// the chip rows of a list, nothing for a falsy value, a dict or a string (iterating those
/// yields strings, which are dropped), and the `TypeError` for anything else.
pub(crate) fn entry_messages(entry: &Map<String, Value>) -> Result<Option<&[Value]>, SdkRaise> {
    match entry.get("messages") {
        Some(v) if !py::is_truthy(v) => Ok(None),
        None | Some(Value::Object(_)) | Some(Value::String(_)) => Ok(None),
        Some(Value::Array(items)) => Ok(Some(items)),
        Some(other) => Err(format!("TypeError: '{}' object is not iterable", py::type_name(other))),
    }
}

fn flatten_rows(items: &[Value], rows: &mut Vec<MessageRow>) {
    for (i, item) in items.iter().enumerate() {
        let Some(obj) = item.as_object() else { continue };
        let label = match obj.get("label") {
            Some(v) if py::is_truthy(v) => py::strip(&py::str_of(v)).to_string(),
            _ => String::new(),
        };
        if label.is_empty() {
            continue;
        }
        let id = match obj.get("id") {
            Some(v) if py::is_truthy(v) => py::strip(&py::str_of(v)).to_string(),
            _ => String::new(),
        };
        let id = if id.is_empty() { format!("msg_{i}") } else { id };
        let exists =
            if obj.contains_key("user_tour_exists") { obj.get("user_tour_exists") } else { obj.get("offers_tour") };
        let tour_raw = if obj.contains_key("user_tour_id") { obj.get("user_tour_id") } else { obj.get("flow_id") };
        let user_tour_id = match tour_raw {
            None | Some(Value::Null) => None,
            Some(v) => Some(py::strip(&py::str_of(v)).to_string()).filter(|s| !s.is_empty()),
        };
        rows.push(MessageRow { id, label, user_tour_exists: exists.is_some_and(py::is_truthy), user_tour_id });
    }
}

/// `tour_offer_quick_reply_body`.
fn tour_offer_body(ic: &Map<String, Value>) -> Result<String, SdkRaise> {
    let body = py::or_empty_strip(ic.get("tour_offer_body"))?;
    Ok(if body.is_empty() { TOUR_OFFER_QUICK_REPLY_BODY.to_string() } else { body.to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn row_errors(row: Value) -> Vec<String> {
        match parse_builtin_row(0, &row) {
            Ok(_) => Vec::new(),
            Err(e) => e.into_iter().map(|(_, m)| m).collect(),
        }
    }

    #[test]
    fn builtin_messages_match_the_sdk() {
        assert_eq!(
            row_errors(json!({"id": "user_page_dwell", "name": 1, "description": "d"}))[0],
            "builtin trigger spec row 0 field 'name' must be a string, got int"
        );
        assert_eq!(
            row_errors(json!({"id": "user_page_dwell", "description": "d"}))[0],
            "builtin trigger spec row 0 field 'name' must be a string, got NoneType"
        );
        assert_eq!(
            row_errors(json!({"id": "zzz", "name": "n", "description": "d", "cooldown_s": -1}))[0],
            "unknown proactive builtin trigger id 'zzz'; known ids: ['canonical_url_ping_pong', 'section_playbook_match', 'user_page_dwell']"
        );
        assert_eq!(
            row_errors(json!({"id": "user_page_dwell", "name": "n", "description": "d", "cooldown_s": "abc"}))[0],
            "builtin trigger spec field 'cooldown_s' must be a positive number, got 'abc'"
        );
        assert_eq!(
            row_errors(json!({"id": "user_page_dwell", "name": "n", "description": "d", "cooldown_s": false}))[0],
            "builtin trigger spec field 'cooldown_s' must be > 0, got False"
        );
        assert_eq!(
            row_errors(json!({"id": "user_page_dwell", "name": "n", "description": "d", "triggering_type": "  "}))[0],
            "builtin trigger spec row 0 triggering_type must be 'instant_trigger' or 'llm_judge_validation', got ''"
        );
        assert_eq!(
            row_errors(json!({"id": " ", "name": 5}))[0],
            "builtin trigger spec row 0 must include non-empty string 'id'"
        );
        let ok = parse_builtin_row(
            0,
            &json!({"id": " user_page_dwell ", "name": "n", "description": "d", "cooldown_s": "1_0", "triggering_type": " instant_trigger "}),
        )
        .unwrap();
        assert_eq!((ok.kind, ok.cooldown_s, ok.triggering_type), (BuiltinKind::Dwell, 10.0, TRIGGERING_TYPE_INSTANT));
    }

    #[test]
    fn every_row_error_has_a_path() {
        let doc = json!([{"product_id": "p", "integration_config": {"proactive_triggers": {"builtins": [
            {"id": "user_page_dwell", "name": "n", "description": "d"},
            {"id": "user_page_dwell", "name": "n", "description": "d", "triggering_type": "x"}]}}}]);
        let parsed = parse_products(&doc);
        let errors: Vec<String> = parsed.errors().map(|i| i.path.to_string()).collect();
        assert_eq!(errors, vec!["[0].integration_config.proactive_triggers.builtins[1].triggering_type"]);
        assert!(JsonPath::root().index(0).key("a b").to_string().ends_with("[\"a b\"]"));
    }

    #[test]
    fn two_intercom_parsers_differ() {
        let ic = json!({"proactive_intercom": [
            {"id": "t", "name": "n", "proactive_criteria": {"id": "c", "name": "n", "type": "x"},
             "messages": [{"id": "m", "label": " Go ", "user_tour_exists": true}]}
        ]});
        let ic = ic.as_object().unwrap();
        let mut issues = Vec::new();
        assert!(parse_trigger_configs(ic, &JsonPath::root(), &mut issues).is_empty());
        assert_eq!(issues.len(), 1);
        let rows = parse_message_rows(ic).unwrap().unwrap();
        assert_eq!(rows[0].label, "Go");
        assert!(rows[0].user_tour_exists);
        assert_eq!(rows[0].user_tour_id, None);
    }

    #[test]
    fn flatten_row_rules() {
        let ic = json!({"proactive_intercom": [{"messages": [
            {"label": "a", "user_tour_id": null, "flow_id": "f"},
            {"label": "b", "user_tour_id": 0, "flow_id": "f"},
            "x",
            {"label": "  "},
            {"label": "c", "user_tour_exists": null, "offers_tour": true, "flow_id": "f"},
            {"label": "d", "offers_tour": "false"}
        ]}, "str", {"messages": {"label": "x"}}]});
        let rows = parse_message_rows(ic.as_object().unwrap()).unwrap().unwrap();
        let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, vec!["msg_0", "msg_1", "msg_4", "msg_5"]);
        assert_eq!(rows[1].user_tour_id.as_deref(), Some("0"));
        assert_eq!(rows[0].user_tour_id, None);
        assert!(!rows[2].user_tour_exists);
        assert_eq!(rows[2].user_tour_id.as_deref(), Some("f"));
        assert!(rows[3].user_tour_exists, "the string \"false\" is truthy");
        assert!(parse_message_rows(json!({"proactive_intercom": [{"messages": 5}]}).as_object().unwrap()).is_err());
        assert_eq!(parse_message_rows(json!({"proactive_intercom": {"messages": []}}).as_object().unwrap()), Ok(None));
    }

    #[test]
    fn tour_registry_keeps_values_as_written() {
        let ic = json!({"tour_registry": ["x", {"user_tour_id": "f"}, {"id": 1, "user_tour_id": "g", "cooldown_period_s": null}]});
        let mut issues = Vec::new();
        let reg = parse_tour_registry(ic.as_object().unwrap(), "p", &JsonPath::root(), &mut issues).unwrap();
        assert_eq!(reg.tours.len(), 1);
        assert_eq!(issues.len(), 2);
        assert_eq!(reg.tours[0].cooldown_period_s, Value::Null);
        assert_eq!(reg.tours[0].interaction_timeout_s, json!(20.0));
        assert!(reg.get_by_user_tour_id(&json!("g")).is_some());
        assert!(reg.get_by_user_tour_id(&json!("")).is_none());
    }

    #[test]
    fn config_shape_errors() {
        assert!(parse_products(&json!(5)).has_errors());
        assert!(parse_products(&json!([])).has_errors());
        assert!(parse_products(&json!([1])).has_errors());
        assert!(parse_products(&json!({"integration_config": {"cooldown_period_s": "5"}})).has_errors());
        assert!(parse_products(&json!({"integration_config": {"proactive_triggers": {"builtins": [1]}}})).has_errors());
        let ok = parse_products(&json!({"product_id": 7, "integration_config": {"cooldown_period_s": null}}));
        assert!(!ok.has_errors());
        assert_eq!(ok.rows[0].key, "7");
        assert!(ok.rows[0].registry_is_default);
    }
}
