use custio_engine::formats::{ExportKind, WriteOptions};
use custio_engine::records::CustomerQuery;

use crate::args::{ExportArgs, KindArg, Output, Switch};
use crate::progress::Bar;
use crate::{Outcome, UsageError};

pub fn run(engine: &custio_engine::Engine, args: ExportArgs) -> anyhow::Result<Outcome> {
    let kind = match args.kind {
        KindArg::Full => ExportKind::Full,
        KindArg::Legacy => ExportKind::Legacy,
        KindArg::View if args.columns.is_empty() => {
            return Err(UsageError(
                "--kind view needs --columns, e.g. --columns login,email,firstname,lastname".into(),
            )
            .into());
        }
        KindArg::View => ExportKind::View(args.columns.clone()),
    };
    let encoding = args
        .encoding
        .as_deref()
        .map(str::parse)
        .transpose()
        .map_err(|e: custio_engine::formats::FormatError| UsageError(e.to_string()))?;
    let options = WriteOptions {
        kind,
        encoding,
        excel_safe: args.excel_safe == Switch::On,
        shop_ids: Vec::new(),
        custom_field_keys: Vec::new(),
        with_password_hashes: args.with_password_hashes,
    };
    let query = CustomerQuery {
        search: args.search.clone(),
        shop: args.shop,
        ..CustomerQuery::default()
    };
    let actor = super::actor();
    let (output, out) = Output::open(&args.output)?;
    let written = engine.export(&args.format, options, &query, out, &actor, &Bar::new())?;
    output.keep()?;
    if args.output != "-" {
        eprintln!("{written} customer(s) written to {}", args.output);
    }
    Ok(Outcome::Done)
}
