//! `slotfill serve` as a user runs it: a real process on a loopback port, real stores
//! (SQLite, and Redis where `redis-server` is installed), bad requests, kill -9 and restart,
//! two processes sharing one Redis.

use crate::common;

use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A `slotfill serve` process; killed when dropped.
pub(crate) struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub(crate) url: String,
}

impl Server {
    pub(crate) fn start(store: &str) -> Server {
        Self::start_with(store, &root().join("intents"))
    }

    fn start_with(store: &str, intents: &Path) -> Server {
        Self::spawned(Self::command(store, intents))
    }

    /// `slotfill serve` on a free port, with the bundled model and `intents`.
    fn command(store: &str, intents: &Path) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_slotfill"));
        command
            .args(["serve", "--port", "0", "--store", store, "--intents"])
            .arg(intents)
            .arg("--model")
            .arg(root().join("models/bundled"));
        command
    }

    /// The server that `command` starts, at the address it prints first.
    fn spawned(mut command: Command) -> Server {
        let mut child = command.stdout(Stdio::piped()).spawn().unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let start = line.find("http://").expect("the address in the first line");
        let url = line[start..].split_whitespace().next().unwrap().to_string();
        Server { child, url }
    }

    /// Sends a request; the status and the body as JSON (Null when empty or not JSON).
    pub(crate) fn send(&self, method: &str, path: &str, body: Option<&[u8]>) -> (u16, Value) {
        let url = format!("{}{path}", self.url);
        let response = match body {
            Some(bytes) => agent()
                .post(&url)
                .header("content-type", "application/json")
                .send(bytes),
            None if method == "DELETE" => agent().delete(&url).call(),
            None => agent().get(&url).call(),
        };
        let mut response = response.unwrap();
        let status = response.status().as_u16();
        let text = response.body_mut().read_to_string().unwrap_or_default();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    fn post(&self, path: &str, body: &Value) -> (u16, Value) {
        self.send("POST", path, Some(body.to_string().as_bytes()))
    }

    /// One message of conversation `id` at minute `minute` of Monday 23 November 2026.
    fn say(&self, id: &str, minute: u32, text: &str) -> Value {
        let (status, reply) = self.post(
            &format!("/conversations/{id}/messages"),
            &json!({"text": text, "now": now(minute), "tz": "UTC"}),
        );
        assert_eq!(status, 200, "{reply}");
        reply
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn agent() -> &'static ureq::Agent {
    static AGENT: OnceLock<ureq::Agent> = OnceLock::new();
    AGENT.get_or_init(|| {
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(30)))
            .build()
            .into()
    })
}

/// Monday 23 November 2026, 10:00, plus `minute` minutes.
fn now(minute: u32) -> String {
    let start = chrono::NaiveDate::from_ymd_opt(2026, 11, 23)
        .unwrap()
        .and_hms_opt(10, 0, 0)
        .unwrap();
    (start + chrono::Duration::minutes(minute.into()))
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

const BOOKING: [&str; 4] = ["book a table for 4", "in Rome", "tomorrow at 7pm", "yes"];

#[test]
fn bad_requests_get_a_4xx_with_a_reason_and_the_server_keeps_serving() {
    let server = Server::start("memory");
    let messages = "/conversations/c1/messages";
    let cases: [(&str, Vec<u8>, u16, &str); 7] = [
        (
            "malformed JSON",
            b"{\"text\": ".to_vec(),
            400,
            "invalid request body",
        ),
        (
            "missing field",
            b"{\"txt\": \"hi\"}".to_vec(),
            422,
            "missing field `text`",
        ),
        ("1 MB body", vec![b' '; 1 << 20], 413, "larger than"),
        (
            "invalid UTF-8",
            b"{\"text\": \"\xff\xfe\"}".to_vec(),
            400,
            "invalid request body",
        ),
        (
            "text too long",
            json!({"text": "x".repeat(5000)}).to_string().into_bytes(),
            422,
            "the limit is 2000",
        ),
        (
            "unknown time zone",
            json!({"text": "hi", "tz": "Mars/Olympus"})
                .to_string()
                .into_bytes(),
            422,
            "time zone `Mars/Olympus` is not an IANA time zone; write one like `Europe/Paris`",
        ),
        (
            "empty time zone",
            json!({"text": "hi", "tz": ""}).to_string().into_bytes(),
            422,
            "write one like `Europe/Paris`",
        ),
    ];
    for (what, body, status, reason) in cases {
        let (got, answer) = server.send("POST", messages, Some(&body));
        assert_eq!(got, status, "{what}: {answer}");
        let error = answer["error"].as_str().unwrap_or_default();
        assert!(error.contains(reason), "{what}: {answer}");
    }
    for (method, path) in [
        ("GET", "/conversations/nobody"),
        ("DELETE", "/conversations/nobody"),
        ("GET", "/no/such/route"),
    ] {
        let (status, answer) = server.send(method, path, None);
        assert_eq!(status, 404, "{method} {path}: {answer}");
        assert!(answer["error"].is_string());
    }
    let (status, parse) = server.post("/parse", &json!({"text": "weather in Oslo tomorrow"}));
    assert_eq!(status, 200);
    assert_eq!(parse["intent"]["name"], "get_weather");
    assert_eq!(parse["slots"]["location"], "Oslo");
}

/// Sends `method path` with an empty body over a plain socket, so that any method and any
/// percent-escape reach the server as written; the status, the `allow` header and the body.
fn raw_request(server: &Server, method: &str, path: &str) -> (u16, Option<String>, Value) {
    use std::io::{Read, Write};
    let address = server.url.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nhost: {address}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let (head, body) = answer.split_once("\r\n\r\n").unwrap();
    let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    let allow = head.lines().find_map(|l| {
        l.to_ascii_lowercase()
            .strip_prefix("allow: ")
            .map(str::to_string)
    });
    (
        status,
        allow,
        serde_json::from_str(body).unwrap_or(Value::Null),
    )
}

#[test]
fn wrong_methods_and_undecodable_ids_get_a_json_error_too() {
    let server = Server::start("memory");
    for (method, path, allowed) in [
        ("PUT", "/conversations/x/messages", "post"),
        ("GET", "/parse", "post"),
        ("GET", "/reload", "post"),
        ("POST", "/health", "get"),
        ("OPTIONS", "/parse", "post"),
    ] {
        let (status, allow, answer) = raw_request(&server, method, path);
        assert_eq!(status, 405, "{method} {path}: {answer}");
        assert!(
            allow.is_some_and(|a| a.contains(allowed)),
            "{method} {path}"
        );
        let error = answer["error"].as_str().unwrap_or_default();
        assert!(error.contains(method), "{method} {path}: {answer}");
    }
    for (method, path) in [
        ("POST", "/conversations/%FF/messages"),
        ("GET", "/conversations/%FF"),
    ] {
        let (status, _, answer) = raw_request(&server, method, path);
        assert_eq!(status, 400, "{method} {path}: {answer}");
        assert!(answer["error"].is_string(), "{method} {path}: {answer}");
    }
}

#[test]
fn conversations_over_http_and_the_rasa_channel() {
    let server = Server::start("memory");
    let reply = server.say("alice", 0, BOOKING[0]);
    assert_eq!(reply["replies"], json!(["In which city?"]));
    assert_eq!(reply["form"], "book_table");
    assert_eq!(reply["asking"], "location");
    assert_eq!(
        reply["form_slots"],
        json!(["location", "date", "time", "party_size"])
    );
    assert_eq!(reply["entities"][0]["entity"], "number");
    assert_eq!(reply["entities"][0]["value"], "4");
    assert_eq!(reply["entities"][0]["resolved"]["value"], 4.0);
    // Bob's conversation does not touch Alice's.
    let bob = server.say("bob", 0, "book a table for 2 in Oslo");
    assert_eq!(bob["slots"]["party_size"], 2);
    assert_eq!(
        bob["commands"],
        json!([
            {"command": "start", "intent": "book_table"},
            {"command": "set_slot", "slot": "location", "value": "Oslo"},
            {"command": "set_slot", "slot": "party_size", "value": 2},
        ])
    );
    for (minute, text) in BOOKING.iter().enumerate().skip(1) {
        server.say("alice", minute as u32, text);
    }
    let (status, stored) = server.send("GET", "/conversations/alice", None);
    assert_eq!(status, 200);
    assert_eq!(stored["state"]["last"]["intent"], "book_table");
    assert_eq!(
        stored["state"]["last"]["slots"]["location"]["value"],
        "Rome"
    );

    let (status, answer) = server.post(
        "/webhooks/rest/webhook",
        &json!({"sender": "carol", "message": "hello"}),
    );
    assert_eq!(status, 200);
    assert_eq!(answer[0]["recipient_id"], "carol");
    assert!(answer[0]["text"].as_str().unwrap().starts_with("Hello!"));

    let (status, _) = server.send("DELETE", "/conversations/alice", None);
    assert_eq!(status, 204);
    assert_eq!(server.send("GET", "/conversations/alice", None).0, 404);

    let (status, health) = server.send("GET", "/health", None);
    assert_eq!((status, health["status"].as_str()), (200, Some("ok")));
    let metrics = agent()
        .get(&format!("{}/metrics", server.url))
        .call()
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap();
    for line in [
        "slotfill_http_requests_total{route=\"/conversations/{id}/messages\",status=\"200\"} 5",
        "slotfill_intents_total{name=\"book_table\"}",
        "slotfill_actions_total{name=\"book_table\"} 1",
        "slotfill_http_request_duration_seconds_bucket",
        "slotfill_errors_total{name=\"not_found\"} 1",
    ] {
        assert!(metrics.contains(line), "`{line}` missing from\n{metrics}");
    }
}

#[test]
fn the_chat_page_is_served_from_the_binary() {
    let server = Server::start("memory");
    for (path, content_type, part) in [
        ("/", "text/html", "<script src=\"chat.js\""),
        ("/chat.js", "text/javascript", "textContent"),
        ("/chat.css", "text/css", "@media"),
    ] {
        let mut response = agent()
            .get(&format!("{}{path}", server.url))
            .call()
            .unwrap();
        assert_eq!(response.status(), 200, "{path}");
        let header = |name: &str| {
            let value = response.headers().get(name);
            value
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string()
        };
        assert!(header("content-type").starts_with(content_type), "{path}");
        assert_eq!(header("cache-control"), "no-cache", "{path}");
        assert!(header("content-security-policy").contains("script-src 'self'"));
        let body = response.body_mut().read_to_string().unwrap();
        assert!(body.contains(part), "{path}: `{part}` missing");
    }
    // Other paths still get the API's JSON 404.
    let (status, answer) = server.send("GET", "/chat.html", None);
    assert_eq!(status, 404);
    assert!(answer["error"].is_string());
}

#[test]
fn sqlite_keeps_every_acknowledged_turn_through_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    let store = format!("sqlite:{}", dir.path().join("conversations.db").display());
    let server = Server::start(&store);
    let pid = server.child.id().to_string();
    let acks = AtomicUsize::new(0);
    // Eight conversations book tables over and over; the server is killed while they talk.
    let ids: Vec<String> = (0..8).map(|i| format!("user-{i}")).collect();
    let acknowledged: Vec<usize> = std::thread::scope(|scope| {
        let workers: Vec<_> = ids
            .iter()
            .map(|id| {
                let (server, acks) = (&server, &acks);
                scope.spawn(move || {
                    let url = format!("{}/conversations/{id}/messages", server.url);
                    let mut done = 0;
                    for turn in 0..200u32 {
                        let text = BOOKING[turn as usize % BOOKING.len()];
                        // Ten minutes apart: past the carry-over of the booking before.
                        let body = json!({"text": text, "now": now(turn * 10), "tz": "UTC"});
                        match agent().post(&url).send(body.to_string()) {
                            Ok(response) if response.status() == 200 => {
                                done += 1;
                                acks.fetch_add(1, Ordering::SeqCst);
                            }
                            _ => break,
                        }
                    }
                    done
                })
            })
            .collect();
        while acks.load(Ordering::SeqCst) < 80 {
            std::thread::sleep(Duration::from_millis(1));
        }
        let killed = Command::new("kill").args(["-9", &pid]).status().unwrap();
        assert!(killed.success());
        workers.into_iter().map(|w| w.join().unwrap()).collect()
    });
    drop(server);

    let restarted = Server::start(&store);
    for (id, acked) in ids.iter().zip(acknowledged) {
        let (status, stored) = restarted.send("GET", &format!("/conversations/{id}"), None);
        assert_eq!(status, 200, "{id}");
        // Every acknowledged turn is stored; one more may have been stored unacknowledged.
        let turns = stored["state"]["turns"].as_u64().unwrap() as usize;
        assert!(
            turns == acked || turns == acked + 1,
            "{id}: {acked} acknowledged, {turns} stored"
        );
        // The conversation goes on where it was.
        let next = restarted.say(id, turns as u32 * 10, BOOKING[turns % BOOKING.len()]);
        assert_eq!(
            next["action"]["name"] == "book_table",
            turns % 4 == 3,
            "{id}: {stored} then {next}"
        );
    }
}

/// A `redis-server` on a free loopback port, or `None` (with a note) where none is installed.
struct RedisServer(Child, u16);

impl RedisServer {
    fn start() -> Option<RedisServer> {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .spawn();
        let Ok(child) = child else {
            eprintln!("SKIPPED: redis-server is not installed (apt-get install redis-server)");
            return None;
        };
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "redis-server did not start"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        Some(RedisServer(child, port))
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn two_servers_sharing_redis_hold_one_conversation_as_one_server_does() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let store = format!("redis://127.0.0.1:{}", redis.1);
    let servers = [Server::start(&store), Server::start(&store)];
    let single = Server::start("memory");
    let script = [
        "book a flight to Oslo",
        "from Boston",
        "friday",
        "no, to Bergen",
        "yes",
        "what's the weather there",
        "and tomorrow?",
    ];
    for (minute, text) in script.iter().enumerate() {
        let shared = servers[minute % 2].say("traveller", minute as u32, text);
        let alone = single.say("traveller", minute as u32, text);
        assert_eq!(shared["replies"], alone["replies"], "after {text:?}");
        assert_eq!(shared["slots"], alone["slots"], "after {text:?}");
        assert_eq!(shared["action"], alone["action"], "after {text:?}");
    }
    let (_, a) = servers[0].send("GET", "/conversations/traveller", None);
    let (_, b) = servers[1].send("GET", "/conversations/traveller", None);
    assert_eq!(a["state"], b["state"]);
}

#[test]
fn messages_racing_to_one_conversation_through_two_servers_are_all_applied() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let store = format!("redis://127.0.0.1:{}", redis.1);
    let servers = [Server::start(&store), Server::start(&store)];
    // Forty messages at once, split over both servers: each must see the state the one
    // before it left, or a turn would be lost.
    std::thread::scope(|scope| {
        for i in 0..40u32 {
            let server = &servers[i as usize % 2];
            scope.spawn(move || server.say("crowd", 0, "hello"));
        }
    });
    let (status, stored) = servers[0].send("GET", "/conversations/crowd", None);
    assert_eq!(status, 200);
    assert_eq!(stored["state"]["turns"], 40);
}

/// The bundled intents copied into `dir/intents`, to be edited.
fn copy_of_bundled_intents(dir: &Path) -> PathBuf {
    let intents = dir.join("intents");
    common::copy_dir("intents", &intents);
    intents
}

#[test]
fn reload_by_endpoint_and_by_sighup_keeps_conversations() {
    let dir = tempfile::tempdir().unwrap();
    let intents = copy_of_bundled_intents(dir.path());
    let server = Server::start_with("memory", &intents);
    assert_eq!(
        server.say("ann", 0, "book a table for 2")["replies"],
        json!(["In which city?"])
    );
    let file = intents.join("book_table.yaml");
    let edit = |from: &str, to: &str| {
        let yaml = std::fs::read_to_string(&file).unwrap();
        assert!(yaml.contains(from));
        std::fs::write(&file, yaml.replace(from, to)).unwrap();
    };
    edit("For which day?", "Which day suits you?");
    let (status, answer) = server.post("/reload", &json!({}));
    assert_eq!(status, 200, "{answer}");
    assert_eq!(
        server.say("ann", 1, "Paris")["replies"],
        json!(["Which day suits you?"])
    );
    edit("At what time?", "What time works?");
    let hangup = Command::new("kill")
        .args(["-HUP", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(hangup.success());
    let started = Instant::now();
    while server.send("GET", "/health", None).1["reloads"] != 2 {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "no reload on SIGHUP"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(
        server.say("ann", 2, "tomorrow")["replies"],
        json!(["What time works?"])
    );
}

#[test]
fn a_slow_webhook_holds_up_only_its_own_conversation() {
    // A webhook that answers only once the test lets it: after ten other conversations have
    // been answered while it was held. Had they waited for it, its 5 s timeout would have
    // failed the held one instead.
    let hook = TcpListener::bind("127.0.0.1:0").unwrap();
    let hook_url = format!("http://{}/greet", hook.local_addr().unwrap());
    let (arrived, has_arrived) = std::sync::mpsc::channel();
    let (release, released) = std::sync::mpsc::channel::<()>();
    std::thread::spawn(move || {
        for stream in hook.incoming().take(1) {
            let mut stream = stream.unwrap();
            arrived.send(()).unwrap();
            let _ = released.recv();
            let body = r#"{"replies": ["Hello, slowly."]}"#;
            let _ = std::io::Write::write_all(
                &mut stream,
                format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                    body.len()
                )
                .as_bytes(),
            );
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let intents = copy_of_bundled_intents(dir.path());
    let file = intents.join("smalltalk.yaml");
    let yaml = std::fs::read_to_string(&file).unwrap();
    let greeting = "      reply: \"Hello! I can tell you the weather, book a flight or book a table. What would you like?\"";
    assert!(yaml.contains(greeting));
    let hooked = yaml.replace(
        greeting,
        &format!("      webhook: {{url: \"{hook_url}\", timeout_ms: 5000}}"),
    );
    std::fs::write(&file, hooked).unwrap();
    let server = Server::start_with("memory", &intents);

    std::thread::scope(|scope| {
        let slow = scope.spawn(|| server.say("patient", 0, "hello"));
        has_arrived
            .recv_timeout(Duration::from_secs(10))
            .expect("the webhook is called");
        for (i, id) in ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"]
            .iter()
            .enumerate()
        {
            let reply = server.say(id, i as u32, "what's the weather in Oslo");
            assert_eq!(reply["slots"]["location"], "Oslo");
        }
        release.send(()).unwrap();
        let reply = slow.join().unwrap();
        assert_eq!(reply["replies"], json!(["Hello, slowly."]));
    });
}

#[test]
fn serve_open_hands_the_chat_page_to_the_desktop_browser() {
    use std::os::unix::fs::PermissionsExt;
    // A stand-in for the desktop's opener, first on PATH, that notes what it was given.
    let bin = tempfile::tempdir().unwrap();
    let opened = bin.path().join("opened");
    let opener = bin.path().join("xdg-open");
    let script = format!("#!/bin/sh\necho \"$1\" > '{}'\n", opened.display());
    std::fs::write(&opener, script).unwrap();
    std::fs::set_permissions(&opener, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!(
        "{}:{}",
        bin.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut command = Server::command("memory", &root().join("intents"));
    command.arg("--open").env("PATH", path);
    let server = Server::spawned(command);
    let deadline = Instant::now() + Duration::from_secs(10);
    let read = || std::fs::read_to_string(&opened).unwrap_or_default();
    while !read().ends_with('\n') && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    let given = read();
    assert_eq!(given.trim(), format!("{}/", server.url));
}
