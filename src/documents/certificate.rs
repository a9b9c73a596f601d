//! Giấy khen (certificate of merit), A4 landscape, in the layout of DOMAIN.md (*Document
//! layout*): decorative border, national title and motto, the issuing authority, "TẶNG",
//! the award, the recipient large and centred, the achievement, the decision and register
//! number bottom left with the verification QR, the place-date and signature bottom right.

use chrono::NaiveDate;
use printpdf::{Mm, PdfDocument, PdfPage, PdfSaveOptions};

use super::layout::{Canvas, Fonts, Style, national_title, place_date, text_width, wrap};

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
    /// "TM. ỦY BAN NHÂN DÂN" or "KT. CHỦ TỊCH"; empty when the head signs in their name.
    pub authority_line: String,
    /// "CHỦ TỊCH", "PHÓ CHỦ TỊCH".
    pub signer_title: String,
    pub signer_name: String,
    /// `{BASE_URL}/verify/{code}`, in the QR code.
    pub verify_url: String,
}

/// A4 landscape, in millimetres.
const WIDTH: f32 = 297.0;
const HEIGHT: f32 = 210.0;
/// The name's largest size and the width it must fit in.
const NAME_SIZE: f32 = 30.0;
const TEXT_WIDTH: f32 = 230.0;

/// One PDF with a page per certificate, the fonts embedded once and subset to the glyphs
/// used. Errors when a verification URL cannot be drawn as a QR code.
pub fn certificates(sheets: &[CertificateSheet], fonts: &Fonts) -> anyhow::Result<Vec<u8>> {
    let mut pdf = PdfDocument::new("Giấy khen");
    let ids = fonts.add_to(&mut pdf);
    let mut pages = Vec::with_capacity(sheets.len());
    for sheet in sheets {
        let mut canvas = Canvas::new(&ids, HEIGHT);
        draw(&mut canvas, sheet)?;
        pages.push(PdfPage::new(Mm(WIDTH), Mm(HEIGHT), canvas.into_ops()));
    }
    Ok(pdf.with_pages(pages).save(&PdfSaveOptions::default(), &mut Vec::new()))
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

fn draw(canvas: &mut Canvas, sheet: &CertificateSheet) -> anyhow::Result<()> {
    let middle = WIDTH / 2.0;
    // A double frame in dark red, the colour of printed certificates.
    canvas.color(0.55, 0.1, 0.1);
    canvas.rect(8.0, 8.0, WIDTH - 16.0, HEIGHT - 16.0, false);
    canvas.rect(11.0, 11.0, WIDTH - 22.0, HEIGHT - 22.0, false);
    canvas.color(0.0, 0.0, 0.0);
    national_title(canvas, middle, 26.0, 13.0, 14.0);
    canvas.centered(middle, 50.0, Style::Bold, 15.0, &sheet.authority_heading);
    canvas.centered(middle, 62.0, Style::Bold, 16.0, "TẶNG");
    canvas.color(0.7, 0.05, 0.05);
    canvas.centered(middle, 80.0, Style::Bold, 34.0, &sheet.award);
    canvas.color(0.0, 0.0, 0.0);
    let mut y = 96.0;
    if sheet.posthumous {
        canvas.centered(middle, y - 4.0, Style::Italic, 14.0, "Truy tặng");
        y += 6.0;
    }
    // Long names shrink to fit one line rather than wrap.
    let size = (NAME_SIZE * TEXT_WIDTH / text_width(Style::Bold, NAME_SIZE, &sheet.recipient)).min(NAME_SIZE);
    canvas.centered(middle, y + 4.0, Style::Bold, size, &sheet.recipient);
    let (size, lines) = achievement_lines(&sheet.achievement);
    for (i, line) in lines.iter().enumerate() {
        canvas.centered(middle, y + 18.0 + i as f32 * size * 0.47, Style::Italic, size, line);
    }
    // Bottom left: the decision and the register, with the QR for checking.
    let decision = format!("Quyết định số {} ngày {}", sheet.decision_number, crate::time::format_dmy(sheet.signed_on));
    canvas.text(24.0, 158.0, Style::Regular, 12.0, &decision);
    canvas.text(24.0, 164.0, Style::Regular, 12.0, &format!("Số sổ vàng: {}", sheet.register_number));
    canvas.qr(22.0, 167.0, 28.0, &sheet.verify_url)?;
    // Bottom right: place and date, then the signature block.
    let right = 215.0;
    canvas.centered(right, 152.0, Style::Italic, 13.0, &place_date(&sheet.place_name, sheet.signed_on));
    let mut y = 159.0;
    if !sheet.authority_line.is_empty() {
        canvas.centered(right, y, Style::Bold, 13.0, &sheet.authority_line);
        y += 5.5;
    }
    canvas.centered(right, y, Style::Bold, 13.0, &sheet.signer_title);
    canvas.centered(right, 192.0, Style::Bold, 13.0, &sheet.signer_name);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::achievement_lines;

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
}
