use chrono::NaiveDateTime;

use crate::ValueError;

/// Shop-local date and time without a zone: what every dialect writes.
pub type DateTime = NaiveDateTime;

/// Parses `raw` with the first of `formats` (chrono `strftime` patterns) that fits. A
/// pattern without a time part (`%Y-%m-%d`) yields midnight. The error names the formats
/// the column takes, so the user knows what to write.
pub fn parse_datetime(raw: &str, formats: &[&str]) -> Result<DateTime, ValueError> {
    let value = raw.trim();
    for format in formats {
        if let Ok(dt) = NaiveDateTime::parse_from_str(value, format) {
            return Ok(dt);
        }
        if let Ok(d) = chrono::NaiveDate::parse_from_str(value, format) {
            return Ok(d.and_hms_opt(0, 0, 0).expect("midnight exists"));
        }
    }
    Err(ValueError::Date {
        value: raw.to_string(),
        expected: formats
            .iter()
            .map(|f| human_format(f))
            .collect::<Vec<_>>()
            .join(" or "),
    })
}

/// Writes `dt` with a chrono pattern.
pub fn format_datetime(dt: &DateTime, format: &str) -> String {
    dt.format(format).to_string()
}

fn human_format(pattern: &str) -> String {
    pattern
        .replace("%Y", "YYYY")
        .replace("%m", "MM")
        .replace("%d", "DD")
        .replace("%H", "HH")
        .replace("%M", "MM")
        .replace("%S", "SS")
}

#[cfg(test)]
mod tests {
    use super::*;

    const FORMATS: &[&str] = &["%Y-%m-%d %H:%M:%S", "%d.%m.%Y %H:%M"];

    #[test]
    fn takes_each_listed_format() {
        let a = parse_datetime("2022-08-18 10:01:34", FORMATS).unwrap();
        assert_eq!(
            format_datetime(&a, "%Y-%m-%d %H:%M:%S"),
            "2022-08-18 10:01:34"
        );
        let b = parse_datetime("18.08.2022 10:01", FORMATS).unwrap();
        assert_eq!(
            format_datetime(&b, "%Y-%m-%dT%H:%M:%S"),
            "2022-08-18T10:01:00"
        );
        let d = parse_datetime("2022-08-18", &["%Y-%m-%d"]).unwrap();
        assert_eq!(format_datetime(&d, "%H:%M"), "00:00");
    }

    #[test]
    fn names_the_expected_format() {
        let err = parse_datetime("18/08/2022", FORMATS).unwrap_err();
        assert_eq!(err.code(), "invalid_date");
        assert!(
            err.to_string()
                .contains("YYYY-MM-DD HH:MM:SS or DD.MM.YYYY HH:MM"),
            "{err}"
        );
        assert!(parse_datetime("2022-13-01 00:00:00", FORMATS).is_err());
    }
}
