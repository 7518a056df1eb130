//! `--intents`, `--model` and `--retrain`: the bot that `chat` and `serve` run.

use anyhow::Result;
use slotfill::Parser;
use std::path::PathBuf;

#[derive(clap::Args, Clone)]
pub struct BotFiles {
    /// The intents folder.
    #[arg(long, default_value = "intents")]
    pub intents: PathBuf,
    /// The model trained from it.
    #[arg(long, default_value = "models/bundled")]
    pub model: PathBuf,
    /// Retrain the model first when it is missing or the intents changed since it was trained
    /// (without it, a stale model is refused with the command that retrains it).
    #[arg(long)]
    pub retrain: bool,
}

impl BotFiles {
    /// The intents and model as they are on disk now, retrained first if `--retrain` is given
    /// and the model is missing or was trained from other intents.
    pub fn parser(&self) -> Result<Parser> {
        match Parser::load(&self.model, Some(&self.intents)) {
            Err(slotfill::Error::Model { message, .. }) if self.retrain => {
                eprintln!("{message}\nretraining…");
                let intents = slotfill::intents::Intents::load(&self.intents)?;
                let (model, _) =
                    slotfill::train::train_intents(&intents, slotfill::train::bot_config(), true)?;
                model.save(&self.model)?;
                Ok(Parser::load(&self.model, Some(&self.intents))?)
            }
            Err(e @ slotfill::Error::Model { .. }) => {
                Err(anyhow::anyhow!("{e}\nor add --retrain to retrain it now"))
            }
            other => Ok(other?),
        }
    }
}
