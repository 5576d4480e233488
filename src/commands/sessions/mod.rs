//! `autoplay sessions`: list, show, context, user, stats and drain over a recording, stdin,
//! a Redis event buffer or the live stream. The SDK logic lives in [`crate::sessions`] and the
//! questions in [`crate::sessions::query`]; this module opens the source and prints.

use crate::cli::{
    Format, GlobalArgs, SessionSort, SessionsCommand, SessionsContextArgs, SessionsDrainArgs, SessionsListArgs,
    SessionsShowArgs, SessionsStatsArgs, SessionsUserArgs, SourceArgs,
};
use crate::sessions::ContextOptions;
use crate::sessions::query::{self, ContextQuery, ListQuery};
use crate::sessions::source::{self, LiveSpec, Opened, SourceSpec};
use crate::shell::exit::{ExitStatus, UserError};
use crate::shell::output::LineWriter;

pub fn run(global: &GlobalArgs, command: SessionsCommand) -> anyhow::Result<ExitStatus> {
    match command {
        SessionsCommand::List(args) => list(global, args),
        SessionsCommand::Show(args) => show(global, args),
        SessionsCommand::Context(args) => context(global, args),
        SessionsCommand::User(args) => user(global, args),
        SessionsCommand::Stats(args) => stats(global, args),
        SessionsCommand::Drain(args) => drain(global, args),
    }
}

/// The source flags as a [`SourceSpec`]; `product` names the live stream.
fn spec(source: &SourceArgs, product: Option<&str>) -> SourceSpec {
    SourceSpec {
        from: source.from.clone(),
        prefix: source.prefix.clone(),
        live: source.live.then(|| LiveSpec {
            stream: source.live_stream.to_stream_args(product),
            duration: source.duration,
            max_retries: source.live_stream.max_retries,
            idle_timeout: source.live_stream.idle_timeout,
            connect_timeout: source.live_stream.connect_timeout,
        }),
    }
}

fn open(source: &SourceArgs, product: Option<&str>) -> anyhow::Result<Opened> {
    source::open(&spec(source, product))
}

fn paint(text: &str, style: &console::Style) -> String {
    crate::shell::ui::paint_stdout(text, style)
}

fn text_format(global: &GlobalArgs, command: &str) -> anyhow::Result<Format> {
    let format = global.format.unwrap_or(Format::Text);
    crate::shell::output::ensure_supported(format, &[Format::Text, Format::Pretty, Format::Json], command)?;
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

fn context(global: &GlobalArgs, args: SessionsContextArgs) -> anyhow::Result<ExitStatus> {
    let format = text_format(global, "sessions context")?;
    let options = ContextOptions::new(!args.no_summary, !args.no_actions, args.lookback, args.max_actions)
        .map_err(|e| UserError::usage(e.to_string()))?;
    let opened = open(&args.source, args.product.as_deref())?;
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

fn user(global: &GlobalArgs, args: SessionsUserArgs) -> anyhow::Result<ExitStatus> {
    let format = text_format(global, "sessions user")?;
    let opened = open(&args.source, None)?;
    let answer = query::user(opened, args.source.at.as_deref(), &args.user, args.lookback, args.max_sessions)?;
    if format == Format::Json {
        print_text(&answer.to_json().to_string())?;
    } else {
        print_text(&answer.text)?;
    }
    Ok(ExitStatus::Success)
}

fn list(global: &GlobalArgs, args: SessionsListArgs) -> anyhow::Result<ExitStatus> {
    let format = crate::shell::output::resolve_format(global.format);
    crate::shell::output::ensure_supported(format, &[Format::Pretty, Format::Json], "sessions list")?;
    let opened = open(&args.source, args.product.as_deref())?;
    let q = ListQuery {
        user: args.user.as_deref(),
        product: args.product.as_deref(),
        since: args.since.as_deref(),
        by_actions: args.sort == SessionSort::Actions,
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
        crate::shell::ui::info(format!("showing {shown} of {total} sessions (--limit {shown})"));
    } else if total == 0 {
        crate::shell::ui::info("no sessions match");
    }
    Ok(ExitStatus::Success)
}

fn show(global: &GlobalArgs, args: SessionsShowArgs) -> anyhow::Result<ExitStatus> {
    let format = crate::shell::output::resolve_format(global.format);
    crate::shell::output::ensure_supported(format, &[Format::Pretty, Format::Json], "sessions show")?;
    let opened = open(&args.source, args.product.as_deref())?;
    let shown = query::show(&opened, &args.session, args.product.as_deref())?;
    if format == Format::Json {
        print_lines(shown.records().map(|r| r.to_string()))?;
    } else {
        print_lines(shown.lines(&paint))?;
    }
    Ok(ExitStatus::Success)
}

fn stats(global: &GlobalArgs, args: SessionsStatsArgs) -> anyhow::Result<ExitStatus> {
    let format = crate::shell::output::resolve_format(global.format);
    crate::shell::output::ensure_supported(format, &[Format::Pretty, Format::Json], "sessions stats")?;
    let opened = open(&args.source, None)?;
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

fn drain(global: &GlobalArgs, args: SessionsDrainArgs) -> anyhow::Result<ExitStatus> {
    let format = global.format.unwrap_or(Format::Json);
    crate::shell::output::ensure_supported(format, &[Format::Json], "sessions drain")?;
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
        "drained {} payload(s) from {} session(s) of prefix `{}`",
        contents.entries.len(),
        contents.sessions,
        args.prefix
    ));
    Ok(ExitStatus::Success)
}
