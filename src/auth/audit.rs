//! The audit log: who created, changed, deleted, exported or logged in, when and where.
//! Admins see all of it, province users their province's part.

use chrono::{Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};

use super::model::{Actor, AuditEvent, AuditFilter, Place, Role, Scope};
use super::search_keys::key_of;
use crate::entities::audit_event;
use crate::error::{AppError, AppResult};
use crate::list::{Page, Paging, search_key};
use crate::time::{VN_OFFSET, to_local};

/// What was done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Create,
    Update,
    Delete,
    Status,
    Export,
    Login,
    Logout,
}

impl Action {
    fn code(self) -> &'static str {
        match self {
            Self::Create => "create",
            Self::Update => "update",
            Self::Delete => "delete",
            Self::Status => "status",
            Self::Export => "export",
            Self::Login => "login",
            Self::Logout => "logout",
        }
    }
}

/// Records one event by `actor` on `entity`/`entity_id` at `place`; `summary` is a short
/// Vietnamese description. Call it inside the transaction of the change it records.
pub async fn record(
    db: &impl ConnectionTrait,
    actor: &Actor,
    action: Action,
    entity: &str,
    entity_id: impl ToString,
    place: Option<&Place>,
    summary: impl Into<String>,
) -> AppResult<()> {
    let summary = summary.into();
    audit_event::ActiveModel {
        at: Set(Utc::now()),
        user_id: Set(actor.user_id),
        user_email: Set(actor.email.clone()),
        action: Set(action.code().to_owned()),
        entity: Set(entity.to_owned()),
        entity_id: Set(entity_id.to_string()),
        province_code: Set(place.map(|place| place.province.clone()).filter(|code| !code.is_empty())),
        unit_code: Set(place.and_then(|place| place.commune.clone())),
        search_key: Set(key_of(&actor.email, &summary)),
        summary: Set(summary),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Newest first. Errors: 403 for commune and host users.
pub async fn list(
    db: &impl ConnectionTrait,
    actor: &Actor,
    filter: &AuditFilter,
    paging: Paging,
) -> AppResult<Page<AuditEvent>> {
    let mut query = audit_event::Entity::find();
    query = match (&actor.scope, actor.role) {
        (Scope::Country, _) => query,
        (Scope::Province(code), Role::Province) => query.filter(audit_event::Column::ProvinceCode.eq(code.as_str())),
        _ => return Err(AppError::forbidden()),
    };
    if let Some(entity) = &filter.entity {
        query = query.filter(audit_event::Column::Entity.eq(entity.as_str()));
    }
    if let Some(user) = filter.user {
        query = query.filter(audit_event::Column::UserId.eq(user));
    }
    if let Some(search) = search_key(filter.q.as_deref()) {
        query = query.filter(audit_event::Column::SearchKey.contains(search));
    }
    let local_midnight = |date: chrono::NaiveDate| {
        date.and_hms_opt(0, 0, 0).and_then(|naive| naive.and_local_timezone(VN_OFFSET).single())
    };
    if let Some(from) = filter.from.and_then(local_midnight) {
        query = query.filter(audit_event::Column::At.gte(from.to_utc()));
    }
    if let Some(to) = filter.to.and_then(local_midnight) {
        query = query.filter(audit_event::Column::At.lt((to + Duration::days(1)).to_utc()));
    }
    let paginator = query
        .order_by_desc(audit_event::Column::At)
        .order_by_desc(audit_event::Column::Id)
        .paginate(db, paging.per_page);
    let total = paginator.num_items().await?;
    let items = paginator.fetch_page(paging.index()).await?;
    Ok(Page {
        total,
        items: items
            .into_iter()
            .map(|event| AuditEvent {
                id: event.id,
                at: to_local(event.at),
                user_id: event.user_id,
                user_email: event.user_email,
                action: event.action,
                entity: event.entity,
                entity_id: event.entity_id,
                unit_code: event.unit_code,
                summary: event.summary,
            })
            .collect(),
    })
}
