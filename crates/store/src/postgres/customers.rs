//! Customers in PostgreSQL: reading them back, and the panel's list (keyset pages in every
//! order, filters on plain columns and arrays, so no document is decoded in SQL).

use chrono::{NaiveDate, NaiveTime};
use custio_model::{Consent, Customer, Kind};
use postgres::Row;
use postgres::types::ToSql;

use super::PostgresStore;
use crate::customers::{StoredColumns, index_of};
use crate::{
    CustomerCursor, CustomerKey, CustomerPage, CustomerQuery, CustomerSort, CustomerStore,
    JournalEntry, JournalOp, Result, Stored,
};

/// The columns every read of a customer selects, in this order.
pub(super) const SELECT: &str = "id, version, batch, line, guid, login, email, first_name, last_name, registered, last_order, kind, newsletter, doc";

/// The position of the column after [`SELECT`]'s (a sort value, a key).
pub(super) const AFTER_SELECT: usize = 14;

/// Query parameters of any type, bound in order as `$1`, `$2`, ...
pub(super) type Params = Vec<Box<dyn ToSql + Sync + Send>>;

/// The parameters as the `postgres` crate takes them.
pub(super) fn bound(params: &Params) -> Vec<&(dyn ToSql + Sync)> {
    params
        .iter()
        .map(|p| p.as_ref() as &(dyn ToSql + Sync))
        .collect()
}

/// Adds a parameter; returns its placeholder.
fn push(params: &mut Params, value: impl ToSql + Sync + Send + 'static) -> String {
    params.push(Box::new(value));
    format!("${}", params.len())
}

/// Reads a customer selected with [`SELECT`].
pub(super) fn stored_from(row: &Row) -> Result<Stored> {
    StoredColumns {
        id: row.try_get(0)?,
        version: row.try_get(1)?,
        batch: row.try_get(2)?,
        line: row.try_get(3)?,
        guid: row.try_get(4)?,
        login: row.try_get(5)?,
        email: row.try_get(6)?,
        first_name: row.try_get(7)?,
        last_name: row.try_get(8)?,
        registered: row.try_get(9)?,
        last_order: row.try_get(10)?,
        kind: row.try_get(11)?,
        newsletter: row.try_get(12)?,
        doc: row.try_get(13)?,
    }
    .into_stored()
}

/// The customers of rows selected with [`SELECT`]. (Collected into a vector of the
/// right size at once: a customer is large, and a growing vector moves them all.)
fn customers_from(rows: &[Row]) -> Result<Vec<Customer>> {
    let mut customers = Vec::with_capacity(rows.len());
    for row in rows {
        customers.push(stored_from(row)?.customer);
    }
    Ok(customers)
}

fn day_start(day: &str) -> Option<i64> {
    NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d")
        .ok()
        .map(|d| d.and_time(NaiveTime::MIN).and_utc().timestamp())
}

/// Appends the `WHERE` conditions of `query` (each starting with ` AND `) and binds their
/// values.
fn filters(query: &CustomerQuery, sql: &mut String, params: &mut Params) {
    fn set(s: &Option<String>) -> Option<&str> {
        s.as_deref().map(str::trim).filter(|s| !s.is_empty())
    }
    if let Some(search) = set(&query.search) {
        let p = push(params, search.to_lowercase());
        sql.push_str(&format!(" AND strpos(search, {p}) > 0"));
    }
    if let Some(shop) = query.shop {
        let p = push(params, i64::from(shop));
        sql.push_str(&format!(" AND {p} = ANY(shops)"));
    }
    if let Some(group) = set(&query.group) {
        let p = push(params, group.to_string());
        sql.push_str(&format!(" AND {p} = ANY(groups)"));
    }
    if let Some(kind) = set(&query.kind) {
        let code = Kind::parse(kind)
            .map(|k| index_of(Kind::ALL, &k))
            .unwrap_or(-1);
        let p = push(params, code);
        sql.push_str(&format!(" AND kind = {p}"));
    }
    if let Some(consent) = set(&query.newsletter) {
        let code = Consent::parse(consent)
            .map(|c| index_of(Consent::ALL, &c))
            .unwrap_or(-1);
        let p = push(params, code);
        sql.push_str(&format!(" AND newsletter = {p}"));
    }
    if let Some(from) = set(&query.registered_from) {
        let p = push(params, day_start(from).unwrap_or(i64::MAX));
        sql.push_str(&format!(" AND registered >= {p}"));
    }
    if let Some(to) = set(&query.registered_to) {
        // The whole last day is included.
        let end = day_start(to).map(|d| d + 86_400).unwrap_or(i64::MIN);
        let p = push(params, end);
        sql.push_str(&format!(" AND registered < {p}"));
    }
    if !query.ids.is_empty() {
        let p = push(params, query.ids.clone());
        sql.push_str(&format!(" AND id = ANY({p})"));
    }
}

/// The list's name order: the expression its index is on.
const NAME_KEY: &str =
    r#"(lower(COALESCE(last_name, '') || ' ' || COALESCE(first_name, '')) COLLATE "C")"#;

fn sort_column(sort: CustomerSort) -> &'static str {
    match sort {
        CustomerSort::Id => "id",
        CustomerSort::Email => "email",
        CustomerSort::Name => NAME_KEY,
        CustomerSort::Registered => "registered",
        CustomerSort::LastOrder => "last_order",
    }
}

/// Whether a sort's values are text (else numbers).
fn text_sort(sort: CustomerSort) -> bool {
    matches!(sort, CustomerSort::Email | CustomerSort::Name)
}

impl CustomerStore for PostgresStore {
    fn get(&self, id: i64) -> Result<Option<Stored>> {
        let row = self.conn()?.query_opt(
            &format!("SELECT {SELECT} FROM customers WHERE id = $1"),
            &[&id],
        )?;
        row.as_ref().map(stored_from).transpose()
    }

    fn find(&self, key: &CustomerKey) -> Result<Option<Stored>> {
        let column = match key {
            CustomerKey::Guid(_) => "guid",
            CustomerKey::Login(_) => "login",
            CustomerKey::Email(_) => "email",
        };
        let row = self.conn()?.query_opt(
            &format!("SELECT {SELECT} FROM customers WHERE {column} = $1"),
            &[&key.value()],
        )?;
        row.as_ref().map(stored_from).transpose()
    }

    fn page(
        &self,
        query: &CustomerQuery,
        after: Option<i64>,
        limit: usize,
    ) -> Result<Vec<Customer>> {
        let mut params: Params = vec![Box::new(after.unwrap_or(0))];
        let mut sql = format!("SELECT {SELECT} FROM customers WHERE id > $1");
        filters(query, &mut sql, &mut params);
        let n = push(&mut params, limit as i64);
        sql.push_str(&format!(" ORDER BY id LIMIT {n}"));
        customers_from(&self.conn()?.query(&sql, &bound(&params))?)
    }

    /// One statement in a read-only transaction (one snapshot of the base from the first
    /// customer to the last), fetched a page at a time from a portal by a thread of its
    /// own: the server reads the next page while this thread decodes the last one.
    fn scan(
        &self,
        query: &CustomerQuery,
        page: usize,
        visit: &mut dyn FnMut(Vec<Customer>) -> bool,
    ) -> Result<()> {
        let mut params = Params::new();
        let mut sql = format!("SELECT {SELECT} FROM customers WHERE TRUE");
        filters(query, &mut sql, &mut params);
        sql.push_str(" ORDER BY id");
        let mut conn = self.conn()?;
        let (sender, pages) = std::sync::mpsc::sync_channel::<Vec<Row>>(1);
        std::thread::scope(|scope| {
            let fetcher = scope.spawn(move || -> Result<()> {
                let mut tx = conn
                    .build_transaction()
                    .isolation_level(postgres::IsolationLevel::RepeatableRead)
                    .read_only(true)
                    .start()?;
                let portal = tx.bind(&sql, &bound(&params))?;
                loop {
                    let rows = tx.query_portal(&portal, page as i32)?;
                    // A short page is the last; a stopped reader wants no more.
                    if rows.is_empty() || sender.send(rows).is_err() {
                        return Ok(());
                    }
                }
            });
            let mut read = Ok(());
            for rows in pages {
                let customers = customers_from(&rows);
                match customers.map(&mut *visit) {
                    Ok(true) => {}
                    other => {
                        read = other.map(drop);
                        break;
                    }
                }
            }
            let fetched = fetcher.join().map_err(|_| {
                crate::StoreError::Backend("the export's reading thread stopped".into())
            })?;
            read.and(fetched)
        })
    }

    fn list(
        &self,
        query: &CustomerQuery,
        sort: CustomerSort,
        desc: bool,
        after: Option<&CustomerCursor>,
        limit: usize,
    ) -> Result<CustomerPage> {
        let col = sort_column(sort);
        let (cmp, dir) = if desc { ("<", "DESC") } else { (">", "ASC") };
        let mut params: Params = Vec::new();
        let mut filter = String::new();
        filters(query, &mut filter, &mut params);
        let n = push(&mut params, (limit + 1) as i64);
        let select = format!("SELECT {SELECT}, {col} AS k FROM customers WHERE");
        let order = if sort == CustomerSort::Id {
            format!("ORDER BY id {dir}")
        } else {
            format!("ORDER BY {col} {dir}, id {dir}")
        };
        let by_id = format!("ORDER BY id {dir}");
        let mut count = 0;
        let mut part = |cond: &str, order: &str| {
            count += 1;
            format!("SELECT * FROM ({select} {cond}{filter} {order} LIMIT {n}) AS part{count}")
        };
        // Customers without a value (NULL) come first in ascending order and last in
        // descending order, read in id order; the others come from the column's index.
        let nullable = matches!(
            sort,
            CustomerSort::Email | CustomerSort::Registered | CustomerSort::LastOrder
        );
        let mut parts = Vec::new();
        match after {
            None if !nullable => parts.push(part("TRUE", &order)),
            None => {
                let values = part(&format!("{col} IS NOT NULL"), &order);
                let nulls = part(&format!("{col} IS NULL"), &by_id);
                if desc {
                    parts.extend([values, nulls]);
                } else {
                    parts.extend([nulls, values]);
                }
            }
            Some(cursor) if sort == CustomerSort::Id => {
                let id = push(&mut params, cursor.id);
                parts.push(part(&format!("id {cmp} {id}"), &order));
            }
            Some(cursor) => {
                let id = push(&mut params, cursor.id);
                let value = if cursor.value.is_empty() && sort != CustomerSort::Name {
                    None
                } else if text_sort(sort) {
                    Some(push(&mut params, cursor.value.clone()))
                } else {
                    cursor
                        .value
                        .parse::<i64>()
                        .ok()
                        .map(|v| push(&mut params, v))
                };
                match value {
                    None => {
                        parts.push(part(&format!("{col} IS NULL AND id {cmp} {id}"), &by_id));
                        if !desc {
                            parts.push(part(&format!("{col} IS NOT NULL"), &order));
                        }
                    }
                    Some(v) => {
                        parts.push(part(&format!("{col} = {v} AND id {cmp} {id}"), &order));
                        parts.push(part(&format!("{col} {cmp} {v}"), &order));
                        if desc && nullable {
                            parts.push(part(&format!("{col} IS NULL"), &by_id));
                        }
                    }
                }
            }
        }
        let nulls = if desc { "LAST" } else { "FIRST" };
        let sql = format!(
            "{} ORDER BY k {dir} NULLS {nulls}, id {dir} LIMIT {n}",
            parts.join(" UNION ALL ")
        );
        let rows = self.conn()?.query(&sql, &bound(&params))?;
        let mut customers = Vec::with_capacity(limit);
        let mut next = None;
        let mut last: Option<CustomerCursor> = None;
        for row in &rows {
            if customers.len() == limit {
                next = last.take();
                break;
            }
            let stored = stored_from(row)?;
            let id = stored.id();
            customers.push(stored.customer);
            let value = match sort {
                CustomerSort::Id => String::new(),
                _ if text_sort(sort) => row
                    .try_get::<_, Option<String>>(AFTER_SELECT)?
                    .unwrap_or_default(),
                _ => row
                    .try_get::<_, Option<i64>>(AFTER_SELECT)?
                    .map(|v| v.to_string())
                    .unwrap_or_default(),
            };
            last = Some(CustomerCursor { value, id });
        }
        Ok(CustomerPage { customers, next })
    }

    fn count(&self, query: &CustomerQuery) -> Result<u64> {
        let mut params = Params::new();
        let mut sql = "SELECT COUNT(*) FROM customers WHERE TRUE".to_string();
        filters(query, &mut sql, &mut params);
        let n: i64 = self.conn()?.query_one(&sql, &bound(&params))?.try_get(0)?;
        Ok(n as u64)
    }

    fn journal(&self, batch: i64, after: i64, limit: usize) -> Result<Vec<(i64, JournalEntry)>> {
        let rows = self.conn()?.query(
            "SELECT id, line, actor, op, customer_id, last_id, data FROM journal
             WHERE batch_id = $1 AND id > $2 ORDER BY id LIMIT $3",
            &[&batch, &after, &(limit as i64)],
        )?;
        rows.iter()
            .map(|row| {
                let data: Option<Vec<u8>> = row.try_get(6)?;
                let data = data.unwrap_or_default();
                let op = JournalOp::decode(row.try_get(3)?, &data)?;
                Ok((
                    row.try_get(0)?,
                    JournalEntry {
                        batch: Some(batch),
                        line: row.try_get::<_, Option<i64>>(1)?.map(|l| l as u64),
                        customer: row.try_get(4)?,
                        through: row.try_get(5)?,
                        op,
                        actor: row.try_get(2)?,
                    },
                ))
            })
            .collect()
    }

    fn custom_field_keys(&self) -> Result<Vec<String>> {
        let rows = self
            .conn()?
            .query("SELECT key FROM custom_field_keys ORDER BY key", &[])?;
        rows.iter().map(|r| Ok(r.try_get(0)?)).collect()
    }
}
