//! The countries the stand-in knows, with their states (BigCommerce's ids), and the rule an
//! address's country and state follow. Read by the `geography` query and by the address book.

pub const US_STATES: &[(&str, &str)] = &[
    ("AL", "Alabama"),
    ("AK", "Alaska"),
    ("AZ", "Arizona"),
    ("AR", "Arkansas"),
    ("CA", "California"),
    ("CO", "Colorado"),
    ("CT", "Connecticut"),
    ("DE", "Delaware"),
    ("DC", "District of Columbia"),
    ("FL", "Florida"),
    ("GA", "Georgia"),
    ("HI", "Hawaii"),
    ("ID", "Idaho"),
    ("IL", "Illinois"),
    ("IN", "Indiana"),
    ("IA", "Iowa"),
    ("KS", "Kansas"),
    ("KY", "Kentucky"),
    ("LA", "Louisiana"),
    ("ME", "Maine"),
    ("MD", "Maryland"),
    ("MA", "Massachusetts"),
    ("MI", "Michigan"),
    ("MN", "Minnesota"),
    ("MS", "Mississippi"),
    ("MO", "Missouri"),
    ("MT", "Montana"),
    ("NE", "Nebraska"),
    ("NV", "Nevada"),
    ("NH", "New Hampshire"),
    ("NJ", "New Jersey"),
    ("NM", "New Mexico"),
    ("NY", "New York"),
    ("NC", "North Carolina"),
    ("ND", "North Dakota"),
    ("OH", "Ohio"),
    ("OK", "Oklahoma"),
    ("OR", "Oregon"),
    ("PA", "Pennsylvania"),
    ("RI", "Rhode Island"),
    ("SC", "South Carolina"),
    ("SD", "South Dakota"),
    ("TN", "Tennessee"),
    ("TX", "Texas"),
    ("UT", "Utah"),
    ("VT", "Vermont"),
    ("VA", "Virginia"),
    ("WA", "Washington"),
    ("WV", "West Virginia"),
    ("WI", "Wisconsin"),
    ("WY", "Wyoming"),
];

pub const CA_PROVINCES: &[(&str, &str)] = &[
    ("AB", "Alberta"),
    ("BC", "British Columbia"),
    ("MB", "Manitoba"),
    ("NB", "New Brunswick"),
    ("NL", "Newfoundland and Labrador"),
    ("NT", "Northwest Territories"),
    ("NS", "Nova Scotia"),
    ("NU", "Nunavut"),
    ("ON", "Ontario"),
    ("PE", "Prince Edward Island"),
    ("QC", "Quebec"),
    ("SK", "Saskatchewan"),
    ("YT", "Yukon"),
];

pub const AU_STATES: &[(&str, &str)] = &[
    ("ACT", "Australian Capital Territory"),
    ("NSW", "New South Wales"),
    ("NT", "Northern Territory"),
    ("QLD", "Queensland"),
    ("SA", "South Australia"),
    ("TAS", "Tasmania"),
    ("VIC", "Victoria"),
    ("WA", "Western Australia"),
];

/// (BigCommerce id, ISO 2, ISO 3, name, states, state required)
pub type CountryRow = (
    i32,
    &'static str,
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
    bool,
);

pub const COUNTRIES: &[CountryRow] = &[
    (13, "AU", "AUS", "Australia", AU_STATES, true),
    (38, "CA", "CAN", "Canada", CA_PROVINCES, true),
    (73, "FR", "FRA", "France", &[], false),
    (81, "DE", "DEU", "Germany", &[], false),
    (150, "NL", "NLD", "Netherlands", &[], false),
    (225, "GB", "GBR", "United Kingdom", &[], false),
    (226, "US", "USA", "United States", US_STATES, true),
];

/// Checks an address's country and state: the country must be one of `COUNTRIES`, and where
/// the country lists states, the state (by name or abbreviation) must be one of them, and
/// given when the country requires one.
pub fn check_region(country_code: &str, state: Option<&str>) -> Result<(), String> {
    let Some((_, code, _, name, states, required)) = COUNTRIES
        .iter()
        .find(|c| c.1.eq_ignore_ascii_case(country_code))
    else {
        return Err(format!("Country code {country_code} is not supported."));
    };
    let state = state.map(str::trim).filter(|s| !s.is_empty());
    match state {
        None if *required => Err(format!("A state or province is required in {name}.")),
        Some(s)
            if !states.is_empty()
                && !states
                    .iter()
                    .any(|(abbr, n)| abbr.eq_ignore_ascii_case(s) || n.eq_ignore_ascii_case(s)) =>
        {
            Err(format!("{s} is not a state or province of {code}."))
        }
        _ => Ok(()),
    }
}

/// The country's name, for a code `COUNTRIES` has.
pub fn country_name(country_code: &str) -> Option<&'static str> {
    COUNTRIES
        .iter()
        .find(|c| c.1.eq_ignore_ascii_case(country_code))
        .map(|c| c.3)
}

/// Whether the stand-in lists the country's states.
pub fn has_states(country_code: &str) -> bool {
    COUNTRIES
        .iter()
        .any(|c| c.1.eq_ignore_ascii_case(country_code) && !c.4.is_empty())
}

/// A state's `entityId` in the `geography` query: its country's id times 1000 plus its
/// position (from 1).
pub fn state_entity_id(country_id: i32, position: usize) -> i32 {
    country_id * 1000 + position as i32 + 1
}

/// A state given by name, abbreviation or `entityId` (Catalyst's cart page sends the id), as
/// (name, abbreviation), when the country lists it.
pub fn state(country_code: &str, state: &str) -> Option<(&'static str, &'static str)> {
    let (id, _, _, _, states, _) = COUNTRIES
        .iter()
        .find(|c| c.1.eq_ignore_ascii_case(country_code))?;
    let state = state.trim();
    states
        .iter()
        .enumerate()
        .find(|(i, (abbr, n))| {
            abbr.eq_ignore_ascii_case(state)
                || n.eq_ignore_ascii_case(state)
                || state_entity_id(*id, *i).to_string() == state
        })
        .map(|(_, (abbr, n))| (*n, *abbr))
}

#[cfg(test)]
mod tests {
    use super::{check_region, country_name, state};

    #[test]
    fn names() {
        assert_eq!(country_name("us"), Some("United States"));
        assert_eq!(country_name("ZZ"), None);
        assert_eq!(state("US", "california"), Some(("California", "CA")));
        assert_eq!(state("CA", "ON"), Some(("Ontario", "ON")));
        assert_eq!(state("FR", "Paris"), None);
        // California is the 5th state listed of the United States (226).
        assert_eq!(state("US", "226005"), Some(("California", "CA")));
        assert_eq!(state("US", "38001"), None);
    }

    #[test]
    fn regions() {
        let cases: &[(&str, Option<&str>, bool)] = &[
            ("US", Some("CA"), true),
            ("us", Some("California"), true),
            ("US", Some("Bavaria"), false),
            ("US", None, false),
            ("US", Some("  "), false),
            ("DE", None, true),
            ("DE", Some("Bavaria"), true),
            ("XX", None, false),
        ];
        for (country, state, ok) in cases {
            assert_eq!(
                check_region(country, *state).is_ok(),
                *ok,
                "{country} {state:?}"
            );
        }
    }
}
