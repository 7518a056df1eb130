//! `--intents`, `--model` and `--retrain`: the bot that `chat` and `serve` run.

use super::PathArgument;
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
        match slotfill::Parser::load(&self.model, Some(&self.intents)) {
            Err(slotfill::Error::Untrained { problem, .. }) if self.retrain => {
                eprintln!("model {}: {problem}; retraining…", self.model.display());
                let intents = slotfill::intents::Intents::load(&self.intents)?;
                let (model, _) =
                    slotfill::train::train_intents(&intents, slotfill::train::bot_config(), true)?;
                model.save(&self.model).expecting(super::MODEL_FOLDER)?;
                Ok(slotfill::Parser::load(&self.model, Some(&self.intents))?)
            }
            Err(e @ slotfill::Error::Untrained { .. }) => {
                Err(anyhow::anyhow!("{e}, or add `--retrain` to retrain it now"))
            }
            other => other.expecting(super::BOT_FOLDER),
        }
    }
}
