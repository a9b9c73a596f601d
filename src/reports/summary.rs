//! After the festivals (API.md, *Reports*): each host records attendance and notes once its
//! festival is held, which marks it reported; the summary a commune or province sends up
//! counts festivals held, people, those commended and the movement models of a year, as
//! JSON, a spreadsheet or the printed report (`documents::summary`).

use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QuerySelect, QueryTrait, Set, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::areas::model::Area;
use crate::areas::repo::hosts_in;
use crate::areas::service::{area_of, find_unit};
use crate::auth::audit::{self, Action};
use crate::auth::model::{Actor, Place};
use crate::commendation::model::{DecisionState, NomineeKind};
use crate::commendation::printing as commendation;
use crate::documents::summary::SummaryDocument;
use crate::entities::{
    admin_unit, certificate, decision, festival, festival_report, host, movement_model, nomination, participant,
};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::festivals::model::FestivalStatus;
use crate::festivals::service as festivals;
use crate::participants::transfer::{Download, XLSX};
use crate::text::thousands;
use crate::time::{local_date, to_local};

use super::sheets;

/// `PUT /api/v1/festivals/{id}/report` body.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ReportInput {
    /// People who came, 0 to 1,000,000.
    pub attendance: i64,
    /// Photos taken (default 0).
    pub photos: Option<i64>,
    pub notes: Option<String>,
}

/// A festival's report.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FestivalReport {
    pub festival_id: i32,
    pub attendance: i32,
    pub photos: i32,
    pub notes: String,
    pub reported_at: chrono::DateTime<chrono::FixedOffset>,
}

fn present(row: festival_report::Model) -> FestivalReport {
    FestivalReport {
        festival_id: row.festival_id,
        attendance: row.attendance,
        photos: row.photos,
        notes: row.notes,
        reported_at: to_local(row.reported_at),
    }
}

/// A count within `0..=max`. Errors: the message for the field.
fn count(value: i64, max: i64) -> Result<i32, String> {
    // "A whole number from 0 to …"
    i32::try_from(value)
        .ok()
        .filter(|n| (0..=max).contains(&i64::from(*n)))
        .ok_or_else(|| format!("Nhập số nguyên từ 0 đến {}.", thousands(max)))
}

/// Records (or corrects) the report of a held festival and marks it reported. Errors: 404;
/// 409 before the festival is held or when cancelled; 422 per field.
pub async fn put(
    db: &DatabaseConnection,
    actor: &Actor,
    festival_id: i32,
    input: ReportInput,
) -> AppResult<FestivalReport> {
    let (row, host) = festivals::find(db, actor, festival_id).await?;
    if !row.status.takes_report() {
        // "Report once the festival has been held (status now: …)."
        return Err(AppError::state_conflict(format!(
            "Chỉ ghi báo cáo sau khi ngày hội đã tổ chức (hiện: “{}”).",
            row.status.label()
        )));
    }
    let mut errors = FieldErrors::default();
    let attendance = errors.check("attendance", count(input.attendance, 1_000_000));
    let photos = errors.check("photos", count(input.photos.unwrap_or(0), 100_000));
    let notes = errors.check("notes", crate::text::notes(input.notes.as_deref().unwrap_or(""), 4000));
    let (Some(attendance), Some(photos), Some(notes)) = (attendance, photos, notes) else {
        return Err(errors.into());
    };
    let txn = db.begin().await?;
    let report = festival_report::ActiveModel {
        festival_id: Set(row.id),
        attendance: Set(attendance),
        photos: Set(photos),
        notes: Set(notes),
        reported_by: Set(actor.user_id),
        reported_at: Set(Utc::now()),
    };
    festival_report::Entity::delete_by_id(row.id).exec(&txn).await?;
    let saved = report.insert(&txn).await?;
    if row.status == FestivalStatus::Held {
        let mut active = row.clone().into_active_model();
        active.status = Set(FestivalStatus::Reported);
        active.updated_at = Set(Utc::now());
        active.update(&txn).await?;
    }
    // "Reported the festival: … attended"
    let summary = format!("Báo cáo kết quả ngày hội: {attendance} người tham dự");
    audit::record(&txn, actor, Action::Update, "festival", row.id, Some(&Place::of_host(&host)), summary).await?;
    txn.commit().await?;
    Ok(present(saved))
}

/// The report of festival `festival_id`, if one was recorded; for a page that has already
/// checked the festival is the actor's to see.
pub async fn of_festival(db: &impl ConnectionTrait, festival_id: i32) -> AppResult<Option<FestivalReport>> {
    Ok(festival_report::Entity::find_by_id(festival_id).one(db).await?.map(present))
}

/// A festival's report. Errors: 404 when the festival or its report does not exist.
pub async fn get(db: &impl ConnectionTrait, actor: &Actor, festival_id: i32) -> AppResult<FestivalReport> {
    festivals::find(db, actor, festival_id).await?;
    // "This festival has no report yet."
    of_festival(db, festival_id).await?.ok_or_else(|| AppError::not_found("Ngày hội này chưa có báo cáo."))
}

/// `GET /api/v1/reports/summary` query.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SummaryQuery {
    pub year: i32,
    /// A province or commune code; default the caller's whole scope.
    pub unit: Option<String>,
    /// `xlsx` for a spreadsheet, `pdf` for the printed report (A4); default JSON.
    pub format: Option<String>,
}

/// The yearly summary of an area.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Summary {
    pub year: i32,
    pub unit: Option<String>,
    /// Festivals held (held or reported).
    pub festivals_held: u64,
    /// People who came, from the hosts' reports.
    pub attendance: i64,
    /// People entered or registered for the festivals of the year.
    pub participants: u64,
    /// Certificates of decisions in force for nominations of the year.
    pub collectives_commended: u64,
    pub individuals_commended: u64,
    /// Movement models of the area's hosts.
    pub models: u64,
}

/// Certificates of `kind` for nominations of `year` from `area`, in decisions in force.
async fn commended(db: &impl ConnectionTrait, area: &Area, year: i32, kind: NomineeKind) -> AppResult<u64> {
    let nominations = nomination::Entity::find().filter(nomination::Column::Year.eq(year));
    let nominations = match area {
        Area::Country => nominations,
        Area::Province(code) => nominations.filter(nomination::Column::ProvinceCode.eq(code.as_str())),
        Area::Commune(code) => nominations.filter(nomination::Column::UnitCode.eq(code.as_str())),
        Area::Host(id) => nominations.filter(nomination::Column::HostId.eq(*id)),
    };
    let in_force = decision::Entity::find()
        .filter(decision::Column::State.eq(DecisionState::Active))
        .select_only()
        .column(decision::Column::Id)
        .into_query();
    Ok(certificate::Entity::find()
        .filter(certificate::Column::Kind.eq(kind))
        .filter(certificate::Column::DecisionId.in_subquery(in_force))
        .filter(
            certificate::Column::NominationId
                .in_subquery(nominations.select_only().column(nomination::Column::Id).into_query()),
        )
        .count(db)
        .await?)
}

impl Summary {
    /// What is counted, in Vietnamese, with its figure: the rows of the spreadsheet and of the
    /// printed table, in that order.
    pub fn figures(&self) -> [(&'static str, i64); 6] {
        // Row counts; far below i64::MAX.
        let count = |n: u64| n as i64;
        [
            // "Festivals held"
            ("Số ngày hội đã tổ chức", count(self.festivals_held)),
            // "People who came (as reported)"
            ("Số người tham dự (theo báo cáo)", self.attendance),
            // "People registered or invited"
            ("Số người đăng ký, được mời", count(self.participants)),
            // "Collectives commended"
            ("Số tập thể được khen thưởng", count(self.collectives_commended)),
            // "Individuals commended"
            ("Số cá nhân được khen thưởng", count(self.individuals_commended)),
            // "Movement models"
            ("Số mô hình phong trào", count(self.models)),
        ]
    }
}

/// `tong-hop-2025-27031.xlsx` and the like: the summary of `year` in `area` as a file of type
/// `extension`.
fn file_name(year: i32, area: &Area, extension: &str) -> String {
    super::file_name("tong-hop", year, area, extension)
}

/// The summary of `year` for `unit` (default the actor's scope). Errors: 403 outside the
/// scope; 422 an unknown unit.
pub async fn summary(db: &impl ConnectionTrait, actor: &Actor, year: i32, unit: Option<&str>) -> AppResult<Summary> {
    let area = area_of(db, actor, unit, "unit").await?;
    tally(db, &area, year, unit).await
}

/// The figures of `year` in `area`, reported as asked for `unit`.
async fn tally(db: &impl ConnectionTrait, area: &Area, year: i32, unit: Option<&str>) -> AppResult<Summary> {
    let held = festival::Entity::find()
        .inner_join(host::Entity)
        .filter(hosts_in(area))
        .filter(festival::Column::Year.eq(year))
        .filter(festival::Column::Status.is_in([FestivalStatus::Held, FestivalStatus::Reported]));
    let festivals_held = held.clone().count(db).await?;
    let held_ids = held.select_only().column(festival::Column::Id).into_query();
    let attendance: Option<i64> = festival_report::Entity::find()
        .select_only()
        .column_as(Expr::col(festival_report::Column::Attendance).sum(), "total")
        .filter(festival_report::Column::FestivalId.in_subquery(held_ids))
        .into_tuple()
        .one(db)
        .await?
        .flatten();
    let year_ids = festival::Entity::find()
        .inner_join(host::Entity)
        .filter(hosts_in(area))
        .filter(festival::Column::Year.eq(year))
        .select_only()
        .column(festival::Column::Id)
        .into_query();
    let participants =
        participant::Entity::find().filter(participant::Column::FestivalId.in_subquery(year_ids)).count(db).await?;
    let hosts = host::Entity::find().filter(hosts_in(area)).select_only().column(host::Column::Id).into_query();
    let models =
        movement_model::Entity::find().filter(movement_model::Column::HostId.in_subquery(hosts)).count(db).await?;
    Ok(Summary {
        year,
        unit: unit.map(str::to_owned),
        festivals_held,
        attendance: attendance.unwrap_or(0),
        participants,
        collectives_commended: commended(db, area, year, NomineeKind::Collective).await?,
        individuals_commended: commended(db, area, year, NomineeKind::Individual).await?,
        models,
    })
}

/// The area of a report in words (e.g. "Phường Tân Phú, Thành phố Hồ Chí Minh"), the place
/// its place-date line names, and the unit whose body may report for it.
struct Described {
    scope: String,
    place: Option<String>,
    reporting_unit: Option<String>,
}

/// Names `area` for the printed report. Errors: 404 when a unit or host has gone.
async fn describe(db: &impl ConnectionTrait, area: &Area) -> AppResult<Described> {
    let name = |unit: admin_unit::Model| unit.name;
    Ok(match area {
        // "The whole country"
        Area::Country => Described { scope: "Toàn quốc".to_owned(), place: None, reporting_unit: None },
        Area::Province(code) => {
            let province = name(find_unit(db, code).await?);
            Described { scope: province.clone(), place: Some(province), reporting_unit: Some(code.clone()) }
        }
        Area::Commune(code) => {
            let commune = find_unit(db, code).await?;
            let scope = match &commune.parent_code {
                Some(parent) => format!("{}, {}", commune.name, name(find_unit(db, parent).await?)),
                None => commune.name.clone(),
            };
            Described { scope, place: Some(commune.name), reporting_unit: Some(code.clone()) }
        }
        // A host reports to its commune rather than in a body's name of its own.
        Area::Host(id) => {
            // "No host number …"
            let host = host::Entity::find_by_id(*id)
                .one(db)
                .await?
                .ok_or_else(|| AppError::not_found(format!("Không có đơn vị tổ chức số {id}.")))?;
            let commune = name(find_unit(db, &host.unit_code).await?);
            let province = name(find_unit(db, &host.province_code).await?);
            Described {
                scope: format!("{}, {commune}, {province}", host.name),
                place: Some(commune),
                reporting_unit: None,
            }
        }
    })
}

/// The summary of `year` for `unit` (default the actor's scope) as a spreadsheet: a title, the
/// area in words, then the table of figures. Errors: 403 outside the scope; 422 an unknown
/// unit.
pub async fn spreadsheet(
    db: &impl ConnectionTrait,
    actor: &Actor,
    year: i32,
    unit: Option<&str>,
) -> AppResult<Download> {
    let area = area_of(db, actor, unit, "unit").await?;
    let report = tally(db, &area, year, unit).await?;
    let described = describe(db, &area).await?;
    Ok(Download {
        bytes: sheets::summary(&report, &described.scope)?,
        content_type: XLSX,
        filename: file_name(year, &area, "xlsx"),
    })
}

/// The summary of `year` for `unit` (default the actor's scope) ready to print, dated today
/// (Vietnam time): in the name of the unit's People's Committee (or its first issuer) when it
/// has one, with the national title alone otherwise. Errors: 403 outside the scope; 422 an
/// unknown unit. With the document, the name of its PDF file.
pub async fn printable(
    db: &impl ConnectionTrait,
    actor: &Actor,
    year: i32,
    unit: Option<&str>,
) -> AppResult<(SummaryDocument, String)> {
    let area = area_of(db, actor, unit, "unit").await?;
    let report = tally(db, &area, year, unit).await?;
    let described = describe(db, &area).await?;
    let issuer = match &described.reporting_unit {
        Some(code) => commendation::reporting_issuer(db, code).await?,
        None => None,
    };
    let document = SummaryDocument {
        reporter: issuer.as_ref().map(commendation::reporter),
        place_name: issuer.map(|issuer| issuer.place_name).or(described.place),
        date: local_date(Utc::now()),
        year,
        scope: described.scope,
        figures: report.figures().map(|(label, figure)| (label.to_owned(), thousands(figure))).into(),
    };
    Ok((document, file_name(year, &area, "pdf")))
}
