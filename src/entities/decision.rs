use sea_orm::entity::prelude::*;

use crate::commendation::model::DecisionState;

/// A commendation decision (quyết định khen thưởng) of an issuer, numbered per year.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "decisions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub issuer_id: i32,
    pub year: i32,
    pub sequence: i32,
    /// `01/QĐ-UBND`.
    pub number: String,
    pub signed_on: Date,
    pub signer_name: String,
    pub signer_title: String,
    /// JSON array of lines.
    pub legal_basis: String,
    pub state: DecisionState,
    pub revoked_reason: Option<String>,
    pub revoked_by: Option<i32>,
    pub revoked_at: Option<DateTimeUtc>,
    pub created_by: Option<i32>,
    pub created_at: DateTimeUtc,
    #[sea_orm(belongs_to, from = "issuer_id", to = "id")]
    pub issuer: BelongsTo<super::issuer::Entity>,
    #[sea_orm(has_many)]
    pub certificates: HasMany<super::certificate::Entity>,
}

impl ActiveModelBehavior for ActiveModel {}
