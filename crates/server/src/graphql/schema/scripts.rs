//! `site.content.scripts`: the scripts a merchant installs for the storefront. The stand-in has
//! no script manager, so the list is always empty; the types are BigCommerce's.

use async_graphql::{Enum, InputObject, Interface, SimpleObject};

use super::connection::connection;

#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(rename_items = "SCREAMING_SNAKE_CASE")]
pub enum ScriptVisibility {
    AllPages,
    Checkout,
    OrderConfirmation,
    Storefront,
}

#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(rename_items = "SCREAMING_SNAKE_CASE")]
pub enum ScriptLocation {
    Footer,
    Head,
}

#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(rename_items = "SCREAMING_SNAKE_CASE")]
pub enum ScriptConsentCategory {
    Analytics,
    Essential,
    Functional,
    Targeting,
    Unknown,
}

#[derive(InputObject, Clone, Debug, Default)]
pub struct ScriptsFilters {
    pub visibilities: Option<Vec<ScriptVisibility>>,
    pub consent_categories: Option<Vec<ScriptConsentCategory>>,
    pub location: Option<ScriptLocation>,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct ScriptHash {
    pub hash: String,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct InlineScript {
    pub script_tag: String,
    pub entity_id: super::scalars::Uuid,
    pub consent_category: ScriptConsentCategory,
    pub visibility: ScriptVisibility,
    pub integrity_hashes: Vec<ScriptHash>,
    pub location: ScriptLocation,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct SrcScript {
    pub src: String,
    pub entity_id: super::scalars::Uuid,
    pub consent_category: ScriptConsentCategory,
    pub visibility: ScriptVisibility,
    pub integrity_hashes: Vec<ScriptHash>,
    pub location: ScriptLocation,
}

#[derive(Interface, Clone, Debug)]
#[graphql(
    field(name = "entity_id", ty = "&super::scalars::Uuid"),
    field(name = "consent_category", ty = "&ScriptConsentCategory"),
    field(name = "visibility", ty = "&ScriptVisibility"),
    field(name = "integrity_hashes", ty = "&Vec<ScriptHash>"),
    field(name = "location", ty = "&ScriptLocation")
)]
pub enum Script {
    InlineScript(InlineScript),
    SrcScript(SrcScript),
}

connection!(ScriptTypeConnection, ScriptTypeEdge, Script);
