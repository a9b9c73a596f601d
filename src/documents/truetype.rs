//! Dropping the outlines a document does not use from an embedded TrueType font program, glyph
//! ids unchanged ("retain gids" subsetting, as fontTools and HarfBuzz call it): the pages are
//! already written with those ids, so only the `glyf` and `loca` tables change (OpenType 1.9,
//! chapters `glyf`, `loca`, `head` and the table directory).

use anyhow::{Context, bail};

/// Big-endian readers over a font program; errors when the program is cut short.
fn u16_at(data: &[u8], at: usize) -> anyhow::Result<u16> {
    let bytes = data.get(at..at + 2).context("font program cut short")?;
    Ok(u16::from_be_bytes([bytes[0], bytes[1]]))
}

fn u32_at(data: &[u8], at: usize) -> anyhow::Result<u32> {
    let bytes = data.get(at..at + 4).context("font program cut short")?;
    Ok(u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
}

/// One entry of the table directory: tag, offset and length in the program.
struct Table {
    tag: [u8; 4],
    offset: usize,
    length: usize,
}

/// The font's sum of big-endian 32-bit words, the last one padded with zeros (the `head`
/// checksum rule).
fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |sum, chunk| {
        let mut word = [0; 4];
        word[..chunk.len()].copy_from_slice(chunk);
        sum.wrapping_add(u32::from_be_bytes(word))
    })
}

/// The glyphs a composite glyph is built from (its components' ids).
fn components(glyph: &[u8]) -> anyhow::Result<Vec<u16>> {
    const ARGS_ARE_WORDS: u16 = 0x0001;
    const HAS_SCALE: u16 = 0x0008;
    const MORE_COMPONENTS: u16 = 0x0020;
    const HAS_X_AND_Y_SCALE: u16 = 0x0040;
    const HAS_TWO_BY_TWO: u16 = 0x0080;
    let mut found = Vec::new();
    let mut at = 10;
    loop {
        let flags = u16_at(glyph, at)?;
        found.push(u16_at(glyph, at + 2)?);
        at += 4 + if flags & ARGS_ARE_WORDS != 0 { 4 } else { 2 };
        at += if flags & HAS_SCALE != 0 {
            2
        } else if flags & HAS_X_AND_Y_SCALE != 0 {
            4
        } else if flags & HAS_TWO_BY_TWO != 0 {
            8
        } else {
            0
        };
        if flags & MORE_COMPONENTS == 0 {
            return Ok(found);
        }
    }
}

/// `program` with the outline of every glyph not in `used` (by glyph id) emptied, keeping
/// glyph 0 (.notdef) and the components of kept composite glyphs. Errors when `program` is
/// not a TrueType font with `head`, `loca` and `glyf` tables.
pub fn keep_glyphs(program: &[u8], used: &[bool]) -> anyhow::Result<Vec<u8>> {
    let count = usize::from(u16_at(program, 4)?);
    let tables = (0..count)
        .map(|i| {
            let record = 12 + 16 * i;
            let tag = program.get(record..record + 4).context("font program cut short")?;
            Ok(Table {
                tag: [tag[0], tag[1], tag[2], tag[3]],
                offset: usize::try_from(u32_at(program, record + 8)?)?,
                length: usize::try_from(u32_at(program, record + 12)?)?,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let table = |tag: &[u8; 4]| -> anyhow::Result<&[u8]> {
        let table = tables.iter().find(|table| &table.tag == tag).context("font program lacks a table")?;
        program.get(table.offset..table.offset + table.length).context("font table out of bounds")
    };
    let (head, loca, glyf) = (table(b"head")?, table(b"loca")?, table(b"glyf")?);
    let long_offsets = u16_at(head, 50)? == 1;
    let offset = |glyph: usize| -> anyhow::Result<usize> {
        Ok(if long_offsets {
            usize::try_from(u32_at(loca, glyph * 4)?)?
        } else {
            usize::from(u16_at(loca, glyph * 2)?) * 2
        })
    };
    let glyph_count = loca.len() / if long_offsets { 4 } else { 2 } - 1;
    let outline = |glyph: usize| -> anyhow::Result<&[u8]> {
        glyf.get(offset(glyph)?..offset(glyph + 1)?).context("glyph outside the glyf table")
    };

    let mut keep = vec![false; glyph_count];
    let mut pending: Vec<usize> =
        std::iter::once(0).chain((0..glyph_count).filter(|g| used.get(*g) == Some(&true))).collect();
    while let Some(glyph) = pending.pop() {
        if glyph >= glyph_count {
            bail!("glyph {glyph} beyond the font's {glyph_count}");
        }
        if std::mem::replace(&mut keep[glyph], true) {
            continue;
        }
        let data = outline(glyph)?;
        // A negative number of contours marks a composite glyph.
        if data.len() >= 10 && (u16_at(data, 0)? as i16) < 0 {
            pending.extend(components(data)?.into_iter().map(usize::from));
        }
    }

    let mut new_glyf = Vec::with_capacity(glyf.len());
    let mut new_loca = Vec::with_capacity(loca.len());
    let put_offset = |loca: &mut Vec<u8>, at: usize| -> anyhow::Result<()> {
        if long_offsets {
            loca.extend(u32::try_from(at)?.to_be_bytes());
        } else {
            loca.extend(u16::try_from(at / 2)?.to_be_bytes());
        }
        Ok(())
    };
    for (glyph, kept) in keep.iter().enumerate() {
        put_offset(&mut new_loca, new_glyf.len())?;
        if *kept {
            new_glyf.extend_from_slice(outline(glyph)?);
            // Offsets stay even for short `loca` entries, word-aligned for long ones.
            new_glyf.resize(new_glyf.len().next_multiple_of(4), 0);
        }
    }
    put_offset(&mut new_loca, new_glyf.len())?;

    // The same tables in the same order, `glyf` and `loca` replaced, each padded to 4 bytes,
    // checksums recomputed and the whole-font adjustment in `head` set last.
    let mut out = program.get(..12 + 16 * count).context("font program cut short")?.to_vec();
    let mut head_at = None;
    for (i, entry) in tables.iter().enumerate() {
        let mut data = match &entry.tag {
            b"glyf" => std::mem::take(&mut new_glyf),
            b"loca" => std::mem::take(&mut new_loca),
            _ => program.get(entry.offset..entry.offset + entry.length).context("font table out of bounds")?.to_vec(),
        };
        if &entry.tag == b"head" {
            data.get_mut(8..12).context("head table cut short")?.fill(0);
            head_at = Some(out.len());
        }
        let record = 12 + 16 * i;
        out[record + 4..record + 8].copy_from_slice(&checksum(&data).to_be_bytes());
        let at = u32::try_from(out.len())?;
        out[record + 8..record + 12].copy_from_slice(&at.to_be_bytes());
        out[record + 12..record + 16].copy_from_slice(&u32::try_from(data.len())?.to_be_bytes());
        out.extend_from_slice(&data);
        out.resize(out.len().next_multiple_of(4), 0);
    }
    let head_at = head_at.context("font program lacks a head table")?;
    let adjustment = 0xB1B0_AFBA_u32.wrapping_sub(checksum(&out));
    out[head_at + 8..head_at + 12].copy_from_slice(&adjustment.to_be_bytes());
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::keep_glyphs;
    use crate::documents::fonts::FACE_FILES;

    #[test]
    fn unused_outlines_are_dropped_and_ids_kept() {
        let program = FACE_FILES[0].1;
        let face = ttf_parser::Face::parse(program, 0).expect("the regular face");
        let glyph = |c| face.glyph_index(c).expect("a glyph").0;
        // "Ệ" is a composite in Liberation Serif: its components must stay.
        let mut used = vec![false; usize::from(face.number_of_glyphs())];
        for c in ['N', 'g', 'Ệ'] {
            used[usize::from(glyph(c))] = true;
        }
        let smaller = keep_glyphs(program, &used).expect("a subset");
        assert!(smaller.len() < program.len() / 4, "{} of {}", smaller.len(), program.len());
        let subset = ttf_parser::Face::parse(&smaller, 0).expect("the subset parses");
        assert_eq!(subset.number_of_glyphs(), face.number_of_glyphs());
        let has_outline = |face: &ttf_parser::Face, c| {
            let id = face.glyph_index(c).expect("cmap kept");
            face.outline_glyph(id, &mut Bounds).is_some()
        };
        for c in ['N', 'g', 'Ệ'] {
            assert!(has_outline(&subset, c), "{c} kept");
        }
        assert!(!has_outline(&subset, 'Q'), "Q dropped");
    }

    /// Outline visitor that only asks whether there is one.
    struct Bounds;

    impl ttf_parser::OutlineBuilder for Bounds {
        fn move_to(&mut self, _: f32, _: f32) {}
        fn line_to(&mut self, _: f32, _: f32) {}
        fn quad_to(&mut self, _: f32, _: f32, _: f32, _: f32) {}
        fn curve_to(&mut self, _: f32, _: f32, _: f32, _: f32, _: f32, _: f32) {}
        fn close(&mut self) {}
    }
}
