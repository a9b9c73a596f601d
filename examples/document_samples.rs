//! Writes one sample of each document (invitation, decision, the yearly summary report with
//! and without a reporting body, certificate on plain paper and on a blank) into a folder, to
//! look at the layout without a database:
//!
//!     cargo run --example document_samples -- /tmp/samples

use chrono::NaiveDate;
use ngayhoi::documents::certificate::{BlankLayout, CertificateSheet, Paper, certificates};
use ngayhoi::documents::decision::{DecisionDocument, Recipient, decision};
use ngayhoi::documents::invitation::{InvitationSheet, invitations};
use ngayhoi::documents::layout::{Letterhead, Signature};
use ngayhoi::documents::pdf::Fonts;
use ngayhoi::documents::summary::{Reporter, SummaryDocument, summary};
use ngayhoi::reports::summary::Summary;

fn main() -> anyhow::Result<()> {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "samples".into()));
    std::fs::create_dir_all(&dir)?;
    let fonts = Fonts::load()?;
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| anyhow::anyhow!("date"));
    let letterhead = |number: &str, date| Letterhead {
        parent_name: Some("Thành phố Hồ Chí Minh".into()),
        issuer_name: "Ủy ban nhân dân phường Tân Phú".into(),
        number: number.into(),
        place_name: "Phường Tân Phú".into(),
        date,
    };
    let signature = Signature {
        authority_line: "TM. ỦY BAN NHÂN DÂN".into(),
        signer_title: "CHỦ TỊCH".into(),
        signer_name: "Nguyễn Văn Bình".into(),
    };
    let invitation = InvitationSheet {
        letterhead: letterhead("07/GM-UBND", day(2026, 8, 5)?),
        inviter: "Ủy ban nhân dân phường Tân Phú".into(),
        honorific: "Đồng chí".into(),
        guest_name: "Trần Thị Hoa".into(),
        guest_position: Some("Phó Trưởng Công an phường, Công an phường Tân Phú".into()),
        festival_title: "Ngày hội Toàn dân bảo vệ an ninh Tổ quốc năm 2026".into(),
        host_name: "Khu phố 3".into(),
        starts_at: day(2026, 8, 19)?.and_hms_opt(14, 0, 0).ok_or_else(|| anyhow::anyhow!("time"))?,
        venue: "Nhà văn hóa khu phố 3, số 12 đường Lũy Bán Bích".into(),
        rsvp_url: Some("https://ngayhoi.example.vn/r/5f2c0a9e7b3d41e8a6c2f0d9b8e7a6c5".into()),
        rsvp_by: day(2026, 8, 18)?,
        checkin_code: "K7QM2XPA4R9T".into(),
        verify_url: "https://ngayhoi.example.vn/verify/K7QM2XPA4R9T".into(),
        signature: signature.clone(),
    };
    std::fs::write(dir.join("giay-moi.pdf"), invitations(&[invitation], &fonts, |_| {})?)?;
    let recipients = (1..=40)
        .map(|i| Recipient {
            collective: i % 7 == 0,
            name: if i % 7 == 0 { format!("Tổ dân phố {i}") } else { format!("Nguyễn Thị Minh Khai {i}") },
            award: "Giấy khen".into(),
            register_number: i,
        })
        .collect();
    let document = DecisionDocument {
        letterhead: letterhead("01/QĐ-UBND", day(2026, 8, 19)?),
        subject: "Về việc khen thưởng trong phong trào Toàn dân bảo vệ an ninh Tổ quốc năm 2026".into(),
        authority_heading: "CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG TÂN PHÚ".into(),
        legal_basis: vec![
            "Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15 ngày 15 tháng 6 năm 2022;".into(),
            "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định chi tiết thi hành một số điều của Luật Thi đua, khen thưởng;".into(),
        ],
        achievement: "xuất sắc trong phong trào Toàn dân bảo vệ an ninh Tổ quốc năm 2026".into(),
        recipients,
        executors: "Văn phòng Ủy ban nhân dân phường Tân Phú".into(),
        revoked_reason: None,
        signature: Signature { authority_line: String::new(), ..signature.clone() },
    };
    std::fs::write(dir.join("quyet-dinh.pdf"), decision(&document, &fonts)?)?;
    let figures = Summary {
        year: 2026,
        unit: Some("27031".into()),
        festivals_held: 42,
        attendance: 12_850,
        participants: 15_320,
        collectives_commended: 17,
        individuals_commended: 35,
        models: 23,
    }
    .figures()
    .map(|(label, figure)| (label.to_owned(), ngayhoi::text::thousands(figure)))
    .into();
    let report = SummaryDocument {
        reporter: Some(Reporter {
            parent_name: Some("Thành phố Hồ Chí Minh".into()),
            name: "Ủy ban nhân dân phường Tân Phú".into(),
            number: "      /BC-UBND".into(),
            signature: signature.clone(),
        }),
        place_name: Some("Phường Tân Phú".into()),
        date: day(2026, 8, 25)?,
        year: 2026,
        scope: "Phường Tân Phú, Thành phố Hồ Chí Minh".into(),
        figures,
    };
    std::fs::write(dir.join("bao-cao-tong-ket.pdf"), summary(&report, &fonts)?)?;
    let national = SummaryDocument { reporter: None, place_name: None, scope: "Toàn quốc".into(), ..report };
    std::fs::write(dir.join("bao-cao-tong-ket-toan-quoc.pdf"), summary(&national, &fonts)?)?;
    let certificate = CertificateSheet {
        authority_heading: "CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG TÂN PHÚ".into(),
        award: "GIẤY KHEN".into(),
        recipient: "Bà Nguyễn Thị Minh Khai".into(),
        posthumous: false,
        achievement: "Đã có thành tích xuất sắc trong phong trào Toàn dân bảo vệ an ninh Tổ quốc năm 2026".into(),
        decision_number: "01/QĐ-UBND".into(),
        signed_on: day(2026, 8, 19)?,
        register_number: 12,
        place_name: "Phường Tân Phú".into(),
        // The chairman grants it in their own name: no "TM." line.
        signature: Signature { authority_line: String::new(), ..signature },
        verify_url: "https://ngayhoi.example.vn/verify/ABCDEFGHJKMNPQRSTVWX".into(),
    };
    let sheets = [certificate];
    std::fs::write(dir.join("giay-khen.pdf"), certificates(&sheets, Paper::Plain, &fonts, |_| {})?)?;
    let blank = certificates(&sheets, Paper::Blank(BlankLayout::default()), &fonts, |_| {})?;
    std::fs::write(dir.join("giay-khen-phoi.pdf"), blank)?;
    println!("samples written to {}", dir.display());
    Ok(())
}
