//! Subcommands of the `slotfill` binary.

mod bot_files;
mod chat;
mod check;
mod eval;
mod import;
mod init;
mod parse;
mod reference_time;
mod resolve;
mod serve;
mod train;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// slotfill: train, test and chat with a slot-filling bot.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Chat with a bot (the default command).
    Chat(chat::ChatArgs),
    /// Train a model from an intents folder or a seq.in/seq.out/label corpus.
    Train(train::TrainArgs),
    /// Score a model on held-out data.
    Eval(eval::EvalArgs),
    /// Parse utterances: intent, entities, resolved values and slots.
    Parse(parse::ParseArgs),
    /// Resolve texts as dates, times, numbers or places.
    Resolve(resolve::ResolveArgs),
    /// Create a small working bot in a new folder.
    Init(init::InitArgs),
    /// Convert another engine's project (Rasa) into a bot folder.
    Import(import::ImportArgs),
    /// Check an intents folder and list every problem with its file and line.
    Check(check::CheckArgs),
    /// Serve a bot over HTTP: a chat page, parse, conversations, a Rasa REST channel, health
    /// and metrics.
    Serve(serve::ServeArgs),
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    // With no subcommand, `slotfill` (and `cargo run`) chats with the bundled bot.
    let command = match cli.command {
        Some(command) => command,
        None => Cli::parse_from(["slotfill", "chat"])
            .command
            .expect("`chat` parses with its defaults"),
    };
    let result = match command {
        Command::Train(args) => train::run(args),
        Command::Eval(args) => eval::run(args),
        Command::Chat(args) => chat::run(args),
        Command::Check(args) => check::run(args),
        Command::Parse(args) => parse::run(args),
        Command::Init(args) => init::run(args),
        Command::Import(args) => import::run(args),
        Command::Resolve(args) => resolve::run(args),
        Command::Serve(args) => serve::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`slotfill eval | head`) is the reader's choice, not an error.
        Err(e)
            if e.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// What `--intents` (and `check`'s folder) must name.
pub(crate) const BOT_FOLDER: &str = "give the bot folder: the one that holds its *.yaml files";

/// What `--out` (and `--model` when retraining) must name.
pub(crate) const MODEL_FOLDER: &str =
    "give a folder to write the model into (it is created if missing)";

/// What `--data` and `--dev` must name.
pub(crate) const CORPUS_FOLDER: &str = "give a folder with seq.in, seq.out and label files";

/// Says what a path argument should be when the library could not read or write that path.
pub(crate) trait PathArgument<T> {
    /// The result, with `expected` (what the argument should name) after a file system error.
    fn expecting(self, expected: &str) -> anyhow::Result<T>;
}

impl<T> PathArgument<T> for slotfill::Result<T> {
    fn expecting(self, expected: &str) -> anyhow::Result<T> {
        self.map_err(|e| match e {
            slotfill::Error::Io { .. } => anyhow::anyhow!("{e}; {expected}"),
            other => other.into(),
        })
    }
}

/// One line for people: `intent (0.97) location="Paris" date="tomorrow"`.
pub(crate) fn describe_parse(parse: &slotfill::Parse) -> String {
    let mut line = format!("{} ({:.2})", parse.intent.name, parse.intent.confidence);
    for entity in &parse.entities {
        let label = match &entity.role {
            Some(role) => format!("{}:{role}", entity.entity),
            None => entity.entity.clone(),
        };
        line.push_str(&format!(" {label}={:?}", entity.value));
    }
    for (slot, value) in &parse.slots {
        line.push_str(&format!("\n  {slot} = {value}"));
    }
    line
}
