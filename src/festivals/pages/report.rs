//! `/festivals/{id}/report`: the host's report after the festival (attendance, photos,
//! notes), the form behind the festival page's "Ghi báo cáo kết quả" button. Saving it marks
//! a held festival reported (`reports::summary::put`, the same rule as the API), and the
//! yearly summary counts its attendance.

use axum::extract::State;
use axum::response::Response;
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};

use crate::app::AppState;
use crate::auth::extract::CurrentUser;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::festivals::service;
use crate::reports::summary::{self, ReportInput};
use crate::text::{parse_thousands, thousands};
use crate::web::extract::ApiPath;
use crate::web::pages::{PageForm, field_errors, render, render_invalid, see_other};

const REPORT_PAGE: &str = "festivals/report.html";

/// The form as typed: numbers stay text until checked, so a typo is a message on its field.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub(super) struct ReportForm {
    attendance: String,
    photos: String,
    notes: String,
}

impl ReportForm {
    /// Errors: 422 naming `attendance` or `photos` when not a whole number (the service
    /// checks the ranges and the notes).
    fn to_input(&self) -> AppResult<ReportInput> {
        let mut errors = FieldErrors::default();
        // "Required." / "Enter a whole number, e.g. 350 or 1.250."
        let attendance = errors.check(
            "attendance",
            match self.attendance.trim() {
                "" => Err("Bắt buộc nhập.".to_owned()),
                typed => parse_thousands(typed).ok_or_else(|| "Nhập một số nguyên, ví dụ 350 hoặc 1.250.".to_owned()),
            },
        );
        // "Enter a whole number of photos, e.g. 24."
        let photos = errors.check(
            "photos",
            match self.photos.trim() {
                "" => Ok(0),
                typed => parse_thousands(typed).ok_or_else(|| "Nhập số ảnh là một số nguyên, ví dụ 24.".to_owned()),
            },
        );
        errors.finish()?;
        Ok(ReportInput { attendance: attendance.unwrap_or_default(), photos, notes: Some(self.notes.clone()) })
    }
}

/// The page's context: the festival, the form, and whether it can be reported now.
async fn report_page(state: &AppState, current: &CurrentUser, id: i32, form: ReportForm) -> AppResult<Value> {
    let festival = service::get(&state.db, &current.actor, id).await?;
    let reportable = festival.status.takes_report();
    Ok(context! { festival, form, reportable })
}

/// The form, filled with the report already recorded, if any. Errors: 404.
pub(super) async fn show(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
) -> AppResult<Response> {
    let form = match summary::get(&state.db, &current.actor, id).await {
        Ok(report) => ReportForm {
            attendance: thousands(i64::from(report.attendance)),
            photos: thousands(i64::from(report.photos)),
            notes: report.notes,
        },
        Err(AppError::NotFound(_)) => ReportForm::default(),
        Err(other) => return Err(other),
    };
    render(&state, REPORT_PAGE, report_page(&state, &current, id, form).await?)
}

/// Saves the report and goes back to the festival; a refused form comes back with its
/// messages (a festival not yet held is a 409 error page, as the button is not offered then).
pub(super) async fn save(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
    PageForm(form): PageForm<ReportForm>,
) -> AppResult<Response> {
    match async { summary::put(&state.db, &current.actor, id, form.to_input()?).await }.await {
        Ok(_) => Ok(see_other(&format!("/festivals/{id}?msg=reported"))),
        Err(err) => {
            let errors = field_errors(err)?;
            render_invalid(&state, REPORT_PAGE, report_page(&state, &current, id, form).await?, &errors)
        }
    }
}
