//! `storefront-auth gateway` (issue 21, docs/GATEWAY.md): `check`, an operator's GraphQL schema
//! against a source of scope decisions, printed type by type with what is unmapped, in
//! conflict or unknown, before any traffic is put behind the gateway; `rotate-key`, a new
//! assertion signing key, and `retire-key`; `sample-assertions`, a valid assertion and hostile ones for the
//! operator's verifier tests.

use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context};

use crate::config::gateway::scope_source;
use crate::config::Config;
use crate::service::assertion_keys::AssertionKeys;
use clap::Subcommand;
use storefront_auth_core::gateway_assertion::{
    self, AssertedCustomer, AssertedToken, CustomerSource, Identity,
};
use storefront_auth_core::gateway_scopes::build;
use storefront_auth_core::SigningKey;

use super::Output;

#[derive(Subcommand)]
pub enum GatewayCmd {
    /// Each object type's effective scope in an SDL file, and what is unmapped, in conflict
    /// or unknown; fails on a conflict, and on an unmapped type with --strict.
    Check {
        /// The upstream's schema (SDL).
        #[arg(long)]
        schema: PathBuf,
        /// `builtin` (today's table), `table:FILE` (TOML: `[types]` and `[fields]` of
        /// "Unauthenticated", "Customer", "B2B" or "none") or `directive:NAME`.
        #[arg(long, default_value = "builtin")]
        scopes: String,
        /// Fail when any object type or root field has no decision.
        #[arg(long)]
        strict: bool,
    },
    /// A new assertion signing key; older ones keep verifying (and stay in the JWKS) until
    /// retired. Running servers sign with it within 30 seconds.
    RotateKey,
    /// Retires an assertion key: it leaves the JWKS (running servers within 30 seconds), and
    /// assertions it signed stop verifying. The last live key cannot be retired.
    RetireKey {
        /// The key's id (`kid`), as the JWKS lists it. A kid is base64url, so it may start
        /// with `-`: taken as the value, not as a flag.
        #[arg(allow_hyphen_values = true)]
        kid: String,
    },
    /// A valid assertion and hostile ones (JSON), signed with the assertion key ring, for
    /// testing the upstream's verifier: it must accept exactly the one marked valid.
    SampleAssertions {
        /// The `aud` the upstream expects (default: gateway.assertion_audience, else the
        /// upstream URL's origin).
        #[arg(long)]
        audience: Option<String>,
    },
}

pub async fn gateway(config: Config, cmd: GatewayCmd) -> anyhow::Result<Output> {
    match cmd {
        GatewayCmd::Check {
            schema,
            scopes,
            strict,
        } => check(&schema, &scopes, strict),
        GatewayCmd::RotateKey => {
            let kid = super::open(&config).await?.rotate_assertion_key().await?;
            Ok(Output(format!(
                "new assertion signing key {kid}; older keys keep verifying until retired"
            )))
        }
        GatewayCmd::RetireKey { kid } => {
            super::open(&config)
                .await?
                .retire_assertion_key(&kid)
                .await?;
            Ok(Output(format!(
                "retired assertion key {kid}; it leaves the JWKS within 30 seconds"
            )))
        }
        GatewayCmd::SampleAssertions { audience } => samples(&config, audience).await,
    }
}

fn check(schema: &Path, scopes: &str, strict: bool) -> anyhow::Result<Output> {
    let sdl = std::fs::read_to_string(schema)
        .with_context(|| format!("reading the schema {}", schema.display()))?;
    let source = scope_source(scopes).map_err(|e| anyhow!("--scopes: {e}"))?;
    let map = build(&sdl, &source).map_err(|e| anyhow!("{}: {e}", schema.display()))?;
    let report = map.report();
    if !map.conflicts.is_empty() {
        bail!("{report}conflicting scope decisions: a type or field needs one requirement");
    }
    if strict && !map.unmapped.is_empty() {
        bail!("{report}unmapped types or root fields (--strict): give each a decision");
    }
    Ok(Output(report.trim_end().to_string()))
}

/// The samples as a JSON array of `{name, valid, assertion}`, for an example identity: the
/// default store's first channel, a customer signed in with a customer access token, a
/// private token.
async fn samples(config: &Config, audience: Option<String>) -> anyhow::Result<Output> {
    let gateway = &config.gateway;
    let origin = gateway
        .upstream
        .as_deref()
        .and_then(|u| url::Url::parse(u).ok())
        .map(|u| u.origin().ascii_serialization());
    let audience = audience
        .or_else(|| gateway.assertion_audience.clone())
        .or(origin)
        .context("name the audience: --audience, gateway.assertion_audience or gateway.upstream")?;
    let domain = super::open(config).await?;
    let ring = AssertionKeys::default().ring(&domain).await?;
    let key = ring
        .signer()
        .context("the assertion key ring has no signer")?;
    let stranger = SigningKey::generate().map_err(|e| anyhow!("{e:?}"))?;
    let identity = Identity {
        store_hash: config.default_store.clone(),
        channel_id: 1,
        customer: Some(AssertedCustomer {
            id: 1,
            source: CustomerSource::CustomerAccessToken,
        }),
        token: AssertedToken {
            kind: "private",
            id: uuid::Uuid::new_v4().to_string(),
            scopes: vec!["Unauthenticated".into(), "Customer".into()],
        },
        browser: false,
    };
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let lifetime = gateway.assertion_lifetime_secs as i64;
    let all = gateway_assertion::samples(&identity, &audience, now, lifetime, key, &stranger)
        .context("signing the samples")?;
    let json: Vec<_> = all
        .iter()
        .map(|s| serde_json::json!({ "name": s.name, "valid": s.valid, "assertion": s.assertion }))
        .collect();
    Ok(Output(serde_json::to_string_pretty(&json)?))
}
