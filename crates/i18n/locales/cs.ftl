# custio: čeština. Slovník administrace Shoptetu a UPgates (glossary.md). Čísla vybírají
# tvar: one (1), few (2–4), many (desetinná čísla), other (0, 5 a více).

## Navigation and accounts

customers = Zákazníci
import = Import
import-log = Importy
jobs = Fronta úloh
job = Úloha
export = Export
shops = E-shopy
profiles = Profily mapování
users = Uživatelé
audit = Auditní záznamy
login = Přihlásit se
logout = Odhlásit
username = Uživatelské jméno
password = Heslo
password-again = Heslo znovu
setup = Nastavení custio
setup-intro = Vytvořte prvního správce. Tento odkaz funguje jen jednou.
setup-invalid = Tento odkaz pro nastavení již neplatí.
create-admin = Vytvořit správce
passwords-differ = Hesla se liší.
login-failed = Nesprávné uživatelské jméno nebo heslo.
login-throttled = Příliš mnoho neúspěšných přihlášení. Zkuste to znovu za { $minutes ->
        [one] { $minutes } minutu
        [few] { $minutes } minuty
        [many] { $minutes } minuty
       *[other] { $minutes } minut
    }.
language-switch = Jazyk

## Customer list

search-placeholder = Login, e-mail, jméno, firma, město
all-shops = Všechny e-shopy
all-groups = Všechny zákaznické skupiny
all-kinds = Všechny typy
kind-person = Fyzická osoba
kind-company = Firma
kind-contact = Kontakt
gender-male = Muž
gender-female = Žena
yes = ano
no = ne
newsletter = Newsletter
newsletter-all = Newsletter: vše
newsletter-option = Newsletter: { $value }
consent-yes = přihlášen
consent-no = odhlášen
consent-notset = není nastaveno
consent-excluded = vyřazen
registered-from = Registrováni od
registered-to = do
sort-option = Řadit: { $by }
sort-id = pořadí přidání
sort-email = e-mail
sort-name = jméno
sort-registered = datum registrace
sort-last_order = poslední objednávka
sort-ascending = vzestupně
sort-descending = sestupně
apply = Použít
reset = Zrušit filtry
export-selected = Exportovat vybrané zákazníky
export-filtered = Exportovat vyfiltrované zákazníky
select-all = Vybrat vše
no-customers = Filtru neodpovídá žádný zákazník.
first-page = První strana
next-page = Další strana
customers-in-base = { $count ->
        [one] { $count } zákazník v databázi
        [few] { $count } zákazníci v databázi
        [many] { $count } zákazníka v databázi
       *[other] { $count } zákazníků v databázi
    }
choose-columns = Zvolte viditelné sloupce (aktuální pohled)
save-view = Uložit pohled
col-id = ID
col-login = Login
col-email = E-mail
col-first_name = Jméno
col-last_name = Příjmení
col-company = Firma
col-phone = Telefon
col-street = Ulice
col-zip = PSČ
col-city = Město
col-country = Země
col-shops = E-shopy
col-kind = Typ
col-newsletter = Newsletter
col-registered = Datum registrace
col-last_order = Poslední objednávka
col-groups = Zákaznické skupiny
shop-default-name = E-shop { $id }

## Import

file = Soubor
format = Formát
encoding = Kódování
detect = automaticky
format-default = výchozí pro formát
encoding-utf-8 = UTF-8
encoding-utf-8-bom = UTF-8 s BOM (Excel)
encoding-windows-1250 = Windows-1250 (středoevropské)
encoding-windows-1251 = Windows-1251 (cyrilice)
on-existing = Zákazníci, kteří již existují
on-existing-update = aktualizovat jejich údaje
on-existing-skip = ponechat beze změny
on-existing-fail = odmítnout řádek
mapping-profile = Profil mapování
no-profile = žádný
has-header = Můj soubor má řádek záhlaví (u formátů, kde je volitelný, např. CloudCart)
header-note = Do databáze zákazníků se nic nezapíše, dokud neimportujete vybrané řádky.
check-file = Zkontrolovat soubor
dialect-idosell = IdoSell
dialect-iof = IdoSell IOF 3.0 XML
dialect-shoptet = Shoptet
dialect-upgates = UPgates
dialect-cloudcart = CloudCart
dialect-csv = Libovolný soubor CSV
dialect-xlsx = Tabulka Excel (XLSX)

## Jobs

kind = Druh
status = Stav
progress = Průběh
rate = Rychlost
job-rate = { $rate } za sekundu
created = Datum vytvoření
by = Uživatel
result = Výsledek
batch = Import
batch-title = Import { $id }
job-title = Úloha { $id }
open-batch = Otevřít import { $id }
download = Stáhnout
download-customers = Stáhnout ({ $count ->
        [one] { $count } zákazník
        [few] { $count } zákazníci
        [many] { $count } zákazníka
       *[other] { $count } zákazníků
    })
no-jobs = Zatím žádné úlohy.
job-kind-check = kontrola souboru
job-kind-help_check = pomoc s kontrolou souboru
job-kind-migrate = migrace z obchodu
job-kind-commit = import
job-kind-export = export
job-state-queued = ve frontě
job-state-running = běží
job-state-succeeded = hotovo
job-state-failed = selhala
job-failed-check = Soubor se nepodařilo zkontrolovat.
job-failed-commit = Import se přerušil.
job-failed-export = Export se nepodařilo zapsat.
job-failed-other = Úloha selhala.
job-failed-format = Formát souboru nebyl rozpoznán. Vyberte ho na stránce importu.
job-resumed-check = Server se během této úlohy zastavil; uložený soubor se načte znovu do nového importu.
job-resumed-commit = Server se během této úlohy zastavil; již importované řádky zůstávají, zbytek pokračuje.
job-resumed-other = Server se během této úlohy zastavil; úloha začíná znovu od začátku.
job-interrupted = Server se během této úlohy zastavil { $attempts ->
        [one] jednou
        [few] { $attempts }krát
        [many] { $attempts }krát
       *[other] { $attempts }krát
    }; znovu se už nespustí.
technical-detail = Technické podrobnosti (anglicky)
actor-panel = { $user } (administrace)
actor-api = { $user } (API, token { $token })
actor-cli = { $user } (příkazový řádek)

## Import list and one import

imported = Importováno
invalid = Chybné
skipped = Přeskočené
failed = Selhalo
rows = Řádky
no-batches = Zatím žádné importy.
batch-status-checking = Kontroluje se
batch-status-needs_mapping = Vyžaduje mapování sloupců
batch-status-checked = Čeká na ověření
batch-status-committed = Importován
batch-status-failed = Selhal
batch-replaced = Nahrazen importem { $id } (znovu zkontrolován s mapováním sloupců).
batch-interrupted = Server se zastavil během kontroly tohoto souboru; úloha kontroly načte soubor znovu do nového importu.
batch-unreadable = Soubor se nepodařilo přečíst.
batch-new-shop = E-shop { $id } zatím neexistuje; import ho vytvoří jako „{ $name }“. Přejmenovat ho můžete v části E-shopy.
batch-ignored-columns = { $format } ignoruje sloupce, které nezná, stejně jako platforma: { $columns }
batch-counts = Řádky: { $rows } · k importu: { $pending } (noví: { $new }, k aktualizaci: { $update }, beze změny: { $unchanged }) · chybné: { $invalid } · přeskočené: { $skipped } · importované: { $imported } · selhalo: { $failed }
mapping-title = Neznámé sloupce
mapping-intro = Soubor obsahuje sloupce, které custio nezná. Přiřaďte každý k volnému poli nebo ho ignorujte; soubor se pak zkontroluje znovu.
column = Sloupec
column-number = sloupec { $number }
columns = Sloupce
map-to = Pole v custio
suggested = { $field } (navrženo)
ignore-column = ignorovat tento sloupec
choose-mapping = vyberte, co tento sloupec obsahuje…
save-profile-as = Uložit jako profil mapování
optional = nepovinné
apply-mapping = Namapovat a zkontrolovat znovu
not-imported = Neimportovaní zákazníci
imported-list = Importovaní zákazníci
batch-log = Log
tab-count = { $name } ({ $count })
show-all-rows = Zobrazit všechny řádky
only-invalid = Jen chybné řádky
download-rejected = Stáhnout odmítnuté řádky
import-selected = Importovat vybrané zákazníky
skip-selected = Přeskočit vybrané zákazníky
import-all-valid = Importovat všechny platné zákazníky
line = Řádek
customer = Zákazník
will-do = Akce
edit = Upravit
errors = Chyby
new-value = nová hodnota
save = Uložit
edit-failed = Změna nebyla uložena.
action-new = nový zákazník
action-update = aktualizace
action-unchanged = beze změny
paired-by = { $key ->
        [guid] spárováno podle GUID
        [login] spárováno podle loginu
        [email] spárováno podle e-mailu
       *[other] spárováno podle pole { $key }
    }
changes = Změny: { $fields }
row-status-pending = platný
row-status-invalid = chybný
row-status-skipped = přeskočen
row-status-imported = importován
row-status-failed = selhal
no-rows = Žádné řádky.
notified = Zákazník informován o založení účtu
not-notified = zatím ne
reason = Důvod
log-empty = Žádný řádek nebyl přeskočen ani neselhal.
customer-id = ID zákazníka
confirm-title = Kontrola před importem
confirm-intro = Údaje těchto zákazníků můžete před importem ještě opravit.
dont-ask-again = Příště se neptat na potvrzení
confirm-import = Importovat
skip = Přeskočit

## Export

which-customers = Které zákazníky exportovat
scope-all = všechny zákazníky
scope-filtered = vyfiltrované
scope-selected = vybrané ({ $count })
filter-search = hledání
filter-shop = e-shop
filter-group = zákaznická skupina
filter-kind = typ
filter-newsletter = newsletter
filter-registered_from = registrováni od
filter-registered_to = registrováni do
filter-pair = { $name }: { $value }
kind-full = všechna data
kind-view = data podle aktuálního pohledu
kind-legacy = všechna data, starý formát (polská záhlaví)
options = Možnosti
excel-safe = Bezpečné pro Excel (buňky, které vypadají jako vzorce, budou neutralizovány)
with-hashes = Zahrnout hashe hesel
confirm-hashes = Potvrzuji, že hashe hesel mohou opustit systém (zaznamená se do auditních záznamů)
start-export = Exportovat

## Shops, profiles, users, audit

id = ID
name = Název
url = Adresa (URL)
language = Jazyk
add-or-rename-shop = Přidat nebo přejmenovat e-shop
no-profiles = Zatím žádné profily mapování; uložte profil na obrazovce mapování.
ignored-columns = Ignorované sloupce
delete = Smazat
role = Role
role-admin = správce
role-staff = pracovník
add-user = Přidat uživatele
change-password = Změnit moje heslo
current-password = Současné heslo
new-password = Nové heslo
api-tokens = Moje tokeny API
last-used = Naposledy použit
never = nikdy
revoke = Zrušit
create-token = Vytvořit token
token-once = Zkopírujte nový token nyní; znovu se nezobrazí:
password-changed = Heslo změněno; ostatní relace byly odhlášeny.
user-added = Uživatel přidán.
time = Čas
action = Akce
detail = Podrobnosti
audit-empty = Zatím nic nezaznamenáno.
audit-customer_created = zákazník vytvořen
audit-customer_updated = zákazník změněn
audit-customer_deleted = zákazník smazán
audit-shop_saved = e-shop uložen
audit-user_created = uživatel přidán
audit-password_changed = heslo změněno
audit-token_created = token API vytvořen
audit-token_revoked = token API zrušen
audit-export_with_password_hashes = export s hashi hesel
audit-export_downloaded = stažen soubor exportu
audit-export_with_password_hashes_downloaded = stažen export s hashi hesel
audit-rejected_downloaded = staženy odmítnuté řádky
detail-customer = zákazník { $id }
detail-user = uživatel { $name }
detail-shop = e-shop { $name }
detail-token = token { $name }
detail-format = formát { $name }
detail-search = hledání „{ $value }“
detail-job = úloha { $id }
detail-file = soubor { $name }
detail-batch = import { $id }
language-name = { $code ->
        [pl] polština
        [cs] čeština
        [sk] slovenština
        [bg] bulharština
        [en] angličtina
        [de] němčina
        [hu] maďarština
        [ro] rumunština
        [uk] ukrajinština
        [lt] litevština
        [sl] slovinština
        [hr] chorvatština
        [it] italština
        [fr] francouzština
        [es] španělština
       *[other] { $code }
    }

## Errors

error = Chyba
error-back = Zpět do administrace
error-unauthenticated = Nejprve se přihlaste.
error-forbidden = Vaše role to nedovoluje.
error-csrf_failed = Platnost formuláře vypršela. Otevřete stránku znovu a akci zopakujte.
error-not_found = Toto neexistuje (už).
error-invalid_request = Něco ve formuláři není platné.
error-conflict = Tento název nebo klíč je již obsazen.
error-not_allowed = V současném stavu importu to není možné.
error-too_many_attempts = Příliš mnoho pokusů; počkejte několik minut.
error-too_large = Soubor je větší než { $mb } MB, které tento server přijímá.
error-internal = Na serveru došlo k chybě. Podrobnosti jsou v logu serveru.
error-choose-file = Vyberte soubor k importu.
error-empty-file = Soubor je prázdný.
error-select-customers = Nejprve vyberte zákazníky.
error-shop-id = ID e-shopu je číslo větší než 0.
error-shop-name = E-shop musí mít název.
error-current-password = Současné heslo není správné.
error-password-short = Heslo musí mít alespoň { $count ->
        [one] { $count } znak
        [few] { $count } znaky
        [many] { $count } znaku
       *[other] { $count } znaků
    }.
error-username = Uživatelské jméno musí mít 1 až 64 znaků.
error-user-exists = Uživatel s tímto jménem již existuje.

## Customer fields (mapping and edit lists, changes of a row)

field-guid = GUID
field-login = Login
field-email = E-mail
field-code = Kód zákazníka
field-kind = Typ zákazníka
field-gender = Pohlaví
field-degree = Titul
field-first-name = Jméno
field-last-name = Příjmení
field-full-name = Celé jméno
field-nickname = Přezdívka
field-company-name = Název firmy
field-company-company-number = IČ
field-company-vat-id = DIČ
field-company-tax-id = Daňové číslo
field-company-vat-payer = Plátce DPH
field-phone = Telefon
field-phone2 = Druhý telefon
field-fax = Fax
field-billing-full-name = Fakturační adresa: jméno
field-billing-company = Fakturační adresa: firma
field-billing-street = Fakturační adresa: ulice
field-billing-house-number = Fakturační adresa: číslo popisné
field-billing-city = Fakturační adresa: město
field-billing-district = Fakturační adresa: část obce
field-billing-zip = Fakturační adresa: PSČ
field-billing-country = Fakturační adresa: země
field-language = Jazyk
field-shops = E-shopy
field-wholesaler = Velkoobchod
field-groups = Zákaznické skupiny
field-pricelist = Ceník
field-discount-pct = Sleva (%)
field-loyalty-points = Věrnostní body
field-balance = Zůstatek
field-balance-limit = Limit zůstatku
field-active = Aktivní
field-blocked = Zablokován
field-email-verified = E-mail ověřen
field-newsletter-email = E-mailový newsletter
field-newsletter-email-shops = E-mailový newsletter: e-shopy
field-newsletter-sms = SMS newsletter
field-newsletter-sms-shops = SMS newsletter: e-shopy
field-registered-at = Datum registrace
field-last-login-at = Poslední přihlášení
field-last-order-at = Poslední objednávka
field-shipping = Doručovací adresy
field-note = Poznámka
field-tags = Štítky
field-agreements = Souhlasy
field-password = Heslo
field-shipping-guid = Doručovací adresa: GUID
field-shipping-full-name = Doručovací adresa: jméno
field-shipping-company = Doručovací adresa: firma
field-shipping-street = Doručovací adresa: ulice
field-shipping-house-number = Doručovací adresa: číslo popisné
field-shipping-city = Doručovací adresa: město
field-shipping-district = Doručovací adresa: část obce
field-shipping-zip = Doručovací adresa: PSČ
field-shipping-country = Doručovací adresa: země
field-shipping-phone = Doručovací adresa: telefon
field-custom = Vlastní pole: { $key }
field-stat = Statistika: { $key }
field-extra = Sloupec { $format }: { $column }
field-extra-other = Jiný sloupec: { $key }
field-agreement-status = Souhlas: { $key }
field-agreement-time = Souhlas udělen: { $key }
field-agreement-valid-to = Souhlas platí do: { $key }

## Row issues (custio_model::IssueCode) and row results (RowNote). A message starts in
## lower case where a word begins it: the code puts it after "Sloupec …:" or capitalises it.

issue-in-column = Sloupec „{ $column }“: { $message }
issue-warning = Upozornění: { $message }
word-or = nebo
key-name = { $key ->
        [login] login
        [email] e-mail
        [guid] GUID
       *[other] { $key }
    }
issue-invalid_email = „{ $value }“ není platná e-mailová adresa; zapište ji ve tvaru jmeno@domena, např. jan@example.cz
issue-invalid_phone = „{ $value }“ není telefonní číslo; použijte číslice, případně s + na začátku, např. +420123456789
issue-invalid_country = „{ $value }“ není země; použijte kód, např. CZ nebo SK, nebo název země
issue-invalid_language = „{ $value }“ není jazyk; použijte kód, např. cs nebo cze
issue-invalid_date = „{ $value }“ není datum v očekávaném formátu { $expected }
issue-invalid_number = „{ $value }“ není číslo; použijte číslice s desetinnou tečkou nebo čárkou, např. 12,50
issue-invalid_integer = „{ $value }“ není celé číslo
issue-invalid_choice = hodnota „{ $value }“ zde není povolena; povolené hodnoty: { $allowed }
issue-invalid_shop_ids = „{ $value }“ není seznam ID e-shopů; zapište ID oddělená čárkami bez mezer, např. 1,2,3
issue-too_long = hodnota má { $len ->
        [one] { $len } znak
        [few] { $len } znaky
        [many] { $len } znaku
       *[other] { $len } znaků
    }; povoleno je nejvýše { $max }
issue-control_character = „{ $value }“ obsahuje znak { $character }, který žádná hodnota zákazníka nesmí obsahovat; odstraňte ho
issue-invalid_blank = „{ $value }“ nesmí obsahovat mezery ani zalomení řádku
issue-too_many_cells = buněk v řádku: { $cells }, v záhlaví: { $expected }; některá hodnota nejspíš obsahuje oddělovač bez uvozovek
issue-too_few_cells = buněk v řádku: { $cells }, v záhlaví: { $expected }; buňky chybí nebo byl řádek rozdělen
issue-broken_quote = buněk v řádku: { $cells }, v záhlaví: { $expected }, a buňka v uvozovkách pokračuje přes několik řádků; nejspíš chybí uzavírací uvozovka (")
issue-unmappable_character = znak „{ $value }“ ({ $codepoint }) nelze zapsat v kódování { $encoding }; zvolte UTF-8 nebo hodnotu změňte
issue-missing_required = pole „{ $field }“ je povinné v každém řádku formátu { $dialect }; vyplňte ho
issue-missing_required_new = pole „{ $field }“ je povinné pro nového zákazníka ve formátu { $dialect }; vyplňte ho
issue-missing_email = řádek nemá e-mailovou adresu; { $dialect } ji vyžaduje v každém řádku, proto se řádek přeskočí
issue-missing_identity = řádek nemá žádné z polí: { $fields }; vyplňte alespoň jedno z nich
issue-unknown_pricelist = ceník „{ $name }“ neexistuje, proto se nepoužije
issue-unknown_group = tyto zákaznické skupiny neexistují a nevytvoří se: { $names }
issue-unknown_agreement = souhlas „{ $name }“ neexistuje, proto se ignoruje
issue-customer_exists = zákazník { $customer } už existuje ({ $paired }) a pro existující zákazníky je nastaveno odmítnutí řádku
issue-duplicate_login = login „{ $value }“ se už vyskytuje na řádku { $line }; každý zákazník smí být v souboru jen jednou
issue-duplicate_email = e-mail „{ $value }“ se už vyskytuje na řádku { $line }; každý zákazník smí být v souboru jen jednou
issue-taken-stored = { $by } z řádku patří zákazníkovi { $customer }, jehož { $key } je „{ $stored }“, ne „{ $value }“; opravte řádek nebo zákazníka
issue-taken-paired = řádek je spárován se zákazníkem { $customer } ({ $paired }), ale jeho { $key } „{ $value }“ patří jinému zákazníkovi; opravte jedno z nich
issue-taken = { $key } „{ $value }“ už používá jiný zákazník
issue-changed_since_check = zákazník { $customer } se po kontrole změnil; zkontrolujte soubor znovu, aby se řádek porovnal se zákazníkem, jak je nyní
note-created = vytvořen zákazník { $customer }
note-updated = aktualizován zákazník { $customer }
note-unchanged = zákazník { $customer } už tyto údaje měl
note-skipped_by_user = přeskočeno uživatelem
note-skipped_existing = zákazník { $customer } existuje ({ $paired }); přeskočeno, protože existující zákazníci se mají ponechat beze změny
note-skipped_without_key = zákazník { $customer } už má tento { $by }, ale řádek nemá pole { $required }; { $dialect } aktualizuje zákazníka jen podle pole { $required }, proto se řádek přeskočí
note-repeated_in_file = { $key } „{ $value }“ se už vyskytuje na řádku { $line }; importuje se jen první výskyt
