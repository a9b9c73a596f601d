//! The coverage dashboard (`/reports/coverage`): the report of `reports::coverage` as a table
//! that drills down from the country to provinces, communes and kinds of host, a bar per row
//! drawn as server-side SVG, the units lagging behind and the leaders invited to festivals too
//! close together. The calendar (`/reports/calendar`): the festivals of a month as a grid and,
//! for phones, as a list by day.

use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use chrono::{Datelike, Months, NaiveDate, Utc};
use minijinja::context;
use sea_orm::ConnectionTrait;
use serde::{Deserialize, Serialize};

use super::conflicts::{self, ConflictQuery};
use super::coverage::{self, Counts, CoverageRow, EmptyRows, RowOptions, RowOrder};
use crate::app::AppState;
use crate::areas::model::Unit;
use crate::areas::service::find_unit;
use crate::auth::extract::CurrentUser;
use crate::auth::model::Actor;
use crate::error::{AppError, AppResult};
use crate::festivals::model::{Festival, FestivalFilter};
use crate::festivals::pages::year_options;
use crate::festivals::service as festivals;
use crate::list::{MAX_PER_PAGE, Paging};
use crate::time::{VN_OFFSET, local_year};
use crate::web::extract::ApiQuery;
use crate::web::pages::render;

pub fn router() -> Router<AppState> {
    Router::new().route("/reports/coverage", get(show)).route("/reports/calendar", get(calendar))
}

/// The year a report opens on without one: the latest up to this year with festivals in the
/// actor's scope, so the page never opens on an empty year nor on next year because a few
/// hosts planned early; next year when only it has festivals; this year when none has.
async fn default_year(db: &impl ConnectionTrait, actor: &Actor, asked: Option<i32>) -> AppResult<i32> {
    let this_year = local_year(Utc::now());
    if let Some(year) = asked {
        return Ok(year);
    }
    Ok(match coverage::latest_year(db, actor, this_year).await? {
        Some(year) => year,
        None => coverage::latest_year(db, actor, this_year + 1).await?.unwrap_or(this_year),
    })
}

/// `/reports/coverage` query: the year (default this year) and the unit (default the scope);
/// the table's `RowOptions` come beside it.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct DashboardQuery {
    year: Option<i32>,
    unit: Option<String>,
}

/// The row options that differ from the default, which the dashboard's links keep.
#[derive(Debug, Serialize)]
struct KeptOptions {
    sort: Option<RowOrder>,
    empty: Option<EmptyRows>,
}

/// `&sort=…&empty=…` for the options that differ from the default; empty without any.
fn kept_options(options: RowOptions) -> AppResult<String> {
    let defaults = RowOptions::default();
    let kept = KeptOptions {
        sort: (options.sort != defaults.sort).then_some(options.sort),
        empty: (options.empty != defaults.empty).then_some(options.empty),
    };
    let query = serde_urlencoded::to_string(kept).map_err(|err| AppError::Internal(err.into()))?;
    Ok(if query.is_empty() { query } else { format!("&{query}") })
}

/// One coloured piece of a row's bar: a state's share of the hosts, in per cent.
#[derive(Debug, Serialize)]
struct Segment {
    state: &'static str,
    x: f64,
    width: f64,
    count: i64,
}

/// A table row with its bar.
#[derive(Debug, Serialize)]
struct Bar {
    row: CoverageRow,
    percent: f64,
    segments: Vec<Segment>,
}

/// The bar of `counts`: states in their order along the path, then hosts without a festival.
fn segments(counts: &Counts) -> Vec<Segment> {
    let parts = [
        ("reported", counts.reported),
        ("held", counts.held),
        ("approved", counts.approved),
        ("planned", counts.planned),
        ("cancelled", counts.cancelled),
        ("none", counts.none),
    ];
    let mut x = 0.0;
    parts
        .into_iter()
        .filter(|(_, count)| *count > 0)
        .map(|(state, count)| {
            let width = count as f64 * 100.0 / counts.hosts.max(1) as f64;
            let segment = Segment { state, x, width, count };
            x += width;
            segment
        })
        .collect()
}

/// Units with hosts, least covered first: the ten to call this morning.
const LAGGING: usize = 10;

/// Leaders with clashing festivals the dashboard lists; the API gives them all.
const CONFLICTS: usize = 10;

async fn show(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiQuery(query): ApiQuery<DashboardQuery>,
    ApiQuery(options): ApiQuery<RowOptions>,
) -> AppResult<Response> {
    let year = default_year(&state.db, &current.actor, query.year).await?;
    let unit = query.unit.filter(|code| !code.is_empty());
    let report = coverage::coverage(&state.db, &current.actor, year, unit.as_deref()).await?.arranged(options);
    let kept = kept_options(options)?;
    // The way back up: the province above a commune.
    let parent = match &report.unit {
        Some(code) => find_unit(&state.db, code).await?.parent_code,
        None => None,
    };
    let parent = match parent {
        Some(code) => Some(Unit::from(find_unit(&state.db, &code).await?)),
        None => None,
    };
    let percent = report.totals.percent_with_festival();
    let total_segments = segments(&report.totals);
    let bars: Vec<Bar> = report
        .rows
        .iter()
        .cloned()
        .map(|row| Bar { percent: row.counts.percent_with_festival(), segments: segments(&row.counts), row })
        .collect();
    let mut lagging: Vec<&Bar> = bars.iter().filter(|bar| bar.row.counts.hosts > 0 && bar.row.drillable).collect();
    lagging.sort_by(|a, b| a.percent.total_cmp(&b.percent));
    lagging.truncate(LAGGING);
    let conflict_query = ConflictQuery { year, unit: report.unit.clone(), gap_minutes: None };
    let mut conflicts = conflicts::conflicts(&state.db, &current.actor, &conflict_query).await?;
    let conflict_count = conflicts.len();
    conflicts.truncate(CONFLICTS);
    let years = year_options(Some(year));
    render(
        &state,
        "reports/coverage.html",
        context! {
            report, bars, lagging, percent, total_segments, parent, years, year, conflicts, conflict_count, options, kept
        },
    )
}

/// `/reports/calendar` query: the month (default August, the festival month, of the year the
/// dashboard opens on) and the unit (default the scope).
#[derive(Debug, Default, Deserialize)]
pub(crate) struct CalendarQuery {
    year: Option<i32>,
    month: Option<u32>,
    unit: Option<String>,
}

/// A month of the calendar, for the links to the months around it.
#[derive(Debug, Serialize)]
struct Month {
    year: i32,
    month: u32,
}

impl From<NaiveDate> for Month {
    fn from(date: NaiveDate) -> Self {
        Month { year: date.year(), month: date.month() }
    }
}

/// One day of the month with the festivals starting on it (Vietnam time), by start time.
#[derive(Debug, Serialize)]
struct Day {
    date: NaiveDate,
    day: u32,
    /// 0 for Monday to 6 for Sunday, the columns of the grid.
    weekday: u32,
    festivals: Vec<Festival>,
}

/// The festival list filtered to the year and unit, for a month with more festivals than the
/// calendar shows: the list page takes a province and a commune rather than one unit code.
fn festival_list_link(year: i32, unit: Option<&Unit>) -> AppResult<String> {
    let mut query = vec![("year", year.to_string())];
    if let Some(unit) = unit {
        match &unit.parent_code {
            Some(province) => query.extend([("province", province.clone()), ("commune", unit.code.clone())]),
            None => query.push(("province", unit.code.clone())),
        }
    }
    let query = serde_urlencoded::to_string(query).map_err(|err| AppError::Internal(err.into()))?;
    Ok(format!("/festivals?{query}"))
}

/// The festivals of a month, at most one page of the list service; a busier month links to
/// the full festival list.
async fn calendar(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiQuery(query): ApiQuery<CalendarQuery>,
) -> AppResult<Response> {
    let year = default_year(&state.db, &current.actor, query.year).await?;
    let month = query.month.unwrap_or(8);
    let first = NaiveDate::from_ymd_opt(year, month, 1).ok_or_else(|| {
        // "Month must be 1 to 12."
        AppError::invalid("month", "Tháng phải từ 1 đến 12.")
    })?;
    let next = first.checked_add_months(Months::new(1));
    let last = next.and_then(|next| next.pred_opt()).ok_or_else(|| {
        // "Year out of range."
        AppError::invalid("year", "Năm không hợp lệ.")
    })?;
    let unit = query.unit.filter(|code| !code.is_empty());
    let filter = FestivalFilter { unit: unit.clone(), from: Some(first), to: Some(last), ..FestivalFilter::default() };
    let found = festivals::list(&state.db, &current.actor, &filter, Paging { page: 1, per_page: MAX_PER_PAGE }).await?;
    // The list has checked that the unit is in the actor's scope.
    let area = match &unit {
        Some(code) => Some(Unit::from(find_unit(&state.db, code).await?)),
        None => None,
    };
    let (total, shown) = (found.total, found.items.len());
    let more = if total > shown as u64 { Some(festival_list_link(year, area.as_ref())?) } else { None };
    let mut days: Vec<Day> = first
        .iter_days()
        .take_while(|date| *date <= last)
        .map(|date| Day {
            date,
            day: date.day(),
            weekday: date.weekday().num_days_from_monday(),
            festivals: Vec::new(),
        })
        .collect();
    for festival in found.items {
        let date = festival.starts_at.with_timezone(&VN_OFFSET).date_naive();
        // Day N of the month is `days[N - 1]`; the list holds only festivals of the month.
        if let Some(day) = days.get_mut(date.day0() as usize) {
            day.festivals.push(festival);
        }
    }
    let prev = first.checked_sub_months(Months::new(1)).map(Month::from);
    let next = next.map(Month::from);
    render(
        &state,
        "reports/calendar.html",
        context! {
            year, month, unit, area, days, total, shown, more, prev, next, years => year_options(Some(year))
        },
    )
}
