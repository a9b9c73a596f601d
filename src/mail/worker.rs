//! The delivery worker every `serve` starts. It claims due messages in batches — `FOR UPDATE
//! SKIP LOCKED` on PostgreSQL, so instances never take the same message; on SQLite the
//! single writer makes the claiming `UPDATE … RETURNING` atomic — composes each (invitation
//! PDF, calendar file), sends them `MAIL_CONCURRENCY` at a time within `SMTP_RATE`, and
//! records each outcome at once. A message claimed by an instance that then dies is taken
//! back when its lease runs out: only the messages that were in flight at the crash (at most
//! `MAIL_CONCURRENCY`) can arrive twice, and they carry the same Message-ID. An instance that
//! stops normally hands back at once what it claimed and had not begun to send
//! ([`MailWorker::stop`]).

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use chrono::{NaiveDateTime, Utc};
use futures_util::StreamExt;
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use lettre::message::Mailbox;
use rand::Rng;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseBackend, DbErr, EntityTrait, QueryFilter, Statement, Value,
};

use super::compose;
use super::model::MessageState;
use super::service::refresh_job;
use super::transport::{Failure, Formatted, IDLE_LIMIT, Mailer};
use super::unsubscribe;
use crate::app::AppState;
use crate::auth::model::Actor;
use crate::documents::invitation::{InvitationSheet, invitation_files};
use crate::documents::pdf::Fonts;
use crate::entities::{festival, outbox_message};
use crate::jobs::worker::POLL;
use crate::participants::invitations::{self as invitation_sheets, Whom};
use crate::time::to_local;
use crate::web::templates::Templates;

/// Longest wait between two tries.
const MAX_BACKOFF: Duration = Duration::from_secs(6 * 3600);

/// Starts the worker with the configured transport. Errors: a malformed `SMTP_URL`, an
/// outbox folder that cannot be made.
///
/// A pipeline of tasks: one claims batches and reads their guests; one composes their
/// messages (the drawing takes the CPU); one sends what is composed, `MAIL_CONCURRENCY`
/// messages at a time without pause between batches, and records each outcome as it comes;
/// one writes the jobs' progress a few times a second; and one closes SMTP connections left
/// idle. At most about four batches are claimed at a time (being read, waiting, being
/// composed, being sent), all within their lease.
pub fn start(state: AppState) -> anyhow::Result<Option<MailWorker>> {
    let mailer = Mailer::from_config(&state.config)?;
    if !state.config.mail_worker {
        return Ok(None);
    }
    let limiter =
        NonZeroU32::new(state.config.smtp_rate).map(|rate| Arc::new(RateLimiter::direct(Quota::per_second(rate))));
    let (claimed, to_compose) = tokio::sync::mpsc::channel::<Vec<Ready>>(1);
    let (composed, to_send) = tokio::sync::mpsc::channel::<Composed>(batch_size(&state.config));
    let touched = Arc::new(TouchedJobs::default());
    let held = Arc::new(Held::default());
    let (stop, stopped) = tokio::sync::watch::channel(false);
    if let Mailer::Smtp(relay) = &mailer {
        let relay = relay.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(IDLE_LIMIT / 2).await;
                relay.close_idle().await;
            }
        });
    }
    let claims = tokio::spawn(claim_batches(state.clone(), claimed, held.clone(), stopped));
    tokio::spawn(compose_batches(state.clone(), to_compose, composed));
    tokio::spawn(refresh_touched_jobs(state.clone(), touched.clone()));
    let sending = Sending { state: state.clone(), mailer, limiter, touched, held: held.clone() };
    tokio::spawn(deliver(sending, to_send));
    Ok(Some(MailWorker { state, held, stop, claims }))
}

/// The running worker of an instance, to stop when the instance shuts down.
pub struct MailWorker {
    state: AppState,
    held: Arc<Held>,
    stop: tokio::sync::watch::Sender<bool>,
    claims: tokio::task::JoinHandle<()>,
}

/// Longest wait at shutdown for the claiming to stop, and for sends in progress to finish.
const STOP_WAIT: Duration = Duration::from_secs(10);

impl MailWorker {
    /// Stops claiming, hands the messages claimed but not yet being sent back to the queue
    /// (so another instance, or this one restarted, sends them at once rather than after
    /// their lease), and waits a while for the sends in progress to be recorded. A message
    /// being sent when the process ends anyway waits for its lease, as after a crash.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        if tokio::time::timeout(STOP_WAIT, self.claims).await.is_err() {
            // Still claiming: what it claims next would be held past the release below.
            tracing::warn!("the mail worker did not stop claiming; its messages wait for their lease");
            return;
        }
        let released = self.held.release_all();
        for (id, attempts) in &released {
            if let Err(err) = release(&self.state.db, *id, *attempts).await {
                tracing::warn!(message = id, %err, "could not hand a message back; it waits for its lease");
            }
        }
        let deadline = tokio::time::Instant::now() + STOP_WAIT;
        while self.held.sending.load(Ordering::SeqCst) > 0 && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        tracing::info!(released = released.len(), "mail worker stopped");
    }
}

/// Messages this instance claimed and has not begun to send, as (id, the try's `attempts`):
/// a message claimed again after its lease lapsed is another entry. And how many sends are in
/// progress. A message is either handed back at shutdown or taken for sending, never both
/// ([`Held::take`]).
#[derive(Default)]
struct Held {
    waiting: std::sync::Mutex<HashSet<(i32, i32)>>,
    sending: AtomicUsize,
}

impl Held {
    fn hold(&self, rows: &[outbox_message::Model]) {
        self.lock().extend(rows.iter().map(|row| (row.id, row.attempts)));
    }

    /// Takes the try `row` for sending; false when it was handed back meanwhile.
    fn take(&self, row: &outbox_message::Model) -> bool {
        self.lock().remove(&(row.id, row.attempts))
    }

    fn release_all(&self) -> Vec<(i32, i32)> {
        self.lock().drain().collect()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashSet<(i32, i32)>> {
        self.waiting.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Puts message `id`, claimed by try `attempts` and never sent, back in the queue as it was
/// before the claim, due now; only if that try still holds it.
async fn release(db: &impl ConnectionTrait, id: i32, attempts: i32) -> Result<(), DbErr> {
    let before = if attempts <= 1 { MessageState::Queued } else { MessageState::Retrying };
    outbox_message::Entity::update_many()
        .col_expr(outbox_message::Column::State, Expr::value(before))
        .col_expr(outbox_message::Column::Attempts, Expr::value(attempts - 1))
        .col_expr(outbox_message::Column::LeaseUntil, Expr::value(Option::<chrono::DateTime<Utc>>::None))
        .col_expr(outbox_message::Column::NextAttemptAt, Expr::value(Utc::now()))
        .filter(outbox_message::Column::Id.eq(id))
        .filter(outbox_message::Column::State.eq(MessageState::Sending))
        .filter(outbox_message::Column::Attempts.eq(attempts))
        .exec(db)
        .await?;
    Ok(())
}

/// Messages per batch: eight per connection, fewer when `SMTP_RATE` would not send four
/// batches within the lease (a claimed message must not be taken back before it is sent).
fn batch_size(config: &crate::config::Config) -> usize {
    let per_connections = config.mail_concurrency.max(1).saturating_mul(8);
    let within_lease = match config.smtp_rate {
        0 => u64::MAX,
        rate => (u64::from(rate) * config.mail_lease_secs / 4).max(1),
    };
    usize::try_from(u64::from(per_connections).min(within_lease)).unwrap_or(32)
}

/// Claims due messages batch by batch and reads what they need, handing each batch to the
/// composing task; claiming and reading the next batch overlaps the drawing of this one. Ends
/// when the composing task is gone.
async fn claim_batches(
    state: AppState,
    claimed: tokio::sync::mpsc::Sender<Vec<Ready>>,
    held: Arc<Held>,
    mut stopped: tokio::sync::watch::Receiver<bool>,
) {
    let batch = batch_size(&state.config);
    let lease = Duration::from_secs(state.config.mail_lease_secs.max(1));
    while !*stopped.borrow() {
        match claim(&state.db, batch, lease).await {
            Ok(rows) if rows.is_empty() => {
                tokio::select! {
                    () = state.mail.wait(POLL) => {}
                    _ = stopped.changed() => return,
                }
            }
            Ok(rows) => {
                held.hold(&rows);
                let ready = gather(&state, rows).await;
                tokio::select! {
                    sent = claimed.send(ready) => if sent.is_err() { return },
                    // The batch stays held, to be handed back.
                    _ = stopped.changed() => return,
                }
            }
            Err(err) => {
                tracing::warn!(%err, "could not claim messages");
                tokio::time::sleep(POLL).await;
            }
        }
    }
}

/// Composes the claimed batches and hands their messages to the sending task. Ends when
/// either task is gone.
async fn compose_batches(
    state: AppState,
    mut claimed: tokio::sync::mpsc::Receiver<Vec<Ready>>,
    composed: tokio::sync::mpsc::Sender<Composed>,
) {
    while let Some(ready) = claimed.recv().await {
        for message in compose_all(&state, ready).await {
            if composed.send(message).await.is_err() {
                return;
            }
        }
    }
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

/// A claimed message and what to send, or why it cannot be made.
type Composed = (outbox_message::Model, Result<Formatted, String>);

/// Draws the invitations and composes the messages, off the async threads, in one share per
/// core (drawing is the costly part).
async fn compose_all(state: &AppState, ready: Vec<Ready>) -> Vec<Composed> {
    let mut composed = Vec::with_capacity(ready.len());
    let mut drawable = Vec::with_capacity(ready.len());
    for (row, sheet) in ready {
        match sheet {
            Ok(sheet) => drawable.push((row, sheet)),
            Err(reason) => composed.push((row, Err(reason))),
        }
    }
    let cores = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
    let share = drawable.len().div_ceil(cores).max(1);
    let mut shares = Vec::new();
    while !drawable.is_empty() {
        let rest = drawable.split_off(share.min(drawable.len()));
        let (fonts, templates, from) = (state.fonts.clone(), state.templates.clone(), state.mail_from.clone());
        let base_url = state.base_url();
        let mine = std::mem::replace(&mut drawable, rest);
        shares.push(tokio::task::spawn_blocking(move || compose_share(&fonts, &templates, &from, &base_url, mine)));
    }
    for share in shares {
        match share.await {
            Ok(messages) => composed.extend(messages),
            // Only a panic while drawing gets here; its messages go back to the queue when
            // their lease ends, and the panic is in the log.
            Err(err) => tracing::error!(%err, "composing messages failed"),
        }
    }
    composed
}

/// Composes the messages of one share: their invitations drawn as files sharing one font
/// subset ([`invitation_files`]), each with its calendar file and its unsubscribe link under
/// `base_url`.
fn compose_share(
    fonts: &Fonts,
    templates: &Templates,
    from: &Mailbox,
    base_url: &str,
    share: Vec<(outbox_message::Model, (InvitationSheet, NaiveDateTime))>,
) -> Vec<Composed> {
    let (rows, (sheets, ends)): (Vec<_>, (Vec<_>, Vec<_>)) = share.into_iter().unzip();
    let files = invitation_files(&sheets, fonts);
    rows.into_iter()
        .zip(sheets.iter().zip(ends))
        .zip(files)
        .map(|((row, (sheet, ends_at)), pdf)| {
            let uid = format!("ngayhoi-{}-{}@{}", row.festival_id, row.participant_id, from.email.domain());
            let unsubscribe_url = unsubscribe::link(base_url, &row.message_id);
            let message = pdf.and_then(|pdf| {
                let envelope = compose::Envelope {
                    from,
                    to: row.to_address.as_deref().unwrap_or_default(),
                    subject: &row.subject,
                    message_id: row.message_id.clone(),
                    uid: &uid,
                    unsubscribe_url: &unsubscribe_url,
                };
                compose::invitation(templates, envelope, sheet, ends_at, pdf).map(|message| Formatted::of(&message))
            });
            (row, message.map_err(|err| format!("{err:#}")))
        })
        .collect()
}

/// Sends the composed messages as they come, `MAIL_CONCURRENCY` at a time, and records each
/// outcome at once (so a crash repeats only what was in flight). Each message is sent on a task
/// of its own, so that the SMTP work of the connections (lettre copies and dot-stuffs every
/// byte) runs on every core. Ends when the composing task is gone.
async fn deliver(sending: Sending, to_send: tokio::sync::mpsc::Receiver<Composed>) {
    let concurrency = usize::try_from(sending.state.config.mail_concurrency.max(1)).unwrap_or(4);
    let sending = Arc::new(sending);
    futures_util::stream::unfold(to_send, |mut to_send| async move { Some((to_send.recv().await?, to_send)) })
        .map(|(row, message)| {
            let sending = sending.clone();
            tokio::spawn(async move { sending.one(row, message).await })
        })
        .buffer_unordered(concurrency)
        .for_each(|sent| {
            if let Err(err) = sent {
                tracing::error!(%err, "sending a message failed");
            }
            std::future::ready(())
        })
        .await;
}

/// What sending needs: the transport, the rate limit, the jobs to refresh, and the messages
/// held for sending.
struct Sending {
    state: AppState,
    mailer: Mailer,
    limiter: Option<Arc<DefaultDirectRateLimiter>>,
    touched: Arc<TouchedJobs>,
    held: Arc<Held>,
}

impl Sending {
    /// Sends one composed message (or records why it cannot be made) and records the outcome.
    async fn one(&self, row: outbox_message::Model, message: Result<Formatted, String>) {
        // Handed back at shutdown: the next claim sends it.
        if !self.held.take(&row) {
            return;
        }
        self.held.sending.fetch_add(1, Ordering::SeqCst);
        self.send_and_record(row, message).await;
        self.held.sending.fetch_sub(1, Ordering::SeqCst);
    }

    async fn send_and_record(&self, row: outbox_message::Model, message: Result<Formatted, String>) {
        let state = &self.state;
        // The message may have waited in the pipeline for longer than its lease (a slow
        // server) and been claimed again meanwhile: only the try that still holds it sends it,
        // with a fresh lease for the time the sending takes.
        match renew_lease(state, &row).await {
            Ok(true) => {}
            Ok(false) => return,
            Err(err) => {
                tracing::warn!(message = row.id, %err, "could not renew a lease; the message waits for its next try");
                return;
            }
        }
        let outcome = match message {
            Ok(message) => {
                if let Some(limiter) = &self.limiter {
                    limiter.until_ready().await;
                }
                self.mailer.send(&message).await
            }
            // A message that cannot be made will not be made by trying again.
            Err(reason) => Err(Failure::Unsendable(reason)),
        };
        match &outcome {
            Err(Failure::Rejected(reason)) => {
                tracing::warn!(message = row.id, %reason, "the mail server rejected a message")
            }
            Err(Failure::Refused(reason)) => tracing::info!(message = row.id, %reason, "a mailbox was refused"),
            _ => {}
        }
        if let Err(err) = record(state, &row, outcome).await {
            tracing::error!(message = row.id, %err, "could not record a delivery");
        }
        if let Some(job) = row.job_id {
            self.touched.touch(job);
        }
    }
}

/// Makes sure this try (`row.attempts`) holds the message for the time a send takes: with
/// at least half its lease left, nobody can have claimed it, and a send takes less than that
/// (half of `MAIL_LEASE_SECS`); with less left, a fresh lease is written if the message is
/// still this try's. False when another try has claimed it since.
async fn renew_lease(state: &AppState, row: &outbox_message::Model) -> Result<bool, DbErr> {
    let lease = chrono::Duration::seconds(i64::try_from(state.config.mail_lease_secs.max(1)).unwrap_or(300));
    // The common case needs no write: most messages are sent soon after their claim.
    if row.lease_until.is_some_and(|until| until - Utc::now() > lease / 2) {
        return Ok(true);
    }
    let renewed = outbox_message::Entity::update_many()
        .col_expr(outbox_message::Column::LeaseUntil, Expr::value(Utc::now() + lease))
        .filter(held_by(row))
        .exec(&state.db)
        .await?;
    Ok(renewed.rows_affected == 1)
}

/// The message of `row` while it is still with this try: sending, with this try's count of
/// attempts (a new claim counts one more).
fn held_by(row: &outbox_message::Model) -> Condition {
    Condition::all()
        .add(outbox_message::Column::Id.eq(row.id))
        .add(outbox_message::Column::State.eq(MessageState::Sending))
        .add(outbox_message::Column::Attempts.eq(row.attempts))
}

/// Sending jobs with messages recorded since their progress was last written.
#[derive(Default)]
struct TouchedJobs {
    jobs: std::sync::Mutex<BTreeSet<i32>>,
    changed: tokio::sync::Notify,
}

impl TouchedJobs {
    fn touch(&self, job: i32) {
        self.jobs.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(job);
        self.changed.notify_one();
    }
}

/// How often at most a sending job's progress is written: often enough for a progress bar,
/// rarely enough not to count the outbox after every message.
const PROGRESS_INTERVAL: Duration = Duration::from_millis(250);

/// Writes the progress of the jobs [`TouchedJobs`] names, at most every
/// [`PROGRESS_INTERVAL`]; the last message of a job is always followed by a write, which ends
/// the job.
async fn refresh_touched_jobs(state: AppState, touched: Arc<TouchedJobs>) {
    loop {
        touched.changed.notified().await;
        let jobs = std::mem::take(&mut *touched.jobs.lock().unwrap_or_else(std::sync::PoisonError::into_inner));
        for job in jobs {
            if let Err(err) = refresh_job(&state.db, job).await {
                tracing::warn!(job, %err, "could not update a sending job");
            }
        }
        tokio::time::sleep(PROGRESS_INTERVAL).await;
    }
}

/// The wait before try `attempts + 1`: `MAIL_RETRY_BASE_SECS` doubled per try, ±25 %.
fn backoff(base_seconds: u64, attempts: i32) -> Duration {
    let doublings = u32::try_from(attempts.saturating_sub(1)).unwrap_or(0).min(20);
    let wait = Duration::from_secs(base_seconds.max(1)).saturating_mul(1 << doublings).min(MAX_BACKOFF);
    wait.mul_f64(rand::rng().random_range(0.75..1.25))
}

/// Writes the outcome of one try; only while the message is still this try's (`sending`, with
/// this try's count of attempts).
async fn record(state: &AppState, row: &outbox_message::Model, outcome: Result<(), Failure>) -> Result<(), DbErr> {
    let now = Utc::now();
    let update = outbox_message::Entity::update_many()
        .col_expr(outbox_message::Column::LeaseUntil, Expr::value(Option::<chrono::DateTime<Utc>>::None))
        .col_expr(outbox_message::Column::UpdatedAt, Expr::value(now))
        .filter(held_by(row));
    let update = match &outcome {
        // Not a try: back to waiting, due when the server is tried again.
        Err(Failure::Deferred { reason, until }) => update
            .col_expr(outbox_message::Column::State, Expr::value(MessageState::Retrying))
            .col_expr(outbox_message::Column::Attempts, Expr::value(row.attempts - 1))
            .col_expr(outbox_message::Column::NextAttemptAt, Expr::value(*until))
            .col_expr(outbox_message::Column::LastError, Expr::value(reason.clone())),
        Ok(()) => update
            .col_expr(outbox_message::Column::State, Expr::value(MessageState::Sent))
            .col_expr(outbox_message::Column::SentAt, Expr::value(now))
            .col_expr(outbox_message::Column::LastError, Expr::value(Option::<String>::None)),
        Err(Failure::Temporary(reason))
            if row.attempts < i32::try_from(state.config.mail_max_attempts).unwrap_or(8) =>
        {
            let next = now + backoff(state.config.mail_retry_base_secs, row.attempts);
            update
                .col_expr(outbox_message::Column::State, Expr::value(MessageState::Retrying))
                .col_expr(outbox_message::Column::NextAttemptAt, Expr::value(next))
                .col_expr(outbox_message::Column::LastError, Expr::value(reason.clone()))
        }
        Err(
            Failure::Temporary(reason)
            | Failure::Refused(reason)
            | Failure::Rejected(reason)
            | Failure::Unsendable(reason),
        ) => update
            .col_expr(outbox_message::Column::State, Expr::value(MessageState::Failed))
            .col_expr(outbox_message::Column::LastError, Expr::value(reason.clone())),
    };
    update.exec(&state.db).await?;
    // A mailbox the server refuses for good is not written to again.
    if let (Err(Failure::Refused(reason)), Some(address)) = (&outcome, &row.to_address) {
        unsubscribe::suppress(&state.db, address, reason).await?;
    }
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
