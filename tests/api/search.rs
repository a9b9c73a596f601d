//! The search box (`?q=`) of the lists that had none: accounts, the audit log, issuers,
//! movement models, nominations and a festival's mail log. Typed without accents or in
//! another case, a search finds the Vietnamese text; the pages of a search keep it.

use ngayhoi::entities::{audit_event, user};
use reqwest::StatusCode;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

use crate::commendation::issuer;
use crate::commendation_pages::commendation_fixture;
use crate::documents::festival_with_issuer;
use crate::helpers::*;
use crate::participants::add;

#[tokio::test]
async fn accounts_are_found_by_name_or_e_mail_without_accents_also_those_from_before_search_keys() {
    let app = spawn_app().await;
    app.user_token("xa.tanphu@ngayhoi.test", "commune", Some(COMMUNE_HCM), None).await;
    let body = json!({"email": "tinh@ngayhoi.test", "password": PASSWORD, "full_name": "Đặng Thị Ngọc Ánh",
        "role": "province", "unit_code": PROVINCE_HCM});
    expect_json(app.post("/api/v1/users", &body).await, StatusCode::CREATED).await;

    let found = page(&app, "/users?q=ngoc%20anh", StatusCode::OK).await;
    assert!(found.contains("1 tài khoản cán bộ trong phạm vi của bạn khớp “ngoc anh”"), "{found}");
    assert!(found.contains("Đặng Thị Ngọc Ánh") && !found.contains("xa.tanphu@ngayhoi.test"), "{found}");
    assert!(found.contains("value=\"ngoc anh\""), "the box keeps what was typed: {found}");
    let by_mail = app.get_json("/api/v1/users?q=XA.TANPHU").await;
    assert_eq!(
        (by_mail["total"].as_u64(), by_mail["items"][0]["email"].as_str()),
        (Some(1), Some("xa.tanphu@ngayhoi.test"))
    );
    let none = page(&app, "/users?q=khong%20co%20ai", StatusCode::OK).await;
    assert!(none.contains("Không có tài khoản nào khớp “khong co ai”") && none.contains("href=\"/users\""), "{none}");

    // Accounts written before the search keys existed are keyed when an instance starts.
    user::Entity::update_many().col_expr(user::Column::SearchKey, Expr::value("")).exec(&app.db).await.unwrap();
    audit_event::Entity::update_many()
        .col_expr(audit_event::Column::SearchKey, Expr::value(""))
        .exec(&app.db)
        .await
        .unwrap();
    assert_eq!(app.get_json("/api/v1/users?q=ngoc%20anh").await["total"], 0);
    let restarted = second_instance(&app, |_| {}).await;
    assert_eq!(restarted.get_json("/api/v1/users?q=ngoc%20anh").await["total"], 1);
    let unkeyed = audit_event::Entity::find().filter(audit_event::Column::SearchKey.eq("")).all(&app.db).await.unwrap();
    assert!(unkeyed.is_empty(), "{unkeyed:?}");
}

#[tokio::test]
async fn the_audit_log_is_searched_without_accents_and_its_pages_keep_the_search() {
    let app = spawn_app().await;
    for n in 1..=51 {
        app.create_host(&format!("Tổ {n:02}"), COMMUNE_HCM).await;
    }
    let other = app.create_host("Ấp Đồng Hòa", COMMUNE_HCM).await;
    expect_json(
        app.patch(&format!("/api/v1/hosts/{}", other["id"]), &json!({"name": "Ấp Đồng Hòa Mới"})).await,
        StatusCode::OK,
    )
    .await;

    let first = page(&app, "/audit?q=tao%20don%20vi%20to%20chuc%20to", StatusCode::OK).await;
    assert!(first.contains("51 sự kiện khớp bộ lọc") && first.contains("Trang 1 / 2"), "{first}");
    assert!(first.contains("Tạo đơn vị tổ chức Tổ 51") && !first.contains("Ấp Đồng Hòa"), "{first}");
    let next = "href=\"/audit?q=tao+don+vi+to+chuc+to&page=2\"";
    assert!(first.contains(next), "the link to page 2 keeps the search: {first}");
    let second = page(&app, "/audit?q=tao%20don%20vi%20to%20chuc%20to&page=2", StatusCode::OK).await;
    assert!(second.contains("Tạo đơn vị tổ chức Tổ 01") && !second.contains("Tổ 51"), "{second}");
    assert!(second.contains("href=\"/audit?q=tao+don+vi+to+chuc+to&page=1\""), "{second}");

    let edited = page(&app, "/audit?q=SUA%20don%20vi&entity=host", StatusCode::OK).await;
    assert!(
        edited.contains("1 sự kiện khớp bộ lọc") && edited.contains("Sửa đơn vị tổ chức Ấp Đồng Hòa Mới"),
        "{edited}"
    );
    let api = app.get_json(&format!("/api/v1/audit?q={}", "dong%20hoa%20moi")).await;
    assert_eq!(api["total"], 1, "{api}");
}

#[tokio::test]
async fn issuers_models_and_nominations_are_found_by_name_without_accents() {
    let app = spawn_app().await;
    let (issuer_id, _, draft, _, _) = commendation_fixture(&app).await;
    let police = json!({"name": "Công an phường Tân Phú", "unit_code": COMMUNE_HCM, "symbol": "CAP",
        "signer_name": "Lê Văn Cường", "signer_title": "Trưởng Công an", "authority": "", "place_name": "Phường Tân Phú"});
    expect_json(app.post("/api/v1/issuers", &police).await, StatusCode::CREATED).await;

    let found = page(&app, "/issuers?q=CONG%20AN", StatusCode::OK).await;
    assert!(found.contains("Công an phường Tân Phú") && !found.contains(">Ủy ban nhân dân phường Tân Phú<"), "{found}");
    assert!(found.contains("value=\"CONG AN\"") && found.contains("Xóa bộ lọc"), "{found}");
    let none = page(&app, "/issuers?q=hoi%20dong", StatusCode::OK).await;
    assert!(none.contains("Không có cơ quan nào khớp bộ lọc"), "{none}");
    let api = app.get_json("/api/v1/issuers?q=uy%20ban").await;
    assert_eq!((api["total"].as_u64(), api["items"][0]["id"].as_i64()), (Some(1), Some(issuer_id)));

    let host = crate::commendation::host(&app, "Khu phố Bình An").await;
    let camera = json!({"name": "Camera an ninh Bình An", "host_id": host, "kind": "tu_phong"});
    expect_json(app.post("/api/v1/models", &camera).await, StatusCode::CREATED).await;
    let models = page(&app, &format!("/models?commune={COMMUNE_HCM}&q=to%20lien%20gia"), StatusCode::OK).await;
    assert!(models.contains("Tổ liên gia an toàn") && !models.contains("Camera an ninh Bình An"), "{models}");
    let none = page(&app, &format!("/models?commune={COMMUNE_HCM}&q=xe%20cuu%20hoa"), StatusCode::OK).await;
    assert!(none.contains("Không có mô hình nào khớp “xe cuu hoa”"), "{none}");
    assert_eq!(app.get_json(&format!("/api/v1/models?unit={COMMUNE_HCM}&q=CAMERA")).await["total"], 1);

    // The fixture's nominations: Phan Văn Trị (decided) and the draft for the model.
    let nominations = page(&app, "/nominations?q=phan%20van%20tri", StatusCode::OK).await;
    assert!(nominations.contains("1 đề nghị khớp bộ lọc") && nominations.contains("Phan Văn Trị"), "{nominations}");
    assert!(!nominations.contains(&format!("href=\"/nominations/{draft}\"")), "{nominations}");
    let api = app.get_json("/api/v1/nominations?q=TO%20LIEN%20GIA&state=draft").await;
    assert_eq!((api["total"].as_u64(), api["items"][0]["id"].as_i64()), (Some(1), Some(draft)));
}

#[tokio::test]
async fn the_mail_log_finds_a_recipient_by_name_or_address() {
    let app = spawn_app().await;
    let festival = festival_with_issuer(&app, issuer(&app).await).await;
    for guest in [
        json!({"full_name": "Trần Thị Hoa", "role": "official", "email": "hoa@example.vn", "invited": true}),
        json!({"full_name": "Ngô Văn Lâm", "role": "guest", "email": "lam@example.vn", "invited": true}),
    ] {
        add(&app, festival, guest).await;
    }
    let sending = app.post(&format!("/api/v1/festivals/{festival}/invitations/send"), &json!({})).await;
    let job = expect_json(sending, StatusCode::ACCEPTED).await;
    assert_eq!(wait_for_job(&app, &job["job_id"]).await["state"], "done");

    let log = format!("/festivals/{festival}/messages");
    let found = page(&app, &format!("{log}?q=tran%20thi%20hoa"), StatusCode::OK).await;
    assert!(found.contains("hoa@example.vn") && !found.contains("lam@example.vn"), "{found}");
    assert!(found.contains("value=\"tran thi hoa\"") && found.contains("Xóa bộ lọc"), "{found}");
    let by_address = page(&app, &format!("{log}?q=LAM%40EXAMPLE&state=sent"), StatusCode::OK).await;
    assert!(by_address.contains("Ngô Văn Lâm") && !by_address.contains("hoa@example.vn"), "{by_address}");
    let none = page(&app, &format!("{log}?q=vo%20thi%20sau"), StatusCode::OK).await;
    assert!(none.contains("Không có thư nào gửi người khớp “vo thi sau”"), "{none}");
    let api = app.get_json(&format!("/api/v1/messages?festival={festival}&q=ngo%20van")).await;
    assert_eq!((api["total"].as_u64(), api["items"][0]["to"].as_str()), (Some(1), Some("lam@example.vn")));
}
