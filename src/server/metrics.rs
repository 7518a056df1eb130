//! Prometheus metrics of the HTTP server, in the text exposition format at `GET /metrics`.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Request {
    route: String,
    status: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Route {
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Name {
    name: String,
}

type Latency = Family<Route, Histogram, fn() -> Histogram>;

/// The server's counters and latency histograms.
pub struct Metrics {
    registry: Registry,
    requests: Family<Request, Counter>,
    latency: Latency,
    intents: Family<Name, Counter>,
    actions: Family<Name, Counter>,
    errors: Family<Name, Counter>,
}

fn latency_histogram() -> Histogram {
    // 50 µs to about 1.6 s.
    Histogram::new(exponential_buckets(0.000_05, 2.0, 16))
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("slotfill");
        let requests = Family::<Request, Counter>::default();
        let latency: Latency = Family::new_with_constructor(latency_histogram);
        let intents = Family::<Name, Counter>::default();
        let actions = Family::<Name, Counter>::default();
        let errors = Family::<Name, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests by route and status",
            requests.clone(),
        );
        registry.register(
            "http_request_duration_seconds",
            "Time to answer an HTTP request, by route",
            latency.clone(),
        );
        registry.register(
            "intents",
            "Messages by the intent the NLU predicted",
            intents.clone(),
        );
        registry.register("actions", "Actions fired, by name", actions.clone());
        registry.register(
            "errors",
            "Requests that failed, by kind (bad_request, not_found, store, internal)",
            errors.clone(),
        );
        Metrics {
            registry,
            requests,
            latency,
            intents,
            actions,
            errors,
        }
    }
}

impl Metrics {
    pub(super) fn request(&self, route: &str, status: u16, seconds: f64) {
        self.requests
            .get_or_create(&Request {
                route: route.to_string(),
                status: status.to_string(),
            })
            .inc();
        self.latency
            .get_or_create(&Route {
                route: route.to_string(),
            })
            .observe(seconds);
    }

    pub(super) fn intent(&self, name: &str) {
        self.intents.get_or_create(&named(name)).inc();
    }

    pub(super) fn action(&self, name: &str) {
        self.actions.get_or_create(&named(name)).inc();
    }

    pub(super) fn error(&self, kind: &str) {
        self.errors.get_or_create(&named(kind)).inc();
    }

    pub(super) fn render(&self) -> String {
        let mut text = String::new();
        // Writing into a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut text, &self.registry);
        text
    }
}

fn named(name: &str) -> Name {
    Name {
        name: name.to_string(),
    }
}
