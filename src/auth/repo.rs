//! Queries for users.

use sea_orm::{ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

use crate::areas::model::Area;
use crate::entities::user;
use crate::list::{Page, Paging};

pub async fn find(db: &impl ConnectionTrait, id: i32) -> Result<Option<user::Model>, DbErr> {
    user::Entity::find_by_id(id).one(db).await
}

/// `email` must already be lower-case.
pub async fn find_by_email(db: &impl ConnectionTrait, email: &str) -> Result<Option<user::Model>, DbErr> {
    user::Entity::find().filter(user::Column::Email.eq(email)).one(db).await
}

/// Users whose scope lies inside `area` and whose search key contains `search` (already
/// folded), by e-mail.
pub async fn list(
    db: &impl ConnectionTrait,
    area: &Area,
    search: Option<&str>,
    paging: Paging,
) -> Result<Page<user::Model>, DbErr> {
    let mut condition = match area {
        Area::Country => Condition::all(),
        Area::Province(code) => Condition::all().add(user::Column::ProvinceCode.eq(code.as_str())),
        Area::Commune(code) => Condition::all().add(user::Column::UnitCode.eq(code.as_str())),
        Area::Host(id) => Condition::all().add(user::Column::HostId.eq(*id)),
    };
    if let Some(search) = search {
        condition = condition.add(user::Column::SearchKey.contains(search));
    }
    let paginator =
        user::Entity::find().filter(condition).order_by_asc(user::Column::Email).paginate(db, paging.per_page);
    let total = paginator.num_items().await?;
    Ok(Page { items: paginator.fetch_page(paging.index()).await?, total })
}
