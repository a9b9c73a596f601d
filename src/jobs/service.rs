//! The life of a job in the database, shared by every app instance: created queued, claimed
//! by one instance's worker under a lease it renews while it works, finished with its file,
//! failed with the reason, or cancelled. A job whose lease ran out (its instance crashed) is
//! claimed again and redone from the start; the work it does is idempotent.

use std::collections::HashMap;
use std::time::Duration;

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, JoinType,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};
use serde::Serialize;

use super::model::{About, Job, JobKind, JobListing, JobState, RUN_BY_WORKER};
use crate::areas::repo::hosts_in;
use crate::auth::model::Actor;
use crate::commendation::decisions;
use crate::entities::{decision, festival, host, issuer, job, job_file};
use crate::error::{AppError, AppResult};
use crate::festivals::service as festivals;
use crate::list::{Page, Paging};
use crate::participants::transfer::Download;
use crate::time::to_local;

/// How long a claimed job stays with its instance without a sign of life.
pub const LEASE: Duration = Duration::from_secs(60);

fn lease_end() -> chrono::DateTime<Utc> {
    Utc::now() + LEASE
}

/// What a new job is about: the festival or decision its scope is checked against.
#[derive(Debug, Clone, Copy)]
pub enum Subject {
    Festival(i32),
    Decision(i32),
}

/// Queues a job of `kind` over `subject` for `total` items, with its `params`; the caller
/// has checked the actor's right to it.
pub async fn create(
    db: &impl ConnectionTrait,
    actor: &Actor,
    kind: JobKind,
    subject: Subject,
    params: &impl Serialize,
    total: usize,
) -> AppResult<job::Model> {
    let now = Utc::now();
    let (festival_id, decision_id) = match subject {
        Subject::Festival(id) => (Some(id), None),
        Subject::Decision(id) => (None, Some(id)),
    };
    let row = job::ActiveModel {
        kind: Set(kind),
        state: Set(JobState::Queued),
        festival_id: Set(festival_id),
        decision_id: Set(decision_id),
        params: Set(serde_json::to_string(params).map_err(anyhow::Error::from)?),
        total: Set(i32::try_from(total).unwrap_or(i32::MAX)),
        done: Set(0),
        failed: Set(0),
        withheld: Set(0),
        error: Set(None),
        lease_until: Set(None),
        created_by: Set(actor.user_id),
        created_at: Set(now),
        updated_at: Set(now),
        finished_at: Set(None),
        ..Default::default()
    };
    Ok(row.insert(db).await?)
}

/// A job the actor may see: one about a festival or decision in their scope. Errors: 404.
pub async fn find(db: &impl ConnectionTrait, actor: &Actor, id: i32) -> AppResult<job::Model> {
    // "No job number …"
    let missing = || AppError::not_found(format!("Không tìm thấy tác vụ số {id}."));
    let row = job::Entity::find_by_id(id).one(db).await?.ok_or_else(missing)?;
    let allowed = match (row.festival_id, row.decision_id) {
        (Some(festival), _) => festivals::find(db, actor, festival).await.is_ok(),
        (None, Some(decision)) => decisions::find(db, actor, decision).await.is_ok(),
        (None, None) => row.created_by.is_some() && row.created_by == actor.user_id,
    };
    if allowed { Ok(row) } else { Err(missing()) }
}

pub fn present(row: job::Model) -> Job {
    let makes_file = matches!(row.kind, JobKind::PrintInvitations | JobKind::PrintCertificates);
    Job {
        id: row.id,
        kind: row.kind,
        state: row.state,
        done: row.done,
        total: row.total,
        failed: row.failed,
        withheld: row.withheld,
        error: row.error,
        festival_id: row.festival_id,
        decision_id: row.decision_id,
        download_url: (makes_file && row.state == JobState::Done).then(|| format!("/api/v1/jobs/{}/file", row.id)),
        created_at: to_local(row.created_at),
        finished_at: row.finished_at.map(to_local),
    }
}

/// Errors: 404.
pub async fn get(db: &impl ConnectionTrait, actor: &Actor, id: i32) -> AppResult<Job> {
    Ok(present(find(db, actor, id).await?))
}

/// What each of `rows` is about, by job id: two queries for the lot (festivals with their
/// hosts, decisions), whatever the number of rows.
async fn abouts(db: &impl ConnectionTrait, rows: &[job::Model]) -> AppResult<HashMap<i32, About>> {
    let festival_ids: Vec<i32> = rows.iter().filter_map(|row| row.festival_id).collect();
    let decision_ids: Vec<i32> =
        rows.iter().filter(|row| row.festival_id.is_none()).filter_map(|row| row.decision_id).collect();
    let festivals: HashMap<i32, About> = festival::Entity::find()
        .find_also_related(host::Entity)
        .filter(festival::Column::Id.is_in(festival_ids))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(festival, host)| {
            let about = About::Festival { id: festival.id, host_name: host?.name, year: festival.year };
            Some((festival.id, about))
        })
        .collect();
    let decisions: HashMap<i32, About> = decision::Entity::find()
        .filter(decision::Column::Id.is_in(decision_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|decision| (decision.id, About::Decision { id: decision.id, number: decision.number }))
        .collect();
    Ok(rows
        .iter()
        .filter_map(|row| {
            let about = match (row.festival_id, row.decision_id) {
                (Some(id), _) => festivals.get(&id),
                (None, Some(id)) => decisions.get(&id),
                (None, None) => None,
            };
            Some((row.id, about?.clone()))
        })
        .collect())
}

/// A job the actor may see with what it is about, as its page shows it. Errors: 404.
pub async fn listing(db: &impl ConnectionTrait, actor: &Actor, id: i32) -> AppResult<JobListing> {
    let row = find(db, actor, id).await?;
    let about = abouts(db, std::slice::from_ref(&row)).await?.remove(&row.id);
    Ok(JobListing::new(present(row), about))
}

/// [`find`]'s rule as a condition on jobs joined to their festival's host and their decision's
/// issuer (see [`list`]): about a festival in the actor's scope, else about a decision of an
/// issuer in it, else about nothing and started by the actor.
fn visible(actor: &Actor) -> Condition {
    let mut seen = Condition::any().add(
        Condition::all()
            .add(job::Column::FestivalId.is_not_null())
            .add(host::Column::Id.is_not_null())
            .add(hosts_in(&actor.area())),
    );
    if let Some(issuers) = decisions::issuers_seen(&actor.scope) {
        seen = seen.add(
            Condition::all().add(job::Column::FestivalId.is_null()).add(issuer::Column::Id.is_not_null()).add(issuers),
        );
    }
    if let Some(user_id) = actor.user_id {
        seen = seen.add(
            Condition::all()
                .add(job::Column::FestivalId.is_null())
                .add(job::Column::DecisionId.is_null())
                .add(job::Column::CreatedBy.eq(user_id)),
        );
    }
    seen
}

/// The jobs the actor may see (the rule of [`find`], in one query), newest first, with what
/// each is about.
pub async fn list(db: &impl ConnectionTrait, actor: &Actor, paging: Paging) -> AppResult<Page<JobListing>> {
    let paginator = job::Entity::find()
        .join(
            JoinType::LeftJoin,
            job::Entity::belongs_to(festival::Entity).from(job::Column::FestivalId).to(festival::Column::Id).into(),
        )
        .join(
            JoinType::LeftJoin,
            festival::Entity::belongs_to(host::Entity).from(festival::Column::HostId).to(host::Column::Id).into(),
        )
        .join(
            JoinType::LeftJoin,
            job::Entity::belongs_to(decision::Entity).from(job::Column::DecisionId).to(decision::Column::Id).into(),
        )
        .join(
            JoinType::LeftJoin,
            decision::Entity::belongs_to(issuer::Entity).from(decision::Column::IssuerId).to(issuer::Column::Id).into(),
        )
        .filter(visible(actor))
        .order_by_desc(job::Column::Id)
        .paginate(db, paging.per_page);
    let total = paginator.num_items().await?;
    let rows = paginator.fetch_page(paging.index()).await?;
    let mut abouts = abouts(db, &rows).await?;
    let items = rows
        .into_iter()
        .map(|row| {
            let about = abouts.remove(&row.id);
            JobListing::new(present(row), about)
        })
        .collect();
    Ok(Page { items, total })
}

/// The jobs of a festival, newest first (at most 20).
pub async fn of_festival(db: &impl ConnectionTrait, actor: &Actor, festival_id: i32) -> AppResult<Vec<Job>> {
    festivals::find(db, actor, festival_id).await?;
    latest(db, job::Column::FestivalId, festival_id).await
}

/// The jobs of a decision, newest first (at most 20).
pub async fn of_decision(db: &impl ConnectionTrait, actor: &Actor, decision_id: i32) -> AppResult<Vec<Job>> {
    decisions::find(db, actor, decision_id).await?;
    latest(db, job::Column::DecisionId, decision_id).await
}

/// The 20 newest jobs whose `subject` column is `id`.
async fn latest(db: &impl ConnectionTrait, subject: job::Column, id: i32) -> AppResult<Vec<Job>> {
    let rows = job::Entity::find().filter(subject.eq(id)).order_by_desc(job::Column::Id).limit(20).all(db).await?;
    Ok(rows.into_iter().map(present).collect())
}

/// Stops a queued or running job; what it already did stays. Errors: 404; 409 once it ended.
pub async fn cancel(db: &impl ConnectionTrait, actor: &Actor, id: i32) -> AppResult<Job> {
    let row = find(db, actor, id).await?;
    let now = Utc::now();
    let changed = job::Entity::update_many()
        .col_expr(job::Column::State, Expr::value(JobState::Cancelled))
        .col_expr(job::Column::FinishedAt, Expr::value(now))
        .col_expr(job::Column::UpdatedAt, Expr::value(now))
        .filter(job::Column::Id.eq(row.id))
        .filter(job::Column::State.is_in([JobState::Queued, JobState::Running]))
        .exec(db)
        .await?;
    if changed.rows_affected == 0 {
        // "The job has already ended."
        return Err(AppError::state_conflict("Tác vụ đã kết thúc."));
    }
    if row.kind == JobKind::SendInvitations {
        crate::mail::service::cancel_job_messages(db, row.id).await?;
    }
    get(db, actor, id).await
}

/// The file of a finished job. Errors: 404; 409 while it is not done.
pub async fn file(db: &impl ConnectionTrait, actor: &Actor, id: i32) -> AppResult<Download> {
    let row = find(db, actor, id).await?;
    if row.state != JobState::Done {
        // "The file is not ready yet (the job is …)."
        return Err(AppError::state_conflict(format!("Tệp chưa sẵn sàng (tác vụ: {}).", row.state.label())));
    }
    // "This job made no file."
    let stored = job_file::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("Tác vụ này không tạo tệp."))?;
    Ok(Download { bytes: stored.content, content_type: "application/pdf", filename: stored.file_name })
}

/// Takes the oldest job that is queued or whose lease ran out, for this instance: a
/// compare-and-set on its state and lease, so two instances never both win one job.
pub async fn claim(db: &DatabaseConnection) -> Result<Option<job::Model>, DbErr> {
    let now = Utc::now();
    let claimable = || {
        Condition::any()
            .add(job::Column::State.eq(JobState::Queued))
            .add(Condition::all().add(job::Column::State.eq(JobState::Running)).add(job::Column::LeaseUntil.lt(now)))
    };
    let candidates = job::Entity::find()
        .filter(claimable())
        .filter(job::Column::Kind.is_in(RUN_BY_WORKER))
        .order_by_asc(job::Column::Id)
        .limit(4)
        .all(db)
        .await?;
    for candidate in candidates {
        let taken = job::Entity::update_many()
            .col_expr(job::Column::State, Expr::value(JobState::Running))
            .col_expr(job::Column::LeaseUntil, Expr::value(lease_end()))
            .col_expr(job::Column::UpdatedAt, Expr::value(now))
            .filter(job::Column::Id.eq(candidate.id))
            .filter(claimable())
            .exec(db)
            .await?;
        if taken.rows_affected == 1 {
            return job::Entity::find_by_id(candidate.id).one(db).await;
        }
    }
    Ok(None)
}

/// Records progress and renews the lease. Gives false when the job is no longer this
/// worker's to do (cancelled meanwhile): the worker then stops.
pub async fn progress(db: &impl ConnectionTrait, id: i32, done: usize) -> Result<bool, DbErr> {
    let changed = job::Entity::update_many()
        .col_expr(job::Column::Done, Expr::value(i32::try_from(done).unwrap_or(i32::MAX)))
        .col_expr(job::Column::LeaseUntil, Expr::value(lease_end()))
        .col_expr(job::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(job::Column::Id.eq(id))
        .filter(job::Column::State.eq(JobState::Running))
        .exec(db)
        .await?;
    Ok(changed.rows_affected == 1)
}

/// Marks the job done with its file, in one transaction; nothing happens when it was
/// cancelled meanwhile.
pub async fn finish(db: &DatabaseConnection, id: i32, file_name: String, content: Vec<u8>) -> Result<(), DbErr> {
    let txn = db.begin().await?;
    let now = Utc::now();
    let changed = job::Entity::update_many()
        .col_expr(job::Column::State, Expr::value(JobState::Done))
        .col_expr(job::Column::Done, Expr::col(job::Column::Total))
        .col_expr(job::Column::FinishedAt, Expr::value(now))
        .col_expr(job::Column::UpdatedAt, Expr::value(now))
        .filter(job::Column::Id.eq(id))
        .filter(job::Column::State.eq(JobState::Running))
        .exec(&txn)
        .await?;
    if changed.rows_affected == 1 {
        job_file::Entity::delete_by_id(id).exec(&txn).await?;
        job_file::ActiveModel {
            job_id: Set(id),
            file_name: Set(file_name),
            content_type: Set("application/pdf".to_owned()),
            content: Set(content),
        }
        .insert(&txn)
        .await?;
    }
    txn.commit().await
}

/// Marks the job failed with `error` (Vietnamese, for the user).
pub async fn fail(db: &impl ConnectionTrait, id: i32, error: &str) -> Result<(), DbErr> {
    let now = Utc::now();
    job::Entity::update_many()
        .col_expr(job::Column::State, Expr::value(JobState::Failed))
        .col_expr(job::Column::Error, Expr::value(error))
        .col_expr(job::Column::FinishedAt, Expr::value(now))
        .col_expr(job::Column::UpdatedAt, Expr::value(now))
        .filter(job::Column::Id.eq(id))
        .filter(job::Column::State.eq(JobState::Running))
        .exec(db)
        .await?;
    Ok(())
}
