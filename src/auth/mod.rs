//! Accounts, roles and scope: who may see and change what (issue: each officer sees and
//! changes only their own area), login tokens, failed-login limits and the audit log.

pub mod audit;
pub mod extract;
pub mod model;
pub mod pages;
pub mod password;
pub mod rate_limit;
pub mod repo;
pub mod routes;
pub mod search_keys;
pub mod service;
pub mod tokens;
