//! The job queue in SQLite. Claims and renewals go through the one writer, so a claim is
//! atomic; processes on one machine share the file (and its lock).

use custio_model::DateTime;
use rusqlite::{OptionalExtension, Row, params};

use super::{SqliteStore, corrupt, json, now, parse_time};
use crate::{Job, JobDurations, JobState, JobStats, JobStore, Lease, NewJob, Result};

const JOB_COLUMNS: &str = "id, kind, state, payload, result, done, total, rate, error, note, attempts, created_by, created_at, started_at, finished_at, worker, lease_until";

/// The end of a lease that starts now.
fn lease_end(lease: &Lease) -> String {
    let end =
        chrono::Local::now().naive_local() + chrono::Duration::seconds(i64::from(lease.seconds));
    super::time(end)
}

type JobParts = (Job, String, Option<String>);

fn job_from(r: &Row) -> rusqlite::Result<JobParts> {
    let state: String = r.get(2)?;
    let opt_time = |i: usize| -> rusqlite::Result<Option<DateTime>> {
        Ok(r.get::<_, Option<String>>(i)?.map(|t| parse_time(&t)))
    };
    Ok((
        Job {
            id: r.get(0)?,
            kind: r.get(1)?,
            state: JobState::parse(&state).unwrap_or(JobState::Failed),
            payload: serde_json::Value::Null,
            result: None,
            done: r.get::<_, i64>(5)? as u64,
            total: r.get::<_, Option<i64>>(6)?.map(|t| t as u64),
            rate: r.get(7)?,
            error: r.get(8)?,
            note: r.get(9)?,
            attempts: r.get(10)?,
            created_by: r.get(11)?,
            created_at: parse_time(&r.get::<_, String>(12)?),
            started_at: opt_time(13)?,
            finished_at: opt_time(14)?,
            worker: r.get(15)?,
            lease_until: opt_time(16)?,
        },
        r.get(3)?,
        r.get(4)?,
    ))
}

fn finish_job_row((mut job, payload, result): JobParts) -> Result<Job> {
    job.payload = serde_json::from_str(&payload).map_err(corrupt("job payload"))?;
    job.result = result
        .map(|r| serde_json::from_str(&r))
        .transpose()
        .map_err(corrupt("job result"))?;
    Ok(job)
}

impl JobStore for SqliteStore {
    fn create(&self, job: &NewJob) -> Result<i64> {
        let conn = self.writer();
        conn.execute(
        "INSERT INTO jobs (kind, state, payload, created_by, created_at) VALUES (?1, 'queued', ?2, ?3, ?4)",
        params![job.kind, json(&job.payload), job.created_by, now()],
    )?;
        Ok(conn.last_insert_rowid())
    }

    fn get(&self, id: i64) -> Result<Option<Job>> {
        let conn = self.reader();
        conn.query_row(
            &format!("SELECT {JOB_COLUMNS} FROM jobs WHERE id = ?1"),
            [id],
            job_from,
        )
        .optional()?
        .map(finish_job_row)
        .transpose()
    }

    fn list(&self, limit: usize) -> Result<Vec<Job>> {
        let conn = self.reader();
        let mut stmt = conn.prepare(&format!(
            "SELECT {JOB_COLUMNS} FROM jobs ORDER BY id DESC LIMIT ?1"
        ))?;
        let rows = stmt.query_map([limit as i64], job_from)?;
        rows.map(|r| finish_job_row(r?)).collect()
    }

    fn claim(&self, lease: &Lease) -> Result<Option<Job>> {
        let mut conn = self.writer();
        let tx = conn.transaction()?;
        let id: Option<i64> = tx
            .query_row(
                "SELECT id FROM jobs WHERE state = 'queued' ORDER BY id LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?;
        let Some(id) = id else { return Ok(None) };
        tx.execute(
            "UPDATE jobs SET state = 'running', attempts = attempts + 1, started_at = ?2,
                 worker = ?3, lease_until = ?4
             WHERE id = ?1",
            params![id, now(), lease.worker, lease_end(lease)],
        )?;
        tx.commit()?;
        drop(conn);
        self.get(id)
    }

    fn renew(&self, id: i64, attempt: u32, lease: &Lease) -> Result<bool> {
        let changed = self.writer().execute(
            "UPDATE jobs SET lease_until = ?3, worker = ?4
             WHERE id = ?1 AND attempts = ?2 AND state = 'running'",
            params![id, attempt, lease_end(lease), lease.worker],
        )?;
        Ok(changed > 0)
    }

    fn expired(&self) -> Result<Vec<Job>> {
        let conn = self.reader();
        let mut stmt = conn.prepare(&format!(
            "SELECT {JOB_COLUMNS} FROM jobs
             WHERE state = 'running' AND lease_until IS NOT NULL AND lease_until < ?1
             ORDER BY id"
        ))?;
        let rows = stmt.query_map([now()], job_from)?;
        rows.map(|r| finish_job_row(r?)).collect()
    }

    fn progress(&self, id: i64, done: u64, total: Option<u64>, rate: Option<f64>) -> Result<()> {
        let conn = self.writer();
        conn.execute(
            "UPDATE jobs SET done = ?2, total = COALESCE(?3, total), rate = ?4 WHERE id = ?1",
            params![id, done as i64, total.map(|t| t as i64), rate],
        )?;
        Ok(())
    }

    fn finish(
        &self,
        id: i64,
        attempt: u32,
        state: JobState,
        result: Option<&serde_json::Value>,
        error: Option<&str>,
    ) -> Result<bool> {
        let changed = self.writer().execute(
            "UPDATE jobs SET state = ?3, result = ?4, error = ?5, finished_at = ?6, lease_until = NULL
             WHERE id = ?1 AND attempts = ?2 AND state = 'running'",
            params![id, attempt, state.as_str(), result.map(json), error, now()],
        )?;
        Ok(changed > 0)
    }

    fn requeue(&self, id: i64, attempt: u32, note: &str) -> Result<bool> {
        let changed = self.writer().execute(
            "UPDATE jobs SET state = 'queued', note = ?3, lease_until = NULL
             WHERE id = ?1 AND attempts = ?2 AND state = 'running'",
            params![id, attempt, note],
        )?;
        Ok(changed > 0)
    }

    fn running(&self) -> Result<Vec<Job>> {
        let conn = self.reader();
        let mut stmt = conn.prepare(&format!(
            "SELECT {JOB_COLUMNS} FROM jobs WHERE state = 'running' ORDER BY id"
        ))?;
        let rows = stmt.query_map([], job_from)?;
        rows.map(|r| finish_job_row(r?)).collect()
    }

    fn unfinished(&self) -> Result<Vec<Job>> {
        let conn = self.reader();
        let mut stmt = conn.prepare(&format!(
            "SELECT {JOB_COLUMNS} FROM jobs WHERE state IN ('queued', 'running') ORDER BY id"
        ))?;
        let rows = stmt.query_map([], job_from)?;
        rows.map(|r| finish_job_row(r?)).collect()
    }

    fn stats(&self) -> Result<JobStats> {
        let conn = self.reader();
        let mut stats = JobStats::default();
        let mut stmt =
            conn.prepare("SELECT kind, state, COUNT(*) FROM jobs GROUP BY 1, 2 ORDER BY 1, 2")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            if let Some(state) = JobState::parse(&row.get::<_, String>(1)?) {
                stats
                    .by_state
                    .push((row.get(0)?, state, row.get::<_, i64>(2)? as u64));
            }
        }
        let (restarts, expired): (i64, i64) = conn.query_row(
            "SELECT COALESCE(SUM(MAX(attempts - 1, 0)), 0),
                    COALESCE(SUM(state = 'running' AND lease_until < ?1), 0)
             FROM jobs",
            [now()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        (stats.restarts, stats.expired) = (restarts as u64, expired as u64);
        let mut stmt = conn.prepare(
            "SELECT kind, COUNT(*), SUM(seconds), MAX(seconds) FROM (
                 SELECT kind, unixepoch(finished_at) - unixepoch(started_at) AS seconds
                 FROM jobs WHERE finished_at IS NOT NULL AND started_at IS NOT NULL)
             GROUP BY 1 ORDER BY 1",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            stats.durations.push(JobDurations {
                kind: row.get(0)?,
                count: row.get::<_, i64>(1)? as u64,
                seconds: row.get::<_, f64>(2)?,
                max_seconds: row.get::<_, f64>(3)?,
            });
        }
        Ok(stats)
    }
}
