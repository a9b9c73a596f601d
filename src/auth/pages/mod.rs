//! `/login` and `/logout` for the browser UI, and the routers of the account pages
//! (`users`) and the audit log (`audit`). They call the same service functions as the API.

mod audit_log;
mod users;

use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use minijinja::context;
use serde::{Deserialize, Serialize};

use super::extract::CurrentUser;
use super::service;
use super::tokens::TokenKind;
use crate::app::AppState;
use crate::error::{AppError, AppResult};
use crate::web::client_ip::ClientIp;
use crate::web::extract::ApiQuery;
use crate::web::pages::{PageForm, render, see_other};
use crate::web::session::{expired_session_cookie, safe_next, session_cookie, set_cookie};

/// Pages open to everyone: the login form.
pub fn public_router() -> Router<AppState> {
    Router::new().route("/login", get(login_form).post(login))
}

/// Pages for logged-in users: logging out, the accounts of their scope, the audit log.
pub fn router() -> Router<AppState> {
    Router::new().route("/logout", post(logout)).merge(users::router()).merge(audit_log::router())
}

/// The login form as typed; `next` is where to go afterwards.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
struct LoginForm {
    email: String,
    #[serde(skip_serializing)]
    password: String,
    next: Option<String>,
}

/// The login form; someone already logged in goes straight on to `next`.
async fn login_form(
    State(state): State<AppState>,
    current: Option<CurrentUser>,
    ApiQuery(form): ApiQuery<LoginForm>,
) -> AppResult<Response> {
    if current.is_some() {
        return Ok(see_other(safe_next(form.next.as_deref())));
    }
    render(&state, "auth/login.html", context! { form })
}

async fn login(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    PageForm(form): PageForm<LoginForm>,
) -> AppResult<Response> {
    let limit = state.config.login_rate_limit;
    match service::login(&state.db, limit, &form.email, &form.password, client, TokenKind::Web).await {
        Ok(login) => {
            let secure = state.base_url().starts_with("https://");
            let cookie = session_cookie(login.secret, login.expires_at, secure);
            Ok((set_cookie(&cookie), see_other(safe_next(form.next.as_deref()))).into_response())
        }
        Err(error @ (AppError::Unauthorized(_) | AppError::RateLimited { .. })) => {
            let problem = crate::web::problem::Problem::from_error(error);
            let mut response = render(&state, "auth/login.html", context! { form, problem })?;
            *response.status_mut() = problem.status_code();
            Ok(response)
        }
        Err(other) => Err(other),
    }
}

async fn logout(State(state): State<AppState>, current: CurrentUser) -> AppResult<Response> {
    service::logout(&state.db, &current.actor, &current.secret).await?;
    Ok((set_cookie(&expired_session_cookie()), see_other("/login")).into_response())
}
