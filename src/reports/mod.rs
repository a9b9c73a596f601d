//! Reports for organizers (API.md, *Reports*): coverage of festivals by area, the calendar of
//! a range of days, leaders invited to festivals too close together, the hosts' reports on
//! their festivals and the yearly summary.

pub mod conflicts;
pub mod coverage;
pub mod pages;
pub mod routes;
pub mod summary;
