//! `/issuers…`: the bodies that grant awards (cơ quan khen thưởng) the officer runs or
//! proposes to, their creation and edit form, and the register (sổ khen thưởng) of each.

use axum::extract::State;
use axum::response::Response;
use chrono::Utc;
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};

use super::{empty_select, home_units, runs_issuer};
use crate::app::AppState;
use crate::areas::pages::UnitChoice;
use crate::auth::extract::CurrentUser;
use crate::auth::model::Actor;
use crate::commendation::model::{Authority, Issuer, IssuerChanges, NewIssuer, UnitFilter};
use crate::commendation::{decisions, issuers};
use crate::error::AppResult;
use crate::time::local_year;
use crate::web::extract::{ApiPath, ApiQuery};
use crate::web::pages::{Flash, PageForm, field_errors, render, render_invalid, see_other};

const TEMPLATE: &str = "commendation/issuer.html";

/// The issuer form as typed. The place is chosen on creation only (province, then commune for
/// a commune's body); `reload` comes from the button that fills the commune select.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub(super) struct IssuerForm {
    name: String,
    parent_name: String,
    province: String,
    /// Blank for a body of the province.
    commune: String,
    symbol: String,
    signer_name: String,
    signer_title: String,
    authority: Option<Authority>,
    place_name: String,
    #[serde(skip_serializing)]
    reload: Option<String>,
}

impl IssuerForm {
    fn of(issuer: &Issuer) -> Self {
        Self {
            name: issuer.name.clone(),
            parent_name: issuer.parent_name.clone().unwrap_or_default(),
            symbol: issuer.symbol.clone(),
            signer_name: issuer.signer_name.clone(),
            signer_title: issuer.signer_title.clone(),
            authority: Some(issuer.authority),
            place_name: issuer.place_name.clone(),
            ..Self::default()
        }
    }

    /// Every field as a change: a blank parent body clears it.
    fn to_changes(&self) -> IssuerChanges {
        IssuerChanges {
            name: Some(self.name.clone()),
            parent_name: Some(self.parent_name.clone()),
            symbol: Some(self.symbol.clone()),
            signer_name: Some(self.signer_name.clone()),
            signer_title: Some(self.signer_title.clone()),
            authority: self.authority,
            place_name: Some(self.place_name.clone()),
            blank_layout: None,
        }
    }

    async fn units(&self, state: &AppState, actor: &Actor) -> AppResult<UnitChoice> {
        UnitChoice::load(&state.db, actor, Some(&self.province), Some(&self.commune)).await
    }
}

/// The issuers the officer runs or proposes to; `?q=` finds a name.
pub(super) async fn list(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiQuery(filter): ApiQuery<UnitFilter>,
) -> AppResult<Response> {
    let issuers = issuers::list(&state.db, &current.actor, &filter).await?;
    render(&state, "commendation/issuers.html", context! { filter, issuers })
}

/// The empty form, starting in the officer's own province and commune.
pub(super) async fn new(State(state): State<AppState>, current: CurrentUser) -> AppResult<Response> {
    let (province, commune) = home_units(&current.actor);
    let form = IssuerForm { province, commune, authority: Some(Authority::OnBehalf), ..IssuerForm::default() };
    let units = form.units(&state, &current.actor).await?;
    render(&state, TEMPLATE, context! { form, units })
}

/// Registers the issuer and opens its page; with `reload`, only shows the form again with the
/// communes of the province just chosen.
pub(super) async fn create(
    State(state): State<AppState>,
    current: CurrentUser,
    PageForm(form): PageForm<IssuerForm>,
) -> AppResult<Response> {
    let units = form.units(&state, &current.actor).await?;
    if form.reload.is_some() {
        return render(&state, TEMPLATE, context! { form, units });
    }
    let input = NewIssuer {
        name: form.name.clone(),
        parent_name: Some(form.parent_name.clone()),
        unit_code: units.unit().unwrap_or_default().to_owned(),
        symbol: form.symbol.clone(),
        signer_name: form.signer_name.clone(),
        signer_title: form.signer_title.clone(),
        authority: form.authority.unwrap_or(Authority::Own),
        place_name: form.place_name.clone(),
    };
    let created = match (issuers::create(&state.db, &current.actor, input).await, units.unit()) {
        // "Choose the province, and the commune for a commune's body."
        (Err(err), None) => {
            Err(empty_select(err, "unit_code", "Hãy chọn tỉnh/thành phố, và xã/phường nếu là cơ quan cấp xã."))
        }
        (result, _) => result,
    };
    match created {
        Ok(issuer) => Ok(see_other(&format!("/issuers/{}?msg=issuer_created", issuer.id))),
        Err(err) => render_invalid(&state, TEMPLATE, context! { form, units }, &field_errors(err)?),
    }
}

/// The issuer's page: its details, the links to its council, decisions and register, and its
/// edit form for the officers who run it.
async fn issuer_page(state: &AppState, actor: &Actor, id: i32, form: Option<IssuerForm>) -> AppResult<Value> {
    let issuer = issuers::get(&state.db, actor, id).await?;
    let manageable = runs_issuer(state, actor, id).await?;
    let form = form.unwrap_or_else(|| IssuerForm::of(&issuer));
    Ok(context! { issuer, manageable, form })
}

/// The issuer's page, after a redirect with `?msg=issuer_created` or `?msg=issuer_updated`.
pub(super) async fn show(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
    ApiQuery(flash): ApiQuery<Flash>,
) -> AppResult<Response> {
    let page = issuer_page(&state, &current.actor, id, None).await?;
    render(&state, TEMPLATE, context! { notice => flash.msg, ..page })
}

/// Saves the edit form; refused input comes back with its messages.
pub(super) async fn update(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
    PageForm(form): PageForm<IssuerForm>,
) -> AppResult<Response> {
    match issuers::update(&state.db, &current.actor, id, form.to_changes()).await {
        Ok(issuer) => Ok(see_other(&format!("/issuers/{}?msg=issuer_updated", issuer.id))),
        Err(err) => {
            let errors = field_errors(err)?;
            render_invalid(&state, TEMPLATE, issuer_page(&state, &current.actor, id, Some(form)).await?, &errors)
        }
    }
}

/// `/issuers/{id}/register` query.
#[derive(Debug, Default, Deserialize)]
pub(super) struct RegisterQuery {
    /// Default: this year.
    year: Option<i32>,
    q: Option<String>,
}

/// The register of a year in Vietnamese order, with a search and the XLSX download.
pub(super) async fn register(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
    ApiQuery(query): ApiQuery<RegisterQuery>,
) -> AppResult<Response> {
    let year = query.year.unwrap_or_else(|| local_year(Utc::now()));
    let entries = decisions::register(&state.db, &current.actor, id, year, query.q.as_deref()).await?;
    let issuer = issuers::get(&state.db, &current.actor, id).await?;
    render(&state, "commendation/register.html", context! { issuer, year, q => query.q, entries })
}
