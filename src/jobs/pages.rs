//! `/jobs/{id}`: a background job's page, with its progress (followed live from the events
//! stream by `app.js`, or by reloading without JavaScript), its file once done, and a cancel
//! button while it runs. It can be left and opened again; the festival's page lists its jobs.

use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use minijinja::context;
use serde::Serialize;

use super::model::Job;
use super::service;
use crate::app::AppState;
use crate::auth::extract::CurrentUser;
use crate::auth::model::Actor;
use crate::commendation::decisions;
use crate::error::AppResult;
use crate::festivals::service as festivals;
use crate::web::extract::{ApiPath, ApiQuery};
use crate::web::pages::{Flash, render, see_other};

/// The back-office job pages; they need a login.
pub fn router() -> Router<AppState> {
    Router::new().route("/jobs/{id}", get(show)).route("/jobs/{id}/cancel", post(cancel))
}

/// What a job is about, for the way back to it.
#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum About {
    Festival { id: i32, host_name: String, year: i32 },
    Decision { id: i32, number: String },
}

/// The festival or decision of `job`, if it has one.
async fn about(state: &AppState, actor: &Actor, job: &Job) -> AppResult<Option<About>> {
    Ok(match (job.festival_id, job.decision_id) {
        (Some(id), _) => {
            let (festival, host) = festivals::find(&state.db, actor, id).await?;
            Some(About::Festival { id, host_name: host.name, year: festival.year })
        }
        (None, Some(id)) => {
            let (decision, _) = decisions::find(&state.db, actor, id).await?;
            Some(About::Decision { id, number: decision.number })
        }
        (None, None) => None,
    })
}

/// The job's page, after a redirect with `?msg=queued` or `?msg=cancelled`.
async fn show(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
    ApiQuery(flash): ApiQuery<Flash>,
) -> AppResult<Response> {
    let job = service::get(&state.db, &current.actor, id).await?;
    let about = about(&state, &current.actor, &job).await?;
    let finished = job.state.is_final();
    render(&state, "jobs/show.html", context! { job, about, finished, notice => flash.msg })
}

/// Stops the job; one that already ended says so on the error page (409).
async fn cancel(State(state): State<AppState>, current: CurrentUser, ApiPath(id): ApiPath<i32>) -> AppResult<Response> {
    service::cancel(&state.db, &current.actor, id).await?;
    Ok(see_other(&format!("/jobs/{id}?msg=cancelled")))
}
