use std::io::Write;

use custio_engine::jobs::{DataDir, JobOutput, JobSpec};
use custio_engine::records::{RowStatus, StagedRow};
use custio_engine::{Engine, parse_selection};

use crate::args::{BatchesCommand, Output, StatusArg};
use crate::commands::import::{counts_line, summary_json};
use crate::progress::Bar;
use crate::{Outcome, UsageError, output};

/// Rows fetched per page when listing.
const PAGE: usize = 1000;

pub fn run(engine: &Engine, cmd: BatchesCommand) -> anyhow::Result<Outcome> {
    match cmd {
        BatchesCommand::List { json } => list(engine, json),
        BatchesCommand::Show {
            batch,
            status,
            json,
        } => show(engine, batch, status.map(row_status), json),
        BatchesCommand::Edit { batch, row, set } => {
            let (field, value) = set
                .split_once('=')
                .ok_or_else(|| UsageError(format!("--set '{set}' needs the form FIELD=VALUE")))?;
            let staged = engine.edit_row(batch, row, field.trim(), value)?;
            outln!("line {}: {}", staged.line, staged.status.as_str());
            for issue in &staged.issues {
                outln!("  {}", issue);
            }
            Ok(Outcome::Done)
        }
        BatchesCommand::Skip { batch, rows } => {
            let lines = parse_selection(&rows).map_err(|e| UsageError(e.to_string()))?;
            let changed = engine.skip_rows(batch, &lines)?;
            outln!("batch {batch}: {changed} row(s) skipped");
            Ok(Outcome::Done)
        }
        BatchesCommand::Commit {
            batch,
            rows,
            detach,
        } => {
            let lines = rows
                .map(|r| parse_selection(&r))
                .transpose()
                .map_err(|e| UsageError(e.to_string()))?;
            if detach {
                let job = engine.start_commit(batch, lines, &super::actor())?;
                super::jobs::print_queued(&job, false)?;
                return Ok(Outcome::Done);
            }
            // The same runner a job worker uses, in the foreground; a commit reads no
            // files, so the data directory is only named.
            let spec = JobSpec::Commit { batch, lines };
            let counts = match engine.run_spec(&spec, &DataDir::new("custio-data"), &Bar::new()) {
                Ok(JobOutput::Commit { counts, .. }) => counts,
                Ok(other) => anyhow::bail!("a commit produced {other:?}"),
                Err(e) => return Err(e.into()),
            };
            outln!("batch {batch}: {}", counts_line(&counts));
            Ok(if counts.failed > 0 {
                Outcome::Rejected
            } else {
                Outcome::Done
            })
        }
        BatchesCommand::Purge {
            batch,
            all,
            older_than,
            data_dir,
        } => {
            // The uploaded files of purged batches go too.
            let files = DataDir::new(data_dir);
            let purged = match (batch, all, older_than) {
                (Some(batch), _, _) => {
                    engine.purge_batch(batch, &files)?;
                    vec![batch]
                }
                (None, true, _) => engine.purge_committed(None, &files)?,
                (None, false, Some(days)) => {
                    let before = chrono::Local::now().naive_local()
                        - chrono::Duration::days(i64::from(days));
                    engine.purge_committed(Some(before), &files)?
                }
                (None, false, None) => {
                    return Err(UsageError(
                        "name a batch, or use --all or --older-than DAYS".into(),
                    )
                    .into());
                }
            };
            outln!("{} batch buffer(s) purged", purged.len());
            Ok(Outcome::Done)
        }
        BatchesCommand::Errors { batch, output } => {
            let (file, out) = Output::open(&output)?;
            let written = engine.write_rejected(batch, out, &ToString::to_string)?;
            file.keep()?;
            if output != "-" {
                eprintln!("{written} rejected row(s) written to {output}");
            }
            Ok(Outcome::Done)
        }
    }
}

fn row_status(s: StatusArg) -> RowStatus {
    match s {
        StatusArg::Pending => RowStatus::Pending,
        StatusArg::Invalid => RowStatus::Invalid,
        StatusArg::Skipped => RowStatus::Skipped,
        StatusArg::Imported => RowStatus::Imported,
        StatusArg::Failed => RowStatus::Failed,
    }
}

fn list(engine: &Engine, json: bool) -> anyhow::Result<Outcome> {
    let batches = engine.batches()?;
    if json {
        let items = batches
            .iter()
            .map(|b| {
                let mut v = summary_json(&engine.report(b.id)?);
                v["source"] = b.source.clone().into();
                v["created_at"] = serde_json::to_value(b.created_at)?;
                Ok(v)
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        output::json(&items)?;
    } else {
        let rows = batches
            .iter()
            .map(|b| {
                let c = engine.report(b.id)?.counts;
                Ok(vec![
                    b.id.to_string(),
                    b.created_at.format("%Y-%m-%d %H:%M").to_string(),
                    b.status.as_str().to_string(),
                    b.dialect.clone(),
                    format!(
                        "{} rows, {} invalid, {} imported",
                        c.rows, c.invalid, c.imported
                    ),
                    b.source.clone(),
                ])
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        output::table(
            &["batch", "created", "status", "format", "rows", "file"],
            &rows,
        )?;
    }
    Ok(Outcome::Done)
}

fn show(
    engine: &Engine,
    batch: i64,
    status: Option<RowStatus>,
    json: bool,
) -> anyhow::Result<Outcome> {
    let report = engine.report(batch)?;
    let mut out = std::io::stdout().lock();
    if json {
        let head = serde_json::json!({
            "batch": report.batch,
            "status": report.status,
            "dialect": report.dialect,
            "encoding": report.encoding,
            "counts": report.counts,
        });
        let head = serde_json::to_string(&head)?;
        write!(out, "{},\"rows\":[", &head[..head.len() - 1])?;
    } else {
        writeln!(
            out,
            "batch {batch}: {} ({}); {}",
            report.status.as_str(),
            report.dialect,
            counts_line(&report.counts)
        )?;
    }
    let mut after = None;
    let mut first = true;
    loop {
        let page = engine.rows(batch, status, after, PAGE)?;
        let Some(last) = page.last() else { break };
        after = Some(last.line);
        if json {
            for row in &page {
                if !first {
                    write!(out, ",")?;
                }
                first = false;
                serde_json::to_writer(&mut out, &row_json(row)?)?;
            }
            continue;
        }
        let rows: Vec<Vec<String>> = page.iter().map(row_cells).collect();
        drop(out);
        output::table(
            &[
                "line",
                "status",
                "action",
                "paired by",
                "customer",
                "changes or errors",
            ],
            &rows,
        )?;
        out = std::io::stdout().lock();
    }
    if json {
        writeln!(out, "]}}")?;
    }
    Ok(Outcome::Done)
}

fn row_cells(r: &StagedRow) -> Vec<String> {
    let detail = if !r.issues.is_empty() {
        r.issues
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; ")
    } else if let Some(note) = &r.note {
        note.to_string()
    } else {
        r.changes
            .iter()
            .map(|c| c.field.name())
            .collect::<Vec<_>>()
            .join(", ")
    };
    vec![
        r.line.to_string(),
        r.status.as_str().to_string(),
        r.action.map(|a| a.as_str()).unwrap_or("-").to_string(),
        r.paired_by.clone().unwrap_or_default(),
        r.label.clone(),
        detail,
    ]
}

/// A row as `--json` shows it: the stored row with every code rendered as an English
/// `message` beside it.
fn row_json(row: &StagedRow) -> serde_json::Result<serde_json::Value> {
    let mut v = serde_json::to_value(row)?;
    v["message"] = serde_json::json!(row.note.as_ref().map(ToString::to_string));
    for (issue, json) in row
        .issues
        .iter()
        .zip(v["issues"].as_array_mut().into_iter().flatten())
    {
        json["message"] = serde_json::json!(issue.to_string());
    }
    Ok(v)
}
