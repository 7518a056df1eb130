//! Embedding slotfill in a Rust backend: load the bundled bot once, register a handler for
//! an action, and handle messages of several conversations.
//!
//! `cargo run --release --example embed`

use slotfill::action::Outcome;
use slotfill::resolve::Context;
use slotfill::Bot;
use std::path::Path;
use std::sync::Arc;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    slotfill::one_thread_per_product();
    let mut bot = Bot::load(Path::new("intents"), Path::new("models/bundled"))?;
    // The real booking happens here; the reply template is used when no handler is set.
    bot.register(
        "book_table",
        Arc::new(|call| {
            let mut outcome = Outcome::replies(vec![format!(
                "Booked table #42 for {} ({}).",
                call.display.get("party_size").map_or("?", String::as_str),
                call.display.get("date").map_or("?", String::as_str)
            )]);
            outcome.slots.insert("reference".into(), "T42".into());
            Ok(outcome)
        }),
    );
    let bot = Arc::new(bot);
    let context = Context::new(chrono::Utc::now().with_timezone(&chrono_tz::Europe::Oslo));
    for (conversation, text) in [
        ("alice", "book a table for 4 in Rome tomorrow at 7pm"),
        ("bob", "what's the weather in Oslo"),
        ("alice", "yes"),
    ] {
        let (parse, turn) = bot.handle(conversation, text, &context)?;
        println!(
            "{conversation}: {text}\n  intent {} ({:.2})",
            parse.intent.name, parse.intent.confidence
        );
        for reply in &turn.replies {
            println!("  bot: {reply}");
        }
    }
    Ok(())
}
