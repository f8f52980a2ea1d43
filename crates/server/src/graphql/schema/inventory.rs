//! Stock as a storefront shows it: per product, summed (`aggregated`), per variant and per
//! location; and the review summary shown beside it.

use async_graphql::{Object, SimpleObject, ID};

use super::connection::{connection, PageRequest};
use super::scalars::Long;

#[derive(SimpleObject, Clone, Debug)]
pub struct ProductInventory {
    pub is_in_stock: bool,
    pub is_stock_tracked: bool,
    pub has_variant_inventory: bool,
    pub aggregated: Option<AggregatedInventory>,
}

/// Stock summed over locations (the stand-in has one, the store's own).
#[derive(SimpleObject, Clone, Debug)]
pub struct AggregatedInventory {
    pub available_to_sell: i32,
    pub warning_level: i32,
    pub available_on_hand: Long,
    pub unlimited_backorder: bool,
    pub available_for_backorder: Option<Long>,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct Reviews {
    pub average_rating: f64,
    pub number_of_reviews: i32,
    pub summation_of_ratings: i32,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct InventoryByLocations {
    pub location_entity_id: Long,
    pub available_to_sell: Long,
    pub warning_level: i32,
    pub is_in_stock: bool,
    pub location_entity_code: String,
    pub backorder_message: String,
}

connection!(LocationConnection, LocationEdge, InventoryByLocations);

/// A variant's stock summed over locations (BigCommerce's `Aggregated`, beside the product's
/// `AggregatedInventory`).
#[derive(SimpleObject, Clone, Debug)]
pub struct Aggregated {
    pub available_to_sell: Long,
    pub warning_level: i32,
    pub available_on_hand: Long,
    pub unlimited_backorder: bool,
    pub available_for_backorder: Option<Long>,
}

impl Aggregated {
    /// From units on hand (tracked stock); no backorders.
    pub fn of_stock(units: i64) -> Aggregated {
        Aggregated {
            available_to_sell: Long(units.max(0)),
            warning_level: 0,
            available_on_hand: Long(units.max(0)),
            unlimited_backorder: false,
            available_for_backorder: Some(Long(0)),
        }
    }
}

#[derive(Clone, Debug)]
pub struct VariantInventory {
    pub is_in_stock: bool,
    /// `null` when stock is not tracked.
    pub aggregated: Option<Aggregated>,
}

#[Object]
impl VariantInventory {
    async fn is_in_stock(&self) -> bool {
        self.is_in_stock
    }
    async fn aggregated(&self) -> Option<&Aggregated> {
        self.aggregated.as_ref()
    }
    /// Stock per location: the stand-in keeps stock per product, in no location.
    #[allow(clippy::too_many_arguments)]
    async fn by_location(
        &self,
        #[graphql(default)] location_entity_ids: Vec<i32>,
        #[graphql(default)] location_entity_codes: Vec<String>,
        #[graphql(default)] location_entity_type_ids: Vec<String>,
        #[graphql(default)] location_entity_service_type_ids: Vec<String>,
        before: Option<String>,
        after: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> async_graphql::Result<Option<LocationConnection>> {
        let _ = (
            location_entity_ids,
            location_entity_codes,
            location_entity_type_ids,
            location_entity_service_type_ids,
        );
        PageRequest::new(first, after, last, before)?;
        Ok(Some(LocationConnection::empty()))
    }
}

#[derive(SimpleObject, Clone, Debug)]
pub struct Variant {
    pub id: ID,
    pub entity_id: i32,
    pub sku: String,
    pub inventory: Option<VariantInventory>,
    pub is_purchasable: bool,
}
