//! `custio convert`: one format's file into another's, streaming, without the database.

use std::fs::File;
use std::io::{BufReader, Read, Write};

use anyhow::Context;
use custio_engine::formats::{ColumnRef, FormatError, ReadOptions, TextEncoding, WriteOptions};
use custio_engine::{ConvertOptions, ConvertReport, Engine, EngineError, convert};

use crate::args::{ConvertArgs, Output, Switch};
use crate::progress::Bar;
use crate::{Outcome, UsageError};

/// Opens the input a file argument names (`-`: standard input).
pub fn open_input(path: &str) -> anyhow::Result<Box<dyn Read>> {
    Ok(if path == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        Box::new(BufReader::new(
            File::open(path).with_context(|| format!("cannot open {path}"))?,
        ))
    })
}

/// A detection failure is a usage matter: the user names the format.
pub fn undetected(err: &FormatError, flag: &str) -> Option<UsageError> {
    matches!(err, FormatError::Undetected { .. })
        .then(|| UsageError(format!("{err}; name the format with {flag}")))
}

pub fn run(args: &ConvertArgs) -> anyhow::Result<Outcome> {
    for id in args.from.iter().chain([&args.to]) {
        Engine::dialect(id).map_err(|e| UsageError(e.to_string()))?;
    }
    let encoding = args
        .encoding
        .as_deref()
        .map(str::parse::<TextEncoding>)
        .transpose()
        .map_err(|e| UsageError(e.to_string()))?;
    let options = ConvertOptions {
        from: args.from.clone(),
        to: args.to.clone(),
        read: ReadOptions {
            has_header: args.has_header.then_some(true),
            mappings: super::mappings::parse_maps(&args.maps)?,
            bindings: super::mappings::parse_binds(&args.binds)?
                .into_iter()
                .map(|(field, column)| (field, ColumnRef::parse(&column)))
                .collect(),
            ..ReadOptions::default()
        },
        write: WriteOptions {
            encoding,
            excel_safe: args.excel_safe == Switch::On,
            shop_ids: vec![1],
            ..WriteOptions::default()
        },
    };
    let input = open_input(&args.input)?;
    let (file, output) =
        Output::open(&args.output).with_context(|| format!("cannot create {}", args.output))?;
    let report = match convert(input, output, &options, &Bar::new()) {
        Ok(report) => {
            file.keep()
                .with_context(|| format!("cannot create {}", args.output))?;
            report
        }
        Err(EngineError::UnmappedColumn { unknown, .. }) => {
            let source = args.from.as_deref().unwrap_or("the input's format");
            let mut message = format!(
                "the file has columns {source} does not know; name each with --map 'Column=field' or --map 'Column=ignore'"
            );
            for line in super::import::unknown_column_lines(&unknown) {
                message.push('\n');
                message.push_str(&line);
            }
            return Err(anyhow::anyhow!(message));
        }
        Err(EngineError::Format(e)) => {
            return Err(match undetected(&e, "--from") {
                Some(usage) => usage.into(),
                None => anyhow::Error::new(e).context(format!("converting {}", args.input)),
            });
        }
        Err(e) => return Err(e.into()),
    };
    // The converted file may be on standard output: the report then goes to standard error.
    let mut out: Box<dyn Write> = if args.output == "-" {
        Box::new(std::io::stderr().lock())
    } else {
        Box::new(std::io::stdout().lock())
    };
    if args.json {
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else {
        print_report(&mut out, &report, &args.output)?;
    }
    Ok(if report.left_out_count > 0 {
        Outcome::Rejected
    } else {
        Outcome::Done
    })
}

fn print_report(out: &mut dyn Write, r: &ConvertReport, output: &str) -> std::io::Result<()> {
    if r.detected {
        writeln!(out, "detected format: {}", r.from)?;
    }
    let target = if output == "-" {
        "standard output".to_string()
    } else {
        output.to_string()
    };
    writeln!(
        out,
        "{} -> {}: {} row(s) read ({}), {} written to {target}, {} left out",
        r.from, r.to, r.rows, r.encoding, r.written, r.left_out_count
    )?;
    for row in &r.left_out {
        for issue in &row.issues {
            let value = issue
                .value
                .as_deref()
                .map(|v| format!(" (value '{v}')"))
                .unwrap_or_default();
            writeln!(out, "  line {}: {}{value}", row.line, issue)?;
        }
    }
    if r.left_out_count > r.left_out.len() as u64 {
        writeln!(
            out,
            "  ... and {} more row(s) left out",
            r.left_out_count - r.left_out.len() as u64
        )?;
    }
    if !r.unknown_columns.is_empty() {
        writeln!(
            out,
            "columns {} does not know, not converted: {}",
            r.from,
            r.unknown_columns.join(", ")
        )?;
    }
    if let Some(line) = r.cannot_hold_line() {
        writeln!(out, "{line}")?;
    }
    Ok(())
}
