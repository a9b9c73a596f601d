//! Nominations (đề nghị khen thưởng): proposals for collectives and individuals, reviewed by
//! the emulation-commendation council and approved by the issuer (Law 06/2022/QH15,
//! articles 84–85; DOMAIN.md, *Commendation*).

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, Set, TransactionTrait,
};

use super::issuers::{self, place_of};
use super::model::{
    ActionInput, AwardForm, NewNomination, Nomination, NominationAction, NominationChanges, NominationFilter,
    NominationState, NomineeKind,
};
use super::models;
use crate::areas::service::find_host;
use crate::auth::audit::{self, Action};
use crate::auth::model::{Actor, Place, Role, Scope};
use crate::entities::{certificate, decision, issuer, nomination};
use crate::error::{AppError, AppResult, FieldError, FieldErrors};
use crate::festivals::service as festivals;
use crate::list::{Page, Paging, search_key};
use crate::participants::identity::normalize_cccd;
use crate::participants::service as participants;
use crate::text::{Line, fold, notes};
use crate::time::{local_year, to_local};

pub type NomineeName = Line<200>;

/// Longest achievement summary, in characters.
const MAX_ACHIEVEMENT: usize = 2000;

/// Where a nomination comes from, for scope checks.
fn place_of_row(row: &nomination::Model) -> Place {
    Place { province: row.province_code.clone(), commune: row.unit_code.clone(), host_id: None }
}

/// Whether `actor` may see the nomination: its place or its issuer is in the actor's scope,
/// or the actor proposed it.
fn visible_to(actor: &Actor, row: &nomination::Model, issuer: &issuer::Model) -> bool {
    actor.covers(&place_of_row(row))
        || actor.covers(&place_of(issuer))
        || (row.created_by.is_some() && row.created_by == actor.user_id)
}

/// A nomination with its issuer. Errors: 404 when unknown or not visible.
pub async fn find(db: &impl ConnectionTrait, actor: &Actor, id: i32) -> AppResult<(nomination::Model, issuer::Model)> {
    // "No nomination number …"
    let missing = || AppError::not_found(format!("Không tìm thấy đề nghị khen thưởng số {id}."));
    let row = nomination::Entity::find_by_id(id).one(db).await?.ok_or_else(missing)?;
    let issuer = issuer::Entity::find_by_id(row.issuer_id).one(db).await?.ok_or_else(missing)?;
    if visible_to(actor, &row, &issuer) { Ok((row, issuer)) } else { Err(missing()) }
}

/// A reference in a request body that must exist: unknown → 422 naming `field`.
fn as_field_error(error: AppError, field: &str) -> AppError {
    match error {
        AppError::NotFound(message) => AppError::invalid(field, message),
        other => other,
    }
}

/// The nominee and the place the proposal comes from, resolved from the request.
struct Nominee {
    kind: NomineeKind,
    name: Option<String>,
    cccd: Option<String>,
    festival_id: Option<i32>,
    place: Place,
}

/// Resolves who is nominated and checks that a collective lies within the issuer's scope.
/// Errors: 422 naming the reference that is unknown or does not fit.
async fn resolve(
    db: &impl ConnectionTrait,
    actor: &Actor,
    issuer: &issuer::Model,
    input: &NewNomination,
) -> AppResult<Nominee> {
    let festival = match input.festival_id {
        Some(id) => Some(festivals::find(db, actor, id).await.map_err(|err| as_field_error(err, "festival_id"))?),
        None => None,
    };
    let festival_place = festival.as_ref().map(|(_, host)| Place::of_host(host));
    let (kind, name, cccd, place) = if let Some(id) = input.participant_id {
        let (person, _, host) =
            participants::find(db, actor, id).await.map_err(|err| as_field_error(err, "participant_id"))?;
        if festival.as_ref().is_some_and(|(festival, _)| festival.id != person.festival_id) {
            // "This participant is not in that festival."
            return Err(AppError::invalid("participant_id", "Người này không tham dự ngày hội đã chọn."));
        }
        (NomineeKind::Individual, Some(person.full_name), person.cccd, Place::of_host(&host))
    } else if let Some(id) = input.model_id {
        let (model, host) = models::find(db, actor, id).await.map_err(|err| as_field_error(err, "model_id"))?;
        ensure_in_issuer_scope(issuer, &Place::of_host(&host), "model_id")?;
        (NomineeKind::Collective, Some(model.name), None, Place::of_host(&host))
    } else if let Some(id) = input.host_id {
        let host = find_host(db, actor, id).await.map_err(|err| as_field_error(err, "host_id"))?;
        ensure_in_issuer_scope(issuer, &Place::of_host(&host), "host_id")?;
        let place = Place::of_host(&host);
        (NomineeKind::Collective, Some(host.name), None, place)
    } else {
        let kind = input.kind.ok_or_else(|| {
            // "Choose collective or individual."
            AppError::invalid("kind", "Chọn khen tập thể hay cá nhân.")
        })?;
        (kind, None, None, festival_place.clone().unwrap_or_else(|| place_of(issuer)))
    };
    if input.kind.is_some_and(|stated| stated != kind) {
        // "A participant is an individual; a host or model is a collective."
        return Err(AppError::invalid("kind", "Người tham dự là cá nhân; đơn vị, mô hình là tập thể."));
    }
    Ok(Nominee { kind, name, cccd, festival_id: festival.map(|(festival, _)| festival.id), place })
}

/// Errors: 422 on `field` when a collective lies outside the issuer's area (Law 06/2022:
/// an issuer commends within its own management).
fn ensure_in_issuer_scope(issuer: &issuer::Model, place: &Place, field: &str) -> AppResult<()> {
    let issuer_place = place_of(issuer);
    let inside = place.province == issuer_place.province
        && issuer_place.commune.as_ref().is_none_or(|commune| place.commune.as_ref() == Some(commune));
    if inside {
        Ok(())
    } else {
        // "This collective is outside the area of the issuer."
        Err(AppError::invalid(field, format!("Tập thể này không thuộc phạm vi quản lý của {}.", issuer.name)))
    }
}

/// The medal "Bảo vệ an ninh Tổ quốc" is given once in a lifetime (Decree 98/2023/NĐ-CP):
/// it needs the person's CCCD, and a person already holding it (a certificate of a decision
/// in force) cannot be proposed again. Errors: 422 / 409 naming `cccd`.
pub(super) async fn check_medal(
    db: &impl ConnectionTrait,
    form: AwardForm,
    kind: NomineeKind,
    cccd: Option<&str>,
) -> AppResult<()> {
    if form != AwardForm::KyNiemChuong {
        return Ok(());
    }
    if kind != NomineeKind::Individual {
        // "The medal is for individuals only."
        return Err(AppError::invalid("form", "Kỷ niệm chương chỉ tặng cá nhân."));
    }
    // "The medal needs the person's CCCD, to check it is given once only."
    let cccd =
        cccd.ok_or_else(|| AppError::invalid("cccd", "Cần số CCCD để kiểm tra kỷ niệm chương chỉ tặng một lần."))?;
    let held = certificate::Entity::find()
        .inner_join(decision::Entity)
        .filter(certificate::Column::Cccd.eq(cccd))
        .filter(certificate::Column::Form.eq(AwardForm::KyNiemChuong))
        .filter(decision::Column::State.eq(super::model::DecisionState::Active))
        .one(db)
        .await?;
    match held {
        // "This person already received the medal (register number N)."
        Some(held) => Err(AppError::conflict(
            "cccd",
            format!("Người có số CCCD này đã được tặng kỷ niệm chương (số sổ vàng {}).", held.register_number),
        )),
        None => Ok(()),
    }
}

/// Creates a draft nomination. The actor must cover the nominee's place (their host,
/// festival or commune) and see the issuer. Errors: 422 per field (unknown references,
/// missing name or achievement, medal without CCCD, collective outside the issuer's area);
/// 409 naming `cccd` when the person already holds the medal; 403 outside the scope.
pub async fn create(db: &DatabaseConnection, actor: &Actor, input: NewNomination) -> AppResult<Nomination> {
    let issuer = issuer::Entity::find_by_id(input.issuer_id)
        .one(db)
        .await?
        // "No such issuer."
        .ok_or_else(|| AppError::invalid("issuer_id", "Không có cơ quan khen thưởng này."))?;
    if !issuers::visible_to(actor, &issuer) {
        return Err(AppError::forbidden());
    }
    let nominee = resolve(db, actor, &issuer, &input).await?;
    actor.ensure_covers(&nominee.place)?;
    let mut errors = FieldErrors::default();
    let name = input.nominee_name.as_deref().filter(|name| !name.trim().is_empty()).or(nominee.name.as_deref());
    let name = errors.check("nominee_name", NomineeName::parse(name.unwrap_or_default()));
    let cccd = match input.cccd.as_deref().filter(|cccd| !cccd.trim().is_empty()) {
        Some(raw) => errors.check("cccd", normalize_cccd(raw)),
        None => nominee.cccd.clone(),
    };
    let achievement = errors.check("achievement", achievement(&input.achievement));
    let posthumous = input.posthumous.unwrap_or(false);
    if posthumous && nominee.kind == NomineeKind::Collective {
        errors.add("posthumous", "Chỉ truy tặng cho cá nhân."); // "Posthumous awards are for individuals."
    }
    let (Some(name), Some(achievement), true) = (name, achievement, errors.is_empty()) else {
        return Err(errors.into());
    };
    let form = input.form.unwrap_or(AwardForm::GiayKhen);
    check_medal(db, form, nominee.kind, cccd.as_deref()).await?;
    let now = Utc::now();
    let year = match nominee.festival_id {
        Some(id) => festivals::find(db, actor, id).await?.0.year,
        None => local_year(now),
    };
    let txn = db.begin().await?;
    let created = nomination::ActiveModel {
        issuer_id: Set(issuer.id),
        festival_id: Set(nominee.festival_id),
        kind: Set(nominee.kind),
        nominee_key: Set(fold(name.as_str())),
        nominee_name: Set(name.into_inner()),
        participant_id: Set(input.participant_id),
        host_id: Set(input.host_id.filter(|_| input.model_id.is_none() && input.participant_id.is_none())),
        model_id: Set(input.model_id.filter(|_| input.participant_id.is_none())),
        cccd: Set(cccd),
        achievement: Set(achievement),
        form: Set(form),
        posthumous: Set(posthumous),
        year: Set(year),
        province_code: Set(nominee.place.province.clone()),
        unit_code: Set(nominee.place.commune.clone()),
        state: Set(NominationState::Draft),
        created_by: Set(actor.user_id),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    // "Proposed … for …"
    let summary = format!("Đề nghị tặng {} cho {}", created.form.label(), created.nominee_name);
    audit::record(&txn, actor, Action::Create, "nomination", created.id, Some(&nominee.place), summary).await?;
    txn.commit().await?;
    present_one(db, created).await
}

fn achievement(raw: &str) -> Result<String, String> {
    let text = notes(raw, MAX_ACHIEVEMENT)?;
    if text.is_empty() {
        // "Summarize the achievement (e.g. "Đã có thành tích xuất sắc trong phong trào …")."
        return Err("Hãy tóm tắt thành tích, ví dụ “Đã có thành tích xuất sắc trong phong trào …”.".into());
    }
    Ok(text)
}

/// Errors: 404.
pub async fn get(db: &impl ConnectionTrait, actor: &Actor, id: i32) -> AppResult<Nomination> {
    present_one(db, find(db, actor, id).await?.0).await
}

/// Nominations the actor may see, newest first. Errors: 422 on a bad filter.
pub async fn list(
    db: &impl ConnectionTrait,
    actor: &Actor,
    filter: &NominationFilter,
    paging: Paging,
) -> AppResult<Page<Nomination>> {
    let mine = nomination::Column::CreatedBy.eq(actor.user_id.unwrap_or(-1));
    let mut select = nomination::Entity::find().filter(match &actor.scope {
        Scope::Country => Condition::all(),
        Scope::Province(province) => {
            Condition::any().add(nomination::Column::ProvinceCode.eq(province.as_str())).add(mine)
        }
        Scope::Commune { commune, .. } => {
            Condition::any().add(nomination::Column::UnitCode.eq(commune.as_str())).add(mine)
        }
        Scope::Host { .. } => Condition::all().add(mine),
    });
    if let Some(state) = filter.state {
        select = select.filter(nomination::Column::State.eq(state));
    }
    if let Some(issuer) = filter.issuer {
        select = select.filter(nomination::Column::IssuerId.eq(issuer));
    }
    if let Some(festival) = filter.festival {
        select = select.filter(nomination::Column::FestivalId.eq(festival));
    }
    if let Some(year) = filter.year {
        select = select.filter(nomination::Column::Year.eq(year));
    }
    if let Some(search) = search_key(filter.q.as_deref()) {
        select = select.filter(nomination::Column::NomineeKey.contains(search));
    }
    let paginator = select
        .order_by_desc(nomination::Column::UpdatedAt)
        .order_by_desc(nomination::Column::Id)
        .paginate(db, paging.per_page);
    let total = paginator.num_items().await?;
    let rows = paginator.fetch_page(paging.index()).await?;
    Ok(Page { total, items: present(db, rows).await? })
}

/// Edits a draft. Errors: 404; 403; 409 when not a draft; 422 per field.
pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    changes: NominationChanges,
) -> AppResult<Nomination> {
    let (row, _) = find(db, actor, id).await?;
    ensure_proposer(actor, &row)?;
    if row.state != NominationState::Draft {
        // "Only drafts can be edited; ask for it to be returned first."
        return Err(AppError::state_conflict("Chỉ sửa được đề nghị ở trạng thái nháp; hãy đề nghị trả lại trước."));
    }
    let mut errors = FieldErrors::default();
    let name =
        errors.check("nominee_name", NomineeName::parse(changes.nominee_name.as_deref().unwrap_or(&row.nominee_name)));
    let cccd = match changes.cccd.as_deref() {
        Some(raw) if raw.trim().is_empty() => None,
        Some(raw) => errors.check("cccd", normalize_cccd(raw)),
        None => row.cccd.clone(),
    };
    let achievement =
        errors.check("achievement", achievement(changes.achievement.as_deref().unwrap_or(&row.achievement)));
    let posthumous = changes.posthumous.unwrap_or(row.posthumous);
    if posthumous && row.kind == NomineeKind::Collective {
        errors.add("posthumous", "Chỉ truy tặng cho cá nhân."); // "Posthumous awards are for individuals."
    }
    if let Some(festival_id) = changes.festival_id {
        festivals::find(db, actor, festival_id).await.map_err(|err| as_field_error(err, "festival_id"))?;
    }
    let (Some(name), Some(achievement), true) = (name, achievement, errors.is_empty()) else {
        return Err(errors.into());
    };
    let form = changes.form.unwrap_or(row.form);
    check_medal(db, form, row.kind, cccd.as_deref()).await?;
    let place = place_of_row(&row);
    let mut active: nomination::ActiveModel = row.into();
    active.nominee_key = Set(fold(name.as_str()));
    active.nominee_name = Set(name.into_inner());
    active.cccd = Set(cccd);
    active.achievement = Set(achievement);
    active.form = Set(form);
    active.posthumous = Set(posthumous);
    if let Some(festival_id) = changes.festival_id {
        active.festival_id = Set(Some(festival_id));
    }
    active.updated_at = Set(Utc::now());
    let txn = db.begin().await?;
    let updated = active.update(&txn).await?;
    let summary = format!("Sửa đề nghị khen thưởng {}", updated.nominee_name); // "Edited nomination …"
    audit::record(&txn, actor, Action::Update, "nomination", id, Some(&place), summary).await?;
    txn.commit().await?;
    present_one(db, updated).await
}

/// Proposers edit and submit: whoever created it, or an officer covering its place.
fn ensure_proposer(actor: &Actor, row: &nomination::Model) -> AppResult<()> {
    let created_it = row.created_by.is_some() && row.created_by == actor.user_id;
    if created_it || actor.covers(&place_of_row(row)) { Ok(()) } else { Err(AppError::forbidden()) }
}

/// Moves a nomination along its path ([`NominationState::after`]). Submitting is for
/// proposers; returning, reviewing, approving and rejecting need a commune officer or higher
/// over the issuer, and whoever submitted a nomination cannot approve it (separation of
/// duties). Errors: 404; 403; 409 when the action does not fit the state (or the state changed
/// meanwhile); 422 for a missing reason or vote.
pub async fn act(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    action: NominationAction,
    input: ActionInput,
) -> AppResult<Nomination> {
    let (row, issuer) = find(db, actor, id).await?;
    match action {
        NominationAction::Submit => ensure_proposer(actor, &row)?,
        _ => {
            actor.ensure_role(Role::Commune)?;
            actor.ensure_covers(&place_of(&issuer))?;
        }
    }
    let Some(next) = row.state.after(action) else {
        // "A nomination that is "…" cannot be …"
        return Err(AppError::state_conflict(format!(
            "Không thể {} đề nghị đang ở trạng thái “{}”.",
            action_label(action),
            row.state.label()
        )));
    };
    if action == NominationAction::Approve && row.submitted_by.is_some() && row.submitted_by == actor.user_id {
        // "Whoever submitted a nomination cannot approve it."
        return Err(AppError::Forbidden("Người gửi đề nghị không được tự duyệt đề nghị đó.".into()));
    }
    // The council's vote decides (Decree 98/2023, councils of emulation and commendation): a
    // nomination most members voted against is rejected, not approved.
    if let (NominationAction::Approve, Some(votes_for), Some(votes_against)) =
        (action, row.votes_for, row.votes_against)
        && votes_for <= votes_against
    {
        // "The council did not agree (N for, M against); reject or return it instead."
        return Err(AppError::state_conflict(format!(
            "Hội đồng không tán thành ({votes_for} tán thành, {votes_against} không tán thành); hãy không duyệt hoặc trả lại đề nghị."
        )));
    }
    let now = Utc::now();
    let mut changes = nomination::ActiveModel { state: Set(next), updated_at: Set(now), ..Default::default() };
    let mut errors = FieldErrors::default();
    match action {
        // A returned nomination keeps its `return_reason` when submitted again: its history.
        NominationAction::Submit => {
            changes.submitted_by = Set(actor.user_id);
            changes.submitted_at = Set(Some(now));
        }
        NominationAction::Return => {
            changes.return_reason = Set(errors.check("reason", reason(input.reason.as_deref())))
        }
        NominationAction::Reject => {
            changes.reject_reason = Set(errors.check("reason", reason(input.reason.as_deref())))
        }
        NominationAction::Review => {
            let mut vote = |field: &str, count: Option<i32>| match count {
                Some(count @ 0..=1000) => Some(count),
                // "Number of votes, 0 to 1000."
                _ => errors.check::<i32>(field, Err("Nhập số phiếu, từ 0 đến 1000.".into())),
            };
            changes.votes_for = Set(vote("votes_for", input.votes_for));
            changes.votes_against = Set(vote("votes_against", input.votes_against));
            let note = errors.check("note", notes(input.note.as_deref().unwrap_or_default(), MAX_ACHIEVEMENT));
            changes.review_note = Set(note.filter(|note| !note.is_empty()));
            changes.reviewed_by = Set(actor.user_id);
            changes.reviewed_at = Set(Some(now));
        }
        NominationAction::Approve => {
            changes.decided_by = Set(actor.user_id);
            changes.decided_at = Set(Some(now));
        }
    }
    errors.finish()?;
    let txn = db.begin().await?;
    // Only from the state just read: two officers acting at once cannot both move it.
    let moved = nomination::Entity::update_many()
        .set(changes)
        .filter(nomination::Column::Id.eq(id))
        .filter(nomination::Column::State.eq(row.state))
        .exec(&txn)
        .await?;
    if moved.rows_affected == 0 {
        // "Someone changed this nomination meanwhile; reload and try again."
        return Err(AppError::state_conflict("Đề nghị vừa được người khác thay đổi; hãy tải lại rồi thử lại."));
    }
    let summary = format!("{} đề nghị khen thưởng {}", capitalized(action_label(action)), row.nominee_name);
    audit::record(&txn, actor, Action::Status, "nomination", id, Some(&place_of_row(&row)), summary).await?;
    txn.commit().await?;
    get(db, actor, id).await
}

fn reason(raw: Option<&str>) -> Result<String, String> {
    let text = notes(raw.unwrap_or_default(), MAX_ACHIEVEMENT)?;
    if text.is_empty() { Err("Hãy ghi lý do.".into()) } else { Ok(text) } // "Give the reason."
}

/// The Vietnamese verb of an action: "gửi" (submit), "trả lại" (return), "xét" (review),
/// "duyệt" (approve), "không duyệt" (reject).
fn action_label(action: NominationAction) -> &'static str {
    match action {
        NominationAction::Submit => "gửi",
        NominationAction::Return => "trả lại",
        NominationAction::Review => "xét",
        NominationAction::Approve => "duyệt",
        NominationAction::Reject => "không duyệt",
    }
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

async fn present_one(db: &impl ConnectionTrait, row: nomination::Model) -> AppResult<Nomination> {
    let mut items = present(db, vec![row]).await?;
    items.pop().ok_or_else(|| AppError::Internal(anyhow::anyhow!("nomination vanished while presenting")))
}

/// Nominations as the API shows them, with the "nominated twice this year by the same issuer"
/// warning (one query for the whole list).
async fn present(db: &impl ConnectionTrait, rows: Vec<nomination::Model>) -> AppResult<Vec<Nomination>> {
    let mut same_year = Condition::any();
    for row in rows.iter().filter(|row| row.kind == NomineeKind::Individual) {
        same_year = same_year.add(
            Condition::all()
                .add(nomination::Column::IssuerId.eq(row.issuer_id))
                .add(nomination::Column::Year.eq(row.year)),
        );
    }
    let others = if same_year.is_empty() {
        Vec::new()
    } else {
        nomination::Entity::find()
            .filter(same_year)
            .filter(nomination::Column::Kind.eq(NomineeKind::Individual))
            .filter(nomination::Column::State.ne(NominationState::Rejected))
            .all(db)
            .await?
    };
    let mut by_issuer_year: HashMap<(i32, i32), Vec<&nomination::Model>> = HashMap::new();
    for other in &others {
        by_issuer_year.entry((other.issuer_id, other.year)).or_default().push(other);
    }
    Ok(rows
        .into_iter()
        .map(|row| {
            let twice = (row.kind == NomineeKind::Individual)
                .then(|| by_issuer_year.get(&(row.issuer_id, row.year)))
                .flatten()
                .and_then(|others| {
                    others.iter().find(|other| {
                        other.id != row.id
                            && (other.nominee_key == row.nominee_key || (row.cccd.is_some() && other.cccd == row.cccd))
                    })
                });
            let warnings = twice
                .map(|other| {
                    // "Already nominated by this issuer in {year} (nomination N)."
                    vec![FieldError::new(
                        "nominee_name",
                        format!("Người này đã được đề nghị khen thưởng năm {} (đề nghị số {}).", row.year, other.id),
                    )]
                })
                .unwrap_or_default();
            Nomination {
                id: row.id,
                issuer_id: row.issuer_id,
                festival_id: row.festival_id,
                kind: row.kind,
                nominee_name: row.nominee_name,
                participant_id: row.participant_id,
                host_id: row.host_id,
                model_id: row.model_id,
                cccd: row.cccd,
                achievement: row.achievement,
                form: row.form,
                posthumous: row.posthumous,
                year: row.year,
                state: row.state,
                return_reason: row.return_reason,
                reject_reason: row.reject_reason,
                votes_for: row.votes_for,
                votes_against: row.votes_against,
                review_note: row.review_note,
                created_by: row.created_by,
                submitted_by: row.submitted_by,
                submitted_at: row.submitted_at.map(to_local),
                reviewed_at: row.reviewed_at.map(to_local),
                decision_id: row.decision_id,
                created_at: to_local(row.created_at),
                warnings,
            }
        })
        .collect())
}
