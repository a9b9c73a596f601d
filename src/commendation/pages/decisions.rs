//! `/decisions…`: the decisions of the officer's issuers, with a search by number or
//! recipient, and each decision's page: number, signing, legal basis, recipients with their
//! register numbers and verification links, and revocation after a confirmation.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::response::Response;
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};

use super::runs_issuer;
use crate::app::AppState;
use crate::auth::extract::CurrentUser;
use crate::auth::model::Actor;
use crate::commendation::model::{DecisionFilter, Revocation, UnitFilter};
use crate::commendation::{decisions, issuers};
use crate::error::AppResult;
use crate::jobs::service as jobs;
use crate::web::extract::{ApiPath, ApiQuery};
use crate::web::pages::{Flash, PageForm, render, render_refused, see_other};

const TEMPLATE: &str = "commendation/decision.html";

/// By issuer and year, newest number first; `q` finds a number or a recipient.
pub(super) async fn list(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiQuery(filter): ApiQuery<DecisionFilter>,
) -> AppResult<Response> {
    let decisions = decisions::list(&state.db, &current.actor, &filter).await?;
    let issuers = issuers::list(&state.db, &current.actor, &UnitFilter::default()).await?;
    let issuer_names: BTreeMap<i32, &str> = issuers.iter().map(|issuer| (issuer.id, issuer.name.as_str())).collect();
    render(&state, "commendation/decisions.html", context! { filter, decisions, issuers, issuer_names })
}

/// The revocation form as typed.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub(super) struct RevokeForm {
    reason: String,
}

/// The decision's page with its recent print jobs; revocation (and the blanks' positions) is
/// offered to the officers who run its issuer.
async fn decision_page(state: &AppState, actor: &Actor, id: i32) -> AppResult<Value> {
    let decision = decisions::get(&state.db, actor, id).await?;
    let issuer = issuers::get(&state.db, actor, decision.issuer_id).await?;
    let revocable = runs_issuer(state, actor, issuer.id).await?;
    let jobs = jobs::of_decision(&state.db, actor, id).await?;
    Ok(context! { decision, issuer, revocable, jobs, revoke => RevokeForm::default() })
}

/// The decision's page, after a redirect with `?msg=created` or `?msg=revoked`.
pub(super) async fn show(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
    ApiQuery(flash): ApiQuery<Flash>,
) -> AppResult<Response> {
    let page = decision_page(&state, &current.actor, id).await?;
    render(&state, TEMPLATE, context! { notice => flash.msg, ..page })
}

/// Revokes the decision: its certificates stop verifying. Without a reason the form comes
/// back (422); an already revoked decision says so (409).
pub(super) async fn revoke(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
    PageForm(revoke): PageForm<RevokeForm>,
) -> AppResult<Response> {
    let input = Revocation { reason: revoke.reason.clone() };
    match decisions::revoke(&state.db, &current.actor, id, input).await {
        Ok(_) => Ok(see_other(&format!("/decisions/{id}?msg=revoked"))),
        Err(err) => {
            let page = async { Ok(context! { revoke, ..decision_page(&state, &current.actor, id).await? }) };
            render_refused(&state, TEMPLATE, err, page).await
        }
    }
}
