//! The YAML authoring format, as serde types.
//!
//! A bot is a folder of `*.yaml` files. Each file may hold any of the top-level keys
//! `settings`, `entities` and `intents`; the loader merges them. Every name and example keeps
//! its source line so that `slotfill check` can point at it.

use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;
use std::collections::BTreeMap;

/// One YAML file as written.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct File {
    /// Bot-wide settings; at most one file of a folder may set them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settings: Option<Spanned<Settings>>,
    /// Entity types: built-in resolvers, lookup lists and regex patterns.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entities: Vec<EntityDef>,
    /// Intents with their examples, slots and action.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub intents: Vec<IntentDef>,
}

/// Bot-wide settings.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    /// Below this intent confidence the parse result is `out_of_scope`.
    pub out_of_scope_threshold: f32,
    /// Seconds after an action during which a follow-up ("and tomorrow?") reuses its intent.
    pub carry_over_seconds: u64,
    /// Seconds after which an idle conversation is forgotten.
    pub conversation_expiry_seconds: u64,
    /// Read numeric dates like 03/04 as day/month (true) or month/day (false).
    pub day_first: bool,
    /// Default time zone (IANA name) when a caller gives none.
    pub time_zone: String,
    /// The bot's language (ISO 639-1): `en` (the default), one slotfill ships, or one the bot
    /// folder brings in `lang/<code>/`.
    pub language: String,
    /// Reply when nothing fits, in place of the language's; `{intents}` lists what the bot
    /// can do.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fallback: Option<String>,
}

impl SlotKind {
    /// Whether this is the default kind, left out when a slot is written.
    fn is_value(&self) -> bool {
        *self == SlotKind::Value
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            out_of_scope_threshold: 0.5,
            carry_over_seconds: 300,
            conversation_expiry_seconds: 3600,
            day_first: true,
            time_zone: "UTC".to_string(),
            language: "en".to_string(),
            fallback: None,
        }
    }
}

/// An entity type.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntityDef {
    /// The name used in annotations: `[Paris](location)`.
    pub name: Spanned<String>,
    /// A built-in resolver that turns the span into a value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolver: Option<Spanned<BuiltinResolver>>,
    /// A lookup list: canonical values with synonyms. Also an input feature of the tagger.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<LookupValue>,
    /// Regex patterns; a match is an entity of this type even where the model saw none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub patterns: Vec<Spanned<String>>,
}

pub use crate::resolve::BuiltinResolver;

/// One entry of a lookup list: either a bare value or a value with synonyms.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
pub enum LookupValue {
    /// `- italian`
    Plain(String),
    /// `- {value: New York, synonyms: [NYC, Big Apple]}`
    WithSynonyms {
        /// The canonical value the synonyms resolve to.
        value: String,
        /// Other ways users write it.
        #[serde(default)]
        synonyms: Vec<String>,
    },
}

/// An intent.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntentDef {
    /// Intent name, unique across the folder.
    pub name: Spanned<String>,
    /// Example utterances with entities marked inline: `to [Denver](location:destination)`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<Spanned<String>>,
    /// The slots this intent fills, asked for in this order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub slots: Vec<SlotDef>,
    /// Ask the user to confirm before firing, e.g. "Book a table for {party_size}?".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirm: Option<Spanned<String>>,
    /// What happens once every required slot is filled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<ActionDef>,
    /// What a message of this intent does in a conversation, where it is no request of its
    /// own: it says yes or no, cancels the open form, asks for a moment, keeps everything when
    /// asked what to change, or only gives values (Rasa's `affirm`, `deny`, `stop` and
    /// `inform`). The language's pack (`lang/<code>/acts.yaml`) gives every bot these acts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub act: Option<Spanned<Act>>,
    /// Asked when the user cancels this intent's open form: yes goes on with it, no cancels
    /// it ("Do you want to continue?").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ask_to_continue: Option<Spanned<String>>,
}

/// What a message does in a conversation besides asking for an intent.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Act {
    /// Says yes: to a confirmation, a yes/no question, the question whether to go on.
    Affirm,
    /// Says no.
    Deny,
    /// Cancels the open form.
    Cancel,
    /// Asks for a moment: the question asked stays open ("hold on", "let me think").
    HoldOn,
    /// Asked what to change, keeps everything ("nothing", "it's all fine").
    KeepAll,
    /// Gives values for the open form and asks for nothing.
    Inform,
}

/// A slot of an intent.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlotDef {
    /// Slot name, unique within the intent; used in templates as `{name}`.
    pub name: Spanned<String>,
    /// The entity type that fills it; `text` slots may leave it out, `boolean` slots must.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity: Option<Spanned<String>>,
    /// What the slot holds: one entity value (the default), a list of them, the user's whole
    /// reply, or yes/no.
    #[serde(default, skip_serializing_if = "SlotKind::is_value")]
    pub kind: SlotKind,
    /// Only entities annotated with this role fill the slot (`[Boston](location:origin)`).
    /// Defaults to the slot name when another slot of the intent uses the same entity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// A required slot is asked for until it is filled. Unset: required unless the slot has
    /// a `default`, which stands in for a value the user does not give.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required: Option<bool>,
    /// Questions that ask for the slot; one is picked per turn.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub prompts: Vec<String>,
    /// Value used when the user gives none (resolved like user text, e.g. `today`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// Rules a value must pass.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validate: Option<Validation>,
    /// Where the value comes from, tried in order (Rasa's slot mappings). Without it, an
    /// entity of the slot's `entity` fills it, and so does the reply to its question as its
    /// kind reads it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub from: Vec<Spanned<SourceDef>>,
}

/// One source of a slot's value: exactly one of `entity`, `intent`, `yes_no` and `text`,
/// with the conditions on the message that it needs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceDef {
    /// An entity of this type, in any message (conditions allowing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity: Option<String>,
    /// Only an entity with this role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// The entity's values mapped to the slot's own (`{outside: true, inside: false}`);
    /// values not listed are kept as they resolve.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub values: BTreeMap<String, serde_json::Value>,
    /// A reply to the slot's question read as this intent gives `value` (`intent: deny`,
    /// `value: none`); an intent with `act: affirm` or `deny` also reads the language's yes or
    /// no words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intent: Option<String>,
    /// The value that `intent` gives.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<serde_json::Value>,
    /// A yes or a no to the slot's question: `true` or `false`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub yes_no: bool,
    /// The whole reply to the slot's question.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub text: bool,
    /// Only messages read as one of these intents.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub if_intent: Vec<String>,
    /// No message read as one of these intents.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unless_intent: Vec<String>,
}

/// What a slot holds and how it is filled.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum SlotKind {
    /// One value of the slot's entity.
    #[default]
    Value,
    /// Several values of the slot's entity ("pepperoni and mushrooms"); later messages add
    /// ("add olives") and remove ("no mushrooms") items.
    List,
    /// The user's whole reply to the slot's prompt, e.g. an address or a note.
    Text,
    /// Yes or no.
    Boolean,
}

/// Rules for slot values; a value that breaks one is refused with `reprompt`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Validation {
    /// Allowed values (compared after resolution, case-insensitively).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
    /// A regex the raw text must match in full.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<Spanned<String>>,
    /// Smallest allowed number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// Largest allowed number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// Refuse numbers with a fraction: no table for 2.5 people.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub integer: bool,
    /// Refuse dates before today.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub not_in_past: bool,
    /// Refuse a span of days ("next week", "this weekend") and ask which day of it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub single_day: bool,
    /// Opening hours, "11:00-23:00": times outside them are refused, and a bare hour ("at 7")
    /// is read inside them (19:00).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours: Option<Spanned<String>>,
    /// Refuse a value equal to this other slot's: a destination that is the origin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub differs_from: Option<Spanned<String>>,
    /// What to say when a value is refused; `{value}` is the refused text, `{slot}` any slot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reprompt: Option<String>,
    /// After this many refused answers the form is cancelled.
    #[serde(default = "three")]
    pub max_attempts: u32,
}

fn three() -> u32 {
    3
}

/// The action an intent fires.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionDef {
    /// Name under which a handler can be registered; defaults to the intent name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Reply template with `{slot}` placeholders.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply: Option<String>,
    /// POST the intent and slots as JSON to this URL and reply with its answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook: Option<Webhook>,
    /// Run this program with the JSON on stdin and reply with its stdout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<Vec<String>>,
    /// After this action the conversation starts afresh: an open form is dropped and no
    /// follow-up reuses the last action ("bye" while booking).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ends_conversation: bool,
}

/// An HTTP webhook.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Webhook {
    /// The URL to POST to.
    pub url: String,
    /// Give up after this many milliseconds.
    #[serde(default = "webhook_timeout_ms")]
    pub timeout_ms: u64,
}

fn webhook_timeout_ms() -> u64 {
    3000
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::de::DeserializeOwned;
    use serde_saphyr::{MessageFormatter, UserMessageFormatter};
    use std::collections::BTreeSet;

    /// The keys serde accepts for `T`, read from its unknown-key error: a new field shows up
    /// here by itself, so the schema cannot silently fall behind.
    fn serde_keys<T: DeserializeOwned + std::fmt::Debug>() -> BTreeSet<String> {
        let err = serde_saphyr::from_str::<T>("__probe__: 1\n").unwrap_err();
        let message = UserMessageFormatter
            .format_message(err.without_snippet())
            .to_string();
        let (_, _, expected) = crate::intents::load::unknown_name(&message)
            .unwrap_or_else(|| panic!("not an unknown-key error: {message}"));
        let keys: BTreeSet<String> = expected.into_iter().collect();
        assert!(!keys.is_empty(), "no keys in: {message}");
        keys
    }

    fn schema_keys(object: &serde_json::Value) -> BTreeSet<String> {
        object["properties"]
            .as_object()
            .expect("an object with properties")
            .keys()
            .cloned()
            .collect()
    }

    #[test]
    fn json_schema_lists_exactly_the_keys_serde_accepts() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/docs/slotfill.schema.json"
        ))
        .unwrap();
        let schema: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        let defs = &schema["$defs"];
        let cases = [
            (&schema, serde_keys::<File>(), "file"),
            (&defs["settings"], serde_keys::<Settings>(), "settings"),
            (&defs["entity"], serde_keys::<EntityDef>(), "entity"),
            (&defs["intent"], serde_keys::<IntentDef>(), "intent"),
            (&defs["slot"], serde_keys::<SlotDef>(), "slot"),
            (
                &defs["validation"],
                serde_keys::<Validation>(),
                "validation",
            ),
            (&defs["action"], serde_keys::<ActionDef>(), "action"),
            (&defs["webhook"], serde_keys::<Webhook>(), "webhook"),
            (&defs["source"], serde_keys::<SourceDef>(), "source"),
            // Untagged, so serde lists no keys: keep this in step with `LookupValue`.
            (
                &defs["lookup_value"]["oneOf"][1],
                ["value", "synonyms"].map(String::from).into(),
                "lookup_value",
            ),
        ];
        for (object, keys, name) in cases {
            assert_eq!(schema_keys(object), keys, "$defs/{name} of the JSON schema");
        }
        let resolvers: Vec<&str> = defs["entity"]["properties"]["resolver"]["enum"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        for r in &resolvers {
            serde_saphyr::from_str::<BuiltinResolver>(r).expect("a resolver serde knows");
        }
        assert_eq!(resolvers.len(), 4, "every BuiltinResolver in the schema");
    }
}
