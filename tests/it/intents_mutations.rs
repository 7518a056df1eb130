//! A few thousand seeded random mutations of a valid bot file through `Intents::from_str`:
//! every one must give a bot or errors, never a panic (`fuzz/` runs the open-ended version).

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use slotfill::intents::Intents;

const BOT: &str = r#"settings:
  time_zone: Europe/Oslo
entities:
  - name: location
    resolver: location
  - name: cuisine
    values: [italian, {value: japanese, synonyms: [sushi]}]
    patterns: ['\bthai\b']
intents:
  - name: book
    examples:
      - 'a [thai](cuisine) table in [São Paulo](location:place) \[now\]'
      - from [Oslo](location:origin) to [Rome](location:place)
    slots:
      - name: origin
        entity: location
        prompts: ["From {place}?"]
      - name: place
        entity: location
        required: false
        validate: {pattern: '[a-z]+', reprompt: "{value}?", max_attempts: 2}
    confirm: "Book {origin}?"
    action: {reply: "Booked {place}", webhook: {url: "http://x", timeout_ms: 5}}
  - name: out_of_scope
    examples: [tell me a joke]
"#;

/// Pieces that make interesting YAML and markup when spliced in.
const PIECES: &[&str] = &[
    "[",
    "]",
    "(",
    ")",
    "{",
    "}",
    ":",
    "- ",
    "\n",
    "  ",
    "\t",
    "#",
    "'",
    "\"",
    "\\",
    "&a ",
    "*a",
    "<<: ",
    "---\n",
    "!!str ",
    "|\n",
    "(location:",
    "[x](",
    "é",
    "🚀",
    "null",
    "~",
    "1e999",
    "name: ",
    "slots:",
    "examples:",
    "\u{0}",
    "%YAML 1.2\n",
];

/// `text` with a few random cuts, splices of [`PIECES`], copies and changed characters.
pub(crate) fn mutate(rng: &mut ChaCha8Rng, text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for _ in 0..rng.random_range(1..6) {
        let at = rng.random_range(0..=chars.len());
        match rng.random_range(0..4) {
            0 if at < chars.len() => {
                let len = rng.random_range(1..20).min(chars.len() - at);
                chars.drain(at..at + len);
            }
            1 => {
                let piece = PIECES[rng.random_range(0..PIECES.len())];
                chars.splice(at..at, piece.chars());
            }
            2 if !chars.is_empty() => {
                // Duplicate a slice elsewhere: repeated keys, nested lists, stray lines.
                let from = rng.random_range(0..chars.len());
                let len = rng.random_range(1..40).min(chars.len() - from);
                let copy: Vec<char> = chars[from..from + len].to_vec();
                chars.splice(at..at, copy);
            }
            _ if at < chars.len() => chars[at] = char::from(rng.random_range(32u8..127)),
            _ => {}
        }
    }
    chars.into_iter().collect()
}

#[test]
fn the_base_file_is_valid() {
    let bot = Intents::from_str("bot.yaml", BOT).unwrap();
    assert_eq!(
        bot.intents[0].examples[0].text,
        "a thai table in São Paulo [now]"
    );
}

#[test]
fn random_mutations_never_panic() {
    let mut rng = ChaCha8Rng::seed_from_u64(2026);
    let (mut ok, mut failed) = (0, 0);
    for _ in 0..3000 {
        let text = mutate(&mut rng, BOT);
        match Intents::from_str("bot.yaml", &text) {
            Ok(bot) => {
                bot.fingerprint();
                ok += 1;
            }
            Err(e) => {
                assert!(!e.to_string().is_empty());
                failed += 1;
            }
        }
    }
    // Both outcomes must be exercised for the test to mean anything.
    assert!(ok > 100 && failed > 100, "ok {ok}, failed {failed}");
}
