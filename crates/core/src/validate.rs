//! Validation rules for values a client supplies when creating tokens (SPEC §3.1).

/// Why a CORS origin was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OriginError {
    /// A trailing slash, path, query or fragment after the host.
    InvalidSuffix,
    /// Not `scheme://host[:port]` at all.
    Invalid,
}

/// Checks that `origin` is exactly `scheme://host[:port]`, as browsers send it.
pub fn check_origin(origin: &str) -> Result<(), OriginError> {
    let Some((scheme, rest)) = origin.split_once("://") else {
        return Err(OriginError::Invalid);
    };
    if !matches!(scheme, "http" | "https") {
        return Err(OriginError::Invalid);
    }
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, suffix) = rest.split_at(end);
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || authority.starts_with('[') => (h, Some(p)),
        _ => (authority, None),
    };
    let host_ok = !host.is_empty()
        && host.len() <= 253
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'[' | b']' | b':'));
    let port_ok =
        port.is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()));
    if !host_ok || !port_ok || authority.contains('@') {
        return Err(OriginError::Invalid);
    }
    if !suffix.is_empty() {
        return Err(OriginError::InvalidSuffix);
    }
    Ok(())
}

/// The origin (`scheme://host[:port]`) of a URL such as a channel's `site_url`.
/// A prefix of `url` (no allocation).
pub fn origin_of(url: &str) -> Option<&str> {
    let (scheme, rest) = url.split_once("://")?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let origin = &url[..scheme.len() + 3 + end];
    check_origin(origin).ok().map(|_| origin)
}

/// An email address as far as a store needs to know: one `@` between a local part and a
/// domain with a dot in it, no spaces or control characters, at most 254 characters.
pub fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    s.len() <= 254
        && !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// A store hash: 1–32 characters of `[a-z0-9]`.
pub fn is_store_hash(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 32
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    #[test]
    fn emails() {
        for ok in ["a@b.c", "jane.doe+x@example.co.uk"] {
            assert!(super::is_email(ok), "{ok}");
        }
        for bad in [
            "", "a", "@b.c", "a@", "a@b", "a@.b", "a@b.", "a b@c.d", "a@b@c.d", "a@b.c\n",
        ] {
            assert!(!super::is_email(bad), "{bad}");
        }
        assert!(!super::is_email(&format!("{}@b.c", "a".repeat(260))));
    }

    use super::*;

    #[test]
    fn origins() {
        let cases = [
            ("http://localhost:3000", Ok(())),
            ("https://shop.example", Ok(())),
            ("https://shop.example:8443", Ok(())),
            ("https://shop.example/", Err(OriginError::InvalidSuffix)),
            ("https://shop.example/path", Err(OriginError::InvalidSuffix)),
            ("https://shop.example?x=1", Err(OriginError::InvalidSuffix)),
            ("shop.example", Err(OriginError::Invalid)),
            ("ftp://shop.example", Err(OriginError::Invalid)),
            ("https://", Err(OriginError::Invalid)),
            ("https://user@shop.example", Err(OriginError::Invalid)),
            ("https://shop.example:port", Err(OriginError::Invalid)),
            ("https://sh op.example", Err(OriginError::Invalid)),
        ];
        for (o, want) in cases {
            assert_eq!(check_origin(o), want, "{o}");
        }
    }

    #[test]
    fn origin_of_urls() {
        assert_eq!(
            origin_of("http://localhost:3000/shop/"),
            Some("http://localhost:3000")
        );
        assert_eq!(origin_of("nonsense"), None);
    }

    #[test]
    fn store_hashes() {
        assert!(is_store_hash("demo"));
        assert!(is_store_hash("abc123"));
        assert!(!is_store_hash(""));
        assert!(!is_store_hash("ABC"));
        assert!(!is_store_hash(&"a".repeat(33)));
    }
}
