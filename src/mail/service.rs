//! The outbox (API.md, *Mail*): queuing invitations of a festival in one transaction, the
//! mail log, resending, and the progress of sending jobs. Delivery is `mail::worker`'s.

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait, IntoCondition, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, Iterable,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};

use super::compose::invitation_subject;
use super::model::{MailMessage, MessageFilter, MessageKind, MessageState, SendAccepted, SendInvitations};
use crate::areas::repo::hosts_in;
use crate::auth::model::Actor;
use crate::codes::random_code;
use crate::entities::{festival, host, job, mail_suppression, outbox_message, participant};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::festivals::service as festivals;
use crate::jobs::model::{JobKind, JobState};
use crate::jobs::service::{self as jobs, Subject};
use crate::list::{Page, Paging, search_key};
use crate::participants::invitations::{self, Whom};
use crate::participants::service::all_in_order;
use crate::time::to_local;

/// States in which a guest already has their invitation (or will have it): no second one
/// unless a resend is asked.
const HAS_INVITATION: [MessageState; 4] =
    [MessageState::Queued, MessageState::Sending, MessageState::Retrying, MessageState::Sent];

/// "No e-mail address." / "The address is on the do-not-send list: …"
const NO_ADDRESS: &str = "Không có địa chỉ email.";

/// Queues the invitations of festival `festival_id` (every invited participant, or those of
/// `participant_ids`) in one transaction with their job. Participants without an address, or
/// with a suppressed one, get a withheld message (once: a second send withholds them again
/// only when asked to `resend`); those who already have an invitation are
/// skipped unless `resend`. Errors: 404; 409 when the festival has no issuer, was cancelled
/// or has nobody invited; 422 naming `participant_ids[i]` when not an invited participant.
pub async fn send_invitations(
    db: &DatabaseConnection,
    actor: &Actor,
    festival_id: i32,
    input: SendInvitations,
    domain: &str,
) -> AppResult<SendAccepted> {
    // The same checks as printing: an issuer, not cancelled, somebody invited.
    invitations::count(db, actor, Whom::Festival(festival_id)).await?;
    let (festival, host) = festivals::find(db, actor, festival_id).await?;
    let invited: Vec<participant::Model> =
        all_in_order(db, festival.id).await?.into_iter().filter(|row| row.invited).collect();
    let chosen: Vec<participant::Model> = match &input.participant_ids {
        None => invited,
        Some(ids) => {
            let mut errors = FieldErrors::default();
            for (i, id) in ids.iter().enumerate() {
                if !invited.iter().any(|row| row.id == *id) {
                    // "Not an invited participant of this festival."
                    errors.add(format!("participant_ids[{i}]"), "Không phải khách mời của ngày hội này.");
                }
            }
            errors.finish()?;
            invited.into_iter().filter(|row| ids.contains(&row.id)).collect()
        }
    };
    let txn = db.begin().await?;
    // What each guest already has: an invitation on its way or sent, or a withheld one.
    let earlier: Vec<(i32, MessageState)> = if input.resend {
        Vec::new()
    } else {
        outbox_message::Entity::find()
            .select_only()
            .column(outbox_message::Column::ParticipantId)
            .column(outbox_message::Column::State)
            .filter(outbox_message::Column::FestivalId.eq(festival.id))
            .filter(outbox_message::Column::Kind.eq(MessageKind::Invitation))
            .into_tuple()
            .all(&txn)
            .await?
    };
    let mut by_participant: HashMap<i32, Vec<MessageState>> = HashMap::new();
    for (who, state) in earlier {
        by_participant.entry(who).or_default().push(state);
    }
    let had = |id: i32, states: &[MessageState]| {
        by_participant.get(&id).is_some_and(|theirs| theirs.iter().any(|state| states.contains(state)))
    };
    let addresses: Vec<String> = chosen.iter().filter_map(|row| row.email.clone()).collect();
    let suppressed: Vec<mail_suppression::Model> =
        mail_suppression::Entity::find().filter(mail_suppression::Column::Email.is_in(addresses)).all(&txn).await?;
    // Each guest with their address and why it cannot be used, if it cannot. A guest withheld
    // before and still without a usable address gets no second withheld row; one who has an
    // address now is sent to.
    let pending: Vec<(&participant::Model, Option<String>, Option<String>)> = chosen
        .iter()
        .filter(|row| !had(row.id, &HAS_INVITATION))
        .map(|row| {
            let address = row.email.clone().filter(|email| !email.trim().is_empty());
            let refusal = match &address {
                None => Some(NO_ADDRESS.to_owned()),
                Some(email) => suppressed
                    .iter()
                    .find(|entry| entry.email.eq_ignore_ascii_case(email))
                    .map(|entry| format!("Địa chỉ nằm trong danh sách không gửi: {}", entry.reason)),
            };
            (row, address, refusal)
        })
        .filter(|(row, _, refusal)| refusal.is_none() || !had(row.id, &[MessageState::Withheld]))
        .collect();
    // Numbered now, in name order, so the outbox's batches do not each take a block.
    let mut to_number: Vec<participant::Model> =
        pending.iter().filter(|(_, _, refusal)| refusal.is_none()).map(|(row, _, _)| (*row).clone()).collect();
    invitations::number(&txn, &festival, &mut to_number).await?;
    let job =
        jobs::create(&txn, actor, JobKind::SendInvitations, Subject::Festival(festival.id), &input, pending.len())
            .await?;
    let now = Utc::now();
    let subject = invitation_subject(&festival.title, &host.name);
    let withheld =
        i32::try_from(pending.iter().filter(|(_, _, refusal)| refusal.is_some()).count()).unwrap_or(i32::MAX);
    let rows: Vec<outbox_message::ActiveModel> = pending
        .iter()
        .map(|(row, address, refusal)| outbox_message::ActiveModel {
            job_id: Set(Some(job.id)),
            festival_id: Set(festival.id),
            participant_id: Set(row.id),
            kind: Set(MessageKind::Invitation),
            to_address: Set(address.clone()),
            subject: Set(subject.clone()),
            state: Set(if refusal.is_some() { MessageState::Withheld } else { MessageState::Queued }),
            attempts: Set(0),
            next_attempt_at: Set(now),
            lease_until: Set(None),
            last_error: Set(refusal.clone()),
            message_id: Set(new_message_id(domain)),
            sent_at: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        })
        .collect();
    for chunk in rows.chunks(200) {
        outbox_message::Entity::insert_many(chunk.to_vec()).exec_without_returning(&txn).await?;
    }
    refresh_job(&txn, job.id).await?;
    txn.commit().await?;
    Ok(SendAccepted { job_id: job.id, total: i32::try_from(pending.len()).unwrap_or(i32::MAX), withheld })
}

/// A `Message-ID` for a new message: kept on every try, so that a message sent twice around a
/// crash is recognizable as one.
fn new_message_id(domain: &str) -> String {
    format!("<ngayhoi-{}@{domain}>", random_code(20).to_lowercase())
}

/// Recomputes a sending job's counters from its messages, and ends it when none is left to
/// send (done, or cancelled when it was cancelled). A job already ended keeps its state.
pub async fn refresh_job(db: &impl ConnectionTrait, job_id: i32) -> AppResult<()> {
    let counts = count_by_state(db, outbox_message::Column::JobId.eq(job_id)).await?;
    let count = |state: MessageState| counts.iter().filter(|(s, _)| *s == state).map(|(_, n)| *n).sum::<i64>();
    let open = count(MessageState::Queued) + count(MessageState::Sending) + count(MessageState::Retrying);
    let as_i32 = |n: i64| i32::try_from(n).unwrap_or(i32::MAX);
    let now = Utc::now();
    let mut update = job::Entity::update_many()
        .col_expr(job::Column::Done, Expr::value(as_i32(count(MessageState::Sent))))
        .col_expr(job::Column::Failed, Expr::value(as_i32(count(MessageState::Failed))))
        .col_expr(job::Column::Withheld, Expr::value(as_i32(count(MessageState::Withheld))))
        .col_expr(job::Column::UpdatedAt, Expr::value(now))
        .filter(job::Column::Id.eq(job_id))
        .filter(job::Column::State.is_in([JobState::Queued, JobState::Running]));
    if open == 0 {
        update = update
            .col_expr(job::Column::State, Expr::value(JobState::Done))
            .col_expr(job::Column::FinishedAt, Expr::value(now));
    } else {
        update = update.col_expr(job::Column::State, Expr::value(JobState::Running));
    }
    update.exec(db).await?;
    Ok(())
}

/// How many messages matching `condition` stand in each state; states without any are left out.
async fn count_by_state(
    db: &impl ConnectionTrait,
    condition: impl IntoCondition,
) -> AppResult<Vec<(MessageState, i64)>> {
    Ok(outbox_message::Entity::find()
        .select_only()
        .column(outbox_message::Column::State)
        .column_as(outbox_message::Column::Id.count(), "count")
        .filter(condition)
        .group_by(outbox_message::Column::State)
        .into_tuple()
        .all(db)
        .await?)
}

/// How many messages of festival `festival_id` stand in each state, in the order of the
/// states; states without any are left out. The caller has checked the actor's right to it.
pub async fn state_counts_of(db: &impl ConnectionTrait, festival_id: i32) -> AppResult<Vec<(MessageState, u64)>> {
    let counts = count_by_state(db, outbox_message::Column::FestivalId.eq(festival_id)).await?;
    Ok(MessageState::iter()
        .filter_map(|state| {
            let (_, count) = counts.iter().find(|(counted, _)| *counted == state)?;
            Some((state, u64::try_from(*count).unwrap_or_default()))
        })
        .collect())
}

/// Stops the messages of a sending job that are not on their way yet.
pub async fn cancel_job_messages(db: &impl ConnectionTrait, job_id: i32) -> AppResult<()> {
    outbox_message::Entity::update_many()
        .col_expr(outbox_message::Column::State, Expr::value(MessageState::Cancelled))
        .col_expr(outbox_message::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(outbox_message::Column::JobId.eq(job_id))
        .filter(outbox_message::Column::State.is_in([MessageState::Queued, MessageState::Retrying]))
        .exec(db)
        .await?;
    Ok(())
}

fn present(row: outbox_message::Model) -> MailMessage {
    let waiting = matches!(row.state, MessageState::Queued | MessageState::Retrying);
    MailMessage {
        id: row.id,
        participant_id: row.participant_id,
        festival_id: row.festival_id,
        job_id: row.job_id,
        to: row.to_address,
        subject: row.subject,
        state: row.state,
        attempts: row.attempts,
        last_error: row.last_error,
        sent_at: row.sent_at.map(to_local),
        next_attempt_at: waiting.then(|| to_local(row.next_attempt_at)),
    }
}

/// Messages of festivals in the actor's scope, newest first. Errors: 404 for a festival
/// outside it.
pub async fn list(
    db: &impl ConnectionTrait,
    actor: &Actor,
    filter: &MessageFilter,
    paging: Paging,
) -> AppResult<Page<MailMessage>> {
    let mut query = outbox_message::Entity::find();
    if let Some(id) = filter.festival {
        festivals::find(db, actor, id).await?;
        query = query.filter(outbox_message::Column::FestivalId.eq(id));
    } else {
        let visible = Query::select()
            .column((festival::Entity, festival::Column::Id))
            .from(festival::Entity)
            .inner_join(
                host::Entity,
                Expr::col((host::Entity, host::Column::Id)).equals((festival::Entity, festival::Column::HostId)),
            )
            .cond_where(hosts_in(&actor.area()))
            .to_owned();
        query = query.filter(Condition::all().add(outbox_message::Column::FestivalId.in_subquery(visible)));
    }
    if let Some(state) = filter.state {
        query = query.filter(outbox_message::Column::State.eq(state));
    }
    if let Some(job) = filter.job {
        query = query.filter(outbox_message::Column::JobId.eq(job));
    }
    // The recipient's participant row holds the folded name, e-mail, phone and CCCD.
    if let Some(search) = search_key(filter.q.as_deref()) {
        let recipients = Query::select()
            .column(participant::Column::Id)
            .from(participant::Entity)
            .and_where(participant::Column::SearchKey.contains(search))
            .to_owned();
        query = query.filter(outbox_message::Column::ParticipantId.in_subquery(recipients));
    }
    let pages = query.order_by_desc(outbox_message::Column::Id).paginate(db, paging.per_page);
    let total = pages.num_items().await?;
    let items = pages.fetch_page(paging.index()).await?.into_iter().map(present).collect();
    Ok(Page { items, total })
}

/// A message the actor may see. Errors: 404.
pub async fn get(db: &impl ConnectionTrait, actor: &Actor, id: i32) -> AppResult<MailMessage> {
    Ok(present(find(db, actor, id).await?))
}

async fn find(db: &impl ConnectionTrait, actor: &Actor, id: i32) -> AppResult<outbox_message::Model> {
    // "No message number …"
    let missing = || AppError::not_found(format!("Không tìm thấy thư số {id}."));
    let row = outbox_message::Entity::find_by_id(id).one(db).await?.ok_or_else(missing)?;
    festivals::find(db, actor, row.festival_id).await.map_err(|_| missing())?;
    Ok(row)
}

/// Sends a message again: a failed, cancelled or withheld one is queued anew (a withheld one
/// with the participant's address of now), a sent one is copied into a new message; these
/// leave their job, whose figures stay as they were. A retrying one is tried now, in its job.
/// Errors: 404; 409 while it is queued or being sent, or when the participant still has no
/// usable address.
pub async fn resend(db: &DatabaseConnection, actor: &Actor, id: i32, domain: &str) -> AppResult<MailMessage> {
    let row = find(db, actor, id).await?;
    if row.state == MessageState::Retrying {
        return send_now(db, row).await;
    }
    if !row.state.is_final() {
        // "The message is still being sent."
        return Err(AppError::state_conflict("Thư đang trong hàng gửi."));
    }
    let person = participant::Entity::find_by_id(row.participant_id).one(db).await?;
    let address = person.and_then(|person| person.email).filter(|email| !email.trim().is_empty());
    let Some(address) = address else {
        return Err(AppError::state_conflict(NO_ADDRESS));
    };
    let now = Utc::now();
    let queued = |mut active: outbox_message::ActiveModel| {
        active.job_id = Set(None);
        active.to_address = Set(Some(address.clone()));
        active.state = Set(MessageState::Queued);
        active.attempts = Set(0);
        active.next_attempt_at = Set(now);
        active.lease_until = Set(None);
        active.last_error = Set(None);
        active.updated_at = Set(now);
        active
    };
    let saved = if row.state == MessageState::Sent {
        let mut copy: outbox_message::ActiveModel = queued(row.clone().into());
        copy.id = sea_orm::ActiveValue::NotSet;
        copy.sent_at = Set(None);
        copy.created_at = Set(now);
        copy.message_id = Set(new_message_id(domain));
        copy.insert(db).await?
    } else {
        queued(row.into()).update(db).await?
    };
    Ok(present(saved))
}

/// A message waiting to be tried again, due now rather than after its backoff (once the
/// organizer has mended what failed); its tries so far still count. Errors: 409 when a
/// worker took it meanwhile.
async fn send_now(db: &DatabaseConnection, row: outbox_message::Model) -> AppResult<MailMessage> {
    let now = Utc::now();
    let changed = outbox_message::Entity::update_many()
        .col_expr(outbox_message::Column::NextAttemptAt, Expr::value(now))
        .col_expr(outbox_message::Column::UpdatedAt, Expr::value(now))
        .filter(outbox_message::Column::Id.eq(row.id))
        .filter(outbox_message::Column::State.eq(MessageState::Retrying))
        .exec(db)
        .await?;
    if changed.rows_affected == 0 {
        return Err(AppError::state_conflict("Thư đang trong hàng gửi."));
    }
    Ok(present(outbox_message::Model { next_attempt_at: now, updated_at: now, ..row }))
}

/// Queues every failed message of a festival again; gives how many.
pub async fn resend_failed(db: &DatabaseConnection, actor: &Actor, festival_id: i32) -> AppResult<u64> {
    festivals::find(db, actor, festival_id).await?;
    let now = Utc::now();
    let changed = outbox_message::Entity::update_many()
        .col_expr(outbox_message::Column::State, Expr::value(MessageState::Queued))
        .col_expr(outbox_message::Column::JobId, Expr::value(Option::<i32>::None))
        .col_expr(outbox_message::Column::Attempts, Expr::value(0))
        .col_expr(outbox_message::Column::NextAttemptAt, Expr::value(now))
        .col_expr(outbox_message::Column::UpdatedAt, Expr::value(now))
        .filter(outbox_message::Column::FestivalId.eq(festival_id))
        .filter(outbox_message::Column::State.eq(MessageState::Failed))
        .exec(db)
        .await?;
    Ok(changed.rows_affected)
}
