//! The pizza bot of `examples/pizza`, built only from YAML: scripted conversations over its
//! list, yes/no, free-text and time slots.

use crate::common;

use crate::common::{fired, Recording, Script};
use slotfill::Bot;
use std::path::Path;
use std::sync::OnceLock;

pub(crate) fn pizza() -> &'static Bot {
    static BOT: OnceLock<Bot> = OnceLock::new();
    BOT.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/pizza");
        Bot::load(&root.join("intents"), &root.join("model")).unwrap()
    })
}

/// A conversation with the pizza bot, its messages parsed as its model read them when
/// `tests/data/parses/pizza.jsonl` was recorded.
fn conversation() -> Script {
    static PARSES: OnceLock<Recording> = OnceLock::new();
    Script::recorded(pizza(), PARSES.get_or_init(|| Recording::open("pizza")))
}

#[test]
fn a_whole_order_fills_every_kind_of_slot() {
    let mut chat = conversation();
    let turn = chat.say("I'd like a large pizza with pepperoni and mushrooms");
    assert_eq!(turn.intent, "order_pizza");
    assert_eq!(turn.slots["size"], "large");
    assert_eq!(
        turn.slots["toppings"],
        serde_json::json!(["pepperoni", "mushrooms"])
    );
    assert_eq!(turn.replies, ["Would you like extra cheese?"]);
    let turn = chat.say("yes please");
    assert_eq!(turn.slots["extra_cheese"], true);
    assert_eq!(turn.replies, ["What's the delivery address?"]);
    let turn = chat.say("12 Via Roma, Milan");
    assert_eq!(turn.slots["address"], "12 Via Roma, Milan");
    assert_eq!(turn.replies, ["When should we deliver it?"]);
    let turn = chat.say("at 8pm");
    assert_eq!(turn.slots["delivery_time"], "20:00");
    assert_eq!(
        turn.replies,
        [
            "A large pizza with pepperoni and mushrooms (extra cheese: yes) to 12 Via Roma, Milan \
          at 20:00. Shall I place the order?"
        ]
    );
    let turn = chat.say("yes");
    assert_eq!(fired(&turn), Some("order_pizza"));
    assert_eq!(
        turn.replies,
        ["Order placed: a large pizza with pepperoni and mushrooms to 12 Via Roma, Milan at 20:00."]
    );
}

#[test]
fn toppings_are_added_removed_and_replaced() {
    let mut chat = conversation();
    let turn = chat.say("a medium pizza with ham");
    assert_eq!(turn.slots["toppings"], serde_json::json!(["ham"]));
    // Synonyms resolve, "and" carries the edit, and an item is kept once.
    let turn = chat.say("add olives, ham and mushroom");
    assert_eq!(
        turn.slots["toppings"],
        serde_json::json!(["ham", "olives", "mushrooms"])
    );
    let turn = chat.say("no ham and no olives");
    assert_eq!(turn.slots["toppings"], serde_json::json!(["mushrooms"]));
    let turn = chat.say("actually just pepperoni and basil");
    assert_eq!(
        turn.slots["toppings"],
        serde_json::json!(["pepperoni", "basil"])
    );
    // Still asking what it asked before: the edits answered nothing else.
    assert_eq!(turn.replies, ["Would you like extra cheese?"]);
    assert_eq!(fired(&turn), None);
}

#[test]
fn none_is_an_empty_list_and_no_is_false() {
    let mut chat = conversation();
    let turn = chat.say("I want a pizza");
    assert_eq!(
        turn.replies,
        ["What size would you like: small, medium or large?"]
    );
    chat.say("small");
    let turn = chat.say("none");
    assert_eq!(turn.slots["toppings"], serde_json::json!([]));
    assert_eq!(turn.replies, ["Would you like extra cheese?"]);
    let turn = chat.say("no thanks");
    assert_eq!(turn.slots["extra_cheese"], false);
    chat.say("3 Baker Street");
    let turn = chat.say("7:30 pm");
    assert!(
        turn.replies[0].starts_with("A small pizza with none (extra cheese: no)"),
        "{:?}",
        turn.replies
    );
}

#[test]
fn a_boolean_question_takes_only_yes_or_no() {
    let mut chat = conversation();
    chat.say("a large pizza with bacon");
    let turn = chat.say("maybe later");
    assert!(
        turn.replies[0].starts_with("Please answer yes or no."),
        "{:?}",
        turn.replies
    );
    assert!(!turn.slots.contains_key("extra_cheese"));
    let turn = chat.say("yep");
    assert_eq!(turn.slots["extra_cheese"], true);
}

#[test]
fn free_text_takes_the_whole_reply_and_is_validated() {
    let mut chat = conversation();
    chat.say("a large pizza with bacon");
    chat.say("no");
    // "stop …" is an address here, not a cancel; but it lacks a house number.
    let turn = chat.say("stop by the back door");
    assert_eq!(
        turn.replies,
        ["Please give the full address with the house number."]
    );
    let turn = chat.say("Flat 2, 221B Baker Street, London");
    assert_eq!(turn.slots["address"], "Flat 2, 221B Baker Street, London");
    assert_eq!(turn.replies, ["When should we deliver it?"]);
}

#[test]
fn a_bare_cancel_still_cancels_while_free_text_is_asked() {
    let mut chat = conversation();
    chat.say("a large pizza with bacon");
    chat.say("yes");
    let turn = chat.say("cancel");
    assert_eq!(turn.replies, ["Okay, cancelled."]);
    assert!(chat.state().form.is_none());
}

#[test]
fn questions_mid_order_are_answered_and_the_order_resumes() {
    let mut chat = conversation();
    chat.say("a medium pizza with ham and pineapple");
    let turn = chat.say("what are your opening hours?");
    assert_eq!(
        turn.replies,
        [
            "We deliver every day from 11:30 to 23:00.",
            "Would you like extra cheese?"
        ]
    );
}

#[test]
fn changing_the_toppings_at_confirmation_asks_again() {
    let mut chat = conversation();
    chat.say("a large pizza with ham and olives");
    chat.say("no");
    chat.say("5 Long Lane");
    chat.say("9pm");
    let turn = chat.say("without olives");
    assert_eq!(fired(&turn), None);
    assert_eq!(
        turn.replies,
        ["A large pizza with ham (extra cheese: no) to 5 Long Lane at 21:00. Shall I place the order?"]
    );
    assert_eq!(fired(&chat.say("yes")), Some("order_pizza"));
}

#[test]
fn parse_maps_every_topping_into_the_list_slot() {
    let parser = pizza().parser();
    let context = common::at(0);
    let parse = parser
        .parse("a small pizza with onions, spinach and tomatoes", &context)
        .unwrap();
    assert_eq!(
        parse.slots["toppings"],
        serde_json::json!(["onions", "spinach", "tomatoes"])
    );
    assert_eq!(parse.slots["size"], "small");
}

#[test]
fn the_committed_model_is_what_its_yaml_trains() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/pizza");
    let intents = slotfill::intents::Intents::load(&root.join("intents")).unwrap();
    let (model, _) =
        slotfill::train::train_intents(&intents, slotfill::train::bot_config(), false).unwrap();
    let dir = tempfile::tempdir().unwrap();
    model.save(dir.path()).unwrap();
    for file in ["config.json", "model.safetensors", "tokenizer.json"] {
        let trained = std::fs::read(dir.path().join(file)).unwrap();
        let committed = std::fs::read(root.join("model").join(file)).unwrap();
        assert!(
            trained == committed,
            "{file} differs: retrain with `slotfill train --intents examples/pizza/intents \
             --out examples/pizza/model`"
        );
    }
}

#[test]
fn an_optional_slot_left_empty_is_left_out_of_the_reply() {
    // A `note` slot nobody fills; slots and templates are not part of what the model learned.
    let dir = tempfile::tempdir().unwrap();
    let (intents, model) = (dir.path().join("intents"), dir.path().join("model"));
    common::copy_dir("examples/pizza/intents", &intents);
    common::copy_dir("examples/pizza/model", &model);
    let file = intents.join("order_pizza.yaml");
    let yaml = std::fs::read_to_string(&file).unwrap();
    let edited = yaml
        .replace(
            "    confirm: \"",
            "      - name: note\n        kind: text\n        required: false\n    confirm: \"",
        )
        .replace(
            "at {delivery_time}. Shall",
            "at {delivery_time} {note}. Shall",
        );
    assert_ne!(yaml, edited);
    std::fs::write(&file, edited).unwrap();
    let bot: &'static Bot = Box::leak(Box::new(Bot::load(&intents, &model).unwrap()));
    let mut chat = Script::on(bot, "no-note");
    chat.say("a large pizza with pepperoni");
    chat.say("no");
    chat.say("12 Via Roma, Milan");
    let turn = chat.say("at 8pm");
    assert_eq!(
        turn.replies,
        [
            "A large pizza with pepperoni (extra cheese: no) to 12 Via Roma, Milan at 20:00. \
          Shall I place the order?"
        ]
    );
}
