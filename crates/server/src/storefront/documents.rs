//! Parsed GraphQL documents by query text, and what each (operation, variables) pair of a
//! document works out to. A storefront sends a handful of distinct documents over and over:
//! parsing each once takes the parser off the hot path; analysing each (operation, variables)
//! once takes the analysis (limits, required scopes) off it; and validating each once takes
//! async-graphql's validator off it. Bounded: when full, each map starts over.

use foldhash::HashMap;
use std::cell::RefCell;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock, RwLock};

use async_graphql::parser::types::ExecutableDocument;
use axum::body::Bytes;
use storefront_auth_core::analysis::{self, Analysis, AnalysisError, SchemaIndex};
use storefront_auth_core::ScopeSet;

use super::plan::Plan;
use super::scope_extension::wholly_denied_response;

/// (operation, variables) pairs remembered per document; a storefront sends few.
const PREPARED_PER_DOCUMENT: usize = 64;

thread_local! {
    static KEY: RefCell<String> = const { RefCell::new(String::new()) };
}

#[derive(Debug)]
pub struct CachedDocument {
    pub doc: ExecutableDocument,
    prepared: RwLock<HashMap<String, Arc<Prepared>>>,
}

/// One operation of a document with one set of variables, worked out once. Everything here
/// depends only on the document, the operation name, the variables and the schema.
#[derive(Debug)]
pub struct Prepared {
    /// The variables with the operation's defaults filled in (what analysis and execution see).
    pub variables: async_graphql::Variables,
    pub analysis: Result<Analysis, AnalysisError>,
    /// The executor already produced data for this: it passed validation then, and validation
    /// depends on nothing else.
    validated: AtomicBool,
    /// Compiled on first use once validated; `None` inside when the executor must answer.
    plan: OnceLock<Option<Plan>>,
    /// Per scope set: the answer when a token with those scopes may see no root field.
    wholly_denied: [OnceLock<Option<Bytes>>; ScopeSet::COUNT],
}

impl Prepared {
    pub fn is_validated(&self) -> bool {
        self.validated.load(Ordering::Relaxed)
    }

    pub fn mark_validated(&self) {
        self.validated.store(true, Ordering::Relaxed);
    }

    /// The compiled plan of this operation of `doc` (the document this was prepared from),
    /// or `None` when the executor must answer it. Plans are compiled for valid documents only.
    pub fn plan(&self, doc: &ExecutableDocument, operation: Option<&str>) -> Option<&Plan> {
        if !self.is_validated() {
            return None;
        }
        self.plan
            .get_or_init(|| Plan::compile(doc, operation, &self.variables))
            .as_ref()
    }

    /// The response body when a token holding `have` may see none of the root fields of this
    /// operation of `doc` (see `analysis::wholly_denied`): it depends on nothing else, so it is
    /// built once per scope set. Only for validated documents.
    pub fn wholly_denied(
        &self,
        doc: &ExecutableDocument,
        schema: &SchemaIndex,
        operation: Option<&str>,
        have: ScopeSet,
    ) -> Option<Bytes> {
        if !self.is_validated() {
            return None;
        }
        self.wholly_denied[have.index()]
            .get_or_init(|| {
                let denied = analysis::wholly_denied(doc, schema, operation, have)?;
                serde_json::to_vec(&wholly_denied_response(&denied))
                    .ok()
                    .map(Bytes::from)
            })
            .clone()
    }
}

impl CachedDocument {
    /// The prepared form of `operation` with `variables` (as the client sent them).
    pub fn prepare(
        &self,
        schema: &SchemaIndex,
        operation: Option<&str>,
        variables: &serde_json::Value,
    ) -> Arc<Prepared> {
        // The key is written into a buffer this thread reuses, so a hit (the common case)
        // allocates nothing.
        let (hit, key) = KEY.with(|key| {
            let mut key = key.borrow_mut();
            key.clear();
            let _ = write!(key, "{}\u{0}{variables}", operation.unwrap_or(""));
            match self
                .prepared
                .read()
                .ok()
                .and_then(|m| m.get(key.as_str()).cloned())
            {
                Some(p) => (Some(p), String::new()),
                None => (None, key.clone()),
            }
        });
        if let Some(p) = hit {
            return p;
        }
        // async-graphql skips `@include(if: $v)` when `$v` comes only from its default.
        let variables = analysis::with_defaults(&self.doc, operation, variables);
        let prepared = Arc::new(Prepared {
            analysis: analysis::analyze(&self.doc, schema, operation, &variables),
            variables: async_graphql::Variables::from_json(variables),
            validated: AtomicBool::new(false),
            plan: OnceLock::new(),
            wholly_denied: Default::default(),
        });
        if let Ok(mut m) = self.prepared.write() {
            if m.len() >= PREPARED_PER_DOCUMENT {
                m.clear();
            }
            m.insert(key, prepared.clone());
        }
        prepared
    }
}

#[derive(Debug)]
pub struct DocumentCache {
    docs: RwLock<HashMap<String, Arc<CachedDocument>>>,
    capacity: usize,
}

impl DocumentCache {
    pub fn new(capacity: usize) -> Self {
        DocumentCache {
            docs: RwLock::new(HashMap::default()),
            capacity,
        }
    }

    /// The parsed document, or `None` when it does not parse (the executor then reports the
    /// syntax error in GraphQL form; invalid documents are not cached).
    pub fn get_or_parse(&self, query: &str) -> Option<Arc<CachedDocument>> {
        if let Some(doc) = self.docs.read().ok().and_then(|m| m.get(query).cloned()) {
            return Some(doc);
        }
        let doc = Arc::new(CachedDocument {
            doc: async_graphql::parser::parse_query(query).ok()?,
            prepared: RwLock::new(HashMap::default()),
        });
        if let Ok(mut m) = self.docs.write() {
            if m.len() >= self.capacity {
                m.clear();
            }
            m.insert(query.to_string(), doc.clone());
        }
        Some(doc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_once_and_stays_bounded() {
        let c = DocumentCache::new(2);
        let a = c.get_or_parse("{ a }").expect("a");
        assert!(Arc::ptr_eq(&a, &c.get_or_parse("{ a }").expect("again")));
        assert!(c.get_or_parse("{ a ").is_none());
        c.get_or_parse("{ b }");
        c.get_or_parse("{ c }");
        assert!(c.docs.read().expect("lock").len() <= 2);
    }

    #[test]
    fn each_operation_and_variables_is_prepared_once_with_its_defaults() {
        let schema = SchemaIndex::from_sdl(&crate::storefront::schema::sdl()).expect("index");
        let c = DocumentCache::new(2);
        let d = c
            .get_or_parse("query Q($a: Int = 3) { site { products(first: $a) { edges { node { entityId } } } } }")
            .expect("doc");
        let one = d.prepare(&schema, Some("Q"), &serde_json::json!({}));
        assert!(Arc::ptr_eq(
            &one,
            &d.prepare(&schema, Some("Q"), &serde_json::json!({}))
        ));
        assert_eq!(
            one.variables
                .clone()
                .into_value()
                .into_json()
                .expect("json"),
            serde_json::json!({ "a": 3 })
        );
        let other = d.prepare(&schema, Some("Q"), &serde_json::json!({ "a": 50 }));
        assert!(!Arc::ptr_eq(&one, &other));
        let (a, b) = (
            one.analysis.as_ref().expect("a"),
            other.analysis.as_ref().expect("b"),
        );
        assert!(
            b.complexity > a.complexity,
            "the page size is the variable's"
        );
        assert!(!one.is_validated());
        one.mark_validated();
        assert!(one.is_validated());
        assert!(!other.is_validated(), "other variables are validated again");
    }
}
