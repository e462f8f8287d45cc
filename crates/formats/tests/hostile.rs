//! Hostile and broken files against the readers: every one ends in a located error (a row
//! issue, or a fatal error naming the line), within bounded memory, and never in a panic,
//! a stack overflow or mojibake. Small files are fixtures (`tests/fixtures/idosell/`,
//! `tests/fixtures/iof/`); big ones are made here.

use std::io::Read;

use custio_formats::{
    FormatError, MAX_CELL_BYTES, ReadOptions, SourceRow, TextEncoding, TextError, dialect,
    tabular::MAX_COLUMNS,
};
use custio_model::IssueCode;

fn fixture(path: &str) -> Vec<u8> {
    let path = format!("{}/../../tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn read(dialect_id: &str, bytes: Vec<u8>) -> Result<Vec<SourceRow>, FormatError> {
    read_with(dialect_id, bytes, &ReadOptions::default())
}

fn read_with(
    dialect_id: &str,
    bytes: Vec<u8>,
    options: &ReadOptions,
) -> Result<Vec<SourceRow>, FormatError> {
    let mut rows = dialect(dialect_id)
        .unwrap()
        .open_reader(Box::new(std::io::Cursor::new(bytes)), options)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next_row() {
        out.push(row?);
    }
    Ok(out)
}

const HEADER: &str = "login;email;firstname;lastname;street;zipcode;city;phone;mailing\n";

#[test]
fn xml_nested_100_levels_is_refused_with_its_line() {
    let err = read("iof", fixture("iof/nested_100_levels.xml")).unwrap_err();
    assert!(
        matches!(
            err,
            FormatError::TooDeep {
                line: 4,
                max: 32,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .starts_with("line 4: elements are nested more than 32 levels deep inside <client>"),
        "{err}"
    );
}

#[test]
fn xml_nested_100000_levels_does_not_overflow_the_stack() {
    // Test threads have 2 MiB of stack: a recursive reader overflowed long before this.
    for inside in [true, false] {
        let mut xml = String::from("<clients>\n");
        if inside {
            xml.push_str("<client login=\"a\">\n");
        }
        xml.push_str(&"<x>".repeat(100_000));
        xml.push_str(&"</x>".repeat(100_000));
        xml.push_str(if inside {
            "</client></clients>"
        } else {
            "</clients>"
        });
        let err = read("iof", xml.into_bytes()).unwrap_err();
        assert!(
            matches!(
                err,
                FormatError::TooDeep {
                    line: _,
                    max: 32,
                    ..
                }
            ),
            "{err:?}"
        );
    }
}

#[test]
fn an_endless_xml_attribute_stops_at_the_bound() {
    let mut xml = b"<clients>\n<client login=\"".to_vec();
    xml.extend(vec![b'a'; MAX_CELL_BYTES + 10]);
    let err = read("iof", xml).unwrap_err();
    assert!(
        matches!(
            err,
            FormatError::Text(TextError::MarkupTooLarge { line: 2 })
        ),
        "{err:?}"
    );
}

#[test]
fn mixed_utf8_and_windows_1250_lines_are_refused_with_their_bytes() {
    let err = read("idosell", fixture("idosell/mixed_utf8_and_cp1250.csv")).unwrap_err();
    let FormatError::Text(TextError::Encoding {
        encoding, lines, ..
    }) = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(*encoding, "utf-8");
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0].line, 3);
    assert_eq!(
        lines[0].bytes,
        "user2;user2@example.pl;\\xAFaneta;Kowalska;Polna 2;"
    );
    // A chosen code page is taken as it is; UTF-8 chosen refuses the same line.
    let options = ReadOptions {
        encoding: Some(TextEncoding::Utf8),
        ..ReadOptions::default()
    };
    let err = read_with(
        "idosell",
        fixture("idosell/mixed_utf8_and_cp1250.csv"),
        &options,
    );
    assert!(matches!(
        err,
        Err(FormatError::Text(TextError::Encoding { .. }))
    ));
}

#[test]
fn every_csv_dialect_refuses_a_mixed_file() {
    let mut file = "email;first_name;last_name\n".as_bytes().to_vec();
    file.extend("jan@example.pl;Łukasz;Nowak\n".as_bytes());
    file.extend(
        encoding_rs::WINDOWS_1250
            .encode("ewa@example.pl;Żaneta;Nowak\n")
            .0
            .iter(),
    );
    for id in ["idosell", "shoptet", "upgates", "csv", "cloudcart"] {
        let err = read(id, file.clone()).unwrap_err();
        assert!(
            matches!(err, FormatError::Text(TextError::Encoding { .. })),
            "{id}: {err:?}"
        );
    }
}

#[test]
fn a_nul_byte_in_a_cell_rejects_the_row_with_the_value_escaped() {
    let rows = read("idosell", fixture("idosell/nul_in_firstname.csv")).unwrap();
    assert_eq!(rows.len(), 2);
    let issue = &rows[0].issues[0];
    assert_eq!(rows[0].line, 2);
    assert_eq!(
        issue.code,
        IssueCode::ControlCharacter {
            character: "U+0000".into()
        }
    );
    assert_eq!(issue.column.as_deref(), Some("firstname"));
    assert_eq!(issue.value.as_deref(), Some("Ja\\0n"));
    assert!(rows[0].patch.get(&custio_model::Field::FirstName).is_none());
    assert!(rows[1].issues.is_empty(), "{:?}", rows[1].issues);
}

#[test]
fn a_value_past_its_fields_bound_rejects_the_row() {
    let rows = read("idosell", fixture("idosell/first_name_300_chars.csv")).unwrap();
    let issue = &rows[0].issues[0];
    assert_eq!(issue.code, IssueCode::TooLong { len: 300, max: 255 });
    assert_eq!(issue.column.as_deref(), Some("firstname"));
    assert_eq!(
        issue.value.as_deref(),
        Some(format!("{}...", "A".repeat(40)).as_str())
    );
    let issue = &rows[1].issues[0];
    assert_eq!(issue.code, IssueCode::TooLong { len: 41, max: 32 });
    assert_eq!(issue.column.as_deref(), Some("phone"));
}

#[test]
fn a_cell_past_one_mib_stops_the_file_before_it_is_held() {
    let mut file = HEADER.as_bytes().to_vec();
    file.extend(b"jan;jan@example.pl;Jan;Nowak;Polna 1;00-001;Warszawa;+48500100001;n\n");
    file.extend(b"ewa;ewa@example.pl;");
    file.extend(vec![b'A'; 3 * MAX_CELL_BYTES]);
    let err = read("idosell", file).unwrap_err();
    assert!(
        matches!(
            err,
            FormatError::Text(TextError::CellTooLarge { line: 3, column: 3 })
        ),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .starts_with("line 3, column 3: a cell is longer than 1 MiB")
    );
}

#[test]
fn a_header_past_the_column_bound_is_refused_at_once() {
    let header: Vec<String> = (0..200_000).map(|i| format!("col{i}")).collect();
    let file = format!("login;email;{}\n", header.join(";"));
    let started = std::time::Instant::now();
    for id in ["idosell", "shoptet", "upgates", "csv"] {
        let err = read(id, file.clone().into_bytes()).unwrap_err();
        assert!(
            matches!(
                err,
                FormatError::TooManyColumns {
                    columns: 200_002,
                    max: MAX_COLUMNS
                }
            ),
            "{id}: {err:?}"
        );
        assert!(err.to_string().len() < 300, "{err}");
    }
    let options = ReadOptions {
        has_header: Some(true),
        ..ReadOptions::default()
    };
    let err = read_with("cloudcart", file.into_bytes(), &options).unwrap_err();
    assert!(matches!(err, FormatError::TooManyColumns { .. }), "{err:?}");
    assert!(started.elapsed().as_secs() < 30);
}

#[test]
fn the_hostile_corpus_never_panics() {
    let dir = format!(
        "{}/../../tests/fixtures/hostile",
        env!("CARGO_MANIFEST_DIR")
    );
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let mut bytes = Vec::new();
        std::fs::File::open(&path)
            .unwrap()
            .read_to_end(&mut bytes)
            .unwrap();
        for id in [
            "idosell",
            "shoptet",
            "upgates",
            "csv",
            "cloudcart",
            "iof",
            "xlsx",
        ] {
            // Any outcome but a panic: rows with issues, or a fatal error.
            let _ = read(id, bytes.clone());
        }
    }
}

/// A workbook (stored, not packed) with one worksheet of shared-string cells.
fn workbook(strings: &[&str], sheet_rows: &str) -> Vec<u8> {
    use std::io::Write;
    use zip::write::{SimpleFileOptions, ZipWriter};
    let parts = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#.to_string(),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_string(),
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_string(),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#.to_string(),
        ),
        (
            "xl/worksheets/sheet1.xml",
            format!(
                r#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{sheet_rows}</sheetData></worksheet>"#
            ),
        ),
        (
            "xl/sharedStrings.xml",
            format!(
                r#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{}</sst>"#,
                strings
                    .iter()
                    .map(|s| format!("<si><t>{s}</t></si>"))
                    .collect::<String>()
            ),
        ),
    ];
    let mut zip = ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, text) in parts {
        zip.start_file(name, stored).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

#[test]
fn a_zip_bomb_dressed_as_a_workbook_is_refused_before_it_is_unpacked() {
    // 300 KiB whose shared strings unpack to 300 MiB.
    let started = std::time::Instant::now();
    let err = read("xlsx", fixture("hostile/zip_bomb.xlsx")).unwrap_err();
    assert!(
        err.to_string().contains(
            "its part 'xl/sharedStrings.xml' unpacks to 301 MiB from 299 KiB, more than 100 times its packed size: a zip bomb"
        ),
        "{err}"
    );
    assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
}

#[test]
fn a_workbook_cell_past_one_mib_or_past_the_columns_stops_the_file() {
    let sheet = |cells: &str| {
        format!(r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2">{cells}</row>"#)
    };
    let big = "A".repeat(MAX_CELL_BYTES + 1);
    let file = workbook(&["email", &big], &sheet(r#"<c r="A2" t="s"><v>1</v></c>"#));
    let err = read("xlsx", file).unwrap_err();
    assert!(
        err.to_string()
            .contains("line 2, column 1: a cell is longer than 1 MiB"),
        "{err}"
    );
    let file = workbook(&["email", "x"], &sheet(r#"<c r="ALM2" t="s"><v>1</v></c>"#));
    let err = read("xlsx", file).unwrap_err();
    assert!(
        err.to_string()
            .contains("row 2: a cell in column 1001 lies past the 1000 columns custio reads"),
        "{err}"
    );
}
