//! The delivery worker every `serve` starts. It claims due messages in batches — `FOR UPDATE
//! SKIP LOCKED` on PostgreSQL, so instances never take the same message; on SQLite the
//! single writer makes the claiming `UPDATE … RETURNING` atomic — composes each (invitation
//! PDF, calendar file), sends them `SMTP_CONCURRENCY` at a time within `SMTP_RATE`, and
//! records each outcome at once. A message claimed by an instance that then dies is taken
//! back when its lease runs out: only the messages that were in flight at the crash (at most
//! `SMTP_CONCURRENCY`) can arrive twice, and they carry the same Message-ID.

use std::collections::BTreeMap;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use chrono::{NaiveDateTime, Utc};
use futures_util::StreamExt;
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use lettre::Message;
use rand::Rng;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseBackend, DbErr, EntityTrait, QueryFilter, Statement, Value};

use super::compose;
use super::model::MessageState;
use super::service::refresh_job;
use super::transport::{Failure, Mailer};
use crate::app::AppState;
use crate::auth::model::Actor;
use crate::documents::invitation::{InvitationSheet, invitations};
use crate::entities::{festival, mail_suppression, outbox_message};
use crate::jobs::worker::POLL;
use crate::participants::invitations::{self as invitation_sheets, Whom};
use crate::time::to_local;

/// Longest wait between two tries.
const MAX_BACKOFF: Duration = Duration::from_secs(6 * 3600);

/// Starts the worker with the configured transport. Errors: a malformed `SMTP_URL`, an
/// outbox folder that cannot be made.
pub fn start(state: AppState) -> anyhow::Result<()> {
    let mailer = Mailer::from_config(&state.config)?;
    if !state.config.mail_worker {
        return Ok(());
    }
    let limiter =
        NonZeroU32::new(state.config.smtp_rate).map(|rate| Arc::new(RateLimiter::direct(Quota::per_second(rate))));
    tokio::spawn(async move {
        loop {
            let batch = usize::try_from(state.config.smtp_concurrency.max(1) * 8).unwrap_or(32);
            let lease = Duration::from_secs(state.config.mail_lease_seconds.max(1));
            match claim(&state.db, batch, lease).await {
                Ok(rows) if rows.is_empty() => state.mail.wait(POLL).await,
                Ok(rows) => deliver(&state, &mailer, limiter.as_deref(), rows).await,
                Err(err) => {
                    tracing::warn!(%err, "could not claim messages");
                    tokio::time::sleep(POLL).await;
                }
            }
        }
    });
    Ok(())
}

/// Takes up to `limit` due messages (queued, retrying and due, or sending with a lapsed
/// lease) for this instance, marking them sending with a `lease` and one more attempt.
pub async fn claim(
    db: &impl ConnectionTrait,
    limit: usize,
    lease: Duration,
) -> Result<Vec<outbox_message::Model>, DbErr> {
    let backend = db.get_database_backend();
    let (lock, placeholder): (&str, fn(usize) -> String) = match backend {
        DatabaseBackend::Postgres => ("FOR UPDATE SKIP LOCKED", |n| format!("${n}")),
        _ => ("", |_| "?".to_owned()),
    };
    let p: Vec<String> = (1..=5).map(placeholder).collect();
    let sql = format!(
        "UPDATE outbox SET state = 'sending', lease_until = {lease}, attempts = attempts + 1, updated_at = {now} \
         WHERE id IN (SELECT id FROM outbox WHERE (state IN ('queued', 'retrying') AND next_attempt_at <= {now2}) \
         OR (state = 'sending' AND lease_until < {now3}) ORDER BY id LIMIT {limit} {lock}) RETURNING *",
        lease = p[0],
        now = p[1],
        now2 = p[2],
        now3 = p[3],
        limit = p[4],
    );
    let now = Utc::now();
    let values: Vec<Value> =
        vec![(now + lease).into(), now.into(), now.into(), now.into(), i64::try_from(limit).unwrap_or(64).into()];
    let mut rows = outbox_message::Entity::find()
        .from_raw_sql(Statement::from_sql_and_values(backend, sql, values))
        .all(db)
        .await?;
    rows.sort_by_key(|row| row.id);
    Ok(rows)
}

/// What a message needs before it can be composed: its sheet and the festival's end, or why
/// it cannot be made.
type Ready = (outbox_message::Model, Result<(InvitationSheet, NaiveDateTime), String>);

/// Reads the sheets of `rows`, festival by festival (one read for each), numbering the
/// invitations that have no number yet.
async fn gather(state: &AppState, rows: Vec<outbox_message::Model>) -> Vec<Ready> {
    let mut by_festival: BTreeMap<i32, Vec<outbox_message::Model>> = BTreeMap::new();
    for row in rows {
        by_festival.entry(row.festival_id).or_default().push(row);
    }
    let mut ready = Vec::new();
    for (festival_id, rows) in by_festival {
        let participant_ids = rows.iter().map(|row| row.participant_id).collect();
        let whom = Whom::Listed { festival_id, participant_ids };
        let sheets = invitation_sheets::sheets(&state.db, &Actor::system(), whom, &state.base_url()).await;
        let festival = festival::Entity::find_by_id(festival_id).one(&state.db).await;
        let (mut sheets, ends_at) = match (sheets, festival) {
            (Ok(sheets), Ok(Some(festival))) => (sheets, to_local(festival.ends_at).naive_local()),
            (Err(err), _) => {
                let reason = err.to_string();
                ready.extend(rows.into_iter().map(|row| (row, Err(reason.clone()))));
                continue;
            }
            // "The festival no longer exists."
            _ => {
                ready.extend(rows.into_iter().map(|row| (row, Err("Ngày hội không còn.".to_owned()))));
                continue;
            }
        };
        for row in rows {
            let sheet = match sheets.iter().position(|(id, _)| *id == row.participant_id) {
                Some(at) => Ok((sheets.swap_remove(at).1, ends_at)),
                // "The participant no longer exists."
                None => Err("Người tham dự không còn.".to_owned()),
            };
            ready.push((row, sheet));
        }
    }
    ready
}

/// Draws the invitation and composes the message, off the async threads (drawing is the
/// costly part; several run at once, one per core).
async fn compose(
    state: &AppState,
    row: &outbox_message::Model,
    sheet: InvitationSheet,
    ends_at: NaiveDateTime,
) -> Result<Message, String> {
    let (fonts, templates, from) = (state.fonts.clone(), state.templates.clone(), state.mail_from.clone());
    let (to, subject, message_id) =
        (row.to_address.clone().unwrap_or_default(), row.subject.clone(), row.message_id.clone());
    let uid = format!("ngayhoi-{}-{}@{}", row.festival_id, row.participant_id, from.email.domain());
    tokio::task::spawn_blocking(move || {
        let pdf = invitations(std::slice::from_ref(&sheet), &fonts, |_| {})?;
        let envelope = compose::Envelope { from: &from, to: &to, subject: &subject, message_id, uid: &uid };
        compose::invitation(&templates, envelope, &sheet, ends_at, pdf)
    })
    .await
    .map_err(|err| err.to_string())?
    .map_err(|err| err.to_string())
}

/// Sends `rows` and records each outcome, then brings their jobs' progress up to date.
async fn deliver(
    state: &AppState,
    mailer: &Mailer,
    limiter: Option<&DefaultDirectRateLimiter>,
    rows: Vec<outbox_message::Model>,
) {
    let mut jobs: Vec<i32> = rows.iter().filter_map(|row| row.job_id).collect();
    let ready = gather(state, rows).await;
    let concurrency = usize::try_from(state.config.smtp_concurrency.max(1)).unwrap_or(4);
    futures_util::stream::iter(ready)
        .map(|(row, sheet)| async move {
            let message = match sheet {
                Ok((sheet, ends_at)) => compose(state, &row, sheet, ends_at).await,
                Err(reason) => Err(reason),
            };
            let outcome = match message {
                Ok(message) => {
                    if let Some(limiter) = limiter {
                        limiter.until_ready().await;
                    }
                    mailer.send(message).await
                }
                // A message that cannot be made will not be made by trying again.
                Err(reason) => Err(Failure::Unsendable(reason)),
            };
            if let Err(err) = record(state, &row, outcome).await {
                tracing::error!(message = row.id, %err, "could not record a delivery");
            }
        })
        .buffer_unordered(concurrency)
        .collect::<()>()
        .await;
    jobs.sort_unstable();
    jobs.dedup();
    for job in jobs {
        if let Err(err) = refresh_job(&state.db, job).await {
            tracing::warn!(job, %err, "could not update a sending job");
        }
    }
}

/// The wait before try `attempts + 1`: `MAIL_RETRY_SECONDS` doubled per try, ±25 %.
fn backoff(base_seconds: u64, attempts: i32) -> Duration {
    let doublings = u32::try_from(attempts.saturating_sub(1)).unwrap_or(0).min(20);
    let wait = Duration::from_secs(base_seconds.max(1)).saturating_mul(1 << doublings).min(MAX_BACKOFF);
    wait.mul_f64(rand::rng().random_range(0.75..1.25))
}

/// Writes the outcome of one try; only while the message is still this try's (`sending`).
async fn record(state: &AppState, row: &outbox_message::Model, outcome: Result<(), Failure>) -> Result<(), DbErr> {
    let now = Utc::now();
    let update = outbox_message::Entity::update_many()
        .col_expr(outbox_message::Column::LeaseUntil, Expr::value(Option::<chrono::DateTime<Utc>>::None))
        .col_expr(outbox_message::Column::UpdatedAt, Expr::value(now))
        .filter(outbox_message::Column::Id.eq(row.id))
        .filter(outbox_message::Column::State.eq(MessageState::Sending));
    let update = match &outcome {
        Ok(()) => update
            .col_expr(outbox_message::Column::State, Expr::value(MessageState::Sent))
            .col_expr(outbox_message::Column::SentAt, Expr::value(now))
            .col_expr(outbox_message::Column::LastError, Expr::value(Option::<String>::None)),
        Err(Failure::Temporary(reason))
            if row.attempts < i32::try_from(state.config.mail_max_attempts).unwrap_or(8) =>
        {
            let next = now + backoff(state.config.mail_retry_seconds, row.attempts);
            update
                .col_expr(outbox_message::Column::State, Expr::value(MessageState::Retrying))
                .col_expr(outbox_message::Column::NextAttemptAt, Expr::value(next))
                .col_expr(outbox_message::Column::LastError, Expr::value(reason.clone()))
        }
        Err(Failure::Temporary(reason) | Failure::Refused(reason) | Failure::Unsendable(reason)) => update
            .col_expr(outbox_message::Column::State, Expr::value(MessageState::Failed))
            .col_expr(outbox_message::Column::LastError, Expr::value(reason.clone())),
    };
    update.exec(&state.db).await?;
    // A mailbox the server refuses for good is not written to again.
    if let (Err(Failure::Refused(reason)), Some(address)) = (&outcome, &row.to_address) {
        suppress(&state.db, address, reason).await?;
    }
    Ok(())
}

/// Puts `address` on the do-not-send list (once).
async fn suppress(db: &impl ConnectionTrait, address: &str, reason: &str) -> Result<(), DbErr> {
    let entry = mail_suppression::ActiveModel {
        email: sea_orm::Set(address.to_lowercase()),
        reason: sea_orm::Set(reason.chars().take(200).collect()),
        created_at: sea_orm::Set(Utc::now()),
    };
    mail_suppression::Entity::insert(entry)
        .on_conflict_do_nothing_on([mail_suppression::Column::Email])
        .exec_without_returning(db)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::backoff;
    use std::time::Duration;

    #[test]
    fn waits_double_with_jitter_and_stop_growing() {
        for attempts in 1..=4 {
            let wait = backoff(60, attempts).as_secs_f64();
            let middle = 60.0 * f64::from(1 << (attempts - 1));
            assert!(wait >= middle * 0.75 && wait <= middle * 1.25, "{attempts}: {wait}");
        }
        assert!(backoff(60, 40) <= Duration::from_secs(6 * 3600 + 5400));
    }
}
