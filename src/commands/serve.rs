//! `autoplay serve`: run the local connector until Ctrl-C.
//!
//! Without `--key` the server's key is the one kept in `serve.key` under the config folder
//! (0600), made on first use and kept across restarts, so a running `tail` reconnects after a
//! restart; `--new-key` replaces it. On start it prints the commands that reach it, and while
//! it runs one line per answered request on stderr (`-q` silences both).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;

use crate::server::{
    Keep, RequestLog, RequestRecord, ServeConfig, Server, Source, feed::SyntheticLive, load_recording, registry,
};
use crate::settings::ServeSettings;
use crate::shell::exit::ExitStatus;
use crate::shell::ui;

/// The file under the config folder that keeps the generated key.
const KEY_FILE: &str = "serve.key";
/// The file beside it that keeps the products registered with `POST /products`.
const PRODUCTS_FILE: &str = "serve-products.json";

/// Where the server's key came from.
enum KeyOrigin {
    /// `--key`.
    Given,
    /// Kept in this file (made now when `fresh`).
    Kept { path: PathBuf, fresh: bool },
    /// Generated for this run only (the config folder could not be used).
    Ephemeral,
}

pub(crate) fn run(args: ServeSettings) -> anyhow::Result<ExitStatus> {
    let mut config = server_config(&args)?;
    let origin = if config.keys.is_empty() {
        let (key, origin) = server_key(args.new_key);
        config.keys.push(key);
        origin
    } else {
        KeyOrigin::Given
    };
    if let KeyOrigin::Kept { path, .. } = &origin
        && let Some(dir) = path.parent()
    {
        config.keep = Some(keep_registrations(dir.join(PRODUCTS_FILE)));
    }
    config.request_log = Some(RequestLog(Arc::new(|record: &RequestRecord| ui::info(request_line(record)))));
    let runtime = super::runtime()?;
    runtime.block_on(async move {
        let products = crate::server::served_products(&config);
        let key = config.keys[0].clone();
        let server = Server::bind(&args.bind, args.port, config).await?.with_limits(args.limits);
        let address = server.local_addr()?;
        let base = format!("http://{address}");
        if args.port == 0 {
            // Scripts read the chosen address from the first line of stdout.
            let mut stdout = std::io::stdout().lock();
            writeln!(stdout, "{base}")?;
            stdout.flush()?;
        }
        // A wildcard bind is reached through the loopback address.
        let reach =
            if address.ip().is_unspecified() { format!("http://127.0.0.1:{}", address.port()) } else { base.clone() };
        ui::info(format!("Serving a local connector on {base} (Ctrl-C to stop)"));
        ui::info(format!("  products: {}   (and every product registered with POST /products)", products.join(", ")));
        ui::info(format!("  stream:   {reach}/stream/<product_id>"));
        let product = products.first().cloned().unwrap_or_else(|| "demo".into());
        match &origin {
            KeyOrigin::Given => {
                ui::info("  key:      the --key values");
                ui::info("Follow it (the file holds one of your --key values):");
                ui::info(format!("  autoplay tail --url {reach}/stream/{product} --token-file KEY_FILE"));
            }
            KeyOrigin::Kept { path, fresh } => {
                let note = if *fresh { "new; kept" } else { "kept" };
                ui::info(format!(
                    "  key:      {}   ({note} in {}; --new-key replaces it, --key chooses one)",
                    crate::shell::secret::mask(&key),
                    path.display()
                ));
                ui::info("Follow it:");
                ui::info(format!("  autoplay tail --url {reach}/stream/{product} --token-file {}", quoted(path)));
                ui::info("Send it a test event:");
                ui::info(format!(
                    "  autoplay send pageview --url /billing --connector {reach} --product {product} --secret-file {}",
                    quoted(path)
                ));
            }
            KeyOrigin::Ephemeral => {
                // Nothing else holds a key made for one run, so it is the one key shown whole.
                ui::info(format!("  key:      {key}   (generated for this run; pass --key to choose one)"));
            }
        }
        ui::info(format!("Or register a product: autoplay onboard --connector {reach} --save, then autoplay tail"));
        tokio::select! {
            result = server.run() => {
                result?;
                Ok(ExitStatus::Success)
            }
            _ = tokio::signal::ctrl_c() => {
                ui::info("stopped");
                Ok(ExitStatus::Interrupted)
            }
        }
    })
}

/// Registrations kept in `path`: read now, written (0600) after each new one.
fn keep_registrations(path: PathBuf) -> Keep {
    let saved = match std::fs::read(&path) {
        Ok(bytes) => match serde_json::from_slice::<serde_json::Value>(&bytes) {
            Ok(value) => Some(value),
            Err(err) => {
                ui::warn(format!(
                    "{}: not valid JSON ({err}); starting without the products registered earlier",
                    path.display()
                ));
                None
            }
        },
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => None,
        Err(err) => {
            ui::warn(format!(
                "could not read {} ({err}); starting without the products registered earlier",
                path.display()
            ));
            None
        }
    };
    let save = move |registrations: &serde_json::Value| {
        let text = format!("{registrations:#}\n");
        if let Err(err) = crate::fs::write_atomic(&path, text.as_bytes(), crate::fs::Access::OwnerOnly) {
            ui::warn(format!("could not keep the registration in {} ({err})", path.display()));
        }
    };
    Keep { saved, save: Arc::new(save) }
}

/// The kept key (made when missing or when `renew`), or one for this run only with a warning
/// when the config folder cannot hold it.
fn server_key(renew: bool) -> (String, KeyOrigin) {
    match kept_key(renew) {
        Ok((key, path, fresh)) => (key, KeyOrigin::Kept { path, fresh }),
        Err(err) => {
            ui::warn(format!("{err:#}; the key is generated for this run only"));
            (new_key(), KeyOrigin::Ephemeral)
        }
    }
}

fn new_key() -> String {
    format!("dev_{}", registry::random_token(24))
}

fn kept_key(renew: bool) -> anyhow::Result<(String, PathBuf, bool)> {
    let dir = crate::connector::profile::config_dir().map_err(anyhow::Error::from)?;
    let path = dir.join(KEY_FILE);
    if !renew && let Some(key) = read_key(&path)? {
        return Ok((key, path, false));
    }
    crate::connector::profile::create_private_dir(&dir).map_err(anyhow::Error::from)?;
    let key = new_key();
    crate::fs::write_atomic(&path, format!("{key}\n").as_bytes(), crate::fs::Access::OwnerOnly)
        .with_context(|| format!("could not write the server key to {}", path.display()))?;
    Ok((key, path, true))
}

/// The key in the file; `None` when there is no file or it holds no usable key.
fn read_key(path: &Path) -> anyhow::Result<Option<String>> {
    match std::fs::read_to_string(path) {
        Ok(text) => {
            let key = text.trim();
            let usable = !key.is_empty() && key.len() <= 200 && key.chars().all(|c| c.is_ascii_graphic());
            Ok(usable.then(|| key.to_string()))
        }
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(err) => Err(anyhow::Error::new(err).context(format!("could not read the server key {}", path.display()))),
    }
}

/// A path as a shell word.
fn quoted(path: &Path) -> String {
    crate::shell::output::shell_word(&path.display().to_string())
}

/// One request as a log line: time, method, path, status, product, subscribers, duration.
fn request_line(record: &RequestRecord) -> String {
    let time = chrono::Local::now().format("%H:%M:%S%.3f");
    let mut line = format!("{time} {:<4} {} {}", record.method, record.path, record.status);
    if let Some(product) = &record.product {
        line.push_str(&format!(" product={product}"));
    }
    if let Some(subscribers) = record.subscribers {
        line.push_str(&format!(" subscribers={subscribers}"));
    }
    let micros = record.duration.as_micros();
    if micros < 10_000 {
        line.push_str(&format!(" {:.1}ms", micros as f64 / 1000.0));
    } else {
        line.push_str(&format!(" {}ms", micros / 1000));
    }
    line
}

/// Checks the settings and turns them into a server config, loading the recording when there
/// is one.
fn server_config(args: &ServeSettings) -> anyhow::Result<ServeConfig> {
    if !(args.heartbeat.is_finite() && args.heartbeat > 0.0) {
        return Err(crate::usage_error!("--heartbeat must be a positive number of seconds"));
    }
    let source = if let Some(path) = &args.replay {
        Source::Replay { events: Arc::new(load_recording(path)?), speed: args.speed, repeat: args.repeat }
    } else if args.synthetic {
        if !(args.rate.is_finite() && args.rate > 0.0) {
            return Err(crate::usage_error!("--rate must be above 0 events per second"));
        }
        Source::Synthetic(SyntheticLive { sessions: args.sessions, rate: args.rate, seed: args.seed })
    } else {
        Source::Idle
    };
    Ok(ServeConfig {
        products: args.products.clone(),
        keys: args.keys.clone(),
        heartbeat: Duration::from_secs_f64(args.heartbeat),
        source,
        any_product: args.any_product,
        faults: args.faults,
        retry_ms: args.retry_ms,
        request_log: None,
        keep: None,
    })
}
