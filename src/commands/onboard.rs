//! `autoplay onboard`: gathers the inputs (flags, else prompts on a terminal), posts the
//! registration, and on success prints the operator summary (or the JSON result) and saves the
//! credentials where asked. The request bodies, response handling and file contents are in
//! [`crate::connector::registration`].

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use serde_json::Value;

use crate::connector::profile::{self, Profile};
use crate::connector::registration::{self, LegacyRegistration, Provider, ProviderRegistration, RegistrationError};
use crate::settings::{GlobalSettings, OnboardSettings};
use crate::shell::exit::{ExitStatus, UserError};
use crate::shell::output::Format;
use crate::shell::{env_vars, output, secret, ui};
use crate::usage_error;

pub(crate) fn run(global: &GlobalSettings, args: OnboardSettings) -> anyhow::Result<ExitStatus> {
    let format = output::resolve_format(global.format);
    output::ensure_supported(format, "onboard")?;
    if let Some(name) = &args.save {
        profile::validate_name(name).map_err(crate::connector::credentials::profile_error)?;
    }
    let session = Session {
        interactive: ui::can_prompt(),
        timeout: registration::timeout(args.timeout, env_vars::read(env_vars::ONBOARD_TIMEOUT).as_deref()),
        admin_key: read_admin_key(&args)?,
    };
    if args.provider.is_some() || args.provider_project_id.is_some() {
        run_provider(&session, &args, format)
    } else {
        run_legacy(&session, &args, format)
    }
}

/// Settings shared by both APIs.
struct Session {
    interactive: bool,
    timeout: Duration,
    admin_key: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// Legacy API
// ---------------------------------------------------------------------------------------------

fn run_legacy(session: &Session, args: &OnboardSettings, format: Format) -> anyhow::Result<ExitStatus> {
    for (given, flag) in [
        (args.owner_token_file.is_some(), "--owner-token-file"),
        (args.ingest_secret_file.is_some(), "--ingest-secret-file"),
        (args.name.is_some(), "--name"),
    ] {
        if given {
            return Err(usage_error!("{flag} belongs to the provider API; add --provider and --provider-project-id"));
        }
    }
    let product_id = ask_product(session, args)?;
    let contact_email = ask_email(session, args)?;
    let connector = ask_connector(session, args, registration::LEGACY_DEFAULT_CONNECTOR)?;
    let webhook_secret = match &args.webhook_secret_file {
        Some(path) => read_secret_file(path, "--webhook-secret-file")?,
        None => registration::generate_webhook_secret(),
    };
    secret::register(&webhook_secret);
    let forward_secret = match &args.forward_secret_file {
        Some(path) => read_secret_file(path, "--forward-secret-file")?,
        None => String::new(),
    };
    secret::register(&forward_secret);
    let mut request = LegacyRegistration {
        product_id,
        contact_email,
        webhook_secret,
        forward_url: args.forward_url.clone().unwrap_or_default().trim().to_string(),
        forward_secret,
        force_reregister: args.force_reregister,
    };
    if request.force_reregister {
        ui::warn(format!(
            "re-registering `{}` rotates its webhook secret: update the PostHog destination afterwards",
            request.product_id
        ));
    }

    preflight(args)?;
    let runtime = super::runtime()?;
    let result = loop {
        let (status, body) = runtime.block_on(post(session, &connector, &request.body()))?;
        match registration::interpret_legacy(status, &body, &request, &connector) {
            Ok(result) => break result,
            Err(RegistrationError::AlreadyRegistered { body }) if !request.force_reregister => {
                if confirm_reregister(session, args, &request.product_id)? {
                    request.force_reregister = true;
                    continue;
                }
                return Err(already_registered(&request.product_id, &connector, &body));
            }
            Err(err) => return Err(registration_failure(err, &connector, false)),
        }
    };
    secret::register(&result.unkey_key);
    secret::register(&result.webhook_secret);
    ui::info(ui::paint_stderr("✓ Product registered", &console::Style::new().green()));

    // Print before saving: the secrets are shown once, and a failed save must not lose them.
    print_result(format, &result, &registration::legacy_summary(&result))?;
    let mut saved = false;
    let save_as = profile_to_save(session, args)?;
    if session.interactive {
        equivalent_command(args, &request, &connector, save_as.as_deref());
    }
    if let Some(name) = &save_as {
        let mut profile = Profile::new(name).map_err(crate::connector::credentials::profile_error)?;
        profile.api = Some(profile::API_LEGACY.to_string());
        profile.connector = Some(connector.clone());
        profile.product = Some(result.product_id.clone());
        profile.stream_url = Some(result.stream_url.clone());
        profile.webhook_url = Some(result.webhook_url.clone());
        profile.token = Some(result.unkey_key.clone());
        profile.token_id = Some(result.unkey_key_id.clone());
        profile.webhook_secret = Some(result.webhook_secret.clone());
        save_profile(&profile)?;
        saved = true;
    }
    if let Some(path) = &args.env_file {
        write_env_file(session, args, path, &registration::legacy_env_entries(&result, &connector))?;
        saved = true;
    }
    if !saved {
        ui::hint("these secrets are shown once: `--save` stores them so `autoplay tail` needs no flags");
    }
    Ok(ExitStatus::Success)
}

/// After an interactive run: the command that does the same without a question.
fn equivalent_command(args: &OnboardSettings, request: &LegacyRegistration, connector: &str, save_as: Option<&str>) {
    use crate::shell::output::shell_word;
    let mut words = vec![
        "autoplay onboard".to_string(),
        format!("--product {}", shell_word(&request.product_id)),
        format!("--email {}", shell_word(&request.contact_email)),
        format!("--connector {}", shell_word(connector)),
    ];
    let files = [("--webhook-secret-file", &args.webhook_secret_file), ("--admin-key-file", &args.admin_key_file)];
    for (flag, path) in files {
        if let Some(path) = path {
            words.push(format!("{flag} {}", shell_word(&path.display().to_string())));
        }
    }
    if let Some(url) = &args.forward_url {
        words.push(format!("--forward-url {}", shell_word(url)));
    }
    if request.force_reregister {
        words.push("--force-reregister".into());
    }
    match save_as {
        Some(profile::DEFAULT_PROFILE) => words.push("--save".into()),
        Some(name) => words.push(format!("--save {}", shell_word(name))),
        None => {}
    }
    if let Some(path) = &args.env_file {
        words.push(format!("--env-file {}", shell_word(&path.display().to_string())));
    }
    ui::info(format!("The same without questions:\n  {}", words.join(" ")));
}

fn ask_product(session: &Session, args: &OnboardSettings) -> anyhow::Result<String> {
    let given = args.product.as_deref().map(str::trim).filter(|p| !p.is_empty());
    match given {
        Some(product) => {
            registration::check_product_id(product).map_err(|m| usage_error!("--product: {m}"))?;
            Ok(product.to_string())
        }
        None if session.interactive => prompt_text(
            "Product id (the stable id you pass as product_id to posthog.identify)",
            None,
            registration::check_product_id,
        ),
        None => Err(missing("--product", "the product id to register")),
    }
}

/// Whether to re-register after a 409: `--yes`, or a confirmation on a terminal.
fn confirm_reregister(session: &Session, args: &OnboardSettings, product: &str) -> anyhow::Result<bool> {
    if args.yes {
        ui::warn(format!("`{product}` is already registered; re-registering it (--yes) rotates its webhook secret"));
        return Ok(true);
    }
    if !session.interactive {
        return Ok(false);
    }
    let prompt = format!(
        "`{product}` is already registered. Re-register it? This rotates its webhook secret, so the PostHog destination must be updated"
    );
    dialoguer::Confirm::with_theme(&theme()).with_prompt(prompt).default(false).interact().map_err(ui::prompt_error)
}

fn already_registered(product: &str, connector: &str, body: &str) -> anyhow::Error {
    let detail = if body.is_empty() { String::new() } else { format!(": {}", registration::shorten(body, 800)) };
    UserError::usage(format!("`{product}` is already registered on {connector} (HTTP 409{detail})"))
        .with_hint(
            "`--force-reregister` registers it again; that rotates its webhook secret, so update the PostHog destination afterwards",
        )
        .into()
}

// ---------------------------------------------------------------------------------------------
// Provider API
// ---------------------------------------------------------------------------------------------

fn run_provider(session: &Session, args: &OnboardSettings, format: Format) -> anyhow::Result<ExitStatus> {
    for (given, flag) in [
        (args.product.is_some(), "--product"),
        (args.force_reregister, "--force-reregister"),
        (args.webhook_secret_file.is_some(), "--webhook-secret-file"),
        (args.forward_url.is_some(), "--forward-url"),
    ] {
        if given {
            return Err(UserError::usage(format!("{flag} belongs to the legacy API, not the provider API"))
                .with_hint("the provider API issues the product id; re-registering needs --owner-token-file")
                .into());
        }
    }
    let provider = match args.provider.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        Some(slug) => Provider::parse(slug).map_err(|m| usage_error!("--provider: {m}"))?,
        None if session.interactive => {
            let names: Vec<&str> = Provider::ALL.iter().map(|p| p.as_str()).collect();
            let index = dialoguer::Select::with_theme(&theme())
                .with_prompt("Activity provider")
                .items(&names)
                .default(0)
                .interact()
                .map_err(ui::prompt_error)?;
            Provider::ALL[index]
        }
        None => return Err(missing("--provider", "the activity provider (posthog or amplitude)")),
    };
    let provider_project_id = match args.provider_project_id.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        Some(id) => id.to_string(),
        None if session.interactive => prompt_text(&format!("{} project id", provider.as_str()), None, |v| {
            if v.is_empty() { Err("the project id is empty".to_string()) } else { Ok(()) }
        })?,
        None => return Err(missing("--provider-project-id", "your project id at the activity provider")),
    };
    let contact_email = ask_email(session, args)?;
    let connector = ask_connector(session, args, registration::PROVIDER_DEFAULT_CONNECTOR)?;
    let owner_token = match &args.owner_token_file {
        Some(path) => Some(read_secret_file(path, "--owner-token-file")?),
        None => saved_owner_token(args, provider, &provider_project_id),
    };
    let ingest_secret =
        args.ingest_secret_file.as_deref().map(|p| read_secret_file(p, "--ingest-secret-file")).transpose()?;
    for value in owner_token.iter().chain(ingest_secret.iter()) {
        secret::register(value);
    }
    let request = ProviderRegistration {
        provider,
        provider_project_id,
        contact_email,
        ingest_secret,
        owner_token: owner_token.clone(),
        name: args.name.clone(),
    };

    preflight(args)?;
    let runtime = super::runtime()?;
    let (status, body) = runtime.block_on(post(session, &connector, &request.body()))?;
    let result = match registration::interpret_provider(status, &body, &request) {
        Ok(result) => result,
        Err(RegistrationError::AlreadyRegistered { body }) => {
            let detail = if body.is_empty() { String::new() } else { format!(": {body}") };
            return Err(UserError::usage(format!(
                "the connector is already registering this {} project (HTTP 409{detail})",
                request.provider.as_str()
            ))
            .with_hint("another registration of the same project is in flight; wait a moment and try again")
            .into());
        }
        Err(err) => return Err(registration_failure(err, &connector, true)),
    };
    for value in [Some(&result.ingest_secret), Some(&result.mcp_key), result.owner_token.as_ref()].into_iter().flatten()
    {
        secret::register(value);
    }
    ui::info(ui::paint_stderr("✓ Product registered", &console::Style::new().green()));
    print_result(format, &result, &registration::provider_summary(&result))?;

    let mut saved = false;
    if let Some(name) = &profile_to_save(session, args)? {
        let mut profile = Profile::new(name).map_err(crate::connector::credentials::profile_error)?;
        // The owner token comes back on the first registration only: keep the one we have.
        let previous_owner_token =
            profile::load(name).ok().flatten().and_then(|p| p.owner_token).filter(|_| result.owner_token.is_none());
        profile.api = Some(profile::API_PROVIDER.to_string());
        profile.connector = Some(connector.clone());
        profile.product = Some(result.product_id.clone());
        profile.provider = Some(result.provider.clone());
        profile.provider_project_id = Some(result.provider_project_id.clone());
        profile.ingest_url = Some(result.ingest_url.clone());
        profile.mcp_url = result.mcp_url.clone();
        profile.ingest_secret = Some(result.ingest_secret.clone());
        profile.mcp_key = Some(result.mcp_key.clone());
        profile.owner_token = result.owner_token.clone().or(owner_token).or(previous_owner_token);
        save_profile(&profile)?;
        saved = true;
    }
    if let Some(path) = &args.env_file {
        write_env_file(session, args, path, &registration::provider_env_entries(&result, &connector))?;
        saved = true;
    }
    if result.owner_token.is_some() && !saved {
        ui::warn("save the owner token: it is needed to re-register this project and is not shown again");
    }
    Ok(ExitStatus::Success)
}

/// The owner token saved by an earlier registration of the same project, in the profile this
/// run saves into (`--save NAME`, else `default`): re-registering then needs no flag.
fn saved_owner_token(args: &OnboardSettings, provider: Provider, project: &str) -> Option<String> {
    let name = args.save.as_deref().unwrap_or(profile::DEFAULT_PROFILE);
    let saved = profile::load(name).ok().flatten()?;
    let same_project =
        saved.provider.as_deref() == Some(provider.as_str()) && saved.provider_project_id.as_deref() == Some(project);
    let token = saved.owner_token.filter(|_| same_project)?;
    secret::register(&token);
    ui::info(format!("using the owner token saved in profile `{name}`"));
    Some(token)
}

// ---------------------------------------------------------------------------------------------
// Shared steps
// ---------------------------------------------------------------------------------------------

/// Checks every place the results will be written before anything is registered, so a
/// registration never succeeds only to fail at saving: the profile folder and its files
/// (`--save`), the `--env-file` path and the `.gitignore` beside it.
fn preflight(args: &OnboardSettings) -> anyhow::Result<()> {
    if args.save.is_some() {
        profile::check_can_save().map_err(crate::connector::credentials::profile_error)?;
    }
    let Some(env_file) = &args.env_file else { return Ok(()) };
    let not_a_file = |path: &Path| usage_error!("{} exists but is not a regular file", path.display());
    if env_file.exists() {
        if !env_file.is_file() {
            return Err(not_a_file(env_file));
        }
        std::fs::File::open(env_file).with_context(|| format!("could not read {}", env_file.display()))?;
    }
    let parent = env_file.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    // The nearest folder that exists is where the file (or its folders) will be created.
    let mut existing = parent;
    while !existing.exists() {
        match existing.parent() {
            Some(up) if !up.as_os_str().is_empty() => existing = up,
            _ => {
                existing = Path::new(".");
                break;
            }
        }
    }
    if !existing.is_dir() {
        return Err(usage_error!("--env-file: {} is not a folder", existing.display()));
    }
    tempfile::Builder::new()
        .prefix(".autoplay-check-")
        .tempfile_in(existing)
        .map_err(|err| UserError::failure(format!("--env-file: cannot write in {} ({err})", existing.display())))?;
    if !args.no_gitignore {
        let root = std::env::current_dir().context("could not read the current folder")?;
        let gitignore = root.join(".gitignore");
        if gitignore.exists() {
            if !gitignore.is_file() {
                return Err(not_a_file(&gitignore));
            }
            std::fs::File::open(&gitignore).with_context(|| format!("could not read {}", gitignore.display()))?;
        }
    }
    Ok(())
}

fn ask_email(session: &Session, args: &OnboardSettings) -> anyhow::Result<String> {
    match args.email.as_deref().map(str::trim).filter(|e| !e.is_empty()) {
        Some(email) => {
            registration::check_email(email).map_err(|m| usage_error!("--email: {m}"))?;
            Ok(email.to_string())
        }
        None if session.interactive => prompt_text("Contact email", None, registration::check_email),
        None => Err(missing("--email", "the contact email of the product's owner")),
    }
}

fn ask_connector(session: &Session, args: &OnboardSettings, default: &str) -> anyhow::Result<String> {
    let connector = match args.connector.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        Some(url) => registration::normalize_connector(Some(url), default),
        None if session.interactive => {
            let url = prompt_text("Connector URL", Some(default), |v| {
                registration::check_connector_url(&registration::normalize_connector(Some(v), default))
            })?;
            registration::normalize_connector(Some(&url), default)
        }
        None => default.to_string(),
    };
    registration::check_connector_url(&connector).map_err(|m| usage_error!("--connector: {m}"))?;
    Ok(connector)
}

/// The profile to save into: `--save [NAME]`, else, on a terminal with no `--env-file`, the
/// `default` profile if the user agrees.
fn profile_to_save(session: &Session, args: &OnboardSettings) -> anyhow::Result<Option<String>> {
    if args.save.is_some() || args.env_file.is_some() || !session.interactive {
        return Ok(args.save.clone());
    }
    let existing = profile::load(profile::DEFAULT_PROFILE).ok().flatten();
    let prompt = match existing.as_ref().and_then(|p| p.product.as_deref()) {
        Some(product) => {
            format!("Save these credentials as profile `default`? (replaces the saved one, product `{product}`)")
        }
        None => "Save these credentials as profile `default` so `autoplay tail` needs no flags?".to_string(),
    };
    let save = dialoguer::Confirm::with_theme(&theme())
        .with_prompt(prompt)
        .default(existing.is_none())
        .interact()
        .map_err(ui::prompt_error)?;
    Ok(save.then(|| profile::DEFAULT_PROFILE.to_string()))
}

fn missing(flag: &str, what: &str) -> anyhow::Error {
    UserError::usage(format!("missing {flag}: {what}"))
        .with_hint("run `autoplay onboard` in a terminal to be asked, or see `autoplay onboard --help`")
        .into()
}

fn theme() -> dialoguer::theme::ColorfulTheme {
    dialoguer::theme::ColorfulTheme::default()
}

/// Asks for one line of text, re-asking until `check` accepts the trimmed answer.
fn prompt_text(
    prompt: &str,
    default: Option<&str>,
    check: impl Fn(&str) -> Result<(), String>,
) -> anyhow::Result<String> {
    let theme = theme();
    let mut input = dialoguer::Input::<String>::with_theme(&theme)
        .with_prompt(prompt)
        .validate_with(|value: &String| check(value.trim()));
    if let Some(default) = default {
        input = input.default(default.to_string());
    }
    Ok(input.interact_text().map_err(ui::prompt_error)?.trim().to_string())
}

fn read_secret_file(path: &Path, flag: &str) -> anyhow::Result<String> {
    let text = std::fs::read_to_string(path)
        .map_err(|err| UserError::usage(format!("{flag}: could not read {}: {err}", path.display())))?;
    let value = text.trim().to_string();
    if value.is_empty() {
        return Err(usage_error!("{flag}: {} is empty", path.display()));
    }
    secret::register(&value);
    Ok(value)
}

fn read_admin_key(args: &OnboardSettings) -> anyhow::Result<Option<String>> {
    match &args.admin_key_file {
        Some(path) => read_secret_file(path, "--admin-key-file").map(Some),
        None => {
            let key = env_vars::read(env_vars::ADMIN_KEY);
            if let Some(key) = &key {
                secret::register(key);
            }
            Ok(key)
        }
    }
}

/// Posts the registration and returns the status and body. Only a transport failure (nothing
/// came back over HTTP) is an error here; statuses are interpreted by the caller.
async fn post(session: &Session, connector: &str, body: &Value) -> anyhow::Result<(u16, String)> {
    // No redirect is ever followed: the admin key, the secrets and the body go only to the
    // connector that was named.
    let client = reqwest::Client::builder()
        .timeout(session.timeout)
        .connect_timeout(session.timeout)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("autoplay/", env!("CARGO_PKG_VERSION")))
        .build()
        .context("could not set up the HTTP client")?;
    let url = format!("{connector}/products");
    let mut request = client.post(&url).json(body);
    if let Some(key) = &session.admin_key {
        request = request.header("X-Admin-Key", key);
    }
    crate::shell::logging::http_request("POST", &url);
    let started = std::time::Instant::now();
    let spinner = ui::can_show_progress().then(|| {
        let spinner = indicatif::ProgressBar::new_spinner();
        spinner.set_message("Registering product…");
        spinner.enable_steady_tick(Duration::from_millis(80));
        spinner
    });
    let outcome = async {
        let response = request.send().await?;
        crate::shell::logging::http_response(
            "POST",
            &url,
            response.status().as_u16(),
            started.elapsed(),
            response.headers(),
        );
        let status = response.status().as_u16();
        let location = response
            .headers()
            .get(reqwest::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(|l| response.url().join(l).map(|u| u.to_string()).unwrap_or_else(|_| l.to_string()));
        let text = crate::connector::read_body_limited(response).await?;
        Ok::<_, reqwest::Error>((status, location, text))
    }
    .await;
    if let Some(spinner) = spinner {
        spinner.finish_and_clear();
    }
    let (status, location, text) = outcome.map_err(|err| transport_error(err, connector, session.timeout))?;
    if (300..400).contains(&status) {
        let location = location.map(|l| secret::redact_url(&l)).unwrap_or_else(|| "(no Location)".into());
        return Err(UserError::failure(format!(
            "the connector at '{connector}' answered HTTP {status}, a redirect to {location}; onboard never follows redirects"
        ))
        .with_hint(
            "the admin key and the secrets are only sent to the connector you named; if the new location is right, pass it with --connector",
        )
        .into());
    }
    Ok((status, text))
}

fn transport_error(err: reqwest::Error, connector: &str, timeout: Duration) -> anyhow::Error {
    if err.is_timeout() {
        return UserError::failure(format!(
            "the connector at '{connector}' did not answer within {} s",
            timeout.as_secs_f64()
        ))
        .with_hint("raise --timeout (or ONBOARD_CONNECTOR_TIMEOUT_SECONDS, up to 120), or check the connector's health")
        .into();
    }
    // The innermost cause says what actually happened ("Connection refused", a DNS failure).
    let mut detail = err.to_string();
    let mut source = std::error::Error::source(&err);
    while let Some(cause) = source {
        detail = cause.to_string();
        source = cause.source();
    }
    UserError::failure(format!("could not reach the connector at '{connector}' ({detail})"))
        .with_hint(
            "check --connector (the event connector's base URL) and that the connector is running; Render and Unkey credentials belong on the connector host, not here",
        )
        .into()
}

fn registration_failure(err: RegistrationError, connector: &str, provider_api: bool) -> anyhow::Error {
    let message = format!("registration on {connector} failed: {err}");
    match &err {
        RegistrationError::Forbidden { .. } if provider_api => UserError::auth(message)
            .with_hint(
                "this project is already registered: re-registering needs the owner token of its first registration (--owner-token-file)",
            )
            .into(),
        RegistrationError::Forbidden { .. } | RegistrationError::Http { status: 401, .. } => UserError::auth(message)
            .with_hint("the connector may require an admin key: --admin-key-file or AUTOPLAY_ADMIN_KEY")
            .into(),
        RegistrationError::AlreadyRegistered { .. } => UserError::failure(message).into(),
        RegistrationError::MissingUnkeyKey | RegistrationError::MissingFields(_) | RegistrationError::NotJson { .. } => {
            UserError::failure(message)
                .with_hint("the connector may be a different version than this toolkit expects")
                .into()
        }
        RegistrationError::Http { .. } => UserError::failure(message).into(),
    }
}

fn print_result(format: Format, result: &impl serde::Serialize, summary: &str) -> anyhow::Result<()> {
    let mut out = output::LineWriter::new();
    match format {
        Format::Json => out.line(&serde_json::to_string_pretty(result).context("could not encode the result")?)?,
        _ => out.line(summary)?,
    }
    Ok(())
}

fn save_profile(profile: &Profile) -> anyhow::Result<()> {
    let written = profile::save(profile).map_err(crate::connector::credentials::profile_error)?;
    let files: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
    ui::info(format!("saved profile `{}` to {}", profile.name, files.join(" and ")));
    Ok(())
}

fn write_env_file(
    session: &Session,
    args: &OnboardSettings,
    path: &Path,
    entries: &[(&'static str, String)],
) -> anyhow::Result<()> {
    let existing = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(err) => return Err(err).with_context(|| format!("could not read {}", path.display())),
    };
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).with_context(|| format!("could not create {}", parent.display()))?;
    }
    let text = registration::update_env_file(&existing, entries)
        .map_err(|m| UserError::failure(format!("did not write {}: {m}", path.display())))?;
    crate::fs::write_atomic(path, text.as_bytes(), crate::fs::Access::OwnerOnly)
        .with_context(|| format!("could not write {}", path.display()))?;
    ui::info(format!("wrote {} variables to {}", entries.len(), path.display()));
    if !args.no_gitignore {
        offer_gitignore(session, args, path)?;
    }
    Ok(())
}

/// Keeps the env file out of git: `--gitignore` adds it, a terminal is asked, otherwise a hint.
fn offer_gitignore(session: &Session, args: &OnboardSettings, env_file: &Path) -> anyhow::Result<()> {
    let root = std::env::current_dir().context("could not read the current folder")?;
    let entry = match registration::gitignore_entry(env_file, &root) {
        Ok(Some(entry)) => entry,
        Ok(None) => {
            if args.gitignore {
                ui::warn(format!(
                    "--gitignore: not applied: {} is outside {}, whose .gitignore cannot list it",
                    env_file.display(),
                    root.display()
                ));
            }
            return Ok(());
        }
        Err(reason) => {
            let flag = if args.gitignore { "--gitignore: not applied: " } else { "" };
            ui::warn(format!("{flag}{reason}, which a .gitignore line cannot express; keep it out of git by hand"));
            return Ok(());
        }
    };
    let gitignore: PathBuf = root.join(".gitignore");
    let existing = match std::fs::read_to_string(&gitignore) {
        Ok(text) => Some(text),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => None,
        Err(err) => return Err(err).with_context(|| format!("could not read {}", gitignore.display())),
    };
    if existing.as_deref().is_some_and(|text| registration::gitignore_lists(text, &entry)) {
        return Ok(());
    }
    let add = if args.gitignore {
        true
    } else if session.interactive {
        let prompt = match existing {
            Some(_) => format!("Add {entry} to your .gitignore? (recommended: it holds your API keys)"),
            None => format!("No .gitignore found. Create one with {entry}?"),
        };
        dialoguer::Confirm::with_theme(&theme())
            .with_prompt(prompt)
            .default(true)
            .interact()
            .map_err(ui::prompt_error)?
    } else {
        ui::hint(format!("{entry} holds secrets: add it to .gitignore (or pass --gitignore)"));
        false
    };
    if add {
        let text = registration::gitignore_append(existing.as_deref().unwrap_or(""), &entry);
        crate::fs::write_atomic(&gitignore, text.as_bytes(), crate::fs::Access::Keep)
            .with_context(|| format!("could not write {}", gitignore.display()))?;
        ui::info(format!("added {entry} to {}", gitignore.display()));
    }
    Ok(())
}
