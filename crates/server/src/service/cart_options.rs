//! The options a shopper chose for a cart line: checked against the product's options when
//! the line is added (every value one of the option's, every required option answered, text
//! within bounds), and kept with the line in one canonical text, so that two lines merge
//! only when their choices are the same.

use serde::{Deserialize, Serialize};
use storefront_auth_store::ProductOption;

use super::catalog::Catalog;

/// The longest text a text option takes, in characters.
pub const MAX_TEXT: usize = 1_000;

/// One answered option: a value for multiple choice and checkboxes (a checkbox's checked value
/// is its option's id, unchecked its negation), or the text, number or date typed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChosenOption {
    pub option: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum OptionError {
    #[error("Option {0} is not an option of this product.")]
    Unknown(i64),
    #[error("Option \"{0}\" was given more than once.")]
    Twice(String),
    #[error("Option \"{0}\" has no such value.")]
    NoSuchValue(String),
    #[error("Option \"{0}\" needs a value of its own kind.")]
    WrongKind(String),
    #[error("Option \"{0}\" takes at most {MAX_TEXT} characters.")]
    TooLong(String),
    #[error("Option \"{0}\" is required.")]
    Required(String),
}

/// The canonical text of a line's choices (by option id), as stored with the line.
pub fn encode(chosen: &[ChosenOption]) -> String {
    let mut sorted = chosen.to_vec();
    sorted.sort_by_key(|c| c.option);
    serde_json::to_string(&sorted).unwrap_or_else(|_| "[]".into())
}

/// A stored line's choices; text that is not ours reads as none.
pub fn decode(text: &str) -> Vec<ChosenOption> {
    serde_json::from_str(text).unwrap_or_default()
}

/// Checks `chosen` against the options the held catalog gives the product.
pub fn check_product(
    held: &Catalog,
    product_id: i64,
    chosen: &[ChosenOption],
) -> Result<(), OptionError> {
    let options: Vec<&ProductOption> = held
        .content
        .options
        .iter()
        .filter(|o| o.product_id == product_id)
        .collect();
    check(&options, chosen)
}

/// Checks `chosen` against the product's `options`.
pub fn check(options: &[&ProductOption], chosen: &[ChosenOption]) -> Result<(), OptionError> {
    for (i, c) in chosen.iter().enumerate() {
        let option = options
            .iter()
            .find(|o| o.id == c.option)
            .ok_or(OptionError::Unknown(c.option))?;
        let name = || option.display_name.clone();
        if chosen[..i].iter().any(|d| d.option == c.option) {
            return Err(OptionError::Twice(name()));
        }
        let answered = match option.kind.as_str() {
            "multiple_choice" => c
                .value
                .map(|v| option.values.iter().any(|x| x.id == v))
                .ok_or_else(|| OptionError::WrongKind(name()))?,
            "checkbox" => c
                .value
                .map(|v| v.abs() == option.id)
                .ok_or_else(|| OptionError::WrongKind(name()))?,
            "text" | "multi_line_text" => {
                let text = c
                    .text
                    .as_ref()
                    .ok_or_else(|| OptionError::WrongKind(name()))?;
                if text.chars().count() > MAX_TEXT {
                    return Err(OptionError::TooLong(name()));
                }
                true
            }
            "number" => c.number.is_some_and(f64::is_finite),
            "date" => c.date.is_some(),
            _ => false,
        };
        if !answered {
            return Err(OptionError::NoSuchValue(name()));
        }
    }
    match options
        .iter()
        .find(|o| o.is_required && !chosen.iter().any(|c| c.option == o.id))
    {
        Some(missing) => Err(OptionError::Required(missing.display_name.clone())),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use storefront_auth_store::OptionValue;

    fn option(id: i64, kind: &str, required: bool) -> ProductOption {
        ProductOption {
            id,
            product_id: 1,
            kind: kind.into(),
            display_name: format!("O{id}"),
            display_style: String::new(),
            is_required: required,
            values: vec![OptionValue {
                id: 10,
                label: "Steel".into(),
                is_default: true,
                hex_colors: Vec::new(),
            }],
        }
    }

    fn value(option: i64, value: i64) -> ChosenOption {
        ChosenOption {
            option,
            value: Some(value),
            text: None,
            number: None,
            date: None,
        }
    }

    #[test]
    fn choices_are_checked_against_the_products_options() {
        let (choice, check_box, text) = (
            option(1, "multiple_choice", true),
            option(2, "checkbox", false),
            option(3, "text", false),
        );
        let options = [&choice, &check_box, &text];
        assert_eq!(check(&options, &[value(1, 10)]), Ok(()));
        assert_eq!(
            check(&options, &[]),
            Err(OptionError::Required("O1".into()))
        );
        assert_eq!(
            check(&options, &[value(1, 11)]),
            Err(OptionError::NoSuchValue("O1".into()))
        );
        assert_eq!(
            check(&options, &[value(9, 10)]),
            Err(OptionError::Unknown(9))
        );
        assert_eq!(
            check(&options, &[value(1, 10), value(1, 10)]),
            Err(OptionError::Twice("O1".into()))
        );
        assert_eq!(check(&options, &[value(1, 10), value(2, -2)]), Ok(()));
        let long = ChosenOption {
            text: Some("x".repeat(MAX_TEXT + 1)),
            value: None,
            ..value(3, 0)
        };
        assert_eq!(
            check(&options, &[value(1, 10), long]),
            Err(OptionError::TooLong("O3".into()))
        );
        assert_eq!(
            check(&options, &[value(1, 10), value(3, 1)]),
            Err(OptionError::WrongKind("O3".into()))
        );
    }

    #[test]
    fn the_stored_text_is_canonical() {
        let a = encode(&[value(2, -2), value(1, 10)]);
        assert_eq!(a, encode(&[value(1, 10), value(2, -2)]));
        assert_eq!(decode(&a), vec![value(1, 10), value(2, -2)]);
        assert_eq!(decode("not json"), Vec::new());
        assert_eq!(encode(&[]), "[]");
    }
}
