//! Seats of public registration, safe under concurrency on SQLite and PostgreSQL, with any
//! number of app instances: every change of a festival's seats starts with an `UPDATE` of the
//! festival row, which takes its row lock (PostgreSQL) or the write lock (SQLite) until commit,
//! and a seat is only taken by a conditional update, never by read-then-write.

use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbBackend, DbErr, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use tokio::sync::{Mutex, MutexGuard};

use super::model::Registration;
use crate::entities::{festival, participant};
use crate::festivals::model::FestivalStatus;

/// One public registration or RSVP answer (the busy seat changes) at a time in this process,
/// on SQLite only.
static SQLITE_WRITER: Mutex<()> = Mutex::const_new(());

/// On SQLite, waits for the other registrations and answers of this process to finish first
/// (hold the guard until commit). SQLite allows one writer at a time anyway, and a writer that
/// finds the database locked sleeps in steps of milliseconds (its busy handler); queueing here
/// instead hands the lock over at once. PostgreSQL needs no queue (its row lock wakes waiters).
pub async fn one_writer(db: &DatabaseConnection) -> Option<MutexGuard<'static, ()>> {
    match db.get_database_backend() {
        DbBackend::Sqlite => Some(SQLITE_WRITER.lock().await),
        _ => None,
    }
}

/// Festivals that still take registrations: planned or approved, registration open.
pub(super) fn open_for_registration() -> Condition {
    Condition::all()
        .add(festival::Column::Status.is_in([FestivalStatus::Planned, FestivalStatus::Approved]))
        .add(festival::Column::RegistrationOpen.eq(true))
}

/// Takes a seat when one is free (`confirmed_count < capacity`, or no capacity), else a place
/// on the waitlist when `waitlist` allows. `None` when the festival is full without a
/// waitlist, or closed meanwhile. Must be the first statement of its transaction.
pub async fn claim(db: &impl ConnectionTrait, festival_id: i32, waitlist: bool) -> Result<Option<Registration>, DbErr> {
    let seated = festival::Entity::update_many()
        .col_expr(festival::Column::ConfirmedCount, Expr::col(festival::Column::ConfirmedCount).add(1))
        .filter(festival::Column::Id.eq(festival_id))
        .filter(open_for_registration())
        .filter(
            Condition::any()
                .add(festival::Column::Capacity.is_null())
                .add(Expr::col(festival::Column::ConfirmedCount).lt(Expr::col(festival::Column::Capacity))),
        )
        .exec(db)
        .await?;
    if seated.rows_affected == 1 {
        return Ok(Some(Registration::Confirmed));
    }
    if !waitlist {
        return Ok(None);
    }
    let queued = festival::Entity::update_many()
        .col_expr(festival::Column::WaitlistedCount, Expr::col(festival::Column::WaitlistedCount).add(1))
        .filter(festival::Column::Id.eq(festival_id))
        .filter(open_for_registration())
        .exec(db)
        .await?;
    Ok((queued.rows_affected == 1).then_some(Registration::Waitlisted))
}

/// Gives back what `registration` held (a seat or a waitlist place), then fills free seats
/// from the waitlist. Call inside the transaction that changes the participant, before changing it.
pub async fn release(db: &impl ConnectionTrait, festival_id: i32, registration: Registration) -> Result<(), DbErr> {
    let column = match registration {
        Registration::Confirmed => festival::Column::ConfirmedCount,
        Registration::Waitlisted => festival::Column::WaitlistedCount,
    };
    festival::Entity::update_many()
        .col_expr(column, Expr::col(column).sub(1))
        .filter(festival::Column::Id.eq(festival_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Moves the earliest waitlisted registrants onto free seats, in arrival order, until the seats
/// or the waitlist run out; returns how many moved. Locks the festival row first, so two
/// instances never promote the same person. Run after [`release`] (and after the released
/// participant is changed) or after a capacity increase, in the same transaction.
pub async fn promote(db: &impl ConnectionTrait, festival_id: i32) -> Result<u32, DbErr> {
    lock(db, festival_id).await?;
    let mut promoted = 0;
    loop {
        let next = participant::Entity::find()
            .filter(participant::Column::FestivalId.eq(festival_id))
            .filter(participant::Column::Registration.eq(Registration::Waitlisted))
            // Arrival order: when they (last) joined, then insertion order within a batch.
            .order_by_asc(participant::Column::RegisteredAt)
            .order_by_asc(participant::Column::Id)
            .limit(1)
            .one(db)
            .await?;
        let Some(next) = next else { return Ok(promoted) };
        let seated = festival::Entity::update_many()
            .col_expr(festival::Column::ConfirmedCount, Expr::col(festival::Column::ConfirmedCount).add(1))
            .col_expr(festival::Column::WaitlistedCount, Expr::col(festival::Column::WaitlistedCount).sub(1))
            .filter(festival::Column::Id.eq(festival_id))
            .filter(
                Condition::any()
                    .add(festival::Column::Capacity.is_null())
                    .add(Expr::col(festival::Column::ConfirmedCount).lt(Expr::col(festival::Column::Capacity))),
            )
            .exec(db)
            .await?;
        if seated.rows_affected == 0 {
            return Ok(promoted);
        }
        participant::Entity::update(participant::ActiveModel {
            id: Set(next.id),
            registration: Set(Some(Registration::Confirmed)),
            updated_at: Set(Utc::now()),
            ..Default::default()
        })
        .exec(db)
        .await?;
        promoted += 1;
    }
}

/// Takes the festival's row lock (PostgreSQL) or the database write lock (SQLite) for the rest
/// of the transaction with an update that changes nothing.
async fn lock(db: &impl ConnectionTrait, festival_id: i32) -> Result<(), DbErr> {
    festival::Entity::update_many()
        .col_expr(festival::Column::ConfirmedCount, Expr::col(festival::Column::ConfirmedCount))
        .filter(festival::Column::Id.eq(festival_id))
        .exec(db)
        .await?;
    Ok(())
}
