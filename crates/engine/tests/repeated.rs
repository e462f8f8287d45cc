//! A login or e-mail that a file repeats far apart (in another chunk of the pipeline) is
//! found both by the check and by the one-pass import, with the line it repeats.

use custio_engine::records::RowStatus;
use custio_engine::{Engine, ImportOptions, NoProgress};

fn file(rows: usize, repeat_at: usize) -> String {
    let mut text = String::from("login;email;firstname;lastname;street;zipcode;city\n");
    for i in 0..rows {
        let (login, email) = if i == repeat_at {
            ("again".to_string(), "u0@example.pl".to_string())
        } else {
            (format!("u{i}"), format!("u{i}@example.pl"))
        };
        text.push_str(&format!(
            "{login};{email};Jan;Nowak;Jasna 5;00-950;Warszawa\n"
        ));
    }
    text
}

fn issue_of(engine: &Engine, batch: i64) -> (u64, String, String) {
    let rows = engine
        .rows(batch, Some(RowStatus::Invalid), None, 10)
        .unwrap();
    assert_eq!(rows.len(), 1, "{rows:?}");
    let issue = &rows[0].issues[0];
    (
        rows[0].line,
        issue.code.as_str().to_string(),
        issue.to_string(),
    )
}

#[test]
fn a_repeat_in_another_chunk_is_found_by_the_check_and_the_import() {
    let text = file(1500, 1200);
    // An import into an empty base pairs with nothing stored (the store refuses the key);
    // into a base with customers it pairs, and finds the customer its own line 2 wrote.
    for (commit, base) in [(false, false), (true, false), (true, true)] {
        let engine = Engine::open(&custio_testdb::memory()).unwrap();
        if base {
            let other = "login;email;firstname;lastname;street;zipcode;city\nola;ola@example.pl;Ola;Lis;Długa 1;31-147;Kraków\n";
            engine
                .import(
                    Box::new(other.as_bytes()),
                    "o.csv",
                    "idosell",
                    &ImportOptions::default(),
                    &NoProgress,
                )
                .unwrap();
        }
        let input = Box::new(text.as_bytes());
        let options = ImportOptions::default();
        let report = if commit {
            engine.import(input, "f.csv", "idosell", &options, &NoProgress)
        } else {
            engine.check(input, "f.csv", "idosell", &options, &NoProgress)
        }
        .unwrap();
        let (line, code, text) = issue_of(&engine, report.batch);
        assert_eq!(
            (line, code.as_str()),
            (1202, "duplicate_email"),
            "commit: {commit}"
        );
        assert!(text.contains("already appears on line 2"), "{text}");
        let expected = if commit { 1499 } else { 0 };
        assert_eq!(report.counts.imported, expected, "commit: {commit}");
    }
}
