//! The service records on a real file: the customer list's keyset pages (ties and
//! customers without a value included), sessions with expiry, API tokens and the job
//! queue.

use custio_model::{Customer, Email};
use custio_store::{
    CustomerQuery, CustomerRow, CustomerSort, CustomerWrite, JobState, Lease, NewJob, Role,
    Session, Store, open,
};

fn store() -> (tempfile::TempDir, Box<dyn Store>) {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&custio_testdb::url(dir.path(), "s.db")).unwrap();
    (dir, store)
}

fn at(s: &str) -> custio_model::DateTime {
    custio_model::DateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
}

#[test]
fn every_sort_pages_through_ties_without_losing_or_repeating_a_customer() {
    let (_dir, store) = store();
    for i in 0..23 {
        let customer = Customer {
            login: Some(format!("u{i}")),
            email: Some(
                Email::parse(&format!("u{}@example.pl", i % 7))
                    .ok()
                    .filter(|_| i < 7)
                    .unwrap_or_else(|| Email::parse(&format!("x{i}@example.pl")).unwrap()),
            ),
            last_name: Some(["Nowak", "Abel", "Zet"][i % 3].into()),
            // Most customers share "no order": one long tie.
            last_order_at: (i % 5 == 0).then(|| at(&format!("2025-01-{:02} 10:00:00", i + 1))),
            ..Customer::default()
        };
        store
            .unit_of_work(&mut |unit| {
                unit.write(&[CustomerWrite::Insert {
                    row: &CustomerRow::new(&customer),
                    origin: None,
                }])?;
                Ok(())
            })
            .unwrap();
    }
    for sort in CustomerSort::ALL {
        for desc in [false, true] {
            for page_size in [1, 2, 5] {
                let mut seen = Vec::new();
                let mut after = None;
                loop {
                    let page = store
                        .customers()
                        .list(
                            &CustomerQuery::default(),
                            *sort,
                            desc,
                            after.as_ref(),
                            page_size,
                        )
                        .unwrap();
                    seen.extend(page.customers.iter().map(|c| c.id.unwrap()));
                    match page.next {
                        Some(n) => after = Some(n),
                        None => break,
                    }
                }
                let mut unique = seen.clone();
                unique.sort();
                unique.dedup();
                assert_eq!(
                    unique.len(),
                    23,
                    "{sort:?} desc={desc} size={page_size}: {seen:?}"
                );
                assert_eq!(
                    seen.len(),
                    23,
                    "{sort:?} desc={desc} size={page_size}: {seen:?}"
                );
            }
        }
    }
    // A filter with a different sort.
    let page = store
        .customers()
        .list(
            &CustomerQuery {
                search: Some("u1".into()),
                ..CustomerQuery::default()
            },
            CustomerSort::Name,
            false,
            None,
            50,
        )
        .unwrap();
    assert!(
        page.customers
            .iter()
            .all(|c| c.login.as_deref().unwrap().starts_with("u1"))
    );
}

#[test]
fn sessions_expire_and_a_new_password_ends_them() {
    let (_dir, store) = store();
    let id = store
        .accounts()
        .create_user("ola", "$argon2id$hash", Role::Staff)
        .unwrap();
    assert!(
        store
            .accounts()
            .create_user("OLA", "x", Role::Admin)
            .is_err()
    );
    store
        .accounts()
        .create_session(&Session {
            id_hash: "h".into(),
            user_id: id,
            csrf: "c".into(),
            created_at: at("2026-01-01 10:00:00"),
            expires_at: at("2026-01-01 22:00:00"),
        })
        .unwrap();
    assert!(
        store
            .accounts()
            .session("h", at("2026-01-01 21:59:59"))
            .unwrap()
            .is_some()
    );
    assert!(
        store
            .accounts()
            .session("h", at("2026-01-01 22:00:00"))
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .accounts()
            .session("h", at("2026-01-01 12:00:00"))
            .unwrap()
            .is_some()
    );
    store.accounts().set_password(id, "$argon2id$new").unwrap();
    assert!(
        store
            .accounts()
            .session("h", at("2026-01-01 12:00:00"))
            .unwrap()
            .is_none()
    );
    assert_eq!(
        store
            .accounts()
            .user_by_name("Ola")
            .unwrap()
            .unwrap()
            .password_hash,
        "$argon2id$new"
    );

    let t = store.accounts().create_api_token(id, "ci", "th").unwrap();
    assert_eq!(store.accounts().use_api_token("th").unwrap().unwrap().id, t);
    assert!(
        store
            .accounts()
            .use_api_token("th")
            .unwrap()
            .unwrap()
            .last_used_at
            .is_some()
    );
    assert!(store.accounts().delete_api_token(id, t).unwrap());
    assert!(store.accounts().use_api_token("th").unwrap().is_none());
}

#[test]
fn jobs_are_claimed_once_in_order_and_requeued_with_a_note() {
    let (_dir, store) = store();
    let job = |kind: &str| NewJob {
        kind: kind.into(),
        payload: serde_json::json!({}),
        created_by: "t".into(),
    };
    let a = store.jobs().create(&job("check")).unwrap();
    let b = store.jobs().create(&job("export")).unwrap();
    let lease = Lease {
        worker: "host:1",
        seconds: 60,
    };
    let first = store.jobs().claim(&lease).unwrap().unwrap();
    assert_eq!(
        (first.id, first.state, first.attempts),
        (a, JobState::Running, 1)
    );
    assert_eq!(store.jobs().claim(&lease).unwrap().unwrap().id, b);
    assert!(store.jobs().claim(&lease).unwrap().is_none());
    store.jobs().progress(a, 10, Some(20), Some(5.0)).unwrap();
    assert_eq!(store.jobs().running().unwrap().len(), 2);
    assert!(store.jobs().requeue(a, 1, "resumed").unwrap());
    assert!(
        !store.jobs().requeue(a, 1, "resumed").unwrap(),
        "a claim that ended holds nothing"
    );
    assert!(
        store
            .jobs()
            .finish(b, 1, JobState::Failed, None, Some("broken"))
            .unwrap()
    );
    let again = store.jobs().claim(&lease).unwrap().unwrap();
    assert_eq!(
        (again.id, again.attempts, again.note.as_deref()),
        (a, 2, Some("resumed"))
    );
    assert_eq!(again.done, 10);
    let b = store.jobs().get(b).unwrap().unwrap();
    assert_eq!(
        (b.state, b.error.as_deref()),
        (JobState::Failed, Some("broken"))
    );
    assert!(b.finished_at.is_some());
}

#[test]
fn a_lease_that_passes_lets_another_worker_take_the_job_and_the_first_claim_ends() {
    let (_dir, store) = store();
    let id = store
        .jobs()
        .create(&NewJob {
            kind: "commit".into(),
            payload: serde_json::json!({}),
            created_by: "t".into(),
        })
        .unwrap();
    let short = Lease {
        worker: "a:1",
        seconds: 0,
    };
    let job = store.jobs().claim(&short).unwrap().unwrap();
    assert_eq!(job.worker.as_deref(), Some("a:1"));
    assert!(job.lease_until.is_some());
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let expired = store.jobs().expired().unwrap();
    assert_eq!(expired.iter().map(|j| j.id).collect::<Vec<_>>(), [id]);
    // The worker renews in time: the job is its own again.
    let long = Lease {
        worker: "a:1",
        seconds: 60,
    };
    assert!(store.jobs().renew(id, 1, &long).unwrap());
    assert!(store.jobs().expired().unwrap().is_empty());
    assert!(
        !store.jobs().renew(id, 2, &long).unwrap(),
        "not attempt 2's"
    );
    // Taken over: requeued for attempt 1, claimed again as attempt 2 by another worker.
    assert!(store.jobs().requeue(id, 1, "resumed").unwrap());
    let other = Lease {
        worker: "b:2",
        seconds: 60,
    };
    let again = store.jobs().claim(&other).unwrap().unwrap();
    assert_eq!((again.attempts, again.worker.as_deref()), (2, Some("b:2")));
    // The first worker's late end changes nothing.
    assert!(
        !store
            .jobs()
            .finish(id, 1, JobState::Succeeded, None, None)
            .unwrap()
    );
    assert!(!store.jobs().renew(id, 1, &long).unwrap());
    assert!(
        store
            .jobs()
            .finish(id, 2, JobState::Succeeded, None, None)
            .unwrap()
    );
    let done = store.jobs().get(id).unwrap().unwrap();
    assert_eq!((done.state, done.attempts), (JobState::Succeeded, 2));
}
