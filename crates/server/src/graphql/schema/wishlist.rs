//! Wishlist mutations (SPEC §5.6): a signed-in customer's wishlists, owned by that customer.

use async_graphql::{Context, Error, InputObject, Object, Result, SimpleObject};

use super::customer::Wishlist;
use super::GqlContext;
use crate::service::wishlists::{self, WishlistError};

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

#[derive(InputObject, Clone, Debug)]
pub struct WishlistUpdateDataInput {
    pub name: Option<String>,
    pub is_public: Option<bool>,
}

#[derive(InputObject, Clone, Debug)]
pub struct UpdateWishlistInput {
    pub entity_id: i32,
    pub data: WishlistUpdateDataInput,
}

#[derive(InputObject, Clone, Debug)]
pub struct DeleteWishlistsInput {
    pub entity_ids: Vec<i32>,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct UpdateWishlistResult {
    pub result: Wishlist,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct DeleteWishlistResult {
    pub result: String,
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

fn new_items(items: &[WishlistItemInput]) -> Vec<wishlists::NewItem> {
    items
        .iter()
        .map(|i| {
            (
                i.product_entity_id as i64,
                i.variant_entity_id.map(i64::from),
            )
        })
        .collect()
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
        let items = new_items(input.items.as_deref().unwrap_or_default());
        let w = wishlists::create(
            &gql.domain,
            gql.store.id,
            customer,
            &input.name,
            input.is_public,
            &items,
        )
        .await
        .map_err(refused)?;
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
        let customer = gql.require_customer()?;
        let items = new_items(&input.items);
        let id = input.entity_id as i64;
        let w = wishlists::add_items(&gql.domain, gql.store.id, customer, id, &items)
            .await
            .map_err(refused)?;
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
        let customer = gql.require_customer()?;
        let ids: Vec<i64> = input.item_entity_ids.iter().map(|i| *i as i64).collect();
        let id = input.entity_id as i64;
        let w = wishlists::delete_items(&gql.domain, gql.store.id, customer, id, &ids)
            .await
            .map_err(refused)?;
        Ok(Some(DeleteWishlistItemsResult {
            result: Some(Wishlist(w)),
        }))
    }

    async fn update_wishlist(
        &self,
        ctx: &Context<'_>,
        input: UpdateWishlistInput,
    ) -> Result<Option<UpdateWishlistResult>> {
        let gql = ctx.data::<GqlContext>()?;
        let customer = gql.require_customer()?;
        let (id, data) = (input.entity_id as i64, input.data);
        let name = data.name.as_deref();
        let w = wishlists::update(
            &gql.domain,
            gql.store.id,
            customer,
            id,
            name,
            data.is_public,
        )
        .await
        .map_err(refused)?;
        Ok(Some(UpdateWishlistResult {
            result: Wishlist(w),
        }))
    }

    /// Deletes the customer's wishlists named: all of them, or none when one is not theirs.
    async fn delete_wishlists(
        &self,
        ctx: &Context<'_>,
        input: DeleteWishlistsInput,
    ) -> Result<Option<DeleteWishlistResult>> {
        let gql = ctx.data::<GqlContext>()?;
        let customer = gql.require_customer()?;
        let ids: Vec<i64> = input.entity_ids.iter().map(|i| *i as i64).collect();
        wishlists::delete(&gql.domain, gql.store.id, customer, &ids)
            .await
            .map_err(refused)?;
        Ok(Some(DeleteWishlistResult {
            result: "success".into(),
        }))
    }
}

/// A refusal in the domain's words; a database failure as the resolvers report one.
fn refused(e: WishlistError) -> Error {
    match e {
        WishlistError::Store(s) => s.into(),
        other => Error::new(other.to_string()),
    }
}
