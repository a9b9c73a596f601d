//! Commendation (API.md, *Commendation*; DOMAIN.md, *Commendation* and *Movement models*;
//! Law 06/2022/QH15): issuers, movement models, nominations through council review,
//! numbered decisions, certificates with register numbers, public verification.

pub mod decisions;
pub mod issuers;
pub mod model;
pub mod models;
pub mod nominations;
pub mod numbering;
pub mod pages;
pub mod printing;
pub mod routes;
pub mod verify;
