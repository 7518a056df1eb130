//! `slotfill serve`: the HTTP API and the chat page (see `slotfill::server`) on a TCP port.

use super::bot_files::BotFiles;
use anyhow::{Context as _, Result};
use slotfill::server::{self, Reloader, Service};
use slotfill::Bot;
use std::io::Write;
use std::sync::Arc;

#[derive(clap::Args)]
pub struct ServeArgs {
    #[command(flatten)]
    bot: BotFiles,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// Port to listen on (0: any free port; the address is printed).
    #[arg(long, default_value_t = 5005)]
    port: u16,
    /// Where conversations live: `memory`, `sqlite:PATH` (survives restarts) or
    /// `redis://HOST:PORT` (shared by several servers).
    #[arg(long, default_value = "memory")]
    store: String,
    /// Open the chat page in the desktop's browser (its URL is printed either way).
    #[arg(long)]
    open: bool,
}

pub fn run(args: ServeArgs) -> Result<()> {
    let store = slotfill::store::open(&args.store)?;
    let bot = Arc::new(Bot::new(args.bot.parser()?)?.with_store(store));
    let files = args.bot.clone();
    let reloader: Reloader = Arc::new(move || files.parser().map_err(|e| format!("{e:#}").into()));
    let service = Service::new(bot, Some(reloader));
    server::runtime()?.block_on(serve(args, service))
}

async fn serve(args: ServeArgs, service: Arc<Service>) -> Result<()> {
    let listener = tokio::net::TcpListener::bind((args.host.as_str(), args.port))
        .await
        .with_context(|| format!("listening on {}:{}", args.host, args.port))?;
    let address = listener.local_addr()?;
    let started = format!(
        "slotfill serving {} on http://{address} (store: {})\nchat page: http://{address}/\n",
        args.bot.intents.display(),
        args.store
    );
    // One write for both lines: a caller that reads the first line and closes the pipe (as
    // the tests do) must not fail the second one.
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(started.as_bytes())?;
    stdout.flush()?;
    drop(stdout);
    if args.open {
        open_in_browser(&format!("http://{address}/"));
    }
    tokio::spawn(reload_on_hangup(service.clone()));
    axum::serve(listener, server::router(service))
        .with_graceful_shutdown(shutdown())
        .await?;
    Ok(())
}

/// Hands `url` to the desktop's opener (`xdg-open`, macOS's `open`); where there is none (a
/// server, a container) it says so, and the printed URL is the way in.
fn open_in_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    let opened = std::process::Command::new(opener)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if let Err(e) = opened {
        eprintln!("could not open a browser ({opener}: {e}); open {url} yourself");
    }
}

/// SIGHUP re-reads the intents and model, like `POST /reload`.
async fn reload_on_hangup(service: Arc<Service>) {
    use tokio::signal::unix::{signal, SignalKind};
    let Ok(mut hangups) = signal(SignalKind::hangup()) else {
        return;
    };
    while hangups.recv().await.is_some() {
        let service = service.clone();
        match tokio::task::spawn_blocking(move || service.reload()).await {
            Ok(Ok(())) => eprintln!("reloaded"),
            Ok(Err(e)) => eprintln!("not reloaded: {e:?}"),
            Err(e) => eprintln!("not reloaded: {e}"),
        }
    }
}

async fn shutdown() {
    use tokio::signal::unix::{signal, SignalKind};
    let terminate = async {
        if let Ok(mut terms) = signal(SignalKind::terminate()) {
            terms.recv().await;
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = terminate => {}
    }
}
