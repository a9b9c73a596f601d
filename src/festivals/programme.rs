//! The programme (chương trình) and the organizing committee (ban tổ chức) of a festival:
//! ordered lists, each replaced as a whole in one transaction.

use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set, TransactionTrait,
};

use super::model::{CommitteeMember, ProgrammeItem, ProgrammePart};
use super::repo::replace_list;
use super::service::{ensure_editable, find};
use crate::auth::audit::{self, Action};
use crate::auth::model::{Actor, Place};
use crate::entities::{committee_member, programme_item};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::text::Line;
use crate::time::parse_hhmm;

/// Most lines a programme or committee may have.
const MAX_LINES: usize = 100;

/// The usual programme (DOMAIN.md, *A festival*): the ceremony, then the festivities.
/// Every new festival starts with it; organizers edit it.
pub fn standard_programme() -> Vec<ProgrammeItem> {
    use ProgrammePart::{Ceremony, Festivities};
    [
        (Ceremony, "Chào cờ"),
        (Ceremony, "Tuyên bố lý do, giới thiệu đại biểu"),
        (Ceremony, "Báo cáo kết quả phong trào Toàn dân bảo vệ an ninh Tổ quốc"),
        (Ceremony, "Thảo luận, phát biểu ý kiến"),
        (Ceremony, "Đọc quyết định và trao khen thưởng"),
        (Ceremony, "Phát biểu của lãnh đạo cấp trên, trao quà"),
        (Ceremony, "Phát biểu tiếp thu của đại diện đơn vị"),
        (Ceremony, "Ký kết giao ước thi đua"),
        (Festivities, "Biểu diễn văn nghệ"),
        (Festivities, "Thể thao, trò chơi dân gian"),
        (Festivities, "Thi tìm hiểu pháp luật"),
    ]
    .into_iter()
    .map(|(part, title)| ProgrammeItem { part, starts_at: None, title: title.to_owned(), presenter: None })
    .collect()
}

/// Errors: 404 for an unknown festival.
pub async fn get_programme(
    db: &impl ConnectionTrait,
    actor: &Actor,
    festival_id: i32,
) -> AppResult<Vec<ProgrammeItem>> {
    find(db, actor, festival_id).await?;
    programme_of(db, festival_id).await
}

/// The programme of a festival whose visibility the caller has settled (the public page shows
/// every festival's programme; the festival page has just loaded the festival).
pub async fn programme_of(db: &impl ConnectionTrait, festival_id: i32) -> AppResult<Vec<ProgrammeItem>> {
    let rows = programme_item::Entity::find()
        .filter(programme_item::Column::FestivalId.eq(festival_id))
        .order_by_asc(programme_item::Column::Position)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|row| ProgrammeItem {
            part: row.part,
            starts_at: row.starts_at,
            title: row.title,
            presenter: row.presenter,
        })
        .collect())
}

/// Replaces the programme with `items` in one transaction; returns it as stored (cleaned).
/// Errors: 404; 409 when the festival can no longer be edited; 422 naming `[i].title`,
/// `[i].starts_at` (`HH:MM`, 24-hour) or `[i].presenter`, or `items` when over 100 lines.
pub async fn put_programme(
    db: &DatabaseConnection,
    actor: &Actor,
    festival_id: i32,
    items: Vec<ProgrammeItem>,
) -> AppResult<Vec<ProgrammeItem>> {
    let (festival, host) = find(db, actor, festival_id).await?;
    ensure_editable(festival.status)?;
    let items = clean_programme(items)?;
    let txn = db.begin().await?;
    replace_programme(&txn, festival_id, items.clone()).await?;
    let summary = format!("Sửa chương trình ({} mục)", items.len()); // "Programme edited (n lines)"
    audit::record(&txn, actor, Action::Update, "programme", festival_id, Some(&Place::of_host(&host)), summary).await?;
    txn.commit().await?;
    Ok(items)
}

/// Writes `items` (already checked) as the programme of `festival_id`.
pub(super) async fn replace_programme(
    db: &impl ConnectionTrait,
    festival_id: i32,
    items: Vec<ProgrammeItem>,
) -> AppResult<()> {
    let rows = items.into_iter().zip(0..).map(|(item, position)| programme_item::ActiveModel {
        festival_id: Set(festival_id),
        position: Set(position),
        part: Set(item.part),
        starts_at: Set(item.starts_at),
        title: Set(item.title),
        presenter: Set(item.presenter),
        ..Default::default()
    });
    replace_list(db, programme_item::Column::FestivalId, festival_id, rows.collect()).await?;
    Ok(())
}

fn clean_programme(items: Vec<ProgrammeItem>) -> AppResult<Vec<ProgrammeItem>> {
    check_count(items.len())?;
    let mut errors = FieldErrors::default();
    let cleaned: Vec<Option<ProgrammeItem>> = items
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            let title = errors.check(&format!("[{i}].title"), Line::<300>::parse(&item.title));
            let presenter =
                errors.check(&format!("[{i}].presenter"), Line::<200>::parse_optional(item.presenter.as_deref()));
            let starts_at = errors.check(&format!("[{i}].starts_at"), clock_time(item.starts_at.as_deref()));
            Some(ProgrammeItem {
                part: item.part,
                starts_at: starts_at?,
                title: title?.into_inner(),
                presenter: presenter?.map(Line::into_inner),
            })
        })
        .collect();
    errors.finish()?;
    Ok(cleaned.into_iter().flatten().collect())
}

/// `HH:MM` normalized to two digits each; blank → none.
fn clock_time(raw: Option<&str>) -> Result<Option<String>, String> {
    match raw.map(str::trim).filter(|text| !text.is_empty()) {
        None => Ok(None),
        Some(text) => parse_hhmm(text)
            .map(|(hour, minute)| Some(format!("{hour:02}:{minute:02}")))
            // "Write the time as HH:MM, 24-hour (e.g. 07:30)."
            .ok_or_else(|| "Giờ viết dạng HH:MM, 24 giờ (ví dụ 07:30).".to_owned()),
    }
}

/// Errors: 404 for an unknown festival.
pub async fn get_committee(
    db: &impl ConnectionTrait,
    actor: &Actor,
    festival_id: i32,
) -> AppResult<Vec<CommitteeMember>> {
    find(db, actor, festival_id).await?;
    committee_of(db, festival_id).await
}

/// The committee of a festival whose visibility the caller has settled (a page that has just
/// loaded the festival), without looking the festival up again.
pub async fn committee_of(db: &impl ConnectionTrait, festival_id: i32) -> AppResult<Vec<CommitteeMember>> {
    let rows = committee_member::Entity::find()
        .filter(committee_member::Column::FestivalId.eq(festival_id))
        .order_by_asc(committee_member::Column::Position)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|row| CommitteeMember { full_name: row.full_name, role: row.role, title: row.title })
        .collect())
}

/// Replaces the committee with `members` in one transaction; returns it as stored (cleaned).
/// Errors: 404; 409 when the festival can no longer be edited; 422 naming `[i].full_name`
/// or `[i].title`, or `items` when over 100 members.
pub async fn put_committee(
    db: &DatabaseConnection,
    actor: &Actor,
    festival_id: i32,
    members: Vec<CommitteeMember>,
) -> AppResult<Vec<CommitteeMember>> {
    let (festival, host) = find(db, actor, festival_id).await?;
    ensure_editable(festival.status)?;
    check_count(members.len())?;
    let mut errors = FieldErrors::default();
    let cleaned: Vec<Option<CommitteeMember>> = members
        .into_iter()
        .enumerate()
        .map(|(i, member)| {
            let full_name = errors.check(&format!("[{i}].full_name"), Line::<120>::parse(&member.full_name));
            let title = errors.check(&format!("[{i}].title"), Line::<200>::parse_optional(member.title.as_deref()));
            Some(CommitteeMember {
                full_name: full_name?.into_inner(),
                role: member.role,
                title: title?.map(Line::into_inner),
            })
        })
        .collect();
    errors.finish()?;
    let members: Vec<CommitteeMember> = cleaned.into_iter().flatten().collect();
    let rows = members.iter().cloned().zip(0..).map(|(member, position)| committee_member::ActiveModel {
        festival_id: Set(festival_id),
        position: Set(position),
        full_name: Set(member.full_name),
        role: Set(member.role),
        title: Set(member.title),
        ..Default::default()
    });
    let txn = db.begin().await?;
    replace_list(&txn, committee_member::Column::FestivalId, festival_id, rows.collect()).await?;
    let summary = format!("Sửa ban tổ chức ({} người)", members.len()); // "Committee edited (n people)"
    audit::record(&txn, actor, Action::Update, "committee", festival_id, Some(&Place::of_host(&host)), summary).await?;
    txn.commit().await?;
    Ok(members)
}

fn check_count(count: usize) -> AppResult<()> {
    if count > MAX_LINES {
        // "At most 100 lines."
        return Err(AppError::invalid("items", format!("Tối đa {MAX_LINES} dòng.")));
    }
    Ok(())
}
