//! sea-orm entities (dense format), one per table of the `migration` crate.
//! Columns holding a closed set of values use the domain enums directly.

pub mod admin_unit;
pub mod audit_event;
pub mod auth_token;
pub mod certificate;
pub mod committee_member;
pub mod decision;
pub mod document_counter;
pub mod festival;
pub mod festival_report;
pub mod host;
pub mod issuer;
pub mod job;
pub mod job_file;
pub mod login_failure;
pub mod mail_suppression;
pub mod movement_model;
pub mod nomination;
pub mod outbox_message;
pub mod participant;
pub mod programme_item;
pub mod server_secret;
pub mod user;
pub mod yearly_plan;
