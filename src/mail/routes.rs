//! `/api/v1/festivals/{id}/invitations/send`, `/api/v1/messages…` (API.md, *Mail*).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::model::{MailMessage, MessageFilter, SendAccepted, SendInvitations};
use super::service;
use crate::app::AppState;
use crate::auth::extract::CurrentUser;
use crate::error::AppResult;
use crate::list::{Page, PageParams};
use crate::web::extract::{ApiPath, ApiQuery, OptionalJson};
use crate::web::problem::Problem;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(send_invitations))
        .routes(routes!(list_messages))
        .routes(routes!(resend_message))
        .routes(routes!(resend_failed))
}

/// The domain of `MAIL_FROM`, for Message-IDs.
pub(super) fn domain(state: &AppState) -> String {
    state.mail_from.email.domain().to_owned()
}

/// E-mails the invitation (PDF and `invitation.ics`) to every invited participant with an
/// address, or to `participant_ids`; progress on the job (`/api/v1/jobs/{job_id}`).
#[utoipa::path(post, path = "/festivals/{id}/invitations/send", tag = "mail", params(("id" = i32, Path)),
    request_body(content = SendInvitations, description = "Optional"),
    responses((status = 202, body = SendAccepted), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem)))]
async fn send_invitations(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
    OptionalJson(input): OptionalJson<SendInvitations>,
) -> AppResult<(StatusCode, Json<SendAccepted>)> {
    let accepted = service::send_invitations(&state.db, &current.actor, id, input, &domain(&state)).await?;
    state.mail.wake();
    Ok((StatusCode::ACCEPTED, Json(accepted)))
}

/// The mail log of the festivals in scope, newest first.
#[utoipa::path(get, path = "/messages", tag = "mail", params(MessageFilter, PageParams),
    responses((status = 200, body = Page<MailMessage>), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn list_messages(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiQuery(filter): ApiQuery<MessageFilter>,
    ApiQuery(page): ApiQuery<PageParams>,
) -> AppResult<Json<Page<MailMessage>>> {
    Ok(Json(service::list(&state.db, &current.actor, &filter, page.paging()?).await?))
}

/// Sends a failed, withheld, cancelled or sent message again.
#[utoipa::path(post, path = "/messages/{id}/resend", tag = "mail", params(("id" = i32, Path)),
    responses((status = 202, body = MailMessage), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn resend_message(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
) -> AppResult<(StatusCode, Json<MailMessage>)> {
    let message = service::resend(&state.db, &current.actor, id, &domain(&state)).await?;
    state.mail.wake();
    Ok((StatusCode::ACCEPTED, Json(message)))
}

/// How many messages were queued again.
#[derive(Debug, Serialize, ToSchema)]
pub struct Requeued {
    pub requeued: u64,
}

/// Queues every failed message of a festival again.
#[utoipa::path(post, path = "/festivals/{id}/messages/resend-failed", tag = "mail", params(("id" = i32, Path)),
    responses((status = 202, body = Requeued), (status = 404, body = Problem)))]
async fn resend_failed(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
) -> AppResult<(StatusCode, Json<Requeued>)> {
    let requeued = service::resend_failed(&state.db, &current.actor, id).await?;
    state.mail.wake();
    Ok((StatusCode::ACCEPTED, Json(Requeued { requeued })))
}
