//! Dialogue: fills an intent's slots over several turns — asking for what is missing,
//! validating, confirming — and fires its action, like a Rasa form or Dialogflow's required
//! parameters.
//!
//! [`Dialogue::step`] is a pure function of the conversation state, the NLU parse of the
//! user's message and the reference time: no clock and no I/O, so every behaviour is testable
//! and a backend can store [`Conversation`] anywhere (it is plain serde data).

mod command;
mod execute;
mod policy;
mod render;
mod retype;
mod state;
mod understand;
mod validate;
mod words;

pub use command::{Command, ListOp};
pub(crate) use render::asked_by_name;
pub use state::{ActionCall, Completed, Conversation, Form, SlotValue, Turn};

use crate::intents::{Act, BuiltinResolver, Intent, Intents, Slot, SlotKind};
use crate::lang::{Lexicon, Replies};
use crate::parse::{Parse, OUT_OF_SCOPE};
use crate::resolve::{Context, Resolvers};
use policy::values;
use std::collections::BTreeMap;

/// The intent confidence needed to leave an open form for another intent.
const DIGRESSION_CONFIDENCE: f32 = 0.9;

/// The confidence an entity needs to change a slot filled before while the bot asks for
/// another one; corrections the bundled model tags score 0.7 and more.
const OVERWRITE_CONFIDENCE: f32 = 0.7;

/// The confidence at which an entity's tagged role outweighs the question asked: asked
/// "Where are you flying from?", "to Tokyo" (tagged a destination at 1.0) is the destination,
/// while a bare "Tokyo" (an origin at 0.47) answers the question.
const ROLE_CONFIDENCE: f32 = 0.9;

/// Longest reply taken as a bare answer when the NLU reads it as out of scope.
const BARE_ANSWER_WORDS: usize = 3;
/// A list of values ("Rome, tomorrow, 9pm, 5 people") holds at most this many other words.
const MAX_LIST_WORDS: usize = 2;

/// The dialogue policy of one bot.
pub struct Dialogue<'a> {
    intents: &'a Intents,
    resolvers: &'a Resolvers,
}

impl<'a> Dialogue<'a> {
    /// The policy for these intents, resolving bare answers with `resolvers`.
    pub fn new(intents: &'a Intents, resolvers: &'a Resolvers) -> Self {
        Dialogue { intents, resolvers }
    }

    /// The words of the bot's language that the rules read.
    fn words(&self) -> &'a Lexicon {
        &self.intents.language.lexicon
    }

    /// The replies of the bot's language.
    fn replies(&self) -> &'a Replies {
        &self.intents.language.replies
    }

    /// Advances `conversation` by one user message.
    pub fn step(&self, conversation: &mut Conversation, parse: &Parse, context: &Context) -> Turn {
        let now = context.now.timestamp();
        let expired =
            now - conversation.updated > self.intents.settings.conversation_expiry_seconds as i64;
        if conversation.updated != 0 && expired {
            *conversation = Conversation::default();
        }
        conversation.updated = now;
        conversation.turns += 1;
        let context = &Context {
            anchor: self.anchor(conversation, now),
            ..context.clone()
        };
        let mut turn = Turn {
            replies: Vec::new(),
            intent: parse.intent.name.clone(),
            confidence: parse.intent.confidence,
            slots: BTreeMap::new(),
            action: None,
            form: None,
            asking: None,
            commands: Vec::new(),
        };
        let before = conversation.clone();
        let text = parse.text.trim();
        if text.is_empty() {
            turn.replies.push(self.replies().empty_message.clone());
            self.reask(conversation, &mut turn);
            return self.finish(&before, conversation, turn);
        }
        // Asked whether to go on after a cancel: yes resumes the form, no cancels it, anything
        // else is read as usual.
        if let Some(form) = conversation.form.as_mut().filter(|f| f.continuing) {
            form.continuing = false;
            if self.says_yes(parse) {
                turn.commands.push(Command::Affirm);
                self.reask(conversation, &mut turn);
                return self.finish(&before, conversation, turn);
            }
            if self.says_no(parse) {
                turn.commands.push(Command::Cancel);
                conversation.form = None;
                turn.replies.push(self.replies().cancelled.clone());
                return self.finish(&before, conversation, turn);
            }
        }
        let asked_kind = conversation
            .form
            .as_ref()
            .and_then(|form| self.asked_slot(form))
            .map(|slot| slot.kind);
        let form = conversation.form.as_ref();
        // "cancel and book a table in Rome" with nothing open is the request; "cancel my table
        // for tomorrow" is no new booking.
        let requests = form.is_none() && !parse.entities.is_empty() && self.words().joins(text);
        let cancels = !requests
            && match asked_kind {
                // Any text may answer a free-text question: a cancel is one the model reads as
                // such, or a bare cancel word.
                Some(SlotKind::Text) => {
                    self.words().is_only_cancel(text)
                        || (self.act(parse) == Some(Act::Cancel)
                            && parse.intent.confidence >= DIGRESSION_CONFIDENCE)
                }
                Some(SlotKind::List) if self.words().is_none(text) => false,
                None if form.is_some_and(Form::is_changing) && self.keeps_all(parse) => false,
                _ => self.words().is_cancel(text) || self.act(parse) == Some(Act::Cancel),
            };
        // With nothing open, a bot's own intent for cancelling ("cancel booking ABC123", where
        // "cancel" is a word of its examples) is a request.
        let own_cancel_intent = || {
            form.is_none()
                && self.words().cancel_phrase(text).is_some_and(|phrase| {
                    self.understood(parse)
                        .is_some_and(|intent| self.names_intent(intent, phrase))
                })
        };
        if cancels && !own_cancel_intent() {
            let ask = conversation
                .form
                .as_mut()
                .and_then(|form| Some((self.intents.intent(&form.intent)?, form)))
                .and_then(|(intent, form)| Some((intent.ask_to_continue.as_ref()?, form)));
            if let Some((question, form)) = ask {
                turn.commands.push(Command::AskToContinue);
                turn.replies.push(crate::intents::template::render(
                    question,
                    &render::display(form),
                ));
                form.continuing = true;
                return self.finish(&before, conversation, turn);
            }
            turn.commands.push(Command::Cancel);
            if conversation.form.take().is_some() {
                turn.replies.push(self.replies().cancelled.clone());
            } else {
                // After a booking, "Okay." would say that the booking is cancelled.
                turn.replies.push(self.replies().nothing_to_cancel.clone());
            }
            return self.finish(&before, conversation, turn);
        }
        // "let me think" is no answer, and no other request: the question stays open. So is
        // "let me ask my wife", but not "hmm, friday". With no question open, it asks for
        // nothing either.
        let holds_on = |form: &Form| {
            self.asks_for_a_moment(parse)
                || (self.words().leads_with_hold_on(text)
                    && parse.entities.is_empty()
                    && !self.reads_a_value(form, text, context))
        };
        if form.map_or(self.asks_for_a_moment(parse), holds_on) {
            turn.commands.push(Command::HoldOn);
            turn.replies.push(self.replies().take_your_time.clone());
            return self.finish(&before, conversation, turn);
        }
        match conversation.form.take() {
            Some(form) => self.continue_form(conversation, form, parse, context, &mut turn),
            None => self.start(conversation, None, parse, context, &mut turn),
        }
        self.finish(&before, conversation, turn)
    }

    /// The built-in resolver of the entity that fills `slot`, if it has one.
    fn builtin(&self, slot: &Slot) -> Option<BuiltinResolver> {
        self.resolvers.builtin_of(slot.entity.as_deref()?)
    }

    /// The slots of `intent` filled by an entity with the built-in resolver `kind`.
    fn builtin_slots<'i>(
        &self,
        intent: &'i Intent,
        kind: BuiltinResolver,
    ) -> impl Iterator<Item = &'i Slot> + use<'_, 'i, 'a> {
        intent
            .slots
            .iter()
            .filter(move |slot| self.builtin(slot) == Some(kind))
    }

    /// Fills in what `turn` leaves the conversation with, and the slot commands that took it
    /// there from `before`: against the open form of the same intent, or against the last
    /// action that a follow-up carries over.
    fn finish(&self, before: &Conversation, conversation: &Conversation, mut turn: Turn) -> Turn {
        let now = conversation.updated;
        let after = match (&conversation.form, &conversation.last) {
            (Some(form), _) => Some((&form.intent, &form.slots)),
            (None, Some(last)) if last.at == now && turn.action.is_some() => {
                Some((&last.intent, &last.slots))
            }
            _ => None,
        };
        if let Some((intent, slots)) = after {
            let empty = BTreeMap::new();
            let baseline = match (&before.form, &before.last) {
                (Some(form), _) if &form.intent == intent => &form.slots,
                (None, Some(last)) if &last.intent == intent => &last.slots,
                _ => &empty,
            };
            // A swap already says what happened to its two slots.
            let swapped = |slot: &str| {
                turn.commands.iter().any(|c| {
                    matches!(c, Command::Swap { first, second } if first == slot || second == slot)
                })
            };
            let changes: Vec<Command> = command::slot_changes(baseline, slots)
                .into_iter()
                .filter(|change| !change.slot().is_some_and(swapped))
                .collect();
            turn.commands.extend(changes);
        }
        if let Some(form) = &conversation.form {
            turn.slots = values(form);
            turn.form = Some(form.intent.clone());
            turn.asking = form.asking.clone();
        } else if let Some(action) = &turn.action {
            turn.slots = action.slots.clone();
        }
        turn
    }

    fn asked_slot(&self, form: &Form) -> Option<&'a Slot> {
        let asking = form.asking.as_ref()?;
        self.intents
            .intent(&form.intent)?
            .slots
            .iter()
            .find(|s| &s.name == asking)
    }

    /// The intent `parse` asks for: one of the bot's, read with confidence, and no act.
    fn understood(&self, parse: &Parse) -> Option<&'a Intent> {
        self.read_as(parse).filter(|intent| intent.act.is_none())
    }

    /// The bot's intent that the model reads `parse` as, with confidence.
    fn read_as(&self, parse: &Parse) -> Option<&'a Intent> {
        let threshold = self.intents.settings.out_of_scope_threshold;
        if parse.intent.name == OUT_OF_SCOPE || parse.intent.confidence < threshold {
            return None;
        }
        self.intents.intent(&parse.intent.name)
    }

    /// The act of the intent the model reads `parse` as (a bot's `affirm`, `stop`, …).
    fn act(&self, parse: &Parse) -> Option<Act> {
        self.read_as(parse)?.act
    }

    /// Whether `parse` says yes: in the language's words, or read as an `affirm` intent.
    fn says_yes(&self, parse: &Parse) -> bool {
        self.words().is_yes(&parse.text) || self.act(parse) == Some(Act::Affirm)
    }

    /// Whether `parse` says no: in the language's words, or read as a `deny` intent.
    fn says_no(&self, parse: &Parse) -> bool {
        self.words().is_no(&parse.text) || self.act(parse) == Some(Act::Deny)
    }

    /// The yes (`true`) or no that `parse` says, in the language's words or as the model reads
    /// it; `None` for neither or both.
    fn yes_or_no(&self, parse: &Parse) -> Option<bool> {
        match (self.says_yes(parse), self.says_no(parse)) {
            (true, false) => Some(true),
            (false, true) => Some(false),
            _ => None,
        }
    }

    /// A yes-or-no slot's value `yes`, said as `text`.
    fn boolean(&self, text: &str, yes: bool) -> SlotValue {
        let shown = match yes {
            true => self.replies().yes.clone(),
            false => self.replies().no.clone(),
        };
        SlotValue::single(text, yes.into(), shown)
    }

    /// Whether `parse` asks for a moment and gives nothing: in the language's words, or read
    /// as a `hold_on` intent.
    fn asks_for_a_moment(&self, parse: &Parse) -> bool {
        self.words().is_hold_on(&parse.text)
            || (parse.entities.is_empty() && self.act(parse) == Some(Act::HoldOn))
    }

    /// Whether `parse`, asked what to change, keeps everything: in the language's words, or
    /// read as a `keep_all` intent.
    fn keeps_all(&self, parse: &Parse) -> bool {
        self.words().is_nothing_to_change(&parse.text)
            || (parse.entities.is_empty() && self.act(parse) == Some(Act::KeepAll))
    }

    /// Whether a message `parse` is read as the bot's intent `name`: by the model, or, for an
    /// intent that says yes or no, by the language's words.
    fn reads_as(&self, parse: &Parse, name: &str) -> bool {
        if self
            .read_as(parse)
            .is_some_and(|intent| intent.name == name)
        {
            return true;
        }
        match self.intents.intent(name).and_then(|intent| intent.act) {
            Some(Act::Affirm) => self.words().is_yes(&parse.text),
            Some(Act::Deny) => self.words().is_no(&parse.text),
            _ => false,
        }
    }
}
