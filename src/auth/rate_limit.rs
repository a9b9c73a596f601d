//! Failed-login limits per account and per address, counted in the database so that every
//! app instance sees the same count.

use chrono::{Duration, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};

use crate::entities::login_failure;
use crate::error::{AppError, AppResult};

/// The window failures are counted in.
pub const WINDOW_MINUTES: i64 = 15;

/// Errors: 429 with the seconds until the oldest counted failure of a key leaves the window,
/// when any of `keys` already has `limit` failures in the last 15 minutes.
pub async fn check(db: &impl ConnectionTrait, keys: &[String], limit: u32) -> AppResult<()> {
    let since = Utc::now() - Duration::minutes(WINDOW_MINUTES);
    let limit = u64::from(limit.max(1));
    for key in keys {
        // Newest first: once the limit-th newest leaves the window, the key is below the limit.
        let blocking = login_failure::Entity::find()
            .filter(login_failure::Column::Key.eq(key.as_str()))
            .filter(login_failure::Column::At.gt(since))
            .order_by_desc(login_failure::Column::At)
            .offset(limit - 1)
            .one(db)
            .await?;
        if let Some(failure) = blocking {
            let wait = (failure.at - since).num_seconds().max(1);
            return Err(AppError::RateLimited { retry_after_secs: wait.unsigned_abs() });
        }
    }
    Ok(())
}

/// Counts one failure against each key, and forgets failures older than the window.
pub async fn record_failure(db: &impl ConnectionTrait, keys: &[String]) -> AppResult<()> {
    let now = Utc::now();
    let rows =
        keys.iter().map(|key| login_failure::ActiveModel { key: Set(key.clone()), at: Set(now), ..Default::default() });
    login_failure::Entity::insert_many(rows).exec_without_returning(db).await?;
    login_failure::Entity::delete_many()
        .filter(login_failure::Column::At.lt(now - Duration::minutes(WINDOW_MINUTES)))
        .exec(db)
        .await?;
    Ok(())
}
