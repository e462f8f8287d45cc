//! Batches and their buffer in PostgreSQL: the same encoding as SQLite's (patches, plans
//! and records as compact binary, issues and notes as JSON, states as small integers),
//! rows written many at a time with `unnest`.

use postgres::binary_copy::BinaryCopyInWriter;
use postgres::types::Type;
use postgres::{GenericClient, Row};

use super::{PostgresStore, from_json, json, now};
use crate::batches::{StagedColumns, code, repeated_among};
use crate::{
    Batch, BatchStatus, BatchStore, NewBatch, Repeated, Result, RowAction, RowCounts, RowFilter,
    RowStatus, StagedRow,
};

const BATCH_COLUMNS: &str = "id, created_at, source, dialect, encoding, status, options, header, unknown_columns, warnings, error, purged_at, counts";

fn batch_from(row: &Row) -> Result<Batch> {
    let status: String = row.try_get(5)?;
    Ok(Batch {
        id: row.try_get(0)?,
        created_at: row.try_get(1)?,
        source: row.try_get(2)?,
        dialect: row.try_get(3)?,
        encoding: row.try_get(4)?,
        status: BatchStatus::parse(&status).unwrap_or(BatchStatus::Failed),
        options: row.try_get(6)?,
        header: from_json("batch header", row.try_get(7)?)?,
        unknown_columns: row.try_get(8)?,
        warnings: from_json("batch warnings", row.try_get(9)?)?,
        error: row.try_get(10)?,
        purged_at: row.try_get(11)?,
        purged_counts: row
            .try_get::<_, Option<serde_json::Value>>(12)?
            .map(|c| from_json("batch counts", c))
            .transpose()?,
    })
}

const ROW_COLUMNS: &str = "line, status, action, paired_by, customer_id, version, label, patch, changes, issues, note, record, login_hash, email_hash";

fn row_from(row: &Row) -> Result<StagedRow> {
    StagedColumns {
        line: row.try_get(0)?,
        status: row.try_get(1)?,
        action: row.try_get(2)?,
        paired_by: row.try_get(3)?,
        customer_id: row.try_get(4)?,
        version: row.try_get(5)?,
        label: row.try_get(6)?,
        patch: row.try_get(7)?,
        changes: row.try_get(8)?,
        issues: row.try_get(9)?,
        note: row.try_get(10)?,
        record: row.try_get(11)?,
        keys: [row.try_get(12)?, row.try_get(13)?],
    }
    .into_row()
}

/// Adds or replaces rows of a batch's buffer, in one statement.
pub(super) fn put_rows(
    client: &mut impl GenericClient,
    batch: i64,
    rows: &[StagedRow],
) -> Result<()> {
    // The batch's kept counts no longer hold.
    client.execute(
        "UPDATE batches SET rows_version = rows_version + 1 WHERE id = $1",
        &[&batch],
    )?;
    if rows.is_empty() {
        return Ok(());
    }
    // Rows of lines the batch does not have yet (a check's chunk, a one-pass import's) are
    // streamed in; rows it has (a commit, an edit, a chunk checked again) are replaced.
    let first = rows.iter().map(|r| r.line as i64).min().unwrap_or_default();
    let last = rows.iter().map(|r| r.line as i64).max().unwrap_or_default();
    let taken: bool = client
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM staged_rows WHERE batch_id = $1 AND line BETWEEN $2 AND $3)",
            &[&batch, &first, &last],
        )?
        .try_get(0)?;
    if !taken {
        return copy_rows(client, batch, rows);
    }
    let mut line = Vec::with_capacity(rows.len());
    let mut status = Vec::with_capacity(rows.len());
    let mut action: Vec<Option<i16>> = Vec::with_capacity(rows.len());
    let mut paired_by = Vec::with_capacity(rows.len());
    let mut customer_id = Vec::with_capacity(rows.len());
    let mut version = Vec::with_capacity(rows.len());
    let mut label = Vec::with_capacity(rows.len());
    let mut patch: Vec<Option<Vec<u8>>> = Vec::with_capacity(rows.len());
    let mut changes: Vec<Option<Vec<u8>>> = Vec::with_capacity(rows.len());
    let mut issues: Vec<Option<serde_json::Value>> = Vec::with_capacity(rows.len());
    let mut note: Vec<Option<serde_json::Value>> = Vec::with_capacity(rows.len());
    let mut record: Vec<Option<Vec<u8>>> = Vec::with_capacity(rows.len());
    let mut login_hash = Vec::with_capacity(rows.len());
    let mut email_hash = Vec::with_capacity(rows.len());
    for row in rows {
        let c = StagedColumns::of(row);
        line.push(c.line);
        status.push(c.status);
        action.push(c.action);
        paired_by.push(c.paired_by);
        customer_id.push(c.customer_id);
        version.push(c.version);
        label.push(c.label);
        patch.push(c.patch);
        changes.push(c.changes);
        issues.push(c.issues);
        note.push(c.note);
        record.push(c.record);
        login_hash.push(c.keys[0]);
        email_hash.push(c.keys[1]);
    }
    client.execute(
        &format!(
            "INSERT INTO staged_rows (batch_id, {ROW_COLUMNS})
             SELECT $1, u.* FROM unnest($2::bigint[], $3::smallint[], $4::smallint[], $5::text[],
                 $6::bigint[], $7::bigint[], $8::text[], $9::bytea[], $10::bytea[], $11::jsonb[],
                 $12::jsonb[], $13::bytea[], $14::bigint[], $15::bigint[]) AS u
             ON CONFLICT (batch_id, line) DO UPDATE SET
                 status = EXCLUDED.status, action = EXCLUDED.action,
                 paired_by = EXCLUDED.paired_by, customer_id = EXCLUDED.customer_id,
                 version = EXCLUDED.version, label = EXCLUDED.label, patch = EXCLUDED.patch,
                 changes = EXCLUDED.changes, issues = EXCLUDED.issues, note = EXCLUDED.note,
                 record = EXCLUDED.record, login_hash = EXCLUDED.login_hash,
                 email_hash = EXCLUDED.email_hash"
        ),
        &[
            &batch,
            &line,
            &status,
            &action,
            &paired_by,
            &customer_id,
            &version,
            &label,
            &patch,
            &changes,
            &issues,
            &note,
            &record,
            &login_hash,
            &email_hash,
        ],
    )?;
    Ok(())
}

/// Streams new rows into a batch's buffer with `COPY ... BINARY`.
fn copy_rows(client: &mut impl GenericClient, batch: i64, rows: &[StagedRow]) -> Result<()> {
    let sink = client.copy_in(&format!(
        "COPY staged_rows (batch_id, {ROW_COLUMNS}) FROM STDIN BINARY"
    ))?;
    let mut writer = BinaryCopyInWriter::new(
        sink,
        &[
            Type::INT8,
            Type::INT8,
            Type::INT2,
            Type::INT2,
            Type::TEXT,
            Type::INT8,
            Type::INT8,
            Type::TEXT,
            Type::BYTEA,
            Type::BYTEA,
            Type::JSONB,
            Type::JSONB,
            Type::BYTEA,
            Type::INT8,
            Type::INT8,
        ],
    );
    for row in rows {
        let c = StagedColumns::of(row);
        writer.write(&[
            &batch,
            &c.line,
            &c.status,
            &c.action,
            &c.paired_by,
            &c.customer_id,
            &c.version,
            &c.label,
            &c.patch,
            &c.changes,
            &c.issues,
            &c.note,
            &c.record,
            &c.keys[0],
            &c.keys[1],
        ])?;
    }
    writer.finish()?;
    Ok(())
}

/// At most this many batches' counts are kept in memory.
const KEPT_TALLIES: usize = 10_000;

impl PostgresStore {
    /// Counts a batch's buffered rows by status and action, with the rows version they
    /// hold for (read in one snapshot).
    fn tally(&self, batch: i64) -> Result<Option<(i64, RowCounts)>> {
        let mut conn = self.conn()?;
        let mut tx = conn
            .build_transaction()
            .isolation_level(postgres::IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()?;
        let Some(kept) = tx.query_opt(
            "SELECT rows_version, tally, tally_version FROM batches WHERE id = $1",
            &[&batch],
        )?
        else {
            return Ok(None);
        };
        let version: i64 = kept.try_get(0)?;
        if let (Some(tally), Some(at)) = (
            kept.try_get::<_, Option<serde_json::Value>>(1)?,
            kept.try_get::<_, Option<i64>>(2)?,
        ) && at == version
        {
            return Ok(Some((version, from_json("batch counts", tally)?)));
        }
        if let Some((_, counts)) = super::lock(&self.tallies)
            .get(&batch)
            .filter(|(v, _)| *v == version)
        {
            return Ok(Some((version, counts.clone())));
        }
        let mut counts = RowCounts::default();
        for row in tx.query(
            "SELECT status, action, COUNT(*) FROM staged_rows WHERE batch_id = $1 GROUP BY 1, 2",
            &[&batch],
        )? {
            // An unknown code counts as the last status, failed.
            let status = (row.try_get::<_, i16>(0)? as usize).min(RowStatus::ALL.len() - 1);
            let action = row
                .try_get::<_, Option<i16>>(1)?
                .and_then(|a| RowAction::ALL.get(a as usize).copied());
            let n: i64 = row.try_get(2)?;
            counts.add(RowStatus::ALL[status], action, n as u64);
        }
        tx.commit()?;
        Ok(Some((version, counts)))
    }
}

impl BatchStore for PostgresStore {
    fn create(&self, batch: &NewBatch) -> Result<i64> {
        let row = self.conn()?.query_one(
            "INSERT INTO batches (created_at, source, dialect, status, options)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
            &[
                &now(),
                &batch.source,
                &batch.dialect,
                &BatchStatus::Checking.as_str(),
                &json(&batch.options),
            ],
        )?;
        Ok(row.try_get(0)?)
    }

    fn get(&self, id: i64) -> Result<Option<Batch>> {
        let row = self.conn()?.query_opt(
            &format!("SELECT {BATCH_COLUMNS} FROM batches WHERE id = $1"),
            &[&id],
        )?;
        row.as_ref().map(batch_from).transpose()
    }

    fn list(&self) -> Result<Vec<Batch>> {
        let rows = self.conn()?.query(
            &format!("SELECT {BATCH_COLUMNS} FROM batches ORDER BY id DESC"),
            &[],
        )?;
        rows.iter().map(batch_from).collect()
    }

    fn update(&self, batch: &Batch) -> Result<()> {
        self.conn()?.execute(
            "UPDATE batches SET encoding = $2, status = $3, options = $4, header = $5,
                 unknown_columns = $6, error = $7, warnings = $8 WHERE id = $1",
            &[
                &batch.id,
                &batch.encoding,
                &batch.status.as_str(),
                &batch.options,
                &json(&batch.header),
                &batch.unknown_columns,
                &batch.error,
                &json(&batch.warnings),
            ],
        )?;
        Ok(())
    }

    fn row(&self, batch: i64, line: u64) -> Result<Option<StagedRow>> {
        let row = self.conn()?.query_opt(
            &format!("SELECT {ROW_COLUMNS} FROM staged_rows WHERE batch_id = $1 AND line = $2"),
            &[&batch, &(line as i64)],
        )?;
        row.as_ref().map(row_from).transpose()
    }

    fn rows(
        &self,
        batch: i64,
        filter: &RowFilter,
        after: Option<u64>,
        limit: usize,
    ) -> Result<Vec<StagedRow>> {
        let statuses: Vec<i16> = filter
            .statuses
            .iter()
            .map(|s| code(RowStatus::ALL, s))
            .collect();
        let lines: Option<Vec<i64>> = filter
            .lines
            .as_ref()
            .map(|l| l.iter().map(|l| *l as i64).collect());
        let rows = self.conn()?.query(
            &format!(
                "SELECT {ROW_COLUMNS} FROM staged_rows
                 WHERE batch_id = $1 AND line > $2
                     AND (cardinality($3::smallint[]) = 0 OR status = ANY($3))
                     AND ($4::bigint[] IS NULL OR line = ANY($4))
                 ORDER BY line LIMIT $5"
            ),
            &[
                &batch,
                &(after.unwrap_or(0) as i64),
                &statuses,
                &lines,
                &(limit as i64),
            ],
        )?;
        rows.iter().map(row_from).collect()
    }

    fn put_rows(&self, batch: i64, rows: &[StagedRow]) -> Result<()> {
        let mut conn = self.conn()?;
        let mut tx = conn.transaction()?;
        put_rows(&mut tx, batch, rows)?;
        tx.commit()?;
        Ok(())
    }

    /// The counts kept beside the batch (or in this process) when they still hold; else
    /// tallied from the buffer and kept for the next reader.
    fn counts(&self, batch: i64) -> Result<RowCounts> {
        if let Some(Some(counts)) = self.get(batch)?.map(|b| b.purged_counts) {
            return Ok(counts);
        }
        let Some((version, counts)) = self.tally(batch)? else {
            return Ok(RowCounts::default());
        };
        {
            let mut tallies = super::lock(&self.tallies);
            if tallies.len() >= KEPT_TALLIES {
                tallies.clear();
            }
            tallies.insert(batch, (version, counts.clone()));
        }
        self.conn()?.execute(
            "UPDATE batches SET tally = $2, tally_version = $3 WHERE id = $1 AND rows_version = $3",
            &[&batch, &json(&counts), &version],
        )?;
        Ok(counts)
    }

    fn repeated_keys(&self, batch: i64, hashes: &[i64]) -> Result<Vec<Repeated>> {
        if hashes.is_empty() {
            return Ok(Vec::new());
        }
        let rows = self.conn()?.query(
            &format!(
                "SELECT line, login_hash, email_hash FROM staged_rows
                 WHERE batch_id = $1 AND status IN ({})
                     AND (login_hash = ANY($2) OR email_hash = ANY($2))
                 ORDER BY line",
                crate::batches::valid_status_codes()
            ),
            &[&batch, &hashes],
        )?;
        let found = rows
            .iter()
            .map(|row| {
                Ok((
                    row.try_get::<_, i64>(0)? as u64,
                    [row.try_get(1)?, row.try_get(2)?],
                ))
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(repeated_among(found, hashes))
    }

    fn lines_with_key(&self, batch: i64, key: usize, hash: i64) -> Result<Vec<u64>> {
        let column = if key == 0 { "login_hash" } else { "email_hash" };
        let rows = self.conn()?.query(
            &format!(
                "SELECT line FROM staged_rows WHERE batch_id = $1 AND {column} = $2 ORDER BY line"
            ),
            &[&batch, &hash],
        )?;
        rows.iter()
            .map(|r| Ok(r.try_get::<_, i64>(0)? as u64))
            .collect()
    }

    fn shared_hashes(&self, batch: i64) -> Result<Vec<i64>> {
        let rows = self
            .conn()?
            .query(&crate::batches::shared_hashes_sql("$1"), &[&batch])?;
        rows.iter().map(|r| Ok(r.try_get(0)?)).collect()
    }

    fn take_chunk(&self, batch: i64) -> Result<u64> {
        let taken: i64 = self
            .conn()?
            .query_one(
                "INSERT INTO check_shares (batch_id, taken) VALUES ($1, 1)
                 ON CONFLICT (batch_id) DO UPDATE SET taken = check_shares.taken + 1
                 RETURNING taken - 1",
                &[&batch],
            )?
            .try_get(0)?;
        Ok(taken as u64)
    }

    fn chunk_staged(&self, batch: i64, chunk: u64, shops: &[u32]) -> Result<()> {
        self.conn()?.execute(
            "INSERT INTO check_chunks (batch_id, chunk, shops) VALUES ($1, $2, $3)
             ON CONFLICT (batch_id, chunk) DO UPDATE SET shops = excluded.shops",
            &[&batch, &(chunk as i64), &crate::batches::shops_text(shops)],
        )?;
        Ok(())
    }

    fn staged_chunks(&self, batch: i64) -> Result<(u64, Vec<u32>)> {
        let rows = self.conn()?.query(
            "SELECT shops FROM check_chunks WHERE batch_id = $1",
            &[&batch],
        )?;
        let texts = rows
            .iter()
            .map(|r| r.try_get::<_, String>(0))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        Ok((texts.len() as u64, crate::batches::shops_of(texts)))
    }

    fn purge(&self, batch: i64) -> Result<bool> {
        let counts = self.counts(batch)?;
        let mut conn = self.conn()?;
        let mut tx = conn.transaction()?;
        let deleted = tx.execute("DELETE FROM staged_rows WHERE batch_id = $1", &[&batch])?;
        tx.execute("DELETE FROM check_chunks WHERE batch_id = $1", &[&batch])?;
        tx.execute("DELETE FROM check_shares WHERE batch_id = $1", &[&batch])?;
        tx.execute(
            "UPDATE batches SET counts = COALESCE(counts, $2), purged_at = COALESCE(purged_at, $3)
             WHERE id = $1",
            &[&batch, &json(&counts), &now()],
        )?;
        tx.commit()?;
        Ok(deleted > 0)
    }

    fn compact(&self) -> Result<()> {
        self.conn()?.batch_execute("VACUUM staged_rows")?;
        Ok(())
    }
}
