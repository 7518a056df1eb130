//! Every expression of tests/data/resolve_corpus.tsv resolves to its expected value at its
//! reference time and zone (the file is made by scripts/resolve_corpus.py).

use slotfill::intents::BuiltinResolver;
use slotfill::resolve::{builtin, Context};

#[test]
fn corpus_resolves_as_expected() {
    let corpus = include_str!("../data/resolve_corpus.tsv");
    let mut failures = Vec::new();
    let mut count = 0;
    for line in corpus.lines().filter(|l| !l.starts_with('#')) {
        let fields: Vec<&str> = line.split('\t').collect();
        let [now, zone, entity, text, expected] = fields[..] else {
            panic!("malformed line: {line}");
        };
        let context = Context::at(now, zone).unwrap();
        let kind = match entity {
            "date" => BuiltinResolver::Date,
            "time" => BuiltinResolver::Time,
            "number" => BuiltinResolver::Number,
            other => panic!("unknown entity {other}"),
        };
        let expected: serde_json::Value = serde_json::from_str(expected).unwrap();
        let got = builtin(kind, text, &context).map(|r| r.slot_value());
        if got.as_ref() != Ok(&expected) {
            failures.push(format!(
                "{now} {zone} {entity} `{text}`: expected {expected}, got {got:?}"
            ));
        }
        count += 1;
    }
    assert!(count >= 300, "only {count} expressions");
    assert!(
        failures.is_empty(),
        "{} of {count} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
