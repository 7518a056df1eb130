//! Intents as the user writes them in YAML, loaded and checked.
//!
//! [`schema`] holds the file format as written; this module holds the checked form that the rest
//! of the pipeline uses (char offsets for annotations, compiled regexes, no source positions).

pub mod schema;

pub use schema::{BuiltinResolver, Settings, Validation, Webhook};

/// Every intent, entity and setting of a bot folder, checked.
#[derive(Debug, Clone)]
pub struct Intents {
    /// Bot-wide settings (defaults when no file sets them).
    pub settings: Settings,
    /// Entity types, in file order.
    pub entities: Vec<EntityType>,
    /// Intents, in file order.
    pub intents: Vec<Intent>,
}

/// A checked entity type.
#[derive(Debug, Clone)]
pub struct EntityType {
    /// Name used in annotations.
    pub name: String,
    /// Built-in resolver, if any.
    pub resolver: Option<BuiltinResolver>,
    /// Lookup list: canonical value and its synonyms.
    pub values: Vec<(String, Vec<String>)>,
    /// Compiled regex patterns.
    pub patterns: Vec<regex::Regex>,
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
}

/// An example utterance with its entity annotations removed from the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    /// Plain text, markup removed.
    pub text: String,
    /// Annotated spans, in text order.
    pub annotations: Vec<Annotation>,
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
    /// Entity type that fills it.
    pub entity: String,
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
}

/// Validation with its regex compiled.
#[derive(Debug, Clone)]
pub struct CheckedValidation {
    /// Allowed values, compared case-insensitively.
    pub values: Vec<String>,
    /// Full-match regex on the raw text.
    pub pattern: Option<regex::Regex>,
    /// Smallest allowed number.
    pub min: Option<f64>,
    /// Largest allowed number.
    pub max: Option<f64>,
    /// Refuse dates before today.
    pub not_in_past: bool,
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
}
