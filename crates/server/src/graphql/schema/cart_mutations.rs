//! The `cart` mutations (SPEC §5.6): create a cart, add and delete lines, give a cart to the
//! signed-in customer or back to the guest, and the checkout URLs. Who may use a cart is
//! decided in `service::carts`.

use async_graphql::{Context, InputObject, Object, Result, SimpleObject, Union};

use super::analytics::AnalyticsCommonEventInput;
use super::cart::{find_cart, node, CartNode};
pub use super::cart_inputs::{CartLineItemInput, CartSelectedOptionsInput};
use super::cart_inputs::{
    UpdateCartCurrencyInput, UpdateCartCurrencyResult, UpdateCartLineItemInput,
    UpdateCartLineItemResult,
};
pub use super::errors::NotFoundError;
use super::GqlContext;
use crate::service::cart_lines;
use crate::service::carts::{self, Line};
use crate::service::checkout_links;

#[derive(InputObject, Clone, Debug)]
pub struct CreateCartInput {
    pub line_items: Option<Vec<CartLineItemInput>>,
    pub currency_code: Option<String>,
    pub locale: Option<String>,
}

#[derive(InputObject, Clone, Debug)]
pub struct AddCartLineItemsDataInput {
    pub line_items: Option<Vec<CartLineItemInput>>,
}

#[derive(InputObject, Clone, Debug)]
pub struct AddCartLineItemsInput {
    pub cart_entity_id: String,
    pub data: AddCartLineItemsDataInput,
    pub version: Option<i32>,
}

#[derive(InputObject, Clone, Debug)]
pub struct DeleteCartLineItemInput {
    pub cart_entity_id: String,
    pub line_item_entity_id: String,
    pub version: Option<i32>,
}

#[derive(InputObject, Clone, Debug)]
pub struct AssignCartToCustomerInput {
    pub cart_entity_id: String,
    pub version: Option<i32>,
}

#[derive(InputObject, Clone, Debug)]
pub struct UnassignCartFromCustomerInput {
    pub cart_entity_id: String,
    pub version: Option<i32>,
}

#[derive(InputObject, Clone, Debug)]
pub struct CreateCartRedirectUrlsQueryParamsInput {
    pub key: String,
    pub value: String,
}

#[derive(InputObject, Clone, Debug)]
pub struct CreateCartRedirectUrlsInput {
    pub cart_entity_id: Option<String>,
    pub query_params: Option<Vec<CreateCartRedirectUrlsQueryParamsInput>>,
    pub analytics: Option<AnalyticsCommonEventInput>,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct CreateCartResult {
    pub cart: Option<CartNode>,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct AddCartLineItemsResult {
    pub cart: Option<CartNode>,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct DeleteCartLineItemResult {
    pub cart: Option<CartNode>,
    pub deleted_line_item_entity_id: Option<String>,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct AssignCartToCustomerResult {
    pub cart: Option<CartNode>,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct UnassignCartFromCustomerResult {
    pub cart: Option<CartNode>,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct CartRedirectUrls {
    pub redirected_checkout_url: String,
    pub embedded_checkout_url: String,
    pub external_checkout_url: String,
}

#[derive(Union, Clone, Debug)]
pub enum CreateCartRedirectUrlsError {
    NotFoundError(NotFoundError),
}

#[derive(SimpleObject, Clone, Debug)]
pub struct CreateCartRedirectUrlsResult {
    pub redirect_urls: Option<CartRedirectUrls>,
    pub errors: Vec<CreateCartRedirectUrlsError>,
}

fn lines(items: Option<Vec<CartLineItemInput>>) -> Result<Vec<Line>> {
    items
        .unwrap_or_default()
        .into_iter()
        .map(|i| {
            let product = i
                .product_entity_id
                .ok_or_else(|| async_graphql::Error::new("productEntityId is required."))?;
            Ok(Line {
                product_id: product.into(),
                variant_id: i.variant_entity_id.map(Into::into),
                quantity: i.quantity.into(),
                options: i.selected_options.map(|o| o.chosen()).unwrap_or_default(),
            })
        })
        .collect()
}

pub struct CartMutations;

#[Object]
impl CartMutations {
    /// Creates a cart; under customer context it belongs to that customer.
    async fn create_cart(
        &self,
        ctx: &Context<'_>,
        input: CreateCartInput,
    ) -> Result<Option<CreateCartResult>> {
        let gql = ctx.data::<GqlContext>()?;
        if input
            .currency_code
            .as_deref()
            .is_some_and(|c| c != super::catalog::CURRENCY)
        {
            return Err(async_graphql::Error::new("This store only sells in USD."));
        }
        let cart = carts::create(&gql.domain, &gql.shopper(), &lines(input.line_items)?).await?;
        Ok(Some(CreateCartResult {
            cart: Some(node(gql, cart).await?),
        }))
    }

    async fn add_cart_line_items(
        &self,
        ctx: &Context<'_>,
        input: AddCartLineItemsInput,
    ) -> Result<Option<AddCartLineItemsResult>> {
        let gql = ctx.data::<GqlContext>()?;
        let items = lines(input.data.line_items)?;
        let cart =
            cart_lines::add(&gql.domain, &gql.shopper(), &input.cart_entity_id, &items).await?;
        Ok(Some(AddCartLineItemsResult {
            cart: Some(node(gql, cart).await?),
        }))
    }

    /// Deletes a line; deleting the last line deletes the cart (`cart: null`).
    async fn delete_cart_line_item(
        &self,
        ctx: &Context<'_>,
        input: DeleteCartLineItemInput,
    ) -> Result<Option<DeleteCartLineItemResult>> {
        let gql = ctx.data::<GqlContext>()?;
        let cart = cart_lines::delete_line(
            &gql.domain,
            &gql.shopper(),
            &input.cart_entity_id,
            &input.line_item_entity_id,
        )
        .await?;
        Ok(Some(DeleteCartLineItemResult {
            cart: match cart {
                Some(c) => Some(node(gql, c).await?),
                None => None,
            },
            deleted_line_item_entity_id: Some(input.line_item_entity_id),
        }))
    }

    /// Sets a line's quantity, variant and options (a quantity of 0 is the client's delete,
    /// as Catalyst sends it: refused here like any quantity out of range).
    async fn update_cart_line_item(
        &self,
        ctx: &Context<'_>,
        input: UpdateCartLineItemInput,
    ) -> Result<Option<UpdateCartLineItemResult>> {
        let gql = ctx.data::<GqlContext>()?;
        if input.data.gift_certificate.is_some() {
            return Err(async_graphql::Error::new(
                "This store does not sell gift certificates.",
            ));
        }
        let Some(item) = input.data.line_item else {
            return Err(async_graphql::Error::new("data.lineItem is required."));
        };
        let line = lines(Some(vec![item]))?.remove(0);
        let cart = cart_lines::update_line(
            &gql.domain,
            &gql.shopper(),
            &input.cart_entity_id,
            &input.line_item_entity_id,
            &line,
            input.version.map(Into::into),
        )
        .await?;
        Ok(Some(UpdateCartLineItemResult {
            cart: Some(node(gql, cart).await?),
        }))
    }

    /// The store sells in one currency: switching to it is a no-op, any other is refused.
    async fn update_cart_currency(
        &self,
        ctx: &Context<'_>,
        input: UpdateCartCurrencyInput,
    ) -> Result<Option<UpdateCartCurrencyResult>> {
        let gql = ctx.data::<GqlContext>()?;
        if input.data.currency_code != super::catalog::CURRENCY {
            return Err(async_graphql::Error::new("This store only sells in USD."));
        }
        let cart = carts::find_open(&gql.domain, &gql.shopper(), &input.cart_entity_id).await?;
        Ok(Some(UpdateCartCurrencyResult {
            cart: Some(node(gql, cart).await?),
        }))
    }

    async fn assign_cart_to_customer(
        &self,
        ctx: &Context<'_>,
        input: AssignCartToCustomerInput,
    ) -> Result<Option<AssignCartToCustomerResult>> {
        let gql = ctx.data::<GqlContext>()?;
        gql.require_customer()?;
        let cart = carts::assign(&gql.domain, &gql.shopper(), &input.cart_entity_id).await?;
        Ok(Some(AssignCartToCustomerResult {
            cart: Some(node(gql, cart).await?),
        }))
    }

    async fn unassign_cart_from_customer(
        &self,
        ctx: &Context<'_>,
        input: UnassignCartFromCustomerInput,
    ) -> Result<Option<UnassignCartFromCustomerResult>> {
        let gql = ctx.data::<GqlContext>()?;
        gql.require_customer()?;
        let cart = carts::unassign(&gql.domain, &gql.shopper(), &input.cart_entity_id).await?;
        Ok(Some(UnassignCartFromCustomerResult {
            cart: Some(node(gql, cart).await?),
        }))
    }

    /// Links into the store's hosted checkout for the cart.
    async fn create_cart_redirect_urls(
        &self,
        ctx: &Context<'_>,
        input: Option<CreateCartRedirectUrlsInput>,
    ) -> Result<CreateCartRedirectUrlsResult> {
        let gql = ctx.data::<GqlContext>()?;
        let id = input.and_then(|i| i.cart_entity_id);
        let cart = match id {
            Some(id) => carts::find_open(&gql.domain, &gql.shopper(), &id)
                .await
                .ok(),
            None => find_cart(gql, None).await?.map(|n| n.0.cart),
        };
        let Some(cart) = cart else {
            return Ok(CreateCartRedirectUrlsResult {
                redirect_urls: None,
                errors: vec![CreateCartRedirectUrlsError::NotFoundError(NotFoundError {
                    message: "Cart not found.".into(),
                })],
            });
        };
        // The hosted checkout, on the storefront host this request addressed: a single-use
        // link that carries the request's sign-in (session sync, SPEC §12).
        let site = gql.origin();
        let maker = checkout_links::LinkMaker {
            customer_id: gql.customer.as_ref().map(|c| c.id),
            sign_in: gql.sign_in.as_deref(),
        };
        let token = checkout_links::create(&gql.domain, &cart, &maker).await?;
        let url = |extra: &str| {
            format!(
                "{site}/cart.php?{extra}action=loadInCheckout&id={}&token={token}",
                cart.id
            )
        };
        Ok(CreateCartRedirectUrlsResult {
            redirect_urls: Some(CartRedirectUrls {
                redirected_checkout_url: url(""),
                embedded_checkout_url: url("embedded=1&"),
                external_checkout_url: url(""),
            }),
            errors: Vec::new(),
        })
    }
}
