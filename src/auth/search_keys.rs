//! The search keys of accounts and audit events (their `search_key` column): the text a list's
//! `?q=` looks in ([`crate::list::search_key`]), folded like every stored key, written with
//! each row. Rows from before the column existed get theirs at start ([`fill`]).

use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};

use crate::entities::{audit_event, user};
use crate::text::fold;

/// How many rows [`fill`] keys per transaction.
const BATCH: u64 = 500;

/// A row's key from its two searchable texts: an account's name and e-mail, an audit event's
/// e-mail and summary.
pub fn key_of(first: &str, second: &str) -> String {
    fold(&format!("{first} {second}"))
}

/// Keys the accounts and audit events whose key is still empty (written before migration 9);
/// after the first start there is nothing to do. Instances starting together write the same.
pub async fn fill(db: &DatabaseConnection) -> Result<(), DbErr> {
    fill_table::<user::Entity>(
        db,
        user::Column::Id,
        [user::Column::FullName, user::Column::Email],
        user::Column::SearchKey,
    )
    .await?;
    let sources = [audit_event::Column::UserEmail, audit_event::Column::Summary];
    fill_table::<audit_event::Entity>(db, audit_event::Column::Id, sources, audit_event::Column::SearchKey).await
}

/// Writes `key` = [`key_of`] the two `sources` for every row of `E` whose `key` is empty, in id
/// order a batch at a time.
async fn fill_table<E: EntityTrait>(
    db: &DatabaseConnection,
    id: E::Column,
    sources: [E::Column; 2],
    key: E::Column,
) -> Result<(), DbErr> {
    let mut after = 0;
    loop {
        let rows: Vec<(i32, String, String)> = E::find()
            .select_only()
            .column(id)
            .columns(sources)
            .filter(key.eq(""))
            .filter(id.gt(after))
            .order_by_asc(id)
            .limit(BATCH)
            .into_tuple()
            .all(db)
            .await?;
        let Some(&(last, _, _)) = rows.last() else { return Ok(()) };
        let txn = db.begin().await?;
        for (row, first, second) in rows {
            E::update_many().col_expr(key, Expr::value(key_of(&first, &second))).filter(id.eq(row)).exec(&txn).await?;
        }
        txn.commit().await?;
        after = last;
    }
}
