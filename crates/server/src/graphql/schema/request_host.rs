//! The host a request addressed, worked out only when a resolver first asks (most documents
//! never build an absolute URL). Its own module so that nothing reads the header or the
//! cell around `RequestHost::get`.

use std::sync::OnceLock;

use axum::http::HeaderValue;

#[derive(Clone)]
pub struct RequestHost {
    /// The request's `Host` header, as it came.
    header: Option<HeaderValue>,
    /// The host, once worked out.
    resolved: OnceLock<String>,
}

impl RequestHost {
    pub fn new(header: Option<HeaderValue>) -> RequestHost {
        RequestHost {
            header,
            resolved: OnceLock::new(),
        }
    }

    /// The `Host` header's host (and port), lowercased; `fallback()` when there is none or it
    /// is not a plain host name. Worked out once per request.
    pub fn get(&self, fallback: impl FnOnce() -> String) -> &str {
        self.resolved.get_or_init(|| {
            self.header
                .as_ref()
                .and_then(crate::http::headers::public_host)
                .unwrap_or_else(fallback)
        })
    }
}
