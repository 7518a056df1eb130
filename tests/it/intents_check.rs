//! `Intents` loading and checking: the bundled bot, and one test per kind of mistake, each
//! asserting the line and the fix that `slotfill check` shows.

use slotfill::intents::Intents;
use slotfill::Error;
use std::path::Path;

const ENTITIES: &str = "
entities:
  - name: location
    resolver: location
  - name: date
    resolver: date
  - name: number
    resolver: number
";

/// Every problem of `yaml` (after the shared entities) as `line: message`.
fn problems(yaml: &str) -> Vec<String> {
    let text = format!("{ENTITIES}{yaml}");
    match Intents::from_str("bot.yaml", &text) {
        Ok(_) => Vec::new(),
        Err(Error::Many(errors)) => errors
            .iter()
            .map(|e| match e {
                Error::Intents {
                    file,
                    line,
                    message,
                } => {
                    assert_eq!(file, Path::new("bot.yaml"));
                    format!("{line}: {message}")
                }
                other => panic!("not an intents error: {other}"),
            })
            .collect(),
        Err(other) => panic!("not a list of problems: {other}"),
    }
}

/// The single problem of `yaml`, which must be on `line` and contain every one of `words`.
fn assert_problem(yaml: &str, line: u32, words: &[&str]) {
    let found = problems(yaml);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].starts_with(&format!("{line}: ")), "{found:#?}");
    for w in words {
        assert!(found[0].contains(w), "`{w}` missing from {found:#?}");
    }
}

fn bundled() -> Intents {
    Intents::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("intents")).unwrap()
}

#[test]
fn bundled_bot_loads() {
    let bot = bundled();
    let names: Vec<&str> = bot.intents.iter().map(|i| i.name.as_str()).collect();
    for name in [
        "greet",
        "goodbye",
        "thank",
        "help",
        "get_weather",
        "book_flight",
        "book_table",
        "out_of_scope",
    ] {
        assert!(names.contains(&name), "{name} missing from {names:?}");
    }
    for intent in &bot.intents {
        assert!(intent.examples.len() >= 20, "{}", intent.name);
    }
    let flight = bot
        .intents
        .iter()
        .find(|i| i.name == "book_flight")
        .unwrap();
    let roles: Vec<Option<&str>> = flight.slots.iter().map(|s| s.role.as_deref()).collect();
    assert_eq!(roles, [Some("origin"), Some("destination"), None]);
    let weather = bot
        .intents
        .iter()
        .find(|i| i.name == "get_weather")
        .unwrap();
    assert_eq!(weather.slots[1].default.as_deref(), Some("today"));
    assert!(weather.confirm.is_none());
    assert_eq!(bot.settings.time_zone, "Europe/London");
}

#[test]
fn every_bundled_file_names_the_schema() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("intents");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.starts_with("# yaml-language-server: $schema=../docs/slotfill.schema.json\n"),
            "{}",
            path.display()
        );
    }
}

#[test]
fn held_out_test_sets_load_and_use_new_cities() {
    let bot = bundled();
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let test: Vec<_> = [
        "bundled_bot_test.yaml",
        "bundled_bot_test_2.yaml",
        "bundled_bot_test_3.yaml",
    ]
    .iter()
    .flat_map(|file| Intents::load_examples(&data.join(file), &bot).unwrap())
    .collect();
    assert!(test.len() >= 200);
    let span = |ex: &slotfill::intents::Example, a: &slotfill::intents::Annotation| {
        ex.text
            .chars()
            .skip(a.start)
            .take(a.end - a.start)
            .collect::<String>()
            .to_lowercase()
    };
    let trained: std::collections::HashSet<String> = bot
        .intents
        .iter()
        .flat_map(|i| &i.examples)
        .flat_map(|ex| ex.annotations.iter().map(move |a| span(ex, a)))
        .collect();
    let texts: std::collections::HashSet<String> = bot
        .intents
        .iter()
        .flat_map(|i| &i.examples)
        .map(|ex| ex.text.to_lowercase())
        .collect();
    for (_, ex) in &test {
        assert!(
            !texts.contains(&ex.text.to_lowercase()),
            "{} is in training",
            ex.text
        );
        for a in ex.annotations.iter().filter(|a| a.entity == "location") {
            assert!(
                !trained.contains(&span(ex, a)),
                "{} is in training",
                span(ex, a)
            );
        }
    }
}

#[test]
fn fingerprint_follows_training_data_only() {
    let base = "
intents:
  - name: get_weather
    examples:
      - weather in [Oslo](location)
      - is it cold
    slots:
      - name: location
        entity: location
        prompts: [Where?]
    action:
      reply: Sunny in {location}.
";
    let fp = |yaml: &str| {
        Intents::from_str("a.yaml", &format!("{ENTITIES}{yaml}"))
            .unwrap()
            .fingerprint()
    };
    let original = fp(base);
    assert_eq!(original.len(), 64);
    assert_eq!(original, fp(base));
    assert_eq!(original, fp(&base.replace("Sunny in", "Rainy in")));
    assert_eq!(original, fp(&base.replace("[Where?]", "[Which city?]")));
    let reordered = base.replace(
        "      - weather in [Oslo](location)\n      - is it cold\n",
        "      - is it cold\n      - weather in [Oslo](location)\n",
    );
    assert_eq!(original, fp(&reordered));
    assert_ne!(original, fp(&base.replace("is it cold", "is it hot")));
    assert_ne!(original, fp(&base.replace("[Oslo](location)", "Oslo")));
    assert_ne!(original, fp(&base.replace("get_weather", "weather")));
}

#[test]
fn wrong_indentation_points_at_the_line() {
    let found = problems(
        "
intents:
  - name: greet
   examples: [hi]
",
    );
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].starts_with("12: ") || found[0].starts_with("11: "),
        "{found:#?}"
    );
    assert!(found[0].contains("indent"), "{found:#?}");
}

#[test]
fn unknown_key_suggests_the_right_one() {
    assert_problem(
        "
intents:
  - name: greet
    exampels: [hi]
",
        12,
        &[
            "unknown key `exampels`",
            "did you mean `examples`?",
            "slots",
        ],
    );
}

#[test]
fn key_under_the_wrong_parent_is_reported() {
    assert_problem(
        "
intents:
  - name: get_weather
    examples: [weather]
    slots:
      - name: location
        entity: location
        prompts: [Where?]
    reply: hi
",
        17,
        &["unknown key `reply`", "indentation"],
    );
}

#[test]
fn unknown_resolver_lists_the_known_ones() {
    let found = problems(
        "
  - name: colour
    resolver: color
",
    );
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].contains("`color`"), "{found:#?}");
    assert!(found[0].contains("location"), "{found:#?}");
}

#[test]
fn unknown_entity_in_an_example() {
    assert_problem(
        "
intents:
  - name: get_weather
    examples:
      - weather in [Oslo](locaton)
",
        13,
        &["example uses unknown entity `locaton`; did you mean `location`? declare it under `entities:`"],
    );
}

#[test]
fn example_values_must_read_as_their_builtin_entity() {
    assert_problem(
        "
intents:
  - name: get_weather
    examples:
      - weather in [Oslo](location) on [friday](date)
      - weather in [Oslo](location) on [christmas eve](date)
      - weather for [2](number) days in [Paris](location)
      - weather in [Oslo](location) on [blursday](date)
",
        16,
        &[
            "example tags \"blursday\" as `date`, which its `resolver: date` cannot read",
            "drop the resolver of `date`",
        ],
    );
    // Either day order will do: 12/25 has no 25th month.
    assert!(problems(
        "
intents:
  - name: get_weather
    examples:
      - weather on [12/25](date) and [25/12](date)
"
    )
    .is_empty());
}

#[test]
fn markup_error_gives_the_column() {
    assert_problem(
        "
intents:
  - name: get_weather
    examples:
      - weather in [Oslo(location)
",
        13,
        &["column 12", "never closed"],
    );
}

#[test]
fn slot_with_unknown_entity() {
    assert_problem(
        "
intents:
  - name: book
    examples: [book]
    slots:
      - name: when
        entity: dat
        prompts: [When?]
",
        15,
        &["unknown entity `dat`", "did you mean `date`?"],
    );
}

#[test]
fn required_slot_without_prompts() {
    assert_problem(
        "
intents:
  - name: book
    examples: [book]
    slots:
      - name: when
        entity: date
",
        14,
        &["`when` has no prompts", "prompts:", "required: false"],
    );
    assert!(problems(
        "
intents:
  - name: book
    examples: [book]
    slots:
      - name: when
        entity: date
        required: false
"
    )
    .is_empty());
}

#[test]
fn a_default_makes_a_slot_optional() {
    let yaml = "
intents:
  - name: weather
    examples: [weather]
    slots:
      - name: when
        entity: date
        default: today
";
    assert!(problems(yaml).is_empty());
    let bot = Intents::from_str("bot.yaml", &format!("{ENTITIES}{yaml}")).unwrap();
    assert!(
        !bot.intents[0].slots[0].required,
        "a slot with a default is not asked for"
    );
    assert_problem(
        &format!("{yaml}        required: true\n        prompts: [\"When?\"]\n"),
        17,
        &[
            "`required: true` but has a `default`",
            "remove `required: true`",
        ],
    );
}

#[test]
fn slot_kinds_need_or_refuse_an_entity() {
    assert_problem(
        "
intents:
  - name: order
    examples: [order]
    slots:
      - name: size
        prompts: [Which size?]
",
        14,
        &["`size`", "has no `entity`", "kind: text", "kind: boolean"],
    );
    assert_problem(
        "
intents:
  - name: order
    examples: [order]
    slots:
      - name: cheese
        kind: boolean
        entity: number
        prompts: [Extra cheese?]
",
        16,
        &["boolean slot `cheese`", "remove it"],
    );
    assert_problem(
        "
intents:
  - name: order
    examples: [order]
    slots:
      - name: toppings
        kind: lists
",
        15,
        &["unknown value `lists`", "did you mean `list`?"],
    );
    assert!(problems(
        "
intents:
  - name: note
    examples: [take a note]
    slots:
      - name: text
        kind: text
        prompts: [What should I write down?]
      - name: urgent
        kind: boolean
        required: false
      - name: people
        kind: list
        entity: number
        required: false
"
    )
    .is_empty());
}

#[test]
fn duplicates_name_the_first_definition() {
    let found = problems(
        "
  - name: date
intents:
  - name: greet
    examples: [hi]
  - name: greet
    examples: [hello]
    slots:
      - name: when
        entity: date
        required: false
      - name: when
        entity: date
        required: false
",
    );
    assert_eq!(found.len(), 3, "{found:#?}");
    assert!(
        found[0].starts_with("10: entity `date` is already defined at bot.yaml:5"),
        "{found:#?}"
    );
    assert!(found[1].starts_with("14: intent `greet` is already defined at bot.yaml:12"));
    assert!(found[2].contains("slot `when` is already defined at bot.yaml:17"));
}

#[test]
fn roles_default_to_slot_names_and_must_differ() {
    let yaml = "
intents:
  - name: fly
    examples:
      - from [Oslo](location:origin) to [Rome](location:destination)
    slots:
      - name: origin
        entity: location
        prompts: [From?]
      - name: destination
        entity: location
        prompts: [To?]
";
    let bot = Intents::from_str("a.yaml", &format!("{ENTITIES}{yaml}")).unwrap();
    let roles: Vec<_> = bot.intents[0]
        .slots
        .iter()
        .map(|s| s.role.clone())
        .collect();
    assert_eq!(roles, [Some("origin".into()), Some("destination".into())]);

    let found = problems(&yaml.replace(
        "        prompts: [To?]",
        "        role: origin\n        prompts: [To?]",
    ));
    // The example's `destination` role now belongs to no slot: reported too.
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(
        found[1].starts_with(
            "18: slots `origin` and `destination` both take entity `location` with role `origin`"
        ),
        "{found:#?}"
    );
}

#[test]
fn example_roles_must_belong_to_a_slot() {
    let yaml = "
intents:
  - name: fly
    examples:
      - from [Oslo](location:origni)
    slots:
      - name: origin
        entity: location
        prompts: [From?]
      - name: destination
        entity: location
        prompts: [To?]
";
    assert_problem(yaml, 13, &["role `origni`", "did you mean `origin`?"]);

    // A role used by another intent's slot fills nothing in this one.
    let other = format!(
        "{}  - name: weather\n    examples: [\"in [Oslo](location:home)\"]\n    slots:\n      - name: home\n        entity: location\n        role: home\n        prompts: [Where?]\n",
        yaml.replace("location:origni", "location:home")
    );
    assert_problem(
        &other,
        13,
        &[
            "intent `fly` has no slot",
            "role `home`",
            "origin, destination",
        ],
    );
}

#[test]
fn invalid_regexes_show_the_regex_error() {
    let found = problems(
        "
  - name: code
    patterns: ['[A-Z']
intents:
  - name: ask
    examples: [\"code [AB](code)\"]
    slots:
      - name: code
        entity: code
        prompts: [Code?]
        validate:
          pattern: '(x'
",
    );
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(
        found[0].starts_with("11: invalid regex `[A-Z`"),
        "{found:#?}"
    );
    assert!(found[1].starts_with("20: invalid regex `(x`"), "{found:#?}");
    assert!(found[1].contains("unclosed group"), "{found:#?}");
}

#[test]
fn template_placeholders_must_name_slots() {
    let found = problems(
        "
intents:
  - name: book
    examples: [book]
    slots:
      - name: date
        entity: date
        prompts: [\"When, {dat}?\"]
        validate:
          not_in_past: true
          reprompt: \"{value} is past\"
    confirm: \"Book on {date} for {size}?\"
    action:
      reply: \"Booked {date}.\"
  - name: hi
    examples: [hi]
    action:
      reply: \"Hello {name}\"
",
    );
    assert_eq!(found.len(), 3, "{found:#?}");
    assert!(found[0].contains("`{dat}`") && found[0].contains("did you mean `date`?"));
    assert!(
        found[1].starts_with("20: confirm uses `{size}`"),
        "{found:#?}"
    );
    assert!(found[2].contains("`{name}`") && found[2].contains("no slots"));
}

#[test]
fn intent_without_examples() {
    assert_problem(
        "
intents:
  - name: greet
    action:
      reply: hi
",
        11,
        &["no examples", "examples:"],
    );
}

#[test]
fn validation_rules_fit_the_entity() {
    let found = problems(
        "
intents:
  - name: book
    examples: [book]
    slots:
      - name: people
        entity: number
        prompts: [How many?]
        validate: {min: 10, max: 2, not_in_past: true, hours: '11:00-23:00', max_attempts: 0}
      - name: when
        entity: date
        prompts: [When?]
        validate:
          hours: '11-23'
          integer: true
      - name: size
        entity: number
        prompts: [Size?]
        validate: {single_day: true}
",
    );
    assert_eq!(found.len(), 7, "{found:#?}");
    assert!(found.iter().any(|p| p.contains("`single_day` only works")));
    assert!(found.iter().any(|p| p.contains("`integer` only works")));
    assert!(found.iter().any(|p| p.contains("`not_in_past` only works")));
    assert!(
        found.iter().any(|p| p.contains("`hours` only works")),
        "{found:#?}"
    );
    assert!(found.iter().any(|p| p.contains(
        "22: slot `when`: `hours` must be two times of day like \"11:00-23:00\", not \"11-23\""
    )));
    assert!(found.iter().any(|p| p.contains("min 10 is above max 2")));
    assert!(found.iter().any(|p| p.contains("max_attempts")));
}

#[test]
fn differs_from_names_another_slot_of_the_intent() {
    let found = problems(
        "
intents:
  - name: fly
    examples: [fly]
    slots:
      - name: origin
        entity: location
        prompts: [From where?]
        validate: {differs_from: origin}
      - name: destination
        entity: location
        prompts: [To where?]
        validate:
          differs_from: orign
",
    );
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(
        found[0].starts_with("17: ") && found[0].contains("names the slot itself"),
        "{found:#?}"
    );
    assert!(
        found[1].starts_with("22: ")
            && found[1].contains("`orign`, which is no slot of this intent")
            && found[1].contains("did you mean `origin`?"),
        "{found:#?}"
    );
}

#[test]
fn out_of_scope_takes_examples_only() {
    assert_problem(
        "
intents:
  - name: out_of_scope
    examples: [tell me a joke]
    action:
      reply: no
",
        11,
        &["out_of_scope", "remove its slots"],
    );
}

#[test]
fn same_example_under_two_intents() {
    assert_problem(
        "
intents:
  - name: greet
    examples: [hi there]
  - name: thank
    examples: [Hi  there]
",
        14,
        &["also an example of intent `greet` at bot.yaml:12"],
    );
}

#[test]
fn an_example_twice_in_one_intent_is_a_warning_and_kept_once() {
    let text = format!(
        "{ENTITIES}
intents:
  - name: greet
    examples: [hi, hello, Hi]
"
    );
    let bot = Intents::from_str("bot.yaml", &text).unwrap();
    assert_eq!(bot.intents[0].examples.len(), 2);
    let warnings: Vec<String> = bot.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        ["bot.yaml:12: warning: example \"Hi\" of intent `greet` is already at bot.yaml:12; it is kept once"]
    );
}

/// A bot whose slot `seat` (of `book`) has the sources `from`, for the checks of sources.
fn with_sources(from: &str) -> String {
    format!(
        "
entities:
  - name: seating
intents:
  - name: deny
    act: deny
    examples: [no, no thanks]
  - name: book
    examples: [book a table]
    ask_to_continue: Do you still want the table?
    slots:
      - name: seat
        prompts: [Inside or outside?]
        from:
{from}
"
    )
}

#[test]
fn slot_sources_load_in_order_with_their_conditions() {
    let yaml = with_sources(
        "          - {entity: seating, values: {Outside: true, inside: false}, unless_intent: [deny]}
          - {intent: deny, value: false}
          - {yes_no: true}
          - {text: true, if_intent: [book]}",
    );
    let bot = Intents::from_str("bot.yaml", &yaml).unwrap();
    let book = bot.intent("book").unwrap();
    let seat = &book.slots[0];
    // The slot takes the entity of its first entity source.
    assert_eq!(seat.entity.as_deref(), Some("seating"));
    assert!(seat.takes("seating"));
    assert_eq!(seat.from.len(), 4);
    assert!(!seat.from[0].admits("deny") && seat.from[0].admits("book"));
    assert_eq!(seat.from[2].kind, slotfill::intents::SourceKind::YesNo);
    assert!(seat.from[3].admits("book") && !seat.from[3].admits("deny"));
    match &seat.from[0].kind {
        slotfill::intents::SourceKind::Entity { values, .. } => {
            assert_eq!(
                values["outside"],
                serde_json::json!(true),
                "keys are lowercased"
            );
        }
        other => panic!("not an entity source: {other:?}"),
    }
    assert_eq!(
        book.ask_to_continue.as_deref(),
        Some("Do you still want the table?")
    );
    assert_eq!(
        bot.intent("deny").unwrap().act,
        Some(slotfill::intents::Act::Deny)
    );
}

#[test]
fn a_slot_source_of_two_kinds_or_an_unknown_name_is_refused() {
    let both = Intents::from_str(
        "bot.yaml",
        &with_sources("          - {entity: seating, text: true}"),
    )
    .unwrap_err()
    .to_string();
    assert!(
        both.contains("bot.yaml:15: a source of slot `seat` needs exactly one of"),
        "{both}"
    );
    let unknown = Intents::from_str(
        "bot.yaml",
        &with_sources("          - {intent: denny, value: false}\n          - {entity: seat}"),
    )
    .unwrap_err()
    .to_string();
    assert!(
        unknown.contains("unknown intent `denny`; did you mean `deny`?"),
        "{unknown}"
    );
    assert!(unknown.contains("unknown entity `seat`"), "{unknown}");
    let valueless = Intents::from_str("bot.yaml", &with_sources("          - {intent: deny}"))
        .unwrap_err()
        .to_string();
    assert!(valueless.contains("has no `value`"), "{valueless}");
}

#[test]
fn an_act_asks_for_nothing() {
    assert_problem(
        "
intents:
  - name: yes
    act: affirm
    examples: [yes]
    action:
      reply: fine
",
        12,
        &["is an `act`, which asks for nothing"],
    );
}

#[test]
fn settings_are_checked() {
    let found = problems(
        "
settings:
  out_of_scope_threshold: 2
  time_zone: Europe/Pariss
  fallback: \"Try {intents} or {nothing}\"
intents:
  - name: greet
    examples: [hi]
",
    );
    assert_eq!(found.len(), 3, "{found:#?}");
}

#[test]
fn load_merges_files_collects_all_errors_and_rejects_settings_twice() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    write("a_entities.yaml", ENTITIES);
    write(
        "b.yml",
        "settings:\n  day_first: false\nintents:\n  - name: greet\n    examples: [hi]\n",
    );
    write("c.yaml", "settings:\n  day_first: true\nintents:\n  - name: bye\n    examples: [\"bye [x](nope)\"]\n");
    write("notes.txt", "not yaml: [");
    let errors = match Intents::load(dir.path()) {
        Err(Error::Many(errors)) => errors,
        other => panic!("{other:?}"),
    };
    let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(text.len(), 2, "{text:#?}");
    // A settings block's line is that of its first key.
    assert!(
        text[0].contains("c.yaml:2: settings are already set at"),
        "{text:#?}"
    );
    assert!(text[0].contains("b.yml:2"), "{text:#?}");
    assert!(
        text[1].contains("c.yaml:5: example uses unknown entity `nope`"),
        "{text:#?}"
    );

    std::fs::remove_file(dir.path().join("c.yaml")).unwrap();
    let bot = Intents::load(dir.path()).unwrap();
    assert!(!bot.settings.day_first);
    assert_eq!(bot.entities.len(), 3);
}

#[test]
fn empty_or_missing_folders_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let err = Intents::load(dir.path()).unwrap_err().to_string();
    assert!(err.contains("no *.yaml files"), "{err}");
    let err = Intents::load(&dir.path().join("missing")).unwrap_err();
    assert!(matches!(err, Error::Io { .. }), "{err}");
}

#[test]
fn one_slip_on_many_lines_is_one_problem() {
    assert_problem(
        "
intents:
  - name: fly
    examples:
      - to [Oslo](place) from [Rome](place)
      - to [Paris](place)
      - hello [Bergen](place)
",
        13,
        &["unknown entity `place`", "(also on lines 14, 15)"],
    );
}

#[test]
fn yaml_mistakes_name_the_key_what_it_takes_and_the_fix() {
    let cases: [(&str, u32, &str); 8] = [
        (
            "\nsettings:\n  carry_over_seconds: -5\n",
            11,
            "`carry_over_seconds` must be a whole number ≥ 0, not `-5`",
        ),
        (
            "\nsettings:\n  day_first: maybe\n",
            11,
            "`day_first` must be `true` or `false`, not `maybe`",
        ),
        (
            "\nintents:\n  - name: count\n    examples: [count]\n    slots:\n      - name: n\n        \
             entity: number\n        prompts: [\"?\"]\n        validate:\n          min: ten\n",
            18,
            "`min` must be a number, not `ten`",
        ),
        (
            "\nintents:\n  - name:greet\n    examples: [hi]\n",
            11,
            "put a space after `name:`",
        ),
        (
            "\nintents:\n  - name: greet\n    examples: [hi, hello\n    slots: []\n  - name: bye\n    \
             examples: [bye]\n",
            12,
            "the `[` on this line is never closed",
        ),
        (
            "\nintents:\n  - name: greet\n    examples:\n      - hi\n      -\n      - hello\n",
            14,
            "an empty list item",
        ),
        (
            "\nintents:\n  - name:\n    examples: [hi]\n",
            11,
            "`name` has no value",
        ),
        (
            "\nintents:\n  - name: greet\n    examples: [hi]\n    examples: [hello]\n",
            13,
            "`examples` is written twice",
        ),
    ];
    for (yaml, line, words) in cases {
        assert_problem(yaml, line, &[words]);
    }
}

#[test]
fn a_file_that_is_not_utf8_names_its_line_and_says_to_save_it_as_utf8() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bot.yaml"),
        b"intents:\n  - name: greet\n    examples: [hi, caf\xe9]\n",
    )
    .unwrap();
    let error = Intents::load(dir.path()).unwrap_err().to_string();
    assert!(error.contains("bot.yaml:3: "), "{error}");
    assert!(error.contains("save the file as UTF-8"), "{error}");
}

#[test]
fn problems_point_at_the_line_of_their_key() {
    let found = problems(
        "
settings:
  out_of_scope_threshold: 0.3
  time_zone: Nope/Nope
  fallback: \"Sorry. {intent}\"
intents:
  - name: book
    examples: [book]
    slots:
      - name: people
        entity: number
        prompts: [\"How many?\"]
        validate:
          min: 10
          max: 5
          max_attempts: 0
    action:
      reply: \"{foo}\"
      webhook: {url: \"ftp://x\"}
      command: []
",
    );
    for expected in [
        "12: time zone `Nope/Nope`",
        "13: fallback uses `{intent}`, which names no placeholder of the fallback; did you mean \
         `intents`? use one of {intents}",
        "22: slot `people`: min 10 is above max 5",
        "24: slot `people`: max_attempts",
        "26: action reply uses `{foo}`",
        "27: webhook url",
        "28: the action has both",
        "28: the action's `command` is empty",
    ] {
        assert!(
            found.iter().any(|f| f.starts_with(expected)),
            "`{expected}` missing from {found:#?}"
        );
    }
    assert_eq!(found.len(), 8, "{found:#?}");
}

#[test]
fn a_slot_defined_twice_is_suggested_once() {
    let found = problems(
        "
intents:
  - name: fly
    examples: [fly]
    slots:
      - name: origin
        entity: location
        prompts: [\"From?\"]
      - name: destination
        entity: location
        prompts: [\"To?\"]
      - name: origin
        entity: location
        prompts: [\"From?\"]
    confirm: \"Fly {there}?\"
",
    );
    let confirm = found.iter().find(|f| f.contains("confirm")).unwrap();
    assert!(
        confirm.ends_with("use one of {origin}, {destination}"),
        "{found:#?}"
    );
}
