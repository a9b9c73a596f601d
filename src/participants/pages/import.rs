//! Importing participants from a CSV or XLSX file: the page explains the sheet; an upload adds
//! every row or none, and a refused file comes back with each bad line and column.

use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use minijinja::{Value, context};
use serde::Serialize;

use super::FestivalHead;
use crate::app::AppState;
use crate::auth::extract::CurrentUser;
use crate::error::{AppError, AppResult, FieldError};
use crate::festivals::service as festivals;
use crate::participants::sheet::Column;
use crate::participants::transfer;
use crate::web::extract::ApiPath;
use crate::web::extract::uploaded_file;
use crate::web::pages::{render, see_other};

const TEMPLATE: &str = "participants/import.html";

/// One refused cell of an upload as the page lists it.
#[derive(Debug, Serialize)]
struct ImportProblem {
    /// The spreadsheet line (header = 1); none for a problem with the whole file.
    row: Option<usize>,
    /// The column's heading in the sheet, or "the whole file".
    column: String,
    message: String,
}

impl ImportProblem {
    fn of(error: FieldError) -> Self {
        let column = match Column::ALL.iter().find(|column| column.field() == error.field) {
            Some(column) => column.heading().to_owned(),
            None if error.field == "file" => "Cả tệp".to_owned(), // "The whole file"
            None => error.field,
        };
        Self { row: error.row, column, message: error.message }
    }
}

/// Problems listed on the page; a file of thousands of bad rows is usually one mistake
/// repeated, and the API answer has them all.
const SHOWN_PROBLEMS: usize = 200;

/// The page's context: the festival, the sheet's headings, and the problems of a refused file.
async fn import_page(
    state: &AppState,
    current: &CurrentUser,
    id: i32,
    problems: Vec<ImportProblem>,
) -> AppResult<Value> {
    let (festival, host) = festivals::find(&state.db, &current.actor, id).await?;
    festivals::ensure_editable(festival.status)?;
    let headings: Vec<&str> = Column::ALL.iter().map(|column| column.heading()).collect();
    Ok(context! { festival => FestivalHead::new(&festival, &host), headings, problems, shown => SHOWN_PROBLEMS })
}

/// The upload form with the explanation. Errors: 409 once the festival is reported or cancelled.
pub(super) async fn show(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
) -> AppResult<Response> {
    render(&state, TEMPLATE, import_page(&state, &current, id, Vec::new()).await?)
}

/// Imports the `file` field (after the form token); on success back to the list with the count.
pub(super) async fn upload(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<Response> {
    let imported = async { transfer::import(&state.db, &current.actor, id, &uploaded_file(multipart).await?).await };
    match imported.await {
        Ok(report) => Ok(see_other(&format!("/festivals/{id}/participants?imported={}", report.imported))),
        Err(AppError::Invalid(errors)) => {
            let problems = errors.into_iter().map(ImportProblem::of).collect();
            let page = render(&state, TEMPLATE, import_page(&state, &current, id, problems).await?)?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(err) => Err(err),
    }
}
