//! The SQLite store: one file, one row per conversation.

use super::{decode, encode, store_error, Store};
use crate::dialogue::Conversation;
use crate::Result;
use rusqlite::{params, Connection, OptionalExtension};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// Conversations in a SQLite file (write-ahead log), so that a restarted process goes on
/// with every one. A save is committed before it returns: a process killed right after has
/// lost nothing.
pub struct Sqlite {
    connection: Mutex<Connection>,
    name: String,
    saves: AtomicU64,
}

/// Saves between deletions of expired conversations.
const SWEEP_EVERY: u64 = 1024;

impl Sqlite {
    /// Opens (or creates) the database file at `path`.
    pub fn open(path: &Path) -> Result<Self> {
        let name = format!("sqlite:{}", path.display());
        let fail = |e: rusqlite::Error| store_error(&name, e);
        let connection = Connection::open(path).map_err(fail)?;
        // WAL keeps readers and the writer apart; NORMAL sync loses no committed transaction
        // when the process dies (only on power loss, which FULL would cover at a cost).
        connection
            .execute_batch(
                "PRAGMA journal_mode = WAL;
                 PRAGMA synchronous = NORMAL;
                 PRAGMA busy_timeout = 5000;
                 CREATE TABLE IF NOT EXISTS conversations (
                     id TEXT PRIMARY KEY,
                     state TEXT NOT NULL,
                     updated INTEGER NOT NULL
                 );",
            )
            .map_err(fail)?;
        Ok(Sqlite {
            connection: Mutex::new(connection),
            name,
            saves: AtomicU64::new(0),
        })
    }

    fn connection(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.connection.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Store for Sqlite {
    fn load(&self, id: &str) -> Result<Option<Conversation>> {
        let text: Option<String> = self
            .connection()
            .query_row(
                "SELECT state FROM conversations WHERE id = ?1",
                [id],
                |row| row.get(0),
            )
            .optional()
            .map_err(|e| store_error(&self.name, e))?;
        text.map(|t| decode(&self.name, id, &t)).transpose()
    }

    fn save(&self, id: &str, conversation: &Conversation, ttl_seconds: u64) -> Result<()> {
        let state = encode(&self.name, conversation)?;
        let connection = self.connection();
        let fail = |e: rusqlite::Error| store_error(&self.name, e);
        connection
            .execute(
                "INSERT INTO conversations (id, state, updated) VALUES (?1, ?2, ?3)
                 ON CONFLICT (id) DO UPDATE SET state = ?2, updated = ?3",
                params![id, state, conversation.updated],
            )
            .map_err(fail)?;
        if self.saves.fetch_add(1, Ordering::Relaxed) % SWEEP_EVERY == SWEEP_EVERY - 1 {
            let oldest = conversation.updated.saturating_sub(ttl_seconds as i64);
            connection
                .execute("DELETE FROM conversations WHERE updated < ?1", [oldest])
                .map_err(fail)?;
        }
        Ok(())
    }

    fn delete(&self, id: &str) -> Result<bool> {
        let deleted = self
            .connection()
            .execute("DELETE FROM conversations WHERE id = ?1", [id])
            .map_err(|e| store_error(&self.name, e))?;
        Ok(deleted > 0)
    }

    fn describe(&self) -> String {
        self.name.clone()
    }
}
