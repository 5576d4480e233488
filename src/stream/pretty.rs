//! The human form of stream events (`--format pretty`): a time, the session, the user, then
//! one line per action. Pure string building; the caller decides where it goes and whether
//! colour is on.

use console::Style;

use crate::event::model::{ActionsPayload, Event, SummaryPayload};

/// Colours used for events (all off when `color` is false).
struct Palette {
    color: bool,
}

impl Palette {
    fn paint(&self, text: &str, style: Style) -> String {
        if self.color { style.force_styling(true).apply_to(text).to_string() } else { text.to_string() }
    }
}

/// `HH:MM:SS` in local time for a unix timestamp; `--:--:--` when unknown.
pub(crate) fn clock(unix: f64) -> String {
    if unix <= 0.0 || !unix.is_finite() {
        return "--:--:--".into();
    }
    let seconds = unix.floor() as i64;
    match chrono::DateTime::from_timestamp(seconds, 0) {
        Some(utc) => utc.with_timezone(&chrono::Local).format("%H:%M:%S").to_string(),
        None => "--:--:--".into(),
    }
}

/// Renders one event as lines (without trailing newline). `raw` is the frame's data, shown
/// for summaries and other events when `show_raw` is on.
pub(crate) fn render_event(event: &Event, raw: &str, show_raw: bool, color: bool) -> String {
    let palette = Palette { color };
    match event {
        Event::Actions(payload) => render_actions(payload, &palette),
        Event::Summary(summary) => {
            let mut text = render_summary(summary, &palette);
            if show_raw {
                text.push('\n');
                text.push_str(&palette.paint(&format!("  {raw}"), Style::new().dim()));
            }
            text
        }
        Event::UsertourTrigger(tour) => {
            let mut text = format!(
                "{}  {}  {}  {} {} ({})",
                palette.paint(&clock(tour.ts.or(tour.forwarded_at).unwrap_or(0.0)), Style::new().dim()),
                palette.paint(tour.session_id.as_deref().unwrap_or("unknown"), Style::new().cyan()),
                palette.paint(tour.user_id.as_deref().unwrap_or("-"), Style::new().blue()),
                palette.paint("tour", Style::new().magenta().bold()),
                tour.flow_id,
                if tour.reason.is_empty() { "no reason" } else { &tour.reason },
            );
            if show_raw {
                text.push('\n');
                text.push_str(&palette.paint(&format!("  {raw}"), Style::new().dim()));
            }
            text
        }
        Event::Other { event_type, .. } => {
            let label = event_type.as_deref().unwrap_or("(no type)");
            if show_raw {
                format!("{}  {raw}", palette.paint(label, Style::new().magenta()))
            } else {
                format!("{}  (use --all to see the data)", palette.paint(label, Style::new().magenta()))
            }
        }
    }
}

fn render_actions(payload: &ActionsPayload, palette: &Palette) -> String {
    let session = payload.session_id.as_deref().unwrap_or("unknown");
    let who = payload.email.as_deref().or(payload.user_id.as_deref()).unwrap_or("anonymous");
    let mut lines = Vec::with_capacity(payload.actions.len().max(1));
    if payload.actions.is_empty() {
        lines.push(format!(
            "{}  {}  {}  (no actions)",
            palette.paint(&clock(payload.forwarded_at), Style::new().dim()),
            palette.paint(session, Style::new().cyan()),
            palette.paint(who, Style::new().blue()),
        ));
    }
    for action in &payload.actions {
        let at = if action.timestamp_start > 0.0 { action.timestamp_start } else { payload.forwarded_at };
        let kind_style = match action.action_type.as_str() {
            "pageview" => Style::new().green(),
            "click" => Style::new().yellow(),
            _ => Style::new().white(),
        };
        let kind = if action.action_type.is_empty() { "action" } else { &action.action_type };
        let what = if action.title.is_empty() { &action.description } else { &action.title };
        lines.push(format!(
            "{}  {}  {}  {}  {}  {}",
            palette.paint(&clock(at), Style::new().dim()),
            palette.paint(session, Style::new().cyan()),
            palette.paint(who, Style::new().blue()),
            palette.paint(&format!("{kind:<8}"), kind_style),
            what,
            palette.paint(&action.canonical_url, Style::new().dim()),
        ));
    }
    lines.join("\n")
}

fn render_summary(summary: &SummaryPayload, palette: &Palette) -> String {
    format!(
        "{}  {}  {}  {}",
        palette.paint(&clock(summary.forwarded_at), Style::new().dim()),
        palette.paint(summary.session_id.as_deref().unwrap_or("unknown"), Style::new().cyan()),
        palette.paint("summary ", Style::new().magenta().bold()),
        summary.summary,
    )
}
