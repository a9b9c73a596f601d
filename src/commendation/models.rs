//! Movement models (mô hình) of the hosts: self-management, self-defence, self-mediation
//! teams that are commended as collectives (DOMAIN.md, *Movement models*).

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};

use super::model::{ModelChanges, MovementModel, NewModel, UnitFilter};
use crate::areas::repo::{self as areas_repo, hosts_in};
use crate::areas::service::{area_of, find_host};
use crate::auth::audit::{self, Action};
use crate::auth::model::{Actor, Place};
use crate::entities::{host, movement_model, nomination};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::list::search_key;
use crate::text::{Line, fold};
use crate::time::local_year;

pub type ModelName = Line<200>;

/// A model with its host. Errors: 404 when unknown or outside the actor's scope.
pub async fn find(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i32,
) -> AppResult<(movement_model::Model, host::Model)> {
    // "No model number …"
    let missing = || AppError::not_found(format!("Không tìm thấy mô hình số {id}."));
    let model = movement_model::Entity::find_by_id(id).one(db).await?.ok_or_else(missing)?;
    let host = find_host(db, actor, model.host_id).await.map_err(|_| missing())?;
    Ok((model, host))
}

fn present(model: movement_model::Model, host: host::Model) -> MovementModel {
    MovementModel {
        id: model.id,
        name: model.name,
        host_id: host.id,
        host_name: host.name,
        unit_code: host.unit_code,
        kind: model.kind,
        founded_year: model.founded_year,
        members: model.members,
    }
}

/// Checked `founded_year` (1945 to this year) and `members` (1 to 100,000), added to `errors`.
fn check_numbers(errors: &mut FieldErrors, founded_year: Option<i32>, members: Option<i32>) {
    let this_year = local_year(Utc::now());
    if founded_year.is_some_and(|year| !(1945..=this_year).contains(&year)) {
        errors.add("founded_year", format!("Năm thành lập từ 1945 đến {this_year}.")); // "Founded 1945 to …"
    }
    if members.is_some_and(|count| !(1..=100_000).contains(&count)) {
        errors.add("members", "Số thành viên từ 1 đến 100.000."); // "1 to 100,000 members."
    }
}

// "This host already has a model with that name."
const DUPLICATE: &str = "Đơn vị này đã có mô hình cùng tên.";

/// Registers a model of a host in the actor's scope. Errors: 422 per field (`host_id`
/// unknown); 403 host outside the scope; 409
/// when the host has a model of that name (ignoring case and accents).
pub async fn create(db: &DatabaseConnection, actor: &Actor, input: NewModel) -> AppResult<MovementModel> {
    let mut errors = FieldErrors::default();
    let name = errors.check("name", ModelName::parse(&input.name));
    check_numbers(&mut errors, input.founded_year, input.members);
    let host = areas_repo::find_host(db, input.host_id).await?;
    if host.is_none() {
        errors.add("host_id", "Không có đơn vị tổ chức này."); // "No such host."
    }
    let (Some(name), Some(host), true) = (name, host, errors.is_empty()) else { return Err(errors.into()) };
    actor.ensure_covers(&Place::of_host(&host))?;
    let now = Utc::now();
    let txn = db.begin().await?;
    let created = movement_model::ActiveModel {
        name_key: Set(fold(name.as_str())),
        name: Set(name.into_inner()),
        host_id: Set(host.id),
        kind: Set(input.kind),
        founded_year: Set(input.founded_year),
        members: Set(input.members),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|err| AppError::from_unique(err, "name", DUPLICATE))?;
    let summary = format!("Tạo mô hình {} của {}", created.name, host.name); // "Created model … of …"
    audit::record(&txn, actor, Action::Create, "model", created.id, Some(&Place::of_host(&host)), summary).await?;
    txn.commit().await?;
    Ok(present(created, host))
}

/// Errors: 404.
pub async fn get(db: &impl ConnectionTrait, actor: &Actor, id: i32) -> AppResult<MovementModel> {
    let (model, host) = find(db, actor, id).await?;
    Ok(present(model, host))
}

/// Models of the hosts in `filter.unit` (a province or commune; default the actor's scope)
/// whose names contain `filter.q`, by host and name. Errors: 403 outside the scope; 422
/// naming `unit`.
pub async fn list(db: &impl ConnectionTrait, actor: &Actor, filter: &UnitFilter) -> AppResult<Vec<MovementModel>> {
    let area = area_of(db, actor, filter.unit.as_deref(), "unit").await?;
    let mut select = movement_model::Entity::find().find_also_related(host::Entity).filter(hosts_in(&area));
    if let Some(search) = search_key(filter.q.as_deref()) {
        select = select.filter(movement_model::Column::NameKey.contains(search));
    }
    let rows = select
        .order_by_asc(host::Column::UnitCode)
        .order_by_asc(movement_model::Column::HostId)
        .order_by_asc(movement_model::Column::NameKey)
        .all(db)
        .await?;
    Ok(rows.into_iter().filter_map(|(model, host)| Some(present(model, host?))).collect())
}

/// Applies `changes`. Errors: 404; 403; 409 duplicate name; 422 per field.
pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    changes: ModelChanges,
) -> AppResult<MovementModel> {
    let (current, host) = find(db, actor, id).await?;
    actor.ensure_covers(&Place::of_host(&host))?;
    let mut errors = FieldErrors::default();
    let name = errors.check("name", ModelName::parse(changes.name.as_deref().unwrap_or(&current.name)));
    let founded_year = changes.founded_year.or(current.founded_year);
    let members = changes.members.or(current.members);
    check_numbers(&mut errors, founded_year, members);
    let (Some(name), true) = (name, errors.is_empty()) else { return Err(errors.into()) };
    let mut active: movement_model::ActiveModel = current.into();
    active.name_key = Set(fold(name.as_str()));
    active.name = Set(name.into_inner());
    if let Some(kind) = changes.kind {
        active.kind = Set(kind);
    }
    active.founded_year = Set(founded_year);
    active.members = Set(members);
    active.updated_at = Set(Utc::now());
    let txn = db.begin().await?;
    let updated = active.update(&txn).await.map_err(|err| AppError::from_unique(err, "name", DUPLICATE))?;
    let summary = format!("Sửa mô hình {}", updated.name); // "Edited model …"
    audit::record(&txn, actor, Action::Update, "model", id, Some(&Place::of_host(&host)), summary).await?;
    txn.commit().await?;
    Ok(present(updated, host))
}

/// Deletes a model that no nomination names. Errors: 404; 403; 409 when nominated.
pub async fn delete(db: &DatabaseConnection, actor: &Actor, id: i32) -> AppResult<()> {
    let (model, host) = find(db, actor, id).await?;
    actor.ensure_covers(&Place::of_host(&host))?;
    let nominated = nomination::Entity::find().filter(nomination::Column::ModelId.eq(id)).one(db).await?;
    if nominated.is_some() {
        // "This model has been nominated for commendation; it cannot be deleted."
        return Err(AppError::state_conflict("Mô hình đã được đề nghị khen thưởng nên không xóa được."));
    }
    let txn = db.begin().await?;
    movement_model::Entity::delete_by_id(id).exec(&txn).await?;
    let summary = format!("Xóa mô hình {}", model.name); // "Deleted model …"
    audit::record(&txn, actor, Action::Delete, "model", id, Some(&Place::of_host(&host)), summary).await?;
    txn.commit().await?;
    Ok(())
}
