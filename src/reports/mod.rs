//! Reports for organizers (API.md, *Reports*): coverage of festivals by area, the calendar of
//! a range of days, leaders invited to festivals too close together, the hosts' reports on
//! their festivals and the yearly summary.

pub mod conflicts;
pub mod coverage;
pub mod pages;
pub mod routes;
mod sheets;
pub mod summary;

use crate::areas::model::Area;

/// The file of a report of `year` about `area`: `{stem}-{year}-{place}.{extension}`, the place
/// being the unit's code, `don-vi-{id}` for a host and `toan-quoc` for the whole country, alike
/// for every report (e.g. `tong-hop-2025-27031.xlsx`, `bao-cao-ngay-hoi-2025-toan-quoc.xlsx`).
pub fn file_name(stem: &str, year: i32, area: &Area, extension: &str) -> String {
    let place = match area {
        Area::Country => "toan-quoc".to_owned(),
        Area::Province(code) | Area::Commune(code) => code.clone(),
        Area::Host(id) => format!("don-vi-{id}"),
    };
    format!("{stem}-{year}-{place}.{extension}")
}
