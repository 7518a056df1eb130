//! `slotfill init DIR`: a small working bot to start from.

use anyhow::{bail, Context, Result};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct InitArgs {
    /// The folder to create (it must not exist or be empty).
    dir: PathBuf,
}

const STARTER: &str = include_str!("coffee.yaml");

pub fn run(args: InitArgs) -> Result<()> {
    let dir = &args.dir;
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
    std::fs::write(&file, STARTER).with_context(|| format!("writing {}", file.display()))?;
    let model = dir.join("model");
    println!("Created {}. Next:", file.display());
    println!("  slotfill check {}", dir.display());
    println!(
        "  slotfill train --intents {} --out {}",
        dir.display(),
        model.display()
    );
    println!(
        "  slotfill parse --intents {} --model {} \"a large coffee please\"",
        dir.display(),
        model.display()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn starter_bot_passes_check() {
        let intents = slotfill::intents::Intents::from_str("bot.yaml", super::STARTER).unwrap();
        assert_eq!(intents.intents.len(), 3);
    }
}
