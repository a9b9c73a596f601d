//! Spreadsheets in and out: import of CSV/XLSX uploads (all or nothing) and export in
//! Vietnamese order, recorded in the audit log (Decree 13/2023: log access to personal data).

use sea_orm::DatabaseConnection;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::model::{ParticipantRole, Sex};
use super::service::{self, Draft, all_in_order};
use super::sheet::{self, Column, SheetRow};
use crate::auth::audit::{self, Action};
use crate::auth::model::{Actor, Place};
use crate::error::{AppError, AppResult, FieldError, FieldErrors};
use crate::festivals::service as festivals;
use crate::time::{format_dmy, to_local};

/// Most rows one upload may hold.
pub const MAX_IMPORT_ROWS: usize = 100_000;

/// `POST …/participants/import` answer.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImportReport {
    pub imported: u64,
}

/// Reads an upload and adds every row, or none: any bad row gives 422 listing every bad row
/// and field (`row` = spreadsheet line, header = 1), and nothing is written.
/// Errors also: 404 festival; 409 festival closed; 422 `file` when unreadable or empty.
pub async fn import(db: &DatabaseConnection, actor: &Actor, festival_id: i32, bytes: &[u8]) -> AppResult<ImportReport> {
    let rows = sheet::read(bytes).map_err(|errors| {
        AppError::Invalid(
            errors
                .into_iter()
                .map(|error| {
                    let found = FieldError::new(error.field, error.message);
                    match error.line {
                        Some(line) => found.at_row(line),
                        None => found,
                    }
                })
                .collect(),
        )
    })?;
    if rows.is_empty() {
        // "The file has no data rows under the header."
        return Err(AppError::invalid("file", "Tệp không có dòng dữ liệu nào dưới dòng tiêu đề."));
    }
    if rows.len() > MAX_IMPORT_ROWS {
        // "At most 100,000 rows per file; split the file."
        return Err(AppError::invalid("file", "Mỗi tệp tối đa 100.000 dòng; hãy chia nhỏ tệp."));
    }
    let drafts = rows
        .iter()
        .map(|row| {
            let (draft, errors) = draft_of(row);
            (row.line, draft, errors)
        })
        .collect();
    let imported = service::insert_checked(db, actor, festival_id, drafts).await?;
    Ok(ImportReport { imported })
}

/// The draft of one sheet row, and the cells that could not be read (role, sex, invited)
/// as errors under their API field names; [`service::insert_checked`] checks the rest.
fn draft_of(row: &SheetRow) -> (Draft, FieldErrors) {
    let mut errors = FieldErrors::default();
    let text = |column: Column| row.get(column).map(str::to_owned);
    let role = row.get(Column::Role).and_then(|raw| errors.check("role", ParticipantRole::parse(raw)));
    let sex = row.get(Column::Sex).and_then(|raw| errors.check("sex", Sex::parse(raw)));
    let invited = row.get(Column::Invited).and_then(|raw| errors.check("invited", parse_yes_no(raw)));
    let draft = Draft {
        full_name: text(Column::FullName).unwrap_or_default(),
        given_name: text(Column::GivenName),
        sex,
        role: role.unwrap_or_default(),
        invited: invited.unwrap_or(false),
        email: text(Column::Email),
        phone: text(Column::Phone),
        cccd: text(Column::Cccd),
        organization: text(Column::Organization),
        title: text(Column::Title),
        address: text(Column::Address),
    };
    (draft, errors)
}

/// "x", "có", "yes", "1", "true" → invited; "không", "no", "0", "false" → not.
fn parse_yes_no(raw: &str) -> Result<bool, String> {
    match crate::text::fold(raw).as_str() {
        "x" | "co" | "yes" | "y" | "1" | "true" => Ok(true),
        "khong" | "no" | "n" | "0" | "false" => Ok(false),
        _ => Err("Ghi “có” hoặc “không” (hoặc x / để trống).".into()), // "Write yes or no (or x / blank)."
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    #[default]
    Xlsx,
    Csv,
}

/// `GET …/participants/export` query.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// `xlsx` (default) or `csv` (UTF-8 with BOM).
    pub format: Option<ExportFormat>,
}

/// A file to download.
pub struct Download {
    pub bytes: Vec<u8>,
    pub content_type: &'static str,
    pub filename: String,
}

/// The media type of XLSX files.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Every participant of a festival in Vietnamese order, with Vietnamese headings; the sheet
/// columns match the import's, so an export imports back. Errors: 404 festival.
pub async fn export(
    db: &DatabaseConnection,
    actor: &Actor,
    festival_id: i32,
    format: ExportFormat,
) -> AppResult<Download> {
    let (festival, host) = festivals::find(db, actor, festival_id).await?;
    let rows: Vec<Vec<String>> = all_in_order(db, festival.id)
        .await?
        .into_iter()
        .map(|row| {
            let optional = |value: Option<String>| value.unwrap_or_default();
            vec![
                row.full_name,
                row.given_name,
                row.sex.map(|sex| sex.label().to_owned()).unwrap_or_default(),
                row.role.label().to_owned(),
                if row.invited { "Có" } else { "Không" }.to_owned(),
                optional(row.email),
                optional(row.phone),
                optional(row.cccd),
                optional(row.organization),
                optional(row.title),
                optional(row.address),
                row.registration.map(|r| r.label().to_owned()).unwrap_or_default(),
                row.rsvp.label().to_owned(),
                row.checkin_code,
                row.checked_in_at
                    .map(to_local)
                    .map(|at| format!("{} {}", at.format("%H:%M"), format_dmy(at.date_naive())))
                    .unwrap_or_default(),
            ]
        })
        .collect();
    let mut headings: Vec<&str> = Column::ALL.iter().map(|column| column.heading()).collect();
    // "Registration", "Answer", "Check-in code", "Checked in at"
    headings.extend(["Đăng ký", "Trả lời", "Mã điểm danh", "Giờ điểm danh"]);
    let count = rows.len();
    let stem = format!("nguoi-tham-du-{}", festival.slug);
    let download = match format {
        ExportFormat::Xlsx => Download {
            bytes: sheet::write_xlsx("Người tham dự", &headings, &rows).map_err(|err| anyhow::anyhow!(err))?,
            content_type: XLSX,
            filename: format!("{stem}.xlsx"),
        },
        ExportFormat::Csv => Download {
            bytes: sheet::write_csv(&headings, &rows),
            content_type: "text/csv; charset=utf-8",
            filename: format!("{stem}.csv"),
        },
    };
    // "Exported N participants"
    let summary = format!("Xuất danh sách {count} người tham dự");
    audit::record(db, actor, Action::Export, "festival", festival.id, Some(&Place::of_host(&host)), summary).await?;
    Ok(download)
}

/// The empty import template with the expected headings and one example row.
pub fn template() -> AppResult<Download> {
    Ok(Download {
        bytes: sheet::template_xlsx().map_err(|err| anyhow::anyhow!(err))?,
        content_type: XLSX,
        filename: "mau-nhap-nguoi-tham-du.xlsx".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invited_cells_read_yes_and_no_in_vietnamese() {
        assert_eq!(parse_yes_no("Có"), Ok(true));
        assert_eq!(parse_yes_no("x"), Ok(true));
        assert_eq!(parse_yes_no("KHÔNG"), Ok(false));
        assert!(parse_yes_no("maybe").is_err());
    }
}
