//! Public verification of a printed document by the code in its QR (API.md, *Documents*):
//! anyone holding a certificate or invitation can check it, and learns nothing personal
//! beyond the name printed on it (no CCCD, phone or e-mail; Decree 13/2023).

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::model::{DecisionState, Verification, VerifiedKind};
use crate::codes::normalize_code;
use crate::entities::{certificate, decision, festival, host, issuer, nomination, participant};
use crate::error::{AppError, AppResult};
use crate::festivals::model::FestivalStatus;
use crate::time::{format_dmy, local_date};

/// What the code of a certificate (verification code) or invitation (check-in code) stands
/// for. Errors: 404 when no document has it.
pub async fn verify(db: &impl ConnectionTrait, raw_code: &str) -> AppResult<Verification> {
    let code = normalize_code(raw_code);
    // "No document has this code; check that it was typed correctly."
    let missing = || AppError::not_found("Không có giấy tờ nào mang mã này; hãy kiểm tra lại mã.");
    if code.is_empty() || code.len() > 32 {
        return Err(missing());
    }
    let found = certificate::Entity::find()
        .find_also_related(decision::Entity)
        .filter(certificate::Column::VerifyCode.eq(code.as_str()))
        .one(db)
        .await?;
    if let Some((certificate, Some(decision))) = found {
        let issuer = issuer::Entity::find_by_id(certificate.issuer_id).one(db).await?;
        let award = format!("{}{}", certificate.form.label(), if certificate.posthumous { " (truy tặng)" } else { "" });
        let nominated = nomination::Entity::find_by_id(certificate.nomination_id).one(db).await?;
        let festival = match nominated.and_then(|row| row.festival_id) {
            Some(id) => match festival::Entity::find_by_id(id).one(db).await? {
                Some(festival) => Some(festival_line(db, &festival).await?),
                None => None,
            },
            None => None,
        };
        return Ok(Verification {
            valid: decision.state == DecisionState::Active,
            kind: VerifiedKind::Certificate,
            recipient: certificate.recipient,
            award: Some(award),
            decision_number: Some(decision.number),
            festival,
            issuer: issuer.map(|issuer| issuer.name),
            issued_on: decision.signed_on,
            revoked_reason: decision.revoked_reason,
        });
    }
    let invited = participant::Entity::find()
        .find_also_related(festival::Entity)
        .filter(participant::Column::CheckinCode.eq(code.as_str()))
        .one(db)
        .await?;
    match invited {
        Some((person, Some(festival))) => Ok(Verification {
            festival: Some(festival_line(db, &festival).await?),
            valid: festival.status != FestivalStatus::Cancelled,
            kind: VerifiedKind::Invitation,
            recipient: person.full_name,
            award: None,
            decision_number: None,
            issuer: None,
            issued_on: local_date(person.created_at),
            // "The festival was cancelled."
            revoked_reason: (festival.status == FestivalStatus::Cancelled).then(|| "Ngày hội đã bị hủy.".to_owned()),
        }),
        _ => Err(missing()),
    }
}

/// "Title (host, dd/mm/yyyy)": every festival has the same yearly title, the host and date
/// tell them apart.
async fn festival_line(db: &impl ConnectionTrait, festival: &festival::Model) -> AppResult<String> {
    let host = host::Entity::find_by_id(festival.host_id).one(db).await?;
    let date = format_dmy(local_date(festival.starts_at));
    Ok(match host {
        Some(host) => format!("{} ({}, {date})", festival.title, host.name),
        None => format!("{} ({date})", festival.title),
    })
}
