//! Keyset paging over a listing that only pages by number (WooCommerce, Shoper): the
//! listing is sorted by id, and the customers wanted are those after the cursor's last id.
//!
//! A page number is only a position, and positions shift when customers are deleted
//! while the fetch runs: the page that followed would now skip one. So the fetch reads the
//! page that holds the last customer it saw, and requires it to start at or before that
//! customer; when it does not (customers before it were deleted), it steps back a page.
//! Customers created meanwhile get higher ids and come at the end. No customer is read
//! twice (ids up to the last are passed over) and none is skipped.

use crate::Cursor;
use crate::error::Result;

/// One page of a listing sorted by id.
pub(crate) struct Listing<T> {
    pub records: Vec<T>,
    /// The listing's total, where the platform says it.
    pub total: Option<u64>,
}

/// The records after `cursor.last_id`, the cursor after them (`None` when the listing
/// ended), and the total. `fetch(page)` reads the 1-based page of `per_page` records.
pub(crate) fn after<T>(
    cursor: &Cursor,
    per_page: u64,
    id: impl Fn(&T) -> u64,
    mut fetch: impl FnMut(u64) -> Result<Listing<T>>,
) -> Result<(Vec<T>, Option<Cursor>, Option<u64>)> {
    // The page that held the last customer seen.
    let mut page = if cursor.last_id == 0 {
        0
    } else {
        cursor.seen.saturating_sub(1) / per_page
    };
    let mut forward = false;
    loop {
        let Listing { mut records, total } = fetch(page + 1)?;
        records.sort_by_key(|r| id(r));
        let starts_after = records.first().is_none_or(|r| id(r) > cursor.last_id);
        if cursor.last_id > 0 && page > 0 && starts_after && !forward {
            // Customers before the cursor were deleted: the page moved back.
            page -= 1;
            continue;
        }
        let full = records.len() as u64 == per_page;
        let fetched = records.len() as u64;
        let new: Vec<T> = records
            .into_iter()
            .filter(|r| id(r) > cursor.last_id)
            .collect();
        if new.is_empty() && full {
            // Every customer of this page was read before: on to the next.
            page += 1;
            forward = true;
            continue;
        }
        let next = match new.last() {
            Some(last) if full => Some(Cursor {
                last_id: id(last),
                seen: page * per_page + fetched,
            }),
            _ => None,
        };
        return Ok((new, next, total));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fetches everything from a listing that `change` edits after each page.
    fn fetch_all(
        mut ids: Vec<u64>,
        per_page: u64,
        mut change: impl FnMut(&mut Vec<u64>, usize),
    ) -> Vec<u64> {
        let mut cursor = Cursor::default();
        let mut got = Vec::new();
        for round in 0.. {
            let (new, next, _) = after(
                &cursor,
                per_page,
                |r: &u64| *r,
                |page| {
                    let from = ((page - 1) * per_page) as usize;
                    Ok(Listing {
                        records: ids
                            .iter()
                            .skip(from)
                            .take(per_page as usize)
                            .copied()
                            .collect(),
                        total: Some(ids.len() as u64),
                    })
                },
            )
            .unwrap();
            got.extend(new);
            match next {
                Some(n) => cursor = n,
                None => break,
            }
            change(&mut ids, round);
        }
        got
    }

    #[test]
    fn reads_every_id_once() {
        let ids: Vec<u64> = (1..=95).collect();
        assert_eq!(fetch_all(ids.clone(), 10, |_, _| {}), ids);
        let ids: Vec<u64> = (1..=100).collect();
        assert_eq!(fetch_all(ids.clone(), 10, |_, _| {}), ids);
        assert_eq!(fetch_all(vec![], 10, |_, _| {}), Vec::<u64>::new());
    }

    #[test]
    fn deletions_before_the_cursor_skip_nothing_and_creations_come_at_the_end() {
        let ids: Vec<u64> = (1..=100).collect();
        let got = fetch_all(ids, 10, |ids, round| {
            if round < 5 {
                // Deletes three customers already read, and creates one.
                ids.retain(|i| {
                    !(*i as usize == round * 3 + 1
                        || *i as usize == round * 3 + 2
                        || *i as usize == round * 3 + 3)
                });
                let next = ids.last().unwrap() + 1;
                ids.push(next);
            }
        });
        let mut expected: Vec<u64> = (1..=105).collect();
        expected.dedup();
        assert_eq!(got, expected);
    }

    #[test]
    fn deleting_a_whole_page_before_the_cursor_is_stepped_over() {
        let ids: Vec<u64> = (1..=60).collect();
        let got = fetch_all(ids, 10, |ids, round| {
            if round == 2 {
                ids.retain(|i| *i > 25);
            }
        });
        assert_eq!(got, (1..=60).collect::<Vec<_>>());
    }
}
