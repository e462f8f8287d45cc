//! Customers in SQLite: the columns a customer is written as, reading them back, and the
//! panel's list (keyset pages in every order, filters).

use chrono::{NaiveDate, NaiveTime};
use custio_model::{Consent, Customer, Kind, codec};
use rusqlite::functions::FunctionFlags;
use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, OptionalExtension, Row, params_from_iter};

use super::SqliteStore;
use crate::{
    CustomerCursor, CustomerKey, CustomerPage, CustomerQuery, CustomerSort, CustomerStore,
    JournalEntry, JournalOp, Result, StoreError, Stored,
};

/// The columns every read of a customer selects, in this order.
pub(super) const SELECT: &str = "id, version, batch, line, guid, login, email, first_name, last_name, registered, last_order, kind, newsletter, doc";

/// The position of the column after [`SELECT`]'s (a sort value, a key).
pub(super) const AFTER_SELECT: usize = 14;

use crate::customers::{StoredColumns, index_of};

/// The lower-cased name the list sorts by (`custio_name` in SQL).
pub(crate) fn name_key(last: Option<&str>, first: Option<&str>) -> String {
    format!("{} {}", last.unwrap_or(""), first.unwrap_or("")).to_lowercase()
}

/// Reads a customer selected with [`SELECT`].
pub(super) fn stored_from(row: &Row) -> Result<Stored> {
    StoredColumns {
        id: row.get(0)?,
        version: row.get(1)?,
        batch: row.get(2)?,
        line: row.get(3)?,
        guid: row.get(4)?,
        login: row.get(5)?,
        email: row.get(6)?,
        first_name: row.get(7)?,
        last_name: row.get(8)?,
        registered: row.get(9)?,
        last_order: row.get(10)?,
        kind: row.get(11)?,
        newsletter: row.get(12)?,
        doc: row.get_ref(13)?.as_blob().unwrap_or_default(),
    }
    .into_stored()
}

/// The SQL functions of the list: `custio_name(last, first)` (the name order, indexed),
/// and the filters on documents `custio_search(doc, login, email, first, last, needle)`,
/// `custio_shop(doc, id)`, `custio_group(doc, name)`.
pub(super) fn register_functions(conn: &Connection) -> Result<()> {
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;
    conn.create_scalar_function("custio_name", 2, flags, |ctx| {
        let last: Option<String> = ctx.get(0)?;
        let first: Option<String> = ctx.get(1)?;
        Ok(name_key(last.as_deref(), first.as_deref()))
    })?;
    let doc_of = |ctx: &rusqlite::functions::Context| -> rusqlite::Result<Customer> {
        let bytes = ctx.get_raw(0).as_blob().unwrap_or_default();
        codec::decode_customer(bytes).map_err(|e| rusqlite::Error::UserFunctionError(e.into()))
    };
    conn.create_scalar_function("custio_search", 6, flags, move |ctx| {
        let needle: String = ctx.get(5)?;
        let column = |i: usize| ctx.get::<Option<String>>(i);
        let (login, email, first, last) = (column(1)?, column(2)?, column(3)?, column(4)?);
        let c = doc_of(ctx)?;
        let texts = [
            login.as_deref(),
            email.as_deref(),
            first.as_deref(),
            last.as_deref(),
            c.full_name.as_deref(),
            c.company.name.as_deref(),
            c.billing.city.as_deref(),
        ];
        Ok(texts
            .into_iter()
            .flatten()
            .any(|t| t.to_lowercase().contains(&needle)))
    })?;
    conn.create_scalar_function("custio_shop", 2, flags, move |ctx| {
        let shop: i64 = ctx.get(1)?;
        Ok(doc_of(ctx)?.shops.iter().any(|s| i64::from(*s) == shop))
    })?;
    conn.create_scalar_function("custio_group", 2, flags, move |ctx| {
        let group: String = ctx.get(1)?;
        Ok(doc_of(ctx)?.groups.contains(&group))
    })?;
    Ok(())
}

fn day_start(day: &str) -> Option<i64> {
    NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d")
        .ok()
        .map(|d| d.and_time(NaiveTime::MIN).and_utc().timestamp())
}

/// Appends the `WHERE` conditions of `query` (each starting with ` AND `) and their
/// arguments. When the list is sorted by another column than a filter's, the filter's own
/// index is disqualified (`+column`): the planner then walks the sort index and stops
/// after a page, instead of collecting every match of an unselective filter and sorting.
fn filters(query: &CustomerQuery, sort: Option<&str>, sql: &mut String, args: &mut Vec<SqlValue>) {
    let col = |name: &str| -> String {
        match sort {
            Some(s) if s != "id" && s != name => format!("+{name}"),
            _ => name.to_string(),
        }
    };
    let mut push = |cond: String, value: SqlValue, sql: &mut String| {
        args.push(value);
        sql.push_str(&cond.replace('?', &format!("?{}", args.len())));
    };
    fn set(s: &Option<String>) -> Option<&str> {
        s.as_deref().map(str::trim).filter(|s| !s.is_empty())
    }
    if let Some(search) = set(&query.search) {
        push(
            " AND custio_search(doc, login, email, first_name, last_name, ?)".into(),
            search.to_lowercase().into(),
            sql,
        );
    }
    if let Some(shop) = query.shop {
        push(
            " AND custio_shop(doc, ?)".into(),
            i64::from(shop).into(),
            sql,
        );
    }
    if let Some(group) = set(&query.group) {
        push(
            " AND custio_group(doc, ?)".into(),
            group.to_string().into(),
            sql,
        );
    }
    if let Some(kind) = set(&query.kind) {
        let code = Kind::parse(kind)
            .map(|k| index_of(Kind::ALL, &k))
            .unwrap_or(-1);
        push(format!(" AND {} = ?", col("kind")), code.into(), sql);
    }
    if let Some(consent) = set(&query.newsletter) {
        let code = Consent::parse(consent)
            .map(|c| index_of(Consent::ALL, &c))
            .unwrap_or(-1);
        push(format!(" AND {} = ?", col("newsletter")), code.into(), sql);
    }
    let registered = col("registered");
    if let Some(from) = set(&query.registered_from) {
        let from = day_start(from).unwrap_or(i64::MAX);
        push(format!(" AND {registered} >= ?"), from.into(), sql);
    }
    if let Some(to) = set(&query.registered_to) {
        // The whole last day is included.
        let end = day_start(to).map(|d| d + 86_400).unwrap_or(i64::MIN);
        push(format!(" AND {registered} < ?"), end.into(), sql);
    }
    if !query.ids.is_empty() {
        let list: Vec<String> = query.ids.iter().map(i64::to_string).collect();
        sql.push_str(&format!(" AND id IN ({})", list.join(",")));
    }
}

fn sort_column(sort: CustomerSort) -> &'static str {
    match sort {
        CustomerSort::Id => "id",
        CustomerSort::Email => "email",
        CustomerSort::Name => "custio_name(last_name, first_name)",
        CustomerSort::Registered => "registered",
        CustomerSort::LastOrder => "last_order",
    }
}

/// A cursor's value as the column holds it: `NULL` for none, a number for the date
/// columns.
fn cursor_value(sort: CustomerSort, value: &str) -> SqlValue {
    match sort {
        _ if value.is_empty() && sort != CustomerSort::Name => SqlValue::Null,
        CustomerSort::Registered | CustomerSort::LastOrder => value
            .parse::<i64>()
            .map(SqlValue::Integer)
            .unwrap_or(SqlValue::Null),
        _ => SqlValue::Text(value.to_string()),
    }
}

fn query_rows(
    conn: &Connection,
    sql: &str,
    args: Vec<SqlValue>,
) -> Result<Vec<(Stored, SqlValue)>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query(params_from_iter(args))?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push((stored_from(row)?, row.get::<_, SqlValue>(AFTER_SELECT)?));
    }
    Ok(out)
}

impl CustomerStore for SqliteStore {
    fn get(&self, id: i64) -> Result<Option<Stored>> {
        let conn = self.reader();
        let mut stmt =
            conn.prepare_cached(&format!("SELECT {SELECT} FROM customers WHERE id = ?1"))?;
        let row = stmt
            .query_row([id], |row| Ok(stored_from(row)))
            .optional()?;
        row.transpose()
    }

    fn find(&self, key: &CustomerKey) -> Result<Option<Stored>> {
        let column = match key {
            CustomerKey::Guid(_) => "guid",
            CustomerKey::Login(_) => "login",
            CustomerKey::Email(_) => "email",
        };
        let conn = self.reader();
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {SELECT} FROM customers WHERE {column} = ?1"
        ))?;
        stmt.query_row([key.value()], |row| Ok(stored_from(row)))
            .optional()?
            .transpose()
    }

    fn page(
        &self,
        query: &CustomerQuery,
        after: Option<i64>,
        limit: usize,
    ) -> Result<Vec<Customer>> {
        let mut args: Vec<SqlValue> = vec![after.unwrap_or(0).into()];
        let mut sql = format!("SELECT {SELECT}, NULL FROM customers WHERE id > ?1");
        filters(query, None, &mut sql, &mut args);
        args.push((limit as i64).into());
        sql.push_str(&format!(" ORDER BY id LIMIT ?{}", args.len()));
        let conn = self.reader();
        Ok(query_rows(&conn, &sql, args)?
            .into_iter()
            .map(|(s, _)| s.customer)
            .collect())
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
        let mut args: Vec<SqlValue> = Vec::new();
        let mut filter = String::new();
        filters(query, Some(col), &mut filter, &mut args);
        args.push(((limit + 1) as i64).into());
        let n = args.len();
        let select = format!("SELECT {SELECT}, {col} AS k FROM customers WHERE");
        let order = if sort == CustomerSort::Id {
            format!("ORDER BY id {dir}")
        } else {
            format!("ORDER BY {col} {dir}, id {dir}")
        };
        let by_id = format!("ORDER BY id {dir}");
        let part = |cond: &str, order: &str| {
            format!("SELECT * FROM ({select} {cond}{filter} {order} LIMIT ?{n})")
        };
        // Customers without a value (NULL) come first in ascending order and last in
        // descending order, read in id order; the others come from the column's index.
        // Each part is an index seek; a short sort merges them.
        let nullable = matches!(
            sort,
            CustomerSort::Email | CustomerSort::Registered | CustomerSort::LastOrder
        );
        let mut parts = Vec::new();
        match after {
            None if !nullable => parts.push(part("1 = 1", &order)),
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
                args.push(cursor.id.into());
                parts.push(part(&format!("id {cmp} ?{}", args.len()), &order));
            }
            Some(cursor) => {
                let value = cursor_value(sort, &cursor.value);
                let null = matches!(value, SqlValue::Null);
                args.push(value);
                args.push(cursor.id.into());
                let (v, i) = (args.len() - 1, args.len());
                if null {
                    parts.push(part(&format!("{col} IS NULL AND id {cmp} ?{i}"), &by_id));
                    if !desc {
                        parts.push(part(&format!("{col} IS NOT NULL"), &order));
                    }
                } else {
                    parts.push(part(&format!("{col} = ?{v} AND id {cmp} ?{i}"), &order));
                    parts.push(part(&format!("{col} {cmp} ?{v}"), &order));
                    if desc && nullable {
                        parts.push(part(&format!("{col} IS NULL"), &by_id));
                    }
                }
            }
        }
        let nulls = if desc { "LAST" } else { "FIRST" };
        let sql = format!(
            "{} ORDER BY k {dir} NULLS {nulls}, id {dir} LIMIT ?{n}",
            parts.join(" UNION ALL ")
        );
        let conn = self.reader();
        let mut customers = Vec::with_capacity(limit);
        let mut next = None;
        let mut last: Option<CustomerCursor> = None;
        for (stored, key) in query_rows(&conn, &sql, args)? {
            if customers.len() == limit {
                next = last.take();
                break;
            }
            let id = stored.id();
            customers.push(stored.customer);
            let value = match key {
                SqlValue::Text(t) => t,
                SqlValue::Integer(i) if sort != CustomerSort::Id => i.to_string(),
                _ => String::new(),
            };
            last = Some(CustomerCursor { value, id });
        }
        Ok(CustomerPage { customers, next })
    }

    fn count(&self, query: &CustomerQuery) -> Result<u64> {
        let mut args = Vec::new();
        let mut sql = "SELECT COUNT(*) FROM customers WHERE 1 = 1".to_string();
        filters(query, None, &mut sql, &mut args);
        let conn = self.reader();
        let n: i64 = conn.query_row(&sql, params_from_iter(args), |r| r.get(0))?;
        Ok(n as u64)
    }

    fn journal(&self, batch: i64, after: i64, limit: usize) -> Result<Vec<(i64, JournalEntry)>> {
        let conn = self.reader();
        let mut stmt = conn.prepare_cached(
            "SELECT id, line, actor, op, customer_id, last_id, data FROM journal
             WHERE batch_id = ?1 AND id > ?2 ORDER BY id LIMIT ?3",
        )?;
        let mut rows = stmt.query(rusqlite::params![batch, after, limit as i64])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let data: Option<Vec<u8>> = row.get(6)?;
            let data = data.unwrap_or_default();
            let op = JournalOp::decode(row.get(3)?, &data)?;
            out.push((
                row.get(0)?,
                JournalEntry {
                    batch: Some(batch),
                    line: row.get::<_, Option<i64>>(1)?.map(|l| l as u64),
                    customer: row.get(4)?,
                    through: row.get(5)?,
                    op,
                    actor: row.get(2)?,
                },
            ));
        }
        Ok(out)
    }

    fn custom_field_keys(&self) -> Result<Vec<String>> {
        let conn = self.reader();
        let mut stmt = conn.prepare("SELECT key FROM custom_field_keys ORDER BY key")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

impl From<codec::CodecError> for StoreError {
    fn from(e: codec::CodecError) -> Self {
        StoreError::Corrupt {
            what: "customer",
            detail: e.to_string(),
        }
    }
}
