//! Languages as data: the words that the dialogue's rules read ([`Lexicon`]), the replies
//! that the engine writes itself ([`Replies`]) and the pack of dialogue acts that every bot's
//! model learns (yes, no, cancel, … as intents: `acts.yaml`).
//!
//! Each language slotfill ships is a folder of the repository's `lang/` (`lang/en/lexicon.yaml`,
//! `lang/en/replies.yaml`, `lang/en/acts.yaml`), built into the library; adding a language is
//! adding a folder and its code to [`SHIPPED`]. A bot folder may hold the same files under
//! `lang/<code>/` of its own: each entry it names replaces the shipped entry of the same name,
//! and for a language slotfill does not ship they are the whole language.
//!
//! ```
//! use slotfill::lang::Language;
//! let english = Language::shipped("en").unwrap();
//! assert!(english.lexicon.cancel.iter().any(|phrase| phrase == "never mind"));
//! assert_eq!(english.replies.cancelled, "Okay, cancelled.");
//! assert!(Language::shipped("xx").is_none());
//! ```

use serde::Deserialize;
use std::sync::OnceLock;

/// A language built into slotfill: its code and the text of its files.
pub struct Shipped {
    /// ISO 639-1 code.
    pub code: &'static str,
    /// `lang/<code>/lexicon.yaml`.
    pub lexicon: &'static str,
    /// `lang/<code>/replies.yaml`.
    pub replies: &'static str,
    /// `lang/<code>/acts.yaml`: the dialogue acts every bot of the language learns.
    pub acts: &'static str,
}

macro_rules! shipped {
    ($($code:literal),*) => {
        [$(Shipped {
            code: $code,
            lexicon: include_str!(concat!("../../lang/", $code, "/lexicon.yaml")),
            replies: include_str!(concat!("../../lang/", $code, "/replies.yaml")),
            acts: include_str!(concat!("../../lang/", $code, "/acts.yaml")),
        }),*]
    };
}

/// The languages built into slotfill.
pub const SHIPPED: [Shipped; 4] = shipped!("en", "fr", "de", "es");

/// The codes of [`SHIPPED`], for messages: `` `en`, `fr`, `de`, `es` ``.
pub fn shipped_codes() -> String {
    SHIPPED
        .iter()
        .map(|language| format!("`{}`", language.code))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One language: its code, the words its rules read and the replies it writes.
#[derive(Debug, Clone, PartialEq)]
pub struct Language {
    /// ISO 639-1 code: `en`.
    pub code: String,
    /// Word and phrase lists, normalized as [`normalized`] reads text.
    pub lexicon: Lexicon,
    /// The engine's own replies, as templates with `{name}` placeholders.
    pub replies: Replies,
    /// The shipped pack of dialogue acts (`lang/<code>/acts.yaml`, an intents file), empty
    /// for a language slotfill does not ship.
    pub acts: &'static str,
}

impl Default for Language {
    /// English.
    fn default() -> Self {
        Language::shipped("en").expect("the English pack is built in and parses")
    }
}

impl Language {
    /// The language slotfill ships under `code`, or `None`.
    pub fn shipped(code: &str) -> Option<Language> {
        // Parsed once: every bot loaded (and every check) starts from a shipped language.
        static PARSED: OnceLock<Vec<Option<Language>>> = OnceLock::new();
        let parsed = PARSED.get_or_init(|| {
            SHIPPED
                .iter()
                .map(|shipped| {
                    let lexicon: LexiconFile = serde_saphyr::from_str(shipped.lexicon).ok()?;
                    let replies: RepliesFile = serde_saphyr::from_str(shipped.replies).ok()?;
                    let language = Language {
                        acts: shipped.acts,
                        ..Language::unshipped(shipped.code)
                    };
                    language.with(lexicon, replies).ok()
                })
                .collect()
        });
        let at = SHIPPED.iter().position(|shipped| shipped.code == code)?;
        parsed[at].clone()
    }

    /// A language slotfill does not ship, before a bot gives its entries: no lists, no replies.
    pub fn unshipped(code: &str) -> Language {
        Language {
            code: code.to_string(),
            lexicon: Lexicon::default(),
            replies: Replies::default(),
            acts: "",
        }
    }

    /// This language with the entries of `lexicon` and `replies` in place of its own. `Err`
    /// names the replies that neither gives (a language slotfill does not ship must give them
    /// all; a lexicon list left out is empty, which turns its rule off).
    pub fn with(
        mut self,
        lexicon: LexiconFile,
        replies: RepliesFile,
    ) -> Result<Language, Vec<&'static str>> {
        self.lexicon.replace_with(lexicon);
        self.replies.replace_with(replies);
        let missing = self.replies.missing();
        match missing.is_empty() {
            true => Ok(self),
            false => Err(missing),
        }
    }
}

/// `text` as the lexicon's rules read it: lower case, the typographic apostrophe (’, as
/// phones type it: "c’est") the plain one, every character but letters, digits and the
/// apostrophe a space, one space between words.
pub fn normalized(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text
        .to_lowercase()
        .replace('\u{2019}', "'")
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|word| !word.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// A table of named entries (`$ty`), and the file that replaces some of them (every field
/// optional, unknown names refused, so that a misspelt name is reported at its line).
macro_rules! table {
    ($(#[$meta:meta])* $table:ident, $file:ident, $ty:ty, $fix:expr; $($(#[$doc:meta])* $name:ident,)*) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct $table {
            $($(#[$doc])* pub $name: $ty,)*
        }

        /// Entries that replace those of the same name.
        #[derive(Debug, Clone, Default, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct $file {
            $(#[serde(default)] $name: Option<$ty>,)*
        }

        impl $table {
            /// The names of the entries, in order.
            pub const NAMES: &'static [&'static str] = &[$(stringify!($name)),*];

            fn replace_with(&mut self, file: $file) {
                $(if let Some(entry) = file.$name {
                    self.$name = $fix(entry);
                })*
            }

            /// The entry called `name`, for checks and messages.
            pub fn get(&self, name: &str) -> Option<&$ty> {
                match name {
                    $(stringify!($name) => Some(&self.$name),)*
                    _ => None,
                }
            }
        }
    };
}

fn normalized_all(phrases: Vec<String>) -> Vec<String> {
    phrases.iter().map(|phrase| normalized(phrase)).collect()
}

table! {
    /// The words and phrases of a language that the dialogue's rules read: what says yes, no,
    /// cancel or "a moment", what leads a correction, which words around a number count people.
    /// Each list is documented in `lang/en/lexicon.yaml`.
    Lexicon, LexiconFile, Vec<String>, normalized_all;
    /// Words that say yes by themselves.
    yes,
    /// Words that go with a yes without saying it ("please", "that", "sounds").
    yes_companions,
    /// Whole messages that say yes with words that may also say no ("why not").
    yes_phrases,
    /// The plainest yes words, which make whatever follows a reply to the question.
    plain_yes,
    /// Words that say yes plainly only at the start of a message ("ok").
    plain_ok,
    /// Words after a yes that change something ("yes but at 9pm").
    yes_but,
    /// Phrases that say no.
    no,
    /// Words that may lead a no ("actually no").
    no_lead,
    /// Whole messages that say no and ask for nothing.
    bare_no,
    /// Phrases that cancel.
    cancel,
    /// Words that may lead a cancel or a "nothing".
    reply_lead,
    /// Phrases that keep everything, asked what to change.
    keep_all,
    /// Phrases that answer a list question with no item.
    none,
    /// Phrases that ask for a moment.
    hold_on,
    /// Words for a moment ("sec", "minute").
    moments,
    /// Words for how long a moment is ("a", "few").
    how_long,
    /// Words that may stand between the parts of a request for a moment.
    hold_on_filler,
    /// Words that start a correction.
    correction_lead,
    /// Words before a correction's first word.
    correction_filler,
    /// Words of a polite request ("could you").
    polite_lead,
    /// Verbs of changing, which make a polite request a correction.
    change_verbs,
    /// Words that end a correction ("instead").
    correction_tail,
    /// Words before what a correction says.
    corrected_lead,
    /// The word before a new value ("change the city to Rome").
    value_after,
    /// Phrases that swap two values.
    swap,
    /// Words that a place may be referred to by ("there").
    place_there,
    /// Verbs after or before "there" that say that something exists.
    existential_verbs,
    /// Words after a number that count people.
    people_after,
    /// Phrases before a number that count people.
    people_before,
    /// Words before a number that count people unless a unit follows ("for 4").
    people_for,
    /// Units after a number that count something else than people.
    count_units,
    /// Words that carry over the day of the form or action before ("then").
    then,
    /// Words that a follow-up holds besides its values ("and", "what about").
    follow_up_words,
    /// Words that say nothing of a slot's topic.
    small_words,
    /// Words between list items that remove the next item.
    list_remove,
    /// Words that make the next items replace the list.
    list_replace,
    /// Words that add the next item.
    list_add,
    /// Words that join items or requests ("and", "or").
    conjunctions,
    /// Words before a value that it replaces ("Paris not Rome").
    replacing,
    /// Words before a number that make it an hour ("at 6").
    hour_lead,
    /// Prepositions before a place.
    place_lead,
    /// Prepositions before the end of a range.
    range_lead,
    /// Prepositions before a month.
    month_lead,
    /// Filler around a bare answer ("uh", "please").
    answer_filler,
}

table! {
    /// The replies the engine writes itself, as templates (`{question}` is the question asked
    /// next). Each is documented in `lang/en/replies.yaml`.
    Replies, RepliesFile, String, std::convert::identity;
    /// Nothing fits; `{intents}` lists what the bot can do (a bot's `settings.fallback` wins).
    fallback,
    /// An empty message.
    empty_message,
    /// The open form was cancelled.
    cancelled,
    /// A cancel with nothing open.
    nothing_to_cancel,
    /// The user asked for a moment.
    take_your_time,
    /// A no that asks for nothing.
    okay,
    /// A no to the confirmation.
    what_to_change,
    /// A yes/no question answered otherwise.
    answer_yes_or_no,
    /// How a yes shows in replies.
    yes,
    /// How a no shows in replies.
    no,
    /// How an empty list shows in replies.
    none,
    /// The word before the last item of a list.
    and,
    /// A slot without a question of its own.
    ask_slot,
    /// A resolver's hint, then the question again.
    hint,
    /// A value its resolver cannot read.
    unreadable,
    /// What a date is, in [`Replies::unreadable`].
    a_date,
    /// What a time is.
    a_time,
    /// What a number is.
    a_number,
    /// What a place is.
    a_place,
    /// A weekday or day of the month that is none of the days offered.
    not_those_days,
    /// A time on a date that has passed.
    time_passed,
    /// A value that repeats another slot's.
    already,
    /// A value outside the slot's list.
    not_one_of,
    /// A value that does not match the slot's pattern.
    no_match,
    /// A value that is no number.
    not_a_number,
    /// A number that is not whole.
    not_whole,
    /// A number outside the slot's range.
    out_of_range,
    /// A time outside the slot's hours.
    out_of_hours,
    /// A value that is no date, for a date that must not be past.
    not_a_date,
    /// A date in the past.
    in_the_past,
    /// Which of a few days.
    which_of_days,
    /// Which day of a longer span.
    which_day_between,
    /// The form is given up after too many refusals.
    give_up,
    /// An action without a reply of its own was done.
    done,
    /// An action failed.
    action_failed,
    /// An action failed; the form is offered again.
    try_again,
}

impl Replies {
    /// The replies left empty: not given by the shipped language nor the bot.
    fn missing(&self) -> Vec<&'static str> {
        Replies::NAMES
            .iter()
            .copied()
            .filter(|name| self.get(name).is_some_and(String::is_empty))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_language_parses_and_has_every_reply_and_list() {
        for Shipped { code, .. } in SHIPPED {
            let language = Language::shipped(code).unwrap_or_else(|| panic!("{code} parses"));
            for name in Lexicon::NAMES {
                assert!(
                    !language.lexicon.get(name).unwrap().is_empty(),
                    "{code}: {name}"
                );
            }
        }
    }

    #[test]
    fn a_bot_replaces_entries_by_name() {
        let english = Language::default();
        let lexicon: LexiconFile = serde_saphyr::from_str("yes: [Yarp]\n").unwrap();
        let replies: RepliesFile = serde_saphyr::from_str("cancelled: Fine.\n").unwrap();
        let changed = english.clone().with(lexicon, replies).unwrap();
        assert_eq!(changed.lexicon.yes, ["yarp"]);
        assert_eq!(changed.lexicon.no, english.lexicon.no);
        assert_eq!(changed.replies.cancelled, "Fine.");
        assert!(serde_saphyr::from_str::<LexiconFile>("yse: [x]\n").is_err());
    }

    #[test]
    fn a_language_without_a_pack_names_the_replies_it_lacks() {
        let empty = Language::unshipped("nl");
        let replies: RepliesFile =
            serde_saphyr::from_str("cancelled: Oké, geannuleerd.\n").unwrap();
        let missing = empty.with(LexiconFile::default(), replies).unwrap_err();
        assert!(missing.contains(&"fallback") && !missing.contains(&"cancelled"));
    }

    #[test]
    fn normalized_keeps_letters_digits_and_apostrophes() {
        assert_eq!(normalized("  Oh, I'd say: 4 — OK! "), "oh i'd say 4 ok");
        assert_eq!(normalized("C\u{2019}est bon"), "c'est bon");
    }
}
