//! slotfill: a chatbot slot-filling engine.
//!
//! Text flows through the pipeline in module order: `tokenize` → `encode` → `heads` →
//! `spans` → [`resolve`] → `dialogue` → `action`.

pub mod error;
pub mod intents;
pub mod parse;
pub mod resolve;

pub use error::{Error, Result};
pub use parse::{Entity, IntentScore, Parse};
