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
        if let Some(dt) = fixed_width(value, format) {
            return Ok(dt);
        }
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

/// The common case without chrono's general parser (which reads the pattern anew for
/// every value): a pattern of `%Y`, `%m`, `%d`, `%H`, `%M`, `%S` and literal characters,
/// and a value with every number at full width. Anything else (`2024-5-1`, `%b`) is left
/// to chrono, so this only ever answers what chrono would.
fn fixed_width(value: &str, format: &str) -> Option<DateTime> {
    let (v, f) = (value.as_bytes(), format.as_bytes());
    let (mut i, mut j) = (0, 0);
    let mut parts = [0u32, 1, 1, 0, 0, 0];
    while j < f.len() {
        if f[j] == b'%' {
            let (slot, width) = match f.get(j + 1)? {
                b'Y' => (0, 4),
                b'm' => (1, 2),
                b'd' => (2, 2),
                b'H' => (3, 2),
                b'M' => (4, 2),
                b'S' => (5, 2),
                _ => return None,
            };
            let digits = v.get(i..i + width)?;
            if !digits.iter().all(u8::is_ascii_digit) {
                return None;
            }
            parts[slot] = digits.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0'));
            i += width;
            j += 2;
        } else {
            if v.get(i) != Some(&f[j]) {
                return None;
            }
            i += 1;
            j += 1;
        }
    }
    if i != v.len() {
        return None;
    }
    let [y, mo, d, h, mi, sec] = parts;
    chrono::NaiveDate::from_ymd_opt(y as i32, mo, d)?.and_hms_opt(h, mi, sec)
}

/// Writes `dt` with a chrono pattern. Patterns of `%Y %m %d %H %M %S` and literal
/// characters are written directly (exports write millions); others go through chrono.
pub fn format_datetime(dt: &DateTime, format: &str) -> String {
    let mut out = String::with_capacity(format.len() + 4);
    write_datetime(dt, format, &mut out).expect("a String takes any text");
    out
}

/// [`format_datetime`] into `out`, without a `String` of its own.
pub fn write_datetime(
    dt: &DateTime,
    format: &str,
    out: &mut impl std::fmt::Write,
) -> std::fmt::Result {
    use chrono::{Datelike, Timelike};
    let fixed = format
        .split('%')
        .skip(1)
        .all(|rest| rest.starts_with(['Y', 'm', 'd', 'H', 'M', 'S']));
    if !fixed || !(0..=9999).contains(&dt.year()) {
        return write!(out, "{}", dt.format(format));
    }
    let mut chars = format.chars();
    while let Some(c) = chars.next() {
        let (n, width) = match c {
            '%' => match chars.next() {
                Some('Y') => (dt.year() as u32, 4),
                Some('m') => (dt.month(), 2),
                Some('d') => (dt.day(), 2),
                Some('H') => (dt.hour(), 2),
                Some('M') => (dt.minute(), 2),
                _ => (dt.second(), 2),
            },
            literal => {
                out.write_char(literal)?;
                continue;
            }
        };
        let mut unit = 10u32.pow(width - 1);
        while unit > 0 {
            out.write_char(char::from(b'0' + (n / unit % 10) as u8))?;
            unit /= 10;
        }
    }
    Ok(())
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
    fn the_fast_writer_writes_as_chrono_does() {
        let at = parse_datetime("2022-08-05 07:01:04", FORMATS).unwrap();
        for format in [
            "%Y-%m-%d %H:%M:%S",
            "%d.%m.%Y %H:%M",
            "%Y-%m-%dT%H:%M:%S",
            "%d %b %Y",
            "%Y",
        ] {
            assert_eq!(
                format_datetime(&at, format),
                at.format(format).to_string(),
                "{format}"
            );
        }
    }

    #[test]
    fn the_fast_path_answers_as_chrono_does() {
        for (value, format) in [
            ("2022-08-18 10:01:34", "%Y-%m-%d %H:%M:%S"),
            ("18.08.2022 10:01", "%d.%m.%Y %H:%M"),
            ("2022-08-18", "%Y-%m-%d"),
            ("2022-8-18", "%Y-%m-%d"),
            ("2022-02-30", "%Y-%m-%d"),
            ("2022-08-18 24:00:00", "%Y-%m-%d %H:%M:%S"),
            ("18 Aug 2022", "%d %b %Y"),
        ] {
            let chrono = NaiveDateTime::parse_from_str(value, format)
                .ok()
                .or_else(|| {
                    chrono::NaiveDate::parse_from_str(value, format)
                        .ok()
                        .and_then(|d| d.and_hms_opt(0, 0, 0))
                });
            assert_eq!(
                parse_datetime(value, &[format]).ok(),
                chrono,
                "{value} {format}"
            );
        }
    }

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
