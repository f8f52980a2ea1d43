//! Money (SPEC §7, §11): amounts in cents of the store's one currency, the group-discount rule
//! and the one formatting. Prices and quantities are bounded, and every total is computed with
//! checked arithmetic, so no cart can reach an amount that overflows or is not positive.

/// The highest unit price a product may have: $99,999,999.99.
pub const MAX_UNIT_CENTS: i64 = 9_999_999_999;
/// The most of one product a cart line may hold.
pub const MAX_QUANTITY: i64 = 1_000;
/// The most lines a cart may hold.
pub const MAX_LINES: usize = 250;
/// The store's currency (every store sells in USD for now).
pub const CURRENCY: &str = "USD";

/// A price given as a decimal number of dollars, in cents: `None` unless finite, not negative
/// and at most `MAX_UNIT_CENTS`.
pub fn price_cents(dollars: f64) -> Option<i64> {
    let cents = (dollars * 100.0).round();
    (dollars.is_finite() && (0.0..=MAX_UNIT_CENTS as f64).contains(&cents)).then_some(cents as i64)
}

/// A unit price after a customer group's discount in basis points (1000 = 10 %), rounded to
/// the cent. A discount outside 0–100 % is clamped to it.
pub fn discounted(cents: i64, discount_bp: i64) -> i64 {
    let bp = i128::from(discount_bp.clamp(0, 10_000));
    let cents = i128::from(cents);
    let off = (cents * bp + 5_000) / 10_000;
    i64::try_from(cents - off).unwrap_or(0)
}

/// `unit × quantity`, or `None` if it does not fit.
pub fn line_total(unit_cents: i64, quantity: i64) -> Option<i64> {
    unit_cents.checked_mul(quantity)
}

/// The sum of `(unit, quantity)` lines, or `None` if any step does not fit.
pub fn total(lines: impl IntoIterator<Item = (i64, i64)>) -> Option<i64> {
    lines.into_iter().try_fold(0i64, |sum, (unit, qty)| {
        sum.checked_add(line_total(unit, qty)?)
    })
}

/// `$12.34`.
pub fn format(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}${}.{:02}", abs / 100, abs % 100)
}

/// The amount as a decimal number of dollars (GraphQL's `BigDecimal` values).
pub fn decimal(cents: i64) -> f64 {
    cents as f64 / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_are_bounded() {
        assert_eq!(price_cents(12.34), Some(1_234));
        assert_eq!(price_cents(0.0), Some(0));
        assert_eq!(price_cents(99_999_999.99), Some(MAX_UNIT_CENTS));
        for bad in [
            -0.01,
            100_000_000.0,
            92_233_720_368_547_758.07,
            f64::NAN,
            f64::INFINITY,
        ] {
            assert_eq!(price_cents(bad), None, "{bad}");
        }
    }

    #[test]
    fn discounts_round_to_the_cent_and_never_overflow() {
        assert_eq!(discounted(10_900, 1_000), 9_810);
        assert_eq!(discounted(4_950, 0), 4_950);
        assert_eq!(discounted(3_495, 1_000), 3_145);
        assert_eq!(discounted(i64::MAX, 5_000), i64::MAX / 2);
        assert_eq!(discounted(100, 20_000), 0, "clamped to 100 %");
        assert_eq!(discounted(100, -5), 100, "clamped to 0 %");
    }

    #[test]
    fn totals_refuse_what_does_not_fit() {
        assert_eq!(total([(1_000, 2), (250, 4)]), Some(3_000));
        assert_eq!(total([(i64::MAX / 2, 3)]), None);
        assert_eq!(total([(i64::MAX, 1), (1, 1)]), None);
        assert_eq!(
            total([(MAX_UNIT_CENTS, MAX_QUANTITY); MAX_LINES]).map(|t| t > 0),
            Some(true)
        );
    }

    #[test]
    fn formatting() {
        assert_eq!(format(1_234), "$12.34");
        assert_eq!(format(5), "$0.05");
        assert_eq!(format(-2), "-$0.02");
        assert_eq!(decimal(1_234), 12.34);
    }
}
