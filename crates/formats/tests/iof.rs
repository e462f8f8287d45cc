//! The IOF 3.0 client XML dialect, read from the fixtures in `tests/fixtures/iof/`.

use std::io::Read;

use custio_formats::{FormatError, ReadOptions, SourceRow, WriteOptions, dialect};
use custio_model::{Consent, Customer, Field, Gender, Kind, Value};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../../tests/fixtures/iof/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn read_all(bytes: Vec<u8>) -> Result<Vec<SourceRow>, FormatError> {
    let iof = dialect("iof").unwrap();
    let mut rows = iof.open_reader(
        Box::new(std::io::Cursor::new(bytes)),
        &ReadOptions::default(),
    )?;
    let mut out = Vec::new();
    while let Some(row) = rows.next_row() {
        out.push(row?);
    }
    Ok(out)
}

fn customer(row: &SourceRow) -> Customer {
    let mut c = Customer::default();
    row.patch.apply(&mut c);
    c
}

#[test]
fn reads_every_element_of_the_decided_layout() {
    let rows = read_all(fixture("full_client.xml")).unwrap();
    assert_eq!(rows.len(), 2);
    assert!(rows[0].issues.is_empty(), "{:?}", rows[0].issues);
    assert_eq!(rows[0].line, 4, "the line where <client starts");
    let c = customer(&rows[0]);
    assert_eq!(c.login.as_deref(), Some("jan"));
    assert_eq!(c.email.as_ref().unwrap().as_str(), "jan@example.pl");
    assert_eq!((c.kind, c.gender), (Kind::Person, Some(Gender::Male)));
    assert_eq!(c.language.unwrap().code(), "pl");
    assert_eq!(c.registered_at.unwrap().to_string(), "2022-08-18 10:01:34");
    assert_eq!(c.last_order_at.unwrap().to_string(), "2023-05-06 07:08:09");
    assert_eq!(c.first_name.as_deref(), Some("Jan"));
    assert_eq!(c.company.name.as_deref(), Some("Kowalski & Syn"));
    assert_eq!(c.company.tax_id.as_deref(), Some("1231231212"));
    assert_eq!(c.phone.unwrap().as_str(), "+48123123123");
    assert_eq!(c.phone2.unwrap().as_str(), "1212312123");
    assert_eq!(c.billing.city.as_deref(), Some("Warszawa"));
    assert_eq!(c.billing.country.unwrap().code(), "PL");
    assert_eq!(c.shipping.len(), 1);
    assert_eq!(c.shipping[0].city.as_deref(), Some("Kraków"));
    assert_eq!(c.shipping[0].full_name.as_deref(), Some("Anna Kowalska"));
    assert_eq!(c.shops, [1, 2]);
    assert_eq!(c.newsletter_email, Consent::Yes);
    assert_eq!(c.newsletter_sms, Consent::No);
    assert_eq!(c.newsletter_email_shops, [1, 2]);
    assert_eq!(c.newsletter_sms_shops, [2]);
    assert_eq!(
        c.note.as_deref(),
        Some("Prefers <morning> calls – ask for Jan")
    );
    assert_eq!(c.tags, ["vip", "b2b, wholesale"]);
    assert_eq!(c.loyalty_points, Some(10000));
    assert_eq!(c.discount_pct.unwrap().to_string(), "5.00");
    assert_eq!(c.balance.unwrap().to_string(), "12.50");
    assert_eq!(c.balance_limit.unwrap().to_string(), "-100.00");
    assert_eq!(c.agreements.len(), 1);
    assert!(c.agreements[0].status);
    assert_eq!(c.custom_fields["shoe_size"], "42");
    assert_eq!(
        c.password.as_ref().unwrap().encoded(),
        "md5:5f4dcc3b5aa765d61d8327deb882cf99"
    );

    let ola = customer(&rows[1]);
    assert_eq!(ola.kind, Kind::Company);
    assert_eq!(ola.billing.country.unwrap().code(), "PL");
    assert!(
        rows[1].patch.get(&Field::Phone).is_none(),
        "absent element keeps the value"
    );
    assert!(rows[1].patch.get(&Field::Shops).is_none());
}

#[test]
fn cells_follow_the_column_table_and_re_parse_after_an_edit() {
    let rows = read_all(fixture("full_client.xml")).unwrap();
    let header = custio_formats::iof::header();
    assert_eq!(rows[0].cells.len(), header.len());
    let at = |path: &str| header.iter().position(|h| h == path).unwrap();
    assert_eq!(rows[0].cells[at("client/@email")], "jan@example.pl");
    assert_eq!(rows[0].cells[at("client/shops/shop/@id")], "1,2");

    let iof = dialect("iof").unwrap();
    let parser = iof.row_parser(&header, &ReadOptions::default()).unwrap();
    let mut cells = rows[0].cells.clone();
    cells[parser.column_of("email").unwrap()] = "nowy@example.pl".into();
    let again = parser.parse(rows[0].line, cells);
    assert!(again.issues.is_empty(), "{:?}", again.issues);
    let mut expected = rows[0].patch.clone();
    expected.set(
        Field::Email,
        Value::Email(custio_model::Email::parse("nowy@example.pl").unwrap()),
    );
    assert_eq!(again.patch, expected);

    let err = iof
        .row_parser(&["email".into()], &ReadOptions::default())
        .err()
        .unwrap();
    assert!(err.to_string().contains("XML paths"), "{err}");
}

#[test]
fn namespace_prefix_or_none_makes_no_difference() {
    let prefixed = read_all(fixture("prefixed_namespace.xml")).unwrap();
    assert_eq!(prefixed.len(), 1);
    let c = customer(&prefixed[0]);
    assert_eq!(c.first_name.as_deref(), Some("Jan"));
    assert_eq!(c.shops, [3]);
    let bare = read_all(fixture("no_namespace.xml")).unwrap();
    assert_eq!(bare.len(), 2);
    assert_eq!(customer(&bare[0]).last_name.as_deref(), Some("Kowalski"));
    assert_eq!(customer(&bare[1]).login.as_deref(), Some("ewa"));
    assert_eq!(bare[1].line, 3);
}

#[test]
fn crlf_and_bom_read_like_the_plain_file() {
    let plain = read_all(fixture("full_client.xml")).unwrap();
    let crlf = read_all(fixture("crlf_bom.xml")).unwrap();
    assert_eq!(plain.len(), crlf.len());
    for (a, b) in plain.iter().zip(&crlf) {
        assert_eq!(a.patch, b.patch);
        assert_eq!(a.line, b.line);
    }
}

#[test]
fn windows_1250_bytes_are_decoded() {
    let rows = read_all(fixture("windows1250.xml")).unwrap();
    assert_eq!(customer(&rows[0]).billing.city.as_deref(), Some("Łódź"));
}

fn fatal(name: &str) -> String {
    match read_all(fixture(name)) {
        Ok(rows) => panic!("{name} was read: {} rows", rows.len()),
        Err(e) => e.to_string(),
    }
}

#[test]
fn a_doctype_is_refused_and_no_entity_is_expanded() {
    for name in ["xxe.xml", "doctype.xml", "billion_laughs.xml"] {
        let err = fatal(name);
        assert!(err.contains("DOCTYPE"), "{name}: {err}");
        assert!(err.starts_with("line 2"), "{name}: {err}");
        assert!(!err.contains("root:"), "{name} leaked a file: {err}");
    }
}

#[test]
fn an_undefined_entity_stops_with_its_name_after_the_good_rows() {
    let iof = dialect("iof").unwrap();
    let mut rows = iof
        .open_reader(
            Box::new(std::io::Cursor::new(fixture("undefined_entity.xml"))),
            &ReadOptions::default(),
        )
        .unwrap();
    assert!(rows.next_row().unwrap().is_ok());
    let err = rows.next_row().unwrap().unwrap_err().to_string();
    assert!(err.contains("&nbsp;") && err.starts_with("line 3"), "{err}");
    assert!(rows.next_row().is_none());
}

#[test]
fn invalid_values_become_located_row_issues() {
    let rows = read_all(fixture("invalid_values.xml")).unwrap();
    assert_eq!(rows.len(), 3);
    let columns: Vec<&str> = rows[0]
        .issues
        .iter()
        .filter_map(|i| i.column.as_deref())
        .collect();
    assert_eq!(
        columns,
        [
            "client/@email",
            "client/@language",
            "client/@registered",
            "client/address/@country"
        ]
    );
    assert_eq!(rows[0].issues[0].code.as_str(), "invalid_email");
    assert_eq!(rows[0].issues[0].value.as_deref(), Some("not-an-email"));
    let codes: Vec<&str> = rows[1].issues.iter().map(|i| i.code.as_str()).collect();
    assert_eq!(codes, ["invalid_choice", "invalid_integer"]);
    assert!(rows[2].issues.is_empty());
}

#[test]
fn broken_files_stop_with_a_clear_error() {
    let err = fatal("truncated.xml");
    assert!(
        err.contains("not well-formed") || err.contains("truncated"),
        "{err}"
    );
    let err = fatal("not_iof.xml");
    assert!(err.contains("<offer>"), "{err}");
}

#[test]
fn writes_the_decided_layout() {
    let rows = read_all(fixture("full_client.xml")).unwrap();
    let mut c = customer(&rows[0]);
    c.id = Some(12);
    let mut out = Vec::new();
    let iof = dialect("iof").unwrap();
    let options = WriteOptions {
        with_password_hashes: true,
        ..WriteOptions::default()
    };
    let mut sink = iof.open_writer(Box::new(&mut out), &options).unwrap();
    sink.write_customer(&c).unwrap();
    assert_eq!(sink.finish().unwrap(), 1);
    drop(sink);
    let text = String::from_utf8(out).unwrap();
    assert!(text.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<clients file_format=\"IOF\" version=\"3.0\" generated=\""));
    assert!(text.contains("xmlns=\"http://www.iai-shop.com/developers/iof.phtml\">"));
    for expected in [
        r#"<client id="12" login="jan" email="jan@example.pl" type="male" wholesaler="n" language="pol" registered="2022-08-18 10:01:34" last_login="2023-01-02 03:04:05" last_order="2023-05-06 07:08:09">"#,
        r#"<name first="Jan" last="Kowalski"/>"#,
        r#"<company name="Kowalski &amp; Syn" taxidnumber="1231231212"/>"#,
        r#"<phone type="main" number="+48123123123"/>"#,
        r#"<address street="Jasna 5" zipcode="00-950" city="Warszawa" country="pl"/>"#,
        r#"<shops><shop id="1"/><shop id="2"/></shops>"#,
        r#"<newsletter email="t" sms="n"><shop id="1" email="t" sms="n"/><shop id="2" email="t" sms="t"/></newsletter>"#,
        "<note>Prefers &lt;morning&gt; calls – ask for Jan</note>",
        "<labels><label>vip</label><label>b2b, wholesale</label></labels>",
        r#"<loyalty points="10000"/>"#,
        r#"<rebate value="5.00"/>"#,
        r#"<balance value="12.50" limit="-100.00"/>"#,
        r#"<consent name="Regulamin" status="t" time="2022-08-18 10:01:34" valid_to="2030-01-01 00:00:00"/>"#,
        r#"<field key="shoe_size">42</field>"#,
        r#"<password hash="5f4dcc3b5aa765d61d8327deb882cf99" algorithm="md5"/>"#,
    ] {
        assert!(text.contains(expected), "missing {expected}\n{text}");
    }
    assert!(text.ends_with("</client>\n</clients>\n"));

    let mut out = Vec::new();
    let mut sink = iof
        .open_writer(Box::new(&mut out), &WriteOptions::default())
        .unwrap();
    sink.write_customer(&c).unwrap();
    sink.finish().unwrap();
    drop(sink);
    assert!(
        !String::from_utf8(out).unwrap().contains("<password"),
        "hashes only on request"
    );
}

#[test]
fn a_control_character_is_reported_not_written() {
    let c = Customer {
        note: Some("bell \u{7}".into()),
        ..Customer::default()
    };
    let mut out = Vec::new();
    let mut sink = dialect("iof")
        .unwrap()
        .open_writer(Box::new(&mut out), &WriteOptions::default())
        .unwrap();
    let err = sink.write_customer(&c).unwrap_err().to_string();
    assert!(err.contains("client/note"), "{err}");
}

/// A `Read` that produces an IOF document of `total` clients on the fly and counts what
/// it handed out, so the test can see how far ahead of the rows the reader has read.
struct Generated {
    total: u64,
    next: u64,
    pending: Vec<u8>,
    pos: usize,
    produced: std::rc::Rc<std::cell::Cell<u64>>,
    finished: bool,
}

impl Read for Generated {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.pos == self.pending.len() {
            self.pending.clear();
            self.pos = 0;
            if self.next == 0 {
                self.pending
                    .extend_from_slice(b"<clients file_format=\"IOF\" version=\"3.0\">\n");
            }
            if self.next < self.total {
                let i = self.next;
                self.pending.extend_from_slice(client_line(i).as_bytes());
                self.next += 1;
            } else if !self.finished {
                self.pending.extend_from_slice(b"</clients>\n");
                self.finished = true;
            } else {
                return Ok(0);
            }
        }
        let n = buf.len().min(self.pending.len() - self.pos);
        buf[..n].copy_from_slice(&self.pending[self.pos..self.pos + n]);
        self.pos += n;
        self.produced.set(self.produced.get() + n as u64);
        Ok(n)
    }
}

fn client_line(i: u64) -> String {
    format!("<client login=\"c{i}\" email=\"c{i}@example.pl\"><name first=\"F{i}\"/></client>\n")
}

#[test]
fn streams_a_large_document_without_holding_it() {
    const CLIENTS: u64 = 200_000;
    let produced = std::rc::Rc::new(std::cell::Cell::new(0));
    let source = Generated {
        total: CLIENTS,
        next: 0,
        pending: Vec::new(),
        pos: 0,
        produced: produced.clone(),
        finished: false,
    };
    let iof = dialect("iof").unwrap();
    let mut rows = iof
        .open_reader(Box::new(source), &ReadOptions::default())
        .unwrap();
    let mut count = 0u64;
    let mut max_ahead = 0u64;
    let mut consumed_by_rows = 0u64;
    let mut since_check = 0;
    while let Some(row) = rows.next_row() {
        let row = row.unwrap();
        consumed_by_rows += client_line(count).len() as u64;
        count += 1;
        since_check += 1;
        if since_check == 1000 {
            since_check = 0;
            assert_eq!(row.cells[1], format!("c{}", count - 1));
            // Bytes pulled from the source beyond the rows already returned.
            max_ahead = max_ahead.max(produced.get().saturating_sub(consumed_by_rows));
        }
    }
    assert_eq!(count, CLIENTS);
    assert!(
        produced.get() > 15_000_000,
        "the document is {} bytes",
        produced.get()
    );
    assert!(
        max_ahead < 512 * 1024,
        "the reader ran {max_ahead} bytes ahead of its rows"
    );
}
