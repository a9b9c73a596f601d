//! Adding and editing a participant, removing one after a confirmation, and issuing a new RSVP
//! link, which is shown once.

use axum::extract::State;
use axum::response::Response;
use minijinja::{Value, context};
use sea_orm::ActiveEnum;
use serde::{Deserialize, Serialize};

use super::FestivalHead;
use crate::app::AppState;
use crate::auth::extract::CurrentUser;
use crate::auth::model::Actor;
use crate::error::{AppError, AppResult};
use crate::festivals::service as festivals;
use crate::participants::model::{NewParticipant, Participant, ParticipantChanges, ParticipantRole, Sex};
use crate::participants::names::default_given_name;
use crate::participants::{public, service};
use crate::web::extract::{ApiPath, ApiQuery};
use crate::web::pages::{Flash, PageForm, field_errors, render, render_invalid, see_other};

const TEMPLATE: &str = "participants/form.html";

/// The participant form as typed; sent back with the messages when something is refused.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub(super) struct ParticipantForm {
    full_name: String,
    /// Blank = the last word of the full name.
    given_name: String,
    /// `male`, `female`, or blank when unknown.
    sex: String,
    role: ParticipantRole,
    /// A checkbox: absent when not ticked.
    invited: bool,
    email: String,
    phone: String,
    cccd: String,
    organization: String,
    title: String,
    address: String,
}

impl ParticipantForm {
    fn of(participant: &Participant) -> Self {
        let text = |value: &Option<String>| value.clone().unwrap_or_default();
        // A given name that is just the last word stays blank, so a corrected full name brings
        // its own given name instead of keeping the old one.
        let given_name = if participant.given_name == default_given_name(&participant.full_name) {
            String::new()
        } else {
            participant.given_name.clone()
        };
        Self {
            full_name: participant.full_name.clone(),
            given_name,
            sex: participant.sex.map(|sex| sex.to_value()).unwrap_or_default(),
            role: participant.role,
            invited: participant.invited,
            email: text(&participant.email),
            phone: text(&participant.phone),
            cccd: text(&participant.cccd),
            organization: text(&participant.organization),
            title: text(&participant.title),
            address: text(&participant.address),
        }
    }

    /// The form as the API's creation body; blank optional fields are left out by the service.
    /// Errors: 422 naming `sex` for a value the select does not offer.
    fn to_new(&self) -> AppResult<NewParticipant> {
        let sex = match self.sex.trim() {
            "" => None,
            code => Some(Sex::parse(code).map_err(|message| AppError::invalid("sex", message))?),
        };
        let text = |value: &String| Some(value.clone());
        Ok(NewParticipant {
            full_name: self.full_name.clone(),
            given_name: text(&self.given_name),
            sex,
            role: self.role,
            invited: Some(self.invited),
            email: text(&self.email),
            phone: text(&self.phone),
            cccd: text(&self.cccd),
            organization: text(&self.organization),
            title: text(&self.title),
            address: text(&self.address),
        })
    }

    /// Every field as a change: a blank one clears what was stored.
    fn to_changes(&self) -> AppResult<ParticipantChanges> {
        let new = self.to_new()?;
        Ok(ParticipantChanges {
            full_name: Some(new.full_name),
            given_name: new.given_name,
            sex: Some(new.sex),
            role: Some(new.role),
            invited: new.invited,
            email: new.email,
            phone: new.phone,
            cccd: new.cccd,
            organization: new.organization,
            title: new.title,
            address: new.address,
        })
    }
}

/// The form page's context; `participant` is the one being edited, if any.
fn form_page(festival: FestivalHead, form: ParticipantForm, participant: Option<Participant>) -> Value {
    context! { festival, form, participant }
}

/// The empty form. Errors: 409 once the festival is reported or cancelled.
pub(super) async fn new(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(festival_id): ApiPath<i32>,
) -> AppResult<Response> {
    let (festival, host) = festivals::find(&state.db, &current.actor, festival_id).await?;
    festivals::ensure_editable(festival.status)?;
    render(&state, TEMPLATE, form_page(FestivalHead::new(&festival, &host), ParticipantForm::default(), None))
}

/// Adds the participant and opens its page, which shows any warning (e.g. about the CCCD).
pub(super) async fn create(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(festival_id): ApiPath<i32>,
    PageForm(form): PageForm<ParticipantForm>,
) -> AppResult<Response> {
    match async { service::create(&state.db, &current.actor, festival_id, form.to_new()?).await }.await {
        Ok(created) => Ok(see_other(&format!("/participants/{}/edit?msg=created", created.id))),
        Err(err) => {
            let errors = field_errors(err)?;
            let (festival, host) = festivals::find(&state.db, &current.actor, festival_id).await?;
            render_invalid(&state, TEMPLATE, form_page(FestivalHead::new(&festival, &host), form, None), &errors)
        }
    }
}

/// The page of participant `id`: its form, check-in facts and actions, with `notice` (what was
/// just done) and a new `rsvp_url` on top.
async fn edit_page(
    state: &AppState,
    actor: &Actor,
    id: i32,
    notice: Option<String>,
    rsvp_url: Option<String>,
) -> AppResult<Response> {
    let (row, festival, host) = service::find(&state.db, actor, id).await?;
    let participant = service::present(row);
    let form = ParticipantForm::of(&participant);
    let page = form_page(FestivalHead::new(&festival, &host), form, Some(participant));
    render(state, TEMPLATE, context! { notice, rsvp_url, ..page })
}

/// The participant's page, after a redirect with `?msg=created` or `?msg=updated`.
pub(super) async fn edit(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
    ApiQuery(flash): ApiQuery<Flash>,
) -> AppResult<Response> {
    edit_page(&state, &current.actor, id, flash.msg, None).await
}

/// Saves the form; a refused one comes back with the messages next to the fields.
pub(super) async fn update(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
    PageForm(form): PageForm<ParticipantForm>,
) -> AppResult<Response> {
    match async { service::update(&state.db, &current.actor, id, form.to_changes()?).await }.await {
        Ok(updated) => Ok(see_other(&format!("/participants/{}/edit?msg=updated", updated.id))),
        Err(err) => {
            let errors = field_errors(err)?;
            let (row, festival, host) = service::find(&state.db, &current.actor, id).await?;
            let page = form_page(FestivalHead::new(&festival, &host), form, Some(service::present(row)));
            render_invalid(&state, TEMPLATE, page, &errors)
        }
    }
}

/// Removes the participant (a freed seat goes to the waitlist) and returns to the list.
pub(super) async fn delete(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
) -> AppResult<Response> {
    let participant = service::get(&state.db, &current.actor, id).await?;
    service::delete(&state.db, &current.actor, id).await?;
    Ok(see_other(&format!("/festivals/{}/participants?msg=deleted", participant.festival_id)))
}

/// A new RSVP link, shown on this answer only: only its digest is stored, and the old link ends.
pub(super) async fn rsvp_link(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
) -> AppResult<Response> {
    let link = public::new_rsvp_link(&state.db, &current.actor, id, &state.base_url()).await?;
    edit_page(&state, &current.actor, id, None, Some(link.rsvp_url)).await
}
