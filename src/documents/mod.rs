//! Documents in the official layout (Decree 30/2020/NĐ-CP; DOMAIN.md, *Document layout*):
//! pure functions from data to PDF bytes (no database, no HTTP), run off the async threads:
//! invitations (giấy mời), decisions (quyết định), certificates (giấy khen) and the yearly
//! summary report (báo cáo tổng kết), built from the shared pieces of `layout` (and `flow` for
//! those running over several pages) with the fonts of `fonts`.

pub mod certificate;
pub mod decision;
pub mod flow;
pub mod fonts;
pub mod invitation;
pub mod layout;
pub mod pdf;
pub mod summary;
mod truetype;
