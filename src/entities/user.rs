use sea_orm::entity::prelude::*;

use crate::auth::model::Role;

/// An officer's account. `unit_code`/`province_code`/`host_id` describe the scope.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub email: String,
    pub full_name: String,
    /// Name and e-mail folded for search (`auth::search_keys`).
    pub search_key: String,
    /// Argon2id PHC string.
    pub password_hash: String,
    pub role: Role,
    pub unit_code: Option<String>,
    pub province_code: Option<String>,
    pub host_id: Option<i32>,
    pub disabled: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    #[sea_orm(has_many)]
    pub tokens: HasMany<super::auth_token::Entity>,
}

impl ActiveModelBehavior for ActiveModel {}
