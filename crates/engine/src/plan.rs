//! Pairing and planning: a chunk of validated rows is paired with the stored customers
//! in one set-based read, and each row gets its plan: a new customer, an update with its
//! field-level changes, nothing to change, a skip, or a rejection. The check stores the
//! plans in the buffer; the commit applies them without evaluating the rows again.

use std::collections::HashMap;

use custio_model::{
    Customer, CustomerPatch, Field, FieldChange, IssueCode, KeyClash, RowIssue, RowNote,
    ShippingAddress, Value,
};
use custio_store::{
    CustomerKey, CustomerRow, RowAction, RowStatus, StagedRow, Stored, TakenKey, Unit,
};

use crate::OnExisting;
use crate::rules::{NewCustomer, Rules, Validated, key_of};

/// The customer a row pairs with, and the version its plan was made against.
#[derive(Clone, Debug)]
pub(crate) struct Paired {
    pub id: i64,
    pub version: i64,
    /// The field that paired the row (`guid`, `login`, `email`).
    pub by: String,
}

/// What committing a row does.
#[derive(Clone, Debug)]
pub(crate) enum Step {
    /// Nothing: the row is rejected (its issues say why).
    Reject,
    /// Nothing: the commit cannot apply the row's plan any more.
    Fail(RowIssue),
    /// Nothing: the row is left out (its note says why).
    Skip {
        note: RowNote,
        paired: Option<Paired>,
    },
    /// A new customer, with its row where it was prepared (otherwise the commit writes one
    /// from the patch).
    Insert { row: Option<CustomerRow> },
    /// The paired customer, changed.
    Update {
        paired: Paired,
        row: CustomerRow,
        changes: Vec<FieldChange>,
    },
    /// The paired customer already holds every value of the row.
    Unchanged { paired: Paired },
}

/// A row with its plan.
#[derive(Clone, Debug)]
pub(crate) struct PlannedRow {
    pub line: u64,
    pub label: String,
    pub keys: [Option<i64>; 2],
    pub record: Vec<String>,
    pub patch: CustomerPatch,
    pub issues: Vec<RowIssue>,
    pub step: Step,
}

/// How a chunk is planned.
#[derive(Clone, Copy)]
pub(crate) struct Planner<'a> {
    pub rules: &'a Rules,
    pub on_existing: OnExisting,
    pub batch: i64,
    /// Whether rows are committed as they are planned (`import --commit`): a row that
    /// pairs with a customer this batch already wrote repeats an earlier line. A check
    /// finds repeated lines afterwards, over the whole buffer.
    pub committing: bool,
    /// Whether rows are paired with the stored customers. An import into an empty base
    /// has nothing to pair with but its own rows: it skips the reads, and a row whose key
    /// an earlier row took is found when the store refuses the key
    /// ([`repeat_of`](Self::repeat_of)).
    pub pair_stored: bool,
}

fn field_label(field: &Field) -> &'static str {
    match field {
        Field::Guid => "guid",
        Field::Login => "login",
        _ => "email",
    }
}

/// The stored value of a key field, as pairing compares it.
fn key_value(customer: &Customer, field: &Field) -> Option<String> {
    customer.get(field).map(|v| match v {
        Value::Email(e) => e.key(),
        other => other.to_string(),
    })
}

fn taken(field: &Field, clash: KeyClash) -> IssueCode {
    match field {
        Field::Guid => IssueCode::GuidTaken(clash),
        Field::Login => IssueCode::LoginTaken(clash),
        _ => IssueCode::EmailTaken(clash),
    }
}

/// What becomes of a row whose login or e-mail appeared on an earlier line.
pub(crate) enum Repeat {
    /// The dialect imports the first occurrence only: the row is skipped.
    Skip(RowNote),
    /// The row is rejected.
    Reject(RowIssue),
}

impl Repeat {
    /// Records the outcome on a staged row.
    pub fn mark(self, row: &mut StagedRow) {
        match self {
            Repeat::Skip(note) => {
                row.status = RowStatus::Skipped;
                row.note = Some(note);
            }
            Repeat::Reject(issue) => {
                row.status = RowStatus::Invalid;
                row.issues.push(issue);
            }
        }
        row.action = None;
    }

    /// The planned step, adding the issue of a rejection to `issues`.
    fn step(self, issues: &mut Vec<RowIssue>) -> Step {
        match self {
            Repeat::Skip(note) => Step::Skip { note, paired: None },
            Repeat::Reject(issue) => {
                issues.push(issue);
                Step::Reject
            }
        }
    }
}

/// The repeated-key issue (or, where the dialect imports the first occurrence only, the
/// skip) of a row whose `field` appeared on line `first`.
pub(crate) fn repeated(rules: &Rules, field: &Field, value: &str, first: u64) -> Repeat {
    if rules.rules().skip_repeated_in_file.contains(field) {
        return Repeat::Skip(RowNote::RepeatedInFile {
            line: first,
            field: field.name().into_owned(),
            value: value.to_string(),
        });
    }
    let code = if *field == Field::Login {
        IssueCode::DuplicateLogin { line: first }
    } else {
        IssueCode::DuplicateEmail { line: first }
    };
    Repeat::Reject(RowIssue::field(code, field.name()).with_value(value))
}

impl Planner<'_> {
    /// Plans a chunk: one read pairs every row, then each row is planned in file order.
    pub fn plan(
        &self,
        unit: &mut dyn Unit,
        rows: Vec<Validated>,
    ) -> custio_store::Result<Vec<PlannedRow>> {
        let pair_by = self.rules.rules().pair_by;
        // The customers the rows pair with, a key at a time in the dialect's order: a row
        // that its first key pairs is not looked up by the next.
        let mut found: HashMap<CustomerKey, Stored> = HashMap::with_capacity(rows.len());
        let mut pairing: Vec<Option<usize>> = vec![None; rows.len()];
        for (index, field) in pair_by.iter().enumerate().filter(|_| self.pair_stored) {
            let (whose, keys): (Vec<usize>, Vec<CustomerKey>) = rows
                .iter()
                .enumerate()
                .filter(|(i, row)| pairing[*i].is_none() && !row.rejected())
                .filter_map(|(i, row)| key_of(field, &row.patch).map(|k| (i, k)))
                .unzip();
            if keys.is_empty() {
                continue;
            }
            let answers = unit.find(&keys)?;
            for ((i, key), stored) in whose.into_iter().zip(keys).zip(answers) {
                if let Some(stored) = stored {
                    pairing[i] = Some(index);
                    found.insert(key, stored);
                }
            }
        }
        // Who has the keys a paired row carries after the one that paired it: another
        // customer is a clash (only ids are read).
        let later: Vec<CustomerKey> = rows
            .iter()
            .zip(&pairing)
            .filter_map(|(row, index)| index.map(|index| (row, index)))
            .flat_map(|(row, index)| {
                pair_by[index + 1..]
                    .iter()
                    .filter_map(|f| key_of(f, &row.patch))
            })
            .collect();
        let owners: HashMap<CustomerKey, i64> = later
            .iter()
            .cloned()
            .zip(unit.owners(&later)?)
            .filter_map(|(k, id)| id.map(|id| (k, id)))
            .collect();
        let mut earlier: HashMap<CustomerKey, u64> = HashMap::with_capacity(2 * rows.len());
        let mut planned = Vec::with_capacity(rows.len());
        for row in rows {
            planned.push(self.plan_row(row, &found, &owners, &mut earlier));
        }
        Ok(planned)
    }

    fn plan_row(
        &self,
        row: Validated,
        found: &HashMap<CustomerKey, Stored>,
        owners: &HashMap<CustomerKey, i64>,
        earlier: &mut HashMap<CustomerKey, u64>,
    ) -> PlannedRow {
        let Validated {
            line,
            record,
            mut patch,
            mut issues,
            label,
            keys,
            new,
        } = row;
        let planned = |step, patch, issues| PlannedRow {
            line,
            label: label.clone(),
            keys,
            record: Vec::new(),
            patch,
            issues,
            step,
        };
        if issues.iter().any(|i| !i.warning) {
            let mut p = planned(Step::Reject, patch, issues);
            p.record = record;
            return p;
        }
        if self.committing
            && let Some(repeat) = self.repeated_in_chunk(&patch, line, earlier)
        {
            let step = repeat.step(&mut issues);
            let mut p = planned(step, patch, issues);
            p.record = record;
            return p;
        }
        let pair_by = self.rules.rules().pair_by;
        let paired = pair_by.iter().enumerate().find_map(|(i, field)| {
            let key = key_of(field, &patch)?;
            found.get(&key).map(|stored| (stored, field, i))
        });
        let step = match paired {
            None => {
                let new = new.unwrap_or_else(|| self.rules.new_customer(&patch, &issues));
                self.plan_new(new, &mut patch, &mut issues)
            }
            Some((stored, by, index)) => {
                if let Some(origin) = stored
                    .origin
                    .filter(|o| self.committing && o.batch == self.batch)
                    .filter(|_| matches!(by, Field::Login | Field::Email))
                {
                    let first = origin.line;
                    let value = key_of(by, &patch)
                        .map(|k| k.value().to_string())
                        .unwrap_or_default();
                    repeated(self.rules, by, &value, first).step(&mut issues)
                } else {
                    self.check_clashes(&patch, stored, index, owners, &mut issues);
                    self.plan_existing(&patch, stored, by, &mut issues)
                }
            }
        };
        let rejected = issues.iter().any(|i| !i.warning);
        let step = if rejected { Step::Reject } else { step };
        let mut p = planned(step, patch, issues);
        // A valid row's cells are what its patch says: they are not kept (the
        // rejected-rows file and the edit form write them back from the patch).
        if matches!(p.step, Step::Reject | Step::Skip { .. }) {
            p.record = record;
        }
        p
    }

    /// When the store refuses a row's key as taken: the repeat it is, if the customer that
    /// has the key was written by an earlier line of this batch.
    pub fn repeat_of(
        &self,
        unit: &mut dyn Unit,
        key: TakenKey,
        value: &str,
    ) -> custio_store::Result<Option<Repeat>> {
        let (field, key) = match key {
            TakenKey::Login => (Field::Login, CustomerKey::Login(value.to_string())),
            TakenKey::Email => (Field::Email, CustomerKey::Email(value.to_string())),
            _ => return Ok(None),
        };
        let owner = unit.find(&[key])?.pop().flatten();
        Ok(owner
            .and_then(|o| o.origin)
            .filter(|o| o.batch == self.batch)
            .map(|o| repeated(self.rules, &field, value, o.line)))
    }

    /// A login or e-mail that an earlier valid row of the same chunk had.
    fn repeated_in_chunk(
        &self,
        patch: &CustomerPatch,
        line: u64,
        earlier: &mut HashMap<CustomerKey, u64>,
    ) -> Option<Repeat> {
        let mut outcome = None;
        for field in [Field::Login, Field::Email] {
            let Some(key) = key_of(&field, patch) else {
                continue;
            };
            match earlier.get(&key) {
                Some(first) if outcome.is_none() => {
                    outcome = Some(repeated(self.rules, &field, key.value(), *first));
                }
                Some(_) => {}
                None => {
                    earlier.insert(key, line);
                }
            }
        }
        outcome
    }

    /// Keys of the row that point at another customer than the one it pairs with.
    fn check_clashes(
        &self,
        patch: &CustomerPatch,
        stored: &Stored,
        index: usize,
        owners: &HashMap<CustomerKey, i64>,
        issues: &mut Vec<RowIssue>,
    ) {
        let pair_by = self.rules.rules().pair_by;
        let by = field_label(&pair_by[index]);
        for (i, field) in pair_by.iter().enumerate() {
            let Some(key) = key_of(field, patch).filter(|_| i != index) else {
                continue;
            };
            let clash = if i < index {
                key_value(&stored.customer, field)
                    .filter(|s| s != key.value())
                    .map(|s| KeyClash {
                        customer: Some(stored.id()),
                        paired_by: Some(by.into()),
                        stored: Some(s),
                    })
            } else {
                owners
                    .get(&key)
                    .filter(|other| **other != stored.id())
                    .map(|_| KeyClash {
                        customer: Some(stored.id()),
                        paired_by: Some(by.into()),
                        stored: None,
                    })
            };
            if let Some(clash) = clash {
                issues.push(
                    RowIssue::field(taken(field, clash), field.name()).with_value(key.value()),
                );
            }
        }
    }

    fn plan_existing(
        &self,
        patch: &CustomerPatch,
        stored: &Stored,
        by: &Field,
        issues: &mut Vec<RowIssue>,
    ) -> Step {
        let rules = self.rules.rules();
        let by = field_label(by).to_string();
        let paired = Paired {
            id: stored.id(),
            version: stored.version,
            by: by.clone(),
        };
        if let Some(required) = &rules.update_requires
            && patch.value(required).is_none()
        {
            let note = RowNote::SkippedWithoutKey {
                customer: paired.id,
                paired_by: by,
                dialect: self.rules.dialect.name().to_string(),
                required: required.name().into_owned(),
            };
            return Step::Skip {
                note,
                paired: Some(paired),
            };
        }
        match self.on_existing {
            OnExisting::Skip => Step::Skip {
                note: RowNote::SkippedExisting {
                    customer: paired.id,
                    paired_by: by,
                },
                paired: Some(paired),
            },
            OnExisting::Fail => {
                issues.push(RowIssue::row(IssueCode::CustomerExists {
                    customer: paired.id,
                    paired_by: by,
                }));
                Step::Reject
            }
            OnExisting::Update => self.update(paired, patch, &stored.customer),
        }
    }

    /// The paired customer with the row applied: an update with what changed, or
    /// nothing to change.
    pub fn update(&self, paired: Paired, patch: &CustomerPatch, stored: &Customer) -> Step {
        let new_address = self.rules.adds_shipping_address(patch);
        if !new_address && !patch.changes(stored) {
            return Step::Unchanged { paired };
        }
        let mut after = stored.clone();
        if new_address {
            after.shipping.insert(0, ShippingAddress::default());
        }
        let changes = patch.apply(&mut after);
        if changes.is_empty() {
            return Step::Unchanged { paired };
        }
        Step::Update {
            paired,
            row: CustomerRow::new(&after),
            changes,
        }
    }

    /// A new customer. What the dialect gives a new customer (defaults, the import time,
    /// a guid) is written into the row's patch, so that the commit applies exactly the
    /// plan the check showed.
    fn plan_new(
        &self,
        new: NewCustomer,
        patch: &mut CustomerPatch,
        issues: &mut Vec<RowIssue>,
    ) -> Step {
        for (field, value) in new.additions {
            patch.set(field, value);
        }
        issues.extend(new.missing);
        Step::Insert { row: new.row }
    }
}

impl PlannedRow {
    /// The row as the buffer keeps it while it waits for the commit (a check).
    pub fn staged(self) -> StagedRow {
        let mut row = StagedRow {
            line: self.line,
            label: self.label,
            keys: self.keys,
            record: self.record,
            issues: self.issues,
            ..StagedRow::default()
        };
        match self.step {
            Step::Reject => row.status = RowStatus::Invalid,
            Step::Fail(issue) => {
                row.status = RowStatus::Failed;
                row.issues.push(issue);
            }
            Step::Skip { note, paired } => {
                row.status = RowStatus::Skipped;
                row.note = Some(note);
                if let Some(p) = paired {
                    row.set_paired(&p);
                }
            }
            // What a new customer gets is the patch itself: nothing more to keep.
            Step::Insert { .. } => row.action = Some(RowAction::New),
            Step::Update {
                paired, changes, ..
            } => {
                row.action = Some(RowAction::Update);
                row.set_paired(&paired);
                row.changes = changes;
            }
            Step::Unchanged { paired } => {
                row.action = Some(RowAction::Unchanged);
                row.set_paired(&paired);
            }
        }
        row.patch = Some(self.patch);
        row
    }
}

/// Records the paired customer on a staged row.
trait SetPaired {
    fn set_paired(&mut self, paired: &Paired);
}

impl SetPaired for StagedRow {
    fn set_paired(&mut self, paired: &Paired) {
        self.customer_id = Some(paired.id);
        self.version = Some(paired.version);
        self.paired_by = Some(paired.by.clone());
    }
}
