//! The generic CSV (`csv`) and XLSX (`xlsx`) dialects: the fixtures in
//! `tests/fixtures/csv/` and `tests/fixtures/xlsx/`, suggestions for foreign headers, and
//! write -> read round trips.

use std::io::Cursor;

use custio_formats::{FormatError, ReadOptions, SourceRow, TextEncoding, WriteOptions, dialect};
use custio_model::{Consent, Country, Customer, Decimal, Email, Kind, Phone, parse_datetime};
use proptest::prelude::*;

fn fixture(path: &str) -> Vec<u8> {
    let path = format!("{}/../../tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

struct Read {
    header: Vec<String>,
    unknown: Vec<(String, Vec<String>)>,
    rows: Vec<SourceRow>,
    encoding: TextEncoding,
}

fn read(format: &str, bytes: Vec<u8>, options: &ReadOptions) -> Result<Read, FormatError> {
    let mut source = dialect(format)
        .unwrap()
        .open_reader(Box::new(Cursor::new(bytes)), options)?;
    let binding = source.binding().clone();
    let mut rows = Vec::new();
    if binding.unknown.is_empty() {
        while let Some(row) = source.next_row() {
            rows.push(row?);
        }
    }
    Ok(Read {
        header: binding.header,
        unknown: binding
            .unknown
            .into_iter()
            .map(|u| (u.header, u.suggestions))
            .collect(),
        rows,
        encoding: source.encoding(),
    })
}

fn maps(pairs: &[(&str, &str)]) -> ReadOptions {
    ReadOptions {
        mappings: pairs
            .iter()
            .map(|(h, t)| (h.to_string(), t.to_string()))
            .collect(),
        ..ReadOptions::default()
    }
}

fn customer(row: &SourceRow) -> Customer {
    assert!(row.issues.is_empty(), "line {}: {:?}", row.line, row.issues);
    let mut c = Customer::default();
    row.patch.apply(&mut c);
    c
}

/// The first suggestion for each unknown header.
fn first_suggestions(read: &Read) -> Vec<(&str, Option<&str>)> {
    read.unknown
        .iter()
        .map(|(h, s)| (h.as_str(), s.first().map(String::as_str)))
        .collect()
}

#[test]
fn polish_windows_1250_semicolons_crlf_stop_with_synonym_suggestions() {
    let got = read(
        "csv",
        fixture("csv/cp1250_polish_semicolon_crlf.csv"),
        &ReadOptions::default(),
    )
    .unwrap();
    assert_eq!(got.header[0], "Imię");
    assert_eq!(
        first_suggestions(&got),
        [
            ("Imię", Some("first_name")),
            ("Nazwisko", Some("last_name")),
            ("Adres e-mail", Some("email")),
            ("Telefon", Some("phone")),
            ("Ulica", Some("billing.street")),
            ("Kod pocztowy", Some("billing.zip")),
            ("Miejscowość", Some("billing.city")),
            ("NIP", Some("company.tax_id")),
            ("Data urodzenia", None),
        ]
    );
}

const POLISH: &[(&str, &str)] = &[
    ("Imię", "first_name"),
    ("Nazwisko", "last_name"),
    ("Adres e-mail", "email"),
    ("Telefon", "phone"),
    ("Ulica", "billing.street"),
    ("Kod pocztowy", "billing.zip"),
    ("Miejscowość", "billing.city"),
    ("NIP", "company.tax_id"),
    ("Data urodzenia", "ignore"),
];

#[test]
fn polish_file_reads_once_mapped() {
    let got = read(
        "csv",
        fixture("csv/cp1250_polish_semicolon_crlf.csv"),
        &maps(POLISH),
    )
    .unwrap();
    assert_eq!(got.encoding, TextEncoding::Windows1250);
    assert_eq!(got.rows.len(), 2);
    assert_eq!(got.rows[1].line, 3, "CRLF lines are counted once");
    let lukasz = customer(&got.rows[0]);
    assert_eq!(lukasz.first_name.as_deref(), Some("Łukasz"));
    assert_eq!(lukasz.last_name.as_deref(), Some("Żółkiewski"));
    assert_eq!(lukasz.billing.city.as_deref(), Some("Łódź"));
    assert_eq!(lukasz.phone.unwrap().to_string(), "+48601234567");
    assert_eq!(lukasz.company.tax_id.as_deref(), Some("5260250274"));
    let zofia = customer(&got.rows[1]);
    assert_eq!(
        zofia.billing.street.as_deref(),
        Some("Długa 1; lok. 2"),
        "a quoted separator stays in its cell"
    );
    assert_eq!(zofia.phone, None);
}

#[test]
fn czech_windows_1250_tabs_with_a_line_break_inside_a_cell() {
    let unmapped = read(
        "csv",
        fixture("csv/cp1250_czech_tab_multiline.csv"),
        &ReadOptions::default(),
    )
    .unwrap();
    assert_eq!(
        first_suggestions(&unmapped),
        [
            ("Jméno", Some("first_name")),
            ("Příjmení", Some("last_name")),
            ("E-mail", Some("email")),
            ("PSČ", Some("billing.zip")),
            ("Město", Some("billing.city")),
            ("DIČ", Some("company.vat_id")),
            ("Poznámka", Some("note")),
        ]
    );
    let mapped = maps(&[
        ("Jméno", "first_name"),
        ("Příjmení", "last_name"),
        ("e-mail", "email"),
        ("PSČ", "billing.zip"),
        ("Město", "billing.city"),
        ("DIČ", "company.vat_id"),
        ("Poznámka", "note"),
    ]);
    let got = read(
        "csv",
        fixture("csv/cp1250_czech_tab_multiline.csv"),
        &mapped,
    )
    .unwrap();
    assert_eq!(got.encoding, TextEncoding::Windows1250);
    assert_eq!(
        got.rows.iter().map(|r| r.line).collect::<Vec<_>>(),
        [2, 4],
        "the second row starts after the two-line cell"
    );
    let jiri = customer(&got.rows[0]);
    assert_eq!(jiri.first_name.as_deref(), Some("Jiří"));
    assert_eq!(
        jiri.note.as_deref(),
        Some("Stálý zákazník\r\nplatí převodem")
    );
    assert_eq!(jiri.company.vat_id.as_deref(), Some("CZ12345678"));
    let sarka = customer(&got.rows[1]);
    assert_eq!(sarka.last_name.as_deref(), Some("Černá"));
    assert_eq!(sarka.note.as_deref(), Some("Říká \"ano\"\tvždy"));
}

#[test]
fn bulgarian_windows_1251_pipes() {
    let unmapped = read(
        "csv",
        fixture("csv/cp1251_bulgarian_pipe.csv"),
        &ReadOptions::default(),
    )
    .unwrap();
    assert_eq!(
        first_suggestions(&unmapped),
        [
            ("Име", Some("first_name")),
            ("Фамилия", Some("last_name")),
            ("Имейл", Some("email")),
            ("Град", Some("billing.city")),
            ("Пощенски код", Some("billing.zip")),
            ("ИН по ДДС", Some("company.vat_id")),
            ("Дата на раждане", None),
        ]
    );
    let got = read(
        "csv",
        fixture("csv/cp1251_bulgarian_pipe.csv"),
        &maps(&[
            ("Име", "first_name"),
            ("Фамилия", "last_name"),
            ("Имейл", "email"),
            ("Град", "billing.city"),
            ("Пощенски код", "billing.zip"),
            ("ИН по ДДС", "company.vat_id"),
            ("Дата на раждане", "ignore"),
        ]),
    )
    .unwrap();
    assert_eq!(got.encoding, TextEncoding::Windows1251);
    let ivan = customer(&got.rows[0]);
    assert_eq!(ivan.first_name.as_deref(), Some("Иван"));
    assert_eq!(ivan.billing.city.as_deref(), Some("София"));
    assert_eq!(ivan.company.vat_id.as_deref(), Some("BG123456789"));
    assert_eq!(customer(&got.rows[1]).last_name.as_deref(), Some("Иванова"));
}

#[test]
fn slovak_utf8_bom_commas_with_quoted_separators_and_breaks() {
    let unmapped = read(
        "csv",
        fixture("csv/utf8_bom_slovak_quoted.csv"),
        &ReadOptions::default(),
    )
    .unwrap();
    assert_eq!(
        unmapped.header[0], "Meno",
        "the BOM is not part of the header"
    );
    assert_eq!(
        first_suggestions(&unmapped),
        [
            ("Meno", Some("first_name")),
            ("Priezvisko", Some("last_name")),
            ("E-mail", Some("email")),
            ("Mesto", Some("billing.city")),
            ("PSČ", Some("billing.zip")),
            ("Poznámka", Some("note")),
        ]
    );
    let got = read(
        "csv",
        fixture("csv/utf8_bom_slovak_quoted.csv"),
        &maps(&[
            ("Meno", "first_name"),
            ("Priezvisko", "last_name"),
            ("E-mail", "email"),
            ("Mesto", "billing.city"),
            ("PSČ", "billing.zip"),
            ("Poznámka", "note"),
        ]),
    )
    .unwrap();
    assert_eq!(got.encoding, TextEncoding::Utf8Bom);
    assert_eq!(
        customer(&got.rows[0]).note.as_deref(),
        Some("Platí, keď \"chce\"")
    );
    let zuzana = customer(&got.rows[1]);
    assert_eq!(zuzana.billing.city.as_deref(), Some("Košice"));
    assert_eq!(zuzana.note.as_deref(), Some("Prvý riadok\r\ndruhý riadok"));
}

#[test]
fn field_name_headers_bind_themselves_and_blank_headers_are_read_past() {
    let got = read(
        "csv",
        fixture("csv/field_names_bind_themselves.csv"),
        &ReadOptions::default(),
    )
    .unwrap();
    assert!(got.unknown.is_empty(), "{:?}", got.unknown);
    let jan = customer(&got.rows[0]);
    assert_eq!(jan.email.unwrap().as_str(), "jan@example.pl");
    assert_eq!(jan.billing.zip.as_deref(), Some("00-950"));
    assert_eq!(jan.custom_fields["vip"], "gold");
    assert_eq!(jan.note.as_deref(), Some("Lubi \"kawę\", herbatę"));
    assert_eq!(jan.newsletter_email, Consent::Yes);
}

#[test]
fn a_given_delimiter_and_encoding_win_over_sniffing() {
    let file = "email;first_name\nola@example.pl;Ola\n";
    let got = read(
        "csv",
        file.as_bytes().to_vec(),
        &ReadOptions {
            delimiter: Some(b';'),
            encoding: Some(TextEncoding::Windows1251),
            ..ReadOptions::default()
        },
    )
    .unwrap();
    assert_eq!(customer(&got.rows[0]).first_name.as_deref(), Some("Ola"));
    assert_eq!(got.encoding, TextEncoding::Windows1251);
}

#[test]
fn a_mapping_to_an_unknown_field_is_a_clear_error() {
    let err = read(
        "csv",
        fixture("csv/utf8_bom_slovak_quoted.csv"),
        &maps(&[("Meno", "shoe_size")]),
    )
    .err()
    .expect("an unknown field is refused");
    assert!(err.to_string().contains("shoe_size"), "{err}");
}

// ---- XLSX ----

/// Writes `tests/fixtures/xlsx/polish_headers.xlsx` as committed (run with
/// `CUSTIO_UPDATE_FIXTURES=1` to regenerate it): Polish headers starting in column B, typed
/// cells (a number phone, a date, a boolean), formula-looking text and a text cell that
/// starts with an apostrophe.
fn polish_workbook() -> Vec<u8> {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Klienci").unwrap();
    let headers = [
        "Imię",
        "Nazwisko",
        "E-mail",
        "Telefon",
        "Kod pocztowy",
        "Data rejestracji",
        "Newsletter",
        "Uwagi",
        "Data urodzenia",
    ];
    for (i, h) in headers.iter().enumerate() {
        sheet.write_string(0, 1 + i as u16, *h).unwrap();
    }
    let date = Format::new().set_num_format("yyyy-mm-dd hh:mm:ss");
    /// First and last name, e-mail, phone (a number cell), zip, registration day,
    /// newsletter (a boolean cell), note.
    type Row<'a> = (
        &'a str,
        &'a str,
        &'a str,
        f64,
        &'a str,
        (u16, u8, u8),
        bool,
        &'a str,
    );
    let rows: [Row; 2] = [
        (
            "Łukasz",
            "Żółkiewski",
            "lukasz@example.pl",
            48601234567.0,
            "00-950",
            (2023, 5, 1),
            true,
            "=SUM(A1:A3)",
        ),
        (
            "Zofia",
            "Wójcik",
            "zofia@example.pl",
            601234568.0,
            "31-147",
            (2024, 1, 31),
            false,
            "'apostrof na początku",
        ),
    ];
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        sheet.write_string(r, 1, row.0).unwrap();
        sheet.write_string(r, 2, row.1).unwrap();
        sheet.write_string(r, 3, row.2).unwrap();
        sheet.write_number(r, 4, row.3).unwrap();
        sheet.write_string(r, 5, row.4).unwrap();
        let (y, m, d) = row.5;
        let when = ExcelDateTime::from_ymd(y, m, d)
            .unwrap()
            .and_hms(10, 30, 0)
            .unwrap();
        sheet
            .write_datetime_with_format(r, 6, &when, &date)
            .unwrap();
        sheet.write_boolean(r, 7, row.6).unwrap();
        sheet.write_string(r, 8, row.7).unwrap();
        sheet.write_string(r, 9, "1980-01-02").unwrap();
    }
    let second = book.add_worksheet();
    second.set_name("Inne").unwrap();
    second.write_string(0, 0, "not read").unwrap();
    book.save_to_buffer().unwrap()
}

#[test]
fn the_xlsx_fixture_is_written_by_the_helper() {
    let path = format!(
        "{}/../../tests/fixtures/xlsx/polish_headers.xlsx",
        env!("CARGO_MANIFEST_DIR")
    );
    if std::env::var_os("CUSTIO_UPDATE_FIXTURES").is_some() {
        std::fs::write(&path, polish_workbook()).unwrap();
    }
    assert!(
        std::path::Path::new(&path).exists(),
        "{path}: run with CUSTIO_UPDATE_FIXTURES=1"
    );
}

#[test]
fn xlsx_first_sheet_with_typed_cells() {
    let unmapped = read(
        "xlsx",
        fixture("xlsx/polish_headers.xlsx"),
        &ReadOptions::default(),
    )
    .unwrap();
    assert_eq!(unmapped.header[1], "Imię");
    assert_eq!(
        first_suggestions(&unmapped),
        [
            ("Imię", Some("first_name")),
            ("Nazwisko", Some("last_name")),
            ("E-mail", Some("email")),
            ("Telefon", Some("phone")),
            ("Kod pocztowy", Some("billing.zip")),
            ("Data rejestracji", Some("registered_at")),
            ("Newsletter", Some("newsletter_email")),
            ("Uwagi", Some("note")),
            ("Data urodzenia", None),
        ],
        "the empty header of column A is read past"
    );
    let got = read(
        "xlsx",
        fixture("xlsx/polish_headers.xlsx"),
        &maps(&[
            ("Imię", "first_name"),
            ("Nazwisko", "last_name"),
            ("E-mail", "email"),
            ("Telefon", "phone"),
            ("Kod pocztowy", "billing.zip"),
            ("Data rejestracji", "registered_at"),
            ("Newsletter", "newsletter_email"),
            ("Uwagi", "note"),
            ("Data urodzenia", "ignore"),
        ]),
    )
    .unwrap();
    assert_eq!(got.rows.len(), 2, "only the first worksheet is read");
    assert_eq!(got.rows[0].line, 2);
    let lukasz = customer(&got.rows[0]);
    assert_eq!(lukasz.first_name.as_deref(), Some("Łukasz"));
    assert_eq!(lukasz.phone.unwrap().to_string(), "48601234567");
    assert_eq!(lukasz.billing.zip.as_deref(), Some("00-950"));
    assert_eq!(
        lukasz.registered_at,
        Some(parse_datetime("2023-05-01 10:30:00", &["%Y-%m-%d %H:%M:%S"]).unwrap())
    );
    assert_eq!(lukasz.newsletter_email, Consent::Yes);
    assert_eq!(lukasz.note.as_deref(), Some("=SUM(A1:A3)"));
    let zofia = customer(&got.rows[1]);
    assert_eq!(zofia.newsletter_email, Consent::No);
    assert_eq!(
        zofia.note.as_deref(),
        Some("'apostrof na początku"),
        "a typed cell carries no Excel guard: the apostrophe is the user's"
    );
}

#[test]
fn a_csv_is_not_a_workbook() {
    let err = read(
        "xlsx",
        fixture("csv/field_names_bind_themselves.csv"),
        &ReadOptions::default(),
    )
    .err()
    .expect("refused");
    assert!(matches!(err, FormatError::NotThisFormat { .. }), "{err}");
    let broken = b"PK\x03\x04 not really a zip".to_vec();
    let err = read("xlsx", broken, &ReadOptions::default())
        .err()
        .expect("refused");
    assert!(err.to_string().contains("cannot be opened"), "{err}");
}

// ---- round trips ----

fn text() -> impl Strategy<Value = Option<String>> {
    proptest::option::of(
        "[A-Za-z0-9ąęłńóśźżčřšžЖжИи&<>\"';|,.= -]{1,14}"
            .prop_map(|s| s.trim().to_string())
            .prop_filter("not blank", |s| !s.is_empty()),
    )
}

fn customer_strategy() -> impl Strategy<Value = Customer> {
    let who = (
        "[a-z]{1,8}@[a-z]{1,6}\\.(pl|cz|bg)",
        proptest::option::of("[a-z]{1,8}"),
        prop_oneof![Just(Kind::Person), Just(Kind::Company), Just(Kind::Contact)],
        text(),
        text(),
        text(),
        proptest::option::of("\\+4[28][0-9]{9}"),
        any::<bool>(),
    );
    let place = (
        text(),
        text(),
        proptest::option::of("[0-9]{2}-[0-9]{3}"),
        proptest::option::of(prop_oneof![Just("PL"), Just("CZ"), Just("BG"), Just("SK")]),
        text(),
        proptest::option::of("[A-Z]{2}[0-9]{8}"),
    );
    let more = (
        proptest::option::of((0i64..100_000).prop_map(|c| Decimal::new(c, 2))),
        proptest::option::of(-100_000i64..100_000),
        prop_oneof![Just(Consent::Yes), Just(Consent::No), Just(Consent::NotSet)],
        proptest::option::of((2000i32..2030, 1u32..13, 1u32..29, 0u32..24, 0u32..60)),
        proptest::collection::vec("[a-zA-Z ]{1,8}".prop_map(|s| s.trim().to_string()), 0..3),
        proptest::collection::btree_map(
            prop_oneof![Just("vip".to_string()), Just("shoe size".to_string())],
            "[a-z0-9 =']{1,6}"
                .prop_map(|s| s.trim().to_string())
                .prop_filter("non-empty", |s| !s.is_empty()),
            0..3,
        ),
        text(),
    );
    (who, place, more).prop_map(|(w, p, m)| {
        let (email, login, kind, first, last, company, phone, active) = w;
        let (street, city, zip, country, note, vat) = p;
        let (discount, points, consent, registered, groups, custom, shipping_city) = m;
        Customer {
            email: Some(Email::parse(&email).unwrap()),
            login,
            kind,
            first_name: first,
            last_name: last,
            company: custio_model::Company {
                name: company,
                vat_id: vat,
                ..Default::default()
            },
            phone: phone.map(|p| Phone::parse(&p).unwrap()),
            active,
            billing: custio_model::Address {
                street,
                city,
                zip,
                country: country.map(|c| Country::parse(c).unwrap()),
                ..Default::default()
            },
            note,
            discount_pct: discount,
            loyalty_points: points,
            newsletter_email: consent,
            registered_at: registered.map(|(y, mo, d, h, mi)| {
                parse_datetime(
                    &format!("{y}-{mo:02}-{d:02} {h:02}:{mi:02}:09"),
                    &["%Y-%m-%d %H:%M:%S"],
                )
                .unwrap()
            }),
            groups: groups.into_iter().filter(|g| !g.is_empty()).collect(),
            custom_fields: custom,
            shipping: shipping_city
                .map(|city| custio_model::ShippingAddress {
                    city: Some(city),
                    ..Default::default()
                })
                .into_iter()
                .collect(),
            ..Customer::default()
        }
    })
}

fn round_trip(format: &str, customers: &[Customer]) -> Vec<Customer> {
    let mut bytes = Vec::new();
    {
        let mut sink = dialect(format)
            .unwrap()
            .open_writer(
                Box::new(&mut bytes),
                &WriteOptions {
                    custom_field_keys: vec!["shoe size".into(), "vip".into()],
                    ..WriteOptions::default()
                },
            )
            .unwrap();
        for c in customers {
            sink.write_customer(c).unwrap();
        }
        assert_eq!(sink.finish().unwrap(), customers.len() as u64);
    }
    let got = read(format, bytes, &ReadOptions::default()).unwrap();
    assert!(got.unknown.is_empty(), "{:?}", got.unknown);
    got.rows.iter().map(customer).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn csv_write_then_read_gives_the_same_customers(
        customers in proptest::collection::vec(customer_strategy(), 1..5)
    ) {
        prop_assert_eq!(round_trip("csv", &customers), customers);
    }

    #[test]
    fn xlsx_write_then_read_gives_the_same_customers(
        customers in proptest::collection::vec(customer_strategy(), 1..5)
    ) {
        prop_assert_eq!(round_trip("xlsx", &customers), customers);
    }
}

#[test]
fn xlsx_export_types_its_cells() {
    use calamine::{Data, Reader, Xlsx};
    let customer = Customer {
        email: Some(Email::parse("ola@example.pl").unwrap()),
        note: Some("=HYPERLINK(\"x\")".into()),
        discount_pct: Some(Decimal::new(1250, 2)),
        loyalty_points: Some(300),
        ..Customer::default()
    };
    let mut bytes = Vec::new();
    {
        let mut sink = dialect("xlsx")
            .unwrap()
            .open_writer(Box::new(&mut bytes), &WriteOptions::default())
            .unwrap();
        sink.write_customer(&customer).unwrap();
        sink.finish().unwrap();
    }
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    let range = book.worksheet_range("Customers").unwrap();
    let header: Vec<String> = range
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let cell = |name: &str| {
        range
            .get((1, header.iter().position(|h| h == name).unwrap()))
            .cloned()
    };
    assert_eq!(
        cell("note"),
        Some(Data::String("=HYPERLINK(\"x\")".into())),
        "text, not a formula"
    );
    assert_eq!(cell("discount_pct"), Some(Data::Float(12.5)));
    assert_eq!(cell("loyalty_points"), Some(Data::Float(300.0)));
    assert_eq!(cell("email"), Some(Data::String("ola@example.pl".into())));
}

#[test]
fn only_a_sure_suggestion_is_marked_for_preselection() {
    let file = "Imię;Adres e-mail;Rozmiar buta;xq_notes2\nJan;jan@example.pl;42;x\n";
    let source = dialect("csv")
        .unwrap()
        .open_reader(
            Box::new(Cursor::new(file.as_bytes().to_vec())),
            &ReadOptions::default(),
        )
        .unwrap();
    let marks: Vec<(&str, bool, bool)> = source
        .binding()
        .unknown
        .iter()
        .map(|u| (u.header.as_str(), !u.suggestions.is_empty(), u.confident))
        .collect();
    assert_eq!(marks[0], ("Imię", true, true));
    assert_eq!(marks[1], ("Adres e-mail", true, true));
    for (header, _, confident) in &marks[2..] {
        assert!(
            !confident,
            "{header}: a guess is not preselected ({marks:?})"
        );
    }
}
