//! Queries for units and hosts. Every function takes `&impl ConnectionTrait` so it runs inside
//! a transaction or not.

use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::model::{Area, HostKind};
use crate::auth::model::Scope;
use crate::entities::{admin_unit, festival, host};
use crate::list::{Page, Paging};

pub async fn find_unit(db: &impl ConnectionTrait, code: &str) -> Result<Option<admin_unit::Model>, sea_orm::DbErr> {
    admin_unit::Entity::find_by_id(code).one(db).await
}

/// The units a scope sees: its subtree, and the province above a commune or host.
fn units_visible(scope: &Scope) -> Condition {
    match scope {
        Scope::Country => Condition::all(),
        Scope::Province(code) => Condition::any()
            .add(admin_unit::Column::Code.eq(code.as_str()))
            .add(admin_unit::Column::ParentCode.eq(code.as_str())),
        Scope::Commune { province, commune } | Scope::Host { province, commune, .. } => {
            Condition::all().add(admin_unit::Column::Code.is_in([province.as_str(), commune.as_str()]))
        }
    }
}

/// The same rule as [`units_visible`], for one unit already loaded.
pub fn unit_visible(scope: &Scope, unit: &admin_unit::Model) -> bool {
    match scope {
        Scope::Country => true,
        Scope::Province(code) => unit.code == *code || unit.parent_code.as_ref() == Some(code),
        Scope::Commune { province, commune } | Scope::Host { province, commune, .. } => {
            unit.code == *province || unit.code == *commune
        }
    }
}

/// Units `scope` sees under `parent` (the provinces when `None` and no `search`), matching
/// `search` (an already folded name fragment), ordered by code.
pub async fn list_units(
    db: &impl ConnectionTrait,
    scope: &Scope,
    parent: Option<&str>,
    search: Option<&str>,
    paging: Paging,
) -> Result<Page<admin_unit::Model>, sea_orm::DbErr> {
    let mut query = admin_unit::Entity::find().filter(units_visible(scope)).order_by_asc(admin_unit::Column::Code);
    query = match (parent, search) {
        (Some(parent), _) => query.filter(admin_unit::Column::ParentCode.eq(parent)),
        (None, None) => query.filter(admin_unit::Column::ParentCode.is_null()),
        (None, Some(_)) => query,
    };
    if let Some(search) = search {
        query = query.filter(admin_unit::Column::SearchKey.contains(search));
    }
    let paginator = query.paginate(db, paging.per_page);
    let total = paginator.num_items().await?;
    Ok(Page { items: paginator.fetch_page(paging.index()).await?, total })
}

/// Names of the units with these codes, in one query.
pub async fn unit_names(
    db: &impl ConnectionTrait,
    codes: impl IntoIterator<Item = String>,
) -> Result<std::collections::HashMap<String, String>, sea_orm::DbErr> {
    let rows: Vec<(String, String)> = admin_unit::Entity::find()
        .select_only()
        .columns([admin_unit::Column::Code, admin_unit::Column::Name])
        .filter(admin_unit::Column::Code.is_in(codes))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().collect())
}

/// Names of the hosts with these ids, in one query.
pub async fn host_names(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i32>,
) -> Result<std::collections::HashMap<i32, String>, sea_orm::DbErr> {
    let rows: Vec<(i32, String)> = host::Entity::find()
        .select_only()
        .columns([host::Column::Id, host::Column::Name])
        .filter(host::Column::Id.is_in(ids))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().collect())
}

/// The condition selecting hosts in `area`.
pub fn hosts_in(area: &Area) -> Condition {
    match area {
        Area::Country => Condition::all(),
        Area::Province(code) => Condition::all().add(host::Column::ProvinceCode.eq(code.as_str())),
        Area::Commune(code) => Condition::all().add(host::Column::UnitCode.eq(code.as_str())),
        Area::Host(id) => Condition::all().add(host::Column::Id.eq(*id)),
    }
}

pub async fn find_host(db: &impl ConnectionTrait, id: i32) -> Result<Option<host::Model>, sea_orm::DbErr> {
    host::Entity::find_by_id(id).one(db).await
}

/// The host of `unit_code` whose folded name is `name_key`, if any.
pub async fn find_host_by_name(
    db: &impl ConnectionTrait,
    unit_code: &str,
    name_key: &str,
) -> Result<Option<host::Model>, sea_orm::DbErr> {
    host::Entity::find()
        .filter(host::Column::UnitCode.eq(unit_code))
        .filter(host::Column::NameKey.eq(name_key))
        .one(db)
        .await
}

/// Hosts in `area`, of `kind`, whose folded name contains `search`; ordered by name key.
pub async fn list_hosts(
    db: &impl ConnectionTrait,
    area: &Area,
    kind: Option<HostKind>,
    search: Option<&str>,
    paging: Paging,
) -> Result<Page<host::Model>, sea_orm::DbErr> {
    let mut query = host::Entity::find().filter(hosts_in(area));
    if let Some(kind) = kind {
        query = query.filter(host::Column::Kind.eq(kind));
    }
    if let Some(search) = search {
        query = query.filter(host::Column::NameKey.contains(search));
    }
    let paginator =
        query.order_by_asc(host::Column::NameKey).order_by_asc(host::Column::Id).paginate(db, paging.per_page);
    let total = paginator.num_items().await?;
    Ok(Page { items: paginator.fetch_page(paging.index()).await?, total })
}

pub async fn count_festivals_of_host(db: &impl ConnectionTrait, host_id: i32) -> Result<u64, sea_orm::DbErr> {
    festival::Entity::find().filter(festival::Column::HostId.eq(host_id)).count(db).await
}
