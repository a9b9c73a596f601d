//! Yearly plans: the window in which a province's or commune's festivals are held. The
//! commune's plan wins over its province's; with neither, 01/07–19/08 (19 August is the
//! movement's traditional day, Decision 521/QĐ-TTg of 2005).

use std::collections::HashMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Set, TransactionTrait};

use super::model::{Plan, PlanInput, PlanSource, Year};
use crate::areas::repo::unit_visible;
use crate::areas::service::find_unit;
use crate::auth::audit::{self, Action};
use crate::auth::model::{Actor, Place, Role};
use crate::entities::admin_unit;
use crate::entities::yearly_plan;
use crate::error::{AppError, AppResult, FieldError, FieldErrors};
use crate::text::notes;
use crate::time::{format_dmy, to_local};

/// The window a festival should fall in, and whose plan set it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub source: PlanSource,
}

impl Window {
    /// 01/07 to 19/08 of `year`.
    pub fn default_for(year: i32) -> Self {
        Self {
            start: NaiveDate::from_ymd_opt(year, 7, 1).unwrap_or_default(),
            end: NaiveDate::from_ymd_opt(year, 8, 19).unwrap_or_default(),
            source: PlanSource::Default,
        }
    }

    /// A warning on `starts_at` when the festival's local dates leave the window.
    pub fn check(&self, starts_at: DateTime<Utc>, ends_at: DateTime<Utc>) -> Option<FieldError> {
        let (first, last) = (to_local(starts_at).date_naive(), to_local(ends_at).date_naive());
        if first >= self.start && last <= self.end {
            return None;
        }
        let whose = match self.source {
            PlanSource::Own => "kế hoạch của xã/phường",
            PlanSource::Province => "kế hoạch của tỉnh/thành phố",
            PlanSource::Default => "khung mặc định",
        };
        // "The date is outside the window {start}–{end} ({whose plan})."
        Some(FieldError::new(
            "starts_at",
            format!(
                "Thời gian tổ chức nằm ngoài khung {} – {} ({whose}).",
                format_dmy(self.start),
                format_dmy(self.end)
            ),
        ))
    }
}

/// Plans loaded once for a set of units and years, so a list of festivals costs one query.
#[derive(Debug, Default)]
pub struct WindowBook {
    plans: HashMap<(String, i32), (NaiveDate, NaiveDate)>,
}

impl WindowBook {
    pub async fn load(
        db: &impl ConnectionTrait,
        unit_codes: impl IntoIterator<Item = String>,
        years: impl IntoIterator<Item = i32>,
    ) -> AppResult<Self> {
        let rows = yearly_plan::Entity::find()
            .filter(yearly_plan::Column::UnitCode.is_in(unit_codes))
            .filter(yearly_plan::Column::Year.is_in(years))
            .all(db)
            .await?;
        let plans = rows.into_iter().map(|p| ((p.unit_code, p.year), (p.window_start, p.window_end))).collect();
        Ok(Self { plans })
    }

    /// The window of `commune` in `year`: its own plan, else its province's, else the default.
    pub fn window(&self, commune: &str, province: &str, year: i32) -> Window {
        let own = self.plans.get(&(commune.to_owned(), year)).map(|w| (w, PlanSource::Own));
        let provincial = || self.plans.get(&(province.to_owned(), year)).map(|w| (w, PlanSource::Province));
        match own.or_else(provincial) {
            Some((&(start, end), source)) => Window { start, end, source },
            None => Window::default_for(year),
        }
    }
}

/// The plan of `unit_code` for `year`, or the one it inherits. Errors: 404 for a unit that is
/// unknown or that the actor may not see; 422 naming `year`.
pub async fn get_plan(db: &impl ConnectionTrait, actor: &Actor, unit_code: &str, year: i32) -> AppResult<Plan> {
    let year = Year::parse(year).map_err(|message| AppError::invalid("year", message))?.get();
    let unit = visible_unit(db, actor, unit_code).await?;
    let own = yearly_plan::Entity::find_by_id((unit.code.clone(), year)).one(db).await?;
    if let Some(plan) = own {
        return Ok(Plan {
            unit_code: plan.unit_code,
            year,
            window_start: plan.window_start,
            window_end: plan.window_end,
            notes: plan.notes,
            source: PlanSource::Own,
        });
    }
    let province = unit.parent_code.clone().unwrap_or_default();
    let book = WindowBook::load(db, [province.clone()], [year]).await?;
    let window = book.window(&unit.code, &province, year);
    Ok(Plan {
        unit_code: unit.code,
        year,
        window_start: window.start,
        window_end: window.end,
        notes: String::new(),
        source: window.source,
    })
}

/// Creates or replaces the plan. Errors: 404 for a unit that is unknown or that the actor
/// may not see; 403 for a unit outside the scope (a commune officer and the province plan) or
/// below the commune role; 422 naming `year`, `window_start` (outside the year),
/// `window_end` (before the start or outside the year) or `notes`.
pub async fn put_plan(
    db: &DatabaseConnection,
    actor: &Actor,
    unit_code: &str,
    year: i32,
    input: PlanInput,
) -> AppResult<Plan> {
    let unit = visible_unit(db, actor, unit_code).await?;
    actor.ensure_role(Role::Commune)?;
    actor.ensure_covers(&Place::of_unit(&unit))?;
    let mut errors = FieldErrors::default();
    let year = errors.check("year", Year::parse(year)).map(Year::get);
    let notes = errors.check("notes", notes(input.notes.as_deref().unwrap_or_default(), 2000));
    let (Some(year), Some(notes)) = (year, notes) else {
        return Err(errors.into());
    };
    // "Must be within the year {year}."
    let outside_year = format!("Phải nằm trong năm {year}.");
    if input.window_start.year() != year {
        errors.add("window_start", outside_year.clone());
    }
    if input.window_end.year() != year {
        errors.add("window_end", outside_year);
    } else if input.window_end < input.window_start {
        errors.add("window_end", "Ngày kết thúc phải sau ngày bắt đầu."); // "End must be after start."
    }
    errors.finish()?;
    let plan = yearly_plan::ActiveModel {
        unit_code: Set(unit.code.clone()),
        year: Set(year),
        window_start: Set(input.window_start),
        window_end: Set(input.window_end),
        notes: Set(notes.clone()),
        updated_at: Set(Utc::now()),
    };
    let txn = db.begin().await?;
    yearly_plan::Entity::insert(plan)
        .on_conflict(
            OnConflict::columns([yearly_plan::Column::UnitCode, yearly_plan::Column::Year])
                .update_columns([
                    yearly_plan::Column::WindowStart,
                    yearly_plan::Column::WindowEnd,
                    yearly_plan::Column::Notes,
                    yearly_plan::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
    // "Festival window of {year}: {start} – {end}"
    let summary =
        format!("Khung thời gian năm {year}: {} – {}", format_dmy(input.window_start), format_dmy(input.window_end));
    audit::record(
        &txn,
        actor,
        Action::Update,
        "plan",
        format!("{}/{year}", unit.code),
        Some(&Place::of_unit(&unit)),
        summary,
    )
    .await?;
    txn.commit().await?;
    Ok(Plan {
        unit_code: unit.code,
        year,
        window_start: input.window_start,
        window_end: input.window_end,
        notes,
        source: PlanSource::Own,
    })
}

/// Whether `actor` may set the plan of `unit_code` (what [`put_plan`] checks), for pages that
/// offer the form only to those who can save it.
pub async fn may_set_plan(db: &impl ConnectionTrait, actor: &Actor, unit_code: &str) -> AppResult<bool> {
    let unit = find_unit(db, unit_code).await?;
    Ok(actor.at_least(Role::Commune) && actor.covers(&Place::of_unit(&unit)))
}

/// The unit, when the actor may see it. Errors: 404 otherwise, as for an unknown code.
async fn visible_unit(db: &impl ConnectionTrait, actor: &Actor, code: &str) -> AppResult<admin_unit::Model> {
    let unit = find_unit(db, code).await?;
    if !unit_visible(&actor.scope, &unit) {
        return Err(AppError::not_found(format!("Không có đơn vị hành chính mã {code}.")));
    }
    Ok(unit)
}
