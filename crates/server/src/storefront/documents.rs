//! Parsed GraphQL documents by query text. A storefront sends a handful of distinct documents
//! over and over; parsing each once (for the analysis and the executor alike) takes the parser
//! off the hot path. Bounded: when full, it starts over.

use foldhash::HashMap;
use std::sync::{Arc, RwLock};

use async_graphql::parser::types::ExecutableDocument;

#[derive(Debug)]
pub struct DocumentCache {
    docs: RwLock<HashMap<String, Arc<ExecutableDocument>>>,
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
    pub fn get_or_parse(&self, query: &str) -> Option<Arc<ExecutableDocument>> {
        if let Some(doc) = self.docs.read().ok().and_then(|m| m.get(query).cloned()) {
            return Some(doc);
        }
        let doc = Arc::new(async_graphql::parser::parse_query(query).ok()?);
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
}
