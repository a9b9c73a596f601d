//! `/api/v1/units` and `/api/v1/hosts` (API.md, *Places and hosts*).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::model::{Host, HostChanges, HostFilter, NewHost, Unit, UnitFilter};
use super::service;
use crate::app::AppState;
use crate::auth::extract::CurrentUser;
use crate::error::AppResult;
use crate::list::{Page, PageParams};
use crate::web::extract::{ApiJson, ApiPath, ApiQuery};
use crate::web::problem::Problem;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_units))
        .routes(routes!(get_unit))
        .routes(routes!(create_host, list_hosts))
        .routes(routes!(get_host, update_host, delete_host))
}

/// Provinces and communes of the 2025 map.
#[utoipa::path(get, path = "/units", tag = "places", params(UnitFilter, PageParams),
    responses((status = 200, body = Page<Unit>), (status = 422, body = Problem)))]
async fn list_units(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiQuery(filter): ApiQuery<UnitFilter>,
    ApiQuery(page): ApiQuery<PageParams>,
) -> AppResult<Json<Page<Unit>>> {
    Ok(Json(service::list_units(&state.db, &current.actor, &filter, page.paging()?).await?))
}

#[utoipa::path(get, path = "/units/{code}", tag = "places", params(("code" = String, Path)),
    responses((status = 200, body = Unit), (status = 404, body = Problem)))]
async fn get_unit(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(code): ApiPath<String>,
) -> AppResult<Json<Unit>> {
    Ok(Json(service::get_unit(&state.db, &current.actor, &code).await?))
}

/// Creates a host in a commune; its name must be new in that commune.
#[utoipa::path(post, path = "/hosts", tag = "places", request_body = NewHost,
    responses((status = 201, body = Host), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn create_host(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiJson(input): ApiJson<NewHost>,
) -> AppResult<(StatusCode, Json<Host>)> {
    Ok((StatusCode::CREATED, Json(service::create_host(&state.db, &current.actor, input).await?)))
}

#[utoipa::path(get, path = "/hosts", tag = "places", params(HostFilter, PageParams),
    responses((status = 200, body = Page<Host>), (status = 422, body = Problem)))]
async fn list_hosts(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiQuery(filter): ApiQuery<HostFilter>,
    ApiQuery(page): ApiQuery<PageParams>,
) -> AppResult<Json<Page<Host>>> {
    Ok(Json(service::list_hosts(&state.db, &current.actor, &filter, page.paging()?).await?))
}

#[utoipa::path(get, path = "/hosts/{id}", tag = "places", params(("id" = i32, Path)),
    responses((status = 200, body = Host), (status = 404, body = Problem)))]
async fn get_host(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
) -> AppResult<Json<Host>> {
    Ok(Json(service::get_host(&state.db, &current.actor, id).await?))
}

#[utoipa::path(patch, path = "/hosts/{id}", tag = "places", params(("id" = i32, Path)), request_body = HostChanges,
    responses((status = 200, body = Host), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem)))]
async fn update_host(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
    ApiJson(changes): ApiJson<HostChanges>,
) -> AppResult<Json<Host>> {
    Ok(Json(service::update_host(&state.db, &current.actor, id, changes).await?))
}

/// Deletes a host that has no festival.
#[utoipa::path(delete, path = "/hosts/{id}", tag = "places", params(("id" = i32, Path)),
    responses((status = 204), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn delete_host(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
) -> AppResult<StatusCode> {
    service::delete_host(&state.db, &current.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
