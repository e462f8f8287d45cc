//! The panel's templates, compiled into the binary (no files to deploy) and rendered with
//! minijinja, HTML auto-escaping on.

/// Every template: name and source.
pub const SOURCES: &[(&str, &str)] = &[
    ("base.html", include_str!("../templates/base.html")),
    ("login.html", include_str!("../templates/login.html")),
    ("setup.html", include_str!("../templates/setup.html")),
    ("error.html", include_str!("../templates/error.html")),
    (
        "customers.html",
        include_str!("../templates/customers.html"),
    ),
    ("import.html", include_str!("../templates/import.html")),
    ("jobs.html", include_str!("../templates/jobs.html")),
    ("job.html", include_str!("../templates/job.html")),
    ("batches.html", include_str!("../templates/batches.html")),
    ("batch.html", include_str!("../templates/batch.html")),
    ("confirm.html", include_str!("../templates/confirm.html")),
    ("export.html", include_str!("../templates/export.html")),
    ("shops.html", include_str!("../templates/shops.html")),
    ("profiles.html", include_str!("../templates/profiles.html")),
    ("users.html", include_str!("../templates/users.html")),
    ("audit.html", include_str!("../templates/audit.html")),
];

/// The template environment.
pub fn environment() -> minijinja::Environment<'static> {
    let mut env = minijinja::Environment::new();
    crate::i18n::register(&mut env);
    for (name, source) in SOURCES {
        env.add_template(name, source)
            .unwrap_or_else(|e| panic!("template {name} does not compile: {e}"));
    }
    env
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_template_compiles() {
        super::environment();
    }
}
