//! The commendation pages, used as a browser uses them: issuers and models through their
//! forms, a nomination from the proposal to the approval, the council table, decisions and
//! their revocation, the register, the public verification page; and the festival form's
//! registration checkboxes.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::commendation::{act, approved, decide, host, issuer, nominate, proposer};
use crate::helpers::*;

/// The fields of a valid issuer form for Phường Tân Phú.
fn issuer_fields() -> Vec<(&'static str, &'static str)> {
    vec![
        ("name", "Ủy ban nhân dân phường Tân Phú"),
        ("parent_name", "Thành phố Hồ Chí Minh"),
        ("province", PROVINCE_HCM),
        ("commune", COMMUNE_HCM),
        ("symbol", "ubnd"),
        ("signer_name", "Nguyễn Văn Bình"),
        ("signer_title", "Chủ tịch"),
        ("authority", "TM."),
        ("place_name", "Phường Tân Phú"),
    ]
}

fn with<'a>(mut fields: Vec<(&'a str, &'a str)>, name: &str, value: &'a str) -> Vec<(&'a str, &'a str)> {
    fields.iter_mut().filter(|(field, _)| *field == name).for_each(|(_, old)| *old = value);
    fields
}

/// The id in a redirect to `/{prefix}/{id}?…`.
fn id_in(location: &str, prefix: &str) -> i64 {
    location
        .strip_prefix(prefix)
        .and_then(|rest| rest.split('?').next())
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("{location}"))
}

/// A nomination's state as the API reports it.
async fn state_of(app: &TestApp, id: i64) -> Value {
    app.get_json(&format!("/api/v1/nominations/{id}")).await["state"].clone()
}

/// Data for every commendation page: an issuer, a host's model, an individual's approved
/// nomination decided by decision 01/QĐ-UBND, and a draft; returns (issuer, model, draft,
/// decision) ids and a certificate's verification code.
pub async fn commendation_fixture(app: &TestApp) -> (i64, i64, i64, i64, String) {
    let officer = proposer(app).await;
    let issuer = issuer(app).await;
    let host_id = host(app, "Khu phố Đông Hòa 2").await;
    let body = json!({"name": "Tổ liên gia an toàn", "host_id": host_id, "kind": "tu_quan"});
    let model = expect_json(app.post("/api/v1/models", &body).await, StatusCode::CREATED).await["id"].as_i64().unwrap();
    let person =
        json!({"issuer_id": issuer, "kind": "individual", "nominee_name": "Phan Văn Trị", "achievement": "Tốt"});
    let nomination = approved(&officer, app, person).await;
    let decision = expect_json(decide(app, issuer, &[nomination], "2026-08-19").await, StatusCode::CREATED).await;
    let draft = json!({"issuer_id": issuer, "model_id": model, "achievement": "Giữ vững an ninh trật tự"});
    let draft = nominate(&officer, draft).await["id"].as_i64().unwrap();
    let code = decision["certificates"][0]["verify_code"].as_str().unwrap().to_owned();
    (issuer, model, draft, decision["id"].as_i64().unwrap(), code)
}

#[tokio::test]
async fn an_issuer_is_created_and_edited_through_the_form_and_bad_input_is_named() {
    let app = spawn_app().await;
    let body = page(&app, "/issuers/new", StatusCode::OK).await;
    assert!(body.contains("Thêm cơ quan khen thưởng") && body.contains("TM. — thay mặt tập thể"), "{body}");

    // Choosing the province posts the form back with its communes, saving nothing.
    let reload = [("reload", "1"), ("name", "UBND"), ("province", PROVINCE_HCM), ("commune", "")];
    let body = html(post_form(&app, "/issuers", &reload).await, StatusCode::OK).await;
    assert!(body.contains(&format!("<option value=\"{COMMUNE_HCM}\">Phường Tân Phú</option>")), "{body}");
    assert!(body.contains("value=\"UBND\""), "what was typed stays");

    let bad = with(with(issuer_fields(), "symbol", "QĐ-X"), "signer_name", " ");
    let body = html(post_form(&app, "/issuers", &bad).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(body.contains("id=\"e-symbol\">Ký hiệu gồm 2 đến 20 chữ in hoa"), "{body}");
    assert!(body.contains("id=\"e-signer_name\">"), "{body}");
    assert!(body.contains("value=\"Ủy ban nhân dân phường Tân Phú\""), "the rest of the form is kept");
    let nowhere = with(with(issuer_fields(), "province", ""), "commune", "");
    let body = html(post_form(&app, "/issuers", &nowhere).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(body.contains("id=\"e-commune\">Hãy chọn tỉnh/thành phố, và xã/phường nếu là cơ quan cấp xã."), "{body}");
    assert_eq!(app.get_json("/api/v1/issuers").await["total"], 0, "nothing was saved");

    let location = see_other(&post_form(&app, "/issuers", &issuer_fields()).await);
    let id = id_in(&location, "/issuers/");
    let stored = app.get_json(&format!("/api/v1/issuers/{id}")).await;
    assert_eq!((&stored["symbol"], &stored["unit_code"]), (&json!("UBND"), &json!(COMMUNE_HCM)));
    let body = page(&app, &location, StatusCode::OK).await;
    assert!(body.contains("Đã thêm cơ quan khen thưởng.") && body.contains("Hội đồng thi đua – khen thưởng"), "{body}");

    let edited = with(with(issuer_fields(), "authority", "KT."), "parent_name", "");
    let location = see_other(&post_form(&app, &format!("/issuers/{id}"), &edited).await);
    assert_eq!(location, format!("/issuers/{id}?msg=issuer_updated"));
    let stored = app.get_json(&format!("/api/v1/issuers/{id}")).await;
    assert_eq!((&stored["authority"], &stored["parent_name"]), (&json!("KT."), &Value::Null));
    let body = page(&app, "/issuers", StatusCode::OK).await;
    assert!(body.contains("Ủy ban nhân dân phường Tân Phú") && body.contains("UBND"), "{body}");
    // A host's officer proposes to the issuer but sees its details only.
    let host_id = host(&app, "Khu phố 9").await;
    app.user_token("kp9@ngayhoi.test", "host", None, Some(host_id)).await;
    let host_officer = browser_of(&app, "kp9@ngayhoi.test").await;
    let body = page(&host_officer, &format!("/issuers/{id}"), StatusCode::OK).await;
    assert!(body.contains("Chỉ cán bộ cấp xã trở lên") && !body.contains("Sửa thông tin"), "{body}");
}

#[tokio::test]
async fn a_model_is_added_edited_and_kept_while_nominated() {
    let app = spawn_app().await;
    let host_id = host(&app, "Khu phố 1").await.to_string();
    let body = page(&app, &format!("/models?commune={COMMUNE_HCM}"), StatusCode::OK).await;
    assert!(body.contains("Xã/phường này chưa có mô hình nào"), "{body}");
    let body = page(&app, &format!("/models/new?commune={COMMUNE_HCM}"), StatusCode::OK).await;
    assert!(body.contains(&format!("<option value=\"{host_id}\">Khu phố 1</option>")), "{body}");

    let fields = vec![
        ("province", PROVINCE_HCM),
        ("commune", COMMUNE_HCM),
        ("host_id", host_id.as_str()),
        ("name", "Tổ liên gia an toàn"),
        ("kind", "tu_quan"),
        ("founded_year", "2019"),
        ("members", "24"),
    ];
    let bad = with(with(fields.clone(), "founded_year", "năm 2019"), "host_id", "");
    let body = html(post_form(&app, "/models", &bad).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(body.contains("id=\"e-founded_year\">Nhập một số nguyên."), "{body}");
    let bad = with(fields.clone(), "host_id", "");
    let body = html(post_form(&app, "/models", &bad).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(body.contains("id=\"e-host_id\">Hãy chọn đơn vị có mô hình này."), "{body}");

    let location = see_other(&post_form(&app, "/models", &fields).await);
    assert_eq!(location, format!("/models?commune={COMMUNE_HCM}&msg=model_created"));
    let body = page(&app, &location, StatusCode::OK).await;
    assert!(body.contains("Đã thêm mô hình.") && body.contains("Tổ liên gia an toàn") && body.contains("2019"));
    let models = app.get_json(&format!("/api/v1/models?unit={COMMUNE_HCM}")).await;
    let models = &models["items"];
    let id = models[0]["id"].as_i64().unwrap();
    assert_eq!((&models[0]["members"], &models[0]["kind"]), (&json!(24), &json!("tu_quan")));

    let edit = [("name", "Camera an ninh"), ("kind", "tu_bao_ve"), ("founded_year", "2020"), ("members", "")];
    let location = see_other(&post_form(&app, &format!("/models/{id}"), &edit).await);
    assert!(page(&app, &location, StatusCode::OK).await.contains("Đã lưu mô hình."));
    let model = app.get_json(&format!("/api/v1/models/{id}")).await;
    assert_eq!((&model["name"], &model["founded_year"]), (&json!("Camera an ninh"), &json!(2020)));

    let issuer = issuer(&app).await;
    nominate(&app, json!({"issuer_id": issuer, "model_id": id, "achievement": "Giữ vững an ninh trật tự"})).await;
    let body = html(post_form(&app, &format!("/models/{id}/delete"), &[]).await, StatusCode::CONFLICT).await;
    assert!(body.contains("Mô hình đã được đề nghị khen thưởng nên không xóa được."), "{body}");
    app.get_json(&format!("/api/v1/models/{id}")).await;
}

#[tokio::test]
async fn a_nomination_is_proposed_submitted_reviewed_and_approved_by_someone_else() {
    let app = spawn_app().await;
    let issuer = issuer(&app).await.to_string();
    let host_id = host(&app, "Khu phố 2").await.to_string();
    let officer = browser_of(&proposer(&app).await, "canbo@ngayhoi.test").await;

    // The only issuer is preselected, and the commune's hosts are offered.
    let body = page(&officer, "/nominations/new", StatusCode::OK).await;
    assert!(body.contains(&format!("<option value=\"{issuer}\" selected>")), "{body}");
    assert!(body.contains(&format!("<option value=\"{host_id}\">Khu phố 2</option>")), "{body}");
    // Switching to an individual posts the form back (the CCCD stays out of the address).
    let reload = [("reload", "1"), ("issuer_id", issuer.as_str()), ("kind", "individual"), ("achievement", "Tốt")];
    let body = html(post_form(&officer, "/nominations", &reload).await, StatusCode::OK).await;
    assert!(body.contains("Số CCCD") && body.contains("Truy tặng") && body.contains(">Tốt</textarea>"), "{body}");

    let proposal = [
        ("issuer_id", issuer.as_str()),
        ("kind", "collective"),
        ("festival_id", ""),
        ("host_id", host_id.as_str()),
        ("model_id", ""),
        ("nominee_name", ""),
        ("achievement", ""),
        ("form", "giay_khen"),
    ];
    let body = html(post_form(&officer, "/nominations", &proposal).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(body.contains("id=\"e-achievement\">Hãy tóm tắt thành tích"), "{body}");
    let mut proposal = proposal.to_vec();
    proposal[6].1 = "Đã có thành tích xuất sắc trong phong trào Toàn dân bảo vệ an ninh Tổ quốc năm 2026";
    let location = see_other(&post_form(&officer, "/nominations", &proposal).await);
    let id = id_in(&location, "/nominations/");
    let body = page(&officer, &location, StatusCode::OK).await;
    assert!(body.contains("Đã lưu đề nghị ở dạng nháp") && body.contains("<h1>Khu phố 2</h1>"), "{body}");
    assert!(body.contains("Gửi đề nghị") && body.contains("Sửa đề nghị"), "{body}");

    let here = format!("/nominations/{id}");
    let location = see_other(&post_form(&officer, &format!("{here}/submit"), &[]).await);
    assert_eq!(location, format!("{here}?msg=submit"));
    assert!(page(&officer, &location, StatusCode::OK).await.contains("Đã gửi đề nghị"));
    let vote = [("votes_for", "năm"), ("votes_against", "1"), ("note", "")];
    let body =
        html(post_form(&officer, &format!("{here}/review"), &vote).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(body.contains("id=\"e-votes_for\">Nhập số phiếu, từ 0 đến 1000."), "{body}");
    assert!(body.contains("value=\"năm\""), "{body}");
    let vote = [("votes_for", "5"), ("votes_against", "1"), ("note", "Nhất trí")];
    see_other(&post_form(&officer, &format!("{here}/review"), &vote).await);

    // The submitter is told they cannot approve, and trying anyway is refused on the page.
    let body = page(&officer, &here, StatusCode::OK).await;
    assert!(body.contains("5 tán thành, 1 không tán thành") && body.contains("Nhất trí"), "{body}");
    assert!(body.contains("không được tự duyệt") && !body.contains("Duyệt đề nghị</button>"), "{body}");
    let body = html(post_form(&officer, &format!("{here}/approve"), &[]).await, StatusCode::FORBIDDEN).await;
    assert!(body.contains("Người gửi đề nghị không được tự duyệt đề nghị đó."), "{body}");
    assert_eq!(template_of(&body), "commendation/nomination.html");
    assert_eq!(state_of(&app, id).await, "reviewed");

    let body = page(&app, &here, StatusCode::OK).await;
    assert!(body.contains("Duyệt đề nghị</button>"), "{body}");
    let location = see_other(&post_form(&app, &format!("{here}/approve"), &[]).await);
    assert!(page(&app, &location, StatusCode::OK).await.contains("Đã duyệt đề nghị."));
    assert_eq!(state_of(&app, id).await, "approved");
    let body = html(post_form(&app, &format!("{here}/approve"), &[]).await, StatusCode::CONFLICT).await;
    assert!(body.contains("Không thể duyệt đề nghị đang ở trạng thái “Đã duyệt”."), "{body}");

    let body = page(&officer, "/nominations?state=approved", StatusCode::OK).await;
    assert!(body.contains("Khu phố 2") && body.contains("Ủy ban nhân dân phường Tân Phú"), "{body}");
    let body = page(&officer, "/nominations?state=draft", StatusCode::OK).await;
    assert!(body.contains("Không có đề nghị nào khớp bộ lọc"), "{body}");
}

#[tokio::test]
async fn a_returned_draft_is_edited_and_a_second_proposal_of_a_person_is_flagged() {
    let app = spawn_app().await;
    let issuer = issuer(&app).await.to_string();
    let person = [
        ("issuer_id", issuer.as_str()),
        ("kind", "individual"),
        ("participant_id", ""),
        ("nominee_name", "Võ Thị Sáu"),
        ("cccd", ""),
        ("achievement", "Tích cực tham gia tuần tra"),
        ("form", "giay_khen"),
        ("posthumous", "true"),
    ];
    let first = id_in(&see_other(&post_form(&app, "/nominations", &person).await), "/nominations/");
    let location = see_other(&post_form(&app, "/nominations", &person).await);
    let body = page(&app, &location, StatusCode::OK).await;
    assert!(body.contains("Lưu ý:</strong> Người này đã được đề nghị khen thưởng năm"), "{body}");

    let here = format!("/nominations/{first}");
    see_other(&post_form(&app, &format!("{here}/submit"), &[]).await);
    let body =
        html(post_form(&app, &format!("{here}/return"), &[("reason", " ")]).await, StatusCode::UNPROCESSABLE_ENTITY)
            .await;
    assert!(body.contains("<details class=\"confirm\" open>") && body.contains("Hãy ghi lý do."), "{body}");
    see_other(&post_form(&app, &format!("{here}/return"), &[("reason", "Bổ sung số liệu")]).await);
    let body = page(&app, &here, StatusCode::OK).await;
    assert!(body.contains("Bổ sung số liệu") && body.contains("Sửa đề nghị"), "{body}");

    let draft = [
        ("nominee_name", "Võ Thị Sáu"),
        ("cccd", "12345"),
        ("achievement", "Số liệu đã bổ sung"),
        ("form", "giay_khen"),
    ];
    let body = html(post_form(&app, &here, &draft).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(body.contains("id=\"e-cccd\">"), "{body}");
    let draft =
        [("nominee_name", "Võ Thị Sáu"), ("cccd", ""), ("achievement", "Số liệu đã bổ sung"), ("form", "giay_khen")];
    assert_eq!(see_other(&post_form(&app, &here, &draft).await), format!("{here}?msg=updated"));
    let stored = app.get_json(&format!("/api/v1/nominations/{first}")).await;
    assert_eq!((&stored["achievement"], &stored["posthumous"]), (&json!("Số liệu đã bổ sung"), &json!(false)));
}

#[tokio::test]
async fn a_festivals_participant_is_proposed_to_a_province_body_after_choosing_commune_and_festival() {
    let app = spawn_app().await;
    let body = json!({"name": "Công an Thành phố Hồ Chí Minh", "unit_code": PROVINCE_HCM, "symbol": "CATP",
                      "signer_name": "Lê Văn Cường", "signer_title": "Giám đốc", "authority": "", "place_name": "Thành phố Hồ Chí Minh"});
    let issuer = expect_json(app.post("/api/v1/issuers", &body).await, StatusCode::CREATED).await["id"].to_string();
    let festival = crate::participants::festival_id(&app).await.to_string();
    let guest = json!({"full_name": "Đinh Bộ Lĩnh", "role": "official", "invited": true, "cccd": "001085001234"});
    let guest = crate::participants::add(&app, festival.parse().unwrap(), guest).await["id"].to_string();

    // A province's body: the commune comes first, then its festivals, then the festival's people.
    let body = page(&app, &format!("/nominations/new?issuer_id={issuer}&kind=individual"), StatusCode::OK).await;
    assert!(body.contains(&format!("<option value=\"{COMMUNE_HCM}\">Phường Tân Phú</option>")), "{body}");
    let mut choices =
        vec![("reload", "1"), ("issuer_id", issuer.as_str()), ("kind", "individual"), ("commune", COMMUNE_HCM)];
    let body = html(post_form(&app, "/nominations", &choices).await, StatusCode::OK).await;
    assert!(body.contains(&format!("<option value=\"{festival}\">2025 — Khu phố 3</option>")), "{body}");
    assert!(!body.contains("Người tham dự ngày hội"), "{body}");
    choices.push(("festival_id", festival.as_str()));
    let body = html(post_form(&app, "/nominations", &choices).await, StatusCode::OK).await;
    assert!(body.contains(&format!("<option value=\"{guest}\">Đinh Bộ Lĩnh</option>")), "{body}");

    let mut proposal: Vec<(&str, &str)> = choices.into_iter().filter(|(name, _)| *name != "reload").collect();
    proposal.extend([
        ("participant_id", guest.as_str()),
        ("nominee_name", ""),
        ("cccd", ""),
        ("achievement", "Tốt"),
        ("form", "bang_khen"),
    ]);
    let location = see_other(&post_form(&app, "/nominations", &proposal).await);
    let stored = app.get_json(&format!("/api/v1/nominations/{}", id_in(&location, "/nominations/"))).await;
    assert_eq!(
        (&stored["nominee_name"], &stored["cccd"], &stored["year"]),
        (&json!("Đinh Bộ Lĩnh"), &json!("001085001234"), &json!(2025))
    );
    assert_eq!((stored["festival_id"].to_string(), stored["participant_id"].to_string()), (festival, guest));
    let body = page(&app, &location, StatusCode::OK).await;
    assert!(
        body.contains("Bằng khen") && body.contains(">Khu phố 3</a>") && body.contains("Công an Thành phố Hồ Chí Minh"),
        "{body}"
    );
}

#[tokio::test]
async fn the_council_approves_several_at_once_and_signs_a_decision() {
    let app = spawn_app().await;
    let issuer = issuer(&app).await;
    let officer = proposer(&app).await;
    let officer_browser = browser_of(&officer, "canbo@ngayhoi.test").await;
    let person =
        |name: &str| json!({"issuer_id": issuer, "kind": "individual", "nominee_name": name, "achievement": "Tốt"});
    let mut ids = Vec::new();
    // Two submitted by the officer, one by the admin.
    for (who, name) in [(&officer, "Trần Văn An"), (&officer, "Lê Thị Bình"), (&app, "Phạm Văn Cường")] {
        let id = nominate(&officer, person(name)).await["id"].as_i64().unwrap();
        expect_json(act(who, id, "submit", json!({})).await, StatusCode::OK).await;
        ids.push(id.to_string());
    }
    let council = format!("/issuers/{issuer}/council");
    let body = page(&app, &council, StatusCode::OK).await;
    assert!(
        body.contains("Trần Văn An") && body.contains("Phạm Văn Cường") && body.contains("Ra quyết định"),
        "{body}"
    );
    let checked = |extra: &[(&'static str, &'static str)]| {
        let mut fields: Vec<(&str, &str)> = ids.iter().map(|id| ("ids", id.as_str())).collect();
        fields.extend_from_slice(extra);
        fields
    };

    let none = html(
        post_form(&app, &format!("{council}/review"), &[("votes_for", "7")]).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert!(none.contains("Hãy đánh dấu ít nhất một đề nghị trong bảng."), "{none}");
    let vote = checked(&[("votes_for", "7"), ("votes_against", "0"), ("note", "Nhất trí")]);
    let body = html(post_form(&app, &format!("{council}/review"), &vote).await, StatusCode::OK).await;
    assert!(body.contains("Đã ghi biểu quyết cho 3 đề nghị"), "{body}");

    // The officer runs the commune's issuer too, but cannot approve what they submitted: those
    // two are reported, the third is approved.
    let body =
        html(post_form(&officer_browser, &format!("{council}/approve"), &checked(&[])).await, StatusCode::OK).await;
    assert!(body.contains("Đã duyệt 1 đề nghị: Phạm Văn Cường."), "{body}");
    assert!(body.contains("Không duyệt được 2 đề nghị"), "{body}");
    assert_eq!(body.matches("Người gửi đề nghị không được tự duyệt đề nghị đó.").count(), 2, "{body}");
    let body = html(post_form(&app, &format!("{council}/approve"), &checked(&[])).await, StatusCode::OK).await;
    assert!(body.contains("Đã duyệt 2 đề nghị") && body.contains("Không duyệt được 1 đề nghị"), "{body}");
    for id in &ids {
        assert_eq!(state_of(&app, id.parse().unwrap()).await, "approved");
    }

    let future = checked(&[("signed_on", "31/12/2099"), ("legal_basis", "")]);
    let body =
        html(post_form(&app, &format!("{council}/decide"), &future).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(body.contains("id=\"e-signed_on\">Ngày ký không được ở tương lai."), "{body}");
    let typo = checked(&[("signed_on", "19.8"), ("legal_basis", "")]);
    let body = html(post_form(&app, &format!("{council}/decide"), &typo).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(body.contains("Ngày viết dạng dd/mm/yyyy") && body.contains("value=\"19.8\""), "{body}");

    backdate_approvals(&app).await;
    let basis = "Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15;\r\n\r\nXét đề nghị của Công an phường;";
    let decide_fields = checked(&[("signed_on", "19/08/2026"), ("legal_basis", basis)]);
    let location = see_other(&post_form(&app, &format!("{council}/decide"), &decide_fields).await);
    let decision = id_in(&location, "/decisions/");
    let body = page(&app, &location, StatusCode::OK).await;
    assert!(body.contains("Quyết định số 01/QĐ-UBND") && body.contains("Ký ngày 19/08/2026"), "{body}");
    assert!(body.contains("Đã ra quyết định 01/QĐ-UBND") && body.contains("Xét đề nghị của Công an phường;"), "{body}");
    // Individuals in Vietnamese order: An, Bình, Cường, register numbers 1 to 3.
    let (an, binh, cuong) =
        (body.find("Trần Văn An").unwrap(), body.find("Lê Thị Bình").unwrap(), body.find("Phạm Văn Cường").unwrap());
    assert!(an < binh && binh < cuong, "{body}");
    let stored = app.get_json(&format!("/api/v1/decisions/{decision}")).await;
    assert_eq!(stored["legal_basis"].as_array().unwrap().len(), 2);
    assert_eq!(stored["certificates"].as_array().unwrap().len(), 3);
    assert!(page(&app, &council, StatusCode::OK).await.contains("Không có đề nghị nào đang chờ"));
    let body = page(&app, "/decisions?q=cuong", StatusCode::OK).await;
    assert!(body.contains("01/QĐ-UBND") && body.contains("Ủy ban nhân dân phường Tân Phú"), "{body}");
    assert!(page(&app, "/decisions?year=2025", StatusCode::OK).await.contains("Không có quyết định nào khớp"));
}

#[tokio::test]
async fn a_revoked_decision_stops_verifying_and_unknown_codes_are_not_found() {
    let app = spawn_app().await;
    let officer = proposer(&app).await;
    let issuer = issuer(&app).await;
    let body = json!({"issuer_id": issuer, "kind": "individual", "nominee_name": "Phan Văn Trị",
                      "cccd": "079085009999", "achievement": "Tốt", "posthumous": true});
    let nomination = approved(&officer, &app, body).await;
    let decision = expect_json(decide(&app, issuer, &[nomination], "2026-08-19").await, StatusCode::CREATED).await;
    let code = decision["certificates"][0]["verify_code"].as_str().unwrap().to_owned();
    let visitor = app.client.clone();

    let verify = |code: String| visitor.get(app.url(&format!("/verify/{code}"))).send();
    let body = html(verify(code.clone()).await.unwrap(), StatusCode::OK).await;
    assert!(body.contains("banner-ok") && body.contains("Hợp lệ."), "{body}");
    assert!(body.contains("Phan Văn Trị") && body.contains("Số 01/QĐ-UBND") && body.contains("19/08/2026"), "{body}");
    assert!(body.contains("Giấy khen (truy tặng)") && body.contains("Ủy ban nhân dân phường Tân Phú"), "{body}");
    assert!(!body.contains("079085009999") && !body.contains("Đăng xuất"), "nothing personal, no back office");

    let here = format!("/decisions/{}", decision["id"]);
    let revoke = format!("{here}/revoke");
    let body = html(post_form(&app, &revoke, &[("reason", "")]).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(body.contains("id=\"e-reason\">Hãy ghi lý do thu hồi."), "{body}");
    assert_eq!(
        see_other(&post_form(&app, &revoke, &[("reason", "Sai đối tượng")]).await),
        format!("{here}?msg=revoked")
    );
    let body = page(&app, &format!("{here}?msg=revoked"), StatusCode::OK).await;
    assert!(body.contains("Đã thu hồi quyết định.") && body.contains("Lý do: Sai đối tượng"), "{body}");
    assert!(!body.contains("Xác nhận thu hồi"), "{body}");
    let body = html(post_form(&app, &revoke, &[("reason", "Lần nữa")]).await, StatusCode::CONFLICT).await;
    assert!(body.contains("Quyết định 01/QĐ-UBND đã bị thu hồi."), "{body}");

    let body = html(verify(code.to_lowercase()).await.unwrap(), StatusCode::OK).await;
    assert!(
        body.contains("banner-fail") && body.contains("Không còn hiệu lực.") && body.contains("Sai đối tượng"),
        "{body}"
    );
    let body = html(verify("KHONGCOMA0000000".into()).await.unwrap(), StatusCode::NOT_FOUND).await;
    assert!(body.contains("Không có giấy tờ nào mang mã này"), "{body}");
    assert_eq!(template_of(&body), "error.html");
    // A visitor without a login is shown no back-office links.
    assert!(!body.contains("href=\"/hosts\"") && !body.contains("Về danh sách ngày hội"), "{body}");

    // An invitation's check-in code verifies as an invitation.
    let festival = crate::participants::festival_id(&app).await;
    let guest = json!({"full_name": "Đinh Bộ Lĩnh", "role": "official", "invited": true, "phone": "0912345678"});
    let guest = crate::participants::add(&app, festival, guest).await;
    let body = html(verify(guest["checkin_code"].as_str().unwrap().to_owned()).await.unwrap(), StatusCode::OK).await;
    assert!(body.contains("Giấy mời") && body.contains("Đinh Bộ Lĩnh") && !body.contains("0912345678"), "{body}");
}

#[tokio::test]
async fn the_verify_page_is_rate_limited_per_address() {
    let app = spawn_app_with(|config| config.public_rate_limit = 2).await;
    for _ in 0..2 {
        html(app.client.get(app.url("/verify/KHONGCOMA0000000")).send().await.unwrap(), StatusCode::NOT_FOUND).await;
    }
    let response = app.client.get(app.url("/verify/KHONGCOMA0000000")).send().await.unwrap();
    assert!(response.headers().contains_key("retry-after"), "the page keeps Retry-After");
    let body = html(response, StatusCode::TOO_MANY_REQUESTS).await;
    assert!(body.contains("Quá nhiều lần thử"), "{body}");
}

#[tokio::test]
async fn the_register_page_lists_recipients_in_vietnamese_order_with_the_spreadsheet() {
    let app = spawn_app().await;
    let officer = proposer(&app).await;
    let issuer = issuer(&app).await;
    let mut ids = Vec::new();
    for name in ["Đỗ Văn Đức", "Nguyễn Thị Ánh", "Trần Văn An"] {
        let body = json!({"issuer_id": issuer, "kind": "individual", "nominee_name": name, "achievement": "Tốt"});
        ids.push(approved(&officer, &app, body).await);
    }
    expect_json(decide(&app, issuer, &ids, "2026-08-19").await, StatusCode::CREATED).await;
    let path = format!("/issuers/{issuer}/register?year=2026");
    let body = page(&app, &path, StatusCode::OK).await;
    let places: Vec<usize> =
        ["Trần Văn An", "Nguyễn Thị Ánh", "Đỗ Văn Đức"].iter().map(|name| body.find(name).expect(name)).collect();
    assert!(places.windows(2).all(|pair| pair[0] < pair[1]), "{body}");
    assert!(body.contains("01/QĐ-UBND") && body.contains("Có hiệu lực"), "{body}");
    let xlsx = format!("/api/v1/issuers/{issuer}/register?year=2026&format=xlsx");
    assert!(body.contains(&format!("href=\"{xlsx}\"")), "{body}");
    // The link works with the browser's session.
    let download = app.browser.get(app.url(&xlsx)).send().await.unwrap();
    assert_eq!(download.status(), StatusCode::OK);
    assert!(download.bytes().await.unwrap().starts_with(b"PK"));

    let body = page(&app, &format!("{path}&q=duc"), StatusCode::OK).await;
    assert!(body.contains("Đỗ Văn Đức") && !body.contains("Trần Văn An"), "{body}");
    let body = page(&app, &format!("/issuers/{issuer}/register?year=2025"), StatusCode::OK).await;
    assert!(body.contains("Chưa có ai được khen năm 2025"), "{body}");
}

#[tokio::test]
async fn the_festival_form_opens_public_registration_with_a_waitlist() {
    let app = spawn_app().await;
    let host_id = app.create_host("Khu phố 6", COMMUNE_HCM).await["id"].to_string();
    let body = page(&app, &format!("/festivals/new?host_id={host_id}"), StatusCode::OK).await;
    assert!(body.contains("name=\"waitlist\" value=\"true\" checked"), "a waitlist by default: {body}");
    assert!(!body.contains("name=\"registration_open\" value=\"true\" checked"), "{body}");

    // Next year's festival, so that registration has not closed with the date.
    let date = format!("15/08/{}", chrono::Datelike::year(&chrono::Utc::now()) + 1);
    let fields = [
        ("host_id", host_id.as_str()),
        ("title", ""),
        ("date", date.as_str()),
        ("start_time", "19:30"),
        ("end_time", "22:00"),
        ("end_date", ""),
        ("venue", "Nhà văn hóa khu phố 6"),
        ("capacity", "100"),
        ("registration_open", "true"),
        ("waitlist", "true"),
        ("budget_note", ""),
    ];
    let location = see_other(&post_form(&app, "/festivals", &fields).await);
    let id = id_in(&location, "/festivals/");
    let festival = app.get_json(&format!("/api/v1/festivals/{id}")).await;
    assert_eq!((&festival["registration_open"], &festival["waitlist"]), (&json!(true), &json!(true)));
    let slug = festival["slug"].as_str().unwrap();
    let public = html(app.client.get(app.url(&format!("/f/{slug}"))).send().await.unwrap(), StatusCode::OK).await;
    assert!(
        public.contains(&format!("action=\"/f/{slug}\"")) && public.contains("Còn <strong>100</strong> chỗ"),
        "{public}"
    );

    let body = page(&app, &format!("/festivals/{id}/edit"), StatusCode::OK).await;
    assert!(body.contains("name=\"registration_open\" value=\"true\" checked"), "{body}");
    // Unticked boxes are not sent: registration closes, and a full festival refuses.
    let closed: Vec<(&str, &str)> = fields
        .iter()
        .copied()
        .filter(|(name, _)| !["host_id", "registration_open", "waitlist"].contains(name))
        .collect();
    see_other(&post_form(&app, &format!("/festivals/{id}/edit"), &closed).await);
    let festival = app.get_json(&format!("/api/v1/festivals/{id}")).await;
    assert_eq!((&festival["registration_open"], &festival["waitlist"]), (&json!(false), &json!(false)));
    let public = html(app.client.get(app.url(&format!("/f/{slug}"))).send().await.unwrap(), StatusCode::OK).await;
    assert!(!public.contains(&format!("action=\"/f/{slug}\"")), "{public}");
}
