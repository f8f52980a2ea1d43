//! Customer access tokens and session cookies (SPEC §5.4, §5.7): formats and lifetimes.

use crate::secret::{random_hex, Secret};

/// CATs and sessions live 7 days unless configured otherwise.
pub const DEFAULT_LIFETIME_SECS: i64 = 7 * 24 * 3600;
pub const SESSION_COOKIE: &str = "SHOP_TOKEN";

/// A new customer access token, `{64 hex}_{expiry unix seconds}`, and its expiry.
pub fn new_access_token(now: i64, lifetime: i64) -> (Secret, i64) {
    let expires = now + lifetime;
    (
        Secret::new(format!("{}_{expires}", random_hex(32))),
        expires,
    )
}

/// Is `value` shaped like a customer access token? Returns its stated expiry.
pub fn parse_access_token(value: &str) -> Option<i64> {
    let (hex, expiry) = value.split_once('_')?;
    if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    expiry.parse().ok()
}

/// A new `SHOP_TOKEN` session id.
pub fn new_session_id() -> Secret {
    Secret::new(random_hex(32))
}

/// Why a stored sign-in cannot be used for this request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionRefusal {
    Unknown,
    Ended,
    Expired,
    OtherStorefront,
}

/// The state of a stored session or CAT, as the policy needs it.
pub struct StoredSignIn {
    pub store_id: i64,
    pub channel_id: i64,
    pub expires_at: i64,
    pub ended: bool,
}

/// A sign-in is usable only on the store and channel it was made on, before it expires or ends.
pub fn check_sign_in(
    stored: Option<&StoredSignIn>,
    store_id: i64,
    channel_id: i64,
    now: i64,
) -> Result<(), SessionRefusal> {
    let s = stored.ok_or(SessionRefusal::Unknown)?;
    if s.ended {
        return Err(SessionRefusal::Ended);
    }
    if s.expires_at < now {
        return Err(SessionRefusal::Expired);
    }
    if s.store_id != store_id || s.channel_id != channel_id {
        return Err(SessionRefusal::OtherStorefront);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_token_format() {
        let (t, exp) = new_access_token(1_000, DEFAULT_LIFETIME_SECS);
        assert_eq!(exp, 1_000 + 604_800);
        assert_eq!(parse_access_token(t.expose()), Some(exp));
        assert_eq!(t.expose().len(), 64 + 1 + exp.to_string().len());
        assert_eq!(
            parse_access_token(
                "53ea9099d5484cdedddbf8f59a73bc284afefd7943c4dbe578db52435e0c0de7_1721406629"
            ),
            Some(1_721_406_629)
        );
        for bad in [
            "",
            "abc_1",
            "zz_1",
            &format!("{}_x", "a".repeat(64)),
            &"a".repeat(64),
        ] {
            assert_eq!(parse_access_token(bad), None, "{bad}");
        }
    }

    #[test]
    fn sign_in_checks() {
        let s = StoredSignIn {
            store_id: 1,
            channel_id: 1,
            expires_at: 100,
            ended: false,
        };
        assert_eq!(check_sign_in(Some(&s), 1, 1, 100), Ok(()));
        assert_eq!(
            check_sign_in(Some(&s), 1, 1, 101),
            Err(SessionRefusal::Expired)
        );
        assert_eq!(
            check_sign_in(Some(&s), 1, 2, 50),
            Err(SessionRefusal::OtherStorefront)
        );
        assert_eq!(
            check_sign_in(Some(&s), 2, 1, 50),
            Err(SessionRefusal::OtherStorefront)
        );
        assert_eq!(check_sign_in(None, 1, 1, 50), Err(SessionRefusal::Unknown));
        let ended = StoredSignIn { ended: true, ..s };
        assert_eq!(
            check_sign_in(Some(&ended), 1, 1, 50),
            Err(SessionRefusal::Ended)
        );
    }
}
