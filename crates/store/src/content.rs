//! What a storefront shows besides products: brands, the category tree (and which products are
//! in which category) and web pages. Read whole per store (`content`), as the held catalog
//! holds it; written one row at a time.

use storefront_auth_core::catalog::slug;

use crate::{get, Result, Store};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Brand {
    pub id: i64,
    pub name: String,
    /// `/brands/{slug}/`, from its name.
    pub path: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Category {
    pub id: i64,
    /// 0: a top-level category.
    pub parent_id: i64,
    pub name: String,
    /// `/{parent's slugs}/{slug}/`.
    pub path: String,
    pub description: String,
    pub sort_order: i64,
}

pub struct NewCategory<'a> {
    pub store_id: i64,
    pub parent_id: i64,
    pub name: &'a str,
    pub description: &'a str,
    pub sort_order: i64,
}

/// A web page: `normal` and `raw` (HTML `body`), `contact` (a contact form), `link` (a menu
/// entry pointing at `link`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebPage {
    pub id: i64,
    pub parent_id: i64,
    pub kind: String,
    pub name: String,
    pub path: String,
    pub body: String,
    pub link: String,
    pub in_navigation: bool,
    pub sort_order: i64,
}

pub struct NewWebPage<'a> {
    pub store_id: i64,
    pub parent_id: i64,
    pub kind: &'a str,
    pub name: &'a str,
    pub body: &'a str,
    pub link: &'a str,
    pub in_navigation: bool,
    pub sort_order: i64,
}

/// A store's brands, categories (in tree order: by sort order, then id), product-category
/// memberships (`(product_id, category_id)`, by product) and web pages.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StoreContent {
    pub brands: Vec<Brand>,
    pub categories: Vec<Category>,
    pub product_categories: Vec<(i64, i64)>,
    pub web_pages: Vec<WebPage>,
    pub options: Vec<crate::ProductOption>,
    pub custom_fields: Vec<crate::CustomField>,
}

fn category_from(row: &sqlx::any::AnyRow) -> Result<Category> {
    Ok(Category {
        id: get(row, "id")?,
        parent_id: get(row, "parent_id")?,
        name: get(row, "name")?,
        path: get(row, "path")?,
        description: get(row, "description")?,
        sort_order: get(row, "sort_order")?,
    })
}

fn page_from(row: &sqlx::any::AnyRow) -> Result<WebPage> {
    Ok(WebPage {
        id: get(row, "id")?,
        parent_id: get(row, "parent_id")?,
        kind: get(row, "kind")?,
        name: get(row, "name")?,
        path: get(row, "path")?,
        body: get(row, "body")?,
        link: get(row, "link")?,
        in_navigation: get::<i64>(row, "in_navigation")? != 0,
        sort_order: get(row, "sort_order")?,
    })
}

impl Store {
    /// Adds a brand at `/brands/{slug}/`; a path taken in the store is a conflict.
    pub async fn create_brand(&self, store_id: i64, name: &str, now: i64) -> Result<Brand> {
        let row = sqlx::query(
            "INSERT INTO brands (store_id, name, path, created_at) VALUES ($1, $2, $3, $4) RETURNING id, name, path",
        )
        .bind(store_id)
        .bind(name)
        .bind(format!("/brands/{}/", slug(name)))
        .bind(now)
        .fetch_one(self.pool())
        .await?;
        Ok(Brand {
            id: get(&row, "id")?,
            name: get(&row, "name")?,
            path: get(&row, "path")?,
        })
    }

    /// Adds a category under `parent_id` (0: top level); its path extends its parent's.
    pub async fn create_category(&self, new: NewCategory<'_>, now: i64) -> Result<Category> {
        let parent_path: String = if new.parent_id == 0 {
            "/".into()
        } else {
            sqlx::query_scalar("SELECT path FROM categories WHERE store_id = $1 AND id = $2")
                .bind(new.store_id)
                .bind(new.parent_id)
                .fetch_optional(self.pool())
                .await?
                .ok_or(crate::StoreError::NotFound)?
        };
        let row = sqlx::query(
            "INSERT INTO categories (store_id, parent_id, name, path, description, sort_order, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id, parent_id, name, path, description, sort_order",
        )
        .bind(new.store_id)
        .bind(new.parent_id)
        .bind(new.name)
        .bind(format!("{parent_path}{}/", slug(new.name)))
        .bind(new.description)
        .bind(new.sort_order)
        .bind(now)
        .fetch_one(self.pool())
        .await?;
        category_from(&row)
    }

    /// Puts a product in a category (again is no change).
    pub async fn add_product_to_category(
        &self,
        store_id: i64,
        product_id: i64,
        category_id: i64,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO product_categories (store_id, product_id, category_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        )
        .bind(store_id)
        .bind(product_id)
        .bind(category_id)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Adds a web page at `/{slug}/`.
    pub async fn create_web_page(&self, new: NewWebPage<'_>, now: i64) -> Result<WebPage> {
        let row = sqlx::query(
            "INSERT INTO web_pages (store_id, parent_id, kind, name, path, body, link, in_navigation, sort_order, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id, parent_id, kind, name, path, body, link, in_navigation, sort_order",
        )
        .bind(new.store_id)
        .bind(new.parent_id)
        .bind(new.kind)
        .bind(new.name)
        .bind(format!("/{}/", slug(new.name)))
        .bind(new.body)
        .bind(new.link)
        .bind(i64::from(new.in_navigation))
        .bind(new.sort_order)
        .bind(now)
        .fetch_one(self.pool())
        .await?;
        page_from(&row)
    }

    /// Everything a storefront shows besides products, in seven reads.
    pub async fn content(&self, store_id: i64) -> Result<StoreContent> {
        let brands =
            sqlx::query("SELECT id, name, path FROM brands WHERE store_id = $1 ORDER BY id")
                .bind(store_id)
                .fetch_all(self.pool())
                .await?
                .iter()
                .map(|row| {
                    Ok(Brand {
                        id: get(row, "id")?,
                        name: get(row, "name")?,
                        path: get(row, "path")?,
                    })
                })
                .collect::<Result<_>>()?;
        let categories = sqlx::query("SELECT id, parent_id, name, path, description, sort_order FROM categories WHERE store_id = $1 ORDER BY sort_order, id")
            .bind(store_id)
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(category_from)
            .collect::<Result<_>>()?;
        let product_categories = sqlx::query("SELECT product_id, category_id FROM product_categories WHERE store_id = $1 ORDER BY product_id, category_id")
            .bind(store_id)
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|row| Ok((get(row, "product_id")?, get(row, "category_id")?)))
            .collect::<Result<_>>()?;
        let web_pages = sqlx::query("SELECT id, parent_id, kind, name, path, body, link, in_navigation, sort_order FROM web_pages WHERE store_id = $1 ORDER BY sort_order, id")
            .bind(store_id)
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(page_from)
            .collect::<Result<_>>()?;
        Ok(StoreContent {
            brands,
            categories,
            product_categories,
            web_pages,
            options: self.options(store_id).await?,
            custom_fields: self.custom_fields(store_id).await?,
        })
    }
}
