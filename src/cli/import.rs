//! `slotfill import rasa RASA_DIR --out BOT_DIR`: another engine's project as a bot folder.

use anyhow::{bail, Result};
use slotfill::intents::Intents;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct ImportArgs {
    #[command(subcommand)]
    from: From,
}

#[derive(clap::Subcommand)]
enum From {
    /// A Rasa 3.x project: domain.yml (or domain/), data/*.yml and config.yml.
    Rasa(RasaArgs),
}

#[derive(clap::Args)]
struct RasaArgs {
    /// The Rasa project folder (the one with domain.yml).
    dir: PathBuf,
    /// The bot folder to write (created; must not hold a bot.yaml yet).
    #[arg(long)]
    out: PathBuf,
}

/// Converts the project, writes the bot, checks it as `slotfill check` does and prints what
/// did not carry over.
pub fn run(args: ImportArgs) -> Result<()> {
    let From::Rasa(args) = args.from;
    let target = args.out.join("bot.yaml");
    if target.exists() {
        bail!(
            "{} already exists; import into a new folder, or remove it first",
            target.display()
        );
    }
    let imported = slotfill::import::rasa::import(&args.dir)?;
    let written = imported.write(&args.out, &args.dir)?;
    for note in &imported.notes {
        eprintln!("{}: {note}", args.dir.display());
    }
    let bot = Intents::load(&args.out).map_err(|e| {
        anyhow::anyhow!(
            "the bot written to {} does not pass `slotfill check` (a bug in the importer; \
             please report it with the Rasa project):\n{e}",
            written.display()
        )
    })?;
    let examples: usize = bot.intents.iter().map(|i| i.examples.len()).sum();
    println!(
        "{}: {} intents, {examples} examples, {} entities; {} note{} above. Train it with \
         `slotfill train --intents {} --out {}/model`",
        written.display(),
        bot.intents.len(),
        bot.entities.len(),
        imported.notes.len(),
        if imported.notes.len() == 1 { "" } else { "s" },
        args.out.display(),
        args.out.display(),
    );
    Ok(())
}
