//! Festivals: one per host per year, with their programme, organizing committee and status,
//! and the yearly plans of provinces and communes that set the window for them.

pub mod model;
pub mod pages;
pub mod plans;
pub mod programme;
pub mod repo;
pub mod routes;
pub mod service;
