//! Compiled plans: the hot path's executor for the read-only queries a storefront sends over
//! and over (product listings, the channel, the signed-in customer).
//!
//! async-graphql resolves every field through a boxed future, an `IndexMap` insert and a
//! `Value` that is serialized afterwards: for a listing of ten products with prices that is
//! most of a request's CPU time. A plan is the same query worked out once per document,
//! operation and variables (`documents::Prepared`): which fields of which types, under which
//! response keys, with which arguments. Executing it calls the data functions the resolvers
//! call (`schema::site`, `schema::catalog`) and writes the response bytes directly.
//!
//! A plan answers only what it answers exactly as the executor would, byte for byte:
//! - a query operation that already passed validation (the executor produced data for it),
//!   whose token may see every field (no scope denial can occur);
//! - fields of the types in `root.rs` and `catalog.rs`, in fragments on those same types,
//!   with `@skip`/`@include` and nothing else;
//! - without errors: a resolver that fails makes the plan give up (`Fallback`), and the
//!   executor runs the query to report the error its way. Queries change nothing, so a
//!   query begun by the plan and finished by the executor was run once in effect.
//!
//! Anything else compiles to no plan, and the executor answers it as before.
//! The tests that hold plans to the executor's answers: `tests/api/graphql_plans.rs`.

mod catalog;
mod collect;
mod json;
mod root;

use async_graphql::parser::types::{DocumentOperations, ExecutableDocument, OperationType};
use async_graphql::Variables;

use self::collect::{Compile, Cx, Selected, What};
use self::json::Json;
use super::schema::GqlContext;

/// A query compiled for one document, operation and set of variables.
#[derive(Debug)]
pub struct Plan {
    root: Vec<Selected<root::QueryField>>,
}

/// The plan cannot answer this request (a resolver failed): the executor must.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fallback;

impl Plan {
    /// The plan of `operation` of `doc` with `variables` (the executor's variables, defaults
    /// filled in), or `None` when the executor must answer it.
    pub fn compile(
        doc: &ExecutableDocument,
        operation: Option<&str>,
        variables: &Variables,
    ) -> Option<Plan> {
        // The operation as the executor picks it.
        let op = match (&doc.operations, operation) {
            (DocumentOperations::Single(op), None) => op,
            (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name)?,
            (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => ops.values().next()?,
            _ => return None,
        };
        let op = &op.node;
        if op.ty != OperationType::Query || !op.directives.is_empty() {
            return None;
        }
        let cx = Cx {
            doc,
            definitions: &op.variable_definitions,
            variables,
        };
        let root = collect::collect::<crate::graphql::schema::site::Query>(
            &[&op.selection_set.node],
            &cx,
        )?;
        Some(Plan { root })
    }

    /// The response body (`{"data":{…}}`) for this request's context.
    pub async fn execute(&self, gql: &GqlContext) -> Result<Vec<u8>, Fallback> {
        let mut out = Json::with_capacity(512);
        out.raw(b"{\"data\":");
        root::write_query(&self.root, gql, &mut out).await?;
        out.raw(b"}");
        Ok(out.into_bytes())
    }
}

/// A GraphQL object type whose fields a plan writes from a value in hand.
trait Write: Compile {
    fn write(&self, field: &Self::Field, gql: &GqlContext, out: &mut Json) -> Result<(), Fallback>;
}

/// Writes `{…}` with the selected fields of `value`, in response order.
fn object<T: Write>(
    value: &T,
    selected: &[Selected<T::Field>],
    gql: &GqlContext,
    out: &mut Json,
) -> Result<(), Fallback> {
    fields(T::NAME, selected, out, |field, out| {
        value.write(field, gql, out)
    })
}

/// Writes `{…}`: each key, then `__typename` or whatever `field` writes for the rest.
fn fields<F>(
    type_name: &str,
    selected: &[Selected<F>],
    out: &mut Json,
    mut field: impl FnMut(&F, &mut Json) -> Result<(), Fallback>,
) -> Result<(), Fallback> {
    out.raw(b"{");
    for (i, s) in selected.iter().enumerate() {
        if i > 0 {
            out.raw(b",");
        }
        out.raw(&s.key);
        match &s.what {
            What::Typename => out.value(type_name),
            What::Field(f) => field(f, out)?,
        }
    }
    out.raw(b"}");
    Ok(())
}

/// A nullable object.
fn nullable<T: Write>(
    value: Option<&T>,
    selected: &[Selected<T::Field>],
    gql: &GqlContext,
    out: &mut Json,
) -> Result<(), Fallback> {
    match value {
        Some(v) => object(v, selected, gql, out),
        None => {
            out.null();
            Ok(())
        }
    }
}

/// A nullable list of objects.
fn list<T: Write>(
    values: Option<&[T]>,
    selected: &[Selected<T::Field>],
    gql: &GqlContext,
    out: &mut Json,
) -> Result<(), Fallback> {
    let Some(values) = values else {
        out.null();
        return Ok(());
    };
    out.raw(b"[");
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            out.raw(b",");
        }
        object(v, selected, gql, out)?;
    }
    out.raw(b"]");
    Ok(())
}

#[cfg(test)]
mod tests;
