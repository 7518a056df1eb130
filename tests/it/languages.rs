//! Bots in other languages than English: in each language slotfill ships (`lang/fr`, `de`,
//! `es`) and in one it does not, whose bot folder brings the words and replies as data
//! (`lang/nl/`): with no code of its own, each bot confirms, denies, cancels, waits and takes
//! corrections in its language; and the same Dutch bot with dialogue acts (`lang/nl/acts.yaml`)
//! and no word lists, which its model reads yes, no, cancel and "a moment" from.

use crate::common::{fired, trained, Script};
use slotfill::intents::Intents;
use std::path::Path;
use std::sync::OnceLock;

const BOT: &str = r#"
settings:
  language: nl
entities:
  - name: stad
    values: [Amsterdam, Utrecht, Rotterdam, Den Haag, Eindhoven, Groningen]
  - name: aantal
    values: ["1", "2", "3", "4", "5", "6", "7", "8"]
intents:
  - name: tafel_reserveren
    examples:
      - ik wil een tafel reserveren in [Utrecht](stad)
      - een tafel voor [4](aantal) in [Amsterdam](stad) graag
      - reserveer een tafel in [Rotterdam](stad)
      - kan ik een tafel boeken voor [2](aantal) personen
      - tafel voor [6](aantal) in [Den Haag](stad)
      - ik wil graag reserveren
      - een tafel reserveren alstublieft
      - boek een tafel in [Groningen](stad) voor [3](aantal)
    slots:
      - name: stad
        entity: stad
        prompts: ["In welke stad?"]
      - name: aantal
        entity: aantal
        prompts: ["Voor hoeveel personen?"]
    confirm: "Een tafel voor {aantal} in {stad}, klopt dat?"
    action:
      reply: "Uw tafel voor {aantal} in {stad} is gereserveerd."
  - name: groeten
    examples: [hallo, goedemorgen, hoi, goedendag, hallo daar]
"#;

const LEXICON: &str = r#"
"yes": [ja, jazeker, zeker, prima, goed, oké, ok, klopt, correct]
yes_companions: [hoor, graag, dat, is, het]
plain_yes: [ja, jazeker, klopt]
yes_but: [maar, niet, nee, liever]
"no": [nee, neen, niet goed, klopt niet]
bare_no: [nee, nee dank je, nee bedankt]
cancel: [annuleer, annuleren, stop, laat maar, vergeet het]
reply_lead: [nee, oh, ok]
keep_all: [niets, niks, laat zo]
hold_on: [wacht even, momentje, even denken]
correction_lead: [verander, wijzig, eigenlijk, liever]
change_verbs: [verander, wijzig]
value_after: [naar, in]
small_words: [de, het, een, in, voor, welke, hoeveel]
"#;

const REPLIES: &str = r#"
fallback: "Sorry, dat begreep ik niet. Ik kan helpen met: {intents}."
empty_message: Zeg iets, dan help ik graag.
cancelled: Oké, geannuleerd.
nothing_to_cancel: Er is niets om te annuleren.
take_your_time: Neem gerust de tijd.
okay: Oké.
what_to_change: Wat wilt u veranderen? (of zeg annuleren)
answer_yes_or_no: Antwoord met ja of nee. {question}
"yes": ja
"no": nee
none: geen
and: en
ask_slot: Wat moet {slot} zijn?
hint: Sorry, {hint} {question}
unreadable: Sorry, "{text}" kan ik niet lezen als {kind}. {question}
a_date: een datum
a_time: een tijd
a_number: een getal
a_place: een plaats
not_those_days: '"{text}" is niet een van die dagen.'
time_passed: Sorry, {time} op {date} is al voorbij. {question}
already: Sorry, {value} is al {slot}. {question}
not_one_of: 'Sorry, "{text}" is niet een van: {values}.'
no_match: Sorry, "{text}" lijkt niet te kloppen.
not_a_number: Sorry, "{text}" is geen getal.
not_whole: Sorry, {text} is geen geheel getal.
out_of_range: Sorry, {text} valt buiten {range}.
out_of_hours: Sorry, {time} valt buiten {hours}.
not_a_date: Sorry, "{text}" kan ik niet lezen als datum.
in_the_past: Sorry, {text} is al voorbij.
which_of_days: "Welke dag: {days} of {last}?"
which_day_between: Welke dag {text}, van {from} tot {to}?
give_up: Laten we hier stoppen; begin gerust opnieuw.
done: "Gedaan: {action}."
action_failed: "Sorry, dat lukte niet: {message}."
try_again: "{sorry} Zal ik het opnieuw proberen?"
"#;

/// Writes the Dutch bot's folder into `dir`.
fn write_bot(dir: &Path) {
    let lang = dir.join("lang").join("nl");
    std::fs::create_dir_all(&lang).unwrap();
    std::fs::write(dir.join("bot.yaml"), BOT).unwrap();
    std::fs::write(lang.join("lexicon.yaml"), LEXICON).unwrap();
    std::fs::write(lang.join("replies.yaml"), REPLIES).unwrap();
}

/// The Dutch bot, trained once for the tests of this file.
fn dutch() -> &'static slotfill::Bot {
    static BOT: OnceLock<slotfill::Bot> = OnceLock::new();
    BOT.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        write_bot(dir.path());
        let intents = Intents::load(dir.path()).unwrap();
        assert_eq!(intents.language.code, "nl");
        trained(intents, 40)
    })
}

#[test]
fn a_dutch_bot_asks_confirms_and_fires_in_dutch() {
    let mut chat = Script::on(dutch(), "nl-yes");
    let turn = chat.say("ik wil een tafel reserveren in Utrecht");
    assert_eq!(turn.replies, ["Voor hoeveel personen?"]);
    let turn = chat.say("4");
    assert_eq!(turn.replies, ["Een tafel voor 4 in Utrecht, klopt dat?"]);
    let turn = chat.say("wacht even");
    assert_eq!(turn.replies, ["Neem gerust de tijd."]);
    let turn = chat.say("ja hoor");
    assert_eq!(fired(&turn), Some("tafel_reserveren"));
    assert_eq!(
        turn.replies,
        ["Uw tafel voor 4 in Utrecht is gereserveerd."]
    );
}

#[test]
fn a_dutch_bot_takes_a_no_and_a_correction() {
    let mut chat = Script::on(dutch(), "nl-no");
    chat.say("een tafel voor 2 in Amsterdam graag");
    let turn = chat.say("nee");
    assert_eq!(turn.replies, ["Wat wilt u veranderen? (of zeg annuleren)"]);
    let turn = chat.say("verander de stad naar Rotterdam");
    assert_eq!(turn.replies, ["Een tafel voor 2 in Rotterdam, klopt dat?"]);
    let turn = chat.say("nee, eigenlijk voor 6");
    assert_eq!(turn.replies, ["Een tafel voor 6 in Rotterdam, klopt dat?"]);
    let turn = chat.say("klopt");
    assert_eq!(fired(&turn), Some("tafel_reserveren"));
}

#[test]
fn a_dutch_bot_cancels_and_says_so() {
    let mut chat = Script::on(dutch(), "nl-cancel");
    chat.say("reserveer een tafel in Groningen");
    let turn = chat.say("laat maar");
    assert_eq!(turn.replies, ["Oké, geannuleerd."]);
    assert!(turn.commands.contains(&slotfill::dialogue::Command::Cancel));
    let turn = chat.say("annuleer");
    assert_eq!(turn.replies, ["Er is niets om te annuleren."]);
    // English is no language of this bot: "cancel" is no word of its.
    chat.say("tafel voor 3 in Eindhoven");
    let turn = chat.say("cancel");
    assert_ne!(turn.replies, ["Oké, geannuleerd."]);
}

/// The Dutch dialogue acts: with them and the replies, and no word lists at all, the bot
/// reads yes, no, cancel and "a moment" as its model learned them.
const ACTS: &str = r#"
intents:
  - name: affirm
    act: affirm
    examples: [ja, jazeker, zeker, prima, goed, oké, klopt, correct, ja hoor, ja graag, dat klopt,
      ja dat klopt, helemaal goed, dat is goed, ja prima, doe maar, akkoord, precies, uiteraard,
      natuurlijk, inderdaad, ja dat is het, klinkt goed, perfect, ja boek maar]
  - name: deny
    act: deny
    examples: [nee, neen, nee hoor, niet goed, klopt niet, dat klopt niet, nee dat is fout, fout,
      verkeerd, dat is niet goed, nee dat klopt niet, helemaal niet, zeker niet, niet echt,
      dat is het niet, nee dank je, nee bedankt, niet helemaal, nee niet dat, absoluut niet]
  - name: cancel
    act: cancel
    examples: [annuleer, annuleren, stop, laat maar, vergeet het, laat maar zitten, stop ermee,
      ik wil niet meer, annuleer het maar, hou maar op, ik zie ervan af, toch maar niet,
      afbreken, vergeet het maar, laat ook maar, ik stop, niet meer nodig, annuleer alles]
  - name: hold_on
    act: hold_on
    examples: [wacht even, momentje, even denken, een momentje, wacht, even wachten,
      ik moet even nadenken, geef me een minuutje, een ogenblik, even kijken, ogenblikje,
      laat me even denken, ik denk even na, hmm, eh, moment alstublieft, wacht eens]
  - name: keep_all
    act: keep_all
    examples: [niets, niks, laat zo, alles is goed, niets veranderen, het is goed zo,
      laat maar zo, niks veranderen, alles klopt, hou het zo, geen wijzigingen, het mag zo]
"#;

/// The Dutch bot with its acts and replies and no lexicon, trained once.
fn dutch_by_acts() -> &'static slotfill::Bot {
    static BOT: OnceLock<slotfill::Bot> = OnceLock::new();
    BOT.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        write_bot(dir.path());
        let lang = dir.path().join("lang").join("nl");
        std::fs::remove_file(lang.join("lexicon.yaml")).unwrap();
        std::fs::write(lang.join("acts.yaml"), ACTS).unwrap();
        let intents = Intents::load(dir.path()).unwrap();
        assert!(intents.language.lexicon.yes.is_empty());
        trained(intents, 40)
    })
}

#[test]
fn a_dutch_bot_with_acts_and_no_word_lists_confirms_denies_and_cancels() {
    let mut chat = Script::on(dutch_by_acts(), "nl-acts");
    chat.say("een tafel voor 2 in Amsterdam graag");
    let turn = chat.say("wacht even");
    assert_eq!(turn.replies, ["Neem gerust de tijd."]);
    let turn = chat.say("nee, dat klopt niet");
    assert_eq!(turn.replies, ["Wat wilt u veranderen? (of zeg annuleren)"]);
    let turn = chat.say("niks");
    assert_eq!(turn.replies, ["Een tafel voor 2 in Amsterdam, klopt dat?"]);
    let turn = chat.say("ja, prima");
    assert_eq!(fired(&turn), Some("tafel_reserveren"));

    chat.say("reserveer een tafel in Groningen");
    let turn = chat.say("laat maar zitten");
    assert_eq!(turn.replies, ["Oké, geannuleerd."]);
}

#[test]
fn an_act_of_a_bots_own_pack_needs_its_act() {
    let dir = tempfile::tempdir().unwrap();
    write_bot(dir.path());
    let acts = dir.path().join("lang").join("nl").join("acts.yaml");
    std::fs::write(&acts, "intents:\n  - name: affirm\n    examples: [ja]\n").unwrap();
    let err = Intents::load(dir.path()).unwrap_err().to_string();
    assert!(err.contains("acts.yaml:2"), "{err}");
    assert!(err.contains("`affirm` has no `act:`"), "{err}");
}

#[test]
fn a_language_without_its_files_is_refused_with_what_to_add() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bot.yaml"), BOT).unwrap();
    let err = Intents::load(dir.path()).unwrap_err().to_string();
    assert!(err.contains("ships no language `nl`"), "{err}");
    assert!(
        err.contains("`en`") && err.contains("replies.yaml"),
        "{err}"
    );

    let lang = dir.path().join("lang").join("nl");
    std::fs::create_dir_all(&lang).unwrap();
    std::fs::write(lang.join("lexicon.yaml"), LEXICON).unwrap();
    std::fs::write(
        lang.join("replies.yaml"),
        "cancelled: Oké.\nokay: Oké {who}.\n",
    )
    .unwrap();
    let err = Intents::load(dir.path()).unwrap_err().to_string();
    assert!(err.contains("no replies `fallback`"), "{err}");

    std::fs::write(
        lang.join("replies.yaml"),
        REPLIES.replace("Oké.\n", "Oké {who}.\n"),
    )
    .unwrap();
    let err = Intents::load(dir.path()).unwrap_err().to_string();
    assert!(err.contains("replies.yaml:7"), "{err}");
    assert!(err.contains("placeholder {who}"), "{err}");

    std::fs::write(lang.join("lexicon.yaml"), "jaa: [ja]\n").unwrap();
    let err = Intents::load(dir.path()).unwrap_err().to_string();
    assert!(
        err.contains("lexicon.yaml:1") && err.contains("jaa"),
        "{err}"
    );
}

#[test]
fn an_english_bot_may_replace_some_replies_and_words() {
    let dir = tempfile::tempdir().unwrap();
    crate::common::copy_dir("examples/pizza/intents", dir.path());
    let lang = dir.path().join("lang").join("en");
    std::fs::create_dir_all(&lang).unwrap();
    std::fs::write(
        lang.join("replies.yaml"),
        "cancelled: No problem, it's cancelled.\n",
    )
    .unwrap();
    std::fs::write(
        lang.join("lexicon.yaml"),
        "cancel: [cancel, scrap it, ditch it]\n",
    )
    .unwrap();
    let intents = Intents::load(dir.path()).unwrap();
    let english = slotfill::lang::Language::default();
    assert_eq!(
        intents.language.replies.cancelled,
        "No problem, it's cancelled."
    );
    assert_eq!(intents.language.replies.okay, english.replies.okay);
    assert_eq!(
        intents.language.lexicon.cancel,
        ["cancel", "scrap it", "ditch it"]
    );
    assert_eq!(intents.language.lexicon.yes, english.lexicon.yes);
}

/// The small table-booking bot of `tests/data/languages/{code}.yaml`, trained.
fn shipped_bot(code: &str) -> &'static slotfill::Bot {
    let dir = tempfile::tempdir().unwrap();
    let yaml = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/languages")
        .join(format!("{code}.yaml"));
    std::fs::copy(yaml, dir.path().join("bot.yaml")).unwrap();
    let intents = Intents::load(dir.path()).unwrap();
    assert_eq!(
        intents.language,
        slotfill::lang::Language::shipped(code).unwrap()
    );
    Box::leak(Box::new(trained(intents, 40)))
}

/// What one language's conversation says and hears: the request, the number asked for, a
/// moment, a no, a correction naming the slot (to `corrected`), a yes (`booked`); and a
/// cancel.
struct Lines {
    code: &'static str,
    request: &'static str,
    asks: &'static str,
    confirm: &'static str,
    moment: &'static str,
    no: &'static str,
    correction: &'static str,
    corrected: &'static str,
    yes: &'static str,
    booked: &'static str,
    cancel: &'static str,
}

fn converses(script: Lines) {
    let bot = shipped_bot(script.code);
    let replies = slotfill::lang::Language::shipped(script.code)
        .unwrap()
        .replies;
    let mut chat = Script::on(bot, script.code);
    let code = script.code;
    assert_eq!(chat.say(script.request).replies, [script.asks], "{code}");
    assert_eq!(chat.say("4").replies, [script.confirm], "{code}");
    assert_eq!(
        chat.say(script.moment).replies,
        [&replies.take_your_time[..]],
        "{code}"
    );
    assert_eq!(
        chat.say(script.no).replies,
        [&replies.what_to_change[..]],
        "{code}"
    );
    let turn = chat.say(script.correction);
    assert_eq!(turn.replies, [script.corrected], "{code}");
    let turn = chat.say(script.yes);
    assert!(fired(&turn).is_some(), "{code}: {:?}", turn.replies);
    assert_eq!(turn.replies, [script.booked], "{code}");
    chat.say(script.request);
    let turn = chat.say(script.cancel);
    assert_eq!(turn.replies, [&replies.cancelled[..]], "{code}");
}

#[test]
fn a_french_bot_converses_in_french() {
    converses(Lines {
        code: "fr",
        request: "je voudrais réserver une table à Lyon",
        asks: "Pour combien de personnes ?",
        confirm: "Une table pour 4 à Lyon, c'est bien ça ?",
        moment: "attendez",
        no: "non",
        correction: "changer la ville pour Paris",
        corrected: "Une table pour 4 à Paris, c'est bien ça ?",
        yes: "oui",
        booked: "Votre table pour 4 à Paris est réservée.",
        cancel: "laisse tomber",
    });
}

#[test]
fn a_german_bot_converses_in_german() {
    converses(Lines {
        code: "de",
        request: "ich möchte einen Tisch in Köln reservieren",
        asks: "Für wie viele Personen?",
        confirm: "Ein Tisch für 4 in Köln, stimmt das?",
        moment: "Moment mal",
        no: "nein",
        correction: "ändere die Stadt auf Berlin",
        corrected: "Ein Tisch für 4 in Berlin, stimmt das?",
        yes: "ja",
        booked: "Ihr Tisch für 4 in Berlin ist reserviert.",
        cancel: "vergiss es",
    });
}

#[test]
fn a_spanish_bot_converses_in_spanish() {
    converses(Lines {
        code: "es",
        request: "quiero reservar una mesa en Sevilla",
        asks: "¿Para cuántas personas?",
        confirm: "Una mesa para 4 en Sevilla, ¿es correcto?",
        moment: "espera",
        no: "no",
        correction: "cambia la ciudad a Madrid",
        corrected: "Una mesa para 4 en Madrid, ¿es correcto?",
        yes: "sí",
        booked: "Su mesa para 4 en Madrid está reservada.",
        cancel: "olvídalo",
    });
}
