//! The HTTP API of `slotfill serve`, as an axum [`Router`] that a Rust service can also mount
//! inside its own.
//!
//! | route | |
//! | --- | --- |
//! | `POST /parse` | `{"text", "now"?, "tz"?}` → the parse result |
//! | `GET /` | the chat page (`/chat.js`, `/chat.css`): a person talks to the bot and sees each turn's parse and form |
//! | `POST /conversations/{id}/messages` | `{"text", "now"?, "tz"?}` → replies, intent, confidence, entities, slots, form, form_slots, asking, action, commands |
//! | `GET /conversations/{id}` | the stored state, or 404 |
//! | `DELETE /conversations/{id}` | 204, or 404 |
//! | `POST /webhooks/rest/webhook` | Rasa's REST channel: `{"sender", "message"}` → `[{"recipient_id", "text"}]` |
//! | `POST /reload` | re-read the intents and model, keeping conversations |
//! | `GET /health` | `{"status": "ok", …}` |
//! | `GET /metrics` | Prometheus text format |
//!
//! Every error is a 4xx or 5xx with `{"error": "…"}`. Handling runs on the blocking pool, so a
//! slow action webhook holds up only its own conversation.

mod metrics;
mod page;

pub use metrics::Metrics;

use crate::dialogue::{ActionCall, Command, Conversation};
use crate::model::MAX_TEXT_CHARS;
use crate::resolve::Context;
use crate::{Bot, Entity, Error, Parser};
use axum::extract::{MatchedPath, Path, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

/// Largest request body accepted.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Longest conversation id accepted.
pub const MAX_ID_CHARS: usize = 256;

/// Builds a fresh parser from the intents and model on disk, for `POST /reload` and SIGHUP.
pub type Reloader =
    Arc<dyn Fn() -> Result<Parser, Box<dyn std::error::Error + Send + Sync>> + Send + Sync>;

/// The tokio runtime the routes are made for: multi-threaded, with a blocking pool of four
/// threads per core for the handling. A bounded pool is what keeps the tail short (measured
/// with `examples/load_test.rs` on 2 cores: p99 16 ms with 8 threads, 60–80 ms with tokio's
/// default of 512, where every request gets its own thread); four per core leave room for
/// actions that wait on a webhook, each bounded by its timeout.
pub fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(4 * cores)
        .build()
}

/// What the routes share.
pub struct Service {
    bot: Arc<Bot>,
    metrics: Metrics,
    reloader: Option<Reloader>,
    reloads: AtomicU64,
}

impl Service {
    /// A service around `bot`; `reloader` enables `POST /reload`.
    pub fn new(bot: Arc<Bot>, reloader: Option<Reloader>) -> Arc<Self> {
        Arc::new(Service {
            bot,
            metrics: Metrics::default(),
            reloader,
            reloads: AtomicU64::new(0),
        })
    }

    /// Swaps in the parser that the reloader builds (what `POST /reload` and SIGHUP do).
    pub fn reload(&self) -> Result<(), ApiError> {
        let reloader = self.reloader.as_ref().ok_or_else(|| {
            ApiError::new(
                StatusCode::NOT_FOUND,
                "this server was started without reload",
            )
        })?;
        let parser = reloader().map_err(|e| ApiError::new(StatusCode::CONFLICT, e.to_string()))?;
        self.bot
            .reload(parser)
            .map_err(|e| ApiError::new(StatusCode::CONFLICT, e.to_string()))?;
        self.reloads.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

/// The routes, with the metrics and body-size layers.
pub fn router(service: Arc<Service>) -> Router {
    Router::new()
        .route("/parse", post(parse))
        .route("/conversations/{id}/messages", post(message))
        .route(
            "/conversations/{id}",
            get(conversation).delete(delete_conversation),
        )
        .route("/webhooks/rest/webhook", post(rest_webhook))
        .route("/reload", post(reload))
        .route("/health", get(health))
        .route("/metrics", get(metrics))
        .merge(page::routes())
        .fallback(|| async { ApiError::new(StatusCode::NOT_FOUND, "no such route") })
        .layer(axum::middleware::from_fn(json_errors))
        .layer(axum::middleware::from_fn_with_state(
            service.clone(),
            measure,
        ))
        .with_state(service)
}

/// An error answer: a status and `{"error": message}`.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    message: String,
}

impl ApiError {
    fn new(status: StatusCode, message: impl Into<String>) -> Self {
        ApiError {
            status,
            message: message.into(),
        }
    }

    fn kind(&self) -> &'static str {
        match self.status {
            StatusCode::NOT_FOUND => "not_found",
            StatusCode::SERVICE_UNAVAILABLE => "store",
            s if s.is_client_error() => "bad_request",
            _ => "internal",
        }
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        let status = match e {
            Error::Store { .. } => StatusCode::SERVICE_UNAVAILABLE,
            Error::Text(_) | Error::ReferenceTime(_) | Error::TimeZone(_) => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        ApiError::new(status, e.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (
            self.status,
            Json(serde_json::json!({"error": self.message})),
        )
            .into_response();
        response.extensions_mut().insert(ErrorKind(self.kind()));
        response
    }
}

#[derive(Clone, Copy)]
struct ErrorKind(&'static str);

/// Gives the errors that axum answers by itself (a method the route does not take, a path it
/// cannot decode) the `{"error": …}` body of every other error. (axum adds the `allow` header
/// of a 405 outside this layer.)
async fn json_errors(request: Request, next: Next) -> Response {
    use http_body_util::BodyExt;
    let (method, path) = (request.method().clone(), request.uri().path().to_string());
    let response = next.run(request).await;
    let status = response.status();
    let answered = !(status.is_client_error() || status.is_server_error())
        || response.extensions().get::<ErrorKind>().is_some();
    if answered {
        return response;
    }
    let message = if status == StatusCode::METHOD_NOT_ALLOWED {
        format!("{path} does not take {method}; its `allow` header lists the methods it takes")
    } else {
        let body = response.into_body().collect().await;
        let text = body.map(|b| b.to_bytes()).unwrap_or_default();
        match String::from_utf8_lossy(&text).trim() {
            "" => status.canonical_reason().unwrap_or("error").to_string(),
            text => text.to_string(),
        }
    };
    ApiError::new(status, message).into_response()
}

async fn measure(State(service): State<Arc<Service>>, request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched".to_string(), |p| p.as_str().to_string());
    let started = Instant::now();
    let response = next.run(request).await;
    let seconds = started.elapsed().as_secs_f64();
    service
        .metrics
        .request(&route, response.status().as_u16(), seconds);
    if let Some(ErrorKind(kind)) = response.extensions().get::<ErrorKind>() {
        service.metrics.error(kind);
    }
    response
}

/// A body up to this size is read to its end even when too large, so that the client gets
/// its 413 instead of a reset connection.
const DRAIN_BYTES: usize = 4 << 20;

/// Reads a JSON body: 413 past [`MAX_BODY_BYTES`], 400 for malformed JSON or invalid UTF-8,
/// 422 for JSON of the wrong shape (a missing field), each with serde's reason.
async fn json_body<T: DeserializeOwned>(request: Request) -> Result<T, ApiError> {
    use http_body_util::BodyExt;
    let too_large = || {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the body is larger than {MAX_BODY_BYTES} bytes"),
        )
    };
    let mut body = request.into_body();
    let mut bytes = Vec::new();
    let mut seen = 0;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, e.to_string()))?;
        let Ok(data) = frame.into_data() else {
            continue;
        };
        seen += data.len();
        if seen > DRAIN_BYTES {
            return Err(too_large());
        }
        if seen <= MAX_BODY_BYTES {
            bytes.extend_from_slice(&data);
        }
    }
    if seen > MAX_BODY_BYTES {
        return Err(too_large());
    }
    serde_json::from_slice(&bytes).map_err(|e| {
        use serde_json::error::Category;
        let status = match e.classify() {
            Category::Data => StatusCode::UNPROCESSABLE_ENTITY,
            Category::Syntax | Category::Eof | Category::Io => StatusCode::BAD_REQUEST,
        };
        ApiError::new(status, format!("invalid request body: {e}"))
    })
}

fn checked_text(text: &str) -> Result<(), ApiError> {
    let chars = text.chars().count();
    if chars > MAX_TEXT_CHARS {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("`text` has {chars} characters; the limit is {MAX_TEXT_CHARS}"),
        ));
    }
    Ok(())
}

fn checked_id(id: &str) -> Result<(), ApiError> {
    let chars = id.chars().count();
    if chars == 0 || chars > MAX_ID_CHARS || id.chars().any(char::is_control) {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            format!(
                "a conversation id has 1 to {MAX_ID_CHARS} characters and no control characters"
            ),
        ));
    }
    Ok(())
}

/// The body of `/parse` and of a conversation message.
#[derive(Deserialize)]
struct Message {
    text: String,
    /// Reference time, local to `tz` (`2026-11-23T10:00`); default: the wall clock.
    #[serde(default)]
    now: Option<String>,
    /// The user's IANA time zone; default: the bot's `settings.time_zone`.
    #[serde(default)]
    tz: Option<String>,
}

impl Message {
    fn context(&self, bot: &Bot) -> Result<Context, ApiError> {
        checked_text(&self.text)?;
        let parser = bot.parser();
        let settings = &parser
            .intents()
            .expect("a bot's parser has intents")
            .settings;
        Ok(settings.context(self.now.as_deref(), self.tz.as_deref())?)
    }
}

/// Runs blocking work (parsing, actions, the store) off the async workers.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?
}

async fn parse(
    State(service): State<Arc<Service>>,
    request: Request,
) -> Result<Json<crate::Parse>, ApiError> {
    let message: Message = json_body(request).await?;
    let context = message.context(&service.bot)?;
    let parsed = blocking(move || Ok(service.bot.parser().parse(&message.text, &context)?)).await?;
    Ok(Json(parsed))
}

/// The answer to a conversation message.
#[derive(Serialize)]
struct Reply {
    conversation_id: String,
    replies: Vec<String>,
    intent: String,
    confidence: f32,
    /// What the tagger found in the message, with resolved values (as `POST /parse` gives).
    entities: Vec<Entity>,
    slots: BTreeMap<String, serde_json::Value>,
    form: Option<String>,
    /// The open form's slots in asking order, filled or not, so that a client can show
    /// what is still missing; empty without an open form.
    form_slots: Vec<String>,
    asking: Option<String>,
    action: Option<ActionCall>,
    commands: Vec<Command>,
}

async fn handle(service: Arc<Service>, id: String, message: Message) -> Result<Reply, ApiError> {
    checked_id(&id)?;
    let context = message.context(&service.bot)?;
    blocking(move || {
        let (parse, turn) = service.bot.handle(&id, &message.text, &context)?;
        service.metrics.intent(&turn.intent);
        if let Some(action) = &turn.action {
            service.metrics.action(&action.name);
        }
        let parser = service.bot.parser();
        let form_slots = turn
            .form
            .as_deref()
            .and_then(|form| parser.intents()?.intent(form))
            .map(|intent| intent.slots.iter().map(|slot| slot.name.clone()).collect())
            .unwrap_or_default();
        Ok(Reply {
            conversation_id: id,
            replies: turn.replies,
            intent: turn.intent,
            confidence: turn.confidence,
            entities: parse.entities,
            slots: turn.slots,
            form: turn.form,
            form_slots,
            asking: turn.asking,
            action: turn.action,
            commands: turn.commands,
        })
    })
    .await
}

async fn message(
    State(service): State<Arc<Service>>,
    Path(id): Path<String>,
    request: Request,
) -> Result<Json<Reply>, ApiError> {
    let message = json_body(request).await?;
    Ok(Json(handle(service, id, message).await?))
}

#[derive(Serialize)]
struct Stored {
    conversation_id: String,
    state: Conversation,
}

async fn conversation(
    State(service): State<Arc<Service>>,
    Path(id): Path<String>,
) -> Result<Json<Stored>, ApiError> {
    checked_id(&id)?;
    let state = blocking({
        let id = id.clone();
        move || Ok(service.bot.conversation(&id)?)
    })
    .await?;
    match state {
        Some(state) => Ok(Json(Stored {
            conversation_id: id,
            state,
        })),
        None => Err(unknown_conversation(&id)),
    }
}

async fn delete_conversation(
    State(service): State<Arc<Service>>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    checked_id(&id)?;
    let existed = blocking({
        let id = id.clone();
        move || Ok(service.bot.reset(&id)?)
    })
    .await?;
    match existed {
        true => Ok(StatusCode::NO_CONTENT),
        false => Err(unknown_conversation(&id)),
    }
}

fn unknown_conversation(id: &str) -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, format!("no conversation `{id}`"))
}

/// Rasa's REST channel input.
#[derive(Deserialize)]
struct RasaMessage {
    sender: String,
    message: String,
}

#[derive(Serialize)]
struct RasaReply {
    recipient_id: String,
    text: String,
}

async fn rest_webhook(
    State(service): State<Arc<Service>>,
    request: Request,
) -> Result<Json<Vec<RasaReply>>, ApiError> {
    let rasa: RasaMessage = json_body(request).await?;
    let message = Message {
        text: rasa.message,
        now: None,
        tz: None,
    };
    let reply = handle(service, rasa.sender, message).await?;
    Ok(Json(
        reply
            .replies
            .into_iter()
            .map(|text| RasaReply {
                recipient_id: reply.conversation_id.clone(),
                text,
            })
            .collect(),
    ))
}

async fn reload(State(service): State<Arc<Service>>) -> Result<Json<serde_json::Value>, ApiError> {
    blocking(move || service.reload()).await?;
    Ok(Json(serde_json::json!({"status": "reloaded"})))
}

async fn health(State(service): State<Arc<Service>>) -> Json<serde_json::Value> {
    let parser = service.bot.parser();
    let intents: Vec<&str> = parser
        .intents()
        .map(|i| i.intents.iter().map(|i| i.name.as_str()).collect())
        .unwrap_or_default();
    Json(serde_json::json!({
        "status": "ok",
        "store": service.bot.store().describe(),
        "intents": intents,
        "reloads": service.reloads.load(Ordering::SeqCst),
    }))
}

async fn metrics(State(service): State<Arc<Service>>) -> impl IntoResponse {
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        service.metrics.render(),
    )
}
