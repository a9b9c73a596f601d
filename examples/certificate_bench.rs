//! Renders N certificates (giấy khen) with distinct names and QR codes into one PDF, on one
//! thread, and prints pages/s, bytes per page and the process's peak memory.
//!
//!     cargo run --release --example certificate_bench -- 10000

use std::time::Instant;

use chrono::NaiveDate;
use ngayhoi::documents::certificate::{CertificateSheet, Paper, certificates};
use ngayhoi::documents::layout::Signature;
use ngayhoi::documents::pdf::Fonts;

const FAMILY: [&str; 6] = ["Nguyễn", "Trần", "Lê", "Phạm", "Đặng", "Võ"];
const GIVEN: [&str; 6] = ["An", "Bình", "Cường", "Đức", "Hạnh", "Tuyết"];

fn main() -> anyhow::Result<()> {
    let count: usize = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(10_000);
    let fonts = Fonts::load()?;
    let signed_on = NaiveDate::from_ymd_opt(2026, 8, 19).ok_or_else(|| anyhow::anyhow!("date"))?;
    let sheets: Vec<CertificateSheet> = (0..count)
        .map(|i| CertificateSheet {
            authority_heading: "CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG TÂN PHÚ".into(),
            award: "GIẤY KHEN".into(),
            recipient: format!("{} Thị {} {}", FAMILY[i % 6], GIVEN[i / 6 % 6], GIVEN[i / 36 % 6]),
            posthumous: i % 50 == 0,
            achievement: "Đã có thành tích xuất sắc trong phong trào Toàn dân bảo vệ an ninh Tổ quốc năm 2026".into(),
            decision_number: "01/QĐ-UBND".into(),
            signed_on,
            register_number: i32::try_from(i + 1).unwrap_or(i32::MAX),
            place_name: "Phường Tân Phú".into(),
            signature: Signature {
                authority_line: String::new(),
                signer_title: "CHỦ TỊCH".into(),
                signer_name: "Nguyễn Văn Bình".into(),
            },
            verify_url: format!("https://ngayhoi.example.vn/verify/{:020}", i),
        })
        .collect();
    let started = Instant::now();
    let pdf = certificates(&sheets, Paper::Plain, &fonts, |_| {})?;
    let seconds = started.elapsed().as_secs_f64();
    let peak = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| status.lines().find(|line| line.starts_with("VmHWM")).map(str::to_owned))
        .unwrap_or_default();
    println!(
        "{count} certificate pages in {seconds:.2} s: {:.0} pages/s, {:.1} KB/page ({} bytes), peak memory {}",
        count as f64 / seconds,
        pdf.len() as f64 / count as f64 / 1024.0,
        pdf.len(),
        peak.trim_start_matches("VmHWM:").trim()
    );
    std::fs::write(std::env::temp_dir().join("ngayhoi-certificates.pdf"), pdf)?;
    Ok(())
}
