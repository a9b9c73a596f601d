//! The pieces every document is built from (Decree 30/2020/NĐ-CP, Appendix I): text measured
//! with the fonts' advance widths, centred or right-aligned lines, wrapping, rules, the
//! national title block, the place-date line, and QR codes drawn as vector squares.
//! Positions are millimetres from the top-left corner of the page.

use chrono::{Datelike, NaiveDate};
use std::hash::{Hash, Hasher};

use printpdf::{
    Color, DictItem, ExternalStream, ExternalXObject, FontId, Line, LinePoint, Mm, OffsetDateTime, Op, PaintMode,
    ParsedFont, PdfDocument, PdfFontHandle, Point, Pt, Rect, Rgb, TextItem, TextMatrix, XObject, XObjectId,
    XObjectTransform,
};
use qrcode::{EcLevel, QrCode};

use super::fonts::{FACE_FILES, face_metrics};

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

/// The fonts parsed for PDF embedding, once at start (parsing is the slow part).
pub struct Fonts {
    faces: Vec<ParsedFont>,
}

impl Fonts {
    /// Errors when an embedded face does not parse (a build defect).
    pub fn load() -> anyhow::Result<Self> {
        let faces = FACE_FILES
            .iter()
            .map(|(name, bytes)| {
                ParsedFont::from_bytes(bytes, 0, &mut Vec::new())
                    .ok_or_else(|| anyhow::anyhow!("document font {name} does not parse"))
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        Ok(Self { faces })
    }

    /// A new PDF titled `title`, dated now (printpdf leaves 1970), with the faces added once;
    /// every page refers to them by the ids given.
    pub fn document(&self, title: &str) -> (PdfDocument, [FontId; 4]) {
        let mut pdf = PdfDocument::new(title);
        let now = OffsetDateTime::now_utc();
        let info = &mut pdf.metadata.info;
        (info.creation_date, info.modification_date, info.metadata_date) = (now, now, now);
        let ids = [0, 1, 2, 3].map(|i| pdf.add_font(&self.faces[i]));
        (pdf, ids)
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

/// One page being drawn.
pub struct Canvas {
    fonts: [FontId; 4],
    height: f32,
    ops: Vec<Op>,
    /// Form XObjects the page uses (QR codes), added to the document by [`Canvas::finish`].
    xobjects: Vec<(XObjectId, XObject)>,
    /// The font and size of the text object open now, if one is: consecutive lines share one
    /// text object and set the font only when it changes, which keeps pages small and fast.
    text_state: Option<(Style, f32)>,
}

impl Canvas {
    /// A page `height` mm tall using the `fonts` added to its document.
    pub fn new(fonts: &[FontId; 4], height: f32) -> Self {
        Self { fonts: fonts.clone(), height, ops: Vec::new(), xobjects: Vec::new(), text_state: None }
    }

    /// Closes the open text object, before drawing shapes (which PDF forbids inside one).
    fn end_text(&mut self) {
        if self.text_state.take().is_some() {
            self.ops.push(Op::EndTextSection);
        }
    }

    fn point(&self, x: f32, y: f32) -> Point {
        Point { x: Mm(x).into(), y: Mm(self.height - y).into() }
    }

    /// `text` with its baseline at `y`, starting at `x`.
    pub fn text(&mut self, x: f32, y: f32, style: Style, size: f32, text: &str) {
        let pos = self.point(x, y);
        match self.text_state {
            Some(state) if state == (style, size) => {}
            state => {
                if state.is_none() {
                    self.ops.push(Op::StartTextSection);
                }
                let font = PdfFontHandle::External(self.fonts[style.index()].clone());
                self.ops.push(Op::SetFont { font, size: Pt(size) });
                self.text_state = Some((style, size));
            }
        }
        // An absolute position (Tm), as lines follow each other in one text object.
        self.ops.push(Op::SetTextMatrix { matrix: TextMatrix::Translate(pos.x, pos.y) });
        self.ops.push(Op::ShowText { items: vec![TextItem::Text(text.to_owned())] });
    }

    /// `text` centred on `x`.
    pub fn centered(&mut self, x: f32, y: f32, style: Style, size: f32, text: &str) {
        self.text(x - text_width(style, size, text) / 2.0, y, style, size, text);
    }

    /// `text` ending at `x`.
    pub fn right(&mut self, x: f32, y: f32, style: Style, size: f32, text: &str) {
        self.text(x - text_width(style, size, text), y, style, size, text);
    }

    /// A straight rule `thickness` points wide.
    pub fn line(&mut self, from: (f32, f32), to: (f32, f32), thickness: f32) {
        self.end_text();
        let points = [from, to].map(|(x, y)| LinePoint { p: self.point(x, y), bezier: false }).to_vec();
        self.ops.push(Op::SetOutlineThickness { pt: Pt(thickness) });
        self.ops.push(Op::DrawLine { line: Line { points, is_closed: false } });
    }

    /// A rectangle `(x, y)` top-left, `width` × `height` mm, outlined or filled.
    pub fn rect(&mut self, x: f32, y: f32, width: f32, height: f32, filled: bool) {
        self.end_text();
        let lower_left = self.point(x, y + height);
        self.ops.push(Op::DrawRectangle {
            rectangle: Rect {
                x: lower_left.x,
                y: lower_left.y,
                width: Mm(width).into(),
                height: Mm(height).into(),
                mode: Some(if filled { PaintMode::Fill } else { PaintMode::Stroke }),
                winding_order: None,
            },
        });
    }

    /// Text colour and line colour for what follows.
    pub fn color(&mut self, r: f32, g: f32, b: f32) {
        let col = Color::Rgb(Rgb { r, g, b, icc_profile: None });
        self.ops.push(Op::SetFillColor { col: col.clone() });
        self.ops.push(Op::SetOutlineColor { col });
    }

    /// A QR code of `data` (medium error correction) as black squares, `size` mm wide with
    /// its top-left corner at `(x, y)`; vector, so it prints sharp at any resolution.
    /// The squares go into a form XObject of their own, written as raw path operators in
    /// module units: one short line per run of dark modules instead of four drawing
    /// operations per square, which is what makes batches fast and small.
    /// Errors when `data` is too long for a QR code.
    pub fn qr(&mut self, x: f32, y: f32, size: f32, data: &str) -> anyhow::Result<()> {
        let code = QrCode::with_error_correction_level(data, EcLevel::M)?;
        // Four modules of quiet zone around the symbol, as scanners need.
        let side = code.width() + 8;
        // Named after its content: the same code drawn twice is stored once.
        let mut hasher = std::hash::DefaultHasher::new();
        data.hash(&mut hasher);
        let id = XObjectId(format!("QR{:016x}", hasher.finish()));
        let mut dict = std::collections::BTreeMap::new();
        dict.insert("Type".to_owned(), DictItem::Name(b"XObject".to_vec()));
        dict.insert("Subtype".to_owned(), DictItem::Name(b"Form".to_vec()));
        let bbox = [0, 0, side, side].map(|n| DictItem::Int(n as i64)).to_vec();
        dict.insert("BBox".to_owned(), DictItem::Array(bbox));
        let stream = ExternalStream { dict, content: qr_path(&code), compress: true };
        let form = ExternalXObject { stream, width: None, height: None, dpi: None };
        self.xobjects.push((id.clone(), XObject::External(form)));
        let scale = Pt::from(Mm(size)).0 / side as f32;
        let lower_left = self.point(x, y + size);
        let transform = XObjectTransform {
            translate_x: Some(lower_left.x),
            translate_y: Some(lower_left.y),
            scale_x: Some(scale),
            scale_y: Some(scale),
            ..XObjectTransform::default()
        };
        self.end_text();
        self.ops.push(Op::UseXobject { id, transform });
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

    /// The page's drawing operations, its XObjects added to `pdf` (once each).
    pub fn finish(mut self, pdf: &mut PdfDocument) -> Vec<Op> {
        self.end_text();
        for (id, xobject) in self.xobjects {
            pdf.resources.xobjects.map.entry(id).or_insert(xobject);
        }
        self.ops
    }
}

/// The dark modules of `code` as a PDF path in module units (origin bottom-left, four
/// modules of quiet zone), filled black: `x y w 1 re` per horizontal run, then `f`.
fn qr_path(code: &QrCode) -> Vec<u8> {
    use std::fmt::Write;
    let modules = code.width();
    let side = modules + 8;
    let mut path = String::from("0 g\n");
    for (row, cells) in code.to_colors().chunks(modules).enumerate() {
        let mut col = 0;
        while col < modules {
            let run = cells[col..].iter().take_while(|cell| **cell == qrcode::Color::Dark).count();
            if run > 0 {
                let _ = writeln!(path, "{} {} {run} 1 re", col + 4, side - 5 - row);
            }
            col += run.max(1);
        }
    }
    path.push('f');
    path.into_bytes()
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
    canvas.centered(LEFT_CENTRE, y + 3.5, Style::Regular, 13.0, &format!("Số: {}", head.number));
    national_title(canvas, RIGHT_CENTRE, MARGIN_TOP + 5.0, 12.0, 13.0);
    canvas.centered(RIGHT_CENTRE, MARGIN_TOP + 20.0, Style::Italic, 13.0, &place_date(&head.place_name, head.date));
    (y + 3.5).max(MARGIN_TOP + 20.0) + 12.0
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
