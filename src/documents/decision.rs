//! Quyết định khen thưởng (commendation decision), A4 portrait, as many pages as the list of
//! recipients needs (Decree 30/2020/NĐ-CP, Appendix I; Law 06/2022/QH15): letterhead with
//! `Số: 07/QĐ-UBND`, "QUYẾT ĐỊNH", its subject, the authority, the legal grounds ("Căn cứ
//! …"), the articles with the recipients as a table (header repeated on every page), the
//! signature and the list of copies. Pages from the second are numbered at the top centre.

use super::layout::{
    Canvas, Letterhead, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MM_PER_PT, PORTRAIT_HEIGHT,
    PORTRAIT_WIDTH, Signature, Style, copies_to, letterhead, signature_block, text_width, wrap, wrap_balanced,
    wrap_from,
};
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

const WIDTH: f32 = PORTRAIT_WIDTH - MARGIN_LEFT - MARGIN_RIGHT;
const MIDDLE: f32 = MARGIN_LEFT + WIDTH / 2.0;
/// Lowest baseline on a page before a new one starts.
const LAST_LINE: f32 = PORTRAIT_HEIGHT - MARGIN_BOTTOM - 5.0;
/// Table columns: number, name, award, register number (mm).
const COLUMNS: [f32; 4] = [13.0, 90.0, 37.0, 25.0];
const ROW_LEADING: f32 = 5.5;

/// Pages being filled from top to bottom.
struct Flow<'a> {
    fonts: &'a Fonts,
    pages: Vec<Canvas<'a>>,
    y: f32,
}

impl<'a> Flow<'a> {
    fn new(fonts: &'a Fonts) -> Self {
        Self { fonts, pages: vec![Canvas::new(fonts, PORTRAIT_WIDTH, PORTRAIT_HEIGHT)], y: MARGIN_TOP }
    }

    fn canvas(&mut self) -> &mut Canvas<'a> {
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    /// Starts a new page unless `height` mm still fit on this one; gives whether it did.
    fn need(&mut self, height: f32) -> bool {
        if self.y + height <= LAST_LINE {
            return false;
        }
        let mut page = Canvas::new(self.fonts, PORTRAIT_WIDTH, PORTRAIT_HEIGHT);
        // Decree 30/2020, article 13: page numbers from the second page, centred at the top.
        page.centered(MIDDLE, MARGIN_TOP - 8.0, Style::Regular, 13.0, &(self.pages.len() + 1).to_string());
        self.pages.push(page);
        self.y = MARGIN_TOP + 2.0;
        true
    }

    /// A wrapped paragraph, moving to a new page line by line when needed.
    fn paragraph(&mut self, indent: f32, size: f32, label: &str, style: Style, text: &str) {
        let leading = size * MM_PER_PT * 1.35;
        let label_width = if label.is_empty() { 0.0 } else { text_width(Style::Bold, size, &format!("{label} ")) };
        let first_width = WIDTH - indent - label_width;
        let lines = wrap_from(style, size, text, first_width, WIDTH);
        for (i, line) in lines.iter().enumerate() {
            self.need(leading);
            let y = self.y;
            if i == 0 {
                let x = MARGIN_LEFT + indent;
                if label.is_empty() {
                    self.canvas().text(x, y, style, size, line);
                } else {
                    self.canvas().text(x, y, Style::Bold, size, label);
                    let after = x + WIDTH - indent - first_width;
                    self.canvas().text(after, y, style, size, line);
                }
            } else {
                self.canvas().text(MARGIN_LEFT, y, style, size, line);
            }
            self.y += leading;
        }
    }

    fn centered(&mut self, style: Style, size: f32, text: &str) {
        for line in wrap_balanced(style, size, text, WIDTH) {
            self.need(size * 0.5);
            let y = self.y;
            self.canvas().centered(MIDDLE, y, style, size, &line);
            self.y += size * MM_PER_PT * 1.35;
        }
    }

    /// The table's header row with its rules.
    fn table_header(&mut self) {
        let headings = ["STT", "Tên tập thể, cá nhân", "Hình thức", "Số sổ vàng"];
        let top = self.y - 4.5;
        let mut x = MARGIN_LEFT;
        for (heading, width) in headings.iter().zip(COLUMNS) {
            let y = self.y;
            self.canvas().centered(x + width / 2.0, y, Style::Bold, 12.0, heading);
            x += width;
        }
        self.y += 3.0;
        self.rules(top, self.y);
        self.y += 4.5;
    }

    /// The frame of one table row from `top` to `bottom`.
    fn rules(&mut self, top: f32, bottom: f32) {
        let right = MARGIN_LEFT + COLUMNS.iter().sum::<f32>();
        let canvas = self.canvas();
        canvas.line((MARGIN_LEFT, top), (right, top), 0.5);
        canvas.line((MARGIN_LEFT, bottom), (right, bottom), 0.5);
        let mut x = MARGIN_LEFT;
        canvas.line((x, top), (x, bottom), 0.5);
        for width in COLUMNS {
            x += width;
            canvas.line((x, top), (x, bottom), 0.5);
        }
    }

    fn table(&mut self, recipients: &[Recipient]) {
        self.y += 5.0;
        self.need(20.0);
        self.table_header();
        for (i, recipient) in recipients.iter().enumerate() {
            let kind = if recipient.collective { "Tập thể" } else { "Cá nhân" };
            let name = format!("{kind}: {}", recipient.name);
            let lines = wrap(Style::Regular, 12.0, &name, COLUMNS[1] - 3.0);
            let height = lines.len() as f32 * ROW_LEADING + 1.5;
            if self.need(height) {
                self.y += 3.0;
                self.table_header();
            }
            let top = self.y - 4.5;
            let y = self.y;
            let canvas = self.canvas();
            canvas.centered(MARGIN_LEFT + COLUMNS[0] / 2.0, y, Style::Regular, 12.0, &(i + 1).to_string());
            for (n, line) in lines.iter().enumerate() {
                canvas.text(MARGIN_LEFT + COLUMNS[0] + 1.5, y + n as f32 * ROW_LEADING, Style::Regular, 12.0, line);
            }
            let award_x = MARGIN_LEFT + COLUMNS[0] + COLUMNS[1] + COLUMNS[2] / 2.0;
            canvas.centered(award_x, y, Style::Regular, 12.0, &recipient.award);
            let register_x = MARGIN_LEFT + COLUMNS[..3].iter().sum::<f32>() + COLUMNS[3] / 2.0;
            canvas.centered(register_x, y, Style::Regular, 12.0, &recipient.register_number.to_string());
            self.y += height;
            self.rules(top, self.y - 4.5);
        }
    }
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
    flow.table(&document.recipients);
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
    for canvas in flow.pages {
        canvas.finish(&mut pdf)?;
    }
    pdf.finish()
}
