//! Tax on a checkout (issue 18, SPEC §12). A store without an active tax provider charges no
//! tax (the stand-in's manual tax). With one, a checkout that has a shipping address is
//! estimated by the provider (`POST {base}/estimate`, HTTP Basic with the store's
//! credentials, `X-BC-Store-Hash`); the answer is the checkout's tax and is in its grand total.
//! Placing the order asks afresh and then commits the quote (`POST {base}/commit`). A provider
//! that fails is a clear error that changes nothing (the cart, its consignments and its coupon
//! are kept; a retry asks again).

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use storefront_auth_core::tax::{self, QuoteRequest, TaxAddress, TaxDocument, TaxItem, TaxLine};
use storefront_auth_store::{ConsignmentAddress, Order, StoreError, TaxProviderRecord};

use super::carts::PricedCart;
use super::checkout_shipping::QuotedConsignment;
use super::provider_calls::{ask, ProviderCall};
use super::{geography, tax_providers, Domain};

#[derive(Debug, thiserror::Error)]
pub enum TaxError {
    #[error("Tax could not be calculated: the tax provider {provider} failed ({why}). Nothing was changed; try again.")]
    Provider { provider: String, why: String },
    #[error(
        "Tax could not be calculated: the store's tax provider credentials cannot be opened ({0})."
    )]
    Credentials(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A provider's estimate of a checkout's tax.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaxEstimate {
    pub provider_id: String,
    pub cents: i64,
    pub lines: Vec<TaxLine>,
}

/// What a checkout is taxed on: its priced lines, where they ship (and at what cost), what the
/// coupon takes off, and whose it is.
pub struct TaxedCheckout<'a> {
    pub store_hash: &'a str,
    pub priced: &'a PricedCart,
    pub quoted: &'a [QuotedConsignment],
    pub coupon_cents: i64,
    pub customer_group_id: Option<i64>,
}

/// The checkout's tax: `None` when the store has no active provider or the checkout has no
/// shipping address yet (the platform asks for no estimate before one is given).
pub async fn estimate(
    domain: &Domain,
    c: &TaxedCheckout<'_>,
) -> Result<Option<TaxEstimate>, TaxError> {
    if c.quoted.is_empty() {
        return Ok(None);
    }
    let Some(active) = active(domain, c.priced.cart.store_id).await? else {
        return Ok(None);
    };
    let request = quote_request(domain, c, c.priced.cart.id.clone());
    let quote = send(domain, &active, "estimate", (&request, c.store_hash), true).await?;
    Ok(Some(TaxEstimate {
        provider_id: active.0.id,
        cents: quote.tax_cents,
        lines: quote.lines,
    }))
}

/// Sends the placed order's quote to the provider that estimated it, and records whether it
/// was taken (the order stands either way: it is placed and waits for payment).
pub async fn commit(
    domain: &Domain,
    order: &Order,
    c: &TaxedCheckout<'_>,
) -> Result<(), StoreError> {
    let Some(provider_id) = order.tax_provider_id.as_deref() else {
        return Ok(());
    };
    let outcome = match active(domain, order.store_id).await {
        Ok(Some(active)) if active.0.id == provider_id => {
            let request = quote_request(domain, c, order.id.to_string());
            send(domain, &active, "commit", (&request, c.store_hash), false)
                .await
                .ok()
        }
        _ => None,
    };
    let status = if outcome.is_some() {
        "committed"
    } else {
        "failed"
    };
    domain.store().set_tax_commit(order.id, status).await
}

async fn send(
    domain: &Domain,
    (provider, username, password): &(TaxProviderRecord, String, String),
    operation: &str,
    (request, store_hash): (&QuoteRequest, &str),
    cached: bool,
) -> Result<tax::TaxQuote, TaxError> {
    let basic = STANDARD.encode(format!("{username}:{password}"));
    let call = ProviderCall {
        provider: &provider.id,
        url: format!("{}/{operation}", provider.base_url),
        headers: vec![
            ("authorization", format!("Basic {basic}")),
            ("x-bc-store-hash", store_hash.to_string()),
        ],
        body: tax::body(request).to_string().into_bytes(),
        deadline: None,
    };
    ask(domain, call, cached, |bytes| {
        tax::read_answer(request, bytes).map_err(|e| e.to_string())
    })
    .await
    .map_err(|f| TaxError::Provider {
        provider: provider.name.clone(),
        why: f.0,
    })
}

fn quote_request(domain: &Domain, c: &TaxedCheckout<'_>, id: String) -> QuoteRequest {
    let now = domain.now_for(c.priced.cart.store_id);
    let day = now - now.rem_euclid(86_400);
    QuoteRequest {
        id,
        currency_code: "USD".into(),
        customer_id: c.priced.cart.customer_id.unwrap_or(0),
        customer_group_id: c.customer_group_id.unwrap_or(0),
        transaction_date: rfc3339(day),
        documents: c.quoted.iter().map(|q| document(c, q)).collect(),
    }
}

fn document(c: &TaxedCheckout<'_>, q: &QuotedConsignment) -> TaxDocument {
    let goods = c.priced.total_cents.max(1);
    let items = c
        .priced
        .lines
        .iter()
        .filter(|l| q.line_item_ids.contains(&l.item.id))
        .map(|l| {
            let sale = l.extended_sale_cents();
            // The coupon comes off each line in proportion to its price.
            let share = (i128::from(c.coupon_cents) * i128::from(sale) / i128::from(goods)) as i64;
            TaxItem {
                id: l.item.id.clone(),
                item_code: l.sku.clone(),
                name: l.name.clone(),
                cents: (sale - share).max(0),
                quantity: l.item.quantity,
            }
        })
        .collect();
    TaxDocument {
        id: q.consignment.id.clone(),
        billing: TaxAddress {
            kind: "RESIDENTIAL",
            ..TaxAddress::default()
        },
        destination: tax_address(&q.consignment.address),
        // The stand-in keeps no address for a store: the origin names only its country.
        origin: TaxAddress {
            country_code: "US".into(),
            country_name: "United States".into(),
            kind: "COMMERCIAL",
            ..TaxAddress::default()
        },
        items,
        shipping_name: q
            .selected
            .as_ref()
            .map(|s| s.description.clone())
            .unwrap_or_default(),
        shipping_cents: q.selected.as_ref().map_or(0, |s| s.cost_cents),
    }
}

fn tax_address(a: &ConsignmentAddress) -> TaxAddress {
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let region = a
        .state_or_province
        .as_deref()
        .and_then(|s| geography::state(&a.country_code, s));
    TaxAddress {
        line1: text(&a.address1),
        line2: text(&a.address2),
        city: text(&a.city),
        region_name: region
            .map_or_else(|| text(&a.state_or_province), |(name, _)| name.to_string()),
        region_code: region.map(|(_, code)| code.to_string()).unwrap_or_default(),
        country_name: geography::country_name(&a.country_code)
            .unwrap_or_default()
            .to_string(),
        country_code: a.country_code.clone(),
        postal_code: text(&a.postal_code),
        company_name: text(&a.company),
        kind: "RESIDENTIAL",
    }
}

fn rfc3339(unix: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

/// The store's active provider with its opened credentials: (provider, username, password).
async fn active(
    domain: &Domain,
    store_id: i64,
) -> Result<Option<(TaxProviderRecord, String, String)>, TaxError> {
    let Some((connection, provider)) = domain.store().active_tax_connection(store_id).await? else {
        return Ok(None);
    };
    let password = domain
        .unseal(
            &tax_providers::seal_name(store_id, &provider.id),
            &connection.password,
        )
        .map_err(|e| TaxError::Credentials(e.to_string()))?;
    Ok(Some((provider, connection.username, password)))
}
