//! `GET /xmlsitemap.php` on a storefront host (issue 17): BigCommerce's sitemap index, which
//! Catalyst serves as its `/sitemap.xml`, and with `?type=…&page=N` each sitemap it lists.
//! The index names sitemaps on this host (where they are served); the sitemaps name the
//! channel's own pages at its `site_url` (where shoppers visit them).

use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;

use super::pages::PageHost;
use super::Storefronts;
use crate::http::storefront_host::StorefrontHost;
use crate::service::sitemap::{self, SitemapKind};
use crate::service::Domain;

pub fn router<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Storefronts: axum::extract::FromRef<S>,
    Domain: axum::extract::FromRef<S>,
{
    Router::new().route("/xmlsitemap.php", get(xml_sitemap))
}

#[derive(Deserialize)]
struct SitemapQuery {
    #[serde(rename = "type")]
    kind: Option<String>,
    page: Option<String>,
}

async fn xml_sitemap(
    State(storefronts): State<Storefronts>,
    StorefrontHost(storefront, _): StorefrontHost<PageHost>,
    query: Result<Query<SitemapQuery>, axum::extract::rejection::QueryRejection>,
    headers: HeaderMap,
) -> Response {
    let Ok(Query(query)) = query else {
        return not_found();
    };
    let domain = &storefronts.domain;
    let host = crate::http::headers::host(&headers).unwrap_or("localhost");
    let scheme = if storefronts.cookies.secure {
        "https"
    } else {
        "http"
    };
    let here = format!("{scheme}://{host}");
    let answer = match (query.kind.as_deref(), query.page.as_deref()) {
        (None, None) => sitemap::index(domain, &storefront, &here).await.map(Some),
        (Some(kind), page) => {
            let Some(kind) = SitemapKind::named(kind) else {
                return not_found();
            };
            let Some(page) = page.unwrap_or("1").parse::<i64>().ok().filter(|p| *p >= 1) else {
                return not_found();
            };
            sitemap::urls(domain, &storefront, kind, page).await
        }
        (None, Some(_)) => return not_found(),
    };
    match answer {
        Ok(Some(xml)) => (
            [(header::CONTENT_TYPE, "application/xml; charset=utf-8")],
            xml,
        )
            .into_response(),
        Ok(None) => not_found(),
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::RETRY_AFTER, "1")],
            "The sitemap is temporarily unavailable; retry shortly.",
        )
            .into_response(),
    }
}

fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        "No such sitemap: /xmlsitemap.php lists them (type products, categories, brands or pages; page from 1).",
    )
        .into_response()
}
