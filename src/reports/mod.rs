//! Reports for organizers (API.md, *Reports*): coverage of festivals by area and the
//! calendar of a range of days. Guest conflicts and the yearly summary follow.

pub mod coverage;
pub mod pages;
pub mod routes;
