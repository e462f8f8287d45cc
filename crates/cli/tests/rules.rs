//! Each platform's import rules, applied by the engine, as a shop owner sees them from the
//! command line: Shoptet's guid pairing, pricelists and agreements that must exist, UPgates'
//! empty cells, CloudCart's column binding and first-wins duplicates.

mod util;

use util::Workspace;

fn rows(ws: &Workspace, batch: &serde_json::Value) -> Vec<serde_json::Value> {
    ws.ok(0, &["batches", "show", &batch.to_string(), "--json"])
        .json()["rows"]
        .as_array()
        .unwrap()
        .clone()
}

const SHOPTET_HEADER: &str = "email;billingFullName;guid;pricelistName;remark";

#[test]
fn shoptet_updates_only_by_guid_and_skips_an_existing_email_without_one() {
    let ws = Workspace::new();
    let first = ws.write(
        "first.csv",
        &format!("{SHOPTET_HEADER}\njana@example.cz;Jana Nováková;;;první\n"),
    );
    let run = ws
        .ok(
            0,
            &[
                "import",
                first.to_str().unwrap(),
                "--format",
                "shoptet",
                "--commit",
                "--json",
            ],
        )
        .json();
    assert_eq!(run["imported"].as_u64(), Some(1));
    let jana = ws.customer("jana@example.cz");
    let guid = jana["guid"]
        .as_str()
        .expect("a new Shoptet customer gets a guid")
        .to_string();
    assert_eq!(guid.len(), 36);

    let again = ws.write(
        "again.csv",
        &format!("{SHOPTET_HEADER}\njana@example.cz;Jana Nováková;;;druhá\n"),
    );
    let run = ws
        .ok(
            0,
            &[
                "import",
                again.to_str().unwrap(),
                "--format",
                "shoptet",
                "--commit",
                "--json",
            ],
        )
        .json();
    assert_eq!(
        (run["skipped"].as_u64(), run["imported"].as_u64()),
        (Some(1), Some(0))
    );
    let message = rows(&ws, &run["batch"])[0]["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        message.contains("no guid") && message.contains("skipped"),
        "{message}"
    );
    assert_eq!(ws.customer("jana@example.cz")["note"], "první");

    let by_guid = ws.write(
        "guid.csv",
        &format!("{SHOPTET_HEADER}\njana.nova@example.cz;Jana Nová;{guid};;třetí\n"),
    );
    let run = ws
        .ok(
            0,
            &[
                "import",
                by_guid.to_str().unwrap(),
                "--format",
                "shoptet",
                "--commit",
                "--json",
            ],
        )
        .json();
    assert_eq!(run["imported"].as_u64(), Some(1));
    let jana = ws.customer(&guid_owner(&ws, &guid));
    assert_eq!(
        (jana["email"].as_str(), jana["note"].as_str()),
        (Some("jana.nova@example.cz"), Some("třetí")),
        "the guid pairs, the e-mail changes"
    );
}

fn guid_owner(ws: &Workspace, guid: &str) -> String {
    let all = ws.ok(0, &["customers", "list", "--json"]).json();
    all.as_array()
        .unwrap()
        .iter()
        .find(|c| c["guid"] == guid)
        .unwrap()["id"]
        .to_string()
}

#[test]
fn a_pricelist_must_exist_and_is_never_created() {
    let ws = Workspace::new();
    let file = ws.write(
        "p.csv",
        &format!("{SHOPTET_HEADER}\nkarel@example.sk;Karel Malý;;Velkoobchod;\n"),
    );
    let run = ws
        .ok(
            0,
            &[
                "import",
                file.to_str().unwrap(),
                "--format",
                "shoptet",
                "--commit",
                "--json",
            ],
        )
        .json();
    assert_eq!(
        run["imported"].as_u64(),
        Some(1),
        "a warning does not reject the row"
    );
    let issue = &rows(&ws, &run["batch"])[0]["issues"][0];
    assert_eq!(
        (issue["code"].as_str(), issue["warning"].as_bool()),
        (Some("unknown_pricelist"), Some(true))
    );
    assert!(ws.customer("karel@example.sk")["pricelist"].is_null());
    assert_eq!(
        ws.ok(0, &["pricelists", "list", "--json"]).json(),
        serde_json::json!([])
    );

    ws.ok(0, &["pricelists", "add", "Velkoobchod"]);
    let guid = ws.customer("karel@example.sk")["guid"]
        .as_str()
        .unwrap()
        .to_string();
    let with_guid = ws.write(
        "p2.csv",
        &format!("{SHOPTET_HEADER}\nkarel@example.sk;Karel Malý;{guid};Velkoobchod;\n"),
    );
    ws.ok(
        0,
        &[
            "import",
            with_guid.to_str().unwrap(),
            "--format",
            "shoptet",
            "--commit",
        ],
    );
    assert_eq!(ws.customer("karel@example.sk")["pricelist"], "Velkoobchod");
}

#[test]
fn upgates_agreements_pair_with_existing_ones_and_empty_cells_delete() {
    let ws = Workspace::new();
    ws.ok(
        0,
        &[
            "agreements",
            "add",
            "Obchodní podmínky",
            "--validity-days",
            "365",
        ],
    );
    let listed = ws.ok(0, &["agreements", "list", "--json"]).json();
    assert_eq!(listed[0]["validity_days"].as_u64(), Some(365));
    let header = "[EMAIL];[PHONE];[GROUPS];[AGREEMENT_STATUS „Obchodní podmínky“];[AGREEMENT_STATUS „Neznámý souhlas“]";
    let file = ws.write(
        "u.csv",
        &format!("{header}\njiri@example.cz;+420 603 123 456;\"VIP;VIP zákazníci\";1;1\n"),
    );
    let run = ws
        .ok(
            0,
            &[
                "import",
                file.to_str().unwrap(),
                "--format",
                "upgates",
                "--commit",
                "--json",
            ],
        )
        .json();
    assert_eq!(run["imported"].as_u64(), Some(1));
    let issues = &rows(&ws, &run["batch"])[0]["issues"];
    assert_eq!(issues[0]["code"], "unknown_agreement");
    let jiri = ws.customer("jiri@example.cz");
    let agreements = jiri["agreements"].as_array().unwrap();
    assert_eq!(
        agreements.len(),
        1,
        "the unknown agreement is ignored: {agreements:?}"
    );
    assert_eq!(
        (
            agreements[0]["name"].as_str(),
            agreements[0]["status"].as_bool()
        ),
        (Some("Obchodní podmínky"), Some(true))
    );
    assert!(
        agreements[0]["time"].is_string(),
        "an empty time is the import time"
    );
    assert!(
        agreements[0]["valid_to"].is_string(),
        "an empty valid-to comes from the agreement's validity"
    );
    assert_eq!(jiri["phone"], "+420603123456");
    let groups = ws.ok(0, &["groups", "list", "--json"]).json();
    assert_eq!(
        groups,
        serde_json::json!(["VIP", "VIP zákazníci"]),
        "UPgates creates missing groups"
    );

    let cleared = ws.write("clear.csv", "[EMAIL];[PHONE]\njiri@example.cz;\n");
    ws.ok(
        0,
        &[
            "import",
            cleared.to_str().unwrap(),
            "--format",
            "upgates",
            "--commit",
        ],
    );
    let jiri = ws.customer("jiri@example.cz");
    assert!(
        jiri["phone"].is_null(),
        "an empty UPgates cell deletes the value"
    );
    assert_eq!(
        jiri["groups"],
        serde_json::json!(["VIP", "VIP zákazníci"]),
        "an absent column keeps it"
    );
}

#[test]
fn cloudcart_binds_columns_and_the_first_of_repeated_emails_wins() {
    let ws = Workspace::new();
    let file = ws.write("cc.csv", "Иван Петров;ivan@example.bg;да\nМария Иванова;maria@example.bg;не\nИван Друг;IVAN@example.bg;да\nбез имейл;;да\n");
    let run = ws
        .ok(
            3,
            &[
                "import",
                file.to_str().unwrap(),
                "--format",
                "cloudcart",
                "--bind",
                "full name=1",
                "--bind",
                "email=2",
                "--group",
                "Клиенти",
                "--commit",
                "--json",
            ],
        )
        .json();
    assert_eq!(
        (
            run["imported"].as_u64(),
            run["skipped"].as_u64(),
            run["invalid"].as_u64()
        ),
        (Some(2), Some(1), Some(1))
    );
    let skipped = rows(&ws, &run["batch"])
        .into_iter()
        .find(|r| r["status"] == "skipped")
        .unwrap();
    assert!(
        skipped["message"]
            .as_str()
            .unwrap()
            .contains("already appears on line 1"),
        "{skipped}"
    );
    let ivan = ws.customer("ivan@example.bg");
    assert_eq!(
        (ivan["first_name"].as_str(), ivan["last_name"].as_str()),
        (Some("Иван"), Some("Петров")),
        "the full name is split"
    );
    assert_eq!(ivan["groups"], serde_json::json!(["Клиенти"]));
    assert_eq!(
        ws.run(&[
            "import",
            file.to_str().unwrap(),
            "--format",
            "cloudcart",
            "--delimiter",
            ";;"
        ])
        .code,
        2
    );
}
