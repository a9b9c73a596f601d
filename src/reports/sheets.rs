//! The reports as XLSX sheets. Counts are number cells and rates percentages, so Excel adds
//! them up; the headings of the statuses are their labels on the pages.

use rust_xlsxwriter::{ColNum, Format, RowNum, Workbook, XlsxError};
use sea_orm::Iterable;

use super::coverage::{Counts, Coverage};
use super::summary::Summary;
use crate::error::{AppError, AppResult};
use crate::festivals::model::FestivalStatus;

/// One cell of a report's table.
enum Cell {
    Text(String),
    Count(i64),
    /// A share from 0 to 1, shown as a percentage; empty when there is nothing to measure.
    Rate(Option<f64>),
}

/// A sheet: lines of title above the table (then an empty row), one row of headings, the rows;
/// the last row is bold when it holds the totals.
struct Table<'a> {
    sheet_name: &'a str,
    titles: Vec<String>,
    headings: Vec<String>,
    rows: Vec<Vec<Cell>>,
    total_row: bool,
}

impl Table<'_> {
    fn to_xlsx(&self) -> Result<Vec<u8>, XlsxError> {
        const MIN_WIDTH: usize = 8;
        const MAX_WIDTH: usize = 60;
        let column = |index: usize| ColNum::try_from(index).map_err(|_| XlsxError::RowColumnLimitError);
        let row_number = |index: usize| RowNum::try_from(index).map_err(|_| XlsxError::RowColumnLimitError);

        let title = Format::new().set_bold().set_font_size(14);
        let bold = Format::new().set_bold();
        // Thousands grouped as the reader's Excel groups them; whole numbers.
        let count = Format::new().set_num_format("#,##0");
        let rate = Format::new().set_num_format("0.0%");

        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        sheet.set_name(self.sheet_name)?;
        for (index, line) in self.titles.iter().enumerate() {
            let format = if index == 0 { &title } else { &bold };
            sheet.write_string_with_format(row_number(index)?, 0, line, format)?;
        }
        let header = if self.titles.is_empty() { 0 } else { self.titles.len() + 1 };
        for (index, heading) in self.headings.iter().enumerate() {
            sheet.write_string_with_format(row_number(header)?, column(index)?, heading, &bold)?;
        }
        for (index, cells) in self.rows.iter().enumerate() {
            let row = row_number(header + 1 + index)?;
            let is_total = self.total_row && index + 1 == self.rows.len();
            for (col, cell) in cells.iter().enumerate() {
                let col = column(col)?;
                let with = |format: &Format| if is_total { format.clone().set_bold() } else { format.clone() };
                match cell {
                    Cell::Text(text) if text.is_empty() => {}
                    Cell::Text(text) => {
                        sheet.write_string_with_format(row, col, text, &with(&Format::new()))?;
                    }
                    // Counts of rows and people, far below 2^53: exact as f64.
                    Cell::Count(n) => {
                        sheet.write_number_with_format(row, col, *n as f64, &with(&count))?;
                    }
                    Cell::Rate(Some(share)) => {
                        sheet.write_number_with_format(row, col, *share, &with(&rate))?;
                    }
                    Cell::Rate(None) => {}
                }
            }
        }
        // Widths from the headings and the text of the table; titles may run over the columns.
        for (index, heading) in self.headings.iter().enumerate() {
            let longest = self
                .rows
                .iter()
                .filter_map(|cells| match cells.get(index) {
                    Some(Cell::Text(text)) => Some(text.chars().count()),
                    _ => None,
                })
                .chain([heading.chars().count()])
                .max()
                .unwrap_or(0);
            sheet.set_column_width(column(index)?, (longest + 2).clamp(MIN_WIDTH, MAX_WIDTH) as u32)?;
        }
        sheet.set_freeze_panes(row_number(header + 1)?, 0)?;
        workbook.save_to_buffer()
    }
}

fn internal(error: XlsxError) -> AppError {
    AppError::Internal(anyhow::anyhow!(error))
}

/// The yearly summary under its title and area (e.g. "Phạm vi: Phường Tân Phú, Thành phố Hồ
/// Chí Minh"), the figures of the printed report as numbers.
pub fn summary(report: &Summary, scope: &str) -> AppResult<Vec<u8>> {
    Table {
        sheet_name: "Tong hop",
        titles: vec![
            // "Results of the All-People Security Festival of …"
            format!("Tổng hợp kết quả Ngày hội Toàn dân bảo vệ an ninh Tổ quốc năm {}", report.year),
            // "Area: …", as the printed report names it.
            format!("Phạm vi: {scope}"),
        ],
        headings: vec!["Chỉ tiêu".to_owned(), "Số lượng".to_owned()],
        rows: report
            .figures()
            .into_iter()
            .map(|(label, figure)| vec![Cell::Text(label.to_owned()), Cell::Count(figure)])
            .collect(),
        total_row: false,
    }
    .to_xlsx()
    .map_err(internal)
}

/// The coverage table as the dashboard shows it, with a total row. Rows of host kinds (under
/// a commune) have no code: their name is the kind's label.
pub fn coverage(report: &Coverage) -> AppResult<Vec<u8>> {
    let kinds = report.rows.first().is_some_and(|row| !row.drillable);
    // "Kind of host" under a commune, "Area" above, as the page heads the column.
    let mut headings = vec!["Mã".to_owned(), if kinds { "Loại đơn vị" } else { "Địa bàn" }.to_owned()];
    headings.push("Số đơn vị tổ chức".to_owned());
    headings.extend(FestivalStatus::iter().map(|status| status.label().to_owned()));
    // "None yet", "Rate"
    headings.extend(["Chưa có".to_owned(), "Tỷ lệ".to_owned()]);
    let line = |code: &str, name: &str, counts: &Counts| {
        let mut cells = vec![Cell::Text(code.to_owned()), Cell::Text(name.to_owned()), Cell::Count(counts.hosts)];
        cells.extend(FestivalStatus::iter().map(|status| Cell::Count(counts.of(status))));
        cells.extend([Cell::Count(counts.none), Cell::Rate(counts.share_with_festival())]);
        cells
    };
    let mut rows: Vec<Vec<Cell>> = report
        .rows
        .iter()
        .map(|row| line(if row.drillable { &row.code } else { "" }, &row.name, &row.counts))
        .collect();
    // "Total"
    rows.push(line("", "Tổng cộng", &report.totals));
    Table { sheet_name: "Bao cao", titles: Vec::new(), headings, rows, total_row: true }.to_xlsx().map_err(internal)
}
