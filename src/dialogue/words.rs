//! The dialogue's word rules: yes, no, cancel, "a moment", corrections, list edits and the
//! words around values, read with the lists of the bot's language ([`Lexicon`], data in
//! `lang/<code>/lexicon.yaml`). The rules are how lists combine (a phrase after leading filler,
//! a yes of yes words alone); every word they read is the language's.

use crate::lang::{normalized, Lexicon};

/// Whether `words` holds `word`.
fn has(words: &[String], word: &str) -> bool {
    words.iter().any(|w| w == word)
}

/// The phrase of `phrases` that `text` is, or starts with as whole words.
fn leading_phrase<'p>(text: &str, phrases: &'p [String]) -> Option<&'p str> {
    let text = normalized(text);
    phrases
        .iter()
        .find(|p| {
            text.strip_prefix(p.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
        })
        .map(String::as_str)
}

fn matches_any(text: &str, phrases: &[String]) -> bool {
    leading_phrase(text, phrases).is_some()
}

/// Whether `text` says one of `phrases` anywhere, as whole words.
fn says_any(text: &str, phrases: &[String]) -> bool {
    let text = format!(" {} ", normalized(text));
    phrases
        .iter()
        .any(|phrase| text.contains(&format!(" {phrase} ")))
}

/// A slot's or entity's name as said: `party_size` → "party size".
fn spoken(name: &str) -> String {
    normalized(&name.replace('_', " "))
}

/// `text` normalized, without the words of `lead` it starts with: "no, cancel" → "cancel".
fn without_lead(text: &str, lead: &[String]) -> String {
    let text = normalized(text);
    let words: Vec<&str> = text.split(' ').collect();
    let leading = words.iter().take_while(|w| has(lead, w)).count();
    words[leading..].join(" ")
}

/// `text` without the words of `lead` it starts with, as written (case and punctuation
/// kept): "sorry, I meant Rome" → "Rome" for a lead of "sorry", "i" and "meant".
fn after_words<'t>(text: &'t str, lead: &[String]) -> &'t str {
    let mut rest = text.trim();
    while let Some(word) = rest.split_whitespace().next() {
        if !has(lead, &normalized(word)) {
            break;
        }
        rest = rest[word.len()..].trim_start();
    }
    rest
}

/// `text` without a last word of `tail` (as written): "Rome instead" → "Rome".
fn without_tail<'t>(text: &'t str, tail: &[String]) -> &'t str {
    let Some((head, last)) = text.rsplit_once(' ') else {
        return text;
    };
    match has(tail, &normalized(last)) {
        true => head.trim_end(),
        false => text,
    }
}

/// Signs that say yes in any language: 👍 (with any skin tone), 👌, ✅, ✔.
fn is_yes_sign(text: &str) -> bool {
    let mut signs = text.chars().filter(|c| !c.is_whitespace()).peekable();
    signs.peek().is_some()
        && signs.all(|c| {
            matches!(
                c,
                '👍' | '👌' | '✅' | '✔' | '\u{fe0f}' | '\u{1f3fb}'..='\u{1f3ff}'
            )
        })
}

/// How a message changes a list slot, read from the words before each item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ListEdit {
    /// "pepperoni", "add olives", "with ham"
    Add,
    /// "no mushrooms", "without onions", "remove ham"
    Remove,
    /// "just pepperoni", "only cheese": the items of this message replace the list.
    Replace,
}

impl Lexicon {
    /// Whether `text` names the slot `name` in words: "change the origin to Boston" names
    /// `origin`, "make the party size 6" names `party_size`.
    pub(crate) fn names_slot(&self, text: &str, name: &str) -> bool {
        says_any(text, &[spoken(name)])
    }

    /// The first clause of `text` before character `end`, where a comma or a joining word
    /// ends it there: "yes" of "yes, and deliver it at 7:30pm" (with the time at `end`), none
    /// of "no mushrooms".
    pub(crate) fn first_clause<'t>(&self, text: &'t str, end: usize) -> Option<&'t str> {
        let end = text
            .char_indices()
            .nth(end)
            .map_or(text.len(), |(at, _)| at);
        let before = &text[..end];
        let mut at = 0;
        for word in before.split_inclusive(' ') {
            let bare = word.trim();
            if bare.ends_with(',') {
                // The comma is the piece's last character but whitespace.
                let comma = at + word.trim_end().len() - 1;
                return Some(before[..comma].trim()).filter(|c| !c.is_empty());
            }
            if has(&self.conjunctions, &normalized(bare)) {
                return Some(before[..at].trim()).filter(|c| !c.is_empty());
            }
            at += word.len();
        }
        None
    }

    /// What `text` says of the yes-or-no slot `name` that it names: yes ("with extra cheese
    /// actually"), no where a list's remove word comes before the name ("without extra
    /// cheese"), and `None` where it asks to change it ("change the extra cheese") or does
    /// not say the name.
    pub(crate) fn says_of_named(&self, text: &str, name: &str) -> Option<bool> {
        let text = format!(" {} ", normalized(text));
        let at = text.find(&format!(" {} ", spoken(name)))?;
        if says_any(&text, &self.change_verbs) {
            return None;
        }
        Some(self.list_edit(&text[..at]) != Some(ListEdit::Remove))
    }

    /// The words of `text` that say what it is about: "For how many people?" → `people`.
    pub(crate) fn topic_words(&self, text: &str) -> Vec<String> {
        normalized(text)
            .split(' ')
            .filter(|word| !word.is_empty() && !has(&self.small_words, word))
            .map(str::to_string)
            .collect()
    }

    /// "change the date to friday", "move it to 8pm", "actually Rome", "make it 4 instead": a
    /// message that corrects the open form rather than asking for something new.
    pub(crate) fn is_correction(&self, text: &str) -> bool {
        let first = without_lead(text, &self.correction_filler);
        let asked = without_lead(&first, &self.polite_lead);
        first
            .split(' ')
            .next()
            .is_some_and(|first| has(&self.correction_lead, first))
            || (asked != first && matches_any(&asked, &self.change_verbs))
            || normalized(text)
                .rsplit(' ')
                .next()
                .is_some_and(|last| has(&self.correction_tail, last))
    }

    /// Whether the "there" at `chars[from..to]` says that something exists ("there will be 5
    /// of us", "is there a flight"), rather than naming a place.
    fn existential(&self, chars: &[char], from: usize, to: usize) -> bool {
        let before: String = chars[..from].iter().collect();
        let after: String = chars[to..].iter().collect();
        let before = normalized(&before);
        let after = normalized(&after);
        let last = before.split(' ').next_back().unwrap_or_default();
        let next = after.split(' ').next().unwrap_or_default();
        has(&self.existential_verbs, last)
            || has(&self.existential_verbs, next)
            || after.starts_with('\'')
    }

    /// Where `text` says "there" (in characters), as in "what's the weather there?", and not
    /// "is there a flight".
    pub(crate) fn there_at(&self, text: &str) -> Option<usize> {
        let chars: Vec<char> = text.chars().collect();
        let mut start = None;
        for (i, c) in chars.iter().chain([&' ']).enumerate() {
            if c.is_alphanumeric() || *c == '\'' {
                start.get_or_insert(i);
            } else if let Some(from) = start.take() {
                let word: String = chars[from..i].iter().collect();
                if has(&self.place_there, &word.to_lowercase())
                    && !self.existential(&chars, from, i)
                {
                    return Some(from);
                }
            }
        }
        None
    }

    /// Whether the words around a number at characters `start..end` of `text` say that it
    /// counts people: "3 of us", "4 people", "we'll be 3", "a party of 6".
    pub(crate) fn counts_people(&self, text: &str, start: usize, end: usize) -> bool {
        let after: String = text.chars().skip(end).collect();
        let before: String = text.chars().take(start).collect();
        let before = format!(" {}", normalized(&before));
        let said: String = text.chars().skip(start).take(end - start).collect();
        let ends_with = |phrases: &[String]| {
            phrases
                .iter()
                .any(|phrase| before.ends_with(&format!(" {phrase}")))
        };
        // "for 4" counts (Duckling reads no hour or day in it), unless a unit follows: "for 2
        // nights", "for 8pm".
        let counted_for = ends_with(&self.people_for)
            && crate::resolve::is_number(&said)
            && !matches_any(&after, &self.count_units);
        counted_for || matches_any(&after, &self.people_after) || ends_with(&self.people_before)
    }

    /// Whether the word before a number (`before`, normalized) makes it an hour: "at 6".
    pub(crate) fn leads_an_hour(&self, before: &str) -> bool {
        has(&self.hour_lead, before)
    }

    /// Whether the word before a value (`before`, normalized) says that it is the one
    /// replaced: "Paris not Rome".
    pub(crate) fn replaces(&self, before: &str) -> bool {
        has(&self.replacing, before)
    }

    /// `text` without a last word that leads a head count ("friday to sunday for" →
    /// "friday to sunday").
    pub(crate) fn without_people_lead<'t>(&self, text: &'t str) -> &'t str {
        without_tail(text, &self.people_for)
    }

    /// `text` after a leading preposition of a place ("in Leeds" → "Leeds").
    pub(crate) fn after_place_lead<'t>(&self, text: &'t str) -> &'t str {
        after_lead(text, &self.place_lead)
    }

    /// `text` after a leading word for the end of a range ("to sunday" → "sunday", also "-").
    pub(crate) fn after_range_lead<'t>(&self, text: &'t str) -> &'t str {
        match text.strip_prefix("- ") {
            Some(rest) => rest,
            None => after_lead(text, &self.range_lead),
        }
    }

    /// Whether `text` (before a value) ends with a preposition of months: "in" of "in May".
    /// The length in characters of that preposition and its space, when it does.
    pub(crate) fn month_lead_before(&self, text: &str) -> Option<usize> {
        let lower = text.to_lowercase();
        self.month_lead.iter().find_map(|lead| {
            let at = lower.strip_suffix(' ')?.strip_suffix(lead.as_str())?;
            at.chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric())
                .then(|| lead.chars().count() + 1)
        })
    }

    /// Whether `text` joins two requests or items: "cancel and book a table in Rome".
    pub(crate) fn joins(&self, text: &str) -> bool {
        says_any(text, &self.conjunctions)
    }

    /// What a correction says after its lead, as written: "sorry, I meant Rome" → "Rome",
    /// "oh, actually Rome instead" → "Rome".
    pub(crate) fn corrected<'t>(&self, text: &'t str) -> &'t str {
        let rest = after_words(text, &self.corrected_lead)
            .trim_end_matches(|c: char| c.is_ascii_punctuation() || c.is_whitespace());
        without_tail(rest, &self.correction_tail)
    }

    /// What `text` says after its last "to", as written: "change the city to Florence" →
    /// "Florence".
    pub(crate) fn value_after_to<'t>(&self, text: &'t str) -> Option<&'t str> {
        let after_word = |space: usize| {
            self.value_after.iter().find_map(|word| {
                let end = space + 1 + word.len();
                let said = text.get(space + 1..end)?;
                (said.to_lowercase() == *word && text[end..].starts_with(' ')).then_some(end + 1)
            })
        };
        let at = text
            .char_indices()
            .rev()
            .filter(|&(_, c)| c == ' ')
            .find_map(|(space, _)| after_word(space))?;
        let value = text[at..]
            .trim()
            .trim_end_matches(|c: char| c.is_ascii_punctuation() || c.is_whitespace());
        (!value.is_empty()).then_some(value)
    }

    /// "switch them around", "the other way round", "swap": two values trade places.
    pub(crate) fn is_swap(&self, text: &str) -> bool {
        says_any(text, &self.swap)
    }

    /// "cancel", "never mind", "stop", "forget it", "I don't want a table", also after "no",
    /// "oh", "wait": "no, cancel", "oh wait, cancel that".
    pub(crate) fn is_cancel(&self, text: &str) -> bool {
        self.cancel_phrase(text).is_some()
    }

    /// The phrase of [`Lexicon::is_cancel`] that `text` cancels with.
    pub(crate) fn cancel_phrase(&self, text: &str) -> Option<&str> {
        leading_phrase(&without_lead(text, &self.reply_lead), &self.cancel)
    }

    /// "nothing", "nothing, book it", "no changes", "it's fine": asked what to change, the
    /// user keeps it all.
    pub(crate) fn is_nothing_to_change(&self, text: &str) -> bool {
        matches_any(&without_lead(text, &self.reply_lead), &self.keep_all)
    }

    /// Exactly a cancel phrase and nothing else: the test while the bot waits for free text,
    /// where "stop by the back door" is an answer.
    pub(crate) fn is_only_cancel(&self, text: &str) -> bool {
        has(&self.cancel, &normalized(text))
    }

    /// "none", "nothing", "no thanks": an empty answer to a list question.
    pub(crate) fn is_none(&self, text: &str) -> bool {
        matches_any(text, &self.none)
    }

    /// The edit that `gap`, the words between the previous item and this one, asks for.
    /// `None` when the gap holds only conjunctions and commas, so that the previous item's
    /// edit carries on: "without onions, peppers and ham" removes all three. A message starts
    /// with `Add`.
    pub(crate) fn list_edit(&self, gap: &str) -> Option<ListEdit> {
        let gap = normalized(gap);
        let words: Vec<&str> = gap.split(' ').filter(|w| !w.is_empty()).collect();
        if words.iter().all(|w| has(&self.conjunctions, w)) {
            return None;
        }
        let edit = words.iter().rev().find_map(|w| {
            if has(&self.list_remove, w) {
                Some(ListEdit::Remove)
            } else if has(&self.list_replace, w) {
                Some(ListEdit::Replace)
            } else if has(&self.list_add, w) {
                Some(ListEdit::Add)
            } else {
                None
            }
        });
        Some(edit.unwrap_or(ListEdit::Add))
    }

    /// The longest stretch of `text` between the entity spans `entities` (character offsets),
    /// as written, without the punctuation and the small, joining and list-edit words at its
    /// ends: "Via Dante 3, Milan" of "Via Dante 3, Milan, by 8pm" with "by 8pm" tagged, and of
    /// "Via Dante 3, Milan and add olives please" with "olives" tagged.
    pub(crate) fn longest_untagged(&self, text: &str, entities: &[(usize, usize)]) -> String {
        let chars: Vec<char> = text.chars().collect();
        let mut stretches: Vec<String> = vec![String::new()];
        for (i, c) in chars.iter().enumerate() {
            if entities
                .iter()
                .any(|&(start, end)| (start..end).contains(&i))
            {
                stretches.push(String::new());
            } else if let Some(stretch) = stretches.last_mut() {
                stretch.push(*c);
            }
        }
        let joins = |word: &str| {
            let word = normalized(word);
            word.is_empty()
                || [
                    &self.small_words,
                    &self.conjunctions,
                    &self.list_add,
                    &self.list_remove,
                    &self.list_replace,
                ]
                .iter()
                .any(|words| has(words, &word))
        };
        let trimmed = |stretch: &str| {
            let mut words: Vec<&str> = stretch.split_whitespace().collect();
            while words.last().is_some_and(|w| joins(w)) {
                words.pop();
            }
            let lead = words.iter().take_while(|w| joins(w)).count();
            let kept = words[lead..].join(" ");
            kept.trim_matches(|c: char| !c.is_alphanumeric())
                .to_string()
        };
        stretches
            .iter()
            .map(|stretch| trimmed(stretch))
            .max_by_key(|stretch| stretch.chars().count())
            .unwrap_or_default()
    }

    /// Whether `text`, once the entity spans `entities` (character offsets) are taken out,
    /// holds only the small words of a follow-up: "and tomorrow?", "what about Paris?", "same
    /// for Madrid". "what is the weather in London" is a request of its own, and "what time is
    /// it in Jeddah" a question about something else: neither reuses the last action's slots.
    pub(crate) fn is_follow_up(&self, text: &str, entities: &[(usize, usize)]) -> bool {
        let rest: String = text
            .chars()
            .enumerate()
            .map(|(i, c)| {
                if entities
                    .iter()
                    .any(|&(start, end)| (start..end).contains(&i))
                {
                    ' '
                } else {
                    c
                }
            })
            .collect();
        normalized(&rest)
            .split(' ')
            .all(|word| word.is_empty() || has(&self.follow_up_words, word))
    }

    /// "yes", "yeah", "sure", "that's right", "go for it", "yess", "👍": a yes and nothing
    /// else. "absolutely not", "great yarmouth" and "yes but at 9pm" are not.
    pub(crate) fn is_yes(&self, text: &str) -> bool {
        if is_yes_sign(text) {
            return true;
        }
        let text = normalized(text);
        if has(&self.yes_phrases, &text) {
            return true;
        }
        let says_yes = |word: &str| has(&self.yes, word);
        let goes_with_yes = |word: &str| says_yes(word) || has(&self.yes_companions, word);
        // "yess", "yeahhh", "okk": a yes word with its last letter held.
        let unheld = |word: &str| {
            let last = word.chars().last()?;
            let kept = word.trim_end_matches(last);
            Some(format!("{kept}{last}")).filter(|word| goes_with_yes(word))
        };
        let words: Vec<String> = text
            .split(' ')
            .map(|word| match goes_with_yes(word) {
                true => word.to_string(),
                false => unheld(word).unwrap_or_else(|| word.to_string()),
            })
            .collect();
        words.iter().all(|w| goes_with_yes(w)) && words.iter().any(|w| says_yes(w))
    }

    /// "yes, at 8pm", "sure, friday is fine": a yes that restates values, with no "but",
    /// "not" or "instead" that would change them.
    pub(crate) fn leads_with_yes(&self, text: &str) -> bool {
        self.yes_then_no_change(text, |word| has(&self.yes, word))
    }

    /// "yes book the table", "yes that's fine, thank you so much": a plain yes word first,
    /// and no word after it that would change anything. Not "great yarmouth" nor "fine
    /// dining".
    pub(crate) fn leads_with_plain_yes(&self, text: &str) -> bool {
        self.yes_then_no_change(text, |word| {
            has(&self.plain_yes, word) || has(&self.plain_ok, word)
        })
    }

    /// "yes but in Lyon", "yes no": a reply to the question asked, whatever else it says, as
    /// it starts with a yes.
    pub(crate) fn starts_with_yes(&self, text: &str) -> bool {
        normalized(text)
            .split(' ')
            .next()
            .is_some_and(|first| has(&self.plain_yes, first))
    }

    fn yes_then_no_change(&self, text: &str, yes: impl Fn(&str) -> bool) -> bool {
        let text = normalized(text);
        let mut words = text.split(' ');
        words.next().is_some_and(yes) && words.all(|word| !has(&self.yes_but, word))
    }

    /// "what will the weather be like then?", "… that day": the message is about the day of
    /// the form or action before it.
    pub(crate) fn says_then(&self, text: &str) -> bool {
        says_any(text, &self.then)
    }

    /// The yes (`true`) or no that `text` says in the language's words; `None` for neither or
    /// both.
    pub(crate) fn yes_or_no(&self, text: &str) -> Option<bool> {
        match (self.is_yes(text), self.is_no(text)) {
            (true, false) => Some(true),
            (false, true) => Some(false),
            _ => None,
        }
    }

    /// "no", "nope", "not quite", also after "actually" or "oh": "actually no".
    pub(crate) fn is_no(&self, text: &str) -> bool {
        matches_any(&without_lead(text, &self.no_lead), &self.no)
    }

    /// "let me think", "hold on", "one moment please", "hmm": the user needs a moment before
    /// answering. Only the whole message counts: "wait, make it 8pm" is a correction.
    pub(crate) fn is_hold_on(&self, text: &str) -> bool {
        self.hold_on(text) == Some(true)
    }

    /// Whether `text` starts by asking for a moment ("let me ask my wife", "hmm, friday"): no
    /// new request, whatever else it says.
    pub(crate) fn leads_with_hold_on(&self, text: &str) -> bool {
        self.hold_on(text).is_some()
    }

    /// `Some(whole)` when `text` starts by asking for a moment, `whole` when it says nothing
    /// else.
    fn hold_on(&self, text: &str) -> Option<bool> {
        let text = normalized(text);
        let mut words: &[&str] = &text.split(' ').collect::<Vec<_>>();
        let mut held = false;
        let starts_with = |words: &[&str], phrase: &str| {
            let phrase: Vec<&str> = phrase.split(' ').collect();
            words.starts_with(&phrase).then_some(phrase.len())
        };
        while let Some((first, rest)) = words.split_first() {
            let how_long = words
                .iter()
                .take_while(|w| has(&self.how_long, w) || w.bytes().all(|b| b.is_ascii_digit()))
                .count();
            if let Some(len) = self.hold_on.iter().find_map(|p| starts_with(words, p)) {
                held = true;
                words = &words[len..];
            } else if words.get(how_long).is_some_and(|w| has(&self.moments, w)) {
                held = true;
                words = &words[how_long + 1..];
            } else if has(&self.hold_on_filler, first) || (held && has(&self.moments, first)) {
                words = rest;
            } else {
                return held.then_some(false);
            }
        }
        held.then_some(true)
    }

    /// "no", "no thanks", "not now": a no and nothing else, which asks for nothing.
    pub(crate) fn is_bare_no(&self, text: &str) -> bool {
        has(&self.bare_no, &normalized(text))
    }

    /// A bare answer without filler: "uh, Berlin please" → "Berlin".
    pub(crate) fn strip_filler<'t>(&self, text: &'t str) -> &'t str {
        // Punctuation around the answer goes, but not the sign of "-3".
        let edges = |text: &'t str| {
            let text =
                text.trim_end_matches(|c: char| c.is_ascii_punctuation() || c.is_whitespace());
            let start = text
                .char_indices()
                .find(|&(i, c)| {
                    !(c.is_ascii_punctuation() || c.is_whitespace())
                        || (c == '-' && text[i + 1..].starts_with(|d: char| d.is_ascii_digit()))
                })
                .map_or(text.len(), |(i, _)| i);
            &text[start..]
        };
        let mut rest = edges(text);
        loop {
            let before = rest;
            for word in &self.answer_filler {
                // Compared as written, so that a letter whose lower case is longer or shorter
                // ("İ", the Kelvin sign) cannot shift where the cut falls.
                let said =
                    |part: Option<&str>| part.is_some_and(|part| part.to_lowercase() == *word);
                let rest_after = rest.get(word.len()..).unwrap_or_default();
                if said(rest.get(..word.len())) && rest_after.starts_with([' ', ',']) {
                    rest = rest_after.trim_start_matches([' ', ',']);
                }
                let cut = rest.len().saturating_sub(word.len());
                let rest_before = rest.get(..cut).unwrap_or_default();
                if cut > 0 && said(rest.get(cut..)) && rest_before.ends_with([' ', ',']) {
                    rest = rest_before.trim_end_matches([' ', ',']);
                }
            }
            if rest == before {
                return edges(rest);
            }
        }
    }
}

/// `text` after the first of `leads` it starts with and a space: "in Leeds" → "Leeds".
fn after_lead<'t>(text: &'t str, leads: &[String]) -> &'t str {
    leads
        .iter()
        .find_map(|lead| {
            text.strip_prefix(lead.as_str())
                .and_then(|rest| rest.strip_prefix(' '))
        })
        .unwrap_or(text)
}

/// "is that correct?", "ok?": a question, which asks rather than answers, even where its words
/// would say yes.
pub(crate) fn is_question(text: &str) -> bool {
    text.trim_end().ends_with('?')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Language;

    fn en() -> Lexicon {
        Language::default().lexicon
    }

    #[test]
    fn keywords() {
        assert!(en().is_cancel("Never mind!"));
        assert!(en().is_cancel("stop it"));
        assert!(!en().is_cancel("stopover in Paris"));
        assert!(en().is_cancel("no, cancel"));
        assert!(en().is_cancel("oh wait, cancel that"));
        assert!(!en().is_cancel("no"));
        assert!(en().is_nothing_to_change("Nothing, thanks!"));
        assert!(en().is_nothing_to_change("actually nothing, book it"));
        assert!(en().is_nothing_to_change("no nothing"));
        assert!(!en().is_nothing_to_change("no mushrooms"));
        assert!(en().is_yes("Yes please"));
        assert!(en().is_no("nope."));
        assert!(en().is_bare_no("No thanks!"));
        assert_eq!(en().there_at("what's the weather there?"), Some(19));
        assert_eq!(en().there_at("Über there"), Some(5));
        assert_eq!(en().there_at("there's rain"), None);
        assert_eq!(en().there_at("there will be 5 of us"), None);
        assert_eq!(en().there_at("is there a flight to Rome"), None);
        assert!(en().counts_people("there will be 3 of us", 14, 15));
        assert!(en().counts_people("we'll be 3", 9, 10));
        assert!(!en().counts_people("at 3 tomorrow", 3, 4));
        assert!(en().counts_people("a taxi to Leeds for four", 20, 24));
        assert!(en().counts_people("from friday to sunday for 2", 26, 27));
        assert!(!en().counts_people("for 2 nights", 4, 5));
        assert!(!en().counts_people("for the 4th", 4, 11));
        assert_eq!(en().corrected("sorry, I meant Rome"), "Rome");
        assert_eq!(en().corrected("oh, actually Rome instead!"), "Rome");
        assert_eq!(en().corrected("change the date"), "change the date");
        assert!(!en().is_bare_no("no, Bergen"));
        assert!(!en().is_yes("yesterday"));
        assert!(en().is_yes("That's right!"));
        assert!(en().is_yes("sounds good, go for it"));
        assert!(en().is_yes("of course"));
        assert!(en().is_yes("that works for me"));
        assert!(en().is_yes("sounds good to me"));
        for text in [
            "absolutely not",
            "great yarmouth",
            "yes... no wait",
            "okay but earlier",
        ] {
            assert!(!en().is_yes(text), "{text}");
        }
        assert!(!en().is_yes("thanks"));
        assert!(en().leads_with_yes("yes, at 8pm"));
        assert!(!en().leads_with_yes("yes but at 9pm"));
        assert!(en().is_no("actually no"));
        assert!(en().names_slot("Change the origin to Boston!", "origin"));
        assert!(en().names_slot("make the party size 6", "party_size"));
        assert!(!en().names_slot("original plan", "origin"));
    }

    #[test]
    fn corrections_and_topics() {
        assert!(en().is_correction("change the date to friday"));
        assert!(en().is_correction("No, move it to 8pm"));
        assert!(en().is_correction("oh wait, actually Rome"));
        assert!(en().is_correction("can we do 7pm instead"));
        assert!(en().is_correction("can you change it to 9pm?"));
        assert!(en().is_correction("Could we please move it to friday"));
        assert!(en().is_correction("I'd like to change the date"));
        assert!(en().is_correction("we need to reschedule to monday"));
        assert!(en().is_correction("can you make it 9pm"));
        assert_eq!(
            en().value_after_to("change the city To São Paulo!"),
            Some("São Paulo")
        );
        assert_eq!(
            en().value_after_to("a flight from Oslo to Rome to Paris"),
            Some("Paris")
        );
        assert_eq!(en().value_after_to("change the city to"), None);
        assert_eq!(en().value_after_to("the city"), None);
        assert!(!en().is_correction("can you make a booking for tomorrow"));
        assert!(!en().is_correction("could you book a table in Rome"));
        assert!(!en().is_correction("book a flight to Paris"));
        assert!(!en().is_correction("what's the weather in Rome"));
        assert_eq!(en().topic_words("For how many people?"), ["people"]);
        assert!(en().is_swap("no, switch them around"));
        assert!(en().is_swap("The other way round!"));
        assert!(!en().is_swap("switch the date to friday"));
        assert_eq!(en().topic_words("no, the time"), ["time"]);
    }

    #[test]
    fn holding_on_is_the_whole_message() {
        for text in [
            "let me think",
            "Hold on a sec",
            "wait a second",
            "one moment please",
            "just a minute",
            "hmm, let me think about it",
            "give me a moment",
            "ok wait",
            "one more moment please",
            "give me 2 minutes",
        ] {
            assert!(en().is_hold_on(text), "{text}");
        }
        for text in [
            "wait, make it 8pm",
            "one",
            "a table",
            "just 2",
            "ok",
            "please",
            "wait at the door",
            "",
        ] {
            assert!(!en().is_hold_on(text), "{text}");
        }
        assert!(en().leads_with_hold_on("let me ask my wife"));
        assert!(en().leads_with_hold_on("hmm, friday maybe"));
        assert!(!en().leads_with_hold_on("a table for 2"));
    }

    #[test]
    fn free_text_is_cancelled_only_by_a_bare_cancel() {
        assert!(en().is_only_cancel("Cancel!"));
        assert!(!en().is_only_cancel("stop by the back door"));
    }

    #[test]
    fn the_longest_untagged_stretch_loses_its_joining_words() {
        let text = "Via Dante 3, Milan, by 8pm";
        assert_eq!(
            en().longest_untagged(text, &[(20, 26)]),
            "Via Dante 3, Milan"
        );
        let text = "by 8pm to Via Roma 12, and add olives please";
        assert_eq!(
            en().longest_untagged(text, &[(0, 6), (31, 37)]),
            "Via Roma 12"
        );
        assert_eq!(en().longest_untagged("add onions", &[(4, 10)]), "");
    }

    #[test]
    fn a_first_clause_ends_at_a_comma_or_a_joining_word() {
        let text = "yes, and deliver it at 7:30pm";
        assert_eq!(en().first_clause(text, 23), Some("yes"));
        assert_eq!(en().first_clause("yes and add olives", 12), Some("yes"));
        assert_eq!(en().first_clause("no mushrooms", 3), None);
        assert_eq!(en().first_clause(", olives", 2), None);
        assert_eq!(en().first_clause("\tsí, olives", 5), Some("sí"));
    }

    #[test]
    fn a_yes_or_no_slot_named_is_set_unless_asked_to_change() {
        let says = |text| en().says_of_named(text, "extra_cheese");
        assert_eq!(says("with extra cheese actually"), Some(true));
        assert_eq!(says("actually, no extra cheese"), Some(false));
        assert_eq!(says("change the extra cheese"), None);
        assert_eq!(says("with olives"), None);
    }

    #[test]
    fn list_edits_are_read_from_the_words_before_each_item() {
        assert_eq!(en().list_edit("a large pizza with "), Some(ListEdit::Add));
        assert_eq!(en().list_edit(""), None);
        assert_eq!(en().list_edit(" and remove "), Some(ListEdit::Remove));
        assert_eq!(en().list_edit("hold the "), Some(ListEdit::Remove));
        assert_eq!(en().list_edit("actually just "), Some(ListEdit::Replace));
        assert_eq!(en().list_edit(" and "), None);
        assert_eq!(en().list_edit(", "), None);
        assert!(en().is_none("none, thanks"));
    }

    #[test]
    fn follow_ups_hold_only_small_words_beside_their_entities() {
        assert!(en().is_follow_up("and tomorrow?", &[(4, 12)]));
        assert!(en().is_follow_up("What about Paris?", &[(11, 16)]));
        assert!(en().is_follow_up("Oslo", &[(0, 4)]));
        assert!(en().is_follow_up("no, I meant Bergen", &[(12, 18)]));
        assert!(!en().is_follow_up("what is the weather in London", &[(23, 29)]));
        assert!(!en().is_follow_up("I need a flight to Lisbon", &[(19, 25)]));
        // Offsets count characters, not bytes.
        assert!(en().is_follow_up("and Tromsø?", &[(4, 10)]));
    }

    #[test]
    fn filler_is_stripped() {
        assert_eq!(en().strip_filler("uh, Berlin please"), "Berlin");
        assert_eq!(en().strip_filler("make it 4"), "4");
        assert_eq!(en().strip_filler("hmm, 9"), "9");
        assert_eq!(en().strip_filler("São Paulo."), "São Paulo");
        assert_eq!(en().strip_filler("-3!"), "-3");
        // A letter whose lower case has another length is no filler, and cuts nothing.
        assert_eq!(en().strip_filler("\u{212A}k Berlin"), "\u{212A}k Berlin");
        assert_eq!(
            en().strip_filler("than\u{212A}s Berlin"),
            "than\u{212A}s Berlin"
        );
        assert_eq!(en().strip_filler("İİ please"), "İİ");
        assert_eq!(en().strip_filler("thanks, Oslo, thanks"), "Oslo");
    }
}
