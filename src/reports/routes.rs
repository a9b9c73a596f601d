//! `/api/v1/reports/…` (API.md, *Reports*).

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::conflicts::{self, Conflict, ConflictQuery};
use super::coverage::{self, Coverage, CoverageQuery, RowOptions};
use super::sheets;
use super::summary::{self, FestivalReport, ReportInput, Summary, SummaryQuery};
use crate::app::AppState;
use crate::auth::extract::CurrentUser;
use crate::documents;
use crate::error::{AppError, AppResult};
use crate::festivals::model::{Festival, FestivalFilter};
use crate::festivals::service as festivals;
use crate::list::{Page, PageParams};
use crate::participants::transfer::{Download, XLSX};
use crate::printing::{Printed, draw};
use crate::web::extract::{ApiJson, ApiPath, ApiQuery};
use crate::web::problem::Problem;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(coverage_report))
        .routes(routes!(calendar))
        .routes(routes!(schedule_conflicts))
        .routes(routes!(put_report, get_report))
        .routes(routes!(yearly_summary))
}

/// Records the report of a held festival (attendance, photos, notes) and marks it reported;
/// sending it again corrects it.
#[utoipa::path(put, path = "/festivals/{id}/report", tag = "reports", params(("id" = i32, Path)), request_body = ReportInput,
    responses((status = 200, body = FestivalReport), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem)))]
async fn put_report(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
    ApiJson(input): ApiJson<ReportInput>,
) -> AppResult<Json<FestivalReport>> {
    Ok(Json(summary::put(&state.db, &current.actor, id, input).await?))
}

/// A festival's report.
#[utoipa::path(get, path = "/festivals/{id}/report", tag = "reports", params(("id" = i32, Path)),
    responses((status = 200, body = FestivalReport), (status = 404, body = Problem)))]
async fn get_report(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
) -> AppResult<Json<FestivalReport>> {
    Ok(Json(summary::get(&state.db, &current.actor, id).await?))
}

/// The yearly summary that communes send up: festivals held, people, collectives and
/// individuals commended, movement models. `?format=xlsx` for the spreadsheet, `?format=pdf`
/// for the report to sign (A4, Decree 30/2020 layout, in the name of the unit's People's
/// Committee when it is an issuer).
#[utoipa::path(get, path = "/reports/summary", tag = "reports", params(SummaryQuery),
    responses((status = 200, description = "The summary, or the file `format` asks for",
            content((Summary = "application/json"),
                ("application/pdf"), ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn yearly_summary(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiQuery(query): ApiQuery<SummaryQuery>,
) -> AppResult<Response> {
    let (db, actor, year, unit) = (&state.db, &current.actor, query.year, query.unit.as_deref());
    match query.format.as_deref() {
        None | Some("json") => Ok(Json(summary::summary(db, actor, year, unit).await?).into_response()),
        Some("xlsx") => Ok(summary::spreadsheet(db, actor, year, unit).await?.into_response()),
        Some("pdf") => {
            let (document, file_name) = summary::printable(db, actor, year, unit).await?;
            let bytes = draw(&state, move |fonts| documents::summary::summary(&document, fonts)).await?;
            Ok(Printed::File { bytes, file_name }.into_response())
        }
        // "Format must be json, xlsx or pdf."
        Some(_) => Err(AppError::invalid("format", "Định dạng phải là json, xlsx hoặc pdf.")),
    }
}

/// Leaders (officials and guests, the same person by CCCD, e-mail or phone) invited to
/// festivals of the year that overlap or are less than `gap_minutes` (default 60) apart.
#[utoipa::path(get, path = "/conflicts", tag = "reports", params(ConflictQuery),
    responses((status = 200, body = Vec<Conflict>), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn schedule_conflicts(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiQuery(query): ApiQuery<ConflictQuery>,
) -> AppResult<Json<Vec<Conflict>>> {
    Ok(Json(conflicts::conflicts(&state.db, &current.actor, &query).await?))
}

/// `GET /api/v1/calendar` query.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CalendarQuery {
    /// First day (Vietnam time), `YYYY-MM-DD`.
    pub from: NaiveDate,
    /// Last day, at most 92 days after `from` (a summer).
    pub to: NaiveDate,
    /// A province or commune code; default the caller's whole scope.
    pub unit: Option<String>,
}

/// Longest range of one calendar request, in days: July and August with a margin.
const MAX_CALENDAR_DAYS: i64 = 92;

/// Festivals starting in a range of days, by start time: the calendar of July and August.
#[utoipa::path(get, path = "/calendar", tag = "reports", params(CalendarQuery, PageParams),
    responses((status = 200, body = Page<Festival>), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn calendar(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiQuery(query): ApiQuery<CalendarQuery>,
    ApiQuery(page): ApiQuery<PageParams>,
) -> AppResult<Json<Page<Festival>>> {
    if (query.to - query.from).num_days() > MAX_CALENDAR_DAYS {
        // "At most 92 days at a time."
        return Err(AppError::invalid("to", format!("Tối đa {MAX_CALENDAR_DAYS} ngày mỗi lần xem.")));
    }
    let filter =
        FestivalFilter { unit: query.unit, from: Some(query.from), to: Some(query.to), ..FestivalFilter::default() };
    Ok(Json(festivals::list(&state.db, &current.actor, &filter, page.paging()?).await?))
}

/// How many hosts of each child unit have a festival of the year in each state, or none.
/// `?format=xlsx` gives the same table as a spreadsheet; `sort` and `empty` order and filter
/// the rows of both.
#[utoipa::path(get, path = "/reports/coverage", tag = "reports", params(CoverageQuery, RowOptions),
    responses((status = 200, body = Coverage), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem)))]
async fn coverage_report(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiQuery(query): ApiQuery<CoverageQuery>,
    ApiQuery(options): ApiQuery<RowOptions>,
) -> AppResult<Response> {
    let report =
        coverage::coverage(&state.db, &current.actor, query.year, query.unit.as_deref()).await?.arranged(options);
    match query.format.as_deref() {
        None | Some("json") => Ok(Json(report).into_response()),
        Some("xlsx") => Ok(spreadsheet(&report)?.into_response()),
        // "Format must be json or xlsx."
        Some(_) => Err(AppError::invalid("format", "Định dạng phải là json hoặc xlsx.")),
    }
}

/// The report as an XLSX sheet with Vietnamese headings and a total row.
fn spreadsheet(report: &Coverage) -> AppResult<Download> {
    Ok(Download {
        bytes: sheets::coverage(report)?,
        content_type: XLSX,
        filename: super::file_name("bao-cao-ngay-hoi", report.year, &report.area, "xlsx"),
    })
}
