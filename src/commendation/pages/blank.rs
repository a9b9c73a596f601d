//! `/issuers/{id}/blank`: where each field of a certificate goes on the issuer's pre-printed
//! blanks (phôi), measured on one blank in millimetres from its top-left corner; saved, tried
//! on a blank with a made-up certificate, or put back to the default layout.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::response::Response;
use minijinja::context;
use serde::Serialize;

use crate::app::AppState;
use crate::auth::extract::CurrentUser;
use crate::auth::model::Actor;
use crate::commendation::issuers;
use crate::commendation::model::{Issuer, IssuerChanges};
use crate::documents::certificate::BlankLayout;
use crate::error::{AppResult, FieldErrors};
use crate::web::extract::{ApiPath, ApiQuery};
use crate::web::pages::{Flash, PageForm, field_errors, render, render_invalid, see_other};

const TEMPLATE: &str = "commendation/blank.html";

/// One field's position as shown or typed, in mm; the inputs are `{name}_x` and `{name}_y`,
/// and its errors are the API's `blank_layout.{name}`.
#[derive(Debug, Serialize)]
struct PositionRow {
    name: &'static str,
    x: String,
    y: String,
}

fn rows_of(layout: &BlankLayout) -> Vec<PositionRow> {
    let rows = layout.fields().into_iter();
    rows.map(|(name, at)| PositionRow { name, x: at.x.to_string(), y: at.y.to_string() }).collect()
}

/// The rows as typed, in the order of [`BlankLayout::fields`]; a missing input is blank.
fn typed_rows(pairs: Vec<(String, String)>) -> Vec<PositionRow> {
    let mut typed: BTreeMap<String, String> = pairs.into_iter().collect();
    let mut take = |name: &str, axis: &str| typed.remove(&format!("{name}_{axis}")).unwrap_or_default();
    let names = BlankLayout::default().fields().map(|(name, _)| name);
    names.into_iter().map(|name| PositionRow { name, x: take(name, "x"), y: take(name, "y") }).collect()
}

/// A length in millimetres as typed, with a decimal point or, as Vietnamese write it, a comma.
fn millimetres(text: &str) -> Result<f32, String> {
    match text.trim().replace(',', ".").parse::<f32>() {
        Ok(mm) if mm.is_finite() => Ok(mm),
        // "Enter a number of millimetres, e.g. 148.5."
        _ => Err("Nhập số mi-li-mét, ví dụ 148.5.".to_owned()),
    }
}

/// The layout the rows give. Errors: 422 naming `blank_layout.{name}` for each field with a
/// coordinate that is not a number (whether it is on the sheet is the service's to check).
fn layout_of(rows: &[PositionRow]) -> AppResult<BlankLayout> {
    let mut errors = FieldErrors::default();
    let mut fields = serde_json::Map::new();
    for row in rows {
        let field = format!("blank_layout.{}", row.name);
        let x = errors.check(&field, millimetres(&row.x));
        // One message per field, even when both coordinates are wrong.
        let y = if x.is_some() { errors.check(&field, millimetres(&row.y)) } else { None };
        if let (Some(x), Some(y)) = (x, y) {
            fields.insert(row.name.to_owned(), serde_json::json!({ "x": x, "y": y }));
        }
    }
    errors.finish()?;
    // Every field of `fields()` is there: it reads back as a whole layout.
    Ok(serde_json::from_value(serde_json::Value::Object(fields)).map_err(anyhow::Error::from)?)
}

/// The issuer, for the officers who run it. Errors: 404; 403.
async fn managed(state: &AppState, actor: &Actor, id: i32) -> AppResult<Issuer> {
    Ok(issuers::present(issuers::find_to_manage(&state.db, actor, id).await?))
}

/// The issuer's positions, after a redirect with `?msg=blank_saved` or `?msg=blank_reset`.
pub(super) async fn show(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
    ApiQuery(flash): ApiQuery<Flash>,
) -> AppResult<Response> {
    let issuer = managed(&state, &current.actor, id).await?;
    let rows = rows_of(&issuer.blank_layout);
    render(&state, TEMPLATE, context! { issuer, rows, notice => flash.msg })
}

/// Saves the typed positions; refused ones come back with the message next to their field.
pub(super) async fn save(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
    PageForm(pairs): PageForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let rows = typed_rows(pairs);
    let saved = match layout_of(&rows) {
        Ok(layout) => {
            let changes = IssuerChanges { blank_layout: Some(Some(layout)), ..IssuerChanges::default() };
            issuers::update(&state.db, &current.actor, id, changes).await
        }
        Err(err) => Err(err),
    };
    match saved {
        Ok(_) => Ok(see_other(&format!("/issuers/{id}/blank?msg=blank_saved"))),
        Err(err) => {
            let errors = field_errors(err)?;
            let issuer = managed(&state, &current.actor, id).await?;
            render_invalid(&state, TEMPLATE, context! { issuer, rows }, &errors)
        }
    }
}

/// Forgets the issuer's positions: its blanks print at the default layout's.
pub(super) async fn reset(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
) -> AppResult<Response> {
    let changes = IssuerChanges { blank_layout: Some(None), ..IssuerChanges::default() };
    issuers::update(&state.db, &current.actor, id, changes).await?;
    Ok(see_other(&format!("/issuers/{id}/blank?msg=blank_reset")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::AppError;

    #[test]
    fn typed_positions_read_with_a_point_or_a_comma_and_bad_ones_are_named_once() {
        let mut rows = rows_of(&BlankLayout::default());
        rows[0].x = " 150,5 ".to_owned();
        assert_eq!(layout_of(&rows).unwrap().authority.x, 150.5);
        rows[1].x = "abc".to_owned();
        rows[1].y = String::new();
        rows[4].y = "NaN".to_owned();
        let Err(AppError::Invalid(errors)) = layout_of(&rows) else { panic!("refused") };
        let fields: Vec<&str> = errors.iter().map(|error| error.field.as_str()).collect();
        assert_eq!(fields, ["blank_layout.recipient", "blank_layout.qr"]);
    }

    #[test]
    fn missing_inputs_are_blank_rows_in_layout_order() {
        let rows = typed_rows(vec![("qr_y".to_owned(), "170".to_owned()), ("other".to_owned(), "1".to_owned())]);
        assert_eq!(rows.len(), 7);
        assert_eq!((rows[4].name, rows[4].x.as_str(), rows[4].y.as_str()), ("qr", "", "170"));
    }
}
