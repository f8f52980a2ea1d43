//! `site.publicWishlist(token)` (issue 17): a wishlist its owner shared, as anyone with its
//! link sees it (Catalyst's `/wishlist/{token}` page). A private wishlist, or an unknown token,
//! is `null` alike.

use async_graphql::{Context, Object, Result};

use super::customer::{Wishlist, WishlistItemConnection, WishlistItemsFiltersInput};
use super::GqlContext;

pub struct PublicWishlist(pub Wishlist);

#[Object]
impl PublicWishlist {
    async fn entity_id(&self) -> i32 {
        self.0 .0.id as i32
    }
    async fn name(&self) -> &str {
        &self.0 .0.name
    }
    async fn token(&self) -> &str {
        &self.0 .0.token
    }
    /// Whether the signed-in customer owns it; `null` without a customer.
    async fn is_owner(&self, ctx: &Context<'_>) -> Result<Option<bool>> {
        let gql = ctx.data::<GqlContext>()?;
        Ok(gql
            .customer
            .as_ref()
            .map(|c| self.0 .0.customer_id == Some(c.id)))
    }
    /// A page of its items, as `Wishlist.items`.
    #[allow(clippy::too_many_arguments)]
    async fn items(
        &self,
        ctx: &Context<'_>,
        hide_out_of_stock: Option<bool>,
        filters: Option<WishlistItemsFiltersInput>,
        before: Option<String>,
        after: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> Result<WishlistItemConnection> {
        let wishlist = &self.0;
        wishlist
            .items(ctx, filters, hide_out_of_stock, before, after, first, last)
            .await
    }
}
