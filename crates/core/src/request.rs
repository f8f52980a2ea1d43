//! Is a GraphQL request a browser's or a server's? (SPEC §5.1)

/// Where a request comes from, as far as the policy cares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RequestOrigin {
    /// A browser script. `origin` is the `Origin` header when the browser sent one.
    Browser {
        origin: Option<String>,
    },
    ServerToServer,
}

/// The request facts that decide the classification, extracted by the HTTP layer.
#[derive(Clone, Debug, Default)]
pub struct RequestSignals {
    pub origin: Option<String>,
    pub has_sec_fetch: bool,
    pub has_session_cookie: bool,
    /// The request carried the store's valid `X-BC-Trusted-Proxy-Secret`.
    pub trusted_proxy: bool,
}

/// Does this fetch-metadata header mark a browser? `Sec-Fetch-Site`, `-Dest` and `-User` do:
/// browsers send them and servers do not. `Sec-Fetch-Mode` alone does not: server-side fetch
/// implementations send it on every request (Node's built-in fetch sends
/// `sec-fetch-mode: cors`, and so the unmodified Catalyst client does), while browsers that
/// send it also send `Sec-Fetch-Site`. Counting it would refuse every private token used
/// from Node.
pub fn is_browser_fetch_metadata(header_name: &str) -> bool {
    // Compared in place: this runs for every header of every request.
    ["sec-fetch-site", "sec-fetch-dest", "sec-fetch-user"]
        .iter()
        .any(|n| header_name.eq_ignore_ascii_case(n))
}

/// The value of the cookie `name` in `Cookie` header values (the first, when repeated):
/// `name=value` pairs separated by `;`, spaces around them ignored, a quoted value unquoted.
pub fn cookie<'h>(header_values: impl IntoIterator<Item = &'h str>, name: &str) -> Option<&'h str> {
    header_values
        .into_iter()
        .flat_map(|h| h.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| n.trim() == name)
        .map(|(_, v)| {
            let v = v.trim();
            v.strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .unwrap_or(v)
        })
}

impl RequestSignals {
    /// Which signals the request carried, for the decision inspector.
    pub fn present(&self) -> SignalsPresent {
        SignalsPresent {
            origin: self.origin.is_some(),
            sec_fetch: self.has_sec_fetch,
            session_cookie: self.has_session_cookie,
            trusted_proxy: self.trusted_proxy,
        }
    }
}

/// The classification's signals a request carried (not their values: a cookie is a secret).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SignalsPresent {
    pub origin: bool,
    pub sec_fetch: bool,
    pub session_cookie: bool,
    pub trusted_proxy: bool,
}

impl SignalsPresent {
    /// The signals present, named by the headers that carry them.
    pub fn names(self) -> Vec<&'static str> {
        [
            (self.origin, "Origin"),
            (self.sec_fetch, "Sec-Fetch-*"),
            (self.session_cookie, "SHOP_TOKEN cookie"),
            (self.trusted_proxy, "X-BC-Trusted-Proxy-Secret"),
        ]
        .into_iter()
        .filter_map(|(present, name)| present.then_some(name))
        .collect()
    }
}

impl RequestOrigin {
    pub fn classify(signals: RequestSignals) -> RequestOrigin {
        if signals.trusted_proxy {
            return RequestOrigin::ServerToServer;
        }
        if signals.origin.is_some() || signals.has_sec_fetch || signals.has_session_cookie {
            return RequestOrigin::Browser {
                origin: signals.origin,
            };
        }
        RequestOrigin::ServerToServer
    }

    pub fn is_browser(&self) -> bool {
        matches!(self, RequestOrigin::Browser { .. })
    }

    pub fn label(&self) -> &'static str {
        if self.is_browser() {
            "browser"
        } else {
            "s2s"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fetch_metadata_headers() {
        for (name, browser) in [
            ("sec-fetch-site", true),
            ("Sec-Fetch-Dest", true),
            ("sec-fetch-user", true),
            ("sec-fetch-mode", false),
            ("Sec-Fetch-Mode", false),
            ("x-sec-fetch-site", false),
        ] {
            assert_eq!(is_browser_fetch_metadata(name), browser, "{name}");
        }
    }

    #[test]
    fn the_signals_present_are_named_by_their_headers_in_order() {
        let signals = RequestSignals {
            origin: Some("https://a.example".into()),
            has_sec_fetch: false,
            has_session_cookie: true,
            trusted_proxy: true,
        };
        assert_eq!(
            signals.present().names(),
            ["Origin", "SHOP_TOKEN cookie", "X-BC-Trusted-Proxy-Secret"]
        );
        let fetch = RequestSignals {
            has_sec_fetch: true,
            ..Default::default()
        };
        assert_eq!(fetch.present().names(), ["Sec-Fetch-*"]);
        assert!(RequestSignals::default().present().names().is_empty());
    }

    #[test]
    fn cookies() {
        let headers = [
            "a=1; SHOP_TOKEN=x; SHOP_TOKEN=y",
            "SHOP_SESSION_TOKEN=\"g\"",
        ];
        assert_eq!(cookie(headers, "SHOP_TOKEN"), Some("x"));
        assert_eq!(cookie(headers, "SHOP_SESSION_TOKEN"), Some("g"));
        assert_eq!(cookie(headers, "SHOP"), None);
        assert_eq!(cookie(["junk; =; ;=x;SHOP=  v  "], "SHOP"), Some("v"));
    }

    #[test]
    fn classification_table() {
        let s = |origin: Option<&str>, sec: bool, cookie: bool, proxy: bool| RequestSignals {
            origin: origin.map(String::from),
            has_sec_fetch: sec,
            has_session_cookie: cookie,
            trusted_proxy: proxy,
        };
        let browser = |o: Option<&str>| RequestOrigin::Browser {
            origin: o.map(String::from),
        };
        let cases = [
            (s(None, false, false, false), RequestOrigin::ServerToServer),
            (
                s(Some("https://a.example"), false, false, false),
                browser(Some("https://a.example")),
            ),
            (s(None, true, false, false), browser(None)),
            (s(None, false, true, false), browser(None)),
            (
                s(Some("https://a.example"), true, true, true),
                RequestOrigin::ServerToServer,
            ),
            (s(None, false, false, true), RequestOrigin::ServerToServer),
        ];
        for (signals, want) in cases {
            assert_eq!(
                RequestOrigin::classify(signals.clone()),
                want,
                "{signals:?}"
            );
        }
    }
}
