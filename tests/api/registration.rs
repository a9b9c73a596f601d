//! Public self-registration with capacity and waitlist, under concurrency, and RSVP links
//! (API.md, *People*).

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

/// An open festival next year with `capacity` seats; returns (id, slug).
pub async fn open_festival(app: &TestApp, capacity: Option<u32>, waitlist: bool) -> (i64, String) {
    let host = app.create_host("Tổ dân phố 7", COMMUNE_HCM).await;
    let body = json!({
        "host_id": host["id"], "year": 2027,
        "starts_at": "2027-08-15T19:30:00+07:00", "ends_at": "2027-08-15T22:00:00+07:00",
        "venue": "Nhà văn hóa khu phố", "capacity": capacity, "registration_open": true, "waitlist": waitlist,
    });
    let festival = expect_json(app.post("/api/v1/festivals", &body).await, StatusCode::CREATED).await;
    (festival["id"].as_i64().unwrap(), festival["slug"].as_str().unwrap().to_owned())
}

async fn register(app: &TestApp, slug: &str, body: &Value) -> reqwest::Response {
    let path = format!("/api/v1/public/festivals/{slug}/registrations");
    app.client.post(app.url(&path)).json(body).send().await.expect("sent")
}

fn person(i: usize) -> Value {
    json!({"full_name": format!("Người Dân Số {}", spelled(i)), "phone": format!("09{i:08}")})
}

async fn counts(app: &TestApp, festival: i64) -> Value {
    app.get_json(&format!("/api/v1/festivals/{festival}/participants/counts")).await
}

/// The seat counters kept on the festival row, which must agree with the participants.
async fn stored_counters(app: &TestApp, festival: i64) -> (i32, i32) {
    use sea_orm::EntityTrait;
    let row = ngayhoi::entities::festival::Entity::find_by_id(festival as i32).one(&app.db).await.unwrap().unwrap();
    (row.confirmed_count, row.waitlisted_count)
}

/// The RSVP token at the end of an `rsvp_url`.
fn token_of(receipt: &Value) -> String {
    receipt["rsvp_url"].as_str().unwrap().rsplit('/').next().unwrap().to_owned()
}

#[tokio::test]
async fn registration_confirms_until_full_then_waitlists() {
    let app = spawn_app().await;
    let (festival, slug) = open_festival(&app, Some(2), true).await;
    let first = expect_json(register(&app, &slug, &person(1)).await, StatusCode::CREATED).await;
    assert_eq!(first["status"], "confirmed");
    let url = first["rsvp_url"].as_str().unwrap();
    assert!(url.starts_with(&format!("{}/r/", app.address)), "{url}");
    assert!(token_of(&first).len() >= 32, "128 bits at least");
    expect_json(register(&app, &slug, &person(2)).await, StatusCode::CREATED).await;
    let third = expect_json(register(&app, &slug, &person(3)).await, StatusCode::CREATED).await;
    assert_eq!(third["status"], "waitlisted");
    assert_eq!(third["waitlist_position"], 1);
    let counts = counts(&app, festival).await;
    assert_eq!((counts["confirmed"].as_u64(), counts["waitlisted"].as_u64()), (Some(2), Some(1)));
    // The same name and phone again is refused.
    expect_problem(register(&app, &slug, &person(1)).await, StatusCode::CONFLICT).await;
}

#[tokio::test]
async fn a_full_festival_without_waitlist_refuses() {
    let app = spawn_app().await;
    let (_, slug) = open_festival(&app, Some(1), false).await;
    expect_json(register(&app, &slug, &person(1)).await, StatusCode::CREATED).await;
    let problem = expect_problem(register(&app, &slug, &person(2)).await, StatusCode::CONFLICT).await;
    assert!(problem["detail"].as_str().unwrap().contains("hết chỗ"), "{problem}");
}

#[tokio::test]
async fn closed_cancelled_and_past_festivals_refuse_registration() {
    let app = spawn_app().await;
    let (festival, slug) = open_festival(&app, None, true).await;
    let path = format!("/api/v1/festivals/{festival}");
    expect_json(app.patch(&path, &json!({"registration_open": false})).await, StatusCode::OK).await;
    expect_problem(register(&app, &slug, &person(1)).await, StatusCode::CONFLICT).await;
    expect_json(app.patch(&path, &json!({"registration_open": true})).await, StatusCode::OK).await;
    expect_json(register(&app, &slug, &person(1)).await, StatusCode::CREATED).await;
    let cancel = json!({"status": "cancelled"});
    expect_json(app.post(&format!("{path}/status"), &cancel).await, StatusCode::OK).await;
    expect_problem(register(&app, &slug, &person(2)).await, StatusCode::CONFLICT).await;

    // A festival of 2025 is over.
    let host = app.create_host("Ấp Bình Thạnh", COMMUNE_HCM).await;
    let mut body = festival_body(host["id"].as_i64().unwrap());
    body["registration_open"] = json!(true);
    let past = expect_json(app.post("/api/v1/festivals", &body).await, StatusCode::CREATED).await;
    let problem =
        expect_problem(register(&app, past["slug"].as_str().unwrap(), &person(3)).await, StatusCode::CONFLICT).await;
    assert!(problem["detail"].as_str().unwrap().contains("đã diễn ra"), "{problem}");
    expect_problem(register(&app, "khong-co-2027-abcdef", &person(4)).await, StatusCode::NOT_FOUND).await;
}

#[tokio::test]
async fn bad_registrations_are_named_and_the_honeypot_is_refused() {
    let app = spawn_app().await;
    let (festival, slug) = open_festival(&app, None, true).await;
    let bad = json!({"full_name": "", "phone": "12345", "email": "x@"});
    let problem = expect_problem(register(&app, &slug, &bad).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["full_name", "email", "phone"]);
    let bot = json!({"full_name": "Bot", "website": "http://spam.example"});
    let problem = expect_problem(register(&app, &slug, &bot).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["website"]);
    assert_eq!(counts(&app, festival).await["total"], 0);
}

#[tokio::test]
async fn public_registration_is_rate_limited_per_address() {
    let app = spawn_app_with(|config| config.public_rate_limit = 3).await;
    let (_, slug) = open_festival(&app, None, true).await;
    for i in 0..3 {
        expect_json(register(&app, &slug, &person(i)).await, StatusCode::CREATED).await;
    }
    let response = register(&app, &slug, &person(9)).await;
    let retry_after = response.headers().get("retry-after").cloned();
    expect_problem(response, StatusCode::TOO_MANY_REQUESTS).await;
    let seconds: u64 = retry_after.expect("Retry-After").to_str().unwrap().parse().unwrap();
    assert!((1..=20).contains(&seconds), "{seconds}");
}

#[tokio::test]
async fn declining_frees_the_seat_for_the_first_on_the_waitlist() {
    let app = spawn_app().await;
    let (festival, slug) = open_festival(&app, Some(1), true).await;
    let seated = expect_json(register(&app, &slug, &person(1)).await, StatusCode::CREATED).await;
    let first_waiting = expect_json(register(&app, &slug, &person(2)).await, StatusCode::CREATED).await;
    let second_waiting = expect_json(register(&app, &slug, &person(3)).await, StatusCode::CREATED).await;
    assert_eq!(second_waiting["waitlist_position"], 2);

    // The RSVP page data shows the person's own registration.
    let token = token_of(&seated);
    let view =
        expect_json(app.client.get(app.url(&format!("/api/v1/rsvp/{token}"))).send().await.unwrap(), StatusCode::OK)
            .await;
    assert_eq!(
        (view["full_name"].as_str(), view["registration"].as_str()),
        (Some("Người Dân Số Một"), Some("confirmed"))
    );

    let decline = json!({"response": "decline"});
    let rsvp = |token: String| app.client.post(app.url(&format!("/api/v1/rsvp/{token}"))).json(&decline).send();
    let declined = expect_json(rsvp(token.clone()).await.unwrap(), StatusCode::OK).await;
    assert_eq!(declined["rsvp"], "declined");
    assert_eq!(declined["registration"], Value::Null);
    // Promoted in arrival order: the first waiting gets the seat, the second still waits.
    let promoted = expect_json(
        app.client.get(app.url(&format!("/api/v1/rsvp/{}", token_of(&first_waiting)))).send().await.unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(promoted["registration"], "confirmed");
    let now = counts(&app, festival).await;
    assert_eq!((now["confirmed"].as_u64(), now["waitlisted"].as_u64()), (Some(1), Some(1)));
    // Declining twice changes nothing; accepting again queues at the end.
    expect_json(rsvp(token.clone()).await.unwrap(), StatusCode::OK).await;
    let accept = json!({"response": "accept"});
    let back = app.client.post(app.url(&format!("/api/v1/rsvp/{token}"))).json(&accept).send().await.unwrap();
    assert_eq!(expect_json(back, StatusCode::OK).await["registration"], "waitlisted");
    let now = counts(&app, festival).await;
    assert_eq!((now["confirmed"].as_u64(), now["waitlisted"].as_u64()), (Some(1), Some(2)));
    assert_eq!(stored_counters(&app, festival).await, (1, 2));
    // Coming back after declining queues behind those already waiting: one more seat goes to
    // the third person, who waited longer.
    let path = format!("/api/v1/festivals/{festival}");
    expect_json(app.patch(&path, &json!({"capacity": 2})).await, StatusCode::OK).await;
    let view = |receipt: &Value| app.client.get(app.url(&format!("/api/v1/rsvp/{}", token_of(receipt)))).send();
    let third = expect_json(view(&second_waiting).await.unwrap(), StatusCode::OK).await;
    assert_eq!(third["registration"], "confirmed");
    let first = expect_json(view(&seated).await.unwrap(), StatusCode::OK).await;
    assert_eq!((first["registration"].as_str(), first["waitlist_position"].as_u64()), (Some("waitlisted"), Some(1)));
    // At the door, a waitlisted person is let in with a warning for the organizer.
    let code = json!({"code": seated["checkin_code"]});
    let at_door = expect_json(app.post(&format!("{path}/checkins"), &code).await, StatusCode::OK).await;
    assert_eq!(at_door["warnings"][0]["field"], "registration", "{at_door}");
    // An unknown token is a 404.
    let unknown = app.client.get(app.url("/api/v1/rsvp/00000000000000000000000000000000")).send().await.unwrap();
    expect_problem(unknown, StatusCode::NOT_FOUND).await;
}

#[tokio::test]
async fn more_seats_let_the_waitlist_in_in_arrival_order() {
    let app = spawn_app().await;
    let (festival, slug) = open_festival(&app, Some(1), true).await;
    for i in 1..=4 {
        expect_json(register(&app, &slug, &person(i)).await, StatusCode::CREATED).await;
    }
    let path = format!("/api/v1/festivals/{festival}");
    expect_json(app.patch(&path, &json!({"capacity": 3})).await, StatusCode::OK).await;
    let confirmed = app.get_json(&format!("{path}/participants?registration=confirmed&sort=created")).await;
    let mut names: Vec<&str> =
        confirmed["items"].as_array().unwrap().iter().map(|p| p["full_name"].as_str().unwrap()).collect();
    names.sort_unstable();
    assert_eq!(names, ["Người Dân Số Ba", "Người Dân Số Hai", "Người Dân Số Một"]);
    assert_eq!(stored_counters(&app, festival).await, (3, 1));
    // Fewer seats never take a seat away from someone who has it.
    let fewer = expect_json(app.patch(&path, &json!({"capacity": 1})).await, StatusCode::OK).await;
    assert_eq!(fewer["warnings"][0]["field"], "capacity", "{fewer}");
    assert_eq!(stored_counters(&app, festival).await, (3, 1));
    expect_json(app.patch(&path, &json!({"capacity": null})).await, StatusCode::OK).await;
    assert_eq!(stored_counters(&app, festival).await, (4, 0));
}

#[tokio::test]
async fn deleting_a_confirmed_registrant_promotes_the_waitlist() {
    let app = spawn_app().await;
    let (festival, slug) = open_festival(&app, Some(1), true).await;
    expect_json(register(&app, &slug, &person(1)).await, StatusCode::CREATED).await;
    expect_json(register(&app, &slug, &person(2)).await, StatusCode::CREATED).await;
    let listed = app.get_json(&format!("/api/v1/festivals/{festival}/participants?registration=confirmed")).await;
    let id = listed["items"][0]["id"].as_i64().unwrap();
    assert_eq!(app.delete(&format!("/api/v1/participants/{id}")).await.status(), StatusCode::NO_CONTENT);
    let listed = app.get_json(&format!("/api/v1/festivals/{festival}/participants?registration=confirmed")).await;
    assert_eq!(listed["items"][0]["full_name"], "Người Dân Số Hai");
}

#[tokio::test]
async fn an_organizer_gets_a_new_rsvp_link_for_an_invited_guest() {
    let app = spawn_app().await;
    let (festival, _) = open_festival(&app, None, true).await;
    let path = format!("/api/v1/festivals/{festival}/participants");
    let body = json!({"full_name": "Võ Thị Sáu", "role": "official", "invited": true});
    let guest = expect_json(app.post(&path, &body).await, StatusCode::CREATED).await;
    let link = app.post(&format!("/api/v1/participants/{}/rsvp-link", guest["id"]), &json!({})).await;
    let link = expect_json(link, StatusCode::OK).await;
    let token = token_of(&link);
    let accept = json!({"response": "accept"});
    let answered = app.client.post(app.url(&format!("/api/v1/rsvp/{token}"))).json(&accept).send().await.unwrap();
    let answered = expect_json(answered, StatusCode::OK).await;
    assert_eq!((answered["rsvp"].as_str(), answered["registration"].as_str()), (Some("accepted"), None));
    assert_eq!(counts(&app, festival).await["accepted"], 1);
}

/// `n` registrations at once, spread over `apps`; returns the statuses.
async fn register_concurrently(apps: &[TestApp], slug: &str, n: usize) -> Vec<String> {
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..n {
        let app = apps[i % apps.len()].clone();
        let slug = slug.to_owned();
        tasks.spawn(async move {
            let receipt = expect_json(register(&app, &slug, &person(i)).await, StatusCode::CREATED).await;
            receipt["status"].as_str().unwrap().to_owned()
        });
    }
    tasks.join_all().await
}

fn tally(statuses: &[String]) -> (usize, usize) {
    let confirmed = statuses.iter().filter(|s| *s == "confirmed").count();
    (confirmed, statuses.iter().filter(|s| *s == "waitlisted").count())
}

#[tokio::test]
async fn five_hundred_concurrent_registrations_for_a_hundred_seats() {
    let app = spawn_app_with(|config| config.public_rate_limit = 0).await;
    let (festival, slug) = open_festival(&app, Some(100), true).await;
    let statuses = register_concurrently(std::slice::from_ref(&app), &slug, 500).await;
    assert_eq!(tally(&statuses), (100, 400));
    let counts = counts(&app, festival).await;
    assert_eq!((counts["confirmed"].as_u64(), counts["waitlisted"].as_u64()), (Some(100), Some(400)));
    assert_eq!(stored_counters(&app, festival).await, (100, 400));
}

#[tokio::test]
async fn two_instances_on_one_database_never_overbook() {
    let app = spawn_app_with(|config| config.public_rate_limit = 0).await;
    let other = second_instance(&app, |config| config.public_rate_limit = 0).await;
    let (festival, slug) = open_festival(&app, Some(100), true).await;
    let statuses = register_concurrently(&[app.clone(), other], &slug, 500).await;
    assert_eq!(tally(&statuses), (100, 400));
    let counts = counts(&app, festival).await;
    assert_eq!((counts["confirmed"].as_u64(), counts["waitlisted"].as_u64()), (Some(100), Some(400)));
    assert_eq!(stored_counters(&app, festival).await, (100, 400));
}
