//! The SQLite store on a real file: schema migration, persistence, atomic commit chunks.

use custio_model::{Customer, Email, IssueCode, RowIssue};
use custio_store::{
    AgreementKind, CommitOp, CustomerKey, MappingProfile, NewBatch, RowStatus, SqliteStore, Store,
    StoreError, TakenKey, open,
};

fn customer(login: &str, email: &str) -> Box<Customer> {
    Box::new(Customer {
        login: Some(login.into()),
        email: Some(Email::parse(email).unwrap()),
        ..Customer::default()
    })
}

fn batch(store: &dyn Store) -> i64 {
    store
        .create_batch(&NewBatch {
            source: "t.csv".into(),
            dialect: "idosell".into(),
            options: serde_json::json!({}),
        })
        .unwrap()
}

#[test]
fn a_reopened_file_keeps_everything_and_migrates_once() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("c.db").display());
    {
        let store = open(&url).unwrap();
        let b = batch(store.as_ref());
        store
            .commit_chunk(
                b,
                &[CommitOp::Insert {
                    line: 2,
                    customer: customer("jan", "Jan@Example.pl"),
                }],
            )
            .unwrap();
        store
            .put_agreement(&AgreementKind {
                name: "Regulamin".into(),
                validity_days: Some(365),
            })
            .unwrap();
        store
            .put_mapping_profile(&MappingProfile {
                name: "excel".into(),
                dialect: "csv".into(),
                columns: vec![("Imię".into(), "first_name".into())],
                ignored: vec!["Uwagi".into()],
            })
            .unwrap();
    }
    let store = open(&url).unwrap();
    let jan = store
        .find_customer(&CustomerKey::Email("jan@example.pl".into()))
        .unwrap()
        .unwrap();
    assert_eq!(jan.login.as_deref(), Some("jan"));
    assert_eq!(store.journal(1).unwrap().len(), 1);
    assert_eq!(store.agreements().unwrap()[0].validity_days, Some(365));
    assert_eq!(
        store.mapping_profile("excel").unwrap().unwrap().columns[0].1,
        "first_name"
    );
    assert!(store.delete_mapping_profile("excel").unwrap());
    assert!(store.mapping_profile("excel").unwrap().is_none());
    assert_eq!(
        store.shops().unwrap().len(),
        1,
        "the default shop is created once"
    );
}

#[test]
fn a_chunk_with_a_conflict_writes_nothing() {
    let store = SqliteStore::open_in_memory().unwrap();
    let b = batch(&store);
    store
        .commit_chunk(
            b,
            &[CommitOp::Insert {
                line: 2,
                customer: customer("jan", "jan@example.pl"),
            }],
        )
        .unwrap();
    let err = store
        .commit_chunk(
            b,
            &[
                CommitOp::Insert {
                    line: 3,
                    customer: customer("ewa", "ewa@example.pl"),
                },
                CommitOp::Insert {
                    line: 4,
                    customer: customer("jan", "other@example.pl"),
                },
            ],
        )
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Taken { key: TakenKey::Login, value, .. } if value == "jan"),
        "{err}"
    );
    assert_eq!(
        store.count_customers().unwrap(),
        1,
        "ewa was rolled back with the chunk"
    );
    assert_eq!(store.journal(b).unwrap().len(), 1);
}

#[test]
fn outcomes_are_recorded_on_staged_rows() {
    let store = SqliteStore::open_in_memory().unwrap();
    let b = batch(&store);
    let row = custio_store::StagedRow {
        line: 2,
        status: RowStatus::Pending,
        action: None,
        paired_by: None,
        customer_id: None,
        cells: vec!["a".into()],
        edits: Default::default(),
        patch: Default::default(),
        issues: vec![],
        changes: vec![],
        note: None,
        login_key: Some("a".into()),
        email_key: None,
        label: "a".into(),
    };
    store.stage_rows(b, &[row]).unwrap();
    assert_eq!(
        store
            .find_staged(b, &CustomerKey::Login("a".into()), 3)
            .unwrap(),
        Some(2)
    );
    assert_eq!(
        store
            .find_staged(b, &CustomerKey::Login("a".into()), 2)
            .unwrap(),
        None,
        "only earlier lines count"
    );
    let why = RowIssue::row(IssueCode::ChangedSinceCheck { customer: 1 });
    store
        .commit_chunk(
            b,
            &[CommitOp::Outcome {
                line: 2,
                status: RowStatus::Failed,
                note: None,
                issues: vec![why.clone()],
            }],
        )
        .unwrap();
    let row = store.staged_row(b, 2).unwrap().unwrap();
    assert_eq!((row.status, row.issues), (RowStatus::Failed, vec![why]));
    assert_eq!(store.row_counts(b).unwrap().failed, 1);
}

#[test]
fn a_database_from_a_newer_custio_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.db");
    drop(SqliteStore::open(&path).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    let err = SqliteStore::open(&path).err().unwrap();
    assert!(matches!(err, StoreError::TooNew { .. }), "{err}");
}
