//! Countries and their states or provinces (`geography`, `settings.shipping`): the address
//! forms' pickers. The stand-in ships to the countries it lists, in BigCommerce's names and ISO
//! codes; entity ids are BigCommerce's country ids.

use async_graphql::{InputObject, Object, SimpleObject};

#[derive(SimpleObject, Clone, Debug)]
pub struct StateOrProvince {
    pub entity_id: i32,
    pub name: String,
    pub abbreviation: String,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct Country {
    pub entity_id: i32,
    pub code: String,
    pub name: String,
    pub iso3: String,
    pub states_or_provinces: Vec<StateOrProvince>,
    pub state_required: bool,
}

#[derive(InputObject, Clone, Debug, Default)]
pub struct CountryFiltersInput {
    pub name: Option<String>,
    pub code: Option<String>,
}

pub struct Geography;

#[Object]
impl Geography {
    /// The countries, or those whose name or ISO code (either case) is the one asked for.
    async fn countries(&self, filters: Option<CountryFiltersInput>) -> Option<Vec<Country>> {
        let f = filters.unwrap_or_default();
        let same = |want: &Option<String>, have: &str| {
            want.as_ref().is_none_or(|w| w.eq_ignore_ascii_case(have))
        };
        Some(
            countries()
                .into_iter()
                .filter(|c| same(&f.name, &c.name) && same(&f.code, &c.code))
                .collect(),
        )
    }
}

const US_STATES: &[(&str, &str)] = &[
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

const CA_PROVINCES: &[(&str, &str)] = &[
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

const AU_STATES: &[(&str, &str)] = &[
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
type CountryRow = (
    i32,
    &'static str,
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
    bool,
);

const COUNTRIES: &[CountryRow] = &[
    (13, "AU", "AUS", "Australia", AU_STATES, true),
    (38, "CA", "CAN", "Canada", CA_PROVINCES, true),
    (73, "FR", "FRA", "France", &[], false),
    (81, "DE", "DEU", "Germany", &[], false),
    (150, "NL", "NLD", "Netherlands", &[], false),
    (225, "GB", "GBR", "United Kingdom", &[], false),
    (226, "US", "USA", "United States", US_STATES, true),
];

/// Every country the stand-in ships to, by name; states numbered by country then position.
pub fn countries() -> Vec<Country> {
    COUNTRIES
        .iter()
        .map(|(id, code, iso3, name, states, required)| Country {
            entity_id: *id,
            code: code.to_string(),
            name: name.to_string(),
            iso3: iso3.to_string(),
            states_or_provinces: states
                .iter()
                .enumerate()
                .map(|(i, (abbreviation, name))| StateOrProvince {
                    entity_id: id * 1000 + i as i32 + 1,
                    name: name.to_string(),
                    abbreviation: abbreviation.to_string(),
                })
                .collect(),
            state_required: *required,
        })
        .collect()
}
