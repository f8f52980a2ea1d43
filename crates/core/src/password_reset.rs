//! Password reset links: the token's shape and the link a reset mail carries, at the channel's
//! site (BigCommerce's `requestResetPassword` `path`, with the customer `c` and token `t` that
//! Catalyst's change-password page reads).

use crate::secret::{random_hex, Secret};

/// A reset link works this long.
pub const LIFETIME_SECS: i64 = 3_600;
/// Where the link points when the request names no path (Stencil's change-password page).
pub const DEFAULT_PATH: &str = "/login.php?action=change_password";
const MAX_PATH: usize = 512;

/// A new reset token: 64 hex characters.
pub fn new_token() -> Secret {
    Secret::new(random_hex(32))
}

/// Could `token` be one this server issued? Anything else is refused without a lookup.
pub fn is_token_shaped(token: &str) -> bool {
    token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    #[error("The path must be a path on the storefront, such as /change-password.")]
    Path,
}

/// The link at the channel's site: `path` (a path on that site, never another host) with the
/// customer id and token added to its query.
pub fn link(
    site_url: &str,
    path: Option<&str>,
    customer_id: i64,
    token: &str,
) -> Result<String, LinkError> {
    let path = path.unwrap_or(DEFAULT_PATH);
    let plain = path.len() <= MAX_PATH
        && path.starts_with('/')
        && !path.starts_with("//")
        && !path.contains('#')
        && !path
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == '\\');
    if !plain {
        return Err(LinkError::Path);
    }
    let site = site_url.trim_end_matches('/');
    let mut url = url::Url::parse(&format!("{site}{path}")).map_err(|_| LinkError::Path)?;
    url.query_pairs_mut()
        .append_pair("c", &customer_id.to_string())
        .append_pair("t", token);
    Ok(url.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_stay_on_the_site_and_carry_customer_and_token() {
        let t = "ab".repeat(32);
        let ok = [
            (
                Some("/change-password"),
                "http://localhost:3000/change-password?c=7&t=",
            ),
            (Some("/a?x=1"), "http://localhost:3000/a?x=1&c=7&t="),
            (
                None,
                "http://localhost:3000/login.php?action=change_password&c=7&t=",
            ),
        ];
        for (path, want) in ok {
            let got = link("http://localhost:3000/", path, 7, &t).expect("link");
            assert_eq!(got, format!("{want}{t}"), "{path:?}");
        }
        for bad in [
            "",
            "change-password",
            "//evil.example/x",
            "/\\evil",
            "/a b",
            "/a\n",
            "/a#frag",
            "https://evil.example/",
            &format!("/{}", "a".repeat(600)),
        ] {
            assert_eq!(
                link("http://localhost:3000", Some(bad), 7, &t),
                Err(LinkError::Path),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn tokens_are_64_hex() {
        let t = new_token();
        assert!(is_token_shaped(t.expose()));
        assert_ne!(t.expose(), new_token().expose());
        for bad in ["", "abc", &"g".repeat(64), &"a".repeat(65)] {
            assert!(!is_token_shaped(bad));
        }
    }
}
