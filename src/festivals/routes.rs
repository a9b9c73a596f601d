//! `/api/v1/festivals…` and `/api/v1/plans…` (API.md, *Festivals*).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::model::{
    CommitteeMember, Festival, FestivalChanges, FestivalFilter, NewFestival, Plan, PlanInput, ProgrammeItem,
    StatusChange,
};
use super::{plans, programme, service};
use crate::app::AppState;
use crate::auth::extract::CurrentUser;
use crate::error::AppResult;
use crate::list::{Page, PageParams};
use crate::web::extract::{ApiJson, ApiPath, ApiQuery};
use crate::web::problem::Problem;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_festival, list_festivals))
        .routes(routes!(get_festival, update_festival, delete_festival))
        .routes(routes!(change_status))
        .routes(routes!(get_programme, put_programme))
        .routes(routes!(get_committee, put_committee))
        .routes(routes!(get_plan, put_plan))
}

/// Plans a host's festival of a year, with the standard programme pre-filled.
#[utoipa::path(post, path = "/festivals", tag = "festivals", request_body = NewFestival,
    responses((status = 201, body = Festival), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn create_festival(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiJson(input): ApiJson<NewFestival>,
) -> AppResult<(StatusCode, Json<Festival>)> {
    Ok((StatusCode::CREATED, Json(service::create(&state.db, &current.actor, input).await?)))
}

/// Festivals by start time; `unit` takes a province (all its communes) or a commune.
#[utoipa::path(get, path = "/festivals", tag = "festivals", params(FestivalFilter, PageParams),
    responses((status = 200, body = Page<Festival>), (status = 422, body = Problem)))]
async fn list_festivals(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiQuery(filter): ApiQuery<FestivalFilter>,
    ApiQuery(page): ApiQuery<PageParams>,
) -> AppResult<Json<Page<Festival>>> {
    Ok(Json(service::list(&state.db, &current.actor, &filter, page.paging()?).await?))
}

#[utoipa::path(get, path = "/festivals/{id}", tag = "festivals", params(("id" = i32, Path)),
    responses((status = 200, body = Festival), (status = 404, body = Problem)))]
async fn get_festival(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
) -> AppResult<Json<Festival>> {
    Ok(Json(service::get(&state.db, &current.actor, id).await?))
}

#[utoipa::path(patch, path = "/festivals/{id}", tag = "festivals", params(("id" = i32, Path)),
    request_body = FestivalChanges,
    responses((status = 200, body = Festival), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem)))]
async fn update_festival(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
    ApiJson(changes): ApiJson<FestivalChanges>,
) -> AppResult<Json<Festival>> {
    Ok(Json(service::update(&state.db, &current.actor, id, changes).await?))
}

/// Deletes a planned or cancelled festival.
#[utoipa::path(delete, path = "/festivals/{id}", tag = "festivals", params(("id" = i32, Path)),
    responses((status = 204), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn delete_festival(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
) -> AppResult<StatusCode> {
    service::delete(&state.db, &current.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// planned → approved → held → reported; planned or approved → cancelled.
#[utoipa::path(post, path = "/festivals/{id}/status", tag = "festivals", params(("id" = i32, Path)),
    request_body = StatusChange,
    responses((status = 200, body = Festival), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn change_status(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
    ApiJson(change): ApiJson<StatusChange>,
) -> AppResult<Json<Festival>> {
    Ok(Json(service::change_status(&state.db, &current.actor, id, change.status).await?))
}

#[utoipa::path(get, path = "/festivals/{id}/programme", tag = "festivals", params(("id" = i32, Path)),
    responses((status = 200, body = Vec<ProgrammeItem>), (status = 404, body = Problem)))]
async fn get_programme(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
) -> AppResult<Json<Vec<ProgrammeItem>>> {
    Ok(Json(programme::get_programme(&state.db, &current.actor, id).await?))
}

/// Replaces the whole programme (one transaction).
#[utoipa::path(put, path = "/festivals/{id}/programme", tag = "festivals", params(("id" = i32, Path)),
    request_body = Vec<ProgrammeItem>,
    responses((status = 200, body = Vec<ProgrammeItem>), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem)))]
async fn put_programme(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
    ApiJson(items): ApiJson<Vec<ProgrammeItem>>,
) -> AppResult<Json<Vec<ProgrammeItem>>> {
    Ok(Json(programme::put_programme(&state.db, &current.actor, id, items).await?))
}

#[utoipa::path(get, path = "/festivals/{id}/committee", tag = "festivals", params(("id" = i32, Path)),
    responses((status = 200, body = Vec<CommitteeMember>), (status = 404, body = Problem)))]
async fn get_committee(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
) -> AppResult<Json<Vec<CommitteeMember>>> {
    Ok(Json(programme::get_committee(&state.db, &current.actor, id).await?))
}

/// Replaces the whole organizing committee (one transaction).
#[utoipa::path(put, path = "/festivals/{id}/committee", tag = "festivals", params(("id" = i32, Path)),
    request_body = Vec<CommitteeMember>,
    responses((status = 200, body = Vec<CommitteeMember>), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem)))]
async fn put_committee(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
    ApiJson(members): ApiJson<Vec<CommitteeMember>>,
) -> AppResult<Json<Vec<CommitteeMember>>> {
    Ok(Json(programme::put_committee(&state.db, &current.actor, id, members).await?))
}

/// The unit's plan for the year, or the one it inherits (`source`).
#[utoipa::path(get, path = "/plans/{unit_code}/{year}", tag = "festivals",
    params(("unit_code" = String, Path), ("year" = i32, Path)),
    responses((status = 200, body = Plan), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn get_plan(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath((unit_code, year)): ApiPath<(String, i32)>,
) -> AppResult<Json<Plan>> {
    Ok(Json(plans::get_plan(&state.db, &current.actor, &unit_code, year).await?))
}

/// Sets the window in which the unit's festivals are held that year.
#[utoipa::path(put, path = "/plans/{unit_code}/{year}", tag = "festivals",
    params(("unit_code" = String, Path), ("year" = i32, Path)), request_body = PlanInput,
    responses((status = 200, body = Plan), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn put_plan(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath((unit_code, year)): ApiPath<(String, i32)>,
    ApiJson(input): ApiJson<PlanInput>,
) -> AppResult<Json<Plan>> {
    Ok(Json(plans::put_plan(&state.db, &current.actor, &unit_code, year, input).await?))
}
