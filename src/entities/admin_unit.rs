use sea_orm::entity::prelude::*;

use crate::areas::model::UnitLevel;

/// A province or a commune of the 2025 administrative map (`data/seed/admin_units_vn_2025.csv`).
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "admin_units")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub code: String,
    pub name: String,
    pub search_key: String,
    /// As the official list writes it: tỉnh, thành phố trung ương, xã, phường, đặc khu.
    pub kind: String,
    pub level: UnitLevel,
    pub parent_code: Option<String>,
}

impl ActiveModelBehavior for ActiveModel {}
