//! Plain-text tables and JSON for standard output.

use std::io::Write;

/// Prints rows as left-aligned columns under a header.
pub fn table(header: &[&str], rows: &[Vec<String>]) -> std::io::Result<()> {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(cell.chars().count()).min(60);
        }
    }
    let mut out = std::io::stdout().lock();
    let line = |cells: Vec<String>, out: &mut dyn Write| -> std::io::Result<()> {
        let last = cells.len().saturating_sub(1);
        let text: Vec<String> = cells
            .into_iter()
            .enumerate()
            .map(|(i, c)| {
                if i == last {
                    c
                } else {
                    format!("{c:<w$}", w = widths[i])
                }
            })
            .collect();
        writeln!(out, "{}", text.join("  ").trim_end())
    };
    line(header.iter().map(|h| h.to_string()).collect(), &mut out)?;
    for row in rows {
        line(row.clone(), &mut out)?;
    }
    Ok(())
}

/// Prints a value as pretty JSON.
pub fn json<T: serde::Serialize>(value: &T) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)
}
