//! A product as the schema holds it (`ProductNode`) and what its fields compute, apart from its
//! resolvers (`catalog.rs`) so that compiled plans and the product page's parts compute the same.

use async_graphql::ID;
use storefront_auth_store::Product;

use super::brand::Brand;
use super::connection::connection;
use super::ids::global_id;
use super::image::Image;
use super::inventory::{AggregatedInventory, ProductInventory, Reviews};
use super::money::{discounted, Money, MoneyRange, Prices};
use super::options::Selection;
use super::GqlContext;
use crate::service::catalog::Catalog;
use crate::service::images;

connection!(ProductConnection, ProductEdge, ProductNode);

/// A product's path on the storefront, from its name.
pub fn path(name: &str) -> String {
    storefront_auth_core::catalog::product_path(name)
}

/// A product, with the option values the request chose for it (`site.product`'s
/// `optionValueIds`), which its options show as selected.
#[derive(Clone, Debug)]
pub struct ProductNode(pub Product, pub Selection);

/// What `Product`'s fields compute, beside its resolvers so that compiled plans
/// (`storefront/plan`) compute the same.
impl ProductNode {
    pub fn new(product: Product) -> ProductNode {
        ProductNode(product, Selection::new())
    }

    /// `Product.id`: the global id.
    pub fn global_id(&self) -> ID {
        global_id("Product", self.0.id)
    }

    /// `Product.entityId`.
    pub fn entity_id(&self) -> i32 {
        self.0.id as i32
    }

    /// `Product.path`: the storefront path its name gives.
    pub fn storefront_path(&self) -> String {
        path(&self.0.name)
    }

    /// Its image, served by this server on the storefront host the request addressed.
    pub fn image(&self, gql: &GqlContext) -> Option<Image> {
        let file = &self.0.details.image;
        (!file.is_empty()).then(|| Image {
            url_template: images::url_template(&gql.origin(), &gql.store.hash, file),
            alt_text: self.0.name.clone(),
        })
    }

    /// Its brand, from the held catalog (`None` for a catalog too large to hold).
    pub fn brand_of(&self, held: Option<&Catalog>) -> Option<Brand> {
        let id = self.0.details.brand_id?;
        held?.brand(id).map(Brand::of)
    }

    /// In stock: untracked stock is always available; tracked, while units are on hand.
    pub fn in_stock(p: &Product) -> bool {
        p.details.stock.is_none_or(|n| n > 0)
    }

    pub fn stock(&self) -> ProductInventory {
        let tracked = self.0.details.stock;
        ProductInventory {
            is_in_stock: Self::in_stock(&self.0),
            is_stock_tracked: tracked.is_some(),
            has_variant_inventory: false,
            aggregated: tracked.map(|n| AggregatedInventory {
                available_to_sell: n.clamp(0, i32::MAX as i64) as i32,
                warning_level: 0,
                available_on_hand: super::scalars::Long(n.max(0)),
                unlimited_backorder: false,
                available_for_backorder: Some(super::scalars::Long(0)),
            }),
        }
    }

    /// The stand-in takes no reviews: none, rated 0.
    pub fn review_summary(&self) -> Reviews {
        Reviews {
            average_rating: 0.0,
            number_of_reviews: 0,
            summation_of_ratings: 0,
        }
    }

    /// `Product.prices` for a customer with this group discount (0 for guests), in the
    /// store's currency (`sold_in` checks the one asked for).
    pub fn prices_for(&self, discount_bp: i64) -> Prices {
        let base = self.0.price_cents;
        let price = discounted(base, discount_bp);
        Prices {
            price: Money::cents(price),
            sale_price: (price != base).then(|| Money::cents(price)),
            base_price: Some(Money::cents(base)),
            retail_price: None,
            price_range: MoneyRange {
                min: Money::cents(price),
                max: Money::cents(price),
            },
        }
    }
}
