//! `slotfill import rasa` on Rasa's own examples (`tests/data/rasa/`, Apache-2.0): the moodbot
//! of `rasa init` and the formbot import without a hand edit, pass `slotfill check`, train,
//! and hold the conversations of their stories and tests; what does not carry over is
//! reported, and the report is asserted.

use crate::common::{trained, Script};
use slotfill::import::rasa;
use slotfill::intents::{Act, Intents};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn project(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/rasa")
        .join(name)
}

/// The project imported into a new folder, loaded as `slotfill check` loads it, with the
/// report's lines.
fn imported(name: &str) -> (Intents, Vec<String>) {
    let out = tempfile::tempdir().unwrap();
    let import = rasa::import(&project(name)).unwrap();
    import.write(out.path(), &project(name)).unwrap();
    let intents = Intents::load(out.path()).unwrap();
    let notes = import.notes.iter().map(ToString::to_string).collect();
    (intents, notes)
}

fn formbot() -> &'static slotfill::Bot {
    static BOT: OnceLock<slotfill::Bot> = OnceLock::new();
    BOT.get_or_init(|| trained(imported("formbot").0, 40))
}

fn moodbot() -> &'static slotfill::Bot {
    static BOT: OnceLock<slotfill::Bot> = OnceLock::new();
    BOT.get_or_init(|| trained(imported("moodbot").0, 40))
}

#[test]
fn the_moodbot_imports_whole() {
    let (bot, notes) = imported("moodbot");
    // Its image is a link in the reply's text; only a session option is left behind.
    assert_eq!(
        notes,
        [
            "domain.yml:34: `carry_over_slots_to_new_session` not read: an expired conversation \
          starts afresh (`settings.conversation_expiry_seconds`)"
        ]
    );
    let names: Vec<&str> = bot.intents.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "greet",
            "goodbye",
            "affirm",
            "deny",
            "mood_great",
            "mood_unhappy",
            "bot_challenge",
            // The English pack's acts that the bot does not have of its own.
            "cancel",
            "hold_on",
            "keep_all"
        ]
    );
    let reply = |intent: &str| {
        let intent = bot.intent(intent).unwrap();
        intent.action.as_ref().unwrap().reply.clone().unwrap()
    };
    assert_eq!(
        reply("mood_unhappy"),
        "Here is something to cheer you up: https://i.imgur.com/nGF1K8f.jpg\nDid that help you?"
    );
    // Each story answers `affirm` and `deny` one way: intents with replies, no acts.
    assert_eq!(reply("affirm"), "Great, carry on!");
    assert_eq!(reply("deny"), "Bye");
    assert_eq!(bot.settings.conversation_expiry_seconds, 3600);
    assert!(bot.warnings.is_empty());
}

#[test]
fn the_formbot_imports_its_form_mappings_and_acts_and_reports_the_rest() {
    let (bot, notes) = imported("formbot");
    assert_eq!(
        notes,
        [
            "config.yml:3: pipeline and policies not read: slotfill trains one model of its \
             own, a shared encoder with an intent head and an entity tagger, and its dialogue \
             needs no policies; `language` and Duckling's `dimensions` are read",
            "data/stories.yml:2: story `stop form + continue` ends form `restaurant_form` with \
             utter_submit, utter_slots_values; slotfill ends it one way, with the first \
             (utter_slots_values)",
            "domain.yml:4: `use_entities` of intent `request_restaurant`: a slot's sources say \
             which intents fill it (`if_intent`, `unless_intent`)",
            "domain.yml:4: `use_entities` of intent `chitchat`: a slot's sources say which \
             intents fill it (`if_intent`, `unless_intent`)",
            "domain.yml:24: slot option `influence_conversation` not read: slotfill's dialogue \
             fills and asks slots without featurizing them",
            "domain.yml:25: slot option `auto_fill` not read: slotfill's dialogue fills and asks \
             slots without featurizing them",
            "domain.yml:72: response `utter_wrong_cuisine` is said by no rule or story (a custom \
             action may say it): not carried over",
            "domain.yml:74: response `utter_wrong_num_people` is said by no rule or story (a \
             custom action may say it): not carried over",
            "domain.yml:76: response `utter_wrong_outdoor_seating` is said by no rule or story \
             (a custom action may say it): not carried over",
            "domain.yml:84: response `utter_restart` is said by no rule or story (a custom action \
             may say it): not carried over",
            "domain.yml:88: `validate_restaurant_form` validates form `restaurant_form` in \
             Python: write `validate:` rules on its slots (values, pattern, min, max) or map an \
             entity's values in a source's `values`",
            "domain.yml:125: `carry_over_slots_to_new_session` not read: an expired \
             conversation starts afresh (`settings.conversation_expiry_seconds`)",
        ]
    );
    let form = bot.intent("request_restaurant").unwrap();
    let slots: Vec<&str> = form.slots.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        slots,
        [
            "cuisine",
            "num_people",
            "outdoor_seating",
            "preferences",
            "feedback"
        ]
    );
    assert_eq!(
        form.ask_to_continue.as_deref(),
        Some("Do you want to continue?")
    );
    assert_eq!(form.slots[0].prompts, ["What cuisine?"]);
    let act = |intent: &str| bot.intent(intent).unwrap().act;
    assert_eq!(act("affirm"), Some(Act::Affirm));
    assert_eq!(act("deny"), Some(Act::Deny));
    assert_eq!(act("stop"), Some(Act::Cancel));
    assert_eq!(act("inform"), Some(Act::Inform));
    assert_eq!(act("greet"), None);
    // Duckling's numbers are marked in the examples, as the tagger learns them.
    let examples = &form.examples;
    let marked = examples
        .iter()
        .find(|e| e.text == "i need a table for 4")
        .unwrap();
    assert_eq!(marked.annotations[0].entity, "number");
    // Rasa repeats lines inside an intent ("hi" twice in `greet`): warnings, kept once.
    assert_eq!(bot.warnings.len(), 6, "{:?}", bot.warnings);
    let greet = bot.intent("greet").unwrap();
    let his = greet
        .examples
        .iter()
        .filter(|e| e.text.eq_ignore_ascii_case("hi"));
    assert_eq!(his.count(), 1);
}

#[test]
fn a_folder_without_a_domain_is_refused_with_what_to_give() {
    let empty = tempfile::tempdir().unwrap();
    let error = rasa::import(empty.path()).unwrap_err().to_string();
    assert!(error.contains("no domain.yml"), "{error}");
}

/// The replies of a conversation, one message after another.
fn replies(chat: &mut Script, text: &str) -> Vec<String> {
    chat.say(text).replies
}

#[test]
fn the_formbot_happy_paths_fill_the_form_as_rasa_does() {
    // test_conversations.yml, "Happy path" and "... providing requested value", with the
    // form's questions answered in between.
    let mut chat = Script::on(formbot(), "happy");
    assert_eq!(
        replies(&mut chat, "hi"),
        ["Hello! I am restaurant search assistant! How can I help?"]
    );
    assert_eq!(
        replies(&mut chat, "im looking for a restaurant"),
        ["What cuisine?"]
    );
    assert_eq!(replies(&mut chat, "afghan food"), ["How many people?"]);
    assert_eq!(
        replies(&mut chat, "for three people"),
        ["Do you want to sit outside?"]
    );
    // The slot's first source, an entity: "outside please" is no yes or no.
    assert_eq!(
        replies(&mut chat, "outside please"),
        ["Please provide additional preferences"]
    );
    // `from_intent: deny` gives its value.
    assert_eq!(
        replies(&mut chat, "no"),
        ["Please give your feedback on your experience so far"]
    );
    let done = chat.say("my feedback is great");
    assert_eq!(
        done.replies,
        [
            "I am going to run a restaurant search using the following parameters:\n - cuisine: \
          afghan\n - num_people: 3\n - outdoor_seating: outside\n - preferences: no additional \
          preferences\n - feedback: great"
        ]
    );
    assert_eq!(replies(&mut chat, "thanks"), ["You are welcome :)"]);
}

#[test]
fn the_formbot_answers_chitchat_inside_the_form_and_goes_on() {
    // test_conversations.yml, "unhappy path".
    let mut chat = Script::on(formbot(), "unhappy");
    chat.say("hi");
    assert_eq!(
        replies(&mut chat, "im looking for a restaurant"),
        ["What cuisine?"]
    );
    assert_eq!(
        replies(&mut chat, "can you share your boss with me?"),
        ["chitchat", "What cuisine?"]
    );
    assert_eq!(replies(&mut chat, "italian"), ["How many people?"]);
    assert_eq!(
        replies(&mut chat, "2 people"),
        ["Do you want to sit outside?"]
    );
    // `from_intent: affirm` gives `true`; the reply shows it as yes.
    let turn = chat.say("yes");
    assert_eq!(turn.slots["outdoor_seating"], serde_json::json!(true));
    assert_eq!(turn.replies, ["Please provide additional preferences"]);
    // `from_text` is the whole reply.
    assert_eq!(
        replies(&mut chat, "a quiet table by the window"),
        ["Please give your feedback on your experience so far"]
    );
    let done = chat.say("it was fine really");
    assert!(
        done.replies[0].contains(" - outdoor_seating: yes\n - preferences: a quiet table by the window\n - feedback: it was fine really"),
        "{:?}",
        done.replies
    );
}

#[test]
fn the_formbot_asks_whether_to_go_on_when_stopped() {
    // stories.yml, "stop form + continue".
    let mut chat = Script::on(formbot(), "stop-continue");
    assert_eq!(
        replies(&mut chat, "i need a table for 4"),
        ["What cuisine?"]
    );
    assert_eq!(
        replies(&mut chat, "you can't help me"),
        ["Do you want to continue?"]
    );
    assert_eq!(replies(&mut chat, "yes"), ["What cuisine?"]);
    assert_eq!(
        replies(&mut chat, "chinese"),
        ["Do you want to sit outside?"]
    );
    // "stop form + stop": no at the question cancels.
    let mut chat = Script::on(formbot(), "stop-stop");
    chat.say("im looking for a restaurant");
    assert_eq!(replies(&mut chat, "stop"), ["Do you want to continue?"]);
    let turn = chat.say("no");
    assert_eq!(turn.replies, ["Okay, cancelled."]);
    assert_eq!(turn.form, None);
}

#[test]
fn the_moodbot_stories_hold() {
    // stories.yml: "happy path", "sad path 1", "sad path 2"; rules.yml: goodbye, bot challenge.
    let mut chat = Script::on(moodbot(), "happy");
    assert_eq!(replies(&mut chat, "hello"), ["Hey! How are you?"]);
    assert_eq!(replies(&mut chat, "amazing"), ["Great, carry on!"]);
    let mut chat = Script::on(moodbot(), "sad-1");
    chat.say("hi");
    assert_eq!(
        replies(&mut chat, "I am sad"),
        ["Here is something to cheer you up: https://i.imgur.com/nGF1K8f.jpg\nDid that help you?"]
    );
    assert_eq!(replies(&mut chat, "yes"), ["Great, carry on!"]);
    let mut chat = Script::on(moodbot(), "sad-2");
    chat.say("hey");
    chat.say("very sad");
    // The bot's own `deny` answers "no": no "Okay." of the engine's.
    assert_eq!(replies(&mut chat, "no"), ["Bye"]);
    let mut chat = Script::on(moodbot(), "rules");
    assert_eq!(
        replies(&mut chat, "are you a bot?"),
        ["I am a bot, powered by Rasa."]
    );
    assert_eq!(replies(&mut chat, "bye"), ["Bye"]);
}

#[test]
fn a_mapped_entity_value_fills_a_boolean_slot() {
    // What formbot's Python validation did ("out..." is true), written as the source's
    // `values` by hand after the import, as its note says.
    let out = tempfile::tempdir().unwrap();
    let import = rasa::import(&project("formbot")).unwrap();
    let written = import.write(out.path(), &project("formbot")).unwrap();
    let yaml = std::fs::read_to_string(&written).unwrap();
    let seating =
        "  - name: outdoor_seating\n    prompts:\n    - Do you want to sit outside?\n    \
                   from:\n    - entity: seating\n    - intent: affirm\n      value: true\n    \
                   - intent: deny\n      value: false\n";
    assert!(yaml.contains(seating), "{yaml}");
    let mapped =
        "  - name: outdoor_seating\n    kind: boolean\n    prompts:\n    - Do you want to \
                  sit outside?\n    from:\n    - entity: seating\n      values: {outside: true, \
                  outdoor: true, inside: false, indoor: false, indoors: false}\n    - yes_no: \
                  true\n";
    std::fs::write(&written, yaml.replace(seating, mapped)).unwrap();
    let bot: &'static slotfill::Bot =
        Box::leak(Box::new(trained(Intents::load(out.path()).unwrap(), 40)));
    let mut chat = Script::on(bot, "mapped");
    chat.say("im looking for a restaurant");
    chat.say("thai");
    assert_eq!(replies(&mut chat, "for 2"), ["Do you want to sit outside?"]);
    let turn = chat.say("I would like to seat inside please");
    assert_eq!(turn.slots["outdoor_seating"], serde_json::json!(false));
    assert_eq!(turn.replies, ["Please provide additional preferences"]);
    chat.say("none");
    let done = chat.say("my feedback is good");
    assert!(
        done.replies[0].contains(" - outdoor_seating: no\n"),
        "{:?}",
        done.replies
    );
    // The slot's `yes_no` source: a yes, in the language's words or read as `affirm`.
    let mut chat = Script::on(bot, "yes-no");
    chat.say("i need a table for 4");
    chat.say("greek");
    let turn = chat.say("yes");
    assert_eq!(turn.slots["outdoor_seating"], serde_json::json!(true));
}

#[test]
fn random_mutations_of_a_project_never_panic() {
    use rand::SeedableRng;
    let read = |path: &str| std::fs::read_to_string(project("formbot").join(path)).unwrap();
    let (domain, nlu, rules) = (
        read("domain.yml"),
        read("data/nlu.yml"),
        read("data/rules.yml"),
    );
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(35);
    let (mut ok, mut failed) = (0, 0);
    for round in 0..300 {
        // One file mutated a round: a YAML error in any refuses the whole project.
        let mut texts = [domain.clone(), nlu.clone(), rules.clone()];
        texts[round % 3] = crate::intents_mutations::mutate(&mut rng, &texts[round % 3]);
        let [domain, nlu, rules] = texts;
        let files = vec![
            ("domain.yml".into(), domain),
            ("data/nlu.yml".into(), nlu),
            ("data/rules.yml".into(), rules),
        ];
        match rasa::import_files(files) {
            Ok(imported) => {
                // What it writes loads, or is refused with its problems.
                let yaml = imported.to_yaml().unwrap();
                let _ = Intents::from_str("bot.yaml", &yaml);
                ok += 1;
            }
            Err(e) => {
                assert!(!e.to_string().is_empty());
                failed += 1;
            }
        }
    }
    assert!(ok > 50 && failed > 50, "ok {ok}, failed {failed}");
}

/// A Rasa 3.x project of the constructs the two examples lack: slot mappings in the slots,
/// `required_slots`, roles and values in JSON annotations, synonyms, lookups, regexes, a
/// retrieval intent, buttons, a custom action and a story that branches on a slot.
const DOMAIN_3: &str = r#"version: "3.1"
intents: [greet, book_flight, faq, affirm, deny]
entities:
  - city:
      roles: [origin, destination]
  - zipcode
slots:
  origin:
    type: text
    mappings:
    - type: from_entity
      entity: city
      role: origin
  destination:
    type: text
    mappings:
    - type: from_entity
      entity: city
      role: destination
  window:
    type: bool
    mappings:
    - type: from_intent
      intent: affirm
      value: true
      conditions:
      - active_loop: flight_form
        requested_slot: window
    - type: from_intent
      intent: deny
      value: false
forms:
  flight_form:
    required_slots: [origin, destination, window]
responses:
  utter_greet:
  - text: "Hi!"
    buttons:
    - title: "Book a flight"
      payload: /book_flight
  utter_ask_origin: [{text: "From where?"}]
  utter_ask_destination: [{text: "To where?"}]
  utter_ask_window: [{text: "A window seat?"}]
  utter_booked: [{text: "Booked {origin} to {destination}, window: {window}."}]
  utter_faq/ask_name: [{text: "I am Sara."}]
actions: [action_book]
"#;

const NLU_3: &str = r#"version: "3.1"
nlu:
- intent: greet
  examples: |
    - hi
    - hello
- intent: book_flight
  examples: |
    - fly from [Paris]{"entity": "city", "role": "origin"} to [NYC]{"entity": "city", "role": "destination", "value": "New York"}
    - book a flight
- intent: faq/ask_name
  examples: |
    - what's your name
- intent: affirm
  examples: |
    - yes
- intent: deny
  examples: |
    - no
- synonym: New York
  examples: |
    - big apple
- lookup: city
  examples: |
    - Berlin
- regex: zipcode
  examples: |
    - \d{5}
rules:
- rule: greet
  steps:
  - intent: greet
  - action: utter_greet
- rule: faq
  steps:
  - intent: faq
  - action: utter_faq
- rule: book
  steps:
  - intent: book_flight
  - action: flight_form
  - active_loop: flight_form
  - active_loop: null
  - action: utter_booked
  - action: action_book
stories:
- story: window people
  steps:
  - intent: greet
  - slot_was_set:
    - window: true
  - action: utter_greet
"#;

#[test]
fn a_rasa_3_project_converts_mappings_roles_synonyms_lookups_and_regexes() {
    let import = rasa::import_files(vec![
        ("domain.yml".into(), DOMAIN_3.into()),
        ("data/nlu.yml".into(), NLU_3.into()),
    ])
    .unwrap();
    let notes: Vec<String> = import.notes.iter().map(ToString::to_string).collect();
    assert_eq!(notes.len(), 3, "{notes:#?}");
    let starts = [
        "data/nlu.yml:47: story `window people` uses `slot_was_set`",
        "domain.yml:36: response `utter_greet` has buttons",
        "domain.yml:46: custom action `action_book` becomes a webhook placeholder",
    ];
    for (note, start) in notes.iter().zip(starts) {
        assert!(note.starts_with(start), "{notes:#?}");
    }
    let bot = Intents::from_str("bot.yaml", &import.to_yaml().unwrap()).unwrap();
    let book = bot.intent("book_flight").unwrap();
    let slot = |name: &str| book.slots.iter().find(|s| s.name == name).unwrap();
    assert_eq!(slot("origin").entity.as_deref(), Some("city"));
    assert_eq!(slot("origin").role.as_deref(), Some("origin"));
    assert_eq!(slot("destination").role.as_deref(), Some("destination"));
    assert_eq!(slot("window").kind, slotfill::intents::SlotKind::Boolean);
    assert_eq!(slot("window").from.len(), 2);
    let action = book.action.as_ref().unwrap();
    assert_eq!(action.name, "action_book");
    assert!(action.webhook.is_some());
    assert_eq!(
        action.reply.as_deref(),
        Some("Booked {origin} to {destination}, window: {window}.")
    );
    assert_eq!(bot.intent("affirm").unwrap().act, Some(Act::Affirm));
    assert_eq!(bot.intent("deny").unwrap().act, Some(Act::Deny));
    let example = &book.examples[0];
    assert_eq!(example.text, "fly from Paris to NYC");
    assert_eq!(example.annotations[1].role.as_deref(), Some("destination"));
    let faq = bot.intent("faq.ask_name").unwrap();
    assert_eq!(
        faq.action.as_ref().unwrap().reply.as_deref(),
        Some("I am Sara.")
    );
    let city = bot.entities.iter().find(|e| e.name == "city").unwrap();
    let values: Vec<String> = city
        .values
        .iter()
        .flat_map(|(value, synonyms)| std::iter::once(value).chain(synonyms))
        .map(|v| v.to_lowercase())
        .collect();
    for value in ["new york", "paris", "nyc", "big apple", "berlin"] {
        assert!(values.iter().any(|v| v == value), "{value} in {values:?}");
    }
    let zipcode = bot.entities.iter().find(|e| e.name == "zipcode").unwrap();
    assert_eq!(zipcode.patterns.len(), 1);
}
