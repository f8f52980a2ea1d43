//! The baseline of the benchmark: the physical limit of this HTTP stack on this machine. A
//! minimal axum server that answers `POST /graphql` with a fixed small JSON body, no auth.

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
    axum::serve(listener, app).await?;
    Ok(())
}
