//! `/api/v1/auth/…`, `/api/v1/users…` and `/api/v1/audit` (API.md, *Accounts*).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::audit;
use super::extract::CurrentUser;
use super::model::{AuditEvent, AuditFilter, LoginRequest, LoginResponse, NewUser, User, UserChanges, UserFilter};
use super::service;
use super::tokens::TokenKind;
use crate::app::AppState;
use crate::error::AppResult;
use crate::list::{Page, PageParams};
use crate::time::to_local;
use crate::web::client_ip::ClientIp;
use crate::web::extract::{ApiJson, ApiPath, ApiQuery};
use crate::web::problem::Problem;

/// Routes open to everyone.
pub fn public_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(login))
}

/// Routes that need a login.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(logout))
        .routes(routes!(me))
        .routes(routes!(create_user, list_users))
        .routes(routes!(get_user, update_user))
        .routes(routes!(list_audit))
}

/// Exchanges e-mail and password for a bearer token (valid 24 hours).
#[utoipa::path(post, path = "/auth/login", tag = "accounts", request_body = LoginRequest, security(()),
    responses((status = 200, body = LoginResponse), (status = 401, body = Problem), (status = 429, body = Problem)))]
async fn login(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    ApiJson(input): ApiJson<LoginRequest>,
) -> AppResult<Json<LoginResponse>> {
    let limit = state.config.login_rate_limit;
    let login = service::login(&state.db, limit, &input.email, &input.password, client, TokenKind::Api).await?;
    Ok(Json(LoginResponse { token: login.secret, expires_at: to_local(login.expires_at), user: login.user }))
}

/// Ends the login the request was made with.
#[utoipa::path(post, path = "/auth/logout", tag = "accounts", responses((status = 204), (status = 401, body = Problem)))]
async fn logout(State(state): State<AppState>, current: CurrentUser) -> AppResult<StatusCode> {
    service::logout(&state.db, &current.actor, &current.secret).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The logged-in user.
#[utoipa::path(get, path = "/auth/me", tag = "accounts", responses((status = 200, body = User), (status = 401, body = Problem)))]
async fn me(current: CurrentUser) -> Json<User> {
    Json(current.user)
}

/// Creates a user inside the caller's scope, with a role no higher than the caller's.
#[utoipa::path(post, path = "/users", tag = "accounts", request_body = NewUser,
    responses((status = 201, body = User), (status = 403, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem)))]
async fn create_user(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiJson(input): ApiJson<NewUser>,
) -> AppResult<(StatusCode, Json<User>)> {
    Ok((StatusCode::CREATED, Json(service::create_user(&state.db, &current.actor, input).await?)))
}

/// Users inside the caller's scope, by e-mail.
#[utoipa::path(get, path = "/users", tag = "accounts", params(UserFilter, PageParams),
    responses((status = 200, body = Page<User>)))]
async fn list_users(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiQuery(filter): ApiQuery<UserFilter>,
    ApiQuery(page): ApiQuery<PageParams>,
) -> AppResult<Json<Page<User>>> {
    Ok(Json(service::list_users(&state.db, &current.actor, &filter, page.paging()?).await?))
}

#[utoipa::path(get, path = "/users/{id}", tag = "accounts", params(("id" = i32, Path)),
    responses((status = 200, body = User), (status = 404, body = Problem)))]
async fn get_user(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
) -> AppResult<Json<User>> {
    Ok(Json(service::get_user(&state.db, &current.actor, id).await?))
}

/// Changes role, scope, name, password or `disabled` (which ends the user's logins).
#[utoipa::path(patch, path = "/users/{id}", tag = "accounts", params(("id" = i32, Path)), request_body = UserChanges,
    responses((status = 200, body = User), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem)))]
async fn update_user(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
    ApiJson(changes): ApiJson<UserChanges>,
) -> AppResult<Json<User>> {
    Ok(Json(service::update_user(&state.db, &current.actor, id, changes).await?))
}

/// The audit log, newest first: all of it for admins, the province's part for province users.
#[utoipa::path(get, path = "/audit", tag = "accounts", params(AuditFilter, PageParams),
    responses((status = 200, body = Page<AuditEvent>), (status = 403, body = Problem)))]
async fn list_audit(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiQuery(filter): ApiQuery<AuditFilter>,
    ApiQuery(page): ApiQuery<PageParams>,
) -> AppResult<Json<Page<AuditEvent>>> {
    Ok(Json(audit::list(&state.db, &current.actor, &filter, page.paging()?).await?))
}
