//! Embedding slotfill inside your own axum service: the bot's HTTP API under `/bot`, next to
//! the service's own routes, with a Rust handler for one action and conversations in SQLite.
//!
//! `cargo run --release --example axum_service`, then
//! `curl -s localhost:8080/bot/conversations/ann/messages -d '{"text": "book a table for 2 in Rome tomorrow at 8pm"}'`

use axum::routing::get;
use axum::Router;
use slotfill::action::Outcome;
use slotfill::server::{router, Service};
use slotfill::Bot;
use std::path::Path;
use std::sync::Arc;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    slotfill::one_thread_per_product();
    let mut bot = Bot::load(Path::new("intents"), Path::new("models/bundled"))?
        .with_store(slotfill::store::open("sqlite:conversations.db")?);
    // The booking system of this service, called when a table booking is confirmed.
    bot.register(
        "book_table",
        Arc::new(|call| {
            let people = call.display.get("party_size").map_or("?", String::as_str);
            Ok(Outcome::replies(vec![format!(
                "Booked: table for {people}, reference T-42."
            )]))
        }),
    );
    let app = Router::new()
        .route("/", get(|| async { "my service" }))
        .nest("/bot", router(Service::new(Arc::new(bot), None)));
    slotfill::server::runtime()?.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
        println!("listening on http://127.0.0.1:8080 (bot API under /bot)");
        axum::serve(listener, app).await
    })?;
    Ok(())
}
