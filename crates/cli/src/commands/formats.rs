use custio_engine::formats::{dialect, dialects, docs};
use custio_engine::model::Field;

use crate::args::FormatsArgs;
use crate::{Outcome, UsageError, output};

pub fn run(args: &FormatsArgs) -> anyhow::Result<Outcome> {
    let Some(id) = &args.dialect else {
        let rows: Vec<Vec<String>> = dialects()
            .iter()
            .map(|d| vec![d.id().to_string(), d.name().to_string()])
            .collect();
        output::table(&["format", "platform"], &rows)?;
        outln!();
        let fields: Vec<Vec<String>> = Field::FIXED
            .iter()
            .map(|f| vec![f.name().into_owned(), f.ty().name().to_string()])
            .collect();
        output::table(&["field", "type"], &fields)?;
        outln!("\nkeyed fields: custom_fields.KEY, stats.NAME, extra.KEY");
        return Ok(Outcome::Done);
    };
    let dialect = dialect(id).ok_or_else(|| {
        UsageError(format!(
            "unknown format '{id}'; run `custio formats` to list them"
        ))
    })?;
    if args.markdown {
        out!("{}", docs::markdown(dialect));
        return Ok(Outcome::Done);
    }
    outln!(
        "{} ({})\n{}\n",
        dialect.name(),
        dialect.id(),
        dialect.about()
    );
    let rows: Vec<Vec<String>> = docs::rows(dialect)
        .into_iter()
        .map(|r| vec![r.header, r.meaning, r.ty, r.direction, r.rule])
        .collect();
    output::table(&["column", "meaning", "type", "direction", "rule"], &rows)?;
    Ok(Outcome::Done)
}
