//! May this token be used for this request, now? (SPEC §5.2 and §5.3.) The decision is a value;
//! the HTTP layer only translates it into a status, a body and headers.

pub mod checks;

use crate::clock::{format_http_date, format_rfc3339};
use crate::request::RequestOrigin;
use crate::scope::ScopeSet;
use crate::token::{Claims, TokenKind, VerifyError};

/// A 401: the token is missing or not valid for this store and channel (SPEC §5.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthFailure {
    Missing,
    NotJwt,
    NoValidJson,
    UnknownFormat,
    BadSignature,
    UnknownToken,
    Expired,
    StoreMismatch,
    ChannelMismatch,
}

impl AuthFailure {
    pub fn message(self) -> &'static str {
        match self {
            AuthFailure::Missing => "GraphQL credentials were missing. No token was sent.",
            AuthFailure::NotJwt => "GraphQL invalid credentials. String is not a JWT",
            AuthFailure::NoValidJson => "GraphQL invalid credentials. JWT has no valid Json",
            AuthFailure::UnknownFormat => {
                "GraphQL invalid credentials. JWT has Json of an unknown format"
            }
            AuthFailure::BadSignature => "GraphQL invalid credentials. JWT signature is invalid",
            AuthFailure::UnknownToken => "Unknown JWT token",
            AuthFailure::Expired => "GraphQL invalid credentials. JWT is expired",
            AuthFailure::StoreMismatch => {
                "GraphQL invalid credentials. JWT store id doesn't match store id of the URL"
            }
            AuthFailure::ChannelMismatch => {
                "GraphQL invalid credentials. JWT channel id doesn't match channel id of the URL"
            }
        }
    }

    pub fn reason(self) -> &'static str {
        match self {
            AuthFailure::Missing => "missing",
            AuthFailure::NotJwt => "not_jwt",
            AuthFailure::NoValidJson => "no_valid_json",
            AuthFailure::UnknownFormat => "unknown_format",
            AuthFailure::BadSignature => "bad_signature",
            AuthFailure::UnknownToken => "unknown_token",
            AuthFailure::Expired => "expired",
            AuthFailure::StoreMismatch => "store_mismatch",
            AuthFailure::ChannelMismatch => "channel_mismatch",
        }
    }
}

impl From<VerifyError> for AuthFailure {
    fn from(e: VerifyError) -> Self {
        match e {
            VerifyError::NotJwt => AuthFailure::NotJwt,
            VerifyError::NoValidJson => AuthFailure::NoValidJson,
            VerifyError::UnknownFormat => AuthFailure::UnknownFormat,
            VerifyError::BadSignature => AuthFailure::BadSignature,
        }
    }
}

/// A 403: a valid token used where its kind may not be (SPEC §5.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Forbidden {
    OriginNotAllowed,
    StorefrontS2sCreatedAfterCutoff,
    StorefrontS2sEnded,
    PrivateFromBrowser,
    ImpersonationFromBrowser,
}

impl Forbidden {
    pub fn message(self, schedule: &DeprecationSchedule) -> String {
        match self {
            Forbidden::OriginNotAllowed => "'Origin' header invalid: The 'Origin' request header value did not match the allowed origin set in the JWT auth token. Please generate a token that is valid for this origin.".into(),
            Forbidden::StorefrontS2sCreatedAfterCutoff => format!(
                "Request not allowed: storefront tokens created after {} cannot be used for server-to-server requests. Use a private token.",
                &format_rfc3339(schedule.last_s2s_issue)[..10]
            ),
            Forbidden::StorefrontS2sEnded => "Request not allowed: storefront tokens can no longer be used for server-to-server requests. Use a private token.".into(),
            Forbidden::PrivateFromBrowser => "Request not allowed: Detected that request originated from a browser script and is using a private token. Private tokens are not allowed with frontend requests.".into(),
            Forbidden::ImpersonationFromBrowser => "Request not allowed: Detected that request originated from a browser script and is using a customer impersonation jwt token. Customer impersonation tokens are not allowed with frontend requests.".into(),
        }
    }

    pub fn reason(self) -> &'static str {
        match self {
            Forbidden::OriginNotAllowed => "origin_not_allowed",
            Forbidden::StorefrontS2sCreatedAfterCutoff => "storefront_s2s_created_after_cutoff",
            Forbidden::StorefrontS2sEnded => "storefront_s2s_ended",
            Forbidden::PrivateFromBrowser => "private_from_browser",
            Forbidden::ImpersonationFromBrowser => "impersonation_from_browser",
        }
    }
}

/// The two dates of the storefront-token server-to-server deprecation, both inclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DeprecationSchedule {
    /// Storefront tokens issued at or before this second keep s2s use (2026-06-30T23:59:59Z).
    pub last_s2s_issue: i64,
    /// After this second no storefront token may be used s2s (2027-03-31T23:59:59Z).
    pub last_s2s_use: i64,
}

impl Default for DeprecationSchedule {
    fn default() -> Self {
        DeprecationSchedule {
            last_s2s_issue: 1_782_863_999,
            last_s2s_use: 1_806_537_599,
        }
    }
}

impl DeprecationSchedule {
    /// `Deprecation` (RFC 9745: the moment it took effect) and `Sunset` (RFC 8594) values.
    pub fn headers(&self) -> (String, String) {
        (
            format!("@{}", self.last_s2s_issue + 1),
            format_http_date(self.last_s2s_use),
        )
    }
}

/// What the token registry knows of a token's id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RegistryState {
    Active,
    Revoked,
    Unknown,
}

/// The storefront the request addressed (from its host).
#[derive(Clone, Debug)]
pub struct Target<'a> {
    pub store_id: i64,
    pub channel_id: i64,
    /// The channel's own origin (`scheme://host[:port]`), always allowed for browser use.
    pub channel_origin: Option<&'a str>,
    /// The store's rehearsal of a future date's rules, if it runs one.
    pub rehearsal: Option<Rehearsal>,
}

/// A store's rehearsal (issue 19): a future date's rules evaluated on every request now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rehearsal {
    pub at: i64,
    pub mode: RehearsalMode,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RehearsalMode {
    /// Requests pass; what that date would refuse is said (a header) and recorded.
    Report,
    /// Requests are refused as that date would refuse them.
    Enforce,
}

impl RehearsalMode {
    pub fn as_str(self) -> &'static str {
        match self {
            RehearsalMode::Report => "report",
            RehearsalMode::Enforce => "enforce",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [RehearsalMode::Report, RehearsalMode::Enforce]
            .into_iter()
            .find(|m| m.as_str() == s)
    }
}

/// Permission to run the request, with what the rest of the request needs to know.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grant {
    pub kind: TokenKind,
    /// Private tokens only: the scopes every field is checked against.
    pub scopes: Option<ScopeSet>,
    /// Set while a storefront token is still allowed s2s: send `Deprecation`/`Sunset`.
    pub deprecated_s2s: bool,
    /// In a reporting rehearsal: the reason the rehearsed date would refuse this request,
    /// and that date.
    pub would_refuse: Option<(&'static str, i64)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    Allow(Grant),
    Unauthorized(AuthFailure),
    Forbidden(Forbidden),
}

/// SPEC §5.2 steps 6–9 and §5.3, for a token whose signature has been verified; then, when the
/// store rehearses a date, the same at that date: enforced, its refusal is the answer;
/// reported, the request passes and the grant names the refusal.
pub fn authorize(
    claims: &Claims,
    registry: RegistryState,
    target: &Target<'_>,
    origin: &RequestOrigin,
    now: i64,
    schedule: &DeprecationSchedule,
) -> Decision {
    let decision = authorize_at(claims, registry, target, origin, now, schedule);
    let (Decision::Allow(grant), Some(r)) = (&decision, target.rehearsal) else {
        return decision;
    };
    let rehearsed = authorize_at(claims, registry, target, origin, r.at, schedule);
    let reason = match &rehearsed {
        Decision::Allow(_) => return decision,
        Decision::Unauthorized(f) => f.reason(),
        Decision::Forbidden(f) => f.reason(),
    };
    match r.mode {
        RehearsalMode::Enforce => rehearsed,
        RehearsalMode::Report => Decision::Allow(Grant {
            would_refuse: Some((reason, r.at)),
            ..grant.clone()
        }),
    }
}

fn authorize_at(
    claims: &Claims,
    registry: RegistryState,
    target: &Target<'_>,
    origin: &RequestOrigin,
    now: i64,
    schedule: &DeprecationSchedule,
) -> Decision {
    if registry != RegistryState::Active {
        return Decision::Unauthorized(AuthFailure::UnknownToken);
    }
    if claims.eat < now {
        return Decision::Unauthorized(AuthFailure::Expired);
    }
    if claims.sid != target.store_id {
        return Decision::Unauthorized(AuthFailure::StoreMismatch);
    }
    if !claims.allows_channel(target.channel_id) {
        return Decision::Unauthorized(AuthFailure::ChannelMismatch);
    }
    let Some(kind) = claims.kind() else {
        return Decision::Unauthorized(AuthFailure::UnknownFormat);
    };
    match by_kind_and_origin(claims, kind, target, origin, now, schedule) {
        Ok(deprecated_s2s) => Decision::Allow(Grant {
            kind,
            scopes: if kind == TokenKind::Private {
                claims.scope_set()
            } else {
                None
            },
            deprecated_s2s,
            would_refuse: None,
        }),
        Err(refusal) => Decision::Forbidden(refusal),
    }
}

/// SPEC §5.3: which kind of token may be used from where, and until when. `Ok(true)`: allowed
/// only until the storefront token's server-to-server cut-off (send `Deprecation`).
fn by_kind_and_origin(
    claims: &Claims,
    kind: TokenKind,
    target: &Target<'_>,
    origin: &RequestOrigin,
    now: i64,
    schedule: &DeprecationSchedule,
) -> Result<bool, Forbidden> {
    match origin {
        RequestOrigin::Browser { origin } => {
            from_browser(kind, origin.as_deref(), &claims.cors, target.channel_origin)
                .map(|()| false)
        }
        RequestOrigin::ServerToServer => server_to_server(kind, claims.iat, now, schedule),
    }
}

/// May a token of `kind` be used from a browser script at `origin`? A storefront token from
/// its allowed origins (or the channel's own); no other kind at all.
pub fn from_browser(
    kind: TokenKind,
    origin: Option<&str>,
    cors: &[String],
    channel_origin: Option<&str>,
) -> Result<(), Forbidden> {
    match kind {
        TokenKind::Storefront => {
            // Browsers send `Origin` with every POST, same-origin ones included, so a browser
            // request without one is a server pretending to be a browser (a cookie or
            // `Sec-Fetch-Site` alone) to dodge the server-to-server cut-off: refused.
            let allowed =
                origin.is_some_and(|o| cors.iter().any(|c| c == o) || channel_origin == Some(o));
            if allowed {
                Ok(())
            } else {
                Err(Forbidden::OriginNotAllowed)
            }
        }
        TokenKind::Private => Err(Forbidden::PrivateFromBrowser),
        TokenKind::CustomerImpersonation => Err(Forbidden::ImpersonationFromBrowser),
    }
}

/// May a token of `kind` issued at `issued_at` be used server-to-server at `now`? `Ok(true)`:
/// yes, but only until the storefront token's cut-off (send `Deprecation`).
pub fn server_to_server(
    kind: TokenKind,
    issued_at: i64,
    now: i64,
    schedule: &DeprecationSchedule,
) -> Result<bool, Forbidden> {
    match kind {
        TokenKind::Storefront => {
            if now > schedule.last_s2s_use {
                Err(Forbidden::StorefrontS2sEnded)
            } else if issued_at > schedule.last_s2s_issue {
                Err(Forbidden::StorefrontS2sCreatedAfterCutoff)
            } else {
                Ok(true)
            }
        }
        TokenKind::Private | TokenKind::CustomerImpersonation => Ok(false),
    }
}

#[cfg(test)]
mod tests;
