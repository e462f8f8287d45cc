//! A batch whose stored options no longer read is refused, never committed with defaults
//! (`skip` silently becoming `update`).

use custio_engine::{Engine, EngineError, ImportOptions, NoProgress, OnExisting};

#[test]
fn a_batch_whose_options_do_not_read_refuses_to_commit() {
    let dir = tempfile::tempdir().unwrap();
    let url = custio_testdb::url(dir.path(), "c.db");
    let engine = Engine::open(&url).unwrap();
    let file = "login;email;firstname;lastname;street;zipcode;city\njan;jan@example.pl;Jan;Nowak;Jasna 5;00-950;Warszawa\n";
    let options = ImportOptions {
        on_existing: OnExisting::Skip,
        ..ImportOptions::default()
    };
    let report = engine
        .check(
            Box::new(file.as_bytes()),
            "a.csv",
            "idosell",
            &options,
            &NoProgress,
        )
        .unwrap();
    assert_eq!(report.counts.pending, 1);

    // A newer custio (or a hand edit) wrote a policy this one does not know.
    let store = custio_store::open(&url).unwrap();
    let mut batch = store.batches().get(report.batch).unwrap().unwrap();
    batch.options["on_existing"] = serde_json::json!("sometimes");
    store.batches().update(&batch).unwrap();

    let err = engine.commit(report.batch, None, &NoProgress).unwrap_err();
    assert!(matches!(err, EngineError::BatchOptions { .. }), "{err}");
    assert!(err.to_string().contains("cannot be read"), "{err}");
    assert_eq!(engine.count_customers().unwrap(), 0, "nothing was written");
    assert_eq!(engine.row_counts(report.batch).unwrap().pending, 1);
}
