//! The pages without login: a festival's public page with its registration form (`/f/{slug}`),
//! and the RSVP page of a personal link (`/r/{token}`).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};

use crate::app::AppState;
use crate::error::{AppError, AppResult};
use crate::festivals::programme;
use crate::participants::model::{NewRegistration, RsvpResponse};
use crate::participants::public;
use crate::web::client_ip::ClientIp;
use crate::web::extract::{ApiPath, ApiQuery};
use crate::web::pages::{PageForm, field_errors, render, render_invalid, see_other};

const FESTIVAL: &str = "festivals/public.html";
const RSVP: &str = "participants/rsvp.html";

/// The registration form as typed; the hidden `website` trap is never sent back.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub(super) struct RegistrationForm {
    full_name: String,
    phone: String,
    email: String,
    #[serde(skip_serializing)]
    website: String,
}

/// The public page's context: the festival, its programme, where registration stands, and
/// the registration form.
async fn festival_page(state: &AppState, slug: &str, form: RegistrationForm) -> AppResult<Value> {
    let (festival, seats) = public::festival_page(&state.db, slug).await?;
    let programme = programme::programme_of(&state.db, festival.id).await?;
    Ok(context! { festival, programme, seats, form })
}

/// What a resident needs to come along, and the form to register, on a phone.
pub(super) async fn festival(State(state): State<AppState>, ApiPath(slug): ApiPath<String>) -> AppResult<Response> {
    render(&state, FESTIVAL, festival_page(&state, &slug, RegistrationForm::default()).await?)
}

/// Registers (rate-limited per address, as the API), then sends the person to their own RSVP
/// page, which shows the seat or waitlist place, the check-in code and the link to keep. When the festival closed or filled up meanwhile,
/// the page says so instead of the form (409).
pub(super) async fn register(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiPath(slug): ApiPath<String>,
    PageForm(form): PageForm<RegistrationForm>,
) -> AppResult<Response> {
    if let Some(limit) = &state.public_rate_limit {
        limit.check(ip)?;
    }
    let input = NewRegistration {
        full_name: form.full_name.clone(),
        phone: Some(form.phone.clone()),
        email: Some(form.email.clone()),
        website: Some(form.website.clone()),
    };
    match public::register(&state.registrations, &state.base_url(), &slug, input).await {
        // To the person's own RSVP page: reloading it cannot register them twice.
        Ok(receipt) => {
            let token = receipt.rsvp_url.rsplit('/').next().unwrap_or_default();
            Ok(see_other(&format!("/r/{token}?registered=1")))
        }
        Err(AppError::Conflict { detail, errors }) if errors.is_empty() => {
            let page = festival_page(&state, &slug, form).await?;
            let page = render(&state, FESTIVAL, context! { refusal => detail, ..page })?;
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(err) => {
            let errors = field_errors(err)?;
            render_invalid(&state, FESTIVAL, festival_page(&state, &slug, form).await?, &errors)
        }
    }
}

/// `?registered=1`: the RSVP page right after registering.
#[derive(Debug, Default, Deserialize)]
pub(super) struct JustRegistered {
    registered: Option<u8>,
}

/// The person's name, the festival and their answer, with the two buttons. Errors: 404.
pub(super) async fn rsvp(
    State(state): State<AppState>,
    ApiPath(token): ApiPath<String>,
    ApiQuery(just): ApiQuery<JustRegistered>,
) -> AppResult<Response> {
    let view = public::rsvp_view(&state.db, &token).await?;
    let link = format!("{}/r/{token}", state.base_url());
    render(&state, RSVP, context! { view, token, link, registered => just.registered.is_some() })
}

/// The button pressed on the RSVP page.
#[derive(Debug, Deserialize)]
pub(super) struct AnswerForm {
    response: RsvpResponse,
}

/// Records the answer and shows where the person now stands (a seat, the waitlist); when the
/// festival is over or full, the page says so (409).
pub(super) async fn answer(
    State(state): State<AppState>,
    ApiPath(token): ApiPath<String>,
    PageForm(form): PageForm<AnswerForm>,
) -> AppResult<Response> {
    match public::answer(&state.db, &token, form.response).await {
        Ok(view) => render(&state, RSVP, context! { view, token, answered => true }),
        Err(AppError::Conflict { detail, .. }) => {
            let view = public::rsvp_view(&state.db, &token).await?;
            let page = render(&state, RSVP, context! { view, token, refusal => detail })?;
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(err) => Err(err),
    }
}
