//! Oversized request bodies, against the real binary over raw TCP: the sender reads the 413
//! (the server does not close on a body it has not read, which resets the connection and
//! loses the answer), and the connection serves its next request.

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::Target;

/// One request written whole, then its response read: (status, JSON body), or `None` when
/// the write failed or the connection closed before a whole response came.
async fn exchange(stream: &mut TcpStream, request: &[u8]) -> Option<(u16, Value)> {
    stream.write_all(request).await.ok()?;
    read_response(stream).await
}

/// A request of `head` (request line and headers) and `body`, with its `Content-Length`.
fn with_length(head: &str, body: &[u8]) -> Vec<u8> {
    [
        format!("{head}Content-Length: {}\r\n\r\n", body.len()).as_bytes(),
        body,
    ]
    .concat()
}

/// The same request with no declared length: `body` sent chunked, `size` bytes a chunk.
fn chunked(head: &str, body: &[u8], size: usize) -> Vec<u8> {
    let mut request = format!("{head}Transfer-Encoding: chunked\r\n\r\n").into_bytes();
    for chunk in body.chunks(size) {
        request.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        request.extend_from_slice(chunk);
        request.extend_from_slice(b"\r\n");
    }
    request.extend_from_slice(b"0\r\n\r\n");
    request
}

async fn read_response(stream: &mut TcpStream) -> Option<(u16, Value)> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = stream.read(&mut chunk).await.ok().filter(|n| *n > 0)?;
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
    let status = head.get(9..12)?.parse().ok()?;
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))?
        .trim()
        .parse()
        .ok()?;
    while buf.len() < end + length {
        let n = stream.read(&mut chunk).await.ok().filter(|n| *n > 0)?;
        buf.extend_from_slice(&chunk[..n]);
    }
    Some((
        status,
        serde_json::from_slice(&buf[end..end + length]).ok()?,
    ))
}

fn message(body: &Value) -> &str {
    body["errors"][0]["message"]
        .as_str()
        .or(body["title"].as_str())
        .unwrap_or_default()
}

/// Class 1 (bodies): 10 MiB to `/graphql` (limit 100 KiB), declared or chunked, and 5 MiB to
/// the management API (limit 1 MiB) are each answered with a readable 413 on a connection
/// that then serves the next request; a body declared larger than the server will drain is
/// refused at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn c26_oversized_bodies_get_a_readable_413_on_a_connection_that_lives_on() {
    let mut target = Target::start(&[]).await;
    let addr = target
        .server
        .url("")
        .trim_start_matches("http://")
        .to_string();
    let graphql = format!(
        "POST /graphql HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\nContent-Type: application/json\r\n",
        target.token
    );
    let oversized = vec![b' '; 10 * 1024 * 1024];
    let query = br#"{"query":"{ channel { entityId } }"}"#;
    // Declared, then chunked with no declared length (1 MiB chunks); the next request on the
    // connection is chunked too, in chunks smaller than its JSON tokens.
    for (big, next) in [
        (
            with_length(&graphql, &oversized),
            with_length(&graphql, query),
        ),
        (
            chunked(&graphql, &oversized, 1024 * 1024),
            chunked(&graphql, query, 5),
        ),
    ] {
        let mut stream = TcpStream::connect(&addr).await.expect("connect");
        let (status, body) = exchange(&mut stream, &big)
            .await
            .expect("the 413 is read, not a reset");
        assert_eq!(
            (status, message(&body)),
            (413, "The request body is larger than 100 KiB.")
        );
        let (status, body) = exchange(&mut stream, &next)
            .await
            .expect("the same connection serves the next request");
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["data"]["channel"]["entityId"], 1);
    }

    let management = format!(
        "POST /stores/demo/v3/catalog/products HTTP/1.1\r\nHost: x\r\nX-Auth-Token: {}\r\nContent-Type: application/json\r\n",
        target.server.value("access_token:")
    );
    let mut stream = TcpStream::connect(&addr).await.expect("connect");
    let (status, _) = exchange(
        &mut stream,
        &with_length(&management, &oversized[..5 << 20]),
    )
    .await
    .expect("the 413 is read, not a reset");
    assert_eq!(status, 413);
    let (status, body) = exchange(&mut stream, &with_length(&management, b"{"))
        .await
        .expect("the same connection serves the next request");
    assert_eq!(status, 400, "{body}");

    // Declared at 1 GiB: refused before a byte of it is read, and the connection is closed.
    let mut stream = TcpStream::connect(&addr).await.expect("connect");
    let head = format!("{graphql}Content-Length: 1073741824\r\n\r\n{{");
    stream.write_all(head.as_bytes()).await.expect("write");
    let (status, _) = read_response(&mut stream).await.expect("413");
    assert_eq!(status, 413);
    assert_eq!(stream.read(&mut [0u8; 16]).await.ok(), Some(0), "closed");
    target.serving(std::time::Duration::from_secs(5)).await;
}
