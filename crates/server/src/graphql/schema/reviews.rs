//! Product reviews (issue 17): BigCommerce's types for them, answered as a store with reviews
//! disabled answers (`settings.reviews.enabled: false`): no product has a review
//! (`review_mutations` has `catalog { addProductReview }`).

use async_graphql::{Enum, InputObject, Result, SimpleObject};

use super::connection::{PageInfo, PageRequest};
use super::scalars::{DateTimeExtended, Long};

#[derive(SimpleObject, Clone, Debug)]
pub struct Author {
    pub name: String,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct Review {
    pub entity_id: Long,
    pub author: Author,
    pub title: String,
    pub text: String,
    pub rating: i32,
    pub created_at: DateTimeExtended,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct ReviewEdge {
    pub node: Review,
    pub cursor: String,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct ReviewConnection {
    pub page_info: PageInfo,
    pub edges: Option<Vec<ReviewEdge>>,
}

#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum ProductReviewsSortInput {
    HighestRating,
    LowestRating,
    Newest,
    Oldest,
}

#[derive(InputObject, Clone, Debug)]
pub struct ProductReviewsRatingFilterInput {
    pub min_rating: Option<i32>,
    pub max_rating: Option<i32>,
}

#[derive(InputObject, Clone, Debug)]
pub struct ProductReviewsFiltersInput {
    pub rating: Option<ProductReviewsRatingFilterInput>,
}

/// `Product.reviews`: the page asked for (its cursors checked like every connection's) of
/// a product's reviews, of which the stand-in's products have none.
pub fn product_reviews(
    before: Option<String>,
    after: Option<String>,
    first: Option<i32>,
    last: Option<i32>,
) -> Result<ReviewConnection> {
    let page = PageRequest::new(first, after, last, before)?;
    let (_, page_info) = page.finish(Vec::<Review>::new(), |r| r.entity_id.0);
    Ok(ReviewConnection {
        page_info,
        edges: Some(Vec::new()),
    })
}
