//! Rules for units and hosts: a host is in a commune, its name is unique there (compared
//! without case and accents), and a host with festivals cannot be deleted.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DatabaseConnection, EntityTrait, Set, TransactionTrait};

use super::model::{Area, Host, HostChanges, HostFilter, HostName, NewHost, Unit, UnitFilter, UnitLevel};
use super::repo;
use crate::auth::audit::{self, Action};
use crate::auth::model::{Actor, Place, Role, Scope};
use crate::entities::{admin_unit, host};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::list::{Page, Paging, search_key};
use crate::text::fold;

/// The stored unit. Errors: 404 when no unit has `code`.
pub async fn find_unit(db: &impl ConnectionTrait, code: &str) -> AppResult<admin_unit::Model> {
    repo::find_unit(db, code)
        .await?
        // "No administrative unit with code …"
        .ok_or_else(|| AppError::not_found(format!("Không có đơn vị hành chính mã {code}.")))
}

/// Errors: 404 when no unit has `code` or the actor may not see it (units outside the scope,
/// other than its own province, are hidden).
pub async fn get_unit(db: &impl ConnectionTrait, actor: &Actor, code: &str) -> AppResult<Unit> {
    let unit = find_unit(db, code).await?;
    if !repo::unit_visible(&actor.scope, &unit) {
        return Err(AppError::not_found(format!("Không có đơn vị hành chính mã {code}.")));
    }
    Ok(Unit::from(unit))
}

/// Units the actor may see (their subtree and the province above it), under `parent`.
/// Errors: 403 when `parent` lies outside the actor's scope.
pub async fn list_units(
    db: &impl ConnectionTrait,
    actor: &Actor,
    filter: &UnitFilter,
    paging: Paging,
) -> AppResult<Page<Unit>> {
    if let Some(parent) = &filter.parent {
        area_of(db, actor, Some(parent), "parent").await?;
    }
    let search = search_key(filter.q.as_deref());
    let page = repo::list_units(db, &actor.scope, filter.parent.as_deref(), search.as_deref(), paging).await?;
    Ok(page.map(Unit::from))
}

/// The area a `?unit=` filter names, narrowed to the actor's scope: none → the whole scope;
/// a unit containing the scope → the scope; a unit inside it → that unit.
/// Errors: 422 naming `field` when the code is unknown; 403 when unit and scope do not meet.
pub async fn area_of(db: &impl ConnectionTrait, actor: &Actor, code: Option<&str>, field: &str) -> AppResult<Area> {
    let Some(code) = code else { return Ok(actor.area()) };
    // "Unknown administrative unit code."
    let unit = repo::find_unit(db, code)
        .await?
        .ok_or_else(|| AppError::invalid(field, "Mã đơn vị hành chính không tồn tại."))?;
    if actor.covers(&Place::of_unit(&unit)) {
        return Ok(match unit.level {
            UnitLevel::Province => Area::Province(unit.code),
            UnitLevel::Commune => Area::Commune(unit.code),
        });
    }
    let contains_scope = match (&actor.scope, unit.level) {
        (Scope::Commune { province, .. } | Scope::Host { province, .. }, UnitLevel::Province) => unit.code == *province,
        (Scope::Host { commune, .. }, UnitLevel::Commune) => unit.code == *commune,
        _ => false,
    };
    if contains_scope { Ok(actor.area()) } else { Err(AppError::forbidden()) }
}

/// The commune with `code`. Errors (as `Err(message)` for `field`): unknown, or a province.
async fn commune(db: &impl ConnectionTrait, code: &str) -> AppResult<Result<admin_unit::Model, String>> {
    Ok(match repo::find_unit(db, code.trim()).await? {
        Some(unit) if unit.level == UnitLevel::Commune => Ok(unit),
        // "Choose a commune, ward or special zone, not a province."
        Some(_) => Err("Hãy chọn xã, phường hoặc đặc khu, không phải tỉnh.".to_owned()),
        None => Err("Mã đơn vị hành chính không tồn tại.".to_owned()),
    })
}

/// Errors: 403 below the commune role or outside the scope; 422 for a blank or too long name,
/// an unknown or non-commune unit; 409 naming `name` when the commune already has a host of
/// that name.
pub async fn create_host(db: &DatabaseConnection, actor: &Actor, input: NewHost) -> AppResult<Host> {
    actor.ensure_role(Role::Commune)?;
    let mut errors = FieldErrors::default();
    let name = errors.check("name", HostName::parse(&input.name));
    let unit = errors.check("unit_code", commune(db, &input.unit_code).await?);
    let (Some(name), Some(unit)) = (name, unit) else {
        return Err(errors.into());
    };
    actor.ensure_covers(&Place::of_unit(&unit))?;
    let name_key = fold(name.as_str());
    ensure_name_free(db, &unit.code, &name_key, None).await?;
    let now = Utc::now();
    let txn = db.begin().await?;
    let created = host::ActiveModel {
        name: Set(name.into_inner()),
        name_key: Set(name_key),
        kind: Set(input.kind),
        unit_code: Set(unit.code.clone()),
        province_code: Set(unit.parent_code.clone().unwrap_or_default()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|err| AppError::from_unique(err, "name", DUPLICATE_NAME))?;
    let summary = format!("Tạo đơn vị tổ chức {}", created.name); // "Created host …"
    audit::record(&txn, actor, Action::Create, "host", created.id, Some(&Place::of_host(&created)), summary).await?;
    txn.commit().await?;
    Ok(Host::new(created, unit.name))
}

// "This commune already has a host with that name."
const DUPLICATE_NAME: &str = "Xã/phường này đã có đơn vị tổ chức trùng tên.";

async fn ensure_name_free(
    db: &impl ConnectionTrait,
    unit_code: &str,
    name_key: &str,
    except_id: Option<i32>,
) -> AppResult<()> {
    match repo::find_host_by_name(db, unit_code, name_key).await? {
        Some(other) if Some(other.id) != except_id => Err(AppError::conflict("name", DUPLICATE_NAME)),
        _ => Ok(()),
    }
}

/// The stored host. Errors: 404 when unknown or outside the actor's scope.
pub async fn find_host(db: &impl ConnectionTrait, actor: &Actor, id: i32) -> AppResult<host::Model> {
    // "No host number …"
    let missing = || AppError::not_found(format!("Không tìm thấy đơn vị tổ chức số {id}."));
    let host = repo::find_host(db, id).await?.ok_or_else(missing)?;
    actor.ensure_sees(&Place::of_host(&host), missing)?;
    Ok(host)
}

/// Errors: 404 when unknown or outside the actor's scope.
pub async fn get_host(db: &impl ConnectionTrait, actor: &Actor, id: i32) -> AppResult<Host> {
    let host = find_host(db, actor, id).await?;
    let unit_name = repo::find_unit(db, &host.unit_code).await?.map(|unit| unit.name).unwrap_or_default();
    Ok(Host::new(host, unit_name))
}

/// Hosts inside the actor's scope. Errors: 422 naming `unit` when the code is unknown; 403
/// when it is outside the scope.
pub async fn list_hosts(
    db: &impl ConnectionTrait,
    actor: &Actor,
    filter: &HostFilter,
    paging: Paging,
) -> AppResult<Page<Host>> {
    let area = area_of(db, actor, filter.unit.as_deref(), "unit").await?;
    let search = search_key(filter.q.as_deref());
    let page = repo::list_hosts(db, &area, filter.kind, search.as_deref(), paging).await?;
    let names = repo::unit_names(db, page.items.iter().map(|host| host.unit_code.clone())).await?;
    Ok(page.map(|host| {
        let unit_name = names.get(&host.unit_code).cloned().unwrap_or_default();
        Host::new(host, unit_name)
    }))
}

/// Errors: 404 outside the scope; 403 when moved outside it; 422 as for creation; 409 on a
/// duplicate name.
pub async fn update_host(db: &DatabaseConnection, actor: &Actor, id: i32, changes: HostChanges) -> AppResult<Host> {
    let current = find_host(db, actor, id).await?;
    let mut errors = FieldErrors::default();
    let name = match &changes.name {
        Some(raw) => errors.check("name", HostName::parse(raw)).map(HostName::into_inner),
        None => Some(current.name.clone()),
    };
    let unit = match &changes.unit_code {
        Some(code) => errors.check("unit_code", commune(db, code).await?),
        None => repo::find_unit(db, &current.unit_code).await?,
    };
    let (Some(name), Some(unit)) = (name, unit) else {
        return Err(errors.into());
    };
    if unit.code != current.unit_code {
        actor.ensure_role(Role::Commune)?;
        actor.ensure_covers(&Place::of_unit(&unit))?;
    }
    let name_key = fold(&name);
    ensure_name_free(db, &unit.code, &name_key, Some(id)).await?;
    let mut active: host::ActiveModel = current.into();
    active.name = Set(name);
    active.name_key = Set(name_key);
    if let Some(kind) = changes.kind {
        active.kind = Set(kind);
    }
    active.unit_code = Set(unit.code.clone());
    active.province_code = Set(unit.parent_code.clone().unwrap_or_default());
    active.updated_at = Set(Utc::now());
    let txn = db.begin().await?;
    let updated = active.update(&txn).await.map_err(|err| AppError::from_unique(err, "name", DUPLICATE_NAME))?;
    let summary = format!("Sửa đơn vị tổ chức {}", updated.name); // "Edited host …"
    audit::record(&txn, actor, Action::Update, "host", id, Some(&Place::of_host(&updated)), summary).await?;
    txn.commit().await?;
    Ok(Host::new(updated, unit.name))
}

/// Errors: 404 outside the scope; 403 below the commune role; 409 when the host has festivals
/// (delete those first, so nothing is lost by a slip of the mouse).
pub async fn delete_host(db: &DatabaseConnection, actor: &Actor, id: i32) -> AppResult<()> {
    let host = find_host(db, actor, id).await?;
    actor.ensure_role(Role::Commune)?;
    if repo::count_festivals_of_host(db, id).await? > 0 {
        // "This host has festivals; delete them first."
        return Err(AppError::state_conflict("Đơn vị này đã có ngày hội; hãy xóa ngày hội trước."));
    }
    let txn = db.begin().await?;
    host::Entity::delete_by_id(host.id).exec(&txn).await?;
    let summary = format!("Xóa đơn vị tổ chức {}", host.name); // "Deleted host …"
    audit::record(&txn, actor, Action::Delete, "host", id, Some(&Place::of_host(&host)), summary).await?;
    txn.commit().await?;
    Ok(())
}
