//! Products: enough of a catalog for prices to show customer context.

use storefront_auth_core::catalog::product_path;

use crate::{get, Result, Store};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Product {
    pub id: i64,
    pub store_id: i64,
    pub name: String,
    pub sku: String,
    pub price_cents: i64,
    pub created_at: i64,
    /// The product's storefront path (`/sample-dustpan-brush/`), from its name.
    pub path: String,
    pub details: ProductDetails,
}

/// What a storefront shows of a product beyond its name and price (migration 5).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProductDetails {
    /// HTML, as merchants write it.
    pub description: String,
    pub brand_id: Option<i64>,
    /// The file name of its image among the server's served images; empty: none.
    pub image: String,
    /// Units on hand; `None`: stock is not tracked, the product is always available.
    pub stock: Option<i64>,
    pub is_featured: bool,
    pub weight_grams: Option<i64>,
    /// `NEW`, `USED` or `REFURBISHED`.
    pub condition: String,
    pub warranty: String,
    pub gtin: String,
    pub mpn: String,
    pub min_purchase: Option<i64>,
    pub max_purchase: Option<i64>,
    /// `available`, `preorder` or `disabled` (shown, not for sale).
    pub availability: String,
}

pub struct NewProduct<'a> {
    pub store_id: i64,
    pub name: &'a str,
    pub sku: &'a str,
    pub price_cents: i64,
}

const COLS: &str = "id, store_id, name, sku, price_cents, created_at, path, description, brand_id, image, stock, is_featured, weight_grams, item_condition, warranty, gtin, mpn, min_purchase, max_purchase, availability";

impl Default for ProductDetails {
    /// A new product's: nothing said, always available.
    fn default() -> Self {
        ProductDetails {
            description: String::new(),
            brand_id: None,
            image: String::new(),
            stock: None,
            is_featured: false,
            weight_grams: None,
            condition: "NEW".into(),
            warranty: String::new(),
            gtin: String::new(),
            mpn: String::new(),
            min_purchase: None,
            max_purchase: None,
            availability: "available".into(),
        }
    }
}

fn product_from(row: &sqlx::any::AnyRow) -> Result<Product> {
    Ok(Product {
        id: get(row, "id")?,
        store_id: get(row, "store_id")?,
        name: get(row, "name")?,
        sku: get(row, "sku")?,
        price_cents: get(row, "price_cents")?,
        created_at: get(row, "created_at")?,
        path: get::<Option<String>>(row, "path")?.unwrap_or_default(),
        details: ProductDetails {
            description: get(row, "description")?,
            brand_id: get(row, "brand_id")?,
            image: get(row, "image")?,
            stock: get(row, "stock")?,
            is_featured: get::<i64>(row, "is_featured")? != 0,
            weight_grams: get(row, "weight_grams")?,
            condition: get(row, "item_condition")?,
            warranty: get(row, "warranty")?,
            gtin: get(row, "gtin")?,
            mpn: get(row, "mpn")?,
            min_purchase: get(row, "min_purchase")?,
            max_purchase: get(row, "max_purchase")?,
            availability: get(row, "availability")?,
        },
    })
}

impl Store {
    /// Creates a product; a SKU taken in the store is `StoreError::Conflict`.
    pub async fn create_product(&self, new: NewProduct<'_>, now: i64) -> Result<Product> {
        let row = sqlx::query(&format!(
            "INSERT INTO products (store_id, name, sku, price_cents, created_at, path) VALUES ($1, $2, $3, $4, $5, $6) RETURNING {COLS}"
        ))
        .bind(new.store_id)
        .bind(new.name)
        .bind(new.sku)
        .bind(new.price_cents)
        .bind(now)
        .bind(product_path(new.name))
        .fetch_one(self.pool())
        .await?;
        product_from(&row)
    }

    pub async fn product(&self, store_id: i64, id: i64) -> Result<Option<Product>> {
        let row = sqlx::query(&format!(
            "SELECT {COLS} FROM products WHERE store_id = $1 AND id = $2"
        ))
        .bind(store_id)
        .bind(id)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(product_from).transpose()
    }

    /// The product at a storefront path (the oldest, if names collide): one indexed look-up.
    pub async fn product_by_path(&self, store_id: i64, path: &str) -> Result<Option<Product>> {
        let row = sqlx::query(&format!(
            "SELECT {COLS} FROM products WHERE store_id = $1 AND path = $2 ORDER BY id LIMIT 1"
        ))
        .bind(store_id)
        .bind(path)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(product_from).transpose()
    }

    /// The product with a SKU (unique per store): one indexed look-up.
    pub async fn product_by_sku(&self, store_id: i64, sku: &str) -> Result<Option<Product>> {
        let row = sqlx::query(&format!(
            "SELECT {COLS} FROM products WHERE store_id = $1 AND sku = $2"
        ))
        .bind(store_id)
        .bind(sku)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(product_from).transpose()
    }

    /// Gives products stored without a path (before migration 4, or by an older instance)
    /// theirs.
    pub(crate) async fn fill_product_paths(&self) -> Result<()> {
        let rows = sqlx::query("SELECT id, name FROM products WHERE path IS NULL")
            .fetch_all(self.pool())
            .await?;
        for row in rows {
            let (id, name): (i64, String) = (get(&row, "id")?, get(&row, "name")?);
            sqlx::query("UPDATE products SET path = $1 WHERE id = $2 AND path IS NULL")
                .bind(product_path(&name))
                .bind(id)
                .execute(self.pool())
                .await?;
        }
        Ok(())
    }

    /// Products in id order: `limit` after `after_id` (ascending) or before `before_id`
    /// (returned ascending as well).
    pub async fn products(
        &self,
        store_id: i64,
        after_id: i64,
        before_id: i64,
        limit: i64,
        from_end: bool,
    ) -> Result<Vec<Product>> {
        let order = if from_end { "DESC" } else { "ASC" };
        let rows = sqlx::query(&format!(
            "SELECT {COLS} FROM products WHERE store_id = $1 AND id > $2 AND id < $3 ORDER BY id {order} LIMIT $4"
        ))
        .bind(store_id)
        .bind(after_id)
        .bind(before_id)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        let mut out: Vec<Product> = rows.iter().map(product_from).collect::<Result<_>>()?;
        if from_end {
            out.reverse();
        }
        Ok(out)
    }

    /// The storefront paths of `limit` products from the `offset`-th, in id order (sitemaps).
    pub async fn product_paths(
        &self,
        store_id: i64,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<String>> {
        let rows = sqlx::query(
            "SELECT path FROM products WHERE store_id = $1 ORDER BY id LIMIT $2 OFFSET $3",
        )
        .bind(store_id)
        .bind(limit)
        .bind(offset)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(|row| get(row, "path")).collect()
    }

    /// Sets what a storefront shows of a product; `false` when the store has no such product.
    pub async fn set_product_details(
        &self,
        store_id: i64,
        id: i64,
        details: &ProductDetails,
    ) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE products SET description = $1, brand_id = $2, image = $3, stock = $4, is_featured = $5, weight_grams = $6, item_condition = $7, warranty = $8, gtin = $9, mpn = $10, min_purchase = $11, max_purchase = $12, availability = $13 WHERE store_id = $14 AND id = $15",
        )
        .bind(&details.description)
        .bind(details.brand_id)
        .bind(&details.image)
        .bind(details.stock)
        .bind(i64::from(details.is_featured))
        .bind(details.weight_grams)
        .bind(&details.condition)
        .bind(&details.warranty)
        .bind(&details.gtin)
        .bind(&details.mpn)
        .bind(details.min_purchase)
        .bind(details.max_purchase)
        .bind(&details.availability)
        .bind(store_id)
        .bind(id)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The featured products of a store, by id, at most `limit`.
    pub async fn featured_products(&self, store_id: i64, limit: i64) -> Result<Vec<Product>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLS} FROM products WHERE store_id = $1 AND is_featured = 1 ORDER BY id LIMIT $2"
        ))
        .bind(store_id)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(product_from).collect()
    }

    pub async fn count_products(&self, store_id: i64) -> Result<i64> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM products WHERE store_id = $1")
            .bind(store_id)
            .fetch_one(self.pool())
            .await?;
        Ok(n)
    }
}
