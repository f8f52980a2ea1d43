//! Request bodies, bounded in size: `/graphql`'s and the JSON bodies of the REST surfaces.

use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, Request};
use axum::http::{header, HeaderMap};
use serde_json::Value;

use super::error::ApiError;

/// The largest JSON body the management API reads.
pub const MAX_BODY: usize = 1024 * 1024;

/// A JSON request body: `application/json`, at most 1 MiB, well-formed.
pub struct JsonBody(pub Value);

impl<S: Send + Sync> FromRequest<S> for JsonBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, _state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(req.headers()) {
            return Err(ApiError::UnsupportedMediaType);
        }
        let bytes = read_limited(req.into_body(), MAX_BODY).await?;
        serde_json::from_slice(&bytes)
            .map(JsonBody)
            .map_err(|e| ApiError::BadRequest(e.to_string()))
    }
}

/// Whether the body is declared `application/json`.
pub fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/json"))
}

/// The whole body, or 413 past `limit` bytes.
pub async fn read_limited(body: Body, limit: usize) -> Result<Bytes, ApiError> {
    read_bounded(body, limit).await.map_err(|e| match e {
        BodyError::TooLarge => ApiError::PayloadTooLarge,
        BodyError::Unreadable(e) => ApiError::BadRequest(e),
    })
}

/// Why a body was not read.
#[derive(Debug, PartialEq, Eq)]
pub enum BodyError {
    TooLarge,
    Unreadable(String),
}

/// How much more than its limit an oversized body may send before it is refused: up to this
/// much past the limit is read and thrown away first. A server that answers and closes while
/// the client is still sending resets the connection, and most clients then report the reset
/// instead of the 413 (a 10 MB body did, over loopback). Past this, or past the request
/// timeout of `listener`, the connection is closed as it is.
const DRAIN: u64 = 32 * 1024 * 1024;

/// The whole body, at most `limit` bytes; an oversized one is drained (up to [`DRAIN`] past
/// the limit) so that its sender reads the refusal. One chunk, the usual case, is returned
/// without a copy.
pub async fn read_bounded(mut body: Body, limit: usize) -> Result<Bytes, BodyError> {
    use hyper::body::Body as _;
    let unreadable = |e: axum::Error| BodyError::Unreadable(e.to_string());
    if body.size_hint().lower() > limit as u64 {
        return Err(drain(body, 0, limit).await);
    }
    let (mut first, mut merged, mut len) = (Bytes::new(), None::<Vec<u8>>, 0usize);
    while let Some(frame) = next_frame(&mut body).await {
        let Ok(data) = frame.map_err(unreadable)?.into_data() else {
            continue; // trailers
        };
        len += data.len();
        if len > limit {
            return Err(drain(body, len as u64, limit).await);
        }
        match merged.as_mut() {
            Some(all) => all.extend_from_slice(&data),
            None if first.is_empty() => first = data,
            None => merged = Some([first.as_ref(), data.as_ref()].concat()),
        }
    }
    Ok(merged.map_or(first, Bytes::from))
}

/// Reads and drops the rest of an oversized body, of which `read` bytes came already, up to
/// [`DRAIN`] past `limit`; nothing when it is declared longer than that.
async fn drain(mut body: Body, mut read: u64, limit: usize) -> BodyError {
    use hyper::body::Body as _;
    let bound = limit as u64 + DRAIN;
    if read + body.size_hint().lower() > bound {
        return BodyError::TooLarge;
    }
    while read <= bound {
        match next_frame(&mut body).await {
            Some(Ok(frame)) => read += frame.data_ref().map_or(0, |d| d.len() as u64),
            _ => break,
        }
    }
    BodyError::TooLarge
}

async fn next_frame(body: &mut Body) -> Option<Result<hyper::body::Frame<Bytes>, axum::Error>> {
    use hyper::body::Body as _;
    std::future::poll_fn(|cx| std::pin::Pin::new(&mut *body).poll_frame(cx)).await
}

#[cfg(test)]
mod tests {
    use std::collections::VecDeque;
    use std::pin::Pin;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use std::task::{Context, Poll};

    use hyper::body::{Frame, SizeHint};

    use super::*;

    /// A body sent in `chunks`, counting how many of them were polled; a `None` chunk is a
    /// failed read (the client's connection broke).
    struct Chunks {
        chunks: VecDeque<Option<Bytes>>,
        read: Arc<AtomicUsize>,
        declared: Option<u64>,
    }

    impl hyper::body::Body for Chunks {
        type Data = Bytes;
        type Error = std::io::Error;

        fn poll_frame(
            mut self: Pin<&mut Self>,
            _: &mut Context<'_>,
        ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
            let next = self.chunks.pop_front();
            if next.is_some() {
                self.read.fetch_add(1, Ordering::Relaxed);
            }
            Poll::Ready(next.map(|c| {
                c.map(Frame::data)
                    .ok_or_else(|| std::io::Error::other("connection reset"))
            }))
        }

        fn size_hint(&self) -> SizeHint {
            self.declared
                .map_or_else(SizeHint::default, SizeHint::with_exact)
        }
    }

    fn body(chunks: &[Option<&[u8]>], declared: Option<u64>) -> (Body, Arc<AtomicUsize>) {
        let read = Arc::new(AtomicUsize::new(0));
        let chunks = chunks
            .iter()
            .map(|c| c.map(Bytes::copy_from_slice))
            .collect();
        let body = Body::new(Chunks {
            chunks,
            read: read.clone(),
            declared,
        });
        (body, read)
    }

    async fn read(
        chunks: &[&[u8]],
        declared: Option<u64>,
        limit: usize,
    ) -> (Result<Bytes, BodyError>, usize) {
        let chunks: Vec<_> = chunks.iter().copied().map(Some).collect();
        read_broken(&chunks, declared, limit).await
    }

    async fn read_broken(
        chunks: &[Option<&[u8]>],
        declared: Option<u64>,
        limit: usize,
    ) -> (Result<Bytes, BodyError>, usize) {
        let (body, read) = body(chunks, declared);
        let result = read_bounded(body, limit).await;
        (result, read.load(Ordering::Relaxed))
    }

    #[tokio::test]
    async fn a_body_within_its_limit_is_read_whole_in_any_chunks() {
        let cases: &[&[&[u8]]] = &[
            &[],
            &[b""],
            &[b"abc"],
            &[b"a", b"bc"],
            &[b"", b"ab", b"", b"c"],
            &[b"ab", b"", b"c"],
        ];
        for chunks in cases {
            let (result, _) = read(chunks, None, 3).await;
            let whole = chunks.concat();
            assert_eq!(result.as_deref(), Ok(whole.as_slice()), "{chunks:?}");
        }
    }

    #[tokio::test]
    async fn an_oversized_body_is_drained_before_it_is_refused() {
        let big = vec![b'x'; 1024 * 1024];
        let chunks: Vec<&[u8]> = (0..10).map(|_| big.as_slice()).collect();
        let (result, read_chunks) = read(&chunks, None, 100).await;
        assert_eq!(result, Err(BodyError::TooLarge));
        assert_eq!(read_chunks, 10, "all of a 10 MiB body is read");

        let (result, read_chunks) = read(&chunks, Some(10 * 1024 * 1024), 100).await;
        assert_eq!(result, Err(BodyError::TooLarge), "declared oversized");
        assert_eq!(read_chunks, 10, "drained too");

        let (result, read_chunks) = read(&chunks, Some(DRAIN + 101), 100).await;
        assert_eq!(result, Err(BodyError::TooLarge), "declared past the drain");
        assert_eq!(read_chunks, 0, "not a byte of it is read");

        let many: Vec<&[u8]> = (0..40).map(|_| big.as_slice()).collect();
        let (result, read_chunks) = read(&many, None, 100).await;
        assert_eq!(result, Err(BodyError::TooLarge));
        assert_eq!(read_chunks, 33, "reading stops 32 MiB past the limit");
    }

    #[tokio::test]
    async fn a_body_that_breaks_is_unreadable_within_its_limit_and_too_large_past_it() {
        let unreadable = Err(BodyError::Unreadable("connection reset".into()));
        let (result, _) = read_broken(&[None], None, 100).await;
        assert_eq!(result, unreadable, "broken at once");
        let (result, _) = read_broken(&[Some(b"ab"), None, Some(b"c")], None, 100).await;
        assert_eq!(result, unreadable, "broken after a chunk");

        let big = vec![b'x'; 1024 * 1024];
        let chunks = [Some(big.as_slice()), Some(b"x"), None, Some(big.as_slice())];
        let (result, read_chunks) = read_broken(&chunks, None, 100).await;
        assert_eq!(
            result,
            Err(BodyError::TooLarge),
            "past the limit it is still 413"
        );
        assert_eq!(
            read_chunks, 3,
            "the drain stops at the break: what follows is not read"
        );
    }
}
