//! The current user of a request: from `Authorization: Bearer …` (API clients) or the session
//! cookie (the browser UI). Handlers take [`CurrentUser`]; scope checks live in the services.

use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::header;
use axum::http::request::Parts;

use super::model::{Actor, User};
use super::service;
use crate::app::AppState;
use crate::error::AppError;

/// Name of the HttpOnly cookie that holds a browser's login token.
pub const SESSION_COOKIE: &str = "ngayhoi_session";

/// A logged-in user, and the token secret the request carried (to log out with).
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub actor: Actor,
    pub user: User,
    pub secret: String,
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    /// Errors: 401 without a token, or with an unknown, expired or revoked one.
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        if let Some(current) = parts.extensions.get::<CurrentUser>() {
            return Ok(current.clone());
        }
        // "Please log in."
        let secret = token_of(parts).ok_or_else(|| AppError::Unauthorized("Vui lòng đăng nhập.".into()))?;
        let (actor, user) = service::actor_for(&state.db, &secret)
            .await?
            // "Your login has expired or was ended; please log in again."
            .ok_or_else(|| {
                AppError::Unauthorized("Phiên đăng nhập đã hết hạn hoặc đã kết thúc; vui lòng đăng nhập lại.".into())
            })?;
        let current = CurrentUser { actor, user, secret };
        parts.extensions.insert(current.clone());
        Ok(current)
    }
}

/// `Option<CurrentUser>`: `None` for a visitor who is not logged in (or whose login ended).
impl OptionalFromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Option<Self>, AppError> {
        match <Self as FromRequestParts<AppState>>::from_request_parts(parts, state).await {
            Ok(current) => Ok(Some(current)),
            Err(AppError::Unauthorized(_)) => Ok(None),
            Err(other) => Err(other),
        }
    }
}

/// The bearer token, else the session cookie.
fn token_of(parts: &Parts) -> Option<String> {
    let bearer = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(|token| token.trim().to_owned());
    bearer.or_else(|| {
        parts.headers.get_all(header::COOKIE).iter().filter_map(|value| value.to_str().ok()).find_map(|header| {
            cookie::Cookie::split_parse(header)
                .filter_map(Result::ok)
                .find(|cookie| cookie.name() == SESSION_COOKIE)
                .map(|cookie| cookie.value().to_owned())
        })
    })
}
