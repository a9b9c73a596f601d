use sea_orm::entity::prelude::*;

use crate::festivals::model::FestivalStatus;

/// One host's festival of one year.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "festivals")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub host_id: i32,
    pub year: i32,
    pub title: String,
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    pub venue: String,
    pub capacity: Option<i32>,
    pub registration_open: bool,
    pub waitlist: bool,
    /// The issuer in whose name invitations (giấy mời) are sent; checked by the application.
    pub issuer_id: Option<i32>,
    pub status: FestivalStatus,
    #[sea_orm(unique)]
    pub slug: String,
    pub budget_note: String,
    /// Public registrations holding a seat; changed only by `participants::seats`.
    pub confirmed_count: i32,
    /// Public registrations waiting for a seat.
    pub waitlisted_count: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    #[sea_orm(belongs_to, from = "host_id", to = "id")]
    pub host: BelongsTo<super::host::Entity>,
    #[sea_orm(has_many)]
    pub programme_items: HasMany<super::programme_item::Entity>,
    #[sea_orm(has_many)]
    pub committee_members: HasMany<super::committee_member::Entity>,
    #[sea_orm(has_many)]
    pub participants: HasMany<super::participant::Entity>,
}

impl ActiveModelBehavior for ActiveModel {}
