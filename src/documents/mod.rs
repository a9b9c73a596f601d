//! Documents in the official layout (Decree 30/2020/NĐ-CP; DOMAIN.md, *Document layout*):
//! pure functions from data to PDF bytes (no database, no HTTP), run off the async threads.
//! So far: the fonts and the check that entered text can be printed, the shared layout
//! pieces, and certificates (giấy khen).

pub mod certificate;
pub mod fonts;
pub mod layout;
