//! Relay cursor connections (SPEC §5.6): `first/after` and `last/before`, default page 10,
//! at most 50.

use async_graphql::{Error, Object, SimpleObject};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;

pub const DEFAULT_PAGE: i32 = 10;
pub const MAX_PAGE: i32 = 50;

/// Where a page sits. The first and last items' ids are kept, and encoded as cursors only
/// when a document selects them.
#[derive(Clone, Debug, Default)]
pub struct PageInfo {
    pub has_next_page: bool,
    pub has_previous_page: bool,
    pub start: Option<i64>,
    pub end: Option<i64>,
}

#[Object]
impl PageInfo {
    async fn has_next_page(&self) -> bool {
        self.has_next_page
    }
    async fn has_previous_page(&self) -> bool {
        self.has_previous_page
    }
    async fn start_cursor(&self) -> Option<String> {
        self.start.map(cursor)
    }
    async fn end_cursor(&self) -> Option<String> {
        self.end.map(cursor)
    }
}

#[derive(SimpleObject, Clone, Debug, Default)]
pub struct CollectionInfo {
    pub total_items: Option<super::scalars::Long>,
}

/// A validated page request over items keyed by increasing integer ids.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageRequest {
    pub after: i64,
    pub before: i64,
    pub limit: i64,
    pub from_end: bool,
}

pub fn cursor(id: i64) -> String {
    STANDARD.encode(format!("arrayconnection:{id}"))
}

fn decode_cursor(c: &str) -> Result<i64, Error> {
    STANDARD
        .decode(c)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| {
            s.strip_prefix("arrayconnection:")
                .and_then(|n| n.parse().ok())
        })
        .ok_or_else(|| Error::new(format!("Invalid cursor {c:?}")))
}

impl PageRequest {
    pub fn new(
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Self, Error> {
        if first.is_some() && last.is_some() {
            return Err(Error::new("Pass either first or last, not both."));
        }
        for n in [first, last].into_iter().flatten() {
            if n < 0 {
                return Err(Error::new("first and last must not be negative."));
            }
            if n > MAX_PAGE {
                return Err(Error::new(format!(
                    "A page holds at most {MAX_PAGE} items; asked for {n}."
                )));
            }
        }
        // An empty cursor is no cursor (Catalyst sends `after: ""` for a first page).
        let after = after
            .as_deref()
            .filter(|c| !c.is_empty())
            .map(decode_cursor)
            .transpose()?
            .unwrap_or(0);
        let before = before
            .as_deref()
            .filter(|c| !c.is_empty())
            .map(decode_cursor)
            .transpose()?
            .unwrap_or(i64::MAX);
        Ok(match last {
            Some(n) => PageRequest {
                after,
                before,
                limit: n as i64,
                from_end: true,
            },
            None => PageRequest {
                after,
                before,
                limit: first.unwrap_or(DEFAULT_PAGE) as i64,
                from_end: false,
            },
        })
    }

    /// Of rows in id order (all within the cursors), the `limit + 1` nearest the requested end,
    /// ready for `finish`.
    pub fn window<T>(&self, mut rows: Vec<T>) -> Vec<T> {
        if self.from_end {
            let skip = rows.len().saturating_sub(self.limit as usize + 1);
            rows.drain(..skip);
        } else {
            rows.truncate(self.limit as usize + 1);
        }
        rows
    }

    /// One page of rows held in memory, in id order: those within the cursors, trimmed.
    pub fn of<T>(&self, rows: Vec<T>, id: impl Fn(&T) -> i64) -> (Vec<(i64, T)>, PageInfo) {
        let within: Vec<T> = rows
            .into_iter()
            .filter(|r| id(r) > self.after && id(r) < self.before)
            .collect();
        self.finish(self.window(within), id)
    }

    /// Trims the `limit + 1` rows fetched to one page and says what lies beyond it. Each row
    /// comes with its id, which its cursor encodes.
    pub fn finish<T>(&self, mut rows: Vec<T>, id: impl Fn(&T) -> i64) -> (Vec<(i64, T)>, PageInfo) {
        let more = rows.len() as i64 > self.limit;
        if more {
            if self.from_end {
                rows.remove(0);
            } else {
                rows.truncate(self.limit as usize);
            }
        }
        let items: Vec<(i64, T)> = rows.into_iter().map(|r| (id(&r), r)).collect();
        let info = PageInfo {
            has_next_page: if self.from_end {
                self.before != i64::MAX
            } else {
                more
            },
            has_previous_page: if self.from_end { more } else { self.after != 0 },
            start: items.first().map(|(id, _)| *id),
            end: items.last().map(|(id, _)| *id),
        };
        (items, info)
    }
}

/// Declares `XConnection { pageInfo, edges, collectionInfo }` and `XEdge { node, cursor }`.
macro_rules! connection {
    ($conn:ident, $edge:ident, $node:ty) => {
        #[derive(Clone, Debug)]
        pub struct $edge {
            pub node: $node,
            /// The node's id, which its cursor encodes (only when a document selects it).
            pub position: i64,
        }

        #[async_graphql::Object]
        impl $edge {
            async fn node(&self) -> &$node {
                &self.node
            }
            async fn cursor(&self) -> String {
                $crate::graphql::schema::connection::cursor(self.position)
            }
        }

        #[derive(async_graphql::SimpleObject, Clone, Debug)]
        pub struct $conn {
            pub page_info: $crate::graphql::schema::connection::PageInfo,
            pub edges: Option<Vec<$edge>>,
            pub collection_info: Option<$crate::graphql::schema::connection::CollectionInfo>,
        }

        impl $conn {
            pub fn new(
                items: Vec<(i64, $node)>,
                page_info: $crate::graphql::schema::connection::PageInfo,
                total: Option<i64>,
            ) -> Self {
                $conn {
                    page_info,
                    edges: Some(
                        items
                            .into_iter()
                            .map(|(position, node)| $edge { node, position })
                            .collect(),
                    ),
                    collection_info: total.map(|t| {
                        $crate::graphql::schema::connection::CollectionInfo {
                            total_items: Some($crate::graphql::schema::scalars::Long(t)),
                        }
                    }),
                }
            }

            pub fn empty() -> Self {
                $conn {
                    page_info: Default::default(),
                    edges: Some(Vec::new()),
                    collection_info: None,
                }
            }
        }
    };
}
pub(crate) use connection;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_requests() {
        assert_eq!(
            PageRequest::new(None, None, None, None)
                .expect("default")
                .limit,
            10
        );
        assert!(PageRequest::new(Some(51), None, None, None).is_err());
        assert!(PageRequest::new(Some(1), None, Some(1), None).is_err());
        assert!(PageRequest::new(None, Some("bad".into()), None, None).is_err());
        let p = PageRequest::new(Some(2), Some(cursor(5)), None, None).expect("after");
        assert_eq!((p.after, p.limit, p.from_end), (5, 2, false));
        let (items, info) = p.finish(vec![6, 7, 8], |x| *x);
        assert_eq!(
            items.iter().map(|(_, x)| *x).collect::<Vec<_>>(),
            vec![6, 7]
        );
        assert!(info.has_next_page && info.has_previous_page);
        let back = PageRequest::new(None, None, Some(2), Some(cursor(9))).expect("before");
        let (items, info) = back.finish(vec![6, 7, 8], |x| *x);
        assert_eq!(
            items.iter().map(|(_, x)| *x).collect::<Vec<_>>(),
            vec![7, 8]
        );
        assert!(info.has_previous_page && info.has_next_page);
    }
}
