//! The images a store serves itself, as BigCommerce's CDN serves them:
//! `/s-{hash}/images/stencil/{size}/{path}`, where `{size}` is `original`, `{w}w` or `{w}x{h}`
//! (Catalyst's image loader fills in the `{:size}` of a `urlTemplate`). The stand-in does not
//! resize: every size answers the stored image, which for the demo's SVGs is exact anyway.

use storefront_auth_store::{StoreError, StoredImage};

use super::directory::HostError;
use super::Domain;

/// The largest image stored (BigCommerce's limit for a product image).
pub const MAX_IMAGE_BYTES: usize = 8 * 1024 * 1024;
/// The largest dimension a `{size}` may ask for.
const MAX_DIMENSION: u32 = 10_000;
/// The media types served; anything else is refused when stored.
pub const IMAGE_TYPES: [&str; 5] = [
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "image/svg+xml",
];

#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    #[error("image path must be 1 to 200 characters of letters, digits, '.', '_', '-' and '/'")]
    BadPath,
    #[error("image type must be one of PNG, JPEG, GIF, WebP or SVG")]
    BadType,
    #[error("image must be 1 byte to 8 MiB")]
    BadSize,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A path under `images/stencil/{size}/`: segments of letters, digits, `.`, `_`, `-`, none
/// empty or starting with a dot, so no path walks anywhere or hides a second meaning.
pub fn valid_path(path: &str) -> bool {
    (1..=200).contains(&path.len())
        && path.split('/').all(|segment| {
            !segment.is_empty()
                && !segment.starts_with('.')
                && segment
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
        })
}

/// `original`, `{w}w` or `{w}x{h}`, each dimension 1 to 10000.
pub fn valid_size(size: &str) -> bool {
    let dimension = |s: &str| {
        !s.starts_with('0')
            && s.len() <= 5
            && s.parse::<u32>()
                .is_ok_and(|n| (1..=MAX_DIMENSION).contains(&n))
    };
    match size {
        "original" => true,
        _ => match size.strip_suffix('w') {
            Some(width) => dimension(width),
            None => size
                .split_once('x')
                .is_some_and(|(w, h)| dimension(w) && dimension(h)),
        },
    }
}

/// The `urlTemplate` of a store's image, on the host the request addressed.
pub fn url_template(origin: &str, store_hash: &str, path: &str) -> String {
    format!("{origin}/s-{store_hash}/images/stencil/{{:size}}/{path}")
}

/// Stores an image of a store after checking its path, type and size.
pub async fn put(
    domain: &Domain,
    store_id: i64,
    path: &str,
    content_type: &str,
    body: &[u8],
) -> Result<(), ImageError> {
    if !valid_path(path) {
        return Err(ImageError::BadPath);
    }
    if !IMAGE_TYPES.contains(&content_type) {
        return Err(ImageError::BadType);
    }
    if body.is_empty() || body.len() > MAX_IMAGE_BYTES {
        return Err(ImageError::BadSize);
    }
    let now = domain.now_for(store_id);
    Ok(domain
        .store()
        .put_image(store_id, path, content_type, body, now)
        .await?)
}

/// The image a CDN address names, or `None` (an unknown store, size or path is not found).
pub async fn find(
    domain: &Domain,
    store_hash: &str,
    size: &str,
    path: &str,
) -> Result<Option<StoredImage>, StoreError> {
    if !valid_size(size) || !valid_path(path) {
        return Ok(None);
    }
    let store = domain.store();
    let entry = match domain.0.directory.resolve(store, store_hash, 1).await {
        Ok((entry, _)) => entry,
        Err(HostError::Unavailable) => {
            return Err(StoreError::Unavailable("store directory".into()))
        }
        Err(HostError::UnknownStore | HostError::UnknownChannel) => return Ok(None),
    };
    store.image(entry.store.id, path).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        for good in ["original", "500w", "1x1", "500x659", "10000x10000"] {
            assert!(valid_size(good), "{good}");
        }
        for bad in [
            "",
            "w",
            "0w",
            "012w",
            "10001w",
            "500x",
            "x500",
            "500x0",
            "5x5x5",
            "{:size}",
            "-1w",
            "99999999999w",
        ] {
            assert!(!valid_size(bad), "{bad}");
        }
    }

    #[test]
    fn paths() {
        for good in ["logo.svg", "products/1/orbit-terrarium.svg", "a/b_c-d.png"] {
            assert!(valid_path(good), "{good}");
        }
        let long = "a".repeat(201);
        for bad in [
            "",
            "/logo.svg",
            "a//b",
            "../x",
            "a/../b",
            ".hidden",
            "a/.b",
            "a b",
            "a%2e",
            "a\\b",
            long.as_str(),
        ] {
            assert!(!valid_path(bad), "{bad}");
        }
    }
}
