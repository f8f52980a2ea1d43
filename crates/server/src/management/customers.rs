//! `GET|POST v3/customers` (SPEC §3.2), scope `store_v2_customers`. Passwords are hashed with
//! Argon2id off the async threads and never echoed.

use axum::extract::{Query, State};
use axum::Extension;
use serde_json::{json, Value};
use storefront_auth_store::Customer;

use super::{Caller, JsonBody, Management, Page};
use crate::http::error::{ApiError, FieldError};
use crate::service::customers;
use crate::service::registration::{self, BatchError, Field, Problem, Registration, MIN_PASSWORD};

const SCOPE: &str = "store_v2_customers";

fn customer_json(c: &Customer) -> Value {
    json!({
        "id": c.id, "email": c.email, "first_name": c.first_name, "last_name": c.last_name,
        "phone": c.phone, "customer_group_id": c.group_id.unwrap_or(0), "date_created": c.created_at,
    })
}

pub async fn list(
    State(m): State<Management>,
    Extension(caller): Extension<Caller>,
    Query(p): Query<Page>,
) -> Result<axum::Json<Value>, ApiError> {
    caller.require(SCOPE)?;
    let limit = p.limit();
    let rows = customers::list(&m.domain, caller.store.id, limit, p.after.unwrap_or(0)).await?;
    Ok(axum::Json(json!({
        "data": rows.iter().map(customer_json).collect::<Vec<_>>(),
        "meta": { "pagination": { "count": rows.len(), "next_after": (rows.len() as i64 == limit).then(|| rows.last().map(|c| c.id)).flatten() } },
    })))
}

/// A registration problem as the management API's `errors` says it (`{index}.{field}:{rule}`).
fn field_error(index: usize, p: &Problem) -> FieldError {
    let name = |f: &Field| match f {
        Field::Email => "email",
        Field::FirstName => "first_name",
        Field::LastName => "last_name",
        Field::Password => "authentication.new_password",
        Field::Phone => "phone",
        Field::Group => "customer_group_id",
    };
    let (field, rule, message) = match p {
        Problem::Invalid(Field::Email) => {
            ("email", "invalid", "A valid email is required.".to_string())
        }
        Problem::EmailInUse => (
            "email",
            "already_in_use",
            "The email address is already in use.".to_string(),
        ),
        Problem::UnknownGroup => (
            "customer_group_id",
            "unknown_group",
            "customer_group_id names no customer group of this store.".to_string(),
        ),
        Problem::Required(f) => (name(f), "required", format!("{} is required.", name(f))),
        Problem::TooShort(Field::Password) => (
            "authentication.new_password",
            "too_short",
            format!("Passwords must be at least {MIN_PASSWORD} characters."),
        ),
        Problem::TooShort(f) => (name(f), "too_short", format!("{} is too short.", name(f))),
        Problem::TooLong(f) => (name(f), "too_long", format!("{} is too long.", name(f))),
        Problem::Invalid(f) => (name(f), "invalid", format!("{} is invalid.", name(f))),
    };
    FieldError::new(&format!("{index}.{field}"), rule, &message)
}

/// The registration an item of the body asks for.
fn registration(item: &Value) -> Registration {
    let text = |k: &str| {
        item.get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    Registration {
        email: text("email"),
        first_name: text("first_name"),
        last_name: text("last_name"),
        password: item
            .pointer("/authentication/new_password")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        phone: text("phone"),
        // 0 is "no group", as the platform reads it.
        group_id: item
            .get("customer_group_id")
            .and_then(Value::as_i64)
            .filter(|g| *g != 0),
    }
}

/// Creates every customer of the array, or none: all items are checked against the rules of
/// `service::registration` (and against each other's emails) before the first is written.
pub async fn create(
    State(m): State<Management>,
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
    let batch: Vec<(Registration, Vec<Problem>)> = items
        .iter()
        .map(|item| {
            let group = item.get("customer_group_id");
            let unreadable = group.is_some_and(|g| !g.is_null() && g.as_i64().is_none());
            let found = if unreadable {
                vec![Problem::UnknownGroup]
            } else {
                Vec::new()
            };
            (registration(item), found)
        })
        .collect();
    let created = match registration::register_all(&m.domain, caller.store.id, &batch).await {
        Ok(c) => c,
        Err(BatchError::Invalid(problems)) => {
            return Err(ApiError::Invalid(
                problems.iter().map(|(i, p)| field_error(*i, p)).collect(),
            ))
        }
        Err(BatchError::Store(e)) => return Err(e.into()),
        Err(e @ BatchError::Hashing) => return Err(ApiError::Internal(e.to_string())),
    };
    let created: Vec<Value> = created.iter().map(customer_json).collect();
    Ok(super::data(Value::Array(created)))
}
