//! The `slotfill` command as a new user runs it, mistakes included: each error names what is
//! wrong once and the fix, with the user's own paths.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn slotfill(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_slotfill"))
        .current_dir(dir)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

/// Runs `slotfill args` in `dir`, which must fail; its stderr.
fn fails(dir: &Path, args: &[&str]) -> String {
    let output = slotfill(dir, args);
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        !output.status.success(),
        "`{}` succeeded: {stderr}",
        args.join(" ")
    );
    stderr
}

/// A copy of the bundled bot as `dir/mybot` with its model in `dir/mybot/model`.
fn bundled_copy(dir: &Path) -> PathBuf {
    let bot = dir.join("mybot");
    common::copy_dir("intents", &bot);
    common::copy_dir("models/bundled", &bot.join("model"));
    bot
}

#[test]
fn a_stale_or_missing_model_gives_the_train_command_with_the_paths_given() {
    let dir = tempfile::tempdir().unwrap();
    let bot = bundled_copy(dir.path());
    let file = bot.join("smalltalk.yaml");
    let yaml = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, yaml.replacen("- hello", "- hello there, bot", 1)).unwrap();

    let command = "`slotfill train --intents mybot --out mybot/model`";
    let chat = fails(
        dir.path(),
        &["chat", "--intents", "mybot", "--model", "mybot/model"],
    );
    assert!(chat.contains(command), "{chat}");
    assert!(chat.contains("--retrain"), "{chat}");
    let parse = fails(
        dir.path(),
        &[
            "parse",
            "--intents",
            "mybot",
            "--model",
            "mybot/model",
            "hi",
        ],
    );
    assert!(parse.contains(command), "{parse}");
    assert!(
        !parse.contains("--retrain"),
        "parse has no --retrain: {parse}"
    );

    let missing = fails(
        dir.path(),
        &[
            "parse",
            "--intents",
            "mybot",
            "--model",
            "nothing here",
            "hi",
        ],
    );
    assert!(
        missing.contains("`slotfill train --intents mybot --out 'nothing here'`"),
        "{missing}"
    );
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A bot of one intent that `check` passes, in `dir/tiny`.
fn tiny_bot(dir: &Path) -> PathBuf {
    let bot = dir.join("tiny");
    std::fs::create_dir_all(&bot).unwrap();
    std::fs::write(
        bot.join("bot.yaml"),
        "intents:\n  - name: greet\n    examples: [hi, hello, good morning]\n",
    )
    .unwrap();
    bot
}

#[test]
fn eval_needs_the_folder_the_model_was_trained_from_and_some_utterances() {
    let dir = tempfile::tempdir().unwrap();
    bundled_copy(dir.path());
    std::fs::write(
        dir.path().join("mybot_test.yaml"),
        "intents:\n  - name: greet\n    examples: [hi there]\n",
    )
    .unwrap();
    // `--intents` defaults to `intents`: here a bot that mybot/model was not trained from.
    let other = dir.path().join("intents");
    common::copy_dir("intents", &other);
    let file = other.join("smalltalk.yaml");
    let yaml = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, yaml.replacen("- hello", "- hello there, bot", 1)).unwrap();
    let wrong = fails(
        dir.path(),
        &[
            "eval",
            "--model",
            "mybot/model",
            "--data",
            "mybot_test.yaml",
        ],
    );
    assert!(wrong.contains("--intents DIR"), "{wrong}");

    std::fs::write(dir.path().join("empty.yaml"), "intents: []\n").unwrap();
    let model = root().join("models/bundled");
    let intents = root().join("intents");
    let empty = fails(
        dir.path(),
        &[
            "eval",
            "--model",
            model.to_str().unwrap(),
            "--intents",
            intents.to_str().unwrap(),
            "--data",
            "empty.yaml",
        ],
    );
    assert!(empty.contains("no utterances in empty.yaml"), "{empty}");
}

#[test]
fn eval_says_which_intents_are_confused_and_which_entity_errors_are_made() {
    let root = root();
    let args = [
        "eval",
        "--data",
        "tests/data/bundled_bot_test_3.yaml",
        "--json",
    ];
    let output = slotfill(root, &args);
    assert!(output.status.success());
    let scores: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let confusions = scores["confusions"].as_array().unwrap();
    assert!(!confusions.is_empty(), "{scores}");
    let counts: Vec<u64> = confusions
        .iter()
        .map(|c| c["count"].as_u64().unwrap())
        .collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
    assert_ne!(confusions[0]["gold"], confusions[0]["predicted"]);
    let errors = &scores["entity_errors"]["all"];
    for kind in ["missed", "spurious", "wrong_type", "wrong_boundary"] {
        assert!(errors[kind].is_u64(), "{kind}: {errors}");
    }
    let text = slotfill(root, &args[..3]);
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("most confused intents"), "{text}");
    assert!(text.contains("entity errors"), "{text}");
}

#[test]
fn file_system_errors_say_the_cause_once_and_what_the_argument_should_be() {
    let dir = tempfile::tempdir().unwrap();
    let bot = tiny_bot(dir.path());
    std::fs::write(dir.path().join("README.md"), "# not a bot\n").unwrap();
    std::fs::create_dir(dir.path().join("corpus")).unwrap();
    let bot = bot.to_str().unwrap();
    let (model, intents) = (root().join("models/bundled"), root().join("intents"));
    let (model, intents) = (model.to_str().unwrap(), intents.to_str().unwrap());
    let cases: [(&[&str], &str, &str); 7] = [
        (
            &["parse", "--model", model, "--intents", "nope", "hi"],
            "No such file or directory",
            "`--intents none` for a model trained on a corpus",
        ),
        (
            &["check", "err/notthere"],
            "No such file or directory",
            "bot folder",
        ),
        (&["check", "README.md"], "Not a directory", "bot folder"),
        (
            &["serve", "--intents", "nope"],
            "No such file or directory",
            "bot folder",
        ),
        (
            &[
                "eval",
                "--model",
                model,
                "--intents",
                intents,
                "--data",
                "missing.yaml",
            ],
            "No such file or directory",
            "YAML test file",
        ),
        (
            &["eval", "--model", model, "--data", "corpus"],
            "corpus/seq.in: No such file or directory",
            "YAML test file",
        ),
        (
            &["train", "--intents", bot, "--out", "README.md"],
            "File exists",
            "folder to write the model into",
        ),
    ];
    for (args, cause, fix) in cases {
        let stderr = fails(dir.path(), args);
        assert_eq!(stderr.matches(cause).count(), 1, "{args:?}: {stderr}");
        assert!(stderr.contains(fix), "{args:?}: {stderr}");
    }
}

#[test]
fn an_unknown_time_zone_shows_how_to_write_one() {
    let stderr = fails(root(), &["parse", "--tz", "Mars/Base", "hi"]);
    assert!(stderr.contains("`Mars/Base`"), "{stderr}");
    assert!(stderr.contains("write one like `Europe/Paris`"), "{stderr}");
}

#[test]
fn a_bot_without_intents_fails_check_and_train_with_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let bot = dir.path().join("empty");
    std::fs::create_dir(&bot).unwrap();
    std::fs::write(bot.join("bot.yaml"), "").unwrap();
    for args in [
        &["check", "empty"][..],
        &["train", "--intents", "empty", "--out", "m"],
    ] {
        let stderr = fails(dir.path(), args);
        assert!(stderr.contains("empty/bot.yaml: no intents"), "{stderr}");
        assert!(stderr.contains("add an `intents:` list"), "{stderr}");
    }
}

#[test]
fn training_refuses_zero_epochs_or_members_and_keeps_the_model() {
    let dir = tempfile::tempdir().unwrap();
    tiny_bot(dir.path());
    std::fs::write(dir.path().join("zero.yaml"), "epochs: 0\n").unwrap();
    let train = ["train", "--intents", "tiny", "--out", "model", "--quiet"];
    for (extra, key) in [
        (&["--epochs", "0"][..], "epochs is 0"),
        (&["--members", "0"], "members is 0"),
        (&["--config", "zero.yaml"], "epochs is 0"),
    ] {
        let stderr = fails(dir.path(), &[&train[..], extra].concat());
        assert!(stderr.contains(key), "{extra:?}: {stderr}");
        assert!(stderr.contains("set 1 or more"), "{extra:?}: {stderr}");
    }
    assert!(!dir.path().join("model/config.json").exists());
}

#[test]
fn serve_refuses_a_sqlite_store_without_a_file() {
    let stderr = fails(root(), &["serve", "--port", "0", "--store", "sqlite:"]);
    assert!(stderr.contains("sqlite:conversations.db"), "{stderr}");
}
