//! The command line, as clap types. Names, flags and exit codes are a contract that
//! scripts rely on: extend, never rename.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// custio: import, check, review, commit and export shop customer bases.
#[derive(Debug, Parser)]
#[command(name = "custio", version, about, long_about = None)]
pub struct Cli {
    /// Database URL: sqlite://PATH (created if missing) or postgres://USER@HOST/DB[?schema=NAME].
    #[arg(
        long,
        global = true,
        env = "CUSTIO_DB",
        default_value = "sqlite://custio.db"
    )]
    pub db: String,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check a customer file into a new batch (and commit it with --commit).
    Import(ImportArgs),
    /// Review and commit import batches.
    #[command(subcommand)]
    Batches(BatchesCommand),
    /// Export customers to a file.
    Export(ExportArgs),
    /// List and show stored customers.
    #[command(subcommand)]
    Customers(CustomersCommand),
    /// List the formats, or one format's columns.
    Formats(FormatsArgs),
    /// Manage the shops of the customer base.
    #[command(subcommand)]
    Shops(ShopsCommand),
    /// Convert a customer file from one format to another (no database involved).
    Convert(ConvertArgs),
    /// Save, list, show and delete mapping profiles (which column of a foreign file means
    /// which field), used with `import --mapping NAME`.
    #[command(subcommand)]
    Mappings(MappingsCommand),
    /// Agreements (consents) that UPgates agreement columns pair with.
    #[command(subcommand)]
    Agreements(AgreementsCommand),
    /// Pricelists that pricelist columns pair with (they are never created by an import).
    #[command(subcommand)]
    Pricelists(PricelistsCommand),
    /// Customer groups.
    #[command(subcommand)]
    Groups(GroupsCommand),
    /// Run the web panel, the REST API and the job workers.
    Serve(ServeArgs),
    /// Run job workers only, sharing the queue with `custio serve` and other workers
    /// (on PostgreSQL, on any machine that sees the same data directory).
    Worker(WorkerArgs),
    /// List and show the jobs of the queue.
    #[command(subcommand)]
    Jobs(JobsCommand),
    /// Manage the users of the panel and the API.
    #[command(subcommand)]
    Users(UsersCommand),
    /// Migrate customers from a Shoper, PrestaShop or WooCommerce shop over its API.
    Migrate(MigrateArgs),
}

#[derive(Debug, Args)]
pub struct MigrateArgs {
    #[command(subcommand)]
    pub command: MigrateCommand,
    /// Allow shops on private and loopback addresses (a shop on the same network, tests).
    #[arg(long, global = true, env = "CUSTIO_ALLOW_PRIVATE_SOURCES", value_parser = clap::builder::FalseyValueParser::new())]
    pub allow_private_sources: bool,
    /// The data directory (the generated client files, the credentials' key): the server's.
    #[arg(
        long,
        global = true,
        env = "CUSTIO_DATA",
        default_value = "custio-data"
    )]
    pub data_dir: PathBuf,
}

/// Where a shop is and how to log in to its API. Secrets may come from the environment,
/// so that they do not show in the process list.
#[derive(Debug, Args)]
pub struct SourceArgs {
    /// `shoper`, `prestashop` or `woocommerce`.
    #[arg(long)]
    pub platform: String,
    /// The shop's address (https://shop.example/).
    #[arg(long)]
    pub url: String,
    /// PrestaShop: the webservice key.
    #[arg(long, env = "CUSTIO_SOURCE_KEY", hide_env_values = true)]
    pub key: Option<String>,
    /// WooCommerce: the consumer key (ck_...).
    #[arg(long, env = "CUSTIO_SOURCE_KEY", hide_env_values = true)]
    pub consumer_key: Option<String>,
    /// WooCommerce: the consumer secret (cs_...).
    #[arg(long, env = "CUSTIO_SOURCE_SECRET", hide_env_values = true)]
    pub consumer_secret: Option<String>,
    /// Shoper: the administrator's login.
    #[arg(long)]
    pub login: Option<String>,
    /// Shoper: the administrator's password.
    #[arg(long, env = "CUSTIO_SOURCE_PASSWORD", hide_env_values = true)]
    pub password: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum MigrateCommand {
    /// Check the connection: "connection correct", or "connection incorrect" and why.
    Check(SourceArgs),
    /// Start a migration: fetch every customer into a client file (in the foreground with
    /// a progress bar, or queued for a server or worker with --detach).
    Start {
        #[command(flatten)]
        source: SourceArgs,
        /// The shops the customers are imported into (1,2).
        #[arg(long, value_delimiter = ',')]
        shops: Vec<u32>,
        /// Only queue it for a running server or worker.
        #[arg(long)]
        detach: bool,
        #[arg(long)]
        json: bool,
    },
    /// Go on with a migration whose fetch stopped, from its last checkpoint.
    Resume {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// One migration: its status and progress.
    Status {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Every migration, newest first.
    List {
        #[arg(long)]
        json: bool,
    },
    /// "Check and import": open a batch from the migration's file; prints its number.
    Import { id: i64 },
    /// Stop the migration for good and erase its credentials.
    DeleteSource { id: i64 },
}

#[derive(Debug, Subcommand)]
pub enum AgreementsCommand {
    /// Add an agreement, or change its validity.
    Add {
        name: String,
        /// How long a consent stays valid when a file gives no end date.
        #[arg(long)]
        validity_days: Option<u32>,
        #[arg(long)]
        json: bool,
    },
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum PricelistsCommand {
    Add {
        name: String,
        #[arg(long)]
        json: bool,
    },
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum GroupsCommand {
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The file to import, or - for standard input.
    pub file: String,
    /// The file's format; detected from its first bytes when left out.
    #[arg(long)]
    pub format: Option<String>,
    /// The file's encoding (utf-8, utf-8-bom, windows-1250, windows-1251); detected when left out.
    #[arg(long)]
    pub encoding: Option<String>,
    /// Map an unknown column: 'Column name=field' or 'Column name=ignore'. Repeatable.
    #[arg(long = "map", value_name = "COL=FIELD")]
    pub maps: Vec<String>,
    /// Apply a saved mapping profile (custio mappings save); --map wins for the same column.
    #[arg(long, value_name = "NAME")]
    pub mapping: Option<String>,
    /// Commit the valid rows as they are checked: the file streams straight to the
    /// customers; rows with errors stay in the batch to fix.
    #[arg(long)]
    pub commit: bool,
    /// Print where the time went: parsing, validation, pairing, writing.
    #[arg(long)]
    pub profile: bool,
    /// What to do with rows that pair with a stored customer.
    #[arg(long, value_enum, default_value = "update")]
    pub on_existing: OnExistingArg,
    /// Bind a file column to a field, for files without fixed headers (CloudCart):
    /// FIELD=COLUMN, COLUMN a 1-based position or a header name. Repeatable.
    #[arg(long = "bind", value_name = "FIELD=COLUMN")]
    pub binds: Vec<String>,
    /// The first row is a header (CloudCart files have none unless told).
    #[arg(long)]
    pub has_header: bool,
    /// The field separator (one character, or `tab`); detected when left out.
    #[arg(long)]
    pub delimiter: Option<String>,
    /// The customer group of rows that name none (CloudCart's default group).
    #[arg(long)]
    pub group: Option<String>,
    /// Only queue the check for a running server or worker: the file is copied into the
    /// data directory's uploads; prints the job.
    #[arg(long, conflicts_with_all = ["commit", "profile"])]
    pub detach: bool,
    /// The data directory a detached check's file is copied into (the server's).
    #[arg(long, env = "CUSTIO_DATA", default_value = "custio-data")]
    pub data_dir: PathBuf,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// The file to convert, or - for standard input.
    pub input: String,
    /// The input's format; detected from its first bytes when left out.
    #[arg(long)]
    pub from: Option<String>,
    /// The output's format.
    #[arg(long)]
    pub to: String,
    /// Output file, or - for standard output (the report then goes to standard error).
    #[arg(short = 'o', default_value = "-")]
    pub output: String,
    /// Output encoding (utf-8, utf-8-bom, windows-1250, windows-1251); the output format's default when left out.
    #[arg(long)]
    pub encoding: Option<String>,
    /// Neutralise cells a spreadsheet would run as formulas.
    #[arg(long, value_enum, default_value = "on")]
    pub excel_safe: Switch,
    /// The input's first row is a header (for formats without fixed headers, such as cloudcart).
    #[arg(long)]
    pub has_header: bool,
    /// Map an unknown column of the input: 'Column name=field' or 'Column name=ignore'. Repeatable.
    #[arg(long = "map", value_name = "COL=FIELD")]
    pub maps: Vec<String>,
    /// Bind a field to a column of the input, for files without fixed headers (CloudCart): FIELD=COLUMN, COLUMN a 1-based position or a header name. Repeatable.
    #[arg(long = "bind", value_name = "FIELD=COLUMN")]
    pub binds: Vec<String>,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum OnExistingArg {
    Update,
    Skip,
    Fail,
}

#[derive(Debug, Subcommand)]
pub enum BatchesCommand {
    /// List the batches, newest first.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Show a batch's rows with their status, action and errors.
    Show {
        batch: i64,
        #[arg(long, value_enum)]
        status: Option<StatusArg>,
        #[arg(long)]
        json: bool,
    },
    /// Set a field of a row and re-validate it.
    Edit {
        batch: i64,
        /// The row's line in the file.
        #[arg(long)]
        row: u64,
        /// FIELD=VALUE; FIELD is a customer field (first_name) or a column of the file.
        #[arg(long, value_name = "FIELD=VALUE")]
        set: String,
    },
    /// Skip rows: they will not be committed.
    Skip {
        batch: i64,
        /// Lines and ranges: 3,7-9.
        #[arg(long)]
        rows: String,
    },
    /// Commit the batch's pending rows, or the chosen ones.
    Commit {
        batch: i64,
        /// Lines and ranges: 3,7-9.
        #[arg(long)]
        rows: Option<String>,
        /// Only queue the commit for a running server or worker; prints the job.
        #[arg(long)]
        detach: bool,
    },
    /// Delete the buffers of committed batches (each keeps its counts) and their uploaded
    /// files, and give the space back: one batch, every committed one (--all), or those
    /// older than --older-than DAYS.
    Purge {
        batch: Option<i64>,
        #[arg(long, conflicts_with_all = ["batch", "older_than"])]
        all: bool,
        /// Purge committed batches created more than DAYS days ago.
        #[arg(long, value_name = "DAYS", conflicts_with = "batch")]
        older_than: Option<u32>,
        /// The data directory of `custio serve`, where the batches' uploaded files are.
        #[arg(long, env = "CUSTIO_DATA", default_value = "custio-data")]
        data_dir: PathBuf,
    },
    /// Write the rejected rows in the file's own format, with the reasons in a last column.
    Errors {
        batch: i64,
        /// Output file, or - for standard output.
        #[arg(short = 'o', default_value = "-")]
        output: String,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum StatusArg {
    Pending,
    Invalid,
    Skipped,
    Imported,
    Failed,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[arg(long, default_value = "idosell")]
    pub format: String,
    #[arg(long, value_enum, default_value = "full")]
    pub kind: KindArg,
    /// Columns of a view export, comma-separated.
    #[arg(long, value_delimiter = ',')]
    pub columns: Vec<String>,
    /// Only customers of this shop.
    #[arg(long)]
    pub shop: Option<u32>,
    /// Only customers whose login, e-mail, name, company or city contains this text.
    #[arg(long)]
    pub search: Option<String>,
    /// Include password hashes (recorded in the audit log).
    #[arg(long)]
    pub with_password_hashes: bool,
    /// Output encoding (utf-8, utf-8-bom, windows-1250, windows-1251); the format's default when left out.
    #[arg(long)]
    pub encoding: Option<String>,
    /// Neutralise cells a spreadsheet would run as formulas.
    #[arg(long, value_enum, default_value = "on")]
    pub excel_safe: Switch,
    /// Output file, or - for standard output.
    #[arg(short = 'o', default_value = "-")]
    pub output: String,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum KindArg {
    Full,
    View,
    Legacy,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Switch {
    On,
    Off,
}

#[derive(Debug, Subcommand)]
pub enum CustomersCommand {
    /// List customers.
    List {
        #[arg(long)]
        search: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Show one customer by id, e-mail or login.
    Show {
        key: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct FormatsArgs {
    /// A format id (idosell); without it, every format and the customer fields.
    pub dialect: Option<String>,
    /// Print the format's column table as Markdown (the docs are generated this way).
    #[arg(long)]
    pub markdown: bool,
}

#[derive(Debug, Subcommand)]
pub enum ShopsCommand {
    /// Add a shop or rename an existing one.
    Add {
        id: u32,
        name: String,
        #[arg(long)]
        url: Option<String>,
        #[arg(long)]
        language: Option<String>,
    },
    /// List the shops.
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum MappingsCommand {
    /// List the saved mapping profiles.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Show one profile's columns.
    Show {
        name: String,
        #[arg(long)]
        json: bool,
    },
    /// Save a profile (replacing one of the same name).
    Save {
        name: String,
        /// The format of the files the profile is for (csv, xlsx, idosell, ...).
        #[arg(long)]
        format: String,
        /// 'Column name=field' (or a column of the format). Repeatable.
        #[arg(long = "map", value_name = "COL=FIELD")]
        maps: Vec<String>,
        /// A column to read past. Repeatable.
        #[arg(long = "ignore", value_name = "COL")]
        ignored: Vec<String>,
    },
    /// Delete a profile.
    Delete { name: String },
}

/// The file a `-o` argument names. A file is written under a temporary name beside it
/// (readable by its owner only) and takes its name only when [`Output::keep`] says it is
/// complete: a run that fails leaves no partial file and never a half-overwritten one.
pub struct Output {
    file: Option<(tempfile::NamedTempFile, PathBuf)>,
}

impl Output {
    /// Opens `path` (`-`: standard output) and the writer to give the command.
    pub fn open(path: &str) -> std::io::Result<(Self, Box<dyn std::io::Write>)> {
        if path == "-" {
            let out = Box::new(std::io::BufWriter::new(std::io::stdout().lock()));
            return Ok((Self { file: None }, out));
        }
        let path = PathBuf::from(path);
        let dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => std::path::Path::new("."),
        };
        let temp = tempfile::Builder::new()
            .prefix(".custio-")
            .suffix(".partial")
            .tempfile_in(dir)?;
        let out = Box::new(std::io::BufWriter::new(temp.reopen()?));
        Ok((
            Self {
                file: Some((temp, path)),
            },
            out,
        ))
    }

    /// Gives the complete file its name (the writer must be dropped, hence flushed).
    pub fn keep(self) -> std::io::Result<()> {
        if let Some((temp, path)) = self.file {
            temp.persist(&path).map_err(|e| e.error)?;
        }
        Ok(())
    }
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on; a port of 0 picks a free one.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub bind: std::net::SocketAddr,
    /// Where uploads and export files are kept.
    #[arg(long, env = "CUSTIO_DATA", default_value = "custio-data")]
    pub data_dir: PathBuf,
    /// Job workers in this process.
    #[arg(long, default_value_t = 2)]
    pub workers: usize,
    /// The address people open, when it is not http://BIND (behind a proxy; https:// makes cookies Secure).
    #[arg(long)]
    pub public_url: Option<String>,
    /// Days a committed batch keeps its buffer of rows (then only its counts), and uploads
    /// and export files are kept; 0 keeps them for ever.
    #[arg(long, env = "CUSTIO_RETENTION_DAYS", default_value_t = 30)]
    pub retention_days: u32,
    /// The largest upload taken, in MB (MiB); a larger one is refused (413) while it
    /// streams in, and not kept.
    #[arg(long, env = "CUSTIO_MAX_UPLOAD_MB", default_value_t = 1024,
          value_parser = clap::value_parser!(u64).range(1..=1_048_576))]
    pub max_upload_mb: u64,
    /// The header in which a reverse proxy in front of custio passes the client's address
    /// (X-Forwarded-For, X-Real-IP; its last address counts). Off by default: the
    /// connection's address is the client's and no such header is believed. Set it only
    /// when every request comes through that proxy, which must set or overwrite it.
    #[arg(long, env = "CUSTIO_TRUSTED_PROXY_HEADER", value_name = "HEADER")]
    pub trusted_proxy_header: Option<String>,
    #[command(flatten)]
    pub jobs: JobArgs,
}

/// How job workers run, as `serve` and `worker` take it.
#[derive(Debug, Args)]
pub struct JobArgs {
    /// Seconds a worker's claim on a job holds unless renewed (it renews it three times as
    /// often); a worker that dies loses its job to another after this long.
    #[arg(long, env = "CUSTIO_JOB_LEASE", default_value_t = 30,
          value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub lease_seconds: u64,
    /// Share the check of a file of this many MiB or more with the other idle workers
    /// (each takes chunks of its rows); 0 shares every queued check.
    #[arg(long, value_name = "MIB", default_value_t = custio_engine::SHARE_CHECKS_FROM >> 20)]
    pub share_checks_from_mb: u64,
    /// Let migrations call shops on private and loopback addresses (a shop on the same
    /// network, tests).
    #[arg(long, env = "CUSTIO_ALLOW_PRIVATE_SOURCES", value_parser = clap::builder::FalseyValueParser::new())]
    pub allow_private_sources: bool,
}

#[derive(Debug, Args)]
pub struct WorkerArgs {
    /// Where uploads and export files are kept: the same directory as the server's.
    #[arg(long, env = "CUSTIO_DATA", default_value = "custio-data")]
    pub data_dir: PathBuf,
    /// Jobs this process runs at once.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..=64))]
    pub concurrency: u64,
    /// Serve the queue's figures at http://ADDR/api/v1/metrics (Prometheus text format),
    /// without a login: bind an address only the monitoring reaches (127.0.0.1:9187).
    #[arg(long, value_name = "ADDR")]
    pub metrics: Option<std::net::SocketAddr>,
    #[command(flatten)]
    pub jobs: JobArgs,
}

#[derive(Debug, Subcommand)]
pub enum JobsCommand {
    /// The newest jobs, newest first.
    List {
        #[arg(long, default_value_t = 50)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// One job: its state, progress, worker, result or error.
    Show {
        id: i64,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum UsersCommand {
    /// Add a user; the password is read from standard input (one line).
    Add {
        name: String,
        /// Make the user an admin (users, audit log, password-hash exports).
        #[arg(long)]
        admin: bool,
    },
    /// List the users.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Set a user's password, read from standard input (one line); ends the user's sessions.
    Passwd { name: String },
}
