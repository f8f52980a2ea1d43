//! Carts and checkout, shared by the GraphQL cart mutations and the REST Storefront API
//! (SPEC §5.4, §5.6, §8). Who may touch a cart is decided here, in `Shopper::may_use`.

use storefront_auth_store::{Cart, CartItem, NewCart, NewItem, StoreError};

use storefront_auth_core::money::{self, discounted, MAX_LINES, MAX_QUANTITY};

use super::cart_options::{self, ChosenOption, OptionError};
use crate::service::Domain;

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
    #[error("The cart was changed by another request; read it again.")]
    VersionConflict,
    #[error("Coupon {0} has been used up.")]
    CouponUsedUp(String),
    /// A payment for nothing is never taken.
    #[error("An order must cost something: the coupon covers the whole order.")]
    CoveredByCoupon,
    /// The tax provider or a carrier failed: the message says so; nothing was placed.
    #[error("{0}")]
    Provider(String),
    #[error(transparent)]
    Option(#[from] OptionError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A requested line: product, variant, quantity, and the options the shopper chose.
#[derive(Clone, Debug)]
pub struct Line {
    pub product_id: i64,
    pub variant_id: Option<i64>,
    pub quantity: i64,
    pub options: Vec<ChosenOption>,
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

/// Checks requested lines: quantities in range, products that exist, options that are the
/// product's, and no more than `MAX_LINES` in the cart with the `existing` ones.
pub(super) async fn check_lines(
    domain: &Domain,
    store_id: i64,
    lines: &[Line],
    existing: usize,
) -> Result<(), CartError> {
    if existing.saturating_add(lines.len()) > MAX_LINES {
        return Err(CartError::TooManyLines);
    }
    let held = super::catalog::content(domain, store_id).await?;
    for l in lines {
        if !(1..=MAX_QUANTITY).contains(&l.quantity) {
            return Err(CartError::BadQuantity);
        }
        // The database, not the held copy: a product added a moment ago can be bought.
        if domain
            .store()
            .product(store_id, l.product_id)
            .await?
            .is_none()
        {
            return Err(CartError::UnknownProduct(l.product_id));
        }
        cart_options::check_product(&held, l.product_id, &l.options)?;
    }
    Ok(())
}

/// A fresh line-item id per line (used only for products not in the cart yet).
pub(super) fn new_ids(lines: &[Line]) -> Vec<String> {
    lines
        .iter()
        .map(|_| uuid::Uuid::new_v4().to_string())
        .collect()
}

/// Each line's options in their stored form.
pub(super) fn encoded(lines: &[Line]) -> Vec<String> {
    lines
        .iter()
        .map(|l| cart_options::encode(&l.options))
        .collect()
}

pub(super) fn as_new<'a>(
    ids: &'a [String],
    options: &'a [String],
    lines: &[Line],
) -> Vec<NewItem<'a>> {
    ids.iter()
        .zip(options)
        .zip(lines)
        .map(|((id, options), l)| NewItem {
            id,
            product_id: l.product_id,
            variant_id: l.variant_id,
            quantity: l.quantity,
            selected_options: options,
        })
        .collect()
}

/// A cart the shopper may use, or `NotFound` (the same answer for "missing" and "someone
/// else's", so ids cannot be probed).
pub async fn find(domain: &Domain, who: &Shopper, id: &str) -> Result<Cart, CartError> {
    match domain.store().cart(who.store_id, id).await? {
        Some(cart) if who.may_use(&cart) => Ok(cart),
        _ => Err(CartError::NotFound),
    }
}

/// Like `find`, for changes: a cart an order was placed from is frozen.
pub async fn find_open(domain: &Domain, who: &Shopper, id: &str) -> Result<Cart, CartError> {
    let cart = find(domain, who, id).await?;
    if domain.store().order_for_cart(&cart.id).await?.is_some() {
        return Err(CartError::Ordered);
    }
    Ok(cart)
}

pub async fn create(domain: &Domain, who: &Shopper, lines: &[Line]) -> Result<Cart, CartError> {
    if lines.is_empty() {
        return Err(CartError::Empty);
    }
    check_lines(domain, who.store_id, lines, 0).await?;
    let id = uuid::Uuid::new_v4().to_string();
    let ids = new_ids(lines);
    let cart = domain
        .store()
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
            &as_new(&ids, &encoded(lines), lines),
            domain.now_for(who.store_id),
        )
        .await?;
    Ok(cart)
}

/// The cart as stored after a change.
pub(super) async fn reload(domain: &Domain, cart: &Cart) -> Result<Cart, CartError> {
    domain
        .store()
        .cart(cart.store_id, &cart.id)
        .await?
        .ok_or(CartError::NotFound)
}

/// Assigns a guest cart to the signed-in customer.
pub async fn assign(domain: &Domain, who: &Shopper, id: &str) -> Result<Cart, CartError> {
    let customer = who.customer_id.ok_or(CartError::NotSignedIn)?;
    let cart = find_open(domain, who, id).await?;
    domain
        .store()
        .set_cart_customer(&cart.id, Some(customer), domain.now_for(who.store_id))
        .await?;
    reload(domain, &cart).await
}

/// Gives the customer's cart back to guests (logout keeps the shopper's cart on the device).
pub async fn unassign(domain: &Domain, who: &Shopper, id: &str) -> Result<Cart, CartError> {
    let customer = who.customer_id.ok_or(CartError::NotSignedIn)?;
    let cart = find_open(domain, who, id).await?;
    if cart.customer_id != Some(customer) {
        return Err(CartError::NotFound);
    }
    domain
        .store()
        .set_cart_customer(&cart.id, None, domain.now_for(who.store_id))
        .await?;
    reload(domain, &cart).await
}

/// At sign-in: merges the named guest cart into the customer's cart (or makes it the
/// customer's cart when they have none) and returns the customer's cart.
pub async fn merge_at_login(
    domain: &Domain,
    who: &Shopper,
    guest_cart: Option<&str>,
) -> Result<Option<Cart>, CartError> {
    let customer = who.customer_id.ok_or(CartError::NotSignedIn)?;
    let existing = domain
        .store()
        .customer_cart(who.store_id, who.channel_id, customer)
        .await?;
    let Some(guest_id) = guest_cart else {
        return Ok(existing);
    };
    let guest = find_open(domain, who, guest_id).await?;
    if guest.customer_id.is_some() {
        // Already this customer's (may_use let it through): nothing to merge.
        return Ok(Some(guest));
    }
    let now = domain.now_for(who.store_id);
    match existing {
        Some(mine) => {
            domain.store().merge_carts(&guest.id, &mine.id, now).await?;
            Ok(Some(reload(domain, &mine).await?))
        }
        None => {
            domain
                .store()
                .set_cart_customer(&guest.id, Some(customer), now)
                .await?;
            Ok(Some(reload(domain, &guest).await?))
        }
    }
}

/// The cart with the shopper's prices.
pub async fn priced(
    domain: &Domain,
    cart: Cart,
    discount_bp: i64,
) -> Result<PricedCart, CartError> {
    let mut lines: Vec<PricedLine> = Vec::new();
    for item in domain.store().cart_items(&cart.id).await? {
        let product = domain
            .store()
            .product(cart.store_id, item.product_id)
            .await?;
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

/// The signed-in customer's current cart on the shopper's channel.
pub async fn current(domain: &Domain, who: &Shopper) -> Result<Option<Cart>, CartError> {
    match who.customer_id {
        Some(c) => Ok(domain
            .store()
            .customer_cart(who.store_id, who.channel_id, c)
            .await?),
        None => Ok(None),
    }
}

/// Every cart the shopper holds: the customer's current cart, or the guest session's carts.
pub async fn of_shopper(domain: &Domain, who: &Shopper) -> Result<Vec<Cart>, CartError> {
    match (who.customer_id, &who.session_digest) {
        (Some(_), _) => Ok(current(domain, who).await?.into_iter().collect()),
        (None, Some(d)) => Ok(domain.store().session_carts(who.store_id, d).await?),
        (None, None) => Ok(Vec::new()),
    }
}

/// Deletes an open cart the shopper may use.
pub async fn delete(domain: &Domain, who: &Shopper, id: &str) -> Result<(), CartError> {
    let cart = find_open(domain, who, id).await?;
    match domain.store().delete_cart(&cart.id).await? {
        true => Ok(()),
        false => Err(CartError::NotFound),
    }
}
