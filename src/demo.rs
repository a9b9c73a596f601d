//! Demo data: Ho Chi Minh City, four of its communes, twenty hosts and their 2025 festivals
//! in every status, with committees, a timed programme and participants, and one festival of
//! next year open for public registration. Loaded through the same services as the API, so
//! it obeys every rule.

use chrono::{Duration, NaiveDate, Utc};
use sea_orm::DatabaseConnection;

use crate::areas::model::{HostKind, NewHost};
use crate::areas::{repo as areas_repo, service as areas};
use crate::auth::model::Actor;
use crate::error::AppError;
use crate::festivals::model::{CommitteeMember, CommitteeRole, FestivalStatus, NewFestival};
use crate::festivals::{programme, repo as festivals_repo, service as festivals};
use crate::participants::model::{NewParticipant, ParticipantRole, Sex};
use crate::participants::service as participants;
use crate::text::fold;
use crate::time::{VN_OFFSET, from_local, local_year};

/// Communes of Ho Chi Minh City (79) and the hosts in each.
const HOSTS: &[(&str, &[(&str, HostKind)])] = &[
    (
        "27031", // Phường Tân Phú
        &[
            ("Khu phố 1", HostKind::ResidentialArea),
            ("Khu phố 2", HostKind::ResidentialArea),
            ("Khu phố 3", HostKind::ResidentialArea),
            ("Trường THCS Tân Phú", HostKind::School),
            ("Công ty TNHH May Việt Tiến", HostKind::Enterprise),
        ],
    ),
    (
        "26743", // Phường Bến Thành
        &[
            ("Khu phố Bến Thành 1", HostKind::ResidentialArea),
            ("Khu phố Bến Thành 2", HostKind::ResidentialArea),
            ("Chợ Bến Thành", HostKind::Agency),
            ("Trường Tiểu học Lê Ngọc Hân", HostKind::School),
            ("Khu phố Bến Thành 3", HostKind::ResidentialArea),
        ],
    ),
    (
        "27553", // Xã Củ Chi
        &[
            ("Ấp Bàu Tre", HostKind::ResidentialArea),
            ("Ấp Phú Hiệp", HostKind::ResidentialArea),
            ("Ấp Chợ Củ", HostKind::ResidentialArea),
            ("Ấp Bến Đình", HostKind::ResidentialArea),
            ("Trường THPT Củ Chi", HostKind::School),
        ],
    ),
    (
        "27664", // Xã Cần Giờ
        &[
            ("Ấp Đồng Hòa", HostKind::ResidentialArea),
            ("Ấp Long Thạnh", HostKind::ResidentialArea),
            ("Ấp Hòa Hiệp", HostKind::ResidentialArea),
            ("Đồn Biên phòng Cần Giờ", HostKind::Agency),
            ("Hợp tác xã Nghêu Cần Giờ", HostKind::Enterprise),
        ],
    ),
];

const HEADS: &[&str] = &["Nguyễn Văn Hùng", "Trần Thị Mai", "Lê Minh Đức", "Phạm Thị Lan", "Võ Văn Tâm"];
const MEMBERS: &[&str] = &["Đặng Quốc Bảo", "Huỳnh Thị Ngọc", "Bùi Văn Long", "Đỗ Thị Hằng", "Ngô Thanh Sơn"];

/// Loads the demo data; a second run adds nothing. Returns a one-line summary.
pub async fn load(db: &DatabaseConnection) -> anyhow::Result<String> {
    let statuses = [
        FestivalStatus::Planned,
        FestivalStatus::Approved,
        FestivalStatus::Held,
        FestivalStatus::Reported,
        FestivalStatus::Cancelled,
    ];
    let (mut hosts, mut festivals_created) = (0, 0);
    for (commune, commune_hosts) in HOSTS {
        for (index, (name, kind)) in commune_hosts.iter().enumerate() {
            let host_id = ensure_host(db, commune, name, *kind).await?;
            hosts += 1;
            // Spread the festivals over 1 to 19 August, mornings and evenings.
            let day = 1 + (hosts * 7 % 19) as u32;
            let hour = if index % 2 == 0 { 7 } else { 19 };
            let Some(festival_id) = ensure_festival(db, host_id, day, hour).await? else { continue };
            festivals_created += 1;
            programme::put_committee(db, &Actor::system(), festival_id, committee(hosts)).await?;
            add_participants(db, festival_id, hosts).await?;
            let target = statuses[hosts % statuses.len()];
            advance(db, festival_id, target).await?;
        }
    }
    let open = open_festival(db).await?;
    Ok(format!(
        "Demo: {hosts} đơn vị tổ chức, {festivals_created} ngày hội mới; đăng ký công khai: /f/{open} \
         (demo hosts, new festivals; public registration page)."
    ))
}

/// Invited officials and residents of a demo festival.
const GUESTS: &[(&str, Sex, &str, &str)] = &[
    ("Nguyễn Thanh Bình", Sex::Male, "Chủ tịch Ủy ban nhân dân", "UBND phường"),
    ("Trần Thị Thu Hà", Sex::Female, "Trưởng Công an", "Công an phường"),
    ("Lê Quốc Khánh", Sex::Male, "Bí thư Đảng ủy", "Đảng ủy phường"),
];
const RESIDENTS: &[(&str, Sex)] = &[
    ("Phạm Văn Đông", Sex::Male),
    ("Hoàng Thị Ánh", Sex::Female),
    ("Đỗ Minh Châu", Sex::Female),
    ("Vũ Văn An", Sex::Male),
    ("Huỳnh Ngọc Yến", Sex::Female),
];

async fn add_participants(db: &DatabaseConnection, festival_id: i32, seed: usize) -> anyhow::Result<()> {
    for (i, (name, sex, title, organization)) in GUESTS.iter().enumerate() {
        let input = NewParticipant {
            full_name: (*name).to_owned(),
            sex: Some(*sex),
            role: ParticipantRole::Official,
            invited: Some(true),
            title: Some((*title).to_owned()),
            organization: Some((*organization).to_owned()),
            email: Some(format!("khach{}.{seed}@ngayhoi.local", i + 1)),
            ..NewParticipant::default()
        };
        participants::create(db, &Actor::system(), festival_id, input).await?;
    }
    for (i, (name, sex)) in RESIDENTS.iter().enumerate() {
        let input = NewParticipant {
            full_name: (*name).to_owned(),
            sex: Some(*sex),
            role: ParticipantRole::Resident,
            phone: Some(format!("09{:02}{:06}", seed, i)),
            ..NewParticipant::default()
        };
        participants::create(db, &Actor::system(), festival_id, input).await?;
    }
    Ok(())
}

/// Khu phố 1's festival of next year, open for registration with 50 seats and a waitlist;
/// returns its slug.
async fn open_festival(db: &DatabaseConnection) -> anyhow::Result<String> {
    let host_id = ensure_host(db, "27031", "Khu phố 1", HostKind::ResidentialArea).await?;
    let year = local_year(Utc::now()) + 1;
    let date = NaiveDate::from_ymd_opt(year, 8, 15).ok_or_else(|| anyhow::anyhow!("bad demo year {year}"))?;
    let starts_at = from_local(date, 19, 30).ok_or_else(|| anyhow::anyhow!("bad demo time"))?;
    let input = NewFestival {
        host_id,
        year,
        title: None,
        starts_at: starts_at.with_timezone(&VN_OFFSET),
        ends_at: (starts_at + Duration::hours(3)).with_timezone(&VN_OFFSET),
        venue: "Nhà văn hóa khu phố 1, 12 đường Lũy Bán Bích".to_owned(),
        capacity: Some(50),
        registration_open: Some(true),
        waitlist: Some(true),
        budget_note: None,
    };
    match festivals::create(db, &Actor::system(), input).await {
        Ok(festival) => Ok(festival.slug),
        Err(AppError::Conflict { .. }) => Ok(festivals_repo::find_by_host_year(db, host_id, year)
            .await?
            .map(|festival| festival.slug)
            .ok_or_else(|| anyhow::anyhow!("festival of {year} vanished"))?),
        Err(err) => Err(err.into()),
    }
}

async fn ensure_host(db: &DatabaseConnection, commune: &str, name: &str, kind: HostKind) -> anyhow::Result<i32> {
    let input = NewHost { name: name.to_owned(), kind, unit_code: commune.to_owned() };
    match areas::create_host(db, &Actor::system(), input).await {
        Ok(host) => Ok(host.id),
        Err(AppError::Conflict { .. }) => areas_repo::find_host_by_name(db, commune, &fold(name))
            .await?
            .map(|host| host.id)
            .ok_or_else(|| anyhow::anyhow!("host {name} vanished")),
        Err(err) => Err(err.into()),
    }
}

/// Creates the host's 2025 festival; `None` when it already has one.
async fn ensure_festival(db: &DatabaseConnection, host_id: i32, day: u32, hour: u32) -> anyhow::Result<Option<i32>> {
    let date = NaiveDate::from_ymd_opt(2025, 8, day).ok_or_else(|| anyhow::anyhow!("bad demo day {day}"))?;
    let starts_at = from_local(date, hour, 30).ok_or_else(|| anyhow::anyhow!("bad demo time"))?;
    let input = NewFestival {
        host_id,
        year: 2025,
        title: None,
        starts_at: starts_at.with_timezone(&VN_OFFSET),
        ends_at: (starts_at + Duration::hours(3)).with_timezone(&VN_OFFSET),
        venue: if hour == 7 { "Sân văn hóa".to_owned() } else { "Nhà văn hóa".to_owned() },
        capacity: day.is_multiple_of(3).then_some(200),
        registration_open: Some(day.is_multiple_of(2)),
        waitlist: None,
        budget_note: None,
    };
    match festivals::create(db, &Actor::system(), input).await {
        Ok(festival) => Ok(Some(festival.id)),
        Err(AppError::Conflict { .. }) => Ok(None),
        Err(err) => Err(err.into()),
    }
}

fn committee(seed: usize) -> Vec<CommitteeMember> {
    let member = |name: &str, role, title: &str| CommitteeMember {
        full_name: name.to_owned(),
        role,
        title: Some(title.to_owned()),
    };
    vec![
        member(HEADS[seed % HEADS.len()], CommitteeRole::Head, "Bí thư Chi bộ"),
        member(MEMBERS[seed % MEMBERS.len()], CommitteeRole::Deputy, "Trưởng khu phố"),
        member(MEMBERS[(seed + 1) % MEMBERS.len()], CommitteeRole::Member, "Cảnh sát khu vực"),
        member(MEMBERS[(seed + 2) % MEMBERS.len()], CommitteeRole::Secretary, "Chi hội trưởng Phụ nữ"),
    ]
}

/// Moves a new festival along the allowed path up to `target`.
async fn advance(db: &DatabaseConnection, festival_id: i32, target: FestivalStatus) -> anyhow::Result<()> {
    let path: &[FestivalStatus] = match target {
        FestivalStatus::Planned => &[],
        FestivalStatus::Approved => &[FestivalStatus::Approved],
        FestivalStatus::Held => &[FestivalStatus::Approved, FestivalStatus::Held],
        FestivalStatus::Reported => &[FestivalStatus::Approved, FestivalStatus::Held, FestivalStatus::Reported],
        FestivalStatus::Cancelled => &[FestivalStatus::Cancelled],
    };
    for status in path {
        festivals::change_status(db, &Actor::system(), festival_id, *status).await?;
    }
    Ok(())
}
