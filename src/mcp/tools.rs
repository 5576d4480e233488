//! The tools and resources of `autoplay mcp`. Each tool checks its paths against the
//! [`Sandbox`], then calls the library code the matching command uses
//! ([`crate::sessions::query`], [`crate::simulate`], [`crate::triggers::report`],
//! [`crate::connector::credentials`]) on a thread of its own, and answers with text an LLM
//! reads well plus the same data as structured JSON. A failure is a tool error carrying the
//! message the command would print.

use std::sync::Arc;
use std::time::Duration;

use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::{
    CallToolResult, ContentBlock, Implementation, ListResourcesResult, PaginatedRequestParams,
    ProgressNotificationParam, ReadResourceRequestParams, ReadResourceResponse, ReadResourceResult, Resource,
    ResourceContents, ServerCapabilities, ServerConfig,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler, schemars, tool, tool_handler, tool_router};
use serde::Deserialize;
use serde_json::{Value, json};

use super::bound;
use super::sandbox::Sandbox;
use crate::connector::credentials::{self, StreamSource};
use crate::sessions::ContextOptions;
use crate::sessions::aggregate::RowOrder;
use crate::sessions::query::{self, ContextQuery, ListQuery, plain};
use crate::sessions::source;
use crate::settings::{ConnectionSettings, ExplainSettings, SourceSettings};
use crate::shell::exit::UserError;
use crate::triggers::engine::{self, SimOptions, WhyMode};
use crate::triggers::focus::{self, Focus, TimeBound};

/// The MCP server: the readable folders and the tool table.
#[derive(Clone)]
pub(crate) struct AutoplayServer {
    sandbox: Arc<Sandbox>,
    tool_router: ToolRouter<Self>,
}

// ---------------------------------------------------------------------------------------------
// Tool inputs (their JSON schemas come from these types)
// ---------------------------------------------------------------------------------------------

/// Where session data comes from: one of `from` or `live_seconds`.
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
pub(crate) struct SourceInput {
    /// A recording (JSON Lines, as `autoplay tail --record` writes) under the server's folder,
    /// or a Redis event buffer `redis://host:port[/db]` (read, not consumed)
    pub(crate) from: Option<String>,
    /// Key prefix of the Redis buffer (default `default`)
    pub(crate) prefix: Option<String>,
    /// Listen to the live stream of the saved profile for this many seconds instead (at most 120)
    pub(crate) live_seconds: Option<f64>,
    /// Reference time for lookbacks: unix seconds or RFC 3339 (default: the latest
    /// `forwarded_at` in the data, the wall clock for live data)
    pub(crate) at: Option<String>,
}

/// `sessions_list`.
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
pub(crate) struct ListInput {
    #[serde(flatten)]
    pub(crate) source: SourceInput,
    /// Only sessions of this user id
    pub(crate) user: Option<String>,
    /// Only sessions of this product id
    pub(crate) product: Option<String>,
    /// Only sessions seen since: a duration before `at` (`10m`), unix seconds or RFC 3339
    pub(crate) since: Option<String>,
    /// Sort by action count instead of last seen
    #[serde(default)]
    pub(crate) by_actions: bool,
    /// At most this many rows (default 50)
    pub(crate) limit: Option<usize>,
}

/// `session_show`.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
pub(crate) struct ShowInput {
    /// The session id
    pub(crate) session: String,
    #[serde(flatten)]
    pub(crate) source: SourceInput,
    /// Product id, when the session exists under several products
    pub(crate) product: Option<String>,
}

/// `session_context`.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
pub(crate) struct ContextInput {
    /// The session id
    pub(crate) session: String,
    #[serde(flatten)]
    pub(crate) source: SourceInput,
    /// Product id (without it the SDK falls back to the session's only product-scoped bucket)
    pub(crate) product: Option<String>,
    /// A user question: returns the SDK `enrich` text for it
    pub(crate) query: Option<String>,
    /// Only actions newer than this many seconds before `at`
    pub(crate) lookback: Option<f64>,
    /// At most this many most recent actions
    pub(crate) max_actions: Option<i64>,
    /// Leave out the summary
    #[serde(default)]
    pub(crate) no_summary: bool,
    /// Leave out the actions
    #[serde(default)]
    pub(crate) no_actions: bool,
}

/// `user_activity`.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
pub(crate) struct UserInput {
    /// The user id passed to identify()
    pub(crate) user: String,
    #[serde(flatten)]
    pub(crate) source: SourceInput,
    /// Only sessions active within this many seconds before `at` (default 300)
    pub(crate) lookback: Option<f64>,
    /// Per-user cap on remembered sessions (default 20)
    pub(crate) max_sessions: Option<i64>,
}

/// `sessions_stats`.
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
pub(crate) struct StatsInput {
    #[serde(flatten)]
    pub(crate) source: SourceInput,
    /// Number of top URLs (default 10)
    pub(crate) top: Option<usize>,
}

/// `triggers_validate`.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
pub(crate) struct ValidateInput {
    /// The trigger config (`products.json`) under the server's folder
    pub(crate) config: String,
    /// Count warnings as errors
    #[serde(default)]
    pub(crate) strict: bool,
}

/// `triggers_simulate`.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
pub(crate) struct SimulateInput {
    /// The trigger config (`products.json`) under the server's folder
    pub(crate) config: String,
    /// The recording (JSON Lines) under the server's folder
    pub(crate) events: String,
    /// Only records of these session ids
    #[serde(default)]
    pub(crate) sessions: Vec<String>,
    /// Only sessions of these user ids (a session's user is the first `user_id` of its lines)
    #[serde(default)]
    pub(crate) users: Vec<String>,
    /// Only fires of these trigger ids (and evaluations where one of them matched)
    #[serde(default)]
    pub(crate) triggers: Vec<String>,
    /// Only records of these kinds (fire, timeout, evaluation, session_end, ...)
    #[serde(default)]
    pub(crate) kinds: Vec<String>,
    /// Only records from this time: seconds after the session's start (`+30`) or unix seconds
    pub(crate) from: Option<String>,
    /// Only records up to this time, like `from`
    pub(crate) to: Option<String>,
    /// Only this product's row of the config
    pub(crate) product: Option<String>,
    /// The reasons of every decision (`--why`): each fire's and each evaluation's gate and
    /// detector evidence, and an `evaluation` record at every evaluation point
    #[serde(default)]
    pub(crate) why: bool,
    /// Skip unreadable recording lines instead of failing
    #[serde(default)]
    pub(crate) skip_bad_lines: bool,
}

/// `triggers_explain`.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
pub(crate) struct ExplainInput {
    /// The trigger config (`products.json`) under the server's folder
    pub(crate) config: String,
    /// The recording (JSON Lines) under the server's folder
    pub(crate) events: String,
    /// The session to explain
    pub(crate) session: String,
    /// Tell the story of this trigger only (it must be in the product's registry)
    pub(crate) trigger: Option<String>,
    /// What the session looked like at this time: seconds after its start (`+30`) or unix seconds
    pub(crate) at: Option<String>,
    /// Only this product's row of the config
    pub(crate) product: Option<String>,
    /// Skip unreadable recording lines instead of failing
    #[serde(default)]
    pub(crate) skip_bad_lines: bool,
}

/// `stream_sample`.
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
pub(crate) struct SampleInput {
    /// Full stream URL, e.g. a local `autoplay serve` (`http://127.0.0.1:PORT/stream/demo`);
    /// default: the saved profile's stream
    pub(crate) url: Option<String>,
    /// The saved profile to use
    pub(crate) profile: Option<String>,
    /// How many events to take (default 10, at most 500)
    pub(crate) count: Option<usize>,
    /// Stop after this many seconds even with fewer events (default 10, at most 120)
    pub(crate) seconds: Option<f64>,
}

/// `auth_status`.
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
pub(crate) struct AuthInput {
    /// The saved profile to look at (default: AUTOPLAY_PROFILE, else `default`)
    pub(crate) profile: Option<String>,
}

/// The longest a live read may last.
const MAX_LIVE_SECONDS: f64 = 120.0;
const MAX_SAMPLE: usize = 500;

// ---------------------------------------------------------------------------------------------
// The tools
// ---------------------------------------------------------------------------------------------

#[tool_router]
impl AutoplayServer {
    /// A server reading under the sandbox's folders.
    pub(crate) fn new(sandbox: Sandbox) -> Self {
        AutoplayServer { sandbox: Arc::new(sandbox), tool_router: Self::tool_router() }
    }

    #[tool(description = "One row per session of a recording, Redis buffer or the live stream: product, session, \
                          user, email, action and summary counts, first/last seen, last URL. Start here to find \
                          session ids.")]
    async fn sessions_list(
        &self,
        Parameters(input): Parameters<ListInput>,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResult, ErrorData> {
        let sandbox = self.sandbox.clone();
        run(context, "reading the sessions", move || {
            let spec = source_spec(&sandbox, &input.source, input.product.as_deref())?;
            let opened = source::open(&spec)?;
            let q = ListQuery {
                user: input.user.as_deref(),
                product: input.product.as_deref(),
                since: input.since.as_deref(),
                order: if input.by_actions { RowOrder::Actions } else { RowOrder::LastSeen },
                limit: Some(input.limit.unwrap_or(50)),
            };
            let listed = query::list(&opened, input.source.at.as_deref(), &q)?;
            let mut text = query::list_table(&listed.rows, &plain).join("\n");
            if listed.rows.len() < listed.total {
                text.push_str(&format!(
                    "\n\nshowing {} of {} sessions: raise `limit`, or narrow with `user`, `product` or `since`",
                    listed.rows.len(),
                    listed.total
                ));
            }
            let rows: Vec<Value> = listed.rows.iter().map(query::row_json).collect();
            Ok(Answer::new(text, json!({"total": listed.total, "sessions": rows}))
                .narrow("lower `limit`, or filter by `user`, `product` or `since`"))
        })
        .await
    }

    #[tool(description = "A session's timeline: every action (with its time and text) and every summary, in order.")]
    async fn session_show(
        &self,
        Parameters(input): Parameters<ShowInput>,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResult, ErrorData> {
        let sandbox = self.sandbox.clone();
        run(context, "reading the session", move || {
            let spec = source_spec(&sandbox, &input.source, input.product.as_deref())?;
            let opened = source::open(&spec)?;
            let shown = query::show(&opened, &input.session, input.product.as_deref())?;
            let text = shown.lines(&plain).join("\n");
            let items: Vec<Value> = shown.records().collect();
            Ok(Answer::new(text, json!({"session_id": shown.session, "product_id": shown.product, "items": items}))
                .narrow("use `session_context` with `lookback` or `max_actions` for the latest part only"))
        })
        .await
    }

    #[tool(description = "The exact context text the Autoplay SDK would give the LLM for a session (ContextStore \
                          get, or enrich with `query`): what the chatbot will see.")]
    async fn session_context(
        &self,
        Parameters(input): Parameters<ContextInput>,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResult, ErrorData> {
        let sandbox = self.sandbox.clone();
        run(context, "building the context", move || {
            let options = ContextOptions::new(!input.no_summary, !input.no_actions, input.lookback, input.max_actions)
                .map_err(|e| UserError::usage(e.to_string()))?;
            let spec = source_spec(&sandbox, &input.source, input.product.as_deref())?;
            let opened = source::open(&spec)?;
            let q = ContextQuery {
                session: &input.session,
                product: input.product.as_deref(),
                query: input.query.as_deref(),
                options,
            };
            let answer = query::context(&opened, input.source.at.as_deref(), &q)?;
            let mut record = answer.to_json(&q);
            let notes: Vec<String> = answer
                .fallback_notes(q.session)
                .into_iter()
                .map(|(warning, hint)| match hint {
                    Some(hint) => format!("{warning} ({hint})"),
                    None => warning,
                })
                .collect();
            record["notes"] = json!(notes);
            Ok(Answer::new(answer.text.text.clone(), record).narrow("pass `lookback` or `max_actions`"))
        })
        .await
    }

    #[tool(description = "A user's recent sessions and the SDK's activity text for them (UserSessionIndex, \
                          get_user_activity).")]
    async fn user_activity(
        &self,
        Parameters(input): Parameters<UserInput>,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResult, ErrorData> {
        let sandbox = self.sandbox.clone();
        run(context, "reading the user's sessions", move || {
            let spec = source_spec(&sandbox, &input.source, None)?;
            let opened = source::open(&spec)?;
            let answer = query::user(
                opened,
                input.source.at.as_deref(),
                &input.user,
                input.lookback.unwrap_or(300.0),
                input.max_sessions.unwrap_or(20),
            )?;
            Ok(Answer::new(answer.text.clone(), answer.to_json()).narrow("lower `lookback` or `max_sessions`"))
        })
        .await
    }

    #[tool(description = "Totals of a recording, Redis buffer or live stream: sessions, users, products, actions \
                          per session (min/p50/p90/p99/max/mean), event types, action types, top URLs.")]
    async fn sessions_stats(
        &self,
        Parameters(input): Parameters<StatsInput>,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResult, ErrorData> {
        let sandbox = self.sandbox.clone();
        run(context, "counting", move || {
            let spec = source_spec(&sandbox, &input.source, None)?;
            let opened = source::open(&spec)?;
            let document = query::stats(&opened, input.top.unwrap_or(10))?;
            Ok(Answer::new(query::stats_lines(&document, &plain).join("\n"), document).narrow("lower `top`"))
        })
        .await
    }

    #[tool(description = "Lint a trigger config (products.json): every problem with severity, code, JSON path, \
                          line, column, message and hint. Run it after every edit of the config.")]
    async fn triggers_validate(
        &self,
        Parameters(input): Parameters<ValidateInput>,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResult, ErrorData> {
        let sandbox = self.sandbox.clone();
        run(context, "linting", move || {
            let path = sandbox.file(&input.config)?;
            let text = read_text(&path, &input.config)?;
            let mut report = crate::triggers::lint::lint_text(&text);
            if input.strict {
                report.make_strict();
            }
            let document =
                serde_json::to_value(crate::triggers::report::render_json(&input.config, &report, input.strict))
                    .map_err(|err| anyhow::anyhow!("could not build the report: {err}"))?;
            let pretty = crate::triggers::report::render_pretty(&input.config, &text, &report, &plain);
            Ok(Answer::new(pretty, document).narrow("fix the first problems and validate again"))
        })
        .await
    }

    #[tool(description = "Replay a recording through a trigger config as the SDK would: every fire (trigger, \
                          body, chips, state, reason), timeout, tour offer and session end, as a timeline per \
                          session plus a summary per product. Narrow with `sessions`, `users`, `triggers`, `kinds`, \
                          `from`/`to`; `why` adds the reasons of every decision, fired or not.")]
    async fn triggers_simulate(
        &self,
        Parameters(input): Parameters<SimulateInput>,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResult, ErrorData> {
        let sandbox = self.sandbox.clone();
        run(context, "simulating", move || {
            let bound = |text: &Option<String>, name: &str| {
                text.as_deref()
                    .map(TimeBound::parse)
                    .transpose()
                    .map_err(|e| UserError::usage(format!("`{name}`: {e}")))
            };
            let focus = Focus {
                sessions: input.sessions.clone(),
                users: input.users.clone(),
                triggers: input.triggers.clone(),
                kinds: input.kinds.clone(),
                from: bound(&input.from, "from")?,
                to: bound(&input.to, "to")?,
            };
            if let Some(kind) = focus.unknown_kind() {
                return Err(UserError::usage(format!("`kinds`: {kind:?} is not a record kind"))
                    .with_hint(format!("the kinds are {}", focus::KINDS.join(", ")))
                    .into());
            }
            // As the pretty timeline: every fire's reason, and with `why` every decision's.
            let why = if input.why { WhyMode::All } else { WhyMode::Fires };
            let options =
                SimOptions { product: input.product.clone(), explain: input.why, why, ..SimOptions::default() };
            options.validate().map_err(UserError::usage)?;
            let config = sandbox.file(&input.config)?;
            let events = sandbox.file(&input.events)?;
            let (_, out) = crate::simulate::simulate_files(&config, &events, input.skip_bad_lines, &options)?;
            let keep = |r: &engine::Record| out.sessions.get(r.session_index).is_some_and(|s| focus.keeps(r, s));
            let text = crate::simulate::pretty_lines(&out, false, input.why, &keep).join("\n");
            let records: Vec<Value> = out.records.iter().filter(|r| keep(r)).map(engine::Record::to_value).collect();
            let unrouted: Vec<Value> =
                out.unrouted.iter().map(|(p, n)| json!({"product_id": p, "events": n})).collect();
            Ok(Answer::new(text, json!({"records": records, "unrouted": unrouted}))
                .narrow("narrow with `sessions`, `triggers`, `kinds` or `from`/`to`, or turn `why` off"))
        })
        .await
    }

    #[tool(description = "Why a session's triggers fired or did not, told top to bottom (`autoplay triggers \
                          explain`): each trigger's story, what held it back, and what the session looked like \
                          at `at`. Narrow to one `trigger`.")]
    async fn triggers_explain(
        &self,
        Parameters(input): Parameters<ExplainInput>,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResult, ErrorData> {
        let sandbox = self.sandbox.clone();
        run(context, "simulating", move || {
            let at = input
                .at
                .as_deref()
                .map(TimeBound::parse)
                .transpose()
                .map_err(|e| UserError::usage(format!("`at`: {e}")))?;
            let settings = ExplainSettings {
                config: sandbox.file(&input.config)?,
                events: sandbox.file(&input.events)?,
                session: input.session.clone(),
                at,
                trigger: input.trigger.clone(),
                skip_bad_lines: input.skip_bad_lines,
                options: SimOptions {
                    product: input.product.clone(),
                    explain: true,
                    why: WhyMode::All,
                    ..SimOptions::default()
                },
            };
            settings.options.validate().map_err(UserError::usage)?;
            let story = crate::simulate::explain(&settings)?;
            Ok(Answer::new(story.lines().join("\n"), story.to_value()).narrow("narrow to one `trigger`"))
        })
        .await
    }

    #[tool(description = "The commented starting products.json (`autoplay triggers init`): three builtin \
                          triggers, chips linked to ping-pong, one tour. It validates clean.")]
    async fn triggers_init_template(&self) -> Result<CallToolResult, ErrorData> {
        let template = crate::templates::PRODUCTS_JSON;
        let document: Value = serde_json::from_str(template).unwrap_or(Value::Null);
        Ok(Answer::new(template.to_string(), json!({"products_json": document})).into_result())
    }

    #[tool(description = "Take N events from the live stream of the saved profile, or from a local `autoplay \
                          serve` (`url`), within a time limit.")]
    async fn stream_sample(
        &self,
        Parameters(input): Parameters<SampleInput>,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResult, ErrorData> {
        let count = input.count.unwrap_or(10).clamp(1, MAX_SAMPLE);
        let seconds = input.seconds.unwrap_or(10.0);
        if !(seconds.is_finite() && seconds > 0.0) {
            return Ok(tool_error(&anyhow::Error::from(UserError::usage("`seconds` must be above 0"))));
        }
        let limit = Duration::from_secs_f64(seconds.min(MAX_LIVE_SECONDS));
        let source = StreamSource { url: input.url.clone(), profile: input.profile.clone(), ..StreamSource::default() };
        let progress = Progress::of(&context);
        let work = super::sample::sample(&source, count, limit, progress);
        tokio::select! {
            result = work => Ok(match result {
                Ok(events) => {
                    let text = events.join("\n");
                    let parsed: Vec<Value> = events.iter().map(|e| serde_json::from_str(e).unwrap_or(Value::Null)).collect();
                    Answer::new(text, json!({"count": parsed.len(), "events": parsed})).narrow("lower `count`").into_result()
                }
                Err(err) => tool_error(&err),
            }),
            _ = context.ct.cancelled() => Ok(cancelled()),
        }
    }

    #[tool(description = "Which credentials are active and where they come from (profile, environment, file): \
                          connector, product, stream URL, token source. Never shows a secret.")]
    async fn auth_status(
        &self,
        Parameters(input): Parameters<AuthInput>,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResult, ErrorData> {
        run(context, "reading the credentials", move || {
            let source = StreamSource { profile: input.profile.clone(), ..StreamSource::default() };
            let active = credentials::resolve_active(&source)?;
            let profiles = crate::connector::profile::list().map_err(crate::connector::credentials::profile_error)?;
            let document = credentials::status_document(&active, &profiles, &|_| json!("(set, not shown)"));
            let text = auth_text(&document);
            Ok(Answer::new(text, document))
        })
        .await
    }
}

#[tool_handler(router = self.tool_router)]
impl ServerHandler for AutoplayServer {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().enable_resources().build())
            .with_server_info(Implementation::new("autoplay", env!("CARGO_PKG_VERSION")))
            .with_instructions(INSTRUCTIONS)
    }

    async fn list_resources(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListResourcesResult, ErrorData> {
        let resources = super::resources::all()
            .map_err(|e| ErrorData::internal_error(e.to_string(), None))?
            .into_iter()
            .map(|r| Resource::new(r.uri, r.name).with_description(r.description).with_mime_type(r.mime_type))
            .collect();
        Ok(ListResourcesResult::with_all_items(resources))
    }

    async fn read_resource(
        &self,
        request: ReadResourceRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<ReadResourceResponse, ErrorData> {
        let resources = super::resources::all().map_err(|e| ErrorData::internal_error(e.to_string(), None))?;
        match resources.into_iter().find(|r| r.uri == request.uri) {
            Some(r) => Ok(ReadResourceResult::new(vec![ResourceContents::text(r.text, r.uri)]).into()),
            None => Err(ErrorData::resource_not_found(
                format!("no resource `{}`; list them with resources/list", request.uri),
                None,
            )),
        }
    }
}

const INSTRUCTIONS: &str = "Autoplay developer toolkit. Check your wiring with these tools: `sessions_list` to \
find session ids in a recording, `session_context` for the exact text the SDK gives the LLM, \
`triggers_validate` after every edit of products.json, `triggers_simulate` / `triggers_explain` to see \
which triggers fire and why. Paths are relative to the folder the server was started in. The skills \
are resources (autoplay://skills/...).";

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// A tool's answer: text for the model and the same data as JSON.
pub(crate) struct Answer {
    text: String,
    data: Value,
    narrow: &'static str,
}

impl Answer {
    fn new(text: String, data: Value) -> Answer {
        Answer { text, data, narrow: "narrow the request" }
    }

    /// How to ask for less, for the truncation note.
    fn narrow(mut self, how: &'static str) -> Answer {
        self.narrow = how;
        self
    }

    fn into_result(self) -> CallToolResult {
        let (text, data) = bound::limit(self.text, self.data, self.narrow);
        let mut result = CallToolResult::success(vec![ContentBlock::text(text)]);
        result.structured_content = Some(data);
        result
    }
}

/// Sends progress notifications when the client asked for them.
#[derive(Clone)]
pub(crate) struct Progress {
    peer: rmcp::Peer<RoleServer>,
    token: Option<rmcp::model::ProgressToken>,
}

impl Progress {
    fn of(context: &RequestContext<RoleServer>) -> Progress {
        Progress { peer: context.peer.clone(), token: context.meta.get_progress_token() }
    }

    /// Reports `done` (of `total`, when known) with a message.
    pub(crate) async fn report(&self, done: f64, total: Option<f64>, message: &str) {
        let Some(token) = &self.token else { return };
        let mut param = ProgressNotificationParam::new(token.clone(), done).with_message(message);
        if let Some(total) = total {
            param = param.with_total(total);
        }
        let _ = self.peer.notify_progress(param).await;
    }
}

/// Runs blocking library work on its own thread (it may start a runtime of its own for Redis
/// or the live stream), with progress at the start, while it reads a recording (the bytes
/// read so far) and at the end. On cancellation it answers at once and the work stops at its
/// next read of a recording ([`crate::recording::ReadWatch`]), so a cancelled call does not
/// keep reading a large file in the background.
async fn run(
    context: RequestContext<RoleServer>,
    what: &'static str,
    work: impl FnOnce() -> anyhow::Result<Answer> + Send + 'static,
) -> Result<CallToolResult, ErrorData> {
    use std::sync::atomic::Ordering;
    let progress = Progress::of(&context);
    // Progress counts bytes of recordings read (the total is not known up front), then one
    // more at the end, which is also the total: the values only ever grow.
    progress.report(0.0, None, what).await;
    let watch = crate::recording::ReadWatch::default();
    let watched = watch.clone();
    let (send, mut receive) = tokio::sync::oneshot::channel();
    std::thread::spawn(move || {
        watched.install_on_this_thread();
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work))
            .unwrap_or_else(|_| Err(anyhow::anyhow!("the tool failed unexpectedly")));
        let _ = send.send(result);
    });
    let mut ticks = tokio::time::interval(std::time::Duration::from_millis(250));
    ticks.tick().await;
    let mut reported = 0;
    loop {
        tokio::select! {
            result = &mut receive => {
                let end = watch.bytes.load(Ordering::Relaxed).max(reported) as f64 + 1.0;
                progress.report(end, Some(end), "done").await;
                return Ok(match result {
                    Ok(Ok(answer)) => answer.into_result(),
                    Ok(Err(err)) => tool_error(&err),
                    Err(_) => tool_error(&anyhow::anyhow!("the tool stopped without an answer")),
                });
            }
            _ = ticks.tick() => {
                let bytes = watch.bytes.load(Ordering::Relaxed);
                if bytes > reported {
                    reported = bytes;
                    progress.report(bytes as f64, None, &format!("{what}: {} read", crate::fs::human_bytes(bytes))).await;
                }
            }
            _ = context.ct.cancelled() => {
                watch.cancelled.store(true, Ordering::Relaxed);
                return Ok(cancelled());
            }
        }
    }
}

fn cancelled() -> CallToolResult {
    CallToolResult::error(vec![ContentBlock::text("cancelled")])
}

/// An error as the CLI renders it (`error: …`, causes, `hint: …`), secrets redacted.
fn tool_error(err: &anyhow::Error) -> CallToolResult {
    let text = crate::shell::diagnostics::render(err, false);
    let status = crate::shell::diagnostics::status_of(err);
    let mut result = CallToolResult::error(vec![ContentBlock::text(text.trim_end().to_string())]);
    result.structured_content = Some(json!({"error": text.trim_end(), "exit_code": status.code()}));
    result
}

/// The source input as the `sessions` commands' [`SourceSettings`], with recording paths
/// checked against the sandbox.
fn source_spec(sandbox: &Sandbox, input: &SourceInput, product: Option<&str>) -> anyhow::Result<SourceSettings> {
    let stream = StreamSource {
        product: product.map(str::to_string).or_else(|| std::env::var(crate::shell::env_vars::PRODUCT_ID).ok()),
        ..StreamSource::default()
    };
    let mut settings = SourceSettings {
        from: None,
        prefix: input.prefix.clone().unwrap_or_else(|| "default".to_string()),
        live: false,
        duration: Duration::ZERO,
        at: input.at.clone(),
        live_stream: ConnectionSettings {
            source: stream,
            max_retries: Some(2),
            idle_timeout: Duration::from_secs(90),
            connect_timeout: Duration::from_secs(10),
        },
    };
    match (&input.from, input.live_seconds) {
        (Some(_), Some(_)) => Err(UserError::usage("give one of `from` and `live_seconds`, not both").into()),
        (None, None) => {
            Err(UserError::usage("no session data: give `from` (a recording or redis://…) or `live_seconds`")
                .with_hint("record some with `autoplay tail --record rec.jsonl`, or make some with `autoplay generate`")
                .into())
        }
        (None, Some(seconds)) => {
            if !(seconds.is_finite() && seconds > 0.0) {
                return Err(UserError::usage("`live_seconds` must be above 0").into());
            }
            settings.live = true;
            settings.duration = Duration::from_secs_f64(seconds.min(MAX_LIVE_SECONDS));
            Ok(settings)
        }
        (Some(from), None) => {
            settings.from = Some(if ["redis://", "rediss://", "unix://"].iter().any(|s| from.starts_with(s)) {
                from.clone()
            } else {
                sandbox.file(from)?.display().to_string()
            });
            Ok(settings)
        }
    }
}

fn read_text(path: &std::path::Path, name: &str) -> anyhow::Result<String> {
    let bytes = std::fs::read(path).map_err(|e| UserError::usage(format!("could not read {name}: {e}")))?;
    String::from_utf8(bytes).map_err(|_| UserError::usage(format!("{name} is not UTF-8 text")).into())
}

fn auth_text(document: &Value) -> String {
    let field = |name: &str| match &document[name] {
        Value::Null => "(none)".to_string(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let token = match &document["token"] {
        Value::Null => "(none)".to_string(),
        token => {
            format!("set, from {} {}", field_of(token, "source"), field_of(token, "detail")).trim_end().to_string()
        }
    };
    let profiles: Vec<String> =
        document["profiles"].as_array().into_iter().flatten().filter_map(|p| p.as_str().map(str::to_string)).collect();
    format!(
        "Profile:   {}\nConnector: {}\nProduct:   {}\nStream:    {}\nToken:     {token}\nProfiles:  {}",
        field("profile"),
        field("connector"),
        field("product"),
        field("stream_url"),
        if profiles.is_empty() { "(none)".to_string() } else { profiles.join(", ") }
    )
}

fn field_of(value: &Value, name: &str) -> String {
    value[name].as_str().unwrap_or_default().to_string()
}
