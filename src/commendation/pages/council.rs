//! `/issuers/{id}/council`: the emulation-commendation council's table (Hội đồng thi đua – khen
//! thưởng) of an issuer: the submitted, reviewed and approved nominations with checkboxes, to
//! record one vote for the checked submitted ones, approve the checked reviewed ones at once,
//! or sign a decision for the checked approved ones.

use axum::extract::State;
use axum::response::Response;
use chrono::Utc;
use minijinja::{Value, context};
use serde::Serialize;

use crate::app::AppState;
use crate::auth::extract::CurrentUser;
use crate::auth::model::Actor;
use crate::commendation::model::{
    ActionInput, NewDecision, Nomination, NominationAction, NominationFilter, NominationState,
};
use crate::commendation::{decisions, issuers, nominations};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::list::{MAX_PER_PAGE, Paging};
use crate::time::{format_dmy, local_date};
use crate::web::extract::ApiPath;
use crate::web::pages::{PageForm, form_date, refusal, render, render_refused, see_other};

const TEMPLATE: &str = "commendation/council.html";

/// The council form as typed: the checked rows (`ids`, repeated) and the inputs of its three
/// buttons.
#[derive(Debug, Default, Serialize)]
pub(super) struct CouncilForm {
    ids: Vec<i32>,
    votes_for: String,
    votes_against: String,
    note: String,
    /// dd/mm/yyyy
    signed_on: String,
    /// One line each; blank = the service's default (the law and its decree).
    legal_basis: String,
}

impl CouncilForm {
    fn new() -> Self {
        Self { signed_on: format_dmy(local_date(Utc::now())), ..Self::default() }
    }

    /// The posted pairs; a checkbox value that is not an id is ignored (no form sends one).
    fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        let mut form = Self::default();
        for (name, value) in pairs {
            match name.as_str() {
                "ids" => form.ids.extend(value.trim().parse::<i32>().ok()),
                "votes_for" => form.votes_for = value,
                "votes_against" => form.votes_against = value,
                "note" => form.note = value,
                "signed_on" => form.signed_on = value,
                "legal_basis" => form.legal_basis = value,
                _ => {}
            }
        }
        form
    }

    /// Errors: 422 naming `ids` when no row is checked.
    fn checked(&self) -> AppResult<&[i32]> {
        if self.ids.is_empty() {
            // "Tick at least one nomination in the table."
            return Err(AppError::invalid("ids", "Hãy đánh dấu ít nhất một đề nghị trong bảng."));
        }
        Ok(&self.ids)
    }

    fn to_decision(&self, issuer_id: i32) -> AppResult<NewDecision> {
        let mut errors = FieldErrors::default();
        if self.ids.is_empty() {
            // "Tick the approved nominations the decision commends."
            errors.add("ids", "Hãy đánh dấu các đề nghị đã duyệt được khen trong quyết định.");
        }
        let signed_on = errors.check("signed_on", form_date(&self.signed_on));
        let lines: Vec<String> =
            self.legal_basis.lines().map(str::trim).filter(|line| !line.is_empty()).map(str::to_owned).collect();
        match (signed_on, errors.is_empty()) {
            (Some(signed_on), true) => Ok(NewDecision {
                issuer_id,
                nomination_ids: self.ids.clone(),
                signed_on,
                legal_basis: (!lines.is_empty()).then_some(lines),
            }),
            _ => Err(errors.into()),
        }
    }
}

/// What a button did to the checked rows: who moved on, and who did not and why.
#[derive(Debug, Serialize)]
struct Report {
    action: NominationAction,
    done: Vec<String>,
    refused: Vec<RowRefusal>,
}

#[derive(Debug, Serialize)]
struct RowRefusal {
    id: i32,
    name: String,
    message: String,
}

/// The issuer's nominations before the council and the signer: submitted, reviewed, and
/// approved without a decision yet.
async fn pending(state: &AppState, actor: &Actor, issuer_id: i32) -> AppResult<Vec<Nomination>> {
    let mut rows = Vec::new();
    for state_now in [NominationState::Submitted, NominationState::Reviewed, NominationState::Approved] {
        let filter =
            NominationFilter { state: Some(state_now), issuer: Some(issuer_id), ..NominationFilter::default() };
        let page = nominations::list(&state.db, actor, &filter, Paging { page: 1, per_page: MAX_PER_PAGE }).await?;
        rows.extend(page.items.into_iter().filter(|row| row.decision_id.is_none()));
    }
    Ok(rows)
}

/// The page for an officer who runs the issuer (403 otherwise).
async fn council_page(state: &AppState, actor: &Actor, issuer_id: i32, form: CouncilForm) -> AppResult<Value> {
    let issuer = issuers::present(issuers::find_to_manage(&state.db, actor, issuer_id).await?);
    let rows = pending(state, actor, issuer_id).await?;
    Ok(context! { issuer, rows, form })
}

/// The table with nothing checked and today as the signing date.
pub(super) async fn show(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
) -> AppResult<Response> {
    render(&state, TEMPLATE, council_page(&state, &current.actor, id, CouncilForm::new()).await?)
}

/// Takes `action` for every checked row of the table, one at a time: a row the service
/// refuses (the submitter's own approval, a row in another state) is reported and the others
/// go on. A vote that is itself wrong is the same for every row: the form comes back with its
/// messages, nothing done.
async fn act_on_checked(
    state: &AppState,
    actor: &Actor,
    issuer_id: i32,
    action: NominationAction,
    form: CouncilForm,
) -> AppResult<Response> {
    let ids = match form.checked() {
        Ok(ids) => ids.to_vec(),
        Err(err) => return render_refused(state, TEMPLATE, err, council_page(state, actor, issuer_id, form)).await,
    };
    // Officers who do not run the issuer get the 403 page, not one refusal per row.
    issuers::find_to_manage(&state.db, actor, issuer_id).await?;
    let rows = pending(state, actor, issuer_id).await?;
    let input = ActionInput {
        reason: None,
        votes_for: form.votes_for.trim().parse().ok(),
        votes_against: form.votes_against.trim().parse().ok(),
        note: Some(form.note.clone()),
    };
    let mut report = Report { action, done: Vec::new(), refused: Vec::new() };
    for id in ids {
        let Some(row) = rows.iter().find(|row| row.id == id) else {
            // "This nomination is not in the council's table (any more)."
            let message = "Đề nghị này không (còn) trong bảng của Hội đồng.".to_owned();
            report.refused.push(RowRefusal { id, name: String::new(), message });
            continue;
        };
        match nominations::act(&state.db, actor, id, action, input.clone()).await {
            Ok(_) => report.done.push(row.nominee_name.clone()),
            Err(err @ AppError::Invalid(_)) => {
                return render_refused(state, TEMPLATE, err, council_page(state, actor, issuer_id, form)).await;
            }
            Err(err) => {
                report.refused.push(RowRefusal { id, name: row.nominee_name.clone(), message: refusal(err)?.1 })
            }
        }
    }
    let page = council_page(state, actor, issuer_id, CouncilForm::new()).await?;
    render(state, TEMPLATE, context! { report, ..page })
}

/// Records the council's vote for the checked submitted nominations.
pub(super) async fn review(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
    PageForm(pairs): PageForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    act_on_checked(&state, &current.actor, id, NominationAction::Review, CouncilForm::from_pairs(pairs)).await
}

/// Approves the checked reviewed nominations.
pub(super) async fn approve(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
    PageForm(pairs): PageForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    act_on_checked(&state, &current.actor, id, NominationAction::Approve, CouncilForm::from_pairs(pairs)).await
}

/// Signs a decision for the checked approved nominations and opens it.
pub(super) async fn decide(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
    PageForm(pairs): PageForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let form = CouncilForm::from_pairs(pairs);
    let created = async { decisions::create(&state.db, &current.actor, form.to_decision(id)?).await };
    match created.await {
        Ok(decision) => Ok(see_other(&format!("/decisions/{}?msg=created", decision.id))),
        Err(err) => render_refused(&state, TEMPLATE, err, council_page(&state, &current.actor, id, form)).await,
    }
}
