//! `storefront-auth scopes explain PATH`: which private-token scopes GraphQL documents need.
//! PATH is one document, or a directory of a storefront's `.graphql` / `.gql` files (searched
//! recursively): then every operation of every file is reported, and the scopes the whole set
//! needs, so a team can mint the right private token before switching (issue 19). Static
//! analysis only: needs neither the database nor a running server.

use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context};
use async_graphql::parser::types::DocumentOperations;
use async_graphql::parser::Error as ParseError;
use serde_json::{json, Value};
use storefront_auth_core::analysis::SchemaIndex;
use storefront_auth_core::document::DocumentError;
use storefront_auth_core::scope::ScopeSet;

use crate::graphql::explain::{explain_document, report};

/// Files read from a directory at most (a storefront has a few hundred documents).
const MAX_FILES: usize = 5_000;
/// Bytes read per file at most.
const MAX_FILE_BYTES: u64 = 1 << 20;

/// The report of a directory: each operation's, then the union of what they need.
pub fn explain_directory(
    index: &SchemaIndex,
    dir: &Path,
    variables: &Value,
) -> anyhow::Result<Value> {
    let mut files = Vec::new();
    collect(dir, &mut files)?;
    files.sort();
    if files.is_empty() {
        bail!("{} holds no .graphql or .gql files", dir.display());
    }
    let texts: Vec<(PathBuf, String)> = files
        .into_iter()
        .map(|f| {
            let text =
                std::fs::read_to_string(&f).with_context(|| format!("reading {}", f.display()))?;
            Ok((f, text))
        })
        .collect::<anyhow::Result<_>>()?;
    // Fragments a storefront keeps in files of their own are available to every operation.
    let mut fragment_files = Vec::new();
    let mut operations = Vec::new();
    for (path, text) in &texts {
        let names: Vec<Option<String>> = match storefront_auth_core::document::parse(text) {
            Ok(doc) => match &doc.operations {
                DocumentOperations::Single(_) => vec![None],
                DocumentOperations::Multiple(ops) => {
                    ops.keys().map(|n| Some(n.to_string())).collect()
                }
            },
            Err(DocumentError::Syntax(ParseError::MissingOperation)) => {
                fragment_files.push(text.as_str());
                continue;
            }
            Err(e) => bail!("{}: {e}", path.display()),
        };
        operations.push((path, text, names));
    }
    let mut needed = ScopeSet::EMPTY;
    let mut reports = Vec::new();
    for (path, text, names) in operations {
        let document = std::iter::once(text.as_str())
            .chain(fragment_files.iter().copied())
            .collect::<Vec<_>>()
            .join("\n");
        for name in names {
            let analysis = explain_document(index, &document, name.as_deref(), variables)
                .map_err(|e| anyhow!("{}: {e}", path.display()))?;
            needed.extend(analysis.required.iter());
            let mut r = report(&analysis);
            r["file"] = json!(path.strip_prefix(dir).unwrap_or(path).display().to_string());
            reports.push(r);
        }
    }
    Ok(json!({ "operations": reports, "requiredScopes": needed.names() }))
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else if path
            .extension()
            .is_some_and(|e| e == "graphql" || e == "gql")
        {
            if std::fs::metadata(&path)?.len() > MAX_FILE_BYTES {
                bail!("{} is larger than {MAX_FILE_BYTES} bytes", path.display());
            }
            out.push(path);
        }
        if out.len() > MAX_FILES {
            bail!(
                "{} holds more than {MAX_FILES} GraphQL files",
                dir.display()
            );
        }
    }
    Ok(())
}
