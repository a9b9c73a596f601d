//! The pieces every document is built from (Decree 30/2020/NĐ-CP, Appendix I): text measured
//! with the fonts' advance widths, centred or right-aligned lines, wrapping, rules, the
//! national title block, the place-date line, and QR codes drawn as vector squares.
//! Positions are millimetres from the top-left corner of the page.

use chrono::{Datelike, NaiveDate};

use std::fmt::Write;

use fast_qr::{ECL, QRBuilder, QRCode};

use super::fonts::{face_metrics, unprintable};
use super::pdf::{Fonts, GlyphsUsed, PdfFile};

/// The four faces of the document font.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Regular,
    Bold,
    Italic,
    BoldItalic,
}

impl Style {
    fn index(self) -> usize {
        match self {
            Self::Regular => 0,
            Self::Bold => 1,
            Self::Italic => 2,
            Self::BoldItalic => 3,
        }
    }
}

/// Millimetres per point.
pub const MM_PER_PT: f32 = 25.4 / 72.0;

/// Width of `text` in `style` at `size` points, in millimetres.
pub fn text_width(style: Style, size: f32, text: &str) -> f32 {
    let (units_per_em, advance) = face_metrics(style.index());
    let units: u32 = text.chars().map(|c| u32::from(advance(c))).sum();
    units as f32 / f32::from(units_per_em) * size * MM_PER_PT
}

/// `text` broken into lines no wider than `width` mm, at spaces.
pub fn wrap(style: Style, size: f32, text: &str, width: f32) -> Vec<String> {
    wrap_from(style, size, text, width, width)
}

/// [`wrap`], but a text that needs two lines is cut where the lines come out most even:
/// "ỦY BAN NHÂN DÂN / PHƯỜNG TÂN PHÚ" rather than "ỦY BAN NHÂN DÂN PHƯỜNG TÂN / PHÚ".
pub fn wrap_balanced(style: Style, size: f32, text: &str, width: f32) -> Vec<String> {
    let lines = wrap(style, size, text, width);
    if lines.len() != 2 {
        return lines;
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    (1..words.len())
        .map(|cut| [words[..cut].join(" "), words[cut..].join(" ")])
        .filter(|pair| pair.iter().all(|line| text_width(style, size, line) <= width))
        .min_by(|a, b| {
            let widest = |pair: &[String; 2]| pair.iter().map(|line| text_width(style, size, line)).fold(0.0, f32::max);
            widest(a).total_cmp(&widest(b))
        })
        .map_or(lines, Vec::from)
}

/// [`wrap`] with a first line of its own width (after a label or an indent).
pub fn wrap_from(style: Style, size: f32, text: &str, first_width: f32, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() { word.to_owned() } else { format!("{line} {word}") };
        let limit = if lines.is_empty() { first_width } else { width };
        if !line.is_empty() && text_width(style, size, &candidate) > limit {
            lines.push(std::mem::replace(&mut line, word.to_owned()));
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Why a drawn page is refused rather than printed wrong; printing answers 409 with the
/// message (Vietnamese, for the user).
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    /// A character the fonts lack, stored before the entry checks refused it.
    #[error("{}", unprintable(*.0))]
    Unprintable(char),
    /// Text that would fall off the sheet, e.g. from blank positions (phôi) set too close to
    /// its edge: "The text “…” falls off the sheet; adjust the print positions."
    #[error("Dòng chữ “{0}” nằm ngoài tờ giấy; hãy chỉnh lại vị trí in.")]
    OffPage(String),
}

/// Points per millimetre.
const PT_PER_MM: f32 = 72.0 / 25.4;

/// One page being drawn, as PDF content operators (ISO 32000-1, 8.2 and 9.4) in points from
/// the bottom-left corner; methods take millimetres from the top-left corner.
pub struct Canvas<'f> {
    fonts: &'f Fonts,
    width: f32,
    height: f32,
    content: Vec<u8>,
    /// The font and size of the text object open now, if one is: consecutive lines share one
    /// text object and set the font only when it changes, which keeps pages small and fast.
    text_state: Option<(Style, f32)>,
    /// The first character drawn that the fonts lack, or text drawn off the sheet;
    /// [`Canvas::finish`] refuses the page.
    refusal: Option<Refusal>,
    /// The glyphs drawn, so the file embeds only their outlines.
    used: GlyphsUsed,
}

impl<'f> Canvas<'f> {
    /// A page `width` × `height` mm drawn with `fonts`.
    pub fn new(fonts: &'f Fonts, width: f32, height: f32) -> Self {
        let used = fonts.no_glyphs_used();
        Self { fonts, width, height, content: Vec::with_capacity(4096), text_state: None, refusal: None, used }
    }

    /// Closes the open text object, before drawing shapes (which PDF forbids inside one).
    fn end_text(&mut self) {
        if self.text_state.take().is_some() {
            self.content.extend_from_slice(b"ET\n");
        }
    }

    /// `(x, y)` mm from the top left as points from the bottom left.
    fn point(&self, x: f32, y: f32) -> (f32, f32) {
        (x * PT_PER_MM, (self.height - y) * PT_PER_MM)
    }

    /// `text` with its baseline at `y`, starting at `x`.
    pub fn text(&mut self, x: f32, y: f32, style: Style, size: f32, text: &str) {
        self.draw_text(x, y, style, size, text, text_width(style, size, text));
    }

    /// [`Canvas::text`] `width` mm wide (measured once by the callers that align it).
    fn draw_text(&mut self, x: f32, y: f32, style: Style, size: f32, text: &str, width: f32) {
        let inside = |at: f32, limit: f32| (-0.5..=limit + 0.5).contains(&at);
        if self.refusal.is_none() && !(inside(x, self.width) && inside(x + width, self.width) && inside(y, self.height))
        {
            self.refusal = Some(Refusal::OffPage(text.to_owned()));
        }
        let (x, y) = self.point(x, y);
        if self.text_state != Some((style, size)) {
            if self.text_state.is_none() {
                self.content.extend_from_slice(b"BT\n");
            }
            let _ = writeln!(Bytes(&mut self.content), "/{} {size} Tf", self.fonts.resource(style.index()));
            self.text_state = Some((style, size));
        }
        // An absolute position (Tm), as lines follow each other in one text object; the text
        // as two-byte glyph ids of the embedded subset (Identity-H).
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        let _ = write!(Bytes(&mut self.content), "1 0 0 1 {x:.2} {y:.2} Tm <");
        for c in text.chars() {
            let glyph = match self.fonts.glyph(style.index(), c) {
                Some(glyph) => {
                    if let Some(used) = self.used[style.index()].get_mut(usize::from(glyph)) {
                        *used = true;
                    }
                    glyph
                }
                None => {
                    self.refusal.get_or_insert(Refusal::Unprintable(c));
                    0
                }
            };
            self.content.extend([12, 8, 4, 0].map(|shift| HEX[usize::from(glyph >> shift & 0xF)]));
        }
        self.content.extend_from_slice(b"> Tj\n");
    }

    /// `text` centred on `x`.
    pub fn centered(&mut self, x: f32, y: f32, style: Style, size: f32, text: &str) {
        let width = text_width(style, size, text);
        self.draw_text(x - width / 2.0, y, style, size, text, width);
    }

    /// `text` ending at `x`.
    pub fn right(&mut self, x: f32, y: f32, style: Style, size: f32, text: &str) {
        let width = text_width(style, size, text);
        self.draw_text(x - width, y, style, size, text, width);
    }

    /// A straight rule `thickness` points wide.
    pub fn line(&mut self, from: (f32, f32), to: (f32, f32), thickness: f32) {
        self.end_text();
        let ((x1, y1), (x2, y2)) = (self.point(from.0, from.1), self.point(to.0, to.1));
        let _ = writeln!(Bytes(&mut self.content), "{thickness} w {x1:.2} {y1:.2} m {x2:.2} {y2:.2} l S");
    }

    /// A rectangle `(x, y)` top-left, `width` × `height` mm, outlined or filled.
    pub fn rect(&mut self, x: f32, y: f32, width: f32, height: f32, filled: bool) {
        self.end_text();
        let (left, bottom) = self.point(x, y + height);
        let (width, height) = (width * PT_PER_MM, height * PT_PER_MM);
        let paint = if filled { "f" } else { "S" };
        let _ = writeln!(Bytes(&mut self.content), "{left:.2} {bottom:.2} {width:.2} {height:.2} re {paint}");
    }

    /// Text colour and line colour for what follows.
    pub fn color(&mut self, r: f32, g: f32, b: f32) {
        let _ = writeln!(Bytes(&mut self.content), "{r} {g} {b} rg {r} {g} {b} RG");
    }

    /// A QR code of `data` (medium error correction, the mask chosen by the penalty rules of
    /// ISO/IEC 18004 so it scans well off office printers) as black squares, `size` mm wide
    /// with its top-left corner at `(x, y)`; vector, so it prints sharp at any resolution:
    /// one `re` per horizontal run of dark modules, in module units scaled into place.
    /// Errors when `data` is too long for a QR code.
    pub fn qr(&mut self, x: f32, y: f32, size: f32, data: &str) -> anyhow::Result<()> {
        let code = QRBuilder::new(data).ecl(ECL::M).build()?;
        // Four modules of quiet zone around the symbol, as scanners need.
        let side = code.size + 8;
        let scale = size * PT_PER_MM / side as f32;
        let (left, bottom) = self.point(x, y + size);
        self.end_text();
        let _ = writeln!(Bytes(&mut self.content), "q {scale:.4} 0 0 {scale:.4} {left:.2} {bottom:.2} cm 0 g");
        qr_path(&code, &mut self.content);
        self.content.extend_from_slice(b"f Q\n");
        Ok(())
    }

    /// A paragraph `width` mm wide from `(x, y)`, `size` points: `label` in bold first (e.g.
    /// "Thời gian:"), then `text` in `style`, wrapped at spaces; the first line starts
    /// `indent` mm in. Gives the baseline of the next line.
    #[allow(clippy::too_many_arguments)]
    pub fn paragraph(
        &mut self,
        (x, y): (f32, f32),
        width: f32,
        indent: f32,
        size: f32,
        label: &str,
        style: Style,
        text: &str,
    ) -> f32 {
        let leading = size * MM_PER_PT * 1.35;
        let mut start = x + indent;
        if !label.is_empty() {
            self.text(start, y, Style::Bold, size, label);
            start += text_width(Style::Bold, size, &format!("{label} "));
        }
        let lines = wrap_from(style, size, text, width - (start - x), width);
        for (i, line) in lines.iter().enumerate() {
            let line_x = if i == 0 { start } else { x };
            self.text(line_x, y + i as f32 * leading, style, size, line);
        }
        y + lines.len().max(1) as f32 * leading
    }

    /// Adds the page to `pdf`. Errors naming the first character drawn that the document
    /// fonts lack (entry checks keep such text out; this keeps a blank box off paper if one
    /// slipped through).
    pub fn finish(mut self, pdf: &mut PdfFile) -> anyhow::Result<()> {
        if let Some(refusal) = self.refusal {
            return Err(refusal.into());
        }
        self.end_text();
        pdf.add_page(self.width, self.height, &self.content, &self.used)
    }
}

/// `write!` straight into a byte buffer (formatting numbers without a `String` per call).
struct Bytes<'a>(&'a mut Vec<u8>);

impl Write for Bytes<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.extend_from_slice(s.as_bytes());
        Ok(())
    }
}

/// The dark modules of `code` as a PDF path in module units (origin bottom-left, four
/// modules of quiet zone): `x y w 1 re` per horizontal run.
fn qr_path(code: &QRCode, out: &mut Vec<u8>) {
    let modules = code.size;
    let side = modules + 8;
    for (row, cells) in code.data[..modules * modules].chunks(modules).enumerate() {
        let mut col = 0;
        while col < modules {
            let run = cells[col..].iter().take_while(|cell| cell.value()).count();
            if run > 0 {
                let _ = writeln!(Bytes(out), "{} {} {run} 1 re", col + 4, side - 5 - row);
            }
            col += run.max(1);
        }
    }
}

/// The national title block, centred on `x` from `y` down (Decree 30/2020, Appendix I, item 1):
/// the country's name in bold capitals, the motto in bold with a rule under it.
pub fn national_title(canvas: &mut Canvas, x: f32, y: f32, title_size: f32, motto_size: f32) {
    const COUNTRY: &str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
    const MOTTO: &str = "Độc lập - Tự do - Hạnh phúc";
    canvas.centered(x, y, Style::Bold, title_size, COUNTRY);
    let motto_y = y + motto_size * MM_PER_PT * 1.5;
    canvas.centered(x, motto_y, Style::Bold, motto_size, MOTTO);
    let half = text_width(Style::Bold, motto_size, MOTTO) / 2.0;
    canvas.line((x - half, motto_y + 1.5), (x + half, motto_y + 1.5), 0.6);
}

/// The top of an administrative document (Decree 30/2020, Appendix I, items 1–4): the
/// issuing body at the top left with its number under it, the national title at the top right
/// with the place and date under it.
#[derive(Debug, Clone)]
pub struct Letterhead {
    /// The body above the issuer, e.g. "ỦY BAN NHÂN DÂN TỈNH …" (normal capitals).
    pub parent_name: Option<String>,
    /// The issuing body, e.g. "ỦY BAN NHÂN DÂN PHƯỜNG TÂN PHÚ" (bold capitals).
    pub issuer_name: String,
    /// `07/GM-UBND`.
    pub number: String,
    /// The place of the place-date line, e.g. "Phường Tân Phú".
    pub place_name: String,
    pub date: NaiveDate,
}

/// A4 portrait, in millimetres, with the margins of Decree 30/2020 (article 13: top and
/// bottom 20–25, left 30–35, right 15–20).
pub const PORTRAIT_WIDTH: f32 = 210.0;
pub const PORTRAIT_HEIGHT: f32 = 297.0;
pub const MARGIN_TOP: f32 = 20.0;
pub const MARGIN_BOTTOM: f32 = 20.0;
pub const MARGIN_LEFT: f32 = 30.0;
pub const MARGIN_RIGHT: f32 = 15.0;

/// Draws `head` on a portrait page and gives the y (mm) below it.
pub fn letterhead(canvas: &mut Canvas, head: &Letterhead) -> f32 {
    const LEFT_CENTRE: f32 = MARGIN_LEFT + 33.0;
    const LEFT_WIDTH: f32 = 70.0;
    const RIGHT_CENTRE: f32 = 144.0;
    let mut y = MARGIN_TOP + 5.0;
    if let Some(parent) = &head.parent_name {
        for line in wrap(Style::Regular, 12.0, &parent.to_uppercase(), LEFT_WIDTH) {
            canvas.centered(LEFT_CENTRE, y, Style::Regular, 12.0, &line);
            y += 5.0;
        }
    }
    let name = head.issuer_name.to_uppercase();
    let lines = wrap_balanced(Style::Bold, 12.0, &name, LEFT_WIDTH);
    let widest = lines.iter().map(|line| text_width(Style::Bold, 12.0, line)).fold(0.0, f32::max);
    for line in &lines {
        canvas.centered(LEFT_CENTRE, y, Style::Bold, 12.0, line);
        y += 5.0;
    }
    // A rule a third of the name's width under it.
    canvas.line((LEFT_CENTRE - widest / 6.0, y - 3.5), (LEFT_CENTRE + widest / 6.0, y - 3.5), 0.6);
    // The number and the place-date share one line (Decree 30/2020, Appendix I, items 3 and 4).
    let number_y = (y + 3.5).max(MARGIN_TOP + 20.0);
    canvas.centered(LEFT_CENTRE, number_y, Style::Regular, 13.0, &format!("Số: {}", head.number));
    national_title(canvas, RIGHT_CENTRE, MARGIN_TOP + 5.0, 12.0, 13.0);
    canvas.centered(RIGHT_CENTRE, number_y, Style::Italic, 13.0, &place_date(&head.place_name, head.date));
    number_y + 12.0
}

/// The signature block (Decree 30/2020, Appendix I, item 7): the authority line ("TM. ỦY BAN
/// NHÂN DÂN", "KT. CHỦ TỊCH"; empty when the head signs in their own name), the signer's
/// title, room for the signature and seal, the signer's name.
#[derive(Debug, Clone)]
pub struct Signature {
    pub authority_line: String,
    /// "CHỦ TỊCH", "PHÓ CHỦ TỊCH", in capitals.
    pub signer_title: String,
    pub signer_name: String,
}

/// Draws `signature` centred on `x` from `y` down, with `gap` mm left for the signature and
/// seal; gives the y below the name.
pub fn signature_block(canvas: &mut Canvas, x: f32, y: f32, gap: f32, signature: &Signature) -> f32 {
    let mut y = y;
    if !signature.authority_line.is_empty() {
        canvas.centered(x, y, Style::Bold, 13.0, &signature.authority_line);
        y += 5.5;
    }
    canvas.centered(x, y, Style::Bold, 13.0, &signature.signer_title);
    let name_y = y + gap;
    canvas.centered(x, name_y, Style::Bold, 13.0, &signature.signer_name);
    name_y + 5.0
}

/// The list of recipients of copies, bottom left (Decree 30/2020, Appendix I, item 8): the
/// heading "Nơi nhận:" in bold italic 12 pt, the entries in 11 pt, each starting with "- ".
pub fn copies_to(canvas: &mut Canvas, x: f32, y: f32, entries: &[String]) {
    canvas.text(x, y, Style::BoldItalic, 12.0, "Nơi nhận:");
    for (i, entry) in entries.iter().enumerate() {
        canvas.text(x, y + 5.0 + i as f32 * 4.5, Style::Regular, 11.0, &format!("- {entry}"));
    }
}

/// "Xã Tân Phú, ngày 05 tháng 8 năm 2025": days below 10 and the months 1 and 2 with a
/// leading zero (Decree 30/2020, Appendix I, item 4; DOMAIN.md).
pub fn place_date(place: &str, date: NaiveDate) -> String {
    format!("{place}, {}", long_date(date))
}

/// "ngày 05 tháng 8 năm 2025", padded as in [`place_date`].
pub fn long_date(date: NaiveDate) -> String {
    let month = match date.month() {
        month @ (1 | 2) => format!("{month:02}"),
        month => month.to_string(),
    };
    format!("ngày {:02} tháng {month} năm {}", date.day(), date.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_pad_days_and_the_first_two_months() {
        let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(place_date("Xã Tân Phú", date(2025, 8, 5)), "Xã Tân Phú, ngày 05 tháng 8 năm 2025");
        assert_eq!(place_date("Xã Tân Phú", date(2025, 1, 19)), "Xã Tân Phú, ngày 19 tháng 01 năm 2025");
        assert_eq!(place_date("Xã Tân Phú", date(2025, 12, 10)), "Xã Tân Phú, ngày 10 tháng 12 năm 2025");
    }

    #[test]
    fn text_is_measured_and_wrapped_by_the_fonts() {
        let narrow = text_width(Style::Regular, 12.0, "iii");
        let wide = text_width(Style::Regular, 12.0, "MMM");
        assert!(narrow < wide && wide > 0.0);
        assert!(text_width(Style::Bold, 12.0, "Độc lập") > text_width(Style::Regular, 12.0, "Độc lập"));
        let lines = wrap(
            Style::Regular,
            14.0,
            "Đã có thành tích xuất sắc trong phong trào Toàn dân bảo vệ an ninh Tổ quốc năm 2025",
            80.0,
        );
        assert!(
            lines.len() >= 2 && lines.iter().all(|line| text_width(Style::Regular, 14.0, line) <= 80.0),
            "{lines:?}"
        );
    }
}
