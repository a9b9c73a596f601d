//! `/api/v1/…participants…`, check-ins, public registration and RSVP (API.md, *People*).

use axum::Json;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::model::{
    CheckinRequest, NewParticipant, NewRegistration, Participant, ParticipantChanges, ParticipantCounts,
    ParticipantFilter, RegistrationReceipt, RsvpAnswer, RsvpView,
};
use super::public::{self, RsvpLink};
use super::service;
use super::transfer::{self, Download, ExportQuery, ImportReport};
use crate::app::AppState;
use crate::auth::extract::CurrentUser;
use crate::error::AppResult;
use crate::list::{Page, PageParams};
use crate::web::client_ip::ClientIp;
use crate::web::extract::{ApiJson, ApiPath, ApiQuery, uploaded_file};
use crate::web::problem::Problem;

/// Operations for logged-in organizers.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_participant, list_participants))
        .routes(routes!(participant_counts))
        .routes(routes!(import_participants))
        .routes(routes!(export_participants))
        .routes(routes!(import_template))
        .routes(routes!(get_participant, update_participant, delete_participant))
        .routes(routes!(new_rsvp_link))
        .routes(routes!(check_in))
        .routes(routes!(undo_check_in))
}

/// Operations without login: public registration and RSVP.
pub fn public_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(register)).routes(routes!(get_rsvp, answer_rsvp))
}

impl IntoResponse for Download {
    fn into_response(self) -> Response {
        let disposition = format!("attachment; filename=\"{}\"", self.filename);
        ([(header::CONTENT_TYPE, self.content_type.to_owned()), (header::CONTENT_DISPOSITION, disposition)], self.bytes)
            .into_response()
    }
}

/// Adds a participant; text is cleaned, phone and CCCD normalized, soft problems in `warnings`.
#[utoipa::path(post, path = "/festivals/{id}/participants", tag = "people", params(("id" = i32, Path)),
    request_body = NewParticipant,
    responses((status = 201, body = Participant), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem)))]
async fn create_participant(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
    ApiJson(input): ApiJson<NewParticipant>,
) -> AppResult<(StatusCode, Json<Participant>)> {
    Ok((StatusCode::CREATED, Json(service::create(&state.db, &current.actor, id, input).await?)))
}

/// Participants; `sort=name` (default) is Vietnamese order: given, middle, family name.
#[utoipa::path(get, path = "/festivals/{id}/participants", tag = "people",
    params(("id" = i32, Path), ParticipantFilter, PageParams),
    responses((status = 200, body = Page<Participant>), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn list_participants(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
    ApiQuery(filter): ApiQuery<ParticipantFilter>,
    ApiQuery(page): ApiQuery<PageParams>,
) -> AppResult<Json<Page<Participant>>> {
    Ok(Json(service::list(&state.db, &current.actor, id, &filter, page.paging()?).await?))
}

/// Live counts: registered, waitlisted, answered, checked in.
#[utoipa::path(get, path = "/festivals/{id}/participants/counts", tag = "people", params(("id" = i32, Path)),
    responses((status = 200, body = ParticipantCounts), (status = 404, body = Problem)))]
async fn participant_counts(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
) -> AppResult<Json<ParticipantCounts>> {
    Ok(Json(service::counts(&state.db, &current.actor, id).await?))
}

/// Imports CSV or XLSX (multipart field `file`): every row or none.
#[utoipa::path(post, path = "/festivals/{id}/participants/import", tag = "people", params(("id" = i32, Path)),
    request_body(content_type = "multipart/form-data", description = "Field `file`: a .csv or .xlsx sheet"),
    responses((status = 200, body = ImportReport), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 415, body = Problem), (status = 422, body = Problem, description = "`errors[].row` = sheet line")))]
async fn import_participants(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<Json<ImportReport>> {
    let bytes = uploaded_file(multipart).await?;
    Ok(Json(transfer::import(&state.db, &current.actor, id, &bytes).await?))
}

/// Every participant in Vietnamese order as XLSX (default) or CSV; recorded in the audit log.
#[utoipa::path(get, path = "/festivals/{id}/participants/export", tag = "people",
    params(("id" = i32, Path), ExportQuery),
    responses((status = 200, description = "The file", content_type = "application/octet-stream"),
        (status = 404, body = Problem)))]
async fn export_participants(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
    ApiQuery(query): ApiQuery<ExportQuery>,
) -> AppResult<Download> {
    transfer::export(&state.db, &current.actor, id, query.format.unwrap_or_default()).await
}

/// The empty XLSX template for imports, with the expected headings.
#[utoipa::path(get, path = "/participants/import-template.xlsx", tag = "people",
    responses((status = 200, description = "The template", content_type = "application/octet-stream")))]
async fn import_template(_current: CurrentUser) -> AppResult<Download> {
    transfer::template()
}

#[utoipa::path(get, path = "/participants/{id}", tag = "people", params(("id" = i32, Path)),
    responses((status = 200, body = Participant), (status = 404, body = Problem)))]
async fn get_participant(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
) -> AppResult<Json<Participant>> {
    Ok(Json(service::get(&state.db, &current.actor, id).await?))
}

/// Changes details; absent fields stay, an empty string clears an optional one.
#[utoipa::path(patch, path = "/participants/{id}", tag = "people", params(("id" = i32, Path)),
    request_body = ParticipantChanges,
    responses((status = 200, body = Participant), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem)))]
async fn update_participant(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
    ApiJson(changes): ApiJson<ParticipantChanges>,
) -> AppResult<Json<Participant>> {
    Ok(Json(service::update(&state.db, &current.actor, id, changes).await?))
}

/// Removes a participant; a freed seat goes to the first on the waitlist.
#[utoipa::path(delete, path = "/participants/{id}", tag = "people", params(("id" = i32, Path)),
    responses((status = 204), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn delete_participant(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
) -> AppResult<StatusCode> {
    service::delete(&state.db, &current.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A new RSVP link to pass on (the previous one stops working).
#[utoipa::path(post, path = "/participants/{id}/rsvp-link", tag = "people", params(("id" = i32, Path)),
    responses((status = 200, body = RsvpLink), (status = 404, body = Problem)))]
async fn new_rsvp_link(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
) -> AppResult<Json<RsvpLink>> {
    Ok(Json(public::new_rsvp_link(&state.db, &current.actor, id, &state.base_url()).await?))
}

/// Checks a guest in by the code of their invitation's QR (or typed); only once.
#[utoipa::path(post, path = "/festivals/{id}/checkins", tag = "people", params(("id" = i32, Path)),
    request_body = CheckinRequest,
    responses((status = 200, body = Participant), (status = 404, body = Problem),
        (status = 409, body = Problem, description = "Already checked in; `detail` gives the first time")))]
async fn check_in(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
    ApiJson(request): ApiJson<CheckinRequest>,
) -> AppResult<Json<Participant>> {
    Ok(Json(service::check_in(&state.db, &current.actor, id, &request.code).await?))
}

/// Takes back a check-in made by mistake.
#[utoipa::path(delete, path = "/participants/{id}/checkin", tag = "people", params(("id" = i32, Path)),
    responses((status = 200, body = Participant), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn undo_check_in(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
) -> AppResult<Json<Participant>> {
    Ok(Json(service::undo_check_in(&state.db, &current.actor, id).await?))
}

/// Public self-registration (no login): a seat, or the waitlist when full. Rate-limited per
/// address (`PUBLIC_RATE_LIMIT` a minute).
#[utoipa::path(post, path = "/public/festivals/{slug}/registrations", tag = "people", security(()),
    params(("slug" = String, Path)), request_body = NewRegistration,
    responses((status = 201, body = RegistrationReceipt), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem), (status = 429, body = Problem)))]
async fn register(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiPath(slug): ApiPath<String>,
    ApiJson(input): ApiJson<NewRegistration>,
) -> AppResult<(StatusCode, Json<RegistrationReceipt>)> {
    if let Some(limit) = &state.public_rate_limit {
        limit.check(ip)?;
    }
    Ok((StatusCode::CREATED, Json(public::register(&state.registrations, &state.base_url(), &slug, input).await?)))
}

/// What an RSVP link is about: the person's name and the festival.
#[utoipa::path(get, path = "/rsvp/{token}", tag = "people", security(()), params(("token" = String, Path)),
    responses((status = 200, body = RsvpView), (status = 404, body = Problem)))]
async fn get_rsvp(State(state): State<AppState>, ApiPath(token): ApiPath<String>) -> AppResult<Json<RsvpView>> {
    Ok(Json(public::rsvp_view(&state.db, &token).await?))
}

/// Accepts or declines; declining frees a registrant's seat for the waitlist.
#[utoipa::path(post, path = "/rsvp/{token}", tag = "people", security(()), params(("token" = String, Path)),
    request_body = RsvpAnswer,
    responses((status = 200, body = RsvpView), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn answer_rsvp(
    State(state): State<AppState>,
    ApiPath(token): ApiPath<String>,
    ApiJson(answer): ApiJson<RsvpAnswer>,
) -> AppResult<Json<RsvpView>> {
    Ok(Json(public::answer(&state.db, &token, answer.response).await?))
}
