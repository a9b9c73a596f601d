//! Issuers: the bodies that grant awards and sign decisions (DOMAIN.md, *Commendation*).

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set, TransactionTrait,
};

use super::model::{Issuer, IssuerChanges, NewIssuer, UnitFilter};
use crate::areas::model::UnitLevel;
use crate::areas::service::find_unit;
use crate::auth::audit::{self, Action};
use crate::auth::model::{Actor, Place, Role, Scope};
use crate::documents::certificate::{BlankLayout, HEIGHT, WIDTH};
use crate::entities::{admin_unit, issuer};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::list::search_key;
use crate::text::{Line, fold};

pub type IssuerName = Line<200>;
pub type SignerName = Line<100>;
pub type PlaceName = Line<100>;

/// Where an issuer stands on the map: its province, and its commune for commune bodies.
pub fn place_of(issuer: &issuer::Model) -> Place {
    let commune = (issuer.unit_code != issuer.province_code).then(|| issuer.unit_code.clone());
    Place { province: issuer.province_code.clone(), commune, host_id: None }
}

/// Whether `actor` may see the issuer: it is in the actor's scope (they run it) or above the
/// actor's scope (they propose to it).
pub fn visible_to(actor: &Actor, issuer: &issuer::Model) -> bool {
    let place = place_of(issuer);
    actor.covers(&place) || actor.works_within(&place)
}

/// Errors: 404 when unknown or not visible to the actor.
pub async fn find(db: &impl ConnectionTrait, actor: &Actor, id: i32) -> AppResult<issuer::Model> {
    // "No issuer number …"
    let missing = || AppError::not_found(format!("Không tìm thấy cơ quan khen thưởng số {id}."));
    let found = issuer::Entity::find_by_id(id).one(db).await?.ok_or_else(missing)?;
    if visible_to(actor, &found) { Ok(found) } else { Err(missing()) }
}

/// [`find`], for changing the issuer or deciding in its name: a commune officer or higher
/// whose scope holds the issuer. Errors: 404; 403.
pub async fn find_to_manage(db: &impl ConnectionTrait, actor: &Actor, id: i32) -> AppResult<issuer::Model> {
    let found = find(db, actor, id).await?;
    actor.ensure_role(Role::Commune)?;
    actor.ensure_covers(&place_of(&found))?;
    Ok(found)
}

pub fn present(row: issuer::Model) -> Issuer {
    let blank_layout = super::printing::blank_layout(&row);
    Issuer {
        blank_layout,
        blank_layout_custom: row.blank_layout.is_some(),
        id: row.id,
        name: row.name,
        parent_name: row.parent_name,
        unit_code: row.unit_code,
        symbol: row.symbol,
        signer_name: row.signer_name,
        signer_title: row.signer_title,
        authority: row.authority,
        place_name: row.place_name,
    }
}

/// Errors: 422 naming `blank_layout.{field}` when a position is off the A4 landscape sheet.
fn check_layout(layout: BlankLayout) -> AppResult<BlankLayout> {
    match layout.off_sheet() {
        // "Outside the sheet (x 0–297 mm, y 0–210 mm)."
        Some(field) => Err(AppError::invalid(
            format!("blank_layout.{field}"),
            format!("Vị trí nằm ngoài tờ giấy (x từ 0 đến {} mm, y từ 0 đến {} mm).", WIDTH, HEIGHT),
        )),
        None => Ok(layout),
    }
}

/// A document symbol: 2 to 20 capital letters (Đ included) or digits, e.g. `UBND`, `CAX`.
fn parse_symbol(raw: &str) -> Result<String, String> {
    let symbol = crate::text::clean(raw).to_uppercase();
    let letters = symbol.chars().count();
    if (2..=20).contains(&letters) && symbol.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == 'Đ')
    {
        Ok(symbol)
    } else {
        // "2 to 20 capital letters or digits, e.g. UBND, CAX."
        Err("Ký hiệu gồm 2 đến 20 chữ in hoa hoặc chữ số, ví dụ UBND, CAX.".into())
    }
}

// "This unit already has an issuer with this symbol: their decisions would share numbers."
const SAME_SYMBOL: &str =
    "Đơn vị này đã có cơ quan khen thưởng mang ký hiệu này; số quyết định của hai cơ quan sẽ trùng nhau.";

/// Validated issuer fields, in storage form.
struct Valid {
    name: String,
    parent_name: Option<String>,
    symbol: String,
    signer_name: String,
    signer_title: String,
    place_name: String,
}

fn validate(
    name: &str,
    parent_name: Option<&str>,
    symbol: &str,
    signer_name: &str,
    signer_title: &str,
    place_name: &str,
    mut errors: FieldErrors,
) -> AppResult<Valid> {
    let name = errors.check("name", IssuerName::parse(name));
    let parent_name = errors.check("parent_name", IssuerName::parse_optional(parent_name));
    let symbol = errors.check("symbol", parse_symbol(symbol));
    let signer_name = errors.check("signer_name", SignerName::parse(signer_name));
    let signer_title = errors.check("signer_title", SignerName::parse(signer_title));
    let place_name = errors.check("place_name", PlaceName::parse(place_name));
    let (Some(name), Some(parent_name), Some(symbol), Some(signer_name), Some(signer_title), Some(place_name), true) =
        (name, parent_name, symbol, signer_name, signer_title, place_name, errors.is_empty())
    else {
        return Err(errors.into());
    };
    Ok(Valid {
        name: name.into_inner(),
        parent_name: parent_name.map(Line::into_inner),
        symbol,
        signer_name: signer_name.into_inner(),
        signer_title: signer_title.into_inner(),
        place_name: place_name.into_inner(),
    })
}

/// Registers an issuer of a province or commune. Needs a commune officer or higher whose
/// scope holds the unit. Errors: 422 per field (`unit_code` unknown, `symbol` …); 403; 409
/// naming `symbol` when the unit has an issuer with that symbol.
pub async fn create(db: &DatabaseConnection, actor: &Actor, input: NewIssuer) -> AppResult<Issuer> {
    actor.ensure_role(Role::Commune)?;
    let mut errors = FieldErrors::default();
    let unit = match find_unit(db, &input.unit_code).await {
        Ok(unit) => Some(unit),
        Err(AppError::NotFound(message)) => {
            errors.add("unit_code", message);
            None
        }
        Err(err) => return Err(err),
    };
    let valid = validate(
        &input.name,
        input.parent_name.as_deref(),
        &input.symbol,
        &input.signer_name,
        &input.signer_title,
        &input.place_name,
        errors,
    )?;
    let unit = unit.ok_or_else(|| AppError::invalid("unit_code", "Không có đơn vị hành chính này."))?;
    let place = Place::of_unit(&unit);
    actor.ensure_covers(&place)?;
    let now = Utc::now();
    let txn = db.begin().await?;
    let created = issuer::ActiveModel {
        name: Set(valid.name),
        parent_name: Set(valid.parent_name),
        unit_code: Set(unit.code.clone()),
        province_code: Set(place.province.clone()),
        symbol: Set(valid.symbol),
        signer_name: Set(valid.signer_name),
        signer_title: Set(valid.signer_title),
        authority: Set(input.authority),
        place_name: Set(valid.place_name),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|err| AppError::from_unique(err, "symbol", SAME_SYMBOL))?;
    let summary = format!("Tạo cơ quan khen thưởng {}", created.name); // "Created issuer …"
    audit::record(&txn, actor, Action::Create, "issuer", created.id, Some(&place), summary).await?;
    txn.commit().await?;
    Ok(present(created))
}

/// Errors: 404.
pub async fn get(db: &impl ConnectionTrait, actor: &Actor, id: i32) -> AppResult<Issuer> {
    Ok(present(find(db, actor, id).await?))
}

/// Issuers the actor runs or proposes to; `filter.unit` narrows to a province (with its
/// communes) or a commune, `filter.q` to names containing it. Errors: 404 unknown unit.
pub async fn list(db: &impl ConnectionTrait, actor: &Actor, filter: &UnitFilter) -> AppResult<Vec<Issuer>> {
    let mut select = issuer::Entity::find();
    select = match &actor.scope {
        Scope::Country => select,
        Scope::Province(province) => select.filter(issuer::Column::ProvinceCode.eq(province.as_str())),
        Scope::Commune { province, commune } | Scope::Host { province, commune, .. } => select.filter(
            Condition::any()
                .add(issuer::Column::UnitCode.eq(commune.as_str()))
                .add(issuer::Column::UnitCode.eq(province.as_str())),
        ),
    };
    if let Some(code) = &filter.unit {
        let unit: admin_unit::Model = find_unit(db, code).await?;
        select = match unit.level {
            UnitLevel::Province => select.filter(issuer::Column::ProvinceCode.eq(unit.code)),
            UnitLevel::Commune => select.filter(issuer::Column::UnitCode.eq(unit.code)),
        };
    }
    let rows = select.order_by_asc(issuer::Column::ProvinceCode).order_by_asc(issuer::Column::Id).all(db).await?;
    // A scope has a handful of issuers, and their names no stored key: matched here.
    let search = search_key(filter.q.as_deref());
    let wanted = |row: &issuer::Model| search.as_ref().is_none_or(|key| fold(&row.name).contains(key.as_str()));
    Ok(rows.into_iter().filter(wanted).map(present).collect())
}

/// Applies `changes`. Errors: 404; 403; 422 per field.
pub async fn update(db: &DatabaseConnection, actor: &Actor, id: i32, changes: IssuerChanges) -> AppResult<Issuer> {
    let current = find_to_manage(db, actor, id).await?;
    let valid = validate(
        changes.name.as_deref().unwrap_or(&current.name),
        changes.parent_name.as_deref().or(current.parent_name.as_deref()),
        changes.symbol.as_deref().unwrap_or(&current.symbol),
        changes.signer_name.as_deref().unwrap_or(&current.signer_name),
        changes.signer_title.as_deref().unwrap_or(&current.signer_title),
        changes.place_name.as_deref().unwrap_or(&current.place_name),
        FieldErrors::default(),
    )?;
    let place = place_of(&current);
    let mut active: issuer::ActiveModel = current.into();
    active.name = Set(valid.name);
    active.parent_name = Set(valid.parent_name);
    active.symbol = Set(valid.symbol);
    active.signer_name = Set(valid.signer_name);
    active.signer_title = Set(valid.signer_title);
    active.place_name = Set(valid.place_name);
    if let Some(authority) = changes.authority {
        active.authority = Set(authority);
    }
    if let Some(layout) = changes.blank_layout {
        active.blank_layout = Set(match layout {
            Some(layout) => Some(serde_json::to_string(&check_layout(layout)?).map_err(anyhow::Error::from)?),
            None => None,
        });
    }
    active.updated_at = Set(Utc::now());
    let txn = db.begin().await?;
    let updated = active.update(&txn).await.map_err(|err| AppError::from_unique(err, "symbol", SAME_SYMBOL))?;
    let summary = format!("Sửa cơ quan khen thưởng {}", updated.name); // "Edited issuer …"
    audit::record(&txn, actor, Action::Update, "issuer", id, Some(&place), summary).await?;
    txn.commit().await?;
    Ok(present(updated))
}

#[cfg(test)]
mod tests {
    use super::parse_symbol;

    #[test]
    fn symbols_are_capitals_and_digits() {
        assert_eq!(parse_symbol(" ubnd ").as_deref(), Ok("UBND"));
        assert_eq!(parse_symbol("CAX").as_deref(), Ok("CAX"));
        assert_eq!(parse_symbol("ĐTN").as_deref(), Ok("ĐTN"));
        assert!(parse_symbol("U").is_err());
        assert!(parse_symbol("UB ND").is_err());
        assert!(parse_symbol("QĐ-UBND").is_err());
    }
}
