//! Every built-in resolver on arbitrary text: a value or "could not resolve", never a panic
//! or an overflow ("in 99999999999 days").
#![no_main]

use libfuzzer_sys::fuzz_target;
use slotfill::intents::BuiltinResolver;
use slotfill::resolve::{builtin, Context};
use std::sync::OnceLock;

fuzz_target!(|text: &str| {
    static CONTEXT: OnceLock<Context> = OnceLock::new();
    let context = CONTEXT.get_or_init(|| Context::at("2026-11-23T10:00", "Europe/Oslo").expect("valid time"));
    for kind in [
        BuiltinResolver::Date,
        BuiltinResolver::Time,
        BuiltinResolver::Number,
        BuiltinResolver::Location,
    ] {
        let _ = builtin(kind, text, context);
    }
});
