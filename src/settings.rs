/*!
The boundary between the command line and everything else: turns the clap structs of
[`crate::cli`] into plain settings, so no clap type travels below the entry point.

How a command's settings are built (follow this for every command):

1. `cli/` declares the flags (`FooArgs`) and nothing else.
2. Here, `FooSettings` holds what the command needs, as plain values. Where a value belongs
   to a library module, that module owns its type (`shell::output::Format`,
   `stream::filter::FilterSpec`, `connector::credentials::StreamSource`, `server::Speed`,
   `skills::AgentKind`) and the settings hold it; flag pairs become one value where that
   reads better (`--fail-status`/`--drop-after`/`--stall-after` are one `server::Faults`).
3. `impl From<FooArgs> for FooSettings` moves the fields over. It does not validate or read
   files: checks that need the file system or produce exit codes stay in the command, so
   errors are rendered after the terminal is set up.
4. [`CommandSettings`] gets a variant, and `commands::run` passes `&GlobalSettings` and the
   command's settings to `commands::foo::run`.

*/

use std::path::PathBuf;
use std::time::Duration;

use crate::cli::{self, Cli, Command};
use crate::connector::credentials::{InboundSource, StreamSource};
use crate::posthog::TestKind;
use crate::server::{Faults, Speed};
use crate::sessions::aggregate::RowOrder;
use crate::shell::output::Format;
use crate::shell::ui::UiOptions;
use crate::skills::AgentKind;
use crate::stream::filter::FilterSpec;
use crate::triggers::detectors::SdkFamily;
use crate::triggers::engine::{JudgePolicy, Profile, SimOptions, WhyMode};
use crate::triggers::focus::{Focus, TimeBound};

/// A parsed command line: the global settings and the command to run.
#[derive(Debug)]
pub(crate) struct Invocation {
    pub(crate) global: GlobalSettings,
    pub(crate) command: CommandSettings,
}

impl From<Cli> for Invocation {
    fn from(cli: Cli) -> Self {
        let global = GlobalSettings::from(&cli.global);
        let command = match cli.command {
            Command::Onboard(args) => CommandSettings::Onboard(args.into()),
            Command::Auth(cli::AuthCommand::Status(args)) => CommandSettings::Auth(AuthSettings::Status {
                stream: StreamSource::from(&args.stream),
                check: args.check.then_some(args.wait),
            }),
            Command::Auth(cli::AuthCommand::Logout(args)) => {
                CommandSettings::Auth(AuthSettings::Logout { profile: args.profile })
            }
            Command::Tail(args) => CommandSettings::Tail(args.into()),
            Command::Sessions(command) => CommandSettings::Sessions(command.into()),
            Command::Triggers(command) => CommandSettings::Triggers(command.into()),
            Command::InstallSkills(args) => CommandSettings::InstallSkills(args.into()),
            Command::Serve(args) => CommandSettings::Serve(args.into()),
            Command::Send(args) => CommandSettings::Send(args.into()),
            Command::Doctor(args) => {
                CommandSettings::Doctor(DoctorSettings { profile: args.profile, wait: args.wait, dir: args.dir })
            }
            Command::Demo(args) => CommandSettings::Demo(DemoSettings {
                duration: args.duration,
                dir: args.keep.unwrap_or_else(|| std::env::temp_dir().join("autoplay-demo")),
                report: args.report,
            }),
            Command::Generate(args) => CommandSettings::Generate(GenerateSettings {
                sessions: args.sessions,
                seed: args.seed,
                product: args.product,
                actions: args.actions,
                output: args.output,
            }),
            Command::Mcp(args) => CommandSettings::Mcp(McpSettings { http: args.http, allow: args.allow }),
            Command::Completions(args) => CommandSettings::Completions(CompletionsSettings { shell: args.shell }),
        };
        Invocation { global, command }
    }
}

/// What every command shares: the requested output format and the terminal setup.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct GlobalSettings {
    /// `--format` (or AUTOPLAY_FORMAT); each command picks its default when unset.
    pub(crate) format: Option<Format>,
    pub(crate) ui: UiOptions,
}

impl From<&cli::GlobalArgs> for GlobalSettings {
    fn from(args: &cli::GlobalArgs) -> Self {
        GlobalSettings {
            format: args.format,
            ui: UiOptions {
                color: args.color,
                quiet: args.quiet,
                verbose: args.verbose,
                no_input: args.no_input,
                no_progress: args.no_progress,
            },
        }
    }
}

/// The command to run, with its settings.
#[derive(Debug)]
pub(crate) enum CommandSettings {
    Onboard(OnboardSettings),
    Auth(AuthSettings),
    Tail(TailSettings),
    InstallSkills(InstallSkillsSettings),
    Serve(ServeSettings),
    Send(SendSettings),
    Doctor(DoctorSettings),
    Demo(DemoSettings),
    Generate(GenerateSettings),
    Completions(CompletionsSettings),
    Sessions(SessionsSettings),
    Triggers(TriggersSettings),
    Mcp(McpSettings),
}

/// `autoplay mcp`.
#[derive(Debug)]
pub(crate) struct McpSettings {
    /// The streamable HTTP address (loopback), else stdio.
    pub(crate) http: Option<std::net::SocketAddr>,
    /// Folders the tools may read besides the current one.
    pub(crate) allow: Vec<PathBuf>,
}

// ---------------------------------------------------------------------------------------------
// Stream connection and filters
// ---------------------------------------------------------------------------------------------

/// How to reach a stream: where it is and with which token ([`StreamSource`]), and how the
/// client retries.
#[derive(Debug, Clone)]
pub(crate) struct ConnectionSettings {
    pub(crate) source: StreamSource,
    pub(crate) max_retries: Option<u32>,
    pub(crate) idle_timeout: Duration,
    pub(crate) connect_timeout: Duration,
}

impl<P: clap::Args, R: clap::Args> cli::ConnectionArgs<P, R> {
    /// The flags as a [`StreamSource`], with `product` as the stream's product.
    fn source(&self, product: Option<String>) -> StreamSource {
        StreamSource {
            url: self.url.clone(),
            connector: self.connector.clone(),
            product,
            token_file: self.token_file.clone(),
            token: self.token.clone(),
            profile: self.profile.clone(),
        }
    }
}

impl<R: clap::Args> From<&cli::ConnectionArgs<cli::ProductFlag, R>> for StreamSource {
    fn from(args: &cli::ConnectionArgs<cli::ProductFlag, R>) -> Self {
        args.source(args.product.product.clone())
    }
}

impl From<&cli::StreamArgs> for ConnectionSettings {
    fn from(args: &cli::StreamArgs) -> Self {
        ConnectionSettings {
            source: args.into(),
            max_retries: args.retry.max_retries,
            idle_timeout: args.retry.idle_timeout,
            connect_timeout: args.retry.connect_timeout,
        }
    }
}

impl cli::ConnectionArgs<cli::NoProductFlag, cli::RetryArgs> {
    /// The `sessions --live` connection flags as a [`StreamSource`], with the command's own
    /// `--product` (else AUTOPLAY_PRODUCT_ID) as the stream's.
    fn to_stream_args(&self, product: Option<&str>) -> StreamSource {
        let product = product.map(str::to_string).or_else(|| std::env::var(crate::shell::env_vars::PRODUCT_ID).ok());
        self.source(product)
    }
}

impl From<cli::FilterArgs> for FilterSpec {
    fn from(args: cli::FilterArgs) -> Self {
        FilterSpec {
            session: args.session,
            user: args.user,
            email: args.email,
            event_type: args.event_type,
            url_contains: args.url_contains,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------------------------

/// `autoplay tail`.
#[derive(Debug, Clone)]
pub(crate) struct TailSettings {
    pub(crate) connection: ConnectionSettings,
    pub(crate) filter: FilterSpec,
    /// `--all`: in pretty mode, also the raw JSON of summaries and other frames.
    pub(crate) show_raw: bool,
    pub(crate) record: Option<PathBuf>,
    pub(crate) forward_to: Option<String>,
    pub(crate) forward_secret_file: Option<PathBuf>,
    pub(crate) sink: Option<RedisSinkSettings>,
    pub(crate) duration: Option<Duration>,
    pub(crate) max_events: Option<u64>,
    pub(crate) exit_when_idle: Option<Duration>,
    pub(crate) expect_events: Option<u64>,
}

/// `tail --sink`: the Redis event buffer every payload also goes to.
#[derive(Debug, Clone)]
pub(crate) struct RedisSinkSettings {
    pub(crate) url: String,
    pub(crate) prefix: String,
    /// Sliding window, in seconds.
    pub(crate) window: f64,
}

impl From<cli::TailArgs> for TailSettings {
    fn from(args: cli::TailArgs) -> Self {
        let (prefix, window) = (args.prefix, args.window);
        TailSettings {
            connection: ConnectionSettings::from(&args.stream),
            filter: args.filter.into(),
            show_raw: args.all,
            record: args.record,
            forward_to: args.forward_to,
            forward_secret_file: args.forward_secret_file,
            sink: args.sink.map(|url| RedisSinkSettings { url, prefix, window }),
            duration: args.duration,
            max_events: args.max_events,
            exit_when_idle: args.exit_when_idle,
            expect_events: args.expect_events,
        }
    }
}

/// `autoplay auth`.
#[derive(Debug, Clone)]
pub(crate) enum AuthSettings {
    /// `auth status`: the credentials `tail` would use.
    /// `check`: connect once and wait this long for the first bytes (`--check`, `--wait`).
    Status { stream: StreamSource, check: Option<Duration> },
    /// `auth logout`: the profile to remove.
    Logout { profile: String },
}

/// `autoplay onboard`: every input is optional here; the command asks for or refuses what
/// is missing.
#[derive(Debug, Clone)]
pub(crate) struct OnboardSettings {
    pub(crate) product: Option<String>,
    pub(crate) email: Option<String>,
    pub(crate) connector: Option<String>,
    pub(crate) webhook_secret_file: Option<PathBuf>,
    pub(crate) forward_url: Option<String>,
    pub(crate) forward_secret_file: Option<PathBuf>,
    pub(crate) force_reregister: bool,
    /// Answer yes to confirmations.
    pub(crate) yes: bool,
    pub(crate) admin_key_file: Option<PathBuf>,
    /// Request timeout in seconds, as given (checked by the registration code).
    pub(crate) timeout: Option<f64>,
    /// The profile to save into.
    pub(crate) save: Option<String>,
    pub(crate) env_file: Option<PathBuf>,
    /// Add the env file to .gitignore without asking.
    pub(crate) gitignore: bool,
    /// Leave .gitignore alone.
    pub(crate) no_gitignore: bool,
    pub(crate) provider: Option<String>,
    pub(crate) provider_project_id: Option<String>,
    pub(crate) owner_token_file: Option<PathBuf>,
    pub(crate) ingest_secret_file: Option<PathBuf>,
    /// Display name of the product (provider API).
    pub(crate) name: Option<String>,
}

impl From<cli::OnboardArgs> for OnboardSettings {
    fn from(args: cli::OnboardArgs) -> Self {
        OnboardSettings {
            product: args.product,
            email: args.email,
            connector: args.connector,
            webhook_secret_file: args.webhook_secret_file,
            forward_url: args.forward_url,
            forward_secret_file: args.forward_secret_file,
            force_reregister: args.force_reregister,
            yes: args.yes,
            admin_key_file: args.admin_key_file,
            timeout: args.timeout,
            save: args.save,
            env_file: args.env_file,
            gitignore: args.gitignore,
            no_gitignore: args.no_gitignore,
            provider: args.provider,
            provider_project_id: args.provider_project_id,
            owner_token_file: args.owner_token_file,
            ingest_secret_file: args.ingest_secret_file,
            name: args.name,
        }
    }
}

/// `autoplay install-skills`.
#[derive(Debug, Clone)]
pub(crate) struct InstallSkillsSettings {
    /// `--chatbot`, each name once, in the order given.
    pub(crate) chatbots: Vec<String>,
    /// `--user-activity`, likewise.
    pub(crate) activities: Vec<String>,
    /// The agents `--agent` names; `None` lets the destination decide.
    pub(crate) agents: Option<Vec<AgentKind>>,
    pub(crate) dest: Option<PathBuf>,
    /// Install into the home folder.
    pub(crate) global: bool,
    pub(crate) list: bool,
    pub(crate) dry_run: bool,
    pub(crate) diff: bool,
    pub(crate) force: bool,
    /// Also add the MCP server to the agents' project MCP configuration.
    pub(crate) mcp: bool,
}

impl From<cli::InstallSkillsArgs> for InstallSkillsSettings {
    fn from(args: cli::InstallSkillsArgs) -> Self {
        InstallSkillsSettings {
            chatbots: once_each(args.chatbot.into_iter().map(|s| s.trim().to_string())),
            activities: once_each(args.user_activity.into_iter().map(|s| s.trim().to_string())),
            agents: (!args.agent.is_empty()).then(|| {
                let named = args.agent.iter().flat_map(|agent| match agent {
                    cli::Agent::Cursor => vec![AgentKind::Cursor],
                    cli::Agent::Claude => vec![AgentKind::Claude],
                    cli::Agent::All => AgentKind::ALL.to_vec(),
                });
                AgentKind::ALL.into_iter().filter(|a| named.clone().any(|n| n == *a)).collect()
            }),
            dest: args.dest,
            global: args.global,
            list: args.list,
            dry_run: args.dry_run,
            diff: args.diff,
            force: args.force,
            mcp: args.mcp,
        }
    }
}

/// The values in their first order, each once.
fn once_each<T: PartialEq>(values: impl Iterator<Item = T>) -> Vec<T> {
    let mut kept = Vec::new();
    for value in values {
        if !kept.contains(&value) {
            kept.push(value);
        }
    }
    kept
}

/// `autoplay serve`: the flags as given; the command checks them and loads the recording.
#[derive(Debug, Clone)]
pub(crate) struct ServeSettings {
    pub(crate) bind: String,
    pub(crate) port: u16,
    pub(crate) products: Vec<String>,
    pub(crate) keys: Vec<String>,
    /// `--new-key`: replace the kept generated key.
    pub(crate) new_key: bool,
    /// Seconds between heartbeats.
    pub(crate) heartbeat: f64,
    pub(crate) replay: Option<PathBuf>,
    pub(crate) speed: Speed,
    /// `--loop`: start the recording again when it ends.
    pub(crate) repeat: bool,
    pub(crate) synthetic: bool,
    pub(crate) sessions: u32,
    /// Synthetic events per second.
    pub(crate) rate: f64,
    pub(crate) seed: u64,
    pub(crate) any_product: bool,
    pub(crate) faults: Faults,
    pub(crate) retry_ms: Option<u64>,
    pub(crate) limits: crate::server::Limits,
}

impl From<cli::ServeArgs> for ServeSettings {
    fn from(args: cli::ServeArgs) -> Self {
        ServeSettings {
            bind: args.bind,
            port: args.port,
            products: args.products,
            keys: args.keys,
            new_key: args.new_key,
            heartbeat: args.heartbeat,
            replay: args.replay,
            speed: args.speed,
            repeat: args.repeat,
            synthetic: args.synthetic,
            sessions: args.sessions,
            rate: args.rate,
            seed: args.seed,
            any_product: args.any_product,
            faults: Faults {
                fail_status: args.fail_status,
                drop_after: args.drop_after,
                stall_after: args.stall_after,
            },
            retry_ms: args.retry_ms,
            limits: crate::server::Limits {
                header_timeout: args.header_timeout,
                max_connections: args.max_connections as usize,
            },
        }
    }
}

/// `autoplay send`.
#[derive(Debug, Clone)]
pub(crate) struct SendSettings {
    pub(crate) kind: TestKind,
    pub(crate) url: String,
    pub(crate) session: Option<String>,
    pub(crate) user: String,
    pub(crate) email: Option<String>,
    pub(crate) label: String,
    pub(crate) count: u32,
    pub(crate) interval: Duration,
    pub(crate) target: InboundSource,
    pub(crate) timeout: Duration,
}

impl From<cli::SendArgs> for SendSettings {
    fn from(args: cli::SendArgs) -> Self {
        SendSettings {
            kind: match args.kind {
                cli::SendKind::Pageview => TestKind::Pageview,
                cli::SendKind::Click => TestKind::Click,
            },
            url: args.url,
            session: args.session,
            user: args.user,
            email: args.email,
            label: args.label,
            count: args.count,
            interval: args.interval,
            target: InboundSource {
                webhook_url: args.webhook_url,
                connector: args.connector,
                product: args.product,
                secret_file: args.secret_file,
                profile: args.profile,
            },
            timeout: args.timeout,
        }
    }
}

/// `autoplay doctor`.
#[derive(Debug, Clone)]
pub(crate) struct DoctorSettings {
    pub(crate) profile: Option<String>,
    /// How long the token check waits for the first bytes.
    pub(crate) wait: Duration,
    /// The project folder.
    pub(crate) dir: PathBuf,
}

/// `autoplay demo`.
#[derive(Debug, Clone)]
pub(crate) struct DemoSettings {
    /// The longest the demo tails its stream.
    pub(crate) duration: Duration,
    /// The folder the demo writes its recording, config and key to (`--keep`, else
    /// `autoplay-demo` in the temporary folder).
    pub(crate) dir: PathBuf,
    /// Where the HTML report goes (default: in `dir`).
    pub(crate) report: Option<PathBuf>,
}

/// `autoplay generate`.
#[derive(Debug, Clone)]
pub(crate) struct GenerateSettings {
    pub(crate) sessions: u32,
    pub(crate) seed: u64,
    pub(crate) product: String,
    /// Total actions (default: about 25 per session).
    pub(crate) actions: Option<u64>,
    /// `-o FILE`: write here instead of stdout.
    pub(crate) output: Option<PathBuf>,
}

/// `autoplay completions`: the shell to print the registration script for.
#[derive(Debug, Clone)]
pub(crate) struct CompletionsSettings {
    pub(crate) shell: clap_complete::Shell,
}

// ---------------------------------------------------------------------------------------------
// triggers
// ---------------------------------------------------------------------------------------------

/// `autoplay triggers validate|simulate|init`.
#[derive(Debug)]
// Built once per run: the size of the largest variant costs nothing.
#[allow(clippy::large_enum_variant)]
pub(crate) enum TriggersSettings {
    Validate {
        /// The config file, `-` for stdin.
        config: PathBuf,
        /// Warnings fail too.
        strict: bool,
    },
    Simulate(SimulateSettings),
    /// `triggers explain`: one session's story.
    Explain(ExplainSettings),
    /// `triggers tune`: a sweep of config values.
    Tune(TuneSettings),
    /// `triggers test`: expectations checked.
    Test(TestSettings),
    /// `triggers watch`: the engine on the live stream.
    Watch(WatchSettings),
    Init {
        /// Where to write the template, `-` for stdout.
        path: PathBuf,
        /// Overwrite an existing file.
        force: bool,
    },
}

/// `autoplay triggers simulate`: the files, and the engine's options as the engine takes them.
#[derive(Debug)]
pub(crate) struct SimulateSettings {
    pub(crate) config: PathBuf,
    pub(crate) events: PathBuf,
    pub(crate) skip_bad_lines: bool,
    pub(crate) options: SimOptions,
    /// Where to write the HTML report, if anywhere.
    pub(crate) report: Option<PathBuf>,
    /// Which records to print.
    pub(crate) focus: Focus,
    /// `--set KEY=V` config overrides, as written.
    pub(crate) set: Vec<String>,
}

/// `autoplay triggers test`: the files, `--update`, and the engine's options (`--why` on).
#[derive(Debug)]
pub(crate) struct TestSettings {
    pub(crate) config: PathBuf,
    pub(crate) events: PathBuf,
    pub(crate) expect: PathBuf,
    pub(crate) update: bool,
    pub(crate) skip_bad_lines: bool,
    pub(crate) options: SimOptions,
}

/// `autoplay triggers tune`: the files, the sweeps (as written) and the engine's options.
#[derive(Debug)]
pub(crate) struct TuneSettings {
    pub(crate) config: PathBuf,
    pub(crate) events: PathBuf,
    pub(crate) vary: Vec<String>,
    pub(crate) skip_bad_lines: bool,
    pub(crate) options: SimOptions,
    /// Where to write the HTML report, if anywhere.
    pub(crate) report: Option<PathBuf>,
}

impl From<cli::TriggersTuneArgs> for TuneSettings {
    fn from(args: cli::TriggersTuneArgs) -> Self {
        let options = run_options(&args.run);
        TuneSettings {
            config: args.config,
            events: args.events,
            vary: args.vary,
            skip_bad_lines: args.run.skip_bad_lines,
            options,
            report: args.report,
        }
    }
}

impl From<cli::TriggersCommand> for TriggersSettings {
    fn from(command: cli::TriggersCommand) -> Self {
        match command {
            cli::TriggersCommand::Validate(args) => {
                TriggersSettings::Validate { config: args.config, strict: args.strict }
            }
            cli::TriggersCommand::Simulate(args) => TriggersSettings::Simulate(args.into()),
            cli::TriggersCommand::Explain(args) => TriggersSettings::Explain(args.into()),
            cli::TriggersCommand::Tune(args) => TriggersSettings::Tune(args.into()),
            cli::TriggersCommand::Test(args) => TriggersSettings::Test(TestSettings {
                options: SimOptions { explain: true, why: WhyMode::All, ..run_options(&args.run) },
                config: args.config,
                events: args.events,
                expect: args.expect,
                update: args.update,
                skip_bad_lines: args.run.skip_bad_lines,
            }),
            cli::TriggersCommand::Init(args) => TriggersSettings::Init { path: args.path, force: args.force },
            cli::TriggersCommand::Watch(args) => TriggersSettings::Watch(args.into()),
        }
    }
}

/// `autoplay triggers explain`: the files, the session, and the engine's options.
#[derive(Debug)]
pub(crate) struct ExplainSettings {
    pub(crate) config: PathBuf,
    pub(crate) events: PathBuf,
    pub(crate) session: String,
    pub(crate) at: Option<TimeBound>,
    pub(crate) trigger: Option<String>,
    pub(crate) skip_bad_lines: bool,
    /// `--why` on: the story is read from the reasons.
    pub(crate) options: SimOptions,
}

impl From<cli::TriggersExplainArgs> for ExplainSettings {
    fn from(args: cli::TriggersExplainArgs) -> Self {
        let options = SimOptions { explain: true, why: WhyMode::All, ..run_options(&args.run) };
        ExplainSettings {
            config: args.config,
            events: args.events,
            session: args.session,
            at: args.at,
            trigger: args.trigger,
            skip_bad_lines: args.run.skip_bad_lines,
            options,
        }
    }
}

/// The engine's options from the shared simulation flags (the rest at their defaults).
fn run_options(args: &cli::SimRunArgs) -> SimOptions {
    SimOptions {
        product: args.product.clone(),
        tick: args.tick,
        horizon: args.horizon,
        judge: judge_policy(args.judge),
        profile: profile(args.rules),
        sdk: sdk_family(args.sdk),
        lookback: args.lookback,
        max_actions: args.max_actions,
        ..SimOptions::default()
    }
}

fn judge_policy(mode: cli::JudgeMode) -> JudgePolicy {
    match mode {
        cli::JudgeMode::Approve => JudgePolicy::Approve,
        cli::JudgeMode::Reject => JudgePolicy::Reject,
        cli::JudgeMode::InstantOnly => JudgePolicy::InstantOnly,
    }
}

fn profile(profile: cli::SimProfile) -> Profile {
    match profile {
        cli::SimProfile::Sdk => Profile::Sdk,
        cli::SimProfile::Connector => Profile::Connector,
    }
}

fn sdk_family(sdk: cli::SdkVersion) -> SdkFamily {
    match sdk {
        cli::SdkVersion::V07 => SdkFamily::V07,
        cli::SdkVersion::V013 => SdkFamily::V013,
    }
}

/// The engine's options from the flags `simulate` and `watch` share.
fn engine_options(args: cli::SimEngineArgs) -> SimOptions {
    SimOptions {
        product: args.product,
        tick: args.tick,
        horizon: args.horizon,
        judge: judge_policy(args.judge),
        profile: profile(args.rules),
        sdk: sdk_family(args.sdk),
        lookback: args.lookback,
        max_actions: args.max_actions,
        explain: args.explain || args.why,
        why: if args.why { WhyMode::All } else { WhyMode::Off },
    }
}

fn focus_of(args: cli::FocusArgs) -> Focus {
    Focus {
        sessions: args.session,
        users: args.user,
        triggers: args.trigger,
        kinds: args.kind,
        from: args.from,
        to: args.to,
    }
}

impl From<cli::TriggersSimulateArgs> for SimulateSettings {
    fn from(args: cli::TriggersSimulateArgs) -> Self {
        let mut options = engine_options(args.engine);
        if let Some(old) = args.profile {
            options.profile = profile(old);
        }
        let focus = focus_of(args.focus);
        SimulateSettings {
            config: args.config,
            events: args.events,
            skip_bad_lines: args.skip_bad_lines,
            options,
            report: args.report,
            focus,
            set: args.set,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// sessions
// ---------------------------------------------------------------------------------------------

/// `autoplay sessions list|show|context|user|stats|drain`.
#[derive(Debug)]
pub(crate) enum SessionsSettings {
    List(SessionsListSettings),
    Show(SessionsShowSettings),
    Context(SessionsContextSettings),
    User(SessionsUserSettings),
    Stats(SessionsStatsSettings),
    Drain(SessionsDrainSettings),
}

/// Where a `sessions` command reads from: `--from` (a file, `-` or a Redis URL) or `--live`.
#[derive(Debug, Clone)]
pub(crate) struct SourceSettings {
    pub(crate) from: Option<String>,
    /// The Redis buffer's key prefix.
    pub(crate) prefix: String,
    pub(crate) live: bool,
    /// How long `--live` listens.
    pub(crate) duration: Duration,
    /// `--at`, as typed (a Unix time, RFC 3339 or `now`).
    pub(crate) at: Option<String>,
    /// The stream `--live` listens to, its product taken from the command's `--product`.
    pub(crate) live_stream: ConnectionSettings,
}

impl SourceSettings {
    fn new(args: cli::SourceArgs, product: Option<&str>) -> Self {
        let live = &args.live_stream;
        let live_stream = ConnectionSettings {
            source: live.to_stream_args(product),
            max_retries: live.retry.max_retries,
            idle_timeout: live.retry.idle_timeout,
            connect_timeout: live.retry.connect_timeout,
        };
        SourceSettings {
            from: args.from,
            prefix: args.prefix,
            live: args.live,
            duration: args.duration,
            at: args.at,
            live_stream,
        }
    }
}

/// `autoplay sessions list`.
#[derive(Debug)]
pub(crate) struct SessionsListSettings {
    pub(crate) source: SourceSettings,
    pub(crate) sort: RowOrder,
    pub(crate) limit: Option<usize>,
    pub(crate) user: Option<String>,
    pub(crate) product: Option<String>,
    /// `--since`, as typed (a duration back from `--at`, or a time).
    pub(crate) since: Option<String>,
}

/// `autoplay sessions show`.
#[derive(Debug)]
pub(crate) struct SessionsShowSettings {
    pub(crate) session: String,
    pub(crate) source: SourceSettings,
    pub(crate) product: Option<String>,
}

/// `autoplay sessions context`: the `ContextStore` options and the `get`/`enrich` arguments.
#[derive(Debug)]
pub(crate) struct SessionsContextSettings {
    pub(crate) session: String,
    pub(crate) source: SourceSettings,
    pub(crate) product: Option<String>,
    pub(crate) query: Option<String>,
    pub(crate) lookback: Option<f64>,
    pub(crate) max_actions: Option<i64>,
    pub(crate) no_summary: bool,
    pub(crate) no_actions: bool,
}

/// `autoplay sessions user`: the `UserSessionIndex` options.
#[derive(Debug)]
pub(crate) struct SessionsUserSettings {
    pub(crate) user: String,
    pub(crate) source: SourceSettings,
    pub(crate) lookback: f64,
    pub(crate) max_sessions: i64,
}

/// `autoplay sessions stats`.
#[derive(Debug)]
pub(crate) struct SessionsStatsSettings {
    pub(crate) source: SourceSettings,
    /// How many URLs and types to list.
    pub(crate) top: usize,
}

/// `autoplay sessions drain`: the Redis buffer to empty.
#[derive(Debug)]
pub(crate) struct SessionsDrainSettings {
    pub(crate) from: String,
    pub(crate) prefix: String,
}

impl From<cli::SessionsCommand> for SessionsSettings {
    fn from(command: cli::SessionsCommand) -> Self {
        use cli::SessionsCommand as C;
        match command {
            C::List(args) => SessionsSettings::List(SessionsListSettings {
                source: SourceSettings::new(args.source, args.product.as_deref()),
                sort: match args.sort {
                    cli::SessionSort::LastSeen => RowOrder::LastSeen,
                    cli::SessionSort::Actions => RowOrder::Actions,
                },
                limit: args.limit,
                user: args.user,
                product: args.product,
                since: args.since,
            }),
            C::Show(args) => SessionsSettings::Show(SessionsShowSettings {
                source: SourceSettings::new(args.source, args.product.as_deref()),
                session: args.session,
                product: args.product,
            }),
            C::Context(args) => SessionsSettings::Context(SessionsContextSettings {
                source: SourceSettings::new(args.source, args.product.as_deref()),
                session: args.session,
                product: args.product,
                query: args.query,
                lookback: args.lookback,
                max_actions: args.max_actions,
                no_summary: args.no_summary,
                no_actions: args.no_actions,
            }),
            C::User(args) => SessionsSettings::User(SessionsUserSettings {
                source: SourceSettings::new(args.source, None),
                user: args.user,
                lookback: args.lookback,
                max_sessions: args.max_sessions,
            }),
            C::Stats(args) => SessionsSettings::Stats(SessionsStatsSettings {
                source: SourceSettings::new(args.source, None),
                top: args.top,
            }),
            C::Drain(args) => SessionsSettings::Drain(SessionsDrainSettings { from: args.from, prefix: args.prefix }),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// triggers watch
// ---------------------------------------------------------------------------------------------

/// Where `triggers watch` reads its events.
#[derive(Debug, Clone)]
pub(crate) enum WatchInput {
    /// The live stream.
    Stream(ConnectionSettings),
    /// `--events FILE|-`: a recording followed as it grows, or stdin.
    File(PathBuf),
}

/// `autoplay triggers watch`: the input, the engine's options and how the live run keeps
/// its sessions and ends.
#[derive(Debug)]
pub(crate) struct WatchSettings {
    pub(crate) config: PathBuf,
    pub(crate) input: WatchInput,
    pub(crate) options: SimOptions,
    /// Which records to print.
    pub(crate) focus: Focus,
    pub(crate) live: crate::triggers::live::LiveOptions,
    pub(crate) record: Option<PathBuf>,
    pub(crate) forward_to: Option<String>,
    pub(crate) forward_secret_file: Option<PathBuf>,
    pub(crate) duration: Option<Duration>,
    pub(crate) max_events: Option<u64>,
    pub(crate) exit_when_idle: Option<Duration>,
    /// Where to write the HTML report of the run at exit, if anywhere.
    pub(crate) report: Option<PathBuf>,
}

impl From<cli::TriggersWatchArgs> for WatchSettings {
    fn from(args: cli::TriggersWatchArgs) -> Self {
        use crate::triggers::live::{Clock, LiveOptions};
        let input = match args.events {
            Some(path) => WatchInput::File(path),
            None => WatchInput::Stream(ConnectionSettings {
                source: args.stream.to_stream_args(args.engine.product.as_deref()),
                max_retries: args.stream.retry.max_retries,
                idle_timeout: args.stream.retry.idle_timeout,
                connect_timeout: args.stream.retry.connect_timeout,
            }),
        };
        let clock = match (args.clock, &input) {
            (Some(cli::ClockMode::Wall), _) => Clock::Wall,
            (Some(cli::ClockMode::Event), _) | (None, WatchInput::File(_)) => Clock::Event,
            (None, WatchInput::Stream(_)) => Clock::Wall,
        };
        let options = engine_options(args.engine);
        WatchSettings {
            config: args.config,
            input,
            options,
            focus: focus_of(args.focus),
            live: LiveOptions { clock, max_sessions: args.max_sessions, linger: args.linger },
            record: args.record,
            forward_to: args.forward_to,
            forward_secret_file: args.forward_secret_file,
            duration: args.duration,
            max_events: args.max_events,
            exit_when_idle: args.exit_when_idle,
            report: args.report,
        }
    }
}
