//! Queries for festivals and their ordered lists (programme, committee).

use chrono::{DateTime, Utc};

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};

use super::model::FestivalStatus;
use crate::areas::model::Area;
use crate::areas::repo::hosts_in;
use crate::entities::{festival, host};
use crate::list::{Page, Paging};

/// A festival with its host.
pub type FestivalRow = (festival::Model, host::Model);

pub async fn find(db: &impl ConnectionTrait, id: i32) -> Result<Option<FestivalRow>, DbErr> {
    let row = festival::Entity::find_by_id(id).find_also_related(host::Entity).one(db).await?;
    Ok(row.and_then(|(festival, host)| Some((festival, host?))))
}

/// The festival whose public page is `/f/{slug}`, with its host.
pub async fn find_by_slug(db: &impl ConnectionTrait, slug: &str) -> Result<Option<FestivalRow>, DbErr> {
    let row = festival::Entity::find()
        .filter(festival::Column::Slug.eq(slug))
        .find_also_related(host::Entity)
        .one(db)
        .await?;
    Ok(row.and_then(|(festival, host)| Some((festival, host?))))
}

pub async fn find_by_host_year(
    db: &impl ConnectionTrait,
    host_id: i32,
    year: i32,
) -> Result<Option<festival::Model>, DbErr> {
    festival::Entity::find()
        .filter(festival::Column::HostId.eq(host_id))
        .filter(festival::Column::Year.eq(year))
        .one(db)
        .await
}

/// What a festival list is narrowed by, already checked.
#[derive(Debug, Default)]
pub struct ListQuery<'a> {
    pub area: Option<&'a Area>,
    pub year: Option<i32>,
    pub status: Option<FestivalStatus>,
    pub host_id: Option<i32>,
    /// A folded fragment of the host's name.
    pub search: Option<&'a str>,
    /// Starting at or after this instant.
    pub starts_from: Option<DateTime<Utc>>,
    /// Starting before this instant.
    pub starts_before: Option<DateTime<Utc>>,
}

/// Festivals with their hosts, ordered by start time.
pub async fn list(
    db: &impl ConnectionTrait,
    query: &ListQuery<'_>,
    paging: Paging,
) -> Result<Page<FestivalRow>, DbErr> {
    let mut select = festival::Entity::find().find_also_related(host::Entity);
    if let Some(area) = query.area {
        select = select.filter(hosts_in(area));
    }
    if let Some(year) = query.year {
        select = select.filter(festival::Column::Year.eq(year));
    }
    if let Some(status) = query.status {
        select = select.filter(festival::Column::Status.eq(status));
    }
    if let Some(host_id) = query.host_id {
        select = select.filter(festival::Column::HostId.eq(host_id));
    }
    if let Some(search) = query.search {
        select = select.filter(host::Column::NameKey.contains(search));
    }
    if let Some(from) = query.starts_from {
        select = select.filter(festival::Column::StartsAt.gte(from));
    }
    if let Some(before) = query.starts_before {
        select = select.filter(festival::Column::StartsAt.lt(before));
    }
    let paginator = select
        .order_by_asc(festival::Column::StartsAt)
        .order_by_asc(festival::Column::Id)
        .paginate(db, paging.per_page);
    let total = paginator.num_items().await?;
    let items = paginator
        .fetch_page(paging.index())
        .await?
        .into_iter()
        .filter_map(|(festival, host)| Some((festival, host?)))
        .collect();
    Ok(Page { items, total })
}

/// Replaces the rows of `entity` belonging to a festival with `rows`, for ordered lists that
/// are edited as a whole. Run it inside a transaction so a failure keeps the old list.
pub async fn replace_list<A>(
    db: &impl ConnectionTrait,
    festival_column: <A::Entity as EntityTrait>::Column,
    festival_id: i32,
    rows: Vec<A>,
) -> Result<(), DbErr>
where
    A: ActiveModelTrait + Send,
{
    <A::Entity as EntityTrait>::delete_many().filter(festival_column.eq(festival_id)).exec(db).await?;
    if !rows.is_empty() {
        <A::Entity as EntityTrait>::insert_many(rows).exec_without_returning(db).await?;
    }
    Ok(())
}
