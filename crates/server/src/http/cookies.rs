//! The storefront's cookies (SPEC §5.7, §8, §11), written and read in one place for every
//! surface that signs a shopper in or keeps a guest session: GraphQL `login`, the Customer
//! Login API, the login form and the REST Storefront API. They are `HttpOnly` and
//! `SameSite=Lax`, and `Secure` whenever the storefront is served over TLS (directly, or by a
//! TLS proxy in front: `behind_tls_proxy`).

use axum::http::HeaderMap;
use cookie::{Cookie, SameSite};

pub use storefront_auth_core::customer_session::SESSION_COOKIE;

/// A guest's REST Storefront session (its carts), created by the first `POST /carts`.
pub const GUEST_SESSION_COOKIE: &str = "SHOP_SESSION_TOKEN";

/// How the cookies of this server are set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CookieJar {
    /// Browsers reach this server over TLS: cookies are `Secure`.
    pub secure: bool,
}

impl CookieJar {
    /// `Secure` when browsers reach this server over TLS.
    pub fn of(config: &crate::config::Config) -> CookieJar {
        CookieJar {
            secure: super::tls::browsers_use_tls(config),
        }
    }

    fn build(&self, name: &'static str, value: &str, max_age: Option<i64>) -> String {
        let mut c = Cookie::new(name, value.to_string());
        c.set_path("/");
        c.set_http_only(true);
        c.set_same_site(SameSite::Lax);
        c.set_secure(self.secure);
        if let Some(secs) = max_age {
            c.set_max_age(cookie::time::Duration::seconds(secs.max(0)));
        }
        c.to_string()
    }

    /// `SHOP_TOKEN`: the signed-in customer's session, for `max_age` seconds.
    pub fn session(&self, value: &str, max_age: i64) -> String {
        self.build(SESSION_COOKIE, value, Some(max_age))
    }

    /// Ends the session cookie in the browser.
    pub fn session_ended(&self) -> String {
        self.build(SESSION_COOKIE, "", Some(0))
    }

    /// `SHOP_SESSION_TOKEN`: a guest's session, for as long as the browser keeps it.
    pub fn guest_session(&self, value: &str) -> String {
        self.build(GUEST_SESSION_COOKIE, value, None)
    }
}

/// The value of the cookie `name` (the first one, when a request repeats it).
pub fn read(headers: &HeaderMap, name: &str) -> Option<String> {
    let values = headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok());
    storefront_auth_core::request::cookie(values, name).map(String::from)
}

/// The `SHOP_TOKEN` cookie.
pub fn session(headers: &HeaderMap) -> Option<String> {
    read(headers, SESSION_COOKIE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_secure_under_tls() {
        let plain = CookieJar { secure: false };
        let tls = CookieJar { secure: true };
        assert_eq!(
            plain.session("abc", 60),
            "SHOP_TOKEN=abc; HttpOnly; SameSite=Lax; Path=/; Max-Age=60"
        );
        assert_eq!(
            tls.session("abc", 60),
            "SHOP_TOKEN=abc; HttpOnly; SameSite=Lax; Secure; Path=/; Max-Age=60"
        );
        assert!(tls.session_ended().contains("Max-Age=0"));
        assert!(tls
            .guest_session("g")
            .starts_with("SHOP_SESSION_TOKEN=g; HttpOnly"));
        assert!(tls.guest_session("g").contains("Secure"));
    }

    #[test]
    fn reads_the_first_named_cookie() {
        let mut h = HeaderMap::new();
        h.append(
            "cookie",
            "a=1; SHOP_TOKEN=x; SHOP_TOKEN=y".parse().expect("v"),
        );
        h.append("cookie", "SHOP_SESSION_TOKEN=g".parse().expect("v"));
        assert_eq!(session(&h).as_deref(), Some("x"));
        assert_eq!(read(&h, GUEST_SESSION_COOKIE).as_deref(), Some("g"));
        assert_eq!(read(&h, "SHOP"), None);
    }
}
