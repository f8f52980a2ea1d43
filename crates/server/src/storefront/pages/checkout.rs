//! The hosted checkout (issue 18 §2, SPEC §12): `/cart.php?action=loadInCheckout` opens a
//! checkout link, `/checkout?id=…` is the checkout page (its script uses the REST Storefront
//! API and `POST /checkout/payment`), `/checkout/order-confirmation?id=…` shows the order.
//! These are navigations, often from another site (the headless storefront): they are not
//! refused as cross-origin; what they change is done by the same-origin APIs.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use storefront_auth_core::money;
use storefront_auth_store::Order;

use super::html::{esc, page, CHECKOUT_SCRIPT};
use super::{unavailable, PageContext};
use crate::service::carts::{self, CartError};
use crate::service::checkout_links::{self, LinkError};
use crate::service::{checkout, customers, orders};
use crate::storefront::hosted_checkout::confirmation_path;
use crate::storefront::{shopper, Storefronts};

/// A page that says what went wrong and where to go from here.
fn problem(ctx: &PageContext, status: StatusCode, message: &str, link: (&str, &str)) -> Response {
    let main = format!(
        r#"<h1>Checkout</h1><p id="checkout-problem" role="alert">{}</p><p><a href="{}">{}</a></p>"#,
        esc(message),
        link.0,
        esc(link.1)
    );
    let mut r = page(ctx, "Checkout", &main, "");
    *r.status_mut() = status;
    r
}

fn see_other(location: String, cookie: Option<String>) -> Response {
    let mut r = (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response();
    if let Some(c) = cookie.and_then(|c| HeaderValue::from_str(&c).ok()) {
        r.headers_mut().insert(header::SET_COOKIE, c);
    }
    r
}

/// `/cart.php?action=loadInCheckout&id=…&token=…[&embedded=1]`: uses the link up and lands on
/// the checkout, with a session cookie when the link carries a sign-in.
pub async fn load_in_checkout(
    s: &Storefronts,
    ctx: &PageContext,
    q: &HashMap<String, String>,
) -> Response {
    let (store, channel) = (&ctx.storefront.entry.store, &ctx.storefront.channel);
    let id = q.get("id").map(String::as_str).unwrap_or("");
    let token = q.get("token").map(String::as_str).unwrap_or("");
    let opened = checkout_links::open(&s.domain, store.id, channel.channel_id, id, token).await;
    let sign_in = match opened {
        Ok(sign_in) => sign_in,
        Err(LinkError::Store(e)) => {
            tracing::error!(error = %e, "checkout link");
            return unavailable();
        }
        Err(e @ LinkError::SignInEnded) => {
            return problem(
                ctx,
                StatusCode::FORBIDDEN,
                &e.to_string(),
                ("/login.php", "Sign in"),
            )
        }
        Err(e @ LinkError::Invalid) => {
            return problem(
                ctx,
                StatusCode::BAD_REQUEST,
                &e.to_string(),
                ("/", "Return to the store"),
            )
        }
    };
    let cookie = sign_in.map(|si| {
        s.cookies.session(
            si.value.expose(),
            si.expires_at - s.domain.now_for(store.id),
        )
    });
    // The id matched a stored cart's: it is safe in a URL as it is.
    let embedded = if q.get("embedded").is_some_and(|e| e == "1") {
        "&embedded=1"
    } else {
        ""
    };
    see_other(format!("/checkout?id={id}{embedded}"), cookie)
}

/// `/checkout?id=…`: the checkout of a cart the shopper may use.
pub async fn checkout_page(
    State(s): State<Storefronts>,
    ctx: PageContext,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let Some(id) = q.get("id").filter(|id| !id.is_empty() && id.len() <= 64) else {
        return see_other("/cart.php".into(), None);
    };
    let who = match shopper(&s.domain, &ctx.storefront, ctx.customer.as_ref(), &headers).await {
        Ok(who) => who,
        Err(_) => return unavailable(),
    };
    let gone = |ctx: &PageContext| {
        let message = "There is no checkout here: the cart is not yours, or no longer exists.";
        problem(
            ctx,
            StatusCode::NOT_FOUND,
            message,
            ("/", "Return to the store"),
        )
    };
    let cart = match carts::find(&s.domain, &who, id).await {
        Ok(cart) => cart,
        Err(CartError::Store(_)) => return unavailable(),
        Err(_) => return gone(&ctx),
    };
    match checkout::order_of(&s.domain, &cart.id, who.customer_id).await {
        Ok(Some(o)) if o.status != "INCOMPLETE" => {
            return see_other(confirmation_path(&cart.id), None)
        }
        Ok(_) => {}
        Err(_) => return unavailable(),
    }
    let c = ctx.customer.as_ref();
    let field = |f: fn(&storefront_auth_store::Customer) -> &str| esc(c.map(f).unwrap_or(""));
    let main = format!(
        include_str!("checkout.html"),
        id = esc(&cart.id),
        email = field(|c| &c.email),
        first = field(|c| &c.first_name),
        last = field(|c| &c.last_name),
    );
    let mut r = page(&ctx, "Checkout", &main, CHECKOUT_SCRIPT);
    if q.get("embedded").is_some_and(|e| e == "1") {
        embeddable(&mut r, ctx.storefront.channel.origin.as_deref());
    }
    r
}

/// An embedded checkout may be framed by the channel's site, and by nothing else.
fn embeddable(r: &mut Response, site: Option<&str>) {
    let ancestors = site.unwrap_or("'none'");
    let csp = format!("default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; form-action 'self'; frame-ancestors {ancestors}");
    if let Ok(v) = HeaderValue::from_str(&csp) {
        r.headers_mut().insert("content-security-policy", v);
    }
}

/// `/checkout/order-confirmation?id=…`: the order placed from checkout `id`, to the shopper
/// who may see it.
pub async fn confirmation_page(
    State(s): State<Storefronts>,
    ctx: PageContext,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let id = q.get("id").map(String::as_str).unwrap_or("");
    let customer_id = ctx.customer.as_ref().map(|c| c.id);
    let store_id = ctx.storefront.entry.store.id;
    let order = match checkout::order_of(&s.domain, id, customer_id).await {
        Ok(o) => o.filter(|o| o.store_id == store_id),
        Err(_) => return unavailable(),
    };
    let Some(order) = order else {
        let message = "There is no order to show here.";
        return problem(
            &ctx,
            StatusCode::NOT_FOUND,
            message,
            ("/", "Return to the store"),
        );
    };
    if order.status == "INCOMPLETE" {
        return see_other(format!("/checkout?id={}", order.cart_id), None);
    }
    match customers::order_lines(&s.domain, order.id).await {
        Ok(lines) => page(
            &ctx,
            "Order confirmation",
            &confirmation_html(&order, &lines),
            "",
        ),
        Err(_) => unavailable(),
    }
}

fn confirmation_html(order: &Order, lines: &[storefront_auth_store::PlacedLine]) -> String {
    let items: String = lines
        .iter()
        .map(|l| {
            let cents = l.unit_cents.saturating_mul(l.quantity);
            format!(
                "<li>{} × {} — {}</li>",
                l.quantity,
                esc(&l.name),
                money::format(cents)
            )
        })
        .collect();
    format!(
        r#"<h1>Thank you for your order</h1>
<p>Your order number is <strong id="order-id">{id}</strong>. Status: <span id="order-status">{status}</span>.</p>
<ul id="order-lines">{items}</ul>
<dl><dt>Shipping</dt><dd id="order-shipping">{shipping}</dd><dt>Tax</dt><dd id="order-tax">{tax}</dd><dt>Total</dt><dd id="order-total">{total}</dd></dl>
<p><a href="/">Continue shopping</a></p>"#,
        id = order.id,
        status = esc(&orders::status_label(&order.status)),
        shipping = money::format(order.shipping_cents),
        tax = money::format(order.tax_cents),
        total = money::format(order.total_cents),
    )
}
