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
