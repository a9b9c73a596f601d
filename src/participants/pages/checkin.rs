//! The check-in page at the entrance, made for a phone: type the code of an invitation or a
//! registration, scan its QR code (with JavaScript), or find the person by name.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use minijinja::{Value, context};
use serde::Deserialize;

use super::FestivalHead;
use crate::app::AppState;
use crate::auth::extract::CurrentUser;
use crate::auth::model::Actor;
use crate::error::{AppError, AppResult};
use crate::festivals::service as festivals;
use crate::list::Paging;
use crate::participants::model::ParticipantFilter;
use crate::participants::service;
use crate::web::extract::{ApiPath, ApiQuery};
use crate::web::pages::{PageForm, render};

const TEMPLATE: &str = "participants/checkin.html";

/// Most people a name search lists; the entrance wants a short list, not a page of 50.
const SEARCH_LIMIT: u64 = 20;

/// `?q=`: a name (or phone) to look for.
#[derive(Debug, Default, Deserialize)]
pub(super) struct SearchQuery {
    q: Option<String>,
}

/// The code typed or scanned (or of the button next to a name), and the search to show again.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct CheckinForm {
    code: String,
    q: String,
}

/// The page with the counts, `outcome` (the last check-in or why it failed) and, for a search,
/// the people found.
async fn checkin_page(
    state: &AppState,
    actor: &Actor,
    id: i32,
    q: Option<String>,
    status: StatusCode,
    outcome: Value,
) -> AppResult<Response> {
    let (festival, host) = festivals::find(&state.db, actor, id).await?;
    let counts = service::counts_of(&state.db, festival.id, festival.capacity).await?;
    let q = q.filter(|q| !q.trim().is_empty());
    let found = match &q {
        Some(q) => {
            let filter = ParticipantFilter { q: Some(q.clone()), ..ParticipantFilter::default() };
            Some(service::list(&state.db, actor, id, &filter, Paging { page: 1, per_page: SEARCH_LIMIT }).await?)
        }
        None => None,
    };
    let context = context! { festival => FestivalHead::new(&festival, &host), counts, q, found, ..outcome };
    Ok((status, render(state, TEMPLATE, context)?).into_response())
}

/// The page, with the people matching `?q=` when searching by name.
pub(super) async fn show(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
    ApiQuery(query): ApiQuery<SearchQuery>,
) -> AppResult<Response> {
    checkin_page(&state, &current.actor, id, query.q, StatusCode::OK, context! {}).await
}

/// Checks the holder of the code in: a green banner with the name, or a red one saying why not
/// (unknown code 404; already checked in 409, with the first time).
pub(super) async fn check_in(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
    PageForm(form): PageForm<CheckinForm>,
) -> AppResult<Response> {
    let (status, outcome) = if form.code.trim().is_empty() {
        // "Type or scan a check-in code."
        (StatusCode::UNPROCESSABLE_ENTITY, context! { refusal => "Hãy nhập hoặc quét mã điểm danh." })
    } else {
        match service::check_in(&state.db, &current.actor, id, &form.code).await {
            Ok(participant) => (StatusCode::OK, context! { checked => participant }),
            Err(AppError::Conflict { detail, .. }) => (StatusCode::CONFLICT, context! { refusal => detail }),
            Err(AppError::NotFound(detail)) => (StatusCode::NOT_FOUND, context! { refusal => detail }),
            Err(err) => return Err(err),
        }
    };
    checkin_page(&state, &current.actor, id, Some(form.q), status, outcome).await
}
