//! The library's error type.

use std::path::PathBuf;

/// Everything that can go wrong in the library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A problem in an intents YAML file, with its place.
    #[error("{file}:{line}: {message}")]
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
    /// Training data in the seq.in / seq.out / label layout is malformed.
    #[error("{file}:{line}: {message}")]
    Dataset {
        /// The file.
        file: PathBuf,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The model folder is missing, corrupt, or was trained on other intents.
    #[error("model {dir}: {message}")]
    Model {
        /// The model folder.
        dir: PathBuf,
        /// What is wrong and how to retrain.
        message: String,
    },
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A tensor operation failed (a bug or an inconsistent model file).
    #[error("tensor: {0}")]
    Tensor(#[from] candle_core::Error),
    /// A conversation store failed (unreachable server, unreadable file, ...).
    #[error("conversation store {store}: {message}")]
    Store {
        /// The store, as given to `store::open`.
        store: String,
        /// What went wrong.
        message: String,
    },
    /// Invalid input that is not a file: a bad option, an unknown entity type, ...
    #[error("{0}")]
    Invalid(String),
}

/// Shorthand for results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}
