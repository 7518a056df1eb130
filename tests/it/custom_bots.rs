//! Small bots written in the test, as users write their own: what the dialogue does with
//! their entities, slots and actions, shown with parses made by hand so that no model's
//! mistakes (or luck) decide the outcome.

use crate::common;

use crate::common::fired;
use slotfill::dialogue::{Conversation, Dialogue, Turn};
use slotfill::intents::Intents;
use slotfill::parse::{Entity, IntentScore, Parse};
use slotfill::resolve::Resolvers;

/// A bot with the slot types the tests need: a reference known only by its pattern, a
/// phone number, a lookup list and an optional slot without a question.
const BOT: &str = r#"
entities:
  - name: booking_ref
    patterns: ['\b[A-Z]{2}\d{4}\b']
  - name: phone
    patterns: ['\+?\d[\d -]{7,14}\d']
intents:
  - name: cancel_booking
    examples:
      - cancel booking [AB1234](booking_ref)
      - I want to cancel my reservation
    slots:
      - name: ref
        entity: booking_ref
        prompts: ["What is your booking reference?"]
    confirm: "Cancel booking {ref}?"
    action:
      reply: "Booking {ref} is cancelled."
  - name: call_me
    examples:
      - call me, my number is [+31 612345678](phone)
      - call me back
    slots:
      - name: phone
        entity: phone
        prompts: ["What phone number?"]
    action:
      reply: "We'll call {phone}."
"#;

/// A parse of `text` as `intent` with `entities`, each the entity type and its words.
fn parse(text: &str, intent: &str, entities: &[(&str, &str)]) -> Parse {
    let entities = entities
        .iter()
        .map(|(entity, value)| {
            let start = text[..text.find(value).unwrap()].chars().count();
            Entity {
                entity: entity.to_string(),
                role: None,
                value: value.to_string(),
                start,
                end: start + value.chars().count(),
                confidence: 0.9,
                resolved: None,
            }
        })
        .collect();
    Parse {
        text: text.into(),
        intent: IntentScore {
            name: intent.into(),
            confidence: 0.95,
        },
        intent_ranking: vec![],
        entities,
        slots: Default::default(),
    }
}

/// One conversation with the dialogue of `yaml`, fed parses made by hand.
struct Chat {
    intents: Intents,
    resolvers: Resolvers,
    conversation: Conversation,
}

impl Chat {
    fn with(yaml: &str) -> Chat {
        let intents = Intents::from_str("bot.yaml", yaml).unwrap();
        let resolvers = Resolvers::new(&intents.entities);
        Chat {
            intents,
            resolvers,
            conversation: Conversation::default(),
        }
    }

    fn say(&mut self, parse: Parse) -> Turn {
        Dialogue::new(&self.intents, &self.resolvers).step(
            &mut self.conversation,
            &parse,
            &common::at(0),
        )
    }
}

#[test]
fn a_pattern_entity_resolves_to_the_part_that_matches_or_to_nothing() {
    let chat = Chat::with(BOT);
    let context = common::at(0);
    let phone = chat
        .resolvers
        .resolve("phone", "6am, my number is +31 612345678", &context)
        .unwrap();
    assert_eq!(phone.slot_value(), "+31 612345678");
    let refused = chat.resolvers.resolve("booking_ref", "12345", &context);
    assert_eq!(
        refused.unwrap_err().hint.as_deref(),
        Some("I couldn't read \"12345\" as a booking ref.")
    );
}

#[test]
fn a_reply_without_a_match_of_the_pattern_is_refused_and_asked_again() {
    let mut chat = Chat::with(BOT);
    let turn = chat.say(parse(
        "I want to cancel my reservation",
        "cancel_booking",
        &[],
    ));
    assert_eq!(turn.replies, ["What is your booking reference?"]);
    for reply in ["12345", "I don't remember"] {
        let turn = chat.say(parse(reply, "out_of_scope", &[("booking_ref", reply)]));
        assert_eq!(
            turn.replies,
            [format!(
                "Sorry, I couldn't read \"{reply}\" as a booking ref. What is your booking reference?"
            )]
        );
        assert_eq!(turn.asking.as_deref(), Some("ref"));
        assert!(!turn.slots.contains_key("ref"), "{:?}", turn.slots);
    }
    let turn = chat.say(parse("it's AB1234", "out_of_scope", &[]));
    assert_eq!(turn.replies, ["Cancel booking AB1234?"]);
}

#[test]
fn three_replies_without_a_match_give_the_form_up() {
    let mut chat = Chat::with(BOT);
    chat.say(parse(
        "I want to cancel my reservation",
        "cancel_booking",
        &[],
    ));
    for reply in ["12345", "no idea", "double"] {
        chat.say(parse(reply, "out_of_scope", &[]));
    }
    assert!(chat.conversation.form.is_none());
}

#[test]
fn a_tagged_span_run_on_past_the_pattern_gives_the_slot_only_the_match() {
    let mut chat = Chat::with(BOT);
    let text = "call me at 6am, my number is +31 612345678";
    let turn = chat.say(parse(
        text,
        "call_me",
        &[("phone", "6am, my number is +31 612345678")],
    ));
    assert_eq!(fired(&turn), Some("call_me"));
    assert_eq!(turn.slots["phone"], "+31 612345678");
}

#[test]
fn a_bare_no_after_an_action_is_okay_even_where_the_tagger_saw_a_value_in_it() {
    let mut chat = Chat::with(BOT);
    let text = "call me, my number is +31 612345678";
    let turn = chat.say(parse(text, "call_me", &[("phone", "+31 612345678")]));
    assert_eq!(fired(&turn), Some("call_me"));
    let turn = chat.say(parse("no", "out_of_scope", &[("phone", "no")]));
    assert_eq!(turn.replies, ["Okay."]);
    assert!(chat.conversation.form.is_none());
}

/// A bot with a lookup list whose values carry a title, and allowed values with a reprompt
/// that ends with its question.
const DOCTOR: &str = r#"
entities:
  - name: doctor
    values:
      - value: Dr. Smith
        synonyms: [smith]
      - Dr. Patel
  - name: room
    values: [single, double]
intents:
  - name: book
    examples:
      - see [Dr. Smith](doctor) in a [single](room) room
      - an appointment
    slots:
      - name: doctor
        entity: doctor
        prompts: ["Which doctor?"]
        validate:
          values: [Dr. Smith, Dr. Patel]
          reprompt: "We have no {value} here. Dr. Smith or Dr. Patel?"
      - name: room
        entity: room
        prompts: ["Which room?"]
        validate:
          values: [single, double]
          reprompt: "We don't have {value} rooms. Single or double?"
"#;

#[test]
fn the_form_given_up_asks_no_question() {
    let mut chat = Chat::with(DOCTOR);
    chat.say(parse("an appointment", "book", &[]));
    let mut turn = None;
    for name in ["Dr. House", "Dr. Who", "Dr. No"] {
        turn = Some(chat.say(parse(name, "out_of_scope", &[("doctor", name)])));
    }
    assert_eq!(
        turn.unwrap().replies,
        ["We have no Dr. No here. Let's stop here; start again any time."]
    );
    assert!(chat.conversation.form.is_none());
}

#[test]
fn a_lookup_value_ends_before_the_punctuation_after_it() {
    let mut chat = Chat::with(DOCTOR);
    chat.say(parse("an appointment", "book", &[]));
    let turn = chat.say(parse(
        "Dr. Smith.",
        "out_of_scope",
        &[("doctor", "Dr. Smith.")],
    ));
    assert_eq!(turn.slots["doctor"], "Dr. Smith");
    assert_eq!(turn.replies, ["Which room?"]);
    let turn = chat.say(parse("double.", "out_of_scope", &[("room", "double.")]));
    assert_eq!(turn.slots["room"], "double");
}

/// A bot whose action is the external command `command`, trained in a second.
fn bot_with_command(command: &str) -> slotfill::Bot {
    let yaml = format!(
        r#"
entities:
  - name: booking_ref
    patterns: ['\b[A-Z]{{2}}\d{{4}}\b']
intents:
  - name: cancel_booking
    examples:
      - cancel booking [AB1234](booking_ref)
      - I want to cancel my reservation
      - please cancel [XY9876](booking_ref)
    slots:
      - name: ref
        entity: booking_ref
        prompts: ["What is your booking reference?"]
    confirm: "Cancel booking {{ref}}?"
    action:
      command: [sh, -c, "{command}"]
  - name: greet
    examples: [hi, hello, good morning]
"#
    );
    common::trained(Intents::from_str("bot.yaml", &yaml).unwrap(), 30)
}

/// A conversation where `bot` has been asked to cancel booking AB1234, and its turn.
fn cancel_asked(bot: &slotfill::Bot) -> (Conversation, Turn) {
    let mut state = Conversation::default();
    let cancel = parse(
        "cancel booking AB1234",
        "cancel_booking",
        &[("booking_ref", "AB1234")],
    );
    let turn = bot.step(&mut state, &cancel, &common::at(0));
    (state, turn)
}

#[test]
fn a_failed_command_is_no_action_and_yes_tries_it_again() {
    let bot = bot_with_command("exit 3");
    let context = common::at(0);
    let (mut state, turn) = cancel_asked(&bot);
    assert_eq!(turn.replies, ["Cancel booking AB1234?"]);
    for _ in 0..2 {
        let turn = bot.step(&mut state, &parse("yes", "out_of_scope", &[]), &context);
        assert_eq!(turn.action, None);
        assert_eq!(
            turn.replies,
            ["Sorry, that didn't work: sh failed (exit status: 3). Shall I try again?"]
        );
        let form = state.form.as_ref().unwrap();
        assert!(form.confirming);
        assert_eq!(form.slots["ref"].value, "AB1234");
    }
}

#[test]
fn a_command_that_answers_nothing_gets_the_default_reply() {
    let bot = bot_with_command("cat > /dev/null");
    let context = common::at(0);
    let (mut state, _) = cancel_asked(&bot);
    let turn = bot.step(&mut state, &parse("yes", "out_of_scope", &[]), &context);
    assert_eq!(fired(&turn), Some("cancel_booking"));
    assert_eq!(turn.replies, ["Done: cancel booking."]);
}

#[test]
fn debug_shows_the_parse_when_chat_reads_a_pipe() {
    use std::io::Write;
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut chat = std::process::Command::new(env!("CARGO_BIN_EXE_slotfill"))
        .current_dir(root)
        .args(["chat", "--intents", "intents", "--model", "models/bundled"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    chat.stdin
        .take()
        .unwrap()
        .write_all(b"/debug\nhello\n/debug\nhello\n")
        .unwrap();
    let output = chat.wait_with_output().unwrap();
    let lines: Vec<String> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(lines[0], "(debug on)");
    assert!(lines[1].starts_with("greet ("), "{lines:?}");
    assert_eq!(lines[2], "  commands: start greet", "{lines:?}");
    assert_eq!(lines[4], "(debug off)");
    assert_eq!(lines.len(), 6, "{lines:?}");
}

#[test]
fn a_title_that_the_listed_values_start_with_is_said_with_the_name_after_it() {
    let mut chat = Chat::with(DOCTOR);
    chat.say(parse("an appointment", "book", &[]));
    let turn = chat.say(parse("Dr. House", "out_of_scope", &[("doctor", "Dr.")]));
    assert_eq!(
        turn.replies,
        ["We have no Dr. House here. Dr. Smith or Dr. Patel?"]
    );
    let turn = chat.say(parse("Dr. Patel", "out_of_scope", &[("doctor", "Dr.")]));
    assert_eq!(turn.slots["doctor"], "Dr. Patel");
}

#[test]
fn a_slot_without_a_question_named_to_change_it_gets_one_in_english() {
    let mut chat = Chat::with(
        r#"
entities:
  - name: number
    resolver: number
  - name: place
intents:
  - name: book_taxi
    examples: ["a taxi to [Delft](place)"]
    slots:
      - name: dropoff
        entity: place
        prompts: ["Where to?"]
      - name: passengers
        entity: number
        default: "1"
    confirm: "A taxi to {dropoff} for {passengers}. OK?"
"#,
    );
    let turn = chat.say(parse("a taxi to Delft", "book_taxi", &[("place", "Delft")]));
    assert_eq!(turn.replies, ["A taxi to Delft for 1. OK?"]);
    chat.say(parse("no", "out_of_scope", &[]));
    let turn = chat.say(parse("the passengers", "out_of_scope", &[]));
    assert_eq!(turn.replies, ["What should the passengers be?"]);
}
