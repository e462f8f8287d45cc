//! Batches and their buffer in SQLite. A staged row keeps its patch, plan and record as
//! compact binary (`custio_model::codec`), its issues and note as JSON (only rows that
//! have them), and small integers for its state.

use rusqlite::params_from_iter;
use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{SqliteStore, corrupt, json, now, parse_time};
use crate::batches::{StagedColumns, code, repeated_among};
use crate::{
    Batch, BatchStatus, BatchStore, NewBatch, Repeated, Result, RowAction, RowCounts, RowFilter,
    RowStatus, StagedRow,
};

const BATCH_COLUMNS: &str = "id, created_at, source, dialect, encoding, status, options, header, unknown_columns, warnings, error, purged_at, counts";

fn batch_from(row: &Row) -> Result<Batch> {
    let text = |i: usize| -> Result<String> { Ok(row.get::<_, String>(i)?) };
    let status = text(5)?;
    Ok(Batch {
        id: row.get(0)?,
        created_at: parse_time(&text(1)?),
        source: text(2)?,
        dialect: text(3)?,
        encoding: row.get(4)?,
        status: BatchStatus::parse(&status).unwrap_or(BatchStatus::Failed),
        options: serde_json::from_str(&text(6)?).map_err(corrupt("batch options"))?,
        header: serde_json::from_str(&text(7)?).map_err(corrupt("batch header"))?,
        unknown_columns: serde_json::from_str(&text(8)?).map_err(corrupt("batch columns"))?,
        warnings: serde_json::from_str(&text(9)?).map_err(corrupt("batch warnings"))?,
        error: row.get(10)?,
        purged_at: row.get::<_, Option<String>>(11)?.map(|t| parse_time(&t)),
        purged_counts: row
            .get::<_, Option<String>>(12)?
            .map(|c| serde_json::from_str(&c))
            .transpose()
            .map_err(corrupt("batch counts"))?,
    })
}

const ROW_COLUMNS: &str = "line, status, action, paired_by, customer_id, version, label, patch, changes, issues, note, record, login_hash, email_hash";

fn row_from(row: &Row) -> Result<StagedRow> {
    let json = |i: usize| -> Result<Option<serde_json::Value>> {
        row.get::<_, Option<String>>(i)?
            .map(|text| serde_json::from_str(&text))
            .transpose()
            .map_err(corrupt("staged row"))
    };
    StagedColumns {
        line: row.get(0)?,
        status: row.get(1)?,
        action: row.get(2)?,
        paired_by: row.get(3)?,
        customer_id: row.get(4)?,
        version: row.get(5)?,
        label: row.get(6)?,
        patch: row.get(7)?,
        changes: row.get(8)?,
        issues: json(9)?,
        note: json(10)?,
        record: row.get(11)?,
        keys: [row.get(12)?, row.get(13)?],
    }
    .into_row()
}

/// Counts a batch's buffered rows by status and action.
fn tally_rows(conn: &Connection, batch: i64) -> Result<RowCounts> {
    // Tallied here: SQLite's GROUP BY would sort every row of the buffer first.
    let mut stmt =
        conn.prepare_cached("SELECT status, action FROM staged_rows WHERE batch_id = ?1")?;
    let mut tally = [[0u64; RowAction::ALL.len() + 1]; RowStatus::ALL.len()];
    let mut rows = stmt.query([batch])?;
    while let Some(row) = rows.next()? {
        // An unknown code counts as the last status, failed.
        let status = (row.get::<_, i64>(0)? as usize).min(RowStatus::ALL.len() - 1);
        let action = row
            .get::<_, Option<i64>>(1)?
            .map_or(RowAction::ALL.len(), |a| {
                (a as usize).min(RowAction::ALL.len())
            });
        tally[status][action] += 1;
    }
    let mut counts = RowCounts::default();
    for (status, actions) in RowStatus::ALL.iter().zip(tally) {
        for (action, n) in actions.into_iter().enumerate().filter(|(_, n)| *n > 0) {
            counts.add(*status, RowAction::ALL.get(action).copied(), n);
        }
    }
    Ok(counts)
}

/// At most this many batches' counts are kept in memory.
const KEPT_TALLIES: usize = 10_000;

/// Rows written by one statement.
const ROWS_PER_INSERT: usize = 32;

/// Adds or replaces rows of a batch's buffer, many rows a statement.
pub(super) fn put_rows(conn: &Connection, batch: i64, rows: &[StagedRow]) -> Result<()> {
    // The batch's cached counts no longer hold.
    conn.prepare_cached("UPDATE batches SET rows_version = rows_version + 1 WHERE id = ?1")?
        .execute([batch])?;
    for group in rows.chunks(ROWS_PER_INSERT) {
        let one = format!("({})", ["?"; 15].join(", "));
        let mut stmt = conn.prepare_cached(&format!(
            "INSERT OR REPLACE INTO staged_rows (batch_id, {ROW_COLUMNS}) VALUES {}",
            vec![one; group.len()].join(", ")
        ))?;
        let mut values: Vec<SqlValue> = Vec::with_capacity(group.len() * 15);
        for row in group {
            let c = StagedColumns::of(row);
            values.extend([
                batch.into(),
                c.line.into(),
                i64::from(c.status).into(),
                c.action.map(i64::from).into(),
                c.paired_by.into(),
                c.customer_id.into(),
                c.version.into(),
                c.label.into(),
                c.patch.into(),
                c.changes.into(),
                c.issues.map(|v| v.to_string()).into(),
                c.note.map(|v| v.to_string()).into(),
                c.record.into(),
                c.keys[0].into(),
                c.keys[1].into(),
            ]);
        }
        stmt.execute(params_from_iter(values))?;
    }
    Ok(())
}

impl BatchStore for SqliteStore {
    fn create(&self, batch: &NewBatch) -> Result<i64> {
        let conn = self.writer();
        conn.execute(
            "INSERT INTO batches (created_at, source, dialect, status, options, header, unknown_columns)
             VALUES (?1, ?2, ?3, ?4, ?5, '[]', 'null')",
            params![
                now(),
                batch.source,
                batch.dialect,
                BatchStatus::Checking.as_str(),
                json(&batch.options)
            ],
        )?;
        Ok(conn.last_insert_rowid())
    }

    fn get(&self, id: i64) -> Result<Option<Batch>> {
        let conn = self.reader();
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {BATCH_COLUMNS} FROM batches WHERE id = ?1"
        ))?;
        stmt.query_row([id], |row| Ok(batch_from(row)))
            .optional()?
            .transpose()
    }

    fn list(&self) -> Result<Vec<Batch>> {
        let conn = self.reader();
        let mut stmt = conn.prepare(&format!(
            "SELECT {BATCH_COLUMNS} FROM batches ORDER BY id DESC"
        ))?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(batch_from(row)?);
        }
        Ok(out)
    }

    fn update(&self, batch: &Batch) -> Result<()> {
        self.writer().execute(
            "UPDATE batches SET encoding = ?2, status = ?3, options = ?4, header = ?5,
                 unknown_columns = ?6, error = ?7, warnings = ?8 WHERE id = ?1",
            params![
                batch.id,
                batch.encoding,
                batch.status.as_str(),
                json(&batch.options),
                json(&batch.header),
                json(&batch.unknown_columns),
                batch.error,
                json(&batch.warnings)
            ],
        )?;
        Ok(())
    }

    fn row(&self, batch: i64, line: u64) -> Result<Option<StagedRow>> {
        let conn = self.reader();
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {ROW_COLUMNS} FROM staged_rows WHERE batch_id = ?1 AND line = ?2"
        ))?;
        stmt.query_row(params![batch, line as i64], |row| Ok(row_from(row)))
            .optional()?
            .transpose()
    }

    fn rows(
        &self,
        batch: i64,
        filter: &RowFilter,
        after: Option<u64>,
        limit: usize,
    ) -> Result<Vec<StagedRow>> {
        let mut lines = String::new();
        if let Some(only) = &filter.lines {
            let list: Vec<String> = only.iter().map(u64::to_string).collect();
            lines = format!(" AND line IN ({})", list.join(","));
        }
        let select = |status: &str| {
            format!(
                "SELECT {ROW_COLUMNS} FROM staged_rows WHERE batch_id = ?1 AND line > ?2{status}{lines} ORDER BY line LIMIT ?3"
            )
        };
        // Rows set aside come from their index, one status at a time (in line order,
        // merged); pending and imported rows, most of a batch, in line order.
        let set_aside = !filter.statuses.is_empty()
            && filter.statuses.iter().all(|s| {
                matches!(
                    s,
                    RowStatus::Invalid | RowStatus::Skipped | RowStatus::Failed
                )
            });
        let sql = if set_aside {
            let parts: Vec<String> = filter
                .statuses
                .iter()
                .map(|s| {
                    let code = code(RowStatus::ALL, s);
                    format!(
                        "SELECT * FROM ({})",
                        select(&format!(" AND status = {code} AND status IN (1, 2, 4)"))
                    )
                })
                .collect();
            format!("{} ORDER BY line LIMIT ?3", parts.join(" UNION ALL "))
        } else if filter.statuses.is_empty() {
            select("")
        } else {
            let list: Vec<String> = filter
                .statuses
                .iter()
                .map(|s| code(RowStatus::ALL, s).to_string())
                .collect();
            select(&format!(" AND status IN ({})", list.join(",")))
        };
        let conn = self.reader();
        let mut stmt = conn.prepare(&sql)?;
        let mut rows = stmt.query(params![batch, after.unwrap_or(0) as i64, limit as i64])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(row_from(row)?);
        }
        Ok(out)
    }

    fn put_rows(&self, batch: i64, rows: &[StagedRow]) -> Result<()> {
        let mut conn = self.writer();
        let tx = conn.transaction()?;
        put_rows(&tx, batch, rows)?;
        tx.commit()?;
        Ok(())
    }

    /// The counts kept beside the batch (or in this process) when they still hold; else
    /// tallied from the buffer (in one read transaction, so that the version and the
    /// tally agree) and kept for the next reader.
    fn counts(&self, batch: i64) -> Result<RowCounts> {
        if let Some(Some(counts)) = self.get(batch)?.map(|b| b.purged_counts) {
            return Ok(counts);
        }
        let (version, counts) = {
            let conn = self.reader();
            let tx = conn.unchecked_transaction()?;
            let kept: Option<(i64, Option<String>, Option<i64>)> = tx
                .query_row(
                    "SELECT rows_version, tally, tally_version FROM batches WHERE id = ?1",
                    [batch],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            let Some((version, tally, tally_version)) = kept else {
                return Ok(RowCounts::default());
            };
            if let Some(tally) = tally.filter(|_| tally_version == Some(version)) {
                return serde_json::from_str(&tally).map_err(corrupt("batch counts"));
            }
            if let Some((_, counts)) = super::lock(&self.tallies)
                .get(&batch)
                .filter(|(v, _)| *v == version)
            {
                return Ok(counts.clone());
            }
            (version, tally_rows(&tx, batch)?)
        };
        {
            let mut tallies = super::lock(&self.tallies);
            if tallies.len() >= KEPT_TALLIES {
                tallies.clear();
            }
            tallies.insert(batch, (version, counts.clone()));
        }
        // Kept in the file too (for other processes, and after a restart) when the writer
        // is free; a running import does not make this read wait.
        if let Ok(conn) = self.writer.try_lock() {
            conn.prepare_cached(
                "UPDATE batches SET tally = ?2, tally_version = ?3 WHERE id = ?1 AND rows_version = ?3",
            )?
            .execute(params![batch, json(&counts), version])?;
        }
        Ok(counts)
    }

    fn repeated_keys(&self, batch: i64, hashes: &[i64]) -> Result<Vec<Repeated>> {
        if hashes.is_empty() {
            return Ok(Vec::new());
        }
        let conn = self.reader();
        let mut stmt = conn.prepare(&format!(
            "SELECT line, login_hash, email_hash FROM staged_rows
             WHERE batch_id = ?1 AND status IN ({}) AND (login_hash IN rarray(?2) OR email_hash IN rarray(?2))
             ORDER BY line",
            crate::batches::valid_status_codes()
        ))?;
        let list: Vec<rusqlite::types::Value> = hashes.iter().map(|h| (*h).into()).collect();
        let mut rows = stmt.query(params![batch, std::rc::Rc::new(list)])?;
        let mut found = Vec::new();
        while let Some(row) = rows.next()? {
            found.push((row.get::<_, i64>(0)? as u64, [row.get(1)?, row.get(2)?]));
        }
        Ok(repeated_among(found, hashes))
    }

    fn lines_with_key(&self, batch: i64, key: usize, hash: i64) -> Result<Vec<u64>> {
        let column = if key == 0 { "login_hash" } else { "email_hash" };
        let conn = self.reader();
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT line FROM staged_rows WHERE batch_id = ?1 AND {column} = ?2 ORDER BY line"
        ))?;
        let rows = stmt.query_map(params![batch, hash], |r| Ok(r.get::<_, i64>(0)? as u64))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn shared_hashes(&self, batch: i64) -> Result<Vec<i64>> {
        let conn = self.reader();
        let mut stmt = conn.prepare(&crate::batches::shared_hashes_sql("?1"))?;
        let rows = stmt.query_map([batch], |r| r.get::<_, i64>(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn take_chunk(&self, batch: i64) -> Result<u64> {
        let taken: i64 = self.writer().query_row(
            "INSERT INTO check_shares (batch_id, taken) VALUES (?1, 1)
             ON CONFLICT (batch_id) DO UPDATE SET taken = taken + 1 RETURNING taken - 1",
            [batch],
            |r| r.get(0),
        )?;
        Ok(taken as u64)
    }

    fn chunk_staged(&self, batch: i64, chunk: u64, shops: &[u32]) -> Result<()> {
        self.writer().execute(
            "INSERT OR REPLACE INTO check_chunks (batch_id, chunk, shops) VALUES (?1, ?2, ?3)",
            params![batch, chunk as i64, crate::batches::shops_text(shops)],
        )?;
        Ok(())
    }

    fn staged_chunks(&self, batch: i64) -> Result<(u64, Vec<u32>)> {
        let conn = self.reader();
        let mut stmt = conn.prepare("SELECT shops FROM check_chunks WHERE batch_id = ?1")?;
        let texts = stmt
            .query_map([batch], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok((texts.len() as u64, crate::batches::shops_of(texts)))
    }

    fn purge(&self, batch: i64) -> Result<bool> {
        let counts = self.counts(batch)?;
        let mut conn = self.writer();
        let tx = conn.transaction()?;
        let deleted = tx.execute("DELETE FROM staged_rows WHERE batch_id = ?1", [batch])?;
        tx.execute("DELETE FROM check_chunks WHERE batch_id = ?1", [batch])?;
        tx.execute("DELETE FROM check_shares WHERE batch_id = ?1", [batch])?;
        tx.execute(
            "UPDATE batches SET counts = COALESCE(counts, ?2), purged_at = COALESCE(purged_at, ?3) WHERE id = ?1",
            params![batch, json(&counts), now()],
        )?;
        tx.commit()?;
        Ok(deleted > 0)
    }

    fn compact(&self) -> Result<()> {
        let conn = self.writer();
        conn.execute_batch(
            "PRAGMA wal_checkpoint(TRUNCATE); VACUUM; PRAGMA wal_checkpoint(TRUNCATE);",
        )?;
        Ok(())
    }
}
