//! Change events between instances (SPEC §9): on PostgreSQL a `NOTIFY` on one channel tells
//! every instance's listener at once; the periodic catch-up covers anything a listener missed.
//! On SQLite (one process) there is nobody to tell, and `notify` does nothing.

use crate::{Backend, Result, Store, StoreError};

pub const CHANNEL: &str = "storefront_auth_events";

/// What changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// A token was revoked (by id).
    TokenRevoked(String),
    /// Signing keys were rotated or retired.
    KeysChanged,
    /// A customer's sign-ins ended (logout, or a sign-in elsewhere under the one-device rule):
    /// instances forget what they cached of them.
    SignInsEnded { store_id: i64, customer_id: i64 },
}

impl Event {
    fn encode(&self) -> String {
        match self {
            Event::TokenRevoked(jti) => format!("revoked:{jti}"),
            Event::KeysChanged => "keys".to_string(),
            Event::SignInsEnded {
                store_id,
                customer_id,
            } => format!("signed-out:{store_id}:{customer_id}"),
        }
    }

    pub fn decode(payload: &str) -> Option<Event> {
        match payload.split_once(':') {
            Some(("revoked", jti)) => Some(Event::TokenRevoked(jti.to_string())),
            Some(("signed-out", ids)) => {
                let (store, customer) = ids.split_once(':')?;
                Some(Event::SignInsEnded {
                    store_id: store.parse().ok()?,
                    customer_id: customer.parse().ok()?,
                })
            }
            _ if payload == "keys" => Some(Event::KeysChanged),
            _ => None,
        }
    }
}

/// A dedicated connection listening for events.
pub struct Listener(sqlx::postgres::PgListener);

impl Listener {
    /// The next event; an error means the connection dropped (reconnect with `Store::listen`).
    pub async fn recv(&mut self) -> Result<Option<Event>> {
        let n = self
            .0
            .try_recv()
            .await?
            .ok_or_else(|| StoreError::Unavailable("listener connection closed".into()))?;
        Ok(Event::decode(n.payload()))
    }
}

impl Store {
    /// Tells every instance; a failure only delays them until the catch-up.
    pub async fn notify(&self, event: &Event) -> Result<()> {
        if self.backend() == Backend::Postgres {
            sqlx::query("SELECT pg_notify($1, $2)")
                .bind(CHANNEL)
                .bind(event.encode())
                .execute(self.pool())
                .await?;
        }
        Ok(())
    }

    /// A listener on PostgreSQL; `None` on SQLite.
    pub async fn listen(&self) -> Result<Option<Listener>> {
        if self.backend() != Backend::Postgres {
            return Ok(None);
        }
        let mut listener = sqlx::postgres::PgListener::connect(self.url()).await?;
        // Reconnection is ours to manage, so that /readyz can see the outage.
        listener.ignore_pool_close_event(true);
        listener.listen(CHANNEL).await?;
        Ok(Some(Listener(listener)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_round_trip() {
        for e in [
            Event::TokenRevoked("a-b:c".into()),
            Event::KeysChanged,
            Event::SignInsEnded {
                store_id: 1_000_000_001,
                customer_id: 7,
            },
        ] {
            assert_eq!(Event::decode(&e.encode()), Some(e));
        }
        assert_eq!(Event::decode("nonsense"), None);
        assert_eq!(Event::decode("signed-out:x:1"), None);
    }
}
