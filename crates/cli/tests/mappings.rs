//! Saved mapping profiles from the command line: save one, import a file with foreign
//! headers through it, see synonym suggestions when a file is not mapped yet.

mod util;

use util::{Workspace, fixture};

fn save_polish_profile(ws: &Workspace) {
    let run = ws.ok(
        0,
        &[
            "mappings",
            "save",
            "sklep",
            "--format",
            "csv",
            "--map",
            "Imię=first_name",
            "--map",
            "Nazwisko=last_name",
            "--map",
            "Adres e-mail=email",
            "--map",
            "Telefon=phone",
            "--map",
            "Ulica=billing.street",
            "--map",
            "Kod pocztowy=billing.zip",
            "--map",
            "Miejscowość=billing.city",
            "--map",
            "NIP=company.tax_id",
            "--ignore",
            "Data urodzenia",
        ],
    );
    assert!(
        run.stdout.contains("saved mapping profile 'sklep'"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_saved_profile_imports_a_file_with_polish_headers() {
    let ws = Workspace::new();
    save_polish_profile(&ws);

    let listed = ws.ok(0, &["mappings", "list", "--json"]).json();
    assert_eq!(listed[0]["name"], "sklep");
    assert_eq!(listed[0]["dialect"], "csv");
    assert_eq!(listed[0]["ignored"][0], "Data urodzenia");
    let shown = ws.ok(0, &["mappings", "show", "sklep", "--json"]).json();
    assert_eq!(
        shown["columns"][0],
        serde_json::json!(["Imię", "first_name"])
    );
    let table = ws.ok(0, &["mappings", "show", "sklep"]);
    assert!(
        table.stdout.contains("Data urodzenia  ignore"),
        "{}",
        table.stdout
    );

    let file = fixture("csv/cp1250_polish_semicolon_crlf.csv");
    let summary = ws
        .ok(
            0,
            &[
                "import",
                &file,
                "--format",
                "csv",
                "--mapping",
                "sklep",
                "--commit",
                "--json",
            ],
        )
        .json();
    assert_eq!(summary["status"], "committed");
    assert_eq!(summary["encoding"], "windows-1250");
    assert_eq!(summary["imported"], 2);

    let lukasz = ws.customer("lukasz@example.pl");
    assert_eq!(lukasz["first_name"], "Łukasz");
    assert_eq!(lukasz["last_name"], "Żółkiewski");
    assert_eq!(lukasz["billing"]["city"], "Łódź");
    assert_eq!(lukasz["billing"]["zip"], "00-950");
    assert_eq!(lukasz["phone"], "+48601234567");
    assert_eq!(lukasz["company"]["tax_id"], "5260250274");
    let zofia = ws.customer("zofia@example.pl");
    assert_eq!(zofia["billing"]["street"], "Długa 1; lok. 2");
}

#[test]
fn explicit_maps_win_over_the_profile() {
    let ws = Workspace::new();
    save_polish_profile(&ws);
    let file = fixture("csv/cp1250_polish_semicolon_crlf.csv");
    ws.ok(
        0,
        &[
            "import",
            &file,
            "--format",
            "csv",
            "--mapping",
            "sklep",
            "--map",
            "Miejscowość=shipping.city",
            "--commit",
            "--json",
        ],
    );
    let lukasz = ws.customer("lukasz@example.pl");
    assert_eq!(lukasz["shipping"][0]["city"], "Łódź");
    assert!(lukasz["billing"]["city"].is_null());
}

#[test]
fn an_unmapped_file_stops_with_synonym_suggestions() {
    let ws = Workspace::new();
    let czech = fixture("csv/cp1250_czech_tab_multiline.csv");
    let run = ws.ok(1, &["import", &czech, "--format", "csv"]);
    assert!(run.stdout.contains("needs_mapping"), "{}", run.stdout);
    assert!(
        run.stdout.contains("column 1 'Jméno': maybe first_name"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("'PSČ': maybe billing.zip"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("'DIČ': maybe company.vat_id"),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr.contains("custio mappings save"),
        "{}",
        run.stderr
    );

    let bulgarian = fixture("csv/cp1251_bulgarian_pipe.csv");
    let summary = ws.run(&["import", &bulgarian, "--format", "csv", "--json"]);
    assert_eq!(summary.code, 1);
    let unknown = &summary.json()["unknown_columns"];
    let first = |header: &str| {
        unknown
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["header"] == header)
            .unwrap_or_else(|| panic!("{header} in {unknown}"))["suggestions"]
            .get(0)
            .cloned()
    };
    assert_eq!(first("Име"), Some("first_name".into()));
    assert_eq!(first("Пощенски код"), Some("billing.zip".into()));
    assert_eq!(
        first("Дата на раждане"),
        None,
        "a birthday is not in the model"
    );
    assert_eq!(
        ws.ok(0, &["customers", "list", "--json"]).json(),
        serde_json::json!([])
    );
}

#[test]
fn an_xlsx_profile_imports_a_workbook() {
    let ws = Workspace::new();
    let mut args = vec!["mappings", "save", "excel", "--format", "xlsx"];
    for m in [
        "Imię=first_name",
        "Nazwisko=last_name",
        "E-mail=email",
        "Telefon=phone",
        "Kod pocztowy=billing.zip",
        "Data rejestracji=registered_at",
        "Newsletter=newsletter_email",
        "Uwagi=note",
        "Data urodzenia=ignore",
    ] {
        args.extend(["--map", m]);
    }
    ws.ok(0, &args);
    let shown = ws.ok(0, &["mappings", "show", "excel", "--json"]).json();
    assert_eq!(shown["ignored"], serde_json::json!(["Data urodzenia"]));
    let book = fixture("xlsx/polish_headers.xlsx");
    let summary = ws
        .ok(
            0,
            &[
                "import",
                &book,
                "--format",
                "xlsx",
                "--mapping",
                "excel",
                "--commit",
                "--json",
            ],
        )
        .json();
    assert_eq!(summary["imported"], 2);
    let lukasz = ws.customer("lukasz@example.pl");
    assert_eq!(lukasz["registered_at"], "2023-05-01T10:30:00");
    assert_eq!(lukasz["note"], "=SUM(A1:A3)");
    assert_eq!(lukasz["newsletter_email"], "yes");
}

#[test]
fn profiles_are_checked_and_can_be_deleted() {
    let ws = Workspace::new();
    let bad = ws.ok(
        2,
        &[
            "mappings",
            "save",
            "x",
            "--format",
            "csv",
            "--map",
            "Imię=shoe_size",
        ],
    );
    assert!(bad.stderr.contains("shoe_size"), "{}", bad.stderr);
    ws.ok(
        2,
        &[
            "mappings",
            "save",
            "x",
            "--format",
            "nope",
            "--map",
            "Imię=first_name",
        ],
    );
    ws.ok(2, &["mappings", "save", "x", "--format", "csv"]);

    save_polish_profile(&ws);
    let file = fixture("csv/cp1250_polish_semicolon_crlf.csv");
    let wrong = ws.ok(
        2,
        &["import", &file, "--format", "xlsx", "--mapping", "sklep"],
    );
    assert!(wrong.stderr.contains("--format csv"), "{}", wrong.stderr);

    ws.ok(0, &["mappings", "delete", "sklep"]);
    assert!(
        ws.ok(0, &["mappings", "list"])
            .stdout
            .contains("no mapping profiles")
    );
    let gone = ws.ok(
        2,
        &["import", &file, "--format", "csv", "--mapping", "sklep"],
    );
    assert!(
        gone.stderr.contains("no mapping profile 'sklep'"),
        "{}",
        gone.stderr
    );
    ws.ok(1, &["mappings", "delete", "sklep"]);
}

#[test]
fn a_csv_export_imports_back_unchanged() {
    let ws = Workspace::new();
    save_polish_profile(&ws);
    let file = fixture("csv/cp1250_polish_semicolon_crlf.csv");
    ws.ok(
        0,
        &[
            "import",
            &file,
            "--format",
            "csv",
            "--mapping",
            "sklep",
            "--commit",
        ],
    );
    let out = ws.path("export.csv");
    ws.ok(
        0,
        &["export", "--format", "csv", "-o", out.to_str().unwrap()],
    );
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.starts_with("guid,login,email,"), "{text}");
    let again = ws
        .ok(
            0,
            &["import", out.to_str().unwrap(), "--format", "csv", "--json"],
        )
        .json();
    assert_eq!(again["unchanged"], 2, "{again}");
}
