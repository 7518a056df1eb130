//! The library's error type.

use std::path::{Path, PathBuf};

/// Everything that can go wrong in the library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A problem in an intents YAML file, with its place.
    #[error("{}: {message}", place(file, u64::from(*line)))]
    Intents {
        /// The file.
        file: PathBuf,
        /// 1-based line (0 when unknown).
        line: u32,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// Several problems in an intents folder, each a full `Intents` error.
    #[error("{}", .0.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n"))]
    Many(Vec<Error>),
    /// A file of a Rasa project that `slotfill import rasa` cannot read.
    #[error("{}: {message}", place(file, u64::from(*line)))]
    Rasa {
        /// The file.
        file: PathBuf,
        /// 1-based line (0 when unknown).
        line: u32,
        /// What is wrong.
        message: String,
    },
    /// Training data in the seq.in / seq.out / label layout is malformed.
    #[error("{}: {message}", place(file, *line as u64))]
    Dataset {
        /// The file.
        file: PathBuf,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The model folder is missing or corrupt, or does not fit the intents it is used with.
    #[error("model {dir}: {message}")]
    Model {
        /// The model folder.
        dir: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A bot's model that must be trained from its intents folder before use: it is missing
    /// or unreadable, or was trained from other intents. The message gives the command.
    #[error(
        "model {}: {problem}; retrain it with `{}`",
        model.display(),
        train_command(intents, model)
    )]
    Untrained {
        /// The model folder.
        model: PathBuf,
        /// The intents folder it must be trained from.
        intents: PathBuf,
        /// What is wrong with the model as it is.
        problem: String,
    },
    // The messages below hold their cause, so the cause is no `source()` as well: a chain
    // printer (anyhow's `{:#}`) would print it twice.
    /// Reading or writing a file failed.
    #[error("{}: {cause}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        cause: std::io::Error,
    },
    /// A tensor operation failed (a bug or an inconsistent model file).
    #[error("tensor: {0}")]
    Tensor(candle_core::Error),
    /// A conversation store failed (unreachable server, unreadable file, ...).
    #[error("conversation store {store}: {message}")]
    Store {
        /// The store, as given to `store::open`.
        store: String,
        /// What went wrong.
        message: String,
    },
    /// A time zone name that is not in the IANA database.
    #[error("time zone `{0}` is not an IANA time zone; write one like `Europe/Paris` or `UTC`")]
    TimeZone(String),
    /// Model settings out of their range, or that cannot train together.
    #[error("model settings: {0}")]
    Config(String),
    /// A model's weights do not fit its networks: a tensor missing, of another shape, or of
    /// a network the model does not have (a bug, or a model folder edited by hand).
    #[error("model weights: {0}")]
    Weights(String),
    /// A pretrained encoder's files (configuration, word pieces, checkpoint) are unreadable.
    #[error("pretrained encoder {}: {message}", path.display())]
    Pretrained {
        /// The file or folder.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A text the model cannot read (no words, or none its tokenizer takes).
    #[error("text: {0}")]
    Text(String),
    /// A reference time that is no local date and time (`2026-11-23T10:00`).
    #[error("reference time: {0}")]
    ReferenceTime(String),
    /// A conversation store named in a way no store is (`memory`, `sqlite:PATH`,
    /// `redis://HOST:PORT`), or one this build leaves out.
    #[error("conversation store: {0}")]
    StoreSpec(String),
    /// Training was given no examples.
    #[error("no training examples")]
    NoExamples,
    /// A training thread could not start.
    #[error("cannot start a training thread: {0}")]
    Thread(String),
    /// A bot was given a parser without the intents its model was trained from.
    #[error("a bot needs the intents its model was trained from")]
    NoIntents,
    /// Intents given with a model trained on a corpus, which has no slots to fill.
    #[error(
        "the model was trained on a corpus, not on an intents folder, so it has no slots to \
         fill: parse without intents"
    )]
    CorpusModel,
    /// Intents given with a model trained from other intents.
    #[error("the model was trained from other intents (its fingerprint differs)")]
    OtherIntents,
}

/// Shorthand for results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// `file:line`, or the file alone where the line is unknown (0).
fn place(file: &Path, line: u64) -> String {
    match line {
        0 => file.display().to_string(),
        line => format!("{}:{line}", file.display()),
    }
}

/// The `slotfill train` command that trains `intents` into `model`, ready to paste.
fn train_command(intents: &Path, model: &Path) -> String {
    format!(
        "slotfill train --intents {} --out {}",
        shell_word(intents),
        shell_word(model)
    )
}

/// `path` as one shell word: quoted when it holds anything a shell would split or expand.
fn shell_word(path: &Path) -> String {
    let text = path.display().to_string();
    let plain = |c: char| c.is_alphanumeric() || "/._-+=:@,".contains(c);
    if !text.is_empty() && text.chars().all(plain) {
        text
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>, cause: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            cause,
        }
    }
}

impl From<candle_core::Error> for Error {
    fn from(e: candle_core::Error) -> Self {
        Error::Tensor(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cause_is_in_the_message_and_not_again_in_the_chain() {
        let missing = std::io::Error::from(std::io::ErrorKind::NotFound);
        let error = anyhow::Error::from(Error::io("bot.yaml", missing));
        let chain = format!("{error:#}");
        assert_eq!(chain.matches("not found").count(), 1, "{chain}");
    }

    #[test]
    fn the_train_command_quotes_paths_a_shell_would_split() {
        let untrained = Error::Untrained {
            model: "my bot/model".into(),
            intents: "my bot".into(),
            problem: "it was trained from other intents".into(),
        };
        assert_eq!(
            untrained.to_string(),
            "model my bot/model: it was trained from other intents; \
             retrain it with `slotfill train --intents 'my bot' --out 'my bot/model'`"
        );
        assert_eq!(shell_word(Path::new("mybot2/model")), "mybot2/model");
        assert_eq!(shell_word(Path::new("it's")), r"'it'\''s'");
    }
}
