//! Báo cáo tổng kết (yearly summary report) of a commune, province or host, A4 portrait
//! (Decree 30/2020/NĐ-CP, Appendix I; DOMAIN.md, *Document layout*): the reporting body's
//! letterhead, or the national title alone when the area has no body to report in its name;
//! the title, the area reported on, the figures as a table (header repeated if it runs onto
//! another page), the signature and the list of copies. Pages from the second are numbered.

use chrono::NaiveDate;

use super::flow::{Align, Column, Flow, MIDDLE, TEXT_WIDTH};
use super::layout::{
    Letterhead, MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MM_PER_PT, PORTRAIT_WIDTH, Signature, Style, copies_to,
    letterhead, long_date, national_title, place_date, signature_block,
};
use super::pdf::Fonts;

/// The body a report is made in the name of, e.g. the commune's People's Committee.
#[derive(Debug, Clone)]
pub struct Reporter {
    /// The body above it, e.g. "Thành phố Hồ Chí Minh" (printed in capitals).
    pub parent_name: Option<String>,
    /// E.g. "Ủy ban nhân dân phường Tân Phú" (printed in capitals).
    pub name: String,
    /// What follows "Số:", e.g. "      /BC-UBND" (the clerk writes the number in on signing).
    pub number: String,
    pub signature: Signature,
}

/// Everything printed on a summary; the caller has checked that every text can print.
#[derive(Debug, Clone)]
pub struct SummaryDocument {
    /// `None`: the national title alone, and a signature line for whoever made the report.
    pub reporter: Option<Reporter>,
    /// The place of the place-date line, e.g. "Phường Tân Phú"; `None` for the date alone.
    pub place_name: Option<String>,
    pub date: NaiveDate,
    /// The year of the festivals reported on.
    pub year: i32,
    /// The area reported on, e.g. "Phường Tân Phú, Thành phố Hồ Chí Minh" or "Toàn quốc".
    pub scope: String,
    /// (what is counted, the figure as printed) in the order of the table.
    pub figures: Vec<(String, String)>,
}

/// The table: number, what is counted, the figure.
const COLUMNS: [Column; 3] = [
    Column { width: 13.0, heading: "STT", align: Align::Center },
    Column { width: TEXT_WIDTH - 13.0 - 40.0, heading: "Chỉ tiêu", align: Align::Left },
    Column { width: 40.0, heading: "Số lượng", align: Align::Right },
];

/// The centre of the signature block, under the place-date line of the letterhead.
const SIGNATURE_CENTRE: f32 = 144.0;

/// The title, in the words of the movement's guidance.
fn title(year: i32) -> String {
    format!("BÁO CÁO TỔNG KẾT NGÀY HỘI TOÀN DÂN BẢO VỆ AN NINH TỔ QUỐC NĂM {year}")
}

/// The summary as a PDF, fonts embedded once and subset. Errors naming a character the fonts
/// lack.
pub fn summary(document: &SummaryDocument, fonts: &Fonts) -> anyhow::Result<Vec<u8>> {
    let mut pdf = fonts.document(&format!("Báo cáo tổng kết năm {}", document.year));
    let mut flow = Flow::new(fonts);
    flow.y = match &document.reporter {
        Some(reporter) => letterhead(
            flow.canvas(),
            &Letterhead {
                parent_name: reporter.parent_name.clone(),
                issuer_name: reporter.name.clone(),
                number: reporter.number.clone(),
                place_name: document.place_name.clone().unwrap_or_default(),
                date: document.date,
            },
        ),
        None => national_heading(&mut flow, document),
    };
    flow.centered(Style::Bold, 14.0, &title(document.year));
    flow.y += 2.0;
    flow.paragraph(10.0, 14.0, "Phạm vi:", Style::Regular, &document.scope);
    flow.paragraph(
        10.0,
        14.0,
        "",
        Style::Regular,
        &format!("Kết quả tổ chức Ngày hội Toàn dân bảo vệ an ninh Tổ quốc năm {} như sau:", document.year),
    );
    let rows: Vec<[String; 3]> = document
        .figures
        .iter()
        .enumerate()
        .map(|(i, (label, figure))| [(i + 1).to_string(), label.clone(), figure.clone()])
        .collect();
    flow.table(&COLUMNS, &rows);
    // The signature and the copies stay together on one page.
    flow.y += 6.0;
    flow.need(45.0);
    let y = flow.y;
    let signature = match &document.reporter {
        Some(reporter) => reporter.signature.clone(),
        // "THE PERSON WHO MADE THE REPORT", signing by hand.
        None => Signature {
            authority_line: String::new(),
            signer_title: "NGƯỜI LẬP BÁO CÁO".to_owned(),
            signer_name: String::new(),
        },
    };
    signature_block(flow.canvas(), SIGNATURE_CENTRE, y, 28.0, &signature);
    // "The level above (for its information); filed: the records office."
    let copies = ["Cấp trên trực tiếp (để báo cáo);".to_owned(), "Lưu: VT.".to_owned()];
    copies_to(flow.canvas(), MARGIN_LEFT, y, &copies);
    flow.finish(&mut pdf)?;
    pdf.finish()
}

/// The national title centred at the top and the place-date line at the right under it, for
/// a report without a reporting body; gives the y below them.
fn national_heading(flow: &mut Flow, document: &SummaryDocument) -> f32 {
    let top = MARGIN_TOP + 5.0;
    national_title(flow.canvas(), MIDDLE, top, 13.0, 14.0);
    let line = match &document.place_name {
        Some(place) => place_date(place, document.date),
        // "Ngày 05 tháng 8 năm 2025": the date alone opens with a capital.
        None => format!("N{}", &long_date(document.date)["n".len()..]),
    };
    let y = top + 14.0 * MM_PER_PT * 1.5 + 10.0;
    flow.canvas().right(PORTRAIT_WIDTH - MARGIN_RIGHT, y, Style::Italic, 14.0, &line);
    y + 14.0
}
