//! The print buttons of the festival and decision pages: a small batch opens as a PDF, a large
//! one becomes a print job whose page follows its progress.

use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::post;

use super::routes::PaperQuery;
use super::{PrintRequest, queue};
use crate::app::AppState;
use crate::auth::extract::CurrentUser;
use crate::auth::model::Actor;
use crate::error::AppResult;
use crate::web::extract::ApiPath;
use crate::web::pages::{PageForm, see_other};

/// The back-office print forms; they need a login.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/festivals/{id}/invitations/print", post(print_invitations))
        .route("/decisions/{id}/certificates/print", post(print_certificates))
}

/// Every invitation of the festival.
async fn print_invitations(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
) -> AppResult<Response> {
    start(&state, &current.actor, PrintRequest::Invitations { festival_id: id }).await
}

/// Every certificate of the decision; `blank=true` for pre-printed blanks.
async fn print_certificates(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
    PageForm(paper): PageForm<PaperQuery>,
) -> AppResult<Response> {
    start(&state, &current.actor, PrintRequest::Certificates { decision_id: id, blank: paper.blank }).await
}

/// Queues a large batch and opens its job page; sends the browser to the PDF of a small one,
/// drawn when the browser asks for it, so only once. Errors: 404, 409 as printing would (no
/// issuer, nobody invited, a revoked decision), on the error page.
async fn start(state: &AppState, actor: &Actor, request: PrintRequest) -> AppResult<Response> {
    Ok(match queue(state, actor, request, false).await? {
        Some(job) => see_other(&format!("/jobs/{}?msg=queued", job.id)),
        None => see_other(&request.pdf_url()),
    })
}
