//! The checks of a storefront request in the order SPEC §5.2–§5.3 runs them, and how one
//! request went through them: every check before the one that refused passed, that one
//! failed, the rest did not run. The decision inspector and `tokens inspect` show this list.

/// (check, the refusal reasons that check gives), in order.
pub const CHECKS: [(&str, &[&str]); 10] = [
    ("a token is sent", &["missing"]),
    ("the token is a JWT", &["not_jwt"]),
    ("its payload is JSON", &["no_valid_json"]),
    ("its claims have the known format", &["unknown_format"]),
    ("its signature verifies", &["bad_signature"]),
    ("the registry knows it, unrevoked", &["unknown_token"]),
    ("it has not expired", &["expired"]),
    ("it is for this store", &["store_mismatch"]),
    ("it is for this channel", &["channel_mismatch"]),
    (
        "its kind may be used from here, today",
        &[
            "origin_not_allowed",
            "storefront_s2s_created_after_cutoff",
            "storefront_s2s_ended",
            "private_from_browser",
            "impersonation_from_browser",
        ],
    ),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Passed,
    Failed,
    NotRun,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Passed => "passed",
            Outcome::Failed => "failed",
            Outcome::NotRun => "not run",
        }
    }
}

/// Each check and its outcome for a request refused by `reason` (`None`: allowed). A reason
/// no token check gives (a bad document, a customer header) comes after all of them passed,
/// as a last check of its own.
pub fn outcomes(reason: Option<&str>) -> Vec<(&'static str, Outcome)> {
    let failed_at =
        reason.and_then(|r| CHECKS.iter().position(|(_, reasons)| reasons.contains(&r)));
    let mut out: Vec<(&'static str, Outcome)> = CHECKS
        .iter()
        .enumerate()
        .map(|(i, (check, _))| {
            let outcome = match failed_at {
                Some(f) if i == f => Outcome::Failed,
                Some(f) if i > f => Outcome::NotRun,
                _ => Outcome::Passed,
            };
            (*check, outcome)
        })
        .collect();
    if reason.is_some() && failed_at.is_none() {
        out.push(("the request itself", Outcome::Failed));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{AuthFailure, Forbidden};

    #[test]
    fn every_refusal_reason_fails_exactly_one_check_in_order() {
        let failures = [
            AuthFailure::Missing,
            AuthFailure::NotJwt,
            AuthFailure::NoValidJson,
            AuthFailure::UnknownFormat,
            AuthFailure::BadSignature,
            AuthFailure::UnknownToken,
            AuthFailure::Expired,
            AuthFailure::StoreMismatch,
            AuthFailure::ChannelMismatch,
        ];
        let forbidden = [
            Forbidden::OriginNotAllowed,
            Forbidden::StorefrontS2sCreatedAfterCutoff,
            Forbidden::StorefrontS2sEnded,
            Forbidden::PrivateFromBrowser,
            Forbidden::ImpersonationFromBrowser,
        ];
        let reasons = failures
            .iter()
            .map(|f| f.reason())
            .chain(forbidden.iter().map(|f| f.reason()));
        for reason in reasons {
            let o = outcomes(Some(reason));
            assert_eq!(o.len(), CHECKS.len(), "{reason}");
            let failed: Vec<usize> = (0..o.len())
                .filter(|i| o[*i].1 == Outcome::Failed)
                .collect();
            assert_eq!(failed.len(), 1, "{reason}");
            assert!(
                o[..failed[0]].iter().all(|c| c.1 == Outcome::Passed),
                "{reason}"
            );
            assert!(
                o[failed[0] + 1..].iter().all(|c| c.1 == Outcome::NotRun),
                "{reason}"
            );
        }
        assert!(outcomes(None).iter().all(|c| c.1 == Outcome::Passed));
        let other = outcomes(Some("bad_document"));
        assert_eq!(other.last(), Some(&("the request itself", Outcome::Failed)));
        assert!(other[..CHECKS.len()].iter().all(|c| c.1 == Outcome::Passed));
    }
}
