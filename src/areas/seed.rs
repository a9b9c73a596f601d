//! Loads the 2025 administrative map (34 provinces, 3,321 communes) at start.

use std::collections::HashSet;

use sea_orm::{ConnectionTrait, EntityTrait, QuerySelect, Set, TransactionSession, TransactionTrait};
use serde::Deserialize;

use super::model::UnitLevel;
use crate::entities::admin_unit;
use crate::text::{clean, fold};

/// The official list, `code,name,kind,parent_code` (provinces have no parent).
const ADMIN_UNITS_CSV: &str = include_str!("../../data/seed/admin_units_vn_2025.csv");

#[derive(Deserialize)]
struct Row {
    code: String,
    name: String,
    kind: String,
    parent_code: Option<String>,
}

/// Inserts the units that are not in the database yet, provinces before communes, in one
/// transaction. Idempotent: a second run inserts nothing. Returns the number inserted.
pub async fn load_admin_units(db: &(impl ConnectionTrait + TransactionTrait)) -> anyhow::Result<usize> {
    let mut rows: Vec<Row> =
        csv::Reader::from_reader(ADMIN_UNITS_CSV.as_bytes()).deserialize().collect::<Result<_, _>>()?;
    let present: HashSet<String> = admin_unit::Entity::find()
        .select_only()
        .column(admin_unit::Column::Code)
        .into_tuple()
        .all(db)
        .await?
        .into_iter()
        .collect();
    rows.retain(|row| !present.contains(&row.code));
    if rows.is_empty() {
        return Ok(0);
    }
    rows.sort_by_key(|row| row.parent_code.is_some());
    let count = rows.len();
    let txn = db.begin().await?;
    for chunk in rows.chunks(500) {
        let models = chunk.iter().map(|row| admin_unit::ActiveModel {
            code: Set(row.code.clone()),
            name: Set(clean(&row.name)),
            search_key: Set(fold(&row.name)),
            kind: Set(row.kind.clone()),
            level: Set(if row.parent_code.is_some() { UnitLevel::Commune } else { UnitLevel::Province }),
            parent_code: Set(row.parent_code.clone()),
        });
        admin_unit::Entity::insert_many(models).exec_without_returning(&txn).await?;
    }
    txn.commit().await?;
    tracing::info!(count, "loaded administrative units");
    Ok(count)
}
