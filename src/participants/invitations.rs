//! Invitations (giấy mời) of a festival's guests (API.md, *Documents*): issued in the name of
//! the festival's issuer, numbered `NN/GM-{symbol}` per issuer per year (Decree 30/2020), each
//! with a check-in QR code and a working RSVP link. A number and a link are given once, at the
//! first print or mailing, so every reprint is the same document.

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, Days, Utc};
use sea_orm::sea_query::{CaseStatement, Expr};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, TransactionSession,
    TransactionTrait,
};

use super::model::{ParticipantRole, Sex};
use super::public::{finished, new_rsvp_token, rsvp_url};
use super::service::{all_in_order, find};
use crate::auth::model::Actor;
use crate::auth::tokens::digest;
use crate::commendation::numbering::{self, Series, document_number};
use crate::commendation::printing::{letterhead, signature};
use crate::documents::invitation::{InvitationSheet, honorific};
use crate::entities::{festival, host, issuer, participant};
use crate::error::{AppError, AppResult};
use crate::festivals::service as festivals;
use crate::time::{local_date, to_local};

/// Whose invitations to print.
#[derive(Debug, Clone)]
pub enum Whom {
    /// Every participant of the festival marked invited, in Vietnamese name order.
    Festival(i32),
    /// One invited participant.
    Participant(i32),
    /// These participants of a festival (a batch of the outbox), in Vietnamese name order.
    Listed { festival_id: i32, participant_ids: Vec<i32> },
}

/// The festival's issuer. Errors: 409 when the festival has none, was cancelled or is over.
async fn issuer_of(db: &impl ConnectionTrait, festival: &festival::Model) -> AppResult<issuer::Model> {
    if let Some(reason) = finished(festival, Utc::now()) {
        // "…; invitations are not issued."
        return Err(AppError::state_conflict(format!("{reason} Không phát hành giấy mời.")));
    }
    // "Choose the body issuing the invitations first (the festival's issuer_id)."
    let missing = || AppError::state_conflict("Hãy chọn cơ quan phát hành giấy mời của ngày hội trước (issuer_id).");
    let id = festival.issuer_id.ok_or_else(missing)?;
    issuer::Entity::find_by_id(id).one(db).await?.ok_or_else(missing)
}

/// The participants `whom` names, with their festival and host. Errors: 404; 409 when a
/// festival has nobody invited.
async fn people(
    db: &impl ConnectionTrait,
    actor: &Actor,
    whom: Whom,
) -> AppResult<(Vec<participant::Model>, festival::Model, host::Model)> {
    match whom {
        Whom::Participant(id) => {
            let (row, festival, host) = find(db, actor, id).await?;
            if !row.invited {
                // "… is not marked as invited: mark them first, then print."
                let detail =
                    format!("{} chưa được đánh dấu là khách mời; hãy đánh dấu “Mời” trước khi in.", row.full_name);
                return Err(AppError::state_conflict(detail));
            }
            Ok((vec![row], festival, host))
        }
        Whom::Festival(id) => {
            let (festival, host) = festivals::find(db, actor, id).await?;
            let invited: Vec<_> = all_in_order(db, festival.id).await?.into_iter().filter(|row| row.invited).collect();
            if invited.is_empty() {
                // "Nobody is marked as invited yet."
                return Err(AppError::state_conflict("Chưa có ai được đánh dấu là khách mời của ngày hội."));
            }
            Ok((invited, festival, host))
        }
        Whom::Listed { festival_id, participant_ids } => {
            let (festival, host) = festivals::find(db, actor, festival_id).await?;
            let rows = participant::Entity::find()
                .filter(participant::Column::FestivalId.eq(festival.id))
                .filter(participant::Column::Id.is_in(participant_ids))
                .order_by_asc(participant::Column::NameSortKey)
                .order_by_asc(participant::Column::Id)
                .all(db)
                .await?;
            Ok((rows, festival, host))
        }
    }
}

/// How many invitations `whom` covers (the pages of the batch). Errors: as [`sheets`].
pub async fn count(db: &impl ConnectionTrait, actor: &Actor, whom: Whom) -> AppResult<usize> {
    let (rows, festival, _) = people(db, actor, whom).await?;
    issuer_of(db, &festival).await?;
    Ok(rows.len())
}

/// Gives the invitations of `rows` (participants of `festival`, in name order) that have none
/// yet their number, date and RSVP link, as a mailing queues them: one block of numbers for the
/// whole mailing in name order, and the outbox's batches then only read them. `db` may be the
/// mailing's transaction. Errors: as [`sheets`], for the festival's issuer.
pub async fn number<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    festival: &festival::Model,
    rows: &mut [participant::Model],
) -> AppResult<()> {
    let issuer = issuer_of(db, festival).await?;
    issue(db, &issuer, rows).await
}

/// Gives a number, date and RSVP token to each of `rows` still without one, in one
/// transaction (a savepoint when `db` is one): the issuer's invitation series is locked
/// first, so two instances printing at once neither repeat nor skip a number.
async fn issue<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    issuer: &issuer::Model,
    rows: &mut [participant::Model],
) -> AppResult<()> {
    if rows.iter().all(|row| row.invitation_number.is_some()) {
        return Ok(());
    }
    let today = local_date(Utc::now());
    let txn = db.begin().await?;
    numbering::lock(&txn, issuer.id, Series::Invitation, today.year()).await?;
    // Read again under the lock: another instance may have issued some meanwhile.
    let ids: Vec<i32> = rows.iter().filter(|row| row.invitation_number.is_none()).map(|row| row.id).collect();
    let unnumbered: HashSet<i32> = participant::Entity::find()
        .filter(participant::Column::Id.is_in(ids))
        .filter(participant::Column::InvitationNumber.is_null())
        .all(&txn)
        .await?
        .into_iter()
        .map(|row| row.id)
        .collect();
    let count = i32::try_from(unnumbered.len()).map_err(anyhow::Error::from)?;
    let first = if count > 0 {
        numbering::claim_block(&txn, issuer.id, Series::Invitation, today.year(), count).await?
    } else {
        0
    };
    // In the order of `rows` (name order), so numbers follow the printed order: (id, number,
    // token).
    let issued: Vec<(i32, String, String)> = rows
        .iter()
        .filter(|row| unnumbered.contains(&row.id))
        .zip(first..)
        .map(|(row, number)| (row.id, document_number(number, "GM", &issuer.symbol), new_rsvp_token()))
        .collect();
    // One statement per 300 guests (a CASE on the id per column): a mailing to thousands
    // numbers them in a few round trips, not one per guest.
    for chunk in issued.chunks(300) {
        let by_id = |value: fn(&(i32, String, String)) -> String| -> Expr {
            chunk
                .iter()
                .fold(CaseStatement::new(), |case, row| case.case(participant::Column::Id.eq(row.0), value(row)))
                .into()
        };
        participant::Entity::update_many()
            .col_expr(participant::Column::InvitationNumber, by_id(|row| row.1.clone()))
            .col_expr(participant::Column::InvitationIssuedOn, Expr::value(today))
            .col_expr(participant::Column::RsvpTokenHash, by_id(|row| digest(&row.2)))
            .col_expr(participant::Column::InvitationToken, by_id(|row| row.2.clone()))
            .filter(participant::Column::Id.is_in(chunk.iter().map(|row| row.0)))
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    // Reload what was written, for the sheets.
    let ids: Vec<i32> = rows.iter().map(|row| row.id).collect();
    let mut fresh: HashMap<i32, participant::Model> = participant::Entity::find()
        .filter(participant::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|row| (row.id, row))
        .collect();
    for row in rows.iter_mut() {
        if let Some(updated) = fresh.remove(&row.id) {
            *row = updated;
        }
    }
    Ok(())
}

/// The invitation sheets of `whom` with the participant of each, numbering those printed for
/// the first time. Errors: 404 unknown or outside the scope; 409 when the festival has no
/// issuer, was cancelled, or (for a festival) has nobody invited.
pub async fn sheets(
    db: &DatabaseConnection,
    actor: &Actor,
    whom: Whom,
    base_url: &str,
) -> AppResult<Vec<(i32, InvitationSheet)>> {
    let (mut rows, festival, host) = people(db, actor, whom).await?;
    let issuer = issuer_of(db, &festival).await?;
    issue(db, &issuer, &mut rows).await?;
    let starts_at = to_local(festival.starts_at).naive_local();
    let start_day = starts_at.date();
    let answers_open = finished(&festival, Utc::now()).is_none();
    let signer = signature(&issuer, &issuer.signer_title, &issuer.signer_name, false);
    Ok(rows
        .into_iter()
        .map(|row| {
            let official = row.role == ParticipantRole::Official;
            let title = honorific(official, row.sex.map(|sex| sex == Sex::Male)).to_owned();
            let position = match (&row.title, &row.organization) {
                (Some(title), Some(body)) => Some(format!("{title}, {body}")),
                (Some(one), None) | (None, Some(one)) => Some(one.clone()),
                (None, None) => None,
            };
            let issued_on = row.invitation_issued_on.unwrap_or(start_day);
            let sheet = InvitationSheet {
                letterhead: letterhead(&issuer, row.invitation_number.clone().unwrap_or_default(), issued_on),
                inviter: issuer.name.clone(),
                honorific: title,
                guest_name: row.full_name,
                guest_position: position,
                festival_title: festival.title.clone(),
                host_name: host.name.clone(),
                starts_at,
                venue: festival.venue.clone(),
                rsvp_url: row.invitation_token.filter(|_| answers_open).map(|token| rsvp_url(base_url, &token)),
                // Answers are wanted by the day before; an invitation issued later asks for the day itself.
                rsvp_by: start_day.checked_sub_days(Days::new(1)).filter(|day| *day >= issued_on).unwrap_or(start_day),
                verify_url: format!("{base_url}/verify/{}", row.checkin_code),
                checkin_code: row.checkin_code,
                signature: signer.clone(),
            };
            (row.id, sheet)
        })
        .collect())
}
