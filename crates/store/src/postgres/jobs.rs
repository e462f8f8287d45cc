//! The job queue in PostgreSQL, shared by every process of one base: a claim skips the
//! jobs another worker is taking at that moment (`FOR UPDATE SKIP LOCKED`).

use postgres::Row;
use postgres::types::ToSql;

use super::{PostgresStore, now};
use crate::{Job, JobDurations, JobState, JobStats, JobStore, Lease, NewJob, Result};

const JOB_COLUMNS: &str = "id, kind, state, payload, result, done, total, rate, error, note, attempts, created_by, created_at, started_at, finished_at, worker, lease_until";

/// The end of a lease of `$n` seconds from now, by the server's clock (so that the
/// workers of several machines agree, whatever their own clocks say).
fn lease_end(n: usize) -> String {
    format!("LOCALTIMESTAMP + ${n} * interval '1 second'")
}

fn job_from(r: &Row) -> Result<Job> {
    Ok(Job {
        id: r.try_get(0)?,
        kind: r.try_get(1)?,
        state: JobState::parse(r.try_get(2)?).unwrap_or(JobState::Failed),
        payload: r.try_get(3)?,
        result: r.try_get(4)?,
        done: r.try_get::<_, i64>(5)? as u64,
        total: r.try_get::<_, Option<i64>>(6)?.map(|t| t as u64),
        rate: r.try_get(7)?,
        error: r.try_get(8)?,
        note: r.try_get(9)?,
        attempts: r.try_get::<_, i32>(10)? as u32,
        created_by: r.try_get(11)?,
        created_at: r.try_get(12)?,
        started_at: r.try_get(13)?,
        finished_at: r.try_get(14)?,
        worker: r.try_get(15)?,
        lease_until: r.try_get(16)?,
    })
}

/// The jobs a `WHERE ... ORDER BY ...` tail selects.
fn jobs(store: &PostgresStore, tail: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Vec<Job>> {
    let sql = format!("SELECT {JOB_COLUMNS} FROM jobs {tail}");
    store
        .conn()?
        .query(&sql, params)?
        .iter()
        .map(job_from)
        .collect()
}

impl JobStore for PostgresStore {
    fn create(&self, job: &NewJob) -> Result<i64> {
        let row = self.conn()?.query_one(
            "INSERT INTO jobs (kind, state, payload, created_by, created_at)
             VALUES ($1, 'queued', $2, $3, $4) RETURNING id",
            &[&job.kind, &job.payload, &job.created_by, &now()],
        )?;
        Ok(row.try_get(0)?)
    }

    fn get(&self, id: i64) -> Result<Option<Job>> {
        let sql = format!("SELECT {JOB_COLUMNS} FROM jobs WHERE id = $1");
        self.conn()?
            .query_opt(&sql, &[&id])?
            .as_ref()
            .map(job_from)
            .transpose()
    }

    fn list(&self, limit: usize) -> Result<Vec<Job>> {
        jobs(self, "ORDER BY id DESC LIMIT $1", &[&(limit as i64)])
    }

    /// One statement: the row it picks is locked until it is `running`, and a row another
    /// worker holds is skipped, never waited for.
    fn claim(&self, lease: &Lease) -> Result<Option<Job>> {
        let sql = format!(
            "UPDATE jobs SET state = 'running', attempts = attempts + 1, started_at = $1,
                 worker = $2, lease_until = {}
             WHERE id = (SELECT id FROM jobs WHERE state = 'queued' ORDER BY id LIMIT 1
                         FOR UPDATE SKIP LOCKED)
             RETURNING {JOB_COLUMNS}",
            lease_end(3)
        );
        let seconds = f64::from(lease.seconds);
        self.conn()?
            .query_opt(&sql, &[&now(), &lease.worker, &seconds])?
            .as_ref()
            .map(job_from)
            .transpose()
    }

    fn renew(&self, id: i64, attempt: u32, lease: &Lease) -> Result<bool> {
        let sql = format!(
            "UPDATE jobs SET lease_until = {}, worker = $4
             WHERE id = $1 AND attempts = $2 AND state = 'running'",
            lease_end(3)
        );
        let seconds = f64::from(lease.seconds);
        let changed = self
            .conn()?
            .execute(&sql, &[&id, &(attempt as i32), &seconds, &lease.worker])?;
        Ok(changed > 0)
    }

    fn expired(&self) -> Result<Vec<Job>> {
        jobs(
            self,
            "WHERE state = 'running' AND lease_until < LOCALTIMESTAMP ORDER BY id",
            &[],
        )
    }

    fn progress(&self, id: i64, done: u64, total: Option<u64>, rate: Option<f64>) -> Result<()> {
        self.conn()?.execute(
            "UPDATE jobs SET done = $2, total = COALESCE($3, total), rate = $4 WHERE id = $1",
            &[&id, &(done as i64), &total.map(|t| t as i64), &rate],
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
        let changed = self.conn()?.execute(
            "UPDATE jobs SET state = $3, result = $4, error = $5, finished_at = $6, lease_until = NULL
             WHERE id = $1 AND attempts = $2 AND state = 'running'",
            &[&id, &(attempt as i32), &state.as_str(), &result, &error, &now()],
        )?;
        Ok(changed > 0)
    }

    fn requeue(&self, id: i64, attempt: u32, note: &str) -> Result<bool> {
        let changed = self.conn()?.execute(
            "UPDATE jobs SET state = 'queued', note = $3, lease_until = NULL
             WHERE id = $1 AND attempts = $2 AND state = 'running'",
            &[&id, &(attempt as i32), &note],
        )?;
        Ok(changed > 0)
    }

    fn running(&self) -> Result<Vec<Job>> {
        jobs(self, "WHERE state = 'running' ORDER BY id", &[])
    }

    fn unfinished(&self) -> Result<Vec<Job>> {
        jobs(
            self,
            "WHERE state IN ('queued', 'running') ORDER BY id",
            &[],
        )
    }

    fn stats(&self) -> Result<JobStats> {
        let mut conn = self.conn()?;
        let mut stats = JobStats::default();
        for row in conn.query(
            "SELECT kind, state, COUNT(*) FROM jobs GROUP BY 1, 2 ORDER BY 1, 2",
            &[],
        )? {
            if let Some(state) = JobState::parse(row.try_get(1)?) {
                stats
                    .by_state
                    .push((row.try_get(0)?, state, row.try_get::<_, i64>(2)? as u64));
            }
        }
        let row = conn.query_one(
            "SELECT COALESCE(SUM(GREATEST(attempts - 1, 0)), 0)::bigint,
                    COUNT(*) FILTER (WHERE state = 'running' AND lease_until < LOCALTIMESTAMP)
             FROM jobs",
            &[],
        )?;
        stats.restarts = row.try_get::<_, i64>(0)? as u64;
        stats.expired = row.try_get::<_, i64>(1)? as u64;
        for row in conn.query(
            "SELECT kind, COUNT(*), SUM(seconds), MAX(seconds) FROM (
                 SELECT kind, extract(epoch FROM finished_at - started_at)::float8 AS seconds
                 FROM jobs WHERE finished_at IS NOT NULL AND started_at IS NOT NULL) AS done
             GROUP BY 1 ORDER BY 1",
            &[],
        )? {
            stats.durations.push(JobDurations {
                kind: row.try_get(0)?,
                count: row.try_get::<_, i64>(1)? as u64,
                seconds: row.try_get(2)?,
                max_seconds: row.try_get(3)?,
            });
        }
        Ok(stats)
    }
}
