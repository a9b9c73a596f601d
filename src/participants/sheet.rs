//! Participant sheets: reading CSV/XLSX uploads into rows of raw cell text, and writing CSV/XLSX exports.
//!
//! This module deals only with the file: formats, text encodings, header recognition, text normalization and the
//! detection of text typed with legacy Vietnamese encodings (TCVN3/VNI). It does not validate values; the rows it
//! returns are raw, normalized text for the participant validator.
//!
//! # Upload formats
//! - **XLSX** (recognized by the ZIP signature `PK\x03\x04`): the first visible worksheet is read. Cells of any
//!   type become text: whole numbers without ".0", booleans as "TRUE"/"FALSE", dates as dd/mm/yyyy. A phone or
//!   CCCD typed as a number loses its leading zeros in Excel; they are put back for a 9-digit phone (mobile), a
//!   10-digit phone starting with 2 (landline) and a 10- or 11-digit CCCD (always 12 digits, starting with 0).
//! - **CSV** (anything else): UTF-8 with or without BOM, UTF-16 LE/BE with BOM, and otherwise Windows-1258 when the
//!   bytes are not valid UTF-8. The delimiter (`,`, `;` or tab) is sniffed from the header line, because Excel in a
//!   Vietnamese locale saves CSV with `;`.
//! - Old binary Excel files (`.xls`) and password-protected workbooks (both OLE/CFB containers) are refused with a
//!   message asking the organizer to save as `.xlsx` or `.csv`.
//!
//! # Sheet layout
//! The first non-empty row is the header; its cells are matched against the Vietnamese and English aliases of each
//! [`Column`] ignoring case, accents, punctuation and spacing. Unknown header cells (such as "STT") are ignored.
//! Line numbers are the real spreadsheet line numbers: blank rows are skipped but still counted. A row whose only
//! content is in unknown columns (typically a pre-filled "STT" number) is skipped like a blank row.

use std::borrow::Cow;
use std::io::Cursor;

use calamine::{DataRef, ExcelDateTime, Reader, SheetType, SheetVisible, Xlsx};
use encoding_rs::{Encoding, WINDOWS_1258};
use rust_xlsxwriter::{ColNum, Format, RowNum, Workbook, XlsxError};
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// A column of the participant sheet; [`Column::field`] is the API field name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Column {
    /// Full name, e.g. "Nguyễn Thị Minh Khai" (required in every upload).
    FullName,
    /// Given name, e.g. "Khai".
    GivenName,
    /// Sex.
    Sex,
    /// Role at the festival.
    Role,
    /// Whether the person is an invited guest.
    Invited,
    /// Email address.
    Email,
    /// Phone number.
    Phone,
    /// Citizen identity card number (căn cước công dân).
    Cccd,
    /// Organization or work unit.
    Organization,
    /// Job title or position.
    Title,
    /// Address or household.
    Address,
}

impl Column {
    /// Every column, in the order used by the template and exports.
    pub const ALL: [Column; 11] = [
        Column::FullName,
        Column::GivenName,
        Column::Sex,
        Column::Role,
        Column::Invited,
        Column::Email,
        Column::Phone,
        Column::Cccd,
        Column::Organization,
        Column::Title,
        Column::Address,
    ];

    /// The API field name, e.g. `"full_name"`; also used as [`SheetError::field`].
    pub fn field(self) -> &'static str {
        match self {
            Column::FullName => "full_name",
            Column::GivenName => "given_name",
            Column::Sex => "sex",
            Column::Role => "role",
            Column::Invited => "invited",
            Column::Email => "email",
            Column::Phone => "phone",
            Column::Cccd => "cccd",
            Column::Organization => "organization",
            Column::Title => "title",
            Column::Address => "address",
        }
    }

    /// The Vietnamese heading used in exports and in the template, e.g. `"Họ và tên"`.
    pub fn heading(self) -> &'static str {
        match self {
            Column::FullName => "Họ và tên",
            Column::GivenName => "Tên",
            Column::Sex => "Giới tính",
            Column::Role => "Vai trò",
            Column::Invited => "Được mời",
            Column::Email => "Email",
            Column::Phone => "Số điện thoại",
            Column::Cccd => "CCCD",
            Column::Organization => "Đơn vị",
            Column::Title => "Chức vụ",
            Column::Address => "Địa chỉ",
        }
    }

    /// Header texts accepted for this column; compared after [`fold_header`].
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Column::FullName => &["Họ và tên", "Họ tên", "Full name", "full_name", "name"],
            Column::GivenName => &["Tên", "Given name", "given_name"],
            Column::Sex => &["Giới tính", "sex", "gender"],
            Column::Role => &["Vai trò", "role"],
            Column::Invited => &["Được mời", "Mời", "invited"],
            Column::Email => &["Email", "E-mail", "Thư điện tử"],
            Column::Phone => &["Số điện thoại", "Điện thoại", "SĐT", "SDT", "phone"],
            Column::Cccd => &["CCCD", "Số CCCD", "Căn cước", "Căn cước công dân", "cccd", "id_number"],
            Column::Organization => &["Đơn vị", "Cơ quan", "organization"],
            Column::Title => &["Chức vụ", "title", "position"],
            Column::Address => &["Địa chỉ", "address", "Hộ gia đình"],
        }
    }

    /// Whether the column holds free Vietnamese text, the only place where legacy-encoded text is looked for
    /// (codes, emails and phone numbers are left to the validator).
    fn is_free_text(self) -> bool {
        matches!(
            self,
            Column::FullName
                | Column::GivenName
                | Column::Organization
                | Column::Title
                | Column::Address
                | Column::Role
        )
    }
}

/// One data line of an upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetRow {
    /// The spreadsheet line number: the header is normally line 1, so the first data line is 2. Blank lines are
    /// skipped but counted, so this is the line the organizer sees in Excel.
    pub line: usize,
    /// The recognized columns of the line, in [`Column`] order, each at most once. Text is NFC-normalized and
    /// trimmed, with inner whitespace runs (including no-break spaces) folded to one space; empty cells are omitted.
    pub cells: Vec<(Column, String)>,
}

impl SheetRow {
    /// The text of `column` on this line, or `None` when the cell is empty or the column is absent.
    pub fn get(&self, column: Column) -> Option<&str> {
        self.cells.iter().find(|(c, _)| *c == column).map(|(_, text)| text.as_str())
    }
}

/// A problem with an uploaded file, with a Vietnamese message for the organizer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetError {
    /// The spreadsheet line number, or `None` for a problem with the whole file.
    pub line: Option<usize>,
    /// The API field name of the column (see [`Column::field`]), or `"file"` for a problem with the whole file.
    pub field: String,
    /// The message shown to the organizer, in Vietnamese.
    pub message: String,
}

impl SheetError {
    fn file(message: &str) -> Self {
        SheetError { line: None, field: "file".to_owned(), message: message.to_owned() }
    }

    fn at(line: usize, column: Column, message: String) -> Self {
        SheetError { line: Some(line), field: column.field().to_owned(), message }
    }
}

// "The file has no data."
const MSG_EMPTY: &str = "Tệp không có dữ liệu.";
// "Could not read the Excel (.xlsx) file."
const MSG_BAD_XLSX: &str = "Không đọc được tệp Excel (.xlsx).";
// "This is an Excel 97-2003 (.xls) file or a password-protected Excel file; open it in Excel and save it as .xlsx
// (without a password) or .csv, then upload again."
const MSG_OLE_FILE: &str = "Tệp này là tệp Excel 97-2003 (.xls) hoặc tệp Excel có đặt mật khẩu; hãy mở bằng Excel, \
                            lưu lại dưới dạng .xlsx (không đặt mật khẩu) hoặc .csv rồi tải lên lại.";
// "The CSV file contains bytes that are invalid in the encoding its byte order mark declares (UTF-8/UTF-16)."
const MSG_BAD_BOM_TEXT: &str = "Tệp CSV có byte không hợp lệ so với bảng mã được khai báo ở đầu tệp (UTF-8/UTF-16).";
// "Could not read the CSV file."
const MSG_BAD_CSV: &str = "Không đọc được tệp CSV.";
// "This file is neither a spreadsheet (.xlsx) nor text (.csv); save it as .xlsx or .csv and try again."
const MSG_NOT_A_SHEET: &str =
    "Tệp này không phải bảng tính Excel (.xlsx) hay văn bản CSV; hãy lưu thành .xlsx hoặc .csv rồi tải lên lại.";
// "The text seems to use an old encoding (TCVN3/VNI), not Unicode; convert it to Unicode (for example with Unikey)
// and upload again."
const MSG_LEGACY: &str = "Văn bản có vẻ dùng bảng mã cũ (TCVN3/VNI), không phải Unicode; hãy chuyển mã sang Unicode \
                          (ví dụ bằng Unikey) rồi tải lên lại.";

/// Reads an upload into its data rows.
///
/// XLSX is recognized by its ZIP signature (`PK\x03\x04`); anything else is read as CSV (see the module docs for
/// encodings and delimiters).
///
/// # Errors
/// - `Tệp không có dữ liệu.` (field `"file"`) when the file has no non-empty row at all. A file with only a header
///   row is not an error: it yields `Ok(vec![])`.
/// - `Không đọc được tệp Excel (.xlsx).` (field `"file"`) when the ZIP is not a readable workbook.
/// - A whole-file error for `.xls`/password-protected workbooks, for CSV bytes that contradict their BOM, and for
///   CSV that cannot be parsed.
/// - Header errors at the header line: a missing full-name column (`Thiếu cột “Họ và tên”.`) or a column given
///   twice. Data lines are not read then.
/// - One error per cell of a free-text column (full name, given name, organization, title, address, role) whose
///   text looks typed in TCVN3 or VNI rather than Unicode; all such cells of the file are reported together.
pub fn read(bytes: &[u8]) -> Result<Vec<SheetRow>, Vec<SheetError>> {
    const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
    // Compound File Binary: the container of .xls files and of encrypted (password-protected) .xlsx files.
    const CFB_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    if bytes.starts_with(ZIP_MAGIC) {
        read_xlsx(bytes)
    } else if bytes.starts_with(CFB_MAGIC) {
        Err(vec![SheetError::file(MSG_OLE_FILE)])
    } else if looks_binary(bytes) {
        Err(vec![SheetError::file(MSG_NOT_A_SHEET)])
    } else {
        read_csv(bytes)
    }
}

/// A PDF, picture or other binary file renamed to .csv/.xlsx: its first bytes hold a NUL byte
/// (outside UTF-16, which starts with its BOM) or the PDF signature.
fn looks_binary(bytes: &[u8]) -> bool {
    let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
    bytes.starts_with(b"%PDF") || (!utf16 && bytes.iter().take(1024).any(|b| *b == 0))
}

/// Turns raw lines into [`SheetRow`]s; shared by the CSV and XLSX readers so both treat headers, blank lines and
/// legacy text alike.
#[derive(Default)]
struct Assembler {
    /// The column of each cell position, once the header line has been seen.
    header: Option<Vec<Option<Column>>>,
    rows: Vec<SheetRow>,
    errors: Vec<SheetError>,
}

impl Assembler {
    /// The column at cell position `index`: `None` before the header, or for an unrecognized header cell.
    fn column(&self, index: usize) -> Option<Column> {
        self.header.as_ref()?.get(index).copied().flatten()
    }

    fn has_header(&self) -> bool {
        self.header.is_some()
    }

    /// Takes one spreadsheet line given as (cell position, raw text) pairs. Fails only on header errors, which make
    /// the rest of the file meaningless.
    fn push_line<T: AsRef<str>>(
        &mut self,
        line: usize,
        cells: impl IntoIterator<Item = (usize, T)>,
    ) -> Result<(), Vec<SheetError>> {
        let Some(header) = &self.header else {
            let texts: Vec<(usize, String)> = cells
                .into_iter()
                .map(|(index, raw)| (index, normalize(raw.as_ref())))
                .filter(|(_, text)| !text.is_empty())
                .collect();
            if !texts.is_empty() {
                self.header = Some(parse_header(line, &texts)?);
            }
            return Ok(());
        };
        let mut row: Vec<(Column, String)> = cells
            .into_iter()
            .filter_map(|(index, raw)| Some((header.get(index).copied().flatten()?, normalize(raw.as_ref()))))
            .filter(|(_, text)| !text.is_empty())
            .collect();
        // A line whose only content is in unrecognized columns (typically a pre-numbered "STT") is as good as blank.
        if row.is_empty() {
            return Ok(());
        }
        row.sort_by_key(|(column, _)| *column);
        for (column, text) in &row {
            if column.is_free_text() && looks_legacy_encoded(text) {
                self.errors.push(SheetError::at(line, *column, MSG_LEGACY.to_owned()));
            }
        }
        self.rows.push(SheetRow { line, cells: row });
        Ok(())
    }

    fn finish(self) -> Result<Vec<SheetRow>, Vec<SheetError>> {
        if !self.has_header() {
            Err(vec![SheetError::file(MSG_EMPTY)])
        } else if self.errors.is_empty() {
            Ok(self.rows)
        } else {
            Err(self.errors)
        }
    }
}

/// Maps header cells (position, normalized non-empty text) to columns; reports a missing full-name column and
/// columns given more than once.
fn parse_header(line: usize, cells: &[(usize, String)]) -> Result<Vec<Option<Column>>, Vec<SheetError>> {
    let width = cells.iter().map(|(index, _)| index + 1).max().unwrap_or(0);
    let mut header = vec![None; width];
    let mut seen = [false; Column::ALL.len()];
    let mut repeated = [false; Column::ALL.len()];
    for (index, text) in cells {
        let Some(column) = match_header(text) else { continue };
        if seen[column as usize] {
            repeated[column as usize] = true;
        } else {
            seen[column as usize] = true;
            header[*index] = Some(column);
        }
    }
    let mut errors = Vec::new();
    if !seen[Column::FullName as usize] {
        // Headings typed with an old font ("Hä vµ tªn") mean the whole file is in that encoding.
        let legacy = cells.iter().any(|(_, text)| looks_legacy_encoded(text));
        // "Missing the “Full name” column."
        let message =
            if legacy { MSG_LEGACY.to_owned() } else { format!("Thiếu cột “{}”.", Column::FullName.heading()) };
        errors.push(SheetError::at(line, Column::FullName, message));
    }
    for column in Column::ALL.into_iter().filter(|column| repeated[*column as usize]) {
        // "The “…” column appears more than once."
        errors.push(SheetError::at(line, column, format!("Cột “{}” xuất hiện nhiều lần.", column.heading())));
    }
    if errors.is_empty() { Ok(header) } else { Err(errors) }
}

/// The column whose alias equals the header text once both are folded; whole strings are compared so that "Tên"
/// (given name) is not mistaken for part of "Họ và tên" (full name).
fn match_header(text: &str) -> Option<Column> {
    let folded = fold_header(text);
    Column::ALL.into_iter().find(|column| column.aliases().iter().any(|alias| fold_header(alias) == folded))
}

/// Folds a header text for comparison: accents removed, lower case, and every run of characters other than ASCII
/// letters and digits (spaces, underscores, hyphens, "*" marks for required columns…) turned into one space.
fn fold_header(text: &str) -> String {
    let ascii = deunicode::deunicode(&text.nfc().collect::<String>()).to_lowercase();
    ascii.split(|c: char| !c.is_ascii_alphanumeric()).filter(|word| !word.is_empty()).collect::<Vec<_>>().join(" ")
}

/// NFC-normalizes, trims and folds inner whitespace runs (any Unicode whitespace, including U+00A0 no-break space)
/// to one space. Zero-width spaces and stray byte order marks, invisible leftovers of copy and paste, are dropped.
fn normalize(text: &str) -> String {
    // Most text is already NFC; the quick check spares the composition machinery for it.
    if is_nfc_quick(text.chars()) == IsNormalized::Yes {
        fold_whitespace(text.chars(), text.len())
    } else {
        fold_whitespace(text.nfc(), text.len())
    }
}

fn fold_whitespace(chars: impl Iterator<Item = char>, capacity: usize) -> String {
    let mut out = String::with_capacity(capacity);
    let mut pending_space = false;
    for c in chars {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
        } else if c != '\u{200B}' && c != '\u{FEFF}' {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(c);
        }
    }
    out
}

/// Whether NFC text looks typed with a legacy Vietnamese font encoding rather than Unicode.
///
/// Such text arrives as Latin-1 look-alikes: TCVN3 ("NguyÔn V¨n An") uses symbols of U+00A1..=U+00BF, × and ÷, and
/// Latin-1 letters that Vietnamese never uses; VNI ("Nguyeãn Vaên An", "Ñoàng") writes đ as ñ and puts a
/// circumflex, breve or tone as a separate Latin-1 letter after the vowel. Flagged are:
/// - any character of U+00A1..=U+00BF, × or ÷;
/// - any Latin-1 letter outside the Vietnamese ones (À Á Â Ã È É Ê Ì Í Ò Ó Ô Õ Ù Ú Ý and their lower case);
/// - a Latin-1 capital right after a lower-case letter ("NguyÔn" is TCVN3 for Nguyễn; real words are never
///   capitalized mid-word);
/// - a VNI vowel pair that no Vietnamese syllable has (see [`is_vni_pair`]).
///
/// Foreign names with letters such as ü, ñ or ç are flagged too; the organizer can type them without the accent.
fn looks_legacy_encoded(text: &str) -> bool {
    let mut previous: Option<char> = None;
    for c in text.chars() {
        let suspicious = matches!(c, '\u{A1}'..='\u{BF}' | '×' | '÷')
            || (matches!(c, '\u{C0}'..='\u{FF}') && !is_vietnamese_latin1_letter(c))
            || previous.is_some_and(|p| {
                (p.is_lowercase() && matches!(c, '\u{C0}'..='\u{DE}')) || is_vni_pair(p.to_ascii_lowercase(), c)
            });
        if suspicious {
            return true;
        }
        previous = Some(c);
    }
    false
}

/// The Latin-1 letters that occur in Vietnamese NFC text.
fn is_vietnamese_latin1_letter(c: char) -> bool {
    "ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúý".contains(c)
}

/// Whether `previous` (ASCII already lower-cased) followed by `c` is a VNI sequence that Vietnamese never has.
///
/// VNI writes â/ê/ô as a, e, o followed by â (so "aâ", "eâ", "oâ"), ă as "aê", the tones of those letters as á à
/// å ã ä (after a, e, o) and é è ú ü ë (after a, for ă), and the tones of plain vowels as ù ø û õ ï. Letters outside
/// Vietnamese (å ä ü ë ø û ï) are caught anyway, so only pairs made of Vietnamese-looking letters are listed here.
/// Real pairs are left alone: "oà", "oá", "oã" (Hoà, Khoá, xoã), "uâ" (Quân), "ià" (già), "iù" (giùm)…
fn is_vni_pair(previous: char, c: char) -> bool {
    let c = c.to_lowercase().next().unwrap_or(c);
    match previous {
        'a' => matches!(c, 'â' | 'ê' | 'á' | 'à' | 'ã' | 'é' | 'è' | 'ú' | 'ù' | 'õ'),
        'e' => matches!(c, 'â' | 'á' | 'à' | 'ã' | 'ù' | 'õ'),
        'o' => matches!(c, 'â' | 'ù' | 'õ'),
        // VNI writes ơ as ô, so "ôù" is VNI for ớ.
        'u' | 'y' | 'ô' | 'Ô' => matches!(c, 'ù' | 'õ'),
        _ => false,
    }
}

// ---------------------------------------------------------------------------------------------------------------
// CSV

fn read_csv(bytes: &[u8]) -> Result<Vec<SheetRow>, Vec<SheetError>> {
    let text = decode_csv(bytes)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(sniff_delimiter(&text))
        .from_reader(text.as_bytes());
    let mut assembler = Assembler::default();
    let mut lines = LineCounter { text: text.as_bytes(), scanned: 0, breaks: 0, breaks_in_cells: 0 };
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line = lines.line_at(record.position().map_or(0, |position| position.byte() as usize));
                lines.breaks_in_cells += record.iter().map(|cell| count_breaks(cell.as_bytes())).sum::<usize>();
                assembler.push_line(line, record.iter().enumerate())?;
            }
            Err(error) => {
                let line = error.position().map(|position| lines.line_at(position.byte() as usize));
                return Err(vec![SheetError { line, ..SheetError::file(MSG_BAD_CSV) }]);
            }
        }
    }
    assembler.finish()
}

/// Maps csv record positions to spreadsheet lines, where every record and every blank text line is one line.
///
/// The csv crate's own line numbers cannot be used: a record's position is where the previous record stopped, that
/// is before any blank lines and before the LF of a CRLF, and it does not count blank lines before the first record.
struct LineCounter<'a> {
    text: &'a [u8],
    /// How far `breaks` has counted.
    scanned: usize,
    /// Line breaks in `text[..scanned]`.
    breaks: usize,
    /// Line breaks inside quoted cells of the records read so far; they do not start a spreadsheet line.
    breaks_in_cells: usize,
}

impl LineCounter<'_> {
    /// The spreadsheet line of the record whose csv position is `byte`. Positions must not decrease.
    fn line_at(&mut self, byte: usize) -> usize {
        let rest = self.text.get(byte..).unwrap_or_default();
        let start = byte + rest.iter().take_while(|&&b| b == b'\r' || b == b'\n').count();
        if let Some(skipped) = self.text.get(self.scanned..start) {
            self.breaks += count_breaks(skipped);
            self.scanned = start;
        }
        (self.breaks + 1).saturating_sub(self.breaks_in_cells)
    }
}

/// Counts line breaks as the csv crate reads them: LF, CRLF or a lone CR.
fn count_breaks(bytes: &[u8]) -> usize {
    let lone_cr = |index: usize| bytes.get(index + 1) != Some(&b'\n');
    bytes.iter().enumerate().filter(|&(index, &b)| b == b'\n' || (b == b'\r' && lone_cr(index))).count()
}

/// Decodes CSV bytes: a BOM (UTF-8, UTF-16 LE/BE) decides; without one, valid UTF-8 is UTF-8 and anything else is
/// taken as Windows-1258, the Vietnamese ANSI code page that Excel uses for "CSV" on Vietnamese Windows.
fn decode_csv(bytes: &[u8]) -> Result<Cow<'_, str>, Vec<SheetError>> {
    if let Some((encoding, bom_length)) = Encoding::for_bom(bytes) {
        return encoding
            .decode_without_bom_handling_and_without_replacement(&bytes[bom_length..])
            .ok_or_else(|| vec![SheetError::file(MSG_BAD_BOM_TEXT)]);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(Cow::Borrowed(text)),
        // Every byte has a meaning in Windows-1258, so this cannot fail. Tones come out as combining marks after the
        // base letter; `normalize` composes them.
        Err(_) => Ok(WINDOWS_1258.decode_without_bom_handling(bytes).0),
    }
}

/// Picks `,`, `;` or tab, whichever occurs most (outside quotes) in the first non-blank line; ties and lines with
/// none of them give `,`.
fn sniff_delimiter(text: &str) -> u8 {
    const CANDIDATES: [u8; 3] = [b',', b';', b'\t'];
    let line = text.lines().find(|line| !line.trim().is_empty()).unwrap_or_default();
    let mut counts = [0usize; CANDIDATES.len()];
    let mut quoted = false;
    for byte in line.bytes() {
        if byte == b'"' {
            quoted = !quoted;
        } else if !quoted && let Some(index) = CANDIDATES.iter().position(|&candidate| candidate == byte) {
            counts[index] += 1;
        }
    }
    // `max_by_key` keeps the last maximum, so walk backwards to let the earlier candidate win ties.
    let best = (0..CANDIDATES.len()).rev().max_by_key(|&index| counts[index]).unwrap_or(0);
    CANDIDATES[best]
}

// ---------------------------------------------------------------------------------------------------------------
// XLSX

fn read_xlsx(bytes: &[u8]) -> Result<Vec<SheetRow>, Vec<SheetError>> {
    let unreadable = |_| vec![SheetError::file(MSG_BAD_XLSX)];
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(unreadable)?;
    let Some(sheet_name) = first_worksheet(&workbook) else {
        return Err(vec![SheetError::file(MSG_EMPTY)]);
    };
    // The streaming cell reader keeps memory proportional to the cells present: a dense `Range` would allocate
    // rows × columns, which one stray cell far down or right of the data can blow up.
    let mut cells = workbook.worksheet_cells_reader(&sheet_name).map_err(unreadable)?;
    let mut assembler = Assembler::default();
    let mut current_row: Option<u32> = None;
    let mut line_cells: Vec<(usize, Cow<'_, str>)> = Vec::new();
    while let Some(cell) = cells.next_cell().map_err(unreadable)? {
        let (row, col) = cell.get_position();
        if current_row != Some(row) {
            if let Some(previous) = current_row {
                assembler.push_line(previous as usize + 1, line_cells.drain(..))?;
            }
            current_row = Some(row);
        }
        let column = assembler.column(col as usize);
        // Before the header every cell matters; after it, only recognized columns do.
        if column.is_some() || !assembler.has_header() {
            line_cells.push((col as usize, cell_text(cell.get_value(), column)));
        }
    }
    if let Some(previous) = current_row {
        assembler.push_line(previous as usize + 1, line_cells)?;
    }
    assembler.finish()
}

/// The first visible worksheet (a hidden first sheet is usually a lookup list for drop-downs), else the first
/// worksheet; chart and macro sheets are skipped.
fn first_worksheet<RS: std::io::Read + std::io::Seek>(workbook: &Xlsx<RS>) -> Option<String> {
    let sheets = workbook.sheets_metadata();
    let worksheets = || sheets.iter().filter(|sheet| sheet.typ == SheetType::WorkSheet);
    worksheets()
        .find(|sheet| sheet.visible == SheetVisible::Visible)
        .or_else(|| worksheets().next())
        .map(|s| s.name.clone())
}

/// The text of an XLSX cell of `column` (`None` in the header or an unknown column).
///
/// Strings are kept as they are; whole numbers are written without ".0"; other numbers in their shortest exact
/// form; booleans as "TRUE"/"FALSE"; dates as dd/mm/yyyy (with hh:mm:ss when there is a time of day); formula
/// errors as Excel shows them ("#N/A"), so the validator reports them. Numbers typed into the phone or CCCD column
/// get back the leading zeros that Excel drops (see [`restore_leading_zeros`]).
fn cell_text<'a>(value: &DataRef<'a>, column: Option<Column>) -> Cow<'a, str> {
    match value {
        // Shared strings (the usual kind) are borrowed from the workbook: `normalize` makes the copy that is kept.
        DataRef::SharedString(text) => Cow::Borrowed(text),
        DataRef::String(text) | DataRef::DateTimeIso(text) | DataRef::DurationIso(text) => Cow::Owned(text.clone()),
        DataRef::Int(number) => Cow::Owned(restore_leading_zeros(number.to_string(), column)),
        // Beyond 2^53 a float no longer holds every integer exactly; 1e15 keeps well within that.
        DataRef::Float(number) if number.fract() == 0.0 && number.abs() < 1e15 => {
            Cow::Owned(restore_leading_zeros((*number as i64).to_string(), column))
        }
        DataRef::Float(number) => Cow::Owned(number.to_string()),
        DataRef::Bool(value) => Cow::Borrowed(if *value { "TRUE" } else { "FALSE" }),
        DataRef::DateTime(datetime) => Cow::Owned(datetime_text(datetime)),
        DataRef::Error(error) => Cow::Owned(error.to_string()),
        DataRef::Empty => Cow::Borrowed(""),
    }
}

/// Puts back the leading zeros of a phone or CCCD number that was typed as a number, which Excel then stores
/// without them:
/// - phone, 9 digits: a mobile number, "912345678" → "0912345678";
/// - phone, 10 digits starting with 2: a landline with its 02x area code (since 2017), "2438123456" → "02438123456";
/// - CCCD, 10 or 11 digits: padded to the 12 digits of every CCCD, whose first digit is always 0 (province codes
///   001–096; Hà Nội's 001 loses two zeros), "79090012345" → "079090012345".
///
/// Other lengths are left for the validator to judge.
fn restore_leading_zeros(digits: String, column: Option<Column>) -> String {
    let zeros = match (column, digits.len()) {
        (Some(Column::Phone), 9) => 1,
        (Some(Column::Phone), 10) if digits.starts_with('2') => 1,
        (Some(Column::Cccd), length @ (10 | 11)) => 12 - length,
        _ => 0,
    };
    if zeros == 0 || !digits.bytes().all(|byte| byte.is_ascii_digit()) {
        return digits;
    }
    "0".repeat(zeros) + &digits
}

/// Formats an Excel date/time: dd/mm/yyyy, with " hh:mm:ss" when there is a time of day; a bare time (no date part)
/// as hh:mm:ss, and a duration as h:mm:ss.
fn datetime_text(datetime: &ExcelDateTime) -> String {
    let (year, month, day, hour, minute, second, _) = datetime.to_ymd_hms_milli();
    let time = format!("{hour:02}:{minute:02}:{second:02}");
    if datetime.is_duration() {
        let seconds = (datetime.as_f64() * 86_400.0).round() as i64;
        format!("{}:{:02}:{:02}", seconds / 3600, seconds % 3600 / 60, seconds % 60)
    } else if datetime.as_f64() < 1.0 {
        time
    } else if (hour, minute, second) == (0, 0, 0) {
        format!("{day:02}/{month:02}/{year:04}")
    } else {
        format!("{day:02}/{month:02}/{year:04} {time}")
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Export

/// Writes a CSV export: UTF-8 with a BOM (without it Excel shows Vietnamese as mojibake), comma-separated, CRLF
/// line ends, a header row of `headings`, then `rows` as they are (rows may differ in length).
///
/// Cells containing a comma, semicolon, tab, quote or line break are quoted (RFC 4180). Excel drops the leading zero
/// of numbers such as phone numbers when it opens a CSV; the XLSX export keeps them.
pub fn write_csv(headings: &[&str], rows: &[Vec<String>]) -> Vec<u8> {
    let mut out = Vec::with_capacity(3 + 64 * (rows.len() + 1));
    out.extend_from_slice(b"\xEF\xBB\xBF");
    write_csv_line(&mut out, headings.iter().copied());
    for row in rows {
        write_csv_line(&mut out, row.iter().map(String::as_str));
    }
    out
}

fn write_csv_line<'a>(out: &mut Vec<u8>, cells: impl Iterator<Item = &'a str>) {
    for (index, cell) in cells.enumerate() {
        if index > 0 {
            out.push(b',');
        }
        // Semicolons and tabs are quoted too, so a reader that sniffs the delimiter is never misled.
        if cell.contains([',', ';', '\t', '"', '\r', '\n']) {
            out.push(b'"');
            out.extend_from_slice(cell.replace('"', "\"\"").as_bytes());
            out.push(b'"');
        } else {
            out.extend_from_slice(cell.as_bytes());
        }
    }
    out.extend_from_slice(b"\r\n");
}

/// Writes an XLSX export: one worksheet named `sheet_name`, a bold header row of `headings` frozen at the top,
/// then `rows`.
///
/// Every cell is written as text and every column is formatted as text ("@"), so phone and CCCD numbers keep their
/// leading zeros, also when the organizer types new ones into the file. Column widths follow the longest text of
/// each column, between 8 and 60 characters.
///
/// # Errors
/// A Vietnamese message when the workbook cannot be built: an invalid sheet name (empty, longer than 31 characters
/// or containing `[ ] : * ? / \`), a cell longer than 32,767 characters, or more rows or columns than Excel allows.
pub fn write_xlsx(sheet_name: &str, headings: &[&str], rows: &[Vec<String>]) -> Result<Vec<u8>, String> {
    // "Could not create the Excel file: …"
    build_xlsx(&[(sheet_name, headings, rows)]).map_err(|error| format!("Không tạo được tệp Excel: {error}"))
}

/// One worksheet: its name, headings and rows.
type SheetContent<'a> = (&'a str, &'a [&'a str], &'a [Vec<String>]);

fn build_xlsx(sheets: &[SheetContent<'_>]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    for (sheet_name, headings, rows) in sheets {
        add_sheet(&mut workbook, sheet_name, headings, rows)?;
    }
    workbook.save_to_buffer()
}

fn add_sheet(
    workbook: &mut Workbook,
    sheet_name: &str,
    headings: &[&str],
    rows: &[Vec<String>],
) -> Result<(), XlsxError> {
    const MIN_WIDTH: usize = 8;
    const MAX_WIDTH: usize = 60;
    let column_number = |index: usize| ColNum::try_from(index).map_err(|_| XlsxError::RowColumnLimitError);

    let mut widths: Vec<usize> = headings.iter().map(|heading| heading.chars().count()).collect();
    for row in rows {
        if widths.len() < row.len() {
            widths.resize(row.len(), 0);
        }
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }

    let sheet = workbook.add_worksheet();
    sheet.set_name(sheet_name)?;
    // Excel's built-in "Text" format (index 49, format code "@"), as Excel itself writes it.
    let text = Format::new().set_num_format_index(49);
    let bold_text = text.clone().set_bold();
    for (index, width) in widths.iter().enumerate() {
        let col = column_number(index)?;
        sheet.set_column_format(col, &text)?;
        // Two characters of padding; the cap keeps long addresses from making the sheet unusable.
        sheet.set_column_width(col, (width + 2).clamp(MIN_WIDTH, MAX_WIDTH) as u32)?;
    }
    for (index, heading) in headings.iter().enumerate() {
        sheet.write_string_with_format(0, column_number(index)?, *heading, &bold_text)?;
    }
    for (index, row) in rows.iter().enumerate() {
        let row_number = RowNum::try_from(index + 1).map_err(|_| XlsxError::RowColumnLimitError)?;
        for (col, cell) in row.iter().enumerate() {
            // Unformatted cells take the column's text format.
            sheet.write_string(row_number, column_number(col)?, cell)?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// The example participant of the template, in [`Column::ALL`] order.
const TEMPLATE_EXAMPLE: [&str; Column::ALL.len()] = [
    "Nguyễn Thị Minh Khai",
    "Khai",
    "Nữ",
    "Người dân",
    "Không",
    "minhkhai@example.com",
    "0912345678",
    "001190012345",
    "Hội Liên hiệp Phụ nữ phường Hoàn Kiếm",
    "Hội viên",
    "12 Hàng Bạc, phường Hoàn Kiếm, Hà Nội",
];

/// The downloadable empty template: a first sheet "Người tham dự" (participants) with the Vietnamese headings of
/// [`Column::ALL`] and no one in it — the sheet that [`read`] imports — and a second sheet "Ví dụ" (example) with
/// one filled-in row to copy from, formatted like [`write_xlsx`].
///
/// # Errors
/// A Vietnamese message when the workbook cannot be built (it always can with these fixed contents).
pub fn template_xlsx() -> Result<Vec<u8>, String> {
    let headings = Column::ALL.map(Column::heading);
    let example = [TEMPLATE_EXAMPLE.map(str::to_owned).to_vec()];
    build_xlsx(&[("Người tham dự", &headings, &[]), ("Ví dụ", &headings, &example)])
        .map_err(|error| format!("Không tạo được tệp Excel: {error}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL_HEADINGS: &str =
        "Họ và tên,Tên,Giới tính,Vai trò,Được mời,Email,Số điện thoại,CCCD,Đơn vị,Chức vụ,Địa chỉ";

    fn read_ok(bytes: &[u8]) -> Vec<SheetRow> {
        match read(bytes) {
            Ok(rows) => rows,
            Err(errors) => panic!("unexpected errors: {errors:#?}"),
        }
    }

    fn read_err(bytes: &[u8]) -> Vec<SheetError> {
        match read(bytes) {
            Ok(rows) => panic!("expected errors, got rows: {rows:#?}"),
            Err(errors) => errors,
        }
    }

    fn utf16(text: &str, little_endian: bool) -> Vec<u8> {
        let mut bytes = if little_endian { vec![0xFF, 0xFE] } else { vec![0xFE, 0xFF] };
        for unit in text.encode_utf16() {
            bytes.extend_from_slice(&if little_endian { unit.to_le_bytes() } else { unit.to_be_bytes() });
        }
        bytes
    }

    /// Encodes as Windows-1258 does it: base letters (with their circumflex, breve or horn) followed by a combining
    /// tone mark, since the code page has no precomposed toned letters beyond a few.
    fn windows_1258(text: &str) -> Vec<u8> {
        const TONES: [char; 5] = ['\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}'];
        let mut split = String::new();
        for c in text.chars() {
            let decomposed: String = c.to_string().nfd().collect();
            let base: String = decomposed.chars().filter(|c| !TONES.contains(c)).nfc().collect();
            split.push_str(&base);
            split.extend(decomposed.chars().filter(|c| TONES.contains(c)));
        }
        let (bytes, encoding, unmappable) = WINDOWS_1258.encode(&split);
        assert!(!unmappable && encoding == WINDOWS_1258, "not encodable in Windows-1258: {text}");
        bytes.into_owned()
    }

    fn xlsx_with(fill: impl FnOnce(&mut rust_xlsxwriter::Worksheet) -> Result<(), XlsxError>) -> Vec<u8> {
        let mut workbook = Workbook::new();
        fill(workbook.add_worksheet()).expect("test sheet");
        workbook.save_to_buffer().expect("test workbook")
    }

    #[test]
    fn csv_utf8_without_bom() {
        let csv = format!(
            "{ALL_HEADINGS}\nNguyễn Văn An,An,Nam,Đại biểu,Có,an@example.com,0912345678,001090012345,UBND phường,Chủ tịch,Hà Nội\nLê Thị Huế,,Nữ\n"
        );
        let rows = read_ok(csv.as_bytes());
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].line, 2);
        assert_eq!(rows[0].cells.len(), 11);
        assert_eq!(rows[0].get(Column::FullName), Some("Nguyễn Văn An"));
        assert_eq!(rows[0].get(Column::Phone), Some("0912345678"));
        assert_eq!(rows[0].get(Column::Cccd), Some("001090012345"));
        assert_eq!(rows[0].get(Column::Address), Some("Hà Nội"));
        assert_eq!(rows[1].line, 3);
        assert_eq!(rows[1].cells, vec![(Column::FullName, "Lê Thị Huế".to_owned()), (Column::Sex, "Nữ".to_owned())]);
        assert_eq!(rows[1].get(Column::GivenName), None);
    }

    #[test]
    fn csv_utf8_with_bom() {
        let csv = "\u{FEFF}Họ và tên,Email\r\nTrần Quốc Toản,toan@example.com\r\n";
        let rows = read_ok(csv.as_bytes());
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].get(Column::FullName), Some("Trần Quốc Toản"));
        assert_eq!(rows[0].get(Column::Email), Some("toan@example.com"));
    }

    #[test]
    fn csv_utf16_with_bom() {
        let csv = "Họ và tên\tSố điện thoại\r\nĐặng Hoàng Oanh\t0987654321\r\n";
        for little_endian in [true, false] {
            let rows = read_ok(&utf16(csv, little_endian));
            assert_eq!(rows.len(), 1, "little endian: {little_endian}");
            assert_eq!(rows[0].get(Column::FullName), Some("Đặng Hoàng Oanh"));
            assert_eq!(rows[0].get(Column::Phone), Some("0987654321"));
        }
    }

    #[test]
    fn csv_utf16_contradicting_its_bom_is_a_file_error() {
        // An unpaired surrogate cannot be decoded.
        let bytes = [0xFF, 0xFE, 0x00, 0xD8, 0x41, 0x00];
        assert_eq!(read_err(&bytes), vec![SheetError::file(MSG_BAD_BOM_TEXT)]);
    }

    #[test]
    fn csv_windows_1258_is_decoded_and_composed() {
        let bytes =
            windows_1258("Họ và tên;Đơn vị\r\nNguyễn Văn An;Sở Văn hoá\r\nĐặng Thị Ánh Tuyết;Phường Hoà Bình\r\n");
        assert!(std::str::from_utf8(&bytes).is_err(), "the sample must not be valid UTF-8");
        let rows = read_ok(&bytes);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].get(Column::FullName), Some("Nguyễn Văn An"));
        assert_eq!(rows[0].get(Column::Organization), Some("Sở Văn hoá"));
        assert_eq!(rows[1].get(Column::FullName), Some("Đặng Thị Ánh Tuyết"));
        assert_eq!(rows[1].get(Column::Organization), Some("Phường Hoà Bình"));
    }

    #[test]
    fn text_is_nfc_trimmed_and_whitespace_folded() {
        let nfd: String = "Nguyễn Thị Ánh Tuyết".nfd().collect();
        assert_ne!(nfd, "Nguyễn Thị Ánh Tuyết");
        let csv = format!("Họ và tên,Địa chỉ\n\"  {}\u{A0}\",\" 12\u{A0}\u{A0}Hàng   Bạc\t\n Hà Nội\u{200B} \"\n", nfd);
        let rows = read_ok(csv.as_bytes());
        assert_eq!(rows[0].get(Column::FullName), Some("Nguyễn Thị Ánh Tuyết"));
        assert_eq!(rows[0].get(Column::Address), Some("12 Hàng Bạc Hà Nội"));
    }

    #[test]
    fn delimiter_is_sniffed_from_the_header() {
        let semicolon = "Họ và tên;Đơn vị;Địa chỉ\nNguyễn Văn An;Công ty A, B và C;Số 1, ngõ 2\n";
        let rows = read_ok(semicolon.as_bytes());
        assert_eq!(rows[0].get(Column::Organization), Some("Công ty A, B và C"));
        assert_eq!(rows[0].get(Column::Address), Some("Số 1, ngõ 2"));

        let tab = "Họ và tên\tĐơn vị\nNguyễn Văn An\tPhòng Văn hoá; Thông tin\n";
        assert_eq!(read_ok(tab.as_bytes())[0].get(Column::Organization), Some("Phòng Văn hoá; Thông tin"));

        // Delimiters inside a quoted header cell do not count.
        let quoted = "\"Họ và tên;\",\"Đơn vị\"\nNguyễn Văn An,Sở Y tế\n";
        assert_eq!(read_ok(quoted.as_bytes())[0].get(Column::Organization), Some("Sở Y tế"));
        assert_eq!(sniff_delimiter("\n\nHọ và tên\n"), b',');
        assert_eq!(sniff_delimiter("a;b,c"), b',');
    }

    #[test]
    fn english_header_aliases() {
        let csv = "Full name,Given name,gender,role,invited,E-mail,phone,id_number,organization,position,address\n\
                   Nguyen Van An,An,male,guest,yes,an@example.com,0912345678,001090012345,Org,Director,Hanoi\n";
        let rows = read_ok(csv.as_bytes());
        let columns: Vec<Column> = rows[0].cells.iter().map(|(column, _)| *column).collect();
        assert_eq!(columns, Column::ALL.to_vec());
        let other = "name;sex;title;cccd;full_name\n";
        assert_eq!(read_err(other.as_bytes())[0].field, "full_name", "name and full_name are the same column");
        let snake = "full_name,given_name\nNguyễn Văn An,An\n";
        assert_eq!(read_ok(snake.as_bytes())[0].get(Column::GivenName), Some("An"));
    }

    #[test]
    fn vietnamese_header_aliases_in_odd_case_and_accents() {
        let csv = "STT,HỌ VÀ TÊN,  tên ,so dien thoai,SĐT cơ quan,Căn Cước Công Dân,Cơ quan,Hộ gia đình,Mời,Thư điện tử,\
                   giới_tính,Ghi chú\n\
                   1,Lê Thị Huế,Huế,0912345678,,012345678901,Sở Y tế,Xóm 3,Có,hue@example.com,Nữ,ăn chay\n";
        let rows = read_ok(csv.as_bytes());
        let row = &rows[0];
        assert_eq!(row.get(Column::FullName), Some("Lê Thị Huế"));
        assert_eq!(row.get(Column::GivenName), Some("Huế"));
        assert_eq!(row.get(Column::Phone), Some("0912345678"));
        assert_eq!(row.get(Column::Cccd), Some("012345678901"));
        assert_eq!(row.get(Column::Organization), Some("Sở Y tế"));
        assert_eq!(row.get(Column::Address), Some("Xóm 3"));
        assert_eq!(row.get(Column::Invited), Some("Có"));
        assert_eq!(row.get(Column::Email), Some("hue@example.com"));
        assert_eq!(row.get(Column::Sex), Some("Nữ"));
        // "STT", "SĐT cơ quan" and "Ghi chú" are not columns of the sheet.
        assert_eq!(row.cells.len(), 9);

        assert_eq!(match_header("Họ tên"), Some(Column::FullName));
        assert_eq!(match_header("Tên"), Some(Column::GivenName));
        assert_eq!(match_header("Họ và tên (*)"), Some(Column::FullName));
        assert_eq!(match_header("E-MAIL"), Some(Column::Email));
        assert_eq!(match_header("Số  CCCD"), Some(Column::Cccd));
        assert_eq!(match_header("Điện thoại"), Some(Column::Phone));
        assert_eq!(match_header("Địa chỉ"), Some(Column::Address));
        assert_eq!(match_header("Tên đơn vị"), None, "whole strings are matched, not substrings");
    }

    #[test]
    fn missing_full_name_column() {
        let errors = read_err("Tên,Email\nAn,an@example.com\n".as_bytes());
        assert_eq!(
            errors,
            vec![SheetError {
                line: Some(1),
                field: "full_name".to_owned(),
                message: "Thiếu cột “Họ và tên”.".to_owned()
            }]
        );
    }

    #[test]
    fn repeated_column() {
        let errors = read_err("Họ và tên,SĐT,Họ tên,Số điện thoại,Phone\nAn,1,An,2,3\n".as_bytes());
        assert_eq!(
            errors,
            vec![
                SheetError::at(1, Column::FullName, "Cột “Họ và tên” xuất hiện nhiều lần.".to_owned()),
                SheetError::at(1, Column::Phone, "Cột “Số điện thoại” xuất hiện nhiều lần.".to_owned()),
            ]
        );
    }

    #[test]
    fn blank_lines_are_skipped_but_counted() {
        // Line 1 blank, line 2 only delimiters, header on line 3; a blank line 5; line 6 has only an "STT" number;
        // line 7 holds a quoted line break, so line 8 is the next spreadsheet line although it is text line 9.
        let csv = "\n;;\nSTT;Họ và tên;Địa chỉ\n1;Nguyễn Văn An;Hà Nội\n\n2;;\n3;Lê Thị Huế;\"Thôn 1\r\nXã 2\"\n4; Trần Quốc Toản ;\n";
        for ending in ["\n", "\r\n", "\r"] {
            let rows = read_ok(csv.replace('\n', ending).as_bytes());
            let lines: Vec<usize> = rows.iter().map(|row| row.line).collect();
            assert_eq!(lines, vec![4, 7, 8], "line ending {ending:?}");
            assert_eq!(rows[1].get(Column::Address), Some("Thôn 1 Xã 2"));
            assert_eq!(rows[2].get(Column::FullName), Some("Trần Quốc Toản"));
        }
    }

    #[test]
    fn empty_and_header_only_files() {
        for empty in [&b""[..], b"\xEF\xBB\xBF", b"  \r\n\r\n", b",,,\n,,\n"] {
            assert_eq!(read_err(empty), vec![SheetError::file(MSG_EMPTY)], "{empty:?}");
        }
        assert_eq!(read_ok(b"Ho va ten,Email\r\n"), vec![]);
        assert_eq!(read_ok(b"Ho va ten,Email\r\n,\r\n\r\n"), vec![]);
        let empty_workbook = xlsx_with(|_| Ok(()));
        assert_eq!(read_err(&empty_workbook), vec![SheetError::file(MSG_EMPTY)]);
    }

    #[test]
    fn legacy_encodings_are_flagged_with_their_lines() {
        let csv = "Họ và tên;Đơn vị;Chức vụ;Email;Giới tính\n\
                   NguyÔn V¨n An;Së V¨n ho¸;;an@example.com;Nam\n\
                   Nguyễn Thị Ánh Tuyết;UBND phường;Chủ tịch;;N÷\n\
                   Nguyeãn Vaên An;;Tröôûng phoøng;;\n\
                   Ñoàng Thò Mai;;;;\n";
        let errors = read_err(csv.as_bytes());
        let found: Vec<(Option<usize>, &str)> = errors.iter().map(|e| (e.line, e.field.as_str())).collect();
        // Line 3 is real Vietnamese; "N÷" (TCVN3 "Nữ") sits in the sex column, which is not free text.
        assert_eq!(
            found,
            vec![
                (Some(2), "full_name"),
                (Some(2), "organization"),
                (Some(4), "full_name"),
                (Some(4), "title"),
                (Some(5), "full_name")
            ]
        );
        assert!(errors.iter().all(|error| error.message == MSG_LEGACY));
    }

    #[test]
    fn legacy_samples() {
        let tcvn3 = ["NguyÔn V¨n An", "NguyÔn Lan", "Hµ Néi", "TrÇn Quèc To¶n", "Tr\u{AD}êng", "§µo", "Lª Thanh"];
        let vni = ["Nguyeãn Vaên An", "Ñoàng", "Leâ", "Cuùc", "Haø", "Tuaán", "NGUYEÃN", "Thaùi", "Môùi", "Phaïm"];
        for text in tcvn3.into_iter().chain(vni) {
            assert!(looks_legacy_encoded(&normalize(text)), "{text} should be flagged");
        }
    }

    #[test]
    fn real_vietnamese_is_not_flagged() {
        let real = [
            "Nguyễn Thị Ánh Tuyết",
            "Đặng Hoàng Oanh",
            "Khoá",
            "Hoà Bình",
            "Lê Thị Huế",
            "Trần Quốc Toản",
            "NGUYỄN THỊ ÁNH TUYẾT",
            "HOÀ BÌNH",
            "KHOÁ",
            "Khoẻ",
            "Cây hoè",
            "Khoé mắt",
            "Xoã tóc",
            "Choãi chân",
            "Quân",
            "Xuân Quý",
            "Thuý",
            "Quà quê",
            "Già giùm giúp gió giò gièm",
            "Giấy giông",
            "Tiên Yên",
            "Quán Thánh",
            "Hội Liên hiệp Phụ nữ",
            "Phó Chủ tịch UBND",
            "Số 12, ngõ 34 Đào Tấn",
            "Công ty TNHH Một thành viên",
            "Người dân",
            "José Martí",
        ];
        for text in real {
            assert!(!looks_legacy_encoded(&normalize(text)), "{text} should not be flagged");
            let nfd: String = text.nfd().collect();
            assert!(!looks_legacy_encoded(&normalize(&nfd)), "NFD {text} should not be flagged");
        }
    }

    #[test]
    fn xlsx_cells_of_every_type() {
        let bytes = xlsx_with(|sheet| {
            // Two blank lines above the header, as in sheets with a title that was later deleted.
            let date = Format::new().set_num_format("dd/mm/yyyy");
            let headings = ["STT", "Họ và tên", "Số điện thoại", "CCCD", "Được mời", "Địa chỉ", "Chức vụ"];
            for (col, heading) in headings.into_iter().enumerate() {
                sheet.write_string(2, col as u16, heading)?;
            }
            sheet.write_number(3, 0, 1)?;
            sheet.write_string(3, 1, "Nguyễn Thị Minh Khai")?;
            sheet.write_number(3, 2, 912345678)?;
            sheet.write_number(3, 3, 1090012345)?;
            sheet.write_boolean(3, 4, true)?;
            sheet.write_number(3, 5, 12)?;
            sheet.write_number(3, 6, 3.5)?;
            // Line 5 is blank; line 6 holds a landline, an 11-digit CCCD and a date.
            sheet.write_string(5, 1, " Lê  Thị Huế ")?;
            sheet.write_number(5, 2, 2438123456.0)?;
            sheet.write_number(5, 3, 79090012345.0)?;
            sheet.write_datetime_with_format(5, 6, rust_xlsxwriter::ExcelDateTime::from_ymd(2024, 2, 9)?, &date)?;
            sheet.write_string(5, 5, "0987")?;
            Ok(())
        });
        let rows = read_ok(&bytes);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].line, 4);
        assert_eq!(rows[0].get(Column::FullName), Some("Nguyễn Thị Minh Khai"));
        assert_eq!(rows[0].get(Column::Phone), Some("0912345678"));
        assert_eq!(rows[0].get(Column::Cccd), Some("001090012345"));
        assert_eq!(rows[0].get(Column::Invited), Some("TRUE"));
        assert_eq!(rows[0].get(Column::Address), Some("12"), "numbers outside phone/CCCD keep their digits");
        assert_eq!(rows[0].get(Column::Title), Some("3.5"));
        assert_eq!(rows[1].line, 6);
        assert_eq!(rows[1].get(Column::FullName), Some("Lê Thị Huế"));
        assert_eq!(rows[1].get(Column::Phone), Some("02438123456"));
        assert_eq!(rows[1].get(Column::Cccd), Some("079090012345"));
        assert_eq!(rows[1].get(Column::Title), Some("09/02/2024"));
        assert_eq!(rows[1].get(Column::Address), Some("0987"), "text cells are kept as typed");
    }

    #[test]
    fn xlsx_legacy_text_is_flagged() {
        let bytes = xlsx_with(|sheet| {
            sheet.write_string(0, 0, "Họ và tên")?;
            sheet.write_string(1, 0, "Nguyễn Văn An")?;
            sheet.write_string(2, 0, "NguyÔn V¨n An")?;
            sheet.write_string(3, 0, "Nguyeãn Vaên An")?;
            Ok(())
        });
        let lines: Vec<Option<usize>> = read_err(&bytes).iter().map(|error| error.line).collect();
        assert_eq!(lines, vec![Some(3), Some(4)]);
    }

    #[test]
    fn not_a_workbook() {
        assert_eq!(read_err(b"PK\x03\x04 not really a zip"), vec![SheetError::file(MSG_BAD_XLSX)]);
        let ole = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0];
        assert_eq!(read_err(&ole), vec![SheetError::file(MSG_OLE_FILE)]);
    }

    #[test]
    fn write_csv_format_and_round_trip() {
        let rows = vec![
            vec!["Nguyễn Văn An".to_owned(), "0912345678".to_owned(), "Số 1, ngõ \"Hoà\"".to_owned()],
            vec!["Lê Thị Huế".to_owned(), String::new(), "Thôn 1;\nXã 2".to_owned()],
        ];
        let bytes = write_csv(&["Họ và tên", "Số điện thoại", "Địa chỉ"], &rows);
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
        let text = std::str::from_utf8(&bytes[3..]).expect("UTF-8");
        assert!(
            text.starts_with(
                "Họ và tên,Số điện thoại,Địa chỉ\r\nNguyễn Văn An,0912345678,\"Số 1, ngõ \"\"Hoà\"\"\"\r\n"
            )
        );
        assert!(text.ends_with("\r\n"));
        let back = read_ok(&bytes);
        assert_eq!(back.len(), 2);
        assert_eq!(back[0].get(Column::Address), Some("Số 1, ngõ \"Hoà\""));
        assert_eq!(back[1].line, 3);
        assert_eq!(back[1].get(Column::Address), Some("Thôn 1; Xã 2"));
        assert_eq!(back[1].get(Column::Phone), None);
    }

    #[test]
    fn write_xlsx_round_trip() {
        let headings = Column::ALL.map(Column::heading);
        let rows: Vec<Vec<String>> = (0..3)
            .map(|i| {
                Column::ALL
                    .iter()
                    .map(|column| match column {
                        Column::Phone => format!("090000000{i}"),
                        Column::Cccd => format!("00109001234{i}"),
                        _ => format!("{} {i} – Hoà", column.heading()),
                    })
                    .collect()
            })
            .collect();
        let bytes = write_xlsx("Danh sách", &headings, &rows).expect("workbook");
        let back = read_ok(&bytes);
        assert_eq!(back.len(), rows.len());
        for (index, (row, written)) in back.iter().zip(&rows).enumerate() {
            assert_eq!(row.line, index + 2);
            let expected: Vec<(Column, String)> = Column::ALL.into_iter().zip(written.iter().cloned()).collect();
            assert_eq!(row.cells, expected);
        }
        assert!(write_xlsx("bad/name", &headings, &rows).is_err());
        assert!(write_xlsx("", &headings, &rows).is_err());
    }

    #[test]
    fn binary_files_and_legacy_headings_are_explained() {
        let pdf = read_err(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj");
        assert_eq!(pdf[0].message, MSG_NOT_A_SHEET);
        let picture = read_err(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
        assert_eq!(picture[0].message, MSG_NOT_A_SHEET);
        // "Họ và tên,Số điện thoại" saved by a TCVN3 (.VnTime) keyboard, read as Windows-1258.
        let (tcvn3, _, _) = WINDOWS_1258.encode("Hä vµ tªn,Sè ®iÖn tho¹i\nNguyÔn V¨n An,0912345678\n");
        let errors = read_err(&tcvn3);
        assert_eq!((errors[0].line, errors[0].message.as_str()), (Some(1), MSG_LEGACY));
    }

    #[test]
    fn template_imports_nobody_and_shows_an_example_on_its_second_sheet() {
        let bytes = template_xlsx().expect("template");
        assert!(read_ok(&bytes).is_empty());
        let mut workbook: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).expect("workbook");
        assert_eq!(workbook.sheet_names(), ["Người tham dự", "Ví dụ"]);
        let example = workbook.worksheet_range("Ví dụ").expect("example sheet");
        assert_eq!(example.get_value((1, 0)).map(ToString::to_string).as_deref(), Some(TEMPLATE_EXAMPLE[0]));
    }
}
