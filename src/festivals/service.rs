//! Rules for festivals: one per host per year, dates within the year and in order, status
//! changes only along the allowed path, and a warning when outside the yearly plan's window.

use chrono::{DateTime, NaiveDate, Utc};
use rand::Rng;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DatabaseConnection, EntityTrait, Set, TransactionTrait};

use super::model::{
    Festival, FestivalChanges, FestivalFilter, FestivalStatus, FestivalTitle, NewFestival, Venue, Year,
};
use super::plans::WindowBook;
use super::programme;
use super::repo::{self, FestivalRow, ListQuery};
use crate::areas::repo::{self as areas_repo, unit_names};
use crate::areas::service::area_of;
use crate::auth::audit::{self, Action};
use crate::auth::model::{Actor, Place, Role};
use crate::commendation::issuers;
use crate::entities::{festival, host};
use crate::error::{AppError, AppResult, FieldError, FieldErrors};
use crate::list::{Page, Paging, search_key};
use crate::participants::seats;
use crate::text::{fold, notes};
use crate::time::{from_local, local_year, to_local};

/// Most seats a festival may offer for public registration.
const MAX_CAPACITY: u32 = 1_000_000;

/// The usual title of a festival of `year`.
pub fn default_title(year: i32) -> String {
    format!("Ngày hội Toàn dân bảo vệ an ninh Tổ quốc năm {year}")
}

/// Creates a festival with the standard programme, in one transaction.
/// Errors: 422 per field (`host_id` unknown, `year`, `title`, `starts_at` not in `year`,
/// `ends_at` not after the start, `venue`, `capacity`, `budget_note`); 409 naming `year` when
/// the host already has a festival that year.
pub async fn create(db: &DatabaseConnection, actor: &Actor, input: NewFestival) -> AppResult<Festival> {
    let host = areas_repo::find_host(db, input.host_id).await?;
    // "No such host."
    let unknown_host = || FieldError::new("host_id", "Đơn vị tổ chức không tồn tại.");
    let mut errors = FieldErrors::default();
    if host.is_none() {
        errors.add("host_id", unknown_host().message);
    }
    let valid = validate(
        errors,
        Draft {
            year: input.year,
            title: input.title,
            starts_at: input.starts_at.with_timezone(&Utc),
            ends_at: input.ends_at.with_timezone(&Utc),
            venue: input.venue,
            capacity: input.capacity,
            budget_note: input.budget_note.unwrap_or_default(),
        },
    )?;
    let host = host.ok_or_else(|| AppError::Invalid(vec![unknown_host()]))?;
    actor.ensure_covers(&Place::of_host(&host))?;
    ensure_one_per_year(db, host.id, valid.year, None).await?;
    let now = Utc::now();
    let txn = db.begin().await?;
    let created = festival::ActiveModel {
        host_id: Set(host.id),
        year: Set(valid.year),
        title: Set(valid.title),
        starts_at: Set(valid.starts_at),
        ends_at: Set(valid.ends_at),
        venue: Set(valid.venue),
        capacity: Set(valid.capacity),
        registration_open: Set(input.registration_open.unwrap_or(false)),
        waitlist: Set(input.waitlist.unwrap_or(true)),
        status: Set(FestivalStatus::Planned),
        slug: Set(new_slug(&host.name, valid.year)),
        budget_note: Set(valid.budget_note),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|err| AppError::from_unique(err, "year", ONE_PER_YEAR))?;
    programme::replace_programme(&txn, created.id, programme::standard_programme()).await?;
    let summary = format!("Tạo ngày hội năm {} của {}", created.year, host.name); // "Created the festival of …"
    audit::record(&txn, actor, Action::Create, "festival", created.id, Some(&Place::of_host(&host)), summary).await?;
    txn.commit().await?;
    present_one(db, (created, host)).await
}

// "This host already has a festival that year."
const ONE_PER_YEAR: &str = "Đơn vị này đã có ngày hội trong năm này.";

async fn ensure_one_per_year(db: &impl ConnectionTrait, host_id: i32, year: i32, except: Option<i32>) -> AppResult<()> {
    match repo::find_by_host_year(db, host_id, year).await? {
        Some(other) if Some(other.id) != except => {
            Err(AppError::conflict("year", format!("Đơn vị này đã có ngày hội năm {year} (số {}).", other.id)))
        }
        _ => Ok(()),
    }
}

/// The stored festival with its host. Errors: 404 when unknown or outside the actor's scope.
pub async fn find(db: &impl ConnectionTrait, actor: &Actor, id: i32) -> AppResult<FestivalRow> {
    // "No festival number …"
    let missing = || AppError::not_found(format!("Không tìm thấy ngày hội số {id}."));
    let row = repo::find(db, id).await?.ok_or_else(missing)?;
    actor.ensure_sees(&Place::of_host(&row.1), missing)?;
    Ok(row)
}

/// Errors: 404 when unknown or outside the actor's scope.
pub async fn get(db: &impl ConnectionTrait, actor: &Actor, id: i32) -> AppResult<Festival> {
    present_one(db, find(db, actor, id).await?).await
}

/// Festivals matching `filter`, by start time. Errors: 422 naming `unit` or `year`.
/// Only festivals inside the actor's scope; 403 when `unit` is outside it.
pub async fn list(
    db: &impl ConnectionTrait,
    actor: &Actor,
    filter: &FestivalFilter,
    paging: Paging,
) -> AppResult<Page<Festival>> {
    let area = area_of(db, actor, filter.unit.as_deref(), "unit").await?;
    if let Some(year) = filter.year {
        Year::parse(year).map_err(|message| AppError::invalid("year", message))?;
    }
    let search = search_key(filter.q.as_deref());
    if let (Some(from), Some(to)) = (filter.from, filter.to)
        && to < from
    {
        // "The end of the range comes before its start."
        return Err(AppError::invalid("to", "Ngày cuối đứng trước ngày đầu."));
    }
    // Whole local days: from 00:00 of `from` to 00:00 of the day after `to`.
    let midnight = |day: NaiveDate| from_local(day, 0, 0);
    let query = ListQuery {
        area: Some(&area),
        year: filter.year,
        status: filter.status,
        host_id: filter.host,
        search: search.as_deref(),
        starts_from: filter.from.and_then(midnight),
        starts_before: filter.to.and_then(|to| to.succ_opt()).and_then(midnight),
    };
    let page = repo::list(db, &query, paging).await?;
    Ok(Page { total: page.total, items: present(db, page.items).await? })
}

/// Applies `changes`; the result is checked as a whole, like a new festival.
/// Errors: 404; 409 when reported or cancelled, or on a second festival in a year; 422 per field.
pub async fn update(db: &DatabaseConnection, actor: &Actor, id: i32, changes: FestivalChanges) -> AppResult<Festival> {
    let (current, host) = find(db, actor, id).await?;
    ensure_editable(current.status)?;
    let valid = validate(
        FieldErrors::default(),
        Draft {
            year: changes.year.unwrap_or(current.year),
            title: Some(changes.title.unwrap_or_else(|| current.title.clone())),
            starts_at: changes.starts_at.map_or(current.starts_at, |at| at.with_timezone(&Utc)),
            ends_at: changes.ends_at.map_or(current.ends_at, |at| at.with_timezone(&Utc)),
            venue: changes.venue.unwrap_or_else(|| current.venue.clone()),
            capacity: match changes.capacity {
                Some(capacity) => capacity,
                None => current.capacity.and_then(|seats| u32::try_from(seats).ok()),
            },
            budget_note: changes.budget_note.unwrap_or_else(|| current.budget_note.clone()),
        },
    )?;
    ensure_one_per_year(db, host.id, valid.year, Some(id)).await?;
    // More seats (or no limit any more) let the waitlist in; fewer take no seat away.
    let seats_grew = match (current.capacity, valid.capacity) {
        (Some(old), Some(new)) => new > old,
        (Some(_), None) => true,
        (None, _) => false,
    };
    let mut active: festival::ActiveModel = current.into();
    active.year = Set(valid.year);
    active.title = Set(valid.title);
    active.starts_at = Set(valid.starts_at);
    active.ends_at = Set(valid.ends_at);
    active.venue = Set(valid.venue);
    active.capacity = Set(valid.capacity);
    active.budget_note = Set(valid.budget_note);
    if let Some(open) = changes.registration_open {
        active.registration_open = Set(open);
    }
    if let Some(waitlist) = changes.waitlist {
        active.waitlist = Set(waitlist);
    }
    if let Some(issuer_id) = changes.issuer_id {
        active.issuer_id = Set(match issuer_id {
            Some(id) => Some(invitation_issuer(db, actor, &host, id).await?),
            None => None,
        });
    }
    active.updated_at = Set(Utc::now());
    let txn = db.begin().await?;
    let updated = active.update(&txn).await.map_err(|err| AppError::from_unique(err, "year", ONE_PER_YEAR))?;
    if seats_grew {
        seats::promote(&txn, id).await?;
    }
    let summary = format!("Sửa ngày hội năm {} của {}", updated.year, host.name); // "Edited the festival of …"
    audit::record(&txn, actor, Action::Update, "festival", id, Some(&Place::of_host(&host)), summary).await?;
    txn.commit().await?;
    present_one(db, (updated, host)).await
}

/// Approving and cancelling take a commune officer or higher; the host marks it held and
/// reported. Errors: 404 outside the scope; 403 for a host officer approving or cancelling;
/// 409 when the change is not allowed by [`FestivalStatus::can_become`].
pub async fn change_status(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    next: FestivalStatus,
) -> AppResult<Festival> {
    let (current, host) = find(db, actor, id).await?;
    if matches!(next, FestivalStatus::Approved | FestivalStatus::Cancelled) {
        actor.ensure_role(Role::Commune)?;
    }
    if !current.status.can_become(next) {
        // "Cannot change the status from "…" to "…"."
        return Err(AppError::state_conflict(format!(
            "Không thể chuyển trạng thái từ “{}” sang “{}”.",
            current.status.label(),
            next.label()
        )));
    }
    let mut active: festival::ActiveModel = current.into();
    active.status = Set(next);
    active.updated_at = Set(Utc::now());
    let txn = db.begin().await?;
    let updated = active.update(&txn).await?;
    let summary = format!("Chuyển trạng thái sang “{}”", next.label()); // "Status changed to …"
    audit::record(&txn, actor, Action::Status, "festival", id, Some(&Place::of_host(&host)), summary).await?;
    txn.commit().await?;
    present_one(db, (updated, host)).await
}

/// Deletes a festival that never took place, with its programme and committee.
/// Errors: 404; 409 when approved, held or reported (cancel it instead).
pub async fn delete(db: &DatabaseConnection, actor: &Actor, id: i32) -> AppResult<()> {
    let (festival, host) = find(db, actor, id).await?;
    if !festival.status.is_deletable() {
        // "Only planned or cancelled festivals can be deleted; cancel it instead."
        return Err(AppError::state_conflict(
            "Chỉ xóa được ngày hội đang dự kiến hoặc đã hủy; hãy hủy ngày hội thay vì xóa.",
        ));
    }
    let txn = db.begin().await?;
    festival::Entity::delete_by_id(id).exec(&txn).await?;
    let summary = format!("Xóa ngày hội năm {} của {}", festival.year, host.name); // "Deleted the festival of …"
    audit::record(&txn, actor, Action::Delete, "festival", id, Some(&Place::of_host(&host)), summary).await?;
    txn.commit().await?;
    Ok(())
}

/// The issuer `id` for the invitations of a festival at `host`: one the actor sees, of the
/// host's commune or province (a body elsewhere cannot invite in its name). Errors: 422 on
/// `issuer_id` otherwise.
async fn invitation_issuer(db: &impl ConnectionTrait, actor: &Actor, host: &host::Model, id: i32) -> AppResult<i32> {
    let issuer = issuers::find(db, actor, id).await.map_err(|err| match err {
        // "No issuer with this number."
        AppError::NotFound(_) => AppError::invalid("issuer_id", "Không tìm thấy cơ quan này."),
        other => other,
    })?;
    if issuer.unit_code == host.unit_code || issuer.unit_code == host.province_code {
        Ok(issuer.id)
    } else {
        // "Choose a body of the host's commune or province."
        Err(AppError::invalid("issuer_id", "Hãy chọn cơ quan của xã, phường hoặc tỉnh nơi tổ chức ngày hội."))
    }
}

/// Errors: 409 when the festival is reported or cancelled.
pub fn ensure_editable(status: FestivalStatus) -> AppResult<()> {
    if status.is_editable() {
        Ok(())
    } else {
        // "A festival that is … can no longer be changed."
        Err(AppError::state_conflict(format!("Ngày hội “{}” không thể sửa nữa.", status.label())))
    }
}

/// A festival's values before checking, merged from a request and (for updates) the record.
struct Draft {
    year: i32,
    title: Option<String>,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    venue: String,
    capacity: Option<u32>,
    budget_note: String,
}

/// A festival's values, checked.
struct Valid {
    year: i32,
    title: String,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    venue: String,
    capacity: Option<i32>,
    budget_note: String,
}

/// Checks `draft`, adding to `errors` found earlier so that one answer lists them all.
fn validate(mut errors: FieldErrors, draft: Draft) -> AppResult<Valid> {
    let year = errors.check("year", Year::parse(draft.year)).map(Year::get);
    let title = draft.title.filter(|title| !title.trim().is_empty()).unwrap_or_else(|| default_title(draft.year));
    let title = errors.check("title", FestivalTitle::parse(&title));
    let venue = errors.check("venue", Venue::parse(&draft.venue));
    let budget_note = errors.check("budget_note", notes(&draft.budget_note, 2000));
    let capacity = errors.check(
        "capacity",
        match draft.capacity {
            None => Ok(None),
            Some(seats @ 1..=MAX_CAPACITY) => Ok(i32::try_from(seats).ok()),
            // "From 1 to 1,000,000 seats; leave empty for unlimited."
            Some(_) => Err("Từ 1 đến 1.000.000 chỗ; để trống nếu không giới hạn.".to_owned()),
        },
    );
    if year.is_some_and(|year| local_year(draft.starts_at) != year) {
        // "The festival must start in {year}."
        errors.add("starts_at", format!("Ngày hội phải bắt đầu trong năm {}.", draft.year));
    }
    if draft.ends_at <= draft.starts_at {
        errors.add("ends_at", "Giờ kết thúc phải sau giờ bắt đầu."); // "The end must be after the start."
    }
    let (Some(year), Some(title), Some(venue), Some(budget_note), Some(capacity), true) =
        (year, title, venue, budget_note, capacity, errors.is_empty())
    else {
        return Err(errors.into());
    };
    Ok(Valid {
        year,
        title: title.into_inner(),
        starts_at: draft.starts_at,
        ends_at: draft.ends_at,
        venue: venue.into_inner(),
        capacity,
        budget_note,
    })
}

/// `{folded host name}-{year}-{6 random letters/digits}`: readable in a link, not guessable.
fn new_slug(host_name: &str, year: i32) -> String {
    let words: Vec<String> = fold(host_name)
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_owned)
        .collect();
    let mut base = words.join("-");
    base.truncate(60);
    let suffix: String = rand::rng()
        .sample_iter(rand::distr::Alphanumeric)
        .take(6)
        .map(|c| char::from(c).to_ascii_lowercase())
        .collect();
    format!("{}-{year}-{suffix}", base.trim_end_matches('-'))
}

/// The API view of a stored festival with its host.
pub async fn present_one(db: &impl ConnectionTrait, row: FestivalRow) -> AppResult<Festival> {
    let mut festivals = present(db, vec![row]).await?;
    festivals.pop().ok_or_else(|| AppError::Internal(anyhow::anyhow!("festival vanished while presenting")))
}

/// A capacity lowered below the seats already given: nobody loses a seat, but the organizer
/// should know.
fn overbooked(festival: &festival::Model) -> Option<FieldError> {
    let capacity = festival.capacity.filter(|capacity| *capacity < festival.confirmed_count)?;
    Some(FieldError::new(
        "capacity",
        // "Capacity (N) is below the M people who already have a seat; nobody loses theirs, new registrations wait."
        format!(
            "Số chỗ ({capacity}) ít hơn số người đã có chỗ ({}); không ai mất chỗ, người đăng ký mới sẽ vào danh sách chờ.",
            festival.confirmed_count
        ),
    ))
}

/// Festivals as the API shows them: commune names and window warnings in two queries total.
async fn present(db: &impl ConnectionTrait, rows: Vec<FestivalRow>) -> AppResult<Vec<Festival>> {
    let names = unit_names(db, rows.iter().map(|(_, host)| host.unit_code.clone())).await?;
    let codes = rows.iter().flat_map(|(_, host)| [host.unit_code.clone(), host.province_code.clone()]);
    let book =
        WindowBook::load(db, codes.collect::<Vec<_>>(), rows.iter().map(|(f, _)| f.year).collect::<Vec<_>>()).await?;
    Ok(rows
        .into_iter()
        .map(|(festival, host)| {
            let window = book.window(&host.unit_code, &host.province_code, festival.year);
            let warnings =
                window.check(festival.starts_at, festival.ends_at).into_iter().chain(overbooked(&festival)).collect();
            Festival {
                id: festival.id,
                host_id: host.id,
                host_name: host.name,
                host_kind: host.kind,
                unit_name: names.get(&host.unit_code).cloned().unwrap_or_default(),
                unit_code: host.unit_code,
                province_code: host.province_code,
                year: festival.year,
                title: festival.title,
                starts_at: to_local(festival.starts_at),
                ends_at: to_local(festival.ends_at),
                venue: festival.venue,
                capacity: festival.capacity,
                registration_open: festival.registration_open,
                waitlist: festival.waitlist,
                issuer_id: festival.issuer_id,
                status: festival.status,
                slug: festival.slug,
                budget_note: festival.budget_note,
                created_at: to_local(festival.created_at),
                updated_at: to_local(festival.updated_at),
                warnings,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::new_slug;

    #[test]
    fn slug_is_readable_and_unique() {
        let slug = new_slug("Tổ dân phố Đồng Tâm 3", 2025);
        assert!(slug.starts_with("to-dan-pho-dong-tam-3-2025-"), "{slug}");
        assert_ne!(slug, new_slug("Tổ dân phố Đồng Tâm 3", 2025));
    }
}
