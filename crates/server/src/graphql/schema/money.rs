//! Money as the schema shows it: amounts in the store's currency, ranges, a product's prices.

use async_graphql::{Object, Result, SimpleObject};

use super::scalars::{BigDecimal, CurrencyCode};

pub use storefront_auth_core::money::{discounted, CURRENCY};

/// An amount in the store's currency, kept in cents; its fields are computed only when a
/// document selects them (prices are on the hot path of every product listing).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Money {
    pub cents: i64,
}

impl Money {
    pub fn cents(cents: i64) -> Money {
        Money { cents }
    }

    pub fn decimal(&self) -> BigDecimal {
        BigDecimal(storefront_auth_core::money::decimal(self.cents))
    }

    pub fn formatted(&self) -> String {
        storefront_auth_core::money::format(self.cents)
    }
}

#[Object(name = "Money")]
impl Money {
    async fn currency_code(&self) -> &'static str {
        CURRENCY
    }
    async fn value(&self) -> BigDecimal {
        self.decimal()
    }
    #[graphql(name = "formattedV2")]
    async fn formatted_v2(&self) -> Option<String> {
        Some(self.formatted())
    }
}

#[derive(SimpleObject, Clone, Debug)]
pub struct MoneyRange {
    pub min: Money,
    pub max: Money,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct Prices {
    pub price: Money,
    pub sale_price: Option<Money>,
    pub base_price: Option<Money>,
    pub retail_price: Option<Money>,
    pub price_range: MoneyRange,
}

/// Prices may be asked for in the store's currency only.
pub fn sold_in(currency_code: Option<CurrencyCode>) -> Result<()> {
    match currency_code {
        Some(c) if c != CurrencyCode::Usd => {
            Err(async_graphql::Error::new("This store only sells in USD."))
        }
        _ => Ok(()),
    }
}
