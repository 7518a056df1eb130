//! The bundled bot's parser on arbitrary bytes (lossily decoded, as `slotfill parse` reads
//! stdin): every input must give a parse, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use slotfill::parse::Parser;
use slotfill::resolve::Context;
use std::sync::OnceLock;

fn parser() -> &'static (Parser, Context) {
    static PARSER: OnceLock<(Parser, Context)> = OnceLock::new();
    PARSER.get_or_init(|| {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let parser = Parser::load(&root.join("models/bundled"), Some(&root.join("intents")))
            .expect("bundled model");
        let context = Context::at("2026-11-23T10:00", "UTC").expect("valid time");
        (parser, context)
    })
}

fuzz_target!(|bytes: &[u8]| {
    let (parser, context) = parser();
    let text = String::from_utf8_lossy(bytes);
    parser.parse(&text, context).expect("parse never fails on text");
});
