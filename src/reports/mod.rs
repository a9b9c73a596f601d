//! Reports for organizers (API.md, *Reports*): coverage of festivals by area, the calendar of
//! a range of days, and leaders invited to festivals too close together. The yearly summary
//! follows.

pub mod conflicts;
pub mod coverage;
pub mod pages;
pub mod routes;
