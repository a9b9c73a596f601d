//! Documents in the official layout (Decree 30/2020/NĐ-CP; DOMAIN.md, *Document layout*):
//! pure functions from data to PDF bytes (no database, no HTTP), run off the async threads:
//! invitations (giấy mời), decisions (quyết định) and certificates (giấy khen), built from the
//! shared pieces of `layout` with the fonts of `fonts`.

pub mod certificate;
pub mod decision;
pub mod fonts;
pub mod invitation;
pub mod layout;
pub mod pdf;
