//! Gift certificates. The stand-in sells none and issues none: the settings say they are off
//! (with BigCommerce's own bounds for a custom amount), and a code never finds a certificate.
//! The types are BigCommerce's, because storefronts' documents name them.

use async_graphql::{Enum, Interface, SimpleObject};

use super::money::Money;
use super::scalars::{DateTimeExtended, Long};

#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(rename_items = "SCREAMING_SNAKE_CASE")]
pub enum GiftCertificateExpiryTimeUnit {
    Days,
    Months,
    Weeks,
    Years,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct GiftCertificateExpirySettings {
    pub value: Option<Long>,
    pub unit: Option<GiftCertificateExpiryTimeUnit>,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct CustomAmountGiftCertificateSettings {
    pub minimum_amount: Money,
    pub maximum_amount: Money,
    pub currency_code: String,
    pub is_enabled: bool,
    /// `null`: certificates never expire.
    pub expiry: Option<GiftCertificateExpirySettings>,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct FixedAmountGiftCertificateSettings {
    pub amounts: Vec<Money>,
    pub currency_code: String,
    pub is_enabled: bool,
    pub expiry: Option<GiftCertificateExpirySettings>,
}

#[derive(Interface, Clone, Debug)]
#[graphql(
    field(name = "currency_code", ty = "&String"),
    field(name = "is_enabled", ty = "&bool"),
    field(name = "expiry", ty = "&Option<GiftCertificateExpirySettings>")
)]
pub enum GiftCertificateSettings {
    CustomAmountGiftCertificateSettings(CustomAmountGiftCertificateSettings),
    FixedAmountGiftCertificateSettings(FixedAmountGiftCertificateSettings),
}

impl GiftCertificateSettings {
    /// Off, with the platform's bounds for a custom amount (1.00 to 1,000.00).
    pub fn disabled(currency_code: &str) -> GiftCertificateSettings {
        GiftCertificateSettings::CustomAmountGiftCertificateSettings(
            CustomAmountGiftCertificateSettings {
                minimum_amount: Money::cents(100),
                maximum_amount: Money::cents(100_000),
                currency_code: currency_code.to_string(),
                is_enabled: false,
                expiry: None,
            },
        )
    }
}

#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(rename_items = "SCREAMING_SNAKE_CASE")]
pub enum GiftCertificateStatus {
    Active,
    Disabled,
    Expired,
    Pending,
}

#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(rename_items = "SCREAMING_SNAKE_CASE")]
pub enum GiftCertificateTheme {
    Birthday,
    Boy,
    Celebration,
    Christmas,
    General,
    Girl,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct GiftCertificateCustomerInfo {
    pub name: String,
    pub email: String,
}

/// A gift certificate: none exists in the stand-in, so `site.giftCertificate` answers `null`
/// for every code.
#[derive(SimpleObject, Clone, Debug)]
pub struct GiftCertificate {
    pub amount: Money,
    pub balance: Money,
    pub code: String,
    pub currency_code: String,
    pub message: Option<String>,
    pub status: GiftCertificateStatus,
    pub recipient: GiftCertificateCustomerInfo,
    pub sender: GiftCertificateCustomerInfo,
    pub purchased_at: DateTimeExtended,
    pub expires_at: Option<DateTimeExtended>,
    pub theme: GiftCertificateTheme,
    pub html: Option<String>,
}
