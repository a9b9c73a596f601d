//! What people do without an account: register on a festival's public page, and answer an
//! invitation through their RSVP link (API.md, *People*).

use chrono::{DateTime, Utc};
use rand::RngCore;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, Set,
    TransactionTrait,
};
use serde::Serialize;
use utoipa::ToSchema;

use super::model::{NewRegistration, ParticipantRole, Registration, RegistrationReceipt, Rsvp, RsvpResponse, RsvpView};
use super::queue::RegistrationQueue;
use super::seats;
use super::service::{CHECKIN_CODE_LENGTH, Draft, find, new_row, validate};
use crate::auth::model::Actor;
use crate::auth::tokens::digest;
use crate::codes::random_code;
use crate::entities::{festival, host, participant};
use crate::error::{AppError, AppResult};
use crate::festivals::model::{Festival, FestivalStatus};
use crate::festivals::repo as festivals_repo;
use crate::festivals::service as festivals;
use crate::time::to_local;

/// A link that lets one participant answer without logging in.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RsvpLink {
    /// Absolute `{BASE_URL}/r/{token}`; issuing a new link ends the old one.
    pub rsvp_url: String,
}

/// 128 random bits, hex: the secret of an RSVP link. Only its SHA-256 is stored.
pub(super) fn new_rsvp_token() -> String {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

pub(super) fn rsvp_url(base_url: &str, token: &str) -> String {
    format!("{base_url}/r/{token}")
}

/// Why nothing about the festival can be answered any more: cancelled, or over.
pub(super) fn finished(festival: &festival::Model, now: DateTime<Utc>) -> Option<&'static str> {
    match festival.status {
        FestivalStatus::Cancelled => Some("Ngày hội đã bị hủy."), // "The festival was cancelled."
        FestivalStatus::Held | FestivalStatus::Reported => Some("Ngày hội đã diễn ra."), // "…has taken place."
        _ if festival.ends_at <= now => Some("Ngày hội đã diễn ra."),
        _ => None,
    }
}

/// Why the festival does not take registrations now, if it does not (API.md: closed,
/// cancelled or past festivals refuse), in Vietnamese for the page and the 409.
pub fn refusal(festival: &festival::Model, now: DateTime<Utc>) -> Option<&'static str> {
    finished(festival, now)
        // "Registration is not open."
        .or_else(|| (!festival.registration_open).then_some("Ngày hội chưa mở hoặc đã đóng đăng ký."))
}

/// "This festival does not exist (check the link)."
pub(super) const NO_SUCH_FESTIVAL: &str = "Không tìm thấy ngày hội này; hãy kiểm tra lại đường dẫn.";

/// "The festival is full."
pub(super) const FULL: &str = "Ngày hội đã hết chỗ.";

/// Registers a person on the public page of `slug`: a seat while there is one, else the
/// waitlist (when the festival keeps one). Never more confirmed than `capacity`, whatever the
/// number of concurrent requests and app instances ([`RegistrationQueue`]).
/// Errors: 404 unknown slug; 409 closed, past, cancelled, full without waitlist, or already
/// registered (same name and phone); 422 per field, also when the hidden `website` field is
/// filled in (bots fill every field).
pub async fn register(
    queue: &RegistrationQueue,
    base_url: &str,
    slug: &str,
    input: NewRegistration,
) -> AppResult<RegistrationReceipt> {
    if input.website.as_deref().is_some_and(|text| !text.trim().is_empty()) {
        // "This field must stay empty."
        return Err(AppError::invalid("website", "Trường này phải để trống."));
    }
    let valid = validate(Draft {
        full_name: input.full_name,
        phone: input.phone,
        email: input.email,
        role: ParticipantRole::Resident,
        ..Draft::default()
    })?;
    let token = new_rsvp_token();
    // The festival is looked up by the queue, once for all registrations arriving together.
    let mut row = new_row(0, valid);
    row.rsvp = Set(Rsvp::Accepted);
    row.rsvp_token_hash = Set(Some(digest(&token)));
    let checkin_code = random_code(CHECKIN_CODE_LENGTH);
    row.checkin_code = Set(checkin_code.clone());
    let seat = queue.seat(slug, row).await?;
    Ok(RegistrationReceipt {
        status: seat.registration,
        rsvp_url: rsvp_url(base_url, &token),
        checkin_code,
        waitlist_position: seat.waitlist_position,
    })
}

/// The participant holding RSVP `token`, with the festival and host. Errors: 404.
async fn holder(db: &DatabaseConnection, token: &str) -> AppResult<(participant::Model, festival::Model, host::Model)> {
    // "This link is not valid (it may have been replaced by a newer one)."
    let missing = || AppError::not_found("Đường dẫn trả lời không hợp lệ (có thể đã được thay bằng đường dẫn mới).");
    let row = participant::Entity::find()
        .filter(participant::Column::RsvpTokenHash.eq(digest(token.trim())))
        .one(db)
        .await?
        .ok_or_else(missing)?;
    let (festival, host) = festivals_repo::find(db, row.festival_id).await?.ok_or_else(missing)?;
    Ok((row, festival, host))
}

/// What the RSVP page shows of the person and the festival, with their place on the waitlist.
async fn view(
    db: &DatabaseConnection,
    row: participant::Model,
    festival: festival::Model,
    host: host::Model,
) -> AppResult<RsvpView> {
    let waitlist_position = match (row.registration, row.registered_at) {
        (Some(Registration::Waitlisted), Some(joined)) => {
            let ahead = participant::Entity::find()
                .filter(participant::Column::FestivalId.eq(row.festival_id))
                .filter(participant::Column::Registration.eq(Registration::Waitlisted))
                .filter(
                    Condition::any().add(participant::Column::RegisteredAt.lt(joined)).add(
                        Condition::all()
                            .add(participant::Column::RegisteredAt.eq(joined))
                            .add(participant::Column::Id.lt(row.id)),
                    ),
                )
                .count(db)
                .await?;
            Some(ahead + 1)
        }
        _ => None,
    };
    let closed_reason = finished(&festival, Utc::now());
    Ok(RsvpView {
        full_name: row.full_name,
        festival_title: festival.title,
        festival_slug: festival.slug,
        host_name: host.name,
        starts_at: to_local(festival.starts_at),
        ends_at: to_local(festival.ends_at),
        venue: festival.venue,
        rsvp: row.rsvp,
        registration: row.registration,
        waitlist_position,
        checkin_code: row.checkin_code,
        closed_reason,
    })
}

/// What the RSVP page shows. Errors: 404 unknown token.
pub async fn rsvp_view(db: &DatabaseConnection, token: &str) -> AppResult<RsvpView> {
    let (row, festival, host) = holder(db, token).await?;
    view(db, row, festival, host).await
}

/// Records the answer. Declining gives a registrant's seat to the first on the waitlist;
/// accepting again after declining claims a seat anew (or a waitlist place). Answering the
/// same twice changes nothing. Errors: 404 unknown token; 409 when the festival is over or
/// cancelled, or full without a waitlist.
pub async fn answer(db: &DatabaseConnection, token: &str, response: RsvpResponse) -> AppResult<RsvpView> {
    let (row, festival, host) = holder(db, token).await?;
    if let Some(reason) = finished(&festival, Utc::now()) {
        // "…; the answer can no longer change."
        return Err(AppError::state_conflict(format!("{reason} Không thể thay đổi câu trả lời nữa.")));
    }
    let wanted = match response {
        RsvpResponse::Accept => Rsvp::Accepted,
        RsvpResponse::Decline => Rsvp::Declined,
    };
    if row.rsvp == wanted {
        return view(db, row, festival, host).await;
    }
    let _writer = seats::one_writer(db).await;
    let txn = db.begin().await?;
    let registration = match (response, row.registration) {
        (RsvpResponse::Decline, Some(held)) => {
            seats::release(&txn, festival.id, held).await?;
            None
        }
        // A registrant who declined and comes back queues again like a new arrival.
        (RsvpResponse::Accept, None) if row.registered_at.is_some() => {
            match seats::claim(&txn, festival.id, festival.waitlist).await? {
                Some(registration) => Some(registration),
                None => {
                    txn.rollback().await?;
                    return Err(AppError::state_conflict(FULL));
                }
            }
        }
        (_, registration) => registration,
    };
    let freed_seat = row.registration == Some(Registration::Confirmed) && registration.is_none();
    let queues_again = row.registration.is_none() && registration.is_some();
    let mut active: participant::ActiveModel = row.into();
    if queues_again {
        // Back after declining: behind everyone already waiting.
        active.registered_at = Set(Some(Utc::now()));
    }
    active.rsvp = Set(wanted);
    active.registration = Set(registration);
    active.updated_at = Set(Utc::now());
    let updated = active.update(&txn).await?;
    if freed_seat {
        seats::promote(&txn, festival.id).await?;
    }
    txn.commit().await?;
    view(db, updated, festival, host).await
}

/// A fresh RSVP link for a participant, for the organizer to pass on (or for the invitation
/// e-mail); the previous link stops working, and invitations printed from now on carry the
/// new one. Errors: 404.
pub async fn new_rsvp_link(db: &DatabaseConnection, actor: &Actor, id: i32, base_url: &str) -> AppResult<RsvpLink> {
    let (row, _, _) = find(db, actor, id).await?;
    let token = new_rsvp_token();
    let invited = row.invitation_number.is_some();
    let mut active: participant::ActiveModel = row.into();
    active.rsvp_token_hash = Set(Some(digest(&token)));
    if invited {
        active.invitation_token = Set(Some(token.clone()));
    }
    active.update(db).await?;
    Ok(RsvpLink { rsvp_url: rsvp_url(base_url, &token) })
}

/// Where registration stands on a festival's public page.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SeatsLeft {
    /// Free seats, never below zero; null when unlimited.
    pub seats_left: Option<i32>,
    pub waitlist: bool,
    /// The form is shown: open, and not full without a waitlist.
    pub accepting: bool,
    /// Why not, when the form is not shown (Vietnamese).
    pub closed_reason: Option<&'static str>,
}

/// Seats of a stored festival as the public page shows them.
pub fn seats_left(festival: &festival::Model) -> SeatsLeft {
    let seats_left = festival.capacity.map(|capacity| (capacity - festival.confirmed_count).max(0));
    let closed_reason =
        refusal(festival, Utc::now()).or_else(|| (seats_left == Some(0) && !festival.waitlist).then_some(FULL));
    SeatsLeft { seats_left, waitlist: festival.waitlist, accepting: closed_reason.is_none(), closed_reason }
}

/// The festival of the public page `/f/{slug}` with its seats, in one look-up. Errors: 404.
pub async fn festival_page(db: &DatabaseConnection, slug: &str) -> AppResult<(Festival, SeatsLeft)> {
    let row = festivals_repo::find_by_slug(db, slug).await?.ok_or_else(|| AppError::not_found(NO_SUCH_FESTIVAL))?;
    let seats = seats_left(&row.0);
    Ok((festivals::present_one(db, row).await?, seats))
}
