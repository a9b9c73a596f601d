//! E-mailing invitations (API.md, *Mail*): a durable outbox in the database, delivery workers
//! in every app instance that claim messages so that none is sent twice, retries with
//! backoff, and the log. Messages carry the invitation PDF and a calendar file.

pub mod compose;
pub mod model;
pub mod pages;
pub mod routes;
pub mod service;
pub mod transport;
pub mod unsubscribe;
pub mod worker;
