//! The sessions part of `autoplay demo`: the sessions of a recording and the SDK context
//! text of the most recent one, as printable lines.

use anyhow::Context;

use super::aggregate::{RowOrder, SessionTable, sort_rows};
use super::context::ContextOptions;
use super::feed::SessionFeed;
use super::line::LightLine;
use crate::event::line::{self, LineScratch};

/// Sessions listed by name; the rest are counted.
const LISTED: usize = 12;

/// Lines for `autoplay demo`: the sessions of a recording (newest first, at most 5) and the
/// SDK context text of the most recent one (at most 10 actions, at its last activity).
pub(crate) fn demo_summary(recording_jsonl: &str) -> anyhow::Result<Vec<String>> {
    let lines = || recording_jsonl.lines().enumerate().filter(|(_, l)| !l.trim().is_empty());
    let mut table = SessionTable::rows_only();
    let mut scratch = LineScratch::new();
    for (i, text) in lines() {
        let bad = |e: &dyn std::fmt::Display| anyhow::anyhow!("the demo recording:{}: {e}", i + 1);
        let view = line::read(text, &mut scratch).map_err(|e| bad(&e))?;
        let light = LightLine::from_view(&view).map_err(|e| bad(&e))?;
        table.add(&light).map_err(|e| bad(&format!("the SDK rejects this line: {e}")))?;
    }
    let sessions = table.session_count();
    let mut rows = table.into_rows();
    sort_rows(&mut rows, RowOrder::LastSeen);
    let plural = |n: usize, one: &str, many: &str| crate::shell::output::count(n, one, many);
    let mut out = vec![format!("{} in the recording:", plural(sessions, "session", "sessions"))];
    for row in rows.iter().take(LISTED) {
        out.push(format!(
            "  {} / {}  user {}  {}  last at {}",
            if row.product_id.is_empty() { "-" } else { &row.product_id },
            row.session_id,
            row.user_id.as_deref().unwrap_or("-"),
            plural(row.actions as usize, "action", "actions"),
            row.last_url.as_deref().unwrap_or("-")
        ));
    }
    if rows.len() > LISTED {
        out.push(format!("  … and {} more", rows.len() - LISTED));
    }
    if let Some(newest) = rows.first() {
        let mut feed = SessionFeed::for_sessions([newest.session_id.as_str()]);
        for (_, text) in lines() {
            let view = line::read(text, &mut scratch).context("the demo recording has a bad line")?;
            let event = view.event().context("the demo recording has a bad line")?;
            feed.add(event.context("the demo recording has a bad line")?);
        }
        let product = Some(newest.product_id.as_str()).filter(|p| !p.is_empty());
        let options = ContextOptions::new(true, true, None, Some(10)).unwrap_or_default();
        let text = feed.store.get(&newest.session_id, product, &options, newest.last_seen.unwrap_or(0.0)).text;
        out.push(String::new());
        out.push(format!("Context of {} (the latest 10 actions):", newest.session_id));
        out.extend(text.lines().map(|l| format!("  {l}")));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_summary_lists_sessions_and_one_context() {
        let recording = concat!(
            r#"{"type":"actions","product_id":"demo","session_id":"s1","user_id":"u1","forwarded_at":10,"actions":[{"index":0,"type":"click","description":"Old","canonical_url":"/a"}]}"#,
            "\n",
            r#"{"type":"actions","product_id":"demo","session_id":"s2","user_id":"u2","forwarded_at":20,"actions":[{"index":0,"type":"pageview","description":"New","canonical_url":"/b"}]}"#,
            "\n",
            r#"{"type":"summary","product_id":"demo","session_id":"s2","summary":"Looked around.","forwarded_at":21}"#,
            "\n"
        );
        let lines = demo_summary(recording).unwrap();
        assert_eq!(lines[0], "2 sessions in the recording:");
        assert!(lines[1].contains("demo / s2") && lines[2].contains("demo / s1"), "{lines:?}");
        let text = lines.join("\n");
        assert!(
            text.contains("  Summary: Looked around.\n  \n  Recent activity:\n  1. [0] pageview: New — /b"),
            "{text}"
        );
    }

    #[test]
    fn the_embedded_demo_recording_reads() {
        let lines = demo_summary(include_str!("../../templates/demo-recording.jsonl")).unwrap();
        assert_eq!(lines[0], "8 sessions in the recording:");
    }
}
