//! The pieces every document is built from (Decree 30/2020/NĐ-CP, Appendix I): text measured
//! with the fonts' advance widths, centred or right-aligned lines, wrapping, rules, the
//! national title block, the place-date line, and QR codes drawn as vector squares.
//! Positions are millimetres from the top-left corner of the page.

use chrono::{Datelike, NaiveDate};
use printpdf::{
    Color, FontId, Line, LinePoint, Mm, Op, PaintMode, ParsedFont, PdfDocument, PdfFontHandle, Point, Pt, Rect, Rgb,
    TextItem,
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

    /// Adds the faces to `pdf` once; every page then refers to them.
    pub fn add_to(&self, pdf: &mut PdfDocument) -> [FontId; 4] {
        [0, 1, 2, 3].map(|i| pdf.add_font(&self.faces[i]))
    }
}

/// Millimetres per point.
const MM_PER_PT: f32 = 25.4 / 72.0;

/// Width of `text` in `style` at `size` points, in millimetres.
pub fn text_width(style: Style, size: f32, text: &str) -> f32 {
    let (units_per_em, advance) = face_metrics(style.index());
    let units: u32 = text.chars().map(|c| u32::from(advance(c))).sum();
    units as f32 / f32::from(units_per_em) * size * MM_PER_PT
}

/// `text` broken into lines no wider than `width` mm, at spaces.
pub fn wrap(style: Style, size: f32, text: &str, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() { word.to_owned() } else { format!("{line} {word}") };
        if !line.is_empty() && text_width(style, size, &candidate) > width {
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
}

impl Canvas {
    /// A page `height` mm tall using the `fonts` added to its document.
    pub fn new(fonts: &[FontId; 4], height: f32) -> Self {
        Self { fonts: fonts.clone(), height, ops: Vec::new() }
    }

    fn point(&self, x: f32, y: f32) -> Point {
        Point { x: Mm(x).into(), y: Mm(self.height - y).into() }
    }

    /// `text` with its baseline at `y`, starting at `x`.
    pub fn text(&mut self, x: f32, y: f32, style: Style, size: f32, text: &str) {
        let pos = self.point(x, y);
        let font = PdfFontHandle::External(self.fonts[style.index()].clone());
        self.ops.extend([
            Op::StartTextSection,
            Op::SetFont { font, size: Pt(size) },
            Op::SetTextCursor { pos },
            Op::ShowText { items: vec![TextItem::Text(text.to_owned())] },
            Op::EndTextSection,
        ]);
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
        let points = [from, to].map(|(x, y)| LinePoint { p: self.point(x, y), bezier: false }).to_vec();
        self.ops.push(Op::SetOutlineThickness { pt: Pt(thickness) });
        self.ops.push(Op::DrawLine { line: Line { points, is_closed: false } });
    }

    /// A rectangle `(x, y)` top-left, `width` × `height` mm, outlined or filled.
    pub fn rect(&mut self, x: f32, y: f32, width: f32, height: f32, filled: bool) {
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
    /// Errors when `data` is too long for a QR code.
    pub fn qr(&mut self, x: f32, y: f32, size: f32, data: &str) -> anyhow::Result<()> {
        let code = QrCode::with_error_correction_level(data, EcLevel::M)?;
        let modules = code.width();
        let colors = code.to_colors();
        // Four modules of quiet zone around the symbol, as scanners need.
        let module = size / (modules + 8) as f32;
        self.color(0.0, 0.0, 0.0);
        // One rectangle per run of dark modules in a row: a third of the drawing operations
        // of one square per module, for the same picture.
        for (row, cells) in colors.chunks(modules).enumerate() {
            let mut col = 0;
            while col < modules {
                if cells[col] != qrcode::Color::Dark {
                    col += 1;
                    continue;
                }
                let run = cells[col..].iter().take_while(|cell| **cell == qrcode::Color::Dark).count();
                let left = x + (col + 4) as f32 * module;
                let top = y + (row + 4) as f32 * module;
                self.rect(left, top, run as f32 * module, module, true);
                col += run;
            }
        }
        Ok(())
    }

    pub fn into_ops(self) -> Vec<Op> {
        self.ops
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

/// "Xã Tân Phú, ngày 05 tháng 8 năm 2025": days below 10 and the months 1 and 2 with a
/// leading zero (Decree 30/2020, Appendix I, item 4; DOMAIN.md).
pub fn place_date(place: &str, date: NaiveDate) -> String {
    let month = match date.month() {
        month @ (1 | 2) => format!("{month:02}"),
        month => month.to_string(),
    };
    format!("{place}, ngày {:02} tháng {month} năm {}", date.day(), date.year())
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
