//! The paging of every console list: which page was asked for, the rows to fetch for it, and
//! the links of the paging bar (`templates/console/paging.html`, included by each list).

use openentry_types::paging::Paging;

/// One list's page and the way to its neighbours.
#[derive(Debug, Clone)]
pub(crate) struct Pager {
    /// The page shown, from 1.
    pub(crate) page: u32,
    /// How many pages there are (at least 1).
    pub(crate) pages: u32,
    /// The list's path and kept filters, ready for `page=N` (`/admin/orders?status=paid&`).
    link: String,
    per_page: u32,
}

impl Pager {
    /// The pager of `path` for the asked page (`None` or 0 mean the first), keeping the
    /// filters in `keep` (a query string without `page`, possibly empty).
    pub(crate) fn new(path: &str, keep: &str, asked: Option<u32>, per_page: u32) -> Self {
        let link = if keep.is_empty() {
            format!("{path}?")
        } else {
            format!("{path}?{keep}&")
        };
        Self {
            page: asked.unwrap_or(1).max(1),
            pages: 1,
            link,
            per_page: per_page.max(1),
        }
    }

    /// The rows to fetch for the page.
    pub(crate) fn paging(&self) -> Paging {
        Paging::new((self.page - 1).saturating_mul(self.per_page), self.per_page)
    }

    /// The first row's index, for lists held in memory.
    pub(crate) fn skip(&self) -> usize {
        usize::try_from((self.page - 1).saturating_mul(self.per_page)).unwrap_or(usize::MAX)
    }

    /// How many rows a page holds.
    pub(crate) fn take(&self) -> usize {
        usize::try_from(self.per_page).unwrap_or(usize::MAX)
    }

    /// Records how many rows the list has (a store's `i64` count or a list's length; a
    /// negative count is none), which sets the number of pages.
    pub(crate) fn total(mut self, total: impl TryInto<u64>) -> Self {
        let total: u64 = total.try_into().unwrap_or(0);
        self.pages = u32::try_from(total.div_ceil(u64::from(self.per_page)))
            .unwrap_or(u32::MAX)
            .max(1);
        self
    }

    /// The link to page `n`.
    fn href(&self, n: u32) -> String {
        format!("{}page={n}", self.link)
    }

    /// The link to the previous page, if there is one.
    pub(crate) fn prev_href(&self) -> Option<String> {
        (self.page > 1).then(|| self.href(self.page - 1))
    }

    /// The link to the next page, if there is one.
    pub(crate) fn next_href(&self) -> Option<String> {
        (self.page < self.pages).then(|| self.href(self.page + 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_keep_filters_and_pages_round_up() {
        let p = Pager::new("/admin/orders", "status=paid", Some(2), 25).total(51);
        assert_eq!(p.pages, 3);
        assert_eq!(p.next_href().unwrap(), "/admin/orders?status=paid&page=3");
        assert_eq!(p.prev_href().unwrap(), "/admin/orders?status=paid&page=1");
        let q = Pager::new("/admin/payments", "", None, 25).total(0);
        assert_eq!(
            (q.page, q.pages, q.prev_href(), q.next_href()),
            (1, 1, None, None)
        );
        assert_eq!(
            Pager::new("/x", "", Some(0), 10).paging(),
            Paging::new(0, 10)
        );
    }
}
