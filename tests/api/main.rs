//! Integration tests: each test starts the real application on a free port with its own
//! database (a fresh SQLite file, or a fresh PostgreSQL schema when `TEST_DATABASE_URL` is
//! set) and talks to it over HTTP.

mod account_pages;
mod accounts;
mod authorization;
mod browser;
mod commendation;
mod commendation_pages;
mod documents;
mod festivals;
mod helpers;
mod hosts;
mod import;
mod mail;
mod mail_pages;
mod openapi;
mod pages;
mod participant_pages;
mod participants;
mod plans;
mod print_pages;
mod registration;
mod report_pages;
mod reports;
mod search;
mod service;
#[path = "../support/smtp_server.rs"]
mod smtp_server;
mod units;
