//! slotfill: a chatbot slot-filling engine.
//!
//! Text flows through the pipeline in module order: [`tokenize`] → `encode` → `heads` →
//! `spans` → [`resolve`] → `dialogue` → `action`. The types a bot backend needs are at the
//! crate root: [`Bot`] (conversations behind `handle`), [`Parser`] and [`Parse`] (the NLU
//! alone), [`Turn`] and [`Conversation`] (what a message did, and the state it leaves),
//! [`Context`] (the reference time), the [`Store`] and action [`Handler`] a backend plugs in,
//! and [`Error`].
#![warn(missing_docs)]

pub mod error;
pub mod intents;
pub mod lang;
pub mod parse;
pub mod resolve;

pub use action::{Handler, Outcome};
pub use bot::Bot;
pub use dialogue::{Command, Conversation, Turn};
pub use error::{Error, Result};
pub use parse::{Entity, IntentScore, Parse, Parser};
pub use resolve::Context;
pub use store::Store;
pub mod action;
pub mod bot;
pub mod dataset;
pub mod dialogue;
pub mod encode;
pub mod eval;
pub mod features;
pub(crate) mod heads;
pub mod import;
pub mod model;
pub(crate) mod nn;
#[cfg(feature = "server")]
pub mod server;
pub mod spans;
pub mod store;
pub mod tokenize;
pub mod train;

/// Has candle multiply matrices on the calling thread, unless `RAYON_NUM_THREADS` is set.
///
/// candle splits each matrix product across `RAYON_NUM_THREADS` threads and, when the
/// variable is unset, counts the cores again at every product by parsing `/proc/cpuinfo`.
/// slotfill's matrices are small: one thread parses 5 times faster than unset and trains the
/// bundled bot in 8.6 s instead of 13.5 s (docs/experiments.md); ensembles and servers already run a
/// network or a request per thread. It sets an environment variable, so call it first thing
/// in `main`, before any thread starts; the `slotfill` command does.
///
/// ```
/// slotfill::one_thread_per_product();
/// assert!(std::env::var_os("RAYON_NUM_THREADS").is_some());
/// ```
pub fn one_thread_per_product() {
    if std::env::var_os("RAYON_NUM_THREADS").is_none() {
        std::env::set_var("RAYON_NUM_THREADS", "1");
    }
}

// The README's Rust examples compile as doc tests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
