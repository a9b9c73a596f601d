//! PDF documents read back with real tools: `pdftotext`, `pdffonts`, `pdfinfo` and
//! `pdftoppm` from poppler-utils, `zbarimg` from zbar-tools (installed by `.ci/run`).

use std::process::Command;

use reqwest::StatusCode;
use serde_json::json;

use crate::commendation::{approved, decide, issuer, proposer};
use crate::helpers::*;

/// Runs `program args… file` and returns its standard output; the tool must succeed.
fn run(program: &str, args: &[&str]) -> String {
    let output = Command::new(program).args(args).output().unwrap_or_else(|err| panic!("{program} missing: {err}"));
    assert!(output.status.success(), "{program} failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

/// Downloads a PDF into `dir` and returns its path.
async fn download(app: &TestApp, path: &str, dir: &std::path::Path, name: &str) -> String {
    let response = app.get(path).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    assert_eq!(response.headers()["content-type"], "application/pdf");
    let bytes = response.bytes().await.unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    let file = dir.join(name);
    std::fs::write(&file, &bytes).unwrap();
    file.to_string_lossy().into_owned()
}

#[tokio::test]
async fn a_certificate_prints_its_vietnamese_text_embeds_subset_fonts_and_its_qr_verifies() {
    let app = spawn_app().await;
    let officer = proposer(&app).await;
    let issuer = issuer(&app).await;
    let host = app.create_host("Khu phố Đông Hòa", COMMUNE_HCM).await["id"].as_i64().unwrap();
    let collective = approved(
        &officer,
        &app,
        json!({"issuer_id": issuer, "host_id": host,
        "achievement": "Đã có thành tích xuất sắc trong phong trào Toàn dân bảo vệ an ninh Tổ quốc năm 2026"}),
    )
    .await;
    let person = approved(&officer, &app, json!({"issuer_id": issuer, "kind": "individual",
        "nominee_name": "Võ Thị Sáu", "posthumous": true, "achievement": "Đã hy sinh anh dũng khi bảo vệ an ninh trật tự"})).await;
    let decision =
        expect_json(decide(&app, issuer, &[collective, person], "2026-08-19").await, StatusCode::CREATED).await;
    let certificate = &decision["certificates"][1];
    assert_eq!(certificate["recipient"], "Võ Thị Sáu");
    let dir = tempfile::tempdir().unwrap();

    let file = download(&app, &format!("/api/v1/certificates/{}.pdf", certificate["id"]), dir.path(), "one.pdf").await;
    let text = run("pdftotext", &[&file, "-"]);
    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG TÂN PHÚ",
        "TẶNG",
        "GIẤY KHEN",
        "Truy tặng",
        "Võ Thị Sáu",
        "Quyết định số 01/QĐ-UBND ngày 19/08/2026",
        "Số sổ vàng: 2",
        "Phường Tân Phú, ngày 19 tháng 8 năm 2026",
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        "Nguyễn Văn Bình",
    ] {
        assert!(text.contains(expected), "{expected:?} missing from:\n{text}");
    }
    let info = run("pdfinfo", &[&file]);
    assert!(info.contains("Pages:           1"), "{info}");
    assert!(info.contains("841.89 x 595.28 pts (A4)") || info.contains("841.89 x 595.276 pts"), "A4 landscape: {info}");
    let fonts = run("pdffonts", &[&file]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty(), "{fonts}");
    for row in rows {
        // name, type…, then emb sub uni: every font embedded and subset ("ABCDEF+LiberationSerif").
        assert!(row.contains("+LiberationSerif") && row.contains(" yes yes "), "{fonts}");
    }

    // The QR, read from the rendered page, leads to the public verification.
    let png = dir.path().join("page");
    run("pdftoppm", &["-r", "200", "-png", "-singlefile", &file, &png.to_string_lossy()]);
    let scanned = run("zbarimg", &["--raw", "-q", &format!("{}.png", png.to_string_lossy())]);
    let url = scanned.trim();
    assert_eq!(url, format!("{}/verify/{}", app.address, certificate["verify_code"].as_str().unwrap()));
    let verified =
        app.with_token(None).get_json(&url.replace("/verify/", "/api/v1/verify/").replace(&app.address, "")).await;
    assert_eq!((verified["valid"].as_bool(), verified["recipient"].as_str()), (Some(true), Some("Võ Thị Sáu")));

    // The decision's certificates, one page each, in one file.
    let all =
        download(&app, &format!("/api/v1/decisions/{}/certificates.pdf", decision["id"]), dir.path(), "all.pdf").await;
    assert!(run("pdfinfo", &[&all]).contains("Pages:           2"));
    assert!(run("pdftotext", &[&all, "-"]).contains("Khu phố Đông Hòa"));
    expect_problem(app.get("/api/v1/certificates/99999.pdf").await, StatusCode::NOT_FOUND).await;
    expect_problem(app.get("/api/v1/certificates/abc").await, StatusCode::NOT_FOUND).await;
    let outsider =
        app.with_token(Some(&app.user_token("hanoi@ngayhoi.test", "commune", Some(COMMUNE_HANOI), None).await));
    let path = format!("/api/v1/certificates/{}.pdf", certificate["id"]);
    expect_problem(outsider.get(&path).await, StatusCode::NOT_FOUND).await;
    // A revoked decision's certificates are no longer printed.
    let revoke = format!("/api/v1/decisions/{}/revoke", decision["id"]);
    expect_json(app.post(&revoke, &json!({"reason": "Nhầm đối tượng"})).await, StatusCode::OK).await;
    expect_problem(app.get(&path).await, StatusCode::CONFLICT).await;
    let all = format!("/api/v1/decisions/{}/certificates.pdf", decision["id"]);
    expect_problem(app.get(&all).await, StatusCode::CONFLICT).await;
}
