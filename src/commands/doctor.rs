//! `autoplay doctor`: the checks a support engineer would ask for, one line each with the fix.
//! Every check reuses the code the real command runs (profile loading, the stream client's
//! one-connection check, the skills lockfile, the trigger config linter).

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::json;

use crate::connector::credentials::{self, StreamSource, TokenSource};
use crate::connector::profile;
use crate::settings::{DoctorSettings, GlobalSettings};
use crate::shell::exit::ExitStatus;
use crate::shell::output::{self, Format, LineWriter};
use crate::shell::{env_vars, secret};
use crate::stream::check::CheckOutcome;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Ok,
    Warn,
    Fail,
    Skip,
}

impl Status {
    fn name(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Warn => "warn",
            Status::Fail => "fail",
            Status::Skip => "skip",
        }
    }

    fn mark(self) -> &'static str {
        match self {
            Status::Ok => "✓",
            Status::Warn => "!",
            Status::Fail => "✗",
            Status::Skip => "-",
        }
    }
}

/// One check's result.
struct Check {
    name: &'static str,
    status: Status,
    detail: String,
    fix: Option<String>,
}

fn check(name: &'static str, status: Status, detail: impl Into<String>, fix: Option<String>) -> Check {
    Check { name, status, detail: detail.into(), fix }
}

pub(crate) fn run(global: &GlobalSettings, settings: DoctorSettings) -> anyhow::Result<ExitStatus> {
    let format = output::resolve_format(global.format);
    output::ensure_supported(format, "doctor")?;
    let mut checks = config_checks();
    let source = StreamSource {
        url: env_vars::read(env_vars::STREAM_URL),
        connector: env_vars::read(env_vars::CONNECTOR_URL),
        product: env_vars::read(env_vars::PRODUCT_ID),
        profile: settings.profile.clone(),
        ..StreamSource::default()
    };
    match credentials::resolve_active(&source) {
        Ok(active) => {
            checks.push(profile_check(&source, &active));
            let runtime = super::runtime()?;
            checks.extend(runtime.block_on(network_checks(&active, settings.wait)));
        }
        Err(err) => checks.push(check(
            "profile",
            Status::Fail,
            format!("{err:#}"),
            Some("fix or remove the profile files; `autoplay onboard --save` writes new ones".into()),
        )),
    }
    checks.push(skills_check(&settings.dir));
    checks.push(completions_check());
    checks.push(products_check(&settings.dir));

    let failed = checks.iter().any(|c| c.status == Status::Fail);
    let mut out = LineWriter::new();
    match format {
        Format::Json => {
            let rows: Vec<_> = checks
                .iter()
                .map(|c| json!({"name": c.name, "status": c.status.name(), "detail": c.detail, "fix": c.fix}))
                .collect();
            out.line(&json!({ "ok": !failed, "checks": rows }).to_string())?;
        }
        _ => {
            for c in &checks {
                out.line(&format!("{} {:<13} {}", c.status.mark(), c.name, c.detail))?;
                if let Some(fix) = &c.fix {
                    out.line(&format!("  {:<13} fix: {fix}", ""))?;
                }
            }
        }
    }
    Ok(if failed { ExitStatus::Failure } else { ExitStatus::Success })
}

fn mode(path: &Path) -> Option<u32> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).ok().map(|m| m.permissions().mode() & 0o777)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// The config folder and the modes of what it holds.
fn config_checks() -> Vec<Check> {
    let dir = match profile::config_dir() {
        Ok(dir) => dir,
        Err(err) => {
            return vec![check(
                "config folder",
                Status::Fail,
                err.to_string(),
                Some("set HOME or AUTOPLAY_CONFIG_DIR".into()),
            )];
        }
    };
    if !dir.is_dir() {
        return vec![check(
            "config folder",
            Status::Warn,
            format!("{} does not exist yet (nothing saved)", dir.display()),
            Some("`autoplay onboard --save` creates it".into()),
        )];
    }
    let mut checks = Vec::new();
    match mode(&dir) {
        Some(m) if m & 0o022 != 0 => checks.push(check(
            "config folder",
            Status::Fail,
            format!("{} is writable by others ({m:04o})", dir.display()),
            Some(format!("chmod 700 {}", dir.display())),
        )),
        Some(m) => checks.push(check("config folder", Status::Ok, format!("{} ({m:04o})", dir.display()), None)),
        None => checks.push(check("config folder", Status::Ok, dir.display().to_string(), None)),
    }
    let secret_files = [profile::CREDENTIALS_FILE, "serve.key", "serve-products.json"];
    let mut private = Vec::new();
    for name in secret_files {
        let path = dir.join(name);
        if !path.exists() {
            continue;
        }
        if profile::readable_by_others(&path) {
            checks.push(check(
                "file modes",
                Status::Fail,
                format!(
                    "{} can be read by others ({:04o}); it holds secrets",
                    path.display(),
                    mode(&path).unwrap_or(0)
                ),
                Some(format!("chmod 600 {}", path.display())),
            ));
        } else {
            private.push(name);
        }
    }
    if !private.is_empty() {
        checks.push(check("file modes", Status::Ok, format!("{} private (0600)", private.join(", ")), None));
    }
    checks
}

/// The active profile and where each value comes from.
fn profile_check(source: &StreamSource, active: &credentials::ActiveCredentials) -> Check {
    let from_env = |value: &Option<String>, name: &str| value.as_ref().map(|_| format!("env {name}"));
    let from_profile = || active.profile.as_ref().map(|p| format!("profile {}", p.name));
    let origin = |flag: Option<String>| flag.or_else(from_profile).unwrap_or_else(|| "nowhere".into());
    let mut parts = Vec::new();
    match &active.connector {
        Some(connector) => parts
            .push(format!("connector {connector} ({})", origin(from_env(&source.connector, env_vars::CONNECTOR_URL)))),
        None => parts.push("no connector".into()),
    }
    match &active.product {
        Some(product) => {
            parts.push(format!("product {product} ({})", origin(from_env(&source.product, env_vars::PRODUCT_ID))))
        }
        None => parts.push("no product".into()),
    }
    match &active.token {
        Some(token) => {
            let from = match &token.source {
                TokenSource::Env(name) => format!("env {name}"),
                TokenSource::Profile { name, .. } => format!("profile {name}"),
                other => other.to_string(),
            };
            parts.push(format!("token {} ({from})", secret::mask(&token.value)));
        }
        None => parts.push("no token".into()),
    }
    let name = active.profile.as_ref().map(|p| format!("`{}`: ", p.name)).unwrap_or_else(|| "no profile: ".into());
    let complete = active.stream_url.is_some() && active.token.is_some();
    check(
        "profile",
        if complete { Status::Ok } else { Status::Fail },
        format!("{name}{}", parts.join(", ")),
        (!complete).then(|| "`autoplay onboard --save` (or set AUTOPLAY_CONNECTOR_URL, AUTOPLAY_PRODUCT_ID and AUTOPLAY_APP_UNKEY_TOKEN)".into()),
    )
}

/// The connector answers, and the stream accepts the token.
async fn network_checks(active: &credentials::ActiveCredentials, wait: Duration) -> Vec<Check> {
    let base = active
        .connector
        .clone()
        .or_else(|| active.stream_url.as_deref().and_then(|url| url.rfind("/stream/").map(|at| url[..at].to_string())));
    let mut checks = Vec::new();
    match &base {
        Some(base) => {
            let health = format!("{}/health", base.trim_end_matches('/'));
            let client = reqwest::Client::builder().timeout(Duration::from_secs(5)).build();
            let answer = match client {
                Ok(client) => client.get(&health).send().await.map(|r| r.status().as_u16()).map_err(|e| {
                    let mut detail = e.to_string();
                    let mut source = std::error::Error::source(&e);
                    while let Some(cause) = source {
                        detail = cause.to_string();
                        source = cause.source();
                    }
                    detail
                }),
                Err(err) => Err(err.to_string()),
            };
            checks.push(match answer {
                Ok(status) => {
                    check("connector", Status::Ok, format!("{base} answered GET /health with HTTP {status}"), None)
                }
                Err(detail) => check(
                    "connector",
                    Status::Fail,
                    format!("{base} is unreachable ({detail})"),
                    Some("check the connector URL and your network; `autoplay serve` runs one locally".into()),
                ),
            });
        }
        None => checks.push(check("connector", Status::Skip, "no connector configured", None)),
    }
    match (&active.stream_url, &active.token) {
        (Some(url), Some(token)) => {
            let outcome = crate::stream::check::check(url, Some(token.value.clone()), wait).await;
            checks.push(match outcome {
                Ok(CheckOutcome::Accepted { first_bytes_after }) => check(
                    "token",
                    Status::Ok,
                    format!("accepted by {url} (first bytes after {:.2} s)", first_bytes_after.as_secs_f64()),
                    None,
                ),
                Ok(CheckOutcome::AcceptedSilent { waited }) => check(
                    "token",
                    Status::Ok,
                    format!("accepted by {url}; nothing arrived within {:.0} s", waited.as_secs_f64()),
                    None,
                ),
                Err(err) => check("token", Status::Fail, err.to_string(), err.hint()),
            });
        }
        _ => checks.push(check("token", Status::Skip, "no stream or no token to check", None)),
    }
    checks
}

/// The skills recorded in the project's lockfile are installed and current.
fn skills_check(dir: &Path) -> Check {
    let lock_path = dir.join(crate::skills::LOCKFILE_PATH);
    let text = match std::fs::read_to_string(&lock_path) {
        Ok(text) => text,
        Err(_) => {
            return check(
                "skills",
                Status::Warn,
                format!("none installed in {} (no {})", dir.display(), crate::skills::LOCKFILE_PATH),
                Some("autoplay install-skills".into()),
            );
        }
    };
    let lock = match crate::skills::Lockfile::parse(&text) {
        Ok(lock) => lock,
        Err(err) => {
            return check(
                "skills",
                Status::Fail,
                format!("{} is not a valid lockfile ({err})", lock_path.display()),
                Some("autoplay install-skills --force".into()),
            );
        }
    };
    match crate::skills::lock_status(dir, &lock) {
        Ok(status) if status.outdated + status.missing > 0 => check(
            "skills",
            Status::Warn,
            format!(
                "{}: {} older than this toolkit's, {} missing",
                status.installed.join(", "),
                plural(status.outdated, "file", "files"),
                plural(status.missing, "file", "files")
            ),
            Some("autoplay install-skills".into()),
        ),
        Ok(status) => {
            let edited = if status.edited > 0 {
                format!(" ({} edited by hand, kept)", plural(status.edited, "file", "files"))
            } else {
                String::new()
            };
            check("skills", Status::Ok, format!("{}: up to date{edited}", status.installed.join(", ")), None)
        }
        Err(err) => check("skills", Status::Fail, err.to_string(), None),
    }
}

/// Completions for the user's shell are where the shell looks for them.
fn completions_check() -> Check {
    let shell = env_vars::read("SHELL").and_then(|s| s.rsplit('/').next().map(str::to_string)).unwrap_or_default();
    let home = env_vars::read("HOME").map(PathBuf::from).unwrap_or_default();
    let data = env_vars::read("XDG_DATA_HOME").map(PathBuf::from).unwrap_or_else(|| home.join(".local/share"));
    let (candidates, fix): (Vec<PathBuf>, &str) = match shell.as_str() {
        "bash" => (
            vec![
                data.join("bash-completion/completions/autoplay"),
                PathBuf::from("/usr/share/bash-completion/completions/autoplay"),
                PathBuf::from("/usr/local/share/bash-completion/completions/autoplay"),
                PathBuf::from("/etc/bash_completion.d/autoplay"),
            ],
            "autoplay completions bash > ~/.local/share/bash-completion/completions/autoplay",
        ),
        "zsh" => (
            vec![
                home.join(".zfunc/_autoplay"),
                PathBuf::from("/usr/local/share/zsh/site-functions/_autoplay"),
                PathBuf::from("/usr/share/zsh/site-functions/_autoplay"),
            ],
            "autoplay completions zsh > ~/.zfunc/_autoplay",
        ),
        "fish" => (
            vec![home.join(".config/fish/completions/autoplay.fish")],
            "autoplay completions fish > ~/.config/fish/completions/autoplay.fish",
        ),
        _ => {
            return check(
                "completions",
                Status::Skip,
                "shell not recognised from $SHELL",
                Some("autoplay completions --help".into()),
            );
        }
    };
    match candidates.iter().find(|p| p.is_file()) {
        Some(path) => check("completions", Status::Ok, format!("{shell}: {}", path.display()), None),
        None => check("completions", Status::Warn, format!("not installed for {shell}"), Some(fix.into())),
    }
}

/// `products.json` in the project validates.
fn products_check(dir: &Path) -> Check {
    let path = dir.join("products.json");
    let Ok(text) = std::fs::read_to_string(&path) else {
        return check("products.json", Status::Skip, format!("none in {}", dir.display()), None);
    };
    let report = crate::triggers::lint::lint_text(&text);
    let (errors, warnings) = (report.error_count(), report.warning_count());
    let counts = format!("{}, {}", plural(errors, "error", "errors"), plural(warnings, "warning", "warnings"));
    let fix = Some(format!("autoplay triggers validate {}", path.display()));
    if errors > 0 {
        check("products.json", Status::Fail, format!("{}: {counts}", path.display()), fix)
    } else if warnings > 0 {
        check("products.json", Status::Warn, format!("{}: valid, {counts}", path.display()), fix)
    } else {
        check("products.json", Status::Ok, format!("{}: valid", path.display()), None)
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    output::count(n as u64, one, many)
}
