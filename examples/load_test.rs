//! Load test of the HTTP API on loopback: the router of `slotfill serve` with the bundled bot,
//! and 64 client connections holding 1,000 conversations of 20 messages each (20,000 in all).
//! Every reply is checked against the same conversation run alone through a `Bot` in this
//! process, so a reply from another conversation's state shows up as a mismatch. Bounded:
//! it sends exactly the messages it plans and then stops.
//!
//! `cargo run --release --example load_test [-- --store sqlite:/tmp/load.db]`

use clap::Parser as _;
use serde_json::{json, Value};
use slotfill::server::{router, Service};
use slotfill::Bot;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

// As in the `slotfill` binary: glibc's malloc spends much of a parse returning memory.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(clap::Parser)]
struct Args {
    /// Conversations held at once.
    #[arg(long, default_value_t = 1000)]
    conversations: usize,
    /// Messages per conversation.
    #[arg(long, default_value_t = 20)]
    messages: usize,
    /// Concurrent client connections.
    #[arg(long, default_value_t = 64)]
    connections: usize,
    /// The server's conversation store.
    #[arg(long, default_value = "memory")]
    store: String,
}

const CITIES: [&str; 24] = [
    "Rome", "Oslo", "Paris", "Lisbon", "Berlin", "Madrid", "Vienna", "Prague", "Dublin", "Tokyo",
    "Seoul", "Cairo", "Lima", "Boston", "Denver", "Chicago", "Toronto", "Sydney", "Nairobi",
    "Mumbai", "Bangkok", "Istanbul", "Athens", "Helsinki",
];

/// Message `j` of conversation `i`: bookings, weather and small talk with values of its own.
fn message(i: usize, j: usize) -> String {
    let city = CITIES[(i + j / 10) % CITIES.len()];
    let other = CITIES[(i * 7 + 3 + j / 10) % CITIES.len()];
    let people = 1 + (i + j / 10) % 12;
    let hour = 5 + i % 5;
    match j % 10 {
        0 => format!("book a table for {people}"),
        1 => format!("in {city}"),
        2 => format!("tomorrow at {hour}pm"),
        3 => "yes".into(),
        4 => format!("what's the weather in {other}"),
        5 => "hi".into(),
        6 => format!("book a flight from {city} to {other}"),
        7 => "on friday".into(),
        8 => "yes".into(),
        _ => "thanks".into(),
    }
}

/// Minute `j` of Monday 23 November 2026, ten minutes apart.
fn now(j: usize) -> String {
    let start = chrono::NaiveDate::from_ymd_opt(2026, 11, 23)
        .and_then(|d| d.and_hms_opt(8, 0, 0))
        .expect("a valid date");
    (start + chrono::Duration::minutes(10 * j as i64))
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

/// What a reply must hold: the replies, the slots and the action.
fn essentials(reply: &Value) -> Value {
    json!([reply["replies"], reply["slots"], reply["action"]["name"]])
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // As `slotfill serve` does: one thread per parse, concurrency from the requests.
    slotfill::one_thread_per_product();
    let args = Args::parse();
    let load = || Bot::load(Path::new("intents"), Path::new("models/bundled"));

    eprintln!("computing the expected replies, one conversation at a time…");
    let reference = load()?;
    let expected: Vec<Vec<Value>> = (0..args.conversations)
        .map(|i| {
            (0..args.messages)
                .map(|j| {
                    let context = slotfill::resolve::Context::at(&now(j), "UTC")?;
                    let (_, turn) = reference.handle(&i.to_string(), &message(i, j), &context)?;
                    let turn = serde_json::to_value(&turn).expect("a turn is plain serde data");
                    Ok(essentials(&turn))
                })
                .collect::<slotfill::Result<_>>()
        })
        .collect::<slotfill::Result<_>>()?;

    let bot = Arc::new(load()?.with_store(slotfill::store::open(&args.store)?));
    let app = router(Service::new(bot, None));
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    let address = listener.local_addr()?;
    listener.set_nonblocking(true)?;
    std::thread::spawn(move || {
        let runtime = slotfill::server::runtime().expect("a tokio runtime");
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("the listener");
            axum::serve(listener, app).await.expect("the server");
        });
    });

    eprintln!(
        "{} messages over {} conversations on {} connections to http://{address} (store: {})…",
        args.conversations * args.messages,
        args.conversations,
        args.connections,
        args.store
    );
    let started = Instant::now();
    let results: Vec<(Vec<Duration>, Vec<String>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..args.connections)
            .map(|worker| {
                let (args, expected) = (&args, &expected);
                scope.spawn(move || {
                    let agent: ureq::Agent = ureq::Agent::config_builder()
                        .http_status_as_error(false)
                        .build()
                        .into();
                    let mine: Vec<usize> = (worker..args.conversations)
                        .step_by(args.connections)
                        .collect();
                    let mut latencies = Vec::new();
                    let mut problems = Vec::new();
                    // Round-robin over its conversations, so all of them stay open at once.
                    for j in 0..args.messages {
                        for &i in &mine {
                            let url = format!("http://{address}/conversations/{i}/messages");
                            let body = json!({"text": message(i, j), "now": now(j), "tz": "UTC"});
                            let sent = Instant::now();
                            let answer = agent
                                .post(&url)
                                .header("content-type", "application/json")
                                .send(body.to_string())
                                .map_err(|e| e.to_string())
                                .and_then(|mut r| {
                                    r.body_mut().read_to_string().map_err(|e| e.to_string())
                                });
                            latencies.push(sent.elapsed());
                            let reply: Value = answer
                                .ok()
                                .and_then(|text| serde_json::from_str(&text).ok())
                                .unwrap_or(Value::Null);
                            let want = &expected[i].get(j);
                            if Some(&essentials(&reply)) != *want {
                                problems.push(format!(
                                    "conversation {i}, message {j} {:?}: got {reply}, expected {want:?}",
                                    message(i, j),
                                ));
                            }
                        }
                    }
                    (latencies, problems)
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().expect("a client thread"))
            .collect()
    });
    let wall = started.elapsed();

    let mut latencies: Vec<Duration> = results.iter().flat_map(|r| r.0.clone()).collect();
    let problems: Vec<&String> = results.iter().flat_map(|r| &r.1).collect();
    latencies.sort();
    let percentile = |p: f64| latencies[((latencies.len() - 1) as f64 * p) as usize];
    println!(
        "{} messages in {:.2} s: {:.0} messages/s; latency p50 {:.2} ms, p99 {:.2} ms; \
         {} wrong replies",
        latencies.len(),
        wall.as_secs_f64(),
        latencies.len() as f64 / wall.as_secs_f64(),
        percentile(0.5).as_secs_f64() * 1e3,
        percentile(0.99).as_secs_f64() * 1e3,
        problems.len()
    );
    for problem in problems.iter().take(5) {
        println!("  {problem}");
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("{} replies did not match", problems.len()).into())
    }
}
