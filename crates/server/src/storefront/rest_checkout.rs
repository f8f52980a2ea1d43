//! The REST Storefront API's checkouts and orders (issue 18 §3): `GET
//! /api/storefront/checkouts/{id}`, `POST …/billing-address` and `PUT …/billing-address/{id}`,
//! `POST …/consignments` and `PUT …/consignments/{id}` (an address and lines, or
//! `{shippingOptionId}`), and `GET /api/storefront/orders/{id}`. Same
//! rules as the carts: the session cookie only, same-origin only. The rules are the domain's
//! (`checkout_view`, `checkout_shipping`, `orders`); this file only translates.

use axum::extract::{FromRef, Path, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::Router;
use serde_json::{json, Value};
use storefront_auth_core::clock::format_rfc3339;
use storefront_auth_core::money::decimal as money;
use storefront_auth_core::shipping::Quote;
use storefront_auth_store::{ConsignmentAddress, Order, OrderAddress, PlacedLine};

use super::rest::{answer, cart_json, error, session, Answer, Host, Session};
use super::Storefronts;
use crate::http::body::{read_limited, MAX_BODY};
use crate::http::error::ApiError;
use crate::http::storefront_host::StorefrontHost;
use crate::service::carts::find;
use crate::service::checkout_billing;
use crate::service::checkout_change::CheckoutChangeError;
use crate::service::checkout_shipping::{self, ConsignmentRequest, QuotedConsignment};
use crate::service::checkout_view::{self, CheckoutView};
use crate::service::directory::Storefront;
use crate::service::{customers, orders, Domain};

pub fn router<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Storefronts: FromRef<S>,
    Domain: FromRef<S>,
{
    Router::new()
        .route("/api/storefront/checkouts/{id}", get(read))
        .route("/api/storefront/checkouts/{id}/billing-address", post(bill))
        .route(
            "/api/storefront/checkouts/{id}/billing-address/{address}",
            put(rebill),
        )
        .route("/api/storefront/checkouts/{id}/consignments", post(add))
        .route(
            "/api/storefront/checkouts/{id}/consignments/{consignment}",
            put(change),
        )
        .route("/api/storefront/orders/{id}", get(order))
}

fn change_error(e: CheckoutChangeError) -> Response {
    match e {
        CheckoutChangeError::Cart(e) => error(e),
        CheckoutChangeError::Store(e) => ApiError::from(e).into_response(),
        other => {
            ApiError::Refused(StatusCode::UNPROCESSABLE_ENTITY, other.to_string()).into_response()
        }
    }
}

fn option_json(q: &Quote) -> Value {
    json!({ "id": q.option_id, "type": q.option_type, "description": q.description,
        "cost": money(q.cost_cents), "isRecommended": q.recommended, "imageUrl": "", "transitTime": "" })
}

fn address_json(a: &ConsignmentAddress) -> Value {
    json!({ "firstName": a.first_name, "lastName": a.last_name, "email": a.email, "company": a.company,
        "address1": a.address1, "address2": a.address2, "city": a.city, "stateOrProvince": a.state_or_province,
        "countryCode": a.country_code, "postalCode": a.postal_code, "phone": a.phone })
}

fn consignment_json(q: &QuotedConsignment) -> Value {
    json!({
        "id": q.consignment.id,
        "shippingAddress": address_json(&q.consignment.address),
        "lineItemIds": q.line_item_ids,
        // Null when a carrier could not quote (the checkout's `errors` say why).
        "availableShippingOptions": q.unavailable.is_none().then(|| q.options.iter().map(option_json).collect::<Vec<_>>()),
        "selectedShippingOption": q.selected.as_ref().map(option_json),
        "shippingCost": money(q.selected.as_ref().map_or(0, |s| s.cost_cents)),
        "handlingCost": 0,
    })
}

/// The checkout in the platform's REST shape. Amounts a failing provider leaves unknown are
/// null, and `errors` says why (the rest of the checkout still reads).
fn checkout_json(v: &CheckoutView) -> Value {
    let mut problems: Vec<String> = v
        .quoted
        .iter()
        .filter_map(|q| q.unavailable.clone())
        .collect();
    let grand = v.grand_total();
    if let Err(more) = &grand {
        problems.extend(
            more.iter()
                .filter(|m| !problems.contains(m))
                .cloned()
                .collect::<Vec<_>>(),
        );
    }
    let tax = v.tax.as_ref().ok();
    json!({
        "id": v.priced.cart.id,
        "cart": cart_json(&v.priced),
        // The billing address's id is the checkout's (a checkout has one).
        "billingAddress": v.billing.as_ref().map(|b| {
            let mut a = address_json(b);
            a["id"] = json!(v.priced.cart.id);
            a
        }),
        "consignments": v.quoted.iter().map(consignment_json).collect::<Vec<_>>(),
        "coupons": v.coupon.iter().map(|c| json!({ "code": c.coupon.code, "discountedAmount": money(c.cents) })).collect::<Vec<_>>(),
        "taxes": tax.map(|t| t.iter().flat_map(|e| e.lines.iter()).map(|l| json!({ "name": l.name, "amount": money(l.cents) })).collect::<Vec<_>>()),
        "taxTotal": tax.map(|t| money(t.as_ref().map_or(0, |e| e.cents))),
        "shippingCostTotal": v.shipping.as_ref().ok().map(|s| money(s.unwrap_or(0))),
        "handlingCostTotal": 0,
        "subtotal": money(v.priced.total_cents),
        "grandTotal": grand.as_ref().ok().map(|g| money(*g)),
        "isStoreCreditApplied": false,
        "orderId": v.order_id,
        "version": v.priced.cart.version,
        "createdTime": format_rfc3339(v.priced.cart.created_at),
        "updatedTime": format_rfc3339(v.priced.cart.updated_at),
        "errors": problems,
    })
}

async fn respond(sf: &Storefronts, at: &Storefront, s: &Session, id: &str) -> Answer {
    let group = match s.who.customer_id {
        Some(c) => customers::find(&sf.domain, s.who.store_id, c)
            .await
            .map_err(|e| ApiError::from(e).into_response())?
            .and_then(|c| c.group_id),
        None => None,
    };
    let view = checkout_view::view(&sf.domain, &s.who, &at.entry.store.hash, id, group)
        .await
        .map_err(error)?;
    Ok(axum::Json(checkout_json(&view)).into_response())
}

async fn read(
    State(sf): State<Storefronts>,
    StorefrontHost(at, _): Host,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    answer(
        async {
            let s = session(&sf.domain, &at, &headers).await?;
            respond(&sf, &at, &s, &id).await
        }
        .await,
    )
}

async fn body_of(req: Request) -> Result<Value, Response> {
    let bytes = read_limited(req.into_body(), MAX_BODY)
        .await
        .map_err(IntoResponse::into_response)?;
    serde_json::from_slice(&bytes).map_err(|e| ApiError::BadRequest(e.to_string()).into_response())
}

fn unprocessable(message: &str) -> Response {
    ApiError::Refused(StatusCode::UNPROCESSABLE_ENTITY, message.into()).into_response()
}

/// An address of a request body (`stateOrProvinceCode` when `stateOrProvince` is absent).
fn address_of(a: &Value) -> Option<ConsignmentAddress> {
    let text = |k: &str| a[k].as_str().map(str::to_string);
    Some(ConsignmentAddress {
        first_name: text("firstName"),
        last_name: text("lastName"),
        email: text("email"),
        company: text("company"),
        address1: text("address1"),
        address2: text("address2"),
        city: text("city"),
        state_or_province: text("stateOrProvince").or_else(|| text("stateOrProvinceCode")),
        postal_code: text("postalCode"),
        country_code: text("countryCode")?,
        phone: text("phone"),
    })
}

/// A consignment of a request body: `address` (or `shippingAddress`) and `lineItems` of
/// `{itemId, quantity}`.
fn consignment_request(v: &Value) -> Option<ConsignmentRequest> {
    let a = if v["address"].is_object() {
        &v["address"]
    } else {
        &v["shippingAddress"]
    };
    let lines = v["lineItems"]
        .as_array()?
        .iter()
        .map(|l| Some((l["itemId"].as_str()?.to_string(), l["quantity"].as_i64()?)))
        .collect::<Option<Vec<_>>>()?;
    Some(ConsignmentRequest {
        address: address_of(a)?,
        lines,
    })
}

const CONSIGNMENTS_SHAPE: &str =
    "The body must be a list of {address: {countryCode, …}, lineItems: [{itemId, quantity}]}.";

async fn bill(
    State(sf): State<Storefronts>,
    StorefrontHost(at, _): Host,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    answer(set_billing(&sf, &at, &id, req).await)
}

/// `PUT …/billing-address/{address}`: the address id is the checkout's.
async fn rebill(
    State(sf): State<Storefronts>,
    StorefrontHost(at, _): Host,
    Path((id, address)): Path<(String, String)>,
    req: Request,
) -> Response {
    if address != id {
        return ApiError::NotFound.into_response();
    }
    answer(set_billing(&sf, &at, &id, req).await)
}

async fn set_billing(sf: &Storefronts, at: &Storefront, id: &str, req: Request) -> Answer {
    let s = session(&sf.domain, at, req.headers()).await?;
    let body = body_of(req).await?;
    let address = address_of(&body)
        .ok_or_else(|| unprocessable("The body must be an address with at least a countryCode."))?;
    checkout_billing::set(&sf.domain, &s.who, id, None, address)
        .await
        .map_err(change_error)?;
    respond(sf, at, &s, id).await
}

async fn add(
    State(sf): State<Storefronts>,
    StorefrontHost(at, _): Host,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    answer(
        async {
            let s = session(&sf.domain, &at, req.headers()).await?;
            let body = body_of(req).await?;
            let requests = body
                .as_array()
                .and_then(|all| {
                    all.iter()
                        .map(consignment_request)
                        .collect::<Option<Vec<_>>>()
                })
                .ok_or_else(|| unprocessable(CONSIGNMENTS_SHAPE))?;
            checkout_shipping::add(&sf.domain, &s.who, &id, None, requests)
                .await
                .map_err(change_error)?;
            respond(&sf, &at, &s, &id).await
        }
        .await,
    )
}

async fn change(
    State(sf): State<Storefronts>,
    StorefrontHost(at, _): Host,
    Path((id, consignment)): Path<(String, String)>,
    req: Request,
) -> Response {
    answer(
        async {
            let s = session(&sf.domain, &at, req.headers()).await?;
            let body = body_of(req).await?;
            let changed = match body["shippingOptionId"].as_str() {
                Some(option) => {
                    checkout_shipping::select(&sf.domain, &s.who, &id, &consignment, None, option)
                        .await
                }
                None => {
                    let request = consignment_request(&body)
                        .ok_or_else(|| unprocessable(CONSIGNMENTS_SHAPE))?;
                    checkout_shipping::update(&sf.domain, &s.who, &id, &consignment, None, request)
                        .await
                }
            };
            changed.map_err(change_error)?;
            respond(&sf, &at, &s, &id).await
        }
        .await,
    )
}

async fn order(
    State(sf): State<Storefronts>,
    StorefrontHost(at, _): Host,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    answer(read_order(&sf, &at, &id, &headers).await)
}

/// An order of the session: a signed-in customer's own, or a guest order whose cart the
/// session holds. Any other id is not found.
async fn read_order(sf: &Storefronts, at: &Storefront, id: &str, headers: &HeaderMap) -> Answer {
    let s = session(&sf.domain, at, headers).await?;
    let not_found = || ApiError::NotFound.into_response();
    let failed = |e: storefront_auth_store::StoreError| ApiError::from(e).into_response();
    let order_id: i64 = id.parse().map_err(|_| not_found())?;
    let (store_id, customer_id) = (s.who.store_id, s.who.customer_id);
    let own = orders::visible_order(&sf.domain, store_id, order_id, None, customer_id)
        .await
        .map_err(failed)?;
    let order = match own {
        Some(o) => o,
        None => {
            let guest = orders::order_in_store(&sf.domain, store_id, order_id)
                .await
                .map_err(failed)?
                .filter(|o| o.customer_id.is_none())
                .ok_or_else(not_found)?;
            find(&sf.domain, &s.who, &guest.cart_id)
                .await
                .map_err(|_| not_found())?;
            guest
        }
    };
    let lines = customers::order_lines(&sf.domain, order.id)
        .await
        .map_err(failed)?;
    let kept = orders::addresses(&sf.domain, order.id)
        .await
        .map_err(failed)?;
    Ok(axum::Json(order_json(&order, &lines, kept.billing.as_ref())).into_response())
}

/// An order in the platform's REST Storefront shape.
fn order_json(order: &Order, lines: &[PlacedLine], billing: Option<&OrderAddress>) -> Value {
    // Goods at the shopper's prices, before the coupon.
    let goods = order.total_cents - order.shipping_cents - order.tax_cents + order.coupon_cents;
    let line_json = |l: &PlacedLine| {
        json!({ "productId": l.product_id, "name": l.name, "quantity": l.quantity,
            "listPrice": money(l.list_cents), "salePrice": money(l.unit_cents),
            "extendedSalePrice": money(l.unit_cents.saturating_mul(l.quantity)) })
    };
    let billing = billing.map(|b| {
        let a = &b.address;
        json!({ "firstName": a.first_name, "lastName": a.last_name, "email": b.email,
            "company": a.company, "address1": a.address1, "address2": a.address2, "city": a.city,
            "stateOrProvince": a.state_or_province, "countryCode": a.country_code,
            "postalCode": a.postal_code, "phone": a.phone })
    });
    let coupons: Vec<Value> = order
        .coupon_code
        .iter()
        .map(|c| json!({ "code": c, "discountedAmount": money(order.coupon_cents) }))
        .collect();
    json!({
        "orderId": order.id,
        "cartId": order.cart_id,
        "status": order.status,
        "customerId": order.customer_id.unwrap_or(0),
        "currency": { "code": storefront_auth_core::money::CURRENCY },
        "isTaxIncluded": false,
        "baseAmount": money(order.base_cents),
        "discountAmount": money(order.base_cents - goods + order.coupon_cents),
        "coupons": coupons,
        "shippingCostTotal": money(order.shipping_cents),
        "taxTotal": money(order.tax_cents),
        "orderAmount": money(order.total_cents),
        "billingAddress": billing,
        "lineItems": { "physicalItems": lines.iter().map(line_json).collect::<Vec<_>>(),
            "digitalItems": [], "giftCertificates": [] },
        "createdTime": format_rfc3339(order.created_at),
    })
}
