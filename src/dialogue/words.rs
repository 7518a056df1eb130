//! Yes, no and cancel: recognised by keywords rather than model intents, so that every bot
//! understands them without examples.

fn normalized(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '\'' {
                c
            } else {
                ' '
            }
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn matches_any(text: &str, phrases: &[&str]) -> bool {
    leading_phrase(text, phrases).is_some()
}

/// The phrase of `phrases` that `text` is, or starts with as whole words.
fn leading_phrase<'p>(text: &str, phrases: &[&'p str]) -> Option<&'p str> {
    let text = normalized(text);
    phrases
        .iter()
        .find(|p| text == **p || text.starts_with(&format!("{p} ")))
        .copied()
}

/// Whether `text` says one of `phrases` anywhere, as whole words.
fn says_any(text: &str, phrases: &[&str]) -> bool {
    let text = format!(" {} ", normalized(text));
    phrases
        .iter()
        .any(|phrase| text.contains(&format!(" {phrase} ")))
}

/// Whether `text` names the slot `name` in words: "change the origin to Boston" names
/// `origin`, "make the party size 6" names `party_size`.
pub(crate) fn names_slot(text: &str, name: &str) -> bool {
    says_any(text, &[&normalized(&name.replace('_', " "))])
}

/// The words of `text` that say what it is about: "For how many people?" → `people`.
pub(crate) fn topic_words(text: &str) -> Vec<String> {
    const SMALL: [&str; 52] = [
        "a", "an", "the", "which", "what", "when", "where", "who", "how", "many", "much", "for",
        "in", "at", "on", "to", "from", "by", "do", "does", "did", "you", "your", "we", "our",
        "want", "would", "like", "is", "are", "of", "it", "please", "and", "or", "with", "will",
        "be", "should", "shall", "can", "could", "i", "me", "my", "us", "that", "this", "there",
        "no", "not", "ok",
    ];
    normalized(text)
        .split(' ')
        .filter(|word| !word.is_empty() && !SMALL.contains(word))
        .map(str::to_string)
        .collect()
}

/// "change the date to friday", "move it to 8pm", "actually Rome", "make it 4 instead": a
/// message that corrects the open form rather than asking for something new.
pub(crate) fn is_correction(text: &str) -> bool {
    const LEAD: [&str; 15] = [
        "change",
        "move",
        "make",
        "switch",
        "actually",
        "wait",
        "instead",
        "rather",
        "sorry",
        "oops",
        "correction",
        "update",
        "modify",
        "edit",
        "not",
    ];
    const FILLER: [&str; 8] = ["no", "oh", "ok", "okay", "um", "uh", "well", "hmm"];
    // Asked politely, only a verb of changing is a correction: "could you change it to 9pm",
    // but not "can you make a booking".
    const POLITE: [&str; 16] = [
        "can", "could", "would", "will", "you", "we", "i", "i'd", "we'd", "let's", "please", "pls",
        "like", "to", "want", "need",
    ];
    const CHANGE: [&str; 9] = [
        "change",
        "move",
        "switch",
        "update",
        "modify",
        "edit",
        "reschedule",
        "make it",
        "make that",
    ];
    let first = without_lead(text, &FILLER);
    let asked = without_lead(&first, &POLITE);
    first
        .split(' ')
        .next()
        .is_some_and(|first| LEAD.contains(&first))
        || (asked != first && matches_any(&asked, &CHANGE))
        || normalized(text).ends_with(" instead")
}

/// Whether the "there" at `chars[from..to]` says that something exists ("there will be 5 of
/// us", "is there a flight"), rather than naming a place.
fn existential(chars: &[char], from: usize, to: usize) -> bool {
    const VERBS: [&str; 14] = [
        "is", "are", "was", "were", "will", "would", "could", "should", "might", "be", "'s", "'ll",
        "has", "have",
    ];
    let before: String = chars[..from].iter().collect();
    let after: String = chars[to..].iter().collect();
    let before = normalized(&before);
    let after = normalized(&after);
    let last = before.split(' ').next_back().unwrap_or_default();
    let next = after.split(' ').next().unwrap_or_default();
    VERBS.contains(&last) || VERBS.contains(&next) || after.starts_with('\'')
}

/// Where `text` says "there" (in characters), as in "what's the weather there?", and not "is
/// there a flight".
pub(crate) fn there_at(text: &str) -> Option<usize> {
    let chars: Vec<char> = text.chars().collect();
    let mut start = None;
    for (i, c) in chars.iter().chain([&' ']).enumerate() {
        if c.is_alphanumeric() || *c == '\'' {
            start.get_or_insert(i);
        } else if let Some(from) = start.take() {
            let word: String = chars[from..i].iter().collect();
            if word.eq_ignore_ascii_case("there") && !existential(&chars, from, i) {
                return Some(from);
            }
        }
    }
    None
}

/// Whether the words around a number at characters `start..end` of `text` say that it counts
/// people: "3 of us", "4 people", "we'll be 3", "a party of 6".
pub(crate) fn counts_people(text: &str, start: usize, end: usize) -> bool {
    const AFTER: [&str; 16] = [
        "people", "persons", "person", "ppl", "pax", "guests", "adults", "adult", "kids", "kid",
        "children", "child", "friends", "of us", "of them", "diners",
    ];
    const BEFORE: [&str; 8] = [
        "we'll be",
        "we will be",
        "we are",
        "we're",
        "there will be",
        "there'll be",
        "party of",
        "group of",
    ];
    // "for 4" counts (Duckling reads no hour or day in it), unless a unit follows: "for 2
    // nights", "for 8pm".
    const UNITS: [&str; 19] = [
        "night", "nights", "day", "days", "week", "weeks", "month", "months", "year", "years",
        "hour", "hours", "minute", "minutes", "min", "mins", "am", "pm", "o'clock",
    ];
    let after: String = text.chars().skip(end).collect();
    let before: String = text.chars().take(start).collect();
    let before = format!(" {}", normalized(&before));
    let said: String = text.chars().skip(start).take(end - start).collect();
    let counted_for = before.ends_with(" for")
        && crate::resolve::is_number(&said)
        && !matches_any(&after, &UNITS);
    counted_for
        || matches_any(&after, &AFTER)
        || BEFORE.iter().any(|p| before.ends_with(&format!(" {p}")))
}

/// What a correction says after its lead, as written: "sorry, I meant Rome" → "Rome",
/// "oh, actually Rome instead" → "Rome".
pub(crate) fn corrected(text: &str) -> &str {
    const LEAD: [&str; 16] = [
        "no", "oh", "ok", "okay", "um", "uh", "well", "hmm", "sorry", "oops", "actually", "wait",
        "i", "meant", "mean", "rather",
    ];
    let mut rest = text.trim();
    while let Some(word) = rest.split_whitespace().next() {
        let bare = word
            .trim_matches(|c: char| c.is_ascii_punctuation())
            .to_lowercase();
        if !LEAD.contains(&bare.as_str()) {
            break;
        }
        rest = rest[word.len()..].trim_start();
    }
    let rest = rest.trim_end_matches(|c: char| c.is_ascii_punctuation() || c.is_whitespace());
    let cut = rest.len().saturating_sub(" instead".len());
    match rest.get(cut..) {
        Some(end) if end.eq_ignore_ascii_case(" instead") => rest[..cut].trim_end(),
        _ => rest,
    }
}

/// What `text` says after its last "to", as written: "change the city to Florence" →
/// "Florence".
pub(crate) fn value_after_to(text: &str) -> Option<&str> {
    let at = text
        .char_indices()
        .rfind(|&(i, _)| {
            text.get(i..i + 4)
                .is_some_and(|to| to.eq_ignore_ascii_case(" to "))
        })?
        .0;
    let value = text[at + 4..]
        .trim()
        .trim_end_matches(|c: char| c.is_ascii_punctuation() || c.is_whitespace());
    (!value.is_empty()).then_some(value)
}

/// "switch them around", "the other way round", "swap": two values trade places.
pub(crate) fn is_swap(text: &str) -> bool {
    const SWAP: [&str; 9] = [
        "switch them",
        "swap them",
        "switch it around",
        "switch it round",
        "the other way",
        "other way around",
        "other way round",
        "vice versa",
        "swap",
    ];
    says_any(text, &SWAP)
}

/// Phrases that cancel an open form.
const CANCEL: [&str; 19] = [
    "cancel",
    "never mind",
    "nevermind",
    "stop",
    "forget it",
    "forget about it",
    "abort",
    "quit",
    "exit",
    "nothing",
    "scrap that",
    "scrap it",
    "start again",
    "start over",
    "let's start over",
    "i changed my mind",
    "changed my mind",
    "i don't want",
    "i do not want",
];

/// Words that may lead a cancel or a "nothing": "no, cancel", "oh wait, cancel that".
const REPLY_LEAD: [&str; 9] = [
    "no", "oh", "wait", "actually", "ok", "okay", "um", "uh", "please",
];

/// `text` normalized, without the words of `lead` it starts with: "no, cancel" → "cancel".
fn without_lead(text: &str, lead: &[&str]) -> String {
    let text = normalized(text);
    let words: Vec<&str> = text.split(' ').collect();
    let leading = words.iter().take_while(|w| lead.contains(w)).count();
    words[leading..].join(" ")
}

/// "cancel", "never mind", "stop", "forget it", "I don't want a table", also after "no", "oh",
/// "wait": "no, cancel", "oh wait, cancel that".
pub(crate) fn is_cancel(text: &str) -> bool {
    cancel_phrase(text).is_some()
}

/// The phrase of [`is_cancel`] that `text` cancels with.
pub(crate) fn cancel_phrase(text: &str) -> Option<&'static str> {
    leading_phrase(&without_lead(text, &REPLY_LEAD), &CANCEL)
}

/// "nothing", "nothing, book it", "no changes", "it's fine": asked what to change, the user
/// keeps it all.
pub(crate) fn is_nothing_to_change(text: &str) -> bool {
    const NOTHING: [&str; 8] = [
        "nothing",
        "none",
        "no changes",
        "no change",
        "keep it",
        "leave it",
        "it's fine",
        "all good",
    ];
    matches_any(&without_lead(text, &REPLY_LEAD), &NOTHING)
}

/// Exactly a cancel phrase and nothing else: the test while the bot waits for free text,
/// where "stop by the back door" is an answer.
pub(crate) fn is_only_cancel(text: &str) -> bool {
    CANCEL.contains(&normalized(text).as_str())
}

/// "none", "nothing", "no thanks": an empty answer to a list question.
pub(crate) fn is_none(text: &str) -> bool {
    matches_any(text, &["none", "nothing", "no", "nope", "nah", "neither"])
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

/// The edit that `gap`, the words between the previous item and this one, asks for. `None`
/// when the gap holds only "and", "or" and commas, so that the previous item's edit carries
/// on: "without onions, peppers and ham" removes all three. A message starts with `Add`.
pub(crate) fn list_edit(gap: &str) -> Option<ListEdit> {
    const REMOVE: [&str; 12] = [
        "no", "without", "remove", "minus", "hold", "drop", "not", "except", "skip", "delete",
        "off", "don't",
    ];
    const REPLACE: [&str; 3] = ["only", "just", "instead"];
    const ADD: [&str; 5] = ["add", "with", "plus", "extra", "also"];
    let gap = normalized(gap);
    let words: Vec<&str> = gap.split(' ').filter(|w| !w.is_empty()).collect();
    if words.iter().all(|w| matches!(*w, "and" | "or")) {
        return None;
    }
    let edit = words.iter().rev().find_map(|w| {
        if REMOVE.contains(w) {
            Some(ListEdit::Remove)
        } else if REPLACE.contains(w) {
            Some(ListEdit::Replace)
        } else if ADD.contains(w) {
            Some(ListEdit::Add)
        } else {
            None
        }
    });
    Some(edit.unwrap_or(ListEdit::Add))
}

/// Whether `text`, once the entity spans `entities` (character offsets) are taken out, holds
/// only the small words of a follow-up: "and tomorrow?", "what about Paris?", "same for
/// Madrid". "what is the weather in London" is a request of its own, and "what time is it in
/// Jeddah" a question about something else: neither reuses the last action's slots.
pub(crate) fn is_follow_up(text: &str, entities: &[(usize, usize)]) -> bool {
    const FOLLOW_UP: [&str; 48] = [
        "and", "or", "but", "so", "then", "also", "instead", "again", "same", "what", "how",
        "about", "if", "is", "it", "that", "there", "for", "in", "on", "at", "to", "from", "by",
        "with", "of", "the", "a", "an", "make", "please", "maybe", "ok", "okay", "actually",
        "well", "thanks", "thank", "you", "great", "cool", "oh", "hmm", "no", "sorry", "i",
        "meant", "mean",
    ];
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
        .all(|word| word.is_empty() || FOLLOW_UP.contains(&word))
}

/// Words that say yes, or that go with a yes ("go for it", "that's right", "yes please");
/// the first ones say it.
const YES_WORDS: [&str; 50] = [
    "yes",
    "yeah",
    "yea",
    "yep",
    "yup",
    "ya",
    "y",
    "sure",
    "ok",
    "okay",
    "k",
    "correct",
    "right",
    "confirm",
    "confirmed",
    "absolutely",
    "definitely",
    "course",
    "exactly",
    "perfect",
    "great",
    "fine",
    "alright",
    "good",
    "indeed",
    "cool",
    "awesome",
    "lovely",
    "go",
    "do",
    "book",
    "works",
    // Only with one of the above.
    "please",
    "thanks",
    "thank",
    "you",
    "it",
    "that's",
    "that",
    "is",
    "of",
    "for",
    "ahead",
    "all",
    "sounds",
    "looks",
    "thing",
    "me",
    "to",
    "booking",
];
/// How many of [`YES_WORDS`] say yes by themselves.
const SAYS_YES: usize = 32;

/// Phrases that say yes with words that may also say no ("why not").
const YES_PHRASES: [&str; 8] = [
    "uh huh",
    "mhm",
    "mm hmm",
    "why not",
    "sure why not",
    "let's do it",
    "lets do it",
    "let's go",
];

/// Signs that say yes: 👍 (with any skin tone), 👌, ✅, ✔.
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

/// "yes", "yeah", "sure", "that's right", "go for it", "yess", "👍": a yes and nothing else.
/// "absolutely not", "great yarmouth" and "yes but at 9pm" are not.
pub(crate) fn is_yes(text: &str) -> bool {
    if is_yes_sign(text) {
        return true;
    }
    let text = normalized(text);
    if YES_PHRASES.contains(&text.as_str()) {
        return true;
    }
    // "yess", "yeahhh", "okk": a yes word with its last letter held.
    let unheld = |word: &str| {
        let last = word.chars().last()?;
        let kept = word.trim_end_matches(last);
        Some(format!("{kept}{last}")).filter(|word| YES_WORDS.contains(&word.as_str()))
    };
    let text = text
        .split(' ')
        .map(|word| match YES_WORDS.contains(&word) {
            true => word.to_string(),
            false => unheld(word).unwrap_or_else(|| word.to_string()),
        })
        .collect::<Vec<_>>()
        .join(" ");
    let words: Vec<&str> = text.split(' ').collect();
    let position = |word: &&str| YES_WORDS.iter().position(|yes| yes == word);
    words.iter().all(|w| position(w).is_some())
        && words
            .iter()
            .any(|w| position(w).is_some_and(|i| i < SAYS_YES))
}

/// "yes, at 8pm", "sure, friday is fine": a yes that restates values, with no "but", "not"
/// or "instead" that would change them.
pub(crate) fn leads_with_yes(text: &str) -> bool {
    yes_then_no_change(text, &YES_WORDS[..SAYS_YES])
}

/// "yes book the table", "yes that's fine, thank you so much": a plain yes word first, and no
/// word after it that would change anything. Not "great yarmouth" nor "fine dining".
pub(crate) fn leads_with_plain_yes(text: &str) -> bool {
    yes_then_no_change(text, &PLAIN_YES)
}

/// Words that plainly say yes; the first [`STARTS_A_REPLY`] of them also make whatever follows
/// a reply ("ok" leads "ok bye" too).
const PLAIN_YES: [&str; 8] = ["yes", "yeah", "yep", "yup", "sure", "confirm", "ok", "okay"];
const STARTS_A_REPLY: usize = 6;

/// "yes but in Lyon", "yes no": a reply to the question asked, whatever else it says, as it
/// starts with a yes.
pub(crate) fn starts_with_yes(text: &str) -> bool {
    normalized(text)
        .split(' ')
        .next()
        .is_some_and(|first| PLAIN_YES[..STARTS_A_REPLY].contains(&first))
}

fn yes_then_no_change(text: &str, yes: &[&str]) -> bool {
    const CHANGE: [&str; 13] = [
        "but", "not", "no", "instead", "except", "change", "rather", "wait", "don't", "dont",
        "never", "cancel", "stop",
    ];
    let text = normalized(text);
    let mut words = text.split(' ');
    words.next().is_some_and(|first| yes.contains(&first))
        && words.all(|word| !CHANGE.contains(&word))
}

/// "what will the weather be like then?", "… that day": the message is about the day of the
/// form or action before it.
pub(crate) fn says_then(text: &str) -> bool {
    says_any(text, &["then", "that day", "the same day"])
}

/// "is that correct?", "ok?": a question, which asks rather than answers, even where its words
/// would say yes.
pub(crate) fn is_question(text: &str) -> bool {
    text.trim_end().ends_with('?')
}

/// "no", "nope", "not quite", also after "actually" or "oh": "actually no".
pub(crate) fn is_no(text: &str) -> bool {
    const LEAD: [&str; 8] = ["oh", "um", "uh", "well", "actually", "hmm", "sorry", "wait"];
    matches_any(
        &without_lead(text, &LEAD),
        &["no", "nope", "nah", "not quite", "wrong", "incorrect", "n"],
    )
}

/// "let me think", "hold on", "one moment please", "hmm": the user needs a moment before
/// answering. Only the whole message counts: "wait, make it 8pm" is a correction.
pub(crate) fn is_hold_on(text: &str) -> bool {
    hold_on(text) == Some(true)
}

/// Whether `text` starts by asking for a moment ("let me ask my wife", "hmm, friday"): no new
/// request, whatever else it says.
pub(crate) fn leads_with_hold_on(text: &str) -> bool {
    hold_on(text).is_some()
}

/// `Some(whole)` when `text` starts by asking for a moment, `whole` when it says nothing else.
fn hold_on(text: &str) -> Option<bool> {
    const HOLD_ON: [&[&str]; 14] = [
        &["hold", "on"],
        &["hang", "on"],
        &["wait"],
        &["let", "me", "think"],
        &["let", "me", "check"],
        &["let", "me", "see"],
        &["let", "me", "ask"],
        &["i", "need", "to", "think"],
        &["i'm", "thinking"],
        &["thinking"],
        &["give", "me"],
        &["hmm"],
        &["hmmm"],
        &["erm"],
    ];
    const MOMENTS: [&str; 9] = [
        "moment", "moments", "sec", "secs", "second", "seconds", "minute", "minutes", "bit",
    ];
    // What may come before a moment: "a sec", "one more moment", "2 minutes".
    const HOW_LONG: [&str; 9] = [
        "a", "one", "two", "few", "couple", "of", "more", "another", "just",
    ];
    const FILLER: [&str; 11] = [
        "please", "ok", "okay", "um", "uh", "oh", "so", "well", "about", "it", "that",
    ];
    let text = normalized(text);
    let mut words: &[&str] = &text.split(' ').collect::<Vec<_>>();
    let mut held = false;
    while let Some((first, rest)) = words.split_first() {
        let how_long = words
            .iter()
            .take_while(|w| HOW_LONG.contains(w) || w.bytes().all(|b| b.is_ascii_digit()))
            .count();
        if let Some(phrase) = HOLD_ON.iter().find(|p| words.starts_with(p)) {
            held = true;
            words = &words[phrase.len()..];
        } else if words.get(how_long).is_some_and(|w| MOMENTS.contains(w)) {
            held = true;
            words = &words[how_long + 1..];
        } else if FILLER.contains(first) || (held && MOMENTS.contains(first)) {
            words = rest;
        } else {
            return held.then_some(false);
        }
    }
    held.then_some(true)
}

/// "no", "no thanks", "not now": a no and nothing else, which asks for nothing.
pub(crate) fn is_bare_no(text: &str) -> bool {
    const BARE_NO: [&str; 11] = [
        "no",
        "nope",
        "nah",
        "no way",
        "not really",
        "no thanks",
        "no thank you",
        "no thx",
        "not now",
        "no need",
        "no it's fine",
    ];
    BARE_NO.contains(&normalized(text).as_str())
}

/// A bare answer without filler: "uh, Berlin please" → "Berlin".
pub(crate) fn strip_filler<'t>(text: &'t str) -> &'t str {
    const FILLER: [&str; 20] = [
        "please",
        "thanks",
        "thank you",
        "uh",
        "um",
        "hmm",
        "maybe",
        "well",
        "it's",
        "its",
        "it is",
        "make it",
        "let's say",
        "lets say",
        "let's do",
        "lets do",
        "let's go with",
        "say",
        "i'm in",
        "i am in",
    ];
    // Punctuation around the answer goes, but not the sign of "-3".
    let edges = |text: &'t str| {
        let text = text.trim_end_matches(|c: char| c.is_ascii_punctuation() || c.is_whitespace());
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
        for word in FILLER {
            let lower = rest.to_lowercase();
            if lower.starts_with(&format!("{word} ")) || lower.starts_with(&format!("{word},")) {
                rest = rest[word.len()..].trim_start_matches([' ', ',']);
            }
            if lower.ends_with(&format!(" {word}")) || lower.ends_with(&format!(", {word}")) {
                rest = rest[..rest.len() - word.len()].trim_end_matches([' ', ',']);
            }
        }
        if rest == before {
            return edges(rest);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords() {
        assert!(is_cancel("Never mind!"));
        assert!(is_cancel("stop it"));
        assert!(!is_cancel("stopover in Paris"));
        assert!(is_cancel("no, cancel"));
        assert!(is_cancel("oh wait, cancel that"));
        assert!(!is_cancel("no"));
        assert!(is_nothing_to_change("Nothing, thanks!"));
        assert!(is_nothing_to_change("actually nothing, book it"));
        assert!(is_nothing_to_change("no nothing"));
        assert!(!is_nothing_to_change("no mushrooms"));
        assert!(is_yes("Yes please"));
        assert!(is_no("nope."));
        assert!(is_bare_no("No thanks!"));
        assert_eq!(there_at("what's the weather there?"), Some(19));
        assert_eq!(there_at("Über there"), Some(5));
        assert_eq!(there_at("there's rain"), None);
        assert_eq!(there_at("there will be 5 of us"), None);
        assert_eq!(there_at("is there a flight to Rome"), None);
        assert!(counts_people("there will be 3 of us", 14, 15));
        assert!(counts_people("we'll be 3", 9, 10));
        assert!(!counts_people("at 3 tomorrow", 3, 4));
        assert!(counts_people("a taxi to Leeds for four", 20, 24));
        assert!(counts_people("from friday to sunday for 2", 26, 27));
        assert!(!counts_people("for 2 nights", 4, 5));
        assert!(!counts_people("for the 4th", 4, 11));
        assert_eq!(corrected("sorry, I meant Rome"), "Rome");
        assert_eq!(corrected("oh, actually Rome instead!"), "Rome");
        assert_eq!(corrected("change the date"), "change the date");
        assert!(!is_bare_no("no, Bergen"));
        assert!(!is_yes("yesterday"));
        assert!(is_yes("That's right!"));
        assert!(is_yes("sounds good, go for it"));
        assert!(is_yes("of course"));
        assert!(is_yes("that works for me"));
        assert!(is_yes("sounds good to me"));
        for text in [
            "absolutely not",
            "great yarmouth",
            "yes... no wait",
            "okay but earlier",
        ] {
            assert!(!is_yes(text), "{text}");
        }
        assert!(!is_yes("thanks"));
        assert!(leads_with_yes("yes, at 8pm"));
        assert!(!leads_with_yes("yes but at 9pm"));
        assert!(is_no("actually no"));
        assert!(names_slot("Change the origin to Boston!", "origin"));
        assert!(names_slot("make the party size 6", "party_size"));
        assert!(!names_slot("original plan", "origin"));
    }

    #[test]
    fn corrections_and_topics() {
        assert!(is_correction("change the date to friday"));
        assert!(is_correction("No, move it to 8pm"));
        assert!(is_correction("oh wait, actually Rome"));
        assert!(is_correction("can we do 7pm instead"));
        assert!(is_correction("can you change it to 9pm?"));
        assert!(is_correction("Could we please move it to friday"));
        assert!(is_correction("I'd like to change the date"));
        assert!(is_correction("we need to reschedule to monday"));
        assert!(is_correction("can you make it 9pm"));
        assert_eq!(
            value_after_to("change the city To São Paulo!"),
            Some("São Paulo")
        );
        assert_eq!(
            value_after_to("a flight from Oslo to Rome to Paris"),
            Some("Paris")
        );
        assert_eq!(value_after_to("change the city to"), None);
        assert_eq!(value_after_to("the city"), None);
        assert!(!is_correction("can you make a booking for tomorrow"));
        assert!(!is_correction("could you book a table in Rome"));
        assert!(!is_correction("book a flight to Paris"));
        assert!(!is_correction("what's the weather in Rome"));
        assert_eq!(topic_words("For how many people?"), ["people"]);
        assert!(is_swap("no, switch them around"));
        assert!(is_swap("The other way round!"));
        assert!(!is_swap("switch the date to friday"));
        assert_eq!(topic_words("no, the time"), ["time"]);
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
            assert!(is_hold_on(text), "{text}");
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
            assert!(!is_hold_on(text), "{text}");
        }
        assert!(leads_with_hold_on("let me ask my wife"));
        assert!(leads_with_hold_on("hmm, friday maybe"));
        assert!(!leads_with_hold_on("a table for 2"));
    }

    #[test]
    fn free_text_is_cancelled_only_by_a_bare_cancel() {
        assert!(is_only_cancel("Cancel!"));
        assert!(!is_only_cancel("stop by the back door"));
    }

    #[test]
    fn list_edits_are_read_from_the_words_before_each_item() {
        assert_eq!(list_edit("a large pizza with "), Some(ListEdit::Add));
        assert_eq!(list_edit(""), None);
        assert_eq!(list_edit(" and remove "), Some(ListEdit::Remove));
        assert_eq!(list_edit("hold the "), Some(ListEdit::Remove));
        assert_eq!(list_edit("actually just "), Some(ListEdit::Replace));
        assert_eq!(list_edit(" and "), None);
        assert_eq!(list_edit(", "), None);
        assert!(is_none("none, thanks"));
    }

    #[test]
    fn follow_ups_hold_only_small_words_beside_their_entities() {
        assert!(is_follow_up("and tomorrow?", &[(4, 12)]));
        assert!(is_follow_up("What about Paris?", &[(11, 16)]));
        assert!(is_follow_up("Oslo", &[(0, 4)]));
        assert!(is_follow_up("no, I meant Bergen", &[(12, 18)]));
        assert!(!is_follow_up("what is the weather in London", &[(23, 29)]));
        assert!(!is_follow_up("I need a flight to Lisbon", &[(19, 25)]));
        // Offsets count characters, not bytes.
        assert!(is_follow_up("and Tromsø?", &[(4, 10)]));
    }

    #[test]
    fn filler_is_stripped() {
        assert_eq!(strip_filler("uh, Berlin please"), "Berlin");
        assert_eq!(strip_filler("make it 4"), "4");
        assert_eq!(strip_filler("hmm, 9"), "9");
        assert_eq!(strip_filler("São Paulo."), "São Paulo");
        assert_eq!(strip_filler("-3!"), "-3");
    }
}
