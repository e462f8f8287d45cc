# custio: English. Every message here exists in pl.ftl, cs.ftl and bg.ftl with the same
# arguments (a test checks). Numbers select plural forms: pass them as numbers.

## Navigation and accounts

customers = Customers
import = Import
import-log = Import list
jobs = Job queue
job = Job
export = Export
shops = Shops
profiles = Mapping profiles
users = Users
audit = Audit log
login = Log in
logout = Log out
username = User name
password = Password
password-again = Password again
setup = Set up custio
setup-intro = Create the first administrator. This link works once.
setup-invalid = This setup link is not valid (any more).
create-admin = Create administrator
passwords-differ = The passwords differ.
login-failed = Wrong user name or password.
login-throttled = Too many failed logins. Try again in { $minutes ->
        [one] { $minutes } minute
       *[other] { $minutes } minutes
    }.
language-switch = Language

## Customer list

search-placeholder = Login, e-mail, name, company, city
all-shops = All shops
all-groups = All customer groups
all-kinds = All types
kind-person = Person
kind-company = Company
kind-contact = Contact
gender-male = Male
gender-female = Female
yes = yes
no = no
newsletter = Newsletter
newsletter-all = Newsletter: all
newsletter-option = Newsletter: { $value }
consent-yes = yes
consent-no = no
consent-notset = not set
consent-excluded = excluded
registered-from = Registered from
registered-to = to
sort-option = Sort: { $by }
sort-id = order of arrival
sort-email = e-mail
sort-name = name
sort-registered = registration date
sort-last_order = last order
sort-ascending = ascending
sort-descending = descending
apply = Apply
reset = Reset
export-selected = Export selected customers
export-filtered = Export filtered customers
select-all = Select all
no-customers = No customer matches the filter.
first-page = First page
next-page = Next page
customers-in-base = { $count ->
        [one] { $count } customer in the base
       *[other] { $count } customers in the base
    }
choose-columns = Choose the visible columns (the current view)
save-view = Save view
col-id = ID
col-login = Login
col-email = E-mail
col-first_name = First name
col-last_name = Last name
col-company = Company
col-phone = Phone
col-street = Street
col-zip = Postcode
col-city = City
col-country = Country
col-shops = Shops
col-kind = Type
col-newsletter = Newsletter
col-registered = Registration date
col-last_order = Last order
col-groups = Customer groups
shop-default-name = Shop { $id }

## Import

file = File
format = Format
encoding = Encoding
detect = detect automatically
format-default = the format's default
encoding-utf-8 = UTF-8
encoding-utf-8-bom = UTF-8 with BOM (Excel)
encoding-windows-1250 = Windows-1250 (Central European)
encoding-windows-1251 = Windows-1251 (Cyrillic)
on-existing = Customers that already exist
on-existing-update = update them
on-existing-skip = leave them as they are
on-existing-fail = reject the row
mapping-profile = Mapping profile
no-profile = none
has-header = My file has a header row (formats where it is optional, such as CloudCart)
header-note = Nothing is written to the customers until you import the rows you choose.
check-file = Check the file
dialect-idosell = IdoSell
dialect-iof = IdoSell IOF 3.0 XML
dialect-shoptet = Shoptet
dialect-upgates = UPgates
dialect-cloudcart = CloudCart
dialect-csv = Any CSV file
dialect-xlsx = Excel sheet (XLSX)

## Jobs

kind = Kind
status = Status
progress = Progress
rate = Speed
job-rate = { $rate } per second
created = Created on
by = User
result = Result
batch = Import
batch-title = Import { $id }
job-title = Job { $id }
open-batch = Open import { $id }
download = Download
download-customers = Download ({ $count ->
        [one] { $count } customer
       *[other] { $count } customers
    })
no-jobs = No jobs yet.
job-kind-check = file check
job-kind-help_check = help with a file check
job-kind-migrate = migration from a shop
job-kind-commit = import
job-kind-export = export
job-state-queued = queued
job-state-running = running
job-state-succeeded = done
job-state-failed = failed
job-failed-check = The file could not be checked.
job-failed-commit = The import stopped.
job-failed-export = The export could not be written.
job-failed-other = The job failed.
job-failed-format = The format of the file was not recognised. Choose it on the import page.
job-resumed-check = The server stopped while this job ran; the saved file is read again into a new import.
job-resumed-commit = The server stopped while this job ran; rows already imported stay imported, the rest continues.
job-resumed-other = The server stopped while this job ran; it starts again from the beginning.
job-interrupted = The server stopped while this job ran, { $attempts ->
        [one] once
       *[other] { $attempts } times
    }; it is not started again.
technical-detail = Technical detail (in English)
actor-panel = { $user } (panel)
actor-api = { $user } (API, token { $token })
actor-cli = { $user } (command line)

## Import list and one import

imported = Imported
invalid = Invalid
skipped = Skipped
failed = Failed
rows = Rows
no-batches = No imports yet.
batch-status-checking = Being checked
batch-status-needs_mapping = Needs a column mapping
batch-status-checked = Waiting for verification
batch-status-committed = Imported
batch-status-failed = Failed
batch-replaced = Replaced by import { $id } (checked again with the column mapping).
batch-interrupted = The server stopped while this file was being checked; its check job reads the file again into a new import.
batch-unreadable = The file could not be read.
batch-new-shop = Shop { $id } does not exist yet; the import creates it as “{ $name }”. You can rename it under Shops.
batch-ignored-columns = { $format } ignores the columns it does not know, as the platform does: { $columns }
batch-counts = Rows: { $rows } · to import: { $pending } (new: { $new }, to update: { $update }, unchanged: { $unchanged }) · invalid: { $invalid } · skipped: { $skipped } · imported: { $imported } · failed: { $failed }
mapping-title = Unknown columns
mapping-intro = The file has columns custio does not know. Map each to a free field, or ignore it; the file is then checked again.
column = Column
column-number = column { $number }
columns = Columns
map-to = Field in custio
suggested = { $field } (suggested)
ignore-column = ignore this column
choose-mapping = choose what this column holds…
save-profile-as = Save as mapping profile
optional = optional
apply-mapping = Map and check again
not-imported = Customers not imported
imported-list = Customers imported
batch-log = Log
tab-count = { $name } ({ $count })
show-all-rows = Show all rows
only-invalid = Only invalid rows
download-rejected = Download rejected rows
import-selected = Import selected customers
skip-selected = Skip selected customers
import-all-valid = Import all valid customers
line = Line
customer = Customer
will-do = Action
edit = Edit
errors = Errors
new-value = new value
save = Save
edit-failed = The change was not saved.
action-new = new customer
action-update = update
action-unchanged = no change
paired-by = { $key ->
        [guid] paired by GUID
        [login] paired by login
        [email] paired by e-mail
       *[other] paired by { $key }
    }
changes = Changes: { $fields }
row-status-pending = valid
row-status-invalid = invalid
row-status-skipped = skipped
row-status-imported = imported
row-status-failed = failed
no-rows = No rows here.
notified = Customer informed about the account
not-notified = not yet
reason = Reason
log-empty = No row was skipped or failed.
customer-id = Customer ID
confirm-title = Check before import
confirm-intro = You can still correct these customers' data before they are imported.
dont-ask-again = Don't ask me for confirmation again
confirm-import = Import
skip = Skip

## Export

which-customers = Which customers to export
scope-all = all customers
scope-filtered = the filtered ones
scope-selected = the selected ones ({ $count })
filter-search = search
filter-shop = shop
filter-group = customer group
filter-kind = type
filter-newsletter = newsletter
filter-registered_from = registered from
filter-registered_to = registered until
filter-pair = { $name }: { $value }
kind-full = all data
kind-view = data of the current view
kind-legacy = all data, old format (Polish headers)
options = Options
excel-safe = Safe for Excel (cells that look like formulas are neutralised)
with-hashes = Include password hashes
confirm-hashes = I confirm that password hashes may leave the system (recorded in the audit log)
start-export = Export

## Shops, profiles, users, audit

id = ID
name = Name
url = Address (URL)
language = Language
add-or-rename-shop = Add or rename a shop
no-profiles = No mapping profiles yet; save one on the mapping screen.
ignored-columns = Ignored columns
delete = Delete
role = Role
role-admin = administrator
role-staff = staff
add-user = Add a user
change-password = Change my password
current-password = Current password
new-password = New password
api-tokens = My API tokens
last-used = Last used
never = never
revoke = Revoke
create-token = Create token
token-once = Copy the new token now; it is not shown again:
password-changed = Password changed; other sessions were logged out.
user-added = User added.
time = Time
action = Action
detail = Detail
audit-empty = Nothing recorded yet.
audit-customer_created = customer created
audit-customer_updated = customer changed
audit-customer_deleted = customer deleted
audit-shop_saved = shop saved
audit-user_created = user added
audit-password_changed = password changed
audit-token_created = API token created
audit-token_revoked = API token revoked
audit-export_with_password_hashes = export with password hashes
audit-export_downloaded = export file downloaded
audit-export_with_password_hashes_downloaded = export with password hashes downloaded
audit-rejected_downloaded = rejected rows downloaded
detail-customer = customer { $id }
detail-user = user { $name }
detail-shop = shop { $name }
detail-token = token { $name }
detail-format = format { $name }
detail-search = search “{ $value }”
detail-job = job { $id }
detail-file = file { $name }
detail-batch = import { $id }
language-name = { $code ->
        [pl] Polish
        [cs] Czech
        [sk] Slovak
        [bg] Bulgarian
        [en] English
        [de] German
        [hu] Hungarian
        [ro] Romanian
        [uk] Ukrainian
        [lt] Lithuanian
        [sl] Slovenian
        [hr] Croatian
        [it] Italian
        [fr] French
        [es] Spanish
       *[other] { $code }
    }

## Errors

error = Error
error-back = Back to the panel
error-unauthenticated = Please log in first.
error-forbidden = Your role does not allow this.
error-csrf_failed = The form has expired. Open the page again and repeat.
error-not_found = This does not exist (any more).
error-invalid_request = Something in the form is not valid.
error-conflict = This name or key is taken already.
error-not_allowed = This is not possible in the current state of the import.
error-too_many_attempts = Too many attempts; wait a few minutes.
error-too_large = The file is larger than the { $mb } MB this server takes.
error-internal = Something went wrong on the server. The details are in the server log.
error-choose-file = Choose a file to import.
error-empty-file = The file is empty.
error-select-customers = Select customers first.
error-shop-id = A shop's ID is a number above 0.
error-shop-name = A shop needs a name.
error-current-password = The current password is wrong.
error-password-short = The password needs at least { $count ->
        [one] { $count } character
       *[other] { $count } characters
    }.
error-username = A user name needs 1 to 64 characters.
error-user-exists = A user of that name exists already.

## Customer fields (mapping and edit lists, changes of a row)

field-guid = GUID
field-login = Login
field-email = E-mail
field-code = Customer code
field-kind = Customer type
field-gender = Gender
field-degree = Title
field-first-name = First name
field-last-name = Last name
field-full-name = Full name
field-nickname = Nickname
field-company-name = Company name
field-company-company-number = Company registration number
field-company-vat-id = VAT ID
field-company-tax-id = Tax ID
field-company-vat-payer = VAT payer
field-phone = Phone
field-phone2 = Second phone
field-fax = Fax
field-billing-full-name = Billing address: name
field-billing-company = Billing address: company
field-billing-street = Billing address: street
field-billing-house-number = Billing address: house number
field-billing-city = Billing address: city
field-billing-district = Billing address: district
field-billing-zip = Billing address: postcode
field-billing-country = Billing address: country
field-language = Language
field-shops = Shops
field-wholesaler = Wholesaler
field-groups = Customer groups
field-pricelist = Price list
field-discount-pct = Discount (%)
field-loyalty-points = Loyalty points
field-balance = Balance
field-balance-limit = Balance limit
field-active = Active
field-blocked = Blocked
field-email-verified = E-mail verified
field-newsletter-email = E-mail newsletter
field-newsletter-email-shops = E-mail newsletter: shops
field-newsletter-sms = SMS newsletter
field-newsletter-sms-shops = SMS newsletter: shops
field-registered-at = Registration date
field-last-login-at = Last login
field-last-order-at = Last order
field-shipping = Delivery addresses
field-note = Note
field-tags = Tags
field-agreements = Consents
field-password = Password
field-shipping-guid = Delivery address: GUID
field-shipping-full-name = Delivery address: name
field-shipping-company = Delivery address: company
field-shipping-street = Delivery address: street
field-shipping-house-number = Delivery address: house number
field-shipping-city = Delivery address: city
field-shipping-district = Delivery address: district
field-shipping-zip = Delivery address: postcode
field-shipping-country = Delivery address: country
field-shipping-phone = Delivery address: phone
field-custom = Custom field: { $key }
field-stat = Statistic: { $key }
field-extra = { $format } column: { $column }
field-extra-other = Other column: { $key }
field-agreement-status = Consent: { $key }
field-agreement-time = Consent given on: { $key }
field-agreement-valid-to = Consent valid until: { $key }

## Row issues (custio_model::IssueCode) and row results (RowNote). A message starts in
## lower case where a word begins it: the code puts it after "Column …:" or capitalises it.

issue-in-column = Column “{ $column }”: { $message }
issue-warning = Warning: { $message }
word-or = or
key-name = { $key ->
        [login] login
        [email] e-mail
        [guid] GUID
       *[other] { $key }
    }
issue-invalid_email = “{ $value }” is not a valid e-mail address; write it as name@domain, e.g. jan@example.pl
issue-invalid_phone = “{ $value }” is not a phone number; use digits with an optional leading +, e.g. +48123456789
issue-invalid_country = “{ $value }” is not a country; use a code such as PL or CZ, or the country's name
issue-invalid_language = “{ $value }” is not a language; use a code such as pl or pol
issue-invalid_date = “{ $value }” is not a date in the expected format { $expected }
issue-invalid_number = “{ $value }” is not a number; use digits with a decimal point or comma, e.g. 12.50
issue-invalid_integer = “{ $value }” is not a whole number
issue-invalid_choice = “{ $value }” is not allowed here; allowed values: { $allowed }
issue-invalid_shop_ids = “{ $value }” is not a list of shop IDs; write the IDs separated by commas without spaces, e.g. 1,2,3
issue-too_long = the value is { $len ->
        [one] { $len } character
       *[other] { $len } characters
    } long; at most { $max } allowed
issue-control_character = “{ $value }” holds the character { $character }, which no customer value may hold; remove it
issue-invalid_blank = “{ $value }” must not contain spaces or line breaks
issue-too_many_cells = cells in the row: { $cells }, in the header: { $expected }; a value probably contains a separator without quotes
issue-too_few_cells = cells in the row: { $cells }, in the header: { $expected }; cells are missing or the row was split
issue-broken_quote = cells in the row: { $cells }, in the header: { $expected }, and a quoted cell runs over several lines; a quote (") is probably not closed
issue-unmappable_character = the character “{ $value }” ({ $codepoint }) cannot be written in { $encoding }; choose UTF-8 or change the value
issue-missing_required = the field “{ $field }” is required in every { $dialect } row; fill it in
issue-missing_required_new = the field “{ $field }” is required for a new { $dialect } customer; fill it in
issue-missing_email = the row has no e-mail address; { $dialect } needs one in every row, so the row is skipped
issue-missing_identity = the row has none of these fields: { $fields }; fill in at least one of them
issue-unknown_pricelist = the price list “{ $name }” does not exist, so it is not applied
issue-unknown_group = these customer groups do not exist and are not created: { $names }
issue-unknown_agreement = the consent “{ $name }” does not exist, so it is ignored
issue-customer_exists = customer { $customer } already exists ({ $paired }), and existing customers are set to be rejected
issue-duplicate_login = the login “{ $value }” already appears on line { $line }; each customer may appear in the file once
issue-duplicate_email = the e-mail “{ $value }” already appears on line { $line }; each customer may appear in the file once
issue-taken-stored = the row's { $by } belongs to customer { $customer }, whose { $key } is “{ $stored }”, not “{ $value }”; correct the row or the customer
issue-taken-paired = the row pairs with customer { $customer } ({ $paired }), but its { $key } “{ $value }” belongs to another customer; correct one of them
issue-taken = the { $key } “{ $value }” is already used by another customer
issue-changed_since_check = customer { $customer } was changed after the check; check the file again to compare the row with the customer as it is now
note-created = created customer { $customer }
note-updated = updated customer { $customer }
note-unchanged = customer { $customer } already had these data
note-skipped_by_user = skipped by the user
note-skipped_existing = customer { $customer } exists ({ $paired }); skipped because existing customers are set to be left as they are
note-skipped_without_key = customer { $customer } already has this { $by }, but the row has no { $required }; { $dialect } updates a customer only by its { $required }, so the row is skipped
note-repeated_in_file = the { $key } “{ $value }” already appears on line { $line }; only the first occurrence is imported
