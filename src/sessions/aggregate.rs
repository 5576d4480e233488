//! Streaming aggregation for `sessions list` and `sessions stats`: one row per
//! (product, session) and a few totals, in memory proportional to the number of sessions
//! (and distinct URLs and types), never to the number of events.
//!
//! Tables built over consecutive chunks of a recording [`SessionTable::merge`] in file order
//! to the same result as one table over the whole, so chunks can be parsed in parallel.

use std::collections::BTreeMap;

use rustc_hash::{FxHashMap, FxHashSet};

use super::line::LightLine;

/// Why a line could not be aggregated: the SDK raises on it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub(crate) enum AggregateError {
    #[error("`actions` must be a list of objects")]
    InvalidActions,
}

/// One session (product + session id).
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct SessionRow {
    pub(crate) product_id: String,
    pub(crate) session_id: String,
    /// The last non-empty user id seen.
    pub(crate) user_id: Option<String>,
    /// The last non-empty email seen.
    pub(crate) email: Option<String>,
    pub(crate) actions: u64,
    pub(crate) batches: u64,
    pub(crate) summaries: u64,
    /// Smallest and largest `forwarded_at` (missing and 0 are ignored).
    pub(crate) first_seen: Option<f64>,
    pub(crate) last_seen: Option<f64>,
    /// The `canonical_url` of the last action of the latest batch.
    pub(crate) last_url: Option<String>,
    last_url_at: f64,
    has_last_url: bool,
}

/// Rows and totals over some lines.
///
/// Every line looks up its row, its type and (for `stats`) each action's URL and type, so
/// the maps are keyed for lookups by borrowed text: rows by product, then by session id,
/// so a line allocates nothing once its session, URLs and types have been seen.
#[derive(Debug, Clone, Default)]
pub(crate) struct SessionTable {
    /// Rows by product, then session id (the session key's two parts).
    rows: FxHashMap<String, FxHashMap<String, SessionRow>>,
    /// Lines seen, by JSON `type` (`(none)` when missing).
    pub(crate) event_types: BTreeMap<String, u64>,
    /// Actions by their `type`.
    pub(crate) action_types: FxHashMap<String, u64>,
    /// Actions by `canonical_url`.
    pub(crate) urls: FxHashMap<String, u64>,
    users: FxHashSet<String>,
    /// The largest numeric `forwarded_at` of actions and summary lines (the default `--at`).
    pub(crate) latest_forwarded_at: Option<f64>,
    pub(crate) lines: u64,
    /// Whether to count action types and URLs (only `stats` shows them).
    skip_details: bool,
}

/// The session key of a payload: `(session_id or "unknown").strip()`, product trimmed.
/// Both parts borrow from the line.
fn session_key<'a>(product_id: Option<&'a str>, session_id: Option<&'a str>) -> (&'a str, &'a str) {
    (trim(product_id.unwrap_or("")), trim(session_id.filter(|s| !s.is_empty()).unwrap_or("unknown")))
}

/// `text.trim()`, settled by two byte tests for the usual id (no space at either end): a
/// printable ASCII byte is no kind of whitespace. Trimming by characters cost about fifty
/// instructions an id, twice a line.
fn trim(text: &str) -> &str {
    match (text.as_bytes().first(), text.as_bytes().last()) {
        (Some(first), Some(last)) if first.is_ascii_graphic() && last.is_ascii_graphic() => text,
        _ => text.trim(),
    }
}

/// A map of counts by text (the hashed ones and the ordered one).
trait CountMap {
    /// Adds `by` to `key`'s count, copying the key only the first time it is seen.
    fn bump(&mut self, key: &str, by: u64);
}

impl CountMap for FxHashMap<String, u64> {
    fn bump(&mut self, key: &str, by: u64) {
        match self.get_mut(key) {
            Some(n) => *n += by,
            None => {
                self.insert(key.to_string(), by);
            }
        }
    }
}

impl CountMap for BTreeMap<String, u64> {
    fn bump(&mut self, key: &str, by: u64) {
        match self.get_mut(key) {
            Some(n) => *n += by,
            None => {
                self.insert(key.to_string(), by);
            }
        }
    }
}

fn max_opt(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.max(y)),
        (x, None) => x,
        (None, y) => y,
    }
}

fn min_opt(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, None) => x,
        (None, y) => y,
    }
}

impl SessionTable {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// A table without the per-action type and URL counts (cheaper, for `list`).
    pub(crate) fn rows_only() -> Self {
        SessionTable { skip_details: true, ..Self::default() }
    }

    /// Adds one parsed line.
    pub(crate) fn add(&mut self, line: &LightLine<'_>) -> Result<(), AggregateError> {
        self.lines += 1;
        let event_type = line.event_type.0.as_deref().unwrap_or("(none)");
        self.event_types.bump(event_type, 1);
        let is_actions = event_type == crate::event::model::ACTIONS;
        if !is_actions && event_type != crate::event::model::SUMMARY {
            return Ok(());
        }
        if is_actions && line.actions.invalid {
            return Err(AggregateError::InvalidActions);
        }
        let at = line.forwarded_at.0.filter(|f| f.is_finite());
        self.latest_forwarded_at = max_opt(self.latest_forwarded_at, at);
        let seen = at.filter(|f| *f != 0.0);
        let (product, session) = session_key(line.product_id.0.as_deref(), line.session_id.truthy());
        let row = row_mut(&mut self.rows, product, session);
        row.first_seen = min_opt(row.first_seen, seen);
        row.last_seen = max_opt(row.last_seen, seen);
        if !is_actions {
            row.summaries += 1;
            return Ok(());
        }
        row.batches += 1;
        row.actions += line.actions.items.len() as u64;
        if let Some(user) = line.user_id.truthy() {
            if row.user_id.as_deref() != Some(user) {
                row.user_id = Some(user.to_string());
            }
            if !self.users.contains(user) {
                self.users.insert(user.to_string());
            }
        }
        if let Some(email) = line.email.truthy()
            && row.email.as_deref() != Some(email)
        {
            row.email = Some(email.to_string());
        }
        let batch_at = seen.unwrap_or(f64::NEG_INFINITY);
        if let Some(last) = line.actions.items.last()
            && (!row.has_last_url || batch_at >= row.last_url_at)
        {
            row.has_last_url = true;
            row.last_url_at = batch_at;
            // Reuses the row's text: most batches replace the URL of the one before.
            match (last.canonical_url.truthy(), &mut row.last_url) {
                (Some(url), Some(kept)) => {
                    if kept != url {
                        url.clone_into(kept);
                    }
                }
                (url, kept) => *kept = url.map(str::to_string),
            }
        }
        if self.skip_details {
            return Ok(());
        }
        for action in &line.actions.items {
            self.urls.bump(action.canonical_url.0.as_deref().unwrap_or(""), 1);
            self.action_types.bump(action.action_type.0.as_deref().unwrap_or(""), 1);
        }
        Ok(())
    }

    /// Folds a table built over the lines that come after this one's.
    pub(crate) fn merge(&mut self, later: SessionTable) {
        self.lines += later.lines;
        self.latest_forwarded_at = max_opt(self.latest_forwarded_at, later.latest_forwarded_at);
        for (k, v) in later.event_types {
            *self.event_types.entry(k).or_default() += v;
        }
        for (k, v) in later.action_types {
            *self.action_types.entry(k).or_default() += v;
        }
        for (k, v) in later.urls {
            *self.urls.entry(k).or_default() += v;
        }
        self.users.extend(later.users);
        for (product, their_sessions) in later.rows {
            let Some(sessions) = self.rows.get_mut(&product) else {
                self.rows.insert(product, their_sessions);
                continue;
            };
            merge_rows(sessions, their_sessions);
        }
    }

    pub(crate) fn session_count(&self) -> usize {
        self.rows.values().map(FxHashMap::len).sum()
    }

    pub(crate) fn user_count(&self) -> usize {
        self.users.len()
    }

    /// The rows, unsorted.
    pub(crate) fn into_rows(self) -> Vec<SessionRow> {
        self.rows.into_values().flat_map(FxHashMap::into_values).collect()
    }

    pub(crate) fn rows(&self) -> impl Iterator<Item = &SessionRow> {
        self.rows.values().flat_map(FxHashMap::values)
    }
}

/// The row of (product, session), made on first sight.
fn row_mut<'t>(
    rows: &'t mut FxHashMap<String, FxHashMap<String, SessionRow>>,
    product: &str,
    session: &str,
) -> &'t mut SessionRow {
    if !rows.contains_key(product) {
        rows.insert(product.to_string(), FxHashMap::default());
    }
    let sessions = rows.get_mut(product).expect("inserted above");
    if !sessions.contains_key(session) {
        let row = SessionRow {
            product_id: product.to_string(),
            session_id: session.to_string(),
            last_url_at: f64::NEG_INFINITY,
            ..SessionRow::default()
        };
        sessions.insert(session.to_string(), row);
    }
    sessions.get_mut(session).expect("inserted above")
}

/// Folds one product's rows from later lines into its rows from earlier ones.
fn merge_rows(rows: &mut FxHashMap<String, SessionRow>, later: FxHashMap<String, SessionRow>) {
    for (session, theirs) in later {
        let Some(row) = rows.get_mut(&session) else {
            rows.insert(session, theirs);
            continue;
        };
        row.actions += theirs.actions;
        row.batches += theirs.batches;
        row.summaries += theirs.summaries;
        row.first_seen = min_opt(row.first_seen, theirs.first_seen);
        row.last_seen = max_opt(row.last_seen, theirs.last_seen);
        if theirs.user_id.is_some() {
            row.user_id = theirs.user_id;
        }
        if theirs.email.is_some() {
            row.email = theirs.email;
        }
        if theirs.has_last_url && (!row.has_last_url || theirs.last_url_at >= row.last_url_at) {
            row.has_last_url = true;
            row.last_url_at = theirs.last_url_at;
            row.last_url = theirs.last_url;
        }
    }
}

/// How `list` orders rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RowOrder {
    /// Most recently seen first.
    LastSeen,
    /// Most actions first.
    Actions,
}

/// Sorts rows; ties break on product then session id so output is stable.
pub(crate) fn sort_rows(rows: &mut [SessionRow], order: RowOrder) {
    let tie = |a: &SessionRow, b: &SessionRow| (&a.product_id, &a.session_id).cmp(&(&b.product_id, &b.session_id));
    match order {
        RowOrder::LastSeen => rows.sort_by(|a, b| {
            let (x, y) = (a.last_seen.unwrap_or(f64::NEG_INFINITY), b.last_seen.unwrap_or(f64::NEG_INFINITY));
            y.partial_cmp(&x).unwrap_or(std::cmp::Ordering::Equal).then_with(|| tie(a, b))
        }),
        RowOrder::Actions => rows.sort_by(|a, b| b.actions.cmp(&a.actions).then_with(|| tie(a, b))),
    }
}

/// Nearest-rank percentile of sorted values (`p` in 0..=100).
pub(crate) fn percentile(sorted: &[u64], p: f64) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// The `n` largest counts, ties by key.
pub(crate) fn top_counts(counts: &FxHashMap<String, u64>, n: usize) -> Vec<(String, u64)> {
    let mut all: Vec<(&String, &u64)> = counts.iter().collect();
    all.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
    all.into_iter().take(n).map(|(k, v)| (k.clone(), *v)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(lines: &[&str]) -> SessionTable {
        let mut table = SessionTable::new();
        for line in lines {
            table.add(&LightLine::parse(line).unwrap()).unwrap();
        }
        table
    }

    const LINES: [&str; 5] = [
        r#"{"type":"actions","product_id":"p","session_id":"s1","user_id":"u1","forwarded_at":10,"actions":[{"canonical_url":"/a","type":"click"}]}"#,
        r#"{"type":"actions","product_id":"p","session_id":"s2","user_id":"u2","email":"e@x","forwarded_at":30,"actions":[{"canonical_url":"/b"},{"canonical_url":"/c"}]}"#,
        r#"{"type":"summary","product_id":"p","session_id":"s1","summary":"S","forwarded_at":40}"#,
        r#"{"type":"actions","product_id":"p","session_id":" s1 ","user_id":"u1","forwarded_at":20,"actions":[{"canonical_url":"/z"}]}"#,
        r#"{"type":"usertour_trigger","session_id":"s1"}"#,
    ];

    #[test]
    fn one_row_per_session_with_counts_and_times() {
        let table = table(&LINES);
        assert_eq!(table.session_count(), 2);
        assert_eq!(table.user_count(), 2);
        assert_eq!(table.latest_forwarded_at, Some(40.0));
        let mut rows = table.clone().into_rows();
        sort_rows(&mut rows, RowOrder::LastSeen);
        assert_eq!(rows[0].session_id, "s1");
        assert_eq!((rows[0].actions, rows[0].summaries, rows[0].batches), (2, 1, 2));
        assert_eq!((rows[0].first_seen, rows[0].last_seen), (Some(10.0), Some(40.0)));
        assert_eq!(rows[0].last_url.as_deref(), Some("/z"), "the batch forwarded last, not the line read last");
        assert_eq!(rows[1].email.as_deref(), Some("e@x"));
        sort_rows(&mut rows, RowOrder::Actions);
        assert_eq!(rows[0].session_id, "s1", "ties break on the id");
        assert_eq!(table.event_types.get("usertour_trigger"), Some(&1));
        assert_eq!(top_counts(&table.urls, 1)[0], ("/a".to_string(), 1));
    }

    #[test]
    fn merging_chunks_equals_one_pass() {
        for split in 0..=LINES.len() {
            let mut first = table(&LINES[..split]);
            first.merge(table(&LINES[split..]));
            let mut merged = first.into_rows();
            let mut whole = table(&LINES).into_rows();
            sort_rows(&mut merged, RowOrder::LastSeen);
            sort_rows(&mut whole, RowOrder::LastSeen);
            assert_eq!(merged, whole, "split at {split}");
        }
    }

    #[test]
    fn percentiles_use_nearest_rank() {
        let values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        assert_eq!(percentile(&values, 50.0), 5);
        assert_eq!(percentile(&values, 90.0), 9);
        assert_eq!(percentile(&values, 100.0), 10);
        assert_eq!(percentile(&[], 50.0), 0);
    }

    #[test]
    fn rejected_actions_are_an_error() {
        let mut table = SessionTable::new();
        let line = LightLine::parse(r#"{"type":"actions","actions":"ab"}"#).unwrap();
        assert_eq!(table.add(&line), Err(AggregateError::InvalidActions));
    }
}
