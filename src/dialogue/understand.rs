//! Understanding: what a message means for the open conversation beyond the parse alone, the
//! slot it corrects, the value it refers to ("there", "then"), a bare answer the tagger missed,
//! a follow-up of the last action.

use super::retype::{people_count, role_after};
use super::state::{Completed, Conversation, Form, Refusal, SlotValue};
use super::{Dialogue, DIGRESSION_CONFIDENCE, MAX_LIST_WORDS, OVERWRITE_CONFIDENCE};
use crate::intents::{BuiltinResolver, Intent, Slot, SlotKind};
use crate::lang::Lexicon;
use crate::parse::{Entity, Parse};
use crate::resolve::{Context, Found, Resolved};
use std::collections::BTreeMap;

/// The names of the two slots that one entity fills, when `intent` has exactly two such (a
/// flight's origin and destination).
pub(super) fn twin_slots(intent: &Intent) -> Option<[&String; 2]> {
    let mut twins = intent.slots.iter().filter_map(|slot| {
        let entity = slot.entity.as_deref()?;
        let same: Vec<&Slot> = intent.slots.iter().filter(|s| s.takes(entity)).collect();
        (same.len() == 2 && same[0].name == slot.name).then(|| [&same[0].name, &same[1].name])
    });
    let pair = twins.next()?;
    twins.next().is_none().then_some(pair)
}

/// The one slot of `intent` that `text` names: by its name ("the party size"), else by its
/// entity ("the location"), else by a word of its questions ("the city", asked "In which
/// city?"). The most specific way wins: "the delivery time" names `delivery_time`, though
/// "delivery" is a word of the address's question too.
pub(super) fn slot_named<'i>(words: &Lexicon, intent: &'i Intent, text: &str) -> Option<&'i Slot> {
    let said = words.topic_words(text);
    let by_name = |slot: &Slot| words.names_slot(text, &slot.name);
    let by_entity = |slot: &Slot| {
        slot.entity
            .as_deref()
            .is_some_and(|entity| words.names_slot(text, entity))
    };
    let by_question = |slot: &Slot| {
        slot.prompts
            .iter()
            .flat_map(|prompt| words.topic_words(prompt))
            .any(|word| said.contains(&word))
    };
    let ways: [&dyn Fn(&Slot) -> bool; 3] = [&by_name, &by_entity, &by_question];
    for names in ways {
        let mut named = intent.slots.iter().filter(|slot| names(slot));
        if let Some(first) = named.next() {
            return named.next().is_none().then_some(first);
        }
    }
    None
}

/// A yes or a no, said while the bot asks for something else than yes or no.
pub(super) fn yes_or_no_to_open_question(words: &Lexicon, slot: &Slot, text: &str) -> bool {
    slot.kind != SlotKind::Boolean && (words.is_yes(text) || words.is_no(text))
}

/// The answer to the question for `slot` that the reply gives by itself, whatever the NLU
/// makes of it: the whole reply for a text slot, yes/no for a boolean, "none" for a list.
pub(super) fn direct_answer<'t>(words: &Lexicon, slot: &Slot, text: &'t str) -> Option<&'t str> {
    match slot.kind {
        SlotKind::Text => Some(text.trim()).filter(|t| !t.is_empty()),
        SlotKind::Boolean => (words.is_yes(text) || words.is_no(text)).then_some(text),
        SlotKind::List | SlotKind::Value => None,
    }
}

/// How a reply to the question for a free-text slot reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum TextReply {
    /// The whole reply is the text.
    Answer,
    /// The reply gives values for other slots of the form (the entities that resolve), and
    /// this text beside them.
    AnswerWith(String),
    /// The reply asks for something else, or gives other slots' values and no text the slot
    /// accepts: "how late are you open?", "add onions too".
    NotAnAnswer,
}

/// The entities of `parse` that give values to slots of `intent` other than `slot`: those
/// that resolve, and that another slot takes.
pub(super) fn other_slot_values<'p>(
    intent: &'p Intent,
    slot: &'p Slot,
    parse: &'p Parse,
) -> impl Iterator<Item = &'p Entity> {
    parse.entities.iter().filter(move |e| {
        e.resolved.is_some()
            && (intent.slots.iter()).any(|s| s.name != slot.name && s.takes(&e.entity))
    })
}

/// Whether a number in `parse` counts people ("there will be 5 of us now"): a change of a
/// booking's party, said after it.
pub(super) fn counts_people(words: &Lexicon, parse: &Parse) -> bool {
    parse
        .entities
        .iter()
        .any(|e| people_count(words, &parse.text, e).is_some())
}

/// Whether `parse` holds only its entities and the small words of a follow-up ("and
/// tomorrow?"), as [`Lexicon::is_follow_up`] reads it.
pub(super) fn is_follow_up(words: &Lexicon, parse: &Parse) -> bool {
    let spans: Vec<(usize, usize)> = parse.entities.iter().map(|e| (e.start, e.end)).collect();
    words.is_follow_up(&parse.text, &spans)
}

impl<'a> Dialogue<'a> {
    /// How `parse` reads as the answer to `slot`, a free-text slot of `intent` that `form`
    /// asks for. Any text could be the answer; so a reply is one unless the model reads
    /// another of the bot's intents in it with confidence (a digression), or values for the
    /// form's other slots, which leave the text beside them, where the slot accepts it.
    pub(super) fn text_reply(
        &self,
        form: &Form,
        intent: &Intent,
        slot: &Slot,
        parse: &Parse,
        context: &Context,
    ) -> TextReply {
        let digresses = parse.intent.confidence >= DIGRESSION_CONFIDENCE
            && self
                .understood(parse)
                .is_some_and(|other| other.name != form.intent);
        if digresses {
            return TextReply::NotAnAnswer;
        }
        let values: Vec<(usize, usize)> = other_slot_values(intent, slot, parse)
            .map(|e| (e.start, e.end))
            .collect();
        if values.is_empty() {
            return TextReply::Answer;
        }
        let accepts = |text: &str| {
            !text.is_empty() && self.set(&mut form.clone(), slot, text, context).is_ok()
        };
        let rest = self.words().longest_untagged(&parse.text, &values);
        // Where the text beside the values is no answer, the whole may be: "flat 3, 10 Corso
        // Como", with "10" tagged a time.
        if accepts(&rest) {
            TextReply::AnswerWith(rest)
        } else if accepts(&parse.text) {
            TextReply::Answer
        } else {
            TextReply::NotAnAnswer
        }
    }

    /// `parse` without the entities that, while a question is open, would only overwrite
    /// values given before, and that the tagger doubts: asked for the party size, "-3" is no
    /// new date (tagged "3" at 0.54).
    pub(super) fn without_doubtful_overwrites(
        &self,
        parse: &Parse,
        form: &Form,
        intent: &Intent,
    ) -> Parse {
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
    pub(super) fn untagged_correction<'i>(
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
    pub(super) fn place_correction<'i>(
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
    pub(super) fn fill_there<'i>(
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
    pub(super) fn listed_intent(&self, parse: &Parse) -> Option<&'a Intent> {
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
    pub(super) fn fill_referent_date(
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
    /// entities, and ten times fewer examples of all other requests. Dialogue acts name no
    /// topic: "cancel" is a word of the cancel act and of a bot's "cancel booking" alike.
    pub(super) fn names_intent(&self, intent: &Intent, text: &str) -> bool {
        let said = self.words().topic_words(text);
        // For each word said, how many examples of `intent`, and of all other requests, say it.
        let (mut own, mut others) = (vec![0; said.len()], vec![0; said.len()]);
        let requests = self.intents.intents.iter().filter(|of| of.act.is_none());
        for of in requests {
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
    pub(super) fn found_values<'i, 't>(
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
    pub(super) fn reads_a_value(&self, form: &Form, text: &str, context: &Context) -> bool {
        self.intents
            .intent(&form.intent)
            .is_some_and(|intent| self.found_values(intent, text, context).next().is_some())
    }

    /// Applies the [`untagged_correction`](Self::untagged_correction) of `text`, if any: `None`
    /// when there is none, else the refusal of its value, if refused.
    pub(super) fn correct_untagged(
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
    pub(super) fn part_of_day_said(&self, form: &Form) -> Option<&'static str> {
        let intent = self.intents.intent(&form.intent)?;
        let date = self.builtin_slots(intent, BuiltinResolver::Date).next()?;
        crate::resolve::hour_in_part_of_day(&form.slots.get(&date.name)?.text)
    }

    /// The tagged value (with the name after it, for a title alone: "Dr." of "Dr. House"), or
    /// when its built-in resolver cannot read it, the longest span of the
    /// message around it that it can read, else the longest part of it, unless the resolver
    /// says why it is wrong ("thursday 4 december" is a Friday). A number widens to the party
    /// it is part of.
    pub(super) fn widened(&self, entity: &Entity, text: &str, context: &Context) -> String {
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
    pub(super) fn anchor(
        &self,
        conversation: &Conversation,
        now: i64,
    ) -> Option<chrono::NaiveDate> {
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

    /// The last action, while a follow-up may still reuse its intent and slots.
    pub(super) fn recent_last<'c>(
        &self,
        conversation: &'c Conversation,
        now: i64,
    ) -> Option<&'c Completed> {
        let carry_over = self.intents.settings.carry_over_seconds as i64;
        conversation
            .last
            .as_ref()
            .filter(|last| now - last.at <= carry_over)
    }

    /// Fills the slot asked, still empty, from the words of the reply outside its tagged
    /// entities, where its date, time or number resolver finds a value there.
    pub(super) fn untagged_answer(
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

    /// The reply, filler aside, when all of it resolves as `slot`'s built-in entity to a
    /// known value (not a place the gazetteer lacks).
    pub(super) fn resolved_reply<'t>(
        &self,
        slot: &Slot,
        text: &'t str,
        context: &Context,
    ) -> Option<&'t str> {
        let entity = slot.entity.as_deref()?;
        self.resolvers.builtin_of(entity)?;
        let reply = self.words().strip_filler(text);
        self.reads_known(entity, reply, context).then_some(reply)
    }

    /// Whether the resolver of `entity` reads `text` as a value it knows: not as a place the
    /// gazetteer lacks.
    pub(super) fn reads_known(&self, entity: &str, text: &str, context: &Context) -> bool {
        self.resolvers
            .resolve(entity, text, context)
            .is_ok_and(|resolved| !matches!(resolved, Resolved::Value { .. }))
    }
}
