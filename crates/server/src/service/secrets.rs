//! Secrets kept in the database (mail bodies, provider credentials): sealed with the master
//! key when the server has one, bound to a name so a sealed value cannot be moved to another
//! record; plain otherwise (SPEC §10: a master key is optional).

use storefront_auth_core::keys::{open_stored_secret, KeyError};

use super::Domain;

impl Domain {
    /// `plain` as stored under `name`.
    pub(super) fn seal(&self, name: &str, plain: &str) -> String {
        match self.0.master_key.as_ref() {
            Some(m) => m.seal_secret(name, plain),
            None => plain.to_string(),
        }
    }

    /// A value `seal` stored under `name`.
    pub(super) fn unseal(&self, name: &str, stored: &str) -> Result<String, KeyError> {
        open_stored_secret(name, stored, self.0.master_key.as_ref())
    }
}
