//! Quyết định khen thưởng (commendation decision), A4 portrait, as many pages as the list of
//! recipients needs (Decree 30/2020/NĐ-CP, Appendix I; Law 06/2022/QH15): letterhead with
//! `Số: 07/QĐ-UBND`, "QUYẾT ĐỊNH", its subject, the authority, the legal grounds ("Căn cứ
//! …"), the articles with the recipients as a table (header repeated on every page), the
//! signature and the list of copies. Pages from the second are numbered at the top centre.

use super::flow::{Align, Column, Flow};
use super::layout::{Letterhead, MARGIN_LEFT, Signature, Style, copies_to, letterhead, signature_block};
use super::pdf::Fonts;

/// One line of the table of Article 1.
#[derive(Debug, Clone)]
pub struct Recipient {
    /// A collective (tập thể) rather than a person (cá nhân).
    pub collective: bool,
    pub name: String,
    /// "Giấy khen", "Bằng khen", …
    pub award: String,
    /// Số sổ vàng.
    pub register_number: i32,
}

/// Everything printed on a decision; the caller has checked that every text can print.
#[derive(Debug, Clone)]
pub struct DecisionDocument {
    pub letterhead: Letterhead,
    /// "Về việc khen thưởng …".
    pub subject: String,
    /// "CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG TÂN PHÚ".
    pub authority_heading: String,
    /// "Căn cứ …;" lines, as stored on the decision.
    pub legal_basis: Vec<String>,
    /// The achievement the awards are for, ending Article 1's sentence.
    pub achievement: String,
    pub recipients: Vec<Recipient>,
    /// Who carries the decision out (Article 3), e.g. "Văn phòng Ủy ban nhân dân phường".
    pub executors: String,
    /// Shown in red under the title when the decision was revoked.
    pub revoked_reason: Option<String>,
    pub signature: Signature,
}

/// The table of Article 1: number, name, award, register number.
const COLUMNS: [Column; 4] = [
    Column { width: 13.0, heading: "STT", align: Align::Center },
    Column { width: 90.0, heading: "Tên tập thể, cá nhân", align: Align::Left },
    Column { width: 37.0, heading: "Hình thức", align: Align::Center },
    Column { width: 25.0, heading: "Số sổ vàng", align: Align::Center },
];

/// The rows of Article 1's table, numbered from 1.
fn table_rows(recipients: &[Recipient]) -> Vec<[String; 4]> {
    recipients
        .iter()
        .enumerate()
        .map(|(i, recipient)| {
            let kind = if recipient.collective { "Tập thể" } else { "Cá nhân" };
            [
                (i + 1).to_string(),
                format!("{kind}: {}", recipient.name),
                recipient.award.clone(),
                recipient.register_number.to_string(),
            ]
        })
        .collect()
}

/// The decision as a PDF, fonts embedded once and subset. Errors naming a character the
/// fonts lack.
pub fn decision(document: &DecisionDocument, fonts: &Fonts) -> anyhow::Result<Vec<u8>> {
    let mut pdf = fonts.document("Quyết định");
    let mut flow = Flow::new(fonts);
    flow.y = letterhead(flow.canvas(), &document.letterhead);
    flow.centered(Style::Bold, 14.0, "QUYẾT ĐỊNH");
    flow.centered(Style::Bold, 14.0, &document.subject);
    if let Some(reason) = &document.revoked_reason {
        flow.canvas().color(0.75, 0.0, 0.0);
        flow.centered(Style::Bold, 13.0, &format!("ĐÃ THU HỒI: {reason}"));
        flow.canvas().color(0.0, 0.0, 0.0);
    }
    flow.y += 4.0;
    flow.centered(Style::Bold, 13.0, &document.authority_heading);
    flow.y += 2.0;
    for line in &document.legal_basis {
        flow.paragraph(10.0, 14.0, "", Style::Italic, line);
    }
    flow.y += 2.0;
    flow.centered(Style::Bold, 14.0, "QUYẾT ĐỊNH:");
    flow.y += 1.0;
    let collectives = document.recipients.iter().filter(|r| r.collective).count();
    let individuals = document.recipients.len() - collectives;
    let article_one = format!(
        "Khen thưởng {collectives} tập thể và {individuals} cá nhân có tên dưới đây đã có thành tích {}:",
        document.achievement
    );
    flow.paragraph(10.0, 14.0, "Điều 1.", Style::Regular, &article_one);
    flow.table(&COLUMNS, &table_rows(&document.recipients));
    flow.y += 2.0;
    flow.paragraph(10.0, 14.0, "Điều 2.", Style::Regular, "Quyết định này có hiệu lực kể từ ngày ký.");
    let article_three = format!(
        "{}, các tập thể và cá nhân có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./.",
        document.executors
    );
    flow.paragraph(10.0, 14.0, "Điều 3.", Style::Regular, &article_three);
    // The signature and the copies stay together on one page.
    flow.y += 4.0;
    flow.need(45.0);
    let y = flow.y;
    signature_block(flow.canvas(), 144.0, y, 28.0, &document.signature);
    let copies = ["Như Điều 3;".to_owned(), "Lưu: VT, TĐKT.".to_owned()];
    copies_to(flow.canvas(), MARGIN_LEFT, y, &copies);
    flow.finish(&mut pdf)?;
    pdf.finish()
}
