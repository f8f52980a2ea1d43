//! Management REST API under `/stores/{store_hash}/v2|v3/...` (SPEC §3): `X-Auth-Token`
//! authentication, per-account rate limits, OAuth scope checks and JSON bodies.

mod apps;
mod carriers;
mod catalog;
mod channels;
mod customers;
mod decisions;
mod inspector_page;
pub mod oauth;
mod payments;
pub mod ratelimit;
mod rehearsal;
mod store_clock;
mod store_info;
mod tax;
mod tokens;
mod trusted_proxy;

use std::sync::Arc;

use axum::extract::{FromRef, Request, State};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::Router;
use serde_json::Value;
use storefront_auth_store::{Account, StoreRecord};

use crate::config::RateLimitConfig;
pub use crate::http::body::JsonBody;
use crate::http::error::{ApiError, FieldError};
use crate::service::{accounts, Domain};
use ratelimit::RateLimiter;

/// The management API's state: the domain and the per-account rate limiter.
#[derive(Clone, Debug)]
pub struct Management(Arc<ManagementState>);

#[derive(Debug)]
pub struct ManagementState {
    pub domain: Domain,
    pub rate_limiter: RateLimiter,
}

impl std::ops::Deref for Management {
    type Target = ManagementState;

    fn deref(&self) -> &ManagementState {
        &self.0
    }
}

impl Management {
    pub fn new(domain: Domain, limits: &RateLimitConfig) -> Self {
        Management(Arc::new(ManagementState {
            domain,
            rate_limiter: RateLimiter::new(limits.quota, limits.window_ms),
        }))
    }
}

pub fn router<S>(state: Management) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Management: FromRef<S>,
{
    Router::new()
        .route("/stores/{store_hash}/v2/time", get(store_info::time))
        .route("/stores/{store_hash}/v2/store", get(store_info::store))
        .route(
            "/stores/{store_hash}/v3/channels",
            get(channels::list).post(channels::create),
        )
        .route(
            "/stores/{store_hash}/v3/customers",
            get(customers::list).post(customers::create),
        )
        .route(
            "/stores/{store_hash}/v3/catalog/products",
            get(catalog::list).post(catalog::create),
        )
        .merge(storefront_routes())
        .merge(provider_routes())
        .route(
            "/stores/{store_hash}/v3/apps",
            get(apps::list).post(apps::register),
        )
        .route(
            "/stores/{store_hash}/v3/apps/{client_id}",
            axum::routing::delete(apps::uninstall),
        )
        .route(
            "/stores/{store_hash}/v3/apps/{client_id}/install",
            post(apps::install),
        )
        .route(
            "/stores/{store_hash}/v3/apps/{client_id}/load",
            get(apps::load),
        )
        .route(
            "/stores/{store_hash}/v3/payments/access_tokens",
            post(payments::create_access_token),
        )
        // Unknown paths and methods of the management API answer inside the authentication
        // layer, so they carry the rate-limit headers like every other answer (SPEC §3).
        .route("/stores/{store_hash}/v2/{*rest}", any(unknown_route))
        .route("/stores/{store_hash}/v3/{*rest}", any(unknown_route))
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .layer(axum::middleware::from_fn_with_state(state, authenticate))
        // The app's code exchange authenticates with the app's own credentials.
        .merge(oauth::router())
        .merge(inspector_page::router())
}

async fn unknown_route() -> ApiError {
    ApiError::NotFound
}

/// The title of the 401 that legacy HTTP Basic credentials get.
pub const BASIC_AUTH_TITLE: &str = "HTTP Basic authentication is no longer supported. \
     Authenticate with an API account's access token in the X-Auth-Token header.";

/// The Tax and Shipping Provider APIs' merchant side (SPEC §12).
fn provider_routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Management: FromRef<S>,
{
    Router::new()
        .route(
            "/stores/{store_hash}/v3/shipping/carriers",
            get(carriers::list).post(carriers::register),
        )
        .route(
            "/stores/{store_hash}/v2/shipping/carrier/connection",
            axum::routing::put(carriers::connect).delete(carriers::disconnect),
        )
        .route(
            "/stores/{store_hash}/v3/tax/providers",
            get(tax::list).post(tax::register),
        )
        .route(
            "/stores/{store_hash}/v3/tax/providers/{provider_id}/connection",
            get(tax::show_connection)
                .put(tax::connect)
                .delete(tax::disconnect),
        )
}

/// The storefront API's own endpoints: tokens, their inventory and the trusted-proxy secret.
fn storefront_routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Management: FromRef<S>,
{
    Router::new()
        .route(
            "/stores/{store_hash}/v3/storefront/api-token",
            post(tokens::create_storefront).delete(tokens::revoke),
        )
        .route(
            "/stores/{store_hash}/v3/storefront/api-token-private",
            post(tokens::create_private),
        )
        .route(
            "/stores/{store_hash}/v3/storefront/api-token-customer-impersonation",
            post(tokens::create_impersonation),
        )
        .route(
            "/stores/{store_hash}/v3/storefront/api-tokens",
            get(tokens::inventory),
        )
        .route(
            "/stores/{store_hash}/v3/storefront/api-tokens/audit",
            get(tokens::audit),
        )
        .route(
            "/stores/{store_hash}/v3/storefront/decisions",
            get(decisions::list),
        )
        .route(
            "/stores/{store_hash}/v3/storefront/rehearsal",
            get(rehearsal::show)
                .put(rehearsal::set)
                .delete(rehearsal::end),
        )
        .route(
            "/stores/{store_hash}/v3/storefront/clock",
            get(store_clock::show)
                .put(store_clock::set)
                .delete(store_clock::reset),
        )
        .route(
            "/stores/{store_hash}/v3/storefront/trusted-proxy-secret",
            get(trusted_proxy::show)
                .put(trusted_proxy::set)
                .delete(trusted_proxy::clear),
        )
}

/// The authenticated caller of a management request: an API account of the addressed store.
#[derive(Clone, Debug)]
pub struct Caller {
    pub account: Account,
    pub store: StoreRecord,
    read_only_request: bool,
}

impl Caller {
    /// 403 unless the account holds `scope` (or its `_read_only` variant on GET/HEAD).
    pub fn require(&self, scope: &str) -> Result<(), ApiError> {
        if self.account.has_scope(scope, self.read_only_request) {
            Ok(())
        } else {
            Err(ApiError::MissingScope)
        }
    }
}

fn store_hash_of(path: &str) -> Option<&str> {
    path.strip_prefix("/stores/")?.split('/').next()
}

/// Resolves `X-Auth-Token`, applies the account's quota, and adds the rate-limit headers to
/// every response, errors included.
async fn authenticate(State(m): State<Management>, mut req: Request, next: Next) -> Response {
    let account = match req
        .headers()
        .get("x-auth-token")
        .and_then(|v| v.to_str().ok())
    {
        Some(token) if !token.is_empty() => accounts::caller(&m.domain, token).await,
        _ => Ok(None),
    };
    // Basic credentials and no X-Auth-Token: a client of the retired legacy API accounts.
    let legacy_basic = matches!(account, Ok(None))
        && req
            .headers()
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.get(..6))
            .is_some_and(|scheme| scheme.eq_ignore_ascii_case("basic "));
    let account = match account {
        Ok(a) => a,
        Err(e) => return ApiError::from(e).into_response(),
    };
    let limiter_key = match &account {
        Some(a) => format!("account:{}", a.client_id),
        None => "anonymous".to_string(),
    };
    let quota = m.rate_limiter.check(&limiter_key);
    let mut response = if !quota.allowed {
        ApiError::RateLimited {
            retry_after_ms: quota.reset_ms,
        }
        .into_response()
    } else {
        let (path, method) = (req.uri().path().to_string(), req.method().clone());
        match resolve_caller(&m.domain, account, &path, &method).await {
            Err(ApiError::Unauthorized) if legacy_basic => {
                ApiError::Refused(StatusCode::UNAUTHORIZED, BASIC_AUTH_TITLE.into()).into_response()
            }
            Ok(caller) => {
                req.extensions_mut().insert(caller);
                next.run(req).await
            }
            Err(e) => e.into_response(),
        }
    };
    let h = response.headers_mut();
    for (name, value) in [
        ("X-Rate-Limit-Time-Window-Ms", quota.window_ms),
        ("X-Rate-Limit-Time-Reset-Ms", quota.reset_ms),
        ("X-Rate-Limit-Requests-Quota", quota.quota),
        ("X-Rate-Limit-Requests-Left", quota.left),
    ] {
        h.insert(name, HeaderValue::from(value));
    }
    response
}

async fn resolve_caller(
    domain: &Domain,
    account: Option<Account>,
    path: &str,
    method: &Method,
) -> Result<Caller, ApiError> {
    let account = account.ok_or(ApiError::Unauthorized)?;
    let hash = store_hash_of(path).ok_or(ApiError::NotFound)?;
    let store = accounts::store_of(domain, &account, hash)
        .await?
        .ok_or(ApiError::Unauthorized)?;
    let read_only_request = matches!(*method, Method::GET | Method::HEAD);
    Ok(Caller {
        account,
        store,
        read_only_request,
    })
}

/// `?limit=&after=` of the list endpoints: id-ordered pages of 1–250 items (default 50).
#[derive(serde::Deserialize)]
pub struct Page {
    limit: Option<i64>,
    pub after: Option<i64>,
}

impl Page {
    pub fn limit(&self) -> i64 {
        self.limit.unwrap_or(50).clamp(1, 250)
    }
}

/// A required, non-blank text field of a JSON body (trimmed); records `{field}:required` when
/// it is missing or blank.
pub fn required_text<'a>(
    body: &'a Value,
    field: &str,
    errors: &mut Vec<crate::http::error::FieldError>,
) -> Option<&'a str> {
    let value = body
        .get(field)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty());
    if value.is_none() {
        errors.push(crate::http::error::FieldError::new(
            field,
            "required",
            format!("{field} is required."),
        ));
    }
    value
}

/// `{key}:unknown` for every field of the body not in `allowed`.
pub fn unknown_fields(body: &Value, allowed: &[&str]) -> Vec<FieldError> {
    body.as_object()
        .into_iter()
        .flat_map(|o| o.keys())
        .filter(|k| !allowed.contains(&k.as_str()))
        .map(|k| FieldError::new(k, "unknown", format!("{k} is not a field of this request.")))
        .collect()
}

/// A required string field of a body (not trimmed: secrets are taken as given); records
/// `{key}:required` and answers `""` when it is missing or not a string.
pub fn required_string<'a>(body: &'a Value, key: &str, errors: &mut Vec<FieldError>) -> &'a str {
    let v = body.get(key).and_then(Value::as_str);
    if v.is_none() {
        errors.push(FieldError::new(
            key,
            "required",
            format!("{key} is required (a string)."),
        ));
    }
    v.unwrap_or_default()
}

/// `{"data": …, "meta": {}}`
pub fn data(value: Value) -> axum::Json<Value> {
    axum::Json(serde_json::json!({ "data": value, "meta": {} }))
}
