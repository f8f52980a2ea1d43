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

/// How many items one wishlist may hold (its items are paged, 50 at most per page).
pub const MAX_ITEMS: usize = 500;

/// A page of a wishlist's items, each with its product (from the held catalog when it is).
pub async fn items(
    gql: &GqlContext,
    w: &storefront_auth_store::Wishlist,
    page: &PageRequest,
) -> Result<WishlistItemConnection> {
    let all = gql.state.store.wishlist_items(w.id).await?;
    let total = all.len() as i64;
    let in_range: Vec<_> = all
        .into_iter()
        .filter(|i| i.id > page.after && i.id < page.before)
        .collect();
    let catalog = gql.state.catalog.products(&gql.state, gql.store.id).await?;
    let mut items = Vec::new();
    for item in page.window(in_range) {
        let product = match &catalog {
            Some(c) => c.by_id(item.product_id).cloned(),
            None => {
                gql.state
                    .store
                    .product(gql.store.id, item.product_id)
                    .await?
            }
        };
        items.push(WishlistItem {
            entity_id: item.id as i32,
            product_entity_id: item.product_id as i32,
            variant_entity_id: item.variant_id.map(|v| v as i32),
            product: product.map(ProductNode),
        });
    }
    let (items, info) = page.finish(items, |i| i.entity_id as i64);
    Ok(WishlistItemConnection::new(items, info, Some(total)))
}

/// Checks items to add to a wishlist that holds `existing`: real products, and no more than
/// `MAX_ITEMS` in all.
async fn checked_items(
    gql: &GqlContext,
    items: &[WishlistItemInput],
    existing: usize,
) -> Result<Vec<(i64, Option<i64>)>> {
    if existing.saturating_add(items.len()) > MAX_ITEMS {
        return Err(Error::new(format!(
            "A wishlist holds at most {MAX_ITEMS} items."
        )));
    }
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
        let items = checked_items(gql, input.items.as_deref().unwrap_or_default(), 0).await?;
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
            result: Wishlist(w),
        }))
    }

    async fn add_wishlist_items(
        &self,
        ctx: &Context<'_>,
        input: AddWishlistItemsInput,
    ) -> Result<Option<AddWishlistItemsResult>> {
        let gql = ctx.data::<GqlContext>()?;
        let w = owned(gql, input.entity_id).await?;
        let existing = gql.state.store.wishlist_items(w.id).await?.len();
        let items = checked_items(gql, &input.items, existing).await?;
        gql.state.store.add_wishlist_items(w.id, &items).await?;
        Ok(Some(AddWishlistItemsResult {
            result: Some(Wishlist(w)),
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
            result: Some(Wishlist(w)),
        }))
    }
}
