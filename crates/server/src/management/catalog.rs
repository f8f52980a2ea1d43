//! `GET|POST v3/catalog/products` (SPEC §3.2), scope `store_v2_products`.

use axum::extract::{Query, State};
use axum::Extension;
use serde_json::{json, Value};
use storefront_auth_store::{NewProduct, Product};

use super::{data, Caller, JsonBody, Management, Page};
use crate::http::error::{ApiError, FieldError};
use crate::service::catalog::{self, ProductError};

const SCOPE: &str = "store_v2_products";

fn product_json(p: &Product) -> Value {
    json!({ "id": p.id, "name": p.name, "sku": p.sku, "price": storefront_auth_core::money::decimal(p.price_cents), "type": "physical" })
}

pub async fn list(
    State(m): State<Management>,
    Extension(caller): Extension<Caller>,
    Query(p): Query<Page>,
) -> Result<axum::Json<Value>, ApiError> {
    caller.require(SCOPE)?;
    let limit = p.limit();
    let after = p.after.unwrap_or(0);
    let rows = catalog::page(&m.domain, caller.store.id, after, i64::MAX, limit, false).await?;
    Ok(data(Value::Array(rows.iter().map(product_json).collect())))
}

pub async fn create(
    State(m): State<Management>,
    Extension(caller): Extension<Caller>,
    JsonBody(body): JsonBody,
) -> Result<axum::Json<Value>, ApiError> {
    caller.require(SCOPE)?;
    let mut errors = Vec::new();
    let name = super::required_text(&body, "name", &mut errors);
    let sku = match body.get("sku") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Some(_) => {
            errors.push(FieldError::new(
                "sku",
                "invalid_type",
                "sku must be a non-empty string.",
            ));
            None
        }
    };
    let price = body
        .get("price")
        .and_then(Value::as_f64)
        .and_then(storefront_auth_core::money::price_cents);
    if price.is_none() {
        errors.push(FieldError::new(
            "price",
            "required",
            "price is required: a number from 0 to 99999999.99.",
        ));
    }
    let (Some(name), Some(price), true) = (name, price, errors.is_empty()) else {
        return Err(ApiError::Invalid(errors));
    };
    let sku = sku.unwrap_or_else(|| format!("SKU-{}", uuid::Uuid::new_v4().simple()));
    let new = NewProduct {
        store_id: caller.store.id,
        name,
        sku: &sku,
        price_cents: price,
    };
    match catalog::create(&m.domain, new).await {
        Ok(p) => Ok(data(product_json(&p))),
        Err(ProductError::SkuInUse) => Err(ApiError::Invalid(vec![FieldError::new(
            "sku",
            "already_in_use",
            "A product with this sku already exists.",
        )])),
        Err(ProductError::Store(e)) => Err(e.into()),
    }
}
