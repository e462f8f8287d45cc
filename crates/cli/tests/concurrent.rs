//! Two imports that touch the same customers, run at the same time on one store: both
//! finish (no deadlock, no "database is locked"), no customer is lost or duplicated, and
//! each shared customer holds one file's row whole, never a mixture.

mod util;

use std::process::Command;

use util::{HEADER, Workspace};

fn file(tag: &str, from: usize, to: usize) -> String {
    let mut text = String::from(HEADER);
    for i in from..to {
        text.push_str(&format!(
            "\nu{i};u{i}@example.pl;{tag};{tag}{i};Ulica {tag};00-950;Warszawa;;n"
        ));
    }
    text.push('\n');
    text
}

#[test]
fn two_imports_of_the_same_customers_at_once_lose_nothing() {
    let ws = Workspace::new();
    let a = ws.write("a.csv", &file("Anna", 0, 2000));
    let b = ws.write("b.csv", &file("Bogdan", 1000, 3000));
    let bin = assert_cmd::cargo::cargo_bin("custio");
    let url = ws.db.clone();
    // The store exists before both start, as it would under a server.
    ws.ok(0, &["shops", "list"]);
    let spawn = |path: &std::path::Path| {
        Command::new(&bin)
            .args([
                "--db",
                &url,
                "import",
                path.to_str().unwrap(),
                "--commit",
                "--json",
            ])
            .output()
            .unwrap()
    };
    let (first, second) = std::thread::scope(|s| {
        let one = s.spawn(|| spawn(&a));
        let two = s.spawn(|| spawn(&b));
        (one.join().unwrap(), two.join().unwrap())
    });
    for out in [&first, &second] {
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let list = ws.ok(0, &["customers", "list", "--json"]).json();
    let customers = list.as_array().unwrap();
    assert_eq!(customers.len(), 3000, "every customer of both files, once");
    for c in customers {
        let first = c["first_name"].as_str().unwrap();
        let last = c["last_name"].as_str().unwrap();
        let street = c["billing"]["street"].as_str().unwrap();
        assert!(last.starts_with(first), "{c}");
        assert_eq!(
            street,
            format!("Ulica {first}"),
            "one file's row whole: {c}"
        );
    }
}
