//! `autoplay sessions`: list, show, context, user, stats and drain over a recording, stdin,
//! a Redis event buffer or the live stream. The SDK logic lives in [`crate::sessions`] and the
//! questions in [`crate::sessions::query`]; this module opens the source and prints.

use crate::sessions::ContextOptions;
use crate::sessions::query::{self, ContextQuery, ListQuery};
use crate::sessions::source;
use crate::settings::{
    GlobalSettings, SessionsContextSettings, SessionsDrainSettings, SessionsListSettings, SessionsSettings,
    SessionsShowSettings, SessionsStatsSettings, SessionsUserSettings,
};
use crate::shell::exit::{ExitStatus, UserError};
use crate::shell::output::Format;
use crate::shell::output::LineWriter;

pub(crate) fn run(global: &GlobalSettings, command: SessionsSettings) -> anyhow::Result<ExitStatus> {
    match command {
        SessionsSettings::List(args) => list(global, args),
        SessionsSettings::Show(args) => show(global, args),
        SessionsSettings::Context(args) => context(global, args),
        SessionsSettings::User(args) => user(global, args),
        SessionsSettings::Stats(args) => stats(global, args),
        SessionsSettings::Drain(args) => drain(global, args),
    }
}

fn paint(text: &str, style: &console::Style) -> String {
    crate::shell::ui::paint_stdout(text, style)
}

fn text_format(global: &GlobalSettings, command: &str) -> anyhow::Result<Format> {
    let format = global.format.unwrap_or(Format::Text);
    crate::shell::output::ensure_supported(format, command)?;
    Ok(format)
}

fn print_text(text: &str) -> anyhow::Result<()> {
    let mut out = LineWriter::block_buffered();
    if !text.is_empty() {
        out.line(text)?;
    }
    out.flush()?;
    Ok(())
}

fn print_lines(lines: impl IntoIterator<Item = String>) -> anyhow::Result<()> {
    let mut out = LineWriter::block_buffered();
    for line in lines {
        out.line(&line)?;
    }
    out.flush()?;
    Ok(())
}

fn context(global: &GlobalSettings, args: SessionsContextSettings) -> anyhow::Result<ExitStatus> {
    let format = text_format(global, "sessions context")?;
    let options = ContextOptions::new(!args.no_summary, !args.no_actions, args.lookback, args.max_actions)
        .map_err(|e| UserError::usage(e.to_string()))?;
    let opened = source::open(&args.source)?;
    let q = ContextQuery {
        session: args.session.as_str(),
        product: args.product.as_deref(),
        query: args.query.as_deref(),
        options,
    };
    let answer = query::context(&opened, args.source.at.as_deref(), &q)?;
    for (warning, hint) in answer.fallback_notes(q.session) {
        crate::shell::ui::warn(warning);
        if let Some(hint) = hint {
            crate::shell::ui::hint(hint);
        }
    }
    if answer.text.text.is_empty() {
        crate::shell::ui::info(format!(
            "no context for `{}` at {} (everything is outside the lookback, or both parts are off)",
            q.session,
            source::format_time(answer.at)
        ));
    }
    if format == Format::Json {
        print_text(&answer.to_json(&q).to_string())?;
    } else {
        print_text(&answer.text.text)?;
    }
    Ok(ExitStatus::Success)
}

fn user(global: &GlobalSettings, args: SessionsUserSettings) -> anyhow::Result<ExitStatus> {
    let format = text_format(global, "sessions user")?;
    let opened = source::open(&args.source)?;
    let answer = query::user(opened, args.source.at.as_deref(), &args.user, args.lookback, args.max_sessions)?;
    if format == Format::Json {
        print_text(&answer.to_json().to_string())?;
    } else {
        print_text(&answer.text)?;
    }
    Ok(ExitStatus::Success)
}

fn list(global: &GlobalSettings, args: SessionsListSettings) -> anyhow::Result<ExitStatus> {
    let format = crate::shell::output::resolve_format(global.format);
    crate::shell::output::ensure_supported(format, "sessions list")?;
    let opened = source::open(&args.source)?;
    let q = ListQuery {
        user: args.user.as_deref(),
        product: args.product.as_deref(),
        since: args.since.as_deref(),
        order: args.sort,
        limit: args.limit,
    };
    let listed = query::list(&opened, args.source.at.as_deref(), &q)?;
    if format == Format::Json {
        print_lines(listed.rows.iter().map(|row| query::row_json(row).to_string()))?;
    } else {
        print_lines(query::list_table(&listed.rows, &paint))?;
    }
    let (shown, total) = (listed.rows.len(), listed.total);
    if shown < total {
        crate::shell::ui::info(format!(
            "showing {shown} of {total} {} (--limit {shown})",
            crate::shell::output::plural(total, "session", "sessions")
        ));
    } else if total == 0 {
        crate::shell::ui::info("no sessions match");
    }
    Ok(ExitStatus::Success)
}

fn show(global: &GlobalSettings, args: SessionsShowSettings) -> anyhow::Result<ExitStatus> {
    let format = crate::shell::output::resolve_format(global.format);
    crate::shell::output::ensure_supported(format, "sessions show")?;
    let opened = source::open(&args.source)?;
    let shown = query::show(&opened, &args.session, args.product.as_deref())?;
    if format == Format::Json {
        print_lines(shown.records().map(|r| r.to_string()))?;
    } else {
        print_lines(shown.lines(&paint))?;
    }
    Ok(ExitStatus::Success)
}

fn stats(global: &GlobalSettings, args: SessionsStatsSettings) -> anyhow::Result<ExitStatus> {
    let format = crate::shell::output::resolve_format(global.format);
    crate::shell::output::ensure_supported(format, "sessions stats")?;
    let opened = source::open(&args.source)?;
    let document = query::stats(&opened, args.top)?;
    if format == Format::Json {
        print_text(&document.to_string())?;
    } else {
        print_lines(query::stats_lines(&document, &paint))?;
    }
    Ok(ExitStatus::Success)
}

// ---------------------------------------------------------------------------------------------
// drain
// ---------------------------------------------------------------------------------------------

fn drain(global: &GlobalSettings, args: SessionsDrainSettings) -> anyhow::Result<ExitStatus> {
    let format = global.format.unwrap_or(Format::Json);
    crate::shell::output::ensure_supported(format, "sessions drain")?;
    if !(args.from.starts_with("redis://") || args.from.starts_with("rediss://") || args.from.starts_with("unix://")) {
        return Err(crate::usage_error!("`sessions drain` reads a Redis buffer: --from redis://host:port[/db]"));
    }
    let runtime = super::runtime()?;
    let contents = runtime
        .block_on(async {
            let mut buffer = crate::stream::redis::RedisEventBuffer::connect(&args.from, &args.prefix, 120.0).await?;
            buffer.drain().await
        })
        .map_err(source::redis_error)?;
    source::report_skipped(&contents);
    let mut out = LineWriter::block_buffered();
    for entry in &contents.entries {
        out.line(&entry.body)?;
    }
    out.flush()?;
    crate::shell::ui::info(format!(
        "drained {} from {} of prefix `{}`",
        crate::shell::output::count(contents.entries.len(), "payload", "payloads"),
        crate::shell::output::count(contents.sessions, "session", "sessions"),
        args.prefix
    ));
    Ok(ExitStatus::Success)
}
