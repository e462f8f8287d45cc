//! `custio convert` and format detection from the command line: conversions between
//! formats without a database, rows left out with their place, fields the target cannot
//! hold reported once, Windows-1250 output, and `import` choosing the format itself.

mod util;

use util::{Workspace, fixture, idosell};

const JAN: &str = "jan;jan@example.pl;Jan;Kowalski;Jasna 5;00-950;Warszawa;+48601234567;t";
const EWA: &str = "ewa;ewa@example.pl;Ewa;Nowak;Długa 1;31-147;Kraków;;n";

#[test]
fn idosell_to_shoptet_and_back_keeps_what_both_hold() {
    let ws = Workspace::new();
    let file = ws.write("in.csv", &idosell(&[JAN, EWA]));
    let shoptet = ws.path("shoptet.csv");
    let run = ws.ok(
        0,
        &[
            "convert",
            file.to_str().unwrap(),
            "--from",
            "idosell",
            "--to",
            "shoptet",
            "-o",
            shoptet.to_str().unwrap(),
        ],
    );
    assert!(
        run.stdout.contains("idosell -> shoptet: 2 row(s) read"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(
            "shoptet cannot hold: first_name (2 rows), last_name (2 rows), login (2 rows)"
        ),
        "{}",
        run.stdout
    );
    let text = std::fs::read_to_string(&shoptet).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("email;billingFullName;"),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].starts_with("jan@example.pl;Jan Kowalski;"),
        "the billing name Shoptet requires is made of the names: {}",
        lines[1]
    );
    assert!(lines[2].contains("Kraków"), "{}", lines[2]);

    let back = ws.path("back.csv");
    let run = ws.ok(
        0,
        &[
            "convert",
            shoptet.to_str().unwrap(),
            "--to",
            "idosell",
            "-o",
            back.to_str().unwrap(),
        ],
    );
    assert!(
        run.stdout.contains("detected format: shoptet"),
        "{}",
        run.stdout
    );
    let text = std::fs::read_to_string(&back).unwrap();
    assert!(text.contains("jan@example.pl") && text.contains("Jasna 5"));
    assert!(text.contains("+48601234567") && text.contains("31-147"));
}

#[test]
fn rows_that_do_not_parse_are_left_out_with_line_column_and_value() {
    let ws = Workspace::new();
    let bad = "marek;marek@;Marek;Wiśniewski;Polna 1;60-001;Poznań;;n";
    let file = ws.write("in.csv", &idosell(&[JAN, bad, EWA]));
    let out = ws.path("out.xml");
    let run = ws.ok(
        3,
        &[
            "convert",
            file.to_str().unwrap(),
            "--to",
            "iof",
            "-o",
            out.to_str().unwrap(),
            "--json",
        ],
    );
    let report = run.json();
    assert_eq!(report["from"], "idosell");
    assert_eq!(report["detected"], true);
    assert_eq!(
        (report["rows"].as_u64(), report["written"].as_u64()),
        (Some(3), Some(2))
    );
    assert_eq!(report["left_out_count"], 1);
    let row = &report["left_out"][0];
    assert_eq!(row["line"], 3);
    assert_eq!(row["issues"][0]["column"], "email");
    assert_eq!(row["issues"][0]["value"], "marek@");
    let xml = std::fs::read_to_string(&out).unwrap();
    assert_eq!(xml.matches("<client ").count(), 2, "{xml}");
}

#[test]
fn windows_1250_output_reports_an_unmappable_character_with_row_and_column() {
    let ws = Workspace::new();
    let ivan = "ivan;ivan@example.bg;Иван;Petrov;Vitosha 1;1000;Sofia;;n";
    let file = ws.write("in.csv", &idosell(&[JAN, ivan, EWA]));
    let out = ws.path("out.csv");
    let run = ws.ok(
        3,
        &[
            "convert",
            file.to_str().unwrap(),
            "--from",
            "idosell",
            "--to",
            "upgates",
            "--encoding",
            "windows-1250",
            "-o",
            out.to_str().unwrap(),
        ],
    );
    assert!(
        run.stdout
            .contains("line 3: column '[FIRSTNAME]': the character 'И'")
            && run.stdout.contains("windows-1250"),
        "{}",
        run.stdout
    );
    let bytes = std::fs::read(&out).unwrap();
    let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the file is Windows-1250, not UTF-8"
    );
    assert!(
        has(b"Krak\xF3w") && has(b"D\xB3uga 1"),
        "ó and ł in Windows-1250"
    );
    assert!(has(b"jan@example.pl"));
    assert!(!has(b"ivan@example.bg"), "the row is left out whole");
}

#[test]
fn standard_input_to_standard_output_with_the_report_on_standard_error() {
    let ws = Workspace::new();
    let run = ws.run_with_stdin(
        &["convert", "-", "--to", "cloudcart", "-o", "-"],
        &idosell(&[JAN, EWA]),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .starts_with("ID,Email Address,First Name,Last Name,"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("jan@example.pl"));
    assert!(
        run.stderr.contains("detected format: idosell"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("cloudcart cannot hold:") && run.stderr.contains("login (2 rows)"),
        "{}",
        run.stderr
    );
    assert!(!ws.path("custio.db").exists(), "convert needs no database");
}

#[test]
fn the_cannot_hold_report_names_each_field_once_with_its_row_count() {
    let ws = Workspace::new();
    let out = ws.path("out.csv");
    let run = ws.ok(
        3,
        &[
            "convert",
            &fixture("idosell/real_header_customers.csv"),
            "--to",
            "shoptet",
            "-o",
            out.to_str().unwrap(),
            "--json",
        ],
    );
    let report = run.json();
    let dropped = report["cannot_hold"].as_array().unwrap();
    let names: Vec<&str> = dropped
        .iter()
        .map(|d| d["field"].as_str().unwrap())
        .collect();
    let mut unique = names.clone();
    unique.dedup();
    assert_eq!(names, unique, "each field once");
    for field in ["login", "stats.orders_all", "shops"] {
        assert!(names.contains(&field), "{field} missing from {names:?}");
    }
    let login = dropped.iter().find(|d| d["field"] == "login").unwrap();
    assert_eq!(login["rows"], report["written"]);
}

#[test]
fn import_detects_each_platform_and_says_so() {
    for (file, dialect) in [
        ("idosell/real_header_customers.csv", "idosell"),
        ("shoptet/cp1250_crlf_billingFullname.csv", "shoptet"),
        ("upgates/without_kind_columns.csv", "upgates"),
        ("iof/full_client.xml", "iof"),
        ("cloudcart/bom_header_pipe.csv", "cloudcart"),
    ] {
        let ws = Workspace::new();
        let run = ws.run(&["import", &fixture(file), "--json"]);
        assert!(
            run.stderr.contains(&format!("detected format: {dialect}")),
            "{file}: {}",
            run.stderr
        );
        let summary = run.json();
        assert_eq!(summary["dialect"], dialect, "{file}");
        assert_eq!(summary["status"], "checked", "{file}: {summary}");
        assert!(summary["rows"].as_u64().unwrap() > 0, "{file}");
    }
}

#[test]
fn a_file_that_cannot_be_told_asks_for_the_format() {
    let ws = Workspace::new();
    let run = ws.ok(2, &["import", &fixture("cloudcart/tab_no_header.csv")]);
    assert!(
        run.stderr.contains("cannot tell which format") && run.stderr.contains("--format"),
        "{}",
        run.stderr
    );
    let run = ws.ok(
        2,
        &["convert", &fixture("iof/not_iof.xml"), "--to", "shoptet"],
    );
    assert!(
        run.stderr.contains("<offer>") && run.stderr.contains("--from"),
        "{}",
        run.stderr
    );
    let run = ws.run(&[
        "import",
        &fixture("cloudcart/tab_no_header.csv"),
        "--format",
        "idosell",
        "--json",
    ]);
    assert!(!run.stderr.contains("detected format"), "{}", run.stderr);
    assert_eq!(run.json()["dialect"], "idosell", "--format skips detection");
}

#[test]
fn unknown_formats_are_usage_errors() {
    let ws = Workspace::new();
    let file = ws.write("in.csv", &idosell(&[JAN]));
    let run = ws.ok(
        2,
        &["convert", file.to_str().unwrap(), "--to", "woocommerce"],
    );
    assert!(
        run.stderr.contains("unknown format 'woocommerce'"),
        "{}",
        run.stderr
    );
}

#[test]
fn unknown_columns_stop_the_conversion_until_mapped_and_keyless_rows_are_left_out() {
    let ws = Workspace::new();
    let file = ws.write(
        "foreign.csv",
        "Imię;Nazwisko;Adres e-mail\nJan;Nowak;jan@example.pl\nBez;Adresu;\n",
    );
    let out = ws.path("out.csv");
    let args = |extra: &[&'static str]| -> Vec<String> {
        let mut v: Vec<String> = [
            "convert",
            file.to_str().unwrap(),
            "--from",
            "csv",
            "--to",
            "idosell",
            "-o",
            out.to_str().unwrap(),
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        v.extend(extra.iter().map(|s| s.to_string()));
        v
    };
    let refused = ws.run(&args(&[]).iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(refused.code, 1, "{}", refused.stderr);
    assert!(
        refused.stderr.contains("column 1 'Imię': maybe first_name"),
        "{}",
        refused.stderr
    );
    assert!(
        !out.exists(),
        "nothing is written before the columns are mapped"
    );
    let mapped = args(&[
        "--map=Imię=first_name",
        "--map=Nazwisko=last_name",
        "--map=Adres e-mail=email",
    ]);
    let run = ws.run(&mapped.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(
        run.code, 3,
        "a row was left out: {}{}",
        run.stdout, run.stderr
    );
    let written = std::fs::read_to_string(&out).unwrap();
    assert!(
        written.contains("jan@example.pl") && written.contains("Jan"),
        "{written}"
    );
    assert_eq!(
        written.lines().count(),
        2,
        "the keyless row is not written: {written}"
    );
    assert!(run.stdout.contains("line 3"), "{}", run.stdout);
}
