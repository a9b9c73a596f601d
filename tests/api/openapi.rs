//! `/api/openapi.json` and the offline docs page.

use reqwest::StatusCode;

use crate::helpers::spawn_app;

#[tokio::test]
async fn openapi_documents_every_api_operation() {
    let app = spawn_app().await;
    let doc = app.get_json("/api/openapi.json").await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"), "{}", doc["openapi"]);
    let operations = [
        ("/api/v1/units", "get"),
        ("/api/v1/units/{code}", "get"),
        ("/api/v1/hosts", "get"),
        ("/api/v1/hosts", "post"),
        ("/api/v1/hosts/{id}", "get"),
        ("/api/v1/hosts/{id}", "patch"),
        ("/api/v1/hosts/{id}", "delete"),
        ("/api/v1/festivals", "post"),
        ("/api/v1/festivals", "get"),
        ("/api/v1/festivals/{id}", "get"),
        ("/api/v1/festivals/{id}", "patch"),
        ("/api/v1/festivals/{id}", "delete"),
        ("/api/v1/festivals/{id}/status", "post"),
        ("/api/v1/festivals/{id}/programme", "get"),
        ("/api/v1/festivals/{id}/programme", "put"),
        ("/api/v1/festivals/{id}/committee", "get"),
        ("/api/v1/festivals/{id}/committee", "put"),
        ("/api/v1/plans/{unit_code}/{year}", "get"),
        ("/api/v1/plans/{unit_code}/{year}", "put"),
        ("/api/v1/festivals/{id}/participants", "post"),
        ("/api/v1/festivals/{id}/participants", "get"),
        ("/api/v1/festivals/{id}/participants/import", "post"),
        ("/api/v1/festivals/{id}/participants/export", "get"),
        ("/api/v1/participants/{id}", "get"),
        ("/api/v1/participants/{id}", "patch"),
        ("/api/v1/participants/{id}", "delete"),
        ("/api/v1/public/festivals/{slug}/registrations", "post"),
        ("/api/v1/rsvp/{token}", "post"),
        ("/api/v1/festivals/{id}/checkins", "post"),
    ];
    for (path, method) in operations {
        assert!(doc["paths"][path][method].is_object(), "{method} {path} missing");
    }
    assert_eq!(doc["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");
    assert_eq!(doc["security"], serde_json::json!([{"bearer": []}]));
    for (path, method) in [
        ("/api/v1/auth/login", "post"),
        ("/api/v1/public/festivals/{slug}/registrations", "post"),
        ("/api/v1/rsvp/{token}", "post"),
    ] {
        assert_eq!(doc["paths"][path][method]["security"], serde_json::json!([{}]), "{method} {path} needs no login");
    }
    for schema in [
        "Festival",
        "NewFestival",
        "Host",
        "Problem",
        "ProgrammeItem",
        "Plan",
        "Participant",
        "NewParticipant",
        "RegistrationReceipt",
    ] {
        assert!(doc["components"]["schemas"][schema].is_object(), "schema {schema} missing");
    }
    // Every `$ref` leads somewhere: a client generator or /api/docs stops at a dangling one.
    let text = doc.to_string();
    for reference in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
        let name = reference.split('"').next().unwrap();
        assert!(doc["components"]["schemas"][name].is_object(), "$ref to missing schema {name}");
    }
}

#[tokio::test]
async fn docs_page_loads_nothing_from_other_hosts() {
    let app = spawn_app().await;
    let client = reqwest::Client::new(); // follows the redirect to /api/docs/
    let response = client.get(app.url("/api/docs")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.unwrap();
    assert!(html.contains("swagger-ui"), "{html}");
    assert!(!html.contains("https://") && !html.contains("http://"), "{html}");
    // Swagger UI's default online validator would send the document's address away.
    let initializer =
        client.get(app.url("/api/docs/swagger-initializer.js")).send().await.unwrap().text().await.unwrap();
    assert!(initializer.replace(' ', "").contains("\"validatorUrl\":\"none\""), "{initializer}");
}
