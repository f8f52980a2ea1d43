//! The inputs a cart line carries: the options the shopper chose, in BigCommerce's shape (one
//! list per kind of option), and the inputs and results of changing a line or the currency.

use async_graphql::{InputObject, SimpleObject};

use super::cart::CartNode;
use super::cart_items::CartGiftCertificateTheme;
use super::scalars::BigDecimal;
use crate::service::cart_options::ChosenOption;

#[derive(InputObject, Clone, Debug)]
pub struct CartSelectedOptionsInput {
    pub checkboxes: Option<Vec<CartSelectedCheckboxOptionInput>>,
    pub date_fields: Option<Vec<CartSelectedDateFieldOptionInput>>,
    pub multi_line_text_fields: Option<Vec<CartSelectedMultiLineTextFieldOptionInput>>,
    pub multiple_choices: Option<Vec<CartSelectedMultipleChoiceOptionInput>>,
    pub number_fields: Option<Vec<CartSelectedNumberFieldOptionInput>>,
    pub text_fields: Option<Vec<CartSelectedTextFieldOptionInput>>,
}

#[derive(InputObject, Clone, Debug)]
pub struct CartSelectedCheckboxOptionInput {
    pub option_entity_id: i32,
    pub option_value_entity_id: i32,
}

#[derive(InputObject, Clone, Debug)]
pub struct CartSelectedMultipleChoiceOptionInput {
    pub option_entity_id: i32,
    pub option_value_entity_id: i32,
}

#[derive(InputObject, Clone, Debug)]
pub struct CartSelectedTextFieldOptionInput {
    pub option_entity_id: i32,
    pub text: String,
}

#[derive(InputObject, Clone, Debug)]
pub struct CartSelectedMultiLineTextFieldOptionInput {
    pub option_entity_id: i32,
    pub text: String,
}

#[derive(InputObject, Clone, Debug)]
pub struct CartSelectedNumberFieldOptionInput {
    pub option_entity_id: i32,
    pub number: f64,
}

#[derive(InputObject, Clone, Debug)]
pub struct CartSelectedDateFieldOptionInput {
    pub option_entity_id: i32,
    pub date: super::scalars::DateTime,
}

impl CartSelectedOptionsInput {
    /// Every answered option, of every kind.
    pub fn chosen(self) -> Vec<ChosenOption> {
        let none = |option: i32| ChosenOption {
            option: option.into(),
            value: None,
            text: None,
            number: None,
            date: None,
        };
        let mut out = Vec::new();
        for c in self.checkboxes.unwrap_or_default() {
            out.push(ChosenOption {
                value: Some(c.option_value_entity_id.into()),
                ..none(c.option_entity_id)
            });
        }
        for c in self.multiple_choices.unwrap_or_default() {
            out.push(ChosenOption {
                value: Some(c.option_value_entity_id.into()),
                ..none(c.option_entity_id)
            });
        }
        for t in self.text_fields.unwrap_or_default() {
            out.push(ChosenOption {
                text: Some(t.text),
                ..none(t.option_entity_id)
            });
        }
        for t in self.multi_line_text_fields.unwrap_or_default() {
            out.push(ChosenOption {
                text: Some(t.text),
                ..none(t.option_entity_id)
            });
        }
        for n in self.number_fields.unwrap_or_default() {
            out.push(ChosenOption {
                number: Some(n.number),
                ..none(n.option_entity_id)
            });
        }
        for d in self.date_fields.unwrap_or_default() {
            out.push(ChosenOption {
                date: Some(d.date.0),
                ..none(d.option_entity_id)
            });
        }
        out
    }
}

#[derive(InputObject, Clone, Debug)]
pub struct CartLineItemInput {
    pub quantity: i32,
    pub product_entity_id: Option<i32>,
    pub variant_entity_id: Option<i32>,
    pub sku: Option<String>,
    pub selected_options: Option<CartSelectedOptionsInput>,
}

#[derive(InputObject, Clone, Debug)]
pub struct CartGiftCertificateSenderInput {
    pub name: String,
    pub email: String,
}

#[derive(InputObject, Clone, Debug)]
pub struct CartGiftCertificateRecipientInput {
    pub name: String,
    pub email: String,
}

/// A gift certificate line. Accepted by the schema; this store sells none (see `update`).
#[derive(InputObject, Clone, Debug)]
pub struct CartGiftCertificateInput {
    pub name: String,
    pub theme: CartGiftCertificateTheme,
    pub amount: BigDecimal,
    pub quantity: i32,
    pub sender: CartGiftCertificateSenderInput,
    pub recipient: CartGiftCertificateRecipientInput,
    pub message: Option<String>,
}

#[derive(InputObject, Clone, Debug)]
pub struct UpdateCartLineItemDataInput {
    pub line_item: Option<CartLineItemInput>,
    pub gift_certificate: Option<CartGiftCertificateInput>,
}

#[derive(InputObject, Clone, Debug)]
pub struct UpdateCartLineItemInput {
    pub cart_entity_id: String,
    pub line_item_entity_id: String,
    pub data: UpdateCartLineItemDataInput,
    pub version: Option<i32>,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct UpdateCartLineItemResult {
    pub cart: Option<CartNode>,
}

#[derive(InputObject, Clone, Debug)]
pub struct UpdateCartCurrencyDataInput {
    pub currency_code: String,
}

#[derive(InputObject, Clone, Debug)]
pub struct UpdateCartCurrencyInput {
    pub cart_entity_id: String,
    pub data: UpdateCartCurrencyDataInput,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct UpdateCartCurrencyResult {
    pub cart: Option<CartNode>,
}
