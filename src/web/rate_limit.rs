//! Per-IP limit of public requests (registrations, verification look-ups): `PUBLIC_RATE_LIMIT`
//! per minute (API.md, *Configuration*), by the `governor` crate's GCRA.
//!
//! The counts live in each app instance's memory: with N instances behind a balancer an address
//! gets up to N times the limit. That is enough against a script hammering one festival, and
//! keeps public requests free of extra database writes.

use std::net::IpAddr;
use std::num::NonZeroU32;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::error::AppError;

/// Addresses remembered before forgotten ones are swept out.
const SWEEP_ABOVE: usize = 10_000;

pub struct PublicRateLimit {
    limiter: DefaultKeyedRateLimiter<IpAddr>,
}

impl PublicRateLimit {
    /// `per_minute` requests per address, as a burst that refills evenly over the minute;
    /// 0 switches the limit off.
    pub fn new(per_minute: u32) -> Option<Self> {
        let quota = Quota::per_minute(NonZeroU32::new(per_minute)?);
        Some(Self { limiter: RateLimiter::keyed(quota) })
    }

    /// Errors: 429 with the seconds until the next request from `ip` is allowed.
    pub fn check(&self, ip: IpAddr) -> Result<(), AppError> {
        if self.limiter.len() > SWEEP_ABOVE {
            self.limiter.retain_recent();
        }
        self.limiter.check_key(&ip).map_err(|not_until| AppError::RateLimited {
            retry_after_secs: not_until.wait_time_from(DefaultClock::default().now()).as_secs().max(1),
        })
    }
}
