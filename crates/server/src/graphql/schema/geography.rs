//! Countries and their states or provinces (`geography`, `settings.shipping`): the address
//! forms' pickers. The stand-in ships to the countries it lists, in BigCommerce's names and ISO
//! codes; entity ids are BigCommerce's country ids.

use async_graphql::{InputObject, Object, SimpleObject};

use crate::service::geography::COUNTRIES;

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
                    entity_id: crate::service::geography::state_entity_id(*id, i),
                    name: name.to_string(),
                    abbreviation: abbreviation.to_string(),
                })
                .collect(),
            state_required: *required,
        })
        .collect()
}
