//! The bot: a parser, a dialogue policy, action handlers and a conversation store, behind one
//! `handle(conversation, text)` call. `Send + Sync`: share it behind an `Arc`.

use crate::action::{Actions, Handler, Outcome};
use crate::dialogue::{ActionCall, Conversation, Dialogue, Form, SlotValue, Turn};
use crate::intents::template::fill;
use crate::intents::Intents;
use crate::parse::{Parse, Parser};
use crate::resolve::Context;
use crate::store::{Memory, Store};
use crate::{Error, Result};
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, RwLock};

/// A bot built from an intents folder and its trained model.
pub struct Bot {
    /// Swapped whole by [`Bot::reload`]; each message holds the one it started with.
    parser: RwLock<Arc<Parser>>,
    actions: Actions,
    store: Box<dyn Store>,
    turnstile: Turnstile,
}

impl Bot {
    /// Loads the intents folder and the model trained from it (see [`Parser::load`]).
    pub fn load(intents_dir: &Path, model_dir: &Path) -> Result<Self> {
        Self::new(Parser::load(model_dir, Some(intents_dir))?)
    }

    /// A bot around a parser; the parser must have been made with its intents.
    pub fn new(parser: Parser) -> Result<Self> {
        Ok(Bot {
            parser: RwLock::new(with_intents(parser)?),
            actions: Actions::default(),
            store: Box::new(Memory::default()),
            turnstile: Turnstile::default(),
        })
    }

    /// Keeps conversations in `store` instead of in memory.
    pub fn with_store(mut self, store: Box<dyn Store>) -> Self {
        self.store = store;
        self
    }

    /// Where the conversations are kept.
    pub fn store(&self) -> &dyn Store {
        self.store.as_ref()
    }

    /// Runs `handler` instead of the reply template when the action `name` fires.
    pub fn register(&mut self, name: &str, handler: Handler) {
        self.actions.register(name, handler);
    }

    /// The parser in use.
    pub fn parser(&self) -> Arc<Parser> {
        self.parser
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Switches to new intents and their model, keeping every conversation: an open form
    /// goes on with the new slots and prompts (or ends with a fallback if its intent is gone).
    /// Messages being handled finish with the old parser.
    pub fn reload(&self, parser: Parser) -> Result<()> {
        let parser = with_intents(parser)?;
        *self.parser.write().unwrap_or_else(|e| e.into_inner()) = parser;
        Ok(())
    }

    /// Handles one user message of a conversation: loads its state from the store, parses,
    /// advances the dialogue, runs the action and saves the state before returning. Messages
    /// to one conversation are applied one at a time, in order (across processes too, with a
    /// store that locks); different conversations do not wait for each other.
    pub fn handle(
        &self,
        conversation_id: &str,
        text: &str,
        context: &Context,
    ) -> Result<(Parse, Turn)> {
        self.turnstile.pass(conversation_id, || {
            let _shared = self.store.lock(conversation_id)?;
            let mut state = self.store.load(conversation_id)?.unwrap_or_default();
            let parser = self.parser();
            let intents = intents_of(&parser);
            let parse = parser.parse_reply(text, &state.asked(), context)?;
            let mut turn =
                Dialogue::new(intents, parser.resolvers()).step(&mut state, &parse, context);
            self.act(intents, &mut state, &mut turn);
            let expiry = intents.settings.conversation_expiry_seconds;
            self.store.save(conversation_id, &state, expiry)?;
            Ok((parse, turn))
        })
    }

    /// One turn on a conversation state the caller keeps (for backends that store state).
    pub fn step(&self, state: &mut Conversation, parse: &Parse, context: &Context) -> Turn {
        let parser = self.parser();
        let mut turn =
            Dialogue::new(intents_of(&parser), parser.resolvers()).step(state, parse, context);
        self.act(intents_of(&parser), state, &mut turn);
        turn
    }

    /// Runs the action the turn fired, if any, and adds its replies and slots.
    fn act(&self, intents: &crate::intents::Intents, state: &mut Conversation, turn: &mut Turn) {
        if let Some(call) = turn.action.take() {
            let outcome = match self.actions.run(&call, intents) {
                Ok(outcome) => {
                    turn.action = Some(call.clone());
                    outcome
                }
                Err(message) => failed(intents, state, turn, &call, &message),
            };
            for (name, value) in outcome.slots {
                if let Some(last) = state.last.as_mut().filter(|l| l.intent == call.intent) {
                    let display = value
                        .as_str()
                        .map_or_else(|| value.to_string(), str::to_string);
                    last.slots.insert(
                        name.clone(),
                        SlotValue::single(&display, value.clone(), display.clone()),
                    );
                }
                turn.slots.insert(name, value);
            }
            // The action's replies come before a resumed form's question.
            let mut replies = outcome.replies;
            replies.append(&mut turn.replies);
            turn.replies = replies;
        }
    }

    /// The state of a conversation, if it is stored.
    pub fn conversation(&self, conversation_id: &str) -> Result<Option<Conversation>> {
        self.store.load(conversation_id)
    }

    /// Forgets a conversation; whether it existed.
    pub fn reset(&self, conversation_id: &str) -> Result<bool> {
        self.turnstile
            .pass(conversation_id, || self.store.delete(conversation_id))
    }
}

/// After an action that failed, nothing was done: its form waits at the confirmation again,
/// so that "yes" retries it, and the turn reports no action. What to tell the user.
fn failed(
    intents: &Intents,
    state: &mut Conversation,
    turn: &mut Turn,
    call: &ActionCall,
    message: &str,
) -> Outcome {
    let replies = &intents.language.replies;
    let sorry = fill(&replies.action_failed, &[("message", message)]);
    if intents
        .intent(&call.intent)
        .is_none_or(|i| i.slots.is_empty())
    {
        return Outcome::replies(vec![sorry]);
    }
    let done = state.last.take_if(|last| last.intent == call.intent);
    let slots = done.map_or_else(
        || {
            call.display
                .iter()
                .map(|(name, display)| {
                    let value = call.slots.get(name).cloned().unwrap_or_default();
                    (
                        name.clone(),
                        SlotValue::single(display, value, display.clone()),
                    )
                })
                .collect()
        },
        |done| done.slots,
    );
    turn.form = Some(call.intent.clone());
    state.form = Some(Form {
        slots,
        confirming: true,
        ..Form::new(&call.intent)
    });
    Outcome::replies(vec![fill(&replies.try_again, &[("sorry", &sorry)])])
}

fn with_intents(parser: Parser) -> Result<Arc<Parser>> {
    if parser.intents().is_none() {
        return Err(Error::NoIntents);
    }
    Ok(Arc::new(parser))
}

fn intents_of(parser: &Parser) -> &crate::intents::Intents {
    parser
        .intents()
        .expect("a bot only holds parsers with intents (with_intents)")
}

/// One gate per conversation with a message in flight, so that its messages pass one at a
/// time; a gate is dropped when its last user leaves, so idle conversations cost nothing.
#[derive(Default)]
struct Turnstile {
    gates: Mutex<HashMap<String, Arc<Mutex<()>>>>,
}

impl Turnstile {
    fn pass<T>(&self, id: &str, f: impl FnOnce() -> T) -> T {
        let gate = self.gates().entry(id.to_string()).or_default().clone();
        let result = {
            let _alone = gate.lock().unwrap_or_else(|e| e.into_inner());
            f()
        };
        let mut gates = self.gates();
        // The map's and ours: nobody else waits at this gate (they would need `gates`).
        if Arc::strong_count(&gate) == 2 {
            gates.remove(id);
        }
        result
    }

    fn gates(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<Mutex<()>>>> {
        self.gates.lock().unwrap_or_else(|e| e.into_inner())
    }
}
