//! The bot: a parser, a dialogue policy, action handlers and the conversations, behind one
//! `handle(conversation, text)` call. `Send + Sync`: share it behind an `Arc`.

use crate::action::{Actions, Handler};
use crate::dialogue::{Conversation, Dialogue, SlotValue, Turn};
use crate::parse::{Parse, Parser};
use crate::resolve::Context;
use crate::{Error, Result};
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

/// A bot built from an intents folder and its trained model.
pub struct Bot {
    parser: Parser,
    actions: Actions,
    conversations: Mutex<HashMap<String, Arc<Mutex<Conversation>>>>,
}

impl Bot {
    /// Loads the intents folder and the model trained from it.
    pub fn load(intents_dir: &Path, model_dir: &Path) -> Result<Self> {
        Self::new(Parser::load(model_dir, Some(intents_dir))?)
    }

    /// A bot around a parser; the parser must have been made with its intents.
    pub fn new(parser: Parser) -> Result<Self> {
        if parser.intents().is_none() {
            return Err(Error::Invalid(
                "a bot needs the intents its model was trained from".into(),
            ));
        }
        Ok(Bot {
            parser,
            actions: Actions::default(),
            conversations: Mutex::new(HashMap::new()),
        })
    }

    /// Runs `handler` instead of the reply template when the action `name` fires.
    pub fn register(&mut self, name: &str, handler: Handler) {
        self.actions.register(name, handler);
    }

    /// The parser.
    pub fn parser(&self) -> &Parser {
        &self.parser
    }

    /// Handles one user message of a conversation. Messages to one conversation are applied
    /// one at a time, in order; different conversations do not wait for each other.
    pub fn handle(
        &self,
        conversation_id: &str,
        text: &str,
        context: &Context,
    ) -> Result<(Parse, Turn)> {
        let conversation = {
            let mut all = self.conversations.lock().unwrap_or_else(|e| e.into_inner());
            let expiry = self.intents().settings.conversation_expiry_seconds as i64;
            let now = context.now.timestamp();
            all.retain(|_, c| c.lock().map_or(true, |c| now - c.updated <= expiry));
            all.entry(conversation_id.to_string()).or_default().clone()
        };
        let mut state = conversation.lock().unwrap_or_else(|e| e.into_inner());
        let parse = self.parser.parse(text, context)?;
        let turn = self.step(&mut state, &parse, context);
        Ok((parse, turn))
    }

    /// One turn on a conversation state the caller keeps (for backends that store state).
    pub fn step(&self, state: &mut Conversation, parse: &Parse, context: &Context) -> Turn {
        let dialogue = Dialogue::new(self.intents(), self.parser.resolvers());
        let mut turn = dialogue.step(state, parse, context);
        if let Some(call) = &turn.action {
            let outcome = self.actions.run(call, self.intents());
            for (name, value) in outcome.slots {
                if let Some(last) = state.last.as_mut().filter(|l| l.intent == call.intent) {
                    let display = value
                        .as_str()
                        .map_or_else(|| value.to_string(), str::to_string);
                    last.slots.insert(
                        name.clone(),
                        SlotValue {
                            text: display.clone(),
                            value: value.clone(),
                            display,
                        },
                    );
                }
                turn.slots.insert(name, value);
            }
            // The action's replies come before a resumed form's question.
            let mut replies = outcome.replies;
            replies.append(&mut turn.replies);
            turn.replies = replies;
        }
        turn
    }

    /// The state of a conversation, if it exists.
    pub fn conversation(&self, conversation_id: &str) -> Option<Conversation> {
        let all = self.conversations.lock().unwrap_or_else(|e| e.into_inner());
        let found = all.get(conversation_id)?;
        let state = found.lock().unwrap_or_else(|e| e.into_inner());
        Some(state.clone())
    }

    /// Forgets a conversation.
    pub fn reset(&self, conversation_id: &str) {
        let mut all = self.conversations.lock().unwrap_or_else(|e| e.into_inner());
        all.remove(conversation_id);
    }

    fn intents(&self) -> &crate::intents::Intents {
        self.parser
            .intents()
            .expect("Bot::new only accepts parsers with intents")
    }
}
