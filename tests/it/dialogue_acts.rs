//! The commands that replies at a confirmation or mid-form yield, on two held-out paraphrase
//! sets, `tests/data/dialogue_acts.yaml` and `tests/data/dialogue_acts_fresh.yaml` (each written
//! blind to the dialogue's rules, the language packs and the bots' examples). Prints the score
//! by expected command and the misses (`cargo test --release dialogue_acts -- --nocapture`),
//! and fails below the floor measured, so that no change reads fewer of them right.

use crate::common::Script;
use serde::Deserialize;
use std::collections::BTreeMap;

/// Below the share of replies read right today. The keyword rules of `src/dialogue/words.rs`
/// gave 189 to 194 of 231 over four seeds of the bundled model (81.8–84.0%, 2026-12-07); the
/// asked question as model input, the learned dialogue acts and reading yes/no and free-text
/// answers with them give 219 at the default seed (94.8%, 2026-12-08). The floor leaves room
/// for a retrained model's seed-to-seed spread.
const FLOOR: f64 = 0.86;

/// Below the share of `tests/data/dialogue_acts_fresh.yaml` read right: a second set, written
/// blind on 2026-12-08 after the mechanisms above were built on the misses of the first, so
/// that they are measured on replies they were not built for. The keyword rules and the model
/// of 13c1552 gave 131 of 147 (89.1%); today's 144 (98.0%).
const FRESH_FLOOR: f64 = 0.93;

#[derive(Deserialize)]
struct Set {
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    bot: String,
    setup: Vec<String>,
    #[allow(dead_code)] // documentation of the state the setup reaches
    state: String,
    replies: Vec<Reply>,
}

#[derive(Deserialize)]
struct Reply {
    text: String,
    expect: Vec<String>,
}

/// The commands of `text` said after `setup`, as their summaries, sorted.
fn commands(bot: &'static slotfill::Bot, id: &str, setup: &[String], text: &str) -> Vec<String> {
    let mut chat = Script::on(bot, id);
    for message in setup {
        chat.say(message);
    }
    let mut summaries: Vec<String> = chat
        .say(text)
        .commands
        .iter()
        .map(|c| c.summary())
        .collect();
    summaries.sort();
    summaries
}

/// The share of the replies of `tests/data/{file}` whose turns yield their commands, printed
/// with the score by expected command and the misses.
fn share_right(file: &str) -> f64 {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(file);
    let set: Set = serde_saphyr::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    // Right and total, by the first expected command's kind.
    let mut by_kind: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut misses = Vec::new();
    let mut n = 0;
    for case in &set.cases {
        let bot = match case.bot.as_str() {
            "bundled" => crate::dialogue::bot(),
            "pizza" => crate::pizza::pizza(),
            other => panic!("no bot {other}"),
        };
        for reply in &case.replies {
            n += 1;
            let got = commands(bot, &format!("{file}-{n}"), &case.setup, &reply.text);
            let mut expected = reply.expect.clone();
            expected.sort();
            let kind = expected
                .first()
                .map_or("none", |e| e.split(' ').next().unwrap_or(e))
                .to_string();
            let tally = by_kind.entry(kind).or_default();
            tally.1 += 1;
            if got == expected {
                tally.0 += 1;
            } else {
                misses.push(format!(
                    "{} | {:?}: expected {expected:?}, got {got:?}",
                    case.state, reply.text
                ));
            }
        }
    }
    let right: usize = by_kind.values().map(|(r, _)| r).sum();
    println!(
        "{file}: {right} of {n} right ({:.1}%)",
        100.0 * right as f64 / n as f64
    );
    for (kind, (r, t)) in &by_kind {
        println!("  {kind:<14} {r:>3} / {t:>3}");
    }
    for miss in &misses {
        println!("  miss: {miss}");
    }
    right as f64 / n as f64
}

#[test]
fn held_out_replies_yield_their_commands() {
    reads_at_least("dialogue_acts.yaml", FLOOR);
}

#[test]
fn fresh_held_out_replies_yield_their_commands() {
    reads_at_least("dialogue_acts_fresh.yaml", FRESH_FLOOR);
}

/// Fails where fewer than `floor` of the replies of `tests/data/{file}` yield their commands.
fn reads_at_least(file: &str, floor: f64) {
    let share = share_right(file);
    assert!(
        share >= floor,
        "{:.1}% of the replies of {file} yield their commands, below the floor of {:.1}%",
        100.0 * share,
        100.0 * floor
    );
}
