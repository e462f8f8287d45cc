//! The import workflow from the command line, as a user runs it: check, review, fix,
//! commit, rejected rows, pairing policies, exports. Each test has its own SQLite file.

mod util;

use util::{Workspace, fixture, idosell};

const JAN: &str = "jan;jan@example.pl;Jan;Kowalski;Jasna 5;00-950;Warszawa;+48601234567;t";
const EWA: &str = "ewa;ewa@example.pl;Ewa;Nowak;Długa 1;31-147;Kraków;;n";

#[test]
fn check_stages_without_touching_customers_then_commit_imports() {
    let ws = Workspace::new();
    let file = ws.write("in.csv", &idosell(&[JAN, EWA]));
    let check = ws
        .ok(0, &["import", file.to_str().unwrap(), "--json"])
        .json();
    assert_eq!(
        (
            check["rows"].as_u64(),
            check["valid"].as_u64(),
            check["new"].as_u64()
        ),
        (Some(2), Some(2), Some(2))
    );
    assert_eq!(check["status"], "checked");
    let listed = ws.ok(0, &["customers", "list", "--json"]).json();
    assert_eq!(
        listed.as_array().unwrap().len(),
        0,
        "a check writes no customer"
    );

    let batch = check["batch"].to_string();
    let commit = ws.ok(0, &["batches", "commit", &batch]);
    assert!(commit.stdout.contains("imported 2"), "{}", commit.stdout);
    let jan = ws.customer("jan@example.pl");
    assert_eq!(jan["login"], "jan");
    assert_eq!(jan["billing"]["city"], "Warszawa");
    assert_eq!(jan["newsletter_email"], "yes");
    assert!(
        jan["registered_at"].as_str().is_some(),
        "an empty registration date becomes the import time"
    );
    assert_eq!(ws.customer("ewa")["email"], "ewa@example.pl");
    assert_eq!(ws.customer(&jan["id"].to_string())["login"], "jan");
}

#[test]
fn rejected_rows_come_back_with_reasons_and_import_once_fixed() {
    let ws = Workspace::new();
    let bad_email = "marek;marek@;Marek;Wiśniewski;Polna 1;60-001;Poznań;;n";
    let no_city = "ola;ola@example.pl;Ola;Kot;Polna 2;60-002;;;n";
    let file = ws.write("in.csv", &idosell(&[JAN, bad_email, no_city]));
    let run = ws.ok(3, &["import", file.to_str().unwrap(), "--commit", "--json"]);
    let summary = run.json();
    assert_eq!(
        (summary["imported"].as_u64(), summary["invalid"].as_u64()),
        (Some(1), Some(2))
    );

    let errors = ws.path("errors.csv");
    ws.ok(
        0,
        &[
            "batches",
            "errors",
            &summary["batch"].to_string(),
            "-o",
            errors.to_str().unwrap(),
        ],
    );
    let text = std::fs::read_to_string(&errors).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], format!("{};import_errors", util::HEADER));
    assert_eq!(lines.len(), 3);
    assert!(
        lines[1].starts_with("marek;marek@;")
            && lines[1].contains("line 3: column 'email': 'marek@' is not a valid e-mail address"),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].starts_with("ola;") && lines[2].contains("line 4: billing.city is required"),
        "{}",
        lines[2]
    );

    let fixed = text
        .replace("marek@;", "marek@example.pl;")
        .replace("60-002;;", "60-002;Poznań;");
    let fixed_file = ws.write("fixed.csv", &fixed);
    let again = ws
        .ok(
            0,
            &["import", fixed_file.to_str().unwrap(), "--commit", "--json"],
        )
        .json();
    assert_eq!(
        (again["imported"].as_u64(), again["invalid"].as_u64()),
        (Some(2), Some(0))
    );
    assert_eq!(ws.customer("ola")["billing"]["city"], "Poznań");
    assert_eq!(ws.customer("marek")["email"], "marek@example.pl");
}

#[test]
fn an_edited_row_is_revalidated() {
    let ws = Workspace::new();
    let file = ws.write(
        "in.csv",
        &idosell(&["bad;not-an-email;Jan;Nowak;Jasna 5;00-950;Warszawa;;n"]),
    );
    let batch = ws
        .ok(3, &["import", file.to_str().unwrap(), "--json"])
        .json()["batch"]
        .to_string();

    let still_bad = ws.ok(
        0,
        &[
            "batches",
            "edit",
            &batch,
            "--row",
            "2",
            "--set",
            "email=still bad",
        ],
    );
    assert!(
        still_bad.stdout.contains("line 2: invalid")
            && still_bad
                .stdout
                .contains("'still bad' is not a valid e-mail"),
        "{}",
        still_bad.stdout
    );

    let fixed = ws.ok(
        0,
        &[
            "batches",
            "edit",
            &batch,
            "--row",
            "2",
            "--set",
            "email=Jan@Example.pl",
        ],
    );
    assert!(fixed.stdout.contains("line 2: pending"), "{}", fixed.stdout);
    let missing = ws.ok(
        0,
        &["batches", "edit", &batch, "--row", "2", "--set", "city="],
    );
    assert!(
        missing.stdout.contains("line 2: invalid"),
        "clearing a required cell invalidates the row again: {}",
        missing.stdout
    );
    ws.ok(
        0,
        &[
            "batches",
            "edit",
            &batch,
            "--row",
            "2",
            "--set",
            "billing.city=Gdańsk",
        ],
    );
    ws.ok(
        0,
        &[
            "batches",
            "edit",
            &batch,
            "--row",
            "2",
            "--set",
            "note=added in review",
        ],
    );
    let shown = ws.ok(0, &["batches", "show", &batch, "--json"]).json();
    assert_eq!(shown["rows"][0]["status"], "pending");
    ws.ok(0, &["batches", "commit", &batch]);
    let jan = ws.customer("bad");
    assert_eq!(
        (
            jan["email"].as_str(),
            jan["billing"]["city"].as_str(),
            jan["note"].as_str()
        ),
        (
            Some("Jan@example.pl"),
            Some("Gdańsk"),
            Some("added in review")
        )
    );
    let unknown = ws.run(&[
        "batches",
        "edit",
        &batch,
        "--row",
        "2",
        "--set",
        "shoe_size=42",
    ]);
    assert_eq!(unknown.code, 1);
}

#[test]
fn on_existing_policies() {
    let ws = Workspace::new();
    let base = ws.write("base.csv", &idosell(&[JAN]));
    ws.ok(0, &["import", base.to_str().unwrap(), "--commit"]);
    let changed = ws.write(
        "changed.csv",
        &idosell(&["jan;jan@example.pl;Jan;Kowalski;Nowa 1;00-950;Warszawa;+48601234567;n"]),
    );
    let f = changed.to_str().unwrap();

    let skip = ws
        .ok(
            0,
            &["import", f, "--commit", "--on-existing", "skip", "--json"],
        )
        .json();
    assert_eq!(
        (skip["skipped"].as_u64(), skip["imported"].as_u64()),
        (Some(1), Some(0))
    );
    assert_eq!(ws.customer("jan")["billing"]["street"], "Jasna 5");

    let fail = ws
        .ok(
            3,
            &["import", f, "--commit", "--on-existing", "fail", "--json"],
        )
        .json();
    assert_eq!(
        (fail["invalid"].as_u64(), fail["imported"].as_u64()),
        (Some(1), Some(0))
    );
    let shown = ws
        .ok(
            0,
            &["batches", "show", &fail["batch"].to_string(), "--json"],
        )
        .json();
    assert_eq!(shown["rows"][0]["issues"][0]["code"], "customer_exists");
    assert_eq!(ws.customer("jan")["billing"]["street"], "Jasna 5");

    let check = ws.ok(0, &["import", f, "--json"]).json();
    assert_eq!(check["update"].as_u64(), Some(1));
    let rows = ws
        .ok(
            0,
            &["batches", "show", &check["batch"].to_string(), "--json"],
        )
        .json();
    assert_eq!(rows["rows"][0]["paired_by"], "login");
    assert_eq!(
        rows["rows"][0]["changes"],
        serde_json::json!(["billing.street", "newsletter_email"])
    );
    ws.ok(0, &["batches", "commit", &check["batch"].to_string()]);
    let jan = ws.customer("jan");
    assert_eq!(
        (
            jan["billing"]["street"].as_str(),
            jan["newsletter_email"].as_str()
        ),
        (Some("Nowa 1"), Some("no"))
    );

    let by_email = ws.write("by_email.csv", "email;firstname\nJAN@example.pl;Janek\n");
    let run = ws
        .ok(
            0,
            &["import", by_email.to_str().unwrap(), "--commit", "--json"],
        )
        .json();
    assert_eq!(
        run["imported"].as_u64(),
        Some(1),
        "pairs by e-mail, case-insensitively"
    );
    assert_eq!(ws.customer("jan")["first_name"], "Janek");
    assert_eq!(
        ws.customer("jan")["billing"]["street"],
        "Nowa 1",
        "absent columns keep their values"
    );
}

#[test]
fn an_email_of_another_account_is_not_taken_over() {
    let ws = Workspace::new();
    let base = ws.write("base.csv", &idosell(&[JAN]));
    ws.ok(0, &["import", base.to_str().unwrap(), "--commit"]);
    let other = ws.write(
        "other.csv",
        &idosell(&["janek;jan@example.pl;Janek;Kowal;Leśna 3;80-001;Gdańsk;;n"]),
    );
    let run = ws
        .ok(
            3,
            &["import", other.to_str().unwrap(), "--commit", "--json"],
        )
        .json();
    assert_eq!(run["imported"].as_u64(), Some(0));
    let rows = ws
        .ok(0, &["batches", "show", &run["batch"].to_string(), "--json"])
        .json();
    assert_eq!(rows["rows"][0]["issues"][0]["code"], "login_taken");
    assert_eq!(ws.customer("jan")["first_name"], "Jan");
}

#[test]
fn unknown_columns_need_a_mapping() {
    let ws = Workspace::new();
    let file = fixture("idosell/unknown_columns.csv");
    let run = ws.ok(1, &["import", &file]);
    assert!(
        run.stdout.contains("needs_mapping") && run.stdout.contains("'shoe_size'"),
        "{}",
        run.stdout
    );
    assert!(run.stderr.contains("--map"), "{}", run.stderr);
    let mapped = ws
        .ok(
            0,
            &[
                "import",
                &file,
                "--map",
                "Imię drugie=custom_fields.middle_name",
                "--map",
                "shoe_size=ignore",
                "--commit",
                "--json",
            ],
        )
        .json();
    assert_eq!(mapped["imported"].as_u64(), Some(1));
    assert_eq!(ws.customer("jan")["custom_fields"]["middle_name"], "Paweł");
    assert_eq!(
        ws.run(&["import", &file, "--map", "no equals sign"]).code,
        2
    );
}

#[test]
fn bad_input_never_touches_stored_customers() {
    let ws = Workspace::new();
    let base = ws.write("base.csv", &idosell(&[JAN]));
    ws.ok(0, &["import", base.to_str().unwrap(), "--commit"]);
    let before = ws.ok(0, &["customers", "list", "--json"]).stdout;

    let png = ws.ok(
        1,
        &[
            "import",
            &fixture("idosell/not_csv.png"),
            "--format",
            "idosell",
            "--commit",
        ],
    );
    assert!(
        png.stderr.contains("does not look like a IdoSell file"),
        "{}",
        png.stderr
    );
    let comma = ws.ok(
        1,
        &[
            "import",
            &fixture("idosell/comma_separated.csv"),
            "--commit",
        ],
    );
    assert!(
        comma.stderr.contains("detected format: idosell")
            || comma.stdout.contains("detected format: idosell"),
        "{} {}",
        comma.stdout,
        comma.stderr
    );
    assert!(
        comma.stderr.contains("separate columns with ';'"),
        "{}",
        comma.stderr
    );
    let missing = ws.ok(1, &["import", "/nonexistent/file.csv"]);
    assert!(missing.stderr.contains("cannot open /nonexistent/file.csv"));
    assert_eq!(
        ws.run(&["import", base.to_str().unwrap(), "--encoding", "klingon"])
            .code,
        2
    );
    let broken = ws
        .ok(
            3,
            &[
                "import",
                &fixture("idosell/broken_quote.csv"),
                "--commit",
                "--json",
            ],
        )
        .json();
    assert_eq!(
        broken["imported"].as_u64(),
        Some(1),
        "the row before the broken quote still imports"
    );
    let dup = ws.write(
        "dup.csv",
        &idosell(&[
            EWA,
            "ewa;other@example.pl;Ewa;Inna;Krótka 2;00-001;Warszawa;;n",
        ]),
    );
    let dup_run = ws
        .ok(3, &["import", dup.to_str().unwrap(), "--json"])
        .json();
    let rows = ws
        .ok(
            0,
            &[
                "batches",
                "show",
                &dup_run["batch"].to_string(),
                "--status",
                "invalid",
                "--json",
            ],
        )
        .json();
    assert_eq!(rows["rows"][0]["issues"][0]["code"], "duplicate_login");
    assert!(
        rows["rows"][0]["issues"][0]["message"]
            .as_str()
            .unwrap()
            .contains("already appears on line 2")
    );

    let after = ws.ok(0, &["customers", "list", "--json"]).stdout;
    let ids = |s: &str| {
        serde_json::from_str::<serde_json::Value>(s)
            .unwrap()
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["login"] == "jan")
            .cloned()
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&before), ids(&after), "jan is unchanged");
    let batches = ws.ok(0, &["batches", "list", "--json"]).json();
    assert!(
        batches.as_array().unwrap().iter().any(
            |b| b["status"] == "failed" && b["error"].as_str().unwrap().contains("not_csv.png")
        )
    );
}

#[test]
fn windows_1250_input_and_standard_streams() {
    let ws = Workspace::new();
    let run = ws
        .ok(
            0,
            &[
                "import",
                &fixture("idosell/cp1250_crlf_quoted.csv"),
                "--commit",
                "--json",
            ],
        )
        .json();
    assert_eq!(
        (run["encoding"].as_str(), run["imported"].as_u64()),
        (Some("windows-1250"), Some(2))
    );
    assert_eq!(ws.customer("zolw")["first_name"], "Żaneta");
    let errors = ws.ok(
        0,
        &["batches", "errors", &run["batch"].to_string(), "-o", "-"],
    );
    assert_eq!(
        errors.stdout.lines().count(),
        1,
        "no rejected rows, only the header"
    );

    let piped = ws.run_with_stdin(&["import", "-", "--commit", "--json"], &idosell(&[JAN]));
    assert_eq!(piped.code, 0, "{}", piped.stderr);
    let out = ws.ok(
        0,
        &[
            "export",
            "--kind",
            "view",
            "--columns",
            "login,city",
            "-o",
            "-",
        ],
    );
    assert_eq!(
        out.stdout,
        "login;city\r\nzolw;Łódź\r\ngesla;Wrocław\r\njan;Warszawa\r\n"
    );
    let cp = ws.ok(
        0,
        &[
            "export",
            "--kind",
            "view",
            "--columns",
            "login,city",
            "--encoding",
            "windows-1250",
            "--search",
            "łódź",
            "-o",
            ws.path("cp.csv").to_str().unwrap(),
        ],
    );
    assert!(cp.stderr.contains("1 customer(s)"), "{}", cp.stderr);
    assert_eq!(
        std::fs::read(ws.path("cp.csv")).unwrap(),
        b"login;city\r\nzolw;\xA3\xF3d\x9F\r\n"
    );
}

#[test]
fn legacy_and_full_exports_reimport_into_a_fresh_store() {
    let ws = Workspace::new();
    ws.ok(
        3,
        &[
            "import",
            &fixture("idosell/real_header_customers.csv"),
            "--commit",
        ],
    );
    let before = ws.ok(0, &["customers", "list", "--json"]).json();
    assert_eq!(before.as_array().unwrap().len(), 3);
    for kind in ["legacy", "full"] {
        let file = ws.path(&format!("{kind}.csv"));
        ws.ok(0, &["export", "--kind", kind, "-o", file.to_str().unwrap()]);
        let fresh = Workspace::new();
        let run = fresh
            .ok(0, &["import", file.to_str().unwrap(), "--commit", "--json"])
            .json();
        assert_eq!(run["imported"].as_u64(), Some(3), "{kind}");
        let after = fresh.ok(0, &["customers", "list", "--json"]).json();
        assert_eq!(
            after, before,
            "{kind} export re-imports to the same customers"
        );
    }
    let legacy = std::fs::read_to_string(ws.path("legacy.csv")).unwrap();
    assert!(legacy.starts_with("ID;Login;Konto zablokowane;"));
}

#[test]
fn password_hashes_leave_only_on_request_and_are_audited() {
    let ws = Workspace::new();
    let file = ws.write("pw.csv", "login;email;firstname;lastname;street;zipcode;city;password\njan;jan@example.pl;Jan;Nowak;Jasna 5;00-950;Warszawa;tajne123\n");
    ws.ok(0, &["import", file.to_str().unwrap(), "--commit"]);
    let plain = ws.ok(0, &["export", "-o", "-"]).stdout;
    assert!(!plain.contains("password_hash") && !plain.contains("tajne123"));
    let hashed = ws
        .ok(0, &["export", "--with-password-hashes", "-o", "-"])
        .stdout;
    assert!(hashed.lines().next().unwrap().ends_with(";password_hash"));
    assert!(
        hashed.contains("$argon2id$"),
        "the plain password was hashed at once"
    );
    assert!(!hashed.contains("tajne123"));
    let shown = ws.ok(0, &["customers", "show", "jan", "--json"]).stdout;
    assert!(
        !shown.contains("argon2"),
        "hashes never appear in the JSON form"
    );
    let engine = custio_engine::Engine::open(&ws.db).unwrap();
    let audit = engine.audit_log(10).unwrap();
    assert_eq!(
        audit.len(),
        1,
        "only the export with hashes is in the audit log"
    );
    assert_eq!(audit[0].action, "export_with_password_hashes");
    assert!(audit[0].actor.starts_with("cli:"));
}

#[test]
fn shops_are_listed_and_created_at_commit() {
    let ws = Workspace::new();
    ws.ok(
        0,
        &[
            "shops",
            "add",
            "2",
            "Sklep Czechy",
            "--url",
            "https://example.cz",
            "--language",
            "cze",
        ],
    );
    let file = ws.write("shops.csv", "login;email;firstname;lastname;street;zipcode;city;shop\njan;jan@example.pl;Jan;Nowak;Jasna 5;00-950;Warszawa;1,2,4\n");
    let check = ws.ok(0, &["import", file.to_str().unwrap()]);
    assert!(
        check.stdout.contains("warning: shop 4 does not exist yet"),
        "{}",
        check.stdout
    );
    assert!(!check.stdout.contains("shop 2 does not exist"));
    ws.ok(0, &["batches", "commit", "1"]);
    let shops = ws.ok(0, &["shops", "list", "--json"]).json();
    let names: Vec<_> = shops
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["id"].as_u64().unwrap(),
                s["name"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        names,
        [
            (1, "Shop 1".to_string()),
            (2, "Sklep Czechy".to_string()),
            (4, "Shop 4".to_string())
        ]
    );
    assert_eq!(shops[1]["language"], "cs");
    let only_4 = ws.ok(
        0,
        &[
            "export",
            "--kind",
            "view",
            "--columns",
            "login,shop",
            "--shop",
            "4",
            "-o",
            "-",
        ],
    );
    assert_eq!(only_4.stdout, "login;shop\r\njan;1,2,4\r\n");
}

#[test]
fn skipping_and_choosing_rows() {
    let ws = Workspace::new();
    let file = ws.write(
        "in.csv",
        &idosell(&[
            JAN,
            EWA,
            "ola;ola@example.pl;Ola;Kot;Polna 2;60-002;Poznań;;n",
        ]),
    );
    ws.ok(0, &["import", file.to_str().unwrap()]);
    ws.ok(0, &["batches", "skip", "1", "--rows", "3"]);
    let committed = ws.ok(0, &["batches", "commit", "1", "--rows", "2"]);
    assert!(
        committed.stdout.contains("imported 1"),
        "{}",
        committed.stdout
    );
    let rows = ws.ok(0, &["batches", "show", "1", "--json"]).json();
    let states: Vec<_> = rows["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["status"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(states, ["imported", "skipped", "pending"]);
    ws.ok(0, &["batches", "commit", "1"]);
    assert_eq!(
        ws.ok(0, &["customers", "list", "--json"])
            .json()
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(ws.run(&["batches", "skip", "1", "--rows", "9-x"]).code, 2);
    assert_eq!(ws.run(&["batches", "show", "42"]).code, 1);
}

#[test]
fn formats_lists_the_idosell_columns() {
    let ws = Workspace::new();
    let run = ws.ok(0, &["formats", "idosell"]);
    for column in [
        "login",
        "ballance",
        "offerForamt",
        "orders_worth_in_shop: <shop id>",
        "client_type",
    ] {
        assert!(run.stdout.contains(column), "{column} missing");
    }
    let all = ws.ok(0, &["formats"]);
    assert!(all.stdout.contains("idosell") && all.stdout.contains("billing.city"));
}

#[test]
fn a_purged_batch_keeps_its_counts_and_gives_the_space_back() {
    let ws = Workspace::new();
    let rows: Vec<String> = (0..2000)
        .map(|i| format!("u{i};u{i}@example.pl;Jan;Nowak;Jasna {i};00-950;Warszawa;;t"))
        .collect();
    let file = ws.write(
        "many.csv",
        &idosell(&rows.iter().map(String::as_str).collect::<Vec<_>>()),
    );
    let run = ws
        .ok(0, &["import", file.to_str().unwrap(), "--commit", "--json"])
        .json();
    assert_eq!(run["imported"], 2000);
    let size = || std::fs::metadata(ws.path("custio.db")).unwrap().len();
    assert_eq!(
        ws.run(&["batches", "purge"]).code,
        2,
        "purging needs a batch or --all"
    );
    let recent = ws.ok(0, &["batches", "purge", "--older-than", "30"]);
    assert!(recent.stdout.contains("0 batch"), "{}", recent.stdout);
    // A SQLite file shrinks (PostgreSQL's VACUUM frees the space for reuse, not the disk).
    let before = (!custio_testdb::is_postgres()).then(size);
    ws.ok(0, &["batches", "purge", "--all"]);
    if let Some(before) = before {
        assert!(size() < before, "{} >= {before}", size());
    }
    let shown = ws.ok(0, &["batches", "show", "1", "--json"]).json();
    assert_eq!(shown["counts"]["imported"], 2000, "{shown}");
    assert!(shown["rows"].as_array().unwrap().is_empty());
    assert_eq!(
        ws.ok(0, &["customers", "list", "--json"])
            .json()
            .as_array()
            .unwrap()
            .len(),
        2000,
        "customers stay"
    );
}

#[test]
fn the_summary_of_a_committed_import_says_what_it_did() {
    let ws = Workspace::new();
    let file = ws.write("in.csv", &idosell(&[JAN, EWA]));
    let path = file.to_str().unwrap();
    let first = ws.ok(0, &["import", path, "--commit", "--json"]).json();
    assert_eq!(
        (&first["new"], &first["update"], &first["imported"]),
        (&2.into(), &0.into(), &2.into())
    );
    let changed = ws.write(
        "again.csv",
        &idosell(&[
            "jan;jan@example.pl;Janek;Kowalski;Jasna 5;00-950;Warszawa;+48601234567;t",
            EWA,
        ]),
    );
    let again = ws.ok(0, &["import", changed.to_str().unwrap(), "--commit"]);
    assert!(
        again.stdout.contains("new 0, update 1, unchanged 1;"),
        "{}",
        again.stdout
    );
}

#[test]
fn an_export_never_invents_a_last_login() {
    let ws = Workspace::new();
    let file = ws.write("in.csv", &idosell(&[JAN]));
    ws.ok(0, &["import", file.to_str().unwrap(), "--commit"]);
    for kind in ["full", "legacy"] {
        let out = ws.ok(0, &["export", "--kind", kind, "-o", "-"]).stdout;
        let mut lines = out.lines();
        let header: Vec<&str> = lines.next().unwrap().split(';').collect();
        let row: Vec<&str> = lines.next().unwrap().split(';').collect();
        let at = header
            .iter()
            .position(|h| *h == "recently_logged_on" || *h == "Data ostatniego logowania")
            .unwrap_or_else(|| panic!("{kind}: {header:?}"));
        assert_eq!(row[at], "", "{kind}: JAN never logged in");
        let registered = header
            .iter()
            .position(|h| *h == "date_of_registration" || *h == "Data rejestracji")
            .unwrap();
        assert!(
            !row[registered].is_empty(),
            "{kind}: registered when imported"
        );
    }
}

#[test]
fn an_unreadable_email_is_not_also_reported_missing() {
    let ws = Workspace::new();
    let file = ws.write(
        "in.csv",
        &idosell(&[";not-an-email;Jan;Nowak;Jasna 5;00-950;Warszawa;;n"]),
    );
    let out = ws.ok(3, &["import", file.to_str().unwrap()]).stdout;
    assert!(
        out.contains("'not-an-email' is not a valid e-mail address"),
        "{out}"
    );
    assert!(!out.contains("fill in at least one"), "{out}");
    let keyless = ws.write(
        "none.csv",
        &idosell(&[";;Jan;Nowak;Jasna 5;00-950;Warszawa;;n"]),
    );
    let out = ws.ok(3, &["import", keyless.to_str().unwrap()]).stdout;
    assert!(
        out.contains("fill in at least one"),
        "a row with no key at all: {out}"
    );
}

#[test]
fn a_failed_export_leaves_no_file_and_keeps_the_previous_one() {
    use std::os::unix::fs::PermissionsExt;
    let ws = Workspace::new();
    let file = ws.write(
        "in.csv",
        &idosell(&[JAN, "li;li@example.pl;Li;王;Jasna 5;00-950;Warszawa;;n"]),
    );
    ws.ok(0, &["import", file.to_str().unwrap(), "--commit"]);
    let out = ws.path("out.csv");
    let path = out.to_str().unwrap();
    ws.ok(0, &["export", "-o", path]);
    let before = std::fs::read(&out).unwrap();
    let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "an export is readable by its owner only");
    let failed = ws.ok(1, &["export", "--encoding", "windows-1250", "-o", path]);
    assert!(failed.stderr.contains('王'), "{}", failed.stderr);
    assert_eq!(
        std::fs::read(&out).unwrap(),
        before,
        "the earlier file is intact"
    );
    let left: Vec<_> = std::fs::read_dir(ws.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.contains("partial"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn an_idosell_export_in_windows_1251_works_and_xml_or_xlsx_refuse_another_encoding() {
    let ws = Workspace::new();
    let file = ws.write(
        "in.csv",
        &idosell(&["ivan;ivan@example.bg;Иван;Петров;Витоша 1;1000;София;;n"]),
    );
    ws.ok(0, &["import", file.to_str().unwrap(), "--commit"]);
    let out = ws.path("bg.csv");
    ws.ok(
        0,
        &[
            "export",
            "--encoding",
            "windows-1251",
            "-o",
            out.to_str().unwrap(),
        ],
    );
    let bytes = std::fs::read(&out).unwrap();
    let (text, _, bad) = encoding_rs::WINDOWS_1251.decode(&bytes);
    assert!(!bad && text.contains("Иван"), "{text}");
    for format in ["iof", "xlsx"] {
        let refused = ws.ok(
            1,
            &[
                "export",
                "--format",
                format,
                "--encoding",
                "windows-1250",
                "-o",
                "-",
            ],
        );
        assert!(
            refused.stderr.contains("always written in UTF-8"),
            "{}",
            refused.stderr
        );
    }
}

#[test]
fn custio_recognises_its_own_generic_csv_and_xlsx_exports() {
    let ws = Workspace::new();
    let file = ws.write("in.csv", &idosell(&[JAN, EWA]));
    ws.ok(0, &["import", file.to_str().unwrap(), "--commit"]);
    for (format, name) in [("csv", "out.csv"), ("xlsx", "out.xlsx")] {
        let out = ws.path(name);
        ws.ok(
            0,
            &["export", "--format", format, "-o", out.to_str().unwrap()],
        );
        let fresh = Workspace::new();
        let report = fresh
            .ok(0, &["import", out.to_str().unwrap(), "--commit", "--json"])
            .json();
        assert_eq!(
            (&report["dialect"], &report["imported"]),
            (&format.into(), &2.into()),
            "{report}"
        );
    }
    let plain = ws.write(
        "plain.csv",
        "email;first_name;last_name\nola@example.pl;Ola;Lis\n",
    );
    let report = Workspace::new()
        .ok(0, &["import", plain.to_str().unwrap(), "--json"])
        .json();
    assert_eq!(report["dialect"], "csv", "{report}");
}

#[test]
fn files_from_other_platforms_keep_their_zeros_and_flags() {
    let ws = Workspace::new();
    // Shopify writes a zip with a spreadsheet's text marker; its marketing flag is yes/no.
    let shopify = ws.write(
        "shopify.csv",
        "First Name,Last Name,Email,Accepts Email Marketing,Default Address Zip\n\
         Ann,Lee,ann@example.com,yes,'05705\n",
    );
    let maps = [
        "--map=First Name=first_name",
        "--map=Last Name=last_name",
        "--map=Accepts Email Marketing=newsletter_email",
        "--map=Default Address Zip=billing.zip",
    ];
    let args = [
        &["import", shopify.to_str().unwrap(), "--format", "csv"][..],
        &maps,
        &["--commit"],
    ];
    ws.ok(0, &args.concat());
    let ann = ws.customer("ann@example.com");
    assert_eq!(ann["billing"]["zip"], "05705", "{ann}");
    assert_eq!(ann["newsletter_email"], "yes", "{ann}");
    // PrestaShop's customer import sample: a 0/1 newsletter column.
    let presta = ws.write(
        "presta.csv",
        "Email *;First Name *;Last Name *;Newsletter (0/1)\nbob@example.com;Bob;Ray;1\n",
    );
    let file = presta.to_str().unwrap();
    let maps = [
        "--map=Email *=email",
        "--map=First Name *=first_name",
        "--map=Last Name *=last_name",
        "--map=Newsletter (0/1)=newsletter_email",
    ];
    ws.ok(
        0,
        &[
            &["import", file, "--format", "csv"][..],
            &maps,
            &["--commit"],
        ]
        .concat(),
    );
    assert_eq!(ws.customer("bob@example.com")["newsletter_email"], "yes");
}

#[test]
fn upgates_ignores_columns_it_does_not_know_and_says_which() {
    let ws = Workspace::new();
    let file = ws.write(
        "up.csv",
        "[EMAIL];[FIRSTNAME];[SHOE_SIZE];[CUSTOMER_YN]\nola@example.cz;Ola;38;1\n",
    );
    let out = ws.ok(
        0,
        &[
            "import",
            file.to_str().unwrap(),
            "--format",
            "upgates",
            "--commit",
        ],
    );
    assert!(
        out.stdout
            .contains("UPgates ignores columns it does not know: '[SHOE_SIZE]'"),
        "{}",
        out.stdout
    );
    assert_eq!(ws.customer("ola@example.cz")["first_name"], "Ola");
}

#[test]
fn a_shoptet_export_of_idosell_customers_carries_their_names_and_imports_again() {
    let ws = Workspace::new();
    let file = ws.write("in.csv", &idosell(&[JAN, EWA]));
    ws.ok(0, &["import", file.to_str().unwrap(), "--commit"]);
    let out = ws.path("shoptet.csv");
    ws.ok(
        0,
        &["export", "--format", "shoptet", "-o", out.to_str().unwrap()],
    );
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        text.contains("Jan Kowalski") && text.contains("Ewa Nowak"),
        "{text}"
    );
    let fresh = Workspace::new();
    let report = fresh
        .ok(0, &["import", out.to_str().unwrap(), "--commit", "--json"])
        .json();
    assert_eq!(report["imported"], 2, "{report}");
}
