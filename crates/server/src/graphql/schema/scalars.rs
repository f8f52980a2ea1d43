//! Scalars and enums with the Storefront API's own names (`Long`, `BigDecimal`, `URL`,
//! `DateTime`, the lowercase `currencyCode`).

use async_graphql::{
    Enum, InputValueError, InputValueResult, Scalar, ScalarType, SimpleObject, Value,
};

/// A 64-bit integer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Long(pub i64);

#[Scalar(name = "Long")]
impl ScalarType for Long {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::Number(n) => n
                .as_i64()
                .map(Long)
                .ok_or_else(|| InputValueError::custom("Long must be an integer")),
            _ => Err(InputValueError::expected_type(value)),
        }
    }
    fn to_value(&self) -> Value {
        Value::Number(self.0.into())
    }
}

/// A decimal amount, serialized as a JSON number.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BigDecimal(pub f64);

#[Scalar(name = "BigDecimal")]
impl ScalarType for BigDecimal {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::Number(n) => n
                .as_f64()
                .map(BigDecimal)
                .ok_or_else(|| InputValueError::custom("BigDecimal must be a number")),
            _ => Err(InputValueError::expected_type(value)),
        }
    }
    fn to_value(&self) -> Value {
        serde_json::Number::from_f64(self.0)
            .map(Value::Number)
            .unwrap_or(Value::Null)
    }
}

/// A UUID, as text (`entityId` of scripts).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Uuid(pub String);

#[Scalar(name = "UUID")]
impl ScalarType for Uuid {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(s)
                if s.len() == 36 && s.chars().all(|c| c.is_ascii_hexdigit() || c == '-') =>
            {
                Ok(Uuid(s.to_ascii_lowercase()))
            }
            _ => Err(InputValueError::custom("UUID must be a UUID string")),
        }
    }
    fn to_value(&self) -> Value {
        Value::String(self.0.clone())
    }
}

/// An absolute URL such as `https://shop.example/cart`, or the empty string for "none":
/// Catalyst reports a direct visit with `refererUrl: ""` and the platform takes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Url(pub String);

#[Scalar(name = "URL")]
impl ScalarType for Url {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            // Checked, not rewritten: the text is kept as the client sent it.
            Value::String(s) if s.is_empty() || url::Url::parse(s).is_ok() => Ok(Url(s.clone())),
            Value::String(_) => Err(InputValueError::custom(
                "URL must be an absolute URL such as https://shop.example/",
            )),
            _ => Err(InputValueError::expected_type(value)),
        }
    }
    fn to_value(&self) -> Value {
        Value::String(self.0.clone())
    }
}

/// An ISO-8601 UTC timestamp such as `2024-07-19T16:30:29Z`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateTime(pub String);

#[Scalar(name = "DateTime")]
impl ScalarType for DateTime {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(s) if storefront_auth_core::clock::parse_rfc3339(s).is_some() => {
                Ok(DateTime(s.clone()))
            }
            _ => Err(InputValueError::custom(
                "DateTime must be an RFC 3339 timestamp",
            )),
        }
    }
    fn to_value(&self) -> Value {
        Value::String(self.0.clone())
    }
}

impl DateTime {
    pub fn from_unix(t: i64) -> Self {
        DateTime(storefront_auth_core::clock::format_rfc3339(t))
    }
}

#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(name = "currencyCode", rename_items = "UPPERCASE")]
pub enum CurrencyCode {
    Usd,
    Eur,
    Gbp,
    Cad,
    Aud,
}

impl CurrencyCode {
    pub fn as_str(self) -> &'static str {
        match self {
            CurrencyCode::Usd => "USD",
            CurrencyCode::Eur => "EUR",
            CurrencyCode::Gbp => "GBP",
            CurrencyCode::Cad => "CAD",
            CurrencyCode::Aud => "AUD",
        }
    }
}

#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum StorefrontStatusType {
    Hibernation,
    Launched,
    Maintenance,
    PreLaunch,
}

#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum RouteRedirectBehavior {
    Follow,
    Ignore,
}

/// Order statuses (SPEC §7 moves orders from INCOMPLETE to AWAITING_FULFILLMENT).
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrderStatusValue {
    AwaitingFulfillment,
    AwaitingPayment,
    Cancelled,
    Completed,
    Declined,
    Incomplete,
    Pending,
    Refunded,
    Shipped,
}

#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompanyStatus {
    Approved,
    Deleted,
    Inactive,
    Pending,
    Rejected,
}

// A date with the forms BigCommerce gives (`utc`). A plain comment: a doc comment would
// become its description in the SDL.
#[derive(SimpleObject, Clone, Debug)]
pub struct DateTimeExtended {
    pub utc: DateTime,
}
