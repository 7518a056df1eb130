//! Entity resolution: turn a tagged span ("friday at 5pm", "NYC", "twenty five") into a value,
//! relative to a reference time and time zone that the caller passes on every call.

use chrono::DateTime;
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// What a resolver needs besides the text: never the wall clock.
#[derive(Debug, Clone)]
pub struct Context {
    /// The reference "now", in the user's time zone.
    pub now: DateTime<Tz>,
    /// Read 03/04 as 3 April (true) or March 4 (false).
    pub day_first: bool,
}

/// A resolved value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Resolved {
    /// A plain string value: a lookup-list canonical value, a regex match, free text.
    Value {
        /// The value.
        value: String,
    },
}

/// Why a text could not be resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("could not resolve: {reason}")]
pub struct Unresolved {
    /// Human-readable reason.
    pub reason: String,
}

impl Resolved {
    /// The value as it goes into `slots`: dates `YYYY-MM-DD`, times `HH:MM`, numbers as numbers,
    /// places by canonical name.
    pub fn slot_value(&self) -> serde_json::Value {
        match self {
            Resolved::Value { value } => serde_json::Value::String(value.clone()),
        }
    }

    /// The value written for people, e.g. "Friday 27 November".
    pub fn display(&self) -> String {
        match self {
            Resolved::Value { value } => value.clone(),
        }
    }
}

/// A resolved span found inside a longer text.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// Entity type.
    pub entity: String,
    /// Start in characters.
    pub start: usize,
    /// End (exclusive) in characters.
    pub end: usize,
    /// The span's text.
    pub text: String,
    /// Its value.
    pub resolved: Resolved,
}

/// The resolvers of a bot's entity types.
#[derive(Debug, Clone, Default)]
pub struct Resolvers {
    lookups: std::collections::HashMap<String, Vec<(String, String)>>,
}

impl Resolvers {
    /// Resolvers for these entity types.
    pub fn new(entities: &[crate::intents::EntityType]) -> Self {
        let lookups = entities
            .iter()
            .map(|e| {
                let values = e
                    .values
                    .iter()
                    .flat_map(|(value, synonyms)| {
                        std::iter::once(value)
                            .chain(synonyms)
                            .map(move |s| (s.to_lowercase(), value.clone()))
                    })
                    .collect();
                (e.name.clone(), values)
            })
            .collect();
        Resolvers { lookups }
    }

    /// Resolves `text` as a whole as entity `entity`.
    pub fn resolve(
        &self,
        entity: &str,
        text: &str,
        _context: &Context,
    ) -> Result<Resolved, Unresolved> {
        let folded = text.to_lowercase();
        match self.lookups.get(entity) {
            Some(values) if !values.is_empty() => values
                .iter()
                .find(|(written, _)| *written == folded)
                .map(|(_, value)| Resolved::Value {
                    value: value.clone(),
                })
                .ok_or_else(|| Unresolved {
                    reason: format!("`{text}` is not a listed {entity}"),
                }),
            _ => Ok(Resolved::Value {
                value: text.to_string(),
            }),
        }
    }

    /// Lookup-list and pattern matches over a whole text.
    pub fn rule_matches(&self, _text: &str) -> Vec<Found> {
        Vec::new()
    }
}
