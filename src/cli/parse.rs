use super::reference_time::ReferenceTime;
use super::PathArgument;
use anyhow::{Context as _, Result};
use clap::Args;
use slotfill::parse::Parser;
use std::io::{BufRead, Write};
use std::path::PathBuf;

#[derive(Args)]
pub struct ParseArgs {
    /// Utterances to parse; without any, one utterance per line of standard input.
    text: Vec<String>,
    /// The model folder.
    #[arg(long, default_value = "models/bundled")]
    model: PathBuf,
    /// The intents folder the model was trained from (for slots and resolution); `none` for a
    /// model trained on a corpus.
    #[arg(long, default_value = "intents")]
    intents: String,
    /// Read the utterances as replies to this question of the bot: `slot:INTENT.SLOT`
    /// (asking for a slot), `confirmation:INTENT` or `change:INTENT` (what to change).
    #[arg(long, default_value = "nothing")]
    asked: slotfill::parse::Asked,
    /// Print one JSON object per utterance.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    time: ReferenceTime,
}

/// What `parse --intents` must name: a model trained on a corpus has no bot folder.
const MODEL_INTENTS: &str = "give the bot folder the model was trained from, or `--intents none` \
     for a model trained on a corpus (seq.in / seq.out / label)";

pub fn run(args: ParseArgs) -> Result<()> {
    let parser = match args.intents.as_str() {
        "none" => Parser::load(&args.model, None)?,
        intents => slotfill::Parser::load(&args.model, Some(&PathBuf::from(intents)))
            .expecting(MODEL_INTENTS)?,
    };
    let context = args.time.context(parser.intents().map(|i| &i.settings))?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut emit = |text: &str| -> Result<()> {
        let parse = parser.parse_reply(text, &args.asked, &context)?;
        if args.json {
            writeln!(out, "{}", serde_json::to_string(&parse)?)?;
        } else {
            writeln!(out, "{}", super::describe_parse(&parse))?;
        }
        Ok(())
    };
    if !args.text.is_empty() {
        for text in &args.text {
            emit(text)?;
        }
        return Ok(());
    }
    let stdin = std::io::stdin();
    for (number, line) in stdin.lock().split(b'\n').enumerate() {
        let bytes = line.context("reading standard input")?;
        // Invalid UTF-8 is replaced rather than fatal: one bad line must not lose the rest.
        let text = String::from_utf8_lossy(&bytes);
        let text = text.trim_end_matches('\r');
        emit(text).with_context(|| format!("line {}", number + 1))?;
    }
    Ok(())
}
