//! Carts and checkout, shared by the GraphQL cart mutations and the REST Storefront API
//! (SPEC §5.4, §5.6, §8). Who may touch a cart is decided here, in `Shopper::may_use`.

use storefront_auth_store::{Cart, CartItem, NewCart, NewItem, Order, OrderLine, StoreError};

use storefront_auth_core::money::{self, discounted, MAX_LINES, MAX_QUANTITY};

use crate::state::AppState;

/// Who is asking: the signed-in customer, or a guest (optionally with a storefront session).
#[derive(Clone, Debug)]
pub struct Shopper {
    pub store_id: i64,
    pub channel_id: i64,
    pub customer_id: Option<i64>,
    /// Digest of the guest storefront session cookie (REST Storefront API).
    pub session_digest: Option<String>,
    /// The customer's group discount in basis points.
    pub discount_bp: i64,
}

impl Shopper {
    /// A customer's cart is theirs alone; a guest cart is open to whoever holds its id (as on
    /// the platform), on the channel it was made on.
    /// A cart made in a guest storefront session (REST Storefront API) is that session's.
    pub fn may_use(&self, cart: &Cart) -> bool {
        cart.store_id == self.store_id
            && cart.channel_id == self.channel_id
            && match (cart.customer_id, &cart.session_digest) {
                (Some(owner), _) => self.customer_id == Some(owner),
                (None, Some(session)) => self.session_digest.as_ref() == Some(session),
                (None, None) => true,
            }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CartError {
    #[error("Cart not found.")]
    NotFound,
    #[error("Product {0} does not exist.")]
    UnknownProduct(i64),
    #[error("Quantity must be between 1 and {MAX_QUANTITY}.")]
    BadQuantity,
    #[error("A cart needs at least one line item.")]
    Empty,
    #[error("A cart holds at most {MAX_LINES} line items.")]
    TooManyLines,
    /// Only products stored before prices were bounded can bring a cart here.
    #[error("The cart's total is out of range.")]
    TotalOutOfRange,
    #[error("An order was already placed from this cart.")]
    Ordered,
    #[error("Line item not found.")]
    NoSuchItem,
    #[error("Sign in to do this.")]
    NotSignedIn,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A requested line: product, variant, quantity.
#[derive(Clone, Copy, Debug)]
pub struct Line {
    pub product_id: i64,
    pub variant_id: Option<i64>,
    pub quantity: i64,
}

/// A cart line with the product's name and the shopper's prices.
#[derive(Clone, Debug)]
pub struct PricedLine {
    pub item: CartItem,
    pub name: String,
    pub sku: String,
    pub list_cents: i64,
    pub sale_cents: i64,
}

impl PricedLine {
    /// `sale × quantity`; it fits, since the cart's total does (`priced` checks it).
    pub fn extended_sale_cents(&self) -> i64 {
        self.sale_cents.saturating_mul(self.item.quantity)
    }
}

/// A cart at the shopper's prices, its totals computed once with checked arithmetic.
#[derive(Clone, Debug)]
pub struct PricedCart {
    pub cart: Cart,
    pub lines: Vec<PricedLine>,
    /// At list prices, and at the shopper's (what an order costs).
    pub base_cents: i64,
    pub total_cents: i64,
}

impl PricedCart {
    pub fn total_quantity(&self) -> i64 {
        self.lines.iter().map(|l| l.item.quantity).sum()
    }
}

/// The customer's group discount in basis points (briefly cached: see `session_cache`).
pub async fn discount_bp(
    state: &AppState,
    store_id: i64,
    customer: &storefront_auth_store::Customer,
) -> Result<i64, StoreError> {
    let Some(group) = customer.group_id else {
        return Ok(0);
    };
    if let Some(d) = state.sessions.group_discount(store_id, group) {
        return Ok(d);
    }
    let d = state
        .store
        .customer_group(store_id, group)
        .await?
        .map_or(0, |g| g.discount_bp);
    state.sessions.put_group_discount(store_id, group, d);
    Ok(d)
}

/// Checks requested lines: quantities in range, products that exist, and no more than
/// `MAX_LINES` in the cart with the `existing` ones.
async fn check_lines(
    state: &AppState,
    store_id: i64,
    lines: &[Line],
    existing: usize,
) -> Result<(), CartError> {
    if existing.saturating_add(lines.len()) > MAX_LINES {
        return Err(CartError::TooManyLines);
    }
    for l in lines {
        if !(1..=MAX_QUANTITY).contains(&l.quantity) {
            return Err(CartError::BadQuantity);
        }
        if state.store.product(store_id, l.product_id).await?.is_none() {
            return Err(CartError::UnknownProduct(l.product_id));
        }
    }
    Ok(())
}

/// A fresh line-item id per line (used only for products not in the cart yet).
fn new_ids(lines: &[Line]) -> Vec<String> {
    lines
        .iter()
        .map(|_| uuid::Uuid::new_v4().to_string())
        .collect()
}

fn as_new<'a>(ids: &'a [String], lines: &[Line]) -> Vec<NewItem<'a>> {
    ids.iter()
        .zip(lines)
        .map(|(id, l)| NewItem {
            id,
            product_id: l.product_id,
            variant_id: l.variant_id,
            quantity: l.quantity,
        })
        .collect()
}

/// A cart the shopper may use, or `NotFound` (the same answer for "missing" and "someone
/// else's", so ids cannot be probed).
pub async fn find(state: &AppState, who: &Shopper, id: &str) -> Result<Cart, CartError> {
    match state.store.cart(who.store_id, id).await? {
        Some(cart) if who.may_use(&cart) => Ok(cart),
        _ => Err(CartError::NotFound),
    }
}

/// Like `find`, for changes: a cart an order was placed from is frozen.
pub async fn find_open(state: &AppState, who: &Shopper, id: &str) -> Result<Cart, CartError> {
    let cart = find(state, who, id).await?;
    if state.store.order_for_cart(&cart.id).await?.is_some() {
        return Err(CartError::Ordered);
    }
    Ok(cart)
}

pub async fn create(state: &AppState, who: &Shopper, lines: &[Line]) -> Result<Cart, CartError> {
    if lines.is_empty() {
        return Err(CartError::Empty);
    }
    check_lines(state, who.store_id, lines, 0).await?;
    let id = uuid::Uuid::new_v4().to_string();
    let ids = new_ids(lines);
    let cart = state
        .store
        .create_cart(
            NewCart {
                id: &id,
                store_id: who.store_id,
                channel_id: who.channel_id,
                customer_id: who.customer_id,
                session_digest: who
                    .session_digest
                    .as_deref()
                    .filter(|_| who.customer_id.is_none()),
            },
            &as_new(&ids, lines),
            state.now(),
        )
        .await?;
    Ok(cart)
}

pub async fn add(
    state: &AppState,
    who: &Shopper,
    id: &str,
    lines: &[Line],
) -> Result<Cart, CartError> {
    let cart = find_open(state, who, id).await?;
    if lines.is_empty() {
        return Err(CartError::Empty);
    }
    let existing = state.store.cart_items(&cart.id).await?.len();
    check_lines(state, who.store_id, lines, existing).await?;
    let ids = new_ids(lines);
    state
        .store
        .add_cart_items(&cart.id, &as_new(&ids, lines), state.now())
        .await?;
    reload(state, &cart).await
}

/// Deletes one line; `None` when that emptied the cart (an empty cart is deleted, as on the
/// platform).
pub async fn delete_line(
    state: &AppState,
    who: &Shopper,
    id: &str,
    item_id: &str,
) -> Result<Option<Cart>, CartError> {
    let cart = find_open(state, who, id).await?;
    if !state
        .store
        .delete_cart_item(&cart.id, item_id, state.now())
        .await?
    {
        return Err(CartError::NoSuchItem);
    }
    if state.store.cart_items(&cart.id).await?.is_empty() {
        state.store.delete_cart(&cart.id).await?;
        return Ok(None);
    }
    Ok(Some(reload(state, &cart).await?))
}

/// The cart as stored after a change.
async fn reload(state: &AppState, cart: &Cart) -> Result<Cart, CartError> {
    state
        .store
        .cart(cart.store_id, &cart.id)
        .await?
        .ok_or(CartError::NotFound)
}

/// Assigns a guest cart to the signed-in customer.
pub async fn assign(state: &AppState, who: &Shopper, id: &str) -> Result<Cart, CartError> {
    let customer = who.customer_id.ok_or(CartError::NotSignedIn)?;
    let cart = find_open(state, who, id).await?;
    state
        .store
        .set_cart_customer(&cart.id, Some(customer), state.now())
        .await?;
    reload(state, &cart).await
}

/// Gives the customer's cart back to guests (logout keeps the shopper's cart on the device).
pub async fn unassign(state: &AppState, who: &Shopper, id: &str) -> Result<Cart, CartError> {
    let customer = who.customer_id.ok_or(CartError::NotSignedIn)?;
    let cart = find_open(state, who, id).await?;
    if cart.customer_id != Some(customer) {
        return Err(CartError::NotFound);
    }
    state
        .store
        .set_cart_customer(&cart.id, None, state.now())
        .await?;
    reload(state, &cart).await
}

/// At sign-in: merges the named guest cart into the customer's cart (or makes it the
/// customer's cart when they have none) and returns the customer's cart.
pub async fn merge_at_login(
    state: &AppState,
    who: &Shopper,
    guest_cart: Option<&str>,
) -> Result<Option<Cart>, CartError> {
    let customer = who.customer_id.ok_or(CartError::NotSignedIn)?;
    let existing = state
        .store
        .customer_cart(who.store_id, who.channel_id, customer)
        .await?;
    let Some(guest_id) = guest_cart else {
        return Ok(existing);
    };
    let guest = find_open(state, who, guest_id).await?;
    if guest.customer_id.is_some() {
        // Already this customer's (may_use let it through): nothing to merge.
        return Ok(Some(guest));
    }
    let now = state.now();
    match existing {
        Some(mine) => {
            state.store.merge_carts(&guest.id, &mine.id, now).await?;
            Ok(Some(reload(state, &mine).await?))
        }
        None => {
            state
                .store
                .set_cart_customer(&guest.id, Some(customer), now)
                .await?;
            Ok(Some(reload(state, &guest).await?))
        }
    }
}

/// The cart with the shopper's prices.
pub async fn priced(
    state: &AppState,
    cart: Cart,
    discount_bp: i64,
) -> Result<PricedCart, CartError> {
    let mut lines: Vec<PricedLine> = Vec::new();
    for item in state.store.cart_items(&cart.id).await? {
        let product = state.store.product(cart.store_id, item.product_id).await?;
        let (name, sku, list) = match product {
            Some(p) => (p.name, p.sku, p.price_cents),
            // A product deleted after it was added keeps its line, priced at zero.
            None => (format!("Product {}", item.product_id), String::new(), 0),
        };
        lines.push(PricedLine {
            sale_cents: discounted(list, discount_bp),
            list_cents: list,
            name,
            sku,
            item,
        });
    }
    let base = money::total(lines.iter().map(|l| (l.list_cents, l.item.quantity)));
    let total = money::total(lines.iter().map(|l| (l.sale_cents, l.item.quantity)));
    let (Some(base_cents), Some(total_cents)) = (base, total) else {
        return Err(CartError::TotalOutOfRange);
    };
    Ok(PricedCart {
        cart,
        lines,
        base_cents,
        total_cents,
    })
}

/// Places the order for the checkout (the cart), exactly once.
pub async fn complete_checkout(
    state: &AppState,
    who: &Shopper,
    id: &str,
) -> Result<Order, CartError> {
    let cart = find_open(state, who, id).await?;
    let priced = priced(state, cart, who.discount_bp).await?;
    if priced.lines.is_empty() {
        return Err(CartError::Empty);
    }
    // An order must cost something: a payment for nothing (or less) is never taken.
    if priced.total_cents <= 0 {
        return Err(CartError::TotalOutOfRange);
    }
    let lines: Vec<OrderLine> = priced
        .lines
        .iter()
        .map(|l| OrderLine {
            product_id: l.item.product_id,
            name: &l.name,
            quantity: l.item.quantity,
            unit_cents: l.sale_cents,
        })
        .collect();
    match state
        .store
        .place_order(&priced.cart, &lines, priced.total_cents, state.now())
        .await
    {
        Ok(order) => Ok(order),
        Err(StoreError::Conflict(_)) => Err(CartError::Ordered),
        Err(e) => Err(e.into()),
    }
}
