//! `catalog { addProductReview }` (issue 17): a review is checked as BigCommerce checks it, then
//! refused, since the stand-in's stores take no reviews (`reviews`).

use async_graphql::{Context, InputObject, Object, Result, SimpleObject, Union};

use super::errors::{
    CustomerAlreadyReviewedProductError, InvalidInputFieldsError,
    NotAuthorizedToAddProductReviewError, ProductIdNotFoundError, UnexpectedAddReviewError,
};
use super::scalars::Long;
use super::GqlContext;
use crate::service::catalog;

#[derive(Union, Clone, Debug)]
pub enum AddProductReviewError {
    CustomerAlreadyReviewedProductError(CustomerAlreadyReviewedProductError),
    NotAuthorizedToAddProductReviewError(NotAuthorizedToAddProductReviewError),
    ProductIdNotFoundError(ProductIdNotFoundError),
    InvalidInputFieldsError(InvalidInputFieldsError),
    UnexpectedAddReviewError(UnexpectedAddReviewError),
}

// `Debug` is not derived: a review's author and email stay out of logs.
#[derive(InputObject, Clone)]
pub struct ProductReviewInput {
    pub author: String,
    pub title: String,
    pub text: String,
    pub rating: i32,
    pub email: Option<String>,
}

#[derive(InputObject, Clone)]
pub struct AddProductReviewInput {
    pub product_entity_id: Long,
    pub review: ProductReviewInput,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct AddProductReviewResult {
    pub errors: Vec<AddProductReviewError>,
}

/// The review fields BigCommerce would refuse: empty author, title or text, a rating outside
/// 1–5, an email that is not one.
fn invalid_fields(r: &ProductReviewInput) -> Vec<String> {
    let mut fields = Vec::new();
    for (name, value) in [
        ("author", &r.author),
        ("title", &r.title),
        ("text", &r.text),
    ] {
        if value.trim().is_empty() {
            fields.push(name.to_string());
        }
    }
    if !(1..=5).contains(&r.rating) {
        fields.push("rating".into());
    }
    let email = r.email.as_deref().map(str::trim).unwrap_or("");
    if !email.is_empty() && !storefront_auth_core::validate::is_email(email) {
        fields.push("email".into());
    }
    fields
}

pub struct CatalogMutations;

#[Object]
impl CatalogMutations {
    /// A shopper's review of a product: checked, then refused, since the stand-in's stores
    /// take no reviews.
    async fn add_product_review(
        &self,
        ctx: &Context<'_>,
        re_captcha_v2: Option<super::customer_mutations::ReCaptchaV2Input>,
        input: AddProductReviewInput,
    ) -> Result<AddProductReviewResult> {
        let _ = re_captcha_v2;
        let gql = ctx.data::<GqlContext>()?;
        let id = input.product_entity_id.0;
        let error = if catalog::product(&gql.domain, gql.store.id, id)
            .await?
            .is_none()
        {
            AddProductReviewError::ProductIdNotFoundError(ProductIdNotFoundError {
                message: format!("Product {id} not found."),
            })
        } else if let fields @ [_, ..] = invalid_fields(&input.review).as_slice() {
            AddProductReviewError::InvalidInputFieldsError(InvalidInputFieldsError {
                message: format!("Invalid review fields: {}.", fields.join(", ")),
                fields: fields.to_vec(),
            })
        } else {
            AddProductReviewError::NotAuthorizedToAddProductReviewError(
                NotAuthorizedToAddProductReviewError {
                    message: "Reviews are disabled for this store.".into(),
                },
            )
        };
        Ok(AddProductReviewResult {
            errors: vec![error],
        })
    }
}
