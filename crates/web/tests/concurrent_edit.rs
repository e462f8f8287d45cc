//! A customer edited over the API between an import's check and its commit: the edit is
//! never lost. A row that would overwrite what the user changed fails with its reason; a
//! row that changes other fields still applies, keeping both changes.

mod util;

use reqwest::StatusCode;
use serde_json::{Value, json};
use util::*;

const HEADER: &str = "login;email;firstname;lastname;street;zipcode;city\n";

async fn import(api: &Api<'_>, body: String, commit: bool) -> i64 {
    let job = api
        .check("dialect=idosell&filename=clients.csv", body)
        .await;
    assert_eq!(job["state"], "succeeded", "{job}");
    let batch = job["result"]["batch"].as_i64().unwrap();
    if commit {
        let job = api
            .json(
                api.post(&format!("/api/v1/batches/{batch}/commit"))
                    .json(&json!({})),
                StatusCode::ACCEPTED,
            )
            .await;
        let job = api.wait_job(job["id"].as_i64().unwrap()).await;
        assert_eq!(job["state"], "succeeded", "{job}");
    }
    batch
}

async fn customer(api: &Api<'_>, id: i64) -> Value {
    api.json(api.get(&format!("/api/v1/customers/{id}")), StatusCode::OK)
        .await
}

async fn edit(api: &Api<'_>, id: i64, change: impl FnOnce(&mut Value)) {
    let mut c = customer(api, id).await;
    change(&mut c);
    api.json(
        api.put(&format!("/api/v1/customers/{id}")).json(&c),
        StatusCode::OK,
    )
    .await;
}

#[tokio::test]
async fn an_edit_between_check_and_commit_is_not_lost() {
    let app = spawn().await;
    let session = app.setup_admin().await;
    let token = app.token(&session).await;
    let api = Api { app: &app, token };
    import(
        &api,
        format!(
            "{HEADER}jan;jan@example.pl;Jan;Nowak;Jasna 5;00-950;Warszawa\nola;ola@example.pl;Ola;Lis;Długa 1;31-147;Kraków\n"
        ),
        true,
    )
    .await;
    let list = api.json(api.get("/api/v1/customers"), StatusCode::OK).await;
    let id_of = |login: &str| {
        list["customers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["login"] == login)
            .unwrap()["id"]
            .as_i64()
            .unwrap()
    };
    let (jan, ola) = (id_of("jan"), id_of("ola"));

    // The file moves both to Gdańsk; it is checked, not yet committed.
    let batch = import(
        &api,
        format!(
            "{HEADER}jan;jan@example.pl;Jan;Nowak;Jasna 5;80-001;Gdańsk\nola;ola@example.pl;Ola;Lis;Długa 1;80-001;Gdańsk\n"
        ),
        false,
    )
    .await;
    let rows = api
        .json(
            api.get(&format!("/api/v1/batches/{batch}/rows")),
            StatusCode::OK,
        )
        .await;
    assert!(
        rows["rows"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["action"] == "update"),
        "{rows}"
    );

    // Meanwhile someone corrects Jan's city in the panel, and Ola's note.
    edit(&api, jan, |c| c["billing"]["city"] = json!("Sopot")).await;
    edit(&api, ola, |c| c["note"] = json!("VIP")).await;

    let job = api
        .json(
            api.post(&format!("/api/v1/batches/{batch}/commit"))
                .json(&json!({})),
            StatusCode::ACCEPTED,
        )
        .await;
    let job = api.wait_job(job["id"].as_i64().unwrap()).await;
    assert_eq!(job["state"], "succeeded", "{job}");

    let jan_now = customer(&api, jan).await;
    assert_eq!(
        jan_now["billing"]["city"], "Sopot",
        "the panel's edit stays: {jan_now}"
    );
    let failed = api
        .json(
            api.get(&format!("/api/v1/batches/{batch}/rows?status=failed")),
            StatusCode::OK,
        )
        .await;
    let row = &failed["rows"][0];
    assert_eq!(row["line"], 2, "{failed}");
    assert_eq!(row["issues"][0]["code"], "changed_since_check", "{row}");

    let ola_now = customer(&api, ola).await;
    assert_eq!(
        (&ola_now["billing"]["city"], &ola_now["note"]),
        (&json!("Gdańsk"), &json!("VIP")),
        "a change to other fields applies and keeps the edit: {ola_now}"
    );
}
