//! The one extractor of every storefront-host route: which store and channel the `Host` names
//! (SPEC §2). Each surface says "no such storefront" its own way, by its `HostRejection`.

use std::marker::PhantomData;

use axum::extract::{FromRef, FromRequestParts};
use axum::http::request::Parts;
use axum::response::Response;

use crate::service::directory::{HostError, Storefront};
use crate::service::Domain;

/// How a surface answers a host that names no storefront (or when the directory is away).
pub trait HostRejection {
    fn reject(error: HostError) -> Response;
}

/// The storefront a request addressed; `R` renders the refusal.
pub struct StorefrontHost<R>(pub Storefront, pub PhantomData<R>);

impl<S, R> FromRequestParts<S> for StorefrontHost<R>
where
    Domain: FromRef<S>,
    S: Send + Sync,
    R: HostRejection,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        let domain = Domain::from_ref(state);
        let host = super::headers::host(&parts.headers);
        match domain.storefront_at(host).await {
            Ok(storefront) => Ok(StorefrontHost(storefront, PhantomData)),
            Err(e) => Err(R::reject(e)),
        }
    }
}
