//! The parser on a tiny bot trained in the test, and on the committed bundled bot.

use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use slotfill::dataset;
use slotfill::eval::evaluate;
use slotfill::intents::Intents;
use slotfill::model::{JointModel, MAX_TEXT_CHARS};
use slotfill::parse::{Parser, OUT_OF_SCOPE};
use slotfill::resolve::Context;
use slotfill::train::{bot_config, train_intents};
use std::path::Path;

const TINY_BOT: &str = r#"
entities:
  - name: location
  - name: cuisine
    values:
      - value: japanese
        synonyms: [sushi]
      - italian
intents:
  - name: flight
    examples:
      - fly from [Boston](location:origin) to [Denver](location:destination)
      - a flight from [Oslo](location:origin) to [São Paulo](location:destination)
      - from [Zürich](location:origin) to [Lima](location:destination) please
      - book a flight from [Rome](location:origin) to [Paris](location:destination)
      - I want to fly from [Berlin](location:origin) to [Tokyo](location:destination)
    slots:
      - name: origin
        entity: location
        prompts: ["From where?"]
      - name: destination
        entity: location
        prompts: ["To where?"]
  - name: food
    examples:
      - I want [italian](cuisine) food
      - find me some [sushi](cuisine)
      - any good [japanese](cuisine) places
      - I feel like [italian](cuisine)
      - where can I eat [sushi](cuisine)
    slots:
      - name: cuisine
        entity: cuisine
        prompts: ["What kind of food?"]
  - name: out_of_scope
    examples:
      - tell me a joke
      - what is the meaning of life
      - sing a song
      - how tall is mount everest
      - who won the game
"#;

fn context() -> Context {
    Context::at("2026-11-23T10:00", "UTC").unwrap()
}

fn tiny_parser() -> Parser {
    let intents = Intents::from_str("tiny.yaml", TINY_BOT).unwrap();
    let config = slotfill::model::ModelConfig {
        epochs: 30,
        // Exactly these epochs: the tiny bot needs no more to show what these tests check.
        min_steps: 0,
        ..bot_config()
    };
    let (model, _) = train_intents(&intents, config, false).unwrap();
    Parser::new(model, Some(intents)).unwrap()
}

#[test]
fn entities_have_char_offsets_roles_and_slots() {
    let parser = tiny_parser();
    let text = "a flight from Zürich to São Paulo";
    let parse = parser.parse(text, &context()).unwrap();
    assert_eq!(parse.intent.name, "flight");
    let chars: Vec<char> = text.chars().collect();
    for entity in &parse.entities {
        let span: String = chars[entity.start..entity.end].iter().collect();
        assert_eq!(span, entity.value);
        assert!(entity.confidence > 0.0 && entity.confidence <= 1.0);
    }
    assert_eq!(parse.slots["origin"], "Zürich");
    assert_eq!(parse.slots["destination"], "São Paulo");
    let ranking: Vec<f32> = parse.intent_ranking.iter().map(|i| i.confidence).collect();
    assert!(ranking.windows(2).all(|w| w[0] >= w[1]));
}

#[test]
fn lookup_synonyms_resolve_to_their_value() {
    let parser = tiny_parser();
    let parse = parser.parse("where can I eat sushi", &context()).unwrap();
    assert_eq!(parse.intent.name, "food");
    assert_eq!(parse.slots["cuisine"], "japanese");
}

#[test]
fn odd_input_gets_a_sane_result() {
    let parser = tiny_parser();
    let empty = parser.parse("", &context()).unwrap();
    assert_eq!(empty.intent.name, OUT_OF_SCOPE);
    assert!(empty.entities.is_empty());
    for text in ["🙂🙂🙂", "   ", "\u{0}\u{1}", "ﷺ ǅ ß İ", "[](){}"] {
        parser.parse(text, &context()).unwrap();
    }
    let long = "fly to Oslo ".repeat(2000);
    let parse = parser.parse(&long, &context()).unwrap();
    assert_eq!(parse.text.chars().count(), MAX_TEXT_CHARS);
}

#[test]
fn a_model_of_other_intents_is_refused_as_such() {
    let intents = Intents::from_str("tiny.yaml", TINY_BOT).unwrap();
    let changed = Intents::from_str(
        "tiny.yaml",
        &TINY_BOT.replace("tell me a joke", "tell me a story"),
    )
    .unwrap();
    let config = slotfill::model::ModelConfig {
        epochs: 1,
        min_steps: 0,
        ..bot_config()
    };
    let (model, _) = train_intents(&intents, config, false).unwrap();
    // The typed error says what is wrong; `Parser::load`, which knows the folders, says
    // how to retrain (`Error::Untrained`).
    let error = Parser::new(model, Some(changed)).err().unwrap();
    assert!(matches!(error, slotfill::Error::OtherIntents), "{error}");
    assert!(error.to_string().contains("other intents"), "{error}");
}

#[test]
fn a_bot_with_few_examples_trains_at_least_min_steps() {
    let intents = Intents::from_str("tiny.yaml", TINY_BOT).unwrap();
    let epochs = |min_steps| {
        let config = slotfill::model::ModelConfig {
            epochs: 1,
            min_steps,
            ..bot_config()
        };
        let (_, report) = train_intents(&intents, config, false).unwrap();
        report.networks[0].epochs
    };
    assert_eq!(epochs(0), 1);
    // The tiny bot's examples, its language's dialogue acts and their augmented copies make
    // fewer than 300 batches.
    assert!(epochs(300) >= 2);
}

#[test]
fn eval_reads_an_intent_below_the_threshold_as_out_of_scope_as_parse_does() {
    let intents = Intents::from_str("tiny.yaml", TINY_BOT).unwrap();
    let config = slotfill::model::ModelConfig {
        epochs: 1,
        min_steps: 0,
        ..bot_config()
    };
    let (model, _) = train_intents(&intents, config, false).unwrap();
    let samples: Vec<_> = intents
        .intents
        .iter()
        .flat_map(|i| i.examples.iter().map(|e| dataset::from_example(&i.name, e)))
        .collect();
    // No confidence after one epoch reaches 1, so every reading is `out_of_scope`.
    let scores = evaluate(&model, &samples, 1.0, false).unwrap();
    assert_eq!(scores.per_intent["flight"].correct, 0, "{scores:?}");
    assert_eq!(scores.per_intent["food"].correct, 0, "{scores:?}");
    assert_eq!(scores.per_intent[OUT_OF_SCOPE].correct, 5, "{scores:?}");
}

fn bundled() -> (&'static Path, Intents) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    (root, Intents::load(&root.join("intents")).unwrap())
}

#[test]
fn committed_model_matches_the_bundled_intents() {
    let (root, intents) = bundled();
    let model = JointModel::load(&root.join("models/bundled")).unwrap();
    assert_eq!(
        model.fingerprint(),
        Some(intents.fingerprint().as_str()),
        "intents/ changed since models/bundled was trained: run `cargo run --release -- train`"
    );
}

#[test]
fn a_leading_greeting_is_read_past_with_the_offsets_of_the_whole_text() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let parser = Parser::load(&root.join("models/bundled"), Some(&root.join("intents"))).unwrap();
    let context = Context::at("2026-11-23T10:00", "UTC").unwrap();
    let parse = parser.parse("Hey, weather in Oslo", &context).unwrap();
    assert_eq!(parse.intent.name, "get_weather");
    assert_eq!(parse.text, "Hey, weather in Oslo");
    assert_eq!((parse.entities[0].start, parse.entities[0].end), (16, 20));
    assert_eq!(parse.entities[0].value, "Oslo");
}

#[test]
fn bundled_bot_understands_held_out_utterances() {
    let (root, intents) = bundled();
    let parser = Parser::load(&root.join("models/bundled"), Some(&root.join("intents"))).unwrap();
    // The committed model scores 97.00 / 93.10, 85.45 / 84.07 and 82.28 / 86.67 (BENCHMARKS.md),
    // four seeds no less than 93 / 92.05, 84.55 / 81.06 and 83.54 / 85.59; the floors leave
    // room for a retrained model's seed-to-seed spread.
    for (file, intent_floor, slot_floor) in [
        ("bundled_bot_test.yaml", 90.0, 90.0),
        ("bundled_bot_test_2.yaml", 82.0, 80.0),
        ("bundled_bot_test_3.yaml", 78.0, 80.0),
    ] {
        let samples: Vec<_> = Intents::load_examples(&root.join("tests/data").join(file), &intents)
            .unwrap()
            .iter()
            .map(|(intent, example)| dataset::from_example(intent, example))
            .collect();
        let threshold = intents.settings.out_of_scope_threshold;
        let scores = evaluate(parser.model(), &samples, threshold, false).unwrap();
        assert!(scores.intent_accuracy >= intent_floor, "{file}: {scores:?}");
        assert!(scores.slot_f1 >= slot_floor, "{file}: {scores:?}");
    }

    let parse = parser
        .parse("fly me from Winnipeg to Graz", &context())
        .unwrap();
    assert_eq!(parse.intent.name, "book_flight");
    assert_eq!(parse.slots["origin"], "Winnipeg");
    assert_eq!(parse.slots["destination"], "Graz");
}

/// Ways of writing a value that no bundled example shows, and corrections: the built-in
/// resolvers' examples and the correction examples teach them.
#[test]
fn bundled_bot_tags_unseen_writings_and_corrections() {
    let (root, _) = bundled();
    let parser = Parser::load(&root.join("models/bundled"), Some(&root.join("intents"))).unwrap();
    for (text, slot, value) in [
        (
            "i need a flight from boston to denver on dec 5",
            "date",
            serde_json::json!("2026-12-05"),
        ),
        (
            "change the date to jan 3",
            "date",
            serde_json::json!("2027-01-03"),
        ),
        ("change the time to 9pm", "time", serde_json::json!("21:00")),
        ("make the party size 6", "party_size", serde_json::json!(6)),
        // The model tags "tomorrow!" and "friday!": the "!" is no part of the date.
        (
            "weather in rome tomorrow!",
            "date",
            serde_json::json!("2026-11-24"),
        ),
        (
            "book a table for 2 on friday!",
            "date",
            serde_json::json!("2026-11-27"),
        ),
        // The model tags "tomorrow 9pm" as one date: its day and its hour fill two slots.
        (
            "table for 2 tomorrow 9pm in Rome",
            "date",
            serde_json::json!("2026-11-24"),
        ),
        (
            "table for 2 tomorrow 9pm in Rome",
            "time",
            serde_json::json!("21:00"),
        ),
    ] {
        let parse = parser.parse(text, &context()).unwrap();
        assert_eq!(parse.slots.get(slot), Some(&value), "{text}: {parse:?}");
    }
}

#[test]
fn random_bytes_never_panic_the_bundled_parser() {
    let (root, _) = bundled();
    let parser = Parser::load(&root.join("models/bundled"), Some(&root.join("intents"))).unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(0x2545_f491);
    let pieces = [
        "fly ",
        "to ",
        "Oslo",
        "[",
        "]",
        "(",
        "é",
        "🙂",
        "\u{301}",
        " ",
        "\n",
        "5pm",
        "\u{0}",
        "table ",
        "tomorrow ",
        "at ",
        "friday",
        "!",
        ".",
    ];
    for _ in 0..300 {
        let text: String = (0..rng.random_range(0..40))
            .map(|_| {
                if rng.random_ratio(1, 3) {
                    char::from_u32(rng.random_range(0..0x2_0000))
                        .unwrap_or('x')
                        .to_string()
                } else {
                    pieces.choose(&mut rng).unwrap().to_string()
                }
            })
            .collect();
        let parse = parser.parse(&text, &context()).unwrap();
        let chars = parse.text.chars().count();
        assert!(parse
            .entities
            .iter()
            .all(|e| e.start < e.end && e.end <= chars));
    }
}
