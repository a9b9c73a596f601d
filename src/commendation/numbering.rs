//! Document numbers that never repeat and never skip (Decree 30/2020/NĐ-CP, article 15: a
//! number series per issuer restarting each year), also when two app instances on one
//! PostgreSQL issue documents at the same moment.

use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set};

use crate::entities::document_counter;

/// A number series of an issuer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Series {
    /// Quyết định: decisions, per calendar year of signing.
    Decision,
    /// Giấy mời: invitations, per calendar year.
    Invitation,
    /// Sổ vàng: the register of certificates, never restarting.
    Register,
}

impl Series {
    fn code(self) -> &'static str {
        match self {
            Self::Decision => "QD",
            Self::Invitation => "GM",
            Self::Register => "SV",
        }
    }
}

/// Claims the next number of `series` of `issuer_id` in `year` (ignored for the register).
/// Call it inside the transaction that stores the numbered document, as its first statement:
/// the counter row stays locked (PostgreSQL row lock, SQLite write lock) until commit, so
/// numbers are unique; a rolled-back transaction gives its number back, so there are no gaps.
pub async fn claim(db: &impl ConnectionTrait, issuer_id: i32, series: Series, year: i32) -> Result<i32, DbErr> {
    claim_block(db, issuer_id, series, year, 1).await
}

/// Locks the series of `issuer_id` in `year` until the transaction ends, creating it when
/// new, without taking a number: for work that must read before it knows how many to claim.
pub async fn lock(db: &impl ConnectionTrait, issuer_id: i32, series: Series, year: i32) -> Result<(), DbErr> {
    claim_block(db, issuer_id, series, year, 0).await.map(|_| ())
}

/// Claims `count` (≥ 1) consecutive numbers at once, as [`claim`] does one, and gives the
/// first: a batch of invitations is numbered with three statements, not three per page.
pub async fn claim_block(
    db: &impl ConnectionTrait,
    issuer_id: i32,
    series: Series,
    year: i32,
    count: i32,
) -> Result<i32, DbErr> {
    let year = if series == Series::Register { 0 } else { year };
    let key = |select: sea_orm::UpdateMany<document_counter::Entity>| {
        select
            .filter(document_counter::Column::IssuerId.eq(issuer_id))
            .filter(document_counter::Column::Year.eq(year))
            .filter(document_counter::Column::Series.eq(series.code()))
    };
    // Both databases take an upsert; the first document of a year creates its row.
    document_counter::Entity::insert(document_counter::ActiveModel {
        issuer_id: Set(issuer_id),
        year: Set(year),
        series: Set(series.code().to_owned()),
        last: Set(0),
    })
    .on_conflict_do_nothing_on([
        document_counter::Column::IssuerId,
        document_counter::Column::Year,
        document_counter::Column::Series,
    ])
    .exec_without_returning(db)
    .await?;
    key(document_counter::Entity::update_many())
        .col_expr(document_counter::Column::Last, Expr::col(document_counter::Column::Last).add(count))
        .exec(db)
        .await?;
    let counter = document_counter::Entity::find_by_id((issuer_id, year, series.code().to_owned()))
        .one(db)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("counter {issuer_id}/{year}/{}", series.code())))?;
    Ok(counter.last - count + 1)
}

/// `07/QĐ-UBND`: numbers below 10 get a leading zero (Decree 30/2020, Appendix I).
pub fn document_number(sequence: i32, kind: &str, symbol: &str) -> String {
    format!("{sequence:02}/{kind}-{symbol}")
}

#[cfg(test)]
mod tests {
    use super::document_number;

    #[test]
    fn numbers_below_ten_have_a_leading_zero() {
        assert_eq!(document_number(7, "QĐ", "UBND"), "07/QĐ-UBND");
        assert_eq!(document_number(15, "QĐ", "CAX"), "15/QĐ-CAX");
        assert_eq!(document_number(120, "GM", "UBND"), "120/GM-UBND");
    }
}
