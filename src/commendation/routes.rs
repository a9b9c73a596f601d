//! `/api/v1/issuers…`, `/models…`, `/nominations…`, `/decisions…` and the public
//! `/verify/{code}` (API.md, *Commendation* and *Documents*).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::decisions::{self, RegisterEntry};
use super::model::{
    ActionInput, Decision, DecisionFilter, Issuer, IssuerChanges, ModelChanges, MovementModel, NewDecision, NewIssuer,
    NewModel, NewNomination, Nomination, NominationAction, NominationChanges, NominationFilter, Revocation, UnitFilter,
    Verification,
};
use super::{issuers, models, nominations, verify};
use crate::app::AppState;
use crate::auth::extract::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::list::{Page, PageParams};
use crate::participants::transfer::ExportFormat;
use crate::printing::routes::pdf_id;
use crate::printing::{self, PrintRequest};
use crate::web::client_ip::ClientIp;
use crate::web::extract::{ApiJson, ApiPath, ApiQuery, OptionalJson};
use crate::web::problem::Problem;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_issuer, list_issuers))
        .routes(routes!(get_issuer, update_issuer))
        .routes(routes!(issuer_register))
        .routes(routes!(create_model, list_models))
        .routes(routes!(get_model, update_model, delete_model))
        .routes(routes!(create_nomination, list_nominations))
        .routes(routes!(get_nomination, update_nomination))
        .routes(routes!(act_on_nomination))
        .routes(routes!(create_decision, list_decisions))
        .routes(routes!(get_decision))
        .routes(routes!(revoke_decision))
}

/// Operations without login.
pub fn public_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(verify_code))
}

/// Registers a body that grants awards (UBND xã, công an xã, …).
#[utoipa::path(post, path = "/issuers", tag = "commendation", request_body = NewIssuer,
    responses((status = 201, body = Issuer), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn create_issuer(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiJson(input): ApiJson<NewIssuer>,
) -> AppResult<(StatusCode, Json<Issuer>)> {
    Ok((StatusCode::CREATED, Json(issuers::create(&state.db, &current.actor, input).await?)))
}

/// Issuers the caller runs or proposes to.
#[utoipa::path(get, path = "/issuers", tag = "commendation", params(UnitFilter, PageParams),
    responses((status = 200, body = Page<Issuer>), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn list_issuers(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiQuery(filter): ApiQuery<UnitFilter>,
    ApiQuery(page): ApiQuery<PageParams>,
) -> AppResult<Json<Page<Issuer>>> {
    let paging = page.paging()?;
    Ok(Json(Page::of(issuers::list(&state.db, &current.actor, &filter).await?, paging)))
}

#[utoipa::path(get, path = "/issuers/{id}", tag = "commendation", params(("id" = i32, Path)),
    responses((status = 200, body = Issuer), (status = 404, body = Problem)))]
async fn get_issuer(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
) -> AppResult<Json<Issuer>> {
    Ok(Json(issuers::get(&state.db, &current.actor, id).await?))
}

#[utoipa::path(patch, path = "/issuers/{id}", tag = "commendation", params(("id" = i32, Path)),
    request_body = IssuerChanges,
    responses((status = 200, body = Issuer), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem)))]
async fn update_issuer(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
    ApiJson(changes): ApiJson<IssuerChanges>,
) -> AppResult<Json<Issuer>> {
    Ok(Json(issuers::update(&state.db, &current.actor, id, changes).await?))
}

/// `GET /issuers/{id}/register` query.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct RegisterQuery {
    /// Calendar year of the decisions.
    year: i32,
    /// Part of a recipient's name or a decision number.
    q: Option<String>,
    /// `xlsx` for a spreadsheet; JSON otherwise.
    format: Option<ExportFormat>,
}

/// The register (sổ khen thưởng) of an issuer for a year, in Vietnamese order; `format=xlsx`
/// downloads it (recorded in the audit log).
#[utoipa::path(get, path = "/issuers/{id}/register", tag = "commendation",
    params(("id" = i32, Path), RegisterQuery, PageParams),
    responses((status = 200, body = Page<RegisterEntry>), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn issuer_register(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
    ApiQuery(query): ApiQuery<RegisterQuery>,
    ApiQuery(page): ApiQuery<PageParams>,
) -> AppResult<Response> {
    match query.format {
        Some(ExportFormat::Xlsx) => {
            Ok(decisions::register_xlsx(&state.db, &current.actor, id, query.year).await?.into_response())
        }
        _ => {
            let paging = page.paging()?;
            let entries = decisions::register(&state.db, &current.actor, id, query.year, query.q.as_deref()).await?;
            Ok(Json(Page::of(entries, paging)).into_response())
        }
    }
}

/// Registers a movement model (mô hình) of a host.
#[utoipa::path(post, path = "/models", tag = "commendation", request_body = NewModel,
    responses((status = 201, body = MovementModel), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn create_model(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiJson(input): ApiJson<NewModel>,
) -> AppResult<(StatusCode, Json<MovementModel>)> {
    Ok((StatusCode::CREATED, Json(models::create(&state.db, &current.actor, input).await?)))
}

/// Models of the hosts of a province or commune (default: the caller's area).
#[utoipa::path(get, path = "/models", tag = "commendation", params(UnitFilter, PageParams),
    responses((status = 200, body = Page<MovementModel>), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn list_models(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiQuery(filter): ApiQuery<UnitFilter>,
    ApiQuery(page): ApiQuery<PageParams>,
) -> AppResult<Json<Page<MovementModel>>> {
    let paging = page.paging()?;
    Ok(Json(Page::of(models::list(&state.db, &current.actor, &filter).await?, paging)))
}

#[utoipa::path(get, path = "/models/{id}", tag = "commendation", params(("id" = i32, Path)),
    responses((status = 200, body = MovementModel), (status = 404, body = Problem)))]
async fn get_model(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
) -> AppResult<Json<MovementModel>> {
    Ok(Json(models::get(&state.db, &current.actor, id).await?))
}

#[utoipa::path(patch, path = "/models/{id}", tag = "commendation", params(("id" = i32, Path)),
    request_body = ModelChanges,
    responses((status = 200, body = MovementModel), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem)))]
async fn update_model(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
    ApiJson(changes): ApiJson<ModelChanges>,
) -> AppResult<Json<MovementModel>> {
    Ok(Json(models::update(&state.db, &current.actor, id, changes).await?))
}

/// Deletes a model no nomination names.
#[utoipa::path(delete, path = "/models/{id}", tag = "commendation", params(("id" = i32, Path)),
    responses((status = 204), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn delete_model(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
) -> AppResult<StatusCode> {
    models::delete(&state.db, &current.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Proposes a collective or an individual for an award; starts as a draft.
#[utoipa::path(post, path = "/nominations", tag = "commendation", request_body = NewNomination,
    responses((status = 201, body = Nomination), (status = 403, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem)))]
async fn create_nomination(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiJson(input): ApiJson<NewNomination>,
) -> AppResult<(StatusCode, Json<Nomination>)> {
    Ok((StatusCode::CREATED, Json(nominations::create(&state.db, &current.actor, input).await?)))
}

/// Nominations the caller proposed or reviews, most recently changed first.
#[utoipa::path(get, path = "/nominations", tag = "commendation", params(NominationFilter, PageParams),
    responses((status = 200, body = Page<Nomination>), (status = 422, body = Problem)))]
async fn list_nominations(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiQuery(filter): ApiQuery<NominationFilter>,
    ApiQuery(page): ApiQuery<PageParams>,
) -> AppResult<Json<Page<Nomination>>> {
    Ok(Json(nominations::list(&state.db, &current.actor, &filter, page.paging()?).await?))
}

#[utoipa::path(get, path = "/nominations/{id}", tag = "commendation", params(("id" = i32, Path)),
    responses((status = 200, body = Nomination), (status = 404, body = Problem)))]
async fn get_nomination(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
) -> AppResult<Json<Nomination>> {
    Ok(Json(nominations::get(&state.db, &current.actor, id).await?))
}

/// Edits a draft.
#[utoipa::path(patch, path = "/nominations/{id}", tag = "commendation", params(("id" = i32, Path)),
    request_body = NominationChanges,
    responses((status = 200, body = Nomination), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem)))]
async fn update_nomination(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
    ApiJson(changes): ApiJson<NominationChanges>,
) -> AppResult<Json<Nomination>> {
    Ok(Json(nominations::update(&state.db, &current.actor, id, changes).await?))
}

/// `submit` (draft → submitted), `return` {reason} (→ draft), `review` {votes_for,
/// votes_against, note} (submitted → reviewed), `approve` (reviewed → approved, not by the
/// submitter), `reject` {reason}. Any other move → 409.
#[utoipa::path(post, path = "/nominations/{id}/{action}", tag = "commendation",
    params(("id" = i32, Path), ("action" = NominationAction, Path)), request_body(content = ActionInput),
    responses((status = 200, body = Nomination), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn act_on_nomination(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath((id, action)): ApiPath<(i32, String)>,
    OptionalJson(input): OptionalJson<ActionInput>,
) -> AppResult<Json<Nomination>> {
    // Any other word is a move the path does not have (API.md: 409), not a missing page.
    let action: NominationAction = serde_json::from_value(serde_json::Value::String(action.clone()))
        .map_err(|_| AppError::state_conflict(format!("Không có thao tác “{action}” với đề nghị khen thưởng.")))?;
    Ok(Json(nominations::act(&state.db, &current.actor, id, action, input).await?))
}

/// Signs a decision for approved nominations of one issuer: number, certificates, register.
#[utoipa::path(post, path = "/decisions", tag = "commendation", request_body = NewDecision,
    responses((status = 201, body = Decision), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn create_decision(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiJson(input): ApiJson<NewDecision>,
) -> AppResult<(StatusCode, Json<Decision>)> {
    Ok((StatusCode::CREATED, Json(decisions::create(&state.db, &current.actor, input).await?)))
}

/// Decisions of the caller's issuers (`q`: a recipient's name or the number).
#[utoipa::path(get, path = "/decisions", tag = "commendation", params(DecisionFilter, PageParams),
    responses((status = 200, body = Page<Decision>), (status = 422, body = Problem)))]
async fn list_decisions(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiQuery(filter): ApiQuery<DecisionFilter>,
    ApiQuery(page): ApiQuery<PageParams>,
) -> AppResult<Json<Page<Decision>>> {
    let paging = page.paging()?;
    Ok(Json(Page::of(decisions::list(&state.db, &current.actor, &filter).await?, paging)))
}

/// A decision as JSON; `/decisions/{id}.pdf` is the decision document itself (quyết định) as
/// PDF (axum's router takes the whole segment, so both arrive here).
#[utoipa::path(get, path = "/decisions/{id}", tag = "commendation",
    params(("id" = String, Path, description = "`{id}` for JSON, `{id}.pdf` for the PDF")),
    responses((status = 200, body = Decision), (status = 200, description = "The PDF", content_type = "application/pdf"),
        (status = 404, body = Problem)))]
async fn get_decision(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(segment): ApiPath<String>,
) -> AppResult<Response> {
    if segment.ends_with(".pdf") {
        let request = PrintRequest::Decision { decision_id: pdf_id(&segment)? };
        return Ok(printing::print(&state, &current.actor, request, false).await?.into_response());
    }
    // "No decision number …"
    let id = segment.parse().map_err(|_| AppError::not_found(format!("Không tìm thấy quyết định số {segment}.")))?;
    Ok(Json(decisions::get(&state.db, &current.actor, id).await?).into_response())
}

/// Revokes a decision; its certificates become invalid and its numbers are not reused.
#[utoipa::path(post, path = "/decisions/{id}/revoke", tag = "commendation", params(("id" = i32, Path)),
    request_body = Revocation,
    responses((status = 200, body = Decision), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn revoke_decision(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
    ApiJson(input): ApiJson<Revocation>,
) -> AppResult<Json<Decision>> {
    Ok(Json(decisions::revoke(&state.db, &current.actor, id, input).await?))
}

/// Checks a certificate (its verification code) or an invitation (its check-in code): valid
/// or revoked, to whom, what. Nothing personal beyond the printed name. Rate-limited per
/// address (`PUBLIC_RATE_LIMIT` a minute).
#[utoipa::path(get, path = "/verify/{code}", tag = "commendation", security(()), params(("code" = String, Path)),
    responses((status = 200, body = Verification), (status = 404, body = Problem), (status = 429, body = Problem)))]
async fn verify_code(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiPath(code): ApiPath<String>,
) -> AppResult<Json<Verification>> {
    if let Some(limit) = &state.public_rate_limit {
        limit.check(ip)?;
    }
    Ok(Json(verify::verify(&state.db, &code).await?))
}
