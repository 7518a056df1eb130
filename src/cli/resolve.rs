//! `slotfill resolve`: resolve texts as one entity type, as the parser and the dialogue do.

use super::reference_time::ReferenceTime;
use anyhow::{Context as _, Result};
use clap::ValueEnum;
use slotfill::intents::BuiltinResolver;
use std::io::{BufRead, Write};

#[derive(clap::Args)]
pub struct ResolveArgs {
    /// Texts to resolve; without any, one text per line of standard input.
    text: Vec<String>,
    /// The entity type.
    #[arg(long, value_enum)]
    entity: Kind,
    #[command(flatten)]
    time: ReferenceTime,
}

#[derive(Clone, Copy, ValueEnum)]
enum Kind {
    Date,
    Time,
    Number,
    Location,
}

pub fn run(args: ResolveArgs) -> Result<()> {
    let context = args.time.context(None)?;
    let (kind, name) = match args.entity {
        Kind::Date => (BuiltinResolver::Date, "date"),
        Kind::Time => (BuiltinResolver::Time, "time"),
        Kind::Number => (BuiltinResolver::Number, "number"),
        Kind::Location => (BuiltinResolver::Location, "location"),
    };
    let mut out = std::io::stdout().lock();
    let mut emit = |text: &str| -> Result<()> {
        let line = match slotfill::resolve::builtin(kind, text, &context) {
            Ok(resolved) => serde_json::json!({
                "text": text,
                "entity": name,
                "resolved": resolved.slot_value(),
                "grain": resolved.grain(),
            }),
            Err(e) => {
                serde_json::json!({"text": text, "entity": name, "resolved": null, "reason": e.reason})
            }
        };
        writeln!(out, "{line}")?;
        Ok(())
    };
    if !args.text.is_empty() {
        return args.text.iter().try_for_each(|t| emit(t));
    }
    for line in std::io::stdin().lock().split(b'\n') {
        let bytes = line.context("reading standard input")?;
        emit(String::from_utf8_lossy(&bytes).trim_end_matches('\r'))?;
    }
    Ok(())
}
