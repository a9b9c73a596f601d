//! Certificates of decisions as PDF (API.md, *Documents*): the data of each page, gathered
//! here, drawn by `documents::certificate`.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::decisions;
use super::model::{Authority, DecisionState};
use crate::auth::model::Actor;
use crate::documents::certificate::CertificateSheet;
use crate::entities::{certificate, decision, issuer};
use crate::error::{AppError, AppResult};

/// A People's Committee commends in its chairman's name (Law 06/2022/QH15, art. 75:
/// "Chủ tịch Ủy ban nhân dân cấp xã tặng giấy khen"); other bodies in their own.
fn is_peoples_committee(issuer: &issuer::Model) -> bool {
    crate::text::fold(&issuer.name).starts_with("uy ban nhan dan")
}

/// The sheet of one certificate of `decision`, issued by `issuer`.
fn sheet(
    row: certificate::Model,
    decision: &decision::Model,
    issuer: &issuer::Model,
    base_url: &str,
) -> CertificateSheet {
    let committee = is_peoples_committee(issuer);
    let name = issuer.name.to_uppercase();
    let authority_heading = if committee { format!("CHỦ TỊCH {name}") } else { name.clone() };
    let authority_line = match issuer.authority {
        Authority::OnBehalf if committee => "TM. ỦY BAN NHÂN DÂN".to_owned(),
        Authority::OnBehalf => format!("TM. {name}"),
        Authority::Deputy if committee => "KT. CHỦ TỊCH".to_owned(),
        Authority::Deputy => "KT. THỦ TRƯỞNG".to_owned(),
        Authority::Own => String::new(),
    };
    CertificateSheet {
        authority_heading,
        award: row.form.printed_title().to_owned(),
        recipient: row.recipient,
        posthumous: row.posthumous,
        achievement: row.achievement,
        decision_number: decision.number.clone(),
        signed_on: decision.signed_on,
        register_number: row.register_number,
        place_name: issuer.place_name.clone(),
        authority_line,
        signer_title: decision.signer_title.to_uppercase(),
        signer_name: decision.signer_name.clone(),
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

/// The sheet of certificate `id`. Errors: 404 when unknown or its issuer is outside the
/// scope; 409 when its decision was revoked.
pub async fn certificate_sheet(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i32,
    base_url: &str,
) -> AppResult<CertificateSheet> {
    // "No certificate number …"
    let missing = || AppError::not_found(format!("Không tìm thấy giấy khen số {id}."));
    let row = certificate::Entity::find_by_id(id).one(db).await?.ok_or_else(missing)?;
    // `decisions::find` answers 404 outside the scope, as the certificate does.
    let (decision, issuer) = decisions::find(db, actor, row.decision_id).await.map_err(|_| missing())?;
    ensure_in_force(&decision)?;
    Ok(sheet(row, &decision, &issuer, base_url))
}

/// The sheets of every certificate of decision `id`, in register order. Errors: 404; 409
/// when the decision was revoked.
pub async fn decision_sheets(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i32,
    base_url: &str,
) -> AppResult<Vec<CertificateSheet>> {
    let (decision, issuer) = decisions::find(db, actor, id).await?;
    ensure_in_force(&decision)?;
    let rows = certificate::Entity::find()
        .filter(certificate::Column::DecisionId.eq(decision.id))
        .order_by_asc(certificate::Column::RegisterNumber)
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|row| sheet(row, &decision, &issuer, base_url)).collect())
}
