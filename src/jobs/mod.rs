//! Background jobs (API.md, *Mail*: the job and progress API): long work such as printing a
//! thousand invitations runs on the worker of one app instance, its progress kept in the
//! database so any instance can report it, and taken over if its instance dies.

pub mod model;
pub mod pages;
pub mod routes;
pub mod service;
pub mod worker;
