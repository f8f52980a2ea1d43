//! Management REST API under `/stores/{store_hash}/v2|v3/...` (SPEC §3): `X-Auth-Token`
//! authentication, per-account rate limits, OAuth scope checks and JSON bodies.

mod apps;
mod catalog;
mod channels;
mod customers;
mod payments;
mod store_info;
mod tokens;

pub use tokens::parse_spec as parse_token_spec;

use axum::body::Body;
use axum::extract::{FromRequest, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde_json::Value;
use storefront_auth_core::Secret;
use storefront_auth_store::{Account, StoreRecord};

use crate::error::ApiError;
use crate::state::SharedState;

pub const MAX_BODY: usize = 1024 * 1024;

pub fn router(state: SharedState) -> Router<SharedState> {
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
        .layer(axum::middleware::from_fn_with_state(state, authenticate))
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
async fn authenticate(State(state): State<SharedState>, mut req: Request, next: Next) -> Response {
    let account = match req
        .headers()
        .get("x-auth-token")
        .and_then(|v| v.to_str().ok())
    {
        Some(token) if !token.is_empty() => {
            state
                .store
                .account_by_token_digest(&Secret::new(token).digest())
                .await
        }
        _ => Ok(None),
    };
    let account = match account {
        Ok(a) => a,
        Err(e) => return ApiError::from(e).into_response(),
    };
    let limiter_key = match &account {
        Some(a) => format!("account:{}", a.client_id),
        None => "anonymous".to_string(),
    };
    let quota = state.rate_limiter.check(&limiter_key);
    let mut response = if !quota.allowed {
        ApiError::RateLimited {
            retry_after_ms: quota.reset_ms,
        }
        .into_response()
    } else {
        let (path, method) = (req.uri().path().to_string(), req.method().clone());
        match resolve_caller(&state, account, &path, &method).await {
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
    state: &SharedState,
    account: Option<Account>,
    path: &str,
    method: &Method,
) -> Result<Caller, ApiError> {
    let account = account.ok_or(ApiError::Unauthorized)?;
    let hash = store_hash_of(path).ok_or(ApiError::NotFound)?;
    let store = state
        .store
        .store_by_hash(hash)
        .await?
        .ok_or(ApiError::Unauthorized)?;
    if store.id != account.store_id {
        return Err(ApiError::Unauthorized);
    }
    let read_only_request = matches!(*method, Method::GET | Method::HEAD);
    Ok(Caller {
        account,
        store,
        read_only_request,
    })
}

/// A JSON request body: `application/json`, at most 1 MiB, well-formed.
pub struct JsonBody(pub Value);

impl<S: Send + Sync> FromRequest<S> for JsonBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, _state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(req.headers()) {
            return Err(ApiError::UnsupportedMediaType);
        }
        let bytes = read_limited(req.into_body(), MAX_BODY).await?;
        serde_json::from_slice(&bytes)
            .map(JsonBody)
            .map_err(|e| ApiError::BadRequest(e.to_string()))
    }
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/json"))
}

pub async fn read_limited(body: Body, limit: usize) -> Result<axum::body::Bytes, ApiError> {
    axum::body::to_bytes(body, limit).await.map_err(|e| {
        // http-body-util's LengthLimitError is the only error that says this.
        if e.to_string().contains("length limit exceeded") {
            ApiError::PayloadTooLarge
        } else {
            ApiError::BadRequest(e.to_string())
        }
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
    errors: &mut Vec<crate::error::FieldError>,
) -> Option<&'a str> {
    let value = body
        .get(field)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty());
    if value.is_none() {
        errors.push(crate::error::FieldError::new(
            field,
            "required",
            format!("{field} is required."),
        ));
    }
    value
}

/// `{"data": …, "meta": {}}`
pub fn data(value: Value) -> axum::Json<Value> {
    axum::Json(serde_json::json!({ "data": value, "meta": {} }))
}
