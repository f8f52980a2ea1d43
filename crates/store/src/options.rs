//! A product's options (what a shopper chooses: a size, a colour, an engraving) with their
//! values, and its custom fields. Read whole per store with the rest of its content.

use crate::{get, Result, Store};

/// `kind`: `multiple_choice` (with `values`), `checkbox`, `text`, `multi_line_text`, `number`,
/// `date`. `display_style` is BigCommerce's (`DropdownList`, `RadioButtons`, `RectangleBoxes`,
/// `Swatch`, `ProductPickList`) for multiple choice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProductOption {
    pub id: i64,
    pub product_id: i64,
    pub kind: String,
    pub display_name: String,
    pub display_style: String,
    pub is_required: bool,
    pub values: Vec<OptionValue>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OptionValue {
    pub id: i64,
    pub label: String,
    pub is_default: bool,
    /// A swatch's colours (`#1f1f1f`); empty for other styles.
    pub hex_colors: Vec<String>,
}

pub struct NewOption<'a> {
    pub store_id: i64,
    pub product_id: i64,
    pub kind: &'a str,
    pub display_name: &'a str,
    pub display_style: &'a str,
    pub is_required: bool,
    /// (label, is default, swatch colours)
    pub values: &'a [(&'a str, bool, &'a [&'a str])],
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomField {
    pub id: i64,
    pub product_id: i64,
    pub name: String,
    pub value: String,
}

impl Store {
    /// Adds an option and its values to a product, after its other options.
    pub async fn create_option(&self, new: NewOption<'_>) -> Result<ProductOption> {
        let sort_order: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM product_options WHERE store_id = $1 AND product_id = $2",
        )
        .bind(new.store_id)
        .bind(new.product_id)
        .fetch_one(self.pool())
        .await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO product_options (store_id, product_id, kind, display_name, display_style, is_required, sort_order) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(new.store_id)
        .bind(new.product_id)
        .bind(new.kind)
        .bind(new.display_name)
        .bind(new.display_style)
        .bind(i64::from(new.is_required))
        .bind(sort_order)
        .fetch_one(self.pool())
        .await?;
        let mut values = Vec::new();
        for (i, (label, is_default, colors)) in new.values.iter().enumerate() {
            let value_id: i64 = sqlx::query_scalar(
                "INSERT INTO product_option_values (store_id, option_id, label, is_default, hex_colors, sort_order) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(new.store_id)
            .bind(id)
            .bind(*label)
            .bind(i64::from(*is_default))
            .bind(colors.join(","))
            .bind(i as i64)
            .fetch_one(self.pool())
            .await?;
            values.push(OptionValue {
                id: value_id,
                label: label.to_string(),
                is_default: *is_default,
                hex_colors: colors.iter().map(|c| c.to_string()).collect(),
            });
        }
        Ok(ProductOption {
            id,
            product_id: new.product_id,
            kind: new.kind.into(),
            display_name: new.display_name.into(),
            display_style: new.display_style.into(),
            is_required: new.is_required,
            values,
        })
    }

    pub async fn create_custom_field(
        &self,
        store_id: i64,
        product_id: i64,
        name: &str,
        value: &str,
    ) -> Result<CustomField> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO product_custom_fields (store_id, product_id, name, value) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(store_id)
        .bind(product_id)
        .bind(name)
        .bind(value)
        .fetch_one(self.pool())
        .await?;
        Ok(CustomField {
            id,
            product_id,
            name: name.into(),
            value: value.into(),
        })
    }

    /// Every option of a store's products, by product then position, with their values.
    pub async fn options(&self, store_id: i64) -> Result<Vec<ProductOption>> {
        let rows = sqlx::query("SELECT id, product_id, kind, display_name, display_style, is_required FROM product_options WHERE store_id = $1 ORDER BY product_id, sort_order, id")
            .bind(store_id)
            .fetch_all(self.pool())
            .await?;
        let mut options: Vec<ProductOption> = rows
            .iter()
            .map(|row| {
                Ok(ProductOption {
                    id: get(row, "id")?,
                    product_id: get(row, "product_id")?,
                    kind: get(row, "kind")?,
                    display_name: get(row, "display_name")?,
                    display_style: get(row, "display_style")?,
                    is_required: get::<i64>(row, "is_required")? != 0,
                    values: Vec::new(),
                })
            })
            .collect::<Result<_>>()?;
        let values = sqlx::query("SELECT id, option_id, label, is_default, hex_colors FROM product_option_values WHERE store_id = $1 ORDER BY option_id, sort_order, id")
            .bind(store_id)
            .fetch_all(self.pool())
            .await?;
        for row in &values {
            let option_id: i64 = get(row, "option_id")?;
            let colors: String = get(row, "hex_colors")?;
            let value = OptionValue {
                id: get(row, "id")?,
                label: get(row, "label")?,
                is_default: get::<i64>(row, "is_default")? != 0,
                hex_colors: colors
                    .split(',')
                    .filter(|c| !c.is_empty())
                    .map(str::to_string)
                    .collect(),
            };
            if let Some(o) = options.iter_mut().find(|o| o.id == option_id) {
                o.values.push(value);
            }
        }
        Ok(options)
    }

    /// Every custom field of a store's products, by product then id.
    pub async fn custom_fields(&self, store_id: i64) -> Result<Vec<CustomField>> {
        sqlx::query("SELECT id, product_id, name, value FROM product_custom_fields WHERE store_id = $1 ORDER BY product_id, id")
            .bind(store_id)
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|row| {
                Ok(CustomField {
                    id: get(row, "id")?,
                    product_id: get(row, "product_id")?,
                    name: get(row, "name")?,
                    value: get(row, "value")?,
                })
            })
            .collect()
    }
}
