//! A product's options as a product page shows them (`Product.productOptions`): the shopper's
//! choices, each of BigCommerce's kinds, with the values of multiple-choice options and which
//! of them the page's selection (`optionValueIds`, or the defaults) has chosen.

use async_graphql::{Enum, Interface, Object, Result, SimpleObject};
use storefront_auth_store::{OptionValue, ProductOption};

use super::connection::{connection, PageRequest};
use super::image::Image;
use super::scalars::DateTime;

#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(rename_items = "SCREAMING_SNAKE_CASE")]
pub enum LimitInputBy {
    HighestValue,
    LowestValue,
    NoLimit,
    Range,
}

#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(rename_items = "SCREAMING_SNAKE_CASE")]
pub enum LimitDateOption {
    EarliestDate,
    LatestDate,
    NoLimit,
    Range,
}

/// What the page has chosen: `(option id, value id)` pairs.
pub type Selection = Vec<(i64, i64)>;

/// An option, with the selection the page was asked with.
#[derive(Clone, Debug)]
pub struct Chosen {
    pub option: ProductOption,
    pub selection: Selection,
}

/// The common fields of every option kind, and `$extra` of its own.
macro_rules! option_kind {
    ($ty:ident, $name:literal, $($extra:tt)*) => {
        #[derive(Clone, Debug)]
        pub struct $ty(pub Chosen);

        #[Object(name = $name)]
        impl $ty {
            $($extra)*
            async fn entity_id(&self) -> i32 {
                self.0.option.id as i32
            }
            async fn display_name(&self) -> &str {
                &self.0.option.display_name
            }
            async fn is_required(&self) -> bool {
                self.0.option.is_required
            }
            /// Variants are one per product in the stand-in: no option makes a variant.
            async fn is_variant_option(&self) -> bool {
                false
            }
        }
    };
}

option_kind! {
    MultipleChoiceOption,
    "MultipleChoiceOption",
    async fn display_style(&self) -> &str {
        &self.0.option.display_style
    }
    async fn values(
        &self,
        before: Option<String>,
        after: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> Result<ProductOptionValueConnection> {
        let page = PageRequest::new(first, after, last, before)?;
        let chosen = &self.0;
        let values: Vec<CatalogProductOptionValue> = chosen
            .option
            .values
            .iter()
            .map(|v| value_of(chosen, v))
            .collect();
        let (items, info) = page.of(values, |v| v.value_id());
        Ok(ProductOptionValueConnection::new(items, info, None))
    }
}

option_kind! {
    CheckboxOption,
    "CheckboxOption",
    async fn checked_by_default(&self) -> bool {
        false
    }
    /// The box's own text is the option's name.
    async fn label(&self) -> &str {
        &self.0.option.display_name
    }
    /// A checkbox's two values are numbered from the option: checked is the option's id,
    /// unchecked is its negation (the cart accepts either).
    async fn checked_option_value_entity_id(&self) -> i32 {
        self.0.option.id as i32
    }
    async fn unchecked_option_value_entity_id(&self) -> i32 {
        -(self.0.option.id as i32)
    }
}

option_kind! {
    TextFieldOption,
    "TextFieldOption",
    async fn default_value(&self) -> Option<String> {
        None
    }
    async fn min_length(&self) -> Option<i32> {
        None
    }
    async fn max_length(&self) -> Option<i32> {
        Some(MAX_TEXT)
    }
}

option_kind! {
    MultiLineTextFieldOption,
    "MultiLineTextFieldOption",
    async fn default_value(&self) -> Option<String> {
        None
    }
    async fn min_length(&self) -> Option<i32> {
        None
    }
    async fn max_length(&self) -> Option<i32> {
        Some(MAX_TEXT)
    }
    async fn max_lines(&self) -> Option<i32> {
        None
    }
}

option_kind! {
    NumberFieldOption,
    "NumberFieldOption",
    async fn default_value(&self) -> Option<f64> {
        None
    }
    async fn lowest(&self) -> Option<f64> {
        None
    }
    async fn highest(&self) -> Option<f64> {
        None
    }
    async fn is_integer_only(&self) -> bool {
        false
    }
    async fn limit_number_by(&self) -> LimitInputBy {
        LimitInputBy::NoLimit
    }
}

option_kind! {
    DateFieldOption,
    "DateFieldOption",
    async fn default_value(&self) -> Option<DateTime> {
        None
    }
    async fn earliest(&self) -> Option<DateTime> {
        None
    }
    async fn latest(&self) -> Option<DateTime> {
        None
    }
    async fn limit_date_by(&self) -> LimitDateOption {
        LimitDateOption::NoLimit
    }
}

/// The longest text a text option takes, in characters (the cart refuses longer).
pub const MAX_TEXT: i32 = 1_000;

// Two fields of one type repeat `ty = "bool"`, which clippy reads as a repeated attribute.
#[allow(clippy::duplicated_attributes)]
#[derive(Interface, Clone, Debug)]
#[graphql(
    field(name = "entity_id", ty = "i32"),
    field(name = "display_name", ty = "&str"),
    field(name = "is_required", ty = "bool"),
    field(name = "is_variant_option", ty = "bool")
)]
pub enum CatalogProductOption {
    MultipleChoiceOption(MultipleChoiceOption),
    CheckboxOption(CheckboxOption),
    TextFieldOption(TextFieldOption),
    MultiLineTextFieldOption(MultiLineTextFieldOption),
    NumberFieldOption(NumberFieldOption),
    DateFieldOption(DateFieldOption),
}

impl CatalogProductOption {
    pub fn of(option: &ProductOption, selection: &Selection) -> CatalogProductOption {
        let chosen = Chosen {
            option: option.clone(),
            selection: selection.clone(),
        };
        match option.kind.as_str() {
            "checkbox" => CatalogProductOption::CheckboxOption(CheckboxOption(chosen)),
            "text" => CatalogProductOption::TextFieldOption(TextFieldOption(chosen)),
            "multi_line_text" => {
                CatalogProductOption::MultiLineTextFieldOption(MultiLineTextFieldOption(chosen))
            }
            "number" => CatalogProductOption::NumberFieldOption(NumberFieldOption(chosen)),
            "date" => CatalogProductOption::DateFieldOption(DateFieldOption(chosen)),
            _ => CatalogProductOption::MultipleChoiceOption(MultipleChoiceOption(chosen)),
        }
    }
}

connection!(
    ProductOptionConnection,
    ProductOptionEdge,
    CatalogProductOption
);

/// What every value has; `selected` is `None` when the page chose nothing for its option.
#[derive(SimpleObject, Clone, Debug)]
pub struct MultipleChoiceOptionValue {
    pub entity_id: i32,
    pub label: String,
    pub is_default: bool,
    pub is_selected: Option<bool>,
}

#[derive(SimpleObject, Clone, Debug)]
#[graphql(complex)]
pub struct SwatchOptionValue {
    pub entity_id: i32,
    pub label: String,
    pub is_default: bool,
    pub is_selected: Option<bool>,
    pub hex_colors: Vec<String>,
}

#[async_graphql::ComplexObject]
impl SwatchOptionValue {
    /// Swatches are colours here, never pattern images.
    async fn image_url(
        &self,
        width: i32,
        height: Option<i32>,
        lossy: Option<bool>,
    ) -> Option<String> {
        let _ = (width, height, lossy);
        None
    }
}

#[derive(SimpleObject, Clone, Debug)]
pub struct ProductPickListOptionValue {
    pub entity_id: i32,
    pub label: String,
    pub is_default: bool,
    pub is_selected: Option<bool>,
    pub product_id: i32,
    pub default_image: Option<Image>,
}

#[derive(Interface, Clone, Debug)]
#[graphql(
    field(name = "entity_id", ty = "&i32"),
    field(name = "label", ty = "&String"),
    field(name = "is_default", ty = "&bool"),
    field(name = "is_selected", ty = "&Option<bool>")
)]
pub enum CatalogProductOptionValue {
    MultipleChoiceOptionValue(MultipleChoiceOptionValue),
    SwatchOptionValue(SwatchOptionValue),
    ProductPickListOptionValue(ProductPickListOptionValue),
}

impl CatalogProductOptionValue {
    fn value_id(&self) -> i64 {
        match self {
            CatalogProductOptionValue::MultipleChoiceOptionValue(v) => v.entity_id as i64,
            CatalogProductOptionValue::SwatchOptionValue(v) => v.entity_id as i64,
            CatalogProductOptionValue::ProductPickListOptionValue(v) => v.entity_id as i64,
        }
    }
}

connection!(
    ProductOptionValueConnection,
    ProductOptionValueEdge,
    CatalogProductOptionValue
);

/// A value as the option's display style shows it, selected when the page chose it.
fn value_of(chosen: &Chosen, v: &OptionValue) -> CatalogProductOptionValue {
    let option_id = chosen.option.id;
    let chose_here = chosen.selection.iter().any(|(o, _)| *o == option_id);
    let is_selected = chose_here.then(|| chosen.selection.contains(&(option_id, v.id)));
    let (entity_id, label, is_default) = (v.id as i32, v.label.clone(), v.is_default);
    match chosen.option.display_style.as_str() {
        "Swatch" => CatalogProductOptionValue::SwatchOptionValue(SwatchOptionValue {
            entity_id,
            label,
            is_default,
            is_selected,
            hex_colors: v.hex_colors.clone(),
        }),
        "ProductPickList" => {
            CatalogProductOptionValue::ProductPickListOptionValue(ProductPickListOptionValue {
                entity_id,
                label,
                is_default,
                is_selected,
                product_id: chosen.option.product_id as i32,
                default_image: None,
            })
        }
        _ => CatalogProductOptionValue::MultipleChoiceOptionValue(MultipleChoiceOptionValue {
            entity_id,
            label,
            is_default,
            is_selected,
        }),
    }
}
