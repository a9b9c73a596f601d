//! Shared HTTP pieces: the problem+json mapping of `AppError`, request extractors, templates,
//! embedded static assets and the HTML page plumbing.

pub mod assets;
pub mod client_ip;
pub mod extract;
pub mod pages;
pub mod problem;
pub mod rate_limit;
pub mod session;
pub mod templates;
