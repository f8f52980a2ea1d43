//! The demo store's images (issue 17): one drawing per product, a logo and a favicon, stored
//! like any store's images and served at `/s-demo/images/stencil/{size}/…`. SVG, so every size
//! Catalyst asks for is exact and the repository holds a few kilobytes.

use storefront_auth_store::StoreError;

use super::images::{self, ImageError};
use super::Domain;

const SVG: &str = "image/svg+xml";

/// Each demo product's drawing, by SKU: its file name and bytes.
const PRODUCT_IMAGES: [(&str, &str, &str); 4] = [
    (
        "OTL",
        "orbit-terrarium.svg",
        include_str!("../../demo/images/orbit-terrarium.svg"),
    ),
    (
        "ABS",
        "able-brewing-system.svg",
        include_str!("../../demo/images/able-brewing-system.svg"),
    ),
    (
        "CC3C",
        "chemex-coffeemaker.svg",
        include_str!("../../demo/images/chemex-coffeemaker.svg"),
    ),
    (
        "DPB",
        "dustpan-brush.svg",
        include_str!("../../demo/images/dustpan-brush.svg"),
    ),
];

pub const LOGO_PATH: &str = "image-manager/demo-store-logo.svg";
pub const FAVICON_PATH: &str = "image-manager/demo-store-favicon.svg";

fn store_error(e: ImageError) -> StoreError {
    match e {
        ImageError::Store(e) => e,
        other => StoreError::Corrupt(other.to_string()),
    }
}

/// Stores the drawing of the product with `sku` (id `product_id`); its image path.
pub async fn put_product_image(
    domain: &Domain,
    store_id: i64,
    sku: &str,
    product_id: i64,
) -> Result<String, StoreError> {
    let Some((_, file, svg)) = PRODUCT_IMAGES.iter().find(|(s, ..)| *s == sku) else {
        return Ok(String::new());
    };
    let path = format!("products/{product_id}/{file}");
    images::put(domain, store_id, &path, SVG, svg.as_bytes())
        .await
        .map_err(store_error)?;
    Ok(path)
}

/// Stores the demo's logo and favicon and names them the store's.
pub async fn put_store_images(domain: &Domain, store_id: i64) -> Result<(), StoreError> {
    let logo = include_str!("../../demo/images/logo.svg");
    let favicon = include_str!("../../demo/images/favicon.svg");
    for (path, svg) in [(LOGO_PATH, logo), (FAVICON_PATH, favicon)] {
        images::put(domain, store_id, path, SVG, svg.as_bytes())
            .await
            .map_err(store_error)?;
    }
    domain
        .store()
        .set_store_images(store_id, LOGO_PATH, FAVICON_PATH)
        .await
}
