//! The PDF routes of API.md, *Documents*: invitations, certificates, and print jobs for
//! batches. (`/decisions/{id}.pdf` shares its route with the decision's JSON, in
//! `commendation::routes`.)

use axum::extract::State;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{PrintRequest, Printed, print};
use crate::app::AppState;
use crate::auth::extract::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::jobs::model::Job;
use crate::web::extract::{ApiPath, ApiQuery, OptionalJson};
use crate::web::problem::Problem;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(participant_invitation))
        .routes(routes!(festival_invitations))
        .routes(routes!(print_festival_invitations))
        .routes(routes!(certificate_pdf))
        .routes(routes!(decision_certificates))
        .routes(routes!(print_decision_certificates))
        .routes(routes!(blank_sample))
}

/// The id of a `{id}.pdf` path segment. Errors: 404 for anything else.
pub fn pdf_id(segment: &str) -> AppResult<i32> {
    // "No such document."
    segment
        .strip_suffix(".pdf")
        .and_then(|id| id.parse().ok())
        .ok_or_else(|| AppError::not_found("Không có giấy tờ này."))
}

/// `?blank=true`: only the variable fields, for pre-printed certificate blanks (phôi).
#[derive(Debug, Default, Deserialize, IntoParams, ToSchema)]
#[into_params(parameter_in = Query)]
pub struct PaperQuery {
    #[serde(default)]
    pub blank: bool,
}

/// One participant's invitation (giấy mời), A4 portrait. The first print gives it its number
/// `NN/GM-{symbol}` and RSVP link; reprints are the same document.
#[utoipa::path(get, path = "/participants/{id}/invitation.pdf", tag = "documents", params(("id" = i32, Path)),
    responses((status = 200, description = "The PDF", content_type = "application/pdf"), (status = 404, body = Problem),
        (status = 409, body = Problem)))]
async fn participant_invitation(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
) -> AppResult<Printed> {
    print(&state, &current.actor, PrintRequest::Invitation { participant_id: id }, false).await
}

/// The invitations of every invited participant, one page each, in Vietnamese name order.
/// From 1,000 pages on, answers 202 with a print job to follow (`/api/v1/jobs/{id}`).
#[utoipa::path(get, path = "/festivals/{id}/invitations.pdf", tag = "documents", params(("id" = i32, Path)),
    responses((status = 200, description = "The PDF", content_type = "application/pdf"), (status = 202, body = Job),
        (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn festival_invitations(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
) -> AppResult<Printed> {
    print(&state, &current.actor, PrintRequest::Invitations { festival_id: id }, false).await
}

/// Queues the festival's invitations as a print job, whatever their number.
#[utoipa::path(post, path = "/festivals/{id}/invitations/print", tag = "documents", params(("id" = i32, Path)),
    responses((status = 202, body = Job), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn print_festival_invitations(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
) -> AppResult<Printed> {
    print(&state, &current.actor, PrintRequest::Invitations { festival_id: id }, true).await
}

/// One certificate (giấy khen) as PDF, A4 landscape, with its verification QR code. The path
/// is `/certificates/{id}.pdf` (axum's router takes the whole segment, `{id}.pdf`, as `file`).
#[utoipa::path(get, path = "/certificates/{file}", tag = "documents",
    params(("file" = String, Path, description = "`{id}.pdf`"), PaperQuery),
    responses((status = 200, description = "The PDF", content_type = "application/pdf"), (status = 404, body = Problem),
        (status = 409, body = Problem)))]
async fn certificate_pdf(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(file): ApiPath<String>,
    ApiQuery(paper): ApiQuery<PaperQuery>,
) -> AppResult<Printed> {
    let request = PrintRequest::Certificate { certificate_id: pdf_id(&file)?, blank: paper.blank };
    print(&state, &current.actor, request, false).await
}

/// Every certificate of a decision, a page each, in register order. From 1,000 pages on,
/// answers 202 with a print job to follow.
#[utoipa::path(get, path = "/decisions/{id}/certificates.pdf", tag = "documents", params(("id" = i32, Path), PaperQuery),
    responses((status = 200, description = "The PDF", content_type = "application/pdf"), (status = 202, body = Job),
        (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn decision_certificates(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
    ApiQuery(paper): ApiQuery<PaperQuery>,
) -> AppResult<Printed> {
    print(&state, &current.actor, PrintRequest::Certificates { decision_id: id, blank: paper.blank }, false).await
}

/// Queues the certificates of a decision as a print job, whatever their number; body
/// `{"blank": true}` for pre-printed blanks.
#[utoipa::path(post, path = "/decisions/{id}/certificates/print", tag = "documents", params(("id" = i32, Path)),
    request_body(content = PaperQuery, description = "Optional"),
    responses((status = 202, body = Job), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn print_decision_certificates(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
    OptionalJson(paper): OptionalJson<PaperQuery>,
) -> AppResult<Printed> {
    print(&state, &current.actor, PrintRequest::Certificates { decision_id: id, blank: paper.blank }, true).await
}

/// A made-up certificate on the issuer's pre-printed blanks (phôi), at its positions
/// (`blank_layout`): printed on one blank to check them before the real ones.
#[utoipa::path(get, path = "/issuers/{id}/blank-sample.pdf", tag = "documents", params(("id" = i32, Path)),
    responses((status = 200, description = "The PDF", content_type = "application/pdf"), (status = 404, body = Problem)))]
async fn blank_sample(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
) -> AppResult<Printed> {
    print(&state, &current.actor, PrintRequest::BlankSample { issuer_id: id }, false).await
}
