//! `slotfill check`: validate a bot folder and print every problem with its file and line.

use super::PathArgument;
use anyhow::bail;
use slotfill::intents::Intents;
use slotfill::Error;
use std::path::PathBuf;

/// Arguments of `slotfill check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The bot folder: every *.yaml / *.yml file in it is read.
    #[arg(default_value = "intents")]
    pub dir: PathBuf,
}

/// Prints each problem as `file:line: message` on stderr, or the warnings and a summary when
/// there is none.
pub fn run(args: CheckArgs) -> anyhow::Result<()> {
    let bot = match Intents::load(&args.dir) {
        Err(Error::Many(errors)) => {
            for e in &errors {
                eprintln!("{e}");
            }
            let s = if errors.len() == 1 { "" } else { "s" };
            bail!("{} problem{s} in {}", errors.len(), args.dir.display())
        }
        other => other.expecting(super::BOT_FOLDER)?,
    };
    for warning in &bot.warnings {
        eprintln!("{warning}");
    }
    let examples: usize = bot.intents.iter().map(|i| i.examples.len()).sum();
    println!(
        "{} intents, {examples} examples, {} entities: OK",
        bot.intents.len(),
        bot.entities.len()
    );
    Ok(())
}
