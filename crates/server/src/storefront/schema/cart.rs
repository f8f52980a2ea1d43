//! Carts and checkouts (`site.cart`, `site.checkout`, the `cart` and `checkout` mutations).
//! The checkout of a cart shares its id. Who may use a cart is decided in `service::carts`.

use async_graphql::{Context, InputObject, Object, Result, SimpleObject, Union, ID};

use super::catalog::{global_id, Money};
use super::customer::OrderNode;
use super::mutation::AnalyticsCommonEventInput;
use super::scalars::DateTime;
use super::GqlContext;
use crate::service::carts::{self, CartError, Line, PricedCart, Shopper};
use crate::service::payments;

#[derive(SimpleObject, Clone, Debug)]
pub struct CartPhysicalItem {
    pub entity_id: String,
    pub product_entity_id: i32,
    pub variant_entity_id: Option<i32>,
    pub sku: Option<String>,
    pub name: String,
    pub quantity: i32,
    pub list_price: Money,
    pub sale_price: Money,
    pub extended_sale_price: Money,
    pub path: String,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct CartLineItems {
    pub physical_items: Vec<CartPhysicalItem>,
    pub total_quantity: i32,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct DateTimeExtended {
    pub utc: DateTime,
}

#[derive(Clone, Debug)]
pub struct CartNode(pub PricedCart);

#[Object(name = "Cart")]
impl CartNode {
    pub async fn id(&self) -> ID {
        global_id("Cart", &self.0.cart.id)
    }
    async fn entity_id(&self) -> &str {
        &self.0.cart.id
    }
    async fn currency_code(&self) -> &str {
        super::catalog::CURRENCY
    }
    async fn is_tax_included(&self) -> bool {
        false
    }
    async fn base_amount(&self) -> Money {
        Money::cents(self.0.base_cents)
    }
    async fn discounted_amount(&self) -> Money {
        Money::cents(self.0.base_cents - self.0.total_cents)
    }
    async fn amount(&self) -> Money {
        Money::cents(self.0.total_cents)
    }
    async fn line_items(&self) -> CartLineItems {
        let physical_items = self
            .0
            .lines
            .iter()
            .map(|l| CartPhysicalItem {
                entity_id: l.item.id.clone(),
                product_entity_id: l.item.product_id as i32,
                variant_entity_id: l.item.variant_id.map(|v| v as i32),
                sku: Some(l.sku.clone()).filter(|s| !s.is_empty()),
                name: l.name.clone(),
                quantity: l.item.quantity as i32,
                list_price: Money::cents(l.list_cents),
                sale_price: Money::cents(l.sale_cents),
                extended_sale_price: Money::cents(l.extended_sale_cents()),
                path: super::catalog::path(&l.name),
            })
            .collect();
        CartLineItems {
            physical_items,
            total_quantity: self.0.total_quantity() as i32,
        }
    }
    async fn created_at(&self) -> DateTimeExtended {
        DateTimeExtended {
            utc: DateTime::from_unix(self.0.cart.created_at),
        }
    }
    async fn updated_at(&self) -> DateTimeExtended {
        DateTimeExtended {
            utc: DateTime::from_unix(self.0.cart.updated_at),
        }
    }
    async fn locale(&self) -> &str {
        "en"
    }
    async fn version(&self) -> Option<i32> {
        Some(self.0.cart.version as i32)
    }
}

#[derive(Clone, Debug)]
pub struct CheckoutNode(pub CartNode);

#[Object(name = "Checkout")]
impl CheckoutNode {
    pub async fn id(&self) -> ID {
        global_id("Checkout", &self.0 .0.cart.id)
    }
    async fn entity_id(&self) -> &str {
        &self.0 .0.cart.id
    }
    async fn currency_code(&self) -> &str {
        super::catalog::CURRENCY
    }
    async fn cart(&self) -> Option<CartNode> {
        Some(self.0.clone())
    }
    async fn subtotal(&self) -> Option<Money> {
        Some(Money::cents(self.0 .0.total_cents))
    }
    async fn grand_total(&self) -> Option<Money> {
        Some(Money::cents(self.0 .0.total_cents))
    }
    async fn tax_total(&self) -> Option<Money> {
        Some(Money::cents(0))
    }
    async fn coupons(&self) -> Vec<CheckoutCoupon> {
        Vec::new()
    }
    async fn version(&self) -> Option<i32> {
        Some(self.0 .0.cart.version as i32)
    }
    /// The order placed from this checkout (needs the Customer scope with private tokens):
    /// shown to the customer who placed it, or for a guest order to whoever holds the id.
    async fn order(&self, ctx: &Context<'_>) -> Result<Option<OrderNode>> {
        let gql = ctx.data::<GqlContext>()?;
        let order = gql.state.store.order_for_cart(&self.0 .0.cart.id).await?;
        Ok(order
            .filter(|o| {
                o.customer_id.is_none() || o.customer_id == gql.customer.as_ref().map(|c| c.id)
            })
            .map(OrderNode))
    }
}

#[derive(SimpleObject, Clone, Debug)]
pub struct CheckoutCoupon {
    pub code: String,
    pub discounted_amount: Money,
}

impl GqlContext {
    /// The request's shopper: the signed-in customer or a guest, on this channel.
    pub fn shopper(&self) -> Shopper {
        Shopper {
            store_id: self.store.id,
            channel_id: self.channel.channel_id,
            customer_id: self.customer.as_ref().map(|c| c.id),
            session_digest: None,
            discount_bp: self.discount_bp,
        }
    }
}

pub async fn node(gql: &GqlContext, cart: storefront_auth_store::Cart) -> Result<CartNode> {
    Ok(CartNode(
        carts::priced(&gql.state, cart, gql.discount_bp).await?,
    ))
}

/// `site.cart(entityId)`: the named cart if the shopper may see it, else the customer's
/// current cart; `null` when there is none.
pub async fn find_cart(gql: &GqlContext, entity_id: Option<String>) -> Result<Option<CartNode>> {
    let who = gql.shopper();
    let cart = match (entity_id, who.customer_id) {
        (Some(id), _) => match carts::find(&gql.state, &who, &id).await {
            Ok(cart) => Some(cart),
            Err(CartError::NotFound) => None,
            Err(e) => return Err(e.into()),
        },
        (None, Some(customer)) => {
            gql.state
                .store
                .customer_cart(gql.store.id, gql.channel.channel_id, customer)
                .await?
        }
        (None, None) => None,
    };
    match cart {
        Some(c) => Ok(Some(node(gql, c).await?)),
        None => Ok(None),
    }
}

#[derive(InputObject, Clone, Debug)]
pub struct CartSelectedOptionsInput {
    pub checkboxes: Option<Vec<i32>>,
}

#[derive(InputObject, Clone, Debug)]
pub struct CartLineItemInput {
    pub quantity: i32,
    pub product_entity_id: Option<i32>,
    pub variant_entity_id: Option<i32>,
    pub sku: Option<String>,
    pub selected_options: Option<CartSelectedOptionsInput>,
}

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

#[derive(SimpleObject, Clone, Debug)]
pub struct NotFoundError {
    pub message: String,
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
        let cart = carts::create(&gql.state, &gql.shopper(), &lines(input.line_items)?).await?;
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
        let cart = carts::add(&gql.state, &gql.shopper(), &input.cart_entity_id, &items).await?;
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
        let cart = carts::delete_line(
            &gql.state,
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

    async fn assign_cart_to_customer(
        &self,
        ctx: &Context<'_>,
        input: AssignCartToCustomerInput,
    ) -> Result<Option<AssignCartToCustomerResult>> {
        let gql = ctx.data::<GqlContext>()?;
        gql.require_customer()?;
        let cart = carts::assign(&gql.state, &gql.shopper(), &input.cart_entity_id).await?;
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
        let cart = carts::unassign(&gql.state, &gql.shopper(), &input.cart_entity_id).await?;
        Ok(Some(UnassignCartFromCustomerResult {
            cart: Some(node(gql, cart).await?),
        }))
    }

    /// Links into the channel's hosted checkout for the cart.
    async fn create_cart_redirect_urls(
        &self,
        ctx: &Context<'_>,
        input: Option<CreateCartRedirectUrlsInput>,
    ) -> Result<CreateCartRedirectUrlsResult> {
        let gql = ctx.data::<GqlContext>()?;
        let id = input.and_then(|i| i.cart_entity_id);
        let cart = match id {
            Some(id) => carts::find_open(&gql.state, &gql.shopper(), &id).await.ok(),
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
        let site = gql.channel.site_url.trim_end_matches('/');
        let token = storefront_auth_core::secret::random_hex(32);
        let url = |extra: &str| {
            format!(
                "{site}/cart.php?action=loadInCheckout&{extra}id={}&token={token}",
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

#[derive(InputObject, Clone, Debug)]
pub struct CompleteCheckoutInput {
    pub checkout_entity_id: String,
}

#[derive(Union, Clone, Debug)]
pub enum CompleteCheckoutError {
    CartError(CartErrorObject),
}

#[derive(SimpleObject, Clone, Debug)]
#[graphql(name = "CartError")]
pub struct CartErrorObject {
    pub message: String,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct CompleteCheckoutResult {
    pub order_entity_id: Option<i32>,
    pub payment_access_token: Option<String>,
    pub errors: Vec<CompleteCheckoutError>,
}

pub struct CheckoutMutations;

#[Object]
impl CheckoutMutations {
    /// Places the order (status `INCOMPLETE`) and returns a payment access token for it.
    async fn complete_checkout(
        &self,
        ctx: &Context<'_>,
        input: CompleteCheckoutInput,
    ) -> Result<Option<CompleteCheckoutResult>> {
        let gql = ctx.data::<GqlContext>()?;
        let failed = |message: String| CompleteCheckoutResult {
            order_entity_id: None,
            payment_access_token: None,
            errors: vec![CompleteCheckoutError::CartError(CartErrorObject {
                message,
            })],
        };
        let order =
            match carts::complete_checkout(&gql.state, &gql.shopper(), &input.checkout_entity_id)
                .await
            {
                Ok(order) => order,
                Err(CartError::Store(e)) => return Err(CartError::Store(e).into()),
                Err(e) => return Ok(Some(failed(e.to_string()))),
            };
        let pat = payments::issue(&gql.state, &gql.store, &order)
            .await
            .map_err(|e| async_graphql::Error::new(e.to_string()))?;
        Ok(Some(CompleteCheckoutResult {
            order_entity_id: Some(order.id as i32),
            payment_access_token: Some(pat),
            errors: Vec::new(),
        }))
    }
}
