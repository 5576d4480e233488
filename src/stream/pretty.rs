//! The human form of stream events (`--format pretty`), laid out for a terminal width:
//!
//! ```text
//! ── Wed 2 Dec 2026 · times in UTC (+00:00) ──
//! 14:03:07  ps_8f2…e91ab  u_42 ann@acme.io  pageview  Billing  /settings/billing
//! ```
//!
//! - Fixed-width columns: the local time, the session (long ids keep both ends), the user
//!   (the id, then the email), the action type; then the title and the URL in what is left.
//! - A date line before the first event and whenever the day changes; the first one names
//!   the time zone the clock column is in.
//! - A URL too long for its room loses its scheme, then its host, then the start of its
//!   path: the end of the path, which tells pages apart, stays.
//! - No line is wider than the width (summaries and raw frames wrap under their column).
//!
//! Pure string building; the caller decides where it goes, how wide and whether colour is on.

use chrono::{DateTime, FixedOffset, NaiveDate, Offset, TimeZone};
use console::Style;

use crate::event::model::{ActionsPayload, Event, SummaryPayload, UsertourTrigger};

/// Width of the clock column (`HH:MM:SS`).
const CLOCK: usize = 8;
/// Width of the action type column.
const KIND: usize = 8;
/// Space between columns.
const GAP: &str = "  ";
/// The narrowest width laid out; narrower terminals get lines cut at their width.
const MIN_WIDTH: usize = 40;

/// The time zone of the clock column.
#[derive(Debug, Clone, Copy)]
enum Zone {
    /// The machine's local time (`TZ` or the system setting).
    Local,
    /// A fixed offset (tests).
    #[cfg(test)]
    Fixed(FixedOffset),
}

/// Renders events one after the other, remembering the day of the last line shown.
pub(crate) struct Pretty {
    width: usize,
    color: bool,
    show_raw: bool,
    zone: Zone,
    /// The day of the last date line; `None` before the first.
    day: Option<NaiveDate>,
    session_width: usize,
    user_width: usize,
}

impl Pretty {
    /// A renderer for `width` columns in local time. `show_raw` adds the raw JSON of
    /// summaries and other frames (`tail --all`).
    pub(crate) fn new(width: usize, color: bool, show_raw: bool) -> Pretty {
        let width = width.max(MIN_WIDTH);
        let (session_width, user_width) = match width {
            0..80 => (10, 12),
            80..100 => (12, 16),
            100..140 => (14, 22),
            _ => (18, 30),
        };
        Pretty { width, color, show_raw, zone: Zone::Local, day: None, session_width, user_width }
    }

    /// The same renderer with the clock in a fixed offset instead of local time.
    #[cfg(test)]
    fn in_offset(mut self, offset: FixedOffset) -> Pretty {
        self.zone = Zone::Fixed(offset);
        self
    }

    /// Renders one event as lines (without a trailing newline); `raw` is the frame's data.
    pub(crate) fn render(&mut self, event: &Event, raw: &str) -> String {
        let mut lines = Vec::new();
        match event {
            Event::Actions(payload) => self.actions(payload, &mut lines),
            Event::Summary(summary) => {
                self.summary(summary, &mut lines);
                self.raw(raw, &mut lines);
            }
            Event::UsertourTrigger(tour) => {
                self.tour(tour, &mut lines);
                self.raw(raw, &mut lines);
            }
            Event::Other { event_type, .. } => {
                let label = self.paint(event_type.as_deref().unwrap_or("(no type)"), Style::new().magenta());
                if self.show_raw {
                    lines.push(label);
                    self.raw(raw, &mut lines);
                } else {
                    lines.push(self.cut(&format!("{label}{GAP}(use --all to see the data)")));
                }
            }
        }
        // Cells are cut to their columns already; this catches the narrowest terminals.
        let lines: Vec<String> = lines.iter().map(|line| self.cut(line)).collect();
        lines.join("\n")
    }

    fn actions(&mut self, payload: &ActionsPayload, lines: &mut Vec<String>) {
        let session = self.session_cell(payload.session_id.as_deref());
        let user = self.user_cell(payload.user_id.as_deref(), payload.email.as_deref());
        if payload.actions.is_empty() {
            let clock = self.clock(payload.forwarded_at, lines);
            lines.push(self.cut(&format!("{clock}{GAP}{session}{GAP}{user}{GAP}(no actions)")));
        }
        let rest = self.width.saturating_sub(CLOCK + self.session_width + self.user_width + KIND + 4 * GAP.len());
        for action in &payload.actions {
            let at = if action.timestamp_start > 0.0 { action.timestamp_start } else { payload.forwarded_at };
            let clock = self.clock(at, lines);
            let kind_style = match action.action_type.as_str() {
                "pageview" => Style::new().green(),
                "click" => Style::new().yellow(),
                _ => Style::new().white(),
            };
            let kind = if action.action_type.is_empty() { "action" } else { &action.action_type };
            let kind = self.paint(&pad(&cut_end(kind, KIND), KIND), kind_style);
            let what = if action.title.is_empty() { &action.description } else { &action.title };
            let (what, url) = fit_title_and_url(what, &action.canonical_url, rest);
            let mut line = format!("{clock}{GAP}{session}{GAP}{user}{GAP}{kind}{GAP}{what}");
            if !url.is_empty() {
                line.push_str(GAP);
                line.push_str(&self.paint(&url, Style::new().dim()));
            }
            lines.push(line);
        }
    }

    fn summary(&mut self, summary: &SummaryPayload, lines: &mut Vec<String>) {
        let clock = self.clock(summary.forwarded_at, lines);
        let session = self.session_cell(summary.session_id.as_deref());
        let label = self.paint(&pad("summary", KIND), Style::new().magenta().bold());
        let indent = CLOCK + self.session_width + KIND + 3 * GAP.len();
        let room = self.width.saturating_sub(indent).max(10);
        let mut text = crate::shell::ui::wrap_words(&summary.summary, "", "", room).into_iter();
        let first = text.next().unwrap_or_default();
        lines.push(format!("{clock}{GAP}{session}{GAP}{label}{GAP}{first}"));
        lines.extend(text.map(|line| format!("{}{line}", " ".repeat(indent))));
    }

    fn tour(&mut self, tour: &UsertourTrigger, lines: &mut Vec<String>) {
        let clock = self.clock(tour.ts.or(tour.forwarded_at).unwrap_or(0.0), lines);
        let session = self.session_cell(tour.session_id.as_deref());
        let user = self.user_cell(tour.user_id.as_deref(), None);
        let label = self.paint(&pad("tour", KIND), Style::new().magenta().bold());
        let reason = if tour.reason.is_empty() { "no reason" } else { &tour.reason };
        let rest = self.width.saturating_sub(CLOCK + self.session_width + self.user_width + KIND + 4 * GAP.len());
        let what = cut_end(&format!("{} ({reason})", tour.flow_id), rest.max(1));
        lines.push(format!("{clock}{GAP}{session}{GAP}{user}{GAP}{label}{GAP}{what}"));
    }

    /// The raw frame under the event, wrapped at the width (`--all`).
    fn raw(&self, raw: &str, lines: &mut Vec<String>) {
        if !self.show_raw {
            return;
        }
        for chunk in wrap_chars(raw, self.width - 2) {
            lines.push(self.paint(&format!("  {chunk}"), Style::new().dim()));
        }
    }

    /// The clock cell for `unix`, after a date line when the day changed.
    fn clock(&mut self, unix: f64, lines: &mut Vec<String>) -> String {
        let Some(time) = self.local(unix) else { return self.paint("--:--:--", Style::new().dim()) };
        let day = time.date_naive();
        if self.day != Some(day) {
            let date = time.format("%a %-d %b %Y").to_string();
            let text = match self.day {
                None => format!("── {date} · times in {} ──", self.zone_name(time.offset())),
                Some(_) => format!("── {date} ──"),
            };
            lines.push(self.paint(&cut_end(&text, self.width), Style::new().bold()));
            self.day = Some(day);
        }
        self.paint(&time.format("%H:%M:%S").to_string(), Style::new().dim())
    }

    fn local(&self, unix: f64) -> Option<DateTime<FixedOffset>> {
        if unix <= 0.0 || !unix.is_finite() {
            return None;
        }
        let utc = DateTime::from_timestamp(unix.floor() as i64, 0)?;
        Some(match self.zone {
            Zone::Local => {
                let offset = chrono::Local.offset_from_utc_datetime(&utc.naive_utc()).fix();
                utc.with_timezone(&offset)
            }
            #[cfg(test)]
            Zone::Fixed(offset) => utc.with_timezone(&offset),
        })
    }

    /// `Europe/Paris (+01:00)` when `TZ` names the zone, else `local time (+01:00)`.
    fn zone_name(&self, offset: &FixedOffset) -> String {
        let name = match self.zone {
            Zone::Local => std::env::var("TZ")
                .ok()
                .map(|tz| tz.trim_start_matches(':').to_string())
                .filter(|tz| !tz.is_empty())
                .unwrap_or_else(|| "local time".into()),
            #[cfg(test)]
            Zone::Fixed(_) => "UTC offset".into(),
        };
        format!("{name} ({offset})")
    }

    fn session_cell(&self, session: Option<&str>) -> String {
        let text = cut_middle(session.unwrap_or("unknown"), self.session_width);
        self.paint(&pad(&text, self.session_width), Style::new().cyan())
    }

    /// The user id, then the email; `anonymous` with neither.
    fn user_cell(&self, user: Option<&str>, email: Option<&str>) -> String {
        let text = match (user, email) {
            (Some(user), Some(email)) if user != email => format!("{user} {email}"),
            (Some(user), _) => user.to_string(),
            (None, Some(email)) => email.to_string(),
            (None, None) => "anonymous".into(),
        };
        self.paint(&pad(&cut_end(&text, self.user_width), self.user_width), Style::new().blue())
    }

    fn paint(&self, text: &str, style: Style) -> String {
        if self.color { style.force_styling(true).apply_to(text).to_string() } else { text.to_string() }
    }

    /// `line` cut to the width (colour codes do not count).
    fn cut(&self, line: &str) -> String {
        console::truncate_str(line, self.width, "…").into_owned()
    }
}

/// How many columns `text` takes.
fn width_of(text: &str) -> usize {
    console::measure_text_width(text)
}

/// `text` padded with spaces to `width` columns.
fn pad(text: &str, width: usize) -> String {
    let missing = width.saturating_sub(width_of(text));
    format!("{text}{}", " ".repeat(missing))
}

/// `text` in at most `width` columns, its end replaced by `…` when it is longer.
fn cut_end(text: &str, width: usize) -> String {
    console::truncate_str(text, width, "…").into_owned()
}

/// `text` in at most `width` columns, its middle replaced by `…` (ids differ at both ends).
fn cut_middle(text: &str, width: usize) -> String {
    if width_of(text) <= width {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let keep = width.saturating_sub(1);
    let tail = keep / 2 + keep % 2;
    let head = keep - tail;
    let start: String = chars[..head.min(chars.len())].iter().collect();
    let end: String = chars[chars.len().saturating_sub(tail)..].iter().collect();
    format!("{start}…{end}")
}

/// The title and the URL of an action in `room` columns (with a gap between): both whole
/// when they fit; else the URL is shortened first (down to what is left after at most 2/5
/// of the room for the title) and the title takes what the URL leaves.
fn fit_title_and_url(title: &str, url: &str, room: usize) -> (String, String) {
    let (title_width, url_width) = (width_of(title), width_of(url));
    if url.is_empty() {
        return (cut_end(title, room.max(1)), String::new());
    }
    if title_width + GAP.len() + url_width <= room {
        return (title.to_string(), url.to_string());
    }
    let title_budget = title_width.min(room * 2 / 5);
    let url = shorten_url(url, room.saturating_sub(title_budget + GAP.len()).max(1));
    let title_room = room.saturating_sub(width_of(&url) + GAP.len());
    let title = if title_room == 0 { String::new() } else { cut_end(title, title_room) };
    (title, url)
}

/// `url` in at most `width` columns, keeping the end of its path: without the query, then
/// without the scheme, then
/// without the host, then `…` and the path's last characters (from a `/` where one is near).
pub(crate) fn shorten_url(url: &str, width: usize) -> String {
    if width_of(url) <= width {
        return url.to_string();
    }
    // The query and fragment go first: the path names the page.
    let url = url.split(['?', '#']).next().unwrap_or(url);
    if width_of(url) <= width {
        return url.to_string();
    }
    let without_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    if width_of(without_scheme) <= width {
        return without_scheme.to_string();
    }
    let path = match url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or(rest, |at| &rest[at..]),
        None => url,
    };
    if width_of(path) <= width && !path.is_empty() {
        return path.to_string();
    }
    let chars: Vec<char> = path.chars().collect();
    let keep = width.saturating_sub(1);
    let mut tail: String = chars[chars.len().saturating_sub(keep)..].iter().collect();
    // Start at a segment boundary when that keeps at least half the room.
    if let Some(at) = tail.find('/')
        && at > 0
        && tail[at..].chars().count() * 2 >= keep
    {
        tail = tail[at..].to_string();
    }
    format!("…{tail}")
}

/// `text` in chunks of at most `width` characters (raw JSON has no good break points).
fn wrap_chars(text: &str, width: usize) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    chars.chunks(width.max(1)).map(|chunk| chunk.iter().collect()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events() -> Vec<(Event, String)> {
        let day = 1_764_633_600.0 - 3600.0; // 2025-12-02 00:00:00 at +01:00
        let frames = [
            serde_json::json!({"type": "actions", "product_id": "acme", "session_id": "ps_8f2c1a77d0e94b3aa5e91ab",
                "user_id": "u_42", "email": "ann@acme.io", "forwarded_at": day + 86_390.0, "count": 2, "actions": [
                {"type": "pageview", "title": "Billing", "description": "", "canonical_url": "https://app.acme.io/settings/billing",
                 "timestamp_start": day + 86_390.0},
                {"type": "click", "title": "Download the invoice for November as a PDF", "description": "",
                 "canonical_url": "https://app.acme.io/settings/billing/invoices/2025-11/inv_7f3a9c2b/download?format=pdf",
                 "timestamp_start": day + 86_401.0}]}),
            serde_json::json!({"type": "actions", "product_id": "acme", "session_id": "s2", "forwarded_at": day + 86_500.0,
                "count": 1, "actions": [{"type": "pageview", "title": "Home", "canonical_url": "/", "timestamp_start": day + 86_500.0}]}),
            serde_json::json!({"type": "summary", "product_id": "acme", "session_id": "ps_8f2c1a77d0e94b3aa5e91ab",
                "forwarded_at": day + 86_510.0, "replaces": 2,
                "summary": "The user opened billing, then downloaded the November invoice as a PDF and went back home."}),
            serde_json::json!({"type": "usertour_trigger", "product_id": "acme", "flow_id": "flow_billing_help",
                "reason": "billing ping-pong", "user_id": "u_42", "session_id": "s2", "ts": day + 86_520.0}),
        ];
        frames.iter().map(|f| (Event::from_value(f).unwrap(), f.to_string())).collect()
    }

    fn render_all(width: usize, show_raw: bool) -> String {
        let mut pretty = Pretty::new(width, false, show_raw).in_offset(FixedOffset::east_opt(3600).unwrap());
        events().iter().map(|(e, raw)| pretty.render(e, raw)).collect::<Vec<_>>().join("\n")
    }

    #[test]
    fn at_80_columns() {
        let text = render_all(80, false);
        assert!(text.lines().all(|l| width_of(l) <= 80), "{text}");
        insta::assert_snapshot!(text);
    }

    #[test]
    fn at_120_columns_with_raw_frames() {
        let text = render_all(120, true);
        assert!(text.lines().all(|l| width_of(l) <= 120), "{text}");
        insta::assert_snapshot!(text);
    }

    #[test]
    fn nothing_wider_than_a_narrow_terminal() {
        let text = render_all(40, true);
        assert!(text.lines().all(|l| width_of(l) <= 40), "{text}");
    }

    #[test]
    fn urls_keep_the_end_of_their_path() {
        let url = "https://app.acme.io/settings/billing/invoices/2025-11/download";
        assert_eq!(shorten_url(url, 80), url);
        assert_eq!(shorten_url(url, 58), "app.acme.io/settings/billing/invoices/2025-11/download");
        assert_eq!(shorten_url(url, 45), "/settings/billing/invoices/2025-11/download");
        assert_eq!(shorten_url(url, 30), "…/invoices/2025-11/download");
        assert_eq!(shorten_url(url, 12), "…/download");
        assert!(shorten_url(url, 5).chars().count() <= 5);
        assert_eq!(shorten_url("https://a.io/x/report?from=2025-01-01&to=2025-12-31", 20), "a.io/x/report");
    }

    #[test]
    fn long_ids_keep_both_ends() {
        assert_eq!(cut_middle("ps_8f2c1a77d0e94b3aa5e91ab", 12), "ps_8f…5e91ab");
        assert_eq!(cut_middle("s1", 12), "s1");
    }
}
