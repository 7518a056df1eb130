//! Scripted conversations with the bundled bot: each asserts the replies, the slots and the
//! action fired (or not).

use crate::common;

use crate::common::{fired, Recording, Script};
use slotfill::dialogue::{Conversation, Dialogue, Turn};
use slotfill::parse::{Entity, Parse};
use slotfill::resolve::Resolvers;
use slotfill::Bot;
use std::path::Path;
use std::sync::OnceLock;

fn load() -> Bot {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    Bot::load(&root.join("intents"), &root.join("models/bundled")).unwrap()
}

/// The bot shared by the tests that keep to the same hour.
pub(crate) fn bot() -> &'static Bot {
    static BOT: OnceLock<Bot> = OnceLock::new();
    BOT.get_or_init(load)
}

/// The parses of the bundled bot's model for the messages of these tests, as recorded in
/// `tests/data/parses/bundled.jsonl`.
fn parses() -> &'static Recording {
    static PARSES: OnceLock<Recording> = OnceLock::new();
    PARSES.get_or_init(|| Recording::open("bundled"))
}

/// A conversation with the bundled bot, its messages parsed as recorded.
fn conversation() -> Script {
    Script::recorded(bot(), parses())
}

/// The questions the bundled bot asks for `slot` of `intent`.
fn prompts(intent: &str, slot: &str) -> Vec<String> {
    let parser = bot().parser();
    let intents = parser.intents().unwrap();
    let intent = intents.intent(intent).unwrap();
    let slot = intent.slots.iter().find(|s| s.name == slot).unwrap();
    slot.prompts.clone()
}

#[test]
fn all_slots_in_one_utterance_fire_at_once() {
    let mut chat = conversation();
    let turn = chat.say("what's the weather in Oslo tomorrow");
    assert_eq!(fired(&turn), Some("get_weather"));
    assert_eq!(turn.slots["location"], "Oslo");
    assert_eq!(turn.slots["date"], "2026-11-24");
    assert!(turn.replies[0].contains("Oslo"), "{:?}", turn.replies);
}

#[test]
fn defaults_fill_optional_slots() {
    let mut chat = conversation();
    let turn = chat.say("weather in Oslo");
    assert_eq!(fired(&turn), Some("get_weather"));
    assert_eq!(turn.slots["date"], "2026-11-23");
}

#[test]
fn missing_slots_are_asked_and_bare_answers_fill_them() {
    let mut chat = conversation();
    let turn = chat.say("I want to book a flight");
    assert_eq!(fired(&turn), None);
    assert_eq!(turn.replies, ["Where are you flying from?"]);
    chat.say("Berlin");
    let turn = chat.say("Tromsø");
    assert_eq!(turn.slots["origin"], "Berlin");
    assert_eq!(turn.slots["destination"], "Tromsø");
    let turn = chat.say("friday");
    assert_eq!(turn.slots["date"], "2026-11-27");
    assert!(
        turn.replies[0].starts_with("Book a flight from Berlin to Tromsø on Friday 27 November"),
        "{:?}",
        turn.replies
    );
    let turn = chat.say("yes");
    assert_eq!(fired(&turn), Some("book_flight"));
}

#[test]
fn two_locations_go_by_role() {
    let mut chat = conversation();
    let turn = chat.say("book a flight from Boston to Denver on friday");
    assert_eq!(turn.slots["origin"], "Boston");
    assert_eq!(turn.slots["destination"], "Denver");
    assert!(turn.replies[0].contains("Boston to Denver"));
}

#[test]
fn the_word_before_a_place_outweighs_the_role_the_tagger_guessed() {
    for (text, origin, destination) in [
        (
            "Can you book me a flight? London to Paris, Friday.",
            "London",
            "Paris",
        ),
        ("Paris from London friday", "London", "Paris"),
    ] {
        let mut chat = conversation();
        let turn = chat.say(text);
        assert_eq!(turn.slots["origin"], origin, "{text}");
        assert_eq!(turn.slots["destination"], destination, "{text}");
    }
}

#[test]
fn past_dates_are_refused_and_reasked() {
    let mut chat = conversation();
    chat.say("fly from Boston to Denver");
    let turn = chat.say("yesterday");
    assert_eq!(fired(&turn), None);
    assert!(!turn.slots.contains_key("date"));
    assert!(turn.replies[0].contains("past"), "{:?}", turn.replies);
    let turn = chat.say("tomorrow");
    assert_eq!(turn.slots["date"], "2026-11-24");
}

#[test]
fn a_weekday_that_is_not_its_dates_is_explained_and_reasked() {
    let mut chat = conversation();
    chat.say("fly from Boston to Denver");
    let turn = chat.say("thursday 4 december");
    assert!(!turn.slots.contains_key("date"));
    assert!(
        turn.replies[0].starts_with("Sorry, 4 December is a Friday, not a Thursday."),
        "{:?}",
        turn.replies
    );
    let turn = chat.say("friday 4 december");
    assert_eq!(turn.slots["date"], "2026-12-04");
}

#[test]
fn validation_failing_too_often_cancels_the_form() {
    let mut chat = conversation();
    chat.say("book a table in Rome tomorrow at 7pm");
    let first = chat.say("for 50 people");
    assert!(first.replies[0].contains("1 to 20"), "{:?}", first.replies);
    chat.say("99");
    let last = chat.say("99");
    assert!(last.replies[0].contains("stop"), "{:?}", last.replies);
    assert_eq!(fired(&last), None);
    assert!(chat.state().form.is_none());
    let after = chat.say("hello");
    assert_eq!(fired(&after), Some("greet"));
}

#[test]
fn corrections_and_confirmation() {
    let mut chat = conversation();
    let turn = chat.say("a table for 4 in Rome tomorrow at 7pm");
    assert!(
        turn.replies[0].starts_with("Book a table for 4"),
        "{:?}",
        turn.replies
    );
    let turn = chat.say("no");
    assert_eq!(fired(&turn), None);
    let turn = chat.say("actually make it 6 people");
    assert_eq!(turn.slots["party_size"], 6);
    let turn = chat.say("yes");
    assert_eq!(fired(&turn), Some("book_table"));
    assert_eq!(turn.slots["party_size"], 6);
}

#[test]
fn cancel_ends_the_form_without_firing() {
    let mut chat = conversation();
    chat.say("book a flight to Paris");
    let turn = chat.say("never mind");
    assert_eq!(fired(&turn), None);
    assert_eq!(turn.replies, ["Okay, cancelled."]);
    assert!(chat.state().form.is_none());
    // With nothing open, not even a booking made before is cancelled.
    let mut chat = conversation();
    chat.say("a table for 2 in Rome tomorrow at 8pm");
    chat.say("yes");
    for text in ["cancel my booking", "cancel my table for tomorrow"] {
        let turn = chat.say(text);
        assert_eq!(turn.replies, ["There is nothing open to cancel."], "{text}");
    }
}

#[test]
fn digressions_are_answered_then_the_form_resumes() {
    let mut chat = conversation();
    chat.say("book a flight from Boston");
    let turn = chat.say("thanks");
    assert_eq!(fired(&turn), Some("thank"));
    // The form's question comes back (prompts rotate, so any of the slot's prompts).
    assert!(
        prompts("book_flight", "destination").contains(turn.replies.last().unwrap()),
        "{:?}",
        turn.replies
    );
    let turn = chat.say("Denver");
    assert_eq!(turn.slots["destination"], "Denver");
}

#[test]
fn follow_ups_carry_the_last_intent_over() {
    let mut chat = conversation();
    chat.say("weather in Oslo");
    let turn = chat.say("and tomorrow?");
    assert_eq!(fired(&turn), Some("get_weather"));
    assert_eq!(turn.slots["location"], "Oslo");
    assert_eq!(turn.slots["date"], "2026-11-24");
}

#[test]
fn a_request_of_its_own_does_not_reuse_the_last_action() {
    let mut chat = conversation();
    chat.say("book a flight from Oslo to Lisbon on friday");
    assert_eq!(fired(&chat.say("yes")), Some("book_flight"));
    let turn = chat.say("I need a flight to Rome");
    assert_eq!(turn.asking.as_deref(), Some("origin"), "{:?}", turn.replies);
    assert!(!turn.slots.contains_key("date"), "{:?}", turn.slots);
    chat.say("cancel");

    chat.say("weather in Oslo on friday");
    let turn = chat.say("what is the weather in London");
    assert_eq!(fired(&turn), Some("get_weather"));
    assert_eq!(turn.slots["date"], "2026-11-23");
    // A follow-up still reuses it.
    let turn = chat.say("what about Paris?");
    assert_eq!(turn.slots["location"], "Paris");
    assert_eq!(turn.slots["date"], "2026-11-23");
}

#[test]
fn a_reply_that_names_no_place_is_asked_again() {
    let mut chat = conversation();
    chat.say("book a flight to rome");
    for reply in ["🤔", "idk"] {
        let turn = chat.say(reply);
        assert!(
            turn.replies[0].starts_with("Sorry"),
            "{reply}: {:?}",
            turn.replies
        );
        assert_eq!(turn.asking.as_deref(), Some("origin"));
    }
    let turn = chat.say("from oslo on the 20th of november");
    // The 20th of this November is past, so the date is next year's, and says so.
    assert_eq!(
        turn.replies,
        ["Book a flight from Oslo to Rome on Saturday 20 November 2027?"]
    );
}

#[test]
fn a_question_for_another_intent_is_answered_and_the_form_resumes() {
    let mut chat = conversation();
    let turn = chat.say("book a table for 2 in rome at 8pm");
    assert_eq!(turn.asking.as_deref(), Some("date"));
    let turn = chat.say("what's the weather in paris tomorrow?");
    assert_eq!(fired(&turn), Some("get_weather"));
    assert_eq!(
        turn.replies[0],
        "Here is the weather for Paris on Tuesday 24 November."
    );
    assert_eq!(turn.asking.as_deref(), Some("date"));
    let turn = chat.say("friday");
    assert_eq!(
        turn.replies,
        ["Book a table for 2 in Rome on Friday 27 November at 20:00?"]
    );
}

#[test]
fn the_day_after_counts_from_the_date_the_conversation_is_about() {
    let mut chat = conversation();
    chat.say("weather in Oslo on friday");
    let turn = chat.say("and the day after?");
    assert_eq!(fired(&turn), Some("get_weather"));
    assert_eq!(turn.slots["location"], "Oslo");
    assert_eq!(turn.slots["date"], "2026-11-28");

    chat.say("book a flight from Boston to Denver on friday");
    chat.say("no");
    let turn = chat.say("make it the day before");
    assert!(
        turn.replies[0].contains("Thursday 26 November"),
        "{:?}",
        turn.replies
    );
}

#[test]
fn a_refused_follow_up_still_carries_the_rest_over() {
    let mut chat = conversation();
    chat.say("weather in Oslo on friday");
    let turn = chat.say("and on blursday?");
    assert!(turn.replies[0].starts_with("Sorry"), "{:?}", turn.replies);
    let turn = chat.say("saturday");
    assert_eq!(fired(&turn), Some("get_weather"));
    assert_eq!(turn.slots["location"], "Oslo");
    assert_eq!(turn.slots["date"], "2026-11-28");
}

#[test]
fn a_role_the_tagger_is_sure_of_outweighs_the_question_asked() {
    let mut chat = conversation();
    let turn = chat.say("can you book me a flight");
    assert_eq!(turn.asking.as_deref(), Some("origin"));
    let turn = chat.say("to tokyo");
    assert_eq!(turn.slots["destination"], "Tokyo");
    assert!(!turn.slots.contains_key("origin"), "{:?}", turn.slots);
    assert_eq!(turn.asking.as_deref(), Some("origin"));
    // A bare city still answers the question.
    let turn = chat.say("seoul");
    assert_eq!(turn.slots["origin"], "Seoul");
}

#[test]
fn a_bare_hour_is_read_inside_the_opening_hours() {
    let mut chat = conversation();
    // Late in the evening, the next 8 on the clock would be 08:00.
    chat.wait(11 * 60 + 30);
    let turn = chat.say("table for 4 in paris tomorrow at 8");
    assert!(
        turn.replies[0].ends_with("on Tuesday 24 November at 20:00?"),
        "{:?}",
        turn.replies
    );
    chat.say("cancel");
    let turn = chat.say("book a table for 2 in rome friday at 7");
    assert!(turn.replies[0].ends_with("at 19:00?"), "{:?}", turn.replies);
    chat.say("no");
    let turn = chat.say("make it 9am");
    assert_eq!(
        turn.replies,
        ["We seat guests from 11:00 to 23:00. At what time?"]
    );
    assert_eq!(turn.asking.as_deref(), Some("time"));
}

#[test]
fn a_time_already_past_today_is_asked_again() {
    let mut chat = conversation();
    chat.wait(11 * 60 + 30);
    let turn = chat.say("table for 2 in london tonight at 8pm");
    assert_eq!(
        turn.replies,
        ["Sorry, 20:00 on Monday 23 November has passed. At what time?"]
    );
    let turn = chat.say("10pm");
    assert!(turn.replies[0].ends_with("at 22:00?"), "{:?}", turn.replies);
}

#[test]
fn nothing_to_change_asks_again_and_no_cancel_cancels() {
    let mut chat = conversation();
    let confirm = chat
        .say("book a flight from Oslo to Rome on friday")
        .replies;
    chat.say("no");
    let turn = chat.say("nothing");
    assert_eq!(turn.replies, confirm);
    chat.say("no");
    let turn = chat.say("actually nothing, book it");
    assert_eq!(turn.replies, confirm);
    let turn = chat.say("no, cancel");
    assert_eq!(turn.replies, ["Okay, cancelled."]);
    assert_eq!(turn.form, None);
}

#[test]
fn numbers_in_a_time_answer_are_pieces_of_the_time() {
    let mut chat = conversation();
    chat.say("book a table in London on friday");
    let turn = chat.say("ten to 9");
    assert_eq!(turn.slots["time"], "20:50");
    assert!(!turn.slots.contains_key("party_size"), "{:?}", turn.slots);
    // Nor is the 1 of "quarter to 1" a day.
    let mut chat = conversation();
    chat.say("book a table in London for 3 on friday");
    let turn = chat.say("quarter to 1");
    assert_eq!(
        turn.replies,
        ["Book a table for 3 in London on Friday 27 November at 12:45?"]
    );
}

#[test]
fn a_fragment_after_a_booking_continues_the_booking() {
    let mut chat = conversation();
    chat.say("fly from Boston to Denver on friday");
    chat.say("yes");
    let turn = chat.say("and tomorrow?");
    assert_eq!(
        turn.replies,
        ["Book a flight from Boston to Denver on Tuesday 24 November?"]
    );
    chat.say("cancel");
    // Read as weather, the place has no role; the word before it tells, as in the examples.
    let turn = chat.say("what about to Chicago?");
    assert_eq!(
        turn.replies,
        ["Book a flight from Boston to Chicago on Friday 27 November?"]
    );
}

#[test]
fn a_moment_for_the_date_keeps_the_day_where_a_time_slot_holds_the_hour() {
    let mut chat = conversation();
    // The tagger reads "2" as a number and "january" as the date; the date widens to "2
    // january at 8pm", a moment.
    let turn = chat.say("book a table in London for 2 on 2 january at 8pm");
    assert_eq!(
        turn.replies,
        ["Book a table for 2 in London on Saturday 2 January 2027 at 20:00?"]
    );
}

#[test]
fn a_part_of_the_day_with_an_hour_books_the_day_at_that_hour() {
    let mut chat = conversation();
    let turn = chat.say("table for two tonight at 9 in madrid");
    assert!(
        turn.replies[0].contains("on Monday 23 November at 21:00?"),
        "{:?}",
        turn.replies
    );
    let turn = chat.say("yes");
    assert_eq!(fired(&turn), Some("book_table"));
    assert_eq!(turn.slots["date"], "2026-11-23");
    assert_eq!(turn.slots["time"], "21:00");
}

#[test]
fn a_bare_hour_is_read_in_the_part_of_the_day_the_date_was_given_with() {
    let mut chat = conversation();
    // Both readings of 11 are within the opening hours; the evening picks one.
    let turn = chat.say("book a table in rome tomorrow evening at 11 for 2");
    assert!(
        turn.replies[0].contains("on Tuesday 24 November at 23:00?"),
        "{:?}",
        turn.replies
    );
    // An hour with its own pm keeps it.
    let mut chat = conversation();
    chat.say("book a table in rome tomorrow morning for 2");
    let turn = chat.say("9pm");
    assert_eq!(turn.slots["time"], "21:00");
}

#[test]
fn a_doubtful_entity_does_not_overwrite_an_earlier_answer() {
    let mut chat = conversation();
    chat.say("book a table in paris for friday");
    let turn = chat.say("7pm");
    assert_eq!(turn.asking.as_deref(), Some("party_size"));
    // The bundled model tags the "3" of "-3" as a date, at 0.54.
    let turn = chat.say("-3");
    assert_eq!(turn.slots["date"], "2026-11-27");
    // A sure correction still changes it.
    let turn = chat.say("make it saturday");
    assert_eq!(turn.slots["date"], "2026-11-28");
}

#[test]
fn an_untagged_correction_is_read_by_the_resolvers() {
    let mut chat = conversation();
    chat.say("book a flight from madrid to rome on the 5th of december");
    chat.say("no");
    // The bundled model tags nothing in "the 6th".
    let turn = chat.say("the 6th");
    assert!(
        turn.replies[0].starts_with("Book a flight from Madrid to Rome on Sunday 6 December?"),
        "{:?}",
        turn.replies
    );
}

#[test]
fn fallback_lists_what_the_bot_can_do() {
    let mut chat = conversation();
    let turn = chat.say("what is the meaning of life");
    assert_eq!(fired(&turn), None);
    assert_eq!(
        turn.replies,
        ["Sorry, I didn't get that. I can help with: book flight, book table, get weather."]
    );
}

#[test]
fn bad_input_keeps_the_conversation_usable() {
    let mut chat = conversation();
    chat.say("book a flight to Paris");
    for text in ["", "🙂🙂🙂", "\u{0}"] {
        let turn = chat.say(text);
        assert!(!turn.replies.is_empty());
    }
    let turn = chat.say("from London");
    assert_eq!(turn.slots["origin"], "London");
    assert_eq!(turn.slots["destination"], "Paris");
    // Three answers that are no place end the form; the conversation goes on.
    chat.say("book a flight to Paris");
    for text in ["🙂🙂🙂", &"x".repeat(10_000), "asdfqwer"] {
        let turn = chat.say(text);
        assert!(turn.replies[0].starts_with("Sorry"), "{:?}", turn.replies);
    }
    let turn = chat.say("book a flight from London to Paris");
    assert_eq!(turn.slots["origin"], "London");
    assert_eq!(turn.slots["destination"], "Paris");
}

#[test]
fn conversations_are_independent_and_expire() {
    // Its own bot: jumping two hours ahead expires every conversation of the bot.
    let own: &'static Bot = Box::leak(Box::new(load()));
    let mut a = Script::on(own, "a");
    let mut b = Script::on(own, "b");
    a.say("book a flight to Paris");
    let turn = b.say("weather in Oslo");
    assert_eq!(turn.slots["location"], "Oslo");
    assert_eq!(
        own.conversation("a").unwrap().unwrap().form.unwrap().intent,
        "book_flight"
    );
    // Two hours later (expiry is one hour) the open form is gone.
    a.wait(120);
    let turn = a.say("from London");
    assert_ne!(
        turn.slots.get("destination").and_then(|v| v.as_str()),
        Some("Paris")
    );
}

#[test]
fn fallback_inside_a_form_reasks_its_question() {
    let mut chat = conversation();
    chat.say("book a flight to Paris");
    let turn = chat.say("what is the meaning of life");
    assert!(!turn.slots.contains_key("origin"), "{:?}", turn.slots);
    assert!(
        turn.replies[0].contains("I can help with"),
        "{:?}",
        turn.replies
    );
    let form = chat.state().form.unwrap();
    assert_eq!(form.asking.as_deref(), Some("origin"));
    let turn = chat.say("Lisbon");
    assert_eq!(turn.slots["origin"], "Lisbon");
}

#[test]
fn corrections_by_role_and_by_date_reconfirm() {
    let mut chat = conversation();
    chat.say("fly from Oslo to Paris on friday");
    let turn = chat.say("no, to Bergen");
    assert_eq!(turn.slots["destination"], "Bergen");
    assert!(
        turn.replies[0].starts_with("Book a flight from Oslo to Bergen"),
        "{:?}",
        turn.replies
    );
    let turn = chat.say("change the date to monday");
    assert_eq!(turn.slots["date"], "2026-11-30");
    assert!(
        turn.replies[0].contains("Monday 30 November"),
        "{:?}",
        turn.replies
    );
    assert_eq!(fired(&turn), None);
    let turn = chat.say("yes");
    assert_eq!(fired(&turn), Some("book_flight"));
}

#[test]
fn a_destination_that_is_the_origin_is_refused_and_reasked() {
    let mut chat = conversation();
    // "NYC" and "New York City" resolve to the same place.
    let turn = chat.say("book a flight from NYC to new york city on friday");
    assert_eq!(
        turn.replies,
        ["You are flying from New York City. Where do you want to fly to?"]
    );
    assert_eq!(turn.asking.as_deref(), Some("destination"));
    assert!(!turn.slots.contains_key("destination"));
    let turn = chat.say("Paris");
    assert!(
        turn.replies[0].starts_with("Book a flight from New York City to Paris"),
        "{:?}",
        turn.replies
    );
    // Swapping the two in one message repeats nothing once the message is read.
    let turn = chat.say("no, from Paris to New York City");
    assert_eq!(turn.slots["origin"], "Paris", "{:?}", turn.replies);
    assert_eq!(turn.slots["destination"], "New York City");
    assert!(
        turn.replies[0].starts_with("Book a flight from Paris to New York City"),
        "{:?}",
        turn.replies
    );
}

#[test]
fn what_about_another_place_carries_over() {
    let mut chat = conversation();
    chat.say("weather in Oslo tomorrow");
    let turn = chat.say("what about Paris?");
    assert_eq!(fired(&turn), Some("get_weather"));
    assert_eq!(turn.slots["location"], "Paris");
    assert_eq!(turn.slots["date"], "2026-11-24");
}

#[test]
fn rust_handlers_reply_and_set_slots() {
    let mut own = load();
    own.register(
        "book_flight",
        std::sync::Arc::new(|call| {
            let mut outcome = slotfill::action::Outcome::replies(vec![format!(
                "Ticket to {} issued.",
                call.display["destination"]
            )]);
            outcome.slots.insert("ticket".into(), "TK-1".into());
            Ok(outcome)
        }),
    );
    own.register(
        "book_table",
        std::sync::Arc::new(|_| Err("the restaurant is full".into())),
    );
    let own: &'static Bot = Box::leak(Box::new(own));
    let mut chat = Script::recorded(own, parses());
    chat.say("fly from Oslo to Rome tomorrow");
    let turn = chat.say("yes");
    assert_eq!(turn.replies, ["Ticket to Rome issued."]);
    assert_eq!(turn.slots["ticket"], "TK-1");
    chat.say("a table for 2 in Rome tomorrow at 8pm");
    let turn = chat.say("yes");
    assert!(
        turn.replies[0].contains("the restaurant is full"),
        "{:?}",
        turn.replies
    );
}

#[test]
fn values_that_do_not_resolve_are_refused_and_reasked() {
    let mut chat = conversation();
    let turn = chat.say("weather in Paris on blursday");
    assert_eq!(fired(&turn), None);
    assert!(!turn.slots.contains_key("date"));
    assert!(
        turn.replies[0].starts_with("Sorry, I couldn't read \"blursday\" as a date."),
        "{:?}",
        turn.replies
    );
    let turn = chat.say("friday");
    assert_eq!(fired(&turn), Some("get_weather"));
    assert_eq!(turn.slots["date"], "2026-11-27");
}

#[test]
fn an_hour_without_am_or_pm_is_the_next_one_on_the_clock() {
    let mut chat = conversation();
    let turn = chat.say("book a table for two in Paris tomorrow at 8");
    assert_eq!(turn.slots["time"], "20:00");
    assert!(turn.replies[0].contains("at 20:00"), "{:?}", turn.replies);
}

#[test]
fn a_long_reply_that_is_only_the_value_answers_the_question() {
    let mut chat = conversation();
    chat.say("fly from Boston to Denver");
    let turn = chat.say("the 2nd of january");
    assert_eq!(turn.slots["date"], "2027-01-02");
}

#[test]
fn yes_or_no_is_no_answer_to_an_open_question() {
    let mut chat = conversation();
    chat.say("I want to book a flight");
    let turn = chat.say("yes");
    assert!(!turn.slots.contains_key("origin"), "{:?}", turn.slots);
    assert!(
        prompts("book_flight", "origin")
            .iter()
            .any(|p| turn.replies[0].ends_with(p.as_str())),
        "{:?}",
        turn.replies
    );
    let turn = chat.say("no");
    assert_eq!(fired(&turn), None, "{:?}", turn.replies);
    assert!(
        prompts("book_flight", "origin").contains(&turn.replies[0]),
        "{:?}",
        turn.replies
    );
    let turn = chat.say("Oslo");
    assert_eq!(turn.slots["origin"], "Oslo");
}

#[test]
fn a_reply_that_resolves_as_the_asked_slot_fills_it_whatever_the_tagger_saw() {
    let mut chat = conversation();
    chat.say("book a table for 4 in Milan on saturday");
    let turn = chat.say("7.30pm");
    assert_eq!(turn.slots["time"], "19:30");
    assert_eq!(turn.slots["date"], "2026-11-28");
}

/// The recorded parse of `text` by the bundled bot at the shared hour.
fn parse(text: &str) -> Parse {
    parses().parse(bot(), &Conversation::default(), text, &common::at(0))
}

/// Steps the bundled bot's dialogue with `parse`, which a test may doctor to show a tagging
/// mistake whatever the committed model makes.
fn step(conversation: &mut Conversation, parse: &Parse) -> Turn {
    static RESOLVERS: OnceLock<Resolvers> = OnceLock::new();
    let parser = bot().parser();
    let intents = parser.intents().unwrap();
    let resolvers = RESOLVERS.get_or_init(|| Resolvers::new(&intents.entities));
    Dialogue::new(intents, resolvers).step(conversation, parse, &common::at(0))
}

/// A tagged `entity` at character `start` whose value its resolver cannot read.
fn unreadable(entity: &str, value: &str, start: usize) -> Entity {
    Entity {
        entity: entity.into(),
        role: None,
        value: value.into(),
        start,
        end: start + value.chars().count(),
        confidence: 0.6,
        resolved: None,
    }
}

#[test]
fn a_tagged_value_that_does_not_resolve_gives_way_to_the_reply_that_does() {
    let mut conversation = Conversation::default();
    let turn = step(
        &mut conversation,
        &parse("book a table for 4 in Milan on saturday"),
    );
    assert_eq!(turn.replies, prompts("book_table", "time")[..1]);
    // The tagger cut the time in two, as a small model did.
    let mut reply = parse("7:30 pm");
    reply.entities = vec![unreadable("time", ":30 pm", 1)];
    let turn = step(&mut conversation, &reply);
    assert_eq!(turn.slots["time"], "19:30", "{:?}", turn.replies);
}

#[test]
fn the_day_asked_is_read_where_only_the_hour_was_tagged() {
    let mut conversation = Conversation::default();
    let turn = step(&mut conversation, &parse("book a table for 4 in Milan"));
    assert_eq!(turn.asking.as_deref(), Some("date"));
    // As the probe's own bot tagged "today at 8am": the hour alone.
    let mut reply = parse("tomorrow at 9pm");
    reply.entities.retain(|e| e.value == "9pm");
    assert_eq!(reply.entities.len(), 1, "{:?}", reply.entities);
    let turn = step(&mut conversation, &reply);
    assert_eq!(turn.slots["date"], "2026-11-24", "{:?}", turn.replies);
    assert_eq!(turn.slots["time"], "21:00");
}

#[test]
fn a_correction_that_names_the_slot_fills_that_slot() {
    let mut chat = conversation();
    chat.say("book a flight from new york to los angeles next friday");
    // "to Boston" reads as a destination; the message says it is the origin.
    let turn = chat.say("change the origin to boston");
    assert_eq!(turn.slots["origin"], "Boston");
    assert_eq!(turn.slots["destination"], "Los Angeles");
}

#[test]
fn a_refused_change_while_confirming_withdraws_the_confirmation() {
    let mut conversation = Conversation::default();
    let turn = step(
        &mut conversation,
        &parse("book a table for 4 in Rome tomorrow at 8pm"),
    );
    assert!(
        turn.replies[0].starts_with("Book a table"),
        "{:?}",
        turn.replies
    );
    // The model read "%%9" as a place, which the location resolver refuses (and no other).
    let mut change = parse("change the city to %%9");
    change.entities = vec![unreadable("location", "%%9", 19)];
    let turn = step(&mut conversation, &change);
    assert!(turn.replies[0].starts_with("Sorry"), "{:?}", turn.replies);
    let turn = step(&mut conversation, &parse("yes"));
    assert_eq!(fired(&turn), None, "{:?}", turn.replies);
    let turn = step(&mut conversation, &parse("Rome"));
    assert!(
        turn.replies[0].starts_with("Book a table"),
        "{:?}",
        turn.replies
    );
    assert_eq!(
        fired(&step(&mut conversation, &parse("yes"))),
        Some("book_table")
    );
}

#[test]
fn a_doubtful_entity_does_not_take_the_slot_of_a_sure_one() {
    let text = "will there be thunderstorms in Oaxaca this evening";
    let mut doubted = parse(text);
    let tagged = |value: &str, entity: &str, confidence| {
        let start = text.find(value).unwrap();
        Entity {
            entity: entity.into(),
            role: None,
            value: value.into(),
            start,
            end: start + value.len(),
            confidence,
            resolved: None,
        }
    };
    doubted.entities = vec![
        tagged("thunderstorms", "location", 0.6),
        tagged("Oaxaca", "location", 0.99),
        tagged("this evening", "date", 0.99),
    ];
    let turn = step(&mut Conversation::default(), &doubted);
    assert_eq!(turn.slots["location"], "Oaxaca", "{:?}", turn.replies);
}

#[test]
fn a_yes_that_changes_a_value_asks_again() {
    let mut chat = conversation();
    chat.say("a table for 2 in Rome tomorrow at 8pm");
    let turn = chat.say("yes but at 9pm");
    assert_eq!(fired(&turn), None, "{:?}", turn.replies);
    assert_eq!(turn.slots["time"], "21:00");
    assert!(
        turn.replies[0].starts_with("Book a table"),
        "{:?}",
        turn.replies
    );
    let turn = chat.say("that's right");
    assert_eq!(fired(&turn), Some("book_table"));
    assert_eq!(turn.slots["time"], "21:00");
    // "yes but in Lyon" changes the city, whatever intent the model reads in it.
    let mut chat = conversation();
    chat.say("a table for 2 in Rome tomorrow at 8pm");
    let turn = chat.say("yes but in Lyon");
    assert_eq!(fired(&turn), None, "{:?}", turn.replies);
    assert_eq!(turn.slots["location"], "Lyon");
    // So does a plain yes with words that change nothing.
    for reply in ["yes book the table", "yes that's fine, thank you so much"] {
        let mut chat = conversation();
        chat.say("a table for 2 in Rome tomorrow at 8pm");
        assert_eq!(fired(&chat.say(reply)), Some("book_table"), "{reply}");
    }
    // A yes that only repeats a value fires.
    let mut chat = conversation();
    chat.say("a table for 2 in Rome tomorrow at 8pm");
    assert_eq!(fired(&chat.say("yes, at 8pm")), Some("book_table"));
}

#[test]
fn holding_on_keeps_the_question_open() {
    let mut chat = conversation();
    chat.say("book a table in Paris");
    for text in ["let me think", "wait a second", "one moment please"] {
        let turn = chat.say(text);
        assert_eq!(turn.replies, ["Sure, take your time."], "{text}");
        assert!(!turn.slots.contains_key("date"), "{text}: {:?}", turn.slots);
    }
    let turn = chat.say("tomorrow");
    assert_eq!(turn.slots["date"], "2026-11-24");
    let turn = chat.say("at 8pm");
    assert_eq!(turn.asking.as_deref(), Some("party_size"));
    let turn = chat.say("just a sec");
    assert!(!turn.slots.contains_key("party_size"), "{:?}", turn.slots);
    // With no question open, it asks for nothing either.
    let mut chat = conversation();
    let turn = chat.say("let me think");
    assert_eq!(turn.replies, ["Sure, take your time."]);
    assert_eq!(turn.form, None);
}

#[test]
fn goodbye_drops_the_open_form() {
    let mut chat = conversation();
    chat.say("book a table in Rome");
    let turn = chat.say("bye");
    assert_eq!(fired(&turn), Some("goodbye"));
    assert_eq!(turn.replies, ["Goodbye! Have a nice day."]);
    assert!(chat.state().form.is_none());
    // Nothing of the dropped booking carries over.
    let turn = chat.say("book a table for 2");
    assert!(!turn.slots.contains_key("location"), "{:?}", turn.slots);
}

#[test]
fn a_party_size_is_a_whole_number() {
    let mut chat = conversation();
    chat.say("a table in Rome tomorrow at 8pm");
    let turn = chat.say("for 2.5");
    assert!(!turn.slots.contains_key("party_size"), "{:?}", turn.slots);
    assert_eq!(turn.asking.as_deref(), Some("party_size"));
    let turn = chat.say("two and a half");
    assert!(!turn.slots.contains_key("party_size"), "{:?}", turn.slots);
    let turn = chat.say("3");
    assert_eq!(turn.slots["party_size"], 3);
}

#[test]
fn a_party_of_several_kinds_is_counted_whole() {
    for (reply, size) in [
        ("3 adults and 2 kids", 5),
        ("me and my wife", 2),
        ("just me", 1),
    ] {
        let mut chat = conversation();
        chat.say("a table in Rome tomorrow at 8pm");
        let turn = chat.say(reply);
        assert_eq!(
            turn.slots["party_size"], size,
            "{reply}: {:?}",
            turn.replies
        );
    }
    let mut chat = conversation();
    let turn = chat.say("a table for 3 adults and 2 kids in Rome tomorrow at 8pm");
    assert_eq!(turn.slots["party_size"], 5, "{:?}", turn.replies);
}

#[test]
fn a_correction_that_names_another_intent_switches_to_it() {
    let mut chat = conversation();
    chat.say("a table for 2 in Rome tomorrow at 8pm");
    let turn = chat.say("actually I want to book a flight to Rome");
    assert_eq!(
        turn.form.as_deref(),
        Some("book_flight"),
        "{:?}",
        turn.replies
    );
    assert_eq!(turn.slots["destination"], "Rome");
    // The weather is answered, and the booking's question asked again.
    let mut chat = conversation();
    chat.say("book a table in Rome");
    let turn = chat.say("actually what's the weather in Rome tomorrow?");
    assert_eq!(fired(&turn), Some("get_weather"), "{:?}", turn.replies);
    assert_eq!(turn.form.as_deref(), Some("book_table"));
    assert!(!turn.slots.contains_key("date"), "{:?}", turn.slots);
    // Naming nothing of another intent, it corrects the open form.
    let mut chat = conversation();
    chat.say("book a table in Rome");
    let turn = chat.say("actually make it Milan");
    assert_eq!(turn.form.as_deref(), Some("book_table"));
    assert_eq!(turn.slots["location"], "Milan", "{:?}", turn.replies);
}

#[test]
fn a_month_is_a_span_of_days_and_its_day_is_asked() {
    // The tagger reads "january" as a place; the month is the date.
    let mut chat = conversation();
    let turn = chat.say("weather in Rome in january");
    assert_eq!(fired(&turn), Some("get_weather"), "{:?}", turn.replies);
    assert_eq!(
        turn.slots["date"],
        serde_json::json!({"from": "2027-01-01", "to": "2027-01-31"})
    );
    // Asked which day of it, "the 15th" is the month's.
    let mut chat = conversation();
    chat.say("book a flight from London to Paris in january");
    let turn = chat.say("the 15th");
    assert_eq!(turn.slots["date"], "2027-01-15", "{:?}", turn.replies);
    let mut chat = conversation();
    chat.say("a table for 2 in Rome at 8pm next week");
    let turn = chat.say("the 2nd");
    assert_eq!(turn.slots["date"], "2026-12-02", "{:?}", turn.replies);
    // A day that is not among them is refused, not taken from another month.
    let mut chat = conversation();
    chat.say("book a table in Rome in february at 8pm for 2");
    let turn = chat.say("the 30th");
    assert_eq!(
        turn.replies,
        ["Sorry, \"the 30th\" is not one of those days. For which day?"]
    );
    let turn = chat.say("the 3rd");
    assert_eq!(turn.slots["date"], "2027-02-03", "{:?}", turn.replies);
}

#[test]
fn the_word_before_a_place_outweighs_the_question_asked() {
    let mut chat = conversation();
    chat.say("book a flight from London");
    let turn = chat.say("sorry, from Manchester");
    assert_eq!(turn.slots["origin"], "Manchester", "{:?}", turn.replies);
    assert!(!turn.slots.contains_key("destination"), "{:?}", turn.slots);
}

#[test]
fn words_that_ask_for_nothing_open_change_nothing() {
    // Nothing to swap: no date "them", no goodbye.
    let mut chat = conversation();
    chat.say("a table for 2 in Rome tomorrow at 8pm");
    chat.say("yes");
    let turn = chat.say("switch them around");
    assert_eq!(turn.form, None, "{:?}", turn.replies);
    assert_eq!(fired(&turn), None);
    // "cancel and …" with nothing open is the request.
    let mut chat = conversation();
    let turn = chat.say("cancel and book a table in Rome");
    assert_eq!(
        turn.form.as_deref(),
        Some("book_table"),
        "{:?}",
        turn.replies
    );
    assert_eq!(turn.slots["location"], "Rome");
    // "la" of a place the gazetteer lacks is no Los Angeles.
    let mut chat = conversation();
    let turn = chat.say("book a flight from Ashby de la Zouch to Paris friday");
    assert_ne!(
        turn.slots.get("origin").and_then(|o| o.as_str()),
        Some("Los Angeles"),
        "{:?}",
        turn.replies
    );
}

#[test]
fn a_date_the_tagger_ran_a_place_into_is_the_date() {
    let mut chat = conversation();
    let turn = chat.say("what's the weather in Paris tmrw?");
    assert_eq!(fired(&turn), Some("get_weather"), "{:?}", turn.replies);
    assert_eq!(turn.slots["location"], "Paris");
    assert_eq!(turn.slots["date"], "2026-11-24");
}

#[test]
fn a_greeting_before_a_request_loses_nothing() {
    let mut chat = conversation();
    let turn = chat.say("Hi, I need a flight from London to Paris on Friday, please.");
    assert_eq!(
        turn.replies,
        ["Book a flight from London to Paris on Friday 27 November?"]
    );
    let mut chat = conversation();
    let turn = chat.say("Hello! I want to book a table in Rome");
    assert_eq!(turn.intent, "book_table");
    assert_eq!(turn.slots["location"], "Rome");
    let mut chat = conversation();
    let turn = chat.say("Hi there, is it going to rain tomorrow in London?");
    assert_eq!(fired(&turn), Some("get_weather"));
    assert_eq!(turn.slots["date"], "2026-11-24");
    // A greeting alone is a greeting.
    let mut chat = conversation();
    assert_eq!(fired(&chat.say("hello there")), Some("greet"));
}

#[test]
fn a_question_at_the_confirmation_books_nothing() {
    let confirmation = "Book a table for 2 in Rome on Tuesday 24 November at 20:00?";
    for question in ["is that correct?", "right?", "ok but can I cancel later?"] {
        let mut chat = conversation();
        chat.say("book a table for 2 in Rome tomorrow at 8pm");
        let turn = chat.say(question);
        assert_ne!(fired(&turn), Some("book_table"), "{question}");
        assert_eq!(turn.replies.last().unwrap(), confirmation, "{question}");
        assert_eq!(fired(&chat.say("yes")), Some("book_table"), "{question}");
    }
    // Read as a goodbye by the model, but no word of one: the booking stays open.
    let mut chat = conversation();
    chat.say("book a table for 2 in Rome tomorrow at 8pm");
    assert_eq!(chat.say("there you go").replies, [confirmation]);
    assert_eq!(chat.say("bye").replies, ["Goodbye! Have a nice day."]);
}

#[test]
fn a_place_the_gazetteer_lacks_must_be_written_as_a_name() {
    let mut chat = conversation();
    let turn = chat.say("I need a flight to Paris urgently");
    assert_eq!(turn.slots["destination"], "Paris");
    let turn = chat.say("lol");
    assert_eq!(
        turn.replies,
        ["Sorry, I couldn't read \"lol\" as a place. Where are you flying from?"]
    );
    let turn = chat.say("Little Snoring");
    assert_eq!(turn.slots["origin"], "Little Snoring");
    // "the morning", tagged a place, is the morning of the day the weather was for.
    let mut chat = conversation();
    chat.say("weather in Rome tomorrow");
    let turn = chat.say("and in the morning?");
    assert_eq!(
        turn.replies,
        ["Here is the weather for Rome on Tuesday 24 November in the morning."]
    );
}

#[test]
fn parties_are_counted_as_people_say_them() {
    for (answer, party) in [
        ("1 person", 1),
        ("one person", 1),
        ("2 adults 2 kids", 4),
        ("me + 3", 4),
        ("4ppl", 4),
        ("solo", 1),
    ] {
        let mut chat = conversation();
        chat.say("book a table in Rome tomorrow at 8pm");
        let turn = chat.say(answer);
        assert_eq!(
            turn.slots.get("party_size"),
            Some(&party.into()),
            "{answer}: {:?}",
            turn.replies
        );
    }
}

#[test]
fn a_list_of_values_is_the_request_they_fill() {
    let mut chat = conversation();
    let turn = chat.say("Rome, tomorrow, 9pm, 5 people");
    assert_eq!(
        turn.replies,
        ["Book a table for 5 in Rome on Tuesday 24 November at 21:00?"]
    );
    // Words around the values ask for something else.
    let mut chat = conversation();
    let turn = chat.say("book a taxi to Leeds at 5pm for 2");
    assert!(
        turn.replies[0].starts_with("Sorry, I didn't get that."),
        "{:?}",
        turn.replies
    );
}

#[test]
fn a_negative_party_is_refused() {
    let mut chat = conversation();
    chat.say("book a table in Rome tomorrow at 7pm");
    let turn = chat.say("-3");
    assert!(!turn.slots.contains_key("party_size"), "{:?}", turn.slots);
    assert_eq!(
        turn.replies,
        ["I can book for 1 to 20 people. How many are you?"]
    );
}

#[test]
fn the_ways_people_cancel_and_confirm() {
    for cancel in [
        "I do not want a table",
        "start over",
        "forget about it",
        "quit",
        "I changed my mind",
    ] {
        let mut chat = conversation();
        chat.say("book a table in Rome");
        assert_eq!(chat.say(cancel).replies, ["Okay, cancelled."], "{cancel}");
    }
    for yes in [
        "👍",
        "👍🏽",
        "yess",
        "uh huh",
        "confirm booking",
        "let's do it",
        "yea",
    ] {
        let mut chat = conversation();
        chat.say("book a table for 2 in Rome tomorrow at 8pm");
        assert_eq!(fired(&chat.say(yes)), Some("book_table"), "{yes}");
    }
}

#[test]
fn a_value_after_not_is_the_one_replaced() {
    for (correction, slot, value) in [
        ("oops, Paris not Rome", "location", "Paris"),
        ("not Rome, Paris", "location", "Paris"),
        ("not tomorrow, thursday", "date", "2026-11-26"),
    ] {
        let mut chat = conversation();
        chat.say("book a table for 2 in Rome tomorrow at 8pm");
        let turn = chat.say(correction);
        assert_eq!(turn.slots[slot], value, "{correction}: {:?}", turn.replies);
    }
}

#[test]
fn answers_said_the_way_people_say_them() {
    let mut chat = conversation();
    let turn = chat.say("book a table for 2 tomorrow at 8pm in Leeds");
    assert_eq!(turn.slots["location"], "Leeds");
    assert_eq!(turn.slots["time"], "20:00");
    for (request, answer, slot, value) in [
        (
            "book a table for 2 tomorrow at 8pm",
            "let's say Paris",
            "location",
            "Paris",
        ),
        (
            "book a table for 2 in Rome tomorrow",
            "let's do 9",
            "time",
            "21:00",
        ),
        (
            "book a table for 2 in Rome at 8pm",
            "this coming friday",
            "date",
            "2026-11-27",
        ),
        (
            "book a flight to Paris",
            "I'm in London",
            "origin",
            "London",
        ),
        (
            "book a table for 2 in Rome at 8pm",
            "thrusday",
            "date",
            "2026-11-26",
        ),
        (
            "book a table for 2 in Rome tomorrow",
            "730pm",
            "time",
            "19:30",
        ),
        (
            "book a table for 2 in Rome tomorrow",
            "at 7 30",
            "time",
            "19:30",
        ),
    ] {
        let mut chat = conversation();
        chat.say(request);
        let turn = chat.say(answer);
        assert_eq!(turn.slots[slot], value, "{answer}: {:?}", turn.replies);
    }
}

#[test]
fn the_weather_there_or_then_is_for_the_bookings_day() {
    let mut chat = conversation();
    chat.say("book a table in Rome for 2 tomorrow");
    let turn = chat.say("and the weather?");
    assert_eq!(
        turn.replies,
        [
            "Here is the weather for Rome on Tuesday 24 November.",
            "At what time?"
        ]
    );
    let mut chat = conversation();
    chat.say("book a flight from London to Rome on friday");
    let turn = chat.say("what will the weather be like in Rome then?");
    assert_eq!(
        turn.replies[0],
        "Here is the weather for Rome on Friday 27 November."
    );
    chat.say("yes");
    let turn = chat.say("what is the weather there?");
    assert_eq!(
        turn.replies,
        ["Here is the weather for Rome on Friday 27 November."]
    );
    // A booking takes no day it was not given.
    let mut chat = conversation();
    chat.say("weather in Oslo tomorrow");
    assert_eq!(
        chat.say("book a table there for 2 at 8pm").replies,
        ["For which day?"]
    );
}

#[test]
fn a_bots_own_cancel_intent_is_a_request_with_nothing_open() {
    let intents = slotfill::intents::Intents::from_str(
        "bot.yaml",
        r#"
entities:
  - name: reference
    patterns: ["[A-Z]{3}[0-9]{3}"]
intents:
  - name: cancel_booking
    examples:
      - cancel booking [ABC123](reference)
      - please cancel my booking [XYZ987](reference)
      - cancel my reservation
      - I want to cancel booking [QWE456](reference)
    slots:
      - name: reference
        entity: reference
        prompts: ["Which booking?"]
    action: {reply: "Booking {reference} cancelled."}
  - name: greet
    examples: [hi, hello, hey]
    action: {reply: "Hello!"}
"#,
    )
    .unwrap();
    let resolvers = Resolvers::new(&intents.entities);
    let text = "cancel booking ABC123";
    let parse = Parse {
        text: text.into(),
        intent: slotfill::parse::IntentScore {
            name: "cancel_booking".into(),
            confidence: 0.98,
        },
        intent_ranking: vec![],
        entities: vec![Entity {
            entity: "reference".into(),
            role: None,
            value: "ABC123".into(),
            start: 15,
            end: 21,
            confidence: 0.99,
            resolved: None,
        }],
        slots: Default::default(),
    };
    let mut conversation = Conversation::default();
    let turn = Dialogue::new(&intents, &resolvers).step(&mut conversation, &parse, &common::at(0));
    assert_eq!(fired(&turn), Some("cancel_booking"), "{:?}", turn.replies);
}

#[test]
fn hyphenated_places_stay_whole() {
    let mut chat = conversation();
    let turn = chat.say("what's the weather in Saint-Denis tomorrow");
    assert_eq!(fired(&turn), Some("get_weather"), "{:?}", turn.replies);
    assert_eq!(turn.slots["location"], "Saint-Denis");
    assert_eq!(turn.slots["date"], "2026-11-24");
    // The tagger takes these for dates; the words before them lead to places.
    let mut chat = conversation();
    let turn = chat.say("flight from Paris to Southend-on-Sea on friday");
    assert_eq!(turn.slots["origin"], "Paris");
    assert_eq!(turn.slots["destination"], "Southend-on-Sea");
    assert_eq!(turn.slots["date"], "2026-11-27");
    let mut chat = conversation();
    let turn = chat.say("book a table in Aix-en-Provence friday");
    assert_eq!(turn.slots["location"], "Aix-en-Provence");
    assert_eq!(turn.slots["date"], "2026-11-27");
}

#[test]
fn a_day_the_month_lacks_is_refused() {
    let mut chat = conversation();
    let turn = chat.say("book a table for 2 in Rome on november 31st at 8pm");
    assert_eq!(
        turn.replies,
        ["Sorry, November has 30 days. For which day?"]
    );
    assert!(!turn.slots.contains_key("date"), "{:?}", turn.slots);
}

#[test]
fn numbers_go_where_the_words_around_them_say() {
    let booking = "a table for 2 in Rome tomorrow at 8pm";
    // At the confirmation: "3 of us" (tagged a date) is the party, "at 6" (tagged a party)
    // the time, and only the party of "not 4, 5 people" counts.
    for (reply, slot, value) in [
        (
            "actually there will be 3 of us",
            "party_size",
            serde_json::json!(3),
        ),
        ("at 6", "time", serde_json::json!("18:00")),
        ("not 4, 5 people", "party_size", serde_json::json!(5)),
    ] {
        let mut chat = conversation();
        chat.say(booking);
        let turn = chat.say(reply);
        assert_eq!(turn.slots[slot], value, "{reply}: {:?}", turn.replies);
        assert_eq!(turn.slots["date"], "2026-11-24", "{reply}");
    }
    // Asked the time, "for 4" is the party and no date.
    let mut chat = conversation();
    chat.say("book a table in Rome tomorrow");
    let turn = chat.say("7:30 for 4");
    assert_eq!(turn.slots["date"], "2026-11-24", "{:?}", turn.replies);
    assert_eq!(turn.slots["time"], "19:30");
    assert_eq!(turn.slots["party_size"], 4);
    // "2 at 8" is two people at eight, not the 2nd.
    let mut chat = conversation();
    chat.say("book a table in Rome tomorrow");
    let turn = chat.say("2 at 8");
    assert_eq!(turn.slots["date"], "2026-11-24", "{:?}", turn.replies);
    assert_eq!(turn.slots["time"], "20:00");
    assert_eq!(turn.slots["party_size"], 2);
    // After the booking, a new head count changes its party.
    let mut chat = conversation();
    chat.say(booking);
    chat.say("yes");
    let turn = chat.say("there will be 5 of us now");
    assert_eq!(turn.slots["party_size"], 5, "{:?}", turn.replies);
    assert_eq!(turn.slots["date"], "2026-11-24");
    // "the two" (of us), tagged a date, is the party.
    let mut chat = conversation();
    chat.say("book a table in Rome friday at 8pm");
    let turn = chat.say("just the two of us");
    assert_eq!(turn.slots["party_size"], 2, "{:?}", turn.replies);
    assert_eq!(turn.slots["date"], "2026-11-27");
    // A flight has no party: the count is no date either.
    let mut chat = conversation();
    chat.say("book a flight from London to Rome");
    let turn = chat.say("there will be 5 of us");
    assert!(!turn.slots.contains_key("date"), "{:?}", turn.replies);
    // A time the tagger took for a number is the time.
    let mut chat = conversation();
    chat.say(booking);
    chat.say("yes");
    let turn = chat.say("what about 9pm?");
    assert_eq!(turn.slots["time"], "21:00", "{:?}", turn.replies);
    assert_eq!(turn.slots["party_size"], 2);
    // Asked politely, a change after the booking changes it too.
    let mut chat = conversation();
    chat.say(booking);
    chat.say("yes");
    let turn = chat.say("can you change it to 9pm?");
    assert_eq!(turn.slots["time"], "21:00", "{:?}", turn.replies);
    assert_eq!(turn.slots["date"], "2026-11-24");
    assert!(
        turn.replies[0].starts_with("Book a table"),
        "{:?}",
        turn.replies
    );
}

#[test]
fn a_booking_asks_which_day_of_a_span() {
    let mut chat = conversation();
    let turn = chat.say("a table for 2 in Rome this weekend at 8pm");
    assert_eq!(
        turn.replies,
        ["Which day: Saturday 28 November or Sunday 29 November?"]
    );
    assert_eq!(turn.asking.as_deref(), Some("date"));
    let turn = chat.say("sunday");
    assert_eq!(turn.slots["date"], "2026-11-29");
    // Asked which day of next week, "tuesday" is the one in it.
    let mut chat = conversation();
    let turn = chat.say("fly from Paris to Rome next week");
    assert_eq!(
        turn.replies,
        ["Which day next week, from Monday 30 November to Sunday 6 December?"]
    );
    let turn = chat.say("on Tuesday");
    assert_eq!(turn.slots["date"], "2026-12-01");
    // The weather takes a span.
    let mut chat = conversation();
    let turn = chat.say("what's the weather in Rome this weekend");
    assert_eq!(fired(&turn), Some("get_weather"));
}

#[test]
fn naming_a_slot_to_change_asks_its_question() {
    let booking = "a table for 4 in Rome tomorrow at 8pm";
    for (change, slot, answer) in [
        ("the time", "time", "9pm"),
        ("the city", "location", "Milan"),
        ("the number of people", "party_size", "6"),
        ("the date", "date", "friday"),
    ] {
        let mut chat = conversation();
        chat.say(booking);
        assert_eq!(
            chat.say("no").replies,
            ["What would you like to change? (or say cancel)"]
        );
        let turn = chat.say(change);
        assert_eq!(
            turn.asking.as_deref(),
            Some(slot),
            "{change}: {:?}",
            turn.replies
        );
        assert_eq!(turn.replies, prompts("book_table", slot), "{change}");
        let turn = chat.say(answer);
        assert!(
            turn.replies[0].starts_with("Book a table"),
            "{:?}",
            turn.replies
        );
    }
    // At the confirmation, at once.
    let mut chat = conversation();
    chat.say(booking);
    let turn = chat.say("change the time");
    assert_eq!(turn.asking.as_deref(), Some("time"), "{:?}", turn.replies);
}

#[test]
fn corrections_stay_in_the_form() {
    let mut chat = conversation();
    chat.say("a table for 4 in Rome tomorrow at 8pm");
    let turn = chat.say("change the date to friday");
    assert_eq!(turn.slots["date"], "2026-11-27", "{:?}", turn.replies);
    assert!(
        turn.replies[0].starts_with("Book a table"),
        "{:?}",
        turn.replies
    );
    // A place said for the day is no new request either.
    let mut chat = conversation();
    chat.say("book a table in Paris for 2");
    let turn = chat.say("Rome");
    assert_eq!(
        turn.form.as_deref(),
        Some("book_table"),
        "{:?}",
        turn.replies
    );
}

#[test]
fn a_bare_no_asks_for_nothing() {
    let mut chat = conversation();
    chat.say("weather in Oslo");
    for text in ["no thanks", "no way"] {
        let turn = chat.say(text);
        assert_eq!(fired(&turn), None, "{text}");
        assert_eq!(turn.replies, ["Okay."], "{text}");
        assert_eq!(turn.form, None, "{text}");
    }
}

#[test]
fn a_moment_said_for_the_day_fills_the_hour_too() {
    for (reply, date, time) in [
        ("friday at 7", "2026-11-27", "19:00"),
        ("tomorrow 8pm", "2026-11-24", "20:00"),
    ] {
        let mut chat = conversation();
        chat.say("book a table in Rome for 4");
        let turn = chat.say(reply);
        assert_eq!(turn.slots["date"], date, "{reply}");
        assert_eq!(turn.slots["time"], time, "{reply}");
    }
    // An hour alone fills the time, and the day is asked again.
    let mut chat = conversation();
    chat.say("book a table in Rome for 4");
    let turn = chat.say("at 8");
    assert_eq!(turn.slots["time"], "20:00");
    assert!(!turn.slots.contains_key("date"), "{:?}", turn.slots);
    assert_eq!(turn.asking.as_deref(), Some("date"));
}

#[test]
fn switching_them_around_swaps_origin_and_destination() {
    let mut chat = conversation();
    chat.say("book a flight from Paris to Rome tomorrow");
    let turn = chat.say("switch them around");
    assert_eq!(turn.slots["origin"], "Rome", "{:?}", turn.replies);
    assert_eq!(turn.slots["destination"], "Paris");
    assert_eq!(fired(&chat.say("yes")), Some("book_flight"));
}

#[test]
fn only_a_plain_yes_books() {
    let booking = "a table for 2 in Paris tomorrow at 8pm";
    for reply in [
        "absolutely not",
        "great yarmouth",
        "yes... no wait",
        "yes, don't book it",
        "yes book the flight",
        "yes no",
    ] {
        let mut chat = conversation();
        chat.say(booking);
        let turn = chat.say(reply);
        assert_eq!(fired(&turn), None, "{reply}: {:?}", turn.replies);
    }
    // A change the tagger missed is read by the resolvers.
    let mut chat = conversation();
    chat.say(booking);
    let turn = chat.say("yes, but on the 5th");
    assert_eq!(fired(&turn), None);
    assert_eq!(turn.slots["date"], "2026-12-05", "{:?}", turn.replies);
    // "actually no" is a no, and so is "no don't" (the tagger reads "don" as a date).
    for reply in ["actually no", "no don't"] {
        let mut chat = conversation();
        chat.say(booking);
        assert_eq!(
            chat.say(reply).replies,
            ["What would you like to change? (or say cancel)"],
            "{reply}"
        );
    }
}

#[test]
fn asking_for_a_moment_is_no_request_but_a_value_after_it_answers() {
    let mut chat = conversation();
    chat.say("book a table in Paris");
    for text in ["let me ask my wife", "give me 2 minutes"] {
        let turn = chat.say(text);
        assert_eq!(turn.replies, ["Sure, take your time."], "{text}");
    }
    let turn = chat.say("hmm, friday");
    assert_eq!(turn.slots["date"], "2026-11-27", "{:?}", turn.replies);
    // "ok bye" is a goodbye, not an ok.
    let turn = chat.say("ok bye");
    assert_eq!(fired(&turn), Some("goodbye"), "{:?}", turn.replies);
}

#[test]
fn a_correction_after_the_action_carries_its_values_over() {
    let mut chat = conversation();
    chat.say("a table for 2 in Paris tomorrow at 8pm");
    assert_eq!(fired(&chat.say("that works")), Some("book_table"));
    let turn = chat.say("move it to friday");
    assert_eq!(turn.slots["date"], "2026-11-27", "{:?}", turn.replies);
    assert_eq!(turn.slots["location"], "Paris");
    assert!(
        turn.replies[0].starts_with("Book a table"),
        "{:?}",
        turn.replies
    );
}

#[test]
fn a_place_said_in_a_correction_corrects_the_city() {
    // Asked for the day, while the form is open.
    let mut chat = conversation();
    chat.say("book a table in Paris");
    let turn = chat.say("sorry, I meant Rome");
    assert_eq!(turn.slots["location"], "Rome", "{:?}", turn.replies);
    assert_eq!(turn.asking.as_deref(), Some("date"));
    // After the action: the weather again, for the corrected city.
    let mut chat = conversation();
    chat.say("weather in Paris");
    let turn = chat.say("oops, I meant Lyon");
    assert_eq!(fired(&turn), Some("get_weather"), "{:?}", turn.replies);
    assert_eq!(turn.slots["location"], "Lyon");
    // A flight's two places leave it open which one is meant.
    let mut chat = conversation();
    chat.say("book a flight from Oslo to Rome tomorrow");
    let turn = chat.say("sorry, I meant Lisbon");
    assert_eq!(turn.slots["origin"], "Oslo", "{:?}", turn.replies);
    assert_eq!(turn.slots["destination"], "Rome");
}

#[test]
fn there_is_the_place_of_the_open_form_or_the_last_action() {
    // Mid-booking, the weather there is answered and the booking's question asked again.
    let mut chat = conversation();
    chat.say("book a table in Lisbon tomorrow at 8pm");
    let turn = chat.say("what's the weather there?");
    assert_eq!(fired(&turn), Some("get_weather"), "{:?}", turn.replies);
    assert_eq!(turn.slots["location"], "Lisbon");
    assert_eq!(turn.asking.as_deref(), Some("party_size"));
    // Asked while the form is open, a question for one place takes the form's.
    let mut chat = conversation();
    chat.say("book a table in Lisbon tomorrow at 8pm");
    let turn = chat.say("is it going to rain tomorrow?");
    assert_eq!(fired(&turn), Some("get_weather"), "{:?}", turn.replies);
    assert_eq!(turn.slots["location"], "Lisbon");
    assert_eq!(turn.asking.as_deref(), Some("party_size"));
    // After a flight, "there" is where it goes.
    let mut chat = conversation();
    chat.say("book a flight from Oslo to Rome on friday");
    chat.say("yes");
    let turn = chat.say("book a table there for 2 on friday at 8pm");
    assert_eq!(turn.slots["location"], "Rome", "{:?}", turn.replies);
    // "fly me there" goes there.
    let mut chat = conversation();
    chat.say("weather in Bergen");
    let turn = chat.say("fly me there from Oslo tomorrow");
    assert_eq!(turn.slots["destination"], "Bergen", "{:?}", turn.replies);
    assert_eq!(turn.slots["origin"], "Oslo");
    // "to there" is no place named "There".
    let mut chat = conversation();
    chat.say("what's the weather like in Barcelona?");
    let turn = chat.say("get me a flight from London to there on friday");
    assert_eq!(turn.slots["destination"], "Barcelona", "{:?}", turn.replies);
}

#[test]
fn naming_a_slot_or_swapping_after_the_action_reopens_it() {
    let mut chat = conversation();
    chat.say("a table for 2 in Paris tomorrow at 8pm");
    assert_eq!(fired(&chat.say("yes")), Some("book_table"));
    let turn = chat.say("change the time");
    assert_eq!(turn.asking.as_deref(), Some("time"), "{:?}", turn.replies);
    assert_eq!(turn.slots["location"], "Paris");
    chat.say("9pm");
    let turn = chat.say("yes");
    assert_eq!(fired(&turn), Some("book_table"));
    assert_eq!(turn.slots["time"], "21:00");
    assert_eq!(turn.slots["party_size"], 2);

    let mut chat = conversation();
    chat.say("book a flight from Paris to Rome tomorrow");
    assert_eq!(fired(&chat.say("yes")), Some("book_flight"));
    let turn = chat.say("switch them around");
    assert_eq!(turn.slots["origin"], "Rome", "{:?}", turn.replies);
    assert_eq!(turn.slots["destination"], "Paris");
    assert_eq!(turn.slots["date"], "2026-11-24");
    assert_eq!(fired(&chat.say("yes")), Some("book_flight"));
}

/// A small hotel bot: two date slots and a guest count.
fn hotel() -> slotfill::intents::Intents {
    slotfill::intents::Intents::from_str(
        "hotel.yaml",
        r#"
entities:
  - name: date
    resolver: date
  - name: number
    resolver: number
intents:
  - name: book_hotel
    examples:
      - a room from [friday](date:checkin) to [sunday](date:checkout)
      - check in [monday](date:checkin) and leave [wednesday](date:checkout)
      - from [the 5th](date:checkin) to [the 8th](date:checkout)
      - stay from [tomorrow](date:checkin) to [friday](date:checkout) for [2](number)
      - a hotel for [3](number) people
    slots:
      - {name: checkin, entity: date, role: checkin, prompts: ["When do you check in?"]}
      - {name: checkout, entity: date, role: checkout, prompts: ["When do you leave?"]}
      - {name: guests, entity: number, prompts: ["How many guests?"]}
    action: {reply: "Booked."}
"#,
    )
    .unwrap()
}

#[test]
fn a_range_run_into_a_count_fills_both_days_and_the_count() {
    let intents = hotel();
    let resolvers = Resolvers::new(&intents.entities);
    for (text, span) in [
        (
            "book a hotel from friday to sunday for 2 people",
            "friday to sunday for 2 people",
        ),
        (
            "book a hotel from friday to sunday for 2",
            "friday to sunday for 2",
        ),
    ] {
        let start = text.find(span).unwrap();
        let parse = Parse {
            text: text.into(),
            intent: slotfill::parse::IntentScore {
                name: "book_hotel".into(),
                confidence: 0.98,
            },
            intent_ranking: vec![],
            entities: vec![Entity {
                entity: "date".into(),
                role: Some("checkin".into()),
                value: span.into(),
                start,
                end: start + span.len(),
                confidence: 0.9,
                resolved: None,
            }],
            slots: Default::default(),
        };
        let mut conversation = Conversation::default();
        let turn =
            Dialogue::new(&intents, &resolvers).step(&mut conversation, &parse, &common::at(0));
        assert_eq!(
            turn.slots["checkin"], "2026-11-27",
            "{text}: {:?}",
            turn.replies
        );
        assert_eq!(turn.slots["checkout"], "2026-11-29", "{text}");
        assert_eq!(turn.slots["guests"], 2, "{text}");
    }
}

#[test]
fn a_count_after_for_or_we_are_is_the_guests() {
    let intents = hotel();
    let resolvers = Resolvers::new(&intents.entities);
    let dialogue = Dialogue::new(&intents, &resolvers);
    let tagged = |text: &str, spans: &[(&str, Option<&str>)], intent: &str| {
        let entities = spans
            .iter()
            .map(|&(value, role)| {
                let start = text.rfind(value).unwrap();
                Entity {
                    entity: "date".into(),
                    role: role.map(String::from),
                    value: value.into(),
                    start,
                    end: start + value.len(),
                    confidence: 0.9,
                    resolved: None,
                }
            })
            .collect();
        Parse {
            text: text.into(),
            intent: slotfill::parse::IntentScore {
                name: intent.into(),
                confidence: 0.9,
            },
            intent_ranking: vec![],
            entities,
            slots: Default::default(),
        }
    };
    // "2" tagged a day: "for 2" counts guests (Duckling reads no day in it).
    let text = "a hotel from friday to sunday for 2";
    let parse = tagged(
        text,
        &[
            ("friday", Some("checkin")),
            ("sunday", Some("checkout")),
            ("2", None),
        ],
        "book_hotel",
    );
    let mut conversation = Conversation::default();
    let turn = dialogue.step(&mut conversation, &parse, &common::at(0));
    assert_eq!(turn.slots["checkout"], "2026-11-29", "{:?}", turn.replies);
    assert_eq!(turn.slots["guests"], 2);
    // Asked the count, "we are 7" answers it.
    let parse = tagged(
        "a hotel from friday to sunday",
        &[("friday", Some("checkin")), ("sunday", Some("checkout"))],
        "book_hotel",
    );
    let mut conversation = Conversation::default();
    let turn = dialogue.step(&mut conversation, &parse, &common::at(0));
    assert_eq!(turn.asking.as_deref(), Some("guests"));
    let turn = dialogue.step(
        &mut conversation,
        &tagged("we are 7", &[], "out_of_scope"),
        &common::at(0),
    );
    assert_eq!(turn.slots["guests"], 7, "{:?}", turn.replies);
    // A slot named with its new value, which the model did not tag, takes the value.
    let parse = tagged(
        "a hotel from friday to sunday",
        &[("friday", Some("checkin")), ("sunday", Some("checkout"))],
        "book_hotel",
    );
    let mut conversation = Conversation::default();
    dialogue.step(&mut conversation, &parse, &common::at(0));
    let turn = dialogue.step(
        &mut conversation,
        &tagged("change the checkout to monday", &[], "out_of_scope"),
        &common::at(0),
    );
    assert_eq!(turn.slots["checkout"], "2026-11-30", "{:?}", turn.replies);
    assert_eq!(turn.asking.as_deref(), Some("guests"));
    // The end of a range comes after its start: said on a Monday, "from monday to wednesday"
    // is next week's Monday to the Wednesday after it.
    let parse = tagged(
        "a hotel from monday to wednesday",
        &[("monday", Some("checkin")), ("wednesday", Some("checkout"))],
        "book_hotel",
    );
    let turn = dialogue.step(&mut Conversation::default(), &parse, &common::at(0));
    assert_eq!(turn.slots["checkin"], "2026-11-30", "{:?}", turn.replies);
    assert_eq!(turn.slots["checkout"], "2026-12-02");
}
