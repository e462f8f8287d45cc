//! The API's response bodies: the types the handlers return, so that the OpenAPI document
//! describes each answer by the same type that writes it. Stored records (customers, jobs,
//! batches, users) are the engine's own types; what the API adds to them (a job's
//! percentage and download link, the messages of a row's issues in the reader's language)
//! is here.

use custio_engine::Caller;
use custio_engine::model::{RowIssue, RowNote};
use custio_engine::records::{Batch, Job, RowAction, RowCounts, RowStatus, StagedRow, User};
use custio_i18n::Lang;
use serde::Serialize;
use utoipa::ToSchema;

/// How the caller authenticated.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Via {
    Session,
    Token,
}

/// The logged-in user.
#[derive(Serialize, ToSchema)]
pub struct Me {
    pub user: User,
    pub via: Via,
    /// The token cookie-authenticated writes carry in `X-CSRF-Token`; empty for a bearer
    /// token.
    pub csrf_token: String,
}

/// A dialect custio reads and writes.
#[derive(Serialize, ToSchema)]
pub struct Format {
    /// What `dialect=` takes (`idosell`).
    pub id: String,
    pub name: String,
    pub about: String,
}

/// A job with its percentage, and where an export's file is downloaded.
#[derive(Serialize, ToSchema)]
pub struct JobView {
    #[serde(flatten)]
    pub job: Job,
    /// Done of total, when the total is known.
    pub percent: Option<f64>,
}

impl JobView {
    /// The job as `caller` sees it: an export's result names its download only when the
    /// caller may download it.
    pub fn of(job: &Job, caller: &Caller) -> Self {
        let percent = job
            .total
            .filter(|t| *t > 0)
            .map(|t| ((job.done as f64 / t as f64) * 100.0).min(100.0).round());
        let mut job = job.clone();
        if job.kind == "export"
            && custio_engine::Engine::export_access(&job, caller).is_ok()
            && let Some(result) = job.result.as_mut().and_then(|r| r.as_object_mut())
            && result.contains_key("file")
        {
            result.insert(
                "download".into(),
                format!("/api/v1/jobs/{}/download", job.id).into(),
            );
        }
        Self { job, percent }
    }
}

/// A batch of the import log with its row counts.
#[derive(Serialize, ToSchema)]
pub struct BatchSummary {
    #[serde(flatten)]
    pub batch: Batch,
    pub counts: RowCounts,
}

/// One issue of a row, with its message in the reader's language.
#[derive(Serialize, ToSchema)]
pub struct IssueView {
    #[serde(flatten)]
    pub issue: RowIssue,
    pub message: String,
}

/// A staged row: its state, what it will do, its issues and result, with messages in the
/// reader's language (`Accept-Language`).
#[derive(Serialize, ToSchema)]
pub struct RowView {
    /// The file line the row starts on.
    pub line: u64,
    pub status: RowStatus,
    pub action: Option<RowAction>,
    /// `guid`, `login` or `email`: what paired the row with a stored customer.
    pub paired_by: Option<String>,
    pub customer_id: Option<i64>,
    /// The row's cells as read, where they are kept.
    pub cells: Vec<String>,
    pub issues: Vec<IssueView>,
    /// The fields the commit will change (or changed) on the paired customer.
    pub changes: Vec<String>,
    /// The commit's outcome or a skip reason.
    pub note: Option<RowNote>,
    /// A short label (name or e-mail) for listings.
    pub label: String,
    /// The issues' messages, for people.
    pub errors: Vec<String>,
    /// The note's message, for people.
    pub message: Option<String>,
}

impl RowView {
    pub fn of(row: &StagedRow, lang: Lang) -> Self {
        let issues: Vec<IssueView> = row
            .issues
            .iter()
            .map(|issue| IssueView {
                issue: issue.clone(),
                message: custio_i18n::issue(lang, issue),
            })
            .collect();
        Self {
            line: row.line,
            status: row.status,
            action: row.action,
            paired_by: row.paired_by.clone(),
            customer_id: row.customer_id,
            cells: row.record.clone(),
            errors: issues.iter().map(|i| i.message.clone()).collect(),
            issues,
            changes: row
                .changes
                .iter()
                .map(|c| c.field.name().to_string())
                .collect(),
            note: row.note.clone(),
            label: row.label.clone(),
            message: row.note.as_ref().map(|n| custio_i18n::note(lang, n)),
        }
    }
}

/// A page of a batch's rows.
#[derive(Serialize, ToSchema)]
pub struct RowsPage {
    pub rows: Vec<RowView>,
    /// `after=` of the next page; none on the last.
    pub next_after: Option<u64>,
}

/// How many rows a skip set aside.
#[derive(Serialize, ToSchema)]
pub struct Skipped {
    pub skipped: u64,
}

/// A page of customers.
#[derive(Serialize, ToSchema)]
pub struct CustomerPage {
    pub customers: Vec<custio_engine::model::Customer>,
    /// `after=` of the next page; none on the last.
    pub next: Option<String>,
}
