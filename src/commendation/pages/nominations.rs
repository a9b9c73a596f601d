//! `/nominations…`: the list with its filters, and each nomination's page with its history,
//! the draft's edit form and the steps its state allows (submit; return, review, approve,
//! reject for the officers who run the issuer). A refused step is explained on the page.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::response::Response;
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};

use super::runs_issuer;
use crate::app::AppState;
use crate::auth::extract::CurrentUser;
use crate::auth::model::Actor;
use crate::commendation::model::{
    ActionInput, AwardForm, Nomination, NominationAction, NominationChanges, NominationFilter, UnitFilter,
};
use crate::commendation::{issuers, nominations};
use crate::error::{AppError, AppResult};
use crate::festivals::service as festivals;
use crate::web::extract::{ApiPath, ApiQuery};
use crate::web::pages::{Flash, PageForm, PageNumber, Pager, render, render_refused, see_other};

const TEMPLATE: &str = "commendation/nomination.html";

/// The nominations the officer proposed or reviews, most recently changed first, 50 a page.
pub(super) async fn list(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiQuery(filter): ApiQuery<NominationFilter>,
    ApiQuery(number): ApiQuery<PageNumber>,
) -> AppResult<Response> {
    let paging = number.paging()?;
    let nominations = nominations::list(&state.db, &current.actor, &filter, paging).await?;
    let issuers = issuers::list(&state.db, &current.actor, &UnitFilter::default()).await?;
    let issuer_names: BTreeMap<i32, &str> = issuers.iter().map(|issuer| (issuer.id, issuer.name.as_str())).collect();
    let pager = Pager::new("/nominations", &filter, paging, nominations.total)?;
    let context = context! { filter, nominations, issuers, issuer_names, pager };
    render(&state, "commendation/nominations.html", context)
}

/// The fields of a draft as typed in its edit form.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub(super) struct DraftForm {
    nominee_name: String,
    cccd: String,
    achievement: String,
    form: Option<AwardForm>,
    /// A checkbox: absent when not ticked.
    posthumous: bool,
}

impl DraftForm {
    fn of(nomination: &Nomination) -> Self {
        Self {
            nominee_name: nomination.nominee_name.clone(),
            cccd: nomination.cccd.clone().unwrap_or_default(),
            achievement: nomination.achievement.clone(),
            form: Some(nomination.form),
            posthumous: nomination.posthumous,
        }
    }

    /// Every field as a change: a blank CCCD clears it.
    fn to_changes(&self) -> NominationChanges {
        NominationChanges {
            festival_id: None,
            nominee_name: Some(self.nominee_name.clone()),
            cccd: Some(self.cccd.clone()),
            achievement: Some(self.achievement.clone()),
            form: self.form,
            posthumous: Some(self.posthumous),
        }
    }
}

/// The inputs of the step buttons, as typed: a reason (return, reject), the council's vote
/// (review). Votes stay text: what is not a number reaches the service as missing, which says
/// how to write it.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub(super) struct StepForm {
    reason: String,
    votes_for: String,
    votes_against: String,
    note: String,
}

impl StepForm {
    fn to_input(&self) -> ActionInput {
        ActionInput {
            reason: Some(self.reason.clone()),
            votes_for: self.votes_for.trim().parse().ok(),
            votes_against: self.votes_against.trim().parse().ok(),
            note: Some(self.note.clone()),
        }
    }
}

/// The nomination's page: details, history, the draft form and the steps the actor may take
/// now. The submitter's own approval is left out (separation of duties) with a note instead.
async fn nomination_page(state: &AppState, actor: &Actor, id: i32) -> AppResult<Value> {
    let nomination = nominations::get(&state.db, actor, id).await?;
    let (_, issuer) = nominations::find(&state.db, actor, id).await?;
    let runs_issuer = runs_issuer(state, actor, issuer.id).await?;
    let own_submission = nomination.submitted_by.is_some() && nomination.submitted_by == actor.user_id;
    let steps: Vec<NominationAction> = {
        use NominationAction::*;
        [Submit, Review, Approve, Return, Reject]
            .into_iter()
            .filter(|step| nomination.state.after(*step).is_some())
            .filter(|step| *step == Submit || runs_issuer)
            .collect()
    };
    let festival = match nomination.festival_id {
        Some(festival_id) => match festivals::get(&state.db, actor, festival_id).await {
            Ok(festival) => Some(festival),
            // A proposal to a higher body can name a festival the reviewer does not oversee.
            Err(AppError::NotFound(_)) => None,
            Err(err) => return Err(err),
        },
        None => None,
    };
    let (draft, step) = (DraftForm::of(&nomination), StepForm::default());
    let issuer = issuers::present(issuer);
    Ok(context! { nomination, issuer, runs_issuer, steps, own_submission, festival, draft, step })
}

/// The nomination's page, after a redirect with `?msg=` naming what was just done.
pub(super) async fn show(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
    ApiQuery(flash): ApiQuery<Flash>,
) -> AppResult<Response> {
    let page = nomination_page(&state, &current.actor, id).await?;
    render(&state, TEMPLATE, context! { notice => flash.msg, ..page })
}

/// Saves the draft form; refused input comes back with its messages, a nomination that is no
/// longer a draft with the reason.
pub(super) async fn update(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
    PageForm(draft): PageForm<DraftForm>,
) -> AppResult<Response> {
    match nominations::update(&state.db, &current.actor, id, draft.to_changes()).await {
        Ok(_) => Ok(see_other(&format!("/nominations/{id}?msg=updated"))),
        Err(err) => {
            let page = async { Ok(context! { draft, ..nomination_page(&state, &current.actor, id).await? }) };
            render_refused(&state, TEMPLATE, err, page).await
        }
    }
}

/// Takes one step; the page then says what was done, or why it was refused (403, 409), or
/// shows the step's form again with its messages (422).
pub(super) async fn act(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath((id, action)): ApiPath<(i32, NominationAction)>,
    PageForm(step): PageForm<StepForm>,
) -> AppResult<Response> {
    match nominations::act(&state.db, &current.actor, id, action, step.to_input()).await {
        Ok(_) => {
            let notice =
                serde_urlencoded::to_string([("msg", action)]).map_err(|err| AppError::Internal(err.into()))?;
            Ok(see_other(&format!("/nominations/{id}?{notice}")))
        }
        Err(err) => {
            let page =
                async { Ok(context! { step, acted => action, ..nomination_page(&state, &current.actor, id).await? }) };
            render_refused(&state, TEMPLATE, err, page).await
        }
    }
}
