//! One structured line per request (never the token, only its id), and the metrics beside it.
//!
//! The line is written here, not by tracing-subscriber's formatter: it is the one line every
//! request pays for, and the generic formatter (a visitor per field, `fmt` machinery, a calendar
//! conversion per line) cost about a tenth of the cheapest request's CPU time. The shape is the
//! formatter's own (`{"timestamp","level","fields":{…},"target":"request"}` in JSON, the usual
//! `timestamp LEVEL target: key=value` in text), it goes to the same batched stdout as every other
//! log line, and `STOREFRONT_AUTH_LOG` still decides whether it is written (`request=off`, `warn`).

use std::convert::Infallible;
use std::future::Future;
use std::io::{Stdout, Write as _};
use std::pin::Pin;
use std::sync::{Arc, Mutex, OnceLock};
use std::task::{Context, Poll};
use std::time::{Instant, SystemTime};

use axum::extract::Request;
use axum::http::{HeaderValue, Method, Uri};
use axum::response::{IntoResponse, Response};

use crate::http::log_writer::BatchedWriter;
use line::Line;

mod line;
use crate::service::caches::decisions::DecisionRecord;
use crate::service::Domain;

/// What the layer needs: the metrics (through the domain) and the HSTS value.
struct LogState {
    domain: Domain,
    hsts: Option<&'static str>,
}

type SharedState = std::sync::Arc<LogState>;

/// What a handler learned about the request that belongs in its log line.
#[derive(Clone, Debug, Default)]
pub struct LogFields {
    pub token_id: Option<String>,
    pub kind: Option<&'static str>,
    pub decision: Option<&'static str>,
    pub reason: Option<&'static str>,
    pub correlation_id: Option<String>,
    /// The GraphQL operation's name (from the document, else `?operation=`).
    pub operation: Option<String>,
    /// How a GraphQL answer went: with data and no errors, with some, or refused.
    pub graphql: Option<GraphqlOutcome>,
    /// A storefront-API decision for the inspector: its store and what the handler saw (the
    /// outcome is filled in here, from the response). Not shared until it is recorded.
    pub inspected: Option<(i64, Arc<DecisionRecord>)>,
}

impl LogFields {
    /// The inspector's record of this request, while the handler fills it in.
    pub fn inspected_mut(&mut self) -> Option<&mut DecisionRecord> {
        self.inspected.as_mut().and_then(|(_, d)| Arc::get_mut(d))
    }
}

/// What a GraphQL answer held: its errors, and whether it had data. A request with errors
/// is not logged as a plain success (issue 17).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GraphqlOutcome {
    pub errors: u32,
    pub data: bool,
    /// Gateway mode: how the upstream call went, when one was made.
    pub upstream: Option<UpstreamOutcome>,
}

/// One upstream call of gateway mode, for the log line and the inspector (which keeps it).
pub use crate::service::caches::decisions::UpstreamOutcome;

impl GraphqlOutcome {
    pub fn label(&self) -> &'static str {
        match (self.errors, self.data) {
            (0, _) => "ok",
            (_, true) => "partial",
            (_, false) => "errors",
        }
    }
}

/// Handlers fill this in through the request extensions.
#[derive(Clone, Debug, Default)]
pub struct RequestLog(pub Arc<Mutex<LogFields>>);

impl RequestLog {
    pub fn update(&self, f: impl FnOnce(&mut LogFields)) {
        if let Ok(mut g) = self.0.lock() {
            f(&mut g)
        }
    }
}

/// Where request lines go: set once by `cli::init_logging`. Without it (a server inside a
/// test) no request line is written, as no other log line is.
static SINK: OnceLock<(BatchedWriter<Stdout>, Format)> = OnceLock::new();

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Text,
}

pub fn install(writer: BatchedWriter<Stdout>, format: Format) {
    let _ = SINK.set((writer, format));
}

fn surface(path: &str) -> &'static str {
    if path.starts_with("/stores/") {
        "management"
    } else if path.starts_with("/graphql") {
        "graphql"
    } else if matches!(path, "/healthz" | "/readyz" | "/metrics") {
        "ops"
    } else {
        "storefront"
    }
}

/// The layer that gives every request its `RequestLog`, records its metrics and writes its
/// line. A hand-written service rather than `axum::middleware::from_fn`: that one clones and
/// boxes the inner service and boxes the future on every request, a measurable share of the
/// cheapest request's time (BENCHMARKS.md).
#[derive(Clone)]
pub struct RequestLogLayer {
    state: SharedState,
}

impl RequestLogLayer {
    pub fn new(domain: Domain, hsts: Option<&'static str>) -> Self {
        RequestLogLayer {
            state: std::sync::Arc::new(LogState { domain, hsts }),
        }
    }
}

impl<S> tower::Layer<S> for RequestLogLayer {
    type Service = RequestLogService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        RequestLogService {
            inner,
            state: self.state.clone(),
        }
    }
}

#[derive(Clone)]
pub struct RequestLogService<S> {
    inner: S,
    state: SharedState,
}

/// What the line needs from the request, kept until the response is there.
struct Started {
    state: SharedState,
    at: Instant,
    log: RequestLog,
    method: Method,
    uri: Uri,
}

impl<S> tower::Service<Request> for RequestLogService<S>
where
    S: tower::Service<Request, Response = Response, Error = Infallible>,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Logged<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut req: Request) -> Self::Future {
        let at = Instant::now();
        let correlation = req
            .headers()
            .get(&crate::http::headers::CORRELATION_ID)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| uuid::Uuid::parse_str(v).ok());
        let log = RequestLog::default();
        log.update(|f| f.correlation_id = correlation.map(|c| c.to_string()));
        req.extensions_mut().insert(log.clone());
        // Every line logged while handling the request carries its correlation id (no span is
        // needed without one: the request line names it itself).
        let span = correlation.map(|c| tracing::info_span!("request", correlation_id = %c));
        let started = Started {
            state: self.state.clone(),
            at,
            log,
            method: req.method().clone(),
            uri: req.uri().clone(),
        };
        let inner = {
            let _entered = span.as_ref().map(|s| s.enter());
            self.inner.call(req)
        };
        Logged {
            inner,
            span,
            started: Some(started),
        }
    }
}

pin_project_lite::pin_project! {
    /// The handler's future; the line is written when it completes.
    pub struct Logged<F> {
        #[pin]
        inner: F,
        span: Option<tracing::Span>,
        started: Option<Started>,
    }
}

impl<F> Future for Logged<F>
where
    F: Future<Output = Result<Response, Infallible>>,
{
    type Output = Result<Response, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let Some(_) = this.started else {
            // Finished, or a handler that panicked: never polled again.
            return Poll::Ready(Ok(crate::http::error::ApiError::Internal(
                "a request handler panicked".into(),
            )
            .into_response()));
        };
        let polled = {
            let _entered = this.span.as_ref().map(|s| s.enter());
            // A bug in a handler (an arithmetic overflow, say) answers this request with a 500
            // and is logged; it never takes the connection, or anything else, down with it.
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| this.inner.poll(cx)))
        };
        let Ok(mut response) = match polled {
            Ok(p) => std::task::ready!(p),
            Err(_) => {
                tracing::error!("a request handler panicked; answered 500");
                Ok(
                    crate::http::error::ApiError::Internal("a request handler panicked".into())
                        .into_response(),
                )
            }
        };
        if let Some(started) = this.started.take() {
            finish(started, &mut response);
        }
        Poll::Ready(Ok(response))
    }
}

fn finish(started: Started, response: &mut Response) {
    let Started {
        state,
        at,
        log,
        method,
        uri,
    } = started;
    let mut fields = std::mem::take(&mut *log.0.lock().unwrap_or_else(|e| e.into_inner()));
    if let Some(c) = &fields.correlation_id {
        if let Ok(v) = HeaderValue::from_str(c) {
            response
                .headers_mut()
                .insert(crate::http::headers::CORRELATION_ID, v);
        }
    }
    if let Some(hsts) = state.hsts {
        response.headers_mut().insert(
            axum::http::header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(hsts),
        );
    }
    let elapsed = at.elapsed();
    let status = response.status();
    let decision = fields
        .decision
        .unwrap_or(if status.is_success() || status.is_redirection() {
            "ok"
        } else {
            "error"
        });
    let path = loggable_path(uri.path());
    state.domain.metrics().record(
        surface(path),
        fields.kind.unwrap_or("none"),
        decision,
        elapsed.as_secs_f64() * 1000.0,
    );
    if let Some((writer, format)) = SINK.get() {
        if tracing::enabled!(target: "request", tracing::Level::INFO) {
            let line = Line {
                method: method.as_str(),
                path,
                status: status.as_u16(),
                latency_us: elapsed.as_micros() as u64,
                fields: &fields,
                decision,
            };
            let text = line.render(*format, SystemTime::now());
            let _ = writer.clone().write_all(text.as_bytes());
        }
    }
    // After the line: the record takes the line's strings instead of copies.
    inspected(&state.domain, &mut fields, status.as_u16(), decision);
}

/// Hands a storefront-API decision to the inspector, with its outcome (moved, not copied).
fn inspected(domain: &Domain, fields: &mut LogFields, status: u16, decision: &'static str) {
    let Some((store_id, mut record)) = fields.inspected.take() else {
        return;
    };
    if let Some(d) = Arc::get_mut(&mut record) {
        d.at = domain.now_for(store_id);
        d.correlation_id = fields.correlation_id.take();
        d.operation = fields.operation.take();
        d.token_id = fields.token_id.take();
        d.token_kind = fields.kind;
        d.status = status;
        d.decision = decision;
        d.reason = fields.reason;
        d.upstream = fields.graphql.and_then(|g| g.upstream);
    }
    domain.decisions().record(store_id, record);
}

/// A path as it is logged: the Customer Login JWT in `/login/token/{jwt}` is a credential
/// (usable once, but until then a sign-in), so it is never written.
fn loggable_path(path: &str) -> &str {
    if path.starts_with("/login/token/") {
        "/login/token/[redacted]"
    } else {
        path
    }
}
