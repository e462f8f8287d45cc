use crate::EngineError;

/// Parses a row selection: line numbers and inclusive ranges, `3,7-9`.
pub fn parse_selection(text: &str) -> Result<Vec<u64>, EngineError> {
    let bad = || EngineError::InvalidSelection(text.to_string());
    let mut lines = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        match part.split_once('-') {
            Some((a, b)) => {
                let (a, b): (u64, u64) = (
                    a.trim().parse().map_err(|_| bad())?,
                    b.trim().parse().map_err(|_| bad())?,
                );
                if a > b || b - a > 10_000_000 {
                    return Err(bad());
                }
                lines.extend(a..=b);
            }
            None => lines.push(part.parse().map_err(|_| bad())?),
        }
    }
    if lines.is_empty() {
        return Err(bad());
    }
    lines.sort_unstable();
    lines.dedup();
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_ranges() {
        assert_eq!(parse_selection("3,7-9").unwrap(), vec![3, 7, 8, 9]);
        assert_eq!(parse_selection(" 9, 3 ,3").unwrap(), vec![3, 9]);
        assert!(parse_selection("x").is_err());
        assert!(parse_selection("9-3").is_err());
        assert!(parse_selection("").is_err());
    }
}
