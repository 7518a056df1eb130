//! Scripted conversations, shared by the bots' dialogue tests.

use slotfill::dialogue::Turn;
use slotfill::resolve::Context;
use slotfill::Bot;

/// Monday 23 November 2026, 10:00 UTC, plus `minutes`.
pub fn at(minutes: i64) -> Context {
    let mut context = Context::at("2026-11-23T10:00", "UTC").unwrap();
    context.now += chrono::Duration::minutes(minutes);
    context
}

/// One conversation with a bot, a minute between messages.
pub struct Script {
    bot: &'static Bot,
    id: String,
    minute: i64,
}

impl Script {
    /// A fresh conversation `id` with `bot`.
    pub fn on(bot: &'static Bot, id: &str) -> Self {
        bot.reset(id).unwrap();
        Script {
            bot,
            id: id.to_string(),
            minute: 0,
        }
    }

    /// Lets `minutes` pass without a message.
    pub fn wait(&mut self, minutes: i64) {
        self.minute += minutes;
    }

    /// Sends `text`; the turn it led to.
    pub fn say(&mut self, text: &str) -> Turn {
        self.minute += 1;
        self.bot.handle(&self.id, text, &at(self.minute)).unwrap().1
    }
}

/// The name of the action `turn` fired.
pub fn fired(turn: &Turn) -> Option<&str> {
    turn.action.as_ref().map(|a| a.name.as_str())
}

/// Copies the files of `from` (relative to the repository) into a new folder `to`.
pub fn copy_dir(from: &str, to: &std::path::Path) {
    let from = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(from);
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, to.join(path.file_name().unwrap())).unwrap();
    }
}
