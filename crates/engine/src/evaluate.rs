//! Row evaluation: the rules that decide whether a parsed row can be committed and what it
//! will do. The check runs it on every row, review re-runs it after an edit, and commit
//! runs it once more against the store as it is then.

use std::collections::BTreeMap;

use chrono::Local;
use custio_formats::{Dialect, SourceRow};
use custio_model::{Customer, CustomerPatch, DateTime, Field, RowIssue, Value};
use custio_store::{CustomerKey, RowAction, RowStatus, StagedRow, Store};

use crate::{EngineError, OnExisting};

/// What committing a row will do to the store.
pub(crate) enum Plan {
    Insert(Box<Customer>),
    Update {
        before: Box<Customer>,
        after: Box<Customer>,
    },
    Unchanged,
}

pub(crate) struct Evaluator<'a> {
    pub store: &'a dyn Store,
    pub dialect: &'static dyn Dialect,
    pub batch: i64,
    pub on_existing: OnExisting,
    pub now: DateTime,
    /// Look for the same login or e-mail earlier in the file (off at commit: the check
    /// already did, and earlier rows are customers by then).
    pub find_duplicates: bool,
}

fn key_of(field: &Field, patch: &CustomerPatch) -> Option<CustomerKey> {
    match (field, patch.value(field)?) {
        (Field::Guid, Value::Text(g)) => Some(CustomerKey::Guid(g.clone())),
        (Field::Login, Value::Text(l)) => Some(CustomerKey::Login(l.clone())),
        (Field::Email, Value::Email(e)) => Some(CustomerKey::Email(e.key())),
        _ => None,
    }
}

fn key_text(key: &CustomerKey) -> &str {
    match key {
        CustomerKey::Guid(s) | CustomerKey::Login(s) | CustomerKey::Email(s) => s,
    }
}

fn label(patch: &CustomerPatch) -> String {
    let mut c = Customer::default();
    patch.apply(&mut c);
    c.display_name()
}

/// Applies values typed in review (field name → text; empty text clears the field).
pub(crate) fn apply_edits(
    patch: &mut CustomerPatch,
    edits: &BTreeMap<String, String>,
    issues: &mut Vec<RowIssue>,
) {
    for (name, text) in edits {
        let Ok(field) = Field::parse(name) else {
            continue;
        };
        if text.trim().is_empty() {
            patch.clear(field);
            continue;
        }
        match field.ty().parse(text) {
            Ok(value) => patch.set(field, value),
            Err(err) => issues.push(RowIssue::cell(
                &format!("{field} (edited)"),
                Some(field.name().into_owned()),
                text,
                &err,
            )),
        }
    }
}

impl Evaluator<'_> {
    pub fn new<'a>(
        store: &'a dyn Store,
        dialect: &'static dyn Dialect,
        batch: i64,
        on_existing: OnExisting,
    ) -> Evaluator<'a> {
        Evaluator {
            store,
            dialect,
            batch,
            on_existing,
            now: Local::now().naive_local().with_nanosecond0(),
            find_duplicates: true,
        }
    }

    /// Evaluates one row. `earlier` are rows of the same chunk not yet in the store.
    pub fn evaluate(
        &self,
        source: SourceRow,
        edits: BTreeMap<String, String>,
        earlier: &[StagedRow],
    ) -> Result<(StagedRow, Option<Plan>), EngineError> {
        let SourceRow {
            line,
            cells,
            mut patch,
            mut issues,
        } = source;
        apply_edits(&mut patch, &edits, &mut issues);
        let rules = self.dialect.rules();
        let structural = issues.iter().any(|i| i.column.is_none());

        if !structural && !rules.identity.iter().any(|f| patch.value(f).is_some()) {
            let names: Vec<String> = rules
                .identity
                .iter()
                .map(|f| f.name().into_owned())
                .collect();
            issues.push(RowIssue::row(
                "missing_identity",
                format!(
                    "the row has no {}; fill in at least one of them",
                    names.join(" or ")
                ),
            ));
        }

        let login_key = key_of(&Field::Login, &patch).map(|k| key_text(&k).to_string());
        let email_key = key_of(&Field::Email, &patch).map(|k| key_text(&k).to_string());
        if self.find_duplicates {
            self.check_duplicates(line, &login_key, &email_key, earlier, &mut issues)?;
        }

        let paired = self.pair(&patch, &mut issues)?;
        let mut row = StagedRow {
            line,
            status: RowStatus::Pending,
            action: None,
            paired_by: None,
            customer_id: None,
            cells,
            edits,
            label: label(&patch),
            patch,
            issues: Vec::new(),
            changes: Vec::new(),
            message: None,
            login_key,
            email_key,
        };
        let plan = match paired {
            Some((stored, by)) => {
                row.paired_by = Some(by.to_string());
                row.customer_id = stored.id;
                match self.on_existing {
                    OnExisting::Skip => {
                        row.status = RowStatus::Skipped;
                        row.message = Some(format!(
                            "customer {} exists (paired by {by}); skipped by the on-existing policy 'skip'",
                            stored.id.unwrap_or_default()
                        ));
                        None
                    }
                    OnExisting::Fail => {
                        issues.push(RowIssue::row(
                            "customer_exists",
                            format!("customer {} already exists (paired by {by}) and the on-existing policy is 'fail'", stored.id.unwrap_or_default()),
                        ));
                        None
                    }
                    OnExisting::Update => {
                        let mut after = stored.clone();
                        let diff = row.patch.apply(&mut after);
                        row.changes = diff.iter().map(|d| d.field.name().into_owned()).collect();
                        if diff.is_empty() {
                            row.action = Some(RowAction::Unchanged);
                            Some(Plan::Unchanged)
                        } else {
                            row.action = Some(RowAction::Update);
                            Some(Plan::Update {
                                before: Box::new(stored),
                                after: Box::new(after),
                            })
                        }
                    }
                }
            }
            None => {
                let customer = self.new_customer(&row.patch);
                row.changes = row
                    .patch
                    .apply(&mut Customer::default())
                    .into_iter()
                    .map(|d| d.field.name().into_owned())
                    .collect();
                if !structural {
                    for field in rules.required_for_new {
                        if customer.get(field).is_none() {
                            issues.push(RowIssue {
                                column: None,
                                field: Some(field.name().into_owned()),
                                code: "missing_required".into(),
                                message: format!(
                                    "{field} is required for a new {} customer; fill it in",
                                    self.dialect.name()
                                ),
                                value: None,
                            });
                        }
                    }
                }
                row.action = Some(RowAction::New);
                Some(Plan::Insert(Box::new(customer)))
            }
        };
        if !issues.is_empty() {
            row.status = RowStatus::Invalid;
            row.issues = issues;
            return Ok((row, None));
        }
        Ok((row, plan))
    }

    fn new_customer(&self, patch: &CustomerPatch) -> Customer {
        let mut customer = Customer::default();
        patch.apply(&mut customer);
        for field in self.dialect.rules().now_if_empty_for_new {
            if customer.get(field).is_none() {
                customer.set(field, Some(Value::DateTime(self.now)));
            }
        }
        if customer.guid.is_none() && self.dialect.rules().pair_by.contains(&Field::Guid) {
            customer.guid = Some(uuid_v4());
        }
        customer
    }

    fn check_duplicates(
        &self,
        line: u64,
        login: &Option<String>,
        email: &Option<String>,
        earlier: &[StagedRow],
        issues: &mut Vec<RowIssue>,
    ) -> Result<(), EngineError> {
        let checks = [
            ("login", login.clone().map(CustomerKey::Login), login),
            ("e-mail", email.clone().map(CustomerKey::Email), email),
        ];
        for (what, key, value) in checks {
            let (Some(key), Some(value)) = (key, value) else {
                continue;
            };
            let in_chunk = earlier.iter().find(|r| {
                r.line < line
                    && match &key {
                        CustomerKey::Login(l) => r.login_key.as_ref() == Some(l),
                        CustomerKey::Email(e) => r.email_key.as_ref() == Some(e),
                        CustomerKey::Guid(_) => false,
                    }
            });
            let first = match in_chunk {
                Some(r) => Some(r.line),
                None => self.store.find_staged(self.batch, &key, line)?,
            };
            if let Some(first) = first {
                let code = if what == "login" {
                    "duplicate_login"
                } else {
                    "duplicate_email"
                };
                issues.push(RowIssue {
                    column: None,
                    field: Some(if what == "login" { "login" } else { "email" }.into()),
                    code: code.into(),
                    message: format!("the {what} '{value}' already appears on line {first}; each customer may appear in the file once"),
                    value: Some(value.clone()),
                });
            }
        }
        Ok(())
    }

    /// Finds the stored customer the row pairs with, by the dialect's keys in order, and
    /// reports keys of the row that point at another customer.
    fn pair(
        &self,
        patch: &CustomerPatch,
        issues: &mut Vec<RowIssue>,
    ) -> Result<Option<(Customer, &'static str)>, EngineError> {
        let pair_by = self.dialect.rules().pair_by;
        let mut found: Option<(Customer, &'static str, usize)> = None;
        for (i, field) in pair_by.iter().enumerate() {
            let Some(key) = key_of(field, patch) else {
                continue;
            };
            if let Some(customer) = self.store.find_customer(&key)? {
                found = Some((customer, field_label(field), i));
                break;
            }
        }
        let Some((customer, by, index)) = found else {
            return Ok(None);
        };
        for (i, field) in pair_by.iter().enumerate() {
            if i == index {
                continue;
            }
            let Some(key) = key_of(field, patch) else {
                continue;
            };
            let stored = customer.get(field).map(|v| match v {
                Value::Email(e) => e.key(),
                other => other.to_string(),
            });
            let conflict = if i < index {
                stored.as_deref().is_some_and(|s| s != key_text(&key))
            } else {
                self.store
                    .find_customer(&key)?
                    .is_some_and(|other| other.id != customer.id)
            };
            if conflict {
                let id = customer.id.unwrap_or_default();
                let message = if i < index {
                    format!(
                        "the row's {by} belongs to customer {id}, whose {} is '{}', not '{}'; correct the row or the customer",
                        field_label(field),
                        stored.as_deref().unwrap_or_default(),
                        key_text(&key)
                    )
                } else {
                    format!(
                        "the row pairs with customer {id} by {by}, but its {} '{}' belongs to another customer; correct one of them",
                        field_label(field),
                        key_text(&key)
                    )
                };
                issues.push(RowIssue {
                    column: None,
                    field: Some(field.name().into_owned()),
                    code: format!("{}_taken", field.name()),
                    message,
                    value: Some(key_text(&key).to_string()),
                });
            }
        }
        Ok(Some((customer, by)))
    }
}

fn field_label(field: &Field) -> &'static str {
    match field {
        Field::Guid => "guid",
        Field::Login => "login",
        _ => "email",
    }
}

fn uuid_v4() -> String {
    uuid::Uuid::new_v4().to_string()
}

trait NoNanos {
    fn with_nanosecond0(self) -> Self;
}

impl NoNanos for DateTime {
    fn with_nanosecond0(self) -> Self {
        use chrono::Timelike;
        self.with_nanosecond(0).unwrap_or(self)
    }
}
