//! The plan's catalog types: a product connection and its edges and page info, products and
//! their prices, images, brands and inventory. Fields are written from the values the schema's
//! own data functions return; what a resolver computes, the plan computes with the same
//! function (`schema::catalog`); a field that is only read is read here too.

use crate::graphql::schema::catalog::{
    sold_in, Brand, Image, Money, MoneyRange, Prices, ProductConnection, ProductEdge,
    ProductInventory, ProductNode, CURRENCY,
};
use crate::graphql::schema::connection::{cursor, CollectionInfo, PageInfo};
use crate::graphql::schema::scalars::CurrencyCode;
use crate::graphql::schema::GqlContext;

use super::collect::{Compile, FieldRef, Sel};
use super::json::{Json, Leaf};
use super::{list, nullable, object, Fallback, Write};

#[derive(Debug)]
pub enum ConnectionField {
    PageInfo(Sel<PageInfo>),
    Edges(Sel<ProductEdge>),
    CollectionInfo(Sel<CollectionInfo>),
}

impl Compile for ProductConnection {
    const NAME: &'static str = "ProductConnection";
    type Field = ConnectionField;
    fn compile(f: &FieldRef<'_>) -> Option<ConnectionField> {
        Some(match f.name {
            "pageInfo" => ConnectionField::PageInfo(f.object::<PageInfo>()?),
            "edges" => ConnectionField::Edges(f.object::<ProductEdge>()?),
            "collectionInfo" => ConnectionField::CollectionInfo(f.object::<CollectionInfo>()?),
            _ => return None,
        })
    }
}

impl Write for ProductConnection {
    fn write(
        &self,
        field: &ConnectionField,
        gql: &GqlContext,
        out: &mut Json,
    ) -> Result<(), Fallback> {
        match field {
            ConnectionField::PageInfo(s) => object(&self.page_info, s, gql, out),
            ConnectionField::Edges(s) => list(self.edges.as_deref(), s, gql, out),
            ConnectionField::CollectionInfo(s) => {
                nullable(self.collection_info.as_ref(), s, gql, out)
            }
        }
    }
}

#[derive(Debug)]
pub enum EdgeField {
    Node(Sel<ProductNode>),
    Cursor,
}

impl Compile for ProductEdge {
    const NAME: &'static str = "ProductEdge";
    type Field = EdgeField;
    fn compile(f: &FieldRef<'_>) -> Option<EdgeField> {
        Some(match f.name {
            "node" => EdgeField::Node(f.object::<ProductNode>()?),
            "cursor" => EdgeField::Cursor,
            _ => return None,
        })
    }
}

impl Write for ProductEdge {
    fn write(&self, field: &EdgeField, gql: &GqlContext, out: &mut Json) -> Result<(), Fallback> {
        match field {
            EdgeField::Node(s) => return object(&self.node, s, gql, out),
            EdgeField::Cursor => cursor(self.position).write(out),
        }
        Ok(())
    }
}

#[derive(Debug)]
pub enum ProductField {
    Id,
    EntityId,
    Name,
    Sku,
    Path,
    Prices(Sel<Prices>),
    DefaultImage(Sel<Image>),
    Brand(Sel<Brand>),
    Inventory(Sel<ProductInventory>),
}

impl Compile for ProductNode {
    const NAME: &'static str = "Product";
    type Field = ProductField;
    fn compile(f: &FieldRef<'_>) -> Option<ProductField> {
        Some(match f.name {
            "id" => ProductField::Id,
            "entityId" => ProductField::EntityId,
            "name" => ProductField::Name,
            "sku" => ProductField::Sku,
            "path" => ProductField::Path,
            "prices" => {
                // Accepted and, as by the resolver, not acted on.
                f.arg::<bool>("includeTax", Some(|| false))?;
                // The resolver refuses other currencies; the executor says how.
                sold_in(f.arg::<Option<CurrencyCode>>("currencyCode", None)?).ok()?;
                ProductField::Prices(f.object::<Prices>()?)
            }
            "defaultImage" => ProductField::DefaultImage(f.object::<Image>()?),
            "brand" => ProductField::Brand(f.object::<Brand>()?),
            "inventory" => ProductField::Inventory(f.object::<ProductInventory>()?),
            _ => return None,
        })
    }
}

impl Write for ProductNode {
    fn write(
        &self,
        field: &ProductField,
        gql: &GqlContext,
        out: &mut Json,
    ) -> Result<(), Fallback> {
        let p = &self.0;
        match field {
            ProductField::Id => self.global_id().write(out),
            ProductField::EntityId => self.entity_id().write(out),
            ProductField::Name => p.name.write(out),
            ProductField::Sku => p.sku.write(out),
            ProductField::Path => self.storefront_path().write(out),
            ProductField::Prices(s) => {
                return object(&self.prices_for(gql.discount_bp), s, gql, out)
            }
            ProductField::DefaultImage(s) => {
                return nullable(self.image(gql).as_ref(), s, gql, out)
            }
            // A brand is read from the catalog the fetch put in hand; without it, a product
            // with a brand is answered by the executor.
            ProductField::Brand(_) if p.details.brand_id.is_some() && gql.held.get().is_none() => {
                return Err(Fallback)
            }
            ProductField::Brand(s) => {
                let brand = self.brand_of(gql.held.get().map(|h| &**h));
                return nullable(brand.as_ref(), s, gql, out);
            }
            ProductField::Inventory(s) => return object(&self.stock(), s, gql, out),
        }
        Ok(())
    }
}

#[derive(Debug)]
pub enum PricesField {
    Price(Sel<Money>),
    SalePrice(Sel<Money>),
    BasePrice(Sel<Money>),
    RetailPrice(Sel<Money>),
    PriceRange(Sel<MoneyRange>),
}

impl Compile for Prices {
    const NAME: &'static str = "Prices";
    type Field = PricesField;
    fn compile(f: &FieldRef<'_>) -> Option<PricesField> {
        Some(match f.name {
            "price" => PricesField::Price(f.object::<Money>()?),
            "salePrice" => PricesField::SalePrice(f.object::<Money>()?),
            "basePrice" => PricesField::BasePrice(f.object::<Money>()?),
            "retailPrice" => PricesField::RetailPrice(f.object::<Money>()?),
            "priceRange" => PricesField::PriceRange(f.object::<MoneyRange>()?),
            _ => return None,
        })
    }
}

impl Write for Prices {
    fn write(&self, field: &PricesField, gql: &GqlContext, out: &mut Json) -> Result<(), Fallback> {
        match field {
            PricesField::Price(s) => object(&self.price, s, gql, out),
            PricesField::SalePrice(s) => nullable(self.sale_price.as_ref(), s, gql, out),
            PricesField::BasePrice(s) => nullable(self.base_price.as_ref(), s, gql, out),
            PricesField::RetailPrice(s) => nullable(self.retail_price.as_ref(), s, gql, out),
            PricesField::PriceRange(s) => object(&self.price_range, s, gql, out),
        }
    }
}

#[derive(Debug)]
pub enum MoneyRangeField {
    Min(Sel<Money>),
    Max(Sel<Money>),
}

impl Compile for MoneyRange {
    const NAME: &'static str = "MoneyRange";
    type Field = MoneyRangeField;
    fn compile(f: &FieldRef<'_>) -> Option<MoneyRangeField> {
        Some(match f.name {
            "min" => MoneyRangeField::Min(f.object::<Money>()?),
            "max" => MoneyRangeField::Max(f.object::<Money>()?),
            _ => return None,
        })
    }
}

impl Write for MoneyRange {
    fn write(
        &self,
        field: &MoneyRangeField,
        gql: &GqlContext,
        out: &mut Json,
    ) -> Result<(), Fallback> {
        match field {
            MoneyRangeField::Min(s) => object(&self.min, s, gql, out),
            MoneyRangeField::Max(s) => object(&self.max, s, gql, out),
        }
    }
}

#[derive(Debug)]
pub enum MoneyField {
    CurrencyCode,
    Value,
    FormattedV2,
}

impl Compile for Money {
    const NAME: &'static str = "Money";
    type Field = MoneyField;
    fn compile(f: &FieldRef<'_>) -> Option<MoneyField> {
        Some(match f.name {
            "currencyCode" => MoneyField::CurrencyCode,
            "value" => MoneyField::Value,
            "formattedV2" => MoneyField::FormattedV2,
            _ => return None,
        })
    }
}

impl Write for Money {
    fn write(&self, field: &MoneyField, _: &GqlContext, out: &mut Json) -> Result<(), Fallback> {
        match field {
            MoneyField::CurrencyCode => CURRENCY.write(out),
            MoneyField::Value => self.decimal().write(out),
            MoneyField::FormattedV2 => Some(self.formatted()).write(out),
        }
        Ok(())
    }
}

/// A `SimpleObject` whose fields are all leaves: each field is written as async-graphql
/// writes it, from the struct field of the same name.
macro_rules! leaf_object {
    ($ty:ty, $name:literal, $field:ident { $($variant:ident = $gql:literal => $member:ident),* $(,)? }) => {
        #[derive(Debug)]
        pub enum $field {
            $($variant),*
        }

        impl Compile for $ty {
            const NAME: &'static str = $name;
            type Field = $field;
            fn compile(f: &FieldRef<'_>) -> Option<$field> {
                match f.name {
                    $($gql => Some($field::$variant),)*
                    _ => None,
                }
            }
        }

        impl Write for $ty {
            fn write(&self, field: &$field, _: &GqlContext, out: &mut Json) -> Result<(), Fallback> {
                match field {
                    $($field::$variant => self.$member.write(out),)*
                }
                Ok(())
            }
        }
    };
}

#[derive(Debug)]
pub enum PageInfoField {
    HasNextPage,
    HasPreviousPage,
    StartCursor,
    EndCursor,
}

impl Compile for PageInfo {
    const NAME: &'static str = "PageInfo";
    type Field = PageInfoField;
    fn compile(f: &FieldRef<'_>) -> Option<PageInfoField> {
        Some(match f.name {
            "hasNextPage" => PageInfoField::HasNextPage,
            "hasPreviousPage" => PageInfoField::HasPreviousPage,
            "startCursor" => PageInfoField::StartCursor,
            "endCursor" => PageInfoField::EndCursor,
            _ => return None,
        })
    }
}

impl Write for PageInfo {
    fn write(&self, field: &PageInfoField, _: &GqlContext, out: &mut Json) -> Result<(), Fallback> {
        match field {
            PageInfoField::HasNextPage => self.has_next_page.write(out),
            PageInfoField::HasPreviousPage => self.has_previous_page.write(out),
            PageInfoField::StartCursor => self.start.map(cursor).write(out),
            PageInfoField::EndCursor => self.end.map(cursor).write(out),
        }
        Ok(())
    }
}

leaf_object!(CollectionInfo, "CollectionInfo", CollectionInfoField {
    TotalItems = "totalItems" => total_items,
});
leaf_object!(Image, "Image", ImageField {
    UrlTemplate = "urlTemplate" => url_template,
    AltText = "altText" => alt_text,
});
leaf_object!(Brand, "Brand", BrandField {
    EntityId = "entityId" => entity_id,
    Name = "name" => name,
    Path = "path" => path,
});
leaf_object!(ProductInventory, "ProductInventory", InventoryField {
    IsInStock = "isInStock" => is_in_stock,
    IsStockTracked = "isStockTracked" => is_stock_tracked,
    HasVariantInventory = "hasVariantInventory" => has_variant_inventory,
});
