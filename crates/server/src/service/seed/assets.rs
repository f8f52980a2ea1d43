//! Where a seed's images come from: files next to the seed file, the demo's built-in drawings,
//! or `data:` URLs inside the seed (the only kind a seed sent over HTTP may use).

use std::path::{Component, Path, PathBuf};

use base64::Engine;

use super::SeedError;
use crate::service::images::MAX_IMAGE_BYTES;

/// The demo's drawings, by their path in `demo/`.
const DEMO_IMAGES: [(&str, &str); 6] = [
    (
        "images/orbit-terrarium.svg",
        include_str!("../../../demo/images/orbit-terrarium.svg"),
    ),
    (
        "images/able-brewing-system.svg",
        include_str!("../../../demo/images/able-brewing-system.svg"),
    ),
    (
        "images/chemex-coffeemaker.svg",
        include_str!("../../../demo/images/chemex-coffeemaker.svg"),
    ),
    (
        "images/dustpan-brush.svg",
        include_str!("../../../demo/images/dustpan-brush.svg"),
    ),
    (
        "images/demo-store-logo.svg",
        include_str!("../../../demo/images/demo-store-logo.svg"),
    ),
    (
        "images/demo-store-favicon.svg",
        include_str!("../../../demo/images/demo-store-favicon.svg"),
    ),
];

#[derive(Clone, Debug)]
pub enum Assets {
    /// The built-in demo seed's drawings.
    Demo,
    /// Files relative to the seed file's directory.
    Dir(PathBuf),
    /// Nothing but `data:` URLs.
    Inline,
}

/// An image: its file name (for its path in the store), content type and bytes.
pub struct Image {
    pub file_name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

fn invalid(reference: &str, why: &str) -> SeedError {
    let shown: String = reference.chars().take(80).collect();
    SeedError::Invalid(format!("image {shown:?}: {why}"))
}

fn content_type_of(name: &str) -> Option<&'static str> {
    let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match ext.as_str() {
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        _ => return None,
    })
}

impl Assets {
    /// The image `reference` names; `fallback_name` names a `data:` image in the store.
    pub fn read(&self, reference: &str, fallback_name: &str) -> Result<Image, SeedError> {
        if let Some(data) = reference.strip_prefix("data:") {
            return data_url(reference, data, fallback_name);
        }
        let file_name = Path::new(reference)
            .file_name()
            .and_then(|n| n.to_str())
            .ok_or_else(|| invalid(reference, "not a file name"))?
            .to_string();
        let content_type = content_type_of(&file_name)
            .ok_or_else(|| invalid(reference, "not an svg, png, jpeg, gif or webp file"))?;
        let bytes = match self {
            Assets::Demo => DEMO_IMAGES
                .iter()
                .find(|(path, _)| *path == reference)
                .map(|(_, svg)| svg.as_bytes().to_vec())
                .ok_or_else(|| invalid(reference, "the demo seed has no such image"))?,
            Assets::Dir(dir) => read_file(dir, reference)?,
            Assets::Inline => {
                return Err(invalid(
                    reference,
                    "a seed sent over HTTP gives its images as data: URLs",
                ))
            }
        };
        Ok(Image {
            file_name,
            content_type: content_type.to_string(),
            bytes,
        })
    }
}

/// A file below the seed's directory (no `..`, no absolute path), of at most the image limit.
fn read_file(dir: &Path, reference: &str) -> Result<Vec<u8>, SeedError> {
    let relative = Path::new(reference);
    if relative
        .components()
        .any(|c| !matches!(c, Component::Normal(_)))
    {
        return Err(invalid(
            reference,
            "give a path below the seed file's directory",
        ));
    }
    let path = dir.join(relative);
    let size = std::fs::metadata(&path)
        .map_err(|e| invalid(reference, &format!("{}: {e}", path.display())))?
        .len();
    if size > MAX_IMAGE_BYTES as u64 {
        return Err(invalid(reference, "larger than 8 MiB"));
    }
    std::fs::read(&path).map_err(|e| invalid(reference, &format!("{}: {e}", path.display())))
}

/// `data:{type};base64,{bytes}`.
fn data_url(reference: &str, data: &str, name: &str) -> Result<Image, SeedError> {
    let (meta, payload) = data
        .split_once(',')
        .ok_or_else(|| invalid(reference, "a data: URL needs a comma"))?;
    let content_type = meta
        .strip_suffix(";base64")
        .ok_or_else(|| invalid(reference, "a data: URL must be base64"))?;
    let ext = match content_type {
        "image/svg+xml" => "svg",
        "image/png" => "png",
        "image/jpeg" => "jpg",
        "image/gif" => "gif",
        "image/webp" => "webp",
        _ => {
            return Err(invalid(
                reference,
                "not an svg, png, jpeg, gif or webp image",
            ))
        }
    };
    if payload.len() > MAX_IMAGE_BYTES / 3 * 4 + 4 {
        return Err(invalid(reference, "larger than 8 MiB"));
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(payload)
        .map_err(|_| invalid(reference, "not valid base64"))?;
    Ok(Image {
        file_name: format!("{name}.{ext}"),
        content_type: content_type.to_string(),
        bytes,
    })
}

/// Stores an image at `path` for the store.
pub async fn put_image(
    domain: &crate::service::Domain,
    store_id: i64,
    path: &str,
    image: &Image,
) -> Result<(), SeedError> {
    crate::service::images::put(domain, store_id, path, &image.content_type, &image.bytes)
        .await
        .map_err(|e| SeedError::Failed(format!("image {path}: {e}")))
}
