//! The policy: what the bot does next with the form, start it, continue it with the message,
//! ask the next missing slot, confirm, fire the action, or fall back.

use super::command::Command;
use super::render::{display, prompt, without_question};
use super::state::{ActionCall, Completed, Conversation, Form, Refusal, SlotValue, Turn};
use super::understand::{
    counts_people, direct_answer, is_follow_up, other_slot_values, slot_named, twin_slots,
    yes_or_no_to_open_question, TextReply,
};
use super::validate::repeated_value;
use super::words;
use super::{Dialogue, DIGRESSION_CONFIDENCE};
use crate::intents::{BuiltinResolver, Intent, SlotKind};
use crate::parse::Parse;
use crate::resolve::Context;
use std::collections::BTreeMap;

pub(super) fn ends_conversation(intent: &Intent) -> bool {
    intent.action.as_ref().is_some_and(|a| a.ends_conversation)
}

pub(super) fn action_call(intent: &Intent, form: &Form) -> ActionCall {
    ActionCall {
        name: intent
            .action
            .as_ref()
            .map_or(intent.name.clone(), |a| a.name.clone()),
        intent: intent.name.clone(),
        slots: values(form),
        display: display(form),
    }
}

pub(super) fn values(form: &Form) -> BTreeMap<String, serde_json::Value> {
    form.slots
        .iter()
        .map(|(k, v)| (k.clone(), v.value.clone()))
        .collect()
}

impl<'a> Dialogue<'a> {
    /// Starts the intent `parse` asks for; `open` is the form a digression leaves open.
    pub(super) fn start(
        &self,
        conversation: &mut Conversation,
        open: Option<&Form>,
        parse: &Parse,
        context: &Context,
        turn: &mut Turn,
    ) {
        // A "no" with nothing to say no to asks for nothing (the model has no intent for it),
        // also where the tagger took a word of it for a value that nothing reads ("no" as a
        // time): no follow-up of the last action.
        // A bot may have an intent of its own for it: the moodbot's `deny` ("no") says "Bye".
        let names_a_value = parse.entities.iter().any(|e| e.resolved.is_some());
        let own_no = || {
            self.understood(parse).is_some_and(|intent| {
                intent
                    .examples
                    .iter()
                    .any(|e| self.words().is_bare_no(&e.text))
            })
        };
        if !names_a_value && self.words().is_bare_no(&parse.text) && !own_no() {
            turn.commands.push(Command::Deny);
            return turn.replies.push(self.replies().okay.clone());
        }
        let now = context.now.timestamp();
        // Only a follow-up such as "and tomorrow?" or "what about Paris?" reuses the last
        // action: a request of its own ("I need a flight to Lisbon") starts afresh.
        let recent = self
            .recent_last(conversation, now)
            .filter(|last| {
                let counts_its_party = || {
                    counts_people(self.words(), parse)
                        && self.intents.intent(&last.intent).is_some_and(|intent| {
                            self.builtin_slots(intent, BuiltinResolver::Number)
                                .next()
                                .is_some()
                        })
                };
                is_follow_up(self.words(), parse)
                    || self.words().is_correction(&parse.text)
                    || counts_its_party()
            })
            .cloned();
        // "switch them around", "change the time" or "sorry, I meant Lyon" after a booking
        // reopens it: the swapped values to confirm, the question for that slot, or the
        // corrected place.
        if let Some(last) = &recent {
            let reopened = self.intents.intent(&last.intent).filter(|intent| {
                let swaps = self.words().is_swap(&parse.text) && twin_slots(intent).is_some();
                let names_a_slot = !parse
                    .entities
                    .iter()
                    .any(|e| intent.slots.iter().any(|s| s.takes(&e.entity)))
                    && slot_named(self.words(), intent, &parse.text).is_some();
                swaps
                    || names_a_slot
                    || self
                        .place_correction(intent, &parse.text, context)
                        .is_some()
            });
            if let Some(intent) = reopened {
                let form = Form {
                    slots: last.slots.clone(),
                    confirming: true,
                    ..Form::new(&intent.name)
                };
                return self.continue_form(conversation, form, parse, context, turn);
            }
        }
        // With no two values to swap, "switch them around" asks for nothing ("them" is no
        // date, and no goodbye).
        if self.words().is_swap(&parse.text) {
            return self.fallback(turn);
        }
        // It carries the last intent over when it names something for it and asks for nothing
        // with slots.
        let follow_up = recent
            .as_ref()
            .and_then(|last| self.intents.intent(&last.intent))
            .filter(|last| {
                parse
                    .entities
                    .iter()
                    .any(|e| last.slots.iter().any(|s| s.takes(&e.entity)))
            });
        // A fragment continues the last action whatever the model makes of it: after a
        // flight, "what about to Chicago?" is no weather question.
        let intent = match (self.understood(parse), follow_up) {
            (_, Some(last)) => last,
            (Some(intent), None) => intent,
            (None, None) => match self.listed_intent(parse) {
                Some(intent) => intent,
                None => return self.fallback(turn),
            },
        };
        if open.is_none() {
            turn.commands.push(Command::Start {
                intent: intent.name.clone(),
            });
        }
        let mut form = Form::new(&intent.name);
        let mut refused = self.fill(&mut form, intent, parse, context);
        let referent = open.map(|form| (&form.intent, &form.slots)).or_else(|| {
            self.recent_last(conversation, now)
                .map(|l| (&l.intent, &l.slots))
        });
        if let Some((referent, slots)) = referent {
            // "to there" is no place name the resolver reads, but the place "there" stands for.
            let there = self.fill_there(
                &mut form,
                intent,
                &parse.text,
                (referent, slots),
                open.is_some(),
            );
            refused = refused.filter(|r| there != Some(r.slot.as_str()));
            // A question "there", or "then", is about the referent's day as well: "and the
            // weather?" while booking a table for tomorrow is tomorrow's. A booking (an
            // intent that confirms) takes no day it was not given.
            if (there.is_some() || self.words().says_then(&parse.text)) && intent.confirm.is_none()
            {
                self.fill_referent_date(&mut form, intent, (referent, slots));
            }
        }
        // A follow-up whose value is refused ("and on blursday?") still carries the rest over,
        // but not the old value of the slot it asks again.
        let named_something = !form.slots.is_empty() || refused.is_some();
        if let Some(last) = recent.filter(|l| l.intent == intent.name && named_something) {
            for (name, value) in last.slots {
                if refused.as_ref().is_none_or(|r| r.slot != name) {
                    form.slots.entry(name).or_insert(value);
                }
            }
        }
        self.advance(conversation, form, intent, refused, context, turn);
    }

    pub(super) fn continue_form(
        &self,
        conversation: &mut Conversation,
        mut form: Form,
        parse: &Parse,
        context: &Context,
        turn: &mut Turn,
    ) {
        let Some(intent) = self.intents.intent(&form.intent) else {
            return self.fallback(turn);
        };
        // Asked what to change, "nothing" keeps it all: the confirmation again.
        if form.is_changing() && self.keeps_all(parse) {
            turn.commands.push(Command::KeepAll);
            return self.advance(conversation, form, intent, None, context, turn);
        }
        let as_said = parse;
        let parse = &self.without_doubtful_overwrites(parse, &form, intent);
        let fills_form = parse
            .entities
            .iter()
            .any(|e| intent.slots.iter().any(|s| s.takes(&e.entity)));
        // "switch them around": the two values of one entity (a flight's origin and
        // destination) trade places; one alone moves to the other slot.
        if let Some([first, second]) = self
            .words()
            .is_swap(&parse.text)
            .then(|| twin_slots(intent))
            .flatten()
        {
            turn.commands.push(Command::Swap {
                first: first.clone(),
                second: second.clone(),
            });
            let (a, b) = (form.slots.remove(first), form.slots.remove(second));
            if let Some(b) = b {
                form.slots.insert(first.clone(), b);
            }
            if let Some(a) = a {
                form.slots.insert(second.clone(), a);
            }
            form.confirming = false;
            return self.advance(conversation, form, intent, None, context, turn);
        }
        // A plain "yes" fires; "yes, but at 9pm" changes the time and asks again.
        // So does a plain yes with more words that change nothing ("yes book the table", "yes
        // that's fine, thank you so much"), nor name another intent ("yes book the flight").
        let plain_yes = || {
            !fills_form
                && self.words().leads_with_plain_yes(&parse.text)
                && self
                    .untagged_correction(intent, &parse.text, context)
                    .is_none()
                && !self.intents.intents.iter().any(|other| {
                    other.name != intent.name
                        && !other.slots.is_empty()
                        && self.names_intent(other, &parse.text)
                })
        };
        // "is that correct?" asks for the confirmation again; only an answer books.
        let yes = || !words::is_question(&parse.text) && (self.says_yes(parse) || plain_yes());
        if form.confirming && yes() {
            turn.commands.push(Command::Affirm);
            form.confirming = false;
            return self.fire(conversation, form, intent, context, turn);
        }
        // "the time", asked what to change, or "change the time" at any point: its question;
        // whatever the tagger marked in it that reads as no value ("the number" of "the
        // number of people", tagged a date).
        let asks_to_change =
            form.confirming || form.is_changing() || self.words().is_correction(&parse.text);
        let gives_a_value = parse
            .entities
            .iter()
            .any(|e| e.resolved.is_some() && intent.slots.iter().any(|s| s.takes(&e.entity)));
        if let Some(slot) = (asks_to_change && !gives_a_value)
            .then(|| slot_named(self.words(), intent, &parse.text))
            .flatten()
        {
            form.confirming = false;
            form.asking = Some(slot.name.clone());
            form.attempts = 0;
            // "with extra cheese actually": a yes-or-no slot named is its answer.
            if let Some(yes) = (slot.kind == SlotKind::Boolean && slot.from.is_empty())
                .then(|| self.words().says_of_named(&parse.text, &slot.name))
                .flatten()
            {
                form.slots
                    .insert(slot.name.clone(), self.boolean(parse.text.trim(), yes));
                return self.advance(conversation, form, intent, None, context, turn);
            }
            // "change the city to Florence": the answer comes with the question, where the
            // model tagged none; not in "I need to change the city", whose words after "to"
            // name the slot again.
            let untagged = |text: &str| Parse {
                text: text.to_string(),
                entities: Vec::new(),
                ..parse.clone()
            };
            let value = self.words().value_after_to(&parse.text).filter(|value| {
                slot_named(self.words(), intent, value).is_none_or(|s| s.name != slot.name)
            });
            if let Some(value) = value {
                let refused = self.fill_from_reply(&mut form, slot, &untagged(value), context);
                return self.advance(conversation, form, intent, refused, context, turn);
            }
            // "different day: thursday", with "day: thursday" tagged a date that does not
            // resolve: the slot's resolver finds the value in the reply.
            if parse.entities.iter().any(|e| slot.takes(&e.entity)) {
                let mut answered = form.clone();
                let reply = untagged(&parse.text);
                let refused = self.fill_from_reply(&mut answered, slot, &reply, context);
                if refused.is_none() && answered.slots != form.slots {
                    return self.advance(conversation, answered, intent, None, context, turn);
                }
            }
            turn.commands.push(Command::CorrectSlot {
                slot: slot.name.clone(),
                value: None,
            });
            conversation.form = Some(form);
            return self.reask(conversation, turn);
        }
        // "no don't" is a no, whatever the tagger made of "don".
        let names_a_value = parse.entities.iter().any(|e| e.resolved.is_some());
        if form.confirming && self.says_no(parse) && !names_a_value {
            turn.commands.push(Command::Deny);
            form.confirming = false;
            form.asking = None;
            turn.replies.push(self.replies().what_to_change.clone());
            conversation.form = Some(form);
            return;
        }
        if let Some(slot) = self.asked_slot(&form) {
            // A slot with sources takes its answer from them alone.
            if let Some(refused) = self.fill_from_sources(&mut form, slot, parse, context) {
                return self.advance(conversation, form, intent, refused, context, turn);
            }
            // Asked a yes-or-no question, a reply the model reads as yes or no answers it
            // ("yeah lots of cheese"), as does one that names the slot ("absolutely, extra
            // cheese!"). With values for other slots, its first clause answers ("yes, and
            // deliver it at 7:30pm", "no extra cheese, but swap the mushrooms for ham") and
            // the values fill their slots below; "no mushrooms" is a list edit.
            if slot.kind == SlotKind::Boolean && slot.from.is_empty() {
                let words = self.words();
                let said = match fills_form {
                    false => (self.yes_or_no(parse))
                        .or_else(|| words.says_of_named(&parse.text, &slot.name)),
                    true => {
                        let first_value = parse.entities.iter().map(|e| e.start).min();
                        (words.first_clause(&parse.text, first_value.unwrap_or(0))).and_then(
                            |clause| {
                                (words.yes_or_no(clause))
                                    .or_else(|| words.says_of_named(clause, &slot.name))
                            },
                        )
                    }
                };
                if let Some(yes) = said {
                    form.slots
                        .insert(slot.name.clone(), self.boolean(parse.text.trim(), yes));
                    if !fills_form {
                        return self.advance(conversation, form, intent, None, context, turn);
                    }
                }
            }
            let text_reply = (slot.kind == SlotKind::Text && slot.from.is_empty())
                .then(|| self.text_reply(&form, intent, slot, parse, context));
            if let Some(TextReply::AnswerWith(text)) = &text_reply {
                let refused = self.set_or_refuse(&mut form, slot, text, context);
                let values = Parse {
                    entities: other_slot_values(intent, slot, parse).cloned().collect(),
                    ..parse.clone()
                };
                let refused = self.fill(&mut form, intent, &values, context).or(refused);
                return self.advance(conversation, form, intent, refused, context, turn);
            }
            let names_an_item = parse.entities.iter().any(|e| slot.takes(&e.entity));
            if slot.kind == SlotKind::List && !names_an_item && self.words().is_none(&parse.text) {
                form.slots.insert(
                    slot.name.clone(),
                    SlotValue::list(Vec::new(), self.replies()),
                );
                return self.advance(conversation, form, intent, None, context, turn);
            }
            // "no mushrooms" edits the toppings even while a yes/no question is open.
            let answer = direct_answer(self.words(), slot, &parse.text)
                .filter(|_| slot.from.is_empty())
                .filter(|_| text_reply != Some(TextReply::NotAnAnswer))
                .filter(|_| slot.kind == SlotKind::Text || !fills_form)
                .or_else(|| {
                    // Asked "At what time?", "7.30pm" is the time, whatever the tagger made of
                    // its pieces: none of them, ":30 pm", which reads as no time, or a part of a
                    // date ("the 2nd" of "the 2nd of january"); unless they fill other slots
                    // too ("tomorrow at 7pm" asked for the day). A bare number is a piece of a
                    // time or date ("ten" of "ten to 9"), not a party size.
                    let dated = matches!(
                        self.builtin(slot),
                        Some(BuiltinResolver::Date | BuiltinResolver::Time)
                    );
                    let fills_another_slot = parse.entities.iter().any(|e| {
                        e.resolved.is_some()
                            && !(dated && crate::resolve::is_number(&e.value))
                            && intent
                                .slots
                                .iter()
                                .any(|s| s.name != slot.name && s.takes(&e.entity))
                    });
                    (!fills_another_slot)
                        .then(|| self.resolved_reply(slot, &parse.text, context))
                        .flatten()
                });
            if let Some(answer) = answer {
                let refused = self.set_or_refuse(&mut form, slot, answer, context);
                return self.advance(conversation, form, intent, refused, context, turn);
            }
        }
        // Switching away from an open form needs a confident reading: "Denver" may look a
        // little like another intent, but it answers the question asked. A bare "no" to an
        // open question is no goodbye either.
        let other = self
            .understood(parse)
            .filter(|i| i.name != form.intent && parse.intent.confidence >= DIGRESSION_CONFIDENCE)
            .filter(|_| {
                !self
                    .asked_slot(&form)
                    .is_some_and(|slot| yes_or_no_to_open_question(self.words(), slot, &parse.text))
            });
        // Values for this form may come as a request of another intent with slots ("what's the
        // weather in Rome tomorrow?" while booking a table), which asks for that intent; a
        // fragment ("tomorrow") or a chat intent ("friday, that would be great" read as
        // goodbye) only answers.
        let own_request = |other: &Intent| {
            !other.slots.is_empty()
                && !is_follow_up(self.words(), as_said)
                && slot_named(self.words(), intent, &as_said.text).is_none()
        };
        // A correction ("actually no", "change the date to friday"), a message that starts by
        // asking for a moment ("let me ask my wife") or with a yes ("yes but in Lyon") is never
        // another request, unless it names the other intent: "actually I want to book a
        // flight to Rome".
        let other = other.filter(|other| {
            let corrects = self.words().is_correction(&as_said.text)
                || self.words().leads_with_hold_on(&as_said.text)
                || self.words().starts_with_yes(&as_said.text);
            !corrects || self.names_intent(other, &as_said.text)
        });
        // Ending the conversation drops the open form: a question never does ("ok but can I
        // cancel later?"), and at a confirmation it takes a word of the intent's own ("bye"),
        // so that "there you go", which the model may read as a goodbye, keeps the booking.
        let other = other.filter(|other| {
            !ends_conversation(other)
                || (!words::is_question(&as_said.text)
                    && (!form.confirming || self.names_intent(other, &as_said.text)))
        });
        // As said: "Rome" asked for the day stays in the form even where the tagger doubts it
        // enough not to overwrite the city.
        let said_for_form = as_said
            .entities
            .iter()
            .any(|e| intent.slots.iter().any(|s| s.takes(&e.entity)));
        if let Some(other) = other.filter(|o| !said_for_form || own_request(o)) {
            turn.commands.push(Command::Digress {
                intent: other.name.clone(),
            });
            if other.slots.is_empty() {
                // A digression ("help", "thanks"): answer it, then resume the form; unless
                // it ends the conversation ("bye"), which drops the form.
                self.fire_simple(other, turn);
                if ends_conversation(other) {
                    conversation.last = None;
                    return;
                }
                conversation.form = Some(form);
                return self.reask(conversation, turn);
            }
            // A request that completes at once (the weather) is answered and the form resumes;
            // one that needs more replaces the open form.
            let mut aside = Conversation {
                form: None,
                ..conversation.clone()
            };
            self.start(&mut aside, Some(&form), as_said, context, turn);
            if aside.form.is_some() {
                // It needs more than one message: it replaces the open form.
                if let Some(digress) = turn
                    .commands
                    .iter_mut()
                    .find(|c| matches!(c, Command::Digress { intent } if intent == &other.name))
                {
                    *digress = Command::Start {
                        intent: other.name.clone(),
                    };
                }
                *conversation = aside;
                return;
            }
            conversation.last = aside.last;
            conversation.form = Some(form);
            return self.reask(conversation, turn);
        }
        let before = form.slots.clone();
        let refused = self.fill(&mut form, intent, parse, context);
        if form.slots != before {
            // A changed value needs a fresh confirmation.
            form.confirming = false;
        } else if form.confirming && refused.is_none() {
            // "yes, at 8pm" restates a value and fires.
            if fills_form && self.words().leads_with_yes(&parse.text) {
                turn.commands.push(Command::Affirm);
                form.confirming = false;
                return self.fire(conversation, form, intent, context, turn);
            }
            // "yes, but on the 5th", where the tagger saw no date: the resolvers read it.
            if let Some(refused) = self.correct_untagged(&mut form, intent, &parse.text, context) {
                form.confirming = false;
                return self.advance(conversation, form, intent, refused, context, turn);
            }
            // Neither yes, no nor a change: the question again.
            conversation.form = Some(form);
            return self.reask(conversation, turn);
        }
        // Removing an item that is not on the list changes nothing, but it was no answer to
        // the question asked either.
        let edits_a_list = parse.entities.iter().any(|e| {
            intent
                .slots
                .iter()
                .any(|s| s.kind == SlotKind::List && s.takes(&e.entity))
        });
        if form.slots == before && refused.is_none() && !edits_a_list {
            if let Some(slot) = self.asked_slot(&form) {
                // "sorry, I meant Rome", asked for the day, corrects the city.
                if let Some(refused) = self
                    .words()
                    .is_correction(&parse.text)
                    .then(|| self.correct_untagged(&mut form, intent, &parse.text, context))
                    .flatten()
                {
                    return self.advance(conversation, form, intent, refused, context, turn);
                }
                let refused = self.fill_from_reply(&mut form, slot, parse, context);
                return self.advance(conversation, form, intent, refused, context, turn);
            }
            if !form.confirming {
                if let Some(refused) =
                    self.correct_untagged(&mut form, intent, &parse.text, context)
                {
                    return self.advance(conversation, form, intent, refused, context, turn);
                }
                turn.commands.push(Command::CannotHandle);
                turn.replies.push(self.fallback_text());
            }
        }
        // The reply answered other slots, and the one asked in words the model left untagged:
        // "today at 8am", asked the day, with only "8am" tagged.
        let refused = refused.or_else(|| self.untagged_answer(&mut form, parse, context));
        self.advance(conversation, form, intent, refused, context, turn);
    }

    /// Asks for the next missing slot, asks for confirmation, or fires.
    pub(super) fn advance(
        &self,
        conversation: &mut Conversation,
        mut form: Form,
        intent: &Intent,
        refused: Option<Refusal>,
        context: &Context,
        turn: &mut Turn,
    ) {
        let refused = refused
            .or_else(|| repeated_value(self.replies(), &mut form, intent))
            .or_else(|| self.past_moment(&mut form, intent, context));
        if let Some(refusal) = refused {
            // Re-ask the refused slot with its reprompt, up to its attempt limit. The question
            // replaces a pending confirmation: a "yes" now answers it, and books nothing.
            form.confirming = false;
            if form.asking.as_deref() == Some(refusal.slot.as_str()) {
                form.attempts += 1;
            } else {
                form.asking = Some(refusal.slot.clone());
                form.attempts = 1;
            }
            let limit = intent
                .slots
                .iter()
                .find(|s| s.name == refusal.slot)
                .and_then(|s| s.validate.as_ref())
                .map_or(3, |v| v.max_attempts);
            if form.attempts >= limit {
                // The form is given up, so its question is not asked again.
                let why = without_question(&refusal.message);
                let stop = &self.replies().give_up;
                turn.replies.push(match why.is_empty() {
                    true => stop.clone(),
                    false => format!("{why} {stop}"),
                });
                return;
            }
            turn.replies.push(refusal.message);
            conversation.form = Some(form);
            return;
        }
        let missing = intent
            .slots
            .iter()
            .find(|s| s.required && !form.slots.contains_key(&s.name));
        if let Some(slot) = missing {
            if form.asking.as_deref() != Some(slot.name.as_str()) {
                form.attempts = 0;
            }
            form.asking = Some(slot.name.clone());
            turn.replies.push(prompt(self.replies(), slot, form.asked));
            form.asked += 1;
            conversation.form = Some(form);
            return;
        }
        form.asking = None;
        if let Some(template) = &intent.confirm {
            if !form.confirming {
                self.fill_defaults(&mut form, intent, context);
                form.confirming = true;
                turn.replies
                    .push(crate::intents::template::render(template, &display(&form)));
                conversation.form = Some(form);
                return;
            }
        }
        self.fire(conversation, form, intent, context, turn);
    }

    pub(super) fn fill_defaults(&self, form: &mut Form, intent: &Intent, context: &Context) {
        for slot in &intent.slots {
            if let (Some(default), false) = (&slot.default, form.slots.contains_key(&slot.name)) {
                let _ = self.set(form, slot, default, context);
            }
        }
    }

    pub(super) fn fire(
        &self,
        conversation: &mut Conversation,
        mut form: Form,
        intent: &Intent,
        context: &Context,
        turn: &mut Turn,
    ) {
        self.fill_defaults(&mut form, intent, context);
        turn.action = Some(action_call(intent, &form));
        if ends_conversation(intent) {
            conversation.last = None;
        } else if !intent.slots.is_empty() {
            conversation.last = Some(Completed {
                intent: intent.name.clone(),
                slots: form.slots,
                at: context.now.timestamp(),
            });
        }
        conversation.form = None;
    }

    pub(super) fn fire_simple(&self, intent: &Intent, turn: &mut Turn) {
        turn.action = Some(action_call(intent, &Form::new(&intent.name)));
    }

    pub(super) fn reask(&self, conversation: &mut Conversation, turn: &mut Turn) {
        let Some(form) = conversation.form.as_mut() else {
            return;
        };
        let Some(intent) = self.intents.intent(&form.intent) else {
            return;
        };
        if form.confirming {
            if let Some(template) = &intent.confirm {
                let values = display(form);
                turn.replies
                    .push(crate::intents::template::render(template, &values));
            }
        } else if let Some(slot) = self.asked_slot(form) {
            turn.replies.push(prompt(self.replies(), slot, form.asked));
            form.asked += 1;
        }
    }

    pub(super) fn fallback(&self, turn: &mut Turn) {
        turn.commands.push(Command::CannotHandle);
        turn.replies.push(self.fallback_text());
    }
}
