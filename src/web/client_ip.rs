//! The client's address for per-IP limits: the connecting address, or the left-most
//! `X-Forwarded-For` address when the connection comes from a trusted proxy (API.md).

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;

use crate::app::AppState;
use crate::error::AppError;

/// The address a request is counted against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(address)| address.ip())
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("server started without connection info")))?;
        let trusted = state.config.trusted_proxies.iter().any(|net| net.contains(&peer));
        let forwarded = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|value| value.to_str().ok())
            .and_then(|list| list.split(',').next())
            .and_then(|first| first.trim().parse::<IpAddr>().ok());
        Ok(Self(match forwarded {
            Some(client) if trusted => client,
            _ => peer,
        }))
    }
}
