//! Parsed GraphQL documents by query text. A storefront sends a handful of distinct documents
//! over and over; parsing each once (for the analysis and the executor alike) takes the parser
//! off the hot path, and validating each (with its variables) once takes the validator off it
//! too. Bounded: when full, it starts over.

use foldhash::{HashMap, HashSet};
use std::sync::{Arc, RwLock};

use async_graphql::parser::types::ExecutableDocument;

/// Variable sets remembered per document; a storefront sends few.
const VALIDATED_PER_DOCUMENT: usize = 64;

#[derive(Debug)]
pub struct CachedDocument {
    pub doc: ExecutableDocument,
    /// Operation name + variables with which this document already produced data: it passed
    /// the executor's validation then, and validation depends on nothing else.
    validated: RwLock<HashSet<String>>,
}

impl CachedDocument {
    pub fn is_validated(&self, key: &str) -> bool {
        self.validated.read().is_ok_and(|v| v.contains(key))
    }

    pub fn mark_validated(&self, key: String) {
        if let Ok(mut v) = self.validated.write() {
            if v.len() >= VALIDATED_PER_DOCUMENT {
                v.clear();
            }
            v.insert(key);
        }
    }
}

/// What validation of a request depends on besides the document.
pub fn validation_key(operation: Option<&str>, variables: &serde_json::Value) -> String {
    format!("{}\u{0}{variables}", operation.unwrap_or(""))
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
            validated: RwLock::new(HashSet::default()),
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
    fn validation_is_remembered_per_operation_and_variables() {
        let c = DocumentCache::new(2);
        let d = c
            .get_or_parse("query Q($a: Int) { a(x: $a) }")
            .expect("doc");
        let k1 = validation_key(Some("Q"), &serde_json::json!({ "a": 1 }));
        let k2 = validation_key(Some("Q"), &serde_json::json!({ "a": "x" }));
        assert!(!d.is_validated(&k1));
        d.mark_validated(k1.clone());
        assert!(d.is_validated(&k1));
        assert!(!d.is_validated(&k2), "other variables are validated again");
    }
}
