//! The integration tests, as one test binary (as ripgrep's `tests/` are): the crate is linked
//! once for all of them, not once per file.

mod authoring;
mod browser;
mod cli;
mod common;
mod custom_bots;
mod dialogue;
mod dialogue_acts;
mod hub;
mod intents_check;
mod intents_mutations;
mod languages;
mod layering;
mod minilm;
mod model;
mod parse;
mod pizza;
mod rasa;
mod resolve_corpus;
mod serve;
