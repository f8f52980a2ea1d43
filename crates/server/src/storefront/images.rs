//! `GET /s-{hash}/images/stencil/{size}/{path}`: a store's images, served as BigCommerce's CDN
//! serves them (issue 17). `settings.url.cdnUrl` is this server's host, so every `urlTemplate`
//! and every URL Catalyst builds from the CDN host lands here. Public, like a CDN: no cookie or
//! token is read.

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use storefront_auth_store::StoredImage;

use crate::service::{images, Domain};

pub fn router<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Domain: axum::extract::FromRef<S>,
{
    Router::new().route("/{cdn_store}/images/stencil/{size}/{*path}", get(image))
}

async fn image(
    State(domain): State<Domain>,
    Path((cdn_store, size, path)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> Response {
    let Some(hash) = cdn_store.strip_prefix("s-") else {
        return not_found();
    };
    match images::find(&domain, hash, &size, &path).await {
        Ok(Some(image)) => served(image, &headers),
        Ok(None) => not_found(),
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::RETRY_AFTER, "1")],
            "Images are temporarily unavailable; retry shortly.",
        )
            .into_response(),
    }
}

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "No image at this address.").into_response()
}

/// The image with what a CDN sends: a validator for revalidation, a day of caching, any page
/// may show it. An SVG opened on its own runs nothing (`sandbox`, no sources): these bytes are
/// served from the storefront host, which holds the session cookie.
fn served(image: StoredImage, headers: &HeaderMap) -> Response {
    let etag = format!("\"{:x}-{:x}\"", image.created_at, image.body.len());
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .any(|tag| tag.trim() == etag || tag.trim() == "*")
        });
    let common = [
        (header::ETAG, etag),
        (header::CACHE_CONTROL, "public, max-age=86400".to_string()),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'unsafe-inline'; sandbox".to_string(),
        ),
        (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*".to_string()),
    ];
    if fresh {
        return (StatusCode::NOT_MODIFIED, common).into_response();
    }
    let content_type = HeaderValue::from_str(&image.content_type)
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    (
        StatusCode::OK,
        common,
        [(header::CONTENT_TYPE, content_type)],
        image.body,
    )
        .into_response()
}
