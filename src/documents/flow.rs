//! Documents that run over several A4 portrait pages (Decree 30/2020/NĐ-CP, article 13):
//! text filled from the top of a page down, a new page when the next piece does not fit,
//! pages numbered at the top centre from the second, and tables whose header row is repeated
//! at the top of every page they continue on.

use super::layout::{
    Canvas, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MM_PER_PT, PORTRAIT_HEIGHT, PORTRAIT_WIDTH, Style,
    text_width, wrap, wrap_balanced, wrap_from,
};
use super::pdf::{Fonts, PdfFile};

/// Width of the text between the margins, in mm.
pub const TEXT_WIDTH: f32 = PORTRAIT_WIDTH - MARGIN_LEFT - MARGIN_RIGHT;
/// The centre of the text, in mm from the left edge.
pub const MIDDLE: f32 = MARGIN_LEFT + TEXT_WIDTH / 2.0;
/// Lowest baseline on a page before a new one starts.
const LAST_LINE: f32 = PORTRAIT_HEIGHT - MARGIN_BOTTOM - 5.0;
/// Size of table text, in points.
const TABLE_SIZE: f32 = 12.0;
/// Distance between the baselines of a table cell's lines, in mm.
const ROW_LEADING: f32 = 5.5;
/// Room between a cell's text and the rule beside it, in mm.
const CELL_PADDING: f32 = 1.5;

/// Where the text of a table column sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
}

/// A table column: its width in mm, its heading (bold, centred) and how its cells sit.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub width: f32,
    pub heading: &'static str,
    pub align: Align,
}

/// A4 portrait pages being filled from top to bottom.
pub struct Flow<'a> {
    fonts: &'a Fonts,
    pages: Vec<Canvas<'a>>,
    /// The baseline of the next line, in mm from the top of the current page.
    pub y: f32,
}

impl<'a> Flow<'a> {
    /// One empty page, the next line at the top margin.
    pub fn new(fonts: &'a Fonts) -> Self {
        Self { fonts, pages: vec![Canvas::new(fonts, PORTRAIT_WIDTH, PORTRAIT_HEIGHT)], y: MARGIN_TOP }
    }

    /// The page being filled.
    pub fn canvas(&mut self) -> &mut Canvas<'a> {
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    /// Starts a new page unless `height` mm still fit on this one; gives whether it did.
    pub fn need(&mut self, height: f32) -> bool {
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

    /// A paragraph `size` points across the text width, `label` in bold first (e.g.
    /// "Điều 1."), the first line `indent` mm in, moving to a new page line by line when
    /// needed.
    pub fn paragraph(&mut self, indent: f32, size: f32, label: &str, style: Style, text: &str) {
        let leading = size * MM_PER_PT * 1.35;
        let label_width = if label.is_empty() { 0.0 } else { text_width(Style::Bold, size, &format!("{label} ")) };
        let first_width = TEXT_WIDTH - indent - label_width;
        let lines = wrap_from(style, size, text, first_width, TEXT_WIDTH);
        for (i, line) in lines.iter().enumerate() {
            self.need(leading);
            let y = self.y;
            if i == 0 {
                let x = MARGIN_LEFT + indent;
                if label.is_empty() {
                    self.canvas().text(x, y, style, size, line);
                } else {
                    self.canvas().text(x, y, Style::Bold, size, label);
                    let after = x + TEXT_WIDTH - indent - first_width;
                    self.canvas().text(after, y, style, size, line);
                }
            } else {
                self.canvas().text(MARGIN_LEFT, y, style, size, line);
            }
            self.y += leading;
        }
    }

    /// `text` centred across the text width, in lines of balanced length.
    pub fn centered(&mut self, style: Style, size: f32, text: &str) {
        for line in wrap_balanced(style, size, text, TEXT_WIDTH) {
            self.need(size * 0.5);
            let y = self.y;
            self.canvas().centered(MIDDLE, y, style, size, &line);
            self.y += size * MM_PER_PT * 1.35;
        }
    }

    /// A table from the left margin: the header row, then one row per entry of `rows` (a
    /// cell per column, wrapped to the column's width). A row never splits across pages; the
    /// header is repeated at the top of each page the table continues on.
    pub fn table<const N: usize>(&mut self, columns: &[Column; N], rows: &[[String; N]]) {
        self.y += 5.0;
        // The header is not left alone at the foot of a page.
        self.need(20.0);
        self.table_header(columns);
        for row in rows {
            let cells: Vec<Vec<String>> = row
                .iter()
                .zip(columns)
                .map(|(cell, column)| wrap(Style::Regular, TABLE_SIZE, cell, column.width - 2.0 * CELL_PADDING))
                .collect();
            let height = cells.iter().map(Vec::len).max().unwrap_or(1).max(1) as f32 * ROW_LEADING + 1.5;
            if self.need(height) {
                self.y += 3.0;
                self.table_header(columns);
            }
            let top = self.y - 4.5;
            let y = self.y;
            let mut left = MARGIN_LEFT;
            for (lines, column) in cells.iter().zip(columns) {
                for (n, line) in lines.iter().enumerate() {
                    self.cell(left, column, y + n as f32 * ROW_LEADING, Style::Regular, line);
                }
                left += column.width;
            }
            self.y += height;
            self.rules(columns, top, self.y - 4.5);
        }
    }

    /// One line of a cell in the column starting at `left`, placed as the column says.
    fn cell(&mut self, left: f32, column: &Column, y: f32, style: Style, text: &str) {
        let canvas = self.canvas();
        match column.align {
            Align::Left => canvas.text(left + CELL_PADDING, y, style, TABLE_SIZE, text),
            Align::Center => canvas.centered(left + column.width / 2.0, y, style, TABLE_SIZE, text),
            Align::Right => canvas.right(left + column.width - CELL_PADDING, y, style, TABLE_SIZE, text),
        }
    }

    /// The table's header row with its rules: the headings in bold, centred, wrapped.
    fn table_header(&mut self, columns: &[Column]) {
        let top = self.y - 4.5;
        let y = self.y;
        let mut left = MARGIN_LEFT;
        let mut lines_needed = 1;
        for column in columns {
            let centre = Column { align: Align::Center, ..*column };
            let lines = wrap(Style::Bold, TABLE_SIZE, column.heading, column.width - 2.0 * CELL_PADDING);
            for (n, line) in lines.iter().enumerate() {
                self.cell(left, &centre, y + n as f32 * ROW_LEADING, Style::Bold, line);
            }
            lines_needed = lines_needed.max(lines.len());
            left += column.width;
        }
        self.y += (lines_needed - 1) as f32 * ROW_LEADING + 3.0;
        self.rules(columns, top, self.y);
        self.y += 4.5;
    }

    /// The frame of one table row from `top` to `bottom`.
    fn rules(&mut self, columns: &[Column], top: f32, bottom: f32) {
        let right = MARGIN_LEFT + columns.iter().map(|column| column.width).sum::<f32>();
        let canvas = self.canvas();
        canvas.line((MARGIN_LEFT, top), (right, top), 0.5);
        canvas.line((MARGIN_LEFT, bottom), (right, bottom), 0.5);
        let mut x = MARGIN_LEFT;
        canvas.line((x, top), (x, bottom), 0.5);
        for column in columns {
            x += column.width;
            canvas.line((x, top), (x, bottom), 0.5);
        }
    }

    /// Adds the pages to `pdf`. Errors naming the first character drawn that the fonts lack.
    pub fn finish(self, pdf: &mut PdfFile) -> anyhow::Result<()> {
        for canvas in self.pages {
            canvas.finish(pdf)?;
        }
        Ok(())
    }
}
