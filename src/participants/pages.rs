//! HTML pages for the people of a festival (API.md, *Pages*): the participant list, the add and
//! edit forms, spreadsheet import, the phone-first check-in page, and the two pages without
//! login, a festival's public page with its registration form (`/f/{slug}`) and the RSVP page
//! (`/r/{token}`). Vietnamese, server-rendered, working without JavaScript; they call the same
//! service functions as the API.

mod checkin;
mod edit;
mod import;
mod public;

use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use chrono::Utc;
use minijinja::context;
use serde::{Deserialize, Serialize};

use super::model::ParticipantFilter;
use super::service;
use crate::app::AppState;
use crate::auth::extract::CurrentUser;
use crate::entities::{festival, host};
use crate::error::AppResult;
use crate::festivals::service as festivals;
use crate::reports::conflicts::{ConflictQuery, conflicts};
use crate::web::extract::{ApiPath, ApiQuery};
use crate::web::pages::{PageNumber, Pager, render};

/// The back-office pages; they need a login.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/festivals/{id}/participants", get(list_participants).post(edit::create))
        .route("/festivals/{id}/participants/new", get(edit::new))
        .route("/festivals/{id}/participants/import", get(import::show).post(import::upload))
        .route("/festivals/{id}/checkin", get(checkin::show).post(checkin::check_in))
        .route("/participants/{id}/edit", get(edit::edit).post(edit::update))
        .route("/participants/{id}/delete", post(edit::delete))
        .route("/participants/{id}/rsvp-link", post(edit::rsvp_link))
}

/// Pages anyone may open: a festival's public page with its registration form, and RSVP links.
pub fn public_router() -> Router<AppState> {
    Router::new()
        .route("/f/{slug}", get(public::festival).post(public::register))
        .route("/r/{token}", get(public::rsvp).post(public::answer))
}

/// What the back-office participant pages show of their festival: its name and the way back.
#[derive(Debug, Serialize)]
struct FestivalHead {
    id: i32,
    title: String,
    host_name: String,
    /// Participants can be added, changed and removed until the festival is reported or cancelled.
    editable: bool,
    /// Invitations print once the festival has their issuer, until it is cancelled or over
    /// (the rule printing applies, [`super::public::finished`]).
    invitations: bool,
}

impl FestivalHead {
    fn new(festival: &festival::Model, host: &host::Model) -> Self {
        Self {
            id: festival.id,
            title: festival.title.clone(),
            host_name: host.name.clone(),
            editable: festival.status.is_editable(),
            invitations: festival.issuer_id.is_some() && super::public::finished(festival, Utc::now()).is_none(),
        }
    }
}

/// `?msg=` and `?imported=` after a redirect to the list.
#[derive(Debug, Default, Deserialize)]
struct ListNotice {
    msg: Option<String>,
    /// How many people an upload just added.
    imported: Option<u64>,
}

/// The participants in Vietnamese order, 50 a page, with search (accent-insensitive) and filters.
async fn list_participants(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
    ApiQuery(filter): ApiQuery<ParticipantFilter>,
    ApiQuery(number): ApiQuery<PageNumber>,
    ApiQuery(notice): ApiQuery<ListNotice>,
) -> AppResult<Response> {
    let paging = number.paging()?;
    let (festival, host) = festivals::find(&state.db, &current.actor, id).await?;
    let participants = service::list(&state.db, &current.actor, id, &filter, paging).await?;
    let pager = Pager::new(&format!("/festivals/{id}/participants"), &filter, paging, participants.total)?;
    // Leaders of this festival also invited, within the officer's area, to another one too close.
    let query = ConflictQuery { year: festival.year, unit: None, gap_minutes: None };
    let clashes: Vec<_> = conflicts(&state.db, &current.actor, &query)
        .await?
        .into_iter()
        .filter(|clash| clash.festivals.iter().any(|other| other.festival_id == id))
        .collect();
    let context = context! {
        festival => FestivalHead::new(&festival, &host),
        filter, participants, pager, clashes, notice => notice.msg, imported => notice.imported,
    };
    render(&state, "participants/list.html", context)
}
