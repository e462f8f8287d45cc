//! Migrations from shop platforms' APIs (seeds 000 and 001): a source is checked, then a
//! job fetches every customer page by page into an IdoSell IOF 3.0 client file kept in
//! the data directory, checkpointing after each page, and waits for verification; "check
//! and import" opens an ordinary batch from that file. Deleting the source stops the
//! migration for good and erases its credentials.
//!
//! A fetch that stopped (a crash, a worker that died) goes on from its last checkpoint:
//! the file is cut back to the pages the checkpoint counts and the source is read from the
//! cursor on, so no customer is written twice or left out. A migration of the same shop
//! run again pairs its customers with those the first one created by their login and
//! e-mail, as any IOF import does, and updates them.

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::{Seek, SeekFrom, Write};

use custio_model::Customer;
use custio_sources::{Connection, Credentials, Cursor, SourceConfig, SourceCustomer, connect};
use custio_store::{Migration, NewMigration};
use serde::{Deserialize, Serialize};

use crate::jobs::{DataDir, JobError, JobSpec};
use crate::sealing::Sealer;
use crate::{Engine, EngineError, Progress};

/// Where a migration stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MigrationStatus {
    /// Waiting for a worker.
    Queued,
    /// Waiting for the XML file to be generated: customers are being fetched.
    Fetching,
    /// Waiting for verification: the file is generated; "check and import" opens a batch.
    Verifying,
    /// A batch was opened from the file (see `batch`).
    Checked,
    /// The fetch failed (see `error`); starting it again goes on from its checkpoint.
    Failed,
    /// The source was deleted: its credentials are erased and nothing more is fetched.
    Deleted,
}

impl MigrationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Fetching => "fetching",
            Self::Verifying => "verifying",
            Self::Checked => "checked",
            Self::Failed => "failed",
            Self::Deleted => "deleted",
        }
    }

    fn parse(s: &str) -> Self {
        [
            Self::Queued,
            Self::Fetching,
            Self::Verifying,
            Self::Checked,
            Self::Failed,
        ]
        .into_iter()
        .find(|v| v.as_str() == s)
        .unwrap_or(Self::Deleted)
    }
}

/// What the engine keeps of a migration beside its source.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
struct State {
    /// The shops the customers are imported into.
    shops: Vec<u32>,
    /// Every customer up to here is in the file.
    cursor: Option<Cursor>,
    /// Pages read.
    pages: u64,
    /// Customers written into the file.
    customers: u64,
    /// Records left out, by reason (`guest`, `deleted`, `role shop_manager`).
    skipped: BTreeMap<String, u64>,
    /// Customers with values that could not be taken (listed in the job's log).
    with_problems: u64,
    /// How many customers the shop says it has, where it says so.
    total: Option<u64>,
    /// Bytes of the partial file that hold the checkpointed pages.
    written: u64,
    /// The generated client file's name under `migrations/`.
    file: Option<String>,
    /// The batch opened from it.
    batch: Option<i64>,
    /// The job that fetches.
    job: Option<i64>,
    error: Option<String>,
}

/// A migration as the panel, the API and `custio migrate status --json` show it.
#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct MigrationView {
    pub id: i64,
    /// `shoper`, `prestashop` or `woocommerce`.
    pub platform: String,
    pub url: String,
    pub status: MigrationStatus,
    #[schema(value_type = String)]
    pub created_at: custio_model::DateTime,
    pub created_by: String,
    #[schema(value_type = String)]
    pub updated_at: custio_model::DateTime,
    pub shops: Vec<u32>,
    pub pages: u64,
    pub customers: u64,
    pub skipped: BTreeMap<String, u64>,
    pub with_problems: u64,
    pub total: Option<u64>,
    /// The generated IOF 3.0 client file's name, once it is complete.
    pub file: Option<String>,
    pub batch: Option<i64>,
    pub job: Option<i64>,
    pub error: Option<String>,
    /// Whether the credentials are still kept (not after "delete source").
    pub has_credentials: bool,
}

impl MigrationView {
    fn of(m: &Migration) -> Result<Self, EngineError> {
        let state = state_of(m)?;
        Ok(Self {
            id: m.id,
            platform: m.platform.clone(),
            url: m.url.clone(),
            status: MigrationStatus::parse(&m.status),
            created_at: m.created_at,
            created_by: m.created_by.clone(),
            updated_at: m.updated_at,
            shops: state.shops,
            pages: state.pages,
            customers: state.customers,
            skipped: state.skipped,
            with_problems: state.with_problems,
            total: state.total,
            file: state.file,
            batch: state.batch,
            job: state.job,
            error: state.error,
            has_credentials: m.credentials.is_some(),
        })
    }
}

fn state_of(m: &Migration) -> Result<State, EngineError> {
    serde_json::from_value(m.state.clone()).map_err(|e| {
        EngineError::NotAllowed(format!(
            "the state of migration {} cannot be read: {e}",
            m.id
        ))
    })
}

fn state_json(state: &State) -> serde_json::Value {
    serde_json::to_value(state).expect("a migration's state serialises")
}

impl Engine {
    /// The source configuration of `credentials` at `url`, under this engine's address
    /// policy.
    fn source_config(&self, url: &str, credentials: Credentials) -> SourceConfig {
        let mut config = SourceConfig::new(url, credentials);
        config.http.allow_private = self.private_sources;
        config
    }

    /// Checks that `url` is a shop of the credentials' platform that they may read.
    pub fn check_source(
        &self,
        url: &str,
        credentials: Credentials,
    ) -> Result<Connection, EngineError> {
        let config = self.source_config(url, credentials);
        Ok(connect(&config)?.check()?)
    }

    /// Saves a migration with its credentials sealed and, with `queue`, queues its fetch
    /// for a worker (without, the caller runs it: [`Engine::run_migration`]); returns the
    /// migration's id. The connection is checked first: a wrong key is told now, not when
    /// a worker takes the job.
    pub fn start_migration(
        &self,
        url: &str,
        credentials: Credentials,
        shops: Vec<u32>,
        actor: &str,
        files: &DataDir,
        queue: bool,
    ) -> Result<i64, EngineError> {
        let platform = credentials.platform();
        let url = custio_sources::address::shop_url(url, self.private_sources)?.to_string();
        self.check_source(&url, credentials.clone())?;
        let known: Vec<u32> = self
            .store()
            .catalog()
            .shops()?
            .iter()
            .map(|s| s.id)
            .collect();
        if let Some(unknown) = shops.iter().find(|s| !known.contains(s)) {
            return Err(EngineError::NotAllowed(format!(
                "there is no shop {unknown}; run `custio shops list`"
            )));
        }
        // No shop chosen: every shop of the base.
        let shops = if shops.is_empty() { known } else { shops };
        let sealer = Sealer::of(files.root())?;
        let plain = serde_json::to_vec(&credentials).expect("credentials serialise");
        let state = State {
            shops,
            ..State::default()
        };
        let id = self.store().migrations().create_migration(&NewMigration {
            created_by: actor.to_string(),
            platform: platform.id().to_string(),
            url: url.clone(),
            status: MigrationStatus::Queued.as_str().to_string(),
            credentials: sealer.seal(&plain),
            state: state_json(&state),
        })?;
        if queue {
            let job = self.enqueue(&JobSpec::Migrate { migration: id }, actor)?;
            let state = State {
                job: Some(job.id),
                ..state
            };
            self.update_state(id, MigrationStatus::Queued, &state)?;
        }
        self.audit(
            actor,
            "migration_started",
            &format!("migration {id}: {} {url}", platform.id()),
        )?;
        Ok(id)
    }

    /// One migration, or a clear error.
    pub fn migration(&self, id: i64) -> Result<MigrationView, EngineError> {
        MigrationView::of(&self.stored_migration(id)?)
    }

    /// Every migration, newest first.
    pub fn migrations(&self) -> Result<Vec<MigrationView>, EngineError> {
        self.store()
            .migrations()
            .migrations()?
            .iter()
            .map(MigrationView::of)
            .collect()
    }

    fn stored_migration(&self, id: i64) -> Result<Migration, EngineError> {
        self.store()
            .migrations()
            .migration(id)?
            .ok_or(EngineError::MigrationNotFound(id))
    }

    fn update_state(
        &self,
        id: i64,
        status: MigrationStatus,
        state: &State,
    ) -> Result<(), EngineError> {
        Ok(self
            .store()
            .migrations()
            .update_migration(id, status.as_str(), &state_json(state))?)
    }

    /// "Delete source": the migration stops for good (a fetch in progress stops at its
    /// next page) and its credentials are erased. The file fetched so far is kept.
    pub fn delete_source(&self, id: i64, actor: &str) -> Result<(), EngineError> {
        let migration = self.stored_migration(id)?;
        let state = state_of(&migration)?;
        self.store().migrations().erase_credentials(id)?;
        self.update_state(id, MigrationStatus::Deleted, &state)?;
        self.audit(
            actor,
            "migration_source_deleted",
            &format!("migration {id}: {}", migration.url),
        )
    }

    /// "Check and import": opens a batch from the generated file, as a check of an
    /// uploaded IOF file; returns the batch's number.
    pub fn import_migration(
        &self,
        id: i64,
        files: &DataDir,
        progress: &dyn Progress,
    ) -> Result<i64, JobError> {
        let migration = self.stored_migration(id)?;
        let mut state = state_of(&migration)?;
        let (
            Some(file),
            MigrationStatus::Verifying | MigrationStatus::Checked | MigrationStatus::Deleted,
        ) = (
            state.file.clone(),
            MigrationStatus::parse(&migration.status),
        )
        else {
            return Err(EngineError::NotAllowed(format!(
                "migration {id} has no complete file yet (it is {})",
                migration.status
            ))
            .into());
        };
        // The check removes its upload; the migration's file stays downloadable.
        let (upload, mut copy) = files.create_upload().map_err(EngineError::Files)?;
        let mut generated =
            File::open(files.migrations().join(&file)).map_err(EngineError::Files)?;
        std::io::copy(&mut generated, &mut copy).map_err(EngineError::Files)?;
        copy.sync_all().map_err(EngineError::Files)?;
        let spec = JobSpec::Check {
            upload,
            source: format!(
                "migration {id} from {} ({})",
                migration.platform, migration.url
            ),
            dialect: crate::jobs::DialectChoice::Named("iof".into()),
            options: crate::ImportOptions::default(),
            replaces: None,
        };
        let crate::jobs::JobOutput::Check { batch, .. } = self.run_spec(&spec, files, progress)?
        else {
            unreachable!("a check job outputs its batch");
        };
        state.batch = Some(batch);
        let status = match MigrationStatus::parse(&migration.status) {
            MigrationStatus::Deleted => MigrationStatus::Deleted,
            _ => MigrationStatus::Checked,
        };
        self.update_state(id, status, &state)?;
        Ok(batch)
    }

    /// The fetch (a job's, or the command line's in the foreground): reads the source
    /// from the last checkpoint into the migration's file, and leaves the migration
    /// waiting for verification.
    pub fn run_migration(
        &self,
        id: i64,
        files: &DataDir,
        progress: &dyn Progress,
    ) -> Result<MigrationView, JobError> {
        let migration = self.stored_migration(id)?;
        let mut state = state_of(&migration)?;
        match MigrationStatus::parse(&migration.status) {
            MigrationStatus::Queued | MigrationStatus::Fetching | MigrationStatus::Failed => {}
            MigrationStatus::Deleted => {
                return Err(EngineError::NotAllowed(format!(
                    "the source of migration {id} was deleted: nothing more is fetched"
                ))
                .into());
            }
            MigrationStatus::Verifying | MigrationStatus::Checked => {
                return Ok(MigrationView::of(&migration)?);
            }
        }
        match self.fetch(&migration, &mut state, files, progress) {
            Ok(()) => {}
            Err(e) => {
                // Kept for the user; the next run goes on from the checkpoint.
                if self
                    .stored_migration(id)
                    .is_ok_and(|m| m.status != MigrationStatus::Deleted.as_str())
                {
                    state.error = Some(e.to_string());
                    self.update_state(id, MigrationStatus::Failed, &state)?;
                }
                return Err(e.into());
            }
        }
        Ok(self.migration(id)?)
    }

    fn fetch(
        &self,
        migration: &Migration,
        state: &mut State,
        files: &DataDir,
        progress: &dyn Progress,
    ) -> Result<(), EngineError> {
        let id = migration.id;
        let sealed = migration.credentials.as_deref().ok_or_else(|| {
            EngineError::NotAllowed(format!(
                "migration {id} has no credentials (its source was deleted)"
            ))
        })?;
        let credentials: Credentials =
            serde_json::from_slice(&Sealer::of(files.root())?.open(sealed)?)
                .map_err(|e| EngineError::SealingKey(e.to_string()))?;
        let mut source = connect(&self.source_config(&migration.url, credentials))?;
        let dir = files.migrations();
        std::fs::create_dir_all(&dir).map_err(EngineError::Files)?;
        let partial = dir.join(format!("migration-{id}.xml.partial"));
        let mut out = open_partial(&partial, state).map_err(EngineError::Files)?;
        state.error = None;
        self.update_state(id, MigrationStatus::Fetching, state)?;
        progress.start(state.total, "customers");
        progress.update(state.customers);
        let mut cursor = state.cursor.unwrap_or_default();
        loop {
            if self.stored_migration(id)?.status == MigrationStatus::Deleted.as_str() {
                return Ok(()); // Stopped for good; the credentials are gone.
            }
            let page = source.page(&cursor)?;
            let customers: Vec<Customer> = page
                .customers
                .iter()
                .map(|c| customer(c, &state.shops))
                .collect();
            let records = custio_formats::iof::records(&customers)?;
            out.write_all(&records).map_err(EngineError::Files)?;
            out.sync_data().map_err(EngineError::Files)?;
            state.written += records.len() as u64;
            state.pages += 1;
            state.customers += customers.len() as u64;
            state.with_problems += page
                .customers
                .iter()
                .filter(|c| !c.problems.is_empty())
                .count() as u64;
            for problem in page
                .customers
                .iter()
                .flat_map(|c| c.problems.iter().map(move |p| (c.id, p)))
            {
                tracing::info!("migration {id}: customer {}: {}", problem.0, problem.1);
            }
            for skipped in &page.skipped {
                *state.skipped.entry(skipped.reason.clone()).or_default() += 1;
            }
            state.total = page.total.or(state.total);
            if let Some(next) = page.next {
                cursor = next;
            } else if let Some(last) = page
                .customers
                .iter()
                .map(|c| c.id)
                .chain(page.skipped.iter().map(|s| s.id))
                .max()
            {
                cursor.last_id = cursor.last_id.max(last);
            }
            state.cursor = Some(cursor);
            self.update_state(id, MigrationStatus::Fetching, state)?;
            progress.update(state.customers);
            if page.next.is_none() {
                break;
            }
        }
        out.write_all(custio_formats::iof::DOCUMENT_END.as_bytes())
            .map_err(EngineError::Files)?;
        out.sync_all().map_err(EngineError::Files)?;
        let name = format!("migration-{id}.xml");
        std::fs::rename(&partial, dir.join(&name)).map_err(EngineError::Files)?;
        state.file = Some(name);
        self.update_state(id, MigrationStatus::Verifying, state)?;
        progress.finish();
        Ok(())
    }

    fn audit(&self, actor: &str, action: &str, detail: &str) -> Result<(), EngineError> {
        Ok(self.store().audit().record(&custio_store::AuditEntry {
            at: chrono::Local::now().naive_local(),
            actor: actor.to_string(),
            action: action.to_string(),
            detail: detail.to_string(),
        })?)
    }
}

/// The partial file, cut back to the checkpointed pages (or started with the document's
/// beginning), positioned at its end.
fn open_partial(path: &std::path::Path, state: &mut State) -> std::io::Result<File> {
    if state.cursor.is_some() && state.written > 0 && path.exists() {
        let mut file = OpenOptions::new().write(true).open(path)?;
        file.set_len(state.written)?;
        file.seek(SeekFrom::End(0))?;
        return Ok(file);
    }
    let mut file = crate::jobs::private_file(path)?;
    let start = custio_formats::iof::document_start();
    file.write_all(start.as_bytes())?;
    file.sync_data()?;
    *state = State {
        shops: std::mem::take(&mut state.shops),
        job: state.job,
        written: start.len() as u64,
        ..State::default()
    };
    Ok(file)
}

/// The customer a source's customer becomes in the file.
fn customer(source: &SourceCustomer, shops: &[u32]) -> Customer {
    let mut customer = Customer::default();
    source.patch.write_to(&mut customer);
    customer.shops = shops.to_vec();
    customer
}
