//! The in-memory store.

use super::Store;
use crate::dialogue::Conversation;
use crate::Result;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// Conversations in a map, gone with the process. Expired ones are swept now and then.
#[derive(Default)]
pub struct Memory {
    conversations: Mutex<HashMap<String, Conversation>>,
    saves: AtomicU64,
}

/// Saves between sweeps of expired conversations.
const SWEEP_EVERY: u64 = 1024;

impl Store for Memory {
    fn load(&self, id: &str) -> Result<Option<Conversation>> {
        Ok(self.map().get(id).cloned())
    }

    fn save(&self, id: &str, conversation: &Conversation, ttl_seconds: u64) -> Result<()> {
        let mut all = self.map();
        if self.saves.fetch_add(1, Ordering::Relaxed) % SWEEP_EVERY == SWEEP_EVERY - 1 {
            let now = conversation.updated;
            all.retain(|_, c| now.saturating_sub(c.updated) <= ttl_seconds as i64);
        }
        all.insert(id.to_string(), conversation.clone());
        Ok(())
    }

    fn delete(&self, id: &str) -> Result<bool> {
        Ok(self.map().remove(id).is_some())
    }

    fn describe(&self) -> String {
        "memory".into()
    }
}

impl Memory {
    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<String, Conversation>> {
        self.conversations.lock().unwrap_or_else(|e| e.into_inner())
    }
}
