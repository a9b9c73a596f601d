//! The coverage dashboard (`/reports/coverage`): the report of `reports::coverage` as a table
//! that drills down from the country to provinces, communes and kinds of host, a bar per row
//! drawn as server-side SVG, and the units lagging behind.

use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use chrono::Utc;
use minijinja::context;
use serde::{Deserialize, Serialize};

use super::coverage::{self, Counts, CoverageRow};
use crate::app::AppState;
use crate::areas::model::Unit;
use crate::areas::service::find_unit;
use crate::auth::extract::CurrentUser;
use crate::error::AppResult;
use crate::festivals::pages::year_options;
use crate::time::local_year;
use crate::web::extract::ApiQuery;
use crate::web::pages::render;

pub fn router() -> Router<AppState> {
    Router::new().route("/reports/coverage", get(show))
}

/// `/reports/coverage` query: the year (default this year) and the unit (default the scope).
#[derive(Debug, Default, Deserialize)]
pub(crate) struct DashboardQuery {
    year: Option<i32>,
    unit: Option<String>,
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

async fn show(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiQuery(query): ApiQuery<DashboardQuery>,
) -> AppResult<Response> {
    // Without a year: the latest with festivals, so the page never opens on an empty year.
    let this_year = local_year(Utc::now());
    let year = match query.year {
        Some(year) => year,
        None => coverage::latest_year(&state.db, &current.actor, this_year + 1).await?.unwrap_or(this_year),
    };
    let unit = query.unit.filter(|code| !code.is_empty());
    let report = coverage::coverage(&state.db, &current.actor, year, unit.as_deref()).await?;
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
    let years = year_options(Some(year));
    render(
        &state,
        "reports/coverage.html",
        context! { report, bars, lagging, percent, total_segments, parent, years, year },
    )
}
