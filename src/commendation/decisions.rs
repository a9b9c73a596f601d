//! Decisions (quyết định khen thưởng): an issuer commends a set of approved nominations under
//! one number `NN/QĐ-{symbol}`; each recipient gets a certificate with a register number
//! (số sổ vàng) and a verification code. Revocation keeps the numbers (Decree 30/2020).

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set, TransactionTrait,
};
use serde::Serialize;
use utoipa::ToSchema;

use super::issuers::{self, place_of};
use super::model::{
    AwardForm, Certificate, Decision, DecisionFilter, DecisionState, NewDecision, NominationState, NomineeKind,
    Revocation,
};
use super::nominations::check_medal;
use super::numbering::{self, Series, document_number};
use crate::auth::audit::{self, Action};
use crate::auth::model::{Actor, Scope};
use crate::codes::random_code;
use crate::entities::{certificate, decision, issuer, nomination};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::participants::names;
use crate::participants::sheet;
use crate::participants::transfer::{Download, XLSX};
use crate::text::{Line, fold, notes};
use crate::time::{format_dmy, local_date, to_local};

/// Verification codes have 20 letters of base 32: 100 random bits, unguessable even though
/// anyone may look codes up.
const VERIFY_CODE_LENGTH: usize = 20;

/// Legal basis printed when none is given: the law and its implementing decree.
const DEFAULT_LEGAL_BASIS: [&str; 2] = [
    "Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15 ngày 15 tháng 6 năm 2022;",
    "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định chi tiết thi hành một số điều của Luật Thi đua, khen thưởng;",
];

type LegalBasisLine = Line<500>;

/// A decision with its issuer. Errors: 404 when unknown or the issuer is outside the scope.
pub async fn find(db: &impl ConnectionTrait, actor: &Actor, id: i32) -> AppResult<(decision::Model, issuer::Model)> {
    // "No decision number …"
    let missing = || AppError::not_found(format!("Không tìm thấy quyết định số {id}."));
    let row = decision::Entity::find_by_id(id).one(db).await?.ok_or_else(missing)?;
    let issuer = issuer::Entity::find_by_id(row.issuer_id).one(db).await?.ok_or_else(missing)?;
    if actor.covers(&place_of(&issuer)) { Ok((row, issuer)) } else { Err(missing()) }
}

/// Signs a decision commending `nomination_ids` (approved nominations of the issuer, not yet
/// decided). The number is claimed inside the transaction ([`numbering::claim`]), so numbers
/// run 01, 02, … per issuer and year of `signed_on` without gaps, also under races between
/// app instances. Errors: 404 issuer; 403 (commune officer or higher over the issuer); 422
/// naming `signed_on` (in the future), `nomination_ids[i]` (unknown, other issuer, not
/// approved, already decided) or `legal_basis[i]`; 409 when a nomination was decided meanwhile
/// or a medal recipient already holds the medal.
pub async fn create(db: &DatabaseConnection, actor: &Actor, input: NewDecision) -> AppResult<Decision> {
    let issuer = issuers::find_to_manage(db, actor, input.issuer_id).await?;
    let mut errors = FieldErrors::default();
    if input.signed_on > local_date(Utc::now()) {
        errors.add("signed_on", "Ngày ký không được ở tương lai."); // "The signing date cannot be in the future."
    }
    if input.nomination_ids.is_empty() {
        errors.add("nomination_ids", "Chọn ít nhất một đề nghị đã duyệt."); // "Choose at least one approved nomination."
    }
    let legal_basis: Vec<String> = match &input.legal_basis {
        Some(lines) => lines
            .iter()
            .enumerate()
            .filter_map(|(i, line)| errors.check(&format!("legal_basis[{i}]"), LegalBasisLine::parse(line)))
            .map(LegalBasisLine::into_inner)
            .collect(),
        None => DEFAULT_LEGAL_BASIS.map(str::to_owned).to_vec(),
    };
    let rows =
        nomination::Entity::find().filter(nomination::Column::Id.is_in(input.nomination_ids.clone())).all(db).await?;
    let mut seen = HashSet::new();
    let mut chosen = Vec::with_capacity(rows.len());
    for (i, id) in input.nomination_ids.iter().enumerate() {
        let field = format!("nomination_ids[{i}]");
        let row = rows.iter().find(|row| row.id == *id);
        let problem = match row {
            _ if !seen.insert(*id) => Some("Đề nghị bị chọn hai lần.".to_owned()), // "Chosen twice."
            None => Some(format!("Không có đề nghị số {id}.")),                    // "No nomination …"
            Some(row) if row.issuer_id != issuer.id => Some(format!("Đề nghị số {id} gửi cơ quan khác.")),
            Some(row) if row.decision_id.is_some() => Some(format!("Đề nghị số {id} đã có quyết định.")),
            Some(row) if row.state != NominationState::Approved => {
                Some(format!("Đề nghị số {id} chưa được duyệt ({}).", row.state.label()))
            }
            Some(_) => None,
        };
        match (problem, row) {
            (Some(message), _) => errors.add(field, message),
            (None, Some(row)) => chosen.push(row.clone()),
            (None, None) => {}
        }
    }
    // The decision comes after the approvals it confirms.
    if let Some(approved) = chosen.iter().filter_map(|row| row.decided_at).max().map(local_date)
        && input.signed_on < approved
    {
        // "The signing date cannot be before the approval (dd/mm/yyyy)."
        errors.add("signed_on", format!("Ngày ký không được trước ngày duyệt đề nghị ({}).", format_dmy(approved)));
    }
    // The medal once per person: also not twice in this one decision.
    let mut medal_holders = HashSet::new();
    for (i, row) in chosen.iter().enumerate() {
        let medal = row.form == AwardForm::KyNiemChuong;
        if medal && row.cccd.as_ref().is_some_and(|cccd| !medal_holders.insert(cccd.clone())) {
            // "The same person (CCCD) receives the medal twice in this decision."
            errors.add(
                format!("nomination_ids[{i}]"),
                "Cùng một người (số CCCD) được đề nghị tặng kỷ niệm chương hai lần.",
            );
        }
    }
    errors.finish()?;
    let year = input.signed_on.year();
    let now = Utc::now();
    let txn = db.begin().await?;
    let sequence = numbering::claim(&txn, issuer.id, Series::Decision, year).await?;
    // Under the counter's lock: numbers of a year follow the signing dates, and the medal
    // check sees every decision of this issuer committed before.
    let latest = decision::Entity::find()
        .filter(decision::Column::IssuerId.eq(issuer.id))
        .filter(decision::Column::Year.eq(year))
        .order_by_desc(decision::Column::SignedOn)
        .one(&txn)
        .await?;
    if let Some(latest) = latest.filter(|latest| latest.signed_on > input.signed_on) {
        txn.rollback().await?;
        // "Decision … was signed on …; a later number cannot carry an earlier date."
        return Err(AppError::invalid(
            "signed_on",
            format!(
                "Quyết định {} đã ký ngày {}; số sau không thể mang ngày sớm hơn.",
                latest.number,
                format_dmy(latest.signed_on)
            ),
        ));
    }
    for row in &chosen {
        check_medal(&txn, row.form, row.kind, row.cccd.as_deref()).await?;
    }
    let created = decision::ActiveModel {
        issuer_id: Set(issuer.id),
        year: Set(year),
        sequence: Set(sequence),
        number: Set(document_number(sequence, "QĐ", &issuer.symbol)),
        signed_on: Set(input.signed_on),
        signer_name: Set(issuer.signer_name.clone()),
        signer_title: Set(issuer.signer_title.clone()),
        legal_basis: Set(serde_json::to_string(&legal_basis).map_err(anyhow::Error::from)?),
        state: Set(DecisionState::Active),
        created_by: Set(actor.user_id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    // Collectives first, then individuals, each in Vietnamese order: how decisions list them.
    chosen.sort_by_cached_key(|row| {
        let is_person = row.kind == NomineeKind::Individual;
        (is_person, names::recipient_key(&row.nominee_name, is_person))
    });
    for row in chosen {
        let register_number = numbering::claim(&txn, issuer.id, Series::Register, year).await?;
        certificate::ActiveModel {
            decision_id: Set(created.id),
            nomination_id: Set(row.id),
            issuer_id: Set(issuer.id),
            recipient: Set(row.nominee_name.clone()),
            kind: Set(row.kind),
            form: Set(row.form),
            posthumous: Set(row.posthumous),
            cccd: Set(row.cccd.clone()),
            achievement: Set(row.achievement.clone()),
            register_number: Set(register_number),
            verify_code: Set(random_code(VERIFY_CODE_LENGTH)),
            ..Default::default()
        }
        .insert(&txn)
        .await
        // "Nomination N was decided by someone else meanwhile."
        .map_err(|err| {
            AppError::from_unique(err, "nomination_ids", &format!("Đề nghị số {} vừa được quyết định.", row.id))
        })?;
        nomination::Entity::update(nomination::ActiveModel {
            id: Set(row.id),
            decision_id: Set(Some(created.id)),
            updated_at: Set(now),
            ..Default::default()
        })
        .exec(&txn)
        .await?;
    }
    let summary = format!("Ký quyết định {} ngày {}", created.number, format_dmy(created.signed_on)); // "Signed decision …"
    audit::record(&txn, actor, Action::Create, "decision", created.id, Some(&place_of(&issuer)), summary).await?;
    txn.commit().await?;
    present(db, created).await
}

/// Errors: 404.
pub async fn get(db: &impl ConnectionTrait, actor: &Actor, id: i32) -> AppResult<Decision> {
    present(db, find(db, actor, id).await?.0).await
}

/// The issuers whose decisions `scope` sees ([`find`]'s rule, as a condition on issuers);
/// `None` when it sees none (a host's scope).
pub fn issuers_seen(scope: &Scope) -> Option<Condition> {
    match scope {
        Scope::Country => Some(Condition::all()),
        Scope::Province(province) => Some(Condition::all().add(issuer::Column::ProvinceCode.eq(province.as_str()))),
        Scope::Commune { commune, .. } => Some(Condition::all().add(issuer::Column::UnitCode.eq(commune.as_str()))),
        Scope::Host { .. } => None,
    }
}

/// Decisions of the issuers in the actor's scope, by issuer and number. Errors: 404 issuer.
pub async fn list(db: &impl ConnectionTrait, actor: &Actor, filter: &DecisionFilter) -> AppResult<Vec<Decision>> {
    let Some(seen) = issuers_seen(&actor.scope) else { return Ok(Vec::new()) };
    let mut select = decision::Entity::find().inner_join(issuer::Entity).filter(seen);
    if let Some(issuer) = filter.issuer {
        select = select.filter(decision::Column::IssuerId.eq(issuer));
    }
    if let Some(year) = filter.year {
        select = select.filter(decision::Column::Year.eq(year));
    }
    let rows = select
        .order_by_asc(decision::Column::IssuerId)
        .order_by_desc(decision::Column::Year)
        .order_by_desc(decision::Column::Sequence)
        .all(db)
        .await?;
    let mut certificates: HashMap<i32, Vec<Certificate>> = HashMap::new();
    let ids: Vec<i32> = rows.iter().map(|row| row.id).collect();
    // One query for the certificates of every decision listed.
    for chunk in ids.chunks(500) {
        let found = certificate::Entity::find()
            .filter(certificate::Column::DecisionId.is_in(chunk.to_vec()))
            .order_by_asc(certificate::Column::RegisterNumber)
            .all(db)
            .await?;
        for row in found {
            certificates.entry(row.decision_id).or_default().push(present_certificate(row));
        }
    }
    let mut decisions: Vec<Decision> = rows
        .into_iter()
        .map(|row| {
            let certificates = certificates.remove(&row.id).unwrap_or_default();
            with_certificates(row, certificates)
        })
        .collect();
    if let Some(words) = filter.q.as_deref().map(fold).filter(|q| !q.trim().is_empty()) {
        decisions.retain(|decision| {
            let text = fold(&format!(
                "{} {}",
                decision.number,
                decision.certificates.iter().map(|c| c.recipient.as_str()).collect::<Vec<_>>().join(" ")
            ));
            words.split_whitespace().all(|word| text.contains(word))
        });
    }
    Ok(decisions)
}

/// Revokes a decision: its certificates stop being valid (verification says so); its number
/// and register numbers are never given again. Errors: 404; 403; 409 when already revoked;
/// 422 naming `reason`.
pub async fn revoke(db: &DatabaseConnection, actor: &Actor, id: i32, input: Revocation) -> AppResult<Decision> {
    let (row, issuer) = find(db, actor, id).await?;
    issuers::find_to_manage(db, actor, issuer.id).await?;
    let reason = notes(&input.reason, 2000).map_err(|message| AppError::invalid("reason", message))?;
    if reason.is_empty() {
        return Err(AppError::invalid("reason", "Hãy ghi lý do thu hồi.")); // "Give the reason for revoking."
    }
    let txn = db.begin().await?;
    let revoked = decision::Entity::update_many()
        .set(decision::ActiveModel {
            state: Set(DecisionState::Revoked),
            revoked_reason: Set(Some(reason)),
            revoked_by: Set(actor.user_id),
            revoked_at: Set(Some(Utc::now())),
            ..Default::default()
        })
        .filter(decision::Column::Id.eq(id))
        .filter(decision::Column::State.eq(DecisionState::Active))
        .exec(&txn)
        .await?;
    if revoked.rows_affected == 0 {
        // "Decision … has already been revoked."
        return Err(AppError::state_conflict(format!("Quyết định {} đã bị thu hồi.", row.number)));
    }
    let summary = format!("Thu hồi quyết định {}", row.number); // "Revoked decision …"
    audit::record(&txn, actor, Action::Status, "decision", id, Some(&place_of(&issuer)), summary).await?;
    txn.commit().await?;
    get(db, actor, id).await
}

/// The API view of a decision with its certificates, in register order.
async fn present(db: &impl ConnectionTrait, row: decision::Model) -> AppResult<Decision> {
    let certificates = certificate::Entity::find()
        .filter(certificate::Column::DecisionId.eq(row.id))
        .order_by_asc(certificate::Column::RegisterNumber)
        .all(db)
        .await?
        .into_iter()
        .map(present_certificate)
        .collect();
    Ok(with_certificates(row, certificates))
}

fn with_certificates(row: decision::Model, certificates: Vec<Certificate>) -> Decision {
    Decision {
        id: row.id,
        issuer_id: row.issuer_id,
        number: row.number,
        sequence: row.sequence,
        year: row.year,
        signed_on: row.signed_on,
        signer_name: row.signer_name,
        signer_title: row.signer_title,
        legal_basis: serde_json::from_str(&row.legal_basis).unwrap_or_default(),
        state: row.state,
        revoked_reason: row.revoked_reason,
        revoked_at: row.revoked_at.map(to_local),
        certificates,
    }
}

fn present_certificate(row: certificate::Model) -> Certificate {
    Certificate {
        id: row.id,
        decision_id: row.decision_id,
        recipient: row.recipient,
        kind: row.kind,
        form: row.form,
        posthumous: row.posthumous,
        achievement: row.achievement,
        register_number: row.register_number,
        verify_code: row.verify_code,
    }
}

/// One line of the register (sổ khen thưởng) of an issuer.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RegisterEntry {
    pub register_number: i32,
    pub recipient: String,
    pub kind: NomineeKind,
    pub form: super::model::AwardForm,
    pub posthumous: bool,
    pub decision_id: i32,
    pub decision_number: String,
    pub signed_on: chrono::NaiveDate,
    pub state: DecisionState,
}

/// The register of an issuer for a year: every certificate of its decisions signed that year,
/// recipients in Vietnamese order; `q` keeps those whose name or decision number contains
/// it (accent-insensitive). Errors: 404; 403.
pub async fn register(
    db: &impl ConnectionTrait,
    actor: &Actor,
    issuer_id: i32,
    year: i32,
    q: Option<&str>,
) -> AppResult<Vec<RegisterEntry>> {
    let issuer = issuers::find(db, actor, issuer_id).await?;
    actor.ensure_covers(&place_of(&issuer))?;
    entries_of(db, &issuer, year, q).await
}

/// The register lines of `issuer` for `year`, the scope already checked.
async fn entries_of(
    db: &impl ConnectionTrait,
    issuer: &issuer::Model,
    year: i32,
    q: Option<&str>,
) -> AppResult<Vec<RegisterEntry>> {
    let rows = certificate::Entity::find()
        .find_also_related(decision::Entity)
        .filter(certificate::Column::IssuerId.eq(issuer.id))
        .filter(decision::Column::Year.eq(year))
        .all(db)
        .await?;
    let words: Vec<String> = q.map(fold).unwrap_or_default().split_whitespace().map(str::to_owned).collect();
    let mut entries: Vec<RegisterEntry> = rows
        .into_iter()
        .filter_map(|(certificate, decision)| {
            let decision = decision?;
            let text = fold(&format!("{} {}", certificate.recipient, decision.number));
            words.iter().all(|word| text.contains(word.as_str())).then_some(RegisterEntry {
                register_number: certificate.register_number,
                recipient: certificate.recipient,
                kind: certificate.kind,
                form: certificate.form,
                posthumous: certificate.posthumous,
                decision_id: decision.id,
                decision_number: decision.number,
                signed_on: decision.signed_on,
                state: decision.state,
            })
        })
        .collect();
    // Collectives first, then individuals, as decisions list them.
    entries.sort_by_cached_key(|entry| {
        let is_person = entry.kind == NomineeKind::Individual;
        (is_person, names::recipient_key(&entry.recipient, is_person), entry.register_number)
    });
    Ok(entries)
}

/// [`register`] as an XLSX sheet with Vietnamese headings; recorded in the audit log.
pub async fn register_xlsx(db: &DatabaseConnection, actor: &Actor, issuer_id: i32, year: i32) -> AppResult<Download> {
    let issuer = issuers::find(db, actor, issuer_id).await?;
    actor.ensure_covers(&place_of(&issuer))?;
    let entries = entries_of(db, &issuer, year, None).await?;
    let rows: Vec<Vec<String>> = entries
        .iter()
        .map(|entry| {
            vec![
                entry.register_number.to_string(),
                entry.recipient.clone(),
                entry.kind.label().to_owned(),
                format!("{}{}", entry.form.label(), if entry.posthumous { " (truy tặng)" } else { "" }),
                entry.decision_number.clone(),
                format_dmy(entry.signed_on),
                entry.state.label().to_owned(),
            ]
        })
        .collect();
    // "Register no.", "Recipient", "Collective/individual", "Award", "Decision", "Signed on", "State"
    let headings =
        ["Số sổ vàng", "Người/tập thể được khen", "Loại", "Hình thức", "Số quyết định", "Ngày ký", "Hiệu lực"];
    let bytes = sheet::write_xlsx("Sổ khen thưởng", &headings, &rows).map_err(|err| anyhow::anyhow!(err))?;
    let summary = format!("Xuất sổ khen thưởng năm {year} ({} dòng)", rows.len()); // "Exported the register …"
    audit::record(db, actor, Action::Export, "issuer", issuer.id, Some(&place_of(&issuer)), summary).await?;
    Ok(Download { bytes, content_type: XLSX, filename: format!("so-khen-thuong-{}-{year}.xlsx", fold(&issuer.symbol)) })
}
