//! A plain password is hashed the moment it is read, on every path, and is kept nowhere:
//! not in the customer, the journal, the buffer of not-imported rows, an edit, the
//! rejected-rows file or anything else in the database files.

mod util;

use util::Workspace;

fn assert_nowhere(ws: &Workspace, secrets: &[&str]) {
    let bytes = custio_testdb::stored_bytes(&ws.db);
    for secret in secrets {
        assert!(
            !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
            "'{secret}' is in the database files"
        );
    }
}

#[test]
fn a_generic_csv_password_column_is_hashed_and_kept_nowhere_in_plain() {
    let ws = Workspace::new();
    // Mapped as the mapping screen suggests.
    let file = ws.write(
        "plain.csv",
        "email;first_name;last_name;password\n\
         ola@example.pl;Ola;Lis;tajne123\n\
         not-an-email;Jan;Nowak;sekret456\n",
    );
    let file = file.to_str().unwrap();
    let args = [
        "import",
        file,
        "--format",
        "csv",
        "--map",
        "password=password",
    ];
    ws.ok(3, &[&args[..], &["--commit"]].concat());
    let hashed = ws
        .ok(0, &["export", "--with-password-hashes", "-o", "-"])
        .stdout;
    let ola = hashed
        .lines()
        .find(|l| l.contains("ola@example.pl"))
        .unwrap();
    assert!(ola.contains("$argon2id$"), "{ola}");
    assert!(!hashed.contains("tajne123"));

    let rejected = ws.ok(0, &["batches", "errors", "1", "-o", "-"]).stdout;
    let jan = rejected
        .lines()
        .find(|l| l.contains("not-an-email"))
        .unwrap();
    assert!(!jan.contains("sekret456"), "{jan}");
    assert_nowhere(&ws, &["tajne123", "sekret456"]);
}

#[test]
fn a_rejected_idosell_row_and_an_edit_keep_no_plain_password() {
    let ws = Workspace::new();
    let file = ws.write(
        "pw.csv",
        "login;email;firstname;lastname;street;zipcode;city;password\n\
         jan;not-an-email;Jan;Nowak;Jasna 5;00-950;Warszawa;sekret456\n",
    );
    ws.ok(3, &["import", file.to_str().unwrap()]);
    let shown = ws.ok(0, &["batches", "show", "1"]);
    assert!(!shown.stdout.contains("sekret456"), "{}", shown.stdout);
    assert_nowhere(&ws, &["sekret456"]);
    // A new password typed in review.
    ws.ok(
        0,
        &[
            "batches",
            "edit",
            "1",
            "--row",
            "2",
            "--set",
            "password=nowe789",
        ],
    );
    assert_nowhere(&ws, &["nowe789"]);
    ws.ok(
        0,
        &[
            "batches",
            "edit",
            "1",
            "--row",
            "2",
            "--set",
            "email=jan@example.pl",
        ],
    );
    ws.ok(0, &["batches", "commit", "1"]);
    let hashed = ws
        .ok(0, &["export", "--with-password-hashes", "-o", "-"])
        .stdout;
    assert!(hashed.contains("$argon2id$"), "{hashed}");
    assert_nowhere(&ws, &["sekret456", "nowe789"]);
}
