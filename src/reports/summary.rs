//! After the festivals (API.md, *Reports*): each host records attendance and notes once its
//! festival is held, which marks it reported; the summary a commune or province sends up
//! counts festivals held, people, those commended and the movement models of a year.

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
use crate::areas::service::area_of;
use crate::auth::audit::{self, Action};
use crate::auth::model::{Actor, Place};
use crate::commendation::model::{DecisionState, NomineeKind};
use crate::entities::{
    certificate, decision, festival, festival_report, host, movement_model, nomination, participant,
};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::festivals::model::FestivalStatus;
use crate::festivals::service as festivals;
use crate::time::to_local;

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
        .ok_or_else(|| format!("Nhập số nguyên từ 0 đến {max}."))
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
    if !matches!(row.status, FestivalStatus::Held | FestivalStatus::Reported) {
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

/// A festival's report. Errors: 404 when the festival or its report does not exist.
pub async fn get(db: &impl ConnectionTrait, actor: &Actor, festival_id: i32) -> AppResult<FestivalReport> {
    festivals::find(db, actor, festival_id).await?;
    // "This festival has no report yet."
    let row = festival_report::Entity::find_by_id(festival_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("Ngày hội này chưa có báo cáo."))?;
    Ok(present(row))
}

/// `GET /api/v1/reports/summary` query.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SummaryQuery {
    pub year: i32,
    /// A province or commune code; default the caller's whole scope.
    pub unit: Option<String>,
    /// `xlsx` for a spreadsheet; default JSON.
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

/// The summary of `year` for `unit` (default the actor's scope). Errors: 403 outside the
/// scope; 422 an unknown unit.
pub async fn summary(db: &impl ConnectionTrait, actor: &Actor, year: i32, unit: Option<&str>) -> AppResult<Summary> {
    let area = area_of(db, actor, unit, "unit").await?;
    let held = festival::Entity::find()
        .inner_join(host::Entity)
        .filter(hosts_in(&area))
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
        .filter(hosts_in(&area))
        .filter(festival::Column::Year.eq(year))
        .select_only()
        .column(festival::Column::Id)
        .into_query();
    let participants =
        participant::Entity::find().filter(participant::Column::FestivalId.in_subquery(year_ids)).count(db).await?;
    let hosts = host::Entity::find().filter(hosts_in(&area)).select_only().column(host::Column::Id).into_query();
    let models =
        movement_model::Entity::find().filter(movement_model::Column::HostId.in_subquery(hosts)).count(db).await?;
    Ok(Summary {
        year,
        unit: unit.map(str::to_owned),
        festivals_held,
        attendance: attendance.unwrap_or(0),
        participants,
        collectives_commended: commended(db, &area, year, NomineeKind::Collective).await?,
        individuals_commended: commended(db, &area, year, NomineeKind::Individual).await?,
        models,
    })
}
