//! The chat page at `/`: a person talks to the bot through the server's own
//! `POST /conversations/{id}/messages`, and a side panel shows what each turn did.
//!
//! The page's files are compiled into the binary, so that the server needs nothing on disk
//! and the page nothing from the network (no CDN, no web fonts).

use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;

const INDEX_HTML: &str = include_str!("page/index.html");
const CHAT_JS: &str = include_str!("page/chat.js");
const CHAT_CSS: &str = include_str!("page/chat.css");

/// The page loads only its own script and stylesheet and talks only to this server; a
/// policy that says so keeps any text that ever reached the page as markup from running.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
     style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; \
     form-action 'none'; frame-ancestors 'none'";

/// The routes of the page's files, for any router state.
pub(super) fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new()
        .route(
            "/",
            get(|| async { file(INDEX_HTML, "text/html; charset=utf-8") }),
        )
        .route(
            "/chat.js",
            get(|| async { file(CHAT_JS, "text/javascript; charset=utf-8") }),
        )
        .route(
            "/chat.css",
            get(|| async { file(CHAT_CSS, "text/css; charset=utf-8") }),
        )
}

/// One of the page's files. `no-cache` makes the browser ask again on every load: the
/// files change with the binary, and a stale script beside a newer page would break it.
fn file(body: &'static str, content_type: &'static str) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "no-cache"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        ],
        body,
    )
}
