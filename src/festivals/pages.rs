//! HTML pages for festivals (`/festivals…`) and yearly plans (`/plans`). Vietnamese,
//! server-rendered, working without JavaScript; they call the same service functions as the API.
//! The public page of a festival carries the registration form: it lives with the participants.

mod edit;
mod lists;
mod plans;
mod report;

use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use chrono::Utc;
use minijinja::{Value, context};
use sea_orm::Iterable;
use serde::{Deserialize, Serialize};

use super::model::{FestivalFilter, FestivalStatus};
use super::{programme, service};
use crate::app::AppState;
use crate::areas::pages::UnitChoice;
use crate::auth::extract::CurrentUser;
use crate::auth::model::Actor;
use crate::commendation::issuers;
use crate::error::AppResult;
use crate::jobs::service as jobs;
use crate::participants::service as participant_service;
use crate::reports::summary;
use crate::time::local_year;
use crate::web::extract::{ApiPath, ApiQuery};
use crate::web::pages::{Flash, PageForm, PageNumber, Pager, render, see_other};

/// `/`, `/festivals…` and `/plans`, the back-office pages; they need a login.
pub fn router() -> Router<AppState> {
    Router::new()
        // The dashboard of the user's scope comes with accounts; until then, the festivals.
        .route("/", get(|| async { see_other("/festivals") }))
        .route("/festivals", get(list_festivals).post(edit::create))
        .route("/festivals/new", get(edit::new))
        .route("/festivals/{id}", get(show_festival))
        .route("/festivals/{id}/edit", get(edit::edit).post(edit::update))
        .route("/festivals/{id}/programme", get(lists::show::<lists::Programme>).post(lists::save::<lists::Programme>))
        .route("/festivals/{id}/committee", get(lists::show::<lists::Committee>).post(lists::save::<lists::Committee>))
        .route("/festivals/{id}/status", post(change_status))
        .route("/festivals/{id}/report", get(report::show).post(report::save))
        .route("/festivals/{id}/delete", post(delete_festival))
        .route("/plans", get(plans::show).post(plans::save))
}

/// The years a year `<select>` offers: three back, one ahead, and `selected` if elsewhere.
pub(crate) fn year_options(selected: Option<i32>) -> Vec<i32> {
    let this_year = local_year(Utc::now());
    let mut years: Vec<i32> = (this_year - 3..=this_year + 1).rev().collect();
    if let Some(year) = selected.filter(|year| !years.contains(year)) {
        years.push(year);
        years.sort_unstable_by(|a, b| b.cmp(a));
    }
    years
}

/// `/festivals` filters.
#[derive(Debug, Default, Deserialize, Serialize)]
struct ListQuery {
    year: Option<i32>,
    province: Option<String>,
    commune: Option<String>,
    status: Option<FestivalStatus>,
    q: Option<String>,
}

async fn list_festivals(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiQuery(query): ApiQuery<ListQuery>,
    ApiQuery(number): ApiQuery<PageNumber>,
    ApiQuery(flash): ApiQuery<Flash>,
) -> AppResult<Response> {
    let paging = number.paging()?;
    let units =
        UnitChoice::load(&state.db, &current.actor, query.province.as_deref(), query.commune.as_deref()).await?;
    let filter = FestivalFilter {
        year: query.year,
        unit: units.unit().map(str::to_owned),
        status: query.status,
        host: None,
        q: query.q.clone(),
        ..FestivalFilter::default()
    };
    let festivals = service::list(&state.db, &current.actor, &filter, paging).await?;
    let pager = Pager::new("/festivals", &query, paging, festivals.total)?;
    let years = year_options(query.year);
    render(&state, "festivals/list.html", context! { query, units, years, festivals, pager, msg => flash.msg })
}

/// The festival's page, after a redirect with `?msg=`.
async fn show_festival(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
    ApiQuery(flash): ApiQuery<Flash>,
) -> AppResult<Response> {
    let page = festival_page(&state, &current.actor, id).await?;
    render(&state, FESTIVAL_PAGE, context! { msg => flash.msg, ..page })
}

/// The template of a festival's page, which forms posted from it render again when refused.
pub const FESTIVAL_PAGE: &str = "festivals/show.html";

/// The context of [`FESTIVAL_PAGE`]: details, programme, committee, participant counts,
/// invitations with their print and sending jobs, and the actions the festival's status allows.
/// Errors: 404.
pub async fn festival_page(state: &AppState, actor: &Actor, id: i32) -> AppResult<Value> {
    let festival = service::get(&state.db, actor, id).await?;
    // `get` checked the scope: the counts and lists need no second look-up of the festival.
    let participants = participant_service::counts_of(&state.db, id, festival.capacity).await?;
    let programme = programme::programme_of(&state.db, id).await?;
    let committee = programme::committee_of(&state.db, id).await?;
    let issuer = match festival.issuer_id {
        Some(issuer_id) => Some(issuers::get(&state.db, actor, issuer_id).await?),
        None => None,
    };
    let first_invited = participant_service::first_invited(&state.db, id).await?;
    let report = summary::of_festival(&state.db, id).await?;
    let jobs = jobs::of_festival(&state.db, actor, id).await?;
    let next_statuses: Vec<FestivalStatus> =
        FestivalStatus::iter().filter(|next| festival.status.can_become(*next)).collect();
    // Past its end, the public page takes no registrations, whatever the status says.
    let over = festival.ends_at <= Utc::now();
    Ok(context! {
        over,
        editable => festival.status.is_editable(),
        deletable => festival.status.is_deletable(),
        festival, programme, committee, participants, issuer, first_invited, jobs, next_statuses, report,
    })
}

/// The status buttons' form.
#[derive(Debug, Deserialize)]
struct StatusForm {
    status: FestivalStatus,
}

async fn change_status(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
    PageForm(form): PageForm<StatusForm>,
) -> AppResult<Response> {
    service::change_status(&state.db, &current.actor, id, form.status).await?;
    Ok(see_other(&format!("/festivals/{id}?msg=status")))
}

async fn delete_festival(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
) -> AppResult<Response> {
    service::delete(&state.db, &current.actor, id).await?;
    Ok(see_other("/festivals?msg=deleted"))
}
