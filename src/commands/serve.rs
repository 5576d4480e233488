//! `autoplay serve`: run the local connector until Ctrl-C.

use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use crate::server::{ServeConfig, Server, Source, feed::SyntheticLive, load_recording, registry};
use crate::settings::ServeSettings;
use crate::shell::exit::ExitStatus;

pub(crate) fn run(args: ServeSettings) -> anyhow::Result<ExitStatus> {
    let config = server_config(&args)?;
    let generated_key = config.keys.is_empty().then(|| format!("dev_{}", registry::random_token(24)));
    let mut config = config;
    if let Some(key) = &generated_key {
        config.keys.push(key.clone());
    }
    let runtime = super::runtime()?;
    runtime.block_on(async move {
        let products = crate::server::served_products(&config);
        let server = Server::bind(&args.bind, args.port, config).await?;
        let address = server.local_addr()?;
        let base = format!("http://{address}");
        if args.port == 0 {
            // Scripts read the chosen address from the first line of stdout.
            let mut stdout = std::io::stdout().lock();
            writeln!(stdout, "{base}")?;
            stdout.flush()?;
        }
        crate::shell::ui::info(format!("Serving a local connector on {base} (Ctrl-C to stop)"));
        crate::shell::ui::info(format!("  products: {}", products.join(", ")));
        crate::shell::ui::info(format!("  stream:   {base}/stream/<product_id>"));
        if let Some(key) = &generated_key {
            crate::shell::ui::info(format!("  key:      {key}   (generated; pass --key to choose one)"));
        }
        tokio::select! {
            result = server.run() => {
                result?;
                Ok(ExitStatus::Success)
            }
            _ = tokio::signal::ctrl_c() => {
                crate::shell::ui::info("stopped");
                Ok(ExitStatus::Interrupted)
            }
        }
    })
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
    })
}
