//! Reports for organizers (API.md, *Reports*): coverage of festivals by area. Calendar,
//! guest conflicts and the yearly summary follow.

pub mod coverage;
pub mod pages;
pub mod routes;
