use super::*;

const JUNE_2026: i64 = 1_780_272_000;
const AUGUST_2026: i64 = 1_785_542_400;
const DECEMBER_2026: i64 = 1_796_083_200;
const APRIL_2027: i64 = 1_806_537_600;
const FAR: i64 = 2_000_000_000;

fn set(scopes: &[Scope]) -> ScopeSet {
    scopes.iter().copied().collect()
}

fn token(kind: TokenKind, issued_at: i64, granted: Option<ScopeSet>) -> AuditedToken<'static> {
    static CORS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    static OWN: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    AuditedToken {
        kind,
        issued_at,
        expires_at: FAR,
        granted,
        cors: CORS.get_or_init(|| vec!["https://shop.example".to_string()]),
        channel_origins: OWN.get_or_init(|| vec!["https://channel.example".to_string()]),
    }
}

fn s2s(needs: &[Scope]) -> Seen<'static> {
    Seen {
        s2s_uses: 12,
        origins: vec![],
        operations: vec![
            SeenOperation {
                name: "ProductQuery",
                s2s: true,
                uses: 10,
                needs: set(&[Scope::Unauthenticated]),
            },
            SeenOperation {
                name: "CustomerAllOrders",
                s2s: true,
                uses: 2,
                needs: set(needs),
            },
        ],
    }
}

fn browser(origin: &'static str) -> Seen<'static> {
    Seen {
        s2s_uses: 0,
        origins: vec![(origin, 5)],
        operations: vec![SeenOperation {
            name: "Cart",
            s2s: false,
            uses: 5,
            needs: set(&[Scope::Unauthenticated]),
        }],
    }
}

/// (case, token, seen, at) → (ways as (way, allowed, rule), breaks on, action)
type Case = (
    &'static str,
    AuditedToken<'static>,
    Seen<'static>,
    i64,
    Vec<(&'static str, bool, &'static str)>,
    Option<&'static str>,
    &'static str,
);

#[test]
fn verdicts_at_a_date() {
    use TokenKind::*;
    let cases: Vec<Case> = vec![
        (
            "old storefront token s2s, before the end",
            token(Storefront, JUNE_2026, None),
            s2s(&[Scope::Customer]),
            DECEMBER_2026,
            vec![("server-to-server", true, "allowed")],
            Some("2027-04-01"),
            "replace with a private token with scopes [Unauthenticated, Customer]",
        ),
        (
            "old storefront token s2s, after the end",
            token(Storefront, JUNE_2026, None),
            s2s(&[Scope::Customer]),
            APRIL_2027,
            vec![("server-to-server", false, "storefront_s2s_ended")],
            Some("2027-04-01"),
            "replace with a private token with scopes [Unauthenticated, Customer]",
        ),
        (
            "new storefront token s2s",
            token(Storefront, AUGUST_2026, None),
            s2s(&[]),
            DECEMBER_2026,
            vec![(
                "server-to-server",
                false,
                "storefront_s2s_created_after_cutoff",
            )],
            Some("2026-07-01"),
            "replace with a private token with scopes [Unauthenticated]",
        ),
        (
            "storefront token in browsers",
            token(Storefront, AUGUST_2026, None),
            browser("https://shop.example"),
            APRIL_2027,
            vec![("browser from https://shop.example", true, "allowed")],
            None,
            "keep: browser only",
        ),
        (
            "storefront token on the channel's own site",
            token(Storefront, AUGUST_2026, None),
            browser("https://channel.example"),
            APRIL_2027,
            vec![("browser from https://channel.example", true, "allowed")],
            None,
            "keep: browser only",
        ),
        (
            "storefront token from a stranger",
            token(Storefront, AUGUST_2026, None),
            browser("https://evil.example"),
            APRIL_2027,
            vec![(
                "browser from https://evil.example",
                false,
                "origin_not_allowed",
            )],
            None,
            "keep: browser only",
        ),
        (
            "private token s2s",
            token(Private, AUGUST_2026, Some(set(&Scope::ALL))),
            s2s(&[Scope::Customer]),
            APRIL_2027,
            vec![("server-to-server", true, "allowed")],
            None,
            "keep",
        ),
        (
            "private token in a browser",
            token(Private, AUGUST_2026, Some(set(&Scope::ALL))),
            browser("https://shop.example"),
            APRIL_2027,
            vec![(
                "browser from https://shop.example",
                false,
                "private_from_browser",
            )],
            None,
            "keep",
        ),
        (
            "impersonation token s2s",
            token(CustomerImpersonation, JUNE_2026, None),
            s2s(&[Scope::Customer]),
            APRIL_2027,
            vec![("server-to-server", true, "allowed")],
            None,
            "keep",
        ),
        (
            "unused",
            token(Storefront, JUNE_2026, None),
            Seen::default(),
            APRIL_2027,
            vec![],
            None,
            "keep: no use seen yet",
        ),
        (
            "expires first",
            AuditedToken {
                expires_at: DECEMBER_2026,
                ..token(Storefront, JUNE_2026, None)
            },
            s2s(&[]),
            APRIL_2027,
            vec![("server-to-server", false, "expired")],
            Some("2027-04-01"),
            "expires before then",
        ),
    ];
    for (case, token, seen, at, ways, breaks, action) in cases {
        let v = audit(&token, &seen, at, &DeprecationSchedule::default());
        let got: Vec<(&str, bool, &str)> = v
            .ways
            .iter()
            .map(|w| (w.way.as_str(), w.allowed, w.rule))
            .collect();
        assert_eq!(got, ways, "{case}");
        assert_eq!(v.s2s_breaks_on.as_deref(), breaks, "{case}");
        assert_eq!(v.action, action, "{case}");
        assert_eq!(
            v.least_privilege.is_some(),
            token.granted.is_some(),
            "{case}"
        );
    }
}

#[test]
fn least_privilege_names_what_was_never_needed_and_what_is_missing() {
    let granted = set(&[Scope::Unauthenticated, Scope::B2B]);
    let t = token(TokenKind::Private, AUGUST_2026, Some(granted));
    let mut seen = s2s(&[Scope::Customer]);
    seen.operations.push(SeenOperation {
        name: "CustomerSettings",
        s2s: true,
        uses: 1,
        needs: set(&[Scope::Customer]),
    });
    let lp = audit(&t, &seen, DECEMBER_2026, &DeprecationSchedule::default())
        .least_privilege
        .expect("private");
    assert_eq!(
        findings(&lp),
        vec![
            "granted B2B, never needed",
            "needs Customer for CustomerAllOrders, CustomerSettings"
        ]
    );
    let everything = token(
        TokenKind::Private,
        AUGUST_2026,
        Some(set(&[Scope::Unauthenticated, Scope::Customer])),
    );
    let lp = audit(
        &everything,
        &s2s(&[Scope::Customer]),
        DECEMBER_2026,
        &DeprecationSchedule::default(),
    )
    .least_privilege
    .expect("private");
    assert!(findings(&lp).is_empty(), "{lp:?}");
}
