//! Images the server serves itself (a product's image, a store's logo and favicon), by the
//! path they have under the store's `/s-{hash}/images/stencil/{size}/`.

use crate::{get, Result, Store};

/// An image as stored: its bytes and the media type they are served as.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredImage {
    pub content_type: String,
    pub body: Vec<u8>,
    pub created_at: i64,
}

impl Store {
    /// Stores an image at `path`, replacing the one there.
    pub async fn put_image(
        &self,
        store_id: i64,
        path: &str,
        content_type: &str,
        body: &[u8],
        now: i64,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO store_images (store_id, path, content_type, body, created_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (store_id, path) DO UPDATE SET
                 content_type = excluded.content_type, body = excluded.body,
                 created_at = excluded.created_at",
        )
        .bind(store_id)
        .bind(path)
        .bind(content_type)
        .bind(body.to_vec())
        .bind(now)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The image at `path`, if the store has one.
    pub async fn image(&self, store_id: i64, path: &str) -> Result<Option<StoredImage>> {
        let row = sqlx::query(
            "SELECT content_type, body, created_at FROM store_images WHERE store_id = $1 AND path = $2",
        )
        .bind(store_id)
        .bind(path)
        .fetch_optional(self.pool())
        .await?;
        row.map(|row| {
            Ok(StoredImage {
                content_type: get(&row, "content_type")?,
                body: get(&row, "body")?,
                created_at: get(&row, "created_at")?,
            })
        })
        .transpose()
    }

    /// Names the store's logo and favicon among its images (`""`: none).
    pub async fn set_store_images(&self, store_id: i64, logo: &str, favicon: &str) -> Result<()> {
        sqlx::query("UPDATE stores SET logo_image = $2, favicon_image = $3 WHERE id = $1")
            .bind(store_id)
            .bind(logo)
            .bind(favicon)
            .execute(self.pool())
            .await?;
        Ok(())
    }
}
