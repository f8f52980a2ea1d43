//! Brands: the footer's list, brand pages, and a product's brand.

use async_graphql::{Object, Result, ID};
use storefront_auth_store::Brand as StoredBrand;

use super::connection::{connection, PageRequest};
use super::ids::global_id;
use super::image::Image;
use super::seo::SeoDetails;
use super::GqlContext;

#[derive(Clone, Debug)]
pub struct Brand {
    pub id: ID,
    pub entity_id: i32,
    pub name: String,
    pub path: String,
    pub default_image: Option<Image>,
    pub seo: SeoDetails,
}

#[Object]
impl Brand {
    pub async fn id(&self) -> ID {
        self.id.clone()
    }
    async fn entity_id(&self) -> i32 {
        self.entity_id
    }
    async fn name(&self) -> &str {
        &self.name
    }
    async fn path(&self) -> &str {
        &self.path
    }
    async fn default_image(&self) -> Option<&Image> {
        self.default_image.as_ref()
    }
    async fn seo(&self) -> &SeoDetails {
        &self.seo
    }
}

impl Brand {
    pub fn of(b: &StoredBrand) -> Brand {
        Brand {
            id: global_id("Brand", b.id),
            entity_id: b.id as i32,
            name: b.name.clone(),
            path: b.path.clone(),
            default_image: None,
            seo: SeoDetails::titled(&b.name),
        }
    }
}

connection!(BrandConnection, BrandEdge, Brand);

/// `site.brands`: by id, those named (by `entityIds`) or carried by the products named (by
/// `productEntityIds`); an empty list names none.
pub async fn brands(
    gql: &GqlContext,
    page: PageRequest,
    entity_ids: &[i32],
    product_entity_ids: &[i32],
) -> Result<BrandConnection> {
    let held = gql.held().await?;
    let carried: Vec<i64> = product_entity_ids
        .iter()
        .filter_map(|p| held.by_id(*p as i64).and_then(|p| p.details.brand_id))
        .collect();
    let rows: Vec<Brand> = held
        .content
        .brands
        .iter()
        .filter(|b| entity_ids.is_empty() || entity_ids.contains(&(b.id as i32)))
        .filter(|b| product_entity_ids.is_empty() || carried.contains(&b.id))
        .map(Brand::of)
        .collect();
    let total = rows.len() as i64;
    let (items, info) = page.of(rows, |b| b.entity_id as i64);
    Ok(BrandConnection::new(items, info, Some(total)))
}
