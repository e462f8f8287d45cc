//! The SQLite store on real files: migrations (including a schema-3 database written by an
//! earlier custio), units of work that commit whole or not at all, versions that refuse a
//! stale write, the buffer, purge and compaction.

use custio_model::{Customer, Email, Field, FieldChange, IssueCode, RowIssue, Value};
use custio_store::{
    AgreementKind, BatchStatus, CustomerKey, CustomerRow, CustomerWrite, JournalEntry, JournalOp,
    MappingProfile, NewBatch, Origin, RowAction, RowStatus, SqliteStore, StagedRow, Store,
    StoreError, TakenKey, WriteOutcome, open,
};

fn customer(login: &str, email: &str) -> Customer {
    Customer {
        login: Some(login.into()),
        email: Some(Email::parse(email).unwrap()),
        ..Customer::default()
    }
}

fn batch(store: &dyn Store) -> i64 {
    store
        .batches()
        .create(&NewBatch {
            source: "t.csv".into(),
            dialect: "idosell".into(),
            options: serde_json::json!({}),
        })
        .unwrap()
}

/// Writes customers in one unit and returns the outcomes.
fn write(store: &dyn Store, writes: &[CustomerWrite<'_>]) -> Vec<WriteOutcome> {
    let mut out = Vec::new();
    store
        .unit_of_work(&mut |unit| {
            out = unit.write(writes)?;
            Ok(())
        })
        .unwrap();
    out
}

fn insert(store: &dyn Store, c: &Customer) -> i64 {
    match &write(
        store,
        &[CustomerWrite::Insert {
            row: &CustomerRow::new(c),
            origin: None,
        }],
    )[..]
    {
        [WriteOutcome::Inserted(id)] => *id,
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_reopened_file_keeps_everything_and_migrates_once() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("c.db").display());
    {
        let store = open(&url).unwrap();
        let b = batch(store.as_ref());
        store
            .unit_of_work(&mut |unit| {
                let jan = customer("jan", "Jan@Example.pl");
                let ids = unit.write(&[CustomerWrite::Insert {
                    row: &CustomerRow::new(&jan),
                    origin: Some(Origin { batch: b, line: 2 }),
                }])?;
                let WriteOutcome::Inserted(id) = ids[0] else {
                    panic!()
                };
                unit.journal(&[JournalEntry {
                    batch: Some(b),
                    line: Some(2),
                    customer: id,
                    through: None,
                    op: JournalOp::Inserted,
                    actor: None,
                }])
            })
            .unwrap();
        store
            .catalog()
            .put_agreement(&AgreementKind {
                name: "Regulamin".into(),
                validity_days: Some(365),
            })
            .unwrap();
        store
            .catalog()
            .put_mapping_profile(&MappingProfile {
                name: "excel".into(),
                dialect: "csv".into(),
                columns: vec![("Imię".into(), "first_name".into())],
                ignored: vec!["Uwagi".into()],
            })
            .unwrap();
    }
    let store = open(&url).unwrap();
    let mut found = Vec::new();
    store
        .unit_of_work(&mut |unit| {
            found = unit.find(&[
                CustomerKey::Email("jan@example.pl".into()),
                CustomerKey::Login("nobody".into()),
            ])?;
            Ok(())
        })
        .unwrap();
    let jan = found[0].clone().unwrap();
    assert_eq!(jan.customer.login.as_deref(), Some("jan"));
    assert_eq!(
        jan.customer.email.unwrap().as_str(),
        "Jan@example.pl",
        "the address as written"
    );
    assert_eq!(
        (jan.version, jan.origin),
        (1, Some(Origin { batch: 1, line: 2 }))
    );
    assert!(found[1].is_none());
    assert_eq!(store.customers().journal(1, 0, 10).unwrap().len(), 1);
    let catalog = store.catalog();
    assert_eq!(catalog.agreements().unwrap()[0].validity_days, Some(365));
    assert_eq!(
        catalog.mapping_profile("excel").unwrap().unwrap().columns[0].1,
        "first_name"
    );
    assert!(catalog.delete_mapping_profile("excel").unwrap());
    assert!(catalog.mapping_profile("excel").unwrap().is_none());
    assert_eq!(
        catalog.shops().unwrap().len(),
        1,
        "the default shop is created once"
    );
}

#[test]
fn a_schema_3_database_of_an_earlier_custio_is_migrated() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    // Written by custio at cbb093b (schema 3): a.csv committed (three customers, one with a
    // password), b.csv committed (Jan renamed Janek), c.csv checked (one valid, one bad row).
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch(include_str!("../../../tests/fixtures/store/schema3.sql"))
        .unwrap();
    let store = SqliteStore::open(&path).unwrap();
    let customers = store.customers();
    let jan = customers.get(1).unwrap().unwrap().customer;
    assert_eq!(
        (
            jan.login.as_deref(),
            jan.first_name.as_deref(),
            jan.email.unwrap().key()
        ),
        (
            Some("jkowalski"),
            Some("Janek"),
            "jan.kowalski@example.pl".to_string()
        )
    );
    assert_eq!(customers.count(&Default::default()).unwrap(), 3);
    let journal = customers.journal(2, 0, 10).unwrap();
    match &journal[..] {
        [
            (
                _,
                JournalEntry {
                    op: JournalOp::Updated(changes),
                    customer: 1,
                    ..
                },
            ),
        ] => {
            assert_eq!(changes.len(), 1, "{changes:?}");
            assert_eq!(changes[0].field, Field::FirstName);
            assert_eq!(changes[0].after, Some(Value::Text("Janek".into())));
        }
        other => panic!("{other:?}"),
    }
    let batches = store.batches();
    let committed = batches.get(1).unwrap().unwrap();
    assert_eq!(committed.status, BatchStatus::Committed);
    assert_eq!(
        batches.counts(1).unwrap().imported,
        3,
        "counts survive the old buffer"
    );
    assert_eq!(batches.counts(2).unwrap().imported, 1);
    let checked = batches.get(3).unwrap().unwrap();
    assert_eq!(checked.status, BatchStatus::Failed);
    assert!(checked.error.unwrap().contains("import it again"));
    drop(store);
    let bytes = std::fs::read(&path).unwrap();
    assert!(
        !bytes.windows(8).any(|w| w == b"tajne123"),
        "the old buffer's plain-text password is gone"
    );
}

#[test]
fn a_unit_that_fails_writes_nothing_and_a_taken_key_fails_only_its_write() {
    let store = SqliteStore::open_in_memory().unwrap();
    insert(&store, &customer("jan", "jan@example.pl"));
    let (ewa, clash, ola) = (
        customer("ewa", "ewa@example.pl"),
        customer("jan", "other@example.pl"),
        customer("ola", "ola@example.pl"),
    );
    let outcomes = write(
        &store,
        &[
            CustomerWrite::Insert {
                row: &CustomerRow::new(&ewa),
                origin: None,
            },
            CustomerWrite::Insert {
                row: &CustomerRow::new(&clash),
                origin: None,
            },
            CustomerWrite::Insert {
                row: &CustomerRow::new(&ola),
                origin: None,
            },
        ],
    );
    assert!(matches!(outcomes[0], WriteOutcome::Inserted(_)));
    assert_eq!(
        outcomes[1],
        WriteOutcome::Taken {
            key: TakenKey::Login,
            value: "jan".into()
        }
    );
    assert!(matches!(outcomes[2], WriteOutcome::Inserted(_)));
    let failed = store.unit_of_work(&mut |unit| {
        unit.write(&[CustomerWrite::Insert {
            row: &CustomerRow::new(&customer("piotr", "p@example.pl")),
            origin: None,
        }])?;
        Err(StoreError::Busy)
    });
    assert!(failed.is_err());
    assert_eq!(
        store.customers().count(&Default::default()).unwrap(),
        3,
        "piotr was rolled back"
    );
}

#[test]
fn a_write_planned_against_an_older_version_is_refused() {
    let store = SqliteStore::open_in_memory().unwrap();
    let id = insert(&store, &customer("jan", "jan@example.pl"));
    let mut edited = store.customers().get(id).unwrap().unwrap();
    assert_eq!(edited.version, 1);
    edited.customer.first_name = Some("Jan".into());
    fn update(id: i64, row: &CustomerRow, version: i64) -> CustomerWrite<'_> {
        CustomerWrite::Update {
            id,
            version,
            row,
            origin: None,
        }
    }
    assert_eq!(
        write(
            &store,
            &[update(id, &CustomerRow::new(&edited.customer), 1)]
        ),
        [WriteOutcome::Done]
    );
    let mut stale = edited.customer.clone();
    stale.first_name = Some("Stale".into());
    assert_eq!(
        write(&store, &[update(id, &CustomerRow::new(&stale), 1)]),
        [WriteOutcome::Changed]
    );
    let now = store.customers().get(id).unwrap().unwrap();
    assert_eq!(
        (now.version, now.customer.first_name.as_deref()),
        (2, Some("Jan"))
    );
    assert_eq!(
        write(
            &store,
            &[CustomerWrite::Delete {
                id,
                version: Some(1)
            }]
        ),
        [WriteOutcome::Changed]
    );
    assert_eq!(
        write(
            &store,
            &[CustomerWrite::Delete {
                id,
                version: Some(2)
            }]
        ),
        [WriteOutcome::Done]
    );
}

#[test]
fn the_buffer_keeps_rows_finds_repeated_keys_and_is_purged() {
    let store = SqliteStore::open_in_memory().unwrap();
    let b = batch(&store);
    let row = |line: u64, status: RowStatus, keys: [Option<i64>; 2]| StagedRow {
        line,
        status,
        action: Some(RowAction::New),
        record: vec!["a;b".into(), String::new()],
        label: format!("row {line}"),
        keys,
        issues: if status == RowStatus::Invalid {
            vec![RowIssue::row(IssueCode::ChangedSinceCheck { customer: 1 })]
        } else {
            vec![]
        },
        changes: vec![FieldChange {
            field: Field::Note,
            before: None,
            after: Some(Value::Text("x".into())),
        }],
        ..StagedRow::default()
    };
    store
        .unit_of_work(&mut |unit| {
            unit.stage(
                b,
                &[
                    row(2, RowStatus::Pending, [Some(1), Some(10)]),
                    row(3, RowStatus::Invalid, [Some(2), Some(20)]),
                    row(4, RowStatus::Pending, [Some(2), Some(10)]),
                    row(5, RowStatus::Pending, [Some(2), Some(30)]),
                ],
            )
        })
        .unwrap();
    let batches = store.batches();
    let read = batches.row(b, 3).unwrap().unwrap();
    assert_eq!(
        (read.record.clone(), read.issues.len(), read.changes.len()),
        (row(3, RowStatus::Invalid, [None, None]).record, 1, 1)
    );
    let repeated: Vec<(u64, u64, usize)> = batches
        .repeated_keys(b, &[1, 2, 10, 20, 30, 99])
        .unwrap()
        .into_iter()
        .map(|r| (r.line, r.first, r.key))
        .collect();
    assert_eq!(
        repeated,
        [(4, 2, 1), (5, 4, 0)],
        "invalid line 3 does not count"
    );
    let counts = batches.counts(b).unwrap();
    assert_eq!(
        (counts.rows, counts.pending, counts.invalid, counts.new),
        (4, 3, 1, 3)
    );
    assert!(batches.purge(b).unwrap());
    assert!(batches.row(b, 2).unwrap().is_none());
    assert_eq!(
        batches.counts(b).unwrap(),
        counts,
        "the counts outlive the buffer"
    );
    assert!(batches.get(b).unwrap().unwrap().purged_at.is_some());
    batches.compact().unwrap();
}

#[test]
fn kept_counts_follow_every_change_to_the_rows_from_any_process() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("counts.db");
    let (one, other) = (
        open(&format!("sqlite://{}", path.display())).unwrap(),
        open(&format!("sqlite://{}", path.display())).unwrap(),
    );
    let b = batch(one.as_ref());
    let row = |line: u64, status: RowStatus| StagedRow {
        line,
        status,
        action: Some(RowAction::New),
        label: format!("row {line}"),
        ..StagedRow::default()
    };
    let stage = |store: &dyn Store, rows: &[StagedRow]| {
        store.unit_of_work(&mut |unit| unit.stage(b, rows)).unwrap();
    };
    stage(
        one.as_ref(),
        &[row(2, RowStatus::Pending), row(3, RowStatus::Pending)],
    );
    let pending = |store: &dyn Store| {
        let c = store.batches().counts(b).unwrap();
        (c.rows, c.pending, c.skipped, c.imported)
    };
    assert_eq!(pending(one.as_ref()), (2, 2, 0, 0));
    assert_eq!(pending(one.as_ref()), (2, 2, 0, 0), "read again, as kept");
    // Another process skips a row and imports the other: both readers see it at once.
    stage(other.as_ref(), &[row(2, RowStatus::Skipped)]);
    assert_eq!(pending(one.as_ref()), (2, 1, 1, 0));
    other
        .batches()
        .put_rows(b, &[row(3, RowStatus::Imported)])
        .unwrap();
    assert_eq!(pending(one.as_ref()), (2, 0, 1, 1));
    assert_eq!(pending(other.as_ref()), (2, 0, 1, 1));
    stage(one.as_ref(), &[row(4, RowStatus::Pending)]);
    assert_eq!(pending(other.as_ref()), (3, 1, 1, 1));
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

/// The database holds personal data: its file and SQLite's `-wal` and `-shm` beside it
/// are readable by their owner only, and a file an older custio left 0644 is made so.
#[cfg(unix)]
#[test]
fn the_database_files_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    let store = open(&format!("sqlite://{}", path.display())).unwrap();
    insert(store.as_ref(), &customer("jan", "jan@example.pl"));
    for suffix in ["", "-wal", "-shm"] {
        let file = dir.path().join(format!("c.db{suffix}"));
        assert_eq!(mode(&file), 0o600, "{}", file.display());
    }
    drop(store);

    let old = dir.path().join("old.db");
    std::fs::write(&old, b"").unwrap();
    std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o644)).unwrap();
    drop(open(&format!("sqlite://{}", old.display())).unwrap());
    assert_eq!(mode(&old), 0o600);
}
