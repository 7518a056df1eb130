//! `slotfill init DIR`: a small working bot to start from.

use anyhow::{bail, Context, Result};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct InitArgs {
    /// The folder to create (it must not exist or be empty).
    dir: PathBuf,
    /// The bot's language (ISO 639-1): en, fr, de or es.
    #[arg(long, default_value = "en")]
    language: String,
}

/// The starter bot of each language, by code.
const STARTERS: [(&str, &str); 4] = [
    ("en", include_str!("coffee.yaml")),
    ("fr", include_str!("coffee.fr.yaml")),
    ("de", include_str!("coffee.de.yaml")),
    ("es", include_str!("coffee.es.yaml")),
];

pub fn run(args: InitArgs) -> Result<()> {
    let dir = &args.dir;
    let Some((_, starter)) = STARTERS.iter().find(|(code, _)| *code == args.language) else {
        let codes: Vec<&str> = STARTERS.iter().map(|(code, _)| *code).collect();
        bail!(
            "no starter bot in language `{}`; pick one of {} (a bot in another language brings \
             its words in lang/<code>/, see docs/yaml-format.md, \"Languages\")",
            args.language,
            codes.join(", ")
        );
    };
    if dir.exists()
        && dir
            .read_dir()
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        bail!(
            "{} already exists and is not empty; pick a new folder",
            dir.display()
        );
    }
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let file = dir.join("bot.yaml");
    std::fs::write(&file, starter).with_context(|| format!("writing {}", file.display()))?;
    let model = dir.join("model");
    println!("Created {}. Next:", file.display());
    println!("  slotfill check {}", dir.display());
    println!(
        "  slotfill train --intents {} --out {}",
        dir.display(),
        model.display()
    );
    // The starter's first example, in its language.
    let example = slotfill::intents::Intents::from_str("bot.yaml", starter)?
        .intents
        .first()
        .and_then(|intent| intent.examples.first())
        .map(|example| example.text.clone())
        .unwrap_or_default();
    println!(
        "  slotfill parse --intents {} --model {} \"{example}\"",
        dir.display(),
        model.display()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_starter_bot_passes_check_in_its_language() {
        for (code, starter) in super::STARTERS {
            let intents = slotfill::intents::Intents::from_str("bot.yaml", starter)
                .unwrap_or_else(|e| panic!("{code}: {e}"));
            // Its three intents, then the five dialogue acts of its language's pack.
            let own = intents.intents.iter().filter(|i| i.act.is_none()).count();
            let acts = intents.intents.iter().filter(|i| i.act.is_some()).count();
            assert_eq!((own, acts), (3, 5), "{code}");
            assert_eq!(intents.language.code, code);
        }
    }
}
