//! Micro-benchmarks of the hot path (issue 8): the policy decision on a cache hit, the scope
//! analysis of the scenario-2 document, and one cold ES256 verification.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use storefront_auth::service::caches::tokens::TokenCache;
use storefront_auth_core::analysis::{analyze, SchemaIndex};
use storefront_auth_core::policy::{self, RegistryState, Target};
use storefront_auth_core::secret::sha256;
use storefront_auth_core::token::{self, Claims};
use storefront_auth_core::{DeprecationSchedule, KeyRing, RequestOrigin, SigningKey};

pub const SCENARIO_2: &str = "{ site { products(first: 10) { edges { node { entityId name prices { price { value currencyCode } } } } } } }";

fn fixture() -> (String, KeyRing, Claims) {
    let key = SigningKey::generate().expect("key");
    let claims = Claims {
        cid: vec![1],
        cors: vec![],
        eat: 2_147_483_647,
        iat: 1_795_348_800,
        iss: "BC".into(),
        jti: "5b0e5b1e-7c1a-4b3e-9d2a-1f0c2d3e4f50".into(),
        scopes: Some(vec!["Unauthenticated".into(), "Customer".into()]),
        sid: 1_000_000_001,
        sub: "abcdefghijklmnopqrstuvwxyz01234".into(),
        sub_type: 2,
        token_type: 3,
    };
    let jwt = token::sign(&claims, &key).expect("sign");
    let ring = KeyRing::new(None, vec![key.verifying_key().expect("vk")]);
    (jwt, ring, claims)
}

fn decision_on_cache_hit(c: &mut Criterion) {
    let (jwt, _, claims) = fixture();
    let cache = TokenCache::new(1 << 20);
    cache.insert(sha256(jwt.as_bytes()), claims, "kid", false);
    let target = Target {
        store_id: 1_000_000_001,
        channel_id: 1,
        channel_origin: Some("http://localhost:3000"),
        rehearsal: None,
    };
    let schedule = DeprecationSchedule::default();
    let origin = RequestOrigin::ServerToServer;
    c.bench_function(
        "policy decision on a cache hit (digest + lookup + authorize)",
        |b| {
            b.iter(|| {
                let hit = cache
                    .get(&sha256(black_box(jwt.as_bytes())))
                    .expect("cached");
                let state = if hit.is_revoked() {
                    RegistryState::Revoked
                } else {
                    RegistryState::Active
                };
                black_box(policy::authorize(
                    &hit.claims,
                    state,
                    &target,
                    &origin,
                    1_795_348_800,
                    &schedule,
                ))
            })
        },
    );
}

fn scope_analysis(c: &mut Criterion) {
    let index = SchemaIndex::from_sdl(&storefront_auth::graphql::schema::sdl()).expect("index");
    let vars = serde_json::json!({});
    c.bench_function(
        "scope analysis of the scenario-2 document (parse + analyse)",
        |b| {
            b.iter(|| {
                let doc = async_graphql::parser::parse_query(black_box(SCENARIO_2)).expect("parse");
                black_box(analyze(&doc, &index, None, &vars).expect("analysis"))
            })
        },
    );
}

fn cold_verification(c: &mut Criterion) {
    let (jwt, ring, _) = fixture();
    c.bench_function("cold ES256 verification", |b| {
        b.iter(|| black_box(token::verify(black_box(&jwt), &ring).expect("valid")))
    });
}

criterion_group!(
    benches,
    decision_on_cache_hit,
    scope_analysis,
    cold_verification
);
criterion_main!(benches);
