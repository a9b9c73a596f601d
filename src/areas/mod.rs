//! The administrative map (provinces and communes, 2025) and the hosts under it: residential
//! areas, agencies, enterprises and schools.

pub mod model;
pub mod pages;
pub mod repo;
pub mod routes;
pub mod seed;
pub mod service;
