//! The baseline of `bench/registration.sh`: an axum server whose one handler does nothing, to
//! show what the machine and HTTP stack give before ngayhoi does any work.
//!
//!     cargo run --release --example noop_server -- 127.0.0.1:18190

use axum::Router;
use axum::routing::post;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let address = std::env::args().nth(1).unwrap_or_else(|| "127.0.0.1:18190".into());
    let listener = tokio::net::TcpListener::bind(&address).await?;
    let app = Router::new().route("/{*path}", post(|| async { "{}" }));
    axum::serve(listener, app).await
}
