//! One conversation turn (NLU + dialogue + reply) on the bundled bot.

use criterion::{criterion_group, criterion_main, Criterion};
use slotfill::resolve::Context;
use slotfill::Bot;
use std::path::Path;

fn turn(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let bot = Bot::load(&root.join("intents"), &root.join("models/bundled"))
        .expect("bundled model: run `cargo run --release -- train`");
    let context = Context::at("2026-11-23T10:00", "UTC").expect("valid time");
    let script = ["book a flight from Boston", "to Denver", "friday", "yes"];
    let mut i = 0;
    c.bench_function("dialogue turn", |b| {
        b.iter(|| {
            i = (i + 1) % script.len();
            bot.handle("bench", script[i], &context).expect("turn")
        })
    });
}

criterion_group!(benches, turn);
criterion_main!(benches);
