//! An order consignment's shipments, with BigCommerce's types. The stand-in fulfils nothing,
//! so a consignment has no shipments: the connection is always empty (as a BigCommerce order
//! awaiting fulfilment's is), and these types are what a storefront's documents select.

use async_graphql::{SimpleObject, Union};

use super::connection::connection;
use super::scalars::DateTimeExtended;

#[derive(SimpleObject, Clone, Debug)]
pub struct OrderShipmentUrlOnlyTracking {
    pub url: String,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct OrderShipmentNumberOnlyTracking {
    pub number: String,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct OrderShipmentNumberAndUrlTracking {
    pub url: String,
    pub number: String,
}

#[derive(Union, Clone, Debug)]
pub enum OrderShipmentTracking {
    OrderShipmentUrlOnlyTracking(OrderShipmentUrlOnlyTracking),
    OrderShipmentNumberOnlyTracking(OrderShipmentNumberOnlyTracking),
    OrderShipmentNumberAndUrlTracking(OrderShipmentNumberAndUrlTracking),
}

#[derive(SimpleObject, Clone, Debug)]
pub struct OrderShipmentLineItem {
    pub line_item_id: i32,
    pub quantity: i32,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct OrderShipment {
    pub entity_id: i32,
    pub shipped_at: DateTimeExtended,
    pub shipping_provider_name: String,
    pub shipping_method_name: String,
    pub tracking: Option<OrderShipmentTracking>,
    pub items: Vec<OrderShipmentLineItem>,
}

connection!(OrderShipmentConnection, OrderShipmentEdge, OrderShipment);
