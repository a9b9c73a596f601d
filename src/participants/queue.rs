//! The registration queue: public registrations arriving together are seated in one
//! transaction per festival (group commit), so a popular festival's page serves thousands of
//! people a second instead of paying a lock, a write and a commit each.
//!
//! Each batch finds and locks the festival row first (`UPDATE … WHERE slug = … AND` open for
//! registration and not over), reads the seat counters under that lock, hands out seats in arrival order, writes the new counters and
//! inserts every registrant, then commits: never more confirmed than `capacity`, on SQLite and
//! PostgreSQL, with any number of app instances (each has its own queue; the row lock orders
//! their batches). A person is answered only after the commit.

use std::collections::HashSet;

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QuerySelect, Set, SqlErr, TransactionTrait,
};
use tokio::sync::{mpsc, oneshot};

use super::model::Registration;
use super::public::{FULL, NO_SUCH_FESTIVAL, refusal};
use super::seats;
use crate::entities::{festival, participant};
use crate::error::{AppError, AppResult};

/// Most registrations seated in one transaction.
const MAX_BATCH: usize = 256;

/// Rows per INSERT statement. sqlx does not set TCP_NODELAY on PostgreSQL connections, and a
/// statement of more than about 30 rows (25 columns each) then waited ~40 ms for a delayed
/// ACK (measured: 24 rows 6–10 ms, 40 rows 50 ms); smaller statements avoid the stall.
const INSERT_CHUNK: usize = 16;

/// Where a registrant ended up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seat {
    pub registration: Registration,
    /// 1-based place on the waitlist, when waitlisted.
    pub waitlist_position: Option<u64>,
}

/// One registrant waiting for a seat: the row to insert (without its registration) and where
/// to send the answer.
struct Job {
    /// The festival's public address, `/f/{slug}`.
    slug: String,
    row: participant::ActiveModel,
    /// `(phone, lower-case name)`: the same person registering twice.
    identity: Option<(String, String)>,
    reply: oneshot::Sender<AppResult<Seat>>,
}

/// The handle request handlers use; cheap to clone.
#[derive(Clone)]
pub struct RegistrationQueue {
    sender: mpsc::Sender<Job>,
}

// "You have already registered with this name and phone number."
const ALREADY: &str = "Bạn đã đăng ký với họ tên và số điện thoại này rồi.";
// "Registration has just closed."
const CLOSED: &str = "Ngày hội vừa đóng đăng ký.";

/// The same refusal for every job of a batch.
fn copy(error: &AppError) -> AppError {
    match error {
        AppError::NotFound(detail) => AppError::NotFound(detail.clone()),
        AppError::Conflict { detail, errors } => AppError::Conflict { detail: detail.clone(), errors: errors.clone() },
        other => AppError::Internal(anyhow::anyhow!("{other}")),
    }
}

impl RegistrationQueue {
    /// Starts the worker that seats registrations on `db`; it stops when every handle is dropped.
    pub fn start(db: DatabaseConnection) -> Self {
        let (sender, receiver) = mpsc::channel(4 * MAX_BATCH);
        tokio::spawn(work(db, receiver));
        Self { sender }
    }

    /// Seats `row` (a new participant of the festival of `slug`, its festival and registration
    /// left unset) and inserts it. Errors: 404 unknown slug; 409 when closed, cancelled, over,
    /// full without a waitlist, or the same name and phone registered already.
    pub async fn seat(&self, slug: &str, row: participant::ActiveModel) -> AppResult<Seat> {
        let identity = match (row.phone.clone().into_value(), row.name_key.clone().into_value()) {
            (Some(sea_orm::Value::String(Some(phone))), Some(sea_orm::Value::String(Some(name)))) => {
                Some((phone, name))
            }
            _ => None,
        };
        let (reply, answer) = oneshot::channel();
        let job = Job { slug: slug.to_owned(), row, identity, reply };
        let stopped = || AppError::Internal(anyhow::anyhow!("registration queue stopped"));
        self.sender.send(job).await.map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }
}

/// Takes what has arrived (up to [`MAX_BATCH`]) and seats it festival by festival.
async fn work(db: DatabaseConnection, mut receiver: mpsc::Receiver<Job>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while receiver.recv_many(&mut batch, MAX_BATCH).await > 0 {
        while let Some(first) = batch.first().map(|job| job.slug.clone()) {
            let (group, rest): (Vec<Job>, Vec<Job>) = batch.drain(..).partition(|job| job.slug == first);
            batch = rest;
            settle(&db, group).await;
        }
    }
}

/// Seats one festival's jobs together; when a concurrent insert outside the queue (an
/// organizer's import) makes the batch hit the duplicate index, seats them one by one so only
/// the duplicate is refused.
async fn settle(db: &DatabaseConnection, jobs: Vec<Job>) {
    let rows: Vec<participant::ActiveModel> = jobs.iter().map(|job| job.row.clone()).collect();
    let started = std::time::Instant::now();
    let seated = seat_all(db, &jobs, rows).await;
    tracing::debug!(batch = jobs.len(), elapsed_us = started.elapsed().as_micros(), "registration batch");
    match seated {
        Ok(answers) => answer(jobs, answers),
        Err(err) if jobs.len() > 1 && is_unique_violation(&err) => {
            for job in jobs {
                let rows = vec![job.row.clone()];
                let single = [job];
                let answers = seat_all(db, &single, rows).await.map_err(|err| failure(&err));
                let [job] = single;
                let _ = job.reply.send(answers.and_then(|mut answers| answers.remove(0)));
            }
        }
        Err(err) => {
            for job in jobs {
                let _ = job.reply.send(Err(failure(&err)));
            }
        }
    }
}

fn answer(jobs: Vec<Job>, answers: Vec<AppResult<Seat>>) {
    for (job, answer) in jobs.into_iter().zip(answers) {
        // The person may have given up waiting; their row is stored all the same.
        let _ = job.reply.send(answer);
    }
}

fn is_unique_violation(err: &DbErr) -> bool {
    matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_)))
}

/// What a registrant is told when their batch failed: a duplicate (the same name and phone
/// inserted meanwhile outside the queue) is a 409 like the check before it; anything else is
/// a server fault.
fn failure(err: &DbErr) -> AppError {
    if is_unique_violation(err) {
        AppError::conflict("phone", ALREADY)
    } else {
        AppError::Internal(anyhow::anyhow!("{err}"))
    }
}

/// One transaction: lock the festival, hand out seats in arrival order, write counters and
/// rows. Returns one answer per job; the jobs refused (duplicate, full) insert nothing.
async fn seat_all(
    db: &DatabaseConnection,
    jobs: &[Job],
    rows: Vec<participant::ActiveModel>,
) -> Result<Vec<AppResult<Seat>>, DbErr> {
    let Some(slug) = jobs.first().map(|job| job.slug.as_str()) else { return Ok(Vec::new()) };
    let _writer = seats::one_writer(db).await;
    let txn = db.begin().await?;
    // The lock: an update that changes nothing, only while registration is open.
    let locked = festival::Entity::update_many()
        .col_expr(festival::Column::ConfirmedCount, Expr::col(festival::Column::ConfirmedCount))
        .filter(festival::Column::Slug.eq(slug))
        .filter(seats::open_for_registration())
        .filter(festival::Column::EndsAt.gt(Utc::now()))
        .exec(&txn)
        .await?;
    let festival = festival::Entity::find().filter(festival::Column::Slug.eq(slug)).one(&txn).await?;
    let refused = match &festival {
        None => Some(AppError::not_found(NO_SUCH_FESTIVAL)),
        Some(festival) if locked.rows_affected == 0 => {
            Some(AppError::state_conflict(refusal(festival, Utc::now()).unwrap_or(CLOSED)))
        }
        Some(_) => None,
    };
    let (Some(festival), None) = (festival, refused.as_ref()) else {
        txn.rollback().await?;
        let error = refused.unwrap_or_else(|| AppError::state_conflict(CLOSED));
        return Ok(jobs.iter().map(|_| Err(copy(&error))).collect());
    };
    let festival_id = festival.id;
    // Waitlist order is (registered_at, id): one instant for the batch, ids in arrival order.
    let now = Utc::now();
    let phones: Vec<&str> =
        jobs.iter().filter_map(|job| job.identity.as_ref().map(|(phone, _)| phone.as_str())).collect();
    let mut taken: HashSet<(String, String)> = if phones.is_empty() {
        HashSet::new()
    } else {
        participant::Entity::find()
            .select_only()
            .columns([participant::Column::Phone, participant::Column::NameKey])
            .filter(participant::Column::FestivalId.eq(festival_id))
            .filter(participant::Column::Phone.is_in(phones))
            .into_tuple::<(String, String)>()
            .all(&txn)
            .await?
            .into_iter()
            .collect()
    };
    let (mut confirmed, mut waitlisted) = (festival.confirmed_count, festival.waitlisted_count);
    let mut answers = Vec::with_capacity(jobs.len());
    let mut seated = Vec::with_capacity(jobs.len());
    for (job, mut row) in jobs.iter().zip(rows) {
        if job.identity.as_ref().is_some_and(|identity| !taken.insert(identity.clone())) {
            answers.push(Err(AppError::conflict("phone", ALREADY)));
            continue;
        }
        let registration = if festival.capacity.is_none_or(|capacity| confirmed < capacity) {
            confirmed += 1;
            Registration::Confirmed
        } else if festival.waitlist {
            waitlisted += 1;
            Registration::Waitlisted
        } else {
            answers.push(Err(AppError::state_conflict(FULL)));
            continue;
        };
        row.festival_id = Set(festival_id);
        row.registered_at = Set(Some(now));
        row.registration = Set(Some(registration));
        seated.push(row);
        let waitlist_position =
            (registration == Registration::Waitlisted).then_some(u64::try_from(waitlisted).unwrap_or_default());
        answers.push(Ok(Seat { registration, waitlist_position }));
    }
    if !seated.is_empty() {
        festival::Entity::update_many()
            .col_expr(festival::Column::ConfirmedCount, Expr::value(confirmed))
            .col_expr(festival::Column::WaitlistedCount, Expr::value(waitlisted))
            .filter(festival::Column::Id.eq(festival_id))
            .exec(&txn)
            .await?;
        for chunk in seated.chunks(INSERT_CHUNK) {
            participant::Entity::insert_many(chunk.to_vec()).exec_without_returning(&txn).await?;
        }
    }
    txn.commit().await?;
    Ok(answers)
}
