//! The printed documents of an issuer (API.md, *Documents*): what its letterhead, authority
//! heading and signature block say, and the data of certificates and decisions, gathered here
//! and drawn by `documents`.

use chrono::{Datelike, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::model::{Authority, AwardForm, DecisionState, NomineeKind};
use super::numbering::document_number;
use super::{decisions, issuers};
use crate::auth::model::Actor;
use crate::documents::certificate::{BlankLayout, CertificateSheet, Paper};
use crate::documents::decision::{DecisionDocument, Recipient};
use crate::documents::layout::{Letterhead, Signature};
use crate::documents::summary::Reporter;
use crate::entities::{certificate, decision, issuer, nomination};
use crate::error::{AppError, AppResult};
use crate::time::local_date;

/// A People's Committee commends in its chairman's name (Law 06/2022/QH15, art. 75:
/// "Chủ tịch Ủy ban nhân dân cấp xã tặng giấy khen"); other bodies in their own.
fn is_peoples_committee(issuer: &issuer::Model) -> bool {
    crate::text::fold(&issuer.name).starts_with("uy ban nhan dan")
}

/// "CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG TÂN PHÚ" for a People's Committee, the body's name in
/// capitals for others: who grants the award and signs the decision.
pub fn authority_heading(issuer: &issuer::Model) -> String {
    let name = issuer.name.to_uppercase();
    if is_peoples_committee(issuer) { format!("CHỦ TỊCH {name}") } else { name }
}

/// The signature block of a document signed by `signer_name`, `signer_title` for `issuer`
/// (Decree 30/2020, Appendix I, item 7: "TM." on behalf of a collective body, "KT." for a
/// deputy signing for the head). `chairman` marks the documents a People's Committee's
/// chairman issues in their own name (decisions and certificates, Law 06/2022, art. 75):
/// they carry no "TM. ỦY BAN NHÂN DÂN", the chairman signs as "CHỦ TỊCH".
pub fn signature(issuer: &issuer::Model, signer_title: &str, signer_name: &str, chairman: bool) -> Signature {
    let committee = is_peoples_committee(issuer);
    let authority_line = match issuer.authority {
        Authority::OnBehalf if committee && chairman => String::new(),
        Authority::OnBehalf if committee => "TM. ỦY BAN NHÂN DÂN".to_owned(),
        Authority::OnBehalf => format!("TM. {}", issuer.name.to_uppercase()),
        Authority::Deputy if committee => "KT. CHỦ TỊCH".to_owned(),
        Authority::Deputy => "KT. THỦ TRƯỞNG".to_owned(),
        Authority::Own => String::new(),
    };
    Signature { authority_line, signer_title: signer_title.to_uppercase(), signer_name: signer_name.to_owned() }
}

/// The letterhead of a document of `issuer` numbered `number`, dated `date`.
pub fn letterhead(issuer: &issuer::Model, number: String, date: chrono::NaiveDate) -> Letterhead {
    Letterhead {
        parent_name: issuer.parent_name.clone(),
        issuer_name: issuer.name.clone(),
        number,
        place_name: issuer.place_name.clone(),
        date,
    }
}

/// The body a report on unit `code` is made in the name of: its People's Committee, else the
/// first of its issuers; `None` when the unit has none.
pub async fn reporting_issuer(db: &impl ConnectionTrait, code: &str) -> AppResult<Option<issuer::Model>> {
    let issuers = issuer::Entity::find()
        .filter(issuer::Column::UnitCode.eq(code))
        .order_by_asc(issuer::Column::Id)
        .all(db)
        .await?;
    let committee = issuers.iter().position(is_peoples_committee).unwrap_or(0);
    Ok(issuers.into_iter().nth(committee))
}

/// `issuer` as the maker of a report (báo cáo, "BC" in its number): its name and its head's
/// signature on behalf of the body. The number is left blank, for the clerk to write in
/// when the report is signed and registered.
pub fn reporter(issuer: &issuer::Model) -> Reporter {
    Reporter {
        parent_name: issuer.parent_name.clone(),
        name: issuer.name.clone(),
        number: format!("      /BC-{}", issuer.symbol),
        signature: signature(issuer, &issuer.signer_title, &issuer.signer_name, false),
    }
}

/// The positions of certificate fields on the issuer's pre-printed blanks: its own, or the
/// default layout's.
pub fn blank_layout(issuer: &issuer::Model) -> BlankLayout {
    issuer.blank_layout.as_deref().and_then(|json| serde_json::from_str(json).ok()).unwrap_or_default()
}

/// The paper to print an issuer's certificates on: plain, or its blanks when `blank`.
pub fn paper(issuer: &issuer::Model, blank: bool) -> Paper {
    if blank { Paper::Blank(blank_layout(issuer)) } else { Paper::Plain }
}

/// The sheet of one certificate of `decision`, issued by `issuer`.
fn sheet(
    row: certificate::Model,
    decision: &decision::Model,
    issuer: &issuer::Model,
    base_url: &str,
) -> CertificateSheet {
    CertificateSheet {
        authority_heading: authority_heading(issuer),
        award: row.form.printed_title().to_owned(),
        recipient: row.recipient,
        posthumous: row.posthumous,
        achievement: row.achievement,
        decision_number: decision.number.clone(),
        signed_on: decision.signed_on,
        register_number: row.register_number,
        place_name: issuer.place_name.clone(),
        signature: signature(issuer, &decision.signer_title, &decision.signer_name, true),
        verify_url: format!("{base_url}/verify/{}", row.verify_code),
    }
}

/// Errors: 409 when the decision was revoked: its certificates are no longer valid.
fn ensure_in_force(decision: &decision::Model) -> AppResult<()> {
    match decision.state {
        DecisionState::Active => Ok(()),
        // "Decision … was revoked; its certificates are not printed."
        DecisionState::Revoked => {
            Err(AppError::state_conflict(format!("Quyết định {} đã bị thu hồi; không in giấy khen.", decision.number)))
        }
    }
}

/// Certificates ready to draw, with the paper of their issuer.
pub struct CertificateBatch {
    pub sheets: Vec<CertificateSheet>,
    pub paper: Paper,
}

/// Certificate `id`, on plain paper or the issuer's blanks. Errors: 404 when unknown or its
/// issuer is outside the scope; 409 when its decision was revoked.
pub async fn certificate_sheet(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i32,
    base_url: &str,
    blank: bool,
) -> AppResult<CertificateBatch> {
    // "No certificate number …"
    let missing = || AppError::not_found(format!("Không tìm thấy giấy khen số {id}."));
    let row = certificate::Entity::find_by_id(id).one(db).await?.ok_or_else(missing)?;
    // `decisions::find` answers 404 outside the scope, as the certificate does.
    let (decision, issuer) = decisions::find(db, actor, row.decision_id).await.map_err(|_| missing())?;
    ensure_in_force(&decision)?;
    Ok(CertificateBatch { paper: paper(&issuer, blank), sheets: vec![sheet(row, &decision, &issuer, base_url)] })
}

/// Every certificate of decision `id`, in register order. Errors: 404; 409 when the decision
/// was revoked.
pub async fn decision_sheets(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i32,
    base_url: &str,
    blank: bool,
) -> AppResult<CertificateBatch> {
    let (decision, issuer) = decisions::find(db, actor, id).await?;
    ensure_in_force(&decision)?;
    let sheets = certificates_of(db, decision.id)
        .await?
        .into_iter()
        .map(|row| sheet(row, &decision, &issuer, base_url))
        .collect();
    Ok(CertificateBatch { sheets, paper: paper(&issuer, blank) })
}

/// A made-up certificate on the blanks of issuer `id`, at its positions: printed on one blank
/// to check them before the real ones. Errors: 404 when unknown or not visible to the actor.
pub async fn blank_sample(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i32,
    base_url: &str,
) -> AppResult<CertificateBatch> {
    let issuer = issuers::find(db, actor, id).await?;
    let today = local_date(Utc::now());
    let sheet = CertificateSheet {
        authority_heading: authority_heading(&issuer),
        award: AwardForm::GiayKhen.printed_title().to_owned(),
        // "Nguyễn Văn Mẫu": a name that says it is a sample (mẫu).
        recipient: "Nguyễn Văn Mẫu".to_owned(),
        posthumous: false,
        // "Achieved excellent results in the All-People Security movement of {year}"
        achievement: format!(
            "Đã có thành tích xuất sắc trong phong trào Toàn dân bảo vệ an ninh Tổ quốc năm {}",
            today.year()
        ),
        decision_number: document_number(1, "QĐ", &issuer.symbol),
        signed_on: today,
        register_number: 1,
        place_name: issuer.place_name.clone(),
        signature: signature(&issuer, &issuer.signer_title, &issuer.signer_name, true),
        // No certificate has this code: scanning the sample says so.
        verify_url: format!("{base_url}/verify/MAU"),
    };
    Ok(CertificateBatch { sheets: vec![sheet], paper: paper(&issuer, true) })
}

/// How many certificates decision `id` has (the pages of its batch). Errors: 404.
pub async fn decision_certificate_count(db: &impl ConnectionTrait, actor: &Actor, id: i32) -> AppResult<usize> {
    let (decision, _) = decisions::find(db, actor, id).await?;
    ensure_in_force(&decision)?;
    Ok(certificates_of(db, decision.id).await?.len())
}

async fn certificates_of(db: &impl ConnectionTrait, decision_id: i32) -> AppResult<Vec<certificate::Model>> {
    Ok(certificate::Entity::find()
        .filter(certificate::Column::DecisionId.eq(decision_id))
        .order_by_asc(certificate::Column::RegisterNumber)
        .all(db)
        .await?)
}

/// The decision document itself (quyết định), also once revoked (marked so): it stays on
/// record. Errors: 404.
pub async fn decision_document(db: &impl ConnectionTrait, actor: &Actor, id: i32) -> AppResult<DecisionDocument> {
    let (decision, issuer) = decisions::find(db, actor, id).await?;
    let recipients = certificates_of(db, decision.id)
        .await?
        .into_iter()
        .map(|row| Recipient {
            collective: row.kind == NomineeKind::Collective,
            name: if row.posthumous { format!("{} (truy tặng)", row.recipient) } else { row.recipient },
            award: row.form.label().to_owned(),
            register_number: row.register_number,
        })
        .collect();
    // The movement year the awards are for: that of the nominations, not of the signing
    // (a decision of January 2026 commends 2025).
    let rows = certificates_of(db, decision.id).await?;
    let nomination_ids: Vec<i32> = rows.iter().map(|row| row.nomination_id).collect();
    let year = nomination::Entity::find()
        .filter(nomination::Column::Id.is_in(nomination_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|row| row.year)
        .max()
        .unwrap_or(decision.year);
    let committee = is_peoples_committee(&issuer);
    Ok(DecisionDocument {
        letterhead: letterhead(&issuer, decision.number.clone(), decision.signed_on),
        // "On commendation in the All-People Security movement of {year}"
        subject: format!("Về việc khen thưởng trong phong trào Toàn dân bảo vệ an ninh Tổ quốc năm {year}"),
        authority_heading: authority_heading(&issuer),
        legal_basis: serde_json::from_str(&decision.legal_basis).unwrap_or_default(),
        achievement: format!("xuất sắc trong phong trào Toàn dân bảo vệ an ninh Tổ quốc năm {year}"),
        recipients,
        // "The office of the committee" / "The emulation and commendation staff of the body"
        executors: if committee {
            format!("Văn phòng {}", issuer.name)
        } else {
            format!("Bộ phận thi đua, khen thưởng của {}", issuer.name)
        },
        revoked_reason: match decision.state {
            DecisionState::Revoked => Some(decision.revoked_reason.clone().unwrap_or_default()),
            DecisionState::Active => None,
        },
        signature: signature(&issuer, &decision.signer_title, &decision.signer_name, true),
    })
}
