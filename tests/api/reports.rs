//! Reports (API.md, *Reports*): coverage of festivals by area, counted in one query per view.

use calamine::Data;
use chrono::Datelike;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

/// The row of `code` in a coverage report.
fn row<'a>(report: &'a Value, code: &str) -> &'a Value {
    report["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["code"] == code)
        .unwrap_or_else(|| panic!("{code}: {report}"))
}

/// `[hosts, planned, approved, held, reported, cancelled, none]` of a row or the totals.
fn counts(value: &Value) -> Vec<i64> {
    ["hosts", "planned", "approved", "held", "reported", "cancelled", "none"]
        .iter()
        .map(|key| value[*key].as_i64().unwrap_or_else(|| panic!("{key}: {value}")))
        .collect()
}

/// The first sheet of an XLSX download, its cells and their styles, and the file's name.
async fn first_sheet(response: reqwest::Response) -> (calamine::Range<Data>, calamine::StyleRange, String) {
    use calamine::Reader;
    assert_eq!(response.status(), StatusCode::OK);
    let disposition = response.headers()["content-disposition"].to_str().unwrap().to_owned();
    let file_name = disposition.strip_prefix("attachment; filename=\"").unwrap().trim_end_matches('"').to_owned();
    let bytes = response.bytes().await.unwrap();
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("an XLSX file");
    let name = book.sheet_names()[0].clone();
    let cells = book.worksheet_range(&name).expect("readable");
    let styles = book.worksheet_style(&name).expect("styles readable");
    (cells, styles, file_name)
}

/// The cells of row `row` (from 0, the sheet's first row) from column `from` on.
fn cells_of(sheet: &calamine::Range<Data>, row: u32, from: u32) -> Vec<Data> {
    (from..=sheet.end().unwrap().1).map(|col| sheet.get_value((row, col)).cloned().unwrap_or(Data::Empty)).collect()
}

/// The number format of the cell at `at`, if it has one of its own.
fn number_format(styles: &calamine::StyleRange, at: (u32, u32)) -> Option<String> {
    styles.get(at)?.number_format.as_ref().map(|format| format.format_code.clone())
}

/// Counts as the number cells a spreadsheet should hold.
fn numbers(counts: &[i64]) -> Vec<Data> {
    counts.iter().map(|n| Data::Float(*n as f64)).collect()
}

#[tokio::test]
async fn coverage_counts_hosts_by_festival_state_and_drills_down_within_the_scope() {
    let app = spawn_app().await;
    let mut hosts = Vec::new();
    for (name, unit, kind) in [
        ("Khu phố 1", COMMUNE_HCM, "residential_area"),
        ("Khu phố 2", COMMUNE_HCM, "residential_area"),
        ("Trường Tiểu học Tân Phú", COMMUNE_HCM, "school"),
        ("Khu phố Vũng Tàu", COMMUNE_HCM_2, "residential_area"),
        ("Tổ dân phố Hàng Bạc", COMMUNE_HANOI, "residential_area"),
    ] {
        let body = json!({"name": name, "kind": kind, "unit_code": unit});
        hosts.push(
            expect_json(app.post("/api/v1/hosts", &body).await, StatusCode::CREATED).await["id"].as_i64().unwrap(),
        );
    }
    // Khu phố 1: planned; Khu phố 2: held; the school: none; Hàng Bạc: cancelled.
    app.create_festival(hosts[0]).await;
    let held = app.create_festival(hosts[1]).await;
    for status in ["approved", "held"] {
        let path = format!("/api/v1/festivals/{}/status", held["id"]);
        expect_json(app.post(&path, &json!({"status": status})).await, StatusCode::OK).await;
    }
    let cancelled = app.create_festival(hosts[4]).await;
    let path = format!("/api/v1/festivals/{}/status", cancelled["id"]);
    expect_json(app.post(&path, &json!({"status": "cancelled"})).await, StatusCode::OK).await;

    let country = app.get_json("/api/v1/reports/coverage?year=2025").await;
    assert_eq!((country["unit"].clone(), country["unit_name"].as_str()), (Value::Null, Some("Toàn quốc")));
    assert_eq!(country["rows"].as_array().unwrap().len(), 34, "one row per province");
    assert_eq!(counts(row(&country, PROVINCE_HCM)), [4, 1, 0, 1, 0, 0, 2]);
    assert_eq!(counts(row(&country, "01")), [1, 0, 0, 0, 0, 1, 0]);
    assert_eq!(counts(&country["totals"]), [5, 1, 0, 1, 0, 1, 2]);

    let province = app.get_json(&format!("/api/v1/reports/coverage?year=2025&unit={PROVINCE_HCM}")).await;
    assert_eq!(counts(row(&province, COMMUNE_HCM)), [3, 1, 0, 1, 0, 0, 1]);
    assert_eq!(counts(row(&province, COMMUNE_HCM_2)), [1, 0, 0, 0, 0, 0, 1]);
    assert!(row(&province, COMMUNE_HCM)["drillable"].as_bool().unwrap());

    let commune = app.get_json(&format!("/api/v1/reports/coverage?year=2025&unit={COMMUNE_HCM}")).await;
    assert_eq!(commune["unit_name"], "Phường Tân Phú");
    assert_eq!(counts(row(&commune, "residential_area")), [2, 1, 0, 1, 0, 0, 0]);
    assert_eq!(counts(row(&commune, "school")), [1, 0, 0, 0, 0, 0, 1]);
    assert_eq!(row(&commune, "school")["name"], "Trường học");
    // Another year: nobody has a festival yet.
    let next = app.get_json(&format!("/api/v1/reports/coverage?year=2026&unit={COMMUNE_HCM}")).await;
    assert_eq!(counts(&next["totals"]), [3, 0, 0, 0, 0, 0, 3]);

    // A commune officer gets their own commune, and nothing above it.
    let officer = app.with_token(Some(&app.user_token("vt@ngayhoi.test", "commune", Some(COMMUNE_HCM_2), None).await));
    let own = officer.get_json("/api/v1/reports/coverage?year=2025").await;
    assert_eq!((own["unit"].as_str(), counts(&own["totals"])), (Some(COMMUNE_HCM_2), vec![1, 0, 0, 0, 0, 0, 1]));
    expect_problem(
        officer.get(&format!("/api/v1/reports/coverage?year=2025&unit={PROVINCE_HCM}")).await,
        StatusCode::FORBIDDEN,
    )
    .await;
    expect_problem(
        officer.get(&format!("/api/v1/reports/coverage?year=2025&unit={COMMUNE_HCM}")).await,
        StatusCode::FORBIDDEN,
    )
    .await;
    expect_problem(app.get("/api/v1/reports/coverage?year=2025&unit=99999").await, StatusCode::NOT_FOUND).await;
    let missing = expect_problem(app.get("/api/v1/reports/coverage").await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&missing), ["year"]);

    // The same table as a spreadsheet, with its total row: counts are numbers, the rate a
    // percentage, so Excel adds them up.
    let response = app.get(&format!("/api/v1/reports/coverage?year=2025&unit={PROVINCE_HCM}&format=xlsx")).await;
    let (sheet, styles, file_name) = first_sheet(response).await;
    assert_eq!(file_name, format!("bao-cao-ngay-hoi-2025-{PROVINCE_HCM}.xlsx"));
    let statuses = ["Dự kiến", "Đã duyệt", "Đã tổ chức", "Đã báo cáo", "Đã hủy"];
    let mut headings = vec!["Mã", "Địa bàn", "Số đơn vị tổ chức"];
    headings.extend(statuses);
    headings.extend(["Chưa có", "Tỷ lệ"]);
    assert_eq!(cells_of(&sheet, 0, 0), headings.iter().map(|h| Data::String(h.to_string())).collect::<Vec<_>>());
    let tan_phu = sheet.rows().position(|row| row[0] == Data::String(COMMUNE_HCM.into())).expect("Tân Phú") as u32;
    assert_eq!(sheet.get_value((tan_phu, 1)), Some(&Data::String("Phường Tân Phú".into())));
    assert_eq!(cells_of(&sheet, tan_phu, 2)[..7], numbers(&[3, 1, 0, 1, 0, 0, 1]));
    assert_eq!(sheet.get_value((tan_phu, 9)), Some(&Data::Float(2.0 / 3.0)));
    let total = sheet.end().unwrap().0;
    assert_eq!(cells_of(&sheet, total, 0)[..2], [Data::Empty, Data::String("Tổng cộng".into())]);
    assert_eq!(cells_of(&sheet, total, 2), [numbers(&[4, 1, 0, 1, 0, 0, 2]), vec![Data::Float(0.5)]].concat());
    assert_eq!(number_format(&styles, (total, 9)).as_deref(), Some("0.0%"));
    assert_eq!(number_format(&styles, (tan_phu, 9)).as_deref(), Some("0.0%"));
    // Communes without hosts have no rate, as the page shows none.
    let empty = sheet.rows().position(|row| row[2] == Data::Float(0.0)).expect("a commune without hosts") as u32;
    assert_eq!(sheet.get_value((empty, 9)), Some(&Data::Empty));
    // The statuses are headed as the dashboard heads them.
    let dashboard = page(&app, &format!("/reports/coverage?year=2025&unit={PROVINCE_HCM}"), StatusCode::OK).await;
    for status in statuses {
        assert!(dashboard.contains(&format!("<th scope=\"col\" class=\"num\">{status}</th>")), "{status}: {dashboard}");
    }

    // Under a commune the rows are kinds of host: named by their labels, without internal codes.
    let response = app.get(&format!("/api/v1/reports/coverage?year=2025&unit={COMMUNE_HCM}&format=xlsx")).await;
    let (sheet, _, file_name) = first_sheet(response).await;
    assert_eq!(file_name, format!("bao-cao-ngay-hoi-2025-{COMMUNE_HCM}.xlsx"));
    assert_eq!(cells_of(&sheet, 0, 0)[..2], [Data::String("Mã".into()), Data::String("Loại đơn vị".into())]);
    let kinds: Vec<(Data, String)> = sheet.rows().skip(1).map(|row| (row[0].clone(), row[1].to_string())).collect();
    assert_eq!(
        kinds,
        ["Khu dân cư", "Cơ quan, đơn vị", "Doanh nghiệp", "Trường học", "Khác", "Tổng cộng"]
            .map(|name| (Data::Empty, name.to_owned()))
    );
    let school = 4;
    assert_eq!(cells_of(&sheet, school, 2), [numbers(&[1, 0, 0, 0, 0, 0, 1]), vec![Data::Float(0.0)]].concat());
    assert_eq!(cells_of(&sheet, 1, 2), [numbers(&[2, 1, 0, 1, 0, 0, 0]), vec![Data::Float(1.0)]].concat());

    // The whole country's file is named like every report of the whole country.
    let response = app.get("/api/v1/reports/coverage?year=2025&format=xlsx").await;
    assert_eq!(first_sheet(response).await.2, "bao-cao-ngay-hoi-2025-toan-quoc.xlsx");
}

#[tokio::test]
async fn coverage_sorted_by_rate_puts_the_lagging_commune_first_and_hides_communes_without_hosts_in_json_and_xlsx() {
    let app = spawn_app().await;
    // Tân Phú: one festival for two hosts (50 %); Vũng Tàu: one for one (100 %).
    for (name, unit, festival) in
        [("Khu phố 1", COMMUNE_HCM, true), ("Khu phố 2", COMMUNE_HCM, false), ("Khu phố Vũng Tàu", COMMUNE_HCM_2, true)]
    {
        let host = app.create_host(name, unit).await;
        if festival {
            app.create_festival(host["id"].as_i64().unwrap()).await;
        }
    }
    let codes = |report: &Value| -> Vec<String> {
        report["rows"].as_array().unwrap().iter().map(|row| row["code"].as_str().unwrap().to_owned()).collect()
    };
    let base = format!("/api/v1/reports/coverage?year=2025&unit={PROVINCE_HCM}");

    let all = app.get_json(&base).await;
    let position = |report: &Value, code: &str| codes(report).iter().position(|c| c == code).unwrap();
    assert!(position(&all, COMMUNE_HCM_2) < position(&all, COMMUNE_HCM), "code order by default");
    assert!(codes(&all).len() > 2);
    let arranged = app.get_json(&format!("{base}&sort=rate&empty=hide")).await;
    assert_eq!(codes(&arranged), [COMMUNE_HCM, COMMUNE_HCM_2]);
    assert_eq!(counts(&arranged["totals"]), counts(&all["totals"]));
    // Without hiding, the communes without hosts come after the ones that have some.
    let by_rate = app.get_json(&format!("{base}&sort=rate")).await;
    assert_eq!(codes(&by_rate)[..2], [COMMUNE_HCM, COMMUNE_HCM_2]);
    assert_eq!(codes(&by_rate).len(), codes(&all).len());
    let by_name = app.get_json(&format!("{base}&sort=name&empty=hide")).await;
    assert_eq!(codes(&by_name), [COMMUNE_HCM, COMMUNE_HCM_2], "Tân Phú before Vũng Tàu");

    // The spreadsheet follows the same options.
    let response = app.get(&format!("{base}&sort=rate&empty=hide&format=xlsx")).await;
    let (sheet, _, _) = first_sheet(response).await;
    let first: Vec<(String, Data)> = sheet.rows().skip(1).map(|row| (row[0].to_string(), row[9].clone())).collect();
    assert_eq!(
        first,
        [(COMMUNE_HCM, 0.5), (COMMUNE_HCM_2, 1.0), ("", 2.0 / 3.0)]
            .map(|(code, rate)| (code.to_owned(), Data::Float(rate)))
    );

    let wrong = expect_problem(app.get(&format!("{base}&empty=maybe")).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&wrong), ["empty"]);
}

#[tokio::test]
async fn the_dashboard_drills_down_from_the_country_to_a_commune_and_lists_laggards() {
    let app = spawn_app().await;
    for (name, unit) in [("Khu phố 1", COMMUNE_HCM), ("Khu phố 2", COMMUNE_HCM), ("Khu phố Vũng Tàu", COMMUNE_HCM_2)]
    {
        let host = app.create_host(name, unit).await;
        if name == "Khu phố 1" {
            app.create_festival(host["id"].as_i64().unwrap()).await;
        }
        if name == "Khu phố 2" {
            // One host plans next year's festival early: the dashboard does not open on it.
            let next = chrono::Utc::now().year() + 1;
            let body = json!({"host_id": host["id"], "year": next, "starts_at": format!("{next}-08-19T14:00:00+07:00"),
                "ends_at": format!("{next}-08-19T17:00:00+07:00"), "venue": "Nhà văn hóa"});
            expect_json(app.post("/api/v1/festivals", &body).await, StatusCode::CREATED).await;
        }
    }
    // Without a year, the latest year up to this one with festivals (2025 here, whatever today
    // is, and not next year).
    let country = page(&app, "/reports/coverage", StatusCode::OK).await;
    assert!(country.contains("Tổng quan ngày hội năm 2025"), "{country}");
    assert!(country.contains("Toàn quốc: 3 đơn vị tổ chức, 33,3% đã có ngày hội"), "{country}");
    assert!(country.contains(&format!("unit={PROVINCE_HCM}")) && country.contains("<svg class=\"coverage-bar\""));
    let province = page(&app, &format!("/reports/coverage?year=2025&unit={PROVINCE_HCM}"), StatusCode::OK).await;
    // Vũng Tàu (0 %) lags behind Tân Phú (50 %).
    let lagging = &province[province.find("Địa bàn chậm nhất").expect("laggards")..];
    assert!(lagging.find("Phường Vũng Tàu").unwrap() < lagging.find("Phường Tân Phú").unwrap(), "{lagging}");
    let commune = page(&app, &format!("/reports/coverage?year=2025&unit={COMMUNE_HCM}"), StatusCode::OK).await;
    assert!(
        commune.contains("Loại đơn vị") && commune.contains("Khu dân cư") && commune.contains("Thành phố Hồ Chí Minh")
    );
    // A commune officer lands on their own commune and cannot open the province.
    app.user_token("vt2@ngayhoi.test", "commune", Some(COMMUNE_HCM_2), None).await;
    let officer = browser_of(&app, "vt2@ngayhoi.test").await;
    let own = page(&officer, "/reports/coverage?year=2025", StatusCode::OK).await;
    assert!(own.contains("Phường Vũng Tàu: 1 đơn vị tổ chức, 0,0% đã có ngày hội"), "{own}");
    page(&officer, &format!("/reports/coverage?year=2025&unit={PROVINCE_HCM}"), StatusCode::FORBIDDEN).await;
}

#[tokio::test]
async fn the_calendar_lists_festivals_of_a_range_of_days_by_start_within_the_scope() {
    let app = spawn_app().await;
    for (name, unit, day) in [
        ("Khu phố 1", COMMUNE_HCM, "2026-08-19T19:30:00+07:00"),
        ("Khu phố 2", COMMUNE_HCM, "2026-08-02T07:00:00+07:00"),
        ("Khu phố 3", COMMUNE_HCM, "2026-09-01T00:30:00+07:00"),
        ("Tổ dân phố Hàng Bạc", COMMUNE_HANOI, "2026-08-10T08:00:00+07:00"),
    ] {
        let host = app.create_host(name, unit).await["id"].as_i64().unwrap();
        let starts = chrono::DateTime::parse_from_rfc3339(day).unwrap();
        let body = json!({"host_id": host, "year": 2026, "starts_at": day,
            "ends_at": (starts + chrono::Duration::hours(2)).to_rfc3339(), "venue": "Nhà văn hóa"});
        expect_json(app.post("/api/v1/festivals", &body).await, StatusCode::CREATED).await;
    }
    let names = |page: Value| -> Vec<String> {
        page["items"].as_array().unwrap().iter().map(|f| f["host_name"].as_str().unwrap().to_owned()).collect()
    };
    // August in Vietnam time: 00:30 on 1 September is outside, even though it is still 31 August in UTC.
    let august = app.get_json("/api/v1/calendar?from=2026-08-01&to=2026-08-31").await;
    assert_eq!(names(august), ["Khu phố 2", "Tổ dân phố Hàng Bạc", "Khu phố 1"]);
    let commune = app.get_json(&format!("/api/v1/calendar?from=2026-08-01&to=2026-08-31&unit={COMMUNE_HCM}")).await;
    assert_eq!(names(commune), ["Khu phố 2", "Khu phố 1"]);
    let one_day = app.get_json("/api/v1/calendar?from=2026-09-01&to=2026-09-01").await;
    assert_eq!(names(one_day), ["Khu phố 3"]);
    let backwards = expect_problem(
        app.get("/api/v1/calendar?from=2026-08-31&to=2026-08-01").await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error_fields(&backwards), ["to"]);
    let too_long = expect_problem(
        app.get("/api/v1/calendar?from=2026-01-01&to=2026-12-31").await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error_fields(&too_long), ["to"]);
    let officer = app.with_token(Some(&app.user_token("hn@ngayhoi.test", "commune", Some(COMMUNE_HANOI), None).await));
    assert_eq!(
        names(officer.get_json("/api/v1/calendar?from=2026-08-01&to=2026-08-31").await),
        ["Tổ dân phố Hàng Bạc"]
    );
}

#[tokio::test]
async fn a_leader_invited_to_festivals_too_close_together_is_reported_once_with_both() {
    let app = spawn_app().await;
    let mut festivals = Vec::new();
    for (name, unit, starts, ends) in [
        ("Khu phố 1", COMMUNE_HCM, "2026-08-19T07:30:00+07:00", "2026-08-19T10:00:00+07:00"),
        ("Khu phố 2", COMMUNE_HCM, "2026-08-19T10:30:00+07:00", "2026-08-19T12:00:00+07:00"),
        ("Khu phố 3", COMMUNE_HCM, "2026-08-19T19:00:00+07:00", "2026-08-19T21:00:00+07:00"),
        ("Khu phố Vũng Tàu", COMMUNE_HCM_2, "2026-08-20T08:00:00+07:00", "2026-08-20T10:00:00+07:00"),
    ] {
        let host = app.create_host(name, unit).await["id"].as_i64().unwrap();
        let body = json!({"host_id": host, "year": 2026, "starts_at": starts, "ends_at": ends, "venue": "Nhà văn hóa"});
        festivals.push(
            expect_json(app.post("/api/v1/festivals", &body).await, StatusCode::CREATED).await["id"].as_i64().unwrap(),
        );
    }
    let invite = |festival: i64, body: Value| {
        let app = app.clone();
        async move {
            expect_json(
                app.post(&format!("/api/v1/festivals/{festival}/participants"), &body).await,
                StatusCode::CREATED,
            )
            .await
        }
    };
    // The vice-chairman: known by CCCD at one festival, by phone at another (same person: the
    // third entry has both), 30 minutes between the first two festivals.
    invite(
        festivals[0],
        json!({"full_name": "Lê Văn Phó", "role": "official", "cccd": "079085001234", "invited": true}),
    )
    .await;
    invite(
        festivals[1],
        json!({"full_name": "Lê Văn Phó", "role": "official", "phone": "0912345678", "invited": true}),
    )
    .await;
    invite(festivals[2], json!({"full_name": "Lê Văn Phó", "role": "official", "phone": "0912345678", "cccd": "079085001234", "invited": true})).await;
    // A guest at two festivals a day apart: no conflict. A resident at two close ones: not a leader.
    invite(festivals[0], json!({"full_name": "Trần Thị Khách", "role": "guest", "email": "khach@example.vn"})).await;
    invite(festivals[3], json!({"full_name": "Trần Thị Khách", "role": "guest", "email": "KHACH@example.vn"})).await;
    invite(festivals[0], json!({"full_name": "Đỗ Văn Dân", "role": "resident", "phone": "0987654321"})).await;
    invite(festivals[1], json!({"full_name": "Đỗ Văn Dân", "role": "resident", "phone": "0987654321"})).await;

    let found = app.get_json("/api/v1/conflicts?year=2026").await;
    let list = found.as_array().unwrap();
    assert_eq!(list.len(), 1, "{found}");
    assert_eq!(list[0]["person"], "Lê Văn Phó");
    let hosts: Vec<&str> =
        list[0]["festivals"].as_array().unwrap().iter().map(|f| f["host_name"].as_str().unwrap()).collect();
    assert_eq!(hosts, ["Khu phố 1", "Khu phố 2", "Khu phố 3"]);
    // With a 20-minute gap the 30 minutes between them are enough.
    assert_eq!(app.get_json("/api/v1/conflicts?year=2026&gap_minutes=20").await, json!([]));
    // 24 hours apart is within a 1,440-minute gap: the guest shows up then.
    let wide = app.get_json("/api/v1/conflicts?year=2026&gap_minutes=1440").await;
    assert!(wide.as_array().unwrap().iter().any(|c| c["person"] == "Trần Thị Khách"), "{wide}");
    let too_wide =
        expect_problem(app.get("/api/v1/conflicts?year=2026&gap_minutes=5000").await, StatusCode::UNPROCESSABLE_ENTITY)
            .await;
    assert_eq!(error_fields(&too_wide), ["gap_minutes"]);
    // The guest list of the first festival warns of the clash, naming the others.
    let list = page(&app, &format!("/festivals/{}/participants", festivals[0]), StatusCode::OK).await;
    let warning = &list[list.find("Khách mời trùng lịch").expect("the warning")..];
    assert!(
        warning.contains("Lê Văn Phó") && warning.contains("Khu phố 2") && warning.contains("10:30–12:00"),
        "{warning}"
    );
    assert!(
        !page(&app, &format!("/festivals/{}/participants", festivals[3]), StatusCode::OK)
            .await
            .contains("Khách mời trùng lịch")
    );
    // Another commune's officer sees nothing of it.
    let officer = app.with_token(Some(&app.user_token("vt3@ngayhoi.test", "commune", Some(COMMUNE_HCM_2), None).await));
    assert_eq!(officer.get_json("/api/v1/conflicts?year=2026").await, json!([]));

    // The guest is also invited next door at the same hour: each commune's view shows the
    // clash with the other commune's festival, as far as the asker's scope reaches.
    let next_door = app.create_host("Trường THCS Vũng Tàu", COMMUNE_HCM_2).await["id"].as_i64().unwrap();
    let body = json!({"host_id": next_door, "year": 2026, "starts_at": "2026-08-19T08:00:00+07:00",
        "ends_at": "2026-08-19T09:00:00+07:00", "venue": "Sân trường"});
    let school = expect_json(app.post("/api/v1/festivals", &body).await, StatusCode::CREATED).await;
    invite(
        school["id"].as_i64().unwrap(),
        json!({"full_name": "Trần Thị Khách", "role": "guest", "email": "khach@example.vn"}),
    )
    .await;
    for unit in [COMMUNE_HCM, COMMUNE_HCM_2] {
        let found = app.get_json(&format!("/api/v1/conflicts?year=2026&unit={unit}")).await;
        let guest = found.as_array().unwrap().iter().find(|c| c["person"] == "Trần Thị Khách").expect("the guest");
        let hosts: Vec<&str> =
            guest["festivals"].as_array().unwrap().iter().map(|f| f["host_name"].as_str().unwrap()).collect();
        assert_eq!(hosts, ["Khu phố 1", "Trường THCS Vũng Tàu", "Khu phố Vũng Tàu"], "{unit}: {found}");
    }
    // The commune officer does not see the other commune's festival, so no clash shows.
    assert_eq!(officer.get_json("/api/v1/conflicts?year=2026").await, json!([]));
}

#[tokio::test]
async fn a_held_festival_is_reported_and_the_yearly_summary_counts_people_and_awards() {
    let app = spawn_app().await;
    let host = app.create_host("Khu phố 1", COMMUNE_HCM).await["id"].as_i64().unwrap();
    let festival = app.create_festival(host).await["id"].as_i64().unwrap();
    for name in ["Nguyễn Văn Một", "Nguyễn Văn Hai"] {
        crate::participants::add(&app, festival, json!({"full_name": name, "role": "resident"})).await;
    }
    let report_path = format!("/api/v1/festivals/{festival}/report");
    // Not yet held: nothing to report.
    expect_problem(app.put(&report_path, &json!({"attendance": 120})).await, StatusCode::CONFLICT).await;
    for status in ["approved", "held"] {
        expect_json(
            app.post(&format!("/api/v1/festivals/{festival}/status"), &json!({"status": status})).await,
            StatusCode::OK,
        )
        .await;
    }
    let refused = expect_problem(
        app.put(&report_path, &json!({"attendance": -3, "photos": 5})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error_fields(&refused), ["attendance"]);
    let body = json!({"attendance": 120, "photos": 35, "notes": "Trời mưa nhưng bà con đến đông."});
    let saved = expect_json(app.put(&report_path, &body).await, StatusCode::OK).await;
    assert_eq!((saved["attendance"].as_i64(), saved["photos"].as_i64()), (Some(120), Some(35)));
    assert_eq!(app.get_json(&format!("/api/v1/festivals/{festival}")).await["status"], "reported");
    // A correction replaces the figures.
    expect_json(app.put(&report_path, &json!({"attendance": 150})).await, StatusCode::OK).await;
    assert_eq!(app.get_json(&report_path).await["attendance"], 150);
    app.post("/api/v1/models", &json!({"name": "Tổ tự quản", "host_id": host, "kind": "tu_quan"})).await;

    let summary = app.get_json(&format!("/api/v1/reports/summary?year=2025&unit={COMMUNE_HCM}")).await;
    assert_eq!(
        [&summary["festivals_held"], &summary["attendance"], &summary["participants"], &summary["models"]],
        [&json!(1), &json!(150), &json!(2), &json!(1)],
        "{summary}"
    );
    assert_eq!(
        (summary["collectives_commended"].as_i64(), summary["individuals_commended"].as_i64()),
        (Some(0), Some(0))
    );
    let elsewhere = app.get_json(&format!("/api/v1/reports/summary?year=2025&unit={COMMUNE_HANOI}")).await;
    assert_eq!(elsewhere["festivals_held"], 0);
    let response = app.get(&format!("/api/v1/reports/summary?year=2025&unit={COMMUNE_HCM}&format=xlsx")).await;
    let (sheet, _, _) = first_sheet(response).await;
    let attendance = sheet.rows().find(|row| row[0] == "Số người tham dự (theo báo cáo)").expect("a row");
    assert_eq!(attendance[1], Data::Float(150.0), "a number cell, not the text \"150\"");
    let officer = app.with_token(Some(&app.user_token("vt4@ngayhoi.test", "commune", Some(COMMUNE_HCM_2), None).await));
    expect_problem(officer.get(&report_path).await, StatusCode::NOT_FOUND).await;
    expect_problem(
        officer.get(&format!("/api/v1/reports/summary?year=2025&unit={COMMUNE_HCM}")).await,
        StatusCode::FORBIDDEN,
    )
    .await;
}

/// "ngày 05 tháng 8 năm 2025" for `date`, as documents print it (months 1 and 2 padded).
fn long_date(date: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    let month = if date.month() <= 2 { format!("{:02}", date.month()) } else { date.month().to_string() };
    format!("ngày {:02} tháng {month} năm {}", date.day(), date.year())
}

/// The lines of `pdftotext -layout` with every run of white space made one space: a table
/// row reads as one line, its cells in order.
fn layout_lines(file: &str) -> Vec<String> {
    crate::documents::run("pdftotext", &["-layout", file, "-"])
        .lines()
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|line| !line.is_empty())
        .collect()
}

#[tokio::test]
async fn the_yearly_summary_prints_as_a_decree_30_report_with_the_figures_of_the_spreadsheet() {
    use crate::commendation::{approved, decide, issuer, proposer};
    use crate::documents::{download, read_pdf, run};
    let app = spawn_app().await;
    let officer = proposer(&app).await;
    // The commune police award too, and were entered first; the commune reports as its
    // People's Committee all the same.
    let police = json!({"name": "Công an phường Tân Phú", "unit_code": COMMUNE_HCM, "symbol": "CAP",
        "signer_name": "Lê Văn Cường", "signer_title": "Trưởng Công an", "authority": "", "place_name": "Phường Tân Phú"});
    expect_json(app.post("/api/v1/issuers", &police).await, StatusCode::CREATED).await;
    let issuer = issuer(&app).await;
    let host = app.create_host("Khu phố Đông Hòa", COMMUNE_HCM).await["id"].as_i64().unwrap();
    let festival = app.create_festival(host).await["id"].as_i64().unwrap();
    for name in ["Nguyễn Văn Một", "Trần Thị Hai", "Lê Văn Ba"] {
        crate::participants::add(&app, festival, json!({"full_name": name, "role": "resident"})).await;
    }
    for status in ["approved", "held"] {
        let path = format!("/api/v1/festivals/{festival}/status");
        expect_json(app.post(&path, &json!({"status": status})).await, StatusCode::OK).await;
    }
    let report = json!({"attendance": 1250});
    expect_json(app.put(&format!("/api/v1/festivals/{festival}/report"), &report).await, StatusCode::OK).await;
    let model = json!({"name": "Camera an ninh", "host_id": host, "kind": "tu_bao_ve"});
    expect_json(app.post("/api/v1/models", &model).await, StatusCode::CREATED).await;
    // A collective and two people commended for the festival of 2025.
    let achievement = "Đã có thành tích xuất sắc trong phong trào Toàn dân bảo vệ an ninh Tổ quốc năm 2025";
    let mut nominations = vec![
        approved(
            &officer,
            &app,
            json!({"issuer_id": issuer, "festival_id": festival, "host_id": host,
            "achievement": achievement}),
        )
        .await,
    ];
    for name in ["Phạm Văn Bốn", "Võ Thị Năm"] {
        let body = json!({"issuer_id": issuer, "festival_id": festival, "kind": "individual", "nominee_name": name,
            "achievement": achievement});
        nominations.push(approved(&officer, &app, body).await);
    }
    expect_json(decide(&app, issuer, &nominations, "2025-08-25").await, StatusCode::CREATED).await;
    let commune = format!("/api/v1/reports/summary?year=2025&unit={COMMUNE_HCM}");
    let figures = app.get_json(&commune).await;
    assert_eq!(
        ["festivals_held", "attendance", "participants", "collectives_commended", "individuals_commended", "models"]
            .map(|key| figures[key].as_i64().unwrap()),
        [1, 1250, 3, 1, 2, 1],
        "{figures}"
    );
    let today = chrono::Utc::now().with_timezone(&chrono::FixedOffset::east_opt(7 * 3600).unwrap()).date_naive();
    let table = [
        "STT Chỉ tiêu Số lượng",
        "1 Số ngày hội đã tổ chức 1",
        "2 Số người tham dự (theo báo cáo) 1.250",
        "3 Số người đăng ký, được mời 3",
        "4 Số tập thể được khen thưởng 1",
        "5 Số cá nhân được khen thưởng 2",
        "6 Số mô hình phong trào 1",
    ];
    let dir = tempfile::tempdir().unwrap();

    // The commune has a People's Committee among its issuers: the report is made in its name.
    let response = app.get(&format!("{commune}&format=pdf")).await;
    assert_eq!(response.headers()["content-disposition"], "inline; filename=\"tong-hop-2025-27031.pdf\"");
    let file = download(&app, &format!("{commune}&format=pdf"), dir.path(), "commune.pdf").await;
    let (text, pages) = read_pdf(&file);
    assert_eq!(pages, 1, "{text}");
    for expected in [
        "THÀNH PHỐ HỒ CHÍ MINH",
        "ỦY BAN NHÂN DÂN",
        "PHƯỜNG TÂN PHÚ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        &format!("Phường Tân Phú, {}", long_date(today)),
        "BÁO CÁO TỔNG KẾT NGÀY HỘI TOÀN DÂN BẢO VỆ AN NINH TỔ QUỐC NĂM 2025",
        "Phạm vi: Phường Tân Phú, Thành phố Hồ Chí Minh",
        "Kết quả tổ chức Ngày hội Toàn dân bảo vệ an ninh Tổ quốc năm 2025 như sau:",
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        "Nguyễn Văn Bình",
        "Nơi nhận:",
        "- Lưu: VT.",
    ] {
        assert!(text.contains(expected), "{expected:?} missing from:\n{text}");
    }
    let lines = layout_lines(&file);
    for row in table {
        assert!(lines.iter().any(|line| line == row), "{row:?} missing from:\n{}", lines.join("\n"));
    }
    // The number is left for the clerk to write in.
    assert!(lines.iter().any(|line| line.starts_with("Số: /BC-UBND")), "{}", lines.join("\n"));
    assert!(!text.contains("CÔNG AN") && !text.contains("Lê Văn Cường"), "{text}");
    let info = run("pdfinfo", &[&file]);
    assert!(info.contains("595.28 x 841.89 pts (A4)") || info.contains("595.276 x 841.89"), "A4 portrait: {info}");
    assert!(
        info.lines().any(|line| line.starts_with("Title:") && line.ends_with(" Báo cáo tổng kết năm 2025")),
        "{info}"
    );
    // The spreadsheet has the same figures.
    // Above the table, its title and area, then an empty row; one row of headings and the
    // figures as numbers.
    let response = app.get(&format!("{commune}&format=xlsx")).await;
    let (sheet, styles, file_name) = first_sheet(response).await;
    assert_eq!(file_name, "tong-hop-2025-27031.xlsx");
    let text = |row: u32| cells_of(&sheet, row, 0).iter().map(Data::to_string).collect::<Vec<_>>();
    assert_eq!(text(0), ["Tổng hợp kết quả Ngày hội Toàn dân bảo vệ an ninh Tổ quốc năm 2025", ""]);
    assert_eq!(text(1), ["Phạm vi: Phường Tân Phú, Thành phố Hồ Chí Minh", ""]);
    assert_eq!(cells_of(&sheet, 2, 0), [Data::Empty, Data::Empty]);
    assert_eq!(text(3), ["Chỉ tiêu", "Số lượng"]);
    let cells: Vec<(String, Data)> = sheet.rows().skip(4).map(|row| (row[0].to_string(), row[1].clone())).collect();
    let printed: Vec<(String, Data)> = table[1..]
        .iter()
        .map(|row| {
            let (label, figure) = row.split_once(' ').unwrap().1.rsplit_once(' ').unwrap();
            (label.to_owned(), Data::Float(figure.replace('.', "").parse().unwrap()))
        })
        .collect();
    assert_eq!(cells, printed);
    assert_eq!(number_format(&styles, (5, 1)).as_deref(), Some("#,##0"), "1250 shows as 1,250 or 1.250");

    // The province has no issuer: the national title alone, signed by whoever made it.
    let province = format!("/api/v1/reports/summary?year=2025&unit={PROVINCE_HCM}&format=pdf");
    let file = download(&app, &province, dir.path(), "province.pdf").await;
    let (text, pages) = read_pdf(&file);
    assert_eq!(pages, 1, "{text}");
    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        &format!("Thành phố Hồ Chí Minh, {}", long_date(today)),
        "BÁO CÁO TỔNG KẾT NGÀY HỘI TOÀN DÂN BẢO VỆ AN NINH TỔ QUỐC NĂM 2025",
        "Phạm vi: Thành phố Hồ Chí Minh",
        "NGƯỜI LẬP BÁO CÁO",
    ] {
        assert!(text.contains(expected), "{expected:?} missing from:\n{text}");
    }
    assert!(!text.contains("Số:") && !text.contains("ỦY BAN NHÂN DÂN"), "{text}");
    let lines = layout_lines(&file);
    for row in table {
        assert!(lines.iter().any(|line| line == row), "{row:?} missing from:\n{}", lines.join("\n"));
    }
    // The whole country, for the admin: no place, the date alone.
    let file = download(&app, "/api/v1/reports/summary?year=2025&format=pdf", dir.path(), "country.pdf").await;
    let (text, _) = read_pdf(&file);
    let date = long_date(today).replacen('n', "N", 1);
    assert!(text.contains("Phạm vi: Toàn quốc") && text.contains(&date), "{text}");
    // Its files are named like the coverage's of the whole country.
    let (sheet, _, file_name) = first_sheet(app.get("/api/v1/reports/summary?year=2025&format=xlsx").await).await;
    assert_eq!(file_name, "tong-hop-2025-toan-quoc.xlsx");
    assert_eq!(sheet.get_value((1, 0)), Some(&Data::String("Phạm vi: Toàn quốc".into())));
    let response = app.get("/api/v1/reports/summary?year=2025&format=pdf").await;
    assert_eq!(response.headers()["content-disposition"], "inline; filename=\"tong-hop-2025-toan-quoc.pdf\"");

    // A host's officer reports on their host, to the commune.
    let host_officer = app.with_token(Some(&app.user_token("dh@ngayhoi.test", "host", None, Some(host)).await));
    let file = download(&host_officer, "/api/v1/reports/summary?year=2025&format=pdf", dir.path(), "host.pdf").await;
    let (text, _) = read_pdf(&file);
    assert!(text.contains("Phạm vi: Khu phố Đông Hòa, Phường Tân Phú, Thành phố Hồ Chí Minh"), "{text}");
    let response = host_officer.get("/api/v1/reports/summary?year=2025&format=xlsx").await;
    let (sheet, _, file_name) = first_sheet(response).await;
    assert_eq!(file_name, format!("tong-hop-2025-don-vi-{host}.xlsx"));
    let scope = "Phạm vi: Khu phố Đông Hòa, Phường Tân Phú, Thành phố Hồ Chí Minh";
    assert_eq!(sheet.get_value((1, 0)), Some(&Data::String(scope.into())));
    assert!(text.contains(&format!("Phường Tân Phú, {}", long_date(today))) && !text.contains("Số:"), "{text}");

    // The dashboard links to the report of the area it shows.
    let dashboard = page(&app, &format!("/reports/coverage?year=2025&unit={COMMUNE_HCM}"), StatusCode::OK).await;
    let link = format!("href=\"/api/v1/reports/summary?year=2025&unit={COMMUNE_HCM}&format=pdf\"");
    assert!(dashboard.contains(&link) && dashboard.contains("Báo cáo tổng kết (PDF)"), "{dashboard}");
    // Another commune's officer cannot print it; an unknown format is refused.
    let outsider =
        app.with_token(Some(&app.user_token("vt5@ngayhoi.test", "commune", Some(COMMUNE_HCM_2), None).await));
    expect_problem(outsider.get(&format!("{commune}&format=pdf")).await, StatusCode::FORBIDDEN).await;
    let refused =
        expect_problem(app.get(&format!("{commune}&format=docx")).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&refused), ["format"]);
}
