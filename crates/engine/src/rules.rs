//! Validation: a dialect's import rules ([`ImportRules`], data) applied to one parsed row,
//! with what the shop has (pricelists, groups, agreements) loaded once. Nothing here
//! reads customers: this runs on the parsing thread, pairing runs on the writing one.

use chrono::{Local, Timelike};
use custio_formats::{Dialect, ImportRules, SourceRow};
use custio_model::{Change, Customer, CustomerPatch, DateTime, Field, IssueCode, RowIssue, Value};
use custio_store::{CatalogStore, CustomerKey, CustomerRow};

use crate::EngineError;

/// What the shop has that rows are checked against.
struct Catalog {
    pricelists: Vec<String>,
    agreements: Vec<(String, Option<u32>)>,
    groups: Vec<String>,
}

/// A row after validation: what it sets, what is wrong with it, and its record.
#[derive(Clone, Debug)]
pub(crate) struct Validated {
    pub line: u64,
    /// The row's cells as read.
    pub record: Vec<String>,
    pub patch: CustomerPatch,
    pub issues: Vec<RowIssue>,
    /// A short label for listings (see [`label`]).
    pub label: String,
    /// The login and e-mail hashes (see [`row_keys`]).
    pub keys: [Option<i64>; 2],
    /// The customer the row creates if it pairs with none, prepared on the parsing thread
    /// (which has time to spare) so that the writing thread only decides.
    pub new: Option<NewCustomer>,
}

/// What a row makes of a new customer: the customer as the store writes it, what the
/// dialect adds to the row for it (defaults, the import time, a guid), which the plan
/// writes into the patch, and the fields a new customer lacks.
#[derive(Clone, Debug)]
pub(crate) struct NewCustomer {
    /// The row (when rows are written: a check does not need it).
    pub row: Option<CustomerRow>,
    pub additions: Vec<(Field, Value)>,
    pub missing: Vec<RowIssue>,
}

impl Validated {
    /// Whether an issue (not a mere warning) rejects the row.
    pub fn rejected(&self) -> bool {
        self.issues.iter().any(|i| !i.warning)
    }

    /// Whether the row's cells do not line up with the header.
    pub fn structural(&self) -> bool {
        self.issues.iter().any(RowIssue::is_structural)
    }
}

/// A dialect's rules and the shop's catalogue, ready to validate rows.
pub(crate) struct Rules {
    pub dialect: &'static dyn Dialect,
    catalog: Catalog,
    /// The time an import stamps (consents given without a time, new customers without a
    /// registration date).
    pub now: DateTime,
    /// Whether validation prepares new customers as the store writes them (an import that
    /// commits as it reads; a check only plans).
    pub writes_customers: bool,
}

/// The key of `field` in `patch`, when the row sets it.
pub(crate) fn key_of(field: &Field, patch: &CustomerPatch) -> Option<CustomerKey> {
    match (field, patch.value(field)?) {
        (Field::Guid, Value::Text(g)) => Some(CustomerKey::Guid(g.clone())),
        (Field::Login, Value::Text(l)) => Some(CustomerKey::Login(l.clone())),
        (Field::Email, Value::Email(e)) => Some(CustomerKey::Email(e.key())),
        _ => None,
    }
}

/// A stable 64-bit hash (FNV-1a) of a key: the buffer finds repeated logins and e-mails
/// through it (candidates are compared by their real keys afterwards).
pub(crate) fn key_hash(key: &str) -> i64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in key.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h as i64
}

/// The login and e-mail hashes of a row, as the buffer keeps them.
pub(crate) fn row_keys(patch: &CustomerPatch) -> [Option<i64>; 2] {
    [Field::Login, Field::Email].map(|f| key_of(&f, patch).map(|k| key_hash(k.value())))
}

/// A short label for listings: the name, else the company, the e-mail or the login.
pub(crate) fn label(patch: &CustomerPatch) -> String {
    let text = |f: Field| match patch.value(&f) {
        Some(Value::Text(t)) => Some(t.clone()),
        Some(Value::Email(e)) => Some(e.to_string()),
        _ => None,
    };
    let name: Vec<String> = [Field::FirstName, Field::LastName]
        .into_iter()
        .filter_map(text)
        .collect();
    if !name.is_empty() {
        return name.join(" ");
    }
    [
        Field::FullName,
        Field::CompanyName,
        Field::Email,
        Field::Login,
    ]
    .into_iter()
    .find_map(text)
    .unwrap_or_default()
}

/// An issue for each of `fields` that `has` says is missing, unless the row already has
/// an issue about that field (an invalid value is not also "missing").
fn missing(
    fields: &[Field],
    has: impl Fn(&Field) -> bool,
    code: IssueCode,
    issues: &[RowIssue],
) -> Vec<RowIssue> {
    fields
        .iter()
        .filter(|field| {
            let name = field.name();
            !has(field) && !issues.iter().any(|i| i.field.as_deref() == Some(&name))
        })
        .map(|field| RowIssue::field(code.clone(), field.name()))
        .collect()
}

/// Issues that validation and pairing decide (rather than the reading of a cell).
fn decided_by_rules(code: &IssueCode) -> bool {
    matches!(
        code,
        IssueCode::MissingRequired { .. }
            | IssueCode::MissingIdentity { .. }
            | IssueCode::CustomerExists { .. }
            | IssueCode::DuplicateLogin { .. }
            | IssueCode::DuplicateEmail { .. }
            | IssueCode::LoginTaken(_)
            | IssueCode::EmailTaken(_)
            | IssueCode::GuidTaken(_)
            | IssueCode::ChangedSinceCheck { .. }
    )
}

impl Rules {
    pub fn new(
        catalog: &dyn CatalogStore,
        dialect: &'static dyn Dialect,
    ) -> Result<Self, EngineError> {
        let catalog = Catalog {
            pricelists: catalog.pricelists()?,
            agreements: catalog
                .agreements()?
                .into_iter()
                .map(|a| (a.name, a.validity_days))
                .collect(),
            groups: catalog.groups()?,
        };
        let now = Local::now().naive_local();
        let now = now.with_nanosecond(0).unwrap_or(now);
        Ok(Self {
            dialect,
            catalog,
            now,
            writes_customers: false,
        })
    }

    pub fn rules(&self) -> &'static ImportRules {
        self.dialect.rules()
    }

    /// Validates a parsed row.
    pub fn validate(&self, source: SourceRow) -> Validated {
        let mut row = Validated {
            line: source.line,
            record: source.cells,
            patch: source.patch,
            issues: source.issues,
            label: String::new(),
            keys: [None; 2],
            new: None,
        };
        self.revalidate(&mut row);
        if !row.rejected() {
            row.new = Some(self.new_customer(&row.patch, &row.issues));
        }
        row
    }

    /// Applies the rules to a row (again, after an edit): issues that the rules and pairing
    /// decide are dropped and decided anew; issues of cells and catalogue warnings stay.
    pub fn revalidate(&self, row: &mut Validated) {
        row.issues.retain(|i| !decided_by_rules(&i.code));
        row.label = label(&row.patch);
        row.keys = row_keys(&row.patch);
        let rules = self.rules();
        for issue in &mut row.issues {
            if issue
                .field
                .as_deref()
                .is_some_and(|f| rules.warn_invalid.iter().any(|w| w.name() == f))
            {
                issue.warning = true;
            }
        }
        if !row.structural() {
            self.check_required(&row.patch, &mut row.issues);
        }
        self.apply_catalog(&mut row.patch, &mut row.issues);
    }

    fn check_required(&self, patch: &CustomerPatch, issues: &mut Vec<RowIssue>) {
        let rules = self.rules();
        // A key that is there but unreadable has its own issue: the row is not keyless.
        let there = |f: &Field| {
            patch.value(f).is_some() || issues.iter().any(|i| i.field.as_deref() == Some(&f.name()))
        };
        if !rules.identity.is_empty() && !rules.identity.iter().any(there) {
            let fields = rules
                .identity
                .iter()
                .map(|f| f.name().into_owned())
                .collect();
            issues.push(RowIssue::row(IssueCode::MissingIdentity { fields }));
        }
        let code = IssueCode::MissingRequired {
            dialect: self.dialect.name().to_string(),
            new_only: false,
        };
        let lacking = missing(rules.required, |f| patch.value(f).is_some(), code, issues);
        issues.extend(lacking);
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

    /// The customer a row creates when it pairs with none: the dialect's defaults for a new
    /// customer, the row, the import time where the dialect wants one, a guid where the
    /// dialect pairs by guid.
    pub fn new_customer(&self, patch: &CustomerPatch, issues: &[RowIssue]) -> NewCustomer {
        let rules = self.rules();
        let mut additions = Vec::new();
        let mut customer = Customer::default();
        for (field, value) in rules.defaults_for_new {
            if patch.get(field).is_none() {
                customer.set(field, Some(value.clone()));
                additions.push((field.clone(), value.clone()));
            }
        }
        patch.write_to(&mut customer);
        for field in rules.now_if_empty_for_new {
            if customer.get(field).is_none() {
                let now = Value::DateTime(self.now);
                customer.set(field, Some(now.clone()));
                additions.push((field.clone(), now));
            }
        }
        if customer.guid.is_none() && rules.pair_by.contains(&Field::Guid) {
            let guid = uuid::Uuid::new_v4().to_string();
            customer.guid = Some(guid.clone());
            additions.push((Field::Guid, Value::Text(guid)));
        }
        let lacking = if issues.iter().any(RowIssue::is_structural) {
            Vec::new()
        } else {
            let code = IssueCode::MissingRequired {
                dialect: self.dialect.name().to_string(),
                new_only: true,
            };
            let has = |f: &Field| customer.get(f).is_some();
            missing(rules.required_for_new, has, code, issues)
        };
        NewCustomer {
            row: self.writes_customers.then(|| CustomerRow::new(&customer)),
            additions,
            missing: lacking,
        }
    }

    /// Shoptet: delivery-address columns without `shippingGuid` add another address.
    pub fn adds_shipping_address(&self, patch: &CustomerPatch) -> bool {
        self.rules().new_shipping_without_guid
            && patch.get(&Field::ShippingGuid).is_none()
            && patch
                .iter()
                .any(|(f, c)| f.name().starts_with("shipping.") && matches!(c, Change::Set(_)))
    }
}
