//! Rules for participants entered by organizers: clean text, checked contacts, no duplicate in
//! a festival, Vietnamese order; check-in at the entrance.

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, FromQueryResult,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};

use super::identity::{cccd_warnings, normalize_cccd, normalize_email, normalize_phone};
use super::model::{
    NewParticipant, Participant, ParticipantChanges, ParticipantCounts, ParticipantFilter, ParticipantRole,
    ParticipantSort, Registration, Rsvp, Sex,
};
use super::names::{default_given_name, sort_key};
use super::seats;
use crate::auth::audit::{self, Action};
use crate::auth::model::{Actor, Place};
use crate::codes::{normalize_code, random_code};
use crate::entities::{festival, host, participant};
use crate::error::{AppError, AppResult, FieldError, FieldErrors};
use crate::festivals::model::FestivalStatus;
use crate::festivals::service::{self as festivals, ensure_editable};
use crate::list::{Page, Paging};
use crate::text::{Line, fold};
use crate::time::{format_dmy, to_local};

pub type FullName = Line<200>;
pub type GivenName = Line<100>;
pub type Organization = Line<200>;
pub type Position = Line<200>;
pub type Address = Line<300>;

/// A participant's values before checking, from a request, a sheet row or the stored record.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    pub full_name: String,
    pub given_name: Option<String>,
    pub sex: Option<Sex>,
    pub role: ParticipantRole,
    pub invited: bool,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub cccd: Option<String>,
    pub organization: Option<String>,
    pub title: Option<String>,
    pub address: Option<String>,
}

impl From<NewParticipant> for Draft {
    fn from(input: NewParticipant) -> Self {
        Self {
            full_name: input.full_name,
            given_name: input.given_name,
            sex: input.sex,
            role: input.role,
            invited: input.invited.unwrap_or(false),
            email: input.email,
            phone: input.phone,
            cccd: input.cccd,
            organization: input.organization,
            title: input.title,
            address: input.address,
        }
    }
}

/// A participant's values, checked and cleaned; what is stored.
#[derive(Debug, Clone)]
pub struct Valid {
    pub full_name: String,
    pub given_name: String,
    pub sex: Option<Sex>,
    pub role: ParticipantRole,
    pub invited: bool,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub cccd: Option<String>,
    pub organization: Option<String>,
    pub title: Option<String>,
    pub address: Option<String>,
}

impl Valid {
    /// The name without case or accents: with the phone, what makes two entries the same
    /// person ("Truong Van Hung" typed without accents is "Trương Văn Hùng").
    fn name_key(&self) -> String {
        fold(&self.full_name)
    }
}

/// Checks `draft`; every bad field is named at once (DOMAIN.md, *People's data*).
pub fn validate(draft: Draft) -> Result<Valid, FieldErrors> {
    let mut errors = FieldErrors::default();
    let full_name = errors.check("full_name", FullName::parse(&draft.full_name).and_then(person_name));
    let given_name = match (&full_name, draft.given_name.as_deref()) {
        (_, Some(given)) if !given.trim().is_empty() => {
            errors.check("given_name", GivenName::parse(given).and_then(person_name))
        }
        (Some(full), _) => GivenName::parse(default_given_name(full.as_str())).ok(),
        (None, _) => None,
    };
    let optional =
        |errors: &mut FieldErrors, field: &str, raw: Option<String>, check: fn(&str) -> Result<String, String>| {
            match raw.filter(|text| !text.trim().is_empty()) {
                Some(text) => errors.check(field, check(&text)).map(Some),
                None => Some(None),
            }
        };
    let email = optional(&mut errors, "email", draft.email, normalize_email);
    let phone = optional(&mut errors, "phone", draft.phone, normalize_phone);
    let cccd = optional(&mut errors, "cccd", draft.cccd, normalize_cccd);
    let organization = errors.check("organization", text(Organization::parse_optional(draft.organization.as_deref())));
    let title = errors.check("title", text(Position::parse_optional(draft.title.as_deref())));
    let address = errors.check("address", text(Address::parse_optional(draft.address.as_deref())));
    let (
        Some(full_name),
        Some(given_name),
        Some(email),
        Some(phone),
        Some(cccd),
        Some(organization),
        Some(title),
        Some(address),
        true,
    ) = (full_name, given_name, email, phone, cccd, organization, title, address, errors.is_empty())
    else {
        return Err(errors);
    };
    Ok(Valid {
        full_name: full_name.into_inner(),
        given_name: given_name.into_inner(),
        sex: draft.sex,
        role: draft.role,
        invited: draft.invited,
        email,
        phone,
        cccd,
        organization,
        title,
        address,
    })
}

/// A person's name has letters and no digits: "12345" in the name field is a slip.
fn person_name<const MAX: usize>(name: Line<MAX>) -> Result<Line<MAX>, String> {
    if name.as_str().chars().any(|c| c.is_ascii_digit()) || !name.as_str().chars().any(char::is_alphabetic) {
        // "A name has letters only, no digits."
        return Err("Họ tên chỉ gồm chữ cái, không có chữ số.".into());
    }
    Ok(name)
}

fn text<const MAX: usize>(parsed: Result<Option<Line<MAX>>, String>) -> Result<Option<String>, String> {
    parsed.map(|line| line.map(Line::into_inner))
}

/// Soft problems of a stored participant: its CCCD's province code, birth year and sex.
fn warnings_of(row: &participant::Model) -> Vec<FieldError> {
    row.cccd
        .as_deref()
        .map(|cccd| cccd_warnings(cccd, row.sex, Utc::now()))
        .unwrap_or_default()
        .into_iter()
        .map(|message| FieldError::new("cccd", message))
        .collect()
}

/// The API view of a stored participant.
pub fn present(row: participant::Model) -> Participant {
    let warnings = warnings_of(&row);
    Participant {
        id: row.id,
        festival_id: row.festival_id,
        full_name: row.full_name,
        given_name: row.given_name,
        sex: row.sex,
        role: row.role,
        title: row.title,
        organization: row.organization,
        email: row.email,
        phone: row.phone,
        cccd: row.cccd,
        address: row.address,
        invited: row.invited,
        registration: row.registration,
        rsvp: row.rsvp,
        checkin_code: row.checkin_code,
        checked_in_at: row.checked_in_at.map(to_local),
        created_at: to_local(row.created_at),
        updated_at: to_local(row.updated_at),
        warnings,
    }
}

/// Check-in codes have 12 letters (60 random bits), so codes printed on invitations cannot
/// be guessed, yet are short enough to type at the entrance.
pub const CHECKIN_CODE_LENGTH: usize = 12;

/// API field names in the order of the participant form and sheet.
const FIELD_ORDER: [&str; 11] =
    ["full_name", "given_name", "sex", "role", "invited", "email", "phone", "cccd", "organization", "title", "address"];

/// A new row for `valid` in `festival_id`, not yet inserted.
pub fn new_row(festival_id: i32, valid: Valid) -> participant::ActiveModel {
    let now = Utc::now();
    let search_key = [
        fold(&valid.full_name),
        valid.phone.clone().unwrap_or_default(),
        valid.email.clone().unwrap_or_default(),
        valid.cccd.clone().unwrap_or_default(),
    ]
    .join(" ");
    participant::ActiveModel {
        festival_id: Set(festival_id),
        name_sort_key: Set(sort_key(&valid.full_name, &valid.given_name)),
        name_key: Set(valid.name_key()),
        search_key: Set(search_key),
        full_name: Set(valid.full_name),
        given_name: Set(valid.given_name),
        sex: Set(valid.sex),
        role: Set(valid.role),
        title: Set(valid.title),
        organization: Set(valid.organization),
        email: Set(valid.email),
        phone: Set(valid.phone),
        cccd: Set(valid.cccd),
        address: Set(valid.address),
        invited: Set(valid.invited),
        registered_at: Set(None),
        registration: Set(None),
        rsvp: Set(Rsvp::Pending),
        rsvp_token_hash: Set(None),
        checkin_code: Set(random_code(CHECKIN_CODE_LENGTH)),
        checked_in_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
}

/// "Already in this festival as number N: NAME."
fn duplicate_message(other: &participant::Model) -> String {
    format!("Trùng với người tham dự số {}: {}.", other.id, other.full_name)
}

/// The participant of `festival_id` with the same CCCD, or the same name and phone.
async fn find_duplicate(
    db: &impl ConnectionTrait,
    festival_id: i32,
    valid: &Valid,
    except: Option<i32>,
) -> AppResult<Option<(&'static str, participant::Model)>> {
    let mut same = Condition::any();
    if let Some(cccd) = &valid.cccd {
        same = same.add(participant::Column::Cccd.eq(cccd.as_str()));
    }
    if let Some(phone) = &valid.phone {
        same = same.add(
            Condition::all()
                .add(participant::Column::Phone.eq(phone.as_str()))
                .add(participant::Column::NameKey.eq(valid.name_key())),
        );
    }
    if same.is_empty() {
        return Ok(None);
    }
    let mut select = participant::Entity::find().filter(participant::Column::FestivalId.eq(festival_id)).filter(same);
    if let Some(except) = except {
        select = select.filter(participant::Column::Id.ne(except));
    }
    Ok(select.one(db).await?.map(|other| {
        let field = if valid.cccd.is_some() && other.cccd == valid.cccd { "cccd" } else { "phone" };
        (field, other)
    }))
}

/// Errors: 409 naming `cccd` or `phone` and the other participant.
async fn ensure_unique(
    db: &impl ConnectionTrait,
    festival_id: i32,
    valid: &Valid,
    except: Option<i32>,
) -> AppResult<()> {
    match find_duplicate(db, festival_id, valid, except).await? {
        Some((field, other)) => Err(AppError::conflict(field, duplicate_message(&other))),
        None => Ok(()),
    }
}

/// A unique-index violation lost to a concurrent insert, told like the friendly check.
fn unique_race(err: sea_orm::DbErr) -> AppError {
    // "Someone with the same CCCD, or the same name and phone, is already in this festival."
    AppError::from_unique(err, "phone", "Đã có người trùng số CCCD hoặc trùng tên và số điện thoại trong ngày hội này.")
}

/// Adds a participant entered by an organizer. Errors: 404 festival; 409 when the festival
/// is closed (reported, cancelled) or on a duplicate; 422 per field.
pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    festival_id: i32,
    input: NewParticipant,
) -> AppResult<Participant> {
    let (festival, host) = festivals::find(db, actor, festival_id).await?;
    ensure_editable(festival.status)?;
    let valid = validate(input.into())?;
    ensure_unique(db, festival.id, &valid, None).await?;
    let txn = db.begin().await?;
    let created = new_row(festival.id, valid).insert(&txn).await.map_err(unique_race)?;
    let summary = format!("Thêm người tham dự {}", created.full_name); // "Added participant …"
    audit::record(&txn, actor, Action::Create, "participant", created.id, Some(&Place::of_host(&host)), summary)
        .await?;
    txn.commit().await?;
    Ok(present(created))
}

/// A participant with its festival and host. Errors: 404 when unknown or outside the scope.
pub async fn find(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i32,
) -> AppResult<(participant::Model, festival::Model, host::Model)> {
    // "No participant number …"
    let missing = || AppError::not_found(format!("Không tìm thấy người tham dự số {id}."));
    let row = participant::Entity::find_by_id(id).one(db).await?.ok_or_else(missing)?;
    let (festival, host) = festivals::find(db, actor, row.festival_id).await.map_err(|_| missing())?;
    Ok((row, festival, host))
}

/// Errors: 404.
pub async fn get(db: &impl ConnectionTrait, actor: &Actor, id: i32) -> AppResult<Participant> {
    Ok(present(find(db, actor, id).await?.0))
}

/// Applies `changes` (an empty string clears an optional field); checked like a new entry.
/// Errors: 404; 409 when the festival is closed or on a duplicate; 422 per field.
pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    changes: ParticipantChanges,
) -> AppResult<Participant> {
    let (current, festival, host) = find(db, actor, id).await?;
    ensure_editable(festival.status)?;
    let keep = |change: Option<String>, stored: &Option<String>| change.or_else(|| stored.clone());
    let valid = validate(Draft {
        full_name: changes.full_name.clone().unwrap_or_else(|| current.full_name.clone()),
        // A new full name without a new given name takes its last word again.
        given_name: match (&changes.given_name, &changes.full_name) {
            (Some(given), _) => Some(given.clone()),
            (None, Some(_)) => None,
            (None, None) => Some(current.given_name.clone()),
        },
        sex: changes.sex.unwrap_or(current.sex),
        role: changes.role.unwrap_or(current.role),
        invited: changes.invited.unwrap_or(current.invited),
        email: keep(changes.email, &current.email),
        phone: keep(changes.phone, &current.phone),
        cccd: keep(changes.cccd, &current.cccd),
        organization: keep(changes.organization, &current.organization),
        title: keep(changes.title, &current.title),
        address: keep(changes.address, &current.address),
    })?;
    ensure_unique(db, festival.id, &valid, Some(id)).await?;
    let fresh = new_row(festival.id, valid);
    let mut active: participant::ActiveModel = current.into();
    for column in [
        participant::Column::FullName,
        participant::Column::GivenName,
        participant::Column::NameSortKey,
        participant::Column::NameKey,
        participant::Column::SearchKey,
        participant::Column::Sex,
        participant::Column::Role,
        participant::Column::Title,
        participant::Column::Organization,
        participant::Column::Email,
        participant::Column::Phone,
        participant::Column::Cccd,
        participant::Column::Address,
        participant::Column::Invited,
        participant::Column::UpdatedAt,
    ] {
        if let Some(value) = fresh.get(column).into_value() {
            active.set(column, value);
        }
    }
    let txn = db.begin().await?;
    let updated = active.update(&txn).await.map_err(unique_race)?;
    let summary = format!("Sửa người tham dự {}", updated.full_name); // "Edited participant …"
    audit::record(&txn, actor, Action::Update, "participant", id, Some(&Place::of_host(&host)), summary).await?;
    txn.commit().await?;
    Ok(present(updated))
}

/// Removes a participant; a registrant's seat goes to the first on the waitlist.
/// Errors: 404; 409 when the festival is closed.
pub async fn delete(db: &DatabaseConnection, actor: &Actor, id: i32) -> AppResult<()> {
    let (row, festival, host) = find(db, actor, id).await?;
    ensure_editable(festival.status)?;
    let txn = db.begin().await?;
    if let Some(registration) = row.registration {
        seats::release(&txn, festival.id, registration).await?;
    }
    participant::Entity::delete_by_id(id).exec(&txn).await?;
    if row.registration == Some(Registration::Confirmed) {
        seats::promote(&txn, festival.id).await?;
    }
    let summary = format!("Xóa người tham dự {}", row.full_name); // "Deleted participant …"
    audit::record(&txn, actor, Action::Delete, "participant", id, Some(&Place::of_host(&host)), summary).await?;
    txn.commit().await?;
    Ok(())
}

/// Participants of a festival, Vietnamese order by default (given, middle, family name).
/// Errors: 404 festival.
pub async fn list(
    db: &impl ConnectionTrait,
    actor: &Actor,
    festival_id: i32,
    filter: &ParticipantFilter,
    paging: Paging,
) -> AppResult<Page<Participant>> {
    let (festival, _) = festivals::find(db, actor, festival_id).await?;
    let mut select = participant::Entity::find().filter(participant::Column::FestivalId.eq(festival.id));
    if let Some(role) = filter.role {
        select = select.filter(participant::Column::Role.eq(role));
    }
    if let Some(registration) = filter.registration {
        select = select.filter(participant::Column::Registration.eq(registration));
    }
    if let Some(rsvp) = filter.rsvp {
        select = select.filter(participant::Column::Rsvp.eq(rsvp));
    }
    if let Some(invited) = filter.invited {
        select = select.filter(participant::Column::Invited.eq(invited));
    }
    if let Some(words) = filter.q.as_deref().map(fold).filter(|q| !q.trim().is_empty()) {
        // Every word must appear: "an nguyen" finds "Nguyễn Văn An".
        for word in words.split_whitespace() {
            select = select.filter(participant::Column::SearchKey.contains(word));
        }
    }
    select = match filter.sort.unwrap_or_default() {
        ParticipantSort::Name => select.order_by_asc(participant::Column::NameSortKey),
        ParticipantSort::Created => select.order_by_desc(participant::Column::CreatedAt),
    };
    let paginator = select.order_by_asc(participant::Column::Id).paginate(db, paging.per_page);
    let total = paginator.num_items().await?;
    let items = paginator.fetch_page(paging.index()).await?.into_iter().map(present).collect();
    Ok(Page { items, total })
}

/// Every participant of a festival in Vietnamese order, for exports and printing.
pub async fn all_in_order(db: &impl ConnectionTrait, festival_id: i32) -> AppResult<Vec<participant::Model>> {
    Ok(participant::Entity::find()
        .filter(participant::Column::FestivalId.eq(festival_id))
        .order_by_asc(participant::Column::NameSortKey)
        .order_by_asc(participant::Column::Id)
        .all(db)
        .await?)
}

/// The first invited participant of a festival in Vietnamese order: the first page of its
/// invitations, shown as their preview.
pub async fn first_invited(db: &impl ConnectionTrait, festival_id: i32) -> AppResult<Option<i32>> {
    Ok(participant::Entity::find()
        .select_only()
        .column(participant::Column::Id)
        .filter(participant::Column::FestivalId.eq(festival_id))
        .filter(participant::Column::Invited.eq(true))
        .order_by_asc(participant::Column::NameSortKey)
        .order_by_asc(participant::Column::Id)
        .into_tuple()
        .one(db)
        .await?)
}

/// The full names of participants `ids`, in one query.
pub async fn names_of(db: &impl ConnectionTrait, ids: &[i32]) -> AppResult<HashMap<i32, String>> {
    let rows: Vec<(i32, String)> = participant::Entity::find()
        .select_only()
        .column(participant::Column::Id)
        .column(participant::Column::FullName)
        .filter(participant::Column::Id.is_in(ids.iter().copied()))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().collect())
}

/// Live counts of a festival's participants, in one query. Errors: 404 festival.
pub async fn counts(db: &impl ConnectionTrait, actor: &Actor, festival_id: i32) -> AppResult<ParticipantCounts> {
    let (festival, _) = festivals::find(db, actor, festival_id).await?;
    counts_of(db, festival.id, festival.capacity).await
}

/// [`counts`] of a festival already looked up (its id and `capacity`), e.g. from a `Festival`.
pub async fn counts_of(
    db: &impl ConnectionTrait,
    festival_id: i32,
    capacity: Option<i32>,
) -> AppResult<ParticipantCounts> {
    /// The sums as the database gives them.
    #[derive(Default, FromQueryResult)]
    struct Sums {
        total: i64,
        invited: i64,
        confirmed: i64,
        waitlisted: i64,
        accepted: i64,
        declined: i64,
        checked_in: i64,
        invited_without_email: i64,
    }
    let sum = |condition: &str| Expr::cust(format!("COALESCE(SUM(CASE WHEN {condition} THEN 1 ELSE 0 END), 0)"));
    let sums = participant::Entity::find()
        .select_only()
        .column_as(Expr::cust("COUNT(*)"), "total")
        .column_as(sum("invited"), "invited")
        .column_as(sum("registration = 'confirmed'"), "confirmed")
        .column_as(sum("registration = 'waitlisted'"), "waitlisted")
        .column_as(sum("rsvp = 'accepted'"), "accepted")
        .column_as(sum("rsvp = 'declined'"), "declined")
        .column_as(sum("checked_in_at IS NOT NULL"), "checked_in")
        .column_as(sum("invited AND email IS NULL"), "invited_without_email")
        .filter(participant::Column::FestivalId.eq(festival_id))
        .into_model::<Sums>()
        .one(db)
        .await?
        .unwrap_or_default();
    let count = |n: i64| u64::try_from(n).unwrap_or_default();
    Ok(ParticipantCounts {
        total: count(sums.total),
        invited: count(sums.invited),
        confirmed: count(sums.confirmed),
        waitlisted: count(sums.waitlisted),
        accepted: count(sums.accepted),
        declined: count(sums.declined),
        checked_in: count(sums.checked_in),
        invited_without_email: count(sums.invited_without_email),
        capacity,
    })
}

/// Marks the holder of `code` (typed, or the scanned invitation link) as arrived, once.
/// Errors: 404 festival or code; 409 when already checked in, with the first time.
pub async fn check_in(db: &DatabaseConnection, actor: &Actor, festival_id: i32, code: &str) -> AppResult<Participant> {
    let (festival, _) = festivals::find(db, actor, festival_id).await?;
    if festival.status == FestivalStatus::Cancelled {
        // "The festival was cancelled; nobody can be checked in."
        return Err(AppError::state_conflict("Ngày hội đã bị hủy; không thể điểm danh."));
    }
    let code = normalize_code(code);
    let now = Utc::now();
    // One conditional update: two scanners at two doors cannot both check the same guest in.
    let marked = participant::Entity::update_many()
        .col_expr(participant::Column::CheckedInAt, Expr::value(now))
        .filter(participant::Column::FestivalId.eq(festival.id))
        .filter(participant::Column::CheckinCode.eq(code.as_str()))
        .filter(participant::Column::CheckedInAt.is_null())
        .exec(db)
        .await?;
    let row = participant::Entity::find()
        .filter(participant::Column::FestivalId.eq(festival.id))
        .filter(participant::Column::CheckinCode.eq(code.as_str()))
        .one(db)
        .await?
        // "No participant of this festival has code …"
        .ok_or_else(|| AppError::not_found(format!("Không có người tham dự nào của ngày hội này có mã {code}.")))?;
    if marked.rows_affected == 0 {
        let first = row.checked_in_at.map(to_local);
        let when = first.map(|at| format!("{} ngày {}", at.format("%H:%M"), format_dmy(at.date_naive())));
        // "… already checked in at HH:MM on dd/mm/yyyy."
        return Err(AppError::conflict(
            "code",
            format!("{} đã điểm danh lúc {}.", row.full_name, when.unwrap_or_default()),
        ));
    }
    let mut checked = present(row);
    // Let in, but the organizer at the door should know.
    if checked.registration == Some(Registration::Waitlisted) {
        // "On the waitlist: has no seat yet."
        checked.warnings.push(FieldError::new("registration", "Người này đang trong danh sách chờ, chưa có chỗ."));
    }
    if checked.rsvp == Rsvp::Declined {
        // "Said they would not come."
        checked.warnings.push(FieldError::new("rsvp", "Người này đã báo không tham dự."));
    }
    Ok(checked)
}

/// Takes back a check-in made by mistake. Errors: 404; 409 when not checked in.
pub async fn undo_check_in(db: &DatabaseConnection, actor: &Actor, id: i32) -> AppResult<Participant> {
    let (row, _, host) = find(db, actor, id).await?;
    if row.checked_in_at.is_none() {
        // "… has not been checked in."
        return Err(AppError::state_conflict(format!("{} chưa điểm danh.", row.full_name)));
    }
    let txn = db.begin().await?;
    let mut active: participant::ActiveModel = row.into();
    active.checked_in_at = Set(None);
    active.updated_at = Set(Utc::now());
    let updated = active.update(&txn).await?;
    let summary = format!("Hủy điểm danh {}", updated.full_name); // "Undid the check-in of …"
    audit::record(&txn, actor, Action::Update, "participant", id, Some(&Place::of_host(&host)), summary).await?;
    txn.commit().await?;
    Ok(present(updated))
}

/// What makes two entries of one festival the same person: the CCCD, or the lower-case name
/// with the phone. Taken from a draft even when other fields are bad, so a sheet's duplicates
/// are reported together with its other problems.
fn identity_keys(draft: &Draft) -> Vec<(&'static str, String)> {
    let mut keys = Vec::new();
    if let Some(cccd) = draft.cccd.as_deref().and_then(|raw| normalize_cccd(raw).ok()) {
        keys.push(("cccd", format!("cccd:{cccd}")));
    }
    if let Some(phone) = draft.phone.as_deref().and_then(|raw| normalize_phone(raw).ok()) {
        keys.push(("phone", format!("phone:{phone}:{}", fold(&draft.full_name))));
    }
    keys
}

/// Id, full name, folded name, phone and CCCD of a stored participant.
type StoredIdentity = (i32, String, String, Option<String>, Option<String>);

/// Participants from spreadsheet lines, checked as a whole before anything is written: each
/// row is `(line, draft, problems found reading it)`. Errors: 422 listing every bad row and
/// field, also duplicates within the sheet and against the festival; nothing is written then.
/// Also 404 festival, 409 festival closed.
pub async fn insert_checked(
    db: &DatabaseConnection,
    actor: &Actor,
    festival_id: i32,
    rows: Vec<(usize, Draft, FieldErrors)>,
) -> AppResult<u64> {
    let (festival, host) = festivals::find(db, actor, festival_id).await?;
    ensure_editable(festival.status)?;
    let existing: Vec<StoredIdentity> = participant::Entity::find()
        .select_only()
        .columns([
            participant::Column::Id,
            participant::Column::FullName,
            participant::Column::NameKey,
            participant::Column::Phone,
            participant::Column::Cccd,
        ])
        .filter(participant::Column::FestivalId.eq(festival.id))
        .into_tuple()
        .all(db)
        .await?;
    // Where each identity was first seen: "participant number N" (stored) or "line N" (sheet).
    let mut seen: HashMap<String, String> = HashMap::new();
    for (id, full_name, name_key, phone, cccd) in existing {
        // "participant number N (NAME)"
        let who = format!("người tham dự số {id} ({full_name})");
        if let Some(cccd) = cccd {
            seen.insert(format!("cccd:{cccd}"), who.clone());
        }
        if let Some(phone) = phone {
            seen.insert(format!("phone:{phone}:{name_key}"), who);
        }
    }
    let mut errors = Vec::new();
    let mut valid_rows = Vec::with_capacity(rows.len());
    for (line, draft, read_errors) in rows {
        let mut row_errors = read_errors.into_vec();
        for (field, key) in identity_keys(&draft) {
            match seen.get(&key) {
                // "Same as …" (CCCD, or name and phone).
                Some(first) => row_errors.push(FieldError::new(field, format!("Trùng với {first}."))),
                None => {
                    seen.insert(key, format!("dòng {line}"));
                }
            }
        }
        match validate(draft) {
            Ok(valid) if row_errors.is_empty() => valid_rows.push(valid),
            Ok(_) => {}
            Err(found) => row_errors.extend(found.into_vec()),
        }
        // Field order within a row follows the columns, whichever check found the problem.
        row_errors.sort_by_key(|error| FIELD_ORDER.iter().position(|field| *field == error.field));
        errors.extend(row_errors.into_iter().map(|error| error.at_row(line)));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let count = valid_rows.len() as u64;
    let txn = db.begin().await?;
    // 20 columns a row: 500 rows stay under SQLite's and PostgreSQL's bound-parameter limits.
    let mut rows = valid_rows.into_iter().map(|valid| new_row(festival.id, valid)).peekable();
    while rows.peek().is_some() {
        let batch: Vec<_> = rows.by_ref().take(500).collect();
        participant::Entity::insert_many(batch).exec_without_returning(&txn).await.map_err(unique_race)?;
    }
    // "Imported N participants"
    let summary = format!("Nhập {count} người tham dự từ tệp");
    audit::record(&txn, actor, Action::Create, "festival", festival.id, Some(&Place::of_host(&host)), summary).await?;
    txn.commit().await?;
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_names_every_bad_field_and_cleans_text() {
        let errors = validate(Draft {
            full_name: "  ".into(),
            phone: Some("12345".into()),
            email: Some("an@".into()),
            cccd: Some("123".into()),
            ..Draft::default()
        })
        .unwrap_err()
        .into_vec();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["full_name", "email", "phone", "cccd"]);
        let valid = validate(Draft {
            full_name: "Nguye\u{302}\u{303}n  Thi\u{323} Minh   Khai".into(),
            phone: Some("+84 912 345 678".into()),
            ..Draft::default()
        })
        .unwrap();
        assert_eq!(valid.full_name, "Nguyễn Thị Minh Khai");
        assert_eq!(valid.given_name, "Khai");
        assert_eq!(valid.phone.as_deref(), Some("0912345678"));
    }
}
