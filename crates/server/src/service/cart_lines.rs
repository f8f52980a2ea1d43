//! Changing the lines of an open cart: add lines, set one line, delete one. Who may use the
//! cart is `carts::find_open`; what a line may hold is `carts::check_lines`.

use storefront_auth_store::{Cart, NewItem};

use super::cart_options;
use super::carts::{
    as_new, check_lines, encoded, find_open, new_ids, reload, CartError, Line, Shopper,
};
use super::Domain;

pub async fn add(
    domain: &Domain,
    who: &Shopper,
    id: &str,
    lines: &[Line],
) -> Result<Cart, CartError> {
    let cart = find_open(domain, who, id).await?;
    if lines.is_empty() {
        return Err(CartError::Empty);
    }
    let existing = domain.store().cart_items(&cart.id).await?.len();
    check_lines(domain, who.store_id, lines, existing).await?;
    let ids = new_ids(lines);
    domain
        .store()
        .add_cart_items(
            &cart.id,
            &as_new(&ids, &encoded(lines), lines),
            domain.now_for(who.store_id),
        )
        .await?;
    reload(domain, &cart).await
}

/// Sets one line to the requested variant, quantity and options (the product stays the
/// line's: a different product is a different line). With `version`, refuses when the cart
/// changed since the client read it, as the platform does.
pub async fn update_line(
    domain: &Domain,
    who: &Shopper,
    id: &str,
    item_id: &str,
    line: &Line,
    version: Option<i64>,
) -> Result<Cart, CartError> {
    let cart = find_open(domain, who, id).await?;
    check_lines(domain, who.store_id, std::slice::from_ref(line), 0).await?;
    let options = cart_options::encode(&line.options);
    let item = NewItem {
        id: item_id,
        product_id: line.product_id,
        variant_id: line.variant_id,
        quantity: line.quantity,
        selected_options: &options,
    };
    match domain
        .store()
        .update_cart_item(
            &cart.id,
            item_id,
            &item,
            version,
            domain.now_for(who.store_id),
        )
        .await?
    {
        None => Err(CartError::NoSuchItem),
        Some(false) => Err(CartError::VersionConflict),
        Some(true) => reload(domain, &cart).await,
    }
}

/// Deletes one line; `None` when that emptied the cart (an empty cart is deleted, as on the
/// platform).
pub async fn delete_line(
    domain: &Domain,
    who: &Shopper,
    id: &str,
    item_id: &str,
) -> Result<Option<Cart>, CartError> {
    let cart = find_open(domain, who, id).await?;
    if !domain
        .store()
        .delete_cart_item(&cart.id, item_id, domain.now_for(who.store_id))
        .await?
    {
        return Err(CartError::NoSuchItem);
    }
    if domain.store().cart_items(&cart.id).await?.is_empty() {
        domain.store().delete_cart(&cart.id).await?;
        return Ok(None);
    }
    Ok(Some(reload(domain, &cart).await?))
}
