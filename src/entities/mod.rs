//! sea-orm entities (dense format), one per table of the `migration` crate.
//! Columns holding a closed set of values use the domain enums directly.

pub mod admin_unit;
pub mod committee_member;
pub mod festival;
pub mod host;
pub mod programme_item;
pub mod yearly_plan;
