//! The `products.json` linter behind `autoplay triggers validate`: every problem, not just the
//! first, each with its JSON path and (given the text) its line and column.
//!
//! Two sources of problems:
//! - **The config parser** ([`crate::triggers::config::parse_products`]), the same one
//!   `simulate` loads configs with. Its errors are what the SDK refuses at load time, so
//!   `validate` and `simulate` refuse exactly the same configs (exit 2). Its warnings are
//!   entries the SDK skips silently (a `proactive_intercom` entry its strict parser rejects, a
//!   tour registry entry without an `id`).
//! - **Traps** found here (warnings), on top of what the parser read: things the SDK accepts but
//!   that do not do what they seem to: tour timings that do not inherit the session values,
//!   `min_cycles` (ignored), chips whose criteria id links to no builtin, tour chips with no
//!   `tour_registry` entry, criteria leaf types nothing evaluates, builtins that wait for an LLM
//!   judge by default, settings for a builtin that is not in the registry, values the SDK only
//!   trips over at run time, unknown keys (with a "did you mean"), duplicate keys. The known keys
//!   of each object are the parser's schema ([`Place`]).
//!
//! Keys whose name starts with `_comment` are comments: they are never reported. The SDK
//! ignores unknown keys in every object where a comment makes sense (rows, `integration_config`,
//! `proactive_triggers`, builtins rows, `proactive_intercom` entries, chips, criteria nodes,
//! tour entries), so `autoplay triggers init` writes its explanations that way.
//!
//! Pure: no I/O, nothing printed.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

use crate::json::path::{JsonPath, Segment};
use crate::json::pos::{self, Position, SourceMap};
use crate::py;
use crate::triggers::config::{
    self, BuiltinsSource, CATALOG_IDS, DWELL_ID, DWELL_KEYS, IC_KEYS, IntercomSource, PING_PONG_ID, PT_KEYS,
    ParsedConfig, Place, ProductRow, SECTION_KEYS, SECTION_PLAYBOOK_ID, Severity, TOUR_DEFAULT_COOLDOWN_PERIOD_S,
    TOUR_DEFAULT_INTERACTION_TIMEOUT_S, TRIGGERING_TYPE_INSTANT, TRIGGERING_TYPE_LLM_JUDGE, TriggerConfig,
};
use crate::triggers::detectors;
use rayon::prelude::*;

/// Which part of a member a problem points at: its key (unknown keys) or its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Anchor {
    Key,
    Value,
}

/// One problem in the config.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Problem {
    pub(crate) severity: Severity,
    /// A stable machine-readable name (`builtin_invalid`, `unknown_key`, …).
    pub(crate) code: &'static str,
    pub(crate) path: JsonPath,
    pub(crate) anchor: Anchor,
    pub(crate) message: String,
    /// What to do about it.
    pub(crate) hint: Option<String>,
    /// Line and column in the text, when the linter had the text.
    pub(crate) position: Option<Position>,
}

impl Problem {
    fn warning(code: &'static str, path: JsonPath, message: impl Into<String>) -> Problem {
        Problem {
            severity: Severity::Warning,
            code,
            path,
            anchor: Anchor::Value,
            message: message.into(),
            hint: None,
            position: None,
        }
    }

    fn at_key(mut self) -> Problem {
        self.anchor = Anchor::Key;
        self
    }

    fn hint(mut self, hint: impl Into<String>) -> Problem {
        self.hint = Some(hint.into());
        self
    }

    /// A value the engine raises on when it reaches it, as the SDK does. `raise` is the
    /// exception the engine's own reader of that value returned, so validate and simulate
    /// cannot disagree on which values raise.
    fn raises(path: JsonPath, what: impl std::fmt::Display, when: &str, raise: &str) -> Problem {
        Problem::warning(
            "sdk_raises",
            path,
            format!("{what}: {when}, `triggers simulate` stops with the SDK's {raise}"),
        )
    }
}

/// Everything the linter found, in text order.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Report {
    pub(crate) problems: Vec<Problem>,
}

impl Report {
    pub(crate) fn error_count(&self) -> usize {
        self.problems.iter().filter(|p| p.severity == Severity::Error).count()
    }

    pub(crate) fn warning_count(&self) -> usize {
        self.problems.iter().filter(|p| p.severity == Severity::Warning).count()
    }

    pub(crate) fn has_errors(&self) -> bool {
        self.error_count() > 0
    }

    /// `--strict`: every warning becomes an error.
    pub(crate) fn make_strict(&mut self) {
        for problem in &mut self.problems {
            problem.severity = Severity::Error;
        }
    }
}

/// Lints the text of a `products.json`: a file that is not JSON gives one error with the
/// position `serde_json` reports.
pub(crate) fn lint_text(text: &str) -> Report {
    lint_text_as(text, Parse::RowByRow)
}

/// How [`lint_text_as`] reads a config list.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Parse {
    /// Each row on its own, on every core, each freed once it is checked: a large config is
    /// never held whole, and the source map is built at the same time.
    RowByRow,
    /// The document at once (the only way for a single-row object or text that is not JSON).
    Whole,
}

pub(crate) fn lint_text_as(text: &str, parse: Parse) -> Report {
    let listed = match parse {
        Parse::RowByRow => config::split_listed_rows(text),
        Parse::Whole => None,
    };
    let (mut problems, map) = match listed {
        Some(items) => {
            let (problems, map) = rayon::join(|| lint_listed_rows(&items), || SourceMap::build(text));
            match problems {
                Some(problems) => (problems, map),
                // A row serde_json refuses on its own (nesting deeper than it allows) is
                // refused in the whole document as well, with the position to show.
                None => return lint_text_as(text, Parse::Whole),
            }
        }
        None => {
            let parsed = match config::parse_products_str(text) {
                Ok(parsed) => parsed,
                Err(err) => return Report { problems: vec![syntax_problem(text, &err)] },
            };
            let problems = lint_parsed(&parsed);
            // The rows are not needed past here; freeing them first keeps the peak of a large
            // config down to the rows or the source map, not both.
            drop(parsed);
            (problems, SourceMap::build(text))
        }
    };
    // serde_json accepted the text, so the scan succeeds; without a map the problems would
    // simply carry no position.
    if let Ok(map) = map {
        for duplicate in map.duplicate_keys() {
            let key = duplicate.last_key().unwrap_or_default().to_string();
            problems.push(
                Problem::warning(
                    "duplicate_key",
                    duplicate.clone(),
                    format!("key '{key}' appears more than once in this object; only the last value is used"),
                )
                .at_key()
                .hint("remove the earlier occurrences"),
            );
        }
        problems.par_iter_mut().with_min_len(4096).for_each(|problem| {
            problem.position = Some(
                match problem.anchor {
                    Anchor::Key => map.key_position(&problem.path),
                    Anchor::Value => map.value_position(&problem.path),
                }
                .unwrap_or_else(|| map.nearest_position(&problem.path)),
            );
        });
    }

    sort(&mut problems);
    Report { problems }
}

fn syntax_problem(text: &str, err: &config::JsonSyntaxError) -> Problem {
    let position = pos::position_from_serde(text, err.line, err.column);
    let hint = if text.starts_with('\u{feff}') {
        "the file starts with a byte order mark (BOM); save it as UTF-8 without one"
    } else if text.trim().is_empty() {
        "the file is empty; `autoplay triggers init` writes a starting config"
    } else {
        "JSON allows no comments, trailing commas or single quotes; use \"_comment\" keys for notes"
    };
    Problem {
        severity: Severity::Error,
        code: "json_syntax",
        path: JsonPath::root(),
        anchor: Anchor::Value,
        message: format!("not valid JSON: {}", err.message),
        hint: Some(hint.to_string()),
        position: Some(position),
    }
}

fn sort(problems: &mut [Problem]) {
    problems.sort_by(|a, b| {
        let pa = a.position.map(|p| (p.line, p.column));
        let pb = b.position.map(|p| (p.line, p.column));
        pa.cmp(&pb).then(b.severity.cmp(&a.severity)).then(a.path.cmp(&b.path))
    });
}

/// What the checks of one item of the config found.
struct RowFindings {
    /// Who the row is, for the checks across rows (`None` for an item that is not an object).
    identity: Option<RowIdentity>,
    /// The parser's problems, with hints.
    parser: Vec<Problem>,
    /// The traps, less those where the parser already reports a problem.
    traps: Vec<Problem>,
}

/// What the checks across rows read of a row.
struct RowIdentity {
    index: usize,
    key: String,
    names_product: bool,
    path: JsonPath,
}

/// The items of a config list, parsed and checked row by row on every core. `None` when
/// serde_json refuses an item on its own.
fn lint_listed_rows(items: &[&serde_json::value::RawValue]) -> Option<Vec<Problem>> {
    let findings = items
        .par_iter()
        .enumerate()
        .with_min_len(64)
        .map_init(Linter::new, |linter, (index, item)| {
            let item: Value = serde_json::from_str(item.get()).ok()?;
            // Inside the list a row sits one level deeper than on its own, so a row at the
            // deepest nesting serde_json allows alone is too deep in the document.
            if nesting_reaches(&item, MAX_ROW_NESTING) {
                return None;
            }
            let mut issues = Vec::new();
            let row = config::parse_listed_row(item, index, &mut issues);
            Some(linter.findings(row.as_ref(), &issues))
        })
        .collect::<Option<Vec<_>>>()?;
    Some(assemble(Vec::new(), findings, Some(items.len())))
}

/// The deepest a row may nest (counting its own object) for the document that lists it to
/// stay within serde_json's limit of 127 nested arrays and objects.
const MAX_ROW_NESTING: usize = 126;

/// Whether `value` nests more than `limit` arrays and objects deep.
fn nesting_reaches(value: &Value, limit: usize) -> bool {
    let deeper = |child: &Value| nesting_reaches(child, limit - 1);
    match value {
        Value::Array(items) => limit == 0 || items.iter().any(deeper),
        Value::Object(map) => limit == 0 || map.values().any(deeper),
        _ => false,
    }
}

/// The parser's problems (with hints), then the traps found in what it read. No positions.
fn lint_parsed(parsed: &ParsedConfig) -> Vec<Problem> {
    let mut linter = Linter::new();
    // Each issue goes with its row: in a list, the row whose index starts its path (the others
    // are about the list itself); a single-row object's are all its own.
    let mut by_row: HashMap<usize, Vec<config::Issue>> = HashMap::new();
    let mut global = Vec::new();
    for issue in &parsed.issues {
        match (parsed.listed_rows, issue.path.0.first()) {
            (None, _) => by_row.entry(0).or_default().push(issue.clone()),
            (Some(_), Some(Segment::Index(i))) => by_row.entry(*i).or_default().push(issue.clone()),
            (Some(_), _) => global.push(issue.clone()),
        }
    }
    let mut findings: Vec<RowFindings> = parsed
        .rows
        .iter()
        .map(|row| {
            let issues = by_row.remove(&row.index).unwrap_or_default();
            linter.findings(Some(row), &issues)
        })
        .collect();
    // Items that are not objects have issues but no row.
    let mut rest: Vec<(usize, Vec<config::Issue>)> = by_row.into_iter().collect();
    rest.sort_by_key(|(i, _)| *i);
    findings.extend(rest.into_iter().map(|(_, issues)| linter.findings(None, &issues)));
    assemble(global, findings, parsed.listed_rows)
}

/// Puts the findings of every row together, in the order the problems are ranked in when they
/// share a place: the parser's problems, the checks across rows, then the traps.
fn assemble(global: Vec<config::Issue>, findings: Vec<RowFindings>, listed: Option<usize>) -> Vec<Problem> {
    let across = match listed {
        Some(listed) => rows_across(&findings, listed),
        None => Vec::new(),
    };
    let mut problems: Vec<Problem> = global.iter().map(from_issue).collect();
    let mut traps = Vec::new();
    for row in findings {
        problems.extend(row.parser);
        traps.extend(row.traps);
    }
    problems.extend(across);
    problems.extend(traps);
    problems
}

/// Checks across the rows of a list: duplicate and missing product ids, except where the
/// parser already reports a problem.
fn rows_across(findings: &[RowFindings], listed: usize) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (row, parser) in findings.iter().filter_map(|f| Some((f.identity.as_ref()?, &f.parser))) {
        let (i, key, path) = (row.index, row.key.as_str(), &row.path);
        let mut found = Vec::new();
        if !row.names_product && listed > 1 {
            found.push(
                Problem::warning(
                    "product_id_missing",
                    path.clone(),
                    format!("product row {i} has no product_id; only events with an empty product_id use it"),
                )
                .hint("add \"product_id\""),
            );
        }
        if let Some(first) = seen.get(key) {
            found.push(
                Problem::warning(
                    "product_id_duplicate",
                    path.key("product_id"),
                    format!(
                        "product id '{key}' is also used by row {first}; the first row wins and this one is never used"
                    ),
                )
                .hint("give each row its own product_id"),
            );
        } else {
            seen.insert(key, i);
        }
        out.extend(found.into_iter().filter(|p| !parser.iter().any(|reported| reported.path == p.path)));
    }
    out
}

/// A catalog id close to `word`: a small edit away, or containing it (`dwell`, `ping_pong`).
fn suggest_builtin_id(word: &str) -> Option<&'static str> {
    let word = py::strip(word).to_lowercase();
    // A catalog id itself needs no suggestion (its row was refused for another reason).
    if word.len() < 4 || CATALOG_IDS.contains(&word.as_str()) {
        return None;
    }
    did_you_mean(&word, &CATALOG_IDS).or_else(|| {
        let normalized = word.replace(['-', ' '], "_");
        CATALOG_IDS.iter().copied().find(|id| id.contains(normalized.as_str()))
    })
}

fn from_issue(issue: &config::Issue) -> Problem {
    let field = issue.path.last_key().unwrap_or("");
    let hint = match (issue.code, field) {
        ("builtin_invalid", "triggering_type") => Some(format!(
            "write \"{TRIGGERING_TYPE_INSTANT}\" (deliver at once) or \"{TRIGGERING_TYPE_LLM_JUDGE}\" (wait for an LLM judge), or remove the key"
        )),
        ("builtin_invalid", "name" | "description") => {
            Some(format!("give \"{field}\" a non-empty string (it is shown in dashboards and logs)"))
        }
        ("builtin_invalid", "interaction_timeout_s" | "cooldown_s") => {
            Some("use a positive number of seconds, or remove the key for the default".to_string())
        }
        ("builtin_invalid", "id") => Some(format!("use one of: {}", CATALOG_IDS.join(", "))),
        ("builtin_invalid", _) => Some(
            "the SDK refuses the whole builtins list when one row is invalid; fix the row or remove it".to_string(),
        ),
        ("intercom_entry_skipped", _) => Some(
            "an entry needs id, name, proactive_criteria and 1 to 3 messages (each with id and label; a tour chip also needs user_tour_id)"
                .to_string(),
        ),
        ("tour_entry_skipped", _) => Some("a tour registry entry needs an \"id\" (the chip id)".to_string()),
        _ => None,
    };
    Problem {
        severity: issue.severity,
        code: issue.code,
        path: issue.path.clone(),
        anchor: Anchor::Value,
        message: issue.message.clone(),
        hint,
        position: None,
    }
}

// ---------------------------------------------------------------------------------------------
// Unknown keys
// ---------------------------------------------------------------------------------------------

/// Where a key belongs when it shows up at the wrong level.
fn home_of(key: &str) -> Option<&'static str> {
    if PT_KEYS.contains(&key) && key != "mode" {
        return Some("integration_config.proactive_triggers");
    }
    if IC_KEYS.contains(&key) && key != "mode" {
        return Some("integration_config");
    }
    if key == "integration_config" {
        return Some("the product row");
    }
    None
}

/// Keys that people write for their neighbour at another level.
fn alias_of(key: &str, known: &[&str]) -> Option<&'static str> {
    let alias = match key {
        "cooldown_period_s" | "cooldown" | "cooldown_seconds" => "cooldown_s",
        "cooldown_s" => "cooldown_period_s",
        "interaction_timeout" | "timeout_s" | "timeout" => "interaction_timeout_s",
        "offers_tour" => "user_tour_exists",
        "flow_id" | "tour_id" => "user_tour_id",
        "criteria" => "proactive_criteria",
        "chips" | "options" => "messages",
        "type" => "triggering_type",
        "text" | "title" => "label",
        _ => return None,
    };
    known.contains(&alias).then_some(alias)
}

fn is_comment_key(key: &str) -> bool {
    key.starts_with("_comment")
}

/// Levenshtein distance over characters, case-insensitive.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

/// The closest candidate within a distance that grows with the word's length.
fn did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let limit = match word.chars().count() {
        0..=4 => 1,
        5..=8 => 2,
        _ => 3,
    };
    let length = word.chars().count();
    candidates
        .iter()
        // The distance is at least the difference in length: skip what cannot be close.
        .filter(|c| c.chars().count().abs_diff(length) <= limit)
        .map(|c| (edit_distance(word, c), *c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// The message and hint for an unknown key `key` in `what`, whose known keys are `known`: a
/// likely intended key, else the object it belongs in, else the keys that are known here.
fn unknown_key_advice(key: &str, what: &str, known: &[&str]) -> (String, String) {
    if let Some(suggestion) = alias_of(key, known).or_else(|| did_you_mean(key, known)) {
        (
            format!("unknown key '{key}' in {what}; did you mean '{suggestion}'?"),
            format!("rename it to \"{suggestion}\""),
        )
    } else if let Some(home) = home_of(key) {
        (format!("key '{key}' does not belong in {what}; the SDK ignores it here"), format!("move it to {home}"))
    } else {
        (
            format!("unknown key '{key}' in {what}; the SDK ignores it"),
            format!("known keys here: {}; a key starting with \"_comment\" is a comment", known.join(", ")),
        )
    }
}

/// A number as JSON would hold it: `60`, `2.5`.
fn number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 { format!("{value:.0}") } else { format!("{value}") }
}

fn seconds(value: f64) -> String {
    format!("{} s", number(value))
}

fn describe(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 40 { format!("{}…", text.chars().take(40).collect::<String>()) } else { text }
}

// ---------------------------------------------------------------------------------------------
// The traps
// ---------------------------------------------------------------------------------------------

struct Linter {
    out: Vec<Problem>,
    /// Catalog ids close to an unknown builtin id, by the path of that id: the hint of the
    /// parser's error there.
    id_suggestions: Vec<(JsonPath, &'static str)>,
    /// [`unknown_key_advice`] by the object's place and the key.
    key_advice: HashMap<(&'static str, String), (String, String)>,
}

/// What the rest of a row's checks need to know about its registry.
struct RegistryView {
    /// Trigger ids of the registry in order (the default registry when `builtins` is absent).
    ids: Vec<&'static str>,
    ping_pong_only: bool,
}

impl RegistryView {
    fn contains(&self, id: &str) -> bool {
        self.ids.contains(&id)
    }

    /// Whether a hit of `id` can ever be delivered.
    fn can_fire(&self, id: &str) -> bool {
        self.contains(id) && (!self.ping_pong_only || id == PING_PONG_ID)
    }
}

impl Linter {
    fn new() -> Linter {
        Linter { out: Vec::new(), id_suggestions: Vec::new(), key_advice: HashMap::new() }
    }

    /// The findings of one item of the config: the parser's `issues` there and, for an object,
    /// the traps of its `row`.
    fn findings(&mut self, row: Option<&ProductRow>, issues: &[config::Issue]) -> RowFindings {
        if let Some(row) = row {
            self.row(row);
        }
        let mut parser: Vec<Problem> = issues.iter().map(from_issue).collect();
        let mut suggestions: HashMap<&JsonPath, &'static str> = HashMap::new();
        for (path, suggestion) in &self.id_suggestions {
            suggestions.entry(path).or_insert(suggestion);
        }
        for problem in &mut parser {
            if problem.code == "builtin_invalid"
                && let Some(suggestion) = suggestions.get(&problem.path)
            {
                problem.hint = Some(format!("did you mean '{suggestion}'?"));
            }
        }
        self.id_suggestions.clear();
        // The parser has the last word: no trap warning where it already reports a problem,
        // except that a value the engine raises on is always said to raise.
        let reported: HashSet<&JsonPath> = parser.iter().map(|p| &p.path).collect();
        let traps = self.out.drain(..).filter(|p| p.code == "sdk_raises" || !reported.contains(&p.path)).collect();
        RowFindings {
            identity: row.map(|row| RowIdentity {
                index: row.index,
                key: row.key.clone(),
                names_product: !row.source.members.get("product_id").is_none_or(Value::is_null),
                path: row.source.path.clone(),
            }),
            parser,
            traps,
        }
    }

    /// Keys of `object` that its place in the schema does not know (comments aside).
    fn unknown_keys(&mut self, object: &Map<String, Value>, path: &JsonPath, place: Place) {
        let known = || place.keys().iter().chain(place.unread_keys()).copied();
        for key in object.keys() {
            if known().any(|k| k == key) || is_comment_key(key) {
                continue;
            }
            // The same misspelling in every row gets the same advice; it is worked out once.
            let (message, hint) = self
                .key_advice
                .entry((place.name(), key.clone()))
                .or_insert_with(|| unknown_key_advice(key, place.name(), &known().collect::<Vec<_>>()));
            let mut problem = Problem::warning("unknown_key", path.key(key), message.clone()).at_key();
            problem.hint = Some(hint.clone());
            self.out.push(problem);
        }
    }

    fn row(&mut self, row: &ProductRow) {
        let path = &row.source.path;
        self.unknown_keys(&row.source.members, path, Place::Row);
        let Some(Value::Object(_)) = row.source.members.get("integration_config") else { return };
        let ic = &row.integration_config;
        let ic_path = path.key("integration_config");
        self.unknown_keys(ic, &ic_path, Place::IntegrationConfig);

        let registry = self.proactive_triggers(row, &ic_path.key("proactive_triggers"));

        if let Some(Value::Object(proactive)) = ic.get("proactive") {
            self.unknown_keys(proactive, &ic_path.key("proactive"), Place::Proactive);
        }
        if let Some(Value::String(body)) = ic.get("tour_offer_body")
            && py::strip(body).is_empty()
        {
            self.out.push(
                Problem::warning(
                    "tour_offer_body_blank",
                    ic_path.key("tour_offer_body"),
                    format!(
                        "tour_offer_body is blank, so tour offers use the default \"{}\"",
                        config::TOUR_OFFER_QUICK_REPLY_BODY
                    ),
                )
                .hint("write the question to ask, or remove the key"),
            );
        }
        if let (Err(raise), Some(body)) = (&row.tour_offer_body, ic.get("tour_offer_body")) {
            self.out.push(
                Problem::raises(
                    ic_path.key("tour_offer_body"),
                    format_args!("tour_offer_body is {}", py::type_name(body)),
                    "when a tour offer is built",
                    raise,
                )
                .hint("use a string"),
            );
        }
        if row.message_rows.is_err()
            && let Some(Value::Array(entries)) = ic.get("proactive_intercom")
        {
            // The flatten stops at the first entry whose messages it cannot iterate.
            let failed = entries.iter().enumerate().find_map(|(i, entry)| {
                let raise = config::entry_messages(entry.as_object()?).err()?;
                Some((i, raise))
            });
            if let Some((i, raise)) = failed {
                let messages = &entries[i]["messages"];
                self.out.push(
                    Problem::raises(
                        ic_path.key("proactive_intercom").index(i).key("messages"),
                        format_args!("messages is {}", py::type_name(messages)),
                        "when the user answers a proactive message",
                        &raise,
                    )
                    .hint("write a list of 1 to 3 chips"),
                );
            }
        }

        // Bools count as numbers here, like Python's arithmetic on them; the parser reports
        // them as errors.
        let session_timeout = ic.get("interaction_timeout_s").and_then(py::as_number).unwrap_or(20.0);
        let session_cooldown = ic.get("cooldown_period_s").and_then(py::as_number).unwrap_or(60.0);
        let tours = self.tour_registry(row, &ic_path.key("tour_registry"), session_timeout, session_cooldown);
        self.proactive_intercom(row, &ic_path.key("proactive_intercom"), &registry, tours.as_ref());
    }

    /// `proactive_triggers`: the builtins rows and the tuning keys. Returns the registry.
    fn proactive_triggers(&mut self, row: &ProductRow, path: &JsonPath) -> RegistryView {
        let empty = Map::new();
        let pt = row.integration_config.get("proactive_triggers").and_then(Value::as_object).unwrap_or(&empty);
        self.unknown_keys(pt, path, Place::ProactiveTriggers);
        let builtins_path = path.key("builtins");

        let ping_pong_only = row.tuning.ping_pong_only;
        if let Some(mode) = pt.get("mode").filter(|m| !m.is_null()) {
            let modes = ["default_registry", "ping_pong_only"];
            match mode.as_str() {
                Some(m) if modes.contains(&m) => {}
                other => {
                    let mut problem = Problem::warning(
                        "mode_unknown",
                        path.key("mode"),
                        format!(
                            "mode {} is neither \"default_registry\" nor \"ping_pong_only\"; it acts as \"default_registry\"",
                            describe(mode)
                        ),
                    );
                    if let Some(suggestion) = other.and_then(|m| did_you_mean(py::strip(m), &modes)) {
                        problem.message.push_str(&format!(" (did you mean \"{suggestion}\"?)"));
                        problem = problem.hint(format!("write exactly \"{suggestion}\" (the match is exact)"));
                    }
                    self.out.push(problem);
                }
            }
        }
        if let Some(registry) = pt.get("registry").filter(|r| !r.is_null())
            && registry.as_str() != Some("default")
        {
            self.out.push(
                Problem::warning(
                    "registry_unsupported",
                    path.key("registry"),
                    format!("registry must be omitted or \"default\", got {}", describe(registry)),
                )
                .hint("remove the key; list the triggers in \"builtins\""),
            );
        }

        match &row.source.builtins {
            // Only when proactive_triggers is there: a row without it may not use triggers.
            BuiltinsSource::Absent if !pt.is_empty() => {
                self.out.push(
                    Problem::warning(
                        "llm_judge_default",
                        path.clone(),
                        "no builtins: the default registry is ping-pong only, and its hits wait for an LLM judge",
                    )
                    .hint(format!(
                        "list the triggers in \"builtins\" with \"triggering_type\": \"{TRIGGERING_TYPE_INSTANT}\" to deliver at once"
                    )),
                );
            }
            BuiltinsSource::Empty => {
                self.out.push(
                    Problem::warning(
                        "builtins_empty",
                        builtins_path.clone(),
                        "an empty builtins list means the default registry: ping-pong only, gated by an LLM judge",
                    )
                    .hint("list the builtins you want, or remove the key"),
                );
            }
            BuiltinsSource::Rows(rows) => {
                // The first place of each id among the accepted rows' ids.
                let (mut ids, mut accepted): (HashMap<&str, usize>, usize) = (HashMap::new(), 0);
                for (item, trigger_id) in rows {
                    let row_path = builtins_path.index(item.index);
                    // Rows the SDK refuses get their errors from the parser; the traps below
                    // only make sense for rows it accepts.
                    if trigger_id.is_none()
                        && let Some(suggestion) =
                            item.members.get("id").and_then(Value::as_str).and_then(suggest_builtin_id)
                    {
                        self.id_suggestions.push((row_path.key("id"), suggestion));
                    }
                    self.builtin_row(&item.members, &row_path, *trigger_id, ping_pong_only);
                    if let Some(id) = *trigger_id {
                        if let Some(first) = ids.get(id) {
                            self.out.push(
                                Problem::warning(
                                    "builtin_shadowed",
                                    row_path.key("id"),
                                    format!(
                                        "'{id}' is already in builtins row {first}; the earlier row always hits first, so this one never wins (it only shows up as shadowed)"
                                    ),
                                )
                                .hint("remove the duplicate row"),
                            );
                        }
                        ids.entry(id).or_insert(accepted);
                        accepted += 1;
                    }
                }
            }
            BuiltinsSource::Absent | BuiltinsSource::NotList => {}
        }
        let registry =
            RegistryView { ids: row.registry.iter().map(|spec| spec.trigger_id()).collect(), ping_pong_only };

        self.dwell_settings(row, path, &registry);
        self.section_settings(row, path, &registry);
        registry
    }

    /// One `builtins` row; `trigger_id` is set when the SDK accepts the row.
    fn builtin_row(
        &mut self,
        obj: &Map<String, Value>,
        path: &JsonPath,
        trigger_id: Option<&'static str>,
        ping_pong_only: bool,
    ) {
        self.unknown_keys(obj, path, Place::Builtin);
        if obj.contains_key("min_cycles") {
            self.out.push(
                Problem::warning(
                    "min_cycles_ignored",
                    path.key("min_cycles"),
                    "min_cycles is ignored: the SDK always builds the ping-pong trigger with min_cycles = 1",
                )
                .at_key()
                .hint("remove the key"),
            );
        }
        let Some(id) = trigger_id else { return };
        for (key, session_key) in
            [("interaction_timeout_s", "interaction_timeout_s"), ("cooldown_s", "cooldown_period_s")]
        {
            if obj.get(key).is_some_and(|v| !v.is_null()) {
                self.out.push(
                    Problem::warning(
                        "builtin_timing_unused",
                        path.key(key),
                        format!(
                            "{key} in a builtins row does not change the session state machine: timeouts and cooldowns come from integration_config.{session_key} (or the running tour)"
                        ),
                    )
                    .at_key()
                    .hint(format!(
                        "set integration_config.{session_key} instead; keep {key} only if your own code reads the result's timings"
                    )),
                );
            }
        }
        if obj.get("triggering_type").is_none_or(Value::is_null) {
            self.out.push(
                Problem::warning(
                    "llm_judge_default",
                    path.clone(),
                    format!(
                        "'{id}' has no triggering_type, so it defaults to \"{TRIGGERING_TYPE_LLM_JUDGE}\": every hit waits for an LLM judge before it is delivered"
                    ),
                )
                .hint(format!(
                    "add \"triggering_type\": \"{TRIGGERING_TYPE_INSTANT}\" to deliver at once, or \"{TRIGGERING_TYPE_LLM_JUDGE}\" to keep the judge explicitly"
                )),
            );
        }
        if ping_pong_only && id != PING_PONG_ID {
            self.out.push(
                Problem::warning(
                    "builtin_filtered_by_mode",
                    path.key("id"),
                    format!(
                        "'{id}' never fires: proactive_triggers.mode is \"ping_pong_only\", which drops every other hit"
                    ),
                )
                .hint("remove the row, or set mode to \"default_registry\""),
            );
        }
    }

    fn settings_without_builtin(&mut self, row: &ProductRow, path: &JsonPath, keys: &[&str], trigger: &str) {
        for key in keys {
            if row.tuning.get(key).is_some() {
                self.out.push(
                    Problem::warning(
                        "setting_unused",
                        path.key(key),
                        format!("{key} has no effect: '{trigger}' is not in proactive_triggers.builtins"),
                    )
                    .at_key()
                    .hint(format!("add a builtins row with \"id\": \"{trigger}\", or remove the key")),
                );
            }
        }
    }

    fn dwell_settings(&mut self, row: &ProductRow, path: &JsonPath, registry: &RegistryView) {
        if !registry.contains(DWELL_ID) {
            self.settings_without_builtin(row, path, DWELL_KEYS, DWELL_ID);
            return;
        }
        let tuning = &row.tuning;
        if let Some(threshold) = tuning.get("dwell_threshold_seconds") {
            // Of the dwell settings only the threshold can make their reader fail.
            match detectors::dwell_settings(tuning) {
                Err(raise) => self.out.push(
                    Problem::raises(
                        path.key("dwell_threshold_seconds"),
                        format_args!("dwell_threshold_seconds {} is not a number", describe(threshold)),
                        "when the dwell trigger first runs",
                        &raise,
                    )
                    .hint("use a number of seconds, e.g. 60"),
                ),
                Ok(settings) if settings.threshold <= 0.0 => self.out.push(
                    Problem::warning(
                        "dwell_never_fires",
                        path.key("dwell_threshold_seconds"),
                        "a dwell threshold of 0 or less means the dwell trigger never fires",
                    )
                    .hint("use a positive number of seconds"),
                ),
                Ok(_) => {}
            }
        }
        if let Some(max) = tuning.get("user_page_dwell_max_actions").filter(|v| !v.is_null()) {
            match py::int_of(max) {
                Some(n) if n > 0 => {}
                _ => self.out.push(
                    Problem::warning(
                        "dwell_max_actions_default",
                        path.key("user_page_dwell_max_actions"),
                        format!(
                            "user_page_dwell_max_actions {} is not a positive integer; the SDK uses 5",
                            describe(max)
                        ),
                    )
                    .hint("use a positive integer"),
                ),
            }
        }
        if let (Err(raise), Some(body)) = (detectors::dwell_body(tuning), tuning.get("dwell_proactive_body")) {
            self.out.push(
                Problem::raises(
                    path.key("dwell_proactive_body"),
                    format_args!("dwell_proactive_body is {}", py::type_name(body)),
                    "when the dwell trigger fires",
                    &raise,
                )
                .hint("use a string"),
            );
        }
    }

    fn section_settings(&mut self, row: &ProductRow, path: &JsonPath, registry: &RegistryView) {
        if !registry.contains(SECTION_PLAYBOOK_ID) {
            self.settings_without_builtin(row, path, SECTION_KEYS, SECTION_PLAYBOOK_ID);
            return;
        }
        let tuning = &row.tuning;
        let mut produced: Vec<&str> = Vec::new();
        match tuning.get("section_url_rules") {
            Some(Value::Array(_)) => {
                let rules = tuning.section_rules.iter().flatten().zip(&tuning.section_rule_specs);
                for (i, (rule, spec)) in rules.enumerate() {
                    let rule_path = path.key("section_url_rules").index(i);
                    if let Some(obj) = rule.as_object() {
                        self.unknown_keys(obj, &rule_path, Place::SectionRule);
                    }
                    match spec {
                        Ok(Some((_, section))) => produced.push(section),
                        Err(raise) => {
                            // The field the rule's reader failed on: it reads `prefix`, then
                            // `section_id`, the same way.
                            let field = rule.as_object().and_then(|obj| {
                                ["prefix", "section_id"].into_iter().find(|k| py::or_empty_strip(obj.get(*k)).is_err())
                            });
                            let (at, what) = match field {
                                Some(key) => (rule_path.key(key), format!("{key} is {}", describe(&rule[key]))),
                                None => (
                                    rule_path,
                                    format!("a section rule must be an object, got {}", py::type_name(rule)),
                                ),
                            };
                            self.out
                                .push(Problem::raises(at, what, "when an action's URL reaches it", raise).hint(
                                    "write {\"prefix\": \"/pricing\", \"section_id\": \"pricing\"} with strings",
                                ));
                        }
                        Ok(None) => {
                            self.out.push(
                            Problem::warning(
                                "section_rule_skipped",
                                rule_path,
                                "a section rule needs a non-empty string prefix and section_id; the SDK skips this one",
                            )
                            .hint("fill in both \"prefix\" and \"section_id\""),
                        );
                        }
                    }
                }
            }
            Some(Value::Null) | None => {}
            Some(other) => self.out.push(
                Problem::warning(
                    "section_rules_ignored",
                    path.key("section_url_rules"),
                    format!("section_url_rules must be a list, got {}; it is ignored", py::type_name(other)),
                )
                .hint("write a list of {\"prefix\", \"section_id\"} rules"),
            ),
        }
        // Only a string fallback counts here, although the SDK also maps URLs to `str()` of a
        // number.
        let fallback = tuning.section_fallback.as_str().map(py::strip).filter(|s| !s.is_empty()).unwrap_or("other");
        produced.push(fallback);
        if let (Err(raise), Some(current)) = (detectors::host_section_id(tuning), tuning.get("current_section_id")) {
            self.out.push(
                Problem::raises(
                    path.key("current_section_id"),
                    format_args!("current_section_id is {}", py::type_name(current)),
                    "when the section trigger runs",
                    &raise,
                )
                .hint("use a section id string"),
            );
        }
        let has_rules = tuning.section_rules.is_some();
        match tuning.get("section_playbook") {
            Some(Value::Object(book)) => {
                for (section, row) in book {
                    if is_comment_key(section) {
                        continue;
                    }
                    let row_path = path.key("section_playbook").key(section);
                    if has_rules && !produced.contains(&section.as_str()) {
                        self.out.push(
                            Problem::warning(
                                "section_unreachable",
                                row_path.clone(),
                                format!("no section_url_rules entry (nor the fallback) gives the section '{section}', so this row is only used through current_section_id"),
                            )
                            .at_key()
                            .hint("add a rule with this section_id"),
                        );
                    }
                    if let Value::Object(obj) = row {
                        self.unknown_keys(obj, &row_path, Place::PlaybookRow);
                    }
                    match (row, detectors::section_row(row)) {
                        (_, Ok(Some((body, _)))) if !body.is_empty() => {}
                        (Value::Object(obj), Err(raise)) => {
                            let key = detectors::section_row_body_key(obj).unwrap_or("body");
                            self.out.push(
                                Problem::raises(
                                    row_path.key(key),
                                    format_args!("{key} is {}", obj.get(key).map_or("missing", py::type_name)),
                                    "when the section trigger picks this section",
                                    &raise,
                                )
                                .hint("use a string"),
                            );
                        }
                        (Value::Object(_), _) => self.out.push(
                            Problem::warning("section_row_empty", row_path, "this section row has no body, so it never fires")
                                .hint("add \"body\": \"…\""),
                        ),
                        _ => self.out.push(
                            Problem::warning(
                                "section_row_empty",
                                row_path,
                                "a section row must be a non-empty string or an object with a body; this one never fires",
                            )
                            .hint("write \"section\": \"message\" or {\"body\": \"message\"}"),
                        ),
                    }
                }
            }
            None | Some(Value::Null) => {}
            Some(other) => self.out.push(
                Problem::warning(
                    "section_playbook_ignored",
                    path.key("section_playbook"),
                    format!("section_playbook must be an object of section id to message, got {}; the section trigger never fires", py::type_name(other)),
                )
                .hint("write {\"pricing\": \"Questions about plans?\"}"),
            ),
        }
    }

    /// `tour_registry`: traps of the entries the SDK keeps. Returns the flow ids it can find.
    fn tour_registry(
        &mut self,
        row: &ProductRow,
        path: &JsonPath,
        session_timeout: f64,
        session_cooldown: f64,
    ) -> Option<HashSet<String>> {
        let ic = &row.integration_config;
        let mut flows: HashMap<&str, usize> = HashMap::new();
        for entry in &row.source.tour_entries {
            let (i, obj) = (entry.index, &entry.members);
            let entry_path = path.index(i);
            self.unknown_keys(obj, &entry_path, Place::Tour);
            for &legacy in Place::Tour.unread_keys() {
                if obj.contains_key(legacy) {
                    self.out.push(
                        Problem::warning(
                            "tour_legacy_key",
                            entry_path.key(legacy),
                            format!(
                                "{legacy} is ignored in the tour registry; it belongs on the chip in proactive_intercom"
                            ),
                        )
                        .at_key()
                        .hint("remove the key"),
                    );
                }
            }
            if !obj.contains_key("id") {
                continue; // the parser reports it
            }
            match obj.get("user_tour_id") {
                Some(Value::String(flow)) if !flow.is_empty() => {
                    if let Some(first) = flows.get(flow.as_str()) {
                        self.out.push(
                            Problem::warning(
                                "tour_shadowed",
                                entry_path.key("user_tour_id"),
                                format!(
                                    "tour '{flow}' is already in tour_registry entry {first}; the first entry wins"
                                ),
                            )
                            .hint("remove the duplicate entry"),
                        );
                    } else {
                        flows.insert(flow, i);
                    }
                }
                Some(other) if py::is_truthy(other) => self.out.push(
                    Problem::warning(
                        "tour_never_matched",
                        entry_path.key("user_tour_id"),
                        format!(
                            "user_tour_id is {}, but a running tour's id is a string, so this entry is never used",
                            py::type_name(other)
                        ),
                    )
                    .hint("write the tour provider's flow id as a string"),
                ),
                _ => self.out.push(
                    Problem::warning(
                        "tour_never_matched",
                        entry_path.clone(),
                        "this entry has no user_tour_id, so a running tour never finds it and its timings never apply",
                    )
                    .hint("add \"user_tour_id\": the tour provider's flow id"),
                ),
            }
            let timings = [
                ("interaction_timeout_s", TOUR_DEFAULT_INTERACTION_TIMEOUT_S, session_timeout),
                ("cooldown_period_s", TOUR_DEFAULT_COOLDOWN_PERIOD_S, session_cooldown),
            ];
            for (key, tour_default, session_value) in timings {
                match obj.get(key) {
                    None if tour_default != session_value => {
                        let session = if ic.contains_key(key) {
                            format!("the session's {} (integration_config.{key})", seconds(session_value))
                        } else {
                            format!("the session default {}", seconds(session_value))
                        };
                        self.out.push(
                            Problem::warning(
                                "tour_timing_not_inherited",
                                entry_path.clone(),
                                format!(
                                    "this tour has no {key}, so it uses the tour default {}, not {session}; the SDK does not inherit session values",
                                    seconds(tour_default)
                                ),
                            )
                            .hint(format!("add \"{key}\": {} (or the value you want)", number(session_value))),
                        );
                    }
                    Some(value) => {
                        if let Err(crate::triggers::state::StateError::Sdk(raise)) =
                            crate::triggers::state::compare_operand(value)
                        {
                            self.out.push(
                                Problem::raises(
                                    entry_path.key(key),
                                    format_args!("{key} is {}", describe(value)),
                                    "when a session checks this tour's timers",
                                    &raise,
                                )
                                .hint("use a number of seconds, or remove the key"),
                            );
                        }
                    }
                    None => {}
                }
            }
        }
        row.tour_registry.as_ref().map(|_| flows.into_keys().map(str::to_string).collect())
    }

    /// `proactive_intercom`: chips, their links to triggers, tour chips and criteria trees.
    fn proactive_intercom(
        &mut self,
        row: &ProductRow,
        path: &JsonPath,
        registry: &RegistryView,
        tours: Option<&HashSet<String>>,
    ) {
        match &row.source.intercom {
            IntercomSource::Absent => {}
            IntercomSource::List(entries) => {
                let mut linked: HashMap<String, usize> = HashMap::new();
                let accepted: HashMap<usize, &TriggerConfig> =
                    row.trigger_configs.iter().rev().map(|c| (c.index, c)).collect();
                for entry in entries {
                    let (i, obj) = (entry.index, &entry.members);
                    let entry_path = path.index(i);
                    self.unknown_keys(obj, &entry_path, Place::IntercomEntry);
                    if let Some(criteria) = obj.get("proactive_criteria") {
                        self.criteria(criteria, &entry_path.key("proactive_criteria"));
                    }
                    if let Some(Value::Array(messages)) = obj.get("messages") {
                        for (j, message) in messages.iter().enumerate() {
                            if let Some(message) = message.as_object() {
                                self.chip(message, &entry_path.key("messages").index(j), false, tours);
                            }
                        }
                    }
                    if let Some(accepted) = accepted.get(&i) {
                        self.criteria_link(accepted, &entry_path, registry, &mut linked);
                    }
                }
            }
            IntercomSource::Legacy(legacy) => {
                self.unknown_keys(legacy, path, Place::LegacyIntercom);
                match legacy.get("messages") {
                    Some(Value::Array(messages)) if !messages.is_empty() => {
                        for (j, message) in messages.iter().enumerate() {
                            if let Some(message) = message.as_object() {
                                self.chip(message, &path.key("messages").index(j), true, tours);
                            }
                        }
                        self.out.push(
                            Problem::warning(
                                "intercom_legacy_form",
                                path.clone(),
                                "the legacy object form is only used for tour offers: its chips are never attached to a fired trigger",
                            )
                            .hint("use the list form: [{\"id\", \"name\", \"proactive_criteria\": {\"id\": \"<trigger id>\", …}, \"messages\"}]"),
                        );
                    }
                    _ => self.out.push(
                        Problem::warning(
                            "intercom_ignored",
                            path.clone(),
                            "the legacy proactive_intercom object needs a non-empty \"messages\" list; without one it is ignored",
                        )
                        .hint("use the list form"),
                    ),
                }
            }
            IntercomSource::Other(other) => self.out.push(
                Problem::warning(
                    "intercom_ignored",
                    path.clone(),
                    format!(
                        "proactive_intercom must be a list of entries, got {}; the SDK ignores it",
                        py::type_name(other)
                    ),
                )
                .hint("write a list: [{\"id\", \"name\", \"proactive_criteria\", \"messages\"}]"),
            ),
        }
    }

    /// An accepted entry's top-level criteria id must name a trigger that can fire.
    fn criteria_link(
        &mut self,
        entry: &TriggerConfig,
        path: &JsonPath,
        registry: &RegistryView,
        linked: &mut HashMap<String, usize>,
    ) {
        let id_path = path.key("proactive_criteria").key("id");
        let id_value = entry.criteria.id();
        let Some(id) = id_value.as_str() else {
            self.out.push(
                Problem::warning(
                    "chips_unlinked",
                    id_path,
                    format!(
                        "the criteria id is {}, not a trigger id, so these chips are never shown with a fire",
                        describe(id_value)
                    ),
                )
                .hint(format!("set proactive_criteria.id to a builtin id: {}", registry.ids.join(", "))),
            );
            return;
        };
        if let Some(first) = linked.get(id) {
            self.out.push(
                Problem::warning(
                    "chips_shadowed",
                    id_path,
                    format!("proactive_intercom entry {first} already links to '{id}'; only the first entry's chips are used"),
                )
                .hint("merge the chips into one entry (at most 3)"),
            );
            return;
        }
        linked.insert(id.to_string(), entry.index);
        if registry.can_fire(id) {
            return;
        }
        let message = if registry.contains(id) {
            format!("'{id}' never fires in \"ping_pong_only\" mode, so these chips are never shown")
        } else if CATALOG_IDS.contains(&id) {
            format!("'{id}' is not in proactive_triggers.builtins, so these chips are never shown")
        } else {
            format!("no builtin trigger has the id '{id}', so these chips are never shown")
        };
        let mut problem = Problem::warning("chips_unlinked", id_path, message);
        problem = match did_you_mean(py::strip(id), &CATALOG_IDS) {
            Some(suggestion) if suggestion != id => problem.hint(format!("did you mean '{suggestion}'?")),
            _ if CATALOG_IDS.contains(&id) => problem.hint(format!("add a builtins row with \"id\": \"{id}\"")),
            _ => problem.hint(format!(
                "chips link to a trigger by the top-level proactive_criteria.id; use one of: {}",
                registry.ids.join(", ")
            )),
        };
        self.out.push(problem);
    }

    /// A criteria node: unknown keys, leaf parameters and leaf types nothing evaluates.
    fn criteria(&mut self, node: &Value, path: &JsonPath) {
        let Some(obj) = node.as_object() else { return };
        if obj.contains_key("operator") {
            self.unknown_keys(obj, path, Place::CriteriaGroup);
            if let Some(Value::Array(conditions)) = obj.get("conditions") {
                for (i, child) in conditions.iter().enumerate() {
                    self.criteria(child, &path.key("conditions").index(i));
                }
            }
            return;
        }
        for key in obj.keys() {
            if Place::CriteriaLeaf.keys().contains(&key.as_str()) || is_comment_key(key) {
                continue;
            }
            let problem = Problem::warning(
                "criteria_leaf_param_ignored",
                path.key(key),
                format!("'{key}' is dropped: criteria leaves carry no parameters (only id, name and type)"),
            )
            .at_key();
            self.out.push(match did_you_mean(key, Place::CriteriaLeaf.keys()) {
                Some(s) => problem.hint(format!("did you mean '{s}'?")),
                None => problem.hint("remove the key; what fires is decided by proactive_triggers.builtins"),
            });
        }
        if let Some(leaf_type) = obj.get("type")
            && !leaf_type.as_str().is_some_and(|t| CATALOG_IDS.contains(&t))
        {
            self.out.push(
                    Problem::warning(
                        "criteria_not_evaluated",
                        path.key("type"),
                        format!(
                            "nothing evaluates the criteria leaf type {}: the SDK only parses criteria trees, and what fires is the builtins registry",
                            describe(leaf_type)
                        ),
                    )
                    .hint(format!("use a builtin id ({}) as the type, or treat this leaf as documentation", CATALOG_IDS.join(", "))),
                );
        }
    }

    /// One chip: unknown and legacy keys, truthiness traps, blank labels and tour chips.
    fn chip(&mut self, chip: &Map<String, Value>, path: &JsonPath, legacy_form: bool, tours: Option<&HashSet<String>>) {
        let place = if legacy_form { Place::LegacyChip } else { Place::Chip };
        let mut legacy_keys: Vec<&str> = Vec::new();
        for key in ["offers_tour", "flow_id"] {
            if !legacy_form && chip.contains_key(key) {
                legacy_keys.push(key);
                let new = if key == "offers_tour" { "user_tour_exists" } else { "user_tour_id" };
                self.out.push(
                    Problem::warning(
                        "chip_legacy_key",
                        path.key(key),
                        format!("'{key}' is a legacy key: the list form ignores it when linking chips, but tour offers still read it"),
                    )
                    .at_key()
                    .hint(format!("rename it to \"{new}\"")),
                );
            }
        }
        let filtered: Map<String, Value> = chip
            .iter()
            .filter(|(k, _)| !legacy_keys.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        self.unknown_keys(&filtered, path, place);

        let label = chip.get("label");
        if let Some(label) = label {
            let text = if py::is_truthy(label) { py::str_of(label) } else { String::new() };
            if py::strip(&text).is_empty() {
                self.out.push(
                    Problem::warning(
                        "chip_label_blank",
                        path.key("label"),
                        "this chip has a blank label: it is shown empty and a reply can never match it",
                    )
                    .hint("give the chip a label"),
                );
                return;
            }
        }
        let exists_key = if chip.contains_key("user_tour_exists") { "user_tour_exists" } else { "offers_tour" };
        let exists = chip.get(exists_key).unwrap_or(&Value::Null);
        if let Value::String(s) = exists {
            self.out.push(
                Problem::warning(
                    "chip_truthy_string",
                    path.key(exists_key),
                    format!("{exists_key} is the string {}; any non-empty string counts as true", describe(exists)),
                )
                .hint(if s.trim().eq_ignore_ascii_case("false") {
                    "write false (no quotes)"
                } else {
                    "write true or false (no quotes)"
                }),
            );
        }
        if !py::is_truthy(exists) {
            let flow_key = if chip.contains_key("user_tour_id") { "user_tour_id" } else { "flow_id" };
            if chip.get(flow_key).is_some_and(py::is_truthy) {
                self.out.push(
                    Problem::warning(
                        "tour_chip_disabled",
                        path.key(flow_key),
                        format!("this chip has a {flow_key} but {exists_key} is not true, so clicking it never offers the tour"),
                    )
                    .hint(format!("add \"{exists_key}\": true, or remove {flow_key}")),
                );
            }
            return;
        }
        let flow_key = if chip.contains_key("user_tour_id") { "user_tour_id" } else { "flow_id" };
        let flow = match chip.get(flow_key) {
            None | Some(Value::Null) => String::new(),
            Some(v) => py::strip(&py::str_of(v)).to_string(),
        };
        if flow.is_empty() {
            if legacy_form {
                self.out.push(
                    Problem::warning(
                        "tour_chip_without_flow",
                        path.clone(),
                        "this tour chip has no tour id, so clicking it never offers a tour",
                    )
                    .hint("add \"user_tour_id\""),
                );
            }
            return;
        }
        if !tours.is_some_and(|flows| flows.contains(flow.as_str())) {
            self.out.push(
                Problem::warning(
                    "tour_unregistered",
                    path.key(flow_key),
                    format!(
                        "tour '{flow}' has no tour_registry entry, so while it runs the session timings apply instead of per-tour ones"
                    ),
                )
                .hint(format!(
                    "add {{\"id\": \"<chip id>\", \"user_tour_id\": \"{flow}\", \"interaction_timeout_s\": …, \"cooldown_period_s\": …}} to integration_config.tour_registry"
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::triggers::config::{
        BUILTIN_KEYS, ENTRY_KEYS, GROUP_KEYS, LEGACY_MESSAGE_KEYS, PLAYBOOK_ROW_KEYS, ROW_KEYS, RULE_KEYS, TOUR_KEYS,
    };
    use serde_json::json;

    /// Lints a document: the config parser's problems, then the traps. No positions.
    fn lint_document(doc: &Value) -> Vec<Problem> {
        lint_parsed(&config::parse_products(doc))
    }

    fn codes(doc: Value) -> Vec<(String, &'static str)> {
        let mut found: Vec<(String, &'static str)> =
            lint_document(&doc).into_iter().map(|p| (p.path.to_string(), p.code)).collect();
        found.sort();
        found
    }

    #[allow(clippy::print_stderr)] // shows what was found when an assertion is about to fail
    fn has(doc: Value, path: &str, code: &str) -> bool {
        let found = codes(doc);
        let hit = found.iter().any(|(p, c)| p == path && *c == code);
        if !hit {
            eprintln!("looking for {path} {code} in {found:#?}");
        }
        hit
    }

    #[test]
    fn edit_distance_and_suggestions() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("Caf\u{e9}", "cafe"), 1);
        assert_eq!(did_you_mean("triggering_typ", BUILTIN_KEYS), Some("triggering_type"));
        assert_eq!(did_you_mean("cooldown", BUILTIN_KEYS), Some("cooldown_s"));
        assert_eq!(did_you_mean("name_of_it", BUILTIN_KEYS), None);
        assert_eq!(did_you_mean("idd", BUILTIN_KEYS), Some("id"));
        assert_eq!(did_you_mean("zzzz", BUILTIN_KEYS), None);
    }

    #[test]
    fn unknown_keys_get_suggestions() {
        let doc = json!([{"product_id": "p", "integration_config": {
            "proactive_triggers": {"builtins": [{"id": "user_page_dwell", "name": "n", "description": "d",
                "triggering_type": "instant_trigger", "cooldown_period_s": 5, "trigering_type": "x", "_comment": "ok"}]},
            "builtins": [], "interaction_timeout": 5}}]);
        let problems = lint_document(&doc);
        let find = |path: &str| {
            problems.iter().find(|p| p.path.to_string() == path).unwrap_or_else(|| panic!("{path}: {problems:#?}"))
        };
        let row = "[0].integration_config.proactive_triggers.builtins[0]";
        assert!(find(&format!("{row}.cooldown_period_s")).message.contains("did you mean 'cooldown_s'"));
        assert!(find(&format!("{row}.trigering_type")).message.contains("did you mean 'triggering_type'"));
        assert_eq!(
            find("[0].integration_config.builtins").hint.as_deref(),
            Some("move it to integration_config.proactive_triggers")
        );
        assert!(find("[0].integration_config.interaction_timeout").message.contains("'interaction_timeout_s'"));
        assert!(!problems.iter().any(|p| p.path.to_string().ends_with("_comment")));
    }

    #[test]
    fn builtin_traps() {
        let doc = json!({"integration_config": {"proactive_triggers": {"mode": "ping_pong_only", "builtins": [
            {"id": "canonical_url_ping_pong", "name": "n", "description": "d", "min_cycles": 2},
            {"id": "user_page_dwell", "name": "n", "description": "d", "triggering_type": "instant_trigger"},
            {"id": "canonical_url_ping_pong", "name": "n", "description": "d", "triggering_type": "instant_trigger"}
        ]}}});
        let pt = "integration_config.proactive_triggers";
        assert!(has(doc.clone(), &format!("{pt}.builtins[0].min_cycles"), "min_cycles_ignored"));
        assert!(has(doc.clone(), &format!("{pt}.builtins[0]"), "llm_judge_default"));
        assert!(has(doc.clone(), &format!("{pt}.builtins[1].id"), "builtin_filtered_by_mode"));
        assert!(has(doc, &format!("{pt}.builtins[2].id"), "builtin_shadowed"));
    }

    #[test]
    fn default_registry_and_disabled_tour_chips() {
        assert!(has(
            json!({"integration_config": {"proactive_triggers": {"mode": "default_registry"}}}),
            "integration_config.proactive_triggers",
            "llm_judge_default"
        ));
        assert!(codes(json!({"integration_config": {}})).is_empty());
        let entry = json!({"id": "t", "name": "n", "proactive_criteria": {"id": "canonical_url_ping_pong", "name": "n", "type": "canonical_url_ping_pong"},
            "messages": [{"id": "m1", "label": "Tour", "user_tour_id": "f"}]});
        let doc = intercom(entry, json!({}));
        assert!(has(
            doc,
            "[0].integration_config.proactive_intercom[0].messages[0].user_tour_id",
            "tour_chip_disabled"
        ));
    }

    #[test]
    fn invalid_builtin_rows_get_no_trap_warnings() {
        let doc = json!({"integration_config": {"proactive_triggers": {"builtins": [
            {"id": "user_page_dwell", "name": 1, "description": "d"},
            {"id": "user_page_dwell", "name": "n", "description": "d", "triggering_type": "instant_trigger"}]}}});
        let found = codes(doc);
        assert_eq!(
            found,
            vec![("integration_config.proactive_triggers.builtins[0].name".to_string(), "builtin_invalid")]
        );
    }

    #[test]
    fn blank_tour_offer_body() {
        assert!(has(
            json!({"integration_config": {"tour_offer_body": "  "}}),
            "integration_config.tour_offer_body",
            "tour_offer_body_blank"
        ));
        assert!(has(
            json!({"integration_config": {"tour_offer_body": 3}}),
            "integration_config.tour_offer_body",
            "sdk_raises"
        ));
        assert!(codes(json!({"integration_config": {"tour_offer_body": "Shall I?"}})).is_empty());
    }

    #[test]
    fn unknown_builtin_ids_get_a_suggestion() {
        assert_eq!(suggest_builtin_id("page_dwell"), Some(DWELL_ID));
        assert_eq!(suggest_builtin_id("ping-pong"), Some(PING_PONG_ID));
        assert_eq!(suggest_builtin_id("user_page_dwel"), Some(DWELL_ID));
        assert_eq!(suggest_builtin_id("abc"), None);
        assert_eq!(suggest_builtin_id("something_else"), None);
        let doc = json!({"integration_config": {"proactive_triggers": {"builtins": [{"id": "section_playbook", "name": "n", "description": "d"}]}}});
        let problems = lint_document(&doc);
        assert_eq!(problems[0].hint.as_deref(), Some("did you mean 'section_playbook_match'?"));
    }

    /// Random documents built from the known keys reach every check; none may panic.
    #[test]
    fn never_panics_on_odd_shapes() {
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        let keys: Vec<&str> = [
            ROW_KEYS,
            IC_KEYS,
            PT_KEYS,
            BUILTIN_KEYS,
            ENTRY_KEYS,
            GROUP_KEYS,
            LEGACY_MESSAGE_KEYS,
            TOUR_KEYS,
            RULE_KEYS,
            PLAYBOOK_ROW_KEYS,
        ]
        .concat();
        fn build(depth: u32, next: &mut dyn FnMut(u64) -> u64, keys: &[&str]) -> Value {
            let leaf = [
                json!(null),
                json!(true),
                json!(0),
                json!(-1.5),
                json!(""),
                json!(" x "),
                json!("false"),
                json!("user_page_dwell"),
                json!("canonical_url_ping_pong"),
                json!("AND"),
            ];
            match if depth == 0 { 0 } else { next(4) } {
                0 => leaf[next(leaf.len() as u64) as usize].clone(),
                1 => Value::Array((0..next(4)).map(|_| build(depth - 1, next, keys)).collect()),
                _ => Value::Object(
                    (0..next(6))
                        .map(|_| (keys[next(keys.len() as u64) as usize].to_string(), build(depth - 1, next, keys)))
                        .collect(),
                ),
            }
        }
        for _ in 0..3000 {
            let doc = build(6, &mut next, &keys);
            let _ = lint_document(&doc);
            let _ = lint_document(&json!([doc]));
        }
    }

    #[test]
    fn per_row_timings_do_not_reach_the_state_machine() {
        let doc = json!({"integration_config": {"proactive_triggers": {"builtins": [
            {"id": "user_page_dwell", "name": "n", "description": "d", "triggering_type": "instant_trigger", "cooldown_s": 45, "interaction_timeout_s": null}]}}});
        let found = codes(doc);
        assert_eq!(
            found,
            vec![("integration_config.proactive_triggers.builtins[0].cooldown_s".to_string(), "builtin_timing_unused")]
        );
    }

    #[test]
    fn parser_errors_win_over_traps() {
        let doc = json!([{"integration_config": {"proactive_triggers": {"builtins": [
            {"id": "user_page_dwell", "name": "n", "description": "d", "triggering_type": "sometimes"}]}}}]);
        let problems = lint_document(&doc);
        let errors: Vec<_> = problems.iter().filter(|p| p.severity == Severity::Error).collect();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].path.to_string(), "[0].integration_config.proactive_triggers.builtins[0].triggering_type");
        assert_eq!(errors[0].code, "builtin_invalid");
    }

    fn intercom(entry: Value, extra: Value) -> Value {
        let mut ic = json!({
            "proactive_triggers": {"builtins": [
                {"id": "canonical_url_ping_pong", "name": "n", "description": "d", "triggering_type": "instant_trigger"}]},
            "proactive_intercom": [entry],
        });
        if let (Some(ic), Some(extra)) = (ic.as_object_mut(), extra.as_object()) {
            ic.extend(extra.clone());
        }
        json!([{"product_id": "p", "integration_config": ic}])
    }

    #[test]
    fn chip_and_tour_traps() {
        let entry = json!({"id": "t", "name": "n",
            "proactive_criteria": {"id": "user_page_dwell", "name": "n", "operator": "AND", "conditions": [
                {"id": "a", "name": "a", "type": "url_contains", "value": "/projects"},
                {"id": "b", "name": "b", "type": "canonical_url_ping_pong"}]},
            "messages": [
                {"id": "m1", "label": "Tour", "user_tour_exists": true, "user_tour_id": "flow_a"},
                {"id": "m2", "label": "Other", "user_tour_exists": "false", "user_tour_id": "flow_b"},
                {"id": "m3", "label": " ", "offers_tour": true, "flow_id": "flow_b"}]});
        let ic = "[0].integration_config";
        let e = format!("{ic}.proactive_intercom[0]");
        let doc = intercom(entry, json!({"tour_registry": [{"id": "m1", "user_tour_id": "flow_b"}]}));
        assert!(has(doc.clone(), &format!("{e}.proactive_criteria.id"), "chips_unlinked"));
        assert!(has(doc.clone(), &format!("{e}.proactive_criteria.conditions[0].type"), "criteria_not_evaluated"));
        assert!(!has(doc.clone(), &format!("{e}.proactive_criteria.conditions[1].type"), "criteria_not_evaluated"));
        assert!(has(
            doc.clone(),
            &format!("{e}.proactive_criteria.conditions[0].value"),
            "criteria_leaf_param_ignored"
        ));
        assert!(has(doc.clone(), &format!("{e}.messages[0].user_tour_id"), "tour_unregistered"));
        assert!(has(doc.clone(), &format!("{e}.messages[2].label"), "chip_label_blank"));
        assert!(has(doc.clone(), &format!("{e}.messages[1].user_tour_exists"), "chip_truthy_string"));
        assert!(!has(doc.clone(), &format!("{e}.messages[1].user_tour_id"), "tour_unregistered"));
        assert!(has(doc.clone(), &format!("{e}.messages[2].offers_tour"), "chip_legacy_key"));
        assert!(!has(doc.clone(), &format!("{e}.messages[2].flow_id"), "tour_unregistered"));
        assert!(has(doc.clone(), &format!("{ic}.tour_registry[0]"), "tour_timing_not_inherited"));
    }

    #[test]
    fn tour_inheritance_only_when_values_differ() {
        let entry = json!({"id": "t", "name": "n", "proactive_criteria": {"id": "canonical_url_ping_pong", "name": "n", "type": "canonical_url_ping_pong"},
            "messages": [{"id": "m1", "label": "Tour", "user_tour_exists": true, "user_tour_id": "f"}]});
        let doc =
            intercom(entry, json!({"cooldown_period_s": 120, "tour_registry": [{"id": "m1", "user_tour_id": "f"}]}));
        assert!(codes(doc).is_empty());
    }

    #[test]
    fn skipped_entries_come_from_the_parser() {
        let entry = json!({"id": "t", "name": "n", "proactive_criteria": {"id": "canonical_url_ping_pong", "name": "n", "type": "x"},
            "messages": []});
        let problems = lint_document(&intercom(entry, json!({})));
        let skipped: Vec<_> = problems.iter().filter(|p| p.code == "intercom_entry_skipped").collect();
        assert_eq!(skipped.len(), 1);
        assert!(skipped[0].message.contains("will be ignored"));
        // A skipped entry is not also reported as linked or unlinked.
        assert!(!problems.iter().any(|p| p.code == "chips_unlinked"));
    }

    /// Reading a list row by row finds exactly what reading the whole document finds, in the
    /// same order, for every config the tests hold and for the edges of the split.
    #[test]
    fn row_by_row_equals_the_whole_document() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let mut texts: Vec<(String, String)> = Vec::new();
        let mut dirs = vec![root.join("validate"), root.join("simulate")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "json") {
                    texts.push((path.display().to_string(), std::fs::read_to_string(&path).unwrap()));
                }
            }
        }
        assert!(texts.len() > 40, "the fixtures were not found");
        let nested =
            |depth: usize| format!("[{{\"product_id\": \"a\", \"x\": {}{}}}]", "[".repeat(depth), "]".repeat(depth));
        for (name, text) in [
            ("empty list", "[]".to_string()),
            ("not objects", "[1, \"a\", null, {\"product_id\": \"p\"}, []]".to_string()),
            ("ids", "[{\"product_id\": \"p\"}, {}, {\"product_id\": \" p \"}, {\"product_id\": null}]".to_string()),
            ("duplicates", "[{\"product_id\": \"a\", \"product_id\": \"a\"}, {\"product_id\": \"a\"}]".to_string()),
            ("deepest accepted", nested(125)),
            ("too deep", nested(126)),
            ("too deep alone", nested(127)),
            ("out of range", "[{\"product_id\": \"a\"}, {\"x\": 1e400}]".to_string()),
            ("trailing text", "[{\"product_id\": \"a\"}] x".to_string()),
        ] {
            texts.push((name.to_string(), text));
        }
        for (name, text) in &texts {
            assert_eq!(lint_text_as(text, Parse::RowByRow), lint_text_as(text, Parse::Whole), "{name}");
        }
        assert_eq!(lint_text(&nested(125)).error_count(), 0);
        assert_eq!(lint_text(&nested(126)).problems[0].code, "json_syntax");
    }

    #[test]
    fn text_positions_and_syntax_errors() {
        let text = "[{\"product_id\": \"p\",\n  \"integration_config\": {\"modee\": 1}}]";
        let report = lint_text(text);
        assert_eq!(report.problems.len(), 1);
        assert_eq!(report.problems[0].position, Some(Position { line: 2, column: 26 }));
        let report = lint_text("[{\"a\": 1,}]");
        assert_eq!(report.problems[0].code, "json_syntax");
        assert_eq!(report.problems[0].severity, Severity::Error);
        assert_eq!(report.problems[0].position, Some(Position { line: 1, column: 10 }));
        let report = lint_text("{\"product_id\": \"a\", \"product_id\": \"b\"}");
        assert_eq!(report.problems[0].code, "duplicate_key");
        let mut report = lint_text("{\"x\": 1}");
        assert_eq!(report.error_count(), 0);
        report.make_strict();
        assert_eq!(report.error_count(), 1);
    }
}
