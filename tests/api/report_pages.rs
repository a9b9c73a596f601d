//! The report pages: the month calendar (`/reports/calendar`), and on the dashboard
//! (`/reports/coverage`) the guest schedule conflicts and the table's order and filter.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{COMMUNE_HCM, COMMUNE_HCM_2, PROVINCE_HCM, TestApp, browser_of, expect_json, page, spawn_app};

/// Creates a host in `unit` with its festival from `starts` to `ends`; returns the festival id.
async fn festival_at(app: &TestApp, name: &str, unit: &str, starts: &str, ends: &str) -> i64 {
    let host = app.create_host(name, unit).await["id"].as_i64().unwrap();
    let year: i32 = starts[..4].parse().unwrap();
    let body = json!({"host_id": host, "year": year, "starts_at": starts, "ends_at": ends, "venue": "Nhà văn hóa"});
    expect_json(app.post("/api/v1/festivals", &body).await, StatusCode::CREATED).await["id"].as_i64().unwrap()
}

/// The part of `body` from the element marked `marker` and `data-date="{date}"` to `end`.
fn part<'a>(body: &'a str, marker: &str, date: &str, end: &str) -> &'a str {
    let start = body.find(&format!("{marker} data-date=\"{date}\"")).unwrap_or_else(|| panic!("{date}: {body}"));
    let rest = &body[start..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}

/// The grid cell of `date` (`YYYY-MM-DD`).
fn cell<'a>(body: &'a str, date: &str) -> &'a str {
    part(body, "class=\"month-day\"", date, "</div>")
}

/// The festivals listed under `date` in the list by day.
fn listed<'a>(body: &'a str, date: &str) -> &'a str {
    part(body, "class=\"day-festivals\"", date, "</ul>")
}

#[tokio::test]
async fn the_calendar_shows_a_months_festivals_in_their_day_cells_and_by_day_within_the_scope() {
    let app = spawn_app().await;
    let evening =
        festival_at(&app, "Khu phố 1", COMMUNE_HCM, "2025-08-15T19:30:00+07:00", "2025-08-15T22:00:00+07:00").await;
    let morning =
        festival_at(&app, "Khu phố 2", COMMUNE_HCM, "2025-08-01T07:30:00+07:00", "2025-08-01T10:00:00+07:00").await;
    festival_at(&app, "Khu phố 3", COMMUNE_HCM, "2025-07-31T20:00:00+07:00", "2025-07-31T22:00:00+07:00").await;
    festival_at(&app, "Khu phố Vũng Tàu", COMMUNE_HCM_2, "2025-08-15T08:00:00+07:00", "2025-08-15T10:00:00+07:00")
        .await;

    // Without a month: August of the latest year with festivals.
    let body = page(&app, "/reports/calendar", StatusCode::OK).await;
    assert!(body.contains("Lịch ngày hội tháng 8/2025") && body.contains("3 ngày hội trong tháng"), "{body}");
    // 1 August 2025 is a Friday: the grid starts in the fifth column.
    assert!(cell(&body, "2025-08-01").contains("grid-column-start: 5"), "{body}");
    let first = cell(&body, "2025-08-01");
    assert!(first.contains(&format!("href=\"/festivals/{morning}\"")) && first.contains("07:30 Khu phố 2"), "{first}");
    assert!(first.contains("status-planned"), "{first}");
    let fifteenth = cell(&body, "2025-08-15");
    assert!(fifteenth.contains("08:00 Khu phố Vũng Tàu") && fifteenth.contains("19:30 Khu phố 1"), "{fifteenth}");
    assert!(fifteenth.find("Vũng Tàu") < fifteenth.find("Khu phố 1"), "by start time: {fifteenth}");
    assert!(!cell(&body, "2025-08-02").contains("month-festival"), "{body}");
    // July's festival is not in August.
    assert!(!body.contains("Khu phố 3"), "{body}");
    // The list by day, for phones: only days with festivals.
    assert!(body.contains("Thứ Sáu, 15/08/2025") && body.contains("Thứ Sáu, 01/08/2025"), "{body}");
    assert!(!body.contains("02/08/2025"), "{body}");
    let listed_15 = listed(&body, "2025-08-15");
    assert!(listed_15.contains("19:30–22:00") && listed_15.contains(&format!("/festivals/{evening}")), "{listed_15}");
    assert!(listed_15.contains("Phường Vũng Tàu") && listed_15.contains("Dự kiến"), "{listed_15}");
    // The months around it.
    assert!(body.contains("href=\"/reports/calendar?year=2025&month=7\""), "{body}");
    assert!(body.contains("href=\"/reports/calendar?year=2025&month=9\""), "{body}");
    let july = page(&app, "/reports/calendar?year=2025&month=7", StatusCode::OK).await;
    assert!(cell(&july, "2025-07-31").contains("20:00 Khu phố 3") && !july.contains("Khu phố 1"), "{july}");
    // Across the new year, the unit kept.
    let january = page(&app, &format!("/reports/calendar?year=2025&month=1&unit={COMMUNE_HCM}"), StatusCode::OK).await;
    assert!(
        january.contains(&format!("href=\"/reports/calendar?year=2024&month=12&unit={COMMUNE_HCM}\"")),
        "{january}"
    );
    assert!(january.contains("Không có ngày hội nào trong tháng này."), "{january}");
    // A unit narrows it down.
    let commune = page(&app, &format!("/reports/calendar?year=2025&month=8&unit={COMMUNE_HCM}"), StatusCode::OK).await;
    assert!(commune.contains("Khu phố 1") && !commune.contains("Khu phố Vũng Tàu"), "{commune}");
    page(&app, "/reports/calendar?year=2025&month=13", StatusCode::UNPROCESSABLE_ENTITY).await;
    // The dashboard leads here.
    let dashboard = page(&app, "/reports/coverage?year=2025", StatusCode::OK).await;
    assert!(dashboard.contains("href=\"/reports/calendar?year=2025\""), "{dashboard}");
    // …and to the yearly summary, printed and as figures to add up.
    for format in ["pdf", "xlsx"] {
        let link = format!("href=\"/api/v1/reports/summary?year=2025&format={format}\"");
        assert!(dashboard.contains(&link), "{format}: {dashboard}");
    }

    // Another commune's officer sees their own festival only, and not the other commune's.
    app.user_token("vt@ngayhoi.test", "commune", Some(COMMUNE_HCM_2), None).await;
    let officer = browser_of(&app, "vt@ngayhoi.test").await;
    let theirs = page(&officer, "/reports/calendar?year=2025&month=8", StatusCode::OK).await;
    assert!(cell(&theirs, "2025-08-15").contains("Khu phố Vũng Tàu"), "{theirs}");
    assert!(!theirs.contains("Khu phố 1") && !theirs.contains("Khu phố 2"), "{theirs}");
    page(&officer, &format!("/reports/calendar?year=2025&month=8&unit={COMMUNE_HCM}"), StatusCode::FORBIDDEN).await;
}

#[tokio::test]
async fn the_dashboard_lists_leaders_invited_to_festivals_too_close_together() {
    let app = spawn_app().await;
    let mut festivals = Vec::new();
    for (name, starts, ends) in [
        ("Khu phố 1", "2026-08-19T07:30:00+07:00", "2026-08-19T10:00:00+07:00"),
        ("Khu phố 2", "2026-08-19T10:30:00+07:00", "2026-08-19T12:00:00+07:00"),
    ] {
        festivals.push(festival_at(&app, name, COMMUNE_HCM, starts, ends).await);
    }
    // The same vice-chairman, known by CCCD at both: 30 minutes between them.
    for festival in &festivals {
        let body = json!({"full_name": "Lê Văn Phó", "role": "official", "cccd": "079085001234", "invited": true});
        expect_json(app.post(&format!("/api/v1/festivals/{festival}/participants"), &body).await, StatusCode::CREATED)
            .await;
    }

    let body = page(&app, "/reports/coverage?year=2026", StatusCode::OK).await;
    let start = body.find("Lịch khách mời trùng").expect("the conflicts card");
    let card = &body[start..start + body[start..].find("</section>").unwrap()];
    assert!(card.contains("Lê Văn Phó"), "{card}");
    for (festival, host, time) in
        [(festivals[0], "Khu phố 1", "19/08/2026 07:30–10:00"), (festivals[1], "Khu phố 2", "19/08/2026 10:30–12:00")]
    {
        assert!(card.contains(&format!("<a href=\"/festivals/{festival}\">{host}</a>, {time}")), "{card}");
    }
    assert!(!card.contains("Không có khách mời nào bị trùng lịch."), "{card}");

    // Another commune's officer has no such leader.
    app.user_token("vt@ngayhoi.test", "commune", Some(COMMUNE_HCM_2), None).await;
    let officer = browser_of(&app, "vt@ngayhoi.test").await;
    let theirs = page(&officer, "/reports/coverage?year=2026", StatusCode::OK).await;
    assert!(theirs.contains("Không có khách mời nào bị trùng lịch.") && !theirs.contains("Lê Văn Phó"), "{theirs}");
}

#[tokio::test]
async fn the_dashboard_puts_lagging_communes_first_and_hides_communes_without_hosts_keeping_both_in_links() {
    let app = spawn_app().await;
    // Tân Phú (27031): one of two hosts has a festival, 50 %. Vũng Tàu (26506): its only one, 100 %.
    let (starts, ends) = ("2025-08-15T19:30:00+07:00", "2025-08-15T22:00:00+07:00");
    festival_at(&app, "Khu phố 1", COMMUNE_HCM, starts, ends).await;
    app.create_host("Khu phố 2", COMMUNE_HCM).await;
    festival_at(&app, "Khu phố Vũng Tàu", COMMUNE_HCM_2, starts, ends).await;
    let table = |body: &str| {
        let start = body.find("<tbody>").unwrap_or_else(|| panic!("the table: {body}"));
        body[start..start + body[start..].find("</tbody>").unwrap()].to_owned()
    };

    // By default the catalogue order, every commune of the province.
    let plain = table(&page(&app, &format!("/reports/coverage?year=2025&unit={PROVINCE_HCM}"), StatusCode::OK).await);
    assert!(plain.find("Phường Vũng Tàu").unwrap() < plain.find("Phường Tân Phú").unwrap(), "{plain}");
    assert!(plain.contains("Phường Tam Thắng"), "{plain}");

    let path = format!("/reports/coverage?year=2025&unit={PROVINCE_HCM}&sort=rate&empty=hide");
    let body = page(&app, &path, StatusCode::OK).await;
    let rows = table(&body);
    assert!(rows.find("Phường Tân Phú").unwrap() < rows.find("Phường Vũng Tàu").unwrap(), "{rows}");
    assert!(!rows.contains("Phường Tam Thắng"), "{rows}");
    assert_eq!(rows.matches("<tr>").count(), 2, "{rows}");
    // The form shows the options chosen; drill-down, the way back up and the download keep them.
    assert!(body.contains("<option value=\"rate\" selected>Tỷ lệ thấp trước</option>"), "{body}");
    assert!(body.contains("name=\"empty\" value=\"hide\" checked> Ẩn đơn vị chưa có nơi tổ chức"), "{body}");
    let kept = "&sort=rate&empty=hide";
    assert!(body.contains(&format!("href=\"/reports/coverage?year=2025&unit={COMMUNE_HCM}{kept}\"")), "{body}");
    assert!(body.contains(&format!("href=\"/reports/coverage?year=2025{kept}\">Toàn quốc")), "{body}");
    assert!(body.contains(&format!("format=xlsx{kept}\"")), "{body}");
    let commune =
        page(&app, &format!("/reports/coverage?year=2025&unit={COMMUNE_HCM}&sort=rate&empty=hide"), StatusCode::OK)
            .await;
    assert!(commune.contains(&format!("href=\"/reports/coverage?year=2025&unit={PROVINCE_HCM}{kept}\"")), "{commune}");
    // Without options, the links stay as they were.
    let plain = page(&app, &format!("/reports/coverage?year=2025&unit={PROVINCE_HCM}"), StatusCode::OK).await;
    assert!(plain.contains(&format!("href=\"/reports/coverage?year=2025&unit={COMMUNE_HCM}\"")), "{plain}");
    page(&app, "/reports/coverage?year=2025&sort=fastest", StatusCode::UNPROCESSABLE_ENTITY).await;
}
