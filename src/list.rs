//! Paging of lists (API.md: `?page=&per_page=`, default 50, max 500; body `{items, total}`),
//! and the search text of their `?q=`.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::{AppResult, FieldErrors};
use crate::text::fold;

/// Largest page a client may ask for.
pub const MAX_PER_PAGE: u64 = 500;
const DEFAULT_PER_PAGE: u64 = 50;

/// `?page=&per_page=` as sent; [`PageParams::paging`] checks it.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Page number, from 1 (default 1).
    pub page: Option<u64>,
    /// Items per page, 1 to 500 (default 50).
    pub per_page: Option<u64>,
}

/// A valid page request: `page` ≥ 1, `per_page` in 1..=500.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    pub page: u64,
    pub per_page: u64,
}

impl Default for Paging {
    fn default() -> Self {
        Self { page: 1, per_page: DEFAULT_PER_PAGE }
    }
}

impl Paging {
    /// Zero-based page index, as sea-orm's paginator counts.
    pub fn index(&self) -> u64 {
        self.page - 1
    }
}

impl PageParams {
    /// Errors: 422 naming `page` or `per_page` when out of range.
    pub fn paging(&self) -> AppResult<Paging> {
        let mut errors = FieldErrors::default();
        let page = errors.check(
            "page",
            match self.page.unwrap_or(1) {
                0 => Err("Số trang bắt đầu từ 1.".to_owned()), // "Pages start at 1."
                page => Ok(page),
            },
        );
        let per_page = errors.check(
            "per_page",
            match self.per_page.unwrap_or(DEFAULT_PER_PAGE) {
                n @ 1..=MAX_PER_PAGE => Ok(n),
                // "Between 1 and 500 items per page."
                _ => Err(format!("Mỗi trang từ 1 đến {MAX_PER_PAGE} mục.")),
            },
        );
        let (Some(page), Some(per_page)) = (page, per_page) else {
            return Err(errors.into());
        };
        Ok(Paging { page, per_page })
    }
}

/// A list's `?q=` folded like the stored search keys ([`fold`]: "Tân Phú" → "tan phu"), to
/// find as one piece inside them; blank → no search. `%`, `_` and `\` are dropped so they
/// cannot act as LIKE wildcards.
pub fn search_key(raw: Option<&str>) -> Option<String> {
    let key = fold(raw?).replace(['%', '_', '\\'], "");
    (!key.is_empty()).then_some(key)
}

/// One page of a list and the total number of items matching the filters.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
}

impl<T> Page<T> {
    /// The page `paging` of a list already loaded whole (short lists: issuers, decisions of a
    /// scope, a register year).
    pub fn of(items: Vec<T>, paging: Paging) -> Self {
        let total = items.len() as u64;
        let skip = usize::try_from(paging.index() * paging.per_page).unwrap_or(usize::MAX);
        let take = usize::try_from(paging.per_page).unwrap_or(usize::MAX);
        Self { items: items.into_iter().skip(skip).take(take).collect(), total }
    }

    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page { items: self.items.into_iter().map(f).collect(), total: self.total }
    }
}
