//! The baseline of the benchmark: the physical limit of this HTTP stack on this machine. A
//! minimal axum server that answers `POST /graphql` with a fixed small JSON body, no auth.
//! With `--h2c` it speaks HTTP/2 with prior knowledge instead of HTTP/1.1: scenario 9's
//! upstream for a gateway with `gateway.upstream_protocol = "http2"`.

use axum::routing::post;
use axum::Router;

const BODY: &str = r#"{"data":{"channel":{"entityId":1}}}"#;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let listen = std::env::args()
        .skip_while(|a| a != "--listen")
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:0".into());
    let app = Router::new().route(
        "/graphql",
        post(|| async { ([("content-type", "application/json")], BODY) }),
    );
    let listener = tokio::net::TcpListener::bind(&listen).await?;
    println!("baseline listening on http://{}", listener.local_addr()?);
    if std::env::args().any(|a| a == "--h2c") {
        return serve_h2c(listener, app).await;
    }
    axum::serve(listener, app).await?;
    Ok(())
}

async fn serve_h2c(listener: tokio::net::TcpListener, app: Router) -> anyhow::Result<()> {
    use hyper_util::rt::{TokioExecutor, TokioIo};
    loop {
        let (stream, _) = listener.accept().await?;
        let _ = stream.set_nodelay(true);
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        tokio::spawn(async move {
            let _ = hyper::server::conn::http2::Builder::new(TokioExecutor::new())
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}
