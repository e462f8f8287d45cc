//! The IdoSell CSV dialect against hand-made fixture files (`tests/fixtures/idosell/`).

use std::path::PathBuf;

use custio_formats::{
    Binding, Dialect, ExportKind, FormatError, ReadOptions, SourceRow, TextEncoding, WriteOptions,
    dialect,
};
use custio_model::{Consent, Customer, CustomerPatch, Field, Gender, Kind, Value};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/idosell")
        .join(name)
}

fn idosell() -> &'static dyn Dialect {
    dialect("idosell").unwrap()
}

fn read_with(
    name: &str,
    options: &ReadOptions,
) -> Result<(Vec<SourceRow>, TextEncoding), FormatError> {
    let file = std::fs::File::open(fixture(name)).unwrap();
    let mut reader = idosell().open_reader(Box::new(file), options)?;
    let mut rows = Vec::new();
    while let Some(row) = reader.next_row() {
        rows.push(row?);
    }
    Ok((rows, reader.encoding()))
}

fn read(name: &str) -> Vec<SourceRow> {
    read_with(name, &ReadOptions::default()).unwrap().0
}

fn text(patch: &CustomerPatch, field: Field) -> String {
    patch
        .value(&field)
        .map(|v| v.to_string())
        .unwrap_or_default()
}

fn codes(row: &SourceRow) -> Vec<&str> {
    row.issues.iter().map(|i| i.code.as_str()).collect()
}

#[test]
fn the_real_export_header_binds_every_column() {
    let header: Vec<String> = std::fs::read_to_string(fixture("real_export_header.csv"))
        .unwrap()
        .split(';')
        .map(|h| h.trim_matches('"').to_string())
        .collect();
    assert_eq!(header.len(), 62);
    let parser = idosell()
        .row_parser(&header, &ReadOptions::default())
        .unwrap();
    let binding = parser.binding();
    assert!(binding.unknown.is_empty(), "unknown: {:?}", binding.unknown);
    assert_eq!(binding.columns.len(), header.len());
    for bound in &binding.columns {
        assert!(
            matches!(bound.binding, Binding::Column { .. } | Binding::Ignored),
            "{} is not bound to a column",
            bound.header
        );
    }
    let key = |h: &str| {
        binding
            .columns
            .iter()
            .find(|c| c.header == h)
            .unwrap()
            .key
            .clone()
    };
    assert_eq!(key("orders_worth_in_shop: 2"), "orders_worth_in_shop: 2");
    assert_eq!(key(""), "");
}

#[test]
fn values_are_parsed_and_normalised() {
    let rows = read("real_header_customers.csv");
    assert_eq!(rows.len(), 5);
    let jan = &rows[0];
    assert_eq!(jan.line, 2);
    assert!(jan.issues.is_empty(), "{:?}", jan.issues);
    assert_eq!(text(&jan.patch, Field::Phone), "+48601234567");
    assert_eq!(text(&jan.patch, Field::BillingCountry), "PL");
    assert_eq!(text(&jan.patch, Field::Language), "pl");
    assert_eq!(
        jan.patch.value(&Field::Gender),
        Some(&Value::Gender(Gender::Male))
    );
    assert_eq!(
        jan.patch.value(&Field::NewsletterEmail),
        Some(&Value::Consent(Consent::Yes))
    );
    assert_eq!(
        jan.patch.value(&Field::Tags),
        Some(&Value::Texts(vec!["vip".into(), "b2c".into()]))
    );
    assert_eq!(
        jan.patch.get(&Field::DiscountPct),
        Some(&custio_model::Change::Clear),
        "'wyłączony' turns the discount off"
    );
    assert_eq!(
        text(&jan.patch, Field::Stat("orders_worth".into())),
        "2450.00"
    );
    assert_eq!(
        text(&jan.patch, Field::Extra("idosell.address".into())),
        "",
        "empty cells keep"
    );
    let anna = &rows[1];
    assert_eq!(
        anna.patch.value(&Field::Kind),
        Some(&Value::Kind(Kind::Company))
    );
    assert_eq!(
        anna.patch.value(&Field::NewsletterEmailShops),
        Some(&Value::Ids(vec![1]))
    );
    assert_eq!(
        anna.patch.value(&Field::Shops),
        Some(&Value::Ids(vec![1, 2]))
    );
    assert_eq!(text(&anna.patch, Field::DiscountPct), "5.00");
    assert_eq!(
        text(&rows[2].patch, Field::Language),
        "cs",
        "cze is ISO 639-2/B for Czech"
    );
    assert_eq!(codes(&rows[3]), ["invalid_email", "invalid_date"]);
}

#[test]
fn windows_1250_crlf_and_quoted_cells() {
    let (rows, encoding) = read_with("cp1250_crlf_quoted.csv", &ReadOptions::default()).unwrap();
    assert_eq!(encoding, TextEncoding::Windows1250);
    assert_eq!(text(&rows[0].patch, Field::FirstName), "Żaneta");
    assert_eq!(
        text(&rows[0].patch, Field::BillingStreet),
        "Kościuszki 1; m. 2"
    );
    assert_eq!(
        text(&rows[0].patch, Field::Note),
        "notatka\r\nw dwóch liniach"
    );
    assert_eq!(
        (rows[0].line, rows[1].line),
        (2, 4),
        "the second row starts after the two-line note"
    );
    assert_eq!(text(&rows[1].patch, Field::BillingCity), "Wrocław");
}

#[test]
fn a_forced_encoding_overrides_detection() {
    let options = ReadOptions {
        encoding: Some(TextEncoding::Windows1250),
        ..ReadOptions::default()
    };
    let (rows, _) = read_with("cp1250_crlf_quoted.csv", &options).unwrap();
    assert_eq!(text(&rows[1].patch, Field::LastName), "Gęśla");
}

#[test]
fn utf8_with_bom() {
    let (rows, encoding) = read_with("utf8_bom.csv", &ReadOptions::default()).unwrap();
    assert_eq!(encoding, TextEncoding::Utf8Bom);
    assert_eq!(text(&rows[0].patch, Field::Login), "jan");
    assert_eq!(text(&rows[0].patch, Field::LastName), "Żółć");
}

#[test]
fn a_broken_quote_is_located_and_earlier_rows_survive() {
    let rows = read("broken_quote.csv");
    assert!(rows[0].issues.is_empty());
    let broken = rows.iter().find(|r| !r.issues.is_empty()).unwrap();
    assert_eq!(broken.line, 3);
    assert_eq!(codes(broken), ["broken_quote"]);
    assert!(
        broken.issues[0].to_string().contains("quote"),
        "{}",
        broken.issues[0]
    );
}

#[test]
fn a_row_with_too_many_cells() {
    let rows = read("too_many_cells.csv");
    assert!(rows[0].issues.is_empty());
    assert_eq!((rows[1].line, codes(&rows[1])), (3, vec!["too_many_cells"]));
    assert!(
        rows[1].issues[0]
            .to_string()
            .contains("8 cells but the header has 7")
    );
}

#[test]
fn invalid_values_name_column_and_value() {
    let rows = read("bad_values.csv");
    assert!(rows[0].issues.is_empty());
    let email = &rows[1].issues[0];
    assert_eq!(
        (
            email.code.as_str(),
            email.column.as_deref(),
            email.value.as_deref()
        ),
        ("invalid_email", Some("email"), Some("not-an-email"))
    );
    let date = &rows[2].issues[0];
    assert_eq!(
        (date.code.as_str(), date.column.as_deref()),
        ("invalid_date", Some("date_of_registration"))
    );
    assert!(date.to_string().contains("YYYY-MM-DD HH:MM:SS"));
    assert_eq!(codes(&rows[3]), ["invalid_country"]);
    assert_eq!(
        rows[3].patch.value(&Field::NewsletterEmailShops),
        Some(&Value::Ids(vec![1, 2]))
    );
}

#[test]
fn unknown_columns_get_suggestions_and_mappings_resolve_them() {
    let file = std::fs::File::open(fixture("unknown_columns.csv")).unwrap();
    let reader = idosell()
        .open_reader(Box::new(file), &ReadOptions::default())
        .unwrap();
    let unknown = &reader.binding().unknown;
    assert_eq!(
        unknown
            .iter()
            .map(|u| u.header.as_str())
            .collect::<Vec<_>>(),
        ["Imię drugie", "shoe_size"]
    );
    assert!(
        unknown[0].suggestions.iter().all(|s| s != "first_name"),
        "first_name is taken by a column already"
    );
    let options = ReadOptions {
        mappings: vec![
            ("Imię drugie".into(), "custom_fields.middle_name".into()),
            ("shoe_size".into(), "ignore".into()),
        ],
        ..ReadOptions::default()
    };
    let (rows, _) = read_with("unknown_columns.csv", &options).unwrap();
    assert_eq!(
        text(&rows[0].patch, Field::CustomField("middle_name".into())),
        "Paweł"
    );
    let bad = ReadOptions {
        mappings: vec![("shoe_size".into(), "shoe".into())],
        ..ReadOptions::default()
    };
    assert!(matches!(
        read_with("unknown_columns.csv", &bad),
        Err(FormatError::Header(_))
    ));
}

#[test]
fn files_that_are_not_idosell_csv_stop_cleanly() {
    let err = read_with("not_csv.png", &ReadOptions::default()).unwrap_err();
    assert!(matches!(err, FormatError::NotThisFormat { .. }), "{err}");
    let err = read_with("comma_separated.csv", &ReadOptions::default()).unwrap_err();
    assert!(
        err.to_string().contains("separate columns with ';'"),
        "{err}"
    );
    let empty = idosell()
        .open_reader(Box::new(&b""[..]), &ReadOptions::default())
        .err()
        .unwrap();
    assert!(empty.to_string().contains("empty"));
}

#[test]
fn excel_guards_are_undone_on_read_and_written_on_export() {
    let rows = read("excel_formulas.csv");
    assert_eq!(text(&rows[0].patch, Field::FirstName), "=HYPERLINK(1)");
    assert_eq!(text(&rows[0].patch, Field::Note), "@SUM(A1)");
    let mut customer = Customer::default();
    rows[0].patch.apply(&mut customer);
    let written = write(
        &[customer],
        WriteOptions {
            kind: ExportKind::View(vec!["firstname".into(), "note_about_client".into()]),
            ..WriteOptions::default()
        },
    )
    .unwrap();
    assert_eq!(
        String::from_utf8(written).unwrap(),
        "firstname;note_about_client\r\n'=HYPERLINK(1);'@SUM(A1)\r\n"
    );
}

fn write(customers: &[Customer], options: WriteOptions) -> Result<Vec<u8>, FormatError> {
    let mut out = Vec::new();
    {
        let mut sink = idosell().open_writer(Box::new(&mut out), &options)?;
        for c in customers {
            sink.write_customer(c)?;
        }
        sink.finish()?;
    }
    Ok(out)
}

#[test]
fn characters_the_output_encoding_cannot_hold_are_reported() {
    let customer = Customer {
        login: Some("ivan".into()),
        first_name: Some("Иван".into()),
        ..Customer::default()
    };
    let options = WriteOptions {
        encoding: Some(TextEncoding::Windows1250),
        ..WriteOptions::default()
    };
    match write(&[customer], options) {
        Err(FormatError::Unmappable {
            row,
            column,
            character,
            ..
        }) => {
            assert_eq!((row, column.as_str(), character), (1, "firstname", 'И'));
        }
        other => panic!("expected an unmappable-character error, got {other:?}"),
    }
}

#[test]
fn legacy_headers_are_read_back() {
    let customer = Customer {
        login: Some("jan".into()),
        first_name: Some("Jan".into()),
        billing: custio_model::Address {
            city: Some("Łódź".into()),
            ..Default::default()
        },
        ..Customer::default()
    };
    let bytes = write(
        &[customer],
        WriteOptions {
            kind: ExportKind::Legacy,
            ..WriteOptions::default()
        },
    )
    .unwrap();
    let text_out = String::from_utf8(bytes.clone()).unwrap();
    assert!(
        text_out.starts_with("ID;Login;Konto zablokowane;Nazwa firmy;Imię;Nazwisko;"),
        "{text_out}"
    );
    let mut reader = idosell()
        .open_reader(Box::new(&bytes[..]), &ReadOptions::default())
        .unwrap();
    assert!(reader.binding().unknown.is_empty());
    let row = reader.next_row().unwrap().unwrap();
    assert_eq!(text(&row.patch, Field::BillingCity), "Łódź");
}
