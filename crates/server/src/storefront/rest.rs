//! The REST Storefront API (SPEC §8): `/api/storefront/carts…`, authenticated by the shopper's
//! session cookie only (no token, no scopes) and same-origin only: a cross-origin request gets
//! 403 and no CORS headers. A guest without a session gets one (`SHOP_SESSION_TOKEN`) when it
//! first creates a cart; a signed-in customer's carts are theirs.

use axum::extract::{FromRef, Path, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde_json::{json, Value};
use storefront_auth_core::clock::format_rfc3339;
use storefront_auth_core::{secret, Secret};

use super::same_origin::is_same_origin;
use super::Storefronts;
use crate::http::body::{read_limited, MAX_BODY};
use crate::http::error::ApiError;
use crate::http::storefront_host::{HostRejection, StorefrontHost};
use crate::service::cart_lines;
use crate::service::cart_options::ChosenOption;
use crate::service::carts::{self, CartError, Line, PricedCart, Shopper};
use crate::service::directory::{HostError, Storefront};
use crate::service::Domain;

pub fn router<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Storefronts: FromRef<S>,
    Domain: FromRef<S>,
{
    Router::new()
        .route("/api/storefront/carts", get(list).post(create))
        .route("/api/storefront/carts/{id}", get(read).delete(delete))
        .route("/api/storefront/carts/{id}/items", post(add_items))
}

/// The shopper of a REST Storefront request, after the same-origin check.
pub(super) struct Session {
    pub(super) who: Shopper,
    /// A new guest session cookie to set (only when a cart is created).
    guest_value: Option<String>,
}

/// A host that is no storefront, in the REST envelope.
pub struct RestHost;

impl HostRejection for RestHost {
    fn reject(e: HostError) -> Response {
        match e {
            HostError::Unavailable => {
                ApiError::Unavailable("store directory".into()).into_response()
            }
            _ => ApiError::NotFound.into_response(),
        }
    }
}

pub(super) type Host = StorefrontHost<RestHost>;

pub(super) async fn session(
    domain: &Domain,
    at: &Storefront,
    headers: &HeaderMap,
) -> Result<Session, Response> {
    if !is_same_origin(headers, &at.channel) {
        return Err(ApiError::Refused(
            StatusCode::FORBIDDEN,
            "Cross-origin requests are not allowed on the REST Storefront API; use the GraphQL Storefront API with a token.".into(),
        )
        .into_response());
    }
    let ctx = super::signed_in(domain, headers, at)
        .await
        .map_err(|_| ApiError::Unavailable("customer context".into()).into_response())?;
    let who = super::shopper(domain, at, ctx.customer.as_ref(), headers)
        .await
        .map_err(|e| ApiError::from(e).into_response())?;
    Ok(Session {
        who,
        guest_value: None,
    })
}

pub(super) fn error(e: CartError) -> Response {
    match e {
        CartError::NotFound | CartError::NoSuchItem => ApiError::NotFound.into_response(),
        CartError::Store(s) => ApiError::from(s).into_response(),
        other => {
            ApiError::Refused(StatusCode::UNPROCESSABLE_ENTITY, other.to_string()).into_response()
        }
    }
}

pub(super) fn cart_json(p: &PricedCart) -> Value {
    let money = storefront_auth_core::money::decimal;
    let items: Vec<Value> = p
        .lines
        .iter()
        .map(|l| {
            json!({
                "id": l.item.id, "productId": l.item.product_id, "variantId": l.item.variant_id,
                "name": l.name, "sku": l.sku, "quantity": l.item.quantity,
                "listPrice": money(l.list_cents), "salePrice": money(l.sale_cents),
                "extendedSalePrice": money(l.extended_sale_cents()),
                "optionSelections": option_selections_json(&l.item.selected_options),
            })
        })
        .collect();
    json!({
        "id": p.cart.id,
        "customerId": p.cart.customer_id.unwrap_or(0),
        "channelId": p.cart.channel_id,
        "currency": { "code": storefront_auth_core::money::CURRENCY },
        "isTaxIncluded": false,
        "baseAmount": money(p.base_cents),
        "discountAmount": money(p.base_cents - p.total_cents),
        "cartAmount": money(p.total_cents),
        "lineItems": { "physicalItems": items, "digitalItems": [], "giftCertificates": [], "customItems": [] },
        "createdTime": format_rfc3339(p.cart.created_at),
        "updatedTime": format_rfc3339(p.cart.updated_at),
    })
}

async fn respond(sf: &Storefronts, s: &Session, cart: storefront_auth_store::Cart) -> Response {
    let priced = match carts::priced(&sf.domain, cart, s.who.discount_bp).await {
        Ok(p) => p,
        Err(e) => return error(e),
    };
    let mut response = axum::Json(cart_json(&priced)).into_response();
    if let Some(value) = &s.guest_value {
        if let Ok(v) = sf.cookies.guest_session(value).parse() {
            response.headers_mut().insert(header::SET_COOKIE, v);
        }
    }
    response
}

async fn lines_of(req: Request) -> Result<Vec<Line>, Response> {
    let bytes = read_limited(req.into_body(), MAX_BODY)
        .await
        .map_err(IntoResponse::into_response)?;
    let body: Value = serde_json::from_slice(&bytes)
        .map_err(|e| ApiError::BadRequest(e.to_string()).into_response())?;
    let parsed: Option<Vec<Line>> = body["lineItems"].as_array().and_then(|items| {
        items
            .iter()
            .map(|i| {
                Some(Line {
                    product_id: i["productId"].as_i64()?,
                    variant_id: i["variantId"].as_i64(),
                    quantity: i["quantity"].as_i64()?,
                    options: option_selections(&i["optionSelections"])?,
                })
            })
            .collect()
    });
    parsed.ok_or_else(|| {
        ApiError::Refused(
            StatusCode::UNPROCESSABLE_ENTITY,
            "lineItems must be a list of {productId, quantity, variantId?, optionSelections?}."
                .into(),
        )
        .into_response()
    })
}

/// A handler's outcome: the response, or the error response that ended it early.
pub(super) type Answer = Result<Response, Response>;

pub(super) fn answer(a: Answer) -> Response {
    a.unwrap_or_else(|r| r)
}

async fn list(
    State(sf): State<Storefronts>,
    StorefrontHost(at, _): Host,
    headers: HeaderMap,
) -> Response {
    answer(list_carts(&sf, &at, &headers).await)
}

async fn list_carts(sf: &Storefronts, at: &Storefront, headers: &HeaderMap) -> Answer {
    let s = session(&sf.domain, at, headers).await?;
    let found = carts::of_shopper(&sf.domain, &s.who).await.map_err(error)?;
    let mut out = Vec::new();
    for cart in found {
        let priced = carts::priced(&sf.domain, cart, s.who.discount_bp)
            .await
            .map_err(error)?;
        out.push(cart_json(&priced));
    }
    Ok(axum::Json(Value::Array(out)).into_response())
}

async fn create(
    State(sf): State<Storefronts>,
    StorefrontHost(at, _): Host,
    req: Request,
) -> Response {
    answer(create_cart(&sf, &at, req).await)
}

async fn create_cart(sf: &Storefronts, at: &Storefront, req: Request) -> Answer {
    let mut s = session(&sf.domain, at, req.headers()).await?;
    let lines = lines_of(req).await?;
    if s.who.customer_id.is_none() && s.who.session_digest.is_none() {
        let value = secret::random_hex(32);
        s.who.session_digest = Some(Secret::new(value.clone()).digest());
        s.guest_value = Some(value);
    }
    let cart = carts::create(&sf.domain, &s.who, &lines)
        .await
        .map_err(error)?;
    Ok(respond(sf, &s, cart).await)
}

async fn read(
    State(sf): State<Storefronts>,
    StorefrontHost(at, _): Host,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    answer(read_cart(&sf, &at, &id, &headers).await)
}

async fn read_cart(sf: &Storefronts, at: &Storefront, id: &str, headers: &HeaderMap) -> Answer {
    let s = session(&sf.domain, at, headers).await?;
    let cart = carts::find(&sf.domain, &s.who, id).await.map_err(error)?;
    Ok(respond(sf, &s, cart).await)
}

async fn add_items(
    State(sf): State<Storefronts>,
    StorefrontHost(at, _): Host,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    answer(add_to_cart(&sf, &at, &id, req).await)
}

async fn add_to_cart(sf: &Storefronts, at: &Storefront, id: &str, req: Request) -> Answer {
    let s = session(&sf.domain, at, req.headers()).await?;
    let lines = lines_of(req).await?;
    let cart = cart_lines::add(&sf.domain, &s.who, id, &lines)
        .await
        .map_err(error)?;
    Ok(respond(sf, &s, cart).await)
}

async fn delete(
    State(sf): State<Storefronts>,
    StorefrontHost(at, _): Host,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    answer(delete_cart(&sf, &at, &id, &headers).await)
}

async fn delete_cart(sf: &Storefronts, at: &Storefront, id: &str, headers: &HeaderMap) -> Answer {
    let s = session(&sf.domain, at, headers).await?;
    carts::delete(&sf.domain, &s.who, id).await.map_err(error)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// A stored line's choices in the shape they were sent in.
fn option_selections_json(stored: &str) -> Vec<Value> {
    crate::service::cart_options::decode(stored)
        .into_iter()
        .map(|c| {
            let value = match (c.value, c.text, c.number, c.date) {
                (Some(v), ..) => json!(v),
                (None, Some(t), ..) => json!(t),
                (None, None, Some(n), _) => json!(n),
                (None, None, None, d) => json!(d),
            };
            json!({ "optionId": c.option, "optionValue": value })
        })
        .collect()
}

/// A line's `optionSelections` (`[{"optionId", "optionValue"}]`): a number names a value (a
/// checkbox's is its option's id, or its negation), text is typed text. Absent: none.
fn option_selections(v: &Value) -> Option<Vec<ChosenOption>> {
    let Some(list) = v.as_array() else {
        return v.is_null().then(Vec::new);
    };
    list.iter()
        .map(|s| {
            let option = s["optionId"].as_i64()?;
            let (value, text) = match &s["optionValue"] {
                Value::Number(n) => (Some(n.as_i64()?), None),
                Value::String(t) => (None, Some(t.clone())),
                _ => return None,
            };
            Some(ChosenOption {
                option,
                value,
                text,
                number: None,
                date: None,
            })
        })
        .collect()
}
