//! The Redis store: conversations shared by every process that points at one server.

use super::{decode, encode, store_error, Lock, Store};
use crate::dialogue::Conversation;
use crate::Result;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Conversations in Redis, one key each with the conversation expiry as its TTL. Several
/// `slotfill serve` processes behind a load balancer share them; a per-conversation lock
/// (`SET NX` with a token, released by a compare-and-delete script) applies the messages of
/// one conversation one at a time across processes.
pub struct Redis {
    client: redis::Client,
    idle: Arc<Mutex<Vec<redis::Connection>>>,
    url: String,
}

/// A lock outlives a crashed holder by this much at most.
const LOCK_TTL: Duration = Duration::from_secs(30);
/// Waiting longer than this for a conversation's lock is an error.
const LOCK_WAIT: Duration = Duration::from_secs(30);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

const RELEASE: &str =
    "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0";

impl Redis {
    /// Connects to `url` (`redis://HOST:PORT[/DB]`) and checks that the server answers.
    pub fn open(url: &str) -> Result<Self> {
        let client = redis::Client::open(url).map_err(|e| store_error(url, e))?;
        let store = Redis {
            client,
            idle: Arc::default(),
            url: url.to_string(),
        };
        let mut connection = store.connection()?;
        redis::cmd("PING")
            .query::<String>(&mut connection)
            .map_err(|e| store_error(url, e))?;
        store.give_back(connection);
        Ok(store)
    }

    fn connection(&self) -> Result<redis::Connection> {
        if let Some(connection) = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop() {
            return Ok(connection);
        }
        self.client
            .get_connection_with_timeout(CONNECT_TIMEOUT)
            .map_err(|e| store_error(&self.url, e))
    }

    fn give_back(&self, connection: redis::Connection) {
        give_back(&self.idle, connection);
    }

    /// Runs `command` on a pooled connection; a connection that failed is dropped.
    fn run<T: redis::FromRedisValue>(&self, command: &redis::Cmd) -> Result<T> {
        let mut connection = self.connection()?;
        let result = command
            .query(&mut connection)
            .map_err(|e| store_error(&self.url, e))?;
        self.give_back(connection);
        Ok(result)
    }
}

fn give_back(idle: &Mutex<Vec<redis::Connection>>, connection: redis::Connection) {
    idle.lock()
        .unwrap_or_else(|e| e.into_inner())
        .push(connection);
}

fn key(id: &str) -> String {
    format!("slotfill:conversation:{id}")
}

impl Store for Redis {
    fn load(&self, id: &str) -> Result<Option<Conversation>> {
        let text: Option<String> = self.run(redis::cmd("GET").arg(key(id)))?;
        text.map(|t| decode(&self.url, id, &t)).transpose()
    }

    fn save(&self, id: &str, conversation: &Conversation, ttl_seconds: u64) -> Result<()> {
        let state = encode(&self.url, conversation)?;
        self.run::<()>(
            redis::cmd("SET")
                .arg(key(id))
                .arg(state)
                .arg("EX")
                .arg(ttl_seconds.max(1)),
        )
    }

    fn delete(&self, id: &str) -> Result<bool> {
        let deleted: u64 = self.run(redis::cmd("DEL").arg(key(id)))?;
        Ok(deleted > 0)
    }

    fn lock(&self, id: &str) -> Result<Option<Box<dyn Lock>>> {
        let lock_key = format!("slotfill:lock:{id}");
        let token = format!("{:032x}", rand::random::<u128>());
        let started = Instant::now();
        let mut wait = Duration::from_micros(200);
        loop {
            let taken: Option<String> = self.run(
                redis::cmd("SET")
                    .arg(&lock_key)
                    .arg(&token)
                    .arg("NX")
                    .arg("PX")
                    .arg(LOCK_TTL.as_millis() as u64),
            )?;
            if taken.is_some() {
                return Ok(Some(Box::new(RedisLock {
                    key: lock_key,
                    token,
                    connection: Some(self.connection()?),
                    idle: self.idle.clone(),
                })));
            }
            if started.elapsed() > LOCK_WAIT {
                return Err(store_error(
                    &self.url,
                    format!("conversation `{id}` stayed locked for {LOCK_WAIT:?}"),
                ));
            }
            std::thread::sleep(wait);
            wait = (wait * 2).min(Duration::from_millis(20));
        }
    }

    fn describe(&self) -> String {
        self.url.clone()
    }
}

struct RedisLock {
    key: String,
    token: String,
    connection: Option<redis::Connection>,
    idle: Arc<Mutex<Vec<redis::Connection>>>,
}

impl Lock for RedisLock {}

impl Drop for RedisLock {
    fn drop(&mut self) {
        let Some(mut connection) = self.connection.take() else {
            return;
        };
        // Only our own token is deleted: a lock that expired and was taken by another process
        // stays theirs. If this fails the lock expires by itself after LOCK_TTL.
        let released = redis::Script::new(RELEASE)
            .key(&self.key)
            .arg(&self.token)
            .invoke::<i64>(&mut connection);
        if released.is_ok() {
            give_back(&self.idle, connection);
        }
    }
}
