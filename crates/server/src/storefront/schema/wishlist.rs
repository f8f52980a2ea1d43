//! Wishlist mutations (SPEC §5.6): a signed-in customer's wishlists, owned by that customer.

use async_graphql::{Context, Error, InputObject, Object, Result, SimpleObject};

use super::catalog::ProductNode;
use super::connection::PageRequest;
use super::customer::{Wishlist, WishlistItem, WishlistItemConnection};
use super::GqlContext;

#[derive(InputObject, Clone, Debug)]
pub struct WishlistItemInput {
    pub product_entity_id: i32,
    pub variant_entity_id: Option<i32>,
}

#[derive(InputObject, Clone, Debug)]
pub struct CreateWishlistInput {
    pub name: String,
    pub is_public: bool,
    pub items: Option<Vec<WishlistItemInput>>,
}

#[derive(InputObject, Clone, Debug)]
pub struct AddWishlistItemsInput {
    pub entity_id: i32,
    pub items: Vec<WishlistItemInput>,
}

#[derive(InputObject, Clone, Debug)]
pub struct DeleteWishlistItemsInput {
    pub entity_id: i32,
    pub item_entity_ids: Vec<i32>,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct CreateWishlistResult {
    pub result: Wishlist,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct AddWishlistItemsResult {
    pub result: Option<Wishlist>,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct DeleteWishlistItemsResult {
    pub result: Option<Wishlist>,
}

/// A stored wishlist with its items and their products, as the schema shows it.
pub async fn load(gql: &GqlContext, w: storefront_auth_store::Wishlist) -> Result<Wishlist> {
    let mut items = Vec::new();
    for item in gql.state.store.wishlist_items(w.id).await? {
        let product = gql
            .state
            .store
            .product(gql.store.id, item.product_id)
            .await?
            .map(ProductNode);
        items.push(WishlistItem {
            entity_id: item.id as i32,
            product_entity_id: item.product_id as i32,
            variant_entity_id: item.variant_id.map(|v| v as i32),
            product,
        });
    }
    let page = PageRequest::new(Some(super::connection::MAX_PAGE), None, None, None)?;
    let total = items.len() as i64;
    let (items, info) = page.finish(items, |i| i.entity_id as i64);
    Ok(Wishlist {
        entity_id: w.id as i32,
        name: w.name,
        is_public: w.is_public,
        token: w.token,
        items: WishlistItemConnection::new(items, info, Some(total)),
    })
}

async fn checked_items(
    gql: &GqlContext,
    items: &[WishlistItemInput],
) -> Result<Vec<(i64, Option<i64>)>> {
    let mut out = Vec::new();
    for i in items {
        if gql
            .state
            .store
            .product(gql.store.id, i.product_entity_id as i64)
            .await?
            .is_none()
        {
            return Err(Error::new(format!(
                "Product {} does not exist.",
                i.product_entity_id
            )));
        }
        out.push((
            i.product_entity_id as i64,
            i.variant_entity_id.map(i64::from),
        ));
    }
    Ok(out)
}

/// The customer's own wishlist, or "not found" for anyone else's.
async fn owned(gql: &GqlContext, id: i32) -> Result<storefront_auth_store::Wishlist> {
    let customer = gql.require_customer()?;
    gql.state
        .store
        .wishlist(gql.store.id, id as i64)
        .await?
        .filter(|w| w.customer_id == Some(customer.id))
        .ok_or_else(|| Error::new(format!("Wishlist {id} not found.")))
}

pub struct WishlistMutations;

#[Object]
impl WishlistMutations {
    async fn create_wishlist(
        &self,
        ctx: &Context<'_>,
        input: CreateWishlistInput,
    ) -> Result<Option<CreateWishlistResult>> {
        let gql = ctx.data::<GqlContext>()?;
        let customer = gql.require_customer()?;
        if input.name.trim().is_empty() {
            return Err(Error::new("A wishlist needs a name."));
        }
        let items = checked_items(gql, input.items.as_deref().unwrap_or_default()).await?;
        let token = storefront_auth_core::secret::random_hex(16);
        let w = gql
            .state
            .store
            .create_wishlist(
                storefront_auth_store::NewWishlist {
                    store_id: gql.store.id,
                    customer_id: Some(customer.id),
                    name: input.name.trim(),
                    is_public: input.is_public,
                    token: &token,
                    items: &items,
                },
                gql.state.now(),
            )
            .await?;
        Ok(Some(CreateWishlistResult {
            result: load(gql, w).await?,
        }))
    }

    async fn add_wishlist_items(
        &self,
        ctx: &Context<'_>,
        input: AddWishlistItemsInput,
    ) -> Result<Option<AddWishlistItemsResult>> {
        let gql = ctx.data::<GqlContext>()?;
        let w = owned(gql, input.entity_id).await?;
        let items = checked_items(gql, &input.items).await?;
        gql.state.store.add_wishlist_items(w.id, &items).await?;
        Ok(Some(AddWishlistItemsResult {
            result: Some(load(gql, w).await?),
        }))
    }

    async fn delete_wishlist_items(
        &self,
        ctx: &Context<'_>,
        input: DeleteWishlistItemsInput,
    ) -> Result<Option<DeleteWishlistItemsResult>> {
        let gql = ctx.data::<GqlContext>()?;
        let w = owned(gql, input.entity_id).await?;
        let ids: Vec<i64> = input.item_entity_ids.iter().map(|i| *i as i64).collect();
        gql.state.store.delete_wishlist_items(w.id, &ids).await?;
        Ok(Some(DeleteWishlistItemsResult {
            result: Some(load(gql, w).await?),
        }))
    }
}
