//! Intents as the user writes them in YAML, loaded and checked.
//!
//! [`schema`] holds the file format as written; this module holds the checked form that the rest
//! of the pipeline uses (char offsets for annotations, compiled regexes, no source positions).

pub mod annotation;
mod language;
mod load;
pub mod schema;
pub mod template;

pub use crate::resolve::EntityType;
pub use schema::{Act, BuiltinResolver, Settings, SlotKind, Validation, Webhook};

use crate::resolve::Context;
use crate::{Error, Result};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// The intent name used when no intent fits: what the model answers for a text that asks for
/// none of the bot's intents (and the intent whose examples show such texts).
pub const OUT_OF_SCOPE: &str = "out_of_scope";

/// Every intent, entity and setting of a bot folder, checked.
#[derive(Debug, Clone)]
pub struct Intents {
    /// Bot-wide settings (defaults when no file sets them).
    pub settings: Settings,
    /// Entity types, in file order.
    pub entities: Vec<EntityType>,
    /// Intents, in file order.
    pub intents: Vec<Intent>,
    /// The language of `settings.language`, with the bot folder's own entries
    /// (`lang/<code>/`) in place of the shipped ones.
    pub language: crate::lang::Language,
    /// What the bot works with but is likely a slip (an example repeated in one intent).
    pub warnings: Vec<Warning>,
}

/// A likely slip in a bot folder, with its place: `slotfill check` and `train` show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The file.
    pub file: PathBuf,
    /// 1-based line (0 when unknown).
    pub line: u32,
    /// What looks wrong.
    pub message: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}: warning: {}",
            self.file.display(),
            self.line,
            self.message
        )
    }
}

/// A checked intent.
#[derive(Debug, Clone)]
pub struct Intent {
    /// Intent name.
    pub name: String,
    /// Training examples.
    pub examples: Vec<Example>,
    /// Slots in asking order.
    pub slots: Vec<Slot>,
    /// Confirmation template.
    pub confirm: Option<String>,
    /// Action fired when the form is complete.
    pub action: Option<Action>,
    /// What a message of it does where it is no request (yes, no, cancel, values only).
    pub act: Option<Act>,
    /// The question asked when the user cancels its open form.
    pub ask_to_continue: Option<String>,
}

/// An example utterance with its entity annotations removed from the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    /// Plain text, markup removed.
    pub text: String,
    /// Annotated spans, in text order.
    pub annotations: Vec<Annotation>,
}

impl Example {
    /// The text of `annotation`, one of this example's.
    pub(crate) fn value(&self, annotation: &Annotation) -> String {
        self.text
            .chars()
            .skip(annotation.start)
            .take(annotation.end - annotation.start)
            .collect()
    }

    /// The text with every annotated span blanked: what the example says around its entities.
    pub(crate) fn outside_annotations(&self) -> String {
        crate::spans::outside(
            &self.text,
            self.annotations.iter().map(|a| (a.start, a.end)),
        )
    }
}

/// One annotated span of an example.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Annotation {
    /// Start in characters of [`Example::text`].
    pub start: usize,
    /// End (exclusive) in characters.
    pub end: usize,
    /// Entity type.
    pub entity: String,
    /// Optional role.
    pub role: Option<String>,
}

/// A checked slot.
#[derive(Debug, Clone)]
pub struct Slot {
    /// Slot name.
    pub name: String,
    /// Entity type that fills it (none for boolean slots and some text slots).
    pub entity: Option<String>,
    /// What the slot holds.
    pub kind: SlotKind,
    /// Role an entity must carry to fill it (None: any entity of the type).
    pub role: Option<String>,
    /// Asked for until filled.
    pub required: bool,
    /// Questions asking for it (at least one for a required slot).
    pub prompts: Vec<String>,
    /// Default text, resolved like user input.
    pub default: Option<String>,
    /// Validation rules.
    pub validate: Option<CheckedValidation>,
    /// Where its value comes from, in order; empty: its entity, and the reply to its question.
    pub from: Vec<Source>,
}

/// A checked source of a slot's value, with the intents a message must (not) be read as.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    /// What gives the value.
    pub kind: SourceKind,
    /// Only messages read as one of these intents (empty: any).
    pub if_intent: Vec<String>,
    /// No message read as one of these.
    pub unless_intent: Vec<String>,
}

/// What gives a slot its value.
#[derive(Debug, Clone, PartialEq)]
pub enum SourceKind {
    /// An entity of this type (and role), its values mapped.
    Entity {
        /// The entity type.
        entity: String,
        /// The role it must carry.
        role: Option<String>,
        /// Entity values (lowercase) mapped to the slot's.
        values: std::collections::BTreeMap<String, serde_json::Value>,
    },
    /// A reply read as this intent gives this value.
    Intent {
        /// The intent.
        intent: String,
        /// The value it gives.
        value: serde_json::Value,
    },
    /// A yes (`true`) or a no (`false`), in the language's words or an act intent's.
    YesNo,
    /// The whole reply.
    Text,
}

impl Source {
    /// Whether a message read as `intent` may fill a slot from this source.
    pub fn admits(&self, intent: &str) -> bool {
        (self.if_intent.is_empty() || self.if_intent.iter().any(|i| i == intent))
            && !self.unless_intent.iter().any(|i| i == intent)
    }
}

/// Validation with its regex compiled.
#[derive(Debug, Clone)]
pub struct CheckedValidation {
    /// Allowed values, compared case-insensitively.
    pub values: Vec<String>,
    /// Regex on the raw text, compiled anchored (`^(?:…)$`) so that `is_match` is a full match.
    pub pattern: Option<regex::Regex>,
    /// Smallest allowed number.
    pub min: Option<f64>,
    /// Largest allowed number.
    pub max: Option<f64>,
    /// Refuse numbers with a fraction.
    pub integer: bool,
    /// Refuse dates before today.
    pub not_in_past: bool,
    /// Refuse a span of days and ask which day of it.
    pub single_day: bool,
    /// Opening hours: times outside are refused, and a bare hour is read inside them.
    pub hours: Option<crate::resolve::Hours>,
    /// The other slot whose value this one must not repeat.
    pub differs_from: Option<String>,
    /// Re-prompt text.
    pub reprompt: Option<String>,
    /// Refusals before the form is cancelled.
    pub max_attempts: u32,
}

/// A checked action.
#[derive(Debug, Clone)]
pub struct Action {
    /// Handler name (defaults to the intent name).
    pub name: String,
    /// Reply template.
    pub reply: Option<String>,
    /// Webhook to call.
    pub webhook: Option<Webhook>,
    /// External command to run.
    pub command: Option<Vec<String>>,
    /// Whether the conversation starts afresh after this action.
    pub ends_conversation: bool,
}

/// The IANA time zone `name` (`Europe/Paris`), or [`Error::TimeZone`].
pub fn time_zone(name: &str) -> Result<chrono_tz::Tz> {
    name.parse().map_err(|_| Error::TimeZone(name.to_string()))
}

impl Settings {
    /// The reference time of a message: `now` (local time, `2026-11-23T10:00`) or else the
    /// clock, in time zone `tz` or else the bot's, reading dates in the bot's order.
    pub fn context(&self, now: Option<&str>, tz: Option<&str>) -> Result<Context> {
        let tz = tz.unwrap_or(&self.time_zone);
        let zone = time_zone(tz)?;
        let mut context = match now {
            Some(now) => Context::at(now, tz)?,
            None => Context::new(chrono::Utc::now().with_timezone(&zone)),
        };
        context.day_first = self.day_first;
        Ok(context)
    }
}

impl Slot {
    /// Whether entities of type `entity` fill this slot.
    pub fn takes(&self, entity: &str) -> bool {
        self.entity.as_deref() == Some(entity) || self.entity_source(entity).is_some()
    }

    /// The source of `from` that entities of type `entity` fill the slot through.
    pub fn entity_source(&self, entity: &str) -> Option<&Source> {
        self.from
            .iter()
            .find(|s| matches!(&s.kind, SourceKind::Entity { entity: e, .. } if e == entity))
    }
}

impl Intents {
    /// Loads every `*.yaml` and `*.yml` file of `dir` (sorted by name, not recursive), merges
    /// them and checks the result.
    ///
    /// Every problem found is reported at once, as [`Error::Many`] of [`Error::Intents`]
    /// (file, line, what is wrong and the fix); a folder that cannot be read is [`Error::Io`].
    pub fn load(dir: &Path) -> Result<Intents> {
        let files = load::read_dir(dir)?;
        let bot = load::check_bot(&files)?;
        language::with_language(bot, Some(dir), &files)
    }

    /// Loads and checks one file's text; `file_name` is used in error messages.
    ///
    /// ```
    /// use slotfill::intents::Intents;
    /// let yaml = r#"
    /// entities:
    ///   - name: location
    ///     resolver: location
    /// intents:
    ///   - name: get_weather
    ///     examples:
    ///       - weather in [Paris](location)
    ///     slots:
    ///       - name: location
    ///         entity: location
    ///         prompts: ["Where?"]
    /// "#;
    /// let bot = Intents::from_str("bot.yaml", yaml).unwrap();
    /// assert_eq!(bot.intents[0].examples[0].text, "weather in Paris");
    ///
    /// let err = Intents::from_str("bot.yaml", "intents:\n  - name: x\n    exampels: [hi]\n");
    /// assert!(err.unwrap_err().to_string().contains("did you mean `examples`?"));
    /// ```
    #[allow(clippy::should_implement_trait)] // needs a file name, unlike FromStr
    pub fn from_str(file_name: &str, yaml: &str) -> Result<Intents> {
        let files = [(PathBuf::from(file_name), yaml.to_string())];
        language::with_language(load::check_files(&files)?, None, &files)
    }

    /// Loads a file of examples (`intents:` with only `examples:`), such as a held-out test
    /// set, checked against the intents and entities of `known`. `out_of_scope` is always
    /// allowed. Errors are reported like [`Intents::load`]'s.
    pub fn load_examples(path: &Path, known: &Intents) -> Result<Vec<(String, Example)>> {
        load::examples_against(path, &load::read_text(path)?, known)
    }

    /// The intent called `name`.
    pub fn intent(&self, name: &str) -> Option<&Intent> {
        self.intents.iter().find(|i| i.name == name)
    }

    /// A hex SHA-256 of what the NLU model learns from: intent names, examples with their
    /// annotations, entity names and lookup values with synonyms, in a canonical order.
    ///
    /// Prompts, replies, slots and settings are left out, so editing them does not make a
    /// trained model stale; adding an example does.
    pub fn fingerprint(&self) -> String {
        let mut hasher = Sha256::new();
        // Length-prefixed, so that no two different inputs write the same bytes.
        let mut put = |s: &str| {
            hasher.update((s.len() as u64).to_le_bytes());
            hasher.update(s.as_bytes());
        };
        let mut intents: Vec<&Intent> = self.intents.iter().collect();
        intents.sort_by(|a, b| a.name.cmp(&b.name));
        for intent in intents {
            put("intent");
            put(&intent.name);
            let mut examples: Vec<Vec<String>> =
                intent.examples.iter().map(Example::fields).collect();
            examples.sort();
            for fields in &examples {
                put("example");
                fields.iter().for_each(|f| put(f));
            }
        }
        let mut entities: Vec<&EntityType> = self.entities.iter().collect();
        entities.sort_by(|a, b| a.name.cmp(&b.name));
        for entity in entities {
            put("entity");
            put(&entity.name);
            let mut values = entity.values.clone();
            values.iter_mut().for_each(|(_, synonyms)| synonyms.sort());
            values.sort();
            for (value, synonyms) in &values {
                put("value");
                put(value);
                synonyms.iter().for_each(|s| put(s));
            }
        }
        hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

impl Example {
    /// The text, then each annotation's start, end, entity and role: a sortable key that
    /// holds everything the model learns from the example.
    fn fields(&self) -> Vec<String> {
        let mut fields = vec![self.text.clone()];
        for a in &self.annotations {
            fields.extend([
                a.start.to_string(),
                a.end.to_string(),
                a.entity.clone(),
                a.role.clone().unwrap_or_default(),
            ]);
        }
        fields
    }
}
