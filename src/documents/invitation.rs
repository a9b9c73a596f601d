//! Giấy mời (invitation), A4 portrait, one page per guest, in the layout of Decree
//! 30/2020/NĐ-CP and DOMAIN.md (*Document layout*): letterhead with `Số: 07/GM-UBND`,
//! "GIẤY MỜI", the guest, what, when, where, the RSVP line, the check-in QR, the signature and
//! the list of copies.

use chrono::{NaiveDate, NaiveDateTime, Timelike};

use super::layout::{
    Canvas, Letterhead, MARGIN_LEFT, MARGIN_RIGHT, PORTRAIT_HEIGHT, PORTRAIT_WIDTH, Signature, Style, copies_to,
    letterhead, long_date, signature_block,
};
use super::pdf::{Fonts, PdfFile, add_glyphs};

/// Everything printed on one invitation; the caller has checked that every text can print.
#[derive(Debug, Clone)]
pub struct InvitationSheet {
    pub letterhead: Letterhead,
    /// The issuer as it invites, e.g. "Ủy ban nhân dân phường Tân Phú".
    pub inviter: String,
    /// "Ông", "Bà", "Đồng chí" or "Ông/Bà" ([`honorific`]).
    pub honorific: String,
    pub guest_name: String,
    /// Position and body, e.g. "Trưởng Công an phường, Công an phường Tân Phú".
    pub guest_position: Option<String>,
    /// "Ngày hội Toàn dân bảo vệ an ninh Tổ quốc năm 2026".
    pub festival_title: String,
    /// The host, e.g. "Khu phố 3".
    pub host_name: String,
    /// Local time (UTC+7).
    pub starts_at: NaiveDateTime,
    pub venue: String,
    /// `{BASE_URL}/r/{token}`; none once the festival takes no answers.
    pub rsvp_url: Option<String>,
    /// The last day to answer.
    pub rsvp_by: NaiveDate,
    /// Printed under the QR code, for typing in when the camera fails.
    pub checkin_code: String,
    /// `{BASE_URL}/verify/{checkin_code}`, in the QR code.
    pub verify_url: String,
    pub signature: Signature,
}

/// The honorific of a guest (DOMAIN.md, *People's data*): "Đồng chí" for officials, else
/// "Ông" or "Bà" from the sex, "Ông/Bà" when it is not known.
pub fn honorific(official: bool, male: Option<bool>) -> &'static str {
    match (official, male) {
        (true, _) => "Đồng chí",
        (false, Some(true)) => "Ông",
        (false, Some(false)) => "Bà",
        (false, None) => "Ông/Bà",
    }
}

/// "14 giờ 00, ngày 19 tháng 8 năm 2026" (24-hour clock, DOMAIN.md).
pub fn long_time(at: NaiveDateTime) -> String {
    format!("{} giờ {:02}, {}", at.hour(), at.minute(), long_date(at.date()))
}

/// One PDF with a page per invitation, the fonts embedded once and subset. `on_page` is
/// called after each page with the number drawn so far (progress of batch jobs). Errors when
/// a verification URL cannot be drawn as a QR code.
pub fn invitations(
    sheets: &[InvitationSheet],
    fonts: &Fonts,
    mut on_page: impl FnMut(usize),
) -> anyhow::Result<Vec<u8>> {
    let mut pdf = fonts.document("Giấy mời");
    for (i, sheet) in sheets.iter().enumerate() {
        let mut canvas = Canvas::new(fonts, PORTRAIT_WIDTH, PORTRAIT_HEIGHT);
        draw(&mut canvas, sheet)?;
        canvas.finish(&mut pdf)?;
        on_page(i + 1);
    }
    pdf.finish()
}

/// One PDF per invitation, as e-mail attachments, in the order of `sheets`; each result on its
/// own, so one sheet that cannot be drawn spoils no other. The files share font programs
/// trimmed once to the glyphs all of them draw (most of the cost of a one-page file): a file
/// may carry a few outlines only another guest's name uses, a few hundred bytes each.
pub fn invitation_files(sheets: &[InvitationSheet], fonts: &Fonts) -> Vec<anyhow::Result<Vec<u8>>> {
    let drawn: Vec<anyhow::Result<PdfFile>> = sheets
        .iter()
        .map(|sheet| {
            let mut pdf = fonts.document("Giấy mời");
            let mut canvas = Canvas::new(fonts, PORTRAIT_WIDTH, PORTRAIT_HEIGHT);
            draw(&mut canvas, sheet)?;
            canvas.finish(&mut pdf)?;
            Ok(pdf)
        })
        .collect();
    let mut used = fonts.no_glyphs_used();
    for pdf in drawn.iter().flatten() {
        add_glyphs(&mut used, pdf.glyphs_used());
    }
    let programs = fonts.programs(&used);
    drawn
        .into_iter()
        .map(|pdf| match &programs {
            Ok(programs) => pdf?.finish_with(programs),
            Err(err) => Err(anyhow::anyhow!("{err:#}")),
        })
        .collect()
}

fn draw(canvas: &mut Canvas, sheet: &InvitationSheet) -> anyhow::Result<()> {
    let width = PORTRAIT_WIDTH - MARGIN_LEFT - MARGIN_RIGHT;
    let middle = MARGIN_LEFT + width / 2.0;
    let mut y = letterhead(canvas, &sheet.letterhead);
    canvas.centered(middle, y, Style::Bold, 15.0, "GIẤY MỜI");
    y += 13.0;
    let indent = 10.0;
    let at = (MARGIN_LEFT, y);
    y = canvas.paragraph(
        at,
        width,
        indent,
        14.0,
        "",
        Style::Regular,
        &format!("{} trân trọng kính mời:", sheet.inviter),
    );
    y += 2.0;
    canvas.centered(middle, y, Style::Bold, 15.0, &format!("{} {}", sheet.honorific, sheet.guest_name));
    y += 6.5;
    if let Some(position) = &sheet.guest_position {
        y = canvas.paragraph((MARGIN_LEFT, y), width, indent, 13.0, "", Style::Italic, position);
    }
    y += 3.0;
    let what = format!("{} tại {}.", sheet.festival_title, sheet.host_name);
    y = canvas.paragraph((MARGIN_LEFT, y), width, indent, 14.0, "Tới dự:", Style::Regular, &what);
    let when = format!("{}.", long_time(sheet.starts_at));
    y = canvas.paragraph((MARGIN_LEFT, y), width, indent, 14.0, "Thời gian:", Style::Regular, &when);
    let venue = format!("{}.", sheet.venue);
    y = canvas.paragraph((MARGIN_LEFT, y), width, indent, 14.0, "Địa điểm:", Style::Regular, &venue);
    if let Some(url) = &sheet.rsvp_url {
        // "Please confirm whether you will attend before …, at:"
        let ask =
            format!("Đề nghị {} xác nhận tham dự trước {} tại địa chỉ:", sheet.honorific, long_date(sheet.rsvp_by));
        y = canvas.paragraph((MARGIN_LEFT, y), width, indent, 14.0, "", Style::Regular, &ask);
        canvas.text(MARGIN_LEFT + indent, y, Style::Italic, 12.0, url);
        y += 7.0;
    }
    // "We look forward to welcoming you."
    let welcome = format!("Rất mong {} đến dự đúng giờ./.", sheet.honorific);
    y = canvas.paragraph((MARGIN_LEFT, y), width, indent, 14.0, "", Style::Regular, &welcome);
    // Signature on the right; on the left the copies and, under them, the check-in QR.
    let bottom = y + 6.0;
    signature_block(canvas, 144.0, bottom, 28.0, &sheet.signature);
    copies_to(canvas, MARGIN_LEFT, bottom, &["Như trên;".to_owned(), "Lưu: VT.".to_owned()]);
    let qr_top = bottom + 14.0;
    canvas.qr(MARGIN_LEFT - 3.0, qr_top, 32.0, &sheet.verify_url)?;
    // "Check-in code"
    canvas.text(MARGIN_LEFT, qr_top + 34.0, Style::Regular, 11.0, &format!("Mã điểm danh: {}", sheet.checkin_code));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::layout::{Letterhead, Signature};

    fn sheet(guest_name: &str) -> InvitationSheet {
        let day = NaiveDate::from_ymd_opt(2027, 8, 19).unwrap();
        InvitationSheet {
            letterhead: Letterhead {
                parent_name: Some("Thành phố Hồ Chí Minh".into()),
                issuer_name: "Ủy ban nhân dân phường Tân Phú".into(),
                number: "07/GM-UBND".into(),
                place_name: "Phường Tân Phú".into(),
                date: day,
            },
            inviter: "Ủy ban nhân dân phường Tân Phú".into(),
            honorific: "Ông/Bà".into(),
            guest_name: guest_name.into(),
            guest_position: None,
            festival_title: "Ngày hội Toàn dân bảo vệ an ninh Tổ quốc năm 2027".into(),
            host_name: "Khu phố 3".into(),
            starts_at: day.and_hms_opt(14, 0, 0).unwrap(),
            venue: "Nhà văn hóa khu phố 3".into(),
            rsvp_url: None,
            rsvp_by: day,
            checkin_code: "K7QM2XPA4R9T".into(),
            verify_url: "https://ngayhoi.example.vn/verify/K7QM2XPA4R9T".into(),
            signature: Signature {
                authority_line: "TM. ỦY BAN NHÂN DÂN".into(),
                signer_title: "CHỦ TỊCH".into(),
                signer_name: "Nguyễn Văn Bình".into(),
            },
        }
    }

    #[test]
    fn files_of_a_batch_share_their_fonts_and_one_bad_sheet_spoils_no_other() {
        let fonts = Fonts::load().expect("the embedded fonts load");
        let sheets = [sheet("Trần Thị Hoa"), sheet("Lê Văn 阮"), sheet("Phạm Quỳnh Ỷ")];
        let files = invitation_files(&sheets, &fonts);
        assert!(files[1].as_ref().is_err_and(|err| err.to_string().contains("U+962E")));
        let programs: Vec<Vec<Vec<u8>>> = [&files[0], &files[2]]
            .into_iter()
            .map(|file| {
                let pdf = lopdf::Document::load_mem(file.as_ref().expect("a drawn file")).expect("a PDF");
                assert_eq!(pdf.get_pages().len(), 1);
                let mut programs: Vec<Vec<u8>> = pdf
                    .objects
                    .values()
                    .filter_map(|object| object.as_stream().ok())
                    .filter(|stream| stream.dict.has(b"Length1"))
                    .map(|stream| stream.content.clone())
                    .collect();
                programs.sort();
                programs
            })
            .collect();
        assert_eq!(programs[0].len(), 4, "four faces");
        assert_eq!(programs[0], programs[1], "one set of trimmed programs for the batch");
        // The shared programs hold the outlines of both names, so each file draws its own.
        let alone = invitation_files(&sheets[..1], &fonts).remove(0).expect("a drawn file");
        assert!(files[0].as_ref().unwrap().len() > alone.len(), "the batch adds Quỳnh Ỷ's letters");
    }

    #[test]
    fn honorifics_and_times_read_as_vietnamese_invitations_do() {
        assert_eq!(honorific(true, Some(false)), "Đồng chí");
        assert_eq!(honorific(false, Some(true)), "Ông");
        assert_eq!(honorific(false, Some(false)), "Bà");
        assert_eq!(honorific(false, None), "Ông/Bà");
        let at = NaiveDate::from_ymd_opt(2026, 8, 19).and_then(|day| day.and_hms_opt(14, 0, 0)).unwrap();
        assert_eq!(long_time(at), "14 giờ 00, ngày 19 tháng 8 năm 2026");
        let early = NaiveDate::from_ymd_opt(2026, 2, 5).and_then(|day| day.and_hms_opt(7, 30, 0)).unwrap();
        assert_eq!(long_time(early), "7 giờ 30, ngày 05 tháng 02 năm 2026");
    }
}
