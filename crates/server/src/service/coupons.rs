//! Coupons: operators define them (`storefront-auth coupons`), a shopper applies one code to a
//! checkout (Catalyst's cart page), and the order takes it off and counts the use. What a
//! coupon takes off is policy (`core::coupons`).

use storefront_auth_core::coupons::{self, CouponKind};
use storefront_auth_store::{Cart, CouponRecord, StoreError};

use super::carts::Shopper;
use super::checkout_change::{after_change, open_at, shown, CheckoutChangeError};
use super::Domain;

/// How many coupons a store may have.
pub const MAX_COUPONS: i64 = 1_000;

/// A coupon applied to a checkout, and what it takes off its goods.
#[derive(Clone, Debug)]
pub struct AppliedCoupon {
    pub coupon: CouponRecord,
    pub cents: i64,
}

/// The coupon the checkout has applied and what it takes off goods worth `goods_cents` (a
/// coupon of a kind only a newer version knows takes nothing).
pub async fn applied(
    domain: &Domain,
    cart: &Cart,
    goods_cents: i64,
) -> Result<Option<AppliedCoupon>, StoreError> {
    let Some(coupon) = domain.store().checkout_coupon(&cart.id).await? else {
        return Ok(None);
    };
    let cents = CouponKind::parse(&coupon.kind).map_or(0, |kind| {
        coupons::discount(kind, coupon.amount, goods_cents)
    });
    Ok(Some(AppliedCoupon { coupon, cents }))
}

fn used_up(c: &CouponRecord) -> bool {
    c.max_uses > 0 && c.uses >= c.max_uses
}

/// Applies a coupon code to the checkout (one coupon per checkout; applying it again is
/// nothing new).
pub async fn apply(
    domain: &Domain,
    who: &Shopper,
    cart_id: &str,
    version: Option<i64>,
    code: &str,
) -> Result<Cart, CheckoutChangeError> {
    let cart = open_at(domain, who, cart_id, version).await?;
    let unknown = || CheckoutChangeError::UnknownCoupon(shown(code));
    let code = code.trim();
    if code.is_empty() || code.len() > coupons::MAX_CODE_LEN {
        return Err(unknown());
    }
    let coupon = domain
        .store()
        .coupon_by_code(who.store_id, code)
        .await?
        .ok_or_else(unknown)?;
    if used_up(&coupon) {
        return Err(CheckoutChangeError::CouponUsedUp(coupon.code));
    }
    match domain.store().checkout_coupon(&cart.id).await? {
        Some(applied) if applied.id == coupon.id => return Ok(cart),
        Some(applied) => return Err(CheckoutChangeError::OneCoupon(applied.code)),
        None => {}
    }
    set(domain, &cart, Some(coupon.id)).await
}

/// Removes the coupon with this code from the checkout.
pub async fn unapply(
    domain: &Domain,
    who: &Shopper,
    cart_id: &str,
    version: Option<i64>,
    code: &str,
) -> Result<Cart, CheckoutChangeError> {
    let cart = open_at(domain, who, cart_id, version).await?;
    match domain.store().checkout_coupon(&cart.id).await? {
        Some(applied) if applied.code.eq_ignore_ascii_case(code.trim()) => {
            set(domain, &cart, None).await
        }
        _ => Err(CheckoutChangeError::CouponNotApplied(shown(code))),
    }
}

async fn set(
    domain: &Domain,
    cart: &Cart,
    coupon_id: Option<i64>,
) -> Result<Cart, CheckoutChangeError> {
    let changed = domain
        .store()
        .set_checkout_coupon(
            &cart.id,
            cart.version,
            coupon_id,
            domain.now_for(cart.store_id),
        )
        .await?;
    after_change(domain, cart, changed).await
}

#[derive(Debug, thiserror::Error)]
pub enum CouponAdminError {
    #[error("No store {0}.")]
    NoSuchStore(String),
    #[error("{0}")]
    Invalid(String),
    #[error("The store already has a coupon with code {0}.")]
    Taken(String),
    #[error("A store has at most {MAX_COUPONS} coupons.")]
    TooMany,
    #[error("No coupon {0} in this store.")]
    NoSuchCoupon(i64),
    #[error(transparent)]
    Store(#[from] StoreError),
}

async fn store_id(domain: &Domain, hash: &str) -> Result<i64, CouponAdminError> {
    let store = super::stores::find(domain, hash).await?;
    Ok(store
        .ok_or_else(|| CouponAdminError::NoSuchStore(hash.to_string()))?
        .id)
}

/// Adds a coupon: `amount` is a percentage in basis points or an amount in cents.
pub async fn add(
    domain: &Domain,
    hash: &str,
    code: &str,
    kind: &str,
    amount: i64,
    max_uses: i64,
) -> Result<CouponRecord, CouponAdminError> {
    let kind = CouponKind::parse(kind).ok_or_else(|| {
        CouponAdminError::Invalid(format!(
            "{kind:?} is not a kind of coupon (percent or amount)."
        ))
    })?;
    let code = coupons::check(code, kind, amount, max_uses).map_err(CouponAdminError::Invalid)?;
    let record = CouponRecord {
        id: 0,
        store_id: store_id(domain, hash).await?,
        code: code.clone(),
        kind: kind.as_str().to_string(),
        amount,
        max_uses,
        uses: 0,
    };
    match domain
        .store()
        .create_coupon(&record, MAX_COUPONS, domain.now_for(record.store_id))
        .await
    {
        Ok(Some(c)) => Ok(c),
        Ok(None) => Err(CouponAdminError::TooMany),
        Err(StoreError::Conflict(_)) => Err(CouponAdminError::Taken(code)),
        Err(e) => Err(e.into()),
    }
}

pub async fn list(domain: &Domain, hash: &str) -> Result<Vec<CouponRecord>, CouponAdminError> {
    Ok(domain
        .store()
        .coupons(store_id(domain, hash).await?)
        .await?)
}

/// Removes a coupon: checkouts that applied it no longer have it; placed orders keep theirs.
pub async fn remove(domain: &Domain, hash: &str, id: i64) -> Result<(), CouponAdminError> {
    let store_id = store_id(domain, hash).await?;
    if !domain.store().delete_coupon(store_id, id).await? {
        return Err(CouponAdminError::NoSuchCoupon(id));
    }
    Ok(())
}
