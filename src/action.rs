//! Actions: what fires when a form is complete. A Rust handler registered by name on the bot,
//! or else the intent's reply template filled with the slot values written for people.

use crate::dialogue::ActionCall;
use crate::intents::{template, Intents};
use std::collections::HashMap;
use std::sync::Arc;

/// A Rust action handler. It gets the call (intent, resolved slots, display values) and
/// returns the replies, or an error message that is shown to the user.
pub type Handler = Arc<dyn Fn(&ActionCall) -> Result<Vec<String>, String> + Send + Sync>;

/// Handlers by action name.
#[derive(Clone, Default)]
pub struct Actions {
    handlers: HashMap<String, Handler>,
}

impl Actions {
    /// Registers `handler` for the action `name` (replacing any other).
    pub fn register(&mut self, name: &str, handler: Handler) {
        self.handlers.insert(name.to_string(), handler);
    }

    /// Runs the action: its handler if one is registered, else the intent's reply template.
    pub fn run(&self, call: &ActionCall, intents: &Intents) -> Vec<String> {
        if let Some(handler) = self.handlers.get(&call.name) {
            return match handler(call) {
                Ok(replies) => replies,
                Err(message) => vec![format!("Sorry, that didn't work: {message}")],
            };
        }
        let reply = intents
            .intent(&call.intent)
            .and_then(|i| i.action.as_ref())
            .and_then(|a| a.reply.as_ref());
        match reply {
            Some(reply) => vec![template::render(reply, &call.display)],
            None => vec![format!("Done: {}.", call.name.replace('_', " "))],
        }
    }
}
