use std::fs::File;
use std::io::{BufReader, Read};

use anyhow::Context;
use custio_engine::formats::{UnknownColumn, shorten};
use custio_engine::jobs::{CheckRequest, DataDir, DialectChoice};
use custio_engine::records::{BatchStatus, RowCounts, RowStatus};
use custio_engine::{CheckReport, Engine, ImportOptions, OnExisting};

use crate::args::{ImportArgs, OnExistingArg};
use crate::progress::Bar;
use crate::{Outcome, UsageError, output};

/// `import --detach`: copies the file into the data directory's uploads and queues its
/// check for a server or worker.
fn queue_check(
    engine: &Engine,
    args: &ImportArgs,
    options: ImportOptions,
    format: Option<String>,
) -> anyhow::Result<Outcome> {
    if args.file == "-" {
        return Err(UsageError("--detach needs a file, not standard input".into()).into());
    }
    let files = DataDir::create(&args.data_dir)
        .with_context(|| format!("opening the data directory {}", args.data_dir.display()))?;
    let (upload, mut copy) = files.create_upload()?;
    let mut file = File::open(&args.file).with_context(|| format!("cannot open {}", args.file))?;
    std::io::copy(&mut file, &mut copy).with_context(|| format!("copying {}", args.file))?;
    copy.sync_all()?;
    let source = std::path::Path::new(&args.file)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned());
    let request = CheckRequest {
        upload,
        source,
        dialect: format.map_or(DialectChoice::Detect, DialectChoice::Named),
        options,
        profile: args.mapping.clone(),
    };
    let job = engine.start_check(request, &super::actor())?;
    super::jobs::print_queued(&job, args.json)?;
    Ok(Outcome::Done)
}

pub fn run(engine: &Engine, args: ImportArgs) -> anyhow::Result<Outcome> {
    let mappings = super::mappings::parse_maps(&args.maps)?;
    let bindings = super::mappings::parse_binds(&args.binds)?;
    let delimiter = match args.delimiter.as_deref() {
        None => None,
        Some("tab" | "\\t" | "\t") => Some('\t'),
        Some(d) if d.len() == 1 && d.is_ascii() => d.chars().next(),
        Some(d) => {
            return Err(UsageError(format!(
                "--delimiter '{d}' must be one ASCII character or 'tab'"
            ))
            .into());
        }
    };
    let mut options = ImportOptions {
        encoding: args.encoding.clone(),
        mappings,
        bindings,
        has_header: args.has_header.then_some(true),
        delimiter,
        default_group: args.group.clone(),
        on_existing: match args.on_existing {
            OnExistingArg::Update => OnExisting::Update,
            OnExistingArg::Skip => OnExisting::Skip,
            OnExistingArg::Fail => OnExisting::Fail,
        },
    };
    if let Some(e) = &args.encoding {
        e.parse::<custio_engine::formats::TextEncoding>()
            .map_err(|err| UsageError(err.to_string()))?;
    }
    // A saved profile names its format, which then needs no detection.
    let named_format = match (&args.format, &args.mapping) {
        (Some(format), _) => Some(format.clone()),
        (None, Some(profile)) => match engine.mapping_profile(profile) {
            Ok(p) => Some(p.dialect),
            Err(custio_engine::EngineError::MappingProfileNotFound(_)) => None,
            Err(e) => return Err(e.into()),
        },
        (None, None) => None,
    };
    if let Some(format) = &named_format {
        Engine::dialect(format).map_err(|e| UsageError(e.to_string()))?;
    }
    if args.detach {
        return queue_check(engine, &args, options, named_format);
    }
    let (mut input, size): (Box<dyn Read>, Option<u64>) = if args.file == "-" {
        (Box::new(std::io::stdin().lock()), None)
    } else {
        let file = File::open(&args.file).with_context(|| format!("cannot open {}", args.file))?;
        let size = file.metadata().ok().map(|m| m.len());
        (Box::new(BufReader::new(file)), size)
    };
    let format = match named_format {
        Some(format) => format,
        None => {
            let (found, whole) =
                custio_engine::formats::detect(input).map_err(
                    |e| match super::convert::undetected(&e, "--format") {
                        Some(usage) => anyhow::Error::new(usage),
                        None => anyhow::Error::new(e).context(format!("reading {}", args.file)),
                    },
                )?;
            input = whole;
            options.has_header = options.has_header.or(found.has_header);
            let id = found.dialect.id();
            if args.json {
                eprintln!("detected format: {id}");
            } else {
                outln!("detected format: {id}");
            }
            id.to_string()
        }
    };
    if let Some(profile) = &args.mapping {
        options.mappings = engine
            .mappings_with_profile(&format, profile, &options.mappings)
            .map_err(|e| UsageError(e.to_string()))?;
    }
    let (bar, input) = Bar::reading(size, input);
    let report = if args.commit {
        engine.import(input, &args.file, &format, &options, &bar)?
    } else {
        engine.check(input, &args.file, &format, &options, &bar)?
    };
    if args.json {
        let mut summary = summary_json(&report);
        if args.profile {
            summary["profile"] = serde_json::to_value(report.profile)?;
        }
        output::json(&summary)?;
    } else {
        print_report(engine, &report, args.commit)?;
        if let (true, Some(p)) = (args.profile, report.profile) {
            outln!(
                "profile: parse {:.2} s, validate {:.2} s, pair {:.2} s, write {:.2} s (wall {:.2} s)",
                p.parse,
                p.validate,
                p.pair,
                p.write,
                p.wall
            );
        }
    }
    match report.status {
        BatchStatus::Failed => anyhow::bail!("{}", report.error.unwrap_or_default()),
        BatchStatus::NeedsMapping => anyhow::bail!(
            "batch {} needs a mapping for {} unknown column(s); import again with --map 'Column=field' (or 'Column=ignore'), or save them once with `custio mappings save NAME --format {} --map 'Column=field'` and import with --mapping NAME",
            report.batch,
            report.unknown_columns.len(),
            report.dialect
        ),
        _ if report.counts.invalid + report.counts.failed > 0 => Ok(Outcome::Rejected),
        _ => Ok(Outcome::Done),
    }
}

/// The JSON summary: the batch, its state and the row counts.
pub fn summary_json(report: &CheckReport) -> serde_json::Value {
    let c = &report.counts;
    serde_json::json!({
        "batch": report.batch,
        "status": report.status,
        "dialect": report.dialect,
        "encoding": report.encoding,
        "rows": c.rows,
        "valid": c.rows - c.invalid,
        "invalid": c.invalid,
        "new": c.new,
        "update": c.update,
        "unchanged": c.unchanged,
        "skipped": c.skipped,
        "imported": c.imported,
        "failed": c.failed,
        "unknown_columns": report.unknown_columns,
        "warnings": report.warnings,
        "error": report.error,
    })
}

pub fn counts_line(c: &RowCounts) -> String {
    format!(
        "rows {}: {} valid, {} invalid; new {}, update {}, unchanged {}; skipped {}, imported {}, failed {}",
        c.rows,
        c.rows - c.invalid,
        c.invalid,
        c.new,
        c.update,
        c.unchanged,
        c.skipped,
        c.imported,
        c.failed
    )
}

/// How many unknown columns the report lists; the rest are counted.
const LISTED: usize = 20;

/// The report's lines for unknown columns: each with its suggestions, at most [`LISTED`],
/// then how many more.
pub fn unknown_column_lines(columns: &[UnknownColumn]) -> Vec<String> {
    let mut lines: Vec<String> = columns
        .iter()
        .take(LISTED)
        .map(|u| {
            let hint = if u.suggestions.is_empty() {
                "no suggestion".to_string()
            } else {
                format!("maybe {}", u.suggestions.join(", "))
            };
            format!(
                "  column {} '{}': {hint}",
                u.index + 1,
                shorten(&u.header, 60)
            )
        })
        .collect();
    if columns.len() > LISTED {
        lines.push(format!("  ... and {} more", columns.len() - LISTED));
    }
    lines
}

fn print_report(engine: &Engine, report: &CheckReport, committed: bool) -> anyhow::Result<()> {
    let encoding = report.encoding.as_deref().unwrap_or("-");
    outln!(
        "batch {}: {} ({}, {encoding})",
        report.batch,
        report.status.as_str(),
        report.dialect
    );
    match report.status {
        BatchStatus::NeedsMapping => {
            outln!("unknown columns:");
            for line in unknown_column_lines(&report.unknown_columns) {
                outln!("{line}");
            }
            if report.unknown_columns.len() > LISTED {
                outln!("  (all of them: custio import FILE --json)");
            }
        }
        BatchStatus::Failed => {}
        _ => {
            outln!("{}", counts_line(&report.counts));
            for warning in &report.warnings {
                outln!("  warning: {warning}");
            }
            let invalid = engine.rows(report.batch, Some(RowStatus::Invalid), None, 20)?;
            for row in &invalid {
                let reasons: Vec<String> = row.issues.iter().map(ToString::to_string).collect();
                outln!("  line {}: {}", row.line, reasons.join("; "));
            }
            if report.counts.invalid > invalid.len() as u64 {
                outln!(
                    "  ... see all with: custio batches show {} --status invalid",
                    report.batch
                );
            }
            if !committed && report.counts.pending > 0 {
                outln!(
                    "review: custio batches show {0}; commit: custio batches commit {0}",
                    report.batch
                );
            }
        }
    }
    Ok(())
}
