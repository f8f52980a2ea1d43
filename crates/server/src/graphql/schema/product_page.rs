//! What a product page reads of a product beyond a listing's card: its options, images,
//! custom fields, weight, condition, identifiers, purchase limits, availability and related
//! products. `Product`'s resolvers (`catalog.rs`) answer with these.

use async_graphql::{Enum, Interface, SimpleObject};
use storefront_auth_store::Product;

use super::connection::{connection, PageRequest};
use super::image::Image;
use super::options::{CatalogProductOption, ProductOptionConnection, Selection};
use super::product::ProductNode;
use super::scalars::DateTimeExtended;
use crate::service::catalog::Catalog;

#[derive(SimpleObject, Clone, Debug)]
pub struct Measurement {
    pub value: f64,
    pub unit: String,
}

/// Weights are kept in grams and shown in kilograms.
pub fn weight(p: &Product) -> Option<Measurement> {
    p.details.weight_grams.map(|g| Measurement {
        value: g as f64 / 1000.0,
        unit: "kg".into(),
    })
}

#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(rename_items = "SCREAMING_SNAKE_CASE")]
pub enum ProductConditionType {
    New,
    Refurbished,
    Used,
}

pub fn condition(p: &Product) -> Option<ProductConditionType> {
    match p.details.condition.as_str() {
        "NEW" => Some(ProductConditionType::New),
        "USED" => Some(ProductConditionType::Used),
        "REFURBISHED" => Some(ProductConditionType::Refurbished),
        _ => None,
    }
}

#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(rename_items = "PascalCase")]
pub enum ProductAvailabilityStatus {
    Available,
    Preorder,
    Unavailable,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct ProductAvailable {
    pub status: ProductAvailabilityStatus,
    pub description: String,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct ProductPreOrder {
    pub status: ProductAvailabilityStatus,
    pub description: String,
    pub message: Option<String>,
    pub will_be_released_at: Option<DateTimeExtended>,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct ProductUnavailable {
    pub status: ProductAvailabilityStatus,
    pub description: String,
    pub message: Option<String>,
}

#[derive(Interface, Clone, Debug)]
#[graphql(
    field(name = "status", ty = "&ProductAvailabilityStatus"),
    field(name = "description", ty = "&String")
)]
pub enum ProductAvailability {
    ProductAvailable(ProductAvailable),
    ProductPreOrder(ProductPreOrder),
    ProductUnavailable(ProductUnavailable),
}

/// Whether the product is for sale (its availability setting; stock is `inventory`'s).
pub fn availability(p: &Product) -> ProductAvailability {
    match p.details.availability.as_str() {
        "preorder" => ProductAvailability::ProductPreOrder(ProductPreOrder {
            status: ProductAvailabilityStatus::Preorder,
            description: "Pre-order".into(),
            message: None,
            will_be_released_at: None,
        }),
        "disabled" => ProductAvailability::ProductUnavailable(ProductUnavailable {
            status: ProductAvailabilityStatus::Unavailable,
            description: "Unavailable".into(),
            message: Some("This product is not for sale.".into()),
        }),
        _ => ProductAvailability::ProductAvailable(ProductAvailable {
            status: ProductAvailabilityStatus::Available,
            description: String::new(),
        }),
    }
}

/// Whether the page shows "Add to cart": not for a product that is not for sale.
pub fn show_cart_action(p: &Product) -> bool {
    p.details.availability != "disabled"
}

#[derive(SimpleObject, Clone, Debug)]
pub struct CustomField {
    pub entity_id: i32,
    pub name: String,
    pub value: String,
}

connection!(CustomFieldConnection, CustomFieldEdge, CustomField);
connection!(ImageConnection, ImageEdge, Image);
connection!(RelatedProductsConnection, RelatedProductsEdge, ProductNode);

/// The product's custom fields (those named, when `names` names some), by id.
pub fn custom_fields(
    held: &Catalog,
    p: &Product,
    names: &[String],
    page: PageRequest,
) -> CustomFieldConnection {
    let rows: Vec<CustomField> = held
        .content
        .custom_fields
        .iter()
        .filter(|f| f.product_id == p.id && (names.is_empty() || names.contains(&f.name)))
        .map(|f| CustomField {
            entity_id: f.id as i32,
            name: f.name.clone(),
            value: f.value.clone(),
        })
        .collect();
    let (items, info) = page.of(rows, |f| f.entity_id as i64);
    CustomFieldConnection::new(items, info, None)
}

/// The product's options in their order, showing `selection` (or, when asked, each option's
/// default value) as chosen.
pub fn options(held: &Catalog, node: &ProductNode, page: PageRequest) -> ProductOptionConnection {
    let rows: Vec<(i64, CatalogProductOption)> = held
        .content
        .options
        .iter()
        .filter(|o| o.product_id == node.0.id)
        .enumerate()
        .map(|(i, o)| (i as i64 + 1, CatalogProductOption::of(o, &node.1)))
        .collect();
    let (items, info) = page.of(rows, |(i, _)| *i);
    ProductOptionConnection::new(
        items.into_iter().map(|(i, (_, o))| (i, o)).collect(),
        info,
        None,
    )
}

/// The values `optionValueIds` chose, plus each unchosen option's default when
/// `useDefaultOptionSelections` is set. Values of other products' options are ignored.
pub fn selection(
    held: &Catalog,
    product_id: i64,
    chosen: &[(i64, i64)],
    use_defaults: bool,
) -> Selection {
    let options: Vec<_> = held
        .content
        .options
        .iter()
        .filter(|o| o.product_id == product_id)
        .collect();
    let mut out: Selection = chosen
        .iter()
        .filter(|(o, v)| {
            options
                .iter()
                .any(|opt| opt.id == *o && opt.values.iter().any(|x| x.id == *v))
        })
        .copied()
        .collect();
    if use_defaults {
        for o in &options {
            if out.iter().any(|(x, _)| *x == o.id) {
                continue;
            }
            if let Some(v) = o.values.iter().find(|v| v.is_default) {
                out.push((o.id, v.id));
            }
        }
    }
    out
}

/// Products that share a category with this one, by id.
pub fn related(
    held: &Catalog,
    p: &Product,
    hide_out_of_stock: bool,
    page: PageRequest,
) -> RelatedProductsConnection {
    let mine: Vec<i64> = held.categories_of(p.id).collect();
    let rows: Vec<ProductNode> = held
        .products
        .iter()
        .filter(|o| o.id != p.id && held.categories_of(o.id).any(|c| mine.contains(&c)))
        .filter(|o| !hide_out_of_stock || ProductNode::in_stock(o))
        .map(|o| ProductNode::new(o.clone()))
        .collect();
    let (items, info) = page.of(rows, |n| n.0.id);
    RelatedProductsConnection::new(items, info, None)
}
