//! Field-level rules every resolution passes through: private-token scopes (SPEC §5.5) and
//! GraphQL's null semantics for field errors.
//!
//! async-graphql nulls the *parent* of a nullable field whose resolver fails (that is why its
//! field guards null the wrong thing). Here a nullable field that fails — for a missing scope,
//! a resolver error, or a non-null child's error bubbling up — resolves to null in place and
//! its error is recorded; a non-null field passes its error up, to the nearest nullable
//! ancestor, exactly as the GraphQL spec requires.

use std::sync::{Arc, Mutex};

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextRequest, NextResolve, ResolveInfo,
};
use async_graphql::{
    ErrorExtensionValues, Name, PathSegment, Pos, Response, ServerError, ServerResult, Value,
};
use storefront_auth_core::analysis::DeniedRoot;
use storefront_auth_core::scope::field_requirement;
use storefront_auth_core::{Scope, ScopeSet};

pub const MESSAGE: &str =
    "The provided token does not include the scopes required to resolve this field.";

/// Request data for private tokens: the scopes every field is checked against.
#[derive(Debug)]
pub struct ScopeGuard {
    pub have: ScopeSet,
}

pub struct ScopeEnforcement;

impl ExtensionFactory for ScopeEnforcement {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(ScopeEnforcementExtension {
            errors: Mutex::new(Vec::new()),
        })
    }
}

/// One instance per request.
struct ScopeEnforcementExtension {
    /// Errors of nullable fields that were nulled in place.
    errors: Mutex<Vec<ServerError>>,
}

impl ScopeEnforcementExtension {
    fn null_in_place(&self, error: ServerError) -> ServerResult<Option<Value>> {
        if let Ok(mut errors) = self.errors.lock() {
            errors.push(error);
        }
        Ok(None)
    }
}

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

/// The answer to a query none of whose root fields the token may see
/// (`analysis::wholly_denied`): what the executor with this extension produces for it, built
/// without running it — each field null in place with its error, in document order.
pub fn wholly_denied_response(denied: &[DeniedRoot]) -> Response {
    let data = denied
        .iter()
        .map(|d| (Name::new(&d.key), Value::Null))
        .collect();
    let mut response = Response::new(Value::Object(data));
    response.errors = denied
        .iter()
        .map(|d| {
            scope_error(
                d.required,
                vec![PathSegment::Field(d.key.clone())],
                Pos {
                    line: d.line,
                    column: d.column,
                },
            )
        })
        .collect();
    response
}

#[async_trait::async_trait]
impl Extension for ScopeEnforcementExtension {
    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> Response {
        let mut response = next.run(ctx).await;
        if let Ok(mut errors) = self.errors.lock() {
            response.errors.extend(errors.drain(..));
        }
        response
    }

    async fn resolve(
        &self,
        ctx: &ExtensionContext<'_>,
        info: ResolveInfo<'_>,
        next: NextResolve<'_>,
    ) -> ServerResult<Option<Value>> {
        let nullable = !info.return_type.ends_with('!');
        if let Some(guard) = ctx.data_opt::<Arc<ScopeGuard>>() {
            if let Some(required) =
                field_requirement(info.parent_type, info.name).filter(|s| !guard.have.contains(*s))
            {
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
                return if nullable {
                    self.null_in_place(error)
                } else {
                    Err(error)
                };
            }
        }
        match next.run(ctx, info).await {
            Err(error) if nullable => self.null_in_place(error),
            other => other,
        }
    }
}
