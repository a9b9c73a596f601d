//! Giấy khen (certificate of merit), A4 landscape, in the layout of DOMAIN.md (*Document
//! layout*): decorative border, national title and motto, the issuing authority, "TẶNG",
//! the award, the recipient large and centred, the achievement, the decision and register
//! number bottom left with the verification QR, the place-date and signature bottom right.
//!
//! Offices that print on pre-printed blanks (phôi) print only the variable fields, at the
//! positions of their issuer's [`BlankLayout`].

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::layout::{Canvas, Signature, Style, national_title, place_date, signature_block, text_width, wrap};
use super::pdf::Fonts;

/// Everything printed on one certificate; the caller has checked that every text can print.
#[derive(Debug, Clone)]
pub struct CertificateSheet {
    /// "CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG TÂN PHÚ": who grants it, in capitals.
    pub authority_heading: String,
    /// "GIẤY KHEN", "BẰNG KHEN", …
    pub award: String,
    pub recipient: String,
    /// Printed "Truy tặng" above the name (posthumous award).
    pub posthumous: bool,
    pub achievement: String,
    pub decision_number: String,
    pub signed_on: NaiveDate,
    /// Số sổ vàng.
    pub register_number: i32,
    pub place_name: String,
    pub signature: Signature,
    /// `{BASE_URL}/verify/{code}`, in the QR code.
    pub verify_url: String,
}

/// A point on the sheet, in millimetres from its top-left corner.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Position {
    pub x: f32,
    pub y: f32,
}

const fn at(x: f32, y: f32) -> Position {
    Position { x, y }
}

/// Where each variable field of a certificate goes (mm from the top-left corner of the A4
/// landscape sheet): centres for centred text, the left end for the decision and register
/// lines, the top-left corner for the QR code. The default is the full layout's; an issuer
/// with pre-printed blanks stores its own, measured on one blank.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct BlankLayout {
    /// The issuing authority line ("CHỦ TỊCH ỦY BAN NHÂN DÂN …"), centre of its baseline.
    pub authority: Position,
    /// The recipient's name, centre of its baseline.
    pub recipient: Position,
    /// The achievement, centre of the first line's baseline.
    pub achievement: Position,
    /// "Quyết định số …", left end of the baseline; "Số sổ vàng" goes 6 mm under it.
    pub decision: Position,
    /// The QR code's top-left corner (28 mm wide).
    pub qr: Position,
    /// The place-date line, centre of its baseline.
    pub place_date: Position,
    /// The signature block, centre of its first line; the signer's name 33 mm under the
    /// signer's title (38.5 mm under the first line when an authority line such as "TM. …"
    /// comes first).
    pub signature: Position,
}

impl Default for BlankLayout {
    fn default() -> Self {
        Self {
            authority: at(148.5, 50.0),
            recipient: at(148.5, 100.0),
            achievement: at(148.5, 114.0),
            decision: at(24.0, 158.0),
            qr: at(22.0, 167.0),
            place_date: at(215.0, 152.0),
            signature: at(215.0, 159.0),
        }
    }
}

impl BlankLayout {
    /// Every position with its name, as forms and error messages name them.
    pub fn fields(&self) -> [(&'static str, Position); 7] {
        [
            ("authority", self.authority),
            ("recipient", self.recipient),
            ("achievement", self.achievement),
            ("decision", self.decision),
            ("qr", self.qr),
            ("place_date", self.place_date),
            ("signature", self.signature),
        ]
    }

    /// The name of the first position off the sheet, if any; the QR code must fit whole, and
    /// the signer's name under the signature block too. (Centred text that runs off a side is
    /// refused when it is printed, as its width depends on the text.)
    pub fn off_sheet(&self) -> Option<&'static str> {
        self.fields()
            .into_iter()
            .find(|(name, p)| {
                let (width, depth) = match *name {
                    "qr" => (QR_SIZE, QR_SIZE),
                    "signature" => (0.0, SIGNATURE_DEPTH),
                    _ => (0.0, 0.0),
                };
                !(0.0..=WIDTH - width).contains(&p.x) || !(0.0..=HEIGHT - depth).contains(&p.y)
            })
            .map(|(name, _)| name)
    }
}

/// Full sheet, or only the variable fields for pre-printed blanks (phôi).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Paper {
    Plain,
    Blank(BlankLayout),
}

/// A4 landscape, in millimetres.
pub const WIDTH: f32 = 297.0;
pub const HEIGHT: f32 = 210.0;
/// Side of the verification QR code, in mm.
const QR_SIZE: f32 = 28.0;
/// Room for the signature and seal, in mm, between the signer's title and name.
const SIGNATURE_GAP: f32 = 33.0;
/// From the signature block's first line down to the signer's name: an authority line
/// ("TM. …", 5.5 mm) when there is one, then the gap.
const SIGNATURE_DEPTH: f32 = 5.5 + SIGNATURE_GAP;
/// The name's largest size and the width it must fit in.
const NAME_SIZE: f32 = 30.0;
const TEXT_WIDTH: f32 = 230.0;

/// One PDF with a page per certificate, the fonts embedded once and subset to the glyphs
/// used. `on_page` is called after each page with the number drawn so far (progress of
/// batch jobs). Errors when a verification URL cannot be drawn as a QR code.
pub fn certificates(
    sheets: &[CertificateSheet],
    paper: Paper,
    fonts: &Fonts,
    mut on_page: impl FnMut(usize),
) -> anyhow::Result<Vec<u8>> {
    let mut pdf = fonts.document("Giấy khen");
    for (i, sheet) in sheets.iter().enumerate() {
        let mut canvas = Canvas::new(fonts, WIDTH, HEIGHT);
        match paper {
            Paper::Plain => {
                draw_preprinted(&mut canvas, &sheet.award);
                draw_fields(&mut canvas, sheet, &BlankLayout::default())?;
            }
            Paper::Blank(layout) => draw_fields(&mut canvas, sheet, &layout)?,
        }
        canvas.finish(&mut pdf)?;
        on_page(i + 1);
    }
    pdf.finish()
}

/// The achievement in at most four lines at the largest size from 15 pt down to 10 pt that
/// allows it; a longer text keeps 10 pt and takes more lines: never cut off. Gives the size
/// in points and the lines.
fn achievement_lines(text: &str) -> (f32, Vec<String>) {
    [15.0, 14.0, 13.0, 12.0, 11.0, 10.0]
        .into_iter()
        .map(|size| (size, wrap(Style::Italic, size, text, TEXT_WIDTH)))
        .find(|(_, lines)| lines.len() <= 4)
        .unwrap_or_else(|| (10.0, wrap(Style::Italic, 10.0, text, TEXT_WIDTH)))
}

/// What a pre-printed blank already carries: the frame, the national title, "TẶNG" and the
/// award ("GIẤY KHEN"; each award has its own blank).
fn draw_preprinted(canvas: &mut Canvas, award: &str) {
    // A double frame in dark red, the colour of printed certificates.
    canvas.color(0.55, 0.1, 0.1);
    canvas.rect(8.0, 8.0, WIDTH - 16.0, HEIGHT - 16.0, false);
    canvas.rect(11.0, 11.0, WIDTH - 22.0, HEIGHT - 22.0, false);
    canvas.color(0.0, 0.0, 0.0);
    national_title(canvas, WIDTH / 2.0, 26.0, 13.0, 14.0);
    canvas.centered(WIDTH / 2.0, 62.0, Style::Bold, 16.0, "TẶNG");
    canvas.color(0.7, 0.05, 0.05);
    canvas.centered(WIDTH / 2.0, 80.0, Style::Bold, 34.0, award);
    canvas.color(0.0, 0.0, 0.0);
}

fn draw_fields(canvas: &mut Canvas, sheet: &CertificateSheet, layout: &BlankLayout) -> anyhow::Result<()> {
    let BlankLayout { authority, recipient, achievement, decision, qr, place_date: dated, signature } = *layout;
    canvas.centered(authority.x, authority.y, Style::Bold, 15.0, &sheet.authority_heading);
    if sheet.posthumous {
        canvas.centered(recipient.x, recipient.y - 10.0, Style::Italic, 14.0, "Truy tặng");
    }
    // Long names shrink to fit one line rather than wrap.
    let size = (NAME_SIZE * TEXT_WIDTH / text_width(Style::Bold, NAME_SIZE, &sheet.recipient)).min(NAME_SIZE);
    canvas.centered(recipient.x, recipient.y, Style::Bold, size, &sheet.recipient);
    let (size, lines) = achievement_lines(&sheet.achievement);
    for (i, line) in lines.iter().enumerate() {
        canvas.centered(achievement.x, achievement.y + i as f32 * size * 0.47, Style::Italic, size, line);
    }
    let decided = format!("Quyết định số {} ngày {}", sheet.decision_number, crate::time::format_dmy(sheet.signed_on));
    canvas.text(decision.x, decision.y, Style::Regular, 12.0, &decided);
    canvas.text(decision.x, decision.y + 6.0, Style::Regular, 12.0, &format!("Số sổ vàng: {}", sheet.register_number));
    canvas.qr(qr.x, qr.y, QR_SIZE, &sheet.verify_url)?;
    canvas.centered(dated.x, dated.y, Style::Italic, 13.0, &place_date(&sheet.place_name, sheet.signed_on));
    signature_block(canvas, signature.x, signature.y, SIGNATURE_GAP, &sheet.signature);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{BlankLayout, Position, achievement_lines};

    #[test]
    fn a_long_achievement_gets_smaller_but_is_never_cut() {
        let short = "Đã có thành tích xuất sắc trong phong trào Toàn dân bảo vệ an ninh Tổ quốc năm 2026";
        let (size, lines) = achievement_lines(short);
        assert_eq!((size, lines.len()), (15.0, 1));
        let long = format!("{short} ").repeat(5);
        let (size, lines) = achievement_lines(&long);
        assert!(size < 15.0 && lines.len() <= 4, "{size} {lines:?}");
        assert_eq!(lines.join(" "), long.split_whitespace().collect::<Vec<_>>().join(" "));
        let very_long = format!("{short} ").repeat(20);
        let (size, lines) = achievement_lines(&very_long);
        assert_eq!(size, 10.0);
        assert_eq!(lines.join(" "), very_long.split_whitespace().collect::<Vec<_>>().join(" "));
    }

    #[test]
    fn positions_off_the_sheet_are_named() {
        assert_eq!(BlankLayout::default().off_sheet(), None);
        let layout = BlankLayout { qr: Position { x: 10.0, y: 250.0 }, ..BlankLayout::default() };
        assert_eq!(layout.off_sheet(), Some("qr"));
        // The 28 mm code must fit whole: its corner at y 190 would hang 8 mm off the sheet.
        let layout = BlankLayout { qr: Position { x: 10.0, y: 190.0 }, ..BlankLayout::default() };
        assert_eq!(layout.off_sheet(), Some("qr"));
        let layout = BlankLayout { recipient: Position { x: 10.0, y: 190.0 }, ..BlankLayout::default() };
        assert_eq!(layout.off_sheet(), None);
        // The signer's name goes 38.5 mm under the block's first line.
        let layout = BlankLayout { signature: Position { x: 215.0, y: 180.0 }, ..BlankLayout::default() };
        assert_eq!(layout.off_sheet(), Some("signature"));
    }
}
