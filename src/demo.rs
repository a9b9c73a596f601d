//! Demo data: Ho Chi Minh City, four of its communes with their people's committees (the
//! issuers of invitations and certificates), twenty hosts and their 2025 festivals in every
//! status, with committees, a timed programme and participants, one festival of next year open
//! for public registration with its invited guests, and a signed commendation decision of
//! Phường Tân Phú. Loaded through the same services as the API, so it obeys every rule.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate, Utc};
use sea_orm::{DatabaseConnection, Iterable};

use crate::areas::model::{HostKind, NewHost};
use crate::areas::{repo as areas_repo, service as areas};
use crate::auth::model::Actor;
use crate::commendation::model::{
    ActionInput, Authority, AwardForm, DecisionFilter, ModelKind, NewDecision, NewIssuer, NewModel, NewNomination,
    NominationAction, NomineeKind, UnitFilter,
};
use crate::commendation::{decisions, issuers, models, nominations};
use crate::error::AppError;
use crate::festivals::model::{CommitteeMember, CommitteeRole, FestivalChanges, FestivalStatus, NewFestival};
use crate::festivals::{programme, repo as festivals_repo, service as festivals};
use crate::participants::model::{NewParticipant, ParticipantRole, Sex};
use crate::participants::service as participants;
use crate::reports::summary::{self, ReportInput};
use crate::text::fold;
use crate::time::{VN_OFFSET, from_local, local_date, local_year};

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

/// The people's committee (Ủy ban nhân dân) of each demo commune, which issues the invitations
/// of the commune's festivals and its certificates: commune, name, place name, chairman.
const ISSUERS: &[(&str, &str, &str, &str)] = &[
    ("27031", "Ủy ban nhân dân phường Tân Phú", "Phường Tân Phú", "Nguyễn Văn Bình"),
    ("26743", "Ủy ban nhân dân phường Bến Thành", "Phường Bến Thành", "Trần Quốc Toản"),
    ("27553", "Ủy ban nhân dân xã Củ Chi", "Xã Củ Chi", "Lê Thị Kim Dung"),
    ("27664", "Ủy ban nhân dân xã Cần Giờ", "Xã Cần Giờ", "Phạm Văn Hải"),
];

const HEADS: &[&str] = &["Nguyễn Văn Hùng", "Trần Thị Mai", "Lê Minh Đức", "Phạm Thị Lan", "Võ Văn Tâm"];
const MEMBERS: &[&str] = &["Đặng Quốc Bảo", "Huỳnh Thị Ngọc", "Bùi Văn Long", "Đỗ Thị Hằng", "Ngô Thanh Sơn"];

/// Loads the demo data; a second run adds nothing. Returns a one-line summary.
pub async fn load(db: &DatabaseConnection) -> anyhow::Result<String> {
    let mut issuer_of = HashMap::new();
    for (commune, name, place_name, signer) in ISSUERS {
        issuer_of.insert(*commune, ensure_issuer(db, commune, name, place_name, signer).await?);
    }
    // Every status in turn, so each state shows up.
    let statuses: Vec<FestivalStatus> = FestivalStatus::iter().collect();
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
            // Before the status moves on: a cancelled or reported festival cannot be edited.
            set_issuer(db, festival_id, issuer_of[commune]).await?;
            let target = statuses[hosts % statuses.len()];
            advance(db, festival_id, target).await?;
        }
    }
    let open = open_festival(db, issuer_of[TAN_PHU]).await?;
    let decision = commend(db, issuer_of[TAN_PHU]).await?;
    Ok(format!(
        "Demo: {hosts} đơn vị tổ chức, {festivals_created} ngày hội mới; đăng ký công khai: /f/{open} \
         — quyết định khen thưởng {decision} (demo hosts, new festivals; public registration page; \
         commendation decision)."
    ))
}

/// Phường Tân Phú: the open festival and the decision are there.
const TAN_PHU: &str = "27031";

/// The commune's people's committee, created once; returns its id.
async fn ensure_issuer(
    db: &DatabaseConnection,
    commune: &str,
    name: &str,
    place_name: &str,
    signer: &str,
) -> anyhow::Result<i32> {
    let input = NewIssuer {
        name: name.to_owned(),
        parent_name: Some("Thành phố Hồ Chí Minh".to_owned()),
        unit_code: commune.to_owned(),
        symbol: "UBND".to_owned(),
        signer_name: signer.to_owned(),
        signer_title: "Chủ tịch".to_owned(),
        authority: Authority::OnBehalf,
        place_name: place_name.to_owned(),
    };
    match issuers::create(db, &Actor::system(), input).await {
        Ok(issuer) => Ok(issuer.id),
        // One issuer per unit and symbol: it is there from an earlier run.
        Err(AppError::Conflict { .. }) => {
            let filter = UnitFilter { unit: Some(commune.to_owned()), q: None };
            issuers::list(db, &Actor::system(), &filter)
                .await?
                .into_iter()
                .find(|issuer| issuer.unit_code == commune && issuer.symbol == "UBND")
                .map(|issuer| issuer.id)
                .ok_or_else(|| anyhow::anyhow!("issuer of {commune} vanished"))
        }
        Err(err) => Err(err.into()),
    }
}

/// Makes `issuer_id` the issuer of the festival's invitations.
async fn set_issuer(db: &DatabaseConnection, festival_id: i32, issuer_id: i32) -> anyhow::Result<()> {
    let changes = FestivalChanges { issuer_id: Some(Some(issuer_id)), ..FestivalChanges::default() };
    festivals::update(db, &Actor::system(), festival_id, changes).await?;
    Ok(())
}

/// The achievement printed on the demo certificates ("outstanding achievement in the
/// All-People Security movement in `year`").
fn achievement(year: i32) -> String {
    format!("Đã có thành tích xuất sắc trong phong trào Toàn dân bảo vệ an ninh Tổ quốc năm {year}")
}

/// The decision of Phường Tân Phú's committee commending, for [`FESTIVAL_YEAR`], Khu phố 3, the safe
/// neighbours' group of Khu phố 2 and two residents: nominated, reviewed by the council,
/// approved and signed today through the services, so its PDF and certificates print at once.
/// Returns its number; an issuer that already signed one is left as it is.
async fn commend(db: &DatabaseConnection, issuer_id: i32) -> anyhow::Result<String> {
    let system = Actor::system();
    let filter = DecisionFilter { issuer: Some(issuer_id), ..DecisionFilter::default() };
    if let Some(signed) = decisions::list(db, &system, &filter).await?.into_iter().next() {
        return Ok(signed.number);
    }
    let host_id = ensure_host(db, TAN_PHU, "Khu phố 3", HostKind::ResidentialArea).await?;
    // Commended for the movement of the festivals' year, at Khu phố 3's festival, so the
    // yearly summary of that year counts them.
    let festival = festivals_repo::find_by_host_year(db, host_id, FESTIVAL_YEAR).await?;
    let festival_id = festival.map(|festival| festival.id);
    let model_id = ensure_model(db, "Tổ liên gia an toàn Khu phố 2", "Khu phố 2").await?;
    let person = |name: &str, cccd: &str| NewNomination {
        festival_id,
        issuer_id,
        kind: Some(NomineeKind::Individual),
        nominee_name: Some(name.to_owned()),
        cccd: Some(cccd.to_owned()),
        achievement: achievement(FESTIVAL_YEAR),
        form: Some(AwardForm::GiayKhen),
        ..NewNomination::default()
    };
    let collective = |host_id, model_id| NewNomination {
        festival_id,
        issuer_id,
        host_id,
        model_id,
        achievement: achievement(FESTIVAL_YEAR),
        form: Some(AwardForm::GiayKhen),
        ..NewNomination::default()
    };
    let proposals = [
        collective(Some(host_id), None),
        collective(None, Some(model_id)),
        person("Nguyễn Thị Hồng", "079186001234"),
        person("Trần Văn Minh", "079075004321"),
    ];
    let council = ActionInput { votes_for: Some(9), votes_against: Some(0), ..ActionInput::default() };
    let mut approved = Vec::new();
    for proposal in proposals {
        let id = nominations::create(db, &system, proposal).await?.id;
        nominations::act(db, &system, id, NominationAction::Submit, ActionInput::default()).await?;
        nominations::act(db, &system, id, NominationAction::Review, council.clone()).await?;
        nominations::act(db, &system, id, NominationAction::Approve, ActionInput::default()).await?;
        approved.push(id);
    }
    let input =
        NewDecision { issuer_id, nomination_ids: approved, signed_on: local_date(Utc::now()), legal_basis: None };
    Ok(decisions::create(db, &system, input).await?.number)
}

/// The movement model `name` of the Phường Tân Phú host `host_name`, created once; its id.
async fn ensure_model(db: &DatabaseConnection, name: &str, host_name: &str) -> anyhow::Result<i32> {
    let host_id = ensure_host(db, TAN_PHU, host_name, HostKind::ResidentialArea).await?;
    let input = NewModel {
        name: name.to_owned(),
        host_id,
        kind: ModelKind::TuQuan,
        founded_year: Some(2018),
        members: Some(24),
    };
    match models::create(db, &Actor::system(), input).await {
        Ok(model) => Ok(model.id),
        Err(AppError::Conflict { .. }) => {
            let filter = UnitFilter { unit: Some(TAN_PHU.to_owned()), q: Some(name.to_owned()) };
            models::list(db, &Actor::system(), &filter)
                .await?
                .into_iter()
                .find(|model| model.host_id == host_id && model.name == name)
                .map(|model| model.id)
                .ok_or_else(|| anyhow::anyhow!("model {name} vanished"))
        }
        Err(err) => Err(err.into()),
    }
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

/// The invited officials and the residents of a 2025 festival.
async fn add_participants(db: &DatabaseConnection, festival_id: i32, seed: usize) -> anyhow::Result<()> {
    add_guests(db, festival_id, seed).await?;
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

/// The officials of [`GUESTS`], invited, each with an e-mail address.
async fn add_guests(db: &DatabaseConnection, festival_id: i32, seed: usize) -> anyhow::Result<()> {
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
    Ok(())
}

/// Khu phố 1's festival of next year, open for registration with 50 seats and a waitlist,
/// its invitations issued by `issuer_id` to the invited officials, so they can be printed and
/// e-mailed (the 2025 festivals are over); returns its slug.
async fn open_festival(db: &DatabaseConnection, issuer_id: i32) -> anyhow::Result<String> {
    let host_id = ensure_host(db, TAN_PHU, "Khu phố 1", HostKind::ResidentialArea).await?;
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
    let festival = match festivals::create(db, &Actor::system(), input).await {
        Ok(festival) => (festival.id, festival.slug, festival.issuer_id),
        Err(AppError::Conflict { .. }) => festivals_repo::find_by_host_year(db, host_id, year)
            .await?
            .map(|festival| (festival.id, festival.slug, festival.issuer_id))
            .ok_or_else(|| anyhow::anyhow!("festival of {year} vanished"))?,
        Err(err) => return Err(err.into()),
    };
    let (id, slug, issuer) = festival;
    // Also for a festival left by a run of an older demo, without issuer or guests.
    if issuer.is_none() {
        set_issuer(db, id, issuer_id).await?;
    }
    if participants::first_invited(db, id).await?.is_none() {
        add_guests(db, id, 0).await?;
    }
    Ok(slug)
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

/// The year of the demo's festivals in every status.
const FESTIVAL_YEAR: i32 = 2025;

/// Creates the host's festival of [`FESTIVAL_YEAR`]; `None` when it already has one.
async fn ensure_festival(db: &DatabaseConnection, host_id: i32, day: u32, hour: u32) -> anyhow::Result<Option<i32>> {
    let date = NaiveDate::from_ymd_opt(FESTIVAL_YEAR, 8, day).ok_or_else(|| anyhow::anyhow!("bad demo day {day}"))?;
    let starts_at = from_local(date, hour, 30).ok_or_else(|| anyhow::anyhow!("bad demo time"))?;
    let input = NewFestival {
        host_id,
        year: FESTIVAL_YEAR,
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
        // Reported with its figures, as the report form does it.
        FestivalStatus::Reported => &[FestivalStatus::Approved, FestivalStatus::Held],
        FestivalStatus::Cancelled => &[FestivalStatus::Cancelled],
    };
    for status in path {
        festivals::change_status(db, &Actor::system(), festival_id, *status).await?;
    }
    if target == FestivalStatus::Reported {
        let report = ReportInput {
            attendance: i64::from(120 + 37 * (festival_id % 9)),
            photos: Some(i64::from(20 + festival_id % 30)),
            // "Residents came in large numbers; the self-managed security team was introduced."
            notes: Some("Bà con đến đông; giới thiệu mô hình tổ tự quản an ninh trật tự.".to_owned()),
        };
        summary::put(db, &Actor::system(), festival_id, report).await?;
    }
    Ok(())
}
