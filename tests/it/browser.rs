//! The chat page as a person uses it: `slotfill serve` with the bundled bot, the page in
//! headless Chromium driven over the Chrome DevTools Protocol, a conversation typed into it,
//! and the bot's replies and the side panel read back from the page. Skips, with a note,
//! where no Chromium is installed (`apt-get install chromium`; `.ci/run` installs it).
//!
//! `SLOTFILL_SCREENSHOT=docs/chat-page.png cargo test --test it browser::` also saves the
//! page mid-conversation there (a path relative to the repository root), as the README's
//! screenshot was made.

use crate::serve::Server;

use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};
use tungstenite::{Message, WebSocket};

/// How long Chromium gets to start, and the page to answer one message.
const PATIENCE: Duration = Duration::from_secs(20);

/// The viewport, and so the screenshot's size.
const WIDTH: u32 = 1200;
const HEIGHT: u32 = 800;

/// The first Chromium on `PATH`, under the names Debian, Ubuntu and Google give it.
fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| ["chromium", "chromium-browser", "google-chrome"].map(|n| dir.join(n)))
        .find(|candidate| candidate.is_file())
}

/// A process group, killed whole when dropped: Chromium leaves renderer and helper processes
/// that outlive a kill of its first process alone.
struct Group(Child);

impl Drop for Group {
    fn drop(&mut self) {
        let group = format!("-{}", self.0.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.0.wait();
    }
}

/// Headless Chromium with one page, driven over a DevTools websocket.
struct Browser {
    socket: WebSocket<TcpStream>,
    /// The page's DevTools session, which every command but the first two goes to.
    session: Option<String>,
    last_id: u64,
    // Dropped after the socket, in this order: the processes, then their profile folder.
    _chromium: Group,
    _profile: tempfile::TempDir,
}

impl Browser {
    fn start(binary: &Path) -> Browser {
        let profile = tempfile::tempdir().unwrap();
        let mut command = Command::new(binary);
        command
            .args(["--headless=new", "--no-sandbox", "--disable-gpu"])
            .args(["--remote-debugging-port=0", "--no-first-run"])
            .args(["--no-default-browser-check", "--disable-extensions"])
            .args(["--disable-background-networking", "--disable-dev-shm-usage"])
            .args(["--hide-scrollbars", "--force-device-scale-factor=1"])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .process_group(0);
        let mut child = command.spawn().expect("Chromium starts");
        let stderr = child.stderr.take().unwrap();
        let chromium = Group(child);

        // A thread reads stderr to its end, so that Chromium never blocks on a full pipe.
        let (lines, received) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = lines.send(line);
            }
        });
        let deadline = Instant::now() + PATIENCE;
        let mut seen = Vec::new();
        let url = loop {
            let wait = deadline.saturating_duration_since(Instant::now());
            let Ok(line) = received.recv_timeout(wait) else {
                panic!(
                    "Chromium gave no DevTools address within {PATIENCE:?}; its stderr:\n{}",
                    seen.join("\n")
                );
            };
            if let Some(url) = line.strip_prefix("DevTools listening on ") {
                break url.trim().to_string();
            }
            seen.push(line);
        };

        let address = url
            .strip_prefix("ws://")
            .and_then(|rest| rest.split('/').next())
            .unwrap_or_else(|| panic!("a ws:// address: {url}"));
        let stream = TcpStream::connect(address).unwrap();
        // A read that waits longer fails the test instead of hanging it.
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        let (socket, _) = tungstenite::client(url.as_str(), stream).unwrap();
        let mut browser = Browser {
            socket,
            session: None,
            last_id: 0,
            _chromium: chromium,
            _profile: profile,
        };
        let target = browser.call("Target.createTarget", json!({"url": "about:blank"}));
        let attached = browser.call(
            "Target.attachToTarget",
            json!({"targetId": target["targetId"], "flatten": true}),
        );
        browser.session = Some(attached["sessionId"].as_str().unwrap().to_string());
        browser.call(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": false}),
        );
        browser
    }

    /// Sends one DevTools command and waits for its result, passing over the events between.
    fn call(&mut self, method: &str, params: Value) -> Value {
        self.last_id += 1;
        let id = self.last_id;
        let mut command = json!({"id": id, "method": method, "params": params});
        if let Some(session) = &self.session {
            command["sessionId"] = json!(session);
        }
        self.socket
            .send(Message::text(command.to_string()))
            .unwrap_or_else(|e| panic!("{method} not sent: {e}"));
        loop {
            let frame = self
                .socket
                .read()
                .unwrap_or_else(|e| panic!("no answer to {method}: {e}"));
            let Message::Text(text) = frame else {
                continue;
            };
            let answer: Value = serde_json::from_str(text.as_str()).unwrap();
            if answer["id"] != id {
                continue;
            }
            if let Some(error) = answer.get("error") {
                panic!("{method} failed: {error}");
            }
            return answer["result"].clone();
        }
    }

    /// The value of a JavaScript expression in the page (awaited when a promise).
    fn evaluate(&mut self, expression: &str) -> Value {
        let result = self.call(
            "Runtime.evaluate",
            json!({"expression": expression, "returnByValue": true, "awaitPromise": true}),
        );
        if let Some(exception) = result.get("exceptionDetails") {
            panic!("`{expression}` threw: {exception}");
        }
        result["result"]["value"].clone()
    }

    /// Polls `condition` until it is true; fails, with what the page shows, after
    /// [`PATIENCE`].
    fn wait_for(&mut self, what: &str, condition: &str) {
        let started = Instant::now();
        while self.evaluate(condition) != json!(true) {
            if started.elapsed() > PATIENCE {
                let shown = self.evaluate("document.body ? document.body.innerText : ''");
                panic!("waited {PATIENCE:?} for {what}; the page shows:\n{shown}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn open(&mut self, url: &str) {
        self.call("Page.navigate", json!({"url": url}));
        self.wait_for("the chat page", "document.body?.dataset.state === 'idle'");
    }

    /// Messages answered so far in the page's conversation, failed ones included.
    fn answered(&mut self) -> u64 {
        let answered = self.evaluate("Number(document.body.dataset.answered)");
        answered.as_u64().unwrap()
    }

    /// Types `text` into the message box, submits it and waits for the answer.
    fn say(&mut self, text: &str) {
        let before = self.answered();
        self.evaluate(&format!(
            "(() => {{
              const input = document.getElementById('message-input');
              input.value = {text};
              input.dispatchEvent(new Event('input', {{bubbles: true}}));
              document.getElementById('composer').requestSubmit();
            }})()",
            text = json!(text)
        ));
        self.wait_for(
            &format!("the answer to {text:?}"),
            &format!(
                "document.body.dataset.state === 'idle' && \
                 Number(document.body.dataset.answered) > {before}"
            ),
        );
    }

    /// What the page shows, as the test reads it: the bubbles and the side panel.
    fn view(&mut self) -> Value {
        self.evaluate(
            "(() => {
              const all = (selector) => Array.from(document.querySelectorAll(selector));
              const texts = (selector) => all(selector).map((e) => e.textContent);
              const text = (id) => document.getElementById(id).textContent;
              return {
                conversation: text('conversation-id'),
                user: texts('#messages [data-role=user]'),
                bot: texts('#messages [data-role=bot]'),
                errors: texts('#messages [data-role=error]'),
                intent: text('turn-intent'),
                confidence: document.getElementById('turn-confidence').dataset.confidence,
                entities: all('#entities [data-entity]').map((e) => ({
                  entity: e.dataset.entity,
                  text: e.querySelector('.entity-text').textContent,
                  resolved: e.querySelector('.entity-resolved').textContent,
                })),
                form: text('form-name'),
                slots: Object.fromEntries(all('#slots [data-slot]').map((e) => [
                  e.dataset.slot,
                  {state: e.dataset.state, value: e.querySelector('.slot-value').textContent},
                ])),
                action: document.getElementById('action').hidden ? null : text('action'),
                commands: all('#commands [data-command]').map((e) => e.dataset.command),
              };
            })()",
        )
    }

    /// The viewport as PNG bytes.
    fn screenshot(&mut self) -> Vec<u8> {
        use base64::Engine as _;
        let shot = self.call("Page.captureScreenshot", json!({"format": "png"}));
        base64::engine::general_purpose::STANDARD
            .decode(shot["data"].as_str().unwrap())
            .unwrap()
    }
}

/// The width and height a PNG's header gives.
fn png_size(png: &[u8]) -> (u32, u32) {
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    let number = |at: usize| u32::from_be_bytes(png[at..at + 4].try_into().unwrap());
    (number(16), number(20))
}

#[test]
fn a_person_books_a_table_on_the_chat_page_and_sees_each_turn() {
    let Some(chromium) = chromium() else {
        eprintln!("SKIPPED: no Chromium on PATH (apt-get install chromium)");
        return;
    };
    let server = Server::start("memory");
    let mut browser = Browser::start(&chromium);
    browser.open(&format!("{}/", server.url));
    let conversation = browser.view()["conversation"].as_str().unwrap().to_string();
    assert!(conversation.starts_with("web-"), "{conversation}");

    browser.say("book a table for 4");
    let view = browser.view();
    assert_eq!(view["bot"], json!(["In which city?"]), "{view}");
    assert_eq!(view["intent"], "book_table", "{view}");
    let confidence: f64 = view["confidence"].as_str().unwrap().parse().unwrap();
    assert!(confidence > 0.5, "{view}");
    assert_eq!(
        view["entities"],
        json!([{"entity": "number", "text": "4", "resolved": "4"}]),
        "{view}"
    );
    assert_eq!(view["form"], "book_table", "{view}");
    assert_eq!(
        view["slots"],
        json!({
            "location": {"state": "asking", "value": "asking…"},
            "date": {"state": "missing", "value": "—"},
            "time": {"state": "missing", "value": "—"},
            "party_size": {"state": "filled", "value": "4"},
        }),
        "{view}"
    );
    assert_eq!(view["commands"], json!(["start", "set_slot"]), "{view}");

    browser.say("in Rome");
    let view = browser.view();
    assert_eq!(view["bot"][1], "For which day?", "{view}");
    assert_eq!(view["entities"][0]["resolved"], "Rome, Italy", "{view}");
    assert_eq!(view["slots"]["location"]["value"], "Rome", "{view}");
    assert_eq!(view["slots"]["date"]["state"], "asking", "{view}");
    let png = browser.screenshot();
    assert_eq!(png_size(&png), (WIDTH, HEIGHT));
    if let Some(path) = std::env::var_os("SLOTFILL_SCREENSHOT") {
        std::fs::write(&path, &png).unwrap();
        eprintln!("saved the chat page to {}", Path::new(&path).display());
    }

    browser.say("tomorrow at 7pm");
    browser.say("yes");
    let view = browser.view();
    let bot = view["bot"].as_array().unwrap();
    assert_eq!(bot.len(), 4, "one bubble per reply: {view}");
    let confirm = bot[2].as_str().unwrap();
    assert!(
        confirm.starts_with("Book a table for 4 in Rome on "),
        "{view}"
    );
    let booked = bot[3].as_str().unwrap();
    assert!(booked.ends_with("is booked."), "{view}");
    assert_eq!(view["action"], "Fired action book_table", "{view}");
    assert_eq!(view["errors"], json!([]), "{view}");
    let (status, stored) = server.send("GET", &format!("/conversations/{conversation}"), None);
    assert_eq!((status, &stored["state"]["turns"]), (200, &json!(4)));

    // "New conversation" forgets this one on the server and starts afresh under a new id.
    browser.evaluate("document.getElementById('new-conversation').click()");
    browser.wait_for(
        "the new conversation",
        &format!(
            "document.body.dataset.state === 'idle' && \
             document.getElementById('conversation-id').textContent !== '{conversation}'"
        ),
    );
    let view = browser.view();
    assert_eq!((&view["user"], &view["bot"]), (&json!([]), &json!([])));
    let (status, _) = server.send("GET", &format!("/conversations/{conversation}"), None);
    assert_eq!(status, 404, "the old conversation is deleted");

    // Markup in a message is shown as typed, and runs nothing.
    let markup = "<img src=x onerror=\"document.body.dataset.injected = 'yes'\"> <b>hi</b>";
    browser.say(markup);
    let view = browser.view();
    assert_eq!(view["user"], json!([markup]), "{view}");
    assert_eq!(
        browser.evaluate("document.querySelector('#messages img, #messages b') === null"),
        json!(true)
    );
    assert_eq!(
        browser.evaluate("document.body.dataset.injected ?? null"),
        Value::Null
    );
}
