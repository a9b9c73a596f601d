//! Loads 3,321 communes × 30 hosts (99,630) with festivals of 2026 in every state (a tenth
//! with none), then times the coverage report for the whole country and for one province,
//! as the API computes it (one aggregate query per view):
//!
//!     cargo run --release --example coverage_bench -- [DATABASE_URL]
//!
//! Default: a fresh SQLite file in a temporary folder. Prints median and 95th percentile of
//! 50 runs of each view, and of the first page of August's calendar.

use std::time::{Duration, Instant};

use chrono::{NaiveDate, TimeZone, Utc};
use ngayhoi::areas::model::HostKind;
use ngayhoi::auth::model::Actor;
use ngayhoi::entities::{admin_unit, festival, host};
use ngayhoi::festivals::model::{FestivalFilter, FestivalStatus};
use ngayhoi::festivals::service as festivals;
use ngayhoi::list::Paging;
use ngayhoi::reports::coverage::coverage;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, Iterable, QueryFilter, Set};

const HOSTS_PER_COMMUNE: usize = 30;
const RUNS: usize = 50;

fn percentiles(mut times: Vec<Duration>) -> (Duration, Duration) {
    times.sort();
    (times[times.len() / 2], times[times.len() * 95 / 100])
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let folder = tempfile::tempdir()?;
    let url =
        std::env::args().nth(1).unwrap_or_else(|| format!("sqlite://{}/bench.db?mode=rwc", folder.path().display()));
    let db = ngayhoi::database::connect(&url).await?;
    ngayhoi::areas::seed::load_admin_units(&db).await?;
    let communes = admin_unit::Entity::find().filter(admin_unit::Column::ParentCode.is_not_null()).all(&db).await?;
    let started = Instant::now();
    let kinds = [
        HostKind::ResidentialArea,
        HostKind::ResidentialArea,
        HostKind::ResidentialArea,
        HostKind::School,
        HostKind::Agency,
    ];
    let now = Utc::now();
    let mut rows = Vec::new();
    for commune in &communes {
        for i in 0..HOSTS_PER_COMMUNE {
            rows.push(host::ActiveModel {
                name: Set(format!("Tổ dân phố {i}")),
                name_key: Set(format!("to dan pho {i}")),
                kind: Set(kinds[i % kinds.len()]),
                unit_code: Set(commune.code.clone()),
                province_code: Set(commune.parent_code.clone().unwrap_or_default()),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            });
        }
    }
    for chunk in rows.chunks(500) {
        host::Entity::insert_many(chunk.to_vec()).exec_without_returning(&db).await?;
    }
    let ids: Vec<i32> = host::Entity::find().all(&db).await?.into_iter().map(|row| row.id).collect();
    // Every status in turn, so each state shows up.
    let statuses: Vec<FestivalStatus> = FestivalStatus::iter().collect();
    let day = Utc.with_ymd_and_hms(2026, 8, 19, 1, 0, 0).single().ok_or_else(|| anyhow::anyhow!("date"))?;
    let festivals: Vec<festival::ActiveModel> = ids
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 10 != 0)
        .map(|(i, id)| festival::ActiveModel {
            host_id: Set(*id),
            year: Set(2026),
            title: Set("Ngày hội Toàn dân bảo vệ an ninh Tổ quốc năm 2026".into()),
            starts_at: Set(day),
            ends_at: Set(day + chrono::Duration::hours(3)),
            venue: Set("Nhà văn hóa".into()),
            capacity: Set(None),
            registration_open: Set(false),
            waitlist: Set(true),
            issuer_id: Set(None),
            status: Set(statuses[i % statuses.len()]),
            slug: Set(format!("bench-{id}")),
            budget_note: Set(String::new()),
            confirmed_count: Set(0),
            waitlisted_count: Set(0),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        })
        .collect();
    for chunk in festivals.chunks(500) {
        festival::Entity::insert_many(chunk.to_vec()).exec_without_returning(&db).await?;
    }
    // Statistics for the planner, as autovacuum (PostgreSQL) or `ANALYZE` would gather them
    // on a database in use.
    db.execute_unprepared("ANALYZE").await?;
    println!(
        "loaded {} hosts and {} festivals in {:.1} s",
        ids.len(),
        festivals.len(),
        started.elapsed().as_secs_f64()
    );

    let admin = Actor::system();
    for (label, unit) in [("country", None), ("province 79", Some("79")), ("commune 27031", Some("27031"))] {
        let mut times = Vec::with_capacity(RUNS);
        let mut hosts = 0;
        for _ in 0..RUNS {
            let started = Instant::now();
            let report = coverage(&db, &admin, 2026, unit).await?;
            times.push(started.elapsed());
            hosts = report.totals.hosts;
        }
        let (median, p95) = percentiles(times);
        println!(
            "coverage {label:<14} {hosts:>6} hosts: median {:.1} ms, p95 {:.1} ms",
            median.as_secs_f64() * 1e3,
            p95.as_secs_f64() * 1e3
        );
    }
    // The calendar of August: the first page of 50, as `GET /api/v1/calendar` answers it.
    let august = |unit: Option<&str>| FestivalFilter {
        unit: unit.map(str::to_owned),
        from: NaiveDate::from_ymd_opt(2026, 8, 1),
        to: NaiveDate::from_ymd_opt(2026, 8, 31),
        ..FestivalFilter::default()
    };
    for (label, unit) in [("country", None), ("province 79", Some("79"))] {
        let mut times = Vec::with_capacity(RUNS);
        let mut total = 0;
        for _ in 0..RUNS {
            let started = Instant::now();
            let page = festivals::list(&db, &admin, &august(unit), Paging { page: 1, per_page: 50 }).await?;
            times.push(started.elapsed());
            total = page.total;
        }
        let (median, p95) = percentiles(times);
        println!(
            "calendar {label:<14} {total:>6} in August: median {:.1} ms, p95 {:.1} ms",
            median.as_secs_f64() * 1e3,
            p95.as_secs_f64() * 1e3
        );
    }
    Ok(())
}
