//! Any GraphQL document with any variables, as `/graphql` and `/graphql/explain` see them:
//! parsing, analysis and the limits answer in bounded time without panicking, and documents
//! within the limits can be walked for denied fields.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use storefront_auth_core::analysis::{self, SchemaIndex};
use storefront_auth_core::{document, ScopeSet};

fn schema() -> &'static SchemaIndex {
    static SCHEMA: OnceLock<SchemaIndex> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        SchemaIndex::from_sdl(include_str!("../../crates/server/schema.graphql")).expect("sdl")
    })
}

fuzz_target!(|data: &[u8]| {
    // The document, then (after a NUL) the variables' JSON.
    let (doc, vars) = match data.iter().position(|b| *b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &b"{}"[..]),
    };
    let Ok(text) = std::str::from_utf8(doc) else {
        return;
    };
    let variables: serde_json::Value = serde_json::from_slice(vars).unwrap_or_default();
    let Ok(parsed) = document::parse(text) else {
        return;
    };
    let variables = analysis::with_defaults(&parsed, None, &variables);
    let Ok(found) = analysis::analyze(&parsed, schema(), None, &variables) else {
        return;
    };
    if analysis::check_limits(&found).is_ok() {
        for have in ScopeSet::all_subsets() {
            let _ = analysis::denied_paths(&parsed, schema(), None, &variables, have);
            let _ = analysis::wholly_denied(&parsed, schema(), None, have);
        }
    }
});
