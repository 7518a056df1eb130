//! slotfill: a chatbot slot-filling engine.
//!
//! Text flows through the pipeline in module order: [`tokenize`] → `encode` → `heads` →
//! `spans` → [`resolve`] → `dialogue` → `action`.

pub mod error;
pub mod intents;
pub mod parse;
pub mod resolve;

pub use bot::Bot;
pub use error::{Error, Result};
pub use parse::{Entity, IntentScore, Parse, Parser};
pub mod action;
pub mod bot;
pub mod dataset;
pub mod dialogue;
pub mod encode;
pub mod eval;
pub mod features;
pub(crate) mod heads;
pub mod model;
pub(crate) mod nn;
pub mod server;
pub mod spans;
pub mod store;
pub mod tokenize;
pub mod train;

// The README's Rust examples compile as doc tests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
