//! Loading, creating and rotating the signing keys kept in the database (SPEC §4).

use storefront_auth_core::keys::{KeyError, MasterKey, VerifyingKey};
use storefront_auth_core::{KeyRing, SigningKey};
use storefront_auth_store::{KeyRingKind, Store, StoredKey};

#[derive(Debug, thiserror::Error)]
pub enum KeysError {
    #[error(transparent)]
    Store(#[from] storefront_auth_store::StoreError),
    #[error(transparent)]
    Key(#[from] KeyError),
    #[error("unknown key id {0}")]
    UnknownKid(String),
    #[error("key {0} is the only live key; rotate before retiring it")]
    LastLiveKey(String),
}

/// Builds the token key ring: the newest live key signs, every live key verifies.
pub async fn load_ring(store: &Store, master: Option<&MasterKey>) -> Result<KeyRing, KeysError> {
    load_ring_in(store, master, KeyRingKind::Tokens).await
}

/// Builds `kind`'s key ring.
pub async fn load_ring_in(
    store: &Store,
    master: Option<&MasterKey>,
    kind: KeyRingKind,
) -> Result<KeyRing, KeysError> {
    let rows = store.keys_in(kind).await?;
    let mut signer = None;
    let mut verifiers = Vec::new();
    for row in rows.iter().filter(|k| k.retired_at.is_none()) {
        let point = hex::decode(&row.public_point).map_err(|_| KeyError::BadKeyMaterial)?;
        verifiers.push(VerifyingKey::from_point(&point)?);
        if signer.is_none() {
            signer = Some(SigningKey::from_stored(&row.private_key, master)?);
        }
    }
    // Set by migration 4: tokens the database held then may carry the other signature form.
    let high_s_before = store
        .server_value("low_s_since")
        .await?
        .and_then(|v| v.parse().ok())
        .unwrap_or(i64::MIN);
    Ok(KeyRing::new(signer, verifiers).with_high_s_issued_before(high_s_before))
}

/// Creates a token key and makes it the signer. Older keys keep verifying until retired.
pub async fn rotate(
    store: &Store,
    master: Option<&MasterKey>,
    now: i64,
) -> Result<String, KeysError> {
    rotate_in(store, master, now, KeyRingKind::Tokens).await
}

/// Creates a key in `kind`'s ring and makes it the signer.
pub async fn rotate_in(
    store: &Store,
    master: Option<&MasterKey>,
    now: i64,
    kind: KeyRingKind,
) -> Result<String, KeysError> {
    let key = SigningKey::generate()?;
    let vk = key.verifying_key()?;
    store
        .insert_key_in(
            kind,
            &StoredKey {
                kid: key.kid().to_string(),
                private_key: key.to_stored(master),
                public_point: hex::encode(vk.point()),
                created_at: now,
                retired_at: None,
            },
        )
        .await?;
    Ok(key.kid().to_string())
}

/// Makes sure a token signing key exists (first start).
pub async fn ensure_signer(
    store: &Store,
    master: Option<&MasterKey>,
    now: i64,
) -> Result<(), KeysError> {
    ensure_signer_in(store, master, now, KeyRingKind::Tokens).await
}

/// Makes sure `kind`'s ring has a signing key.
pub async fn ensure_signer_in(
    store: &Store,
    master: Option<&MasterKey>,
    now: i64,
    kind: KeyRingKind,
) -> Result<(), KeysError> {
    if !store
        .keys_in(kind)
        .await?
        .iter()
        .any(|k| k.retired_at.is_none())
    {
        rotate_in(store, master, now, kind).await?;
    }
    Ok(())
}

/// Retires a key: tokens it signed stop verifying. The last live key cannot be retired.
pub async fn retire(store: &Store, kid: &str, now: i64) -> Result<(), KeysError> {
    retire_in(store, kid, now, KeyRingKind::Tokens).await
}

/// Retires a key of `kind`'s ring; the last live one cannot be retired.
pub async fn retire_in(
    store: &Store,
    kid: &str,
    now: i64,
    kind: KeyRingKind,
) -> Result<(), KeysError> {
    let keys = store.keys_in(kind).await?;
    if !keys.iter().any(|k| k.kid == kid && k.retired_at.is_none()) {
        return Err(KeysError::UnknownKid(kid.to_string()));
    }
    if !store.retire_key_in(kind, kid, now).await? {
        return Err(KeysError::LastLiveKey(kid.to_string()));
    }
    Ok(())
}

/// One key in `keys list`.
#[derive(Debug)]
pub struct KeyStatus {
    pub kid: String,
    /// `signing`, `verifying` or `retired`.
    pub status: &'static str,
    pub created_at: i64,
}

impl super::Domain {
    /// Every key the database holds, newest first, with its role.
    pub async fn list_keys(&self) -> Result<Vec<KeyStatus>, KeysError> {
        let signer = self.keys().signer().map(|k| k.kid().to_string());
        Ok(self
            .store()
            .keys()
            .await?
            .into_iter()
            .map(|k| KeyStatus {
                status: match (k.retired_at, Some(&k.kid) == signer.as_ref()) {
                    (Some(_), _) => "retired",
                    (None, true) => "signing",
                    (None, false) => "verifying",
                },
                kid: k.kid,
                created_at: k.created_at,
            })
            .collect())
    }

    /// A new signing key, announced to every instance; older keys keep verifying.
    pub async fn rotate_signer(&self) -> Result<String, KeysError> {
        let kid = rotate(self.store(), self.0.master_key.as_ref(), self.now()).await?;
        self.keys_changed().await;
        Ok(kid)
    }

    /// Retires a key everywhere: tokens it signed stop verifying (SPEC §4).
    pub async fn retire_key(&self, kid: &str) -> Result<(), KeysError> {
        retire(self.store(), kid, self.now()).await?;
        self.keys_changed().await;
        Ok(())
    }

    async fn keys_changed(&self) {
        if let Err(e) = self.reload_keys().await {
            tracing::warn!(error = %e, "key ring reload failed");
        }
        super::revocation::notify(self, storefront_auth_store::Event::KeysChanged).await;
    }

    /// Re-reads the key ring (after a rotation or retirement by this or another process).
    /// Tokens cached under a key that no longer verifies are dropped: a cache hit never
    /// outlives its key.
    pub async fn reload_keys(&self) -> Result<(), KeysError> {
        let ring = std::sync::Arc::new(load_ring(self.store(), self.0.master_key.as_ref()).await?);
        let previous = match self.0.keys.write() {
            Ok(mut g) => std::mem::replace(&mut *g, ring.clone()),
            Err(poisoned) => std::mem::replace(&mut *poisoned.into_inner(), ring.clone()),
        };
        if previous.kids().any(|kid| ring.verifier(kid).is_none()) {
            self.0
                .tokens
                .retain_keys(|kid| ring.verifier(kid).is_some());
        }
        Ok(())
    }
}
