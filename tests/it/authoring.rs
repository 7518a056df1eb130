//! The authoring loop on a copy of the bundled bot, following `docs/yaml-format.md`: add an
//! intent with a new entity, then one command retrains and chats; `/reload` picks up edits
//! without dropping the conversation.

use crate::common;

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A copy of the bundled bot: `intents/` and `model/` in a temporary folder.
fn bundled_copy() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let (intents, model) = (dir.path().join("intents"), dir.path().join("model"));
    common::copy_dir("intents", &intents);
    common::copy_dir("models/bundled", &model);
    (dir, intents, model)
}

/// The YAML file that the "Adding an intent" section of the format docs shows.
fn documented_intent() -> String {
    let docs = std::fs::read_to_string(root().join("docs/yaml-format.md")).unwrap();
    let section = &docs[docs.find("## Adding an intent").expect("the section")..];
    let start = section.find("```yaml\n").expect("a YAML block") + "```yaml\n".len();
    let end = start + section[start..].find("```").unwrap();
    section[start..end].to_string()
}

fn chat(intents: &Path, model: &Path, flags: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_slotfill"));
    command
        .arg("chat")
        .arg("--intents")
        .arg(intents)
        .arg("--model")
        .arg(model)
        .args(["--now", "2026-11-23T10:00"])
        .args(flags);
    command
}

/// Runs a scripted chat; its stdout, or its stderr when it fails.
fn run_chat(command: &mut Command, script: &str) -> Result<String, String> {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(script.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    let text = |bytes: Vec<u8>| String::from_utf8(bytes).unwrap();
    match output.status.success() {
        true => Ok(text(output.stdout)),
        false => Err(text(output.stderr)),
    }
}

#[test]
fn a_documented_new_intent_works_in_chat_after_one_command() {
    let (_dir, intents, model) = bundled_copy();
    std::fs::write(intents.join("order_coffee.yaml"), documented_intent()).unwrap();

    // Without --retrain the stale model is refused with the commands that fix it.
    let refused = run_chat(&mut chat(&intents, &model, &[]), "hi\n").unwrap_err();
    assert!(refused.contains("slotfill train"), "{refused}");
    assert!(refused.contains("--retrain"), "{refused}");

    let transcript = run_chat(
        &mut chat(&intents, &model, &["--retrain"]),
        "I'd like a coffee\nespresso\ncan I get a cappuccino please\nwhat's the weather in Paris tomorrow\n",
    )
    .unwrap();
    let replies: Vec<&str> = transcript.lines().collect();
    assert_eq!(
        replies[..3],
        [
            "What would you like?",
            "One espresso coming up.",
            "One cappuccino coming up."
        ],
        "{transcript}"
    );
    // The bundled intents still work after the retrain.
    assert!(replies[3].contains("Paris"), "{transcript}");
}

#[test]
fn reload_picks_up_edited_intents_and_keeps_the_conversation() {
    let (_dir, intents, model) = bundled_copy();
    let mut child = chat(&intents, &model, &[])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut say = |line: &str| {
        writeln!(stdin, "{line}").unwrap();
        let mut reply = String::new();
        stdout.read_line(&mut reply).unwrap();
        reply.trim_end().to_string()
    };
    assert_eq!(say("book a flight to Oslo"), "Where are you flying from?");

    // Prompts are not part of what the model learned: no retrain is needed.
    let file = intents.join("book_flight.yaml");
    let yaml = std::fs::read_to_string(&file).unwrap();
    let edited = yaml.replace(
        "- \"Where are you flying from?\"\n          - \"Which city do you leave from?\"",
        "- \"Which airport do you leave from?\"",
    );
    assert_ne!(yaml, edited, "the bundled prompt the test edits");
    std::fs::write(&file, edited).unwrap();
    assert!(say("/reload").starts_with("(reloaded"));

    assert_eq!(say("tomorrow"), "Which airport do you leave from?");
    let confirm = say("from Berlin");
    assert!(
        confirm.contains("Berlin") && confirm.contains("Oslo"),
        "{confirm}"
    );
    drop(stdin);
    assert!(child.wait().unwrap().success());
}
