//! Printing from the pages, as a browser does it: the festival's invitation card and the
//! decision's print buttons (a small batch opens as a PDF, a large one becomes a job), the job
//! page with its progress, download and cancel button, and the editor of an issuer's
//! positions on pre-printed certificate blanks.

use reqwest::StatusCode;
use serde_json::json;

use crate::commendation::{host, issuer};
use crate::commendation_pages::commendation_fixture;
use crate::documents::festival_with_issuer;
use crate::helpers::*;
use crate::participants::add;

/// GETs `path` with the browser's login, expecting a PDF.
async fn expect_pdf(app: &TestApp, path: &str) {
    let response = app.browser.get(app.url(path)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    assert_eq!(response.headers()["content-type"], "application/pdf", "{path}");
    assert!(response.bytes().await.unwrap().starts_with(b"%PDF-"), "{path}");
}

#[tokio::test]
async fn the_festival_page_offers_the_invitations_once_their_issuer_is_chosen() {
    let app = spawn_app().await;
    let festival = crate::documents::future_festival(&app, "Khu phố Hoa Mai").await;
    let guest = add(&app, festival, json!({"full_name": "Võ Thị Sáu", "role": "official", "invited": true})).await;
    let resident = add(&app, festival, json!({"full_name": "Lê Văn Tám", "role": "resident"})).await;

    let body = page(&app, &format!("/festivals/{festival}"), StatusCode::OK).await;
    assert!(body.contains("<h2 id=\"invitations-title\">Giấy mời</h2>"), "{body}");
    assert!(body.contains("Chưa chọn cơ quan phát hành giấy mời."), "{body}");
    assert!(body.contains(&format!("href=\"/festivals/{festival}/edit\">Chọn cơ quan")), "{body}");
    assert!(!body.contains("In tất cả giấy mời"), "nothing to print without an issuer");
    // Posted anyway (an old tab), the form says why on the error page.
    let refused = post_form(&app, &format!("/festivals/{festival}/invitations/print"), &[]).await;
    assert!(html(refused, StatusCode::CONFLICT).await.contains("Hãy chọn cơ quan phát hành giấy mời"));
    let list = page(&app, &format!("/festivals/{festival}/participants"), StatusCode::OK).await;
    assert!(!list.contains("invitation.pdf"), "{list}");

    let issuer = issuer(&app).await;
    let path = format!("/api/v1/festivals/{festival}");
    expect_json(app.patch(&path, &json!({"issuer_id": issuer})).await, StatusCode::OK).await;
    let body = page(&app, &format!("/festivals/{festival}"), StatusCode::OK).await;
    assert!(body.contains(&format!("<a href=\"/issuers/{issuer}\">Ủy ban nhân dân phường Tân Phú</a>")), "{body}");
    assert!(body.contains("<dt>Được mời</dt><dd>1 người</dd>"), "{body}");
    let preview =
        format!("href=\"/api/v1/participants/{}/invitation.pdf\" target=\"_blank\">Xem trước giấy mời", guest["id"]);
    assert!(body.contains(&preview), "{body}");
    assert!(body.contains(&format!("action=\"/festivals/{festival}/invitations/print\"")), "{body}");
    assert!(body.contains("In tất cả giấy mời (PDF)") && !body.contains("Tác vụ gần đây"), "{body}");
    // Each invited person's row links to their invitation.
    let list = page(&app, &format!("/festivals/{festival}/participants"), StatusCode::OK).await;
    assert!(list.contains(&format!("/api/v1/participants/{}/invitation.pdf", guest["id"])), "{list}");
    assert!(!list.contains(&format!("/api/v1/participants/{}/invitation.pdf", resident["id"])), "{list}");

    // A small batch: the browser is sent to the PDF, drawn once when it gets there.
    let printed = post_form(&app, &format!("/festivals/{festival}/invitations/print"), &[]).await;
    let location = see_other(&printed);
    assert_eq!(location, format!("/api/v1/festivals/{festival}/invitations.pdf"));
    expect_pdf(&app, &location).await;
    let body = page(&app, &format!("/festivals/{festival}"), StatusCode::OK).await;
    assert!(!body.contains("Tác vụ gần đây"), "no job was queued: {body}");
    expect_pdf(&app, &format!("/api/v1/participants/{}/invitation.pdf", guest["id"])).await;

    // Once held, no new invitation is issued: neither page offers one.
    for status in ["approved", "held"] {
        expect_json(app.post(&format!("{path}/status"), &json!({"status": status})).await, StatusCode::OK).await;
    }
    let body = page(&app, &format!("/festivals/{festival}"), StatusCode::OK).await;
    assert!(
        body.contains("Ngày hội đã diễn ra; không phát hành giấy mời mới.") && !body.contains("In tất cả giấy mời")
    );
    let list = page(&app, &format!("/festivals/{festival}/participants"), StatusCode::OK).await;
    assert!(!list.contains("invitation.pdf"), "{list}");
}

#[tokio::test]
async fn a_large_batch_printed_from_the_page_runs_as_a_job_to_follow_on_its_page() {
    let app = spawn_app().await;
    let festival = festival_with_issuer(&app, issuer(&app).await).await;
    let mut csv = String::from("Họ và tên,Vai trò,Mời\n");
    for i in 0..1000 {
        csv.push_str(&format!("Khách {},Khách mời,x\n", spelled(i)));
    }
    let imported = crate::import::upload(&app, festival, "khach.csv", csv.into_bytes()).await;
    assert_eq!(expect_json(imported, StatusCode::OK).await["imported"], 1000);
    let body = page(&app, &format!("/festivals/{festival}"), StatusCode::OK).await;
    assert!(body.contains("<dt>Được mời</dt><dd>1.000 người</dd>"), "{body}");

    let location = see_other(&post_form(&app, &format!("/festivals/{festival}/invitations/print"), &[]).await);
    let id: i64 = location
        .strip_prefix("/jobs/")
        .and_then(|rest| rest.strip_suffix("?msg=queued"))
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("{location}"));
    let body = page(&app, &location, StatusCode::OK).await;
    assert!(body.contains("Đã xếp lịch: 1.000 trang được in nền."), "{body}");
    assert!(body.contains("<h1>In giấy mời</h1>") && body.contains("class=\"job-bar\" max=\"1000\""), "{body}");
    let job = wait_for_job(&app, &json!(id)).await;
    assert_eq!((job["state"].as_str(), job["total"].as_i64()), (Some("done"), Some(1000)), "{job}");
    let body = page(&app, &format!("/jobs/{id}"), StatusCode::OK).await;
    assert!(body.contains("1.000 / 1.000 · 100%"), "{body}");
    assert!(body.contains(&format!("href=\"/api/v1/jobs/{id}/file\" download>Tải tệp PDF")), "{body}");
    // The festival page lists it, to come back to.
    let body = page(&app, &format!("/festivals/{festival}"), StatusCode::OK).await;
    assert!(body.contains(&format!("<a href=\"/jobs/{id}\">In giấy mời (số {id})</a>")), "{body}");
}

#[tokio::test]
async fn the_job_page_shows_progress_then_the_download_and_cancels_a_running_job() {
    let app = spawn_app().await;
    let festival = festival_with_issuer(&app, issuer(&app).await).await;
    add(&app, festival, json!({"full_name": "Mai Văn Hùng", "role": "guest", "invited": true})).await;
    let queued = app.post(&format!("/api/v1/festivals/{festival}/invitations/print"), &json!({})).await;
    let job = expect_json(queued, StatusCode::ACCEPTED).await;
    let job = wait_for_job(&app, &job["id"]).await;
    assert_eq!(job["state"], "done", "{job}");

    let body = page(&app, &format!("/jobs/{}", job["id"]), StatusCode::OK).await;
    assert!(body.contains("<h1>In giấy mời</h1>") && body.contains("Hoàn thành"), "{body}");
    assert!(body.contains("<progress class=\"job-bar\" max=\"1\" value=\"1\""), "{body}");
    assert!(body.contains("1 / 1 · 100%"), "{body}");
    assert!(
        body.contains(&format!("href=\"{}\" download>Tải tệp PDF", job["download_url"].as_str().unwrap())),
        "{body}"
    );
    assert!(body.contains(&format!("<a href=\"/festivals/{festival}\">Khu phố Đông Hòa</a>")), "the way back");
    // A finished job's page neither follows nor reloads, and cannot be cancelled.
    assert!(!body.contains("data-job-events") && !body.contains("http-equiv=\"refresh\""), "{body}");
    assert!(!body.contains("/cancel"), "{body}");
    expect_pdf(&app, job["download_url"].as_str().unwrap()).await;

    // Another instance's job, still running.
    let running = running_job(&app, festival, 3600).await;
    let body = page(&app, &format!("/jobs/{running}"), StatusCode::OK).await;
    assert!(body.contains("Đang chạy") && body.contains("0 / 1 · 0%"), "{body}");
    assert!(body.contains(&format!("data-job-events=\"/api/v1/jobs/{running}/events\" data-job-state=\"running\"")));
    assert!(body.contains("<noscript><meta http-equiv=\"refresh\" content=\"3\"></noscript>"), "{body}");
    assert!(body.contains("aria-live=\"polite\" data-job-count"), "{body}");
    assert!(!body.contains("Tải tệp PDF"), "{body}");
    let cancelled = post_form(&app, &format!("/jobs/{running}/cancel"), &[]).await;
    assert_eq!(see_other(&cancelled), format!("/jobs/{running}?msg=cancelled"));
    assert_eq!(app.get_json(&format!("/api/v1/jobs/{running}")).await["state"], "cancelled");
    let body = page(&app, &format!("/jobs/{running}?msg=cancelled"), StatusCode::OK).await;
    assert!(body.contains("Đã hủy tác vụ.") && !body.contains(&format!("/jobs/{running}/cancel")), "{body}");
    // Cancelling again says it has ended.
    let again = post_form(&app, &format!("/jobs/{running}/cancel"), &[]).await;
    assert!(html(again, StatusCode::CONFLICT).await.contains("Tác vụ đã kết thúc."));
    // Both are listed on the festival's page, newest first.
    let body = page(&app, &format!("/festivals/{festival}"), StatusCode::OK).await;
    let (newest, older) = (body.find(&format!("/jobs/{running}\"")), body.find(&format!("/jobs/{}\"", job["id"])));
    assert!(newest.is_some() && newest < older, "{body}");
    // Someone outside the festival's commune does not see the job.
    app.user_token("hanoi@ngayhoi.test", "commune", Some(COMMUNE_HANOI), None).await;
    let outsider = browser_of(&app, "hanoi@ngayhoi.test").await;
    page(&outsider, &format!("/jobs/{running}"), StatusCode::NOT_FOUND).await;
}

#[tokio::test]
async fn the_job_list_shows_each_job_newest_first_with_its_festival_or_decision_and_pages() {
    let app = spawn_app().await;
    let empty = page(&app, "/jobs", StatusCode::OK).await;
    assert!(empty.contains("Chưa có tác vụ in hay gửi thư nào") && !empty.contains("Phân trang"), "{empty}");
    assert!(empty.contains("<a href=\"/jobs\" aria-current=\"page\">In và gửi thư</a>"), "in the navigation");

    let (issuer, _, _, decision, _) = commendation_fixture(&app).await;
    let printing = app.post(&format!("/api/v1/decisions/{decision}/certificates/print"), &json!({})).await;
    let certificates = wait_for_job(&app, &expect_json(printing, StatusCode::ACCEPTED).await["id"]).await;
    assert_eq!(certificates["state"], "done", "{certificates}");
    let festival = festival_with_issuer(&app, issuer).await;
    let running = running_job(&app, festival, 3600).await;

    let body = page(&app, "/jobs", StatusCode::OK).await;
    assert!(body.contains("2 tác vụ chạy nền, mới nhất trước"), "{body}");
    let newest = body.find(&format!("<a href=\"/jobs/{running}\">In giấy mời (số {running})</a>")).expect(&body);
    let older =
        body.find(&format!("<a href=\"/jobs/{0}\">In giấy khen (số {0})</a>", certificates["id"])).expect(&body);
    assert!(newest < older, "newest first: {body}");
    let (running_row, certificates_row) = (&body[newest..older], &body[older..]);
    assert!(running_row.contains(&format!("<a href=\"/festivals/{festival}\">Ngày hội Khu phố Đông Hòa năm 2027</a>")));
    assert!(running_row.contains("Đang chạy") && running_row.contains("0 / 1 · 0%"), "{running_row}");
    assert!(running_row.contains("<progress class=\"job-bar-small\" max=\"1\" value=\"0\""), "{running_row}");
    assert!(certificates_row.contains(&format!("<a href=\"/decisions/{decision}\">Quyết định số 01/QĐ-UBND</a>")));
    assert!(certificates_row.contains("Hoàn thành") && certificates_row.contains("1 / 1 · 100%"), "{certificates_row}");
    assert!(certificates_row.contains("<progress class=\"job-bar-small\" max=\"1\" value=\"1\""), "{certificates_row}");
    // Created at, as the other tables write times: dd/mm/yyyy hh:mm in Vietnam time.
    let created = chrono::DateTime::parse_from_rfc3339(certificates["created_at"].as_str().unwrap()).unwrap();
    let shown = format!("<span class=\"nowrap\">{}</span>", created.format("%d/%m/%Y %H:%M"));
    assert!(certificates_row.contains(&shown), "{shown} in {certificates_row}");

    // 50 a page, the oldest on the second.
    for _ in 0..49 {
        running_job(&app, festival, 3600).await;
    }
    let first = page(&app, "/jobs", StatusCode::OK).await;
    assert!(first.contains("51 tác vụ") && first.contains("Trang 1 / 2"), "{first}");
    assert!(first.contains("href=\"/jobs?page=2\"") && !first.contains("In giấy khen"), "{first}");
    let second = page(&app, "/jobs?page=2", StatusCode::OK).await;
    assert!(second.contains(&format!("href=\"/jobs/{}\"", certificates["id"])) && second.contains("Trang 2 / 2"));
    // Past the last page (an old link): this page is empty, not the list.
    let beyond = page(&app, "/jobs?page=3", StatusCode::OK).await;
    assert!(beyond.contains("51 tác vụ chạy nền") && beyond.contains("Trang 3 không có tác vụ nào"), "{beyond}");
    assert!(beyond.contains("Danh sách có 51 tác vụ, trên 2 trang.") && beyond.contains("href=\"/jobs?page=1\""));
    assert!(!beyond.contains("Chưa có tác vụ in hay gửi thư nào"), "{beyond}");
}

#[tokio::test]
async fn the_decision_page_prints_on_plain_paper_or_blanks_and_shows_the_decision() {
    let app = spawn_app().await;
    let (issuer, _, _, decision, _) = commendation_fixture(&app).await;
    let body = page(&app, &format!("/decisions/{decision}"), StatusCode::OK).await;
    assert!(
        body.contains(&format!("href=\"/api/v1/decisions/{decision}.pdf\" target=\"_blank\">Xem quyết định (PDF)"))
    );
    assert!(body.contains(&format!("action=\"/decisions/{decision}/certificates/print\"")), "{body}");
    assert!(body.contains("value=\"true\">In giấy khen trên phôi</button>"), "{body}");
    assert!(body.contains(&format!("href=\"/issuers/{issuer}/blank\">chỉnh vị trí in trên phôi")), "{body}");

    let path = format!("/decisions/{decision}/certificates/print");
    let plain = see_other(&post_form(&app, &path, &[("blank", "false")]).await);
    assert_eq!(plain, format!("/api/v1/decisions/{decision}/certificates.pdf"));
    let blank = see_other(&post_form(&app, &path, &[("blank", "true")]).await);
    assert_eq!(blank, format!("/api/v1/decisions/{decision}/certificates.pdf?blank=true"));
    expect_pdf(&app, &blank).await;
    expect_pdf(&app, &format!("/api/v1/decisions/{decision}.pdf")).await;
}

/// The editor's fields with every position at the default layout's but `changed`.
fn positions<'a>(changed: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let defaults = [
        ("authority_x", "148.5"),
        ("authority_y", "50"),
        ("recipient_x", "148.5"),
        ("recipient_y", "100"),
        ("achievement_x", "148.5"),
        ("achievement_y", "114"),
        ("decision_x", "24"),
        ("decision_y", "158"),
        ("qr_x", "22"),
        ("qr_y", "167"),
        ("place_date_x", "215"),
        ("place_date_y", "152"),
        ("signature_x", "215"),
        ("signature_y", "159"),
    ];
    defaults
        .into_iter()
        .map(|(name, value)| changed.iter().find(|(field, _)| *field == name).copied().unwrap_or((name, value)))
        .collect()
}

#[tokio::test]
async fn the_blank_editor_saves_positions_names_an_off_sheet_one_and_resets() {
    let app = spawn_app().await;
    let id = issuer(&app).await;
    let issuer_page = page(&app, &format!("/issuers/{id}"), StatusCode::OK).await;
    assert!(issuer_page.contains(&format!("href=\"/issuers/{id}/blank\">Vị trí in trên phôi")), "{issuer_page}");
    let path = format!("/issuers/{id}/blank");
    let body = page(&app, &path, StatusCode::OK).await;
    for text in
        ["Dòng cơ quan khen thưởng", "Tên người/tập thể được khen", "Số quyết định và số sổ vàng", "Khối chữ ký"]
    {
        assert!(body.contains(text), "lacks {text}");
    }
    assert!(body.contains("từ góc trên bên trái của phôi") && body.contains("vị trí mặc định"), "{body}");
    assert!(body.contains(
        "name=\"authority_x\" type=\"number\" step=\"0.5\" min=\"0\" max=\"297\" inputmode=\"decimal\" value=\"148.5\""
    ));
    assert!(
        body.contains(&format!("href=\"/api/v1/issuers/{id}/blank-sample.pdf\" target=\"_blank\">In thử trên phôi"))
    );
    assert!(!body.contains("Khôi phục mặc định"), "nothing to reset yet");

    let saved = post_form(&app, &path, &positions(&[("qr_x", "30,5"), ("qr_y", "170")])).await;
    assert_eq!(see_other(&saved), format!("{path}?msg=blank_saved"));
    let stored = app.get_json(&format!("/api/v1/issuers/{id}")).await;
    assert_eq!(stored["blank_layout"]["qr"], json!({"x": 30.5, "y": 170.0}));
    assert_eq!(stored["blank_layout_custom"], true);
    let body = page(&app, &format!("{path}?msg=blank_saved"), StatusCode::OK).await;
    assert!(body.contains("Đã lưu vị trí in trên phôi.") && body.contains("value=\"30.5\""), "{body}");
    expect_pdf(&app, &format!("/api/v1/issuers/{id}/blank-sample.pdf")).await;

    // Off the sheet: the service's message sits under that field, what was typed stays.
    let off = post_form(&app, &path, &positions(&[("signature_y", "250")])).await;
    let body = html(off, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(body.contains("<p class=\"error\" id=\"e-signature\">Vị trí nằm ngoài tờ giấy"), "{body}");
    assert!(body.contains("id=\"f-signature_y\" name=\"signature_y\"") && body.contains("value=\"250\""), "{body}");
    assert!(body.contains("aria-describedby=\"h-signature e-signature\" aria-invalid=\"true\""), "{body}");
    assert_eq!(body.matches("class=\"error\"").count(), 1, "only that field: {body}");
    // Not a number: named the same way.
    let typo = post_form(&app, &path, &positions(&[("recipient_x", "mười")])).await;
    let body = html(typo, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(body.contains("<p class=\"error\" id=\"e-recipient\">Nhập số mi-li-mét"), "{body}");
    assert_eq!(app.get_json(&format!("/api/v1/issuers/{id}")).await["blank_layout"]["qr"]["x"], 30.5, "kept");

    let reset = post_form(&app, &format!("{path}/reset"), &[]).await;
    assert_eq!(see_other(&reset), format!("{path}?msg=blank_reset"));
    let stored = app.get_json(&format!("/api/v1/issuers/{id}")).await;
    assert_eq!(
        (&stored["blank_layout_custom"], &stored["blank_layout"]["qr"]),
        (&json!(false), &json!({"x": 22.0, "y": 167.0}))
    );

    // Only the officers who run the issuer change its positions.
    let host_id = host(&app, "Khu phố 9").await;
    app.user_token("kp9@ngayhoi.test", "host", None, Some(host_id)).await;
    let host_officer = browser_of(&app, "kp9@ngayhoi.test").await;
    page(&host_officer, &path, StatusCode::FORBIDDEN).await;
    let body = page(&host_officer, &format!("/issuers/{id}"), StatusCode::OK).await;
    assert!(!body.contains("Vị trí in trên phôi"), "{body}");
}
