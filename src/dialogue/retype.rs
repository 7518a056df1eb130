//! The tagger's spans read again against the intent's slots: a value after "not" that is
//! replaced, a head count run into a date, two values run into one span, a place tagged as a
//! date, by the words around them and by the examples of the intent.

use super::state::Form;
use super::understand::twin_slots;
use super::Dialogue;
use crate::intents::{Annotation, BuiltinResolver, Intent, Slot};
use crate::lang::Lexicon;
use crate::parse::{Entity, Parse};
use crate::resolve::{Context, Resolved};
use std::collections::BTreeMap;

/// The number in `entity` that the words around it say counts people, and where it is: "5"
/// of "5 of us now" or "two" of "the two" (of us), tagged as dates.
pub(super) fn people_count(
    words: &Lexicon,
    text: &str,
    entity: &Entity,
) -> Option<(String, usize, usize)> {
    let mut start = entity.start;
    entity.value.split(' ').find_map(|word| {
        let (from, to) = (start, start + word.chars().count());
        start = to + 1;
        (crate::resolve::is_number(word) && words.counts_people(text, from, to))
            .then(|| (word.to_string(), from, to))
    })
}

/// The word before character `start` of `text`, lower-cased: "to" in "what about to Chicago?".
pub(super) fn word_before(text: &str, start: usize) -> Option<String> {
    let before: String = text.chars().take(start).collect();
    let word = before.split_whitespace().last()?;
    Some(
        word.trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase(),
    )
}

/// The role that entities of type `entity` have after the word before `start` in the examples
/// of `intent`, when at least three examples show it and nine in ten agree.
pub(super) fn role_after<'i>(
    intent: &'i Intent,
    entity: &str,
    text: &str,
    start: usize,
) -> Option<&'i str> {
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
pub(super) fn annotations_after<'i>(
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
pub(super) fn leads_to_rather(
    intent: &Intent,
    text: &str,
    start: usize,
    entity: &str,
    other: &str,
) -> bool {
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

impl<'a> Dialogue<'a> {
    /// `parse` with entities given the type their words say, whatever type the tagger gave
    /// them, and without those "not" replaces ("Paris not Rome"): two values split off the
    /// span the tagger ran them into ("Paris tmrw", "8pm in Leeds"); a bare number that counts
    /// people ("3 of us", "we'll be 3") to the intent's number slot, so that "there will be 3
    /// of us" is no date (nor anything, without such a slot); a time, date, place or month
    /// that no resolver of its tagged type reads to the slot that reads it; a bare number
    /// after "at" to its time slot, so that "at 6" is no party of six.
    pub(super) fn retyped(
        &self,
        parse: &Parse,
        intent: &Intent,
        form: &Form,
        context: &Context,
    ) -> Parse {
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
        // The value that replaces it fills the slot that held it: Porto of "not Lisbon, Porto"
        // is the destination where Lisbon was, whatever role the tagger gave it.
        let held_role = |entity: &Entity| {
            let holds = |slot: &&Slot| {
                slot.takes(&entity.entity)
                    && form.slots.get(&slot.name).is_some_and(|value| {
                        value.text.trim().eq_ignore_ascii_case(entity.value.trim())
                    })
            };
            intent.slots.iter().find(holds)?.role.clone()
        };
        let roles: Vec<(String, String)> = (parse.entities.iter())
            .filter(|entity| replaced(entity))
            .filter_map(|entity| Some((entity.entity.clone(), held_role(entity)?)))
            .collect();
        parse.entities = parse
            .entities
            .iter()
            .filter(|entity| !replaced(entity))
            .cloned()
            .collect();
        if let [(of_type, role)] = roles.as_slice() {
            let mut replacing = (parse.entities.iter_mut()).filter(|e| &e.entity == of_type);
            if let (Some(entity), None) = (replacing.next(), replacing.next()) {
                entity.role = Some(role.clone());
            }
        }
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
    pub(super) fn split_off_count(
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
    pub(super) fn split_run_on(
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
    pub(super) fn misread(
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
}
