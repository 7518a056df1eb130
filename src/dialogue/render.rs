//! Rendering: the bot's replies from the bot's templates and the language's own replies.

use super::state::Form;
use super::Dialogue;
use crate::intents::template::fill;
use crate::intents::Slot;
use crate::lang::Replies;
use crate::parse::OUT_OF_SCOPE;
use std::collections::BTreeMap;

pub(super) fn prompt(replies: &Replies, slot: &Slot, asked: u32) -> String {
    // Only a slot without a question of its own ("passengers", with a default) that the user
    // names to change it is asked so.
    if slot.prompts.is_empty() {
        return asked_by_name(replies, &slot.name);
    }
    slot.prompts[asked as usize % slot.prompts.len()].clone()
}

/// The language's question for a slot that has none of its own, by its name ("What should
/// the party size be?").
pub(crate) fn asked_by_name(replies: &Replies, slot: &str) -> String {
    fill(&replies.ask_slot, &[("slot", &slot.replace('_', " "))])
}

pub(super) fn display(form: &Form) -> BTreeMap<String, String> {
    form.slots
        .iter()
        .map(|(k, v)| (k.clone(), v.display.clone()))
        .collect()
}

/// `message` without the question it ends with: "The practice is open 08:00 to 17:00." of
/// "The practice is open 08:00 to 17:00. At what time?".
pub(super) fn without_question(message: &str) -> &str {
    let mut kept = message.trim_end();
    while let Some(body) = kept.strip_suffix('?') {
        kept = body[..sentence_ends(body).last().unwrap_or(0)].trim_end();
    }
    kept
}

/// Where each sentence of `text` but the last ends: after a ".", "!" or "?" before a space,
/// except the dot of a title ("Dr. Smith", "Mrs. Jones").
pub(super) fn sentence_ends(text: &str) -> impl Iterator<Item = usize> + '_ {
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

impl<'a> Dialogue<'a> {
    /// The fallback reply, listing what the bot can do: the intents with slots, the services,
    /// rather than "greet" or "thank"; every intent in a bot that has none with slots.
    pub(super) fn fallback_text(&self) -> String {
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
}
