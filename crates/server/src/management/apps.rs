//! Apps on the management API (SPEC §8; these endpoints are ours): register and list apps,
//! install one on the addressed store (302 to the app's auth callback, as the control panel
//! sends the merchant's browser), open it (302 to the load callback), uninstall it.
//! Scope `store_apps_manage`.

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use serde_json::Value;

use super::Management;
use super::{data, Caller, JsonBody};
use crate::http::error::{ApiError, FieldError};
use crate::service::apps::{self, AppError, NewApp};

pub const SCOPE: &str = "store_apps_manage";

fn app_error(e: AppError) -> ApiError {
    match e {
        AppError::Invalid(msg) => {
            let field = msg.split_whitespace().next().unwrap_or("app").to_string();
            ApiError::Invalid(vec![FieldError::new(&field, "invalid", msg)])
        }
        AppError::Store(s) => s.into(),
    }
}

pub async fn list(
    State(m): State<Management>,
    Extension(caller): Extension<Caller>,
) -> Result<axum::Json<Value>, ApiError> {
    caller.require(SCOPE)?;
    let apps = apps::list_visible(&m.domain, caller.store.id).await?;
    Ok(data(Value::Array(
        apps.iter().map(apps::app_json).collect(),
    )))
}

pub async fn register(
    State(m): State<Management>,
    Extension(caller): Extension<Caller>,
    JsonBody(body): JsonBody,
) -> Result<(StatusCode, axum::Json<Value>), ApiError> {
    caller.require(SCOPE)?;
    let text = |k: &str| {
        body.get(k)
            .and_then(Value::as_str)
            .unwrap_or("")
            .trim()
            .to_string()
    };
    let scopes = match body.get("scopes") {
        Some(Value::Array(a)) => a
            .iter()
            .map(|s| s.as_str().unwrap_or("").to_string())
            .collect(),
        Some(Value::String(s)) => s.split_whitespace().map(String::from).collect(),
        _ => Vec::new(),
    };
    let app = apps::register(
        &m.domain,
        NewApp {
            name: text("name"),
            auth_callback: text("auth_callback"),
            load_callback: text("load_callback"),
            uninstall_callback: Some(text("uninstall_callback")).filter(|s| !s.is_empty()),
            scopes,
            // A store's app is its own: other stores neither see nor install it.
            owner_store_id: Some(caller.store.id),
            published: false,
        },
    )
    .await
    .map_err(app_error)?;
    let mut out = apps::app_json(&app);
    out["client_secret"] = Value::String(app.client_secret.expose().to_string());
    Ok((StatusCode::CREATED, data(out)))
}

/// The app a per-app endpoint names, once the caller may manage apps.
async fn app_for(
    domain: &crate::service::Domain,
    caller: &Caller,
    client_id: &str,
) -> Result<storefront_auth_store::App, ApiError> {
    caller.require(SCOPE)?;
    apps::find_visible(domain, caller.store.id, client_id)
        .await?
        .ok_or(ApiError::NotFound)
}

fn redirect(url: String) -> Response {
    (StatusCode::FOUND, [(header::LOCATION, url)]).into_response()
}

pub async fn install(
    State(m): State<Management>,
    Extension(caller): Extension<Caller>,
    Path((_, client_id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let app = app_for(&m.domain, &caller, &client_id).await?;
    let url = apps::begin_install(&m.domain, &app, &caller.store)
        .await
        .map_err(app_error)?;
    Ok(redirect(url))
}

pub async fn load(
    State(m): State<Management>,
    Extension(caller): Extension<Caller>,
    Path((_, client_id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let app = app_for(&m.domain, &caller, &client_id).await?;
    if !apps::is_installed(&m.domain, &app, caller.store.id).await? {
        return Err(ApiError::Refused(
            StatusCode::CONFLICT,
            "The app is not installed on this store.".into(),
        ));
    }
    Ok(redirect(apps::load_url(&m.domain, &app, &caller.store)))
}

pub async fn uninstall(
    State(m): State<Management>,
    Extension(caller): Extension<Caller>,
    Path((_, client_id)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let app = app_for(&m.domain, &caller, &client_id).await?;
    if apps::uninstall(&m.domain, &app, &caller.store)
        .await
        .map_err(app_error)?
    {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::Refused(
            StatusCode::CONFLICT,
            "The app is not installed on this store.".into(),
        ))
    }
}
