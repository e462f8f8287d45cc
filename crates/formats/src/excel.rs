//! Excel safety: a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return runs as
//! a formula when the file is opened in a spreadsheet. Writers prefix such text with `'`;
//! readers remove that prefix again, so our own exports re-import unchanged.

/// True for text that starts with a trigger after any number of `'`: such text gets one
/// more `'`, so that text which really starts with `'=` survives the round trip.
fn guarded_shape(cell: &str) -> bool {
    let rest = cell.trim_start_matches('\'');
    matches!(
        rest.as_bytes().first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    )
}

/// Returns the cell as it must be written. `numeric` cells (a number in a numeric column, a
/// valid phone number) are left alone: `-5` and `+48123` are data, not formulas.
pub fn guard(cell: &str, numeric: bool) -> std::borrow::Cow<'_, str> {
    if !numeric && guarded_shape(cell) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// Undoes [`guard`]: one `'` before a trigger character (or before more `'`s and one) is
/// removed.
pub fn unguard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if guarded_shape(rest) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guards_formulas_and_reads_them_back() {
        for text in ["=SUM(A1)", "@cmd", "-x", "+x", "\tx", "'=x", "''@y"] {
            let guarded = guard(text, false);
            assert_eq!(guarded.chars().next(), Some('\''));
            assert_eq!(unguard(&guarded), text);
        }
        assert_eq!(guard("-5.00", true), "-5.00");
        assert_eq!(guard("Jan", false), "Jan");
        assert_eq!(unguard("'quoted"), "'quoted");
    }
}
