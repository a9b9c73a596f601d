//! `/plans`: pick a province or commune and a year, see the window that applies to its
//! festivals (its own, its province's or the default one), and set the unit's own window.

use axum::extract::State;
use axum::response::Response;
use chrono::Utc;
use minijinja::{Value, context};
use sea_orm::ConnectionTrait;
use serde::{Deserialize, Serialize};

use super::year_options;
use crate::app::AppState;
use crate::areas::model::Unit;
use crate::areas::pages::UnitChoice;
use crate::auth::extract::CurrentUser;
use crate::auth::model::Actor;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::festivals::model::{Plan, PlanInput};
use crate::festivals::plans;
use crate::time::{format_dmy, local_year};
use crate::web::extract::ApiQuery;
use crate::web::pages::{Flash, PageForm, field_errors, form_date, render, render_invalid, see_other};

/// `/plans` query.
#[derive(Debug, Default, Deserialize)]
pub(super) struct PlanQuery {
    province: Option<String>,
    commune: Option<String>,
    year: Option<i32>,
}

/// The plan form as typed; the unit and year come along as hidden fields.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub(super) struct PlanForm {
    province: String,
    commune: String,
    year: i32,
    /// dd/mm/yyyy
    window_start: String,
    /// dd/mm/yyyy
    window_end: String,
    notes: String,
}

impl PlanForm {
    /// Errors: 422 naming `window_start` or `window_end` when not a dd/mm/yyyy date.
    fn to_input(&self) -> AppResult<PlanInput> {
        let mut errors = FieldErrors::default();
        let start = errors.check("window_start", form_date(&self.window_start));
        let end = errors.check("window_end", form_date(&self.window_end));
        match (start, end) {
            (Some(window_start), Some(window_end)) => {
                Ok(PlanInput { window_start, window_end, notes: Some(self.notes.clone()) })
            }
            _ => Err(errors.into()),
        }
    }
}

pub(super) async fn show(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiQuery(query): ApiQuery<PlanQuery>,
    ApiQuery(flash): ApiQuery<Flash>,
) -> AppResult<Response> {
    let year = query.year.unwrap_or_else(|| local_year(Utc::now()));
    let units =
        UnitChoice::load(&state.db, &current.actor, query.province.as_deref(), query.commune.as_deref()).await?;
    let plan = match units.unit() {
        Some(unit) => Some(plans::get_plan(&state.db, &current.actor, unit, year).await?),
        None => None,
    };
    // The window that applies now is the starting point for the unit's own.
    let form = plan.as_ref().map(|plan| PlanForm {
        province: units.province.clone().unwrap_or_default(),
        commune: units.commune.clone().unwrap_or_default(),
        year,
        window_start: format_dmy(plan.window_start),
        window_end: format_dmy(plan.window_end),
        notes: plan.notes.clone(),
    });
    let can_edit = match units.unit() {
        Some(code) => plans::may_set_plan(&state.db, &current.actor, code).await?,
        None => false,
    };
    render(&state, "plans.html", context! { form, can_edit, msg => flash.msg, ..plan_page(units, year, plan) })
}

/// What the page shows besides the form: the selects, and the plan that applies to the unit.
fn plan_page(units: UnitChoice, year: i32, plan: Option<Plan>) -> Value {
    let find =
        |units: &[Unit], code: &Option<String>| units.iter().find(|unit| Some(&unit.code) == code.as_ref()).cloned();
    let province = find(&units.provinces, &units.province);
    let unit = find(&units.communes, &units.commune).or_else(|| province.clone());
    context! { units, year, years => year_options(Some(year)), plan, unit, province }
}

pub(super) async fn save(
    State(state): State<AppState>,
    current: CurrentUser,
    PageForm(form): PageForm<PlanForm>,
) -> AppResult<Response> {
    let units = UnitChoice::load(&state.db, &current.actor, Some(&form.province), Some(&form.commune)).await?;
    // "Choose a province or a commune."
    let unit = units.unit().map(str::to_owned).ok_or_else(|| AppError::invalid("unit", "Hãy chọn tỉnh hoặc xã."))?;
    match async { plans::put_plan(&state.db, &current.actor, &unit, form.year, form.to_input()?).await }.await {
        Ok(_) => {
            let year = form.year.to_string();
            let pairs = [("province", units.province.as_deref()), ("commune", units.commune.as_deref())];
            let query = serde_urlencoded::to_string(
                pairs
                    .into_iter()
                    .filter_map(|(name, code)| Some((name, code?)))
                    .chain([("year", year.as_str()), ("msg", "plan_saved")])
                    .collect::<Vec<_>>(),
            )
            .map_err(|err| AppError::Internal(err.into()))?;
            Ok(see_other(&format!("/plans?{query}")))
        }
        Err(err) => {
            let errors = field_errors(err)?;
            let plan = current_plan(&state.db, &current.actor, &unit, form.year).await?;
            let page = plan_page(units, form.year, plan);
            // Field errors come only after the scope and role checks passed: the form stays.
            let context = context! { form, can_edit => true, ..page };
            render_invalid(&state, "plans.html", context, &errors)
        }
    }
}

/// The plan as stored, to show beside a refused form; none when the year itself is wrong.
async fn current_plan(db: &impl ConnectionTrait, actor: &Actor, unit: &str, year: i32) -> AppResult<Option<Plan>> {
    match plans::get_plan(db, actor, unit, year).await {
        Ok(plan) => Ok(Some(plan)),
        Err(AppError::Invalid(_)) => Ok(None),
        Err(err) => Err(err),
    }
}
