//! Coupons (issue 17: Catalyst's cart page applies coupon codes): what a coupon takes off a
//! checkout's goods, and what an operator may define. Pure.

/// How a coupon discounts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CouponKind {
    /// A percentage of the goods (`amount` in basis points: 1000 = 10 %).
    Percent,
    /// A fixed amount off the order (`amount` in cents).
    Amount,
}

impl CouponKind {
    pub const ALL: [CouponKind; 2] = [CouponKind::Percent, CouponKind::Amount];

    pub fn as_str(self) -> &'static str {
        match self {
            CouponKind::Percent => "percent",
            CouponKind::Amount => "amount",
        }
    }

    pub fn parse(s: &str) -> Option<CouponKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// The longest code, the highest fixed amount (10,000.00) and the most uses a coupon may have.
pub const MAX_CODE_LEN: usize = 50;
pub const MAX_AMOUNT_CENTS: i64 = 1_000_000;
pub const MAX_USES: i64 = 1_000_000;

/// What the coupon takes off goods worth `goods_cents`: never more than the goods, never less
/// than nothing; a percentage is rounded to the cent (half up).
pub fn discount(kind: CouponKind, amount: i64, goods_cents: i64) -> i64 {
    let goods = goods_cents.max(0);
    let off = match kind {
        CouponKind::Percent => {
            let bp = i128::from(amount.clamp(0, 10_000));
            i64::try_from((i128::from(goods) * bp + 5_000) / 10_000).unwrap_or(goods)
        }
        CouponKind::Amount => amount.max(0),
    };
    off.min(goods)
}

/// Checks a coupon as an operator defines it: a code of letters, digits, `-` and `_` (it is
/// matched without regard to case), a percentage above 0 and at most 100 (in basis points) or
/// an amount above 0.00 and at most 10,000.00, and a use limit (0: none). Returns the code.
pub fn check(code: &str, kind: CouponKind, amount: i64, max_uses: i64) -> Result<String, String> {
    let code = code.trim();
    if code.is_empty()
        || code.len() > MAX_CODE_LEN
        || !code
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(format!(
            "A coupon code is 1 to {MAX_CODE_LEN} letters, digits, '-' or '_'."
        ));
    }
    let in_range = match kind {
        CouponKind::Percent => (1..=10_000).contains(&amount),
        CouponKind::Amount => (1..=MAX_AMOUNT_CENTS).contains(&amount),
    };
    if !in_range {
        return Err(match kind {
            CouponKind::Percent => "A percentage is above 0 and at most 100.".into(),
            CouponKind::Amount => "An amount is above 0.00 and at most 10000.00.".into(),
        });
    }
    if !(0..=MAX_USES).contains(&max_uses) {
        return Err(format!("A use limit is 0 (none) to {MAX_USES}."));
    }
    Ok(code.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discounts() {
        use CouponKind::*;
        let cases = [
            (Percent, 1_000, 25_295, 2_530),
            (Percent, 1_000, 5, 1),
            (Percent, 10_000, 4_950, 4_950),
            (Percent, 20_000, 4_950, 4_950),
            (Percent, -5, 4_950, 0),
            (Amount, 500, 4_950, 500),
            (Amount, 10_000, 4_950, 4_950),
            (Amount, -1, 4_950, 0),
            (Amount, 500, 0, 0),
            (Percent, 1_000, i64::MAX, i64::MAX / 10 + 1),
        ];
        for (kind, amount, goods, off) in cases {
            assert_eq!(
                discount(kind, amount, goods),
                off,
                "{kind:?} {amount} of {goods}"
            );
        }
    }

    #[test]
    fn coupons_are_checked() {
        use CouponKind::*;
        assert_eq!(
            check(" Save-10_x ", Percent, 1_000, 0),
            Ok("Save-10_x".into())
        );
        assert_eq!(check("FIVE", Amount, 500, 3), Ok("FIVE".into()));
        let long = "x".repeat(51);
        let refused: &[(&str, CouponKind, i64, i64)] = &[
            ("", Percent, 1_000, 0),
            ("two words", Percent, 1_000, 0),
            ("émoji", Percent, 1_000, 0),
            (&long, Percent, 1_000, 0),
            ("A", Percent, 0, 0),
            ("A", Percent, 10_001, 0),
            ("A", Amount, 0, 0),
            ("A", Amount, MAX_AMOUNT_CENTS + 1, 0),
            ("A", Amount, 1, -1),
            ("A", Amount, 1, MAX_USES + 1),
        ];
        for (code, kind, amount, uses) in refused {
            assert!(
                check(code, *kind, *amount, *uses).is_err(),
                "{code:?} {kind:?} {amount} {uses}"
            );
        }
        for kind in CouponKind::ALL {
            assert_eq!(CouponKind::parse(kind.as_str()), Some(kind));
        }
    }
}
