//! Resolving one entity: dates, times and numbers against a fixed reference time.

use criterion::{criterion_group, criterion_main, Criterion};
use slotfill::intents::BuiltinResolver;
use slotfill::resolve::{builtin, Context};

fn resolve(c: &mut Criterion) {
    let context = Context::at("2026-11-23T10:00", "Europe/Oslo").expect("valid time");
    let cases = [
        (BuiltinResolver::Date, "friday at 5pm"),
        (BuiltinResolver::Date, "the 1st of december"),
        (BuiltinResolver::Date, "in two weeks"),
        (BuiltinResolver::Time, "half past 7"),
        (BuiltinResolver::Number, "twenty five"),
        (BuiltinResolver::Location, "munchen"),
    ];
    let mut i = 0;
    c.bench_function("resolve one entity", |b| {
        b.iter(|| {
            i = (i + 1) % cases.len();
            builtin(cases[i].0, cases[i].1, &context)
        })
    });
}

fn load_gazetteer(c: &mut Criterion) {
    c.bench_function("load the place gazetteer", |b| {
        b.iter(slotfill::resolve::place::Gazetteer::load)
    });
}

criterion_group!(benches, resolve, load_gazetteer);
criterion_main!(benches);
