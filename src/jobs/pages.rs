//! `/jobs`: the background jobs the officer may see, newest first; `/jobs/{id}`: one job's
//! page, with its progress (followed live from the events stream by `app.js`, or by reloading
//! without JavaScript), its file once done, and a cancel button while it runs. A job can be
//! left and opened again from the list, or from its festival's or decision's page.

use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use minijinja::context;

use super::service;
use crate::app::AppState;
use crate::auth::extract::CurrentUser;
use crate::error::AppResult;
use crate::web::extract::{ApiPath, ApiQuery};
use crate::web::pages::{Flash, PageNumber, Pager, render, see_other};

/// The back-office job pages; they need a login.
pub fn router() -> Router<AppState> {
    Router::new().route("/jobs", get(list)).route("/jobs/{id}", get(show)).route("/jobs/{id}/cancel", post(cancel))
}

/// The jobs of the officer's scope (printing, mailing), newest first, 50 a page.
async fn list(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiQuery(number): ApiQuery<PageNumber>,
) -> AppResult<Response> {
    let paging = number.paging()?;
    let jobs = service::list(&state.db, &current.actor, paging).await?;
    let pager = Pager::new("/jobs", &(), paging, jobs.total)?;
    render(&state, "jobs/list.html", context! { jobs, pager })
}

/// The job's page, after a redirect with `?msg=queued` or `?msg=cancelled`.
async fn show(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
    ApiQuery(flash): ApiQuery<Flash>,
) -> AppResult<Response> {
    let listing = service::listing(&state.db, &current.actor, id).await?;
    let finished = listing.job.state.is_final();
    let (handled, percent) = (listing.handled, listing.percent);
    let context =
        context! { job => listing.job, about => listing.about, handled, percent, finished, notice => flash.msg };
    render(&state, "jobs/show.html", context)
}

/// Stops the job; one that already ended says so on the error page (409).
async fn cancel(State(state): State<AppState>, current: CurrentUser, ApiPath(id): ApiPath<i32>) -> AppResult<Response> {
    service::cancel(&state.db, &current.actor, id).await?;
    Ok(see_other(&format!("/jobs/{id}?msg=cancelled")))
}
