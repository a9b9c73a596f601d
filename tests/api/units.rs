//! `/api/v1/units`: the 2025 administrative map.

use reqwest::StatusCode;

use crate::helpers::{error_fields, expect_problem, spawn_app};

#[tokio::test]
async fn the_map_has_34_provinces_and_3321_communes() {
    let app = spawn_app().await;
    let provinces = app.get_json("/api/v1/units?per_page=100").await;
    assert_eq!(provinces["total"], 34);
    assert!(
        provinces["items"].as_array().unwrap().iter().all(|p| p["level"] == "province" && p["parent_code"].is_null())
    );
    let hcm = app.get_json("/api/v1/units/79").await;
    assert_eq!(hcm["name"], "Thành phố Hồ Chí Minh");
    assert_eq!(hcm["kind"], "thành phố trung ương");

    let mut communes = 0;
    for province in provinces["items"].as_array().unwrap() {
        let code = province["code"].as_str().unwrap();
        communes += app.get_json(&format!("/api/v1/units?parent={code}&per_page=1")).await["total"].as_u64().unwrap();
    }
    assert_eq!(communes, 3321);
}

#[tokio::test]
async fn search_ignores_accents_and_case() {
    let app = spawn_app().await;
    let plain = app.get_json("/api/v1/units?q=tan%20phu&per_page=500").await;
    let accented = app.get_json("/api/v1/units?q=T%C3%82N%20Ph%C3%BA&per_page=500").await;
    assert_eq!(plain, accented);
    let names: Vec<&str> = plain["items"].as_array().unwrap().iter().map(|u| u["name"].as_str().unwrap()).collect();
    assert!(names.contains(&"Phường Tân Phú"), "{names:?}");
    assert!(names.contains(&"Xã Tân Phú Đông"), "{names:?}");
    // "tan phu" is a prefix of "tan phuoc" too.
    assert!(names.iter().all(|name| name.contains("Tân Phú") || name.contains("Tân Phước")), "{names:?}");

    let in_hcm = app.get_json("/api/v1/units?parent=79&q=tan%20phu").await;
    let codes: Vec<&str> = in_hcm["items"].as_array().unwrap().iter().map(|u| u["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["26713", "27031"]); // Phường Tân Phước, Phường Tân Phú
}

#[tokio::test]
async fn unit_names_are_normalized_single_spaced() {
    let app = spawn_app().await;
    // The official list writes "Phường  Rạch Dừa" with two spaces.
    assert_eq!(app.get_json("/api/v1/units/26536").await["name"], "Phường Rạch Dừa");
}

#[tokio::test]
async fn unknown_unit_is_404_and_bad_paging_422() {
    let app = spawn_app().await;
    expect_problem(app.get("/api/v1/units/00000").await, StatusCode::NOT_FOUND).await;
    let problem = expect_problem(app.get("/api/v1/units?per_page=501").await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["per_page"]);
    let problem = expect_problem(app.get("/api/v1/units?page=0").await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["page"]);
    let problem = expect_problem(app.get("/api/v1/units?page=abc").await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["page"]);
}

#[tokio::test]
async fn paging_walks_through_a_list() {
    let app = spawn_app().await;
    let first = app.get_json("/api/v1/units?per_page=20&page=1").await;
    let second = app.get_json("/api/v1/units?per_page=20&page=2").await;
    assert_eq!(first["items"].as_array().unwrap().len(), 20);
    assert_eq!(second["items"].as_array().unwrap().len(), 14);
    assert_eq!(second["total"], 34);
    assert_ne!(first["items"][0], second["items"][0]);
}
