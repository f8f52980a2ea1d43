//! One structured line per request (never the token, only its id), and the metrics beside it.
//!
//! The line is written here, not by tracing-subscriber's formatter: it is the one line every
//! request pays for, and the generic formatter (a visitor per field, `fmt` machinery, a calendar
//! conversion per line) cost about a tenth of the cheapest request's CPU time. The shape is the
//! formatter's own (`{"timestamp","level","fields":{…},"target":"request"}` in JSON, the usual
//! `timestamp LEVEL target: key=value` in text), it goes to the same batched stdout as every other
//! log line, and `STOREFRONT_AUTH_LOG` still decides whether it is written (`request=off`, `warn`).

use std::cell::RefCell;
use std::convert::Infallible;
use std::fmt::Write as _;
use std::future::Future;
use std::io::{Stdout, Write as _};
use std::pin::Pin;
use std::sync::{Arc, Mutex, OnceLock};
use std::task::{Context, Poll};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use axum::extract::Request;
use axum::http::{HeaderValue, Method, Uri};
use axum::response::{IntoResponse, Response};

use crate::log_writer::BatchedWriter;
use crate::state::SharedState;

/// `s` as it may be written into a log: every control character (line breaks, terminal
/// escapes) as `\u{..}`, so text a client chose cannot forge a line or colour a terminal.
pub fn escaped(s: &str) -> String {
    if !s.chars().any(char::is_control) {
        return s.to_string();
    }
    s.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// What a handler learned about the request that belongs in its log line.
#[derive(Clone, Debug, Default)]
pub struct LogFields {
    pub token_id: Option<String>,
    pub kind: Option<&'static str>,
    pub decision: Option<&'static str>,
    pub reason: Option<&'static str>,
    pub correlation_id: Option<String>,
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
    pub fn new(state: SharedState) -> Self {
        RequestLogLayer { state }
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
            .get(&crate::storefront::request::CORRELATION_ID)
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
            return Poll::Ready(Ok(crate::error::ApiError::Internal(
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
                    crate::error::ApiError::Internal("a request handler panicked".into())
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
    let fields = std::mem::take(&mut *log.0.lock().unwrap_or_else(|e| e.into_inner()));
    if let Some(c) = &fields.correlation_id {
        if let Ok(v) = HeaderValue::from_str(c) {
            response
                .headers_mut()
                .insert(crate::storefront::request::CORRELATION_ID, v);
        }
    }
    if let Some(hsts) = state.hsts() {
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
    state.metrics.record(
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

/// The request line's content.
struct Line<'a> {
    method: &'a str,
    path: &'a str,
    status: u16,
    latency_us: u64,
    fields: &'a LogFields,
    decision: &'a str,
}

impl Line<'_> {
    fn render(&self, format: Format, now: SystemTime) -> String {
        let mut out = String::with_capacity(320);
        let f = self.fields;
        let strings = [
            ("method", self.method),
            ("path", self.path),
            ("correlation_id", f.correlation_id.as_deref().unwrap_or("")),
            ("token_id", f.token_id.as_deref().unwrap_or("")),
            ("kind", f.kind.unwrap_or("")),
            ("decision", self.decision),
            ("reason", f.reason.unwrap_or("")),
        ];
        let numbers = |out: &mut String, json: bool| {
            out.push_str(if json { ",\"status\":" } else { " status=" });
            push_number(out, u64::from(self.status), 1);
            out.push_str(if json {
                ",\"latency_ms\":"
            } else {
                " latency_ms="
            });
            push_number(out, self.latency_us / 1000, 1);
            out.push('.');
            push_number(out, self.latency_us % 1000, 3);
        };
        match format {
            Format::Json => {
                out.push_str("{\"timestamp\":\"");
                timestamp(&mut out, now);
                out.push_str("\",\"level\":\"INFO\",\"fields\":{");
                for (i, (key, value)) in strings.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push('"');
                    out.push_str(key);
                    out.push_str("\":");
                    json_string(&mut out, value);
                    if *key == "path" {
                        numbers(&mut out, true);
                    }
                }
                out.push_str("},\"target\":\"request\"}\n");
            }
            Format::Text => {
                timestamp(&mut out, now);
                out.push_str("  INFO request:");
                for (key, value) in strings {
                    out.push(' ');
                    out.push_str(key);
                    out.push('=');
                    text_value(&mut out, value);
                    if key == "path" {
                        numbers(&mut out, false);
                    }
                }
                out.push('\n');
            }
        }
        out
    }
}

thread_local! {
    /// The last second this thread wrote, formatted: lines come many to a second.
    static SECOND: RefCell<(u64, String)> = const { RefCell::new((0, String::new())) };
}

/// RFC 3339 in UTC with microseconds, as tracing-subscriber writes it.
fn timestamp(out: &mut String, now: SystemTime) {
    let since = now.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = since.as_secs();
    SECOND.with(|cell| {
        let mut cached = cell.borrow_mut();
        if cached.0 != secs || cached.1.is_empty() {
            let (y, m, d) = civil_from_days((secs / 86_400) as i64);
            let rem = secs % 86_400;
            cached.1.clear();
            let _ = write!(
                cached.1,
                "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
                rem / 3600,
                rem / 60 % 60,
                rem % 60
            );
            cached.0 = secs;
        }
        out.push_str(&cached.1);
    });
    out.push('.');
    push_number(out, u64::from(since.subsec_micros()), 6);
    out.push('Z');
}

/// `n` in decimal, zero-padded to at least `width` digits (at most 20).
fn push_number(out: &mut String, mut n: u64, width: usize) {
    let mut digits = [b'0'; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    let start = i.min(digits.len().saturating_sub(width));
    for &d in &digits[start..] {
        out.push(char::from(d));
    }
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

fn json_string(out: &mut String, s: &str) {
    out.push('"');
    // A byte scan first (the common case needs no escaping); DEL and any non-ASCII byte (the
    // C1 controls among them) take the careful path.
    if !s
        .bytes()
        .any(|b| !(0x20..0x7f).contains(&b) || b == b'"' || b == b'\\')
    {
        out.push_str(s);
        out.push('"');
        return;
    }
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            // Every other control character, DEL and the C1 controls (terminal escapes) too.
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A value as the text formatter shows it: bare when it is one plain word, quoted otherwise.
fn text_value(out: &mut String, s: &str) {
    let plain = !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_graphic() && b != b'"' && b != b'\\' && b != b'=');
    if plain {
        out.push_str(s);
    } else {
        json_string(out, s);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn line(fields: &LogFields, path: &str) -> Line<'static> {
        let fields: &'static LogFields = Box::leak(Box::new(fields.clone()));
        let path: &'static str = Box::leak(path.to_string().into_boxed_str());
        Line {
            method: "POST",
            path,
            status: 403,
            latency_us: 1234,
            fields,
            decision: "deny",
        }
    }

    #[test]
    fn the_json_line_has_the_formatters_shape_and_escapes_what_the_client_sent() {
        let fields = LogFields {
            token_id: Some("7f6c".into()),
            kind: Some("private"),
            decision: Some("deny"),
            reason: Some("private_token_in_browser"),
            correlation_id: None,
        };
        let at = UNIX_EPOCH + Duration::from_micros(1_795_305_600_123_456);
        let text = line(&fields, "/graphql\"\n\u{1}é").render(Format::Json, at);
        assert!(text.ends_with('\n'));
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["timestamp"], "2026-11-22T00:00:00.123456Z");
        assert_eq!(v["level"], "INFO");
        assert_eq!(v["target"], "request");
        let f = &v["fields"];
        assert_eq!(f["method"], "POST");
        assert_eq!(f["path"], "/graphql\"\n\u{1}é");
        assert_eq!(f["status"], 403);
        assert_eq!(f["latency_ms"], 1.234);
        assert_eq!(f["correlation_id"], "");
        assert_eq!(f["token_id"], "7f6c");
        assert_eq!(f["kind"], "private");
        assert_eq!(f["decision"], "deny");
        assert_eq!(f["reason"], "private_token_in_browser");
    }

    #[test]
    fn the_text_line_reads_as_key_value_pairs() {
        let text = line(&LogFields::default(), "/a b").render(Format::Text, UNIX_EPOCH);
        assert_eq!(
            text,
            "1970-01-01T00:00:00.000000Z  INFO request: method=POST path=\"/a b\" status=403 \
             latency_ms=1.234 correlation_id=\"\" token_id=\"\" kind=\"\" decision=deny reason=\"\"\n"
        );
    }

    #[test]
    fn numbers_are_padded_and_timestamps_follow_the_clock_within_a_thread() {
        let mut out = String::new();
        push_number(&mut out, 0, 1);
        push_number(&mut out, 42, 3);
        push_number(&mut out, u64::MAX, 1);
        assert_eq!(out, format!("0042{}", u64::MAX));
        let mut a = String::new();
        timestamp(&mut a, UNIX_EPOCH + Duration::from_micros(1_500_000));
        timestamp(&mut a, UNIX_EPOCH + Duration::from_micros(1_600_001));
        timestamp(&mut a, UNIX_EPOCH + Duration::from_micros(86_400_000_007));
        assert_eq!(
            a,
            "1970-01-01T00:00:01.500000Z1970-01-01T00:00:01.600001Z1970-01-02T00:00:00.000007Z"
        );
    }

    #[test]
    fn dates_agree_with_the_time_crate_across_leap_years_and_centuries() {
        for days in (-800_000i64..800_000)
            .step_by(997)
            .chain([0, 59, 60, 365, 11_016, 20_779])
        {
            let expected = time::OffsetDateTime::UNIX_EPOCH + time::Duration::days(days);
            let (y, m, d) = civil_from_days(days);
            assert_eq!(
                (y, m, d),
                (
                    i64::from(expected.year()),
                    u8::from(expected.month()) as u32,
                    u32::from(expected.day())
                ),
                "day {days}"
            );
        }
    }
}
