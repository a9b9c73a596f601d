//! `/api/v1/jobs/{id}…`: progress of background jobs, as JSON and as Server-Sent Events, their
//! cancellation and their file (API.md, *Mail*).

use std::convert::Infallible;
use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::model::Job;
use super::service;
use crate::app::AppState;
use crate::auth::extract::CurrentUser;
use crate::error::AppResult;
use crate::participants::transfer::Download;
use crate::web::extract::ApiPath;
use crate::web::problem::Problem;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_job))
        .routes(routes!(job_events))
        .routes(routes!(cancel_job))
        .routes(routes!(job_file))
}

/// A job's state and progress.
#[utoipa::path(get, path = "/jobs/{id}", tag = "jobs", params(("id" = i32, Path)),
    responses((status = 200, body = Job), (status = 404, body = Problem)))]
async fn get_job(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
) -> AppResult<Json<Job>> {
    Ok(Json(service::get(&state.db, &current.actor, id).await?))
}

/// How often the events stream looks at the job (any instance may be doing it, so the
/// database is where progress is read).
const EVENT_INTERVAL: Duration = Duration::from_millis(500);

/// Progress as Server-Sent Events: a `progress` event (the job as JSON) whenever it changes,
/// the last one when it ends; then the stream closes.
#[utoipa::path(get, path = "/jobs/{id}/events", tag = "jobs", params(("id" = i32, Path)),
    responses((status = 200, description = "`text/event-stream` of `progress` events with the job", content_type = "text/event-stream"),
        (status = 404, body = Problem)))]
async fn job_events(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
) -> AppResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    let first = service::get(&state.db, &current.actor, id).await?;
    let actor = current.actor;
    let stream = futures_util::stream::unfold(Some((first, true)), move |cursor| {
        let (db, actor) = (state.db.clone(), actor.clone());
        async move {
            let (mut job, fresh) = cursor?;
            if !fresh {
                // Wait for a change; a job that vanished ends the stream.
                loop {
                    tokio::time::sleep(EVENT_INTERVAL).await;
                    let now = service::get(&db, &actor, id).await.ok()?;
                    if (now.state, now.done, now.failed, now.withheld)
                        != (job.state, job.done, job.failed, job.withheld)
                    {
                        job = now;
                        break;
                    }
                }
            }
            let event = Event::default().event("progress").json_data(&job).unwrap_or_default();
            let next = (!job.state.is_final()).then_some((job, false));
            Some((Ok(event), next))
        }
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}

/// Stops a queued or running job.
#[utoipa::path(post, path = "/jobs/{id}/cancel", tag = "jobs", params(("id" = i32, Path)),
    responses((status = 200, body = Job), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn cancel_job(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
) -> AppResult<Json<Job>> {
    Ok(Json(service::cancel(&state.db, &current.actor, id).await?))
}

/// The file a finished job made (the PDF of a batch print).
#[utoipa::path(get, path = "/jobs/{id}/file", tag = "jobs", params(("id" = i32, Path)),
    responses((status = 200, description = "The file", content_type = "application/pdf"), (status = 404, body = Problem),
        (status = 409, body = Problem)))]
async fn job_file(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
) -> AppResult<Download> {
    service::file(&state.db, &current.actor, id).await
}
