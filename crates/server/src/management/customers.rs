//! `GET|POST v3/customers` (SPEC §3.2), scope `store_v2_customers`. Passwords are hashed with
//! Argon2id off the async threads and never echoed.

use axum::extract::{Query, State};
use axum::Extension;
use serde_json::{json, Value};
use storefront_auth_store::{Customer, NewCustomer};

use super::{Caller, JsonBody, Page};
use crate::error::{ApiError, FieldError};
use crate::state::SharedState;

const SCOPE: &str = "store_v2_customers";

fn customer_json(c: &Customer) -> Value {
    json!({
        "id": c.id, "email": c.email, "first_name": c.first_name, "last_name": c.last_name,
        "phone": c.phone, "customer_group_id": c.group_id.unwrap_or(0), "date_created": c.created_at,
    })
}

pub async fn list(
    State(state): State<SharedState>,
    Extension(caller): Extension<Caller>,
    Query(p): Query<Page>,
) -> Result<axum::Json<Value>, ApiError> {
    caller.require(SCOPE)?;
    let limit = p.limit();
    let rows = state
        .store
        .customers(caller.store.id, limit, p.after.unwrap_or(0))
        .await?;
    Ok(axum::Json(json!({
        "data": rows.iter().map(customer_json).collect::<Vec<_>>(),
        "meta": { "pagination": { "count": rows.len(), "next_after": (rows.len() as i64 == limit).then(|| rows.last().map(|c| c.id)).flatten() } },
    })))
}

struct Valid {
    email: String,
    first_name: String,
    last_name: String,
    phone: String,
    group_id: Option<i64>,
    password: String,
}

/// Creates every customer of the array, or none: all items are validated (including email
/// uniqueness) before the first is written.
pub async fn create(
    State(state): State<SharedState>,
    Extension(caller): Extension<Caller>,
    JsonBody(body): JsonBody,
) -> Result<axum::Json<Value>, ApiError> {
    caller.require(SCOPE)?;
    let Some(items) = body.as_array().filter(|a| !a.is_empty()) else {
        return Err(ApiError::Invalid(vec![FieldError::new(
            "body",
            "invalid_type",
            "The body must be a non-empty array of customers.",
        )]));
    };
    let mut errors = Vec::new();
    let mut valid = Vec::new();
    let mut emails = std::collections::BTreeSet::new();
    for (i, item) in items.iter().enumerate() {
        let text = |k: &str| {
            item.get(k)
                .and_then(Value::as_str)
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
        };
        let field = |k: &str| format!("{i}.{k}");
        let email =
            text("email").filter(|e| e.contains('@') && !e.starts_with('@') && !e.ends_with('@'));
        let email = match email {
            None => {
                errors.push(FieldError::new(
                    &field("email"),
                    "invalid",
                    "A valid email is required.",
                ));
                None
            }
            Some(e)
                if !emails.insert(e.to_lowercase())
                    || state
                        .store
                        .customer_by_email(caller.store.id, &e)
                        .await?
                        .is_some() =>
            {
                errors.push(FieldError::new(
                    &field("email"),
                    "already_in_use",
                    "The email address is already in use.",
                ));
                None
            }
            Some(e) => Some(e),
        };
        let first = text("first_name");
        let last = text("last_name");
        if first.is_none() {
            errors.push(FieldError::new(
                &field("first_name"),
                "required",
                "first_name is required.",
            ));
        }
        if last.is_none() {
            errors.push(FieldError::new(
                &field("last_name"),
                "required",
                "last_name is required.",
            ));
        }
        let group_id = match item
            .get("customer_group_id")
            .filter(|v| !v.is_null() && v.as_i64() != Some(0))
        {
            None => None,
            Some(v) => match v.as_i64() {
                Some(g)
                    if state
                        .store
                        .customer_group(caller.store.id, g)
                        .await?
                        .is_some() =>
                {
                    Some(g)
                }
                _ => {
                    errors.push(FieldError::new(
                        &field("customer_group_id"),
                        "unknown_group",
                        "customer_group_id names no customer group of this store.",
                    ));
                    None
                }
            },
        };
        let password = item
            .pointer("/authentication/new_password")
            .and_then(Value::as_str)
            .map(String::from);
        match &password {
            Some(p) if p.chars().count() < 7 => errors.push(FieldError::new(
                &field("authentication.new_password"),
                "too_short",
                "Passwords must be at least 7 characters.",
            )),
            None => errors.push(FieldError::new(
                &field("authentication.new_password"),
                "required",
                "authentication.new_password is required.",
            )),
            _ => {}
        }
        if let (Some(email), Some(first_name), Some(last_name), Some(password)) =
            (email, first, last, password)
        {
            valid.push(Valid {
                email,
                first_name,
                last_name,
                phone: text("phone").unwrap_or_default(),
                group_id,
                password,
            });
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::Invalid(errors));
    }
    let mut created = Vec::new();
    for v in valid {
        let hash = state
            .passwords
            .hash(v.password)
            .await
            .ok_or_else(|| ApiError::Internal("password hashing failed".into()))?;
        let c = state
            .store
            .create_customer(
                NewCustomer {
                    store_id: caller.store.id,
                    email: &v.email,
                    first_name: &v.first_name,
                    last_name: &v.last_name,
                    phone: &v.phone,
                    group_id: v.group_id,
                    password_hash: &hash,
                },
                state.now(),
            )
            .await?;
        created.push(customer_json(&c));
    }
    Ok(super::data(Value::Array(created)))
}
