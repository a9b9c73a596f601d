//! HTML pages for commendation (API.md, *Commendation* and *Pages*): issuers and their
//! register, movement models, nominations from the proposal to the council's vote and the
//! approval, decisions with their certificates and revocation, and the public verification
//! page of a printed code (`/verify/{code}`). Vietnamese, server-rendered, working without
//! JavaScript; they call the same service functions as the API.

mod blank;
mod council;
mod decisions;
mod issuers;
mod models;
mod nominations;
mod proposal;
mod verify;

use axum::Router;
use axum::routing::{get, post};

use super::issuers::find_to_manage;
use crate::app::AppState;
use crate::auth::model::{Actor, Scope};
use crate::error::{AppError, AppResult, FieldError};

/// The back-office pages; they need a login.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/issuers", get(issuers::list).post(issuers::create))
        .route("/issuers/new", get(issuers::new))
        .route("/issuers/{id}", get(issuers::show).post(issuers::update))
        .route("/issuers/{id}/register", get(issuers::register))
        .route("/issuers/{id}/blank", get(blank::show).post(blank::save))
        .route("/issuers/{id}/blank/reset", post(blank::reset))
        .route("/issuers/{id}/council", get(council::show))
        .route("/issuers/{id}/council/review", post(council::review))
        .route("/issuers/{id}/council/approve", post(council::approve))
        .route("/issuers/{id}/council/decide", post(council::decide))
        .route("/models", get(models::list).post(models::create))
        .route("/models/new", get(models::new))
        .route("/models/{id}", get(models::show).post(models::update))
        .route("/models/{id}/delete", post(models::delete))
        .route("/nominations", get(nominations::list).post(proposal::create))
        .route("/nominations/new", get(proposal::new))
        .route("/nominations/{id}", get(nominations::show).post(nominations::update))
        .route("/nominations/{id}/{action}", post(nominations::act))
        .route("/decisions", get(decisions::list))
        .route("/decisions/{id}", get(decisions::show))
        .route("/decisions/{id}/revoke", post(decisions::revoke))
}

/// The page anyone may open: what a certificate's or invitation's code stands for.
pub fn public_router() -> Router<AppState> {
    Router::new().route("/verify/{code}", get(verify::show))
}

/// Whether the officer runs the issuer (a commune officer or higher whose scope holds it): they
/// review, approve, decide and revoke; others only propose.
async fn runs_issuer(state: &AppState, actor: &Actor, issuer_id: i32) -> AppResult<bool> {
    match find_to_manage(&state.db, actor, issuer_id).await {
        Ok(_) => Ok(true),
        Err(AppError::Forbidden(_) | AppError::NotFound(_)) => Ok(false),
        Err(err) => Err(err),
    }
}

/// The id a `<select>` sent; its empty "— Chọn —" option (or a hand-made value) is `None`.
fn chosen_id(value: &str) -> Option<i32> {
    value.trim().parse().ok()
}

/// A whole number typed in a form; blank is `None`.
fn typed_number(text: &str) -> Result<Option<i32>, String> {
    match text.trim() {
        "" => Ok(None),
        // "Enter a whole number."
        digits => digits.parse().map(Some).map_err(|_| "Nhập một số nguyên.".to_owned()),
    }
}

/// The officer's own province and commune, where a form's place selects start.
fn home_units(actor: &Actor) -> (String, String) {
    match &actor.scope {
        Scope::Country => (String::new(), String::new()),
        Scope::Province(province) => (province.clone(), String::new()),
        Scope::Commune { province, commune } | Scope::Host { province, commune, .. } => {
            (province.clone(), commune.clone())
        }
    }
}

/// `error` with the service's message on `field` (an unknown reference) replaced by
/// `message`, for a select the user left empty.
fn empty_select(error: AppError, field: &str, message: &str) -> AppError {
    match error {
        AppError::Invalid(errors) => AppError::Invalid(
            errors
                .into_iter()
                .map(|error| if error.field == field { FieldError::new(field, message) } else { error })
                .collect(),
        ),
        other => other,
    }
}
