//! Excel safety: a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return runs as
//! a formula when the file is opened in a spreadsheet. Writers prefix such text with `'`;
//! readers remove that prefix again, so our own exports re-import unchanged. A `'` before
//! a digit is the same marker (Shopify writes zips as `'85705` so that a spreadsheet keeps
//! their leading zeros): readers remove it too, and writers guard text that really starts
//! with one.

/// True for text that starts with a trigger after any number of `'`, or with a digit after
/// at least one: such text gets one more `'`, so that text which really starts with `'=`
/// or `'0` survives the round trip.
fn guarded_shape(cell: &str) -> bool {
    let rest = cell.trim_start_matches('\'');
    match rest.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => true,
        Some(b'0'..=b'9') => rest.len() < cell.len(),
        _ => false,
    }
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

/// Undoes [`guard`]: one `'` before a trigger character or a digit (or before more `'`s
/// and one) is removed.
pub fn unguard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if guarded_shape(cell) => rest,
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
        assert_eq!(unguard("'85705"), "85705", "a spreadsheet's text marker");
        assert_eq!(guard("85705", false), "85705");
        for text in ["'85705", "''0123"] {
            assert_eq!(unguard(&guard(text, false)), text);
        }
    }
}
