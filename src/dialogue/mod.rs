//! Dialogue: fills an intent's slots over several turns — asking for what is missing,
//! validating, confirming — and fires its action, like a Rasa form or Dialogflow's required
//! parameters.
//!
//! [`Dialogue::step`] is a pure function of the conversation state, the NLU parse of the
//! user's message and the reference time: no clock and no I/O, so every behaviour is testable
//! and a backend can store [`Conversation`] anywhere (it is plain serde data).

mod command;
mod words;

pub use command::{Command, ListOp};

use crate::intents::{
    Annotation, BuiltinResolver, CheckedValidation, Intent, Intents, Slot, SlotKind,
};
use crate::lang::{Lexicon, Replies};
use crate::parse::{fillers, Entity, Parse, OUT_OF_SCOPE};
use crate::resolve::{Context, Found, Resolved, Resolvers, Unresolved};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use words::ListEdit;

/// A filled slot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SlotValue {
    /// What the user wrote.
    pub text: String,
    /// The resolved value (what `slots` holds in parse results).
    pub value: serde_json::Value,
    /// The value for people, used in replies.
    pub display: String,
    /// The items of a list slot (whose `value` is their values as an array).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<SlotValue>,
}

impl SlotValue {
    pub(crate) fn single(text: &str, value: serde_json::Value, display: String) -> Self {
        SlotValue {
            text: text.to_string(),
            value,
            display,
            items: Vec::new(),
        }
    }

    /// Whether this is the value of a list slot.
    fn is_list(&self) -> bool {
        self.value.is_array()
    }

    /// Whether two values name the same thing: the same resolved value, or the same words.
    fn same_as(&self, other: &SlotValue) -> bool {
        self.value == other.value || self.text.eq_ignore_ascii_case(&other.text)
    }

    /// A list slot's value: "pepperoni, mushrooms and olives", or "none".
    fn list(items: Vec<SlotValue>, replies: &Replies) -> Self {
        let join = |part: fn(&SlotValue) -> &str| {
            let parts: Vec<&str> = items.iter().map(part).collect();
            match parts.split_last() {
                None => String::new(),
                Some((last, [])) => last.to_string(),
                Some((last, rest)) => format!("{} {} {last}", rest.join(", "), replies.and),
            }
        };
        let text = join(|i| &i.text);
        let display = if items.is_empty() {
            replies.none.clone()
        } else {
            join(|i| &i.display)
        };
        SlotValue {
            text,
            value: items.iter().map(|i| i.value.clone()).collect(),
            display,
            items,
        }
    }
}

/// An intent whose slots are being filled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Form {
    /// The intent.
    pub intent: String,
    /// Slots filled so far.
    pub slots: BTreeMap<String, SlotValue>,
    /// The slot the bot asked for last.
    pub asking: Option<String>,
    /// Refused answers for the slot being asked.
    pub attempts: u32,
    /// Waiting for yes/no to the confirmation question.
    pub confirming: bool,
    /// How many prompts were asked, to rotate through a slot's prompts.
    pub asked: u32,
    /// The days a `single_day` slot was refused for ("next week"), while it is asked: a
    /// weekday said next is the one among them.
    #[serde(default)]
    pub within: Option<(chrono::NaiveDate, chrono::NaiveDate)>,
}

impl Form {
    /// Whether the bot asked what to change: neither a slot nor the confirmation is asked.
    fn is_changing(&self) -> bool {
        self.asking.is_none() && !self.confirming
    }

    /// An empty form for `intent`.
    pub fn new(intent: &str) -> Self {
        Form {
            intent: intent.to_string(),
            slots: BTreeMap::new(),
            asking: None,
            attempts: 0,
            confirming: false,
            asked: 0,
            within: None,
        }
    }
}

/// The last action fired, for follow-ups ("and tomorrow?").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Completed {
    /// Its intent.
    pub intent: String,
    /// Its slots.
    pub slots: BTreeMap<String, SlotValue>,
    /// When it fired (unix seconds of the reference time).
    pub at: i64,
}

/// The state of one conversation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Conversation {
    /// The open form, if any.
    pub form: Option<Form>,
    /// The last completed action.
    pub last: Option<Completed>,
    /// Reference time of the last message (unix seconds).
    pub updated: i64,
    /// Messages handled so far.
    #[serde(default)]
    pub turns: u64,
}

/// An action to run: its name and slot values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActionCall {
    /// The action's name.
    pub name: String,
    /// The intent that fired it.
    pub intent: String,
    /// Resolved slot values.
    pub slots: BTreeMap<String, serde_json::Value>,
    /// Slot values for people, for reply templates.
    pub display: BTreeMap<String, String>,
}

/// What one user message led to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Turn {
    /// What the bot says.
    pub replies: Vec<String>,
    /// The intent the NLU saw.
    pub intent: String,
    /// Its confidence.
    pub confidence: f32,
    /// The open form's slots after this turn (the fired form's, when one fired).
    pub slots: BTreeMap<String, serde_json::Value>,
    /// The action fired, if any. Its replies still have to be produced by the caller.
    pub action: Option<ActionCall>,
    /// The intent of the form left open after this turn, if any.
    pub form: Option<String>,
    /// The slot the bot asked for, if it asked for one.
    pub asking: Option<String>,
    /// What the message asked of the dialogue, in the order the turn applied it.
    #[serde(default)]
    pub commands: Vec<Command>,
}

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

/// A value the user gave that failed its slot's validation.
struct Refusal {
    slot: String,
    message: String,
}

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
                Some(SlotKind::Text) => self.words().is_only_cancel(text),
                Some(SlotKind::List) if self.words().is_none(text) => false,
                None if form.is_some_and(Form::is_changing)
                    && self.words().is_nothing_to_change(text) =>
                {
                    false
                }
                _ => self.words().is_cancel(text),
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
            self.words().is_hold_on(text)
                || (self.words().leads_with_hold_on(text)
                    && parse.entities.is_empty()
                    && !self.reads_a_value(form, text, context))
        };
        if form.map_or(self.words().is_hold_on(text), holds_on) {
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

    /// `parse` without the entities that, while a question is open, would only overwrite
    /// values given before, and that the tagger doubts: asked for the party size, "-3" is no
    /// new date (tagged "3" at 0.54).
    fn without_doubtful_overwrites(&self, parse: &Parse, form: &Form, intent: &Intent) -> Parse {
        let Some(asked) = self.asked_slot(form) else {
            return parse.clone();
        };
        let mut kept = parse.clone();
        kept.entities.retain(|entity| {
            entity.confidence >= OVERWRITE_CONFIDENCE
                || asked.takes(&entity.entity)
                || intent
                    .slots
                    .iter()
                    .any(|s| s.takes(&entity.entity) && !form.slots.contains_key(&s.name))
        });
        kept
    }

    /// A correction the tagger left untagged ("the 6th" after "What would you like to
    /// change?"): the date, time or number slot whose resolver reads the longest span of the
    /// reply, if one reads longer than all others. Places are left out, as any word may name
    /// one.
    fn untagged_correction<'i>(
        &self,
        intent: &'i Intent,
        text: &str,
        context: &Context,
    ) -> Option<(&'i Slot, String)> {
        let mut readings: Vec<(usize, &Slot, String)> = self
            .found_values(intent, text, context)
            .filter_map(|(slot, found)| {
                // "at 9am" names no day, though the date resolver reads it as today's.
                let hour_only = self.builtin(slot) == Some(BuiltinResolver::Date)
                    && matches!(
                        crate::resolve::builtin(BuiltinResolver::Time, &found.text, context),
                        Ok(Resolved::Time { .. })
                    );
                (!hour_only).then_some((found.end - found.start, slot, found.text))
            })
            .collect();
        readings.sort_by_key(|(length, ..)| std::cmp::Reverse(*length));
        match readings.as_slice() {
            [(longest, ..), (next, ..), ..] if longest == next => None,
            [(_, slot, value), ..] => Some((*slot, value.clone())),
            [] => None,
        }
    }

    /// A place the tagger left untagged in a correction ("sorry, I meant Rome"): the value of
    /// the intent's one location slot, when the correction names a place the gazetteer knows.
    /// A flight's two places leave it open which one is meant.
    fn place_correction<'i>(
        &self,
        intent: &'i Intent,
        text: &str,
        context: &Context,
    ) -> Option<(&'i Slot, String)> {
        if !self.words().is_correction(text) {
            return None;
        }
        let mut places = self.builtin_slots(intent, BuiltinResolver::Location);
        let slot = places.next().filter(|_| places.next().is_none())?;
        let place = self.words().corrected(text);
        let known = self.reads_known(slot.entity.as_deref()?, place, context);
        known.then(|| (slot, place.to_string()))
    }

    /// "what's the weather there?": the place "there" stands for, from the slots of the
    /// `referent` intent (the form left open, else the last action), into the empty location
    /// slot of `intent` that the word before "there" gives the role of, else its last ("fly
    /// there" is the destination). Of a referent's two places, "there" is the latter. With
    /// `unsaid`, a question asked while a form is open, an intent with one place takes the
    /// form's without "there": "is it going to rain tomorrow?" while booking a table in Lisbon.
    /// Returns the slot it filled.
    fn fill_there<'i>(
        &self,
        form: &mut Form,
        intent: &'i Intent,
        text: &str,
        (referent, slots): (&str, &BTreeMap<String, SlotValue>),
        unsaid: bool,
    ) -> Option<&'i str> {
        let referent = self.intents.intent(referent)?;
        let places: Vec<&Slot> = self
            .builtin_slots(intent, BuiltinResolver::Location)
            .collect();
        let last = places.last()?;
        let entity = last.entity.as_deref().unwrap_or_default();
        let slot = match self.words().there_at(text) {
            Some(at) => role_after(intent, entity, text, at)
                .and_then(|role| places.iter().find(|s| s.role.as_deref() == Some(role)))
                .unwrap_or(last),
            None if unsaid && places.len() == 1 => last,
            None => return None,
        };
        let place = referent
            .slots
            .iter()
            .rev()
            .filter(|s| self.builtin(s) == Some(BuiltinResolver::Location))
            .find_map(|s| slots.get(&s.name));
        let place = place.filter(|_| !form.slots.contains_key(&slot.name))?;
        form.slots.insert(slot.name.clone(), place.clone());
        Some(&slot.name)
    }

    /// The one intent whose slots take every value of a message that lists three or more
    /// values and little else ("Rome, tomorrow, 9pm, 5 people"), which the model read as no
    /// intent: the values tell it.
    fn listed_intent(&self, parse: &Parse) -> Option<&'a Intent> {
        let values: Vec<&Entity> = parse
            .entities
            .iter()
            .filter(|e| e.resolved.is_some())
            .collect();
        let outside = crate::spans::outside(&parse.text, values.iter().map(|e| (e.start, e.end)));
        let other_words = outside
            .split(|c: char| !c.is_alphabetic())
            .filter(|word| !word.is_empty())
            .count();
        if values.len() < 3 || other_words > MAX_LIST_WORDS {
            return None;
        }
        let mut takers = self.intents.intents.iter().filter(|intent| {
            values
                .iter()
                .all(|e| intent.slots.iter().any(|s| s.takes(&e.entity)))
        });
        takers.next().filter(|_| takers.next().is_none())
    }

    /// The date of the `referent` intent's slots into the empty date slot of `intent`.
    fn fill_referent_date(
        &self,
        form: &mut Form,
        intent: &Intent,
        (referent, slots): (&str, &BTreeMap<String, SlotValue>),
    ) {
        let Some(referent) = self.intents.intent(referent) else {
            return;
        };
        let date = self
            .builtin_slots(referent, BuiltinResolver::Date)
            .next()
            .and_then(|slot| slots.get(&slot.name));
        let slot = self.builtin_slots(intent, BuiltinResolver::Date).next();
        if let (Some(slot), Some(date)) = (slot, date) {
            form.slots.entry(slot.name.clone()).or_insert(date.clone());
        }
    }

    /// Whether `text` says a word that names `intent` among the bot's intents ("flight",
    /// "table", "weather"): one that at least three of its examples say outside their
    /// entities, and ten times fewer examples of all other intents.
    fn names_intent(&self, intent: &Intent, text: &str) -> bool {
        let said = self.words().topic_words(text);
        // For each word said, how many examples of `intent`, and of all others, say it.
        let (mut own, mut others) = (vec![0; said.len()], vec![0; said.len()]);
        for of in &self.intents.intents {
            let counts = if of.name == intent.name {
                &mut own
            } else {
                &mut others
            };
            for example in &of.examples {
                let example_says = self.words().topic_words(&example.outside_annotations());
                for (count, word) in counts.iter_mut().zip(&said) {
                    *count += usize::from(example_says.contains(word));
                }
            }
        }
        own.iter()
            .zip(&others)
            .any(|(&own, &others)| own >= 3 && others * 10 <= own)
    }

    /// The values the date, time and number slots of `intent` find in `text`, slot by slot.
    fn found_values<'i, 't>(
        &self,
        intent: &'i Intent,
        text: &'t str,
        context: &'t Context,
    ) -> impl Iterator<Item = (&'i Slot, Found)> + use<'_, 'i, 't, 'a> {
        intent
            .slots
            .iter()
            .filter(|slot| {
                matches!(
                    self.builtin(slot),
                    Some(BuiltinResolver::Date | BuiltinResolver::Time | BuiltinResolver::Number)
                )
            })
            .filter_map(move |slot| {
                let found = self
                    .resolvers
                    .find(slot.entity.as_deref()?, text, context)?;
                Some((slot, found))
            })
    }

    /// Whether a date, time or number slot of the form's intent finds a value in `text`.
    fn reads_a_value(&self, form: &Form, text: &str, context: &Context) -> bool {
        self.intents
            .intent(&form.intent)
            .is_some_and(|intent| self.found_values(intent, text, context).next().is_some())
    }

    /// Applies the [`untagged_correction`](Self::untagged_correction) of `text`, if any: `None`
    /// when there is none, else the refusal of its value, if refused.
    fn correct_untagged(
        &self,
        form: &mut Form,
        intent: &'a Intent,
        text: &str,
        context: &Context,
    ) -> Option<Option<Refusal>> {
        let (slot, value) = self
            .untagged_correction(intent, text, context)
            .or_else(|| self.place_correction(intent, text, context))?;
        Some(self.set_or_refuse(form, slot, &value, context))
    }

    /// The part of the day the form's date was given with ("tomorrow morning"), as words that
    /// read an hour in it.
    fn part_of_day_said(&self, form: &Form) -> Option<&'static str> {
        let intent = self.intents.intent(&form.intent)?;
        let date = self.builtin_slots(intent, BuiltinResolver::Date).next()?;
        crate::resolve::hour_in_part_of_day(&form.slots.get(&date.name)?.text)
    }

    /// A time of day already past on the date slot's day, when that slot refuses the past:
    /// "tonight at 8" said at 21:30. The time slot is emptied and asked again.
    fn past_moment(&self, form: &mut Form, intent: &Intent, context: &Context) -> Option<Refusal> {
        let date_slot = self
            .builtin_slots(intent, BuiltinResolver::Date)
            .find(|slot| {
                slot.validate
                    .as_ref()
                    .is_some_and(|rules| rules.not_in_past)
            })?;
        let time_slot = self.builtin_slots(intent, BuiltinResolver::Time).next()?;
        let (date, time) = (
            form.slots.get(&date_slot.name)?,
            form.slots.get(&time_slot.name)?,
        );
        let day: chrono::NaiveDate = date.value.as_str()?.parse().ok()?;
        let hour: chrono::NaiveTime =
            chrono::NaiveTime::parse_from_str(time.value.as_str()?, "%H:%M").ok()?;
        if day.and_time(hour) >= context.now.naive_local() {
            return None;
        }
        let message = fill(
            &self.replies().time_passed,
            &[
                ("time", &time.display),
                ("date", &date.display),
                ("question", &prompt(self.replies(), time_slot, 0)),
            ],
        );
        form.slots.remove(&time_slot.name);
        Some(Refusal {
            slot: time_slot.name.clone(),
            message,
        })
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

    /// The last action, while a follow-up may still reuse its intent and slots.
    fn recent_last<'c>(&self, conversation: &'c Conversation, now: i64) -> Option<&'c Completed> {
        let carry_over = self.intents.settings.carry_over_seconds as i64;
        conversation
            .last
            .as_ref()
            .filter(|last| now - last.at <= carry_over)
    }

    /// The tagged value (with the name after it, for a title alone: "Dr." of "Dr. House"), or
    /// when its built-in resolver cannot read it, the longest span of the
    /// message around it that it can read, else the longest part of it, unless the resolver
    /// says why it is wrong ("thursday 4 december" is a Friday). A number widens to the party
    /// it is part of.
    fn widened(&self, entity: &Entity, text: &str, context: &Context) -> String {
        let (start, end) = (entity.start, entity.end);
        let Some(builtin) = self.resolvers.builtin_of(&entity.entity) else {
            return self
                .resolvers
                .with_name_after(&entity.entity, text, (start, end))
                .unwrap_or_else(|| entity.value.clone());
        };
        // "3" of "3 adults and 2 kids" counts only some of the party.
        if builtin == BuiltinResolver::Number {
            let party = self
                .resolvers
                .widen(&entity.entity, text, (start, end), context)
                .filter(|found| crate::resolve::is_head_count(&found.text));
            if let Some(party) = party {
                return party.text;
            }
        }
        let explained = match self
            .resolvers
            .resolve(&entity.entity, &entity.value, context)
        {
            Ok(_) => return entity.value.clone(),
            Err(unresolved) => unresolved.hint.is_some(),
        };
        self.resolvers
            .widen(&entity.entity, text, (start, end), context)
            .or_else(|| {
                // Run on too far ("friday maybe"): the longest part of it that reads, but no
                // word of two letters ("la" of "Ashby de la Zouch" is no Los Angeles).
                let inside: String = text.chars().skip(start).take(end - start).collect();
                (!explained)
                    .then(|| self.resolvers.find(&entity.entity, &inside, context))
                    .flatten()
                    .filter(|part| part.text.chars().count() > 2)
            })
            .map_or_else(|| entity.value.clone(), |found| found.text)
    }

    /// The date "the day after" counts from: the open form's, else that of the last action
    /// while a follow-up may still reuse its slots.
    fn anchor(&self, conversation: &Conversation, now: i64) -> Option<chrono::NaiveDate> {
        let form = conversation.form.as_ref().map(|f| (&f.intent, &f.slots));
        let last = self
            .recent_last(conversation, now)
            .map(|l| (&l.intent, &l.slots));
        [form, last]
            .into_iter()
            .flatten()
            .find_map(|(intent, slots)| {
                self.builtin_slots(self.intents.intent(intent)?, BuiltinResolver::Date)
                    .find_map(|slot| {
                        slots
                            .get(&slot.name)?
                            .value
                            .as_str()?
                            .get(..10)?
                            .parse()
                            .ok()
                    })
            })
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

    fn understood(&self, parse: &Parse) -> Option<&'a Intent> {
        let threshold = self.intents.settings.out_of_scope_threshold;
        if parse.intent.name == OUT_OF_SCOPE || parse.intent.confidence < threshold {
            return None;
        }
        self.intents.intent(&parse.intent.name)
    }

    /// Starts the intent `parse` asks for; `open` is the form a digression leaves open.
    fn start(
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
        let names_a_value = parse.entities.iter().any(|e| e.resolved.is_some());
        if !names_a_value && self.words().is_bare_no(&parse.text) {
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

    fn continue_form(
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
        if form.is_changing() && self.words().is_nothing_to_change(&parse.text) {
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
        let yes = || {
            !words::is_question(&parse.text) && (self.words().is_yes(&parse.text) || plain_yes())
        };
        if form.confirming && yes() {
            turn.commands.push(Command::Affirm);
            form.confirming = false;
            return self.fire(conversation, form, intent, context, turn);
        }
        // "the time", asked what to change, or "change the time" at any point: its question.
        let asks_to_change =
            form.confirming || form.is_changing() || self.words().is_correction(&parse.text);
        if let Some(slot) = (asks_to_change && !fills_form)
            .then(|| slot_named(self.words(), intent, &parse.text))
            .flatten()
        {
            form.confirming = false;
            form.asking = Some(slot.name.clone());
            form.attempts = 0;
            // "change the city to Florence": the answer comes with the question, where the
            // model tagged none.
            if let Some(value) = self.words().value_after_to(&parse.text) {
                let reply = Parse {
                    text: value.to_string(),
                    entities: Vec::new(),
                    ..parse.clone()
                };
                let refused = self.fill_from_reply(&mut form, slot, &reply, context);
                return self.advance(conversation, form, intent, refused, context, turn);
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
        if form.confirming && self.words().is_no(&parse.text) && !names_a_value {
            turn.commands.push(Command::Deny);
            form.confirming = false;
            form.asking = None;
            turn.replies.push(self.replies().what_to_change.clone());
            conversation.form = Some(form);
            return;
        }
        if let Some(slot) = self.asked_slot(&form) {
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

    /// Fills the slot asked, still empty, from the words of the reply outside its tagged
    /// entities, where its date, time or number resolver finds a value there.
    fn untagged_answer(
        &self,
        form: &mut Form,
        parse: &Parse,
        context: &Context,
    ) -> Option<Refusal> {
        let slot = self
            .asked_slot(form)
            .filter(|slot| !form.slots.contains_key(&slot.name))?;
        let entity = slot.entity.as_deref()?;
        // Not a place: the gazetteer lists short words ("to" is Tô, in Vietnam).
        if !matches!(
            self.resolvers.builtin_of(entity)?,
            BuiltinResolver::Date | BuiltinResolver::Time | BuiltinResolver::Number
        ) {
            return None;
        }
        let untagged =
            crate::spans::outside(&parse.text, parse.entities.iter().map(|e| (e.start, e.end)));
        let found = self.resolvers.find(entity, &untagged, context)?;
        self.set_or_refuse(form, slot, &found.text, context)
    }

    /// Fills slots from the parse's entities: by role, else the slot being asked, else the
    /// first empty slot of the entity's type (a correction overwrites a filled one).
    /// Returns the refusal when a value fails validation.
    fn fill(
        &self,
        form: &mut Form,
        intent: &Intent,
        parse: &Parse,
        context: &Context,
    ) -> Option<Refusal> {
        let parse = &self.retyped(parse, intent, context);
        let mut refused = None;
        let mut used: Vec<&str> = Vec::new();
        let mut list_edits = ListEdits::default();
        // The word before an entity tells its role best, as in the intent's examples: "to"
        // comes before destinations. Those entities take their slots first, so that in "London
        // to Paris" Paris is the destination and London, whatever role the tagger guessed, is
        // left the origin.
        let mut entities: Vec<(&Entity, Option<&str>)> = parse
            .entities
            .iter()
            .zip(fillers(&intent.slots, &parse.entities))
            .filter_map(|(entity, fills)| fills.then_some(entity))
            .map(|entity| {
                let lead_role = role_after(intent, &entity.entity, &parse.text, entity.start);
                (entity, lead_role)
            })
            .collect();
        entities.sort_by_key(|(_, lead_role)| lead_role.is_none());
        for &(entity, lead_role) in &entities {
            let candidates: Vec<&Slot> = intent
                .slots
                .iter()
                .filter(|s| s.takes(&entity.entity) && !used.contains(&s.name.as_str()))
                .collect();
            // A lone entity goes to the slot the message names ("change the origin to
            // Boston"), else to the role its word before gives ("from Nice", "sorry, from
            // Manchester" asked where to), else to the role the tagger is sure of, else answers
            // the question asked ("Denver" after "Where to?") whatever role the tagger guessed;
            // otherwise roles decide.
            let lone = entities
                .iter()
                .filter(|(other, _)| other.entity == entity.entity)
                .count()
                == 1;
            let asked = || {
                candidates
                    .iter()
                    .find(|s| Some(&s.name) == form.asking.as_ref())
            };
            let by_role = || {
                candidates
                    .iter()
                    .find(|s| s.role.is_some() && s.role == entity.role)
            };
            let named = || {
                candidates
                    .iter()
                    .find(|s| self.words().names_slot(&parse.text, &s.name))
            };
            let sure_role = || by_role().filter(|_| entity.confidence >= ROLE_CONFIDENCE);
            let by_lead_word = || {
                let role = lead_role?;
                candidates.iter().find(|s| s.role.as_deref() == Some(role))
            };
            let slot = (if lone {
                named()
                    .or_else(by_lead_word)
                    .or_else(sure_role)
                    .or_else(asked)
                    .or_else(by_role)
            } else {
                by_lead_word().or_else(by_role).or_else(asked)
            })
            .or_else(|| {
                candidates
                    .iter()
                    .find(|s| !form.slots.contains_key(&s.name))
            })
            .or_else(|| candidates.first())
            .copied();
            let Some(slot) = slot else { continue };
            let result = if slot.kind == SlotKind::List {
                let edit = list_edits.next(self.words(), &parse.text, entity.start, entity.end);
                self.edit_list(form, slot, &entity.value, edit, context)
            } else {
                used.push(&slot.name);
                self.set(
                    form,
                    slot,
                    &self.widened(entity, &parse.text, context),
                    context,
                )
            };
            if let Err(message) = result {
                refused = Some(Refusal {
                    slot: slot.name.clone(),
                    message,
                });
            }
        }
        refused
    }

    /// `parse` with entities given the type their words say, whatever type the tagger gave
    /// them, and without those "not" replaces ("Paris not Rome"): two values split off the
    /// span the tagger ran them into ("Paris tmrw", "8pm in Leeds"); a bare number that counts
    /// people ("3 of us", "we'll be 3") to the intent's number slot, so that "there will be 3
    /// of us" is no date (nor anything, without such a slot); a time, date, place or month
    /// that no resolver of its tagged type reads to the slot that reads it; a bare number
    /// after "at" to its time slot, so that "at 6" is no party of six.
    fn retyped(&self, parse: &Parse, intent: &Intent, context: &Context) -> Parse {
        let entity_of = |kind| {
            self.builtin_slots(intent, kind)
                .find_map(|slot| slot.entity.clone())
        };
        let (number, time) = (
            entity_of(BuiltinResolver::Number),
            entity_of(BuiltinResolver::Time),
        );
        let mut parse = parse.clone();
        let text = parse.text.clone();
        // "Paris not Rome", "not tomorrow, thursday": a value after "not" is the one replaced,
        // where another of its type replaces it.
        let negated = |entity: &Entity| {
            word_before(&text, entity.start).is_some_and(|word| self.words().replaces(&word))
        };
        let replaced = |entity: &Entity| {
            negated(entity)
                && parse
                    .entities
                    .iter()
                    .any(|other| other.entity == entity.entity && !negated(other))
        };
        parse.entities = parse
            .entities
            .iter()
            .filter(|entity| !replaced(entity))
            .cloned()
            .collect();
        // A party said for an intent without one ("there will be 5 of us" for a flight) is no
        // date either.
        parse.entities.retain(|entity| {
            number.is_some() || people_count(self.words(), &text, entity).is_none()
        });
        // "friday to sunday for 2 people", tagged one date: the count is the party.
        if let Some(number) = &number {
            let counts: Vec<Entity> = parse
                .entities
                .iter_mut()
                .filter_map(|entity| self.split_off_count(entity, number, &text, context))
                .collect();
            parse.entities.extend(counts);
        }
        let run_on_types: Vec<String> = [
            BuiltinResolver::Date,
            BuiltinResolver::Time,
            BuiltinResolver::Location,
        ]
        .into_iter()
        .filter_map(entity_of)
        .collect();
        let run_on: Vec<Entity> = parse
            .entities
            .iter_mut()
            .filter_map(|entity| self.split_run_on(entity, &run_on_types, intent, &text, context))
            .collect();
        parse.entities.extend(run_on);
        parse.entities.sort_by_key(|entity| entity.start);
        for entity in &mut parse.entities {
            let hour = time.as_ref().filter(|_| {
                crate::resolve::is_number(&entity.value)
                    && word_before(&text, entity.start)
                        .is_some_and(|word| self.words().leads_an_hour(&word))
            });
            if let (Some(number), Some((value, start, end))) =
                (&number, people_count(self.words(), &text, entity))
            {
                entity.entity = number.clone();
                entity.value = value;
                entity.start = start;
                entity.end = end;
            } else if let Some((other, start)) = self.misread(&text, entity, intent, context) {
                entity.entity = other;
                entity.value = text.chars().skip(start).take(entity.end - start).collect();
                entity.start = start;
            } else if let Some(time) = hour {
                entity.entity = time.clone();
            } else {
                continue;
            }
            entity.role = None;
        }
        parse
    }

    /// The head count that ends a longer span ("friday to sunday for 2 people"), as an entity of
    /// type `number`; `entity` keeps the words before it, without the "for", where a value of
    /// its type is in them ("just the two of us" stays one count).
    fn split_off_count(
        &self,
        entity: &mut Entity,
        number: &str,
        text: &str,
        context: &Context,
    ) -> Option<Entity> {
        let (value, start, end) = people_count(self.words(), text, entity)?;
        let before: String = text
            .chars()
            .skip(entity.start)
            .take(start - entity.start)
            .collect();
        let trimmed =
            before.trim_end_matches(|c: char| c.is_whitespace() || c.is_ascii_punctuation());
        let head = self
            .words()
            .without_people_lead(trimmed)
            .trim_end_matches(|c: char| c.is_whitespace() || c.is_ascii_punctuation());
        self.resolvers.find(&entity.entity, head, context)?;
        entity.value = head.to_string();
        entity.end = entity.start + head.chars().count();
        entity.resolved = None;
        Some(Entity {
            entity: number.to_string(),
            role: None,
            value,
            start,
            end,
            confidence: entity.confidence,
            resolved: None,
        })
    }

    /// A span that no resolver reads whole, run on from one value into another, split in two
    /// values of `types` (the intent's date, time and place entities): "Paris tmrw", tagged one
    /// place, is the place "Paris" and the date "tmrw"; "8pm in Leeds", tagged a time, the time
    /// and the place "Leeds"; "Aix-en-Provence friday", tagged a date, the place and the date
    /// (where the word before leads to places in the examples). `entity` keeps the first;
    /// returns the second.
    fn split_run_on(
        &self,
        entity: &mut Entity,
        types: &[String],
        intent: &Intent,
        text: &str,
        context: &Context,
    ) -> Option<Entity> {
        if entity.resolved.is_some() {
            return None;
        }
        let chars: Vec<char> = entity.value.chars().collect();
        let pairs = types
            .iter()
            .flat_map(|head| types.iter().map(move |tail| (head, tail)));
        let (cut, skip, head, tail) = (1..chars.len())
            .rev()
            .filter(|&at| chars[at] == ' ')
            .find_map(|at| {
                let head_text: String = chars[..at].iter().collect();
                let tail_text: String = chars[at + 1..].iter().collect();
                // A place after its preposition: "in Leeds"; the end of a range: "to sunday".
                let place_text = self.words().after_place_lead(&tail_text);
                let range_end = self.words().after_range_lead(&tail_text);
                pairs.clone().find_map(|(head, tail)| {
                    let tail_text = match self.resolvers.builtin_of(tail) {
                        Some(BuiltinResolver::Location) => place_text,
                        _ if head == tail => range_end,
                        _ => tail_text.as_str(),
                    };
                    let retyped = *head != entity.entity && *tail != entity.entity;
                    let led = *head == entity.entity
                        || leads_to_rather(intent, text, entity.start, head, &entity.entity);
                    // Two values of one type ("friday to sunday") where two slots take it.
                    let twins_take = || {
                        twin_slots(intent).is_some_and(|names| {
                            intent
                                .slots
                                .iter()
                                .filter(|slot| names.contains(&&slot.name))
                                .all(|slot| slot.takes(head))
                        })
                    };
                    ((head != tail || twins_take())
                        && !retyped
                        && led
                        && self.reads_known(tail, tail_text, context)
                        && self.reads_known(head, &head_text, context))
                    .then(|| (at, chars.len() - at - tail_text.chars().count(), head, tail))
                })
            })?;
        let split = Entity {
            entity: tail.clone(),
            role: None,
            value: chars[cut + skip..].iter().collect(),
            start: entity.start + cut + skip,
            end: entity.end,
            confidence: entity.confidence,
            resolved: None,
        };
        entity.entity = head.clone();
        entity.value = chars[..cut].iter().collect();
        entity.end = entity.start + cut;
        Some(split)
    }

    /// A time, date or place the tagger took for another type, which no resolver of that type
    /// reads: "9pm" of "what about 9pm?" tagged a number, "the morning" of "and in the
    /// morning?" or "january" of "weather in Rome in january" tagged a place, or
    /// "Southend-on-Sea" of "to Southend-on-Sea" tagged a date (where the word before leads to
    /// places in the examples). Returns the intent's entity that reads it, and where the value
    /// starts: at the "in" before a month.
    fn misread(
        &self,
        text: &str,
        entity: &Entity,
        intent: &Intent,
        context: &Context,
    ) -> Option<(String, usize)> {
        // Resolved, or split off a run-on span as its own type ("8pm" of "8pm in Leeds").
        if entity.resolved.is_some() || self.reads_known(&entity.entity, &entity.value, context) {
            return None;
        }
        let other = |kind| {
            self.builtin_slots(intent, kind)
                .find_map(|slot| slot.entity.clone())
                .filter(|other| *other != entity.entity)
        };
        let time = other(BuiltinResolver::Time)
            .filter(|time| self.reads_known(time, &entity.value, context));
        if let Some(time) = time {
            return Some((time, entity.start));
        }
        let place = other(BuiltinResolver::Location).filter(|place| {
            self.reads_known(place, &entity.value, context)
                && leads_to_rather(intent, text, entity.start, place, &entity.entity)
        });
        if let Some(place) = place {
            return Some((place, entity.start));
        }
        let date = other(BuiltinResolver::Date)?;
        if self.reads_known(&date, &entity.value, context) {
            return Some((date, entity.start));
        }
        let before: String = text.chars().take(entity.start).collect();
        let start = entity.start - self.words().month_lead_before(&before)?;
        let span: String = text.chars().skip(start).take(entity.end - start).collect();
        let month = matches!(
            self.resolvers.resolve(&date, &span, context),
            Ok(Resolved::Interval { .. })
        );
        month.then_some((date, start))
    }

    /// The reply, filler aside, when all of it resolves as `slot`'s built-in entity to a
    /// known value (not a place the gazetteer lacks).
    fn resolved_reply<'t>(&self, slot: &Slot, text: &'t str, context: &Context) -> Option<&'t str> {
        let entity = slot.entity.as_deref()?;
        self.resolvers.builtin_of(entity)?;
        let reply = self.words().strip_filler(text);
        self.reads_known(entity, reply, context).then_some(reply)
    }

    /// Whether the resolver of `entity` reads `text` as a value it knows: not as a place the
    /// gazetteer lacks.
    fn reads_known(&self, entity: &str, text: &str, context: &Context) -> bool {
        self.resolvers
            .resolve(entity, text, context)
            .is_ok_and(|resolved| !matches!(resolved, Resolved::Value { .. }))
    }

    /// The whole reply as the answer for `slot`, when the tagger found nothing in it.
    fn fill_from_reply(
        &self,
        form: &mut Form,
        slot: &Slot,
        parse: &Parse,
        context: &Context,
    ) -> Option<Refusal> {
        let text = parse.text.as_str();
        // "yes" or "no" is no value: as a place it would be a village the gazetteer does not
        // list. The question is asked again.
        if yes_or_no_to_open_question(self.words(), slot, text) {
            return Some(Refusal {
                slot: slot.name.clone(),
                message: prompt(self.replies(), slot, form.asked),
            });
        }
        // "5" of "there will be 5 of us" is no 5th, but the number asked for ("we are 5").
        let counts = slot
            .entity
            .as_deref()
            .and_then(|e| self.resolvers.builtin_of(e))
            == Some(BuiltinResolver::Number);
        let found = slot
            .entity
            .as_deref()
            .and_then(|entity| self.resolvers.find(entity, text, context))
            .filter(|found| counts || !self.words().counts_people(text, found.start, found.end));
        // A whole sentence about something else is not an answer, even if some words of it
        // would resolve: say what the bot can do and ask again. A reply that is the value
        // and nothing else ("the 2nd of january") is an answer however long.
        let whole_answer = found
            .as_ref()
            .is_some_and(|f| f.text.eq_ignore_ascii_case(self.words().strip_filler(text)));
        let off_topic = parse.intent.name == OUT_OF_SCOPE
            && text.split_whitespace().count() > BARE_ANSWER_WORDS
            && !whole_answer;
        let found = found.filter(|_| !off_topic);
        let answer = found
            .as_ref()
            .map_or_else(|| self.words().strip_filler(text), |f| f.text.as_str());
        let message = if answer.is_empty() || off_topic {
            format!(
                "{} {}",
                self.fallback_text(),
                prompt(self.replies(), slot, form.asked)
            )
        } else {
            self.set(form, slot, answer, context).err()?
        };
        Some(Refusal {
            slot: slot.name.clone(),
            message,
        })
    }

    /// [`Self::set`], with its error as the refusal of `slot`.
    fn set_or_refuse(
        &self,
        form: &mut Form,
        slot: &Slot,
        text: &str,
        context: &Context,
    ) -> Option<Refusal> {
        self.set(form, slot, text, context)
            .err()
            .map(|message| Refusal {
                slot: slot.name.clone(),
                message,
            })
    }

    /// Fills `slot` from `text` (a list slot gets one more item).
    fn set(
        &self,
        form: &mut Form,
        slot: &Slot,
        text: &str,
        context: &Context,
    ) -> Result<(), String> {
        if slot.kind == SlotKind::List {
            return self.edit_list(form, slot, text, ListEdit::Add, context);
        }
        // A moment ("friday at 7") fills the day and the hour, whichever of the two it is
        // said for; said for the day, an hour alone ("at 8") fills the hour, and the day is
        // still to be asked.
        if let Some([date_slot, time_slot]) = self.date_and_time_slots(form, slot) {
            let reads = |slot: &Slot| {
                let entity = slot.entity.as_deref().unwrap_or_default();
                self.resolvers.resolve(entity, text, context)
            };
            // The time reading only where the date reading is no day.
            let as_date = reads(date_slot);
            if !matches!(
                as_date,
                Ok(Resolved::Date { .. } | Resolved::Interval { .. })
            ) {
                match (as_date, reads(time_slot)) {
                    (_, Ok(Resolved::Time { .. })) => {
                        return self.set_one(form, time_slot, text, context)
                    }
                    (Ok(Resolved::DateTime { .. }), Ok(Resolved::DateTime { .. })) => {
                        self.set_one(form, date_slot, text, context)?;
                        return self.set_one(form, time_slot, text, context);
                    }
                    _ => {}
                }
            }
        }
        self.set_one(form, slot, text, context)
    }

    /// The date slot and the time slot of the form's intent, when it has one of each and
    /// `slot` is one of them.
    fn date_and_time_slots(&self, form: &Form, slot: &Slot) -> Option<[&'a Slot; 2]> {
        let intent = self.intents.intent(&form.intent)?;
        let only = |kind| {
            let mut slots = self.builtin_slots(intent, kind);
            let first = slots.next()?;
            slots.next().is_none().then_some(first)
        };
        let pair = [only(BuiltinResolver::Date)?, only(BuiltinResolver::Time)?];
        pair.iter().any(|s| s.name == slot.name).then_some(pair)
    }

    /// Fills the single-valued `slot` from `text`.
    fn set_one(
        &self,
        form: &mut Form,
        slot: &Slot,
        text: &str,
        context: &Context,
    ) -> Result<(), String> {
        let value = self.value_of(slot, text, context, form);
        if self.builtin(slot) == Some(BuiltinResolver::Date) {
            form.within = match value {
                Ok(_) => None,
                Err(_) => self.days_of_span(slot, text, context).or(form.within),
            };
        }
        form.slots.insert(slot.name.clone(), value?);
        Ok(())
    }

    /// The day filled in the first of the two date slots of `form`'s intent, when `slot` is the
    /// second: the start of the range that `slot` ends (check-in, for check-out).
    fn range_start(&self, slot: &Slot, form: &Form) -> Option<chrono::NaiveDate> {
        let intent = self.intents.intent(&form.intent)?;
        let [first, second] = twin_slots(intent)?;
        if *second != slot.name || self.builtin(slot) != Some(BuiltinResolver::Date) {
            return None;
        }
        let start = form.slots.get(first)?.value.as_str()?;
        chrono::NaiveDate::parse_from_str(start, "%Y-%m-%d").ok()
    }

    /// The first and last day of the span `text` gives a `single_day` slot, which refuses it.
    fn days_of_span(
        &self,
        slot: &Slot,
        text: &str,
        context: &Context,
    ) -> Option<(chrono::NaiveDate, chrono::NaiveDate)> {
        if !slot.validate.as_ref()?.single_day {
            return None;
        }
        match self
            .resolvers
            .resolve(slot.entity.as_deref()?, text, context)
        {
            Ok(Resolved::Interval { from, to }) if from < to => Some((from, to)),
            _ => None,
        }
    }

    /// Adds `text` to the list slot `slot`, removes it, or starts the list afresh with it.
    fn edit_list(
        &self,
        form: &mut Form,
        slot: &Slot,
        text: &str,
        edit: ListEdit,
        context: &Context,
    ) -> Result<(), String> {
        let item = self.value_of(slot, text, context, form)?;
        let mut items = match (edit, form.slots.remove(&slot.name)) {
            (ListEdit::Replace, _) | (_, None) => Vec::new(),
            (_, Some(list)) => list.items,
        };
        if edit == ListEdit::Remove {
            items.retain(|other| !other.same_as(&item));
        } else if !items.iter().any(|other| other.same_as(&item)) {
            items.push(item);
        }
        form.slots
            .insert(slot.name.clone(), SlotValue::list(items, self.replies()));
        Ok(())
    }

    /// The value `text` gives `slot` (one item, for a list slot), validated; `form` holds the
    /// other slots a reprompt may name.
    fn value_of(
        &self,
        slot: &Slot,
        text: &str,
        context: &Context,
        form: &Form,
    ) -> Result<SlotValue, String> {
        if slot.kind == SlotKind::Boolean {
            let replies = self.replies();
            return match (self.words().is_yes(text), self.words().is_no(text)) {
                (true, false) => Ok(SlotValue::single(text, true.into(), replies.yes.clone())),
                (false, true) => Ok(SlotValue::single(text, false.into(), replies.no.clone())),
                _ => Err(fill(
                    &replies.answer_yes_or_no,
                    &[("question", &prompt(replies, slot, 0))],
                )),
            };
        }
        // "at 7" for a table open 11:00-23:00 is 19:00.
        let context = &Context {
            hours: slot.validate.as_ref().and_then(|rules| rules.hours),
            ..context.clone()
        };
        // Asked which day of "next week", "tuesday" is the one in it, not the next one; asked
        // which day of "in january", "the 15th" is January's.
        let day_within = form
            .within
            .filter(|_| form.asking.as_deref() == Some(slot.name.as_str()))
            .and_then(|(from, to)| {
                let mut days = from.iter_days().take_while(|day| *day <= to);
                let day = match crate::resolve::weekday_alone(text) {
                    Some(weekday) => days.find(|day| chrono::Datelike::weekday(day) == weekday),
                    None => {
                        let number = crate::resolve::day_of_month_alone(text)?;
                        days.find(|day| chrono::Datelike::day(day) == number)
                    }
                };
                // Not the next such day after them: "the 30th" of February is none.
                Some(day.ok_or_else(|| {
                    let hint = fill(&self.replies().not_those_days, &[("text", text.trim())]);
                    Unresolved {
                        reason: hint.clone(),
                        hint: Some(hint),
                    }
                }))
            });
        let resolved = match (&slot.entity, day_within) {
            (_, Some(day)) => day.map(|value| Resolved::Date { value }),
            (Some(entity), None) => self.resolvers.resolve(entity, text, context),
            (None, None) => Ok(Resolved::Value {
                value: text.trim().to_string(),
            }),
        };
        // The end of a range comes after its start: "from monday to wednesday", said on a
        // Monday, checks out on the Wednesday after next Monday, not on this one.
        let resolved = match (resolved, self.range_start(slot, form)) {
            (Ok(Resolved::Date { value }), Some(start)) if value < start => {
                let after_start = start
                    .and_hms_opt(0, 0, 0)
                    .and_then(|midnight| {
                        chrono::TimeZone::from_local_datetime(&context.now.timezone(), &midnight)
                            .earliest()
                    })
                    .map(|now| Context {
                        now,
                        ..context.clone()
                    });
                let later = after_start.and_then(|after_start| {
                    match self
                        .resolvers
                        .resolve(slot.entity.as_deref()?, text, &after_start)
                    {
                        Ok(Resolved::Date { value }) if value >= start => Some(value),
                        _ => None,
                    }
                });
                Ok(Resolved::Date {
                    value: later.unwrap_or(value),
                })
            }
            (resolved, _) => resolved,
        };
        let builtin = self.builtin(slot);
        // Given "tomorrow morning" for the date, "at 9" is 09:00, not the next 9 on the clock.
        let resolved = match (self.part_of_day_said(form), slot.entity.as_deref()) {
            (Some(part), Some(entity))
                if builtin == Some(BuiltinResolver::Time)
                    && matches!(resolved, Ok(Resolved::Time { .. })) =>
            {
                self.resolvers
                    .resolve(entity, &format!("{text} {part}"), context)
                    .ok()
                    .filter(|in_part| matches!(in_part, Resolved::Time { .. }))
                    .map_or(resolved, Ok)
            }
            _ => resolved,
        };
        // "tonight" is a span of hours, and "2 january at 8pm" a moment; where a time slot
        // holds the hour ("tonight at 9"), the date slot keeps the day.
        let has_time_slot = || {
            self.intents.intent(&form.intent).is_some_and(|intent| {
                self.builtin_slots(intent, BuiltinResolver::Time)
                    .next()
                    .is_some()
            })
        };
        let resolved = resolved.map(|resolved| match resolved {
            Resolved::TimeInterval { from: moment, .. } | Resolved::DateTime { value: moment }
                if builtin == Some(BuiltinResolver::Date) && has_time_slot() =>
            {
                Resolved::Date {
                    value: moment.date(),
                }
            }
            // Likewise the time slot keeps the hour, where a date slot holds the day.
            Resolved::DateTime { value: moment }
                if builtin == Some(BuiltinResolver::Time)
                    && self.date_and_time_slots(form, slot).is_some() =>
            {
                Resolved::Time {
                    value: moment.time(),
                }
            }
            resolved => resolved,
        });
        let (value, display) = match (&resolved, builtin) {
            (Ok(r), _) => (
                r.slot_value(),
                r.display_in(chrono::Datelike::year(&context.now)),
            ),
            // A date, time, number or place that does not resolve is no value for the action
            // ("on blursday"), nor a text without a match of its entity's patterns ("12345"
            // for a booking reference); a lookup list stays open to values it does not list.
            (
                Err(Unresolved {
                    hint: Some(hint), ..
                }),
                _,
            ) => {
                return Err(fill(
                    &self.replies().hint,
                    &[
                        ("hint", hint),
                        ("question", &prompt(self.replies(), slot, 0)),
                    ],
                ));
            }
            (Err(_), Some(kind)) => {
                let replies = self.replies();
                let kind = match kind {
                    BuiltinResolver::Date => &replies.a_date,
                    BuiltinResolver::Time => &replies.a_time,
                    BuiltinResolver::Number => &replies.a_number,
                    BuiltinResolver::Location => &replies.a_place,
                };
                return Err(fill(
                    &replies.unreadable,
                    &[
                        ("text", text),
                        ("kind", kind),
                        ("question", &prompt(replies, slot, 0)),
                    ],
                ));
            }
            (Err(_), None) => (
                serde_json::Value::String(text.to_string()),
                text.to_string(),
            ),
        };
        validate(self.replies(), slot, text, &value, &resolved, context, form)?;
        Ok(SlotValue::single(text, value, display))
    }

    /// Asks for the next missing slot, asks for confirmation, or fires.
    fn advance(
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

    fn fill_defaults(&self, form: &mut Form, intent: &Intent, context: &Context) {
        for slot in &intent.slots {
            if let (Some(default), false) = (&slot.default, form.slots.contains_key(&slot.name)) {
                let _ = self.set(form, slot, default, context);
            }
        }
    }

    fn fire(
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

    fn fire_simple(&self, intent: &Intent, turn: &mut Turn) {
        turn.action = Some(action_call(intent, &Form::new(&intent.name)));
    }

    fn reask(&self, conversation: &mut Conversation, turn: &mut Turn) {
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

    /// The fallback reply, listing what the bot can do: the intents with slots, the services,
    /// rather than "greet" or "thank"; every intent in a bot that has none with slots.
    fn fallback_text(&self) -> String {
        let intents = || {
            self.intents
                .intents
                .iter()
                .filter(|i| i.name != OUT_OF_SCOPE)
        };
        let services = intents().any(|i| !i.slots.is_empty());
        let names: Vec<String> = intents()
            .filter(|i| !services || !i.slots.is_empty())
            .map(|i| i.name.replace('_', " "))
            .collect();
        let values = BTreeMap::from([("intents".to_string(), names.join(", "))]);
        let fallback = self.intents.settings.fallback.as_ref();
        crate::intents::template::render(fallback.unwrap_or(&self.replies().fallback), &values)
    }

    fn fallback(&self, turn: &mut Turn) {
        turn.commands.push(Command::CannotHandle);
        turn.replies.push(self.fallback_text());
    }
}

/// The names of the two slots that one entity fills, when `intent` has exactly two such (a
/// flight's origin and destination).
fn twin_slots(intent: &Intent) -> Option<[&String; 2]> {
    let mut twins = intent.slots.iter().filter_map(|slot| {
        let entity = slot.entity.as_deref()?;
        let same: Vec<&Slot> = intent.slots.iter().filter(|s| s.takes(entity)).collect();
        (same.len() == 2 && same[0].name == slot.name).then(|| [&same[0].name, &same[1].name])
    });
    let pair = twins.next()?;
    twins.next().is_none().then_some(pair)
}

/// The one slot of `intent` that `text` names: by its name ("the party size"), its entity
/// ("the location") or a word of its questions ("the city", asked "In which city?").
fn slot_named<'i>(words: &Lexicon, intent: &'i Intent, text: &str) -> Option<&'i Slot> {
    let said = words.topic_words(text);
    let mut named = intent.slots.iter().filter(|slot| {
        words.names_slot(text, &slot.name)
            || slot
                .entity
                .as_deref()
                .is_some_and(|entity| words.names_slot(text, entity))
            || slot
                .prompts
                .iter()
                .flat_map(|prompt| words.topic_words(prompt))
                .any(|word| said.contains(&word))
    });
    let first = named.next()?;
    named.next().is_none().then_some(first)
}

fn ends_conversation(intent: &Intent) -> bool {
    intent.action.as_ref().is_some_and(|a| a.ends_conversation)
}

/// A yes or a no, said while the bot asks for something else than yes or no.
fn yes_or_no_to_open_question(words: &Lexicon, slot: &Slot, text: &str) -> bool {
    slot.kind != SlotKind::Boolean && (words.is_yes(text) || words.is_no(text))
}

/// The answer to the question for `slot` that the reply gives by itself, whatever the NLU
/// makes of it: the whole reply for a text slot, yes/no for a boolean, "none" for a list.
fn direct_answer<'t>(words: &Lexicon, slot: &Slot, text: &'t str) -> Option<&'t str> {
    match slot.kind {
        SlotKind::Text => Some(text.trim()).filter(|t| !t.is_empty()),
        SlotKind::Boolean => (words.is_yes(text) || words.is_no(text)).then_some(text),
        SlotKind::List | SlotKind::Value => None,
    }
}

/// Reads, item by item, how one message edits a list slot.
#[derive(Default)]
struct ListEdits {
    /// End (in characters) of the previous item.
    previous_end: usize,
    /// The previous item's edit, carried over "and" and commas.
    previous: Option<ListEdit>,
    /// A replace empties the list once per message, not before every item.
    replaced: bool,
}

impl ListEdits {
    fn next(&mut self, words: &Lexicon, text: &str, start: usize, end: usize) -> ListEdit {
        let gap: String = text
            .chars()
            .skip(self.previous_end)
            .take(start.saturating_sub(self.previous_end))
            .collect();
        self.previous_end = end;
        let edit = words
            .list_edit(&gap)
            .or(self.previous)
            .unwrap_or(ListEdit::Add);
        self.previous = Some(edit);
        match edit {
            ListEdit::Replace if self.replaced => ListEdit::Add,
            ListEdit::Replace => {
                self.replaced = true;
                ListEdit::Replace
            }
            other => other,
        }
    }
}

fn prompt(replies: &Replies, slot: &Slot, asked: u32) -> String {
    // Only a slot without a question of its own ("passengers", with a default) that the user
    // names to change it is asked so.
    if slot.prompts.is_empty() {
        return fill(&replies.ask_slot, &[("slot", &slot.name.replace('_', " "))]);
    }
    slot.prompts[asked as usize % slot.prompts.len()].clone()
}

fn action_call(intent: &Intent, form: &Form) -> ActionCall {
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

fn values(form: &Form) -> BTreeMap<String, serde_json::Value> {
    form.slots
        .iter()
        .map(|(k, v)| (k.clone(), v.value.clone()))
        .collect()
}

fn display(form: &Form) -> BTreeMap<String, String> {
    form.slots
        .iter()
        .map(|(k, v)| (k.clone(), v.display.clone()))
        .collect()
}

/// `message` without the question it ends with: "The practice is open 08:00 to 17:00." of
/// "The practice is open 08:00 to 17:00. At what time?".
fn without_question(message: &str) -> &str {
    let mut kept = message.trim_end();
    while let Some(body) = kept.strip_suffix('?') {
        kept = body[..sentence_ends(body).last().unwrap_or(0)].trim_end();
    }
    kept
}

/// Where each sentence of `text` but the last ends: after a ".", "!" or "?" before a space,
/// except the dot of a title ("Dr. Smith", "Mrs. Jones").
fn sentence_ends(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.char_indices()
        .filter(move |&(i, c)| {
            let before_space = text[i + c.len_utf8()..].starts_with(char::is_whitespace);
            let title = c == '.'
                && text[..i].rsplit(' ').next().is_some_and(|word| {
                    word.chars().count() <= 3 && word.starts_with(char::is_uppercase)
                });
            "!?.".contains(c) && before_space && !title
        })
        .map(|(i, c)| i + c.len_utf8())
}

/// What the bot says when `text` breaks one of `rules`: their reprompt, with `{value}` the
/// refused text and `{slot}` the form's values, else `why`.
fn refusal_message(rules: &CheckedValidation, text: &str, form: &Form, why: String) -> String {
    match &rules.reprompt {
        Some(reprompt) => {
            let mut values = display(form);
            values.insert("value".into(), text.to_string());
            crate::intents::template::render(reprompt, &values)
        }
        None => why,
    }
}

/// Whether a number in `parse` counts people ("there will be 5 of us now"): a change of a
/// booking's party, said after it.
fn counts_people(words: &Lexicon, parse: &Parse) -> bool {
    parse
        .entities
        .iter()
        .any(|e| people_count(words, &parse.text, e).is_some())
}

/// The number in `entity` that the words around it say counts people, and where it is: "5"
/// of "5 of us now" or "two" of "the two" (of us), tagged as dates.
fn people_count(words: &Lexicon, text: &str, entity: &Entity) -> Option<(String, usize, usize)> {
    let mut start = entity.start;
    entity.value.split(' ').find_map(|word| {
        let (from, to) = (start, start + word.chars().count());
        start = to + 1;
        (crate::resolve::is_number(word) && words.counts_people(text, from, to))
            .then(|| (word.to_string(), from, to))
    })
}

/// Whether `parse` holds only its entities and the small words of a follow-up ("and
/// tomorrow?"), as [`Lexicon::is_follow_up`] reads it.
fn is_follow_up(words: &Lexicon, parse: &Parse) -> bool {
    let spans: Vec<(usize, usize)> = parse.entities.iter().map(|e| (e.start, e.end)).collect();
    words.is_follow_up(&parse.text, &spans)
}

/// The word before character `start` of `text`, lower-cased: "to" in "what about to Chicago?".
fn word_before(text: &str, start: usize) -> Option<String> {
    let before: String = text.chars().take(start).collect();
    let word = before.split_whitespace().last()?;
    Some(
        word.trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase(),
    )
}

/// The role that entities of type `entity` have after the word before `start` in the examples
/// of `intent`, when at least three examples show it and nine in ten agree.
fn role_after<'i>(intent: &'i Intent, entity: &str, text: &str, start: usize) -> Option<&'i str> {
    let mut roles: BTreeMap<Option<&str>, usize> = BTreeMap::new();
    for annotation in annotations_after(intent, text, start).filter(|a| a.entity == entity) {
        *roles.entry(annotation.role.as_deref()).or_default() += 1;
    }
    let total: usize = roles.values().sum();
    let (role, count) = roles.into_iter().max_by_key(|(_, count)| *count)?;
    (total >= 3 && count * 10 >= total * 9)
        .then_some(role)
        .flatten()
}

/// The annotations of `intent`'s examples that follow the word before `start` in `text`: what
/// the examples say that word leads to.
fn annotations_after<'i>(
    intent: &'i Intent,
    text: &str,
    start: usize,
) -> impl Iterator<Item = &'i Annotation> {
    let word = word_before(text, start);
    intent.examples.iter().flat_map(move |example| {
        let word = word.clone();
        example.annotations.iter().filter(move |annotation| {
            word.is_some() && word_before(&example.text, annotation.start) == word
        })
    })
}

/// Whether the word before `start` leads to `entity` more often than to `other` in the
/// examples of `intent`: "in" and "to" lead to places, so "to Southend-on-Sea", tagged a
/// date, may be a place.
fn leads_to_rather(intent: &Intent, text: &str, start: usize, entity: &str, other: &str) -> bool {
    let (mut leads, mut others) = (0, 0);
    for annotation in annotations_after(intent, text, start) {
        if annotation.entity == entity {
            leads += 1;
        } else if annotation.entity == other {
            others += 1;
        }
    }
    leads > others
}

/// The first slot whose value repeats the slot its `differs_from` rule names, emptied, with
/// what to say. Checked once the whole message has filled the form, so that "no, from Rome to
/// Paris" may swap two values.
fn repeated_value(replies: &Replies, form: &mut Form, intent: &Intent) -> Option<Refusal> {
    let (slot, message) = intent.slots.iter().find_map(|slot| {
        let rules = slot.validate.as_ref()?;
        let other = rules.differs_from.as_ref()?;
        let (value, others) = (form.slots.get(&slot.name)?, form.slots.get(other)?);
        value.same_as(others).then(|| {
            let why = fill(
                &replies.already,
                &[
                    ("value", &value.display),
                    ("slot", &other.replace('_', " ")),
                    ("question", &prompt(replies, slot, 0)),
                ],
            );
            (slot, refusal_message(rules, &value.text, form, why))
        })
    })?;
    form.slots.remove(&slot.name);
    Some(Refusal {
        slot: slot.name.clone(),
        message,
    })
}

fn validate(
    replies: &Replies,
    slot: &Slot,
    text: &str,
    value: &serde_json::Value,
    resolved: &Result<Resolved, Unresolved>,
    context: &Context,
    form: &Form,
) -> Result<(), String> {
    let Some(rules) = &slot.validate else {
        return Ok(());
    };
    let refuse = |why: String| refusal_message(rules, text, form, why);
    if !rules.values.is_empty() {
        let shown = value
            .as_str()
            .map_or_else(|| value.to_string(), str::to_string);
        if !rules.values.iter().any(|v| v.eq_ignore_ascii_case(&shown)) {
            let values = rules.values.join(", ");
            return Err(refuse(fill(
                &replies.not_one_of,
                &[("text", text), ("values", &values)],
            )));
        }
    }
    if let Some(pattern) = &rules.pattern {
        if !pattern.is_match(text) {
            return Err(refuse(fill(&replies.no_match, &[("text", text)])));
        }
    }
    if rules.min.is_some() || rules.max.is_some() || rules.integer {
        let Some(number) = value.as_f64() else {
            return Err(refuse(fill(&replies.not_a_number, &[("text", text)])));
        };
        if rules.integer && number.fract() != 0.0 {
            return Err(refuse(fill(&replies.not_whole, &[("text", text)])));
        }
        if rules.min.is_some_and(|min| number < min) || rules.max.is_some_and(|max| number > max) {
            let range = format!(
                "{}–{}",
                rules.min.map_or("…".into(), |m| m.to_string()),
                rules.max.map_or("…".into(), |m| m.to_string())
            );
            return Err(refuse(fill(
                &replies.out_of_range,
                &[("text", text), ("range", &range)],
            )));
        }
    }
    if let Some(hours) = rules.hours {
        let time = match resolved {
            Ok(Resolved::Time { value }) => Some(*value),
            Ok(Resolved::DateTime { value }) => Some(value.time()),
            _ => None,
        };
        if let Some(time) = time.filter(|&time| !hours.contains(time)) {
            let (time, hours) = (time.format("%H:%M").to_string(), hours.to_string());
            return Err(refuse(fill(
                &replies.out_of_hours,
                &[("time", &time), ("hours", &hours)],
            )));
        }
    }
    if rules.not_in_past {
        let now = context.now.naive_local();
        // A span is past once it has ended; a time of day alone means its next occurrence.
        let past = match resolved {
            Ok(Resolved::Date { value }) => *value < now.date(),
            Ok(Resolved::DateTime { value }) => *value < now,
            Ok(Resolved::Interval { to, .. }) => *to < now.date(),
            Ok(Resolved::TimeInterval { to, .. }) => *to < now,
            Ok(Resolved::Time { .. }) => false,
            _ => return Err(refuse(fill(&replies.not_a_date, &[("text", text)]))),
        };
        if past {
            return Err(refuse(fill(&replies.in_the_past, &[("text", text)])));
        }
    }
    if rules.single_day {
        if let Ok(Resolved::Interval { from, to }) = resolved {
            if from < to {
                return Err(which_day(
                    replies,
                    text,
                    *from,
                    *to,
                    chrono::Datelike::year(&context.now),
                ));
            }
        }
    }
    Ok(())
}

/// The question for one day of a span: its days, when there are few, else its bounds.
fn which_day(
    replies: &Replies,
    text: &str,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    year: i32,
) -> String {
    let day = |value| Resolved::Date { value }.display_in(year);
    let days: Vec<String> = from.iter_days().take_while(|d| *d <= to).map(day).collect();
    match days.split_last() {
        Some((last, others)) if days.len() <= 3 => fill(
            &replies.which_of_days,
            &[("days", &others.join(", ")), ("last", last)],
        ),
        _ => fill(
            &replies.which_day_between,
            &[
                ("text", text.trim()),
                ("from", &day(from)),
                ("to", &day(to)),
            ],
        ),
    }
}

/// `template` with each `{name}` of `values` filled ([`crate::intents::template::render`]).
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let values = values
        .iter()
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect();
    crate::intents::template::render(template, &values)
}
