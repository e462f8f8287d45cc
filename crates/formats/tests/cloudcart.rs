//! The CloudCart dialect, read from the fixtures in `tests/fixtures/cloudcart/`.

use custio_formats::{
    ColumnRef, FormatError, ReadOptions, SourceRow, TextEncoding, WriteOptions, dialect,
};
use custio_model::{Consent, Customer, Field};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../../tests/fixtures/cloudcart/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn bind(pairs: &[(&str, usize)]) -> Vec<(String, ColumnRef)> {
    pairs
        .iter()
        .map(|(t, n)| (t.to_string(), ColumnRef::Position(*n)))
        .collect()
}

fn read(name: &str, options: ReadOptions) -> Result<(Vec<SourceRow>, TextEncoding), FormatError> {
    let cc = dialect("cloudcart").unwrap();
    let mut rows = cc.open_reader(Box::new(std::io::Cursor::new(fixture(name))), &options)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next_row() {
        out.push(row?);
    }
    Ok((out, rows.encoding()))
}

fn customer(row: &SourceRow) -> Customer {
    let mut c = Customer::default();
    row.patch.apply(&mut c);
    c
}

#[test]
fn windows_1251_with_semicolons_and_a_header_bound_by_name() {
    let options = ReadOptions {
        has_header: Some(true),
        bindings: vec![
            ("first name".into(), ColumnRef::Header("Име".into())),
            ("last_name".into(), ColumnRef::Header("Фамилия".into())),
            ("email".into(), ColumnRef::Header("имейл".into())),
            ("note".into(), ColumnRef::Position(4)),
        ],
        ..ReadOptions::default()
    };
    let (rows, encoding) = read("cp1251_semicolon.csv", options).unwrap();
    assert_eq!(encoding, TextEncoding::Windows1251);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].line, 2);
    let ivan = customer(&rows[0]);
    assert_eq!(ivan.first_name.as_deref(), Some("Иван"));
    assert_eq!(ivan.last_name.as_deref(), Some("Петров"));
    assert_eq!(ivan.email.unwrap().as_str(), "ivan@example.bg");
    assert_eq!(ivan.note.as_deref(), Some("Редовен клиент"));
    assert!(
        rows[1].patch.get(&Field::Note).is_none(),
        "an empty cell keeps the stored note"
    );
}

#[test]
fn tab_separated_without_header_bound_by_position() {
    let options = ReadOptions {
        bindings: bind(&[
            ("email", 1),
            ("full name", 2),
            ("accepts marketing", 3),
            ("customer group", 4),
        ]),
        default_group: Some("Retail".into()),
        ..ReadOptions::default()
    };
    let (rows, _) = read("tab_no_header.csv", options).unwrap();
    assert_eq!(rows.len(), 3);
    assert!(
        rows.iter().all(|r| r.issues.is_empty()),
        "{:?}",
        rows[0].issues
    );
    let ivan = customer(&rows[0]);
    assert_eq!(
        (ivan.first_name.as_deref(), ivan.last_name.as_deref()),
        (Some("Иван"), Some("Петров"))
    );
    assert_eq!(ivan.newsletter_email, Consent::Yes);
    assert_eq!(ivan.groups, ["VIP"]);
    let georgi = customer(&rows[1]);
    assert_eq!(georgi.first_name.as_deref(), Some("Георги"));
    assert_eq!(georgi.newsletter_email, Consent::No);
    assert_eq!(
        georgi.groups,
        ["Retail"],
        "no group of its own: the file's default"
    );
    let elena = &rows[2];
    assert_eq!(
        elena.patch.iter().count(),
        2,
        "only e-mail and the default group: {:?}",
        elena.patch
    );
}

#[test]
fn full_name_splits_at_the_first_space_only_without_a_first_name() {
    let options = ReadOptions {
        bindings: bind(&[("email", 1), ("full_name", 2)]),
        ..ReadOptions::default()
    };
    let (rows, _) = read("full_name_split.csv", options).unwrap();
    let ivan = customer(&rows[0]);
    assert_eq!(ivan.first_name.as_deref(), Some("Иван"));
    assert_eq!(ivan.last_name.as_deref(), Some("Петров Иванов"));
    assert_eq!(ivan.full_name.as_deref(), Some("Иван Петров Иванов"));
    assert_eq!(customer(&rows[1]).first_name.as_deref(), Some("Мария"));
    assert!(rows[1].patch.get(&Field::LastName).is_none());

    let options = ReadOptions {
        bindings: bind(&[("email", 1), ("full_name", 2), ("first name", 2)]),
        ..ReadOptions::default()
    };
    let err = read("full_name_split.csv", options)
        .err()
        .unwrap()
        .to_string();
    assert!(err.contains("column 2 is bound to both"), "{err}");
}

#[test]
fn quoted_separators_and_line_breaks_with_crlf() {
    let options = ReadOptions {
        has_header: Some(true),
        bindings: vec![
            ("email".into(), ColumnRef::Header("email".into())),
            ("full name".into(), ColumnRef::Header("full name".into())),
            ("note".into(), ColumnRef::Header("note".into())),
        ],
        ..ReadOptions::default()
    };
    let (rows, _) = read("quoted_newline.csv", options).unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!((rows[0].line, rows[1].line), (2, 4));
    let ivan = customer(&rows[0]);
    assert_eq!(ivan.full_name.as_deref(), Some("Петров, Иван"));
    assert_eq!(
        ivan.note.as_deref(),
        Some("first line\r\nsecond line, with comma")
    );
    assert_eq!(customer(&rows[1]).note.as_deref(), Some("she said \"hi\""));
}

#[test]
fn empty_and_invalid_emails_are_row_issues() {
    let options = ReadOptions {
        bindings: bind(&[("email", 1), ("first name", 2)]),
        ..ReadOptions::default()
    };
    let (rows, _) = read("invalid_and_empty_emails.csv", options).unwrap();
    let codes: Vec<Vec<&str>> = rows
        .iter()
        .map(|r| r.issues.iter().map(|i| i.code.as_str()).collect())
        .collect();
    assert_eq!(
        codes,
        [vec![], vec!["missing_email"], vec!["invalid_email"], vec![]]
    );
    assert_eq!(rows[3].line, 5, "the blank line is skipped but counted");
}

#[test]
fn repeated_emails_are_left_to_the_engine_by_rule() {
    let cc = dialect("cloudcart").unwrap();
    assert_eq!(cc.rules().skip_repeated_in_file, [Field::Email]);
    assert_eq!(cc.rules().pair_by, [Field::Email]);
    assert!(cc.rules().create_missing_groups);
    let options = ReadOptions {
        bindings: bind(&[("email", 1), ("first name", 2)]),
        ..ReadOptions::default()
    };
    let (rows, _) = read("duplicate_emails.csv", options).unwrap();
    let keys: Vec<String> = rows
        .iter()
        .map(|r| customer(r).email.unwrap().key())
        .collect();
    assert_eq!(
        keys,
        ["ivan@example.bg", "ivan@example.bg", "maria@example.bg"]
    );
}

#[test]
fn a_bom_header_binds_itself_when_nothing_is_bound() {
    let options = ReadOptions {
        has_header: Some(true),
        ..ReadOptions::default()
    };
    let (rows, _) = read("bom_header_pipe.csv", options).unwrap();
    let ivan = customer(&rows[0]);
    assert_eq!(ivan.email.unwrap().as_str(), "ivan@example.bg");
    assert_eq!(ivan.last_name.as_deref(), Some("Петров"));
    assert_eq!(ivan.newsletter_email, Consent::Yes);
    assert_eq!(ivan.groups, ["Едро"]);
    assert_eq!(customer(&rows[1]).newsletter_email, Consent::No);
}

#[test]
fn binding_mistakes_are_clear_errors() {
    let err = |options: ReadOptions| {
        read("tab_no_header.csv", options)
            .err()
            .unwrap()
            .to_string()
    };
    assert!(err(ReadOptions::default()).contains("bind a column to the e-mail"));
    let e = err(ReadOptions {
        bindings: bind(&[("email", 1), ("phone", 2)]),
        ..ReadOptions::default()
    });
    assert!(
        e.contains("'phone' cannot be bound") && e.contains("First Name"),
        "{e}"
    );
    let e = err(ReadOptions {
        bindings: vec![("email".into(), ColumnRef::Header("mail".into()))],
        ..ReadOptions::default()
    });
    assert!(e.contains("without a header row"), "{e}");
}

#[test]
fn row_parser_re_parses_an_edited_row() {
    let options = ReadOptions {
        bindings: bind(&[("email", 1), ("full name", 2)]),
        ..ReadOptions::default()
    };
    let cc = dialect("cloudcart").unwrap();
    let mut rows = cc
        .open_reader(
            Box::new(std::io::Cursor::new(fixture("tab_no_header.csv"))),
            &options,
        )
        .unwrap();
    let header = rows.binding().header.clone();
    let row = rows.next_row().unwrap().unwrap();
    let parser = cc.row_parser(&header, &options).unwrap();
    let mut cells = row.cells.clone();
    cells[0] = "bad".into();
    assert_eq!(
        parser.parse(row.line, cells).issues[0].code,
        custio_model::IssueCode::InvalidEmail
    );
    assert_eq!(parser.parse(row.line, row.cells.clone()).patch, row.patch);
}

#[test]
fn delimiter_sniffing_prefers_the_consistent_split() {
    use custio_formats::cloudcart::sniff_delimiter;
    assert_eq!(
        sniff_delimiter(b"a@x.bg;Ivanov, Ivan;n\nb@x.bg;Petrov, Petar;m\n"),
        b';'
    );
    assert_eq!(sniff_delimiter(b"a@x.bg|x\nb@x.bg|y\n"), b'|');
    assert_eq!(sniff_delimiter(b"a@x.bg\tx,y\nb@x.bg\tz\n"), b'\t');
    assert_eq!(sniff_delimiter(b"a@x.bg\nb@x.bg\n"), b',');
}

#[test]
fn exports_the_19_headers_then_custom_fields() {
    let mut c = Customer {
        id: Some(7),
        email: Some(custio_model::Email::parse("ivan@example.bg").unwrap()),
        first_name: Some("Иван".into()),
        last_name: Some("Петров".into()),
        language: Some(custio_model::Language::parse("bg").unwrap()),
        note: Some("=cmd, \"quoted\"".into()),
        registered_at: Some(
            custio_model::parse_datetime("2024-01-02 03:04:05", &["%Y-%m-%d %H:%M:%S"]).unwrap(),
        ),
        newsletter_email: Consent::Yes,
        blocked: true,
        groups: vec!["VIP".into()],
        ..Customer::default()
    };
    c.stats.insert("orders_all".into(), "3".into());
    c.custom_fields.insert("shoe".into(), "42".into());
    let options = WriteOptions {
        custom_field_keys: vec!["shoe".into(), "hat".into()],
        ..WriteOptions::default()
    };
    let mut out = Vec::new();
    let mut sink = dialect("cloudcart")
        .unwrap()
        .open_writer(Box::new(&mut out), &options)
        .unwrap();
    sink.write_customer(&c).unwrap();
    sink.finish().unwrap();
    drop(sink);
    let text = String::from_utf8(out).unwrap();
    let mut lines = text.split("\r\n");
    assert_eq!(
        lines.next().unwrap(),
        "ID,Email Address,First Name,Last Name,Language,Phone,City,Postal Code,Region,Country,Orders Count,Total Spent,Currency,Note,Created,Marketing,Active,Banned,Customer Group,shoe,hat"
    );
    assert_eq!(
        lines.next().unwrap(),
        "7,ivan@example.bg,Иван,Петров,bg,,,,,,3,,,\"'=cmd, \"\"quoted\"\"\",2024-01-02 03:04:05,yes,yes,yes,VIP,42,"
    );

    // Our own export reads back through a header binding.
    let options = ReadOptions {
        has_header: Some(true),
        ..ReadOptions::default()
    };
    let cc = dialect("cloudcart").unwrap();
    let mut rows = cc.open_reader(Box::new(text.as_bytes()), &options).unwrap();
    let row = rows.next_row().unwrap().unwrap();
    assert!(row.issues.is_empty(), "{:?}", row.issues);
    let back = customer(&row);
    assert_eq!(back.note, c.note);
    assert_eq!(back.groups, c.groups);
    assert_eq!(back.newsletter_email, Consent::Yes);
}

#[test]
fn both_dialects_document_every_column() {
    for id in ["iof", "cloudcart"] {
        let d = dialect(id).unwrap();
        for c in d.columns() {
            assert!(
                !c.meaning.is_empty() && !c.rule.is_empty(),
                "{id}: {}",
                c.name()
            );
        }
    }
    assert!(
        dialect("iof")
            .unwrap()
            .columns()
            .iter()
            .any(|c| c.name() == "client/name/@first")
    );
}
