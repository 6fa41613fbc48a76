//! The reference for the public pages' throughput (docs/performance.md): a
//! bare axum handler serving a fixed body — the same bytes a public page
//! sends — with nothing else, on the same machine and loopback.
//!
//! `cargo run --release -p server --example bare -- BODY_FILE ADDR`

use axum::routing::get;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let file = args.next().expect("a file whose bytes to serve");
    let addr = args.next().unwrap_or_else(|| "127.0.0.1:3400".into());
    let body = axum::body::Bytes::from(std::fs::read(file)?);
    let app = axum::Router::new().fallback(get(move || {
        let body = body.clone();
        async move { ([("content-type", "text/html; charset=utf-8")], body) }
    }));
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    println!("serving on {addr}");
    axum::serve(listener, app).await
}
