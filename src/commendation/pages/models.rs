//! `/models…`: the movement models (mô hình) of a commune's hosts, adding one to a host,
//! editing, and deleting one that was never nominated.

use axum::extract::State;
use axum::response::Response;
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};

use super::{chosen_id, empty_select, home_units, typed_number};
use crate::app::AppState;
use crate::areas::model::{Host, HostFilter};
use crate::areas::pages::UnitChoice;
use crate::areas::service as areas;
use crate::auth::extract::CurrentUser;
use crate::auth::model::Actor;
use crate::commendation::model::{ModelChanges, ModelKind, MovementModel, NewModel, UnitFilter};
use crate::commendation::models;
use crate::error::{AppResult, FieldErrors};
use crate::list::{MAX_PER_PAGE, Paging};
use crate::web::extract::{ApiPath, ApiQuery};
use crate::web::pages::{Flash, PageForm, field_errors, render, render_invalid, render_refused, see_other};

const TEMPLATE: &str = "commendation/model.html";

/// `/models` and `/models/new` query: the place whose models are shown or added, and on the
/// list the text searched for in their names.
#[derive(Debug, Default, Deserialize)]
pub(super) struct PlaceQuery {
    province: Option<String>,
    commune: Option<String>,
    q: Option<String>,
}

impl PlaceQuery {
    /// The chosen place, else the officer's own.
    async fn units(&self, state: &AppState, actor: &Actor) -> AppResult<UnitChoice> {
        let (province, commune) = match (&self.province, &self.commune) {
            (None, None) => home_units(actor),
            (province, commune) => (province.clone().unwrap_or_default(), commune.clone().unwrap_or_default()),
        };
        UnitChoice::load(&state.db, actor, Some(&province), Some(&commune)).await
    }
}

/// The models of the chosen commune, by host and name, those whose names contain `?q=` when
/// given. A commune at a time keeps the page short: a province has thousands.
pub(super) async fn list(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiQuery(query): ApiQuery<PlaceQuery>,
    ApiQuery(flash): ApiQuery<Flash>,
) -> AppResult<Response> {
    let units = query.units(&state, &current.actor).await?;
    let models = match &units.commune {
        Some(commune) => {
            let filter = UnitFilter { unit: Some(commune.clone()), q: query.q.clone() };
            models::list(&state.db, &current.actor, &filter).await?
        }
        None => Vec::new(),
    };
    render(&state, "commendation/models.html", context! { units, models, q => query.q, notice => flash.msg })
}

/// The model form as typed; numbers stay text until read, so a typo comes back with its
/// message. The host is chosen on creation only.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub(super) struct ModelForm {
    province: String,
    commune: String,
    /// Text, so that the empty "— Chọn —" option is not a parse error.
    host_id: String,
    name: String,
    kind: Option<ModelKind>,
    founded_year: String,
    members: String,
    #[serde(skip_serializing)]
    reload: Option<String>,
}

impl ModelForm {
    fn of(model: &MovementModel) -> Self {
        let number = |value: Option<i32>| value.map(|n| n.to_string()).unwrap_or_default();
        Self {
            name: model.name.clone(),
            kind: Some(model.kind),
            founded_year: number(model.founded_year),
            members: number(model.members),
            ..Self::default()
        }
    }

    /// Founding year and members. Errors: 422 naming them when they are not numbers.
    fn numbers(&self) -> AppResult<(Option<i32>, Option<i32>)> {
        let mut errors = FieldErrors::default();
        let founded_year = errors.check("founded_year", typed_number(&self.founded_year));
        let members = errors.check("members", typed_number(&self.members));
        match (founded_year, members) {
            (Some(founded_year), Some(members)) => Ok((founded_year, members)),
            _ => Err(errors.into()),
        }
    }

    /// The place selects and the hosts of the chosen commune.
    async fn choices(&self, state: &AppState, actor: &Actor) -> AppResult<(UnitChoice, Vec<Host>)> {
        let units = UnitChoice::load(&state.db, actor, Some(&self.province), Some(&self.commune)).await?;
        let hosts = match &units.commune {
            Some(commune) => {
                let filter = HostFilter { unit: Some(commune.clone()), ..HostFilter::default() };
                let all = Paging { page: 1, per_page: MAX_PER_PAGE };
                areas::list_hosts(&state.db, actor, &filter, all).await?.items
            }
            None => Vec::new(),
        };
        Ok((units, hosts))
    }
}

/// The creation form's context.
async fn new_page(state: &AppState, actor: &Actor, form: ModelForm) -> AppResult<Value> {
    let (units, hosts) = form.choices(state, actor).await?;
    Ok(context! { form, units, hosts })
}

/// The empty form in the place of the list it was opened from (else the officer's own).
pub(super) async fn new(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiQuery(query): ApiQuery<PlaceQuery>,
) -> AppResult<Response> {
    let units = query.units(&state, &current.actor).await?;
    let form = ModelForm {
        province: units.province.clone().unwrap_or_default(),
        commune: units.commune.clone().unwrap_or_default(),
        kind: Some(ModelKind::TuQuan),
        ..ModelForm::default()
    };
    render(&state, TEMPLATE, new_page(&state, &current.actor, form).await?)
}

/// Adds the model and returns to its commune's list; with `reload`, only shows the form again
/// with the hosts of the commune just chosen.
pub(super) async fn create(
    State(state): State<AppState>,
    current: CurrentUser,
    PageForm(form): PageForm<ModelForm>,
) -> AppResult<Response> {
    if form.reload.is_some() {
        return render(&state, TEMPLATE, new_page(&state, &current.actor, form).await?);
    }
    let created = async {
        let (founded_year, members) = form.numbers()?;
        let host_id = chosen_id(&form.host_id);
        let input = NewModel {
            name: form.name.clone(),
            host_id: host_id.unwrap_or_default(),
            kind: form.kind.unwrap_or(ModelKind::Other),
            founded_year,
            members,
        };
        match (models::create(&state.db, &current.actor, input).await, host_id) {
            // "Choose the host the model belongs to."
            (Err(err), None) => Err(empty_select(err, "host_id", "Hãy chọn đơn vị có mô hình này.")),
            (result, _) => result,
        }
    };
    match created.await {
        Ok(model) => Ok(see_other(&format!("/models?commune={}&msg=model_created", model.unit_code))),
        Err(err) => {
            let errors = field_errors(err)?;
            render_invalid(&state, TEMPLATE, new_page(&state, &current.actor, form).await?, &errors)
        }
    }
}

/// The model's page: its edit form and, with a confirmation, delete.
async fn model_page(state: &AppState, actor: &Actor, id: i32, form: Option<ModelForm>) -> AppResult<Value> {
    let model = models::get(&state.db, actor, id).await?;
    let form = form.unwrap_or_else(|| ModelForm::of(&model));
    Ok(context! { model, form })
}

/// The model's page, after a redirect with `?msg=model_updated`.
pub(super) async fn show(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
    ApiQuery(flash): ApiQuery<Flash>,
) -> AppResult<Response> {
    let page = model_page(&state, &current.actor, id, None).await?;
    render(&state, TEMPLATE, context! { notice => flash.msg, ..page })
}

/// Saves the edit form; refused input comes back with its messages.
pub(super) async fn update(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
    PageForm(form): PageForm<ModelForm>,
) -> AppResult<Response> {
    let saved = async {
        let (founded_year, members) = form.numbers()?;
        let changes = ModelChanges { name: Some(form.name.clone()), kind: form.kind, founded_year, members };
        models::update(&state.db, &current.actor, id, changes).await
    };
    match saved.await {
        Ok(model) => Ok(see_other(&format!("/models/{}?msg=model_updated", model.id))),
        Err(err) => {
            let errors = field_errors(err)?;
            render_invalid(&state, TEMPLATE, model_page(&state, &current.actor, id, Some(form)).await?, &errors)
        }
    }
}

/// Deletes the model and returns to its commune's list; a nominated model stays, and its page
/// says why (409).
pub(super) async fn delete(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
) -> AppResult<Response> {
    let model = models::get(&state.db, &current.actor, id).await?;
    match models::delete(&state.db, &current.actor, id).await {
        Ok(()) => Ok(see_other(&format!("/models?commune={}&msg=model_deleted", model.unit_code))),
        Err(err) => render_refused(&state, TEMPLATE, err, model_page(&state, &current.actor, id, None)).await,
    }
}
