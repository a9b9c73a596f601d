//! PDF files: the document fonts embedded by printpdf once per process, pages written as PDF
//! content streams (ISO 32000-1, sections 8 and 9) and deflated as they are drawn.
//!
//! printpdf 0.12 parses the four faces, subsets them to the printable repertoire
//! ([`super::fonts::repertoire`]) and writes them as Type0 fonts with their widths and a
//! ToUnicode map, so every reader extracts the exact Vietnamese text. It does this once, at
//! start, into a template; each document is a copy of the template plus its own pages. A page
//! then costs only its own operators: no document is held as a list of operations until the
//! end, which is what makes batches of thousands of pages fast and small in memory. When the
//! file is finished, each font program keeps only the outlines its pages use (glyph ids
//! unchanged, [`super::truetype`]), so a one-page invitation stays small enough to e-mail.

use std::io::Write;

use anyhow::{Context, anyhow};
use flate2::{Compression, write::ZlibEncoder};
use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId, Stream, StringFormat};
use printpdf::{Mm, Op, ParsedFont, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Pt, TextItem};

use super::fonts::{FACE_FILES, repertoire};
use super::truetype::keep_glyphs;

/// The glyph of each printable character in one embedded face, the face's resource name and
/// its font program.
struct EmbeddedFace {
    /// The name pages use for it (`/F… 12 Tf`).
    resource: String,
    /// Glyph id in the embedded subset, indexed by code point; 0 where the repertoire has no
    /// such character.
    glyphs: Vec<u16>,
    /// The TrueType program printpdf embedded (the repertoire subset), uncompressed, and the
    /// stream object holding it in the template.
    program: Vec<u8>,
    program_id: ObjectId,
    /// One more than the highest glyph id of `glyphs`: the size of a page's [`GlyphsUsed`].
    glyph_count: usize,
}

/// Glyphs drawn, one flag per glyph id of each face, as pages record them for
/// [`PdfFile::finish`].
pub(super) type GlyphsUsed = [Vec<bool>; 4];

/// Marks the glyphs of `more` as used in `all` too.
pub(super) fn add_glyphs(all: &mut GlyphsUsed, more: &GlyphsUsed) {
    for (all, more) in all.iter_mut().zip(more) {
        for (glyph, drawn) in all.iter_mut().zip(more) {
            *glyph |= drawn;
        }
    }
}

/// The document fonts, embedded once (parsing and subsetting are the slow part), and the
/// skeleton every document is copied from.
pub struct Fonts {
    template: Document,
    pages_id: ObjectId,
    resources_id: ObjectId,
    faces: Vec<EmbeddedFace>,
}

impl Fonts {
    /// Parses and embeds the four faces of [`FACE_FILES`]. Errors when one does not parse or
    /// printpdf's output cannot be read back (build defects, caught by the tests and at start).
    pub fn load() -> anyhow::Result<Self> {
        let repertoire = repertoire();
        let sample: String = repertoire.iter().collect();
        let mut pdf = PdfDocument::new("");
        let mut ops = vec![Op::StartTextSection];
        for (name, bytes) in FACE_FILES {
            let face = ParsedFont::from_bytes(bytes, 0, &mut Vec::new())
                .ok_or_else(|| anyhow!("document font {name} does not parse"))?;
            let font = PdfFontHandle::External(pdf.add_font(&face));
            ops.push(Op::SetFont { font, size: Pt(10.0) });
            // One string per face: printpdf encodes it as one glyph id per character, in order,
            // which is how we learn the subset's numbering below.
            ops.push(Op::ShowText { items: vec![TextItem::Text(sample.clone())] });
        }
        ops.push(Op::EndTextSection);
        pdf.pages.push(PdfPage::new(Mm(10.0), Mm(10.0), ops));
        let mut template = printpdf::to_lopdf_doc(&pdf, &PdfSaveOptions::default(), &mut Vec::new());

        let (_, sample_page) = template.get_pages().into_iter().next().context("the font sample has no page")?;
        let page = template.get_dictionary(sample_page)?;
        let resources_id = page.get(b"Resources")?.as_reference()?;
        let contents_id = page.get(b"Contents")?.as_reference()?;
        let pages_id = page.get(b"Parent")?.as_reference()?;
        let content = template.get_object(contents_id)?.as_stream()?.decompressed_content()?;
        let encodings = read_encoding(&content, &repertoire)?;
        if encodings.len() != FACE_FILES.len() {
            anyhow::bail!("the font sample shows {} faces, not {}", encodings.len(), FACE_FILES.len());
        }
        let faces = encodings
            .into_iter()
            .map(|(resource, glyphs)| {
                let program_id = font_program(&template, resources_id, &resource)?;
                let program = template.get_object(program_id)?.as_stream()?.decompressed_content()?;
                let glyph_count = glyphs.iter().max().map_or(0, |highest| usize::from(*highest) + 1);
                Ok(EmbeddedFace { resource, glyphs, program, program_id, glyph_count })
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        template.objects.remove(&sample_page);
        template.objects.remove(&contents_id);
        // Each document writes its own information dictionary ([`Fonts::document`]).
        if let Ok(info) = template.trailer.get(b"Info").and_then(Object::as_reference) {
            template.objects.remove(&info);
            template.trailer.remove(b"Info");
        }
        // Each file embeds its own trimmed programs ([`PdfFile::finish`]): the template keeps
        // none to copy. The ToUnicode maps are deflated here, once, and copied into every file.
        for face in &faces {
            template.objects.insert(face.program_id, Object::Stream(Stream::new(Dictionary::new(), Vec::new())));
        }
        template.compress();
        Ok(Self { template, pages_id, resources_id, faces })
    }

    /// A new, empty PDF titled `title`, dated now (readers show both).
    pub fn document(&self, title: &str) -> PdfFile<'_> {
        let mut doc = self.template.clone();
        let now = Object::String(
            chrono::Utc::now().format("D:%Y%m%d%H%M%S+00'00'").to_string().into_bytes(),
            StringFormat::Literal,
        );
        // Only what is true of the file: printpdf's info also claims PDF/X conformance.
        let info = Dictionary::from_iter([
            ("Title", text_string(title)),
            ("Creator", text_string("ngayhoi")),
            ("Producer", text_string("ngayhoi (printpdf, lopdf)")),
            ("CreationDate", now.clone()),
            ("ModDate", now),
        ]);
        let info = doc.add_object(info);
        doc.trailer.set("Info", Object::Reference(info));
        // Each file its own identifier (ISO 32000-1, 14.4), not the template's.
        let id = Object::String(rand::random::<[u8; 16]>().to_vec(), StringFormat::Hexadecimal);
        doc.trailer.set("ID", Object::Array(vec![id.clone(), id]));
        PdfFile { fonts: self, doc, kids: Vec::new(), used: self.no_glyphs_used() }
    }

    /// The glyph id of `c` in face `face` (in [`FACE_FILES`] order), if the repertoire has it.
    pub(super) fn glyph(&self, face: usize, c: char) -> Option<u16> {
        let glyph = *self.faces.get(face)?.glyphs.get(c as usize)?;
        (glyph != 0).then_some(glyph)
    }

    /// The name pages give face `face` in `Tf`.
    pub(super) fn resource(&self, face: usize) -> &str {
        self.faces.get(face).map_or("", |face| face.resource.as_str())
    }

    /// No glyph drawn yet, sized for the faces' glyph ids.
    pub(super) fn no_glyphs_used(&self) -> GlyphsUsed {
        std::array::from_fn(|face| vec![false; self.faces.get(face).map_or(0, |face| face.glyph_count)])
    }
}

/// The font program (`FontFile2`) of the font named `resource` in the resources
/// `resources_id`: Type0 font → descendant CIDFont → font descriptor → program.
fn font_program(doc: &Document, resources_id: ObjectId, resource: &str) -> anyhow::Result<ObjectId> {
    let resources = doc.get_dictionary(resources_id)?;
    let fonts = resources.get_deref(b"Font", doc)?.as_dict()?;
    let font = fonts.get_deref(resource.as_bytes(), doc)?.as_dict()?;
    let descendant = font.get_deref(b"DescendantFonts", doc)?.as_array()?.first().context("a font without CIDFont")?;
    let descendant = doc.dereference(descendant)?.1.as_dict()?;
    let descriptor = descendant.get_deref(b"FontDescriptor", doc)?.as_dict()?;
    Ok(descriptor.get(b"FontFile2")?.as_reference()?)
}

/// The glyph ids printpdf gave each character of `repertoire` in each face, read from the
/// sample page: `/Name size Tf` then one `<hex> Tj` of two bytes per character.
fn read_encoding(content: &[u8], repertoire: &[char]) -> anyhow::Result<Vec<(String, Vec<u16>)>> {
    let mut faces = Vec::new();
    let mut resource = None;
    let table_size = repertoire.iter().map(|c| *c as usize + 1).max().unwrap_or(0);
    for operation in Content::decode(content)?.operations {
        match (operation.operator.as_str(), operation.operands.first()) {
            ("Tf", Some(name)) => resource = Some(String::from_utf8_lossy(name.as_name()?).into_owned()),
            ("Tj", Some(Object::String(bytes, _))) => {
                let resource = resource.take().context("text shown before a font was set")?;
                if bytes.len() != repertoire.len() * 2 {
                    anyhow::bail!("face {resource}: {} glyph bytes for {} characters", bytes.len(), repertoire.len());
                }
                let mut glyphs = vec![0; table_size];
                for (c, pair) in repertoire.iter().zip(bytes.chunks_exact(2)) {
                    glyphs[*c as usize] = u16::from_be_bytes([pair[0], pair[1]]);
                }
                faces.push((resource, glyphs));
            }
            _ => {}
        }
    }
    Ok(faces)
}

/// A PDF text string (ISO 32000-1, 7.9.2.2): UTF-16BE with its byte order mark, so titles in
/// Vietnamese read correctly in every viewer's document properties.
fn text_string(text: &str) -> Object {
    let mut bytes = vec![0xFE, 0xFF];
    bytes.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
    Object::String(bytes, StringFormat::Hexadecimal)
}

/// A PDF being written: pages are added as they are drawn, then [`PdfFile::finish`] gives
/// the bytes.
pub struct PdfFile<'f> {
    fonts: &'f Fonts,
    doc: Document,
    kids: Vec<Object>,
    used: GlyphsUsed,
}

impl PdfFile<'_> {
    /// Adds a page `width` × `height` mm with the content drawn on it, using the glyphs
    /// `used`, deflated now so the document only ever holds compressed pages.
    pub(super) fn add_page(
        &mut self,
        width: f32,
        height: f32,
        content: &[u8],
        used: &GlyphsUsed,
    ) -> anyhow::Result<()> {
        add_glyphs(&mut self.used, used);
        let mut encoder = ZlibEncoder::new(Vec::with_capacity(content.len() / 3), Compression::fast());
        encoder.write_all(content)?;
        let mut dict = Dictionary::new();
        dict.set("Filter", "FlateDecode");
        let stream = Stream::new(dict, encoder.finish()?).with_compression(false);
        let contents = self.doc.add_object(stream);
        let media_box = [0.0, 0.0, Pt::from(Mm(width)).0, Pt::from(Mm(height)).0].map(Object::Real).to_vec();
        let page = Dictionary::from_iter([
            ("Type", Object::Name(b"Page".to_vec())),
            ("Parent", Object::Reference(self.fonts.pages_id)),
            ("MediaBox", Object::Array(media_box)),
            ("Resources", Object::Reference(self.fonts.resources_id)),
            ("Contents", Object::Reference(contents)),
        ]);
        self.kids.push(Object::Reference(self.doc.add_object(page)));
        Ok(())
    }

    /// The file's bytes, each font program reduced to the outlines its pages use.
    pub fn finish(self) -> anyhow::Result<Vec<u8>> {
        let programs = self.fonts.programs(&self.used)?;
        self.finish_with(&programs)
    }

    /// The glyphs this file's pages draw.
    pub(super) fn glyphs_used(&self) -> &GlyphsUsed {
        &self.used
    }

    /// The file's bytes with `programs`, made by [`Fonts::programs`] for these pages' glyphs
    /// or more (a batch of files shares them). Errors when `programs` lacks a glyph the
    /// pages draw: a reader would show a blank box.
    pub(super) fn finish_with(mut self, programs: &TrimmedPrograms) -> anyhow::Result<Vec<u8>> {
        let uncovered =
            programs.kept.iter().zip(&self.used).any(|(kept, used)| kept.iter().zip(used).any(|(k, u)| *u && !k));
        anyhow::ensure!(!uncovered, "the shared font programs lack a glyph this file draws");
        for (face, stream) in self.fonts.faces.iter().zip(&programs.streams) {
            self.doc.objects.insert(face.program_id, Object::Stream(stream.clone()));
        }
        let count = i64::try_from(self.kids.len())?;
        let pages = self.doc.get_dictionary_mut(self.fonts.pages_id)?;
        pages.set("Kids", Object::Array(std::mem::take(&mut self.kids)));
        pages.set("Count", Object::Integer(count));
        let mut bytes = Vec::new();
        self.doc.save_to(&mut bytes)?;
        Ok(bytes)
    }
}

/// The font programs reduced to some glyphs and deflated, ready to go into any number of
/// files drawing those glyphs or fewer. Trimming and deflating are most of the cost of a
/// one-page file; doing them once for a batch of e-mail attachments saves that per file.
pub(super) struct TrimmedPrograms {
    kept: GlyphsUsed,
    streams: Vec<Stream>,
}

impl Fonts {
    /// The programs of the four faces keeping the outlines of `used` (and .notdef and the
    /// components of composite glyphs). Errors when a program does not parse (a build
    /// defect the tests catch).
    pub(super) fn programs(&self, used: &GlyphsUsed) -> anyhow::Result<TrimmedPrograms> {
        let streams = self
            .faces
            .iter()
            .zip(used)
            .map(|(face, used)| {
                let program = keep_glyphs(&face.program, used)?;
                let mut encoder = ZlibEncoder::new(Vec::with_capacity(program.len() / 2), Compression::default());
                encoder.write_all(&program)?;
                let mut dict = Dictionary::new();
                dict.set("Filter", "FlateDecode");
                dict.set("Length1", Object::Integer(i64::try_from(program.len())?));
                Ok(Stream::new(dict, encoder.finish()?).with_compression(false))
            })
            .collect::<anyhow::Result<_>>()?;
        Ok(TrimmedPrograms { kept: used.clone(), streams })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::layout::{Canvas, Style};

    #[test]
    fn every_character_of_the_repertoire_has_a_glyph_in_every_face() {
        let fonts = Fonts::load().expect("the embedded fonts load");
        for face in 0..FACE_FILES.len() {
            for c in repertoire() {
                assert!(fonts.glyph(face, c).is_some(), "face {face} lacks {c}");
            }
            assert_ne!(fonts.glyph(face, 'A'), fonts.glyph(face, 'Ă'));
        }
        assert_eq!(fonts.glyph(0, '😀'), None);
    }

    #[test]
    fn a_page_with_a_character_the_fonts_lack_is_refused_by_name() {
        let fonts = Fonts::load().expect("the embedded fonts load");
        let mut pdf = fonts.document("Thử");
        let mut canvas = Canvas::new(&fonts, 210.0, 297.0);
        canvas.text(30.0, 30.0, Style::Regular, 12.0, "Nguyễn Văn An 阮");
        let refused = canvas.finish(&mut pdf).unwrap_err().to_string();
        assert!(refused.contains("U+962E"), "{refused}");
        let mut canvas = Canvas::new(&fonts, 210.0, 297.0);
        canvas.text(30.0, 30.0, Style::Bold, 12.0, "Nguyễn Văn An");
        canvas.finish(&mut pdf).expect("a printable page");
        let bytes = pdf.finish().expect("the file");
        let read = Document::load_mem(&bytes).expect("a PDF lopdf reads back");
        assert_eq!(read.get_pages().len(), 1, "the refused page was not added");
    }
}
