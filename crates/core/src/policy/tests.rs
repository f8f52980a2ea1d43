//! Every row of SPEC §5.2–§5.3 as a table: token kind × request origin × date boundary.

use super::*;
use crate::scope::Scope;
use crate::token::SUB_TYPE_API_ACCOUNT;

const S: DeprecationSchedule = DeprecationSchedule {
    last_s2s_issue: 1_782_863_999,
    last_s2s_use: 1_806_537_599,
};
const STORE: i64 = 1_000_001;
const SITE: &str = "http://localhost:3000";
const CORS: &str = "https://shop.example";

fn claims(kind: TokenKind, iat: i64) -> Claims {
    Claims {
        cid: vec![1],
        cors: vec![CORS.into()],
        eat: 2_147_483_647,
        iat,
        iss: "BC".into(),
        jti: "j".into(),
        scopes: (kind == TokenKind::Private).then(|| vec!["Customer".into()]),
        sid: STORE,
        sub: "client".into(),
        sub_type: SUB_TYPE_API_ACCOUNT,
        token_type: kind.code(),
    }
}

fn target() -> Target<'static> {
    Target {
        store_id: STORE,
        channel_id: 1,
        channel_origin: Some(SITE),
        rehearsal: None,
    }
}

fn browser(o: Option<&str>) -> RequestOrigin {
    RequestOrigin::Browser {
        origin: o.map(String::from),
    }
}

fn allow(kind: TokenKind, deprecated_s2s: bool) -> Decision {
    let scopes = (kind == TokenKind::Private).then(|| [Scope::Customer].into_iter().collect());
    Decision::Allow(Grant {
        kind,
        scopes,
        deprecated_s2s,
        would_refuse: None,
    })
}

#[test]
fn kind_by_origin_by_date() {
    use Forbidden::*;
    use TokenKind::*;
    let before_issue = S.last_s2s_issue - 1;
    let at_issue = S.last_s2s_issue;
    let after_issue = S.last_s2s_issue + 1;
    let before_end = S.last_s2s_use - 1;
    let at_end = S.last_s2s_use;
    let after_end = S.last_s2s_use + 1;
    let s2s = RequestOrigin::ServerToServer;
    let origins = [
        ("s2s", s2s.clone()),
        ("browser, cors origin", browser(Some(CORS))),
        ("browser, channel origin", browser(Some(SITE))),
        (
            "browser, other origin",
            browser(Some("https://evil.example")),
        ),
        ("browser, no origin", browser(None)),
    ];
    // (kind, iat, now) -> expected decision per origin, in the order of `origins`.
    let rows: Vec<(TokenKind, i64, i64, [Decision; 5])> = vec![
        // Storefront tokens: browser use depends on the origin only; s2s on the two dates.
        (
            Storefront,
            before_issue,
            before_end,
            sf(allow(Storefront, true)),
        ),
        (
            Storefront,
            at_issue,
            before_end,
            sf(allow(Storefront, true)),
        ),
        (
            Storefront,
            after_issue,
            before_end,
            sf(Decision::Forbidden(StorefrontS2sCreatedAfterCutoff)),
        ),
        (Storefront, at_issue, at_end, sf(allow(Storefront, true))),
        (
            Storefront,
            before_issue,
            after_end,
            sf(Decision::Forbidden(StorefrontS2sEnded)),
        ),
        (
            Storefront,
            after_issue,
            after_end,
            sf(Decision::Forbidden(StorefrontS2sEnded)),
        ),
        (
            Storefront,
            at_issue,
            at_end + 1,
            sf(Decision::Forbidden(StorefrontS2sEnded)),
        ),
        // Private and impersonation tokens: s2s only, whatever the date.
        (
            Private,
            before_issue,
            before_end,
            never_browser(Private, PrivateFromBrowser),
        ),
        (
            Private,
            after_issue,
            at_end,
            never_browser(Private, PrivateFromBrowser),
        ),
        (
            Private,
            after_issue,
            after_end,
            never_browser(Private, PrivateFromBrowser),
        ),
        (
            CustomerImpersonation,
            before_issue,
            before_end,
            never_browser(CustomerImpersonation, ImpersonationFromBrowser),
        ),
        (
            CustomerImpersonation,
            after_issue,
            after_end,
            never_browser(CustomerImpersonation, ImpersonationFromBrowser),
        ),
    ];
    for (kind, iat, now, expected) in rows {
        for ((label, origin), want) in origins.iter().zip(expected) {
            let got = authorize(
                &claims(kind, iat),
                RegistryState::Active,
                &target(),
                origin,
                now,
                &S,
            );
            assert_eq!(got, want, "{kind:?} iat={iat} now={now} {label}");
        }
    }

    fn sf(s2s: Decision) -> [Decision; 5] {
        let ok = allow(Storefront, false);
        // A browser without `Origin` is refused like a foreign origin (browsers send it on
        // every POST), whatever the dates: the cut-off cannot be dodged that way.
        [
            s2s,
            ok.clone(),
            ok,
            Decision::Forbidden(OriginNotAllowed),
            Decision::Forbidden(OriginNotAllowed),
        ]
    }
    fn never_browser(kind: TokenKind, refusal: Forbidden) -> [Decision; 5] {
        let no = Decision::Forbidden(refusal);
        [allow(kind, false), no.clone(), no.clone(), no.clone(), no]
    }
}

#[test]
fn token_checks_run_in_spec_order() {
    let now = 1_800_000_000;
    let mut expired = claims(TokenKind::Private, now - 100);
    expired.eat = now - 1;
    let mut foreign = claims(TokenKind::Private, now - 100);
    foreign.sid = 7;
    let mut other_channel = claims(TokenKind::Private, now - 100);
    other_channel.cid = vec![2];
    let mut all_channels = claims(TokenKind::Private, now - 100);
    all_channels.cid = vec![];
    let mut expired_and_foreign = foreign.clone();
    expired_and_foreign.eat = now - 1;
    let s2s = RequestOrigin::ServerToServer;
    let cases = [
        (
            claims(TokenKind::Private, now),
            RegistryState::Revoked,
            Decision::Unauthorized(AuthFailure::UnknownToken),
        ),
        (
            claims(TokenKind::Private, now),
            RegistryState::Unknown,
            Decision::Unauthorized(AuthFailure::UnknownToken),
        ),
        (
            expired.clone(),
            RegistryState::Revoked,
            Decision::Unauthorized(AuthFailure::UnknownToken),
        ),
        (
            expired,
            RegistryState::Active,
            Decision::Unauthorized(AuthFailure::Expired),
        ),
        (
            expired_and_foreign,
            RegistryState::Active,
            Decision::Unauthorized(AuthFailure::Expired),
        ),
        (
            foreign,
            RegistryState::Active,
            Decision::Unauthorized(AuthFailure::StoreMismatch),
        ),
        (
            other_channel,
            RegistryState::Active,
            Decision::Unauthorized(AuthFailure::ChannelMismatch),
        ),
        (
            all_channels,
            RegistryState::Active,
            allow(TokenKind::Private, false),
        ),
    ];
    for (c, reg, want) in cases {
        assert_eq!(
            authorize(&c, reg, &target(), &s2s, now, &S),
            want,
            "{c:?} {reg:?}"
        );
    }
    // `eat` equal to now is still valid; one second later it is not.
    let mut c = claims(TokenKind::Private, now - 10);
    c.eat = now;
    assert!(matches!(
        authorize(&c, RegistryState::Active, &target(), &s2s, now, &S),
        Decision::Allow(_)
    ));
    assert_eq!(
        authorize(&c, RegistryState::Active, &target(), &s2s, now + 1, &S),
        Decision::Unauthorized(AuthFailure::Expired)
    );
}

#[test]
fn messages_are_the_contract_strings() {
    assert_eq!(
        Forbidden::StorefrontS2sCreatedAfterCutoff.message(&S),
        "Request not allowed: storefront tokens created after 2026-06-30 cannot be used for server-to-server requests. Use a private token."
    );
    assert_eq!(
        AuthFailure::from(VerifyError::NotJwt).message(),
        "GraphQL invalid credentials. String is not a JWT"
    );
    let (dep, sunset) = S.headers();
    assert_eq!(dep, "@1782864000");
    assert_eq!(sunset, "Wed, 31 Mar 2027 23:59:59 GMT");
}

/// A rehearsal of the day after the end, today (before it): every kind × origin × mode.
#[test]
fn a_rehearsal_reports_or_enforces_the_rehearsed_date() {
    use Forbidden::*;
    use TokenKind::*;
    let today = S.last_s2s_use - 100 * 86_400;
    let rehearsed = S.last_s2s_use + 1;
    let old = S.last_s2s_issue - 1;
    let expiring = Claims {
        eat: rehearsed - 1,
        ..claims(Private, old)
    };
    // (case, claims, origin) -> (report: would refuse, enforce: decision)
    let rows: Vec<(&str, Claims, RequestOrigin, Option<&str>, Decision)> = vec![
        (
            "old storefront token s2s",
            claims(Storefront, old),
            RequestOrigin::ServerToServer,
            Some("storefront_s2s_ended"),
            Decision::Forbidden(StorefrontS2sEnded),
        ),
        (
            "storefront token in its browser",
            claims(Storefront, old),
            browser(Some(CORS)),
            None,
            allow(Storefront, false),
        ),
        (
            "private token s2s",
            claims(Private, old),
            RequestOrigin::ServerToServer,
            None,
            allow(Private, false),
        ),
        (
            "a token that will have expired",
            expiring.clone(),
            RequestOrigin::ServerToServer,
            Some("expired"),
            Decision::Unauthorized(AuthFailure::Expired),
        ),
    ];
    for (case, c, origin, would_refuse, enforced) in rows {
        let at = |mode| Target {
            rehearsal: Some(Rehearsal {
                at: rehearsed,
                mode,
            }),
            ..target()
        };
        let plain = authorize(&c, RegistryState::Active, &target(), &origin, today, &S);
        let Decision::Allow(grant) = &plain else {
            panic!("{case}: allowed today: {plain:?}");
        };
        let reported = authorize(
            &c,
            RegistryState::Active,
            &at(RehearsalMode::Report),
            &origin,
            today,
            &S,
        );
        assert_eq!(
            reported,
            Decision::Allow(Grant {
                would_refuse: would_refuse.map(|r| (r, rehearsed)),
                ..grant.clone()
            }),
            "{case}: report"
        );
        let enforce = authorize(
            &c,
            RegistryState::Active,
            &at(RehearsalMode::Enforce),
            &origin,
            today,
            &S,
        );
        let expected = match enforced {
            Decision::Allow(_) => plain.clone(),
            refused => refused,
        };
        assert_eq!(enforce, expected, "{case}: enforce");
    }
    // A refusal today stays the answer whatever is rehearsed.
    let new = claims(Storefront, S.last_s2s_issue + 1);
    let t = Target {
        rehearsal: Some(Rehearsal {
            at: rehearsed,
            mode: RehearsalMode::Report,
        }),
        ..target()
    };
    assert_eq!(
        authorize(
            &new,
            RegistryState::Active,
            &t,
            &RequestOrigin::ServerToServer,
            today,
            &S
        ),
        Decision::Forbidden(StorefrontS2sCreatedAfterCutoff)
    );
}
