//! Row evaluation: the rules that decide whether a parsed row can be committed and what it
//! will do. The check runs it on every row, review re-runs it after an edit, and commit
//! runs it once more against the store as it is then. Each dialect's rules are data
//! ([`ImportRules`]); this module is the one place that applies them.

use std::collections::BTreeMap;

use chrono::{Local, Timelike};
use custio_formats::{Dialect, ImportRules, SourceRow};
use custio_model::{
    Change, Customer, CustomerPatch, DateTime, Field, IssueCode, KeyClash, RowIssue, RowNote,
    ShippingAddress, Value,
};
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

/// What the shop has that rows are checked against (loaded once per evaluator).
struct Catalog {
    pricelists: Vec<String>,
    agreements: Vec<(String, Option<u32>)>,
    groups: Vec<String>,
}

pub(crate) struct Evaluator<'a> {
    store: &'a dyn Store,
    dialect: &'static dyn Dialect,
    batch: i64,
    on_existing: OnExisting,
    now: DateTime,
    catalog: Catalog,
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

fn field_label(field: &Field) -> &'static str {
    match field {
        Field::Guid => "guid",
        Field::Login => "login",
        _ => "email",
    }
}

/// Reports each of `fields` that `has` says is missing, unless the row already has an
/// issue about that field (an invalid value is not also "missing").
fn require(
    fields: &[Field],
    has: impl Fn(&Field) -> bool,
    code: IssueCode,
    issues: &mut Vec<RowIssue>,
) {
    for field in fields {
        let name = field.name();
        if !has(field) && !issues.iter().any(|i| i.field.as_deref() == Some(&name)) {
            issues.push(RowIssue::field(code.clone(), name));
        }
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
    ) -> Result<Evaluator<'a>, EngineError> {
        let catalog = Catalog {
            pricelists: store.pricelists()?,
            agreements: store
                .agreements()?
                .into_iter()
                .map(|a| (a.name, a.validity_days))
                .collect(),
            groups: store.groups()?,
        };
        let now = Local::now().naive_local();
        let now = now.with_nanosecond(0).unwrap_or(now);
        Ok(Evaluator {
            store,
            dialect,
            batch,
            on_existing,
            now,
            catalog,
            find_duplicates: true,
        })
    }

    fn rules(&self) -> &ImportRules {
        self.dialect.rules()
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
        let rules = self.rules();
        let structural = issues
            .iter()
            .any(|i| i.column.is_none() && i.field.is_none());
        for issue in &mut issues {
            if issue
                .field
                .as_deref()
                .is_some_and(|f| rules.warn_invalid.iter().any(|w| w.name() == f))
            {
                issue.warning = true;
            }
        }
        if !structural {
            self.check_required(&patch, &mut issues);
        }
        self.apply_catalog(&mut patch, &mut issues);

        let login_key = key_of(&Field::Login, &patch).map(|k| key_text(&k).to_string());
        let email_key = key_of(&Field::Email, &patch).map(|k| key_text(&k).to_string());
        let mut skip = None;
        if self.find_duplicates {
            skip = self.check_duplicates(line, &login_key, &email_key, earlier, &mut issues)?;
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
            note: None,
            login_key,
            email_key,
        };
        let mut plan = match paired {
            Some((stored, by)) => self.plan_existing(&mut row, stored, by, &mut issues),
            None => Some(self.plan_new(&mut row, structural, &mut issues)),
        };
        if let Some(message) = skip {
            row.status = RowStatus::Skipped;
            row.note = Some(message);
            plan = None;
        }
        let rejected = issues.iter().any(|i| !i.warning);
        row.issues = issues;
        if rejected {
            row.status = RowStatus::Invalid;
            return Ok((row, None));
        }
        Ok((row, plan))
    }

    fn check_required(&self, patch: &CustomerPatch, issues: &mut Vec<RowIssue>) {
        let rules = self.rules();
        if !rules.identity.is_empty() && !rules.identity.iter().any(|f| patch.value(f).is_some()) {
            let names: Vec<String> = rules
                .identity
                .iter()
                .map(|f| f.name().into_owned())
                .collect();
            issues.push(RowIssue::row(IssueCode::MissingIdentity { fields: names }));
        }
        require(
            rules.required,
            |f| patch.value(f).is_some(),
            IssueCode::MissingRequired {
                dialect: self.dialect.name().to_string(),
                new_only: false,
            },
            issues,
        );
    }

    /// Values that must name something the shop has: unknown ones are dropped with a
    /// warning; groups are created at commit unless the dialect says otherwise.
    fn apply_catalog(&self, patch: &mut CustomerPatch, issues: &mut Vec<RowIssue>) {
        let rules = self.rules();
        for field in rules.existing_only {
            if let Some(Value::Text(name)) = patch.value(field).cloned()
                && !self.catalog.pricelists.contains(&name)
            {
                patch.keep(field);
                issues.push(
                    RowIssue::field(
                        IssueCode::UnknownPricelist { name: name.clone() },
                        field.name(),
                    )
                    .with_value(name)
                    .as_warning(),
                );
            }
        }
        if !rules.create_missing_groups
            && let Some(Value::Texts(groups)) = patch.value(&Field::Groups).cloned()
        {
            let (known, unknown): (Vec<String>, Vec<String>) = groups
                .into_iter()
                .partition(|g| self.catalog.groups.contains(g));
            if !unknown.is_empty() {
                issues.push(
                    RowIssue::field(IssueCode::UnknownGroup { names: unknown }, "groups")
                        .as_warning(),
                );
                if known.is_empty() {
                    patch.keep(&Field::Groups);
                } else {
                    patch.set(Field::Groups, Value::Texts(known));
                }
            }
        }
        let agreement_fields: Vec<(Field, String)> = patch
            .iter()
            .filter_map(|(f, _)| match f {
                Field::AgreementStatus(n)
                | Field::AgreementTime(n)
                | Field::AgreementValidTo(n) => Some((f.clone(), n.clone())),
                _ => None,
            })
            .collect();
        for (field, name) in agreement_fields {
            let known = self.catalog.agreements.iter().find(|(n, _)| *n == name);
            match known {
                None if rules.existing_agreements_only => {
                    patch.keep(&field);
                    if matches!(field, Field::AgreementStatus(_)) {
                        issues.push(
                            RowIssue::field(
                                IssueCode::UnknownAgreement { name: name.clone() },
                                field.name(),
                            )
                            .as_warning(),
                        );
                    }
                }
                _ if matches!(field, Field::AgreementStatus(_)) => {
                    let time = Field::AgreementTime(name.clone());
                    if patch.value(&time).is_none() {
                        patch.set(time, Value::DateTime(self.now));
                    }
                    let valid_to = Field::AgreementValidTo(name.clone());
                    if let (None, Some((_, Some(days)))) = (patch.value(&valid_to), known) {
                        patch.set(
                            valid_to,
                            Value::DateTime(self.now + chrono::Duration::days(i64::from(*days))),
                        );
                    }
                }
                _ => {}
            }
        }
    }

    fn plan_existing(
        &self,
        row: &mut StagedRow,
        stored: Customer,
        by: &'static str,
        issues: &mut Vec<RowIssue>,
    ) -> Option<Plan> {
        let id = stored.id.unwrap_or_default();
        row.paired_by = Some(by.to_string());
        row.customer_id = stored.id;
        if let Some(required) = &self.rules().update_requires
            && row.patch.value(required).is_none()
        {
            row.status = RowStatus::Skipped;
            row.note = Some(RowNote::SkippedWithoutKey {
                customer: id,
                paired_by: by.to_string(),
                dialect: self.dialect.name().to_string(),
                required: required.name().into_owned(),
            });
            return None;
        }
        match self.on_existing {
            OnExisting::Skip => {
                row.status = RowStatus::Skipped;
                row.note = Some(RowNote::SkippedExisting {
                    customer: id,
                    paired_by: by.to_string(),
                });
                None
            }
            OnExisting::Fail => {
                issues.push(RowIssue::row(IssueCode::CustomerExists {
                    customer: id,
                    paired_by: by.to_string(),
                }));
                None
            }
            OnExisting::Update => {
                let mut after = stored.clone();
                if self.adds_shipping_address(&row.patch) {
                    after.shipping.insert(0, ShippingAddress::default());
                }
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

    /// Shoptet: delivery-address columns without `shippingGuid` add another address.
    fn adds_shipping_address(&self, patch: &CustomerPatch) -> bool {
        self.rules().new_shipping_without_guid
            && patch.get(&Field::ShippingGuid).is_none()
            && patch
                .iter()
                .any(|(f, c)| f.name().starts_with("shipping.") && matches!(c, Change::Set(_)))
    }

    fn plan_new(&self, row: &mut StagedRow, structural: bool, issues: &mut Vec<RowIssue>) -> Plan {
        let rules = self.rules();
        let mut customer = Customer::default();
        for (field, value) in rules.defaults_for_new {
            if row.patch.get(field).is_none() {
                customer.set(field, Some(value.clone()));
            }
        }
        row.changes = row
            .patch
            .apply(&mut customer)
            .into_iter()
            .map(|d| d.field.name().into_owned())
            .collect();
        for field in rules.now_if_empty_for_new {
            if customer.get(field).is_none() {
                customer.set(field, Some(Value::DateTime(self.now)));
            }
        }
        if customer.guid.is_none() && rules.pair_by.contains(&Field::Guid) {
            customer.guid = Some(uuid::Uuid::new_v4().to_string());
        }
        if !structural {
            require(
                rules.required_for_new,
                |f| customer.get(f).is_some(),
                IssueCode::MissingRequired {
                    dialect: self.dialect.name().to_string(),
                    new_only: true,
                },
                issues,
            );
        }
        row.action = Some(RowAction::New);
        Plan::Insert(Box::new(customer))
    }

    /// Reports a login or e-mail that appeared earlier in the file. Where the dialect says
    /// the first occurrence wins (CloudCart), the row is skipped instead: the returned
    /// message says why.
    fn check_duplicates(
        &self,
        line: u64,
        login: &Option<String>,
        email: &Option<String>,
        earlier: &[StagedRow],
        issues: &mut Vec<RowIssue>,
    ) -> Result<Option<RowNote>, EngineError> {
        let checks = [
            (Field::Login, login.clone().map(CustomerKey::Login)),
            (Field::Email, email.clone().map(CustomerKey::Email)),
        ];
        for (field, key) in checks {
            let Some(key) = key else { continue };
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
            let Some(first) = first else { continue };
            let value = key_text(&key);
            if self.rules().skip_repeated_in_file.contains(&field) {
                return Ok(Some(RowNote::RepeatedInFile {
                    line: first,
                    field: field.name().into_owned(),
                    value: value.to_string(),
                }));
            }
            let code = if field == Field::Login {
                IssueCode::DuplicateLogin { line: first }
            } else {
                IssueCode::DuplicateEmail { line: first }
            };
            issues.push(RowIssue::field(code, field.name()).with_value(value));
        }
        Ok(None)
    }

    /// Finds the stored customer the row pairs with, by the dialect's keys in order, and
    /// reports keys of the row that point at another customer.
    fn pair(
        &self,
        patch: &CustomerPatch,
        issues: &mut Vec<RowIssue>,
    ) -> Result<Option<(Customer, &'static str)>, EngineError> {
        let pair_by = self.rules().pair_by;
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
        let id = customer.id.unwrap_or_default();
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
            let clash = if i < index {
                stored.filter(|s| *s != key_text(&key)).map(|s| KeyClash {
                    customer: Some(id),
                    paired_by: Some(by.to_string()),
                    stored: Some(s),
                })
            } else {
                self.store
                    .find_customer(&key)?
                    .filter(|other| other.id != customer.id)
                    .map(|_| KeyClash {
                        customer: Some(id),
                        paired_by: Some(by.to_string()),
                        stored: None,
                    })
            };
            if let Some(clash) = clash {
                let code = match field {
                    Field::Guid => IssueCode::GuidTaken(clash),
                    Field::Login => IssueCode::LoginTaken(clash),
                    _ => IssueCode::EmailTaken(clash),
                };
                issues.push(RowIssue::field(code, field.name()).with_value(key_text(&key)));
            }
        }
        Ok(Some((customer, by)))
    }
}
