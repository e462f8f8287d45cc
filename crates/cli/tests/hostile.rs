//! Hostile and broken files, end to end: `custio import FILE --commit` on a store holding
//! 200 customers, as issue 8 found them. Each ends with a clear message on standard error
//! or a located row error, an exit code of 1 or 3 (never a panic's 101 or an abort), and
//! no customer changed except by a valid row.

mod util;

use std::collections::BTreeMap;
use std::path::Path;

use util::{Run, Workspace, fixture, idosell};

/// A store with the 200 customers `user0` ... `user199`.
fn store() -> Workspace {
    let ws = Workspace::new();
    let rows: Vec<String> = (0..200)
        .map(|i| {
            format!(
                "user{i};user{i}@example.pl;Jan{i};Kowalski;Polna {i};00-001;Warszawa;+48500100{i:03};n"
            )
        })
        .collect();
    let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
    let file = ws.write("base.csv", &idosell(&rows));
    ws.ok(0, &["import", file.to_str().unwrap(), "--commit"]);
    ws
}

/// Every stored customer by login.
fn customers(ws: &Workspace) -> BTreeMap<String, serde_json::Value> {
    let list = ws.ok(0, &["customers", "list", "--json"]).json();
    let list = list.as_array().expect("a list").clone();
    assert_eq!(list.len(), 200, "the store holds its 200 customers");
    list.into_iter()
        .map(|c| (c["login"].as_str().unwrap().to_string(), c))
        .collect()
}

/// The logins whose stored customer differs between two listings.
fn changed(
    before: &BTreeMap<String, serde_json::Value>,
    after: &BTreeMap<String, serde_json::Value>,
) -> Vec<String> {
    after
        .iter()
        .filter(|(login, c)| before.get(*login) != Some(*c))
        .map(|(login, _)| login.clone())
        .collect()
}

/// Imports `file` with `--commit` (and `extra` options), checking that it neither panicked
/// nor aborted and said something.
fn import(ws: &Workspace, file: &Path, extra: &[&str]) -> Run {
    let mut args = vec!["import", file.to_str().unwrap(), "--commit"];
    args.extend(extra);
    let run = ws.run(&args);
    assert!(
        !run.stderr.contains("panicked") && !run.stderr.contains("overflow"),
        "{file:?}: {}",
        run.stderr
    );
    run
}

fn stderr_lines(run: &Run) -> usize {
    run.stderr.lines().count()
}

#[test]
fn xml_nested_100000_levels_deep_is_refused_and_the_process_lives() {
    let ws = store();
    let before = customers(&ws);
    let mut xml = String::from(
        "<?xml version=\"1.0\"?>\n<clients file_format=\"IOF\" version=\"3.0\">\n<client login=\"user1\" email=\"user1@example.pl\">\n",
    );
    xml.push_str(&"<x>".repeat(100_000));
    xml.push_str(&"</x>".repeat(100_000));
    xml.push_str("\n</client>\n</clients>\n");
    let file = ws.write("deep.xml", &xml);
    let run = import(&ws, &file, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("line 4: elements are nested more than 32 levels deep inside <client>"),
        "{}",
        run.stderr
    );
    assert!(changed(&before, &customers(&ws)).is_empty());
}

#[test]
fn a_file_mixing_utf8_and_windows_1250_is_refused_naming_the_lines_and_bytes() {
    let ws = store();
    let before = customers(&ws);
    let run = import(
        &ws,
        Path::new(&fixture("idosell/mixed_utf8_and_cp1250.csv")),
        &[],
    );
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stderr
            .contains("line 3: \"user2;user2@example.pl;\\xAFaneta;"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("not valid utf-8"), "{}", run.stderr);
    let after = customers(&ws);
    assert!(changed(&before, &after).is_empty());
    assert_eq!(after["user1"]["first_name"], "Jan1", "no Ĺ\\u0081ukasz");
}

#[test]
fn a_nul_byte_in_a_cell_rejects_that_row_with_its_line_column_and_value() {
    let ws = store();
    let before = customers(&ws);
    let run = import(
        &ws,
        Path::new(&fixture("idosell/nul_in_firstname.csv")),
        &[],
    );
    assert_eq!(run.code, 3, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains(
            "line 2: column 'firstname': 'Ja\\0n' holds the character U+0000, which no customer value may hold"
        ),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains('\0'));
    let after = customers(&ws);
    assert_eq!(changed(&before, &after), ["user4"], "only the valid row");
    assert_eq!(after["user3"]["first_name"], "Jan3");
    assert_eq!(after["user4"]["first_name"], "Józef");
}

#[test]
fn a_value_past_its_fields_bound_rejects_that_row() {
    let ws = store();
    let before = customers(&ws);
    let run = import(
        &ws,
        Path::new(&fixture("idosell/first_name_300_chars.csv")),
        &[],
    );
    assert_eq!(run.code, 3, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains(
            "line 2: column 'firstname': the value is 300 characters long; at most 255 are allowed"
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(
            "line 3: column 'phone': the value is 41 characters long; at most 32 are allowed"
        ),
        "{}",
        run.stdout
    );
    assert!(changed(&before, &customers(&ws)).is_empty());
}

#[test]
fn a_60_mb_cell_stops_the_file_with_its_line_and_column() {
    let ws = store();
    let before = customers(&ws);
    let mut file =
        idosell(&["user5;user5@example.pl;Adam;Kowalski;Polna 5;00-001;Warszawa;+48500100005;n"]);
    file.push_str("user6;user6@example.pl;");
    file.push_str(&"A".repeat(60 * 1024 * 1024));
    file.push_str(";Kowalski;Polna 6;00-001;Warszawa;+48500100006;n\n");
    let path = ws.write("huge_cell.csv", &file);
    drop(file);
    let run = import(&ws, &path, &[]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stderr
            .contains("line 3, column 3: a cell is longer than 1 MiB"),
        "{}",
        run.stderr
    );
    assert!(stderr_lines(&run) < 5 && run.stderr.len() < 2_000);
    // The valid row before it was imported (one pass); the huge one never was.
    let after = customers(&ws);
    assert_eq!(changed(&before, &after), ["user5"]);
    assert_eq!(after["user6"]["first_name"], "Jan6");
}

#[test]
fn a_header_of_200000_columns_is_refused_at_once_in_a_few_lines() {
    let ws = store();
    let before = customers(&ws);
    let columns: Vec<String> = (0..200_000).map(|i| format!("col{i}")).collect();
    let file = ws.write(
        "wide.csv",
        &format!(
            "login;email;{}\nuser1;user1@example.pl\n",
            columns.join(";")
        ),
    );
    let started = std::time::Instant::now();
    let run = import(&ws, &file, &["--format", "idosell"]);
    assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stderr
            .contains("the header has 200002 columns, custio reads at most 1000"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.lines().count() + stderr_lines(&run) < 10);
    assert!(changed(&before, &customers(&ws)).is_empty());
}

#[test]
fn many_unknown_columns_are_listed_up_to_twenty() {
    let ws = store();
    let columns: Vec<String> = (0..300).map(|i| format!("col{i}")).collect();
    let file = ws.write(
        "unknown.csv",
        &format!(
            "login;email;{}\nuser1;user1@example.pl\n",
            columns.join(";")
        ),
    );
    let run = import(&ws, &file, &["--format", "idosell"]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("  ... and 280 more"), "{}", run.stdout);
    assert!(run.stdout.lines().count() < 30, "{}", run.stdout);
    assert!(
        run.stderr.contains("300 unknown column(s)"),
        "{}",
        run.stderr
    );
}

/// Every file of `tests/fixtures/hostile/`, and the big ones made here, through
/// `import --commit` on a store with customers: named as IOF or IdoSell (so that the
/// readers, not only detection, see them) and detected.
#[test]
fn the_hostile_corpus_ends_in_a_message_never_a_crash() {
    let ws = store();
    let before = customers(&ws);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/hostile");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let header = "login;email;firstname;lastname;street;zipcode;city;phone;mailing";
    let made = [
        (
            "made_200000_columns.csv",
            format!(
                "{}\n",
                (0..200_000)
                    .map(|i| format!("c{i}"))
                    .collect::<Vec<_>>()
                    .join(";")
            ),
        ),
        (
            "made_100000_deep.xml",
            format!(
                "<clients>\n<client login=\"user1\" email=\"user1@example.pl\">{}",
                "<a>".repeat(100_000)
            ),
        ),
        (
            "made_2_mib_unclosed_quote.csv",
            format!(
                "{header}\nuser1;user1@example.pl;\"{}\n",
                "Jan;".repeat(512 * 1024)
            ),
        ),
    ];
    for (name, content) in &made {
        files.push(ws.write(name, content));
    }
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let format = if name.ends_with(".xml") {
            "iof"
        } else {
            "idosell"
        };
        for extra in [&["--format", format][..], &[]] {
            let run = import(&ws, path, extra);
            let expected: &[i32] = if extra.is_empty() {
                &[1, 2, 3]
            } else {
                &[1, 3]
            };
            assert!(
                expected.contains(&run.code),
                "{name} {extra:?}: exit {}\n{}\n{}",
                run.code,
                run.stdout,
                run.stderr
            );
            let message = if run.code == 3 {
                &run.stdout
            } else {
                &run.stderr
            };
            assert!(
                message.contains("line ") || message.contains("error:"),
                "{name} {extra:?}: no message\n{}\n{}",
                run.stdout,
                run.stderr
            );
            assert!(
                run.stdout.len() + run.stderr.len() < 20_000,
                "{name}: a message of {} bytes",
                run.stdout.len() + run.stderr.len()
            );
        }
    }
    // No file of the corpus holds a row that is valid as a whole.
    assert_eq!(changed(&before, &customers(&ws)), Vec::<String>::new());
}
