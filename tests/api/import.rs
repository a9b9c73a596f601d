//! Spreadsheet import (all or nothing) and export of participants (API.md, *People*). Every
//! file is made here: CSV in several encodings, XLSX by rust_xlsxwriter.

use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

use crate::helpers::*;
use crate::participants::{add, festival_id};

pub async fn upload(app: &TestApp, festival: i64, name: &str, bytes: Vec<u8>) -> reqwest::Response {
    let form = Form::new().part("file", Part::bytes(bytes).file_name(name.to_owned()));
    let url = app.url(&format!("/api/v1/festivals/{festival}/participants/import"));
    app.client.post(url).bearer_auth(app.token.as_deref().unwrap()).multipart(form).send().await.expect("sent")
}

async fn names(app: &TestApp, festival: i64) -> Vec<String> {
    let listed = app.get_json(&format!("/api/v1/festivals/{festival}/participants?sort=name&per_page=500")).await;
    listed["items"].as_array().unwrap().iter().map(|p| p["full_name"].as_str().unwrap().to_owned()).collect()
}

/// `(row, field)` of each error of a refused import.
fn row_errors(problem: &Value) -> Vec<(u64, String)> {
    problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["row"].as_u64().unwrap_or(0), e["field"].as_str().unwrap().to_owned()))
        .collect()
}

const HEADER: &str = "Họ và tên,Vai trò,Số điện thoại,CCCD,Email\n";

#[tokio::test]
async fn a_utf8_csv_with_bom_and_nfd_text_is_imported_normalized() {
    let app = spawn_app().await;
    let festival = festival_id(&app).await;
    let nfd = "Nguye\u{302}\u{303}n Thi\u{323} Lan";
    let csv = format!(
        "\u{feff}{HEADER}{nfd},Khách mời,0912 345 678,,\nTrần Văn Bình,resident,,079085001234,binh@example.vn\n"
    );
    let report = expect_json(upload(&app, festival, "nguoi.csv", csv.into_bytes()).await, StatusCode::OK).await;
    assert_eq!(report, json!({"imported": 2}));
    assert_eq!(names(&app, festival).await, ["Trần Văn Bình", "Nguyễn Thị Lan"]);
    let listed = app.get_json(&format!("/api/v1/festivals/{festival}/participants?q=lan")).await;
    assert_eq!(listed["items"][0]["role"], "guest");
    assert_eq!(listed["items"][0]["phone"], "0912345678");
}

/// Text as Windows-1258 writes it: letters with circumflex, breve or horn precomposed, tones
/// as combining marks after them ("ặ" = "ă" + U+0323), so that every character has a byte.
fn windows_1258_form(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let is_tone = |c: &char| matches!(c, '\u{300}' | '\u{301}' | '\u{303}' | '\u{309}' | '\u{323}');
    text.chars()
        .flat_map(|c| {
            let parts: Vec<char> = c.to_string().nfd().collect();
            let letter: String = parts.iter().filter(|c| !is_tone(c)).collect::<String>().nfc().collect();
            letter.chars().chain(parts.into_iter().filter(is_tone)).collect::<Vec<_>>()
        })
        .collect()
}

#[tokio::test]
async fn windows_1258_and_utf16_files_are_read() {
    let app = spawn_app().await;
    let festival = festival_id(&app).await;
    let text = windows_1258_form(&format!("{HEADER}Đặng Thị Hằng,Người dân,,,\n"));
    let (legacy, _, unmappable) = encoding_rs::WINDOWS_1258.encode(&text);
    assert!(!unmappable);
    expect_json(upload(&app, festival, "cp1258.csv", legacy.into_owned()).await, StatusCode::OK).await;
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(format!("{HEADER}Lý Thường Kiệt,Đại biểu,,,\n").encode_utf16().flat_map(u16::to_le_bytes));
    expect_json(upload(&app, festival, "utf16.csv", utf16).await, StatusCode::OK).await;
    assert_eq!(names(&app, festival).await, ["Đặng Thị Hằng", "Lý Thường Kiệt"]);
}

#[tokio::test]
async fn legacy_tcvn3_text_is_refused_naming_the_row() {
    let app = spawn_app().await;
    let festival = festival_id(&app).await;
    // "Nguyễn Văn An" typed with a TCVN3 (.VnTime) font, on the second data line.
    let csv = format!("{HEADER}Lê Văn Tám,Người dân,,,\nNguyÔn V¨n An,Người dân,,,\n");
    let problem =
        expect_problem(upload(&app, festival, "cu.csv", csv.into_bytes()).await, StatusCode::UNPROCESSABLE_ENTITY)
            .await;
    assert_eq!(row_errors(&problem), [(3, "full_name".to_owned())]);
    assert!(problem["errors"][0]["message"].as_str().unwrap().contains("TCVN3"), "{problem}");
    assert!(names(&app, festival).await.is_empty());
}

#[tokio::test]
async fn one_bad_row_refuses_the_whole_file_listing_every_problem() {
    let app = spawn_app().await;
    let festival = festival_id(&app).await;
    add(&app, festival, json!({"full_name": "Phạm Văn Đồng", "role": "official", "cccd": "001085001234"})).await;
    let csv = format!(
        "{HEADER}Lê Văn Tám,Người dân,,,\n,Người dân,,,\nHồ Văn Ba,khán giả,0612345678,,\nMai Văn Bốn,,,001085001234,\nMai Văn Năm,,,079085009999,x@\nMai Văn Sáu,,,079085009999,\n"
    );
    let problem =
        expect_problem(upload(&app, festival, "sai.csv", csv.into_bytes()).await, StatusCode::UNPROCESSABLE_ENTITY)
            .await;
    let expected = [
        (3, "full_name"), // empty name
        (4, "role"),      // unknown role
        (4, "phone"),     // 06… is no Vietnamese number
        (5, "cccd"),      // already in the festival
        (6, "email"),
        (7, "cccd"), // same CCCD as line 6
    ];
    let expected: Vec<(u64, String)> = expected.iter().map(|(row, field)| (*row, field.to_string())).collect();
    assert_eq!(row_errors(&problem), expected, "{problem}");
    assert_eq!(names(&app, festival).await, ["Phạm Văn Đồng"], "nothing written");
}

#[tokio::test]
async fn an_xlsx_import_reads_numbers_typed_as_numbers() {
    let app = spawn_app().await;
    let festival = festival_id(&app).await;
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (col, heading) in ["STT", "HỌ VÀ TÊN", "so dien thoai", "Giới tính", "Được mời"].iter().enumerate()
    {
        sheet.write_string(0, col as u16, *heading).unwrap();
    }
    sheet.write_number(1, 0, 1).unwrap();
    sheet.write_string(1, 1, "Võ Thị Sáu").unwrap();
    // Excel drops the leading zero of a phone typed as a number.
    sheet.write_number(1, 2, 912345678).unwrap();
    sheet.write_string(1, 3, "Nữ").unwrap();
    sheet.write_string(1, 4, "x").unwrap();
    let bytes = book.save_to_buffer().unwrap();
    expect_json(upload(&app, festival, "nguoi.xlsx", bytes).await, StatusCode::OK).await;
    let listed = app.get_json(&format!("/api/v1/festivals/{festival}/participants")).await;
    let person = &listed["items"][0];
    assert_eq!(
        (person["phone"].as_str(), person["sex"].as_str(), person["invited"].as_bool()),
        (Some("0912345678"), Some("female"), Some(true))
    );
}

#[tokio::test]
async fn an_export_imports_back_the_same_people() {
    let app = spawn_app().await;
    let festival = festival_id(&app).await;
    for (name, role, phone) in [
        ("Đỗ Mười", "official", "0912000001"),
        ("Bùi Thị Xuân", "performer", "0912000002"),
        ("Trần Hưng Đạo", "guest", "0212345678"),
    ] {
        let phone = if phone.starts_with("02") { "02123456789" } else { phone };
        add(&app, festival, json!({"full_name": name, "role": role, "phone": phone, "invited": true})).await;
    }
    let other_host = app.create_host("Khu phố 8", COMMUNE_HCM).await;
    let other = app.create_festival(other_host["id"].as_i64().unwrap()).await["id"].as_i64().unwrap();
    for format in ["xlsx", "csv"] {
        let response = app.get(&format!("/api/v1/festivals/{festival}/participants/export?format={format}")).await;
        assert_eq!(response.status(), StatusCode::OK);
        let disposition = response.headers()["content-disposition"].to_str().unwrap().to_owned();
        assert!(disposition.contains(&format!(".{format}")), "{disposition}");
        let bytes = response.bytes().await.unwrap().to_vec();
        if format == "csv" {
            assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]), "CSV starts with a BOM for Excel");
            let text = String::from_utf8(bytes.clone()).unwrap();
            assert!(text.contains("Họ và tên"), "{text}");
            // Vietnamese order: Đạo, Mười, Xuân.
            let order: Vec<usize> =
                ["Trần Hưng Đạo", "Đỗ Mười", "Bùi Thị Xuân"].iter().map(|n| text.find(n).unwrap()).collect();
            assert!(order.windows(2).all(|pair| pair[0] < pair[1]), "{text}");
        }
        let target = if format == "xlsx" {
            other
        } else {
            app.create_festival(app.create_host(&format!("Khu {format}"), COMMUNE_HCM).await["id"].as_i64().unwrap())
                .await["id"]
                .as_i64()
                .unwrap()
        };
        let report = expect_json(upload(&app, target, &format!("xuat.{format}"), bytes).await, StatusCode::OK).await;
        assert_eq!(report["imported"], 3);
        assert_eq!(names(&app, target).await, names(&app, festival).await);
    }
    let audit = app.get_json("/api/v1/audit?entity=festival").await;
    let exports = audit["items"].as_array().unwrap().iter().filter(|e| e["action"] == "export").count();
    assert_eq!(exports, 2, "{audit}");
}

#[tokio::test]
async fn the_template_downloads_with_the_headings_and_nobody_in_it() {
    let app = spawn_app().await;
    let festival = festival_id(&app).await;
    let response = app.get("/api/v1/participants/import-template.xlsx").await;
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = response.bytes().await.unwrap().to_vec();
    assert!(bytes.starts_with(b"PK"), "an XLSX (zip) file");
    // Uploaded unchanged, it adds nobody (its example lives on a second sheet).
    let problem =
        expect_problem(upload(&app, festival, "mau.xlsx", bytes).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["file"]);
    assert!(names(&app, festival).await.is_empty());
}

#[tokio::test]
async fn files_that_are_not_sheets_are_refused_clearly() {
    let app = spawn_app().await;
    let festival = festival_id(&app).await;
    let problem =
        expect_problem(upload(&app, festival, "rong.csv", Vec::new()).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["file"]);
    let broken = b"PK\x03\x04 not really a workbook".to_vec();
    let problem =
        expect_problem(upload(&app, festival, "hong.xlsx", broken).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["file"]);
    let no_name_column = "Số điện thoại\n0912345678\n".as_bytes().to_vec();
    let problem =
        expect_problem(upload(&app, festival, "thieu.csv", no_name_column).await, StatusCode::UNPROCESSABLE_ENTITY)
            .await;
    assert_eq!(error_fields(&problem), ["full_name"]);
    // JSON instead of a file upload.
    let response = app.post(&format!("/api/v1/festivals/{festival}/participants/import"), &json!({})).await;
    expect_problem(response, StatusCode::UNSUPPORTED_MEDIA_TYPE).await;
}

#[tokio::test]
async fn an_import_into_another_communes_festival_is_refused() {
    let app = spawn_app().await;
    let festival = festival_id(&app).await;
    let outsider =
        app.with_token(Some(&app.user_token("xa-khac@ngayhoi.test", "commune", Some(COMMUNE_HANOI), None).await));
    let csv = format!("{HEADER}Lê Văn Tám,Người dân,,,\n");
    let response = upload(&outsider, festival, "nguoi.csv", csv.clone().into_bytes()).await;
    expect_problem(response, StatusCode::NOT_FOUND).await;
    let anonymous = app
        .client
        .post(app.url(&format!("/api/v1/festivals/{festival}/participants/import")))
        .multipart(Form::new().part("file", Part::bytes(csv.into_bytes()).file_name("x.csv")))
        .send()
        .await
        .unwrap();
    expect_problem(anonymous, StatusCode::UNAUTHORIZED).await;
    assert!(names(&app, festival).await.is_empty());
}

#[tokio::test]
async fn ten_thousand_rows_of_three_megabytes_import_in_one_go() {
    let app = spawn_app().await;
    let festival = festival_id(&app).await;
    let mut csv = String::from("Họ và tên,Số điện thoại,CCCD,Địa chỉ\n");
    for i in 0..10_000 {
        let address = format!(
            "Số {i} đường Lũy Bán Bích, khu phố {}, phường Tân Phú, Thành phố Hồ Chí Minh — {}",
            i % 40,
            "x".repeat(200)
        );
        csv.push_str(&format!("Người Dân {},09{i:08},0790{:08},\"{address}\"\n", spelled(i), 85_000_000 + i));
    }
    assert!(csv.len() > 3_000_000, "larger than axum's default 2 MB body limit");
    let report = expect_json(upload(&app, festival, "lon.csv", csv.into_bytes()).await, StatusCode::OK).await;
    assert_eq!(report["imported"], 10_000);
    let counts = app.get_json(&format!("/api/v1/festivals/{festival}/participants/counts")).await;
    assert_eq!(counts["total"], 10_000);
}
