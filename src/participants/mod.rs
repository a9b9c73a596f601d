//! People of a festival (API.md, *People*; DOMAIN.md, *People's data*): residents, guests,
//! officials, performers and volunteers entered by organizers or imported from spreadsheets,
//! public self-registration with capacity and waitlist, RSVP links, and check-in.

pub mod identity;
pub mod invitations;
pub mod model;
pub mod names;
pub mod pages;
pub mod public;
pub mod queue;
pub mod routes;
pub mod seats;
pub mod service;
pub mod sheet;
pub mod transfer;
