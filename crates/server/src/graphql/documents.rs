//! Parsed GraphQL documents by query text, and what each (operation, variables) pair of a
//! document works out to. A storefront sends a handful of distinct documents over and over:
//! parsing each once takes the parser off the hot path; analysing each (operation, variables)
//! once takes the analysis (limits, required scopes) off it; and validating each once takes
//! async-graphql's validator off it.
//!
//! What a stranger sends cannot grow this (SPEC §11): a document is kept only once it passed
//! the limits and validation (the executor produced data for it), the cache is bounded by an
//! estimate of the bytes each document holds, a document keeps a few (operation, variables)
//! pairs, and variables larger than `MAX_CACHED_VARIABLES` are worked out per request.

use foldhash::HashMap;
use std::cell::RefCell;
use std::io::Write as _;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock, RwLock};

use async_graphql::parser::types::ExecutableDocument;
use axum::body::Bytes;
use storefront_auth_core::analysis::{self, Analysis, AnalysisError, SchemaIndex, Stripped};
use storefront_auth_core::document::{self, DocumentError};
use storefront_auth_core::ScopeSet;

use super::plan::Plan;
use super::scope_extension::wholly_denied_response;

/// (operation, variables) pairs remembered per document; a storefront sends few.
const PREPARED_PER_DOCUMENT: usize = 16;
/// Variables whose JSON is longer than this are analysed per request, never kept.
pub const MAX_CACHED_VARIABLES: usize = 1024;
/// What the document cache may hold, by the estimate of `weight`.
const CAPACITY_BYTES: u64 = 128 * 1024 * 1024;

thread_local! {
    static KEY: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

#[derive(Debug)]
pub struct CachedDocument {
    pub doc: ExecutableDocument,
    prepared: RwLock<HashMap<Box<[u8]>, Arc<Prepared>>>,
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
    /// Gateway mode, per scope set: the document as it goes upstream with what that set
    /// may not see blanked (`analysis::strip`), `None` when it could not be stripped.
    stripped: [OnceLock<Option<Arc<Stripped>>>; ScopeSet::COUNT],
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

    /// Gateway mode: this operation of `doc` (parsed from `text`) as it may go upstream for a
    /// token holding `have`, worked out once per scope set. `None` when nothing is denied or
    /// the document could not be stripped.
    pub fn stripped(
        &self,
        doc: &ExecutableDocument,
        text: &str,
        schema: &SchemaIndex,
        operation: Option<&str>,
        have: ScopeSet,
    ) -> Option<Arc<Stripped>> {
        self.stripped[have.index()]
            .get_or_init(|| {
                analysis::strip(doc, text, schema, operation, have)
                    .ok()
                    .flatten()
                    .map(Arc::new)
            })
            .clone()
    }

    fn new(
        doc: &ExecutableDocument,
        schema: &SchemaIndex,
        operation: Option<&str>,
        variables: &serde_json::Value,
    ) -> Prepared {
        // async-graphql skips `@include(if: $v)` when `$v` comes only from its default.
        let variables = analysis::with_defaults(doc, operation, variables);
        Prepared {
            analysis: analysis::analyze(doc, schema, operation, &variables),
            variables: async_graphql::Variables::from_json(variables),
            validated: AtomicBool::new(false),
            plan: OnceLock::new(),
            wholly_denied: Default::default(),
            stripped: Default::default(),
        }
    }
}

/// Writes into a buffer until it holds `limit` bytes, then refuses: how a key is built
/// without serializing large variables in full.
struct Bounded<'a> {
    out: &'a mut Vec<u8>,
    limit: usize,
}

impl std::io::Write for Bounded<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.out.len() + buf.len() > self.limit {
            return Err(std::io::ErrorKind::OutOfMemory.into());
        }
        self.out.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl CachedDocument {
    pub fn new(doc: ExecutableDocument) -> Self {
        CachedDocument {
            doc,
            prepared: RwLock::new(HashMap::default()),
        }
    }

    /// The prepared form of `operation` with `variables` (as the client sent them): kept
    /// with the document when the variables are small, worked out afresh when they are not.
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
            key.extend_from_slice(operation.unwrap_or("").as_bytes());
            key.push(0);
            let limit = key.len() + MAX_CACHED_VARIABLES;
            let mut bounded = Bounded {
                out: &mut key,
                limit,
            };
            if serde_json::to_writer(&mut bounded, variables).is_err() {
                return (None, None);
            }
            let _ = bounded.flush();
            match self
                .prepared
                .read()
                .ok()
                .and_then(|m| m.get(key.as_slice()).cloned())
            {
                Some(p) => (Some(p), None),
                None => (None, Some(key.as_slice().into())),
            }
        });
        if let Some(p) = hit {
            return p;
        }
        let prepared = Arc::new(Prepared::new(&self.doc, schema, operation, variables));
        if let (Some(key), Ok(mut m)) = (key, self.prepared.write()) {
            if m.len() >= PREPARED_PER_DOCUMENT {
                m.clear();
            }
            m.insert(key, prepared.clone());
        }
        prepared
    }
}

/// An estimate of what a cached document of `len` bytes of text holds at most: its syntax tree
/// (measured at up to 50 times the text for documents made only of short fields) and the
/// (operation, variables) pairs it may keep, each with its analysis and compiled plan.
fn weight(len: usize) -> u32 {
    let tree = len.saturating_mul(64);
    let prepared = PREPARED_PER_DOCUMENT.saturating_mul(2048 + len.saturating_mul(4));
    u32::try_from(tree.saturating_add(prepared)).unwrap_or(u32::MAX)
}

#[derive(Debug)]
pub struct DocumentCache {
    docs: moka::sync::Cache<Box<str>, Arc<CachedDocument>, foldhash::fast::RandomState>,
}

impl Default for DocumentCache {
    fn default() -> Self {
        Self::with_capacity(CAPACITY_BYTES)
    }
}

impl DocumentCache {
    // moka hands the weigher its key as stored.
    #[allow(clippy::borrowed_box)]
    pub fn with_capacity(bytes: u64) -> Self {
        DocumentCache {
            docs: moka::sync::Cache::builder()
                .max_capacity(bytes)
                .weigher(|query: &Box<str>, _| weight(str::len(query)))
                .build_with_hasher(foldhash::fast::RandomState::default()),
        }
    }

    /// The document of `query`: the cached one, or freshly parsed (not cached until
    /// `remember`). Refused when it nests too deeply or does not parse.
    pub fn get_or_parse(&self, query: &str) -> Result<Arc<CachedDocument>, DocumentError> {
        if let Some(doc) = self.docs.get(query) {
            return Ok(doc);
        }
        Ok(Arc::new(CachedDocument::new(document::parse(query)?)))
    }

    /// Keeps `doc` for `query` from now on: call once it passed the limits and validation.
    pub fn remember(&self, query: &str, doc: &Arc<CachedDocument>) {
        if !self.docs.contains_key(query) {
            self.docs.insert(query.into(), doc.clone());
        }
    }

    /// How many documents are kept and their estimated bytes (for tests and metrics).
    pub fn usage(&self) -> (u64, u64) {
        self.docs.run_pending_tasks();
        (self.docs.entry_count(), self.docs.weighted_size())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_are_kept_only_when_remembered_and_stay_within_their_bytes() {
        let c = DocumentCache::with_capacity(u64::from(weight(10)) * 3);
        let a = c.get_or_parse("{ a }").expect("a");
        assert!(!Arc::ptr_eq(&a, &c.get_or_parse("{ a }").expect("again")));
        c.remember("{ a }", &a);
        assert!(Arc::ptr_eq(&a, &c.get_or_parse("{ a }").expect("kept")));
        assert!(matches!(
            c.get_or_parse("{ a "),
            Err(DocumentError::Syntax(_))
        ));
        assert!(matches!(
            c.get_or_parse(&"[".repeat(5000)),
            Err(DocumentError::TooDeep(5000))
        ));
        for i in 0..50 {
            let q = format!("{{ a{i} }}");
            let d = c.get_or_parse(&q).expect("doc");
            c.remember(&q, &d);
        }
        let (_, bytes) = c.usage();
        assert!(bytes <= u64::from(weight(10)) * 3, "{bytes}");
    }

    #[test]
    fn each_operation_and_variables_is_prepared_once_with_its_defaults() {
        let schema = SchemaIndex::from_sdl(&crate::graphql::schema::sdl()).expect("index");
        let c = DocumentCache::default();
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
        // Large variables are worked out each time and never kept.
        let large = serde_json::json!({ "a": 3, "pad": "x".repeat(MAX_CACHED_VARIABLES) });
        let first = d.prepare(&schema, Some("Q"), &large);
        assert!(!Arc::ptr_eq(&first, &d.prepare(&schema, Some("Q"), &large)));
        assert!(d.prepared.read().expect("lock").len() <= 2);
        for i in 0..100 {
            d.prepare(&schema, Some("Q"), &serde_json::json!({ "a": i }));
        }
        assert!(d.prepared.read().expect("lock").len() <= PREPARED_PER_DOCUMENT);
    }
}
