//! Actions: what fires when a form is complete. In order of precedence: a Rust handler
//! registered on the bot by name, the intent's HTTP webhook, its external command, or its
//! reply template filled with the slot values written for people.
//!
//! Webhooks and commands get `{"action", "intent", "slots", "display"}` as JSON and answer with
//! `{"text": "..."}`, `{"replies": ["...", ...]}` or plain text. When they fail or time out the
//! user gets a clear reply instead of silence.

use crate::dialogue::ActionCall;
use crate::intents::{template, Intents, Webhook};
use std::collections::{BTreeMap, HashMap};
use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A Rust action handler. It gets the call (intent, resolved slots, display values) and
/// returns its replies and any slots it sets, or an error message that is shown to the user.
pub type Handler = Arc<dyn Fn(&ActionCall) -> Result<Outcome, String> + Send + Sync>;

/// What an action did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outcome {
    /// What the bot says.
    pub replies: Vec<String>,
    /// Slots the action sets (a booking reference, a corrected value); follow-ups see them.
    pub slots: BTreeMap<String, serde_json::Value>,
}

impl Outcome {
    /// Just replies.
    pub fn replies(replies: Vec<String>) -> Self {
        Outcome {
            replies,
            slots: BTreeMap::new(),
        }
    }
}

/// How long an external command may run.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(5);

/// Handlers by action name.
#[derive(Clone, Default)]
pub struct Actions {
    handlers: HashMap<String, Handler>,
}

impl Actions {
    /// Registers `handler` for the action `name` (replacing any other).
    pub fn register(&mut self, name: &str, handler: Handler) {
        self.handlers.insert(name.to_string(), handler);
    }

    /// Runs the action: its outcome, or what to tell the user when it failed. A webhook or
    /// command that answers nothing gets the reply of an action without one ("Done: book
    /// table."), so that the user always hears back.
    pub fn run(&self, call: &ActionCall, intents: &Intents) -> Result<Outcome, String> {
        let definition = intents.intent(&call.intent).and_then(|i| i.action.as_ref());
        let done = || {
            let name = call.name.replace('_', " ");
            vec![template::fill(
                &intents.language.replies.done,
                &[("action", &name)],
            )]
        };
        let or_done = |replies: Vec<String>| match replies.is_empty() {
            true => Outcome::replies(done()),
            false => Outcome::replies(replies),
        };
        if let Some(handler) = self.handlers.get(&call.name) {
            handler(call)
        } else if let Some(webhook) = definition.and_then(|a| a.webhook.as_ref()) {
            post(webhook, call).map(or_done)
        } else if let Some(command) = definition.and_then(|a| a.command.as_ref()) {
            run_command(command, call, COMMAND_TIMEOUT).map(or_done)
        } else if let Some(reply) = definition.and_then(|a| a.reply.as_ref()) {
            Ok(Outcome::replies(vec![template::render(
                reply,
                &call.display,
            )]))
        } else {
            Ok(Outcome::replies(done()))
        }
    }
}

fn payload(call: &ActionCall) -> String {
    serde_json::json!({
        "action": call.name,
        "intent": call.intent,
        "slots": call.slots,
        "display": call.display,
    })
    .to_string()
}

/// Replies from a webhook's or command's answer.
fn replies(answer: &str) -> Vec<String> {
    match serde_json::from_str::<serde_json::Value>(answer) {
        Ok(serde_json::Value::Object(object)) => {
            if let Some(text) = object.get("text").and_then(|t| t.as_str()) {
                return vec![text.to_string()];
            }
            object
                .get("replies")
                .and_then(|r| r.as_array())
                .map(|r| {
                    r.iter()
                        .filter_map(|x| x.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default()
        }
        _ => answer
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect(),
    }
}

fn post(webhook: &Webhook, call: &ActionCall) -> Result<Vec<String>, String> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_millis(webhook.timeout_ms)))
        .build()
        .into();
    let mut response = agent
        .post(&webhook.url)
        .header("content-type", "application/json")
        .send(payload(call))
        .map_err(|e| format!("the service at {} did not answer ({e})", webhook.url))?;
    let body = response
        .body_mut()
        .read_to_string()
        .map_err(|e| format!("the service's answer was unreadable ({e})"))?;
    Ok(replies(&body))
}

fn run_command(
    command: &[String],
    call: &ActionCall,
    timeout: Duration,
) -> Result<Vec<String>, String> {
    let (program, args) = command
        .split_first()
        .ok_or_else(|| "the action's command is empty".to_string())?;
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot run {program} ({e})"))?;
    if let Some(mut stdin) = child.stdin.take() {
        // A command that does not read its input is not an error.
        let _ = stdin.write_all(payload(call).as_bytes());
    }
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) => {
                let mut answer = String::new();
                if let Some(mut stdout) = child.stdout.take() {
                    stdout
                        .read_to_string(&mut answer)
                        .map_err(|e| format!("{program}'s output was unreadable ({e})"))?;
                }
                if !status.success() {
                    return Err(format!("{program} failed ({status})"));
                }
                return Ok(replies(&answer));
            }
            Ok(None) if started.elapsed() < timeout => {
                std::thread::sleep(Duration::from_millis(10))
            }
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "{program} took longer than {} s",
                    timeout.as_secs()
                ));
            }
            Err(e) => return Err(format!("{program}: {e}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    fn call() -> ActionCall {
        ActionCall {
            name: "book".into(),
            intent: "book".into(),
            slots: BTreeMap::from([("city".to_string(), serde_json::json!("Oslo"))]),
            display: BTreeMap::from([("city".to_string(), "Oslo".to_string())]),
        }
    }

    /// Answers one request on a loopback port with `answer` after `delay`, and hands back the
    /// request it got.
    fn serve_once(
        answer: &'static str,
        delay: Duration,
    ) -> (String, std::thread::JoinHandle<String>) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        let handle = std::thread::spawn(move || {
            let (mut stream, _) = listener.accept().unwrap();
            stream
                .set_read_timeout(Some(Duration::from_secs(5)))
                .unwrap();
            let mut request = Vec::new();
            let mut buffer = [0u8; 4096];
            while !String::from_utf8_lossy(&request).contains("\"slots\"") {
                let n = stream.read(&mut buffer).unwrap_or(0);
                if n == 0 {
                    break;
                }
                request.extend_from_slice(&buffer[..n]);
            }
            std::thread::sleep(delay);
            let response = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{answer}",
                answer.len()
            );
            let _ = stream.write_all(response.as_bytes());
            String::from_utf8_lossy(&request).to_string()
        });
        (url, handle)
    }

    #[test]
    fn webhook_gets_the_slots_and_answers_the_user() {
        let (url, server) = serve_once(r#"{"text": "Booked in Oslo"}"#, Duration::ZERO);
        let webhook = Webhook {
            url,
            timeout_ms: 3000,
        };
        assert_eq!(post(&webhook, &call()).unwrap(), ["Booked in Oslo"]);
        let request = server.join().unwrap();
        assert!(request.starts_with("POST /hook"), "{request}");
        assert!(request.contains(r#""city":"Oslo""#), "{request}");
    }

    #[test]
    fn slow_or_missing_webhooks_give_a_clear_error() {
        let (url, server) = serve_once(r#"{"text": "late"}"#, Duration::from_millis(1500));
        let slow = Webhook {
            url,
            timeout_ms: 200,
        };
        assert!(post(&slow, &call()).unwrap_err().contains("did not answer"));
        server.join().unwrap();
        let closed = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap();
        let missing = Webhook {
            url: format!("http://{closed}/hook"),
            timeout_ms: 500,
        };
        assert!(post(&missing, &call()).is_err());
    }

    #[test]
    fn commands_get_json_on_stdin_and_reply_on_stdout() {
        let echo = [
            "sh".to_string(),
            "-c".to_string(),
            "grep -q Oslo && echo booked".to_string(),
        ];
        assert_eq!(
            run_command(&echo, &call(), COMMAND_TIMEOUT).unwrap(),
            ["booked"]
        );
        let json = [
            "sh".to_string(),
            "-c".to_string(),
            r#"echo '{"replies": ["a", "b"]}'"#.to_string(),
        ];
        assert_eq!(
            run_command(&json, &call(), COMMAND_TIMEOUT).unwrap(),
            ["a", "b"]
        );
        let slow = ["sleep".to_string(), "10".to_string()];
        let error = run_command(&slow, &call(), Duration::from_millis(200)).unwrap_err();
        assert!(error.contains("longer"), "{error}");
        let failing = ["false".to_string()];
        assert!(run_command(&failing, &call(), COMMAND_TIMEOUT).is_err());
    }
}
