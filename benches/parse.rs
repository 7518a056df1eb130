//! Parse latency (one utterance, one thread) and batch throughput of the bundled bot (or of
//! the model in `SLOTFILL_BENCH_MODEL`), with entity resolution included.
//!
//! The bench runs with mimalloc, the allocator of the `slotfill` binary that parses for the
//! command line, the chat and the HTTP server; with glibc's allocator a parse takes about a
//! fifth longer (docs/experiments.md).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use mimalloc::MiMalloc;
use slotfill::parse::Parser;
use slotfill::resolve::Context;
use std::path::Path;

#[global_allocator]
static GLOBAL: MiMalloc = MiMalloc;

const UTTERANCES: [&str; 8] = [
    "book a table for 4 in Paris tomorrow at 7pm",
    "what's the weather like in Oslo on friday",
    "fly me from Boston to Denver next monday",
    "hello there",
    "i need a flight to São Paulo on december 3rd",
    "will it rain in new york tomorrow",
    "thanks a lot",
    "reserve a table for two at 19:30 in Berlin",
];

/// The bundled bot, or the model folder in `SLOTFILL_BENCH_MODEL` (without intents), e.g. one
/// trained with `--encoder bert`.
fn parser() -> (Parser, Context) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let parser = match std::env::var_os("SLOTFILL_BENCH_MODEL") {
        Some(dir) => {
            Parser::load(Path::new(&dir), None).expect("the model in SLOTFILL_BENCH_MODEL")
        }
        None => Parser::load(&root.join("models/bundled"), Some(&root.join("intents")))
            .expect("bundled model: run `cargo run --release -- train`"),
    };
    let context = Context::at("2026-11-23T10:00", "UTC").expect("valid time");
    (parser, context)
}

fn parse(c: &mut Criterion) {
    let (parser, context) = parser();
    let mut i = 0;
    c.bench_function("parse one utterance", |b| {
        b.iter(|| {
            i = (i + 1) % UTTERANCES.len();
            parser.parse(UTTERANCES[i], &context).expect("parse")
        })
    });
    let batch: Vec<&str> = UTTERANCES.iter().cycle().take(512).copied().collect();
    let mut group = c.benchmark_group("parse batch");
    group.throughput(Throughput::Elements(batch.len() as u64));
    group.bench_function("512 utterances", |b| {
        b.iter(|| parser.parse_batch(&batch, &context).expect("parse"))
    });
    group.finish();
}

criterion_group!(benches, parse);
criterion_main!(benches);
