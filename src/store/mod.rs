//! Conversation stores: where a [`Bot`](crate::Bot) keeps each conversation's state between
//! messages, like Rasa's tracker stores.
//!
//! - [`Memory`], the default: as long as the process lives.
//! - [`Sqlite`]: a file; a restarted process goes on with every conversation.
//! - [`Redis`]: shared by several processes behind a load balancer.
//!
//! ```
//! use slotfill::store::{self, Store};
//! use slotfill::dialogue::Conversation;
//!
//! let store = store::open("memory").unwrap();
//! store.save("alice", &Conversation::default(), 3600).unwrap();
//! assert!(store.load("alice").unwrap().is_some());
//! assert!(store.delete("alice").unwrap());
//! assert!(store::open("postgres://db").is_err());
//! ```

mod memory;
#[cfg(feature = "redis")]
mod redis;
#[cfg(feature = "sqlite")]
mod sqlite;

#[cfg(feature = "redis")]
pub use self::redis::Redis;
pub use memory::Memory;
#[cfg(feature = "sqlite")]
pub use sqlite::Sqlite;

use crate::dialogue::Conversation;
use crate::{Error, Result};

/// Where conversation states live. Every method may be called from many threads at once.
pub trait Store: Send + Sync {
    /// The state of conversation `id`, if it is stored.
    fn load(&self, id: &str) -> Result<Option<Conversation>>;

    /// Stores the state of `id`; it may be forgotten `ttl_seconds` after it was last saved.
    /// Returns once the state is as durable as the store makes it: a state acknowledged to a
    /// user is never lost by a process crash with [`Sqlite`] or [`Redis`].
    fn save(&self, id: &str, conversation: &Conversation, ttl_seconds: u64) -> Result<()>;

    /// Forgets `id`; whether it was stored.
    fn delete(&self, id: &str) -> Result<bool>;

    /// Held while one message to `id` is handled, so that processes sharing the store apply
    /// the messages of one conversation one at a time. Within one process the [`Bot`]
    /// already does that, so a store that only one process uses needs no lock.
    ///
    /// [`Bot`]: crate::Bot
    fn lock(&self, _id: &str) -> Result<Option<Box<dyn Lock>>> {
        Ok(None)
    }

    /// What `open` was given, for logs and `/health`.
    fn describe(&self) -> String;
}

/// A lock held on a conversation; released when dropped.
pub trait Lock: Send {}

/// Opens a store from its command-line form: `memory`, `sqlite:PATH` or
/// `redis://HOST:PORT[/DB]`.
pub fn open(spec: &str) -> Result<Box<dyn Store>> {
    if spec == "memory" {
        Ok(Box::new(Memory::default()))
    } else if let Some(path) = spec.strip_prefix("sqlite:") {
        // SQLite reads an empty name as a private temporary database, which keeps nothing.
        if path.trim().is_empty() {
            return Err(Error::StoreSpec(
                "`sqlite:` needs the database file after the colon, e.g. `sqlite:conversations.db`"
                    .into(),
            ));
        }
        #[cfg(feature = "sqlite")]
        return Ok(Box::new(Sqlite::open(std::path::Path::new(path))?));
        #[cfg(not(feature = "sqlite"))]
        return Err(not_built("sqlite"));
    } else if spec.starts_with("redis://") {
        #[cfg(feature = "redis")]
        return Ok(Box::new(Redis::open(spec)?));
        #[cfg(not(feature = "redis"))]
        return Err(not_built("redis"));
    } else {
        Err(Error::StoreSpec(format!(
            "unknown store `{spec}`; use `memory`, `sqlite:PATH` or `redis://HOST:PORT`"
        )))
    }
}

/// The error for a store this build of slotfill leaves out.
#[cfg(not(all(feature = "sqlite", feature = "redis")))]
fn not_built(feature: &str) -> Error {
    Error::StoreSpec(format!(
        "this slotfill was built without the `{feature}` store; build it with \
         `--features {feature}` (`slotfill = {{ features = [\"{feature}\"] }}`)"
    ))
}

#[cfg(any(feature = "sqlite", feature = "redis"))]
fn store_error(store: &str, message: impl std::fmt::Display) -> Error {
    Error::Store {
        store: store.to_string(),
        message: message.to_string(),
    }
}

#[cfg(any(feature = "sqlite", feature = "redis"))]
fn encode(store: &str, conversation: &Conversation) -> Result<String> {
    serde_json::to_string(conversation).map_err(|e| store_error(store, e))
}

#[cfg(any(feature = "sqlite", feature = "redis"))]
fn decode(store: &str, id: &str, text: &str) -> Result<Conversation> {
    serde_json::from_str(text).map_err(|e| {
        store_error(
            store,
            format!("conversation `{id}` is not a stored state ({e}); delete it"),
        )
    })
}
