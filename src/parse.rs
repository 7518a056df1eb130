//! What `parse` returns: the intent ranking, the entity spans with their resolved values and
//! the slots they fill.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One intent with its confidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IntentScore {
    /// Intent name, or `out_of_scope`.
    pub name: String,
    /// Probability in `[0, 1]`.
    pub confidence: f32,
}

/// An entity found in the text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    /// Entity type, e.g. `location`.
    pub entity: String,
    /// Role, e.g. `origin` in `[Boston](location:origin)`.
    pub role: Option<String>,
    /// The exact text of the span.
    pub value: String,
    /// Start of the span, in characters (not bytes) of the input text.
    pub start: usize,
    /// End of the span (exclusive), in characters.
    pub end: usize,
    /// Confidence of the tagger (1.0 for rule matches).
    pub confidence: f32,
    /// The resolved value (a date, a number, a canonical place), when it resolves.
    pub resolved: Option<serde_json::Value>,
}

/// The result of parsing one utterance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Parse {
    /// The text as given (after the length cap).
    pub text: String,
    /// The predicted intent.
    pub intent: IntentScore,
    /// All intents, best first.
    pub intent_ranking: Vec<IntentScore>,
    /// Entities in text order.
    pub entities: Vec<Entity>,
    /// The predicted intent's slots that the entities fill, by slot name.
    pub slots: BTreeMap<String, serde_json::Value>,
}

/// The intent name used when no intent fits.
pub const OUT_OF_SCOPE: &str = "out_of_scope";
