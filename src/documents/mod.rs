//! Documents in the official layout (Decree 30/2020/NĐ-CP; DOMAIN.md, *Document layout*).
//! So far: the fonts they are printed in, and the check that entered text can be printed.

pub mod fonts;
