use sea_orm::entity::prelude::*;

use crate::commendation::model::Authority;

/// A body that grants awards and signs decisions: a commune People's Committee, commune or
/// provincial police, an agency.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "issuers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub name: String,
    pub parent_name: Option<String>,
    pub unit_code: String,
    pub province_code: String,
    /// In document numbers: `…/QĐ-{symbol}`.
    pub symbol: String,
    pub signer_name: String,
    pub signer_title: String,
    pub authority: Authority,
    pub place_name: String,
    /// Positions of the certificate fields on pre-printed blanks (phôi), JSON; null = defaults.
    pub blank_layout: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    #[sea_orm(has_many)]
    pub decisions: HasMany<super::decision::Entity>,
}

impl ActiveModelBehavior for ActiveModel {}
