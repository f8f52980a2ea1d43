//! Shipping quotes (issue 17: the cart page's shipping estimator): which of a store's shipping
//! methods serve a destination country, and what each costs for a consignment. Pure.

/// How a method charges.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RateKind {
    /// One rate per consignment.
    Flat,
    /// The rate times the units shipped.
    PerItem,
    /// Nothing.
    Free,
}

impl RateKind {
    pub const ALL: [RateKind; 3] = [RateKind::Flat, RateKind::PerItem, RateKind::Free];

    /// The stored and command-line name.
    pub fn as_str(self) -> &'static str {
        match self {
            RateKind::Flat => "flat",
            RateKind::PerItem => "per_item",
            RateKind::Free => "free",
        }
    }

    pub fn parse(s: &str) -> Option<RateKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// BigCommerce's `type` of a shipping option of this kind.
    pub fn option_type(self) -> &'static str {
        match self {
            RateKind::Flat => "shipping_flatrate",
            RateKind::PerItem => "shipping_peritem",
            RateKind::Free => "shipping_free",
        }
    }
}

/// A store's shipping method. `countries` empty: it ships everywhere.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Method {
    pub id: i64,
    pub name: String,
    pub kind: RateKind,
    pub rate_cents: i64,
    pub countries: Vec<String>,
}

/// What shipping a consignment by one method costs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quote {
    /// The option's id: its method's id, in decimal.
    pub option_id: String,
    pub description: String,
    pub option_type: &'static str,
    pub cost_cents: i64,
    /// The cheapest option (the first of equals) is recommended.
    pub recommended: bool,
}

/// The longest method name, and the highest rate (10,000.00).
pub const MAX_NAME_LEN: usize = 100;
pub const MAX_RATE_CENTS: i64 = 1_000_000;

/// Checks a method as an operator defines it: a name, a rate in range (none for free
/// shipping), and two-letter country codes. Returns the codes upper-cased.
pub fn check_method(
    name: &str,
    kind: RateKind,
    rate_cents: i64,
    countries: &[String],
) -> Result<Vec<String>, String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME_LEN {
        return Err(format!(
            "A shipping method's name is 1 to {MAX_NAME_LEN} characters."
        ));
    }
    match kind {
        RateKind::Free if rate_cents != 0 => {
            return Err("Free shipping has no rate.".into());
        }
        _ if !(0..=MAX_RATE_CENTS).contains(&rate_cents) => {
            return Err("A rate is between 0.00 and 10000.00.".into());
        }
        _ => {}
    }
    countries
        .iter()
        .map(|c| {
            let c = c.trim();
            if c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic()) {
                Ok(c.to_ascii_uppercase())
            } else {
                Err(format!("{c:?} is not a two-letter country code."))
            }
        })
        .collect()
}

/// The options for shipping `units` to `country`, in the methods' order. A method whose cost
/// would not fit is left out.
pub fn quotes(methods: &[Method], country: &str, units: i64) -> Vec<Quote> {
    let mut found: Vec<Quote> = methods
        .iter()
        .filter(|m| {
            m.countries.is_empty() || m.countries.iter().any(|c| c.eq_ignore_ascii_case(country))
        })
        .filter_map(|m| {
            let cost_cents = match m.kind {
                RateKind::Flat => m.rate_cents,
                RateKind::PerItem => m.rate_cents.checked_mul(units)?,
                RateKind::Free => 0,
            };
            Some(Quote {
                option_id: m.id.to_string(),
                description: m.name.clone(),
                option_type: m.kind.option_type(),
                cost_cents,
                recommended: false,
            })
        })
        .collect();
    recommend(&mut found);
    found
}

/// Marks the cheapest option (the first of equals) as the recommended one, and only it.
pub fn recommend(options: &mut [Quote]) {
    let cheapest = options
        .iter()
        .enumerate()
        .min_by_key(|(i, q)| (q.cost_cents, *i))
        .map(|(i, _)| i);
    for (i, q) in options.iter_mut().enumerate() {
        q.recommended = Some(i) == cheapest;
    }
}

#[cfg(test)]
mod tests;
