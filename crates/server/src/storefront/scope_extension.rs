//! Enforces private-token scopes field by field (SPEC §5.5), reading the one table in
//! `storefront_auth_core::scope`. The outermost field the token lacks a scope for resolves to
//! null in place with one INSUFFICIENT_ACCESS_SCOPE error. A non-null field's null bubbles to
//! its nearest nullable ancestor, as the GraphQL spec requires: returning the error lets
//! async-graphql do exactly that, while a nullable field is nulled here and its error recorded.
//! (The built-in field guards null the parent of a nullable field instead.)

use std::sync::{Arc, Mutex};

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextResolve, ResolveInfo,
};
use async_graphql::{ErrorExtensionValues, PathSegment, Pos, ServerError, ServerResult, Value};
use storefront_auth_core::scope::field_requirement;
use storefront_auth_core::{Scope, ScopeSet};

pub const MESSAGE: &str =
    "The provided token does not include the scopes required to resolve this field.";

/// Request data: the scopes of the private token, and the errors of nullable denied fields.
#[derive(Debug)]
pub struct ScopeGuard {
    pub have: ScopeSet,
    pub denied: Mutex<Vec<ServerError>>,
}

impl ScopeGuard {
    pub fn new(have: ScopeSet) -> Self {
        ScopeGuard {
            have,
            denied: Mutex::new(Vec::new()),
        }
    }

    pub fn take_errors(&self) -> Vec<ServerError> {
        self.denied
            .lock()
            .map(|mut v| std::mem::take(&mut *v))
            .unwrap_or_default()
    }
}

pub struct ScopeEnforcement;

impl ExtensionFactory for ScopeEnforcement {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(ScopeEnforcementExtension)
    }
}

struct ScopeEnforcementExtension;

pub fn scope_error(required: Scope, path: Vec<PathSegment>, pos: Pos) -> ServerError {
    let mut extensions = ErrorExtensionValues::default();
    extensions.set("code", "INSUFFICIENT_ACCESS_SCOPE");
    extensions.set(
        "requiredScopes",
        Value::List(vec![Value::String(required.as_str().to_string())]),
    );
    ServerError {
        message: MESSAGE.to_string(),
        source: None,
        locations: vec![pos],
        path,
        extensions: Some(extensions),
    }
}

#[async_trait::async_trait]
impl Extension for ScopeEnforcementExtension {
    async fn resolve(
        &self,
        ctx: &ExtensionContext<'_>,
        info: ResolveInfo<'_>,
        next: NextResolve<'_>,
    ) -> ServerResult<Option<Value>> {
        let Some(guard) = ctx.data_opt::<Arc<ScopeGuard>>() else {
            return next.run(ctx, info).await;
        };
        match field_requirement(info.parent_type, info.name) {
            Some(required) if !guard.have.contains(required) => {
                // Names cannot start with a digit, so numeric segments are list indices.
                let path = (*info.path_node)
                    .to_string_vec()
                    .into_iter()
                    .map(|s| {
                        s.parse::<usize>()
                            .map(PathSegment::Index)
                            .unwrap_or(PathSegment::Field(s))
                    })
                    .collect();
                let error = scope_error(required, path, info.field.name.pos);
                if info.return_type.ends_with('!') {
                    Err(error)
                } else {
                    if let Ok(mut denied) = guard.denied.lock() {
                        denied.push(error);
                    }
                    Ok(None)
                }
            }
            _ => next.run(ctx, info).await,
        }
    }
}
