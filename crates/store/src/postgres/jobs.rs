//! The job queue in PostgreSQL, shared by every process of one base: a claim skips the
//! jobs another worker is taking at that moment (`FOR UPDATE SKIP LOCKED`).

use postgres::Row;
use postgres::types::ToSql;

use super::{PostgresStore, now};
use crate::{Job, JobState, JobStore, NewJob, Result};

const JOB_COLUMNS: &str = "id, kind, state, payload, result, done, total, rate, error, note, attempts, created_by, created_at, started_at, finished_at";

fn job_from(r: &Row) -> Job {
    Job {
        id: r.get(0),
        kind: r.get(1),
        state: JobState::parse(r.get(2)).unwrap_or(JobState::Failed),
        payload: r.get(3),
        result: r.get(4),
        done: r.get::<_, i64>(5) as u64,
        total: r.get::<_, Option<i64>>(6).map(|t| t as u64),
        rate: r.get(7),
        error: r.get(8),
        note: r.get(9),
        attempts: r.get::<_, i32>(10) as u32,
        created_by: r.get(11),
        created_at: r.get(12),
        started_at: r.get(13),
        finished_at: r.get(14),
    }
}

/// The jobs a `WHERE ... ORDER BY ...` tail selects.
fn jobs(store: &PostgresStore, tail: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Vec<Job>> {
    let sql = format!("SELECT {JOB_COLUMNS} FROM jobs {tail}");
    Ok(store
        .conn()?
        .query(&sql, params)?
        .iter()
        .map(job_from)
        .collect())
}

impl JobStore for PostgresStore {
    fn create(&self, job: &NewJob) -> Result<i64> {
        let row = self.conn()?.query_one(
            "INSERT INTO jobs (kind, state, payload, created_by, created_at)
             VALUES ($1, 'queued', $2, $3, $4) RETURNING id",
            &[&job.kind, &job.payload, &job.created_by, &now()],
        )?;
        Ok(row.get(0))
    }

    fn get(&self, id: i64) -> Result<Option<Job>> {
        let sql = format!("SELECT {JOB_COLUMNS} FROM jobs WHERE id = $1");
        Ok(self.conn()?.query_opt(&sql, &[&id])?.as_ref().map(job_from))
    }

    fn list(&self, limit: usize) -> Result<Vec<Job>> {
        jobs(self, "ORDER BY id DESC LIMIT $1", &[&(limit as i64)])
    }

    /// One statement: the row it picks is locked until it is `running`, and a row another
    /// worker holds is skipped, never waited for.
    fn claim(&self) -> Result<Option<Job>> {
        let sql = format!(
            "UPDATE jobs SET state = 'running', attempts = attempts + 1, started_at = $1
             WHERE id = (SELECT id FROM jobs WHERE state = 'queued' ORDER BY id LIMIT 1
                         FOR UPDATE SKIP LOCKED)
             RETURNING {JOB_COLUMNS}"
        );
        Ok(self
            .conn()?
            .query_opt(&sql, &[&now()])?
            .as_ref()
            .map(job_from))
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
        state: JobState,
        result: Option<&serde_json::Value>,
        error: Option<&str>,
    ) -> Result<()> {
        self.conn()?.execute(
            "UPDATE jobs SET state = $2, result = $3, error = $4, finished_at = $5 WHERE id = $1",
            &[&id, &state.as_str(), &result, &error, &now()],
        )?;
        Ok(())
    }

    fn requeue(&self, id: i64, note: &str) -> Result<()> {
        self.conn()?.execute(
            "UPDATE jobs SET state = 'queued', note = $2 WHERE id = $1",
            &[&id, &note],
        )?;
        Ok(())
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
}
