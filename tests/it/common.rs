//! Scripted conversations, shared by the bots' dialogue tests.

use slotfill::dialogue::{Conversation, Turn};
use slotfill::parse::Parse;
use slotfill::resolve::Context;
use slotfill::Bot;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Monday 23 November 2026, 10:00 UTC, plus `minutes`.
pub fn at(minutes: i64) -> Context {
    let mut context = Context::at("2026-11-23T10:00", "UTC").unwrap();
    context.now += chrono::Duration::minutes(minutes);
    context
}

/// One conversation with a bot, a minute between messages: through `Bot::handle` and the
/// bot's store, parsed by its model ([`Script::on`]), or through `Bot::step` on a state the
/// script keeps, parsed as a recording says ([`Script::recorded`]).
pub struct Script {
    bot: &'static Bot,
    via: Via,
    minute: i64,
}

enum Via {
    /// The conversation of this id in the bot's store.
    Store(String),
    /// A conversation the script keeps, and the parses of its messages.
    Recording(&'static Recording, Box<Conversation>),
}

impl Script {
    /// A fresh conversation `id` with `bot`, its messages parsed by the bot's model.
    pub fn on(bot: &'static Bot, id: &str) -> Self {
        bot.reset(id).unwrap();
        Script {
            bot,
            via: Via::Store(id.to_string()),
            minute: 0,
        }
    }

    /// A fresh conversation with `bot`, each message parsed as `parses` recorded: what the
    /// policy does with a parse, whatever a retrained model would read.
    pub fn recorded(bot: &'static Bot, parses: &'static Recording) -> Self {
        Script {
            bot,
            via: Via::Recording(parses, Box::default()),
            minute: 0,
        }
    }

    /// The conversation's state after the messages so far.
    pub fn state(&self) -> Conversation {
        match &self.via {
            Via::Store(id) => self.bot.conversation(id).unwrap().unwrap_or_default(),
            Via::Recording(_, state) => (**state).clone(),
        }
    }

    /// Lets `minutes` pass without a message.
    pub fn wait(&mut self, minutes: i64) {
        self.minute += minutes;
    }

    /// Sends `text`; the turn it led to.
    pub fn say(&mut self, text: &str) -> Turn {
        self.minute += 1;
        let context = at(self.minute);
        match &mut self.via {
            Via::Store(id) => self.bot.handle(id, text, &context).unwrap().1,
            Via::Recording(parses, state) => {
                let parse = parses.parse(self.bot, state, text, &context);
                self.bot.step(state, &parse, &context)
            }
        }
    }
}

/// The parses a bot's model gave for the messages of its scripted conversations, kept in
/// `tests/data/parses/NAME.jsonl` so that the policy tests hold however the model is
/// retrained. `SLOTFILL_RECORD_PARSES=1 cargo test --test it` records them anew with the
/// model of the day (and `git diff` shows what it reads differently).
pub struct Recording {
    path: PathBuf,
    parses: Mutex<BTreeMap<String, Parse>>,
}

/// Whether this run records parses rather than replaying them.
fn recording_parses() -> bool {
    std::env::var_os("SLOTFILL_RECORD_PARSES").is_some_and(|v| v == "1")
}

impl Recording {
    /// The recording `tests/data/parses/{name}.jsonl`, empty where there is none yet.
    pub fn open(name: &str) -> Recording {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/parses")
            .join(format!("{name}.jsonl"));
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let parses = text
            .lines()
            .map(|line| {
                let entry: RecordedParse = serde_json::from_str(line).unwrap();
                (entry.key(), entry.parse)
            })
            .collect();
        Recording {
            path,
            parses: Mutex::new(parses),
        }
    }

    /// The recorded parse of `text` at the time of `context`; recorded from `bot`'s model,
    /// as a reply to what it asked in `state`, when this run records.
    pub fn parse(&self, bot: &Bot, state: &Conversation, text: &str, context: &Context) -> Parse {
        let key = RecordedParse::key_of(&context.now.to_rfc3339(), text);
        let mut parses = self.parses.lock().unwrap_or_else(|e| e.into_inner());
        if recording_parses() {
            let parse = bot
                .parser()
                .parse_reply(text, &state.asked(), context)
                .unwrap();
            if parses.get(&key) != Some(&parse) {
                parses.insert(key, parse.clone());
                self.write(&parses);
            }
            return parse;
        }
        parses.get(&key).cloned().unwrap_or_else(|| {
            panic!(
                "no parse of {text:?} at {} in {}; record it with \
                 `SLOTFILL_RECORD_PARSES=1 cargo test --test it`",
                context.now,
                self.path.display()
            )
        })
    }

    /// Writes `parses`, one per line in key order, so that a new recording diffs by message.
    fn write(&self, parses: &BTreeMap<String, Parse>) {
        let lines: String = parses
            .iter()
            .map(|(key, parse)| {
                let (at, said) = key.split_once(' ').unwrap();
                let entry = RecordedParse {
                    at: at.to_string(),
                    said: (said != parse.text).then(|| said.to_string()),
                    parse: parse.clone(),
                };
                serde_json::to_string(&entry).unwrap() + "\n"
            })
            .collect();
        std::fs::create_dir_all(self.path.parent().unwrap()).unwrap();
        let temporary = self.path.with_extension("jsonl.new");
        std::fs::write(&temporary, lines).unwrap();
        std::fs::rename(&temporary, &self.path).unwrap();
    }
}

/// One line of a recording: the reference time and the parse, which holds the text said
/// unless the parser cut it (a message of 10,000 characters).
#[derive(serde::Serialize, serde::Deserialize)]
struct RecordedParse {
    at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    said: Option<String>,
    parse: Parse,
}

impl RecordedParse {
    fn key_of(at: &str, text: &str) -> String {
        format!("{at} {text}")
    }

    fn key(&self) -> String {
        RecordedParse::key_of(&self.at, self.said.as_ref().unwrap_or(&self.parse.text))
    }
}

/// The name of the action `turn` fired.
pub fn fired(turn: &Turn) -> Option<&str> {
    turn.action.as_ref().map(|a| a.name.as_str())
}

/// A bot of `intents`, trained for `epochs` with the bot settings and no step minimum: a
/// second or two for the small bots the tests write.
pub fn trained(intents: slotfill::intents::Intents, epochs: usize) -> Bot {
    let config = slotfill::model::ModelConfig {
        epochs,
        min_steps: 0,
        ..slotfill::train::bot_config()
    };
    let (model, _) = slotfill::train::train_intents(&intents, config, false).unwrap();
    Bot::new(slotfill::Parser::new(model, Some(intents)).unwrap()).unwrap()
}

/// Copies the files of `from` (relative to the repository) into a new folder `to`.
pub fn copy_dir(from: &str, to: &std::path::Path) {
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join(from);
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, to.join(path.file_name().unwrap())).unwrap();
    }
}
