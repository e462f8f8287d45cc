//! An export stops at the first customer its encoding cannot hold, names that customer's
//! row and column, and has written every row before it, whichever thread rendered them.

use custio_engine::{Engine, EngineError, ImportOptions, NoProgress};
use custio_formats::{FormatError, TextEncoding, WriteOptions};
use custio_store::CustomerQuery;

const ROWS: usize = 5000;
const BAD_ROW: usize = 4321;

fn file() -> String {
    let mut text = String::from("login;email;firstname;lastname;street;zipcode;city\n");
    for i in 1..=ROWS {
        let last = if i == BAD_ROW { "Nowak漢" } else { "Nowak" };
        text.push_str(&format!(
            "u{i};u{i}@example.pl;Łucja;{last};Jasna 5;00-950;Warszawa\n"
        ));
    }
    text
}

#[test]
fn a_customer_the_encoding_cannot_hold_stops_the_export_after_every_row_before_it() {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::open(&custio_testdb::url(dir.path(), "c.db")).unwrap();
    let text = file();
    let report = engine
        .import(
            Box::new(text.as_bytes()),
            "f.csv",
            "idosell",
            &ImportOptions::default(),
            &NoProgress,
        )
        .unwrap();
    assert_eq!(report.counts.imported, ROWS as u64);

    let mut out = Vec::new();
    let options = WriteOptions {
        encoding: Some(TextEncoding::Windows1250),
        ..WriteOptions::default()
    };
    let error = engine
        .export(
            "idosell",
            options,
            &CustomerQuery::default(),
            Box::new(&mut out),
            "test",
            &NoProgress,
        )
        .unwrap_err();
    match error {
        EngineError::Format(FormatError::Unmappable {
            row,
            column,
            character,
            ..
        }) => assert_eq!(
            (row, column.as_str(), character),
            (BAD_ROW as u64, "lastname", '漢')
        ),
        other => panic!("{other}"),
    }
    let (written, _, _) = encoding_rs::WINDOWS_1250.decode(&out);
    let lines: Vec<&str> = written.lines().collect();
    assert_eq!(
        lines.len(),
        BAD_ROW,
        "the header and every row before the bad one"
    );
    assert!(
        lines[1].contains(";u1;") && lines[1].contains("Łucja"),
        "{}",
        lines[1]
    );
    assert!(
        lines[BAD_ROW - 1].contains(&format!(";u{};", BAD_ROW - 1)),
        "{}",
        lines[BAD_ROW - 1]
    );
}
