//! Execution: values set into the form, each read by its slot's resolver and validated, list
//! edits applied, a date merged with a time, a range kept in order.

use super::render::prompt;
use super::retype::role_after;
use super::state::{Form, Refusal, SlotValue};
use super::understand::{twin_slots, yes_or_no_to_open_question};
use super::validate::validate;
use super::words::ListEdit;
use super::{Dialogue, BARE_ANSWER_WORDS, ROLE_CONFIDENCE};
use crate::intents::template::fill;
use crate::intents::{BuiltinResolver, Intent, Slot, SlotKind, SourceKind};
use crate::lang::Lexicon;
use crate::parse::{fillers, Entity, Parse, OUT_OF_SCOPE};
use crate::resolve::{Context, Resolved, Unresolved};

/// Reads, item by item, how one message edits a list slot.
#[derive(Default)]
pub(super) struct ListEdits {
    /// End (in characters) of the previous item.
    previous_end: usize,
    /// The previous item's edit, carried over "and" and commas.
    previous: Option<ListEdit>,
    /// A replace empties the list once per message, not before every item.
    replaced: bool,
}

impl ListEdits {
    pub(super) fn next(
        &mut self,
        words: &Lexicon,
        text: &str,
        start: usize,
        end: usize,
    ) -> ListEdit {
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

impl<'a> Dialogue<'a> {
    /// Fills slots from the parse's entities: by role, else the slot being asked, else the
    /// first empty slot of the entity's type (a correction overwrites a filled one).
    /// Returns the refusal when a value fails validation.
    pub(super) fn fill(
        &self,
        form: &mut Form,
        intent: &Intent,
        parse: &Parse,
        context: &Context,
    ) -> Option<Refusal> {
        let parse = &self.retyped(parse, intent, form, context);
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
            // A source's intent conditions say which messages its entity fills the slot from.
            let admitted = |slot: &Slot| {
                slot.entity_source(&entity.entity)
                    .is_none_or(|source| source.admits(&parse.intent.name))
            };
            let candidates: Vec<&Slot> = intent
                .slots
                .iter()
                .filter(|s| {
                    s.takes(&entity.entity) && admitted(s) && !used.contains(&s.name.as_str())
                })
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

    /// The answer for the asked `slot` from its first source that the reply gives (Rasa's
    /// slot mappings, in order): an entity of the source's type, the value of an intent the
    /// reply is read as, a yes or no, or the whole reply. `None` when no source gives one; else the refusal,
    /// if the value is refused.
    pub(super) fn fill_from_sources(
        &self,
        form: &mut Form,
        slot: &Slot,
        parse: &Parse,
        context: &Context,
    ) -> Option<Option<Refusal>> {
        // A value the source gives as it is, not as a resolver reads it.
        let mut give = |value: serde_json::Value| {
            let given = SlotValue::single(&parse.text, value.clone(), self.shown(&value));
            form.slots.insert(slot.name.clone(), given);
            Some(None)
        };
        for source in slot.from.iter().filter(|s| s.admits(&parse.intent.name)) {
            match &source.kind {
                SourceKind::Entity { entity, role, .. } => {
                    let tagged = parse
                        .entities
                        .iter()
                        .find(|e| &e.entity == entity && (role.is_none() || &e.role == role))
                        .map(|e| e.value.clone());
                    // Asked for this entity, a value of its lookup list is one, whatever
                    // the tagger took it for ("outside please" tagged a cuisine).
                    let listed = || {
                        let matches = self.resolvers.rule_matches(&parse.text);
                        matches
                            .into_iter()
                            .find(|m| &m.entity == entity)
                            .map(|m| m.text)
                    };
                    if let Some(value) = tagged.or_else(listed) {
                        return Some(self.set_or_refuse(form, slot, &value, context));
                    }
                }
                SourceKind::Intent { intent, value } if self.reads_as(parse, intent) => {
                    return give(value.clone());
                }
                SourceKind::Intent { .. } => {}
                SourceKind::YesNo => {
                    if let Some(yes) = self.yes_or_no(parse) {
                        return give(yes.into());
                    }
                }
                SourceKind::Text => {
                    let text = parse.text.trim();
                    if !text.is_empty() {
                        return Some(self.set_or_refuse(form, slot, text, context));
                    }
                }
            }
        }
        None
    }

    /// A value as the bot shows it: yes or no for a boolean, numbers and text as written.
    fn shown(&self, value: &serde_json::Value) -> String {
        match value {
            serde_json::Value::Bool(true) => self.replies().yes.clone(),
            serde_json::Value::Bool(false) => self.replies().no.clone(),
            serde_json::Value::String(text) => text.clone(),
            other => other.to_string(),
        }
    }

    /// The slot's own value for `text`, where an entity source maps it (`{outside: true}`):
    /// the entity's value (a synonym's canonical one) or the text as written.
    fn mapped_value(&self, slot: &Slot, text: &str, context: &Context) -> Option<SlotValue> {
        slot.from.iter().find_map(|source| {
            let SourceKind::Entity { entity, values, .. } = &source.kind else {
                return None;
            };
            let canonical = match self.resolvers.resolve(entity, text, context) {
                Ok(Resolved::Value { value }) => Some(value),
                _ => None,
            };
            let mapped = canonical
                .iter()
                .map(String::as_str)
                .chain([text.trim()])
                .find_map(|key| values.get(&key.to_lowercase()))?;
            Some(SlotValue::single(text, mapped.clone(), self.shown(mapped)))
        })
    }

    /// The whole reply as the answer for `slot`, when the tagger found nothing in it.
    pub(super) fn fill_from_reply(
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
    pub(super) fn set_or_refuse(
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
    pub(super) fn set(
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
    pub(super) fn date_and_time_slots(&self, form: &Form, slot: &Slot) -> Option<[&'a Slot; 2]> {
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
    pub(super) fn set_one(
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
    pub(super) fn range_start(&self, slot: &Slot, form: &Form) -> Option<chrono::NaiveDate> {
        let intent = self.intents.intent(&form.intent)?;
        let [first, second] = twin_slots(intent)?;
        if *second != slot.name || self.builtin(slot) != Some(BuiltinResolver::Date) {
            return None;
        }
        let start = form.slots.get(first)?.value.as_str()?;
        chrono::NaiveDate::parse_from_str(start, "%Y-%m-%d").ok()
    }

    /// The first and last day of the span `text` gives a `single_day` slot, which refuses it.
    pub(super) fn days_of_span(
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
    pub(super) fn edit_list(
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
    pub(super) fn value_of(
        &self,
        slot: &Slot,
        text: &str,
        context: &Context,
        form: &Form,
    ) -> Result<SlotValue, String> {
        if let Some(mapped) = self.mapped_value(slot, text, context) {
            return Ok(mapped);
        }
        if slot.kind == SlotKind::Boolean {
            let replies = self.replies();
            return (self.words().yes_or_no(text))
                .map(|yes| self.boolean(text, yes))
                .ok_or_else(|| {
                    fill(
                        &replies.answer_yes_or_no,
                        &[("question", &prompt(replies, slot, 0))],
                    )
                });
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

    /// A time of day already past on the date slot's day, when that slot refuses the past:
    /// "tonight at 8" said at 21:30. The time slot is emptied and asked again.
    pub(super) fn past_moment(
        &self,
        form: &mut Form,
        intent: &Intent,
        context: &Context,
    ) -> Option<Refusal> {
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
}
