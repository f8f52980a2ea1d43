//! A cart's lines as a cart page shows them: each physical item with its product's brand,
//! image, absolute URL and the options the shopper chose (named as the product names them),
//! and the kinds of line the stand-in does not sell (digital items, gift certificates).

use async_graphql::{Interface, SimpleObject};
use storefront_auth_store::ProductOption;

use super::image::Image;
use super::money::Money;
use super::product::ProductNode;
use super::scalars::{DateTime, DateTimeExtended};
use super::GqlContext;
use crate::service::cart_options::{self, ChosenOption};
use crate::service::carts::PricedLine;
use crate::service::catalog::Catalog;

#[derive(SimpleObject, Clone, Debug)]
pub struct CartPhysicalItem {
    pub entity_id: String,
    pub product_entity_id: i32,
    pub variant_entity_id: Option<i32>,
    pub sku: Option<String>,
    pub name: String,
    pub quantity: i32,
    pub list_price: Money,
    pub sale_price: Money,
    pub extended_sale_price: Money,
    /// The product page's path (kept from before `url`).
    pub path: String,
    /// The product page's absolute URL on the storefront host.
    pub url: String,
    pub brand: Option<String>,
    pub image: Option<Image>,
    pub image_url: Option<String>,
    pub selected_options: Vec<CartSelectedOption>,
}

/// Digital products are not sold by the stand-in: a cart never holds one.
#[derive(SimpleObject, Clone, Debug)]
pub struct CartDigitalItem {
    pub entity_id: String,
    pub product_entity_id: i32,
    pub variant_entity_id: Option<i32>,
    pub sku: Option<String>,
    pub name: String,
    pub quantity: i32,
    pub list_price: Money,
    pub sale_price: Money,
    pub url: String,
    pub brand: Option<String>,
    pub image: Option<Image>,
    pub selected_options: Vec<CartSelectedOption>,
}

/// Gift certificates are not sold by the stand-in: a cart never holds one.
#[derive(SimpleObject, Clone, Debug)]
pub struct CartGiftCertificate {
    pub entity_id: String,
    pub name: String,
    pub theme: CartGiftCertificateTheme,
    pub amount: Money,
    pub amount_in_display_currency: Money,
    pub is_taxable: bool,
    pub sender: CartGiftCertificateSender,
    pub recipient: CartGiftCertificateRecipient,
    pub message: Option<String>,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct CartGiftCertificateSender {
    pub name: String,
    pub email: String,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct CartGiftCertificateRecipient {
    pub name: String,
    pub email: String,
}

#[derive(async_graphql::Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(rename_items = "SCREAMING_SNAKE_CASE")]
pub enum CartGiftCertificateTheme {
    Birthday,
    Boy,
    Celebration,
    Christmas,
    General,
    Girl,
    None,
}

/// What every chosen option says: the option's id and name.
macro_rules! chosen_kind {
    ($ty:ident { $($field:ident: $t:ty),* }) => {
        #[derive(SimpleObject, Clone, Debug)]
        pub struct $ty {
            pub entity_id: i32,
            pub name: String,
            /// The option's id as text (BigCommerce's attribute id).
            pub attribute_id: String,
            $(pub $field: $t),*
        }
    };
}

chosen_kind!(CartSelectedMultipleChoiceOption {
    value: String,
    value_entity_id: i32
});
chosen_kind!(CartSelectedCheckboxOption {
    value: String,
    value_entity_id: i32
});
chosen_kind!(CartSelectedTextFieldOption { text: String });
chosen_kind!(CartSelectedMultiLineTextFieldOption { text: String });
chosen_kind!(CartSelectedNumberFieldOption { number: f64 });
chosen_kind!(CartSelectedDateFieldOption {
    date: DateTimeExtended
});

// Two fields of one type repeat `ty = "&String"`, which clippy reads as a repeated attribute.
#[allow(clippy::duplicated_attributes)]
#[derive(Interface, Clone, Debug)]
#[graphql(
    field(name = "entity_id", ty = "&i32"),
    field(name = "name", ty = "&String"),
    field(name = "attribute_id", ty = "&String")
)]
pub enum CartSelectedOption {
    CartSelectedMultipleChoiceOption(CartSelectedMultipleChoiceOption),
    CartSelectedCheckboxOption(CartSelectedCheckboxOption),
    CartSelectedTextFieldOption(CartSelectedTextFieldOption),
    CartSelectedMultiLineTextFieldOption(CartSelectedMultiLineTextFieldOption),
    CartSelectedNumberFieldOption(CartSelectedNumberFieldOption),
    CartSelectedDateFieldOption(CartSelectedDateFieldOption),
}

/// A chosen option as the cart shows it; `None` when the product no longer has the option.
fn shown(option: &ProductOption, c: &ChosenOption) -> Option<CartSelectedOption> {
    let (entity_id, name) = (option.id as i32, option.display_name.clone());
    let attribute_id = option.id.to_string();
    Some(match option.kind.as_str() {
        "multiple_choice" => {
            let v = option.values.iter().find(|v| Some(v.id) == c.value)?;
            CartSelectedOption::CartSelectedMultipleChoiceOption(CartSelectedMultipleChoiceOption {
                entity_id,
                name,
                attribute_id,
                value: v.label.clone(),
                value_entity_id: v.id as i32,
            })
        }
        "checkbox" => {
            let checked = c.value? > 0;
            CartSelectedOption::CartSelectedCheckboxOption(CartSelectedCheckboxOption {
                entity_id,
                name,
                attribute_id,
                value: if checked { "Yes" } else { "No" }.into(),
                value_entity_id: c.value? as i32,
            })
        }
        "text" => CartSelectedOption::CartSelectedTextFieldOption(CartSelectedTextFieldOption {
            entity_id,
            name,
            attribute_id,
            text: c.text.clone()?,
        }),
        "multi_line_text" => CartSelectedOption::CartSelectedMultiLineTextFieldOption(
            CartSelectedMultiLineTextFieldOption {
                entity_id,
                name,
                attribute_id,
                text: c.text.clone()?,
            },
        ),
        "number" => {
            CartSelectedOption::CartSelectedNumberFieldOption(CartSelectedNumberFieldOption {
                entity_id,
                name,
                attribute_id,
                number: c.number?,
            })
        }
        "date" => CartSelectedOption::CartSelectedDateFieldOption(CartSelectedDateFieldOption {
            entity_id,
            name,
            attribute_id,
            date: DateTimeExtended {
                utc: DateTime(c.date.clone()?),
            },
        }),
        _ => return None,
    })
}

/// A priced line as a cart page shows it, with what the held catalog says of its product.
pub fn physical_item(gql: &GqlContext, held: &Catalog, l: &PricedLine) -> CartPhysicalItem {
    let product = held.by_id(l.item.product_id).cloned().map(ProductNode::new);
    let path = product
        .as_ref()
        .map_or_else(|| super::catalog::path(&l.name), |p| p.storefront_path());
    let image = product.as_ref().and_then(|p| p.image(gql));
    let selected_options = cart_options::decode(&l.item.selected_options)
        .iter()
        .filter_map(|c| {
            let option = held.content.options.iter().find(|o| o.id == c.option)?;
            shown(option, c)
        })
        .collect();
    CartPhysicalItem {
        entity_id: l.item.id.clone(),
        product_entity_id: l.item.product_id as i32,
        variant_entity_id: l.item.variant_id.map(|v| v as i32),
        sku: Some(l.sku.clone()).filter(|s| !s.is_empty()),
        name: l.name.clone(),
        quantity: l.item.quantity as i32,
        list_price: Money::cents(l.list_cents),
        sale_price: Money::cents(l.sale_cents),
        extended_sale_price: Money::cents(l.extended_sale_cents()),
        url: format!("{}{path}", gql.origin()),
        path,
        brand: product
            .as_ref()
            .and_then(|p| p.brand_of(Some(held)))
            .map(|b| b.name),
        image_url: image
            .as_ref()
            .map(|i| i.url_template.replace("{:size}", "original")),
        image,
        selected_options,
    }
}
