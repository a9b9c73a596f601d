//! PDF documents read back with real tools: `pdftotext`, `pdffonts`, `pdfinfo` and
//! `pdftoppm` from poppler-utils, `zbarimg` from zbar-tools (installed by `.ci/run`).

use std::process::Command;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::commendation::{approved, decide, issuer, proposer};
use crate::helpers::*;
use crate::participants::add;

/// Runs `program args… file` and returns its standard output; the tool must succeed.
pub fn run(program: &str, args: &[&str]) -> String {
    let output = Command::new(program).args(args).output().unwrap_or_else(|err| panic!("{program} missing: {err}"));
    assert!(output.status.success(), "{program} failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

/// Downloads a PDF into `dir` and returns its path.
pub async fn download(app: &TestApp, path: &str, dir: &std::path::Path, name: &str) -> String {
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
        "CHỦ TỊCH",
        "Nguyễn Văn Bình",
    ] {
        assert!(text.contains(expected), "{expected:?} missing from:\n{text}");
    }
    // The chairman grants the certificate in their own name (Law 06/2022, art. 75): no "TM.".
    assert!(!text.contains("TM. ỦY BAN NHÂN DÂN"), "{text}");
    let info = run("pdfinfo", &[&file]);
    assert!(info.contains("Pages:           1"), "{info}");
    assert!(info.contains("841.89 x 595.28 pts (A4)") || info.contains("841.89 x 595.276 pts"), "A4 landscape: {info}");
    // Dated when it was made, not 1970.
    let year = chrono::Utc::now().format("%Y").to_string();
    let created = info.lines().find(|line| line.starts_with("CreationDate:")).unwrap_or_default();
    assert!(created.contains(&year), "{info}");
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

/// A festival still ahead (19/08/2027 at 14:00) of a new host `host_name`: invitations can
/// be issued.
pub async fn future_festival(app: &TestApp, host_name: &str) -> i64 {
    let host = app.create_host(host_name, COMMUNE_HCM).await["id"].as_i64().unwrap();
    let body = json!({"host_id": host, "year": 2027, "starts_at": "2027-08-19T14:00:00+07:00",
        "ends_at": "2027-08-19T17:00:00+07:00", "venue": "Nhà văn hóa khu phố Đông Hòa"});
    expect_json(app.post("/api/v1/festivals", &body).await, StatusCode::CREATED).await["id"].as_i64().unwrap()
}

/// [`future_festival`] with its invitations issued by `issuer`.
pub async fn festival_with_issuer(app: &TestApp, issuer: i64) -> i64 {
    let festival = future_festival(app, "Khu phố Đông Hòa").await;
    let path = format!("/api/v1/festivals/{festival}");
    let patched = expect_json(app.patch(&path, &json!({"issuer_id": issuer})).await, StatusCode::OK).await;
    assert_eq!(patched["issuer_id"], issuer);
    festival
}

/// The text of a PDF with every run of white space made one space (lines wrap where the
/// layout decides), and its number of pages.
pub fn read_pdf(file: &str) -> (String, usize) {
    let info = run("pdfinfo", &[file]);
    let pages = info.lines().find_map(|line| line.strip_prefix("Pages:")).map(|n| n.trim().parse().unwrap()).unwrap();
    (run("pdftotext", &[file, "-"]).split_whitespace().collect::<Vec<_>>().join(" "), pages)
}

#[tokio::test]
async fn an_invitation_reads_as_a_decree_30_invitation_and_its_qr_checks_the_guest_in() {
    let app = spawn_app().await;
    let issuer = issuer(&app).await;
    let host = app.create_host("Tổ dân phố 5", COMMUNE_HCM).await["id"].as_i64().unwrap();
    let festival = expect_json(
        app.post(
            "/api/v1/festivals",
            &json!({"host_id": host, "year": 2027, "starts_at": "2027-08-19T14:00:00+07:00",
            "ends_at": "2027-08-19T17:00:00+07:00", "venue": "Sân bóng tổ dân phố 5"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let guest = add(
        &app,
        festival,
        json!({"full_name": "Trần Thị Hoa", "sex": "female", "role": "official",
        "title": "Phó Trưởng Công an phường", "organization": "Công an phường Tân Phú", "invited": true}),
    )
    .await;
    let path = format!("/api/v1/participants/{}/invitation.pdf", guest["id"]);
    // No issuer yet: the organizer is told what to choose.
    let problem = expect_problem(app.get(&path).await, StatusCode::CONFLICT).await;
    assert!(problem["detail"].as_str().unwrap().contains("issuer_id"), "{problem}");
    // An issuer of another commune cannot invite in its name.
    let elsewhere = expect_json(
        app.post(
            "/api/v1/issuers",
            &json!({"name": "Ủy ban nhân dân phường Vũng Tàu", "unit_code": COMMUNE_HCM_2,
            "symbol": "UBND", "signer_name": "Lê Văn Cường", "signer_title": "Chủ tịch", "authority": "TM.",
            "place_name": "Phường Vũng Tàu"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let festival_path = format!("/api/v1/festivals/{festival}");
    let refused = expect_problem(
        app.patch(&festival_path, &json!({"issuer_id": elsewhere["id"]})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error_fields(&refused), ["issuer_id"]);
    expect_json(app.patch(&festival_path, &json!({"issuer_id": issuer})).await, StatusCode::OK).await;

    let dir = tempfile::tempdir().unwrap();
    let file = download(&app, &path, dir.path(), "invitation.pdf").await;
    let (text, pages) = read_pdf(&file);
    assert_eq!(pages, 1);
    for expected in [
        "THÀNH PHỐ HỒ CHÍ MINH",
        // The issuer's name in two balanced lines, as typed by clerks.
        "ỦY BAN NHÂN DÂN",
        "PHƯỜNG TÂN PHÚ",
        "Số: 01/GM-UBND",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "GIẤY MỜI",
        "Ủy ban nhân dân phường Tân Phú trân trọng kính mời:",
        "Đồng chí Trần Thị Hoa",
        "Phó Trưởng Công an phường, Công an phường Tân Phú",
        "Ngày hội Toàn dân bảo vệ an ninh Tổ quốc năm 2027 tại Tổ dân phố 5.",
        "Thời gian: 14 giờ 00, ngày 19 tháng 8 năm 2027.",
        "Địa điểm: Sân bóng tổ dân phố 5.",
        "xác nhận tham dự trước ngày 18 tháng 8 năm 2027",
        "TM. ỦY BAN NHÂN DÂN",
        "Nguyễn Văn Bình",
        "Nơi nhận:",
    ] {
        assert!(text.contains(expected), "{expected:?} missing from:\n{text}");
    }
    let today = chrono::Utc::now().with_timezone(&chrono::FixedOffset::east_opt(7 * 3600).unwrap()).date_naive();
    let place_date = format!("Phường Tân Phú, ngày {}", today.format("%d"));
    assert!(text.contains(&place_date), "{place_date:?} missing from:\n{text}");
    let info = run("pdfinfo", &[&file]);
    assert!(info.contains("595.28 x 841.89 pts (A4)") || info.contains("595.276 x 841.89"), "A4 portrait: {info}");

    // The RSVP link printed on it works.
    let rsvp = text.split_whitespace().find(|word| word.contains("/r/")).expect("RSVP link printed");
    let token = rsvp.rsplit('/').next().unwrap();
    let answer = app.with_token(None).get_json(&format!("/api/v1/rsvp/{token}")).await;
    assert_eq!(answer["full_name"], "Trần Thị Hoa");

    // The QR code is the guest's check-in code on the verify page; scanning it checks them in.
    let png = dir.path().join("invitation");
    run("pdftoppm", &["-r", "200", "-png", "-singlefile", &file, &png.to_string_lossy()]);
    let scanned = run("zbarimg", &["--raw", "-q", &format!("{}.png", png.to_string_lossy())]);
    let code = guest["checkin_code"].as_str().unwrap();
    assert_eq!(scanned.trim(), format!("{}/verify/{code}", app.address));
    let verified = app.with_token(None).get_json(&format!("/api/v1/verify/{code}")).await;
    assert_eq!((verified["kind"].as_str(), verified["recipient"].as_str()), (Some("invitation"), Some("Trần Thị Hoa")));
    let scanned_code = scanned.trim().rsplit('/').next().unwrap();
    let checkin = json!({"code": scanned_code});
    expect_json(app.post(&format!("{festival_path}/checkins"), &checkin).await, StatusCode::OK).await;

    // A reprint is the same document: same number, same link.
    let again = download(&app, &path, dir.path(), "again.pdf").await;
    let (reprint, _) = read_pdf(&again);
    assert!(reprint.contains("Số: 01/GM-UBND") && reprint.contains(rsvp), "{reprint}");
}

#[tokio::test]
async fn a_festivals_invitations_are_numbered_in_name_order_one_page_each() {
    let app = spawn_app().await;
    let issuer = issuer(&app).await;
    let festival = festival_with_issuer(&app, issuer).await;
    let path = format!("/api/v1/festivals/{festival}/invitations.pdf");
    let problem = expect_problem(app.get(&path).await, StatusCode::CONFLICT).await;
    assert!(problem["detail"].as_str().unwrap().contains("khách mời"), "{problem}");
    for (name, sex, invited) in [
        ("Võ Văn Tâm", "male", true),
        ("Lê Thị Ánh", "female", true),
        ("Đặng Minh", "", true),
        ("Phạm Văn Không Mời", "male", false),
    ] {
        let sex = if sex.is_empty() { Value::Null } else { json!(sex) };
        add(&app, festival, json!({"full_name": name, "sex": sex, "role": "guest", "invited": invited})).await;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = download(&app, &path, dir.path(), "all.pdf").await;
    let (text, pages) = read_pdf(&file);
    assert_eq!(pages, 3, "only the invited:\n{text}");
    let order: Vec<&str> = ["Bà Lê Thị Ánh", "Ông/Bà Đặng Minh", "Ông Võ Văn Tâm"]
        .into_iter()
        .filter(|name| text.contains(name))
        .collect();
    assert_eq!(order.len(), 3, "{text}");
    // Vietnamese order by given name: Ánh, Minh, Tâm; numbered 01, 02, 03 in that order.
    let position = |needle: &str| text.find(needle).unwrap_or_else(|| panic!("{needle} missing:\n{text}"));
    assert!(position("Số: 01/GM-UBND") < position("Lê Thị Ánh"));
    assert!(position("Lê Thị Ánh") < position("Số: 02/GM-UBND"));
    assert!(position("Số: 02/GM-UBND") < position("Đặng Minh"));
    assert!(position("Đặng Minh") < position("Số: 03/GM-UBND"));
    assert!(position("Số: 03/GM-UBND") < position("Võ Văn Tâm"));
    assert!(!text.contains("Không Mời"));
    // Nobody gets a number without being invited.
    let listed = app.get_json(&format!("/api/v1/festivals/{festival}/participants?q=khong%20moi")).await;
    let uninvited = format!("/api/v1/participants/{}/invitation.pdf", listed["items"][0]["id"]);
    let refused = expect_problem(app.get(&uninvited).await, StatusCode::CONFLICT).await;
    assert!(refused["detail"].as_str().unwrap().contains("chưa được đánh dấu là khách mời"), "{refused}");
    // Nor one that is over, even if still marked approved.
    let past = app.create_festival(app.create_host("Khu phố Cũ", COMMUNE_HCM).await["id"].as_i64().unwrap()).await;
    let past_id = past["id"].as_i64().unwrap();
    expect_json(
        app.patch(&format!("/api/v1/festivals/{past_id}"), &json!({"issuer_id": issuer})).await,
        StatusCode::OK,
    )
    .await;
    add(&app, past_id, json!({"full_name": "Trần Văn Cũ", "role": "guest", "invited": true})).await;
    let over =
        expect_problem(app.get(&format!("/api/v1/festivals/{past_id}/invitations.pdf")).await, StatusCode::CONFLICT)
            .await;
    assert!(over["detail"].as_str().unwrap().contains("Ngày hội đã diễn ra"), "{over}");
    // A cancelled festival issues no invitations.
    let status = format!("/api/v1/festivals/{festival}/status");
    expect_json(app.post(&status, &json!({"status": "cancelled"})).await, StatusCode::OK).await;
    expect_problem(app.get(&path).await, StatusCode::CONFLICT).await;
}

#[tokio::test]
async fn a_decision_prints_its_articles_and_recipients_over_several_pages() {
    let app = spawn_app().await;
    let officer = proposer(&app).await;
    let issuer = issuer(&app).await;
    let mut nominations = Vec::new();
    for i in 0..45 {
        let name = format!("Nguyễn Văn {}", spelled(i));
        let body = json!({"issuer_id": issuer, "kind": "individual", "nominee_name": name,
            "achievement": "Tích cực tham gia phong trào Toàn dân bảo vệ an ninh Tổ quốc"});
        nominations.push(approved(&officer, &app, body).await);
    }
    let decision = expect_json(decide(&app, issuer, &nominations, "2026-08-19").await, StatusCode::CREATED).await;
    // Proposed for the movement of 2025, decided in 2026: the decision names 2025.
    {
        use ngayhoi::entities::nomination;
        use sea_orm::EntityTrait;
        use sea_orm::sea_query::Expr;
        nomination::Entity::update_many()
            .col_expr(nomination::Column::Year, Expr::value(2025))
            .exec(&app.db)
            .await
            .unwrap();
    }
    let dir = tempfile::tempdir().unwrap();
    let file = download(&app, &format!("/api/v1/decisions/{}.pdf", decision["id"]), dir.path(), "qd.pdf").await;
    let (text, pages) = read_pdf(&file);
    assert!(pages >= 2, "45 recipients take more than a page: {pages}");
    for expected in [
        "Số: 01/QĐ-UBND",
        "Phường Tân Phú, ngày 19 tháng 8 năm 2026",
        "QUYẾT ĐỊNH",
        "Về việc khen thưởng trong phong trào Toàn dân bảo vệ an ninh Tổ quốc năm 2025",
        "CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG TÂN PHÚ",
        "Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15",
        "QUYẾT ĐỊNH:",
        "Điều 1.",
        "Khen thưởng 0 tập thể và 45 cá nhân",
        "Điều 2.",
        "Điều 3.",
        "Nơi nhận:",
    ] {
        assert!(text.contains(expected), "{expected:?} missing from:\n{text}");
    }
    for i in 0..45 {
        let name = format!("Nguyễn Văn {}", spelled(i));
        assert!(text.contains(&name), "{name} missing");
    }
    // The second page is numbered and repeats the table's header.
    let second = run("pdftotext", &["-f", "2", "-l", "2", &file, "-"]);
    assert!(second.trim_start().starts_with('2') && second.contains("Tên tập thể, cá nhân"), "{second}");
    // A revoked decision still prints, marked as revoked; outsiders get nothing.
    let revoke = format!("/api/v1/decisions/{}/revoke", decision["id"]);
    expect_json(app.post(&revoke, &json!({"reason": "Nhầm đối tượng"})).await, StatusCode::OK).await;
    let file = download(&app, &format!("/api/v1/decisions/{}.pdf", decision["id"]), dir.path(), "revoked.pdf").await;
    assert!(read_pdf(&file).0.contains("ĐÃ THU HỒI: Nhầm đối tượng"));
    let outsider =
        app.with_token(Some(&app.user_token("hanoi2@ngayhoi.test", "commune", Some(COMMUNE_HANOI), None).await));
    expect_problem(outsider.get(&format!("/api/v1/decisions/{}.pdf", decision["id"])).await, StatusCode::NOT_FOUND)
        .await;
    expect_problem(app.get("/api/v1/decisions/abc.pdf").await, StatusCode::NOT_FOUND).await;
}

/// Where `pdftotext -bbox` puts the first word `word`: (x, y) of its top-left corner in mm.
fn word_position(file: &str, word: &str) -> (f32, f32) {
    let boxes = run("pdftotext", &["-bbox", file, "-"]);
    let line = boxes
        .lines()
        .find(|line| line.ends_with(&format!(">{word}</word>")))
        .unwrap_or_else(|| panic!("{word}: {boxes}"));
    let attribute = |name: &str| -> f32 {
        let start = line.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        line[start..].split('"').next().unwrap().parse().unwrap()
    };
    let mm = 25.4 / 72.0;
    (attribute("xMin") * mm, attribute("yMin") * mm)
}

#[tokio::test]
async fn certificates_print_on_blanks_at_the_issuers_positions() {
    let app = spawn_app().await;
    let officer = proposer(&app).await;
    let issuer = issuer(&app).await;
    let person = approved(
        &officer,
        &app,
        json!({"issuer_id": issuer, "kind": "individual",
        "nominee_name": "Hoàng Thị Xuân", "achievement": "Tích cực tham gia phong trào"}),
    )
    .await;
    let decision = expect_json(decide(&app, issuer, &[person], "2026-08-19").await, StatusCode::CREATED).await;
    let issuer_path = format!("/api/v1/issuers/{issuer}");
    let defaults = app.get_json(&issuer_path).await;
    assert_eq!(defaults["blank_layout_custom"], false);
    assert_eq!(defaults["blank_layout"]["recipient"], json!({"x": 148.5, "y": 100.0}));

    // A position off the sheet is named.
    let mut layout = defaults["blank_layout"].clone();
    layout["qr"] = json!({"x": 20.0, "y": 250.0});
    let refused = expect_problem(
        app.patch(&issuer_path, &json!({"blank_layout": layout})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error_fields(&refused), ["blank_layout.qr"]);

    // The recipient 20 mm lower and 30 mm further left than on plain paper.
    let mut layout = defaults["blank_layout"].clone();
    layout["qr"] = json!({"x": 22.0, "y": 167.0});
    layout["recipient"] = json!({"x": 118.5, "y": 120.0});
    let saved = expect_json(app.patch(&issuer_path, &json!({"blank_layout": layout})).await, StatusCode::OK).await;
    assert_eq!(
        (saved["blank_layout_custom"].as_bool(), &saved["blank_layout"]["recipient"]),
        (Some(true), &json!({"x": 118.5, "y": 120.0}))
    );

    let dir = tempfile::tempdir().unwrap();
    let decision_path = format!("/api/v1/decisions/{}/certificates.pdf", decision["id"]);
    let plain = download(&app, &decision_path, dir.path(), "plain.pdf").await;
    let blank = download(&app, &format!("{decision_path}?blank=true"), dir.path(), "blank.pdf").await;
    let (plain_text, _) = read_pdf(&plain);
    let (blank_text, _) = read_pdf(&blank);
    assert!(plain_text.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") && plain_text.contains("TẶNG"));
    // The blank carries the printed parts already: only the variable fields are printed.
    for preprinted in ["CỘNG HÒA", "Độc lập", "TẶNG", "GIẤY KHEN"] {
        assert!(!blank_text.contains(preprinted), "{preprinted} printed on a blank:\n{blank_text}");
    }
    for variable in ["Hoàng Thị Xuân", "Quyết định số 01/QĐ-UBND", "Số sổ vàng: 1", "Nguyễn Văn Bình"]
    {
        assert!(blank_text.contains(variable), "{variable} missing from:\n{blank_text}");
    }
    let (plain_x, plain_y) = word_position(&plain, "Hoàng");
    let (blank_x, blank_y) = word_position(&blank, "Hoàng");
    assert!(((plain_x - blank_x) - 30.0).abs() < 0.5, "moved left 30 mm: {plain_x} → {blank_x}");
    assert!(((blank_y - plain_y) - 20.0).abs() < 0.5, "moved down 20 mm: {plain_y} → {blank_y}");
    // One certificate on its blank too; null returns to the defaults.
    let one = format!("/api/v1/certificates/{}.pdf?blank=true", decision["certificates"][0]["id"]);
    assert!(!read_pdf(&download(&app, &one, dir.path(), "one.pdf").await).0.contains("TẶNG"));

    // The signer's name must fit under the signature block; centred text that would run off
    // a side is refused when printed, naming it, rather than printed cut off.
    let mut layout = saved["blank_layout"].clone();
    layout["signature"] = json!({"x": 215.0, "y": 180.0});
    let refused = expect_problem(
        app.patch(&issuer_path, &json!({"blank_layout": layout})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error_fields(&refused), ["blank_layout.signature"]);
    let mut layout = saved["blank_layout"].clone();
    layout["place_date"] = json!({"x": 290.0, "y": 152.0});
    expect_json(app.patch(&issuer_path, &json!({"blank_layout": layout})).await, StatusCode::OK).await;
    let cut_off = expect_problem(app.get(&one).await, StatusCode::CONFLICT).await;
    let detail = cut_off["detail"].as_str().unwrap_or_default();
    assert!(detail.contains("nằm ngoài tờ giấy") && detail.contains("ngày 19 tháng 8 năm 2026"), "{cut_off}");
    let reset = expect_json(app.patch(&issuer_path, &json!({"blank_layout": null})).await, StatusCode::OK).await;
    assert_eq!(reset["blank_layout_custom"], false);
}

#[tokio::test]
async fn a_thousand_invitations_run_as_a_job_with_progress_and_download_as_one_pdf() {
    let app = spawn_app().await;
    let issuer = issuer(&app).await;
    let festival = festival_with_issuer(&app, issuer).await;
    let mut csv = String::from("Họ và tên,Vai trò,Mời\n");
    for i in 0..1000 {
        csv.push_str(&format!("Khách {},Khách mời,x\n", spelled(i)));
    }
    let imported = crate::import::upload(&app, festival, "khach.csv", csv.into_bytes()).await;
    assert_eq!(expect_json(imported, StatusCode::OK).await["imported"], 1000);

    let response = app.get(&format!("/api/v1/festivals/{festival}/invitations.pdf")).await;
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let job = response.json::<Value>().await.unwrap();
    assert_eq!(location, format!("/api/v1/jobs/{}", job["id"]));
    assert_eq!((job["kind"].as_str(), job["total"].as_i64()), (Some("print_invitations"), Some(1000)));

    // The event stream reports progress until the job is done, then closes.
    let events = app.get(&format!("{location}/events")).await;
    assert_eq!(events.headers()["content-type"], "text/event-stream");
    let stream = events.text().await.unwrap();
    let states: Vec<Value> = stream
        .lines()
        .filter_map(|line| line.strip_prefix("data:"))
        .map(|data| serde_json::from_str(data.trim()).unwrap())
        .collect();
    let last = states.last().expect("at least one event");
    assert_eq!((last["state"].as_str(), last["done"].as_i64()), (Some("done"), Some(1000)), "{stream}");
    assert!(states.iter().all(|state| state["total"] == 1000));
    let done = app.get_json(&location).await;
    assert_eq!(done["download_url"], format!("{location}/file"));

    let dir = tempfile::tempdir().unwrap();
    let file = download(&app, &format!("{location}/file"), dir.path(), "khach.pdf").await;
    let (text, pages) = read_pdf(&file);
    assert_eq!(pages, 1000);
    assert!(text.contains("Số: 01/GM-UBND"));
    assert!(text.contains("Số: 1000/GM-UBND"), "the thousandth number");
    let fonts = run("pdffonts", &[&file]);
    assert!(fonts.lines().skip(2).count() <= 4, "fonts embedded once, not per page: {fonts}");
    // Ending it again is refused; the file stays.
    expect_problem(app.post(&format!("{location}/cancel"), &json!({})).await, StatusCode::CONFLICT).await;
}

#[tokio::test]
async fn a_job_left_by_a_dead_instance_is_taken_over_and_a_cancelled_one_stops() {
    let app = spawn_app().await;
    let issuer = issuer(&app).await;
    let festival = festival_with_issuer(&app, issuer).await;
    add(&app, festival, json!({"full_name": "Mai Văn Hùng", "role": "guest", "invited": true})).await;
    // Its lease ran out a minute ago: the instance working on it is gone.
    let abandoned = running_job(&app, festival, -60).await;
    let job = wait_for_job(&app, &json!(abandoned)).await;
    assert_eq!(job["state"], "done", "{job}");
    let dir = tempfile::tempdir().unwrap();
    let file = download(&app, &format!("/api/v1/jobs/{abandoned}/file"), dir.path(), "taken.pdf").await;
    assert!(read_pdf(&file).0.contains("Mai Văn Hùng"));
    // Another instance's live job is left alone, and can be cancelled.
    let live = running_job(&app, festival, 3600).await;
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert_eq!(app.get_json(&format!("/api/v1/jobs/{live}")).await["state"], "running");
    let cancelled =
        expect_json(app.post(&format!("/api/v1/jobs/{live}/cancel"), &json!({})).await, StatusCode::OK).await;
    assert_eq!(cancelled["state"], "cancelled");
    expect_problem(app.get(&format!("/api/v1/jobs/{live}/file")).await, StatusCode::CONFLICT).await;
}
