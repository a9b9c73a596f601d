//! ngayhoi plans the All-People Security Festival (Ngày hội Toàn dân bảo vệ an ninh Tổ quốc)
//! of every host each year. The crate is a library so that the integration tests can start the
//! real application in-process; `main.rs` only parses the command line.

pub mod app;
pub mod areas;
pub mod auth;
pub mod codes;
pub mod commendation;
pub mod config;
pub mod database;
pub mod demo;
pub mod documents;
pub mod entities;
pub mod error;
pub mod festivals;
pub mod jobs;
pub mod list;
pub mod mail;
pub mod participants;
pub mod printing;
pub mod reports;
pub mod telemetry;
pub mod text;
pub mod time;
pub mod web;
