# custio: polski. Słownictwo paneli IdoSell (glossary.md). Liczby wybierają formę:
# one (1), few (2–4, 22–24…), many (0, 5–21…), other (ułamki).

## Navigation and accounts

customers = Klienci
import = Import
import-log = Lista importów
jobs = Kolejka zadań
job = Zadanie
export = Eksport
shops = Sklepy
profiles = Profile mapowania
users = Użytkownicy
audit = Dziennik audytu
login = Zaloguj się
logout = Wyloguj
username = Nazwa użytkownika
password = Hasło
password-again = Powtórz hasło
setup = Konfiguracja custio
setup-intro = Utwórz pierwszego administratora. Ten link działa tylko raz.
setup-invalid = Ten link konfiguracyjny jest już nieważny.
create-admin = Utwórz administratora
passwords-differ = Hasła się różnią.
login-failed = Nieprawidłowa nazwa użytkownika lub hasło.
login-throttled = Zbyt wiele nieudanych prób logowania. Spróbuj ponownie za { $minutes ->
        [one] { $minutes } minutę
        [few] { $minutes } minuty
        [many] { $minutes } minut
       *[other] { $minutes } minuty
    }.
language-switch = Język

## Customer list

search-placeholder = Login, e-mail, nazwisko, firma, miasto
all-shops = Wszystkie sklepy
all-groups = Wszystkie grupy klientów
all-kinds = Wszystkie typy
kind-person = Osoba prywatna
kind-company = Firma
kind-contact = Kontakt
gender-male = Mężczyzna
gender-female = Kobieta
yes = tak
no = nie
newsletter = Newsletter
newsletter-all = Newsletter: wszystkie
newsletter-option = Newsletter: { $value }
consent-yes = tak
consent-no = nie
consent-notset = nie ustawiono
consent-excluded = wykluczony
registered-from = Zarejestrowani od
registered-to = do
sort-option = Sortuj: { $by }
sort-id = kolejność dodania
sort-email = e-mail
sort-name = nazwisko
sort-registered = data rejestracji
sort-last_order = ostatnie zamówienie
sort-ascending = rosnąco
sort-descending = malejąco
apply = Zastosuj
reset = Wyczyść
export-selected = Eksportuj zaznaczonych klientów
export-filtered = Eksportuj przefiltrowanych klientów
select-all = Zaznacz wszystkie
no-customers = Żaden klient nie pasuje do filtra.
first-page = Pierwsza strona
next-page = Następna strona
customers-in-base = { $count ->
        [one] { $count } klient w bazie
        [few] { $count } klientów w bazie
        [many] { $count } klientów w bazie
       *[other] { $count } klienta w bazie
    }
choose-columns = Wybierz widoczne kolumny (aktualny widok)
save-view = Zapisz widok
col-id = ID
col-login = Login
col-email = E-mail
col-first_name = Imię
col-last_name = Nazwisko
col-company = Firma
col-phone = Telefon
col-street = Ulica
col-zip = Kod pocztowy
col-city = Miasto
col-country = Kraj
col-shops = Sklepy
col-kind = Typ
col-newsletter = Newsletter
col-registered = Data rejestracji
col-last_order = Ostatnie zamówienie
col-groups = Grupy klientów
shop-default-name = Sklep { $id }

## Import

file = Plik
format = Format
encoding = Kodowanie
detect = automatycznie
format-default = domyślne dla formatu
encoding-utf-8 = UTF-8
encoding-utf-8-bom = UTF-8 z BOM (Excel)
encoding-windows-1250 = Windows-1250 (środkowoeuropejskie)
encoding-windows-1251 = Windows-1251 (cyrylica)
on-existing = Klienci, którzy już istnieją
on-existing-update = aktualizuj ich dane
on-existing-skip = pozostaw bez zmian
on-existing-fail = odrzuć wiersz
mapping-profile = Profil mapowania
no-profile = brak
has-header = Mój plik ma wiersz nagłówka (w formatach, w których jest opcjonalny, np. CloudCart)
header-note = Nic nie trafia do bazy klientów, dopóki nie zaimportujesz wybranych wierszy.
check-file = Sprawdź plik
dialect-idosell = IdoSell
dialect-iof = IdoSell IOF 3.0 XML
dialect-shoptet = Shoptet
dialect-upgates = UPgates
dialect-cloudcart = CloudCart
dialect-csv = Dowolny plik CSV
dialect-xlsx = Arkusz Excel (XLSX)

## Jobs

kind = Rodzaj
status = Status
progress = Postęp
rate = Szybkość
job-rate = { $rate } na sekundę
created = Data utworzenia
by = Użytkownik
result = Wynik
batch = Import
batch-title = Import { $id }
job-title = Zadanie { $id }
open-batch = Otwórz import { $id }
download = Pobierz
download-customers = Pobierz ({ $count ->
        [one] { $count } klient
        [few] { $count } klientów
        [many] { $count } klientów
       *[other] { $count } klienta
    })
no-jobs = Brak zadań.
job-kind-check = sprawdzenie pliku
job-kind-help_check = pomoc przy sprawdzaniu pliku
job-kind-migrate = migracja ze sklepu
job-kind-commit = import
job-kind-export = eksport
job-state-queued = w kolejce
job-state-running = w toku
job-state-succeeded = zakończone
job-state-failed = nieudane
job-failed-check = Nie udało się sprawdzić pliku.
job-failed-commit = Import został przerwany.
job-failed-export = Nie udało się zapisać eksportu.
job-failed-other = Zadanie nie powiodło się.
job-failed-format = Nie rozpoznano formatu pliku. Wybierz go na stronie importu.
job-resumed-check = Serwer zatrzymał się w trakcie tego zadania; zapisany plik zostaje wczytany ponownie do nowego importu.
job-resumed-commit = Serwer zatrzymał się w trakcie tego zadania; zaimportowane wiersze pozostają, reszta jest importowana dalej.
job-resumed-other = Serwer zatrzymał się w trakcie tego zadania; zadanie rusza od początku.
job-interrupted = Serwer zatrzymał się w trakcie tego zadania { $attempts ->
        [one] raz
        [few] { $attempts } razy
        [many] { $attempts } razy
       *[other] { $attempts } razy
    }; nie zostanie ono uruchomione ponownie.
technical-detail = Szczegóły techniczne (po angielsku)
actor-panel = { $user } (panel)
actor-api = { $user } (API, token { $token })
actor-cli = { $user } (wiersz poleceń)

## Import list and one import

imported = Zaimportowane
invalid = Błędne
skipped = Pominięte
failed = Odrzucone
rows = Wiersze
no-batches = Brak importów.
batch-status-checking = Sprawdzanie
batch-status-needs_mapping = Wymaga mapowania kolumn
batch-status-checked = Oczekuje na weryfikację
batch-status-committed = Zaimportowany
batch-status-failed = Nieudany
batch-replaced = Zastąpiony przez import { $id } (sprawdzony ponownie z mapowaniem kolumn).
batch-interrupted = Serwer zatrzymał się podczas sprawdzania tego pliku; zadanie sprawdzenia wczytuje plik ponownie do nowego importu.
batch-unreadable = Nie udało się odczytać pliku.
batch-new-shop = Sklep { $id } jeszcze nie istnieje; import utworzy go jako „{ $name }”. Nazwę możesz zmienić w zakładce Sklepy.
batch-ignored-columns = { $format } pomija kolumny, których nie zna, tak jak sama platforma: { $columns }
batch-counts = Wiersze: { $rows } · do importu: { $pending } (nowi: { $new }, do aktualizacji: { $update }, bez zmian: { $unchanged }) · błędne: { $invalid } · pominięte: { $skipped } · zaimportowane: { $imported } · odrzucone: { $failed }
mapping-title = Nieznane kolumny
mapping-intro = Plik zawiera kolumny, których custio nie zna. Przypisz każdą do wolnego pola albo ją pomiń; plik zostanie sprawdzony ponownie.
column = Kolumna
column-number = kolumna { $number }
columns = Kolumny
map-to = Pole w custio
suggested = { $field } (sugerowane)
ignore-column = pomiń tę kolumnę
choose-mapping = wybierz, co zawiera ta kolumna…
save-profile-as = Zapisz jako profil mapowania
optional = opcjonalnie
apply-mapping = Zmapuj i sprawdź ponownie
not-imported = Klienci niezaimportowani
imported-list = Klienci zaimportowani
batch-log = Dziennik
tab-count = { $name } ({ $count })
show-all-rows = Pokaż wszystkie wiersze
only-invalid = Tylko błędne wiersze
download-rejected = Pobierz odrzucone wiersze
import-selected = Importuj zaznaczonych klientów
skip-selected = Pomiń zaznaczonych klientów
import-all-valid = Importuj wszystkich poprawnych klientów
line = Wiersz
customer = Klient
will-do = Akcja
edit = Edytuj
errors = Błędy
new-value = nowa wartość
save = Zapisz
edit-failed = Zmiana nie została zapisana.
action-new = nowy klient
action-update = aktualizacja
action-unchanged = bez zmian
paired-by = { $key ->
        [guid] dopasowano po GUID
        [login] dopasowano po loginie
        [email] dopasowano po adresie e-mail
       *[other] dopasowano po polu { $key }
    }
changes = Zmiany: { $fields }
row-status-pending = poprawny
row-status-invalid = błędny
row-status-skipped = pominięty
row-status-imported = zaimportowany
row-status-failed = odrzucony
no-rows = Brak wierszy.
notified = Poinformowano klienta o założeniu konta
not-notified = jeszcze nie
reason = Powód
log-empty = Żaden wiersz nie został pominięty ani odrzucony.
customer-id = ID klienta
confirm-title = Sprawdź przed importem
confirm-intro = Możesz jeszcze poprawić dane tych klientów przed importem.
dont-ask-again = Nie pytaj mnie ponownie o potwierdzenie
confirm-import = Importuj
skip = Pomiń

## Export

which-customers = Których klientów eksportować
scope-all = wszystkich klientów
scope-filtered = przefiltrowanych
scope-selected = zaznaczonych ({ $count })
filter-search = wyszukiwanie
filter-shop = sklep
filter-group = grupa klientów
filter-kind = typ
filter-newsletter = newsletter
filter-registered_from = zarejestrowani od
filter-registered_to = zarejestrowani do
filter-pair = { $name }: { $value }
kind-full = wszystkie dane
kind-view = dane według aktualnego widoku
kind-legacy = wszystkie dane, stara wersja (polskie nagłówki)
options = Opcje
excel-safe = Bezpieczny dla Excela (komórki wyglądające jak formuły zostaną zneutralizowane)
with-hashes = Dołącz skróty (hashe) haseł
confirm-hashes = Potwierdzam, że skróty (hashe) haseł mogą opuścić system (zostanie to zapisane w dzienniku audytu)
start-export = Eksportuj

## Shops, profiles, users, audit

id = ID
name = Nazwa
url = Adres (URL)
language = Język
add-or-rename-shop = Dodaj sklep lub zmień jego nazwę
no-profiles = Brak profili mapowania; zapisz profil na ekranie mapowania.
ignored-columns = Pominięte kolumny
delete = Usuń
role = Rola
role-admin = administrator
role-staff = pracownik
add-user = Dodaj użytkownika
change-password = Zmień moje hasło
current-password = Obecne hasło
new-password = Nowe hasło
api-tokens = Moje tokeny API
last-used = Ostatnio użyty
never = nigdy
revoke = Unieważnij
create-token = Utwórz token
token-once = Skopiuj nowy token teraz; nie zostanie pokazany ponownie:
password-changed = Hasło zmienione; pozostałe sesje zostały wylogowane.
user-added = Dodano użytkownika.
time = Czas
action = Akcja
detail = Szczegóły
audit-empty = Brak wpisów.
audit-customer_created = dodano klienta
audit-customer_updated = zmieniono dane klienta
audit-customer_deleted = usunięto klienta
audit-shop_saved = zapisano sklep
audit-user_created = dodano użytkownika
audit-password_changed = zmieniono hasło
audit-token_created = utworzono token API
audit-token_revoked = unieważniono token API
audit-export_with_password_hashes = eksport ze skrótami (hashami) haseł
audit-export_downloaded = pobrano plik eksportu
audit-export_with_password_hashes_downloaded = pobrano eksport ze skrótami (hashami) haseł
audit-rejected_downloaded = pobrano odrzucone wiersze
detail-customer = klient { $id }
detail-user = użytkownik { $name }
detail-shop = sklep { $name }
detail-token = token { $name }
detail-format = format { $name }
detail-search = wyszukiwanie „{ $value }”
detail-job = zadanie { $id }
detail-file = plik { $name }
detail-batch = import { $id }
language-name = { $code ->
        [pl] polski
        [cs] czeski
        [sk] słowacki
        [bg] bułgarski
        [en] angielski
        [de] niemiecki
        [hu] węgierski
        [ro] rumuński
        [uk] ukraiński
        [lt] litewski
        [sl] słoweński
        [hr] chorwacki
        [it] włoski
        [fr] francuski
        [es] hiszpański
       *[other] { $code }
    }

## Errors

error = Błąd
error-back = Wróć do panelu
error-unauthenticated = Najpierw się zaloguj.
error-forbidden = Twoja rola nie pozwala na tę operację.
error-csrf_failed = Formularz wygasł. Otwórz stronę ponownie i powtórz operację.
error-not_found = To nie istnieje (już).
error-invalid_request = Coś w formularzu jest nieprawidłowe.
error-conflict = Ta nazwa lub ten klucz są już zajęte.
error-not_allowed = W obecnym stanie importu nie jest to możliwe.
error-too_many_attempts = Zbyt wiele prób; odczekaj kilka minut.
error-too_large = Plik jest większy niż { $mb } MB, które przyjmuje ten serwer.
error-internal = Na serwerze wystąpił błąd. Szczegóły są w logu serwera.
error-choose-file = Wybierz plik do zaimportowania.
error-empty-file = Plik jest pusty.
error-select-customers = Najpierw zaznacz klientów.
error-shop-id = ID sklepu to liczba większa od 0.
error-shop-name = Sklep musi mieć nazwę.
error-current-password = Obecne hasło jest nieprawidłowe.
error-password-short = Hasło musi mieć co najmniej { $count ->
        [one] { $count } znak
        [few] { $count } znaki
        [many] { $count } znaków
       *[other] { $count } znaku
    }.
error-username = Nazwa użytkownika musi mieć od 1 do 64 znaków.
error-user-exists = Użytkownik o tej nazwie już istnieje.

## Customer fields (mapping and edit lists, changes of a row)

field-guid = GUID
field-login = Login
field-email = E-mail
field-code = Kod klienta
field-kind = Typ klienta
field-gender = Płeć
field-degree = Tytuł
field-first-name = Imię
field-last-name = Nazwisko
field-full-name = Imię i nazwisko
field-nickname = Pseudonim
field-company-name = Nazwa firmy
field-company-company-number = REGON
field-company-vat-id = NIP UE (VAT)
field-company-tax-id = NIP
field-company-vat-payer = Płatnik VAT
field-phone = Telefon
field-phone2 = Drugi telefon
field-fax = Faks
field-billing-full-name = Dane do faktury: imię i nazwisko
field-billing-company = Dane do faktury: firma
field-billing-street = Dane do faktury: ulica
field-billing-house-number = Dane do faktury: numer domu
field-billing-city = Dane do faktury: miejscowość
field-billing-district = Dane do faktury: dzielnica
field-billing-zip = Dane do faktury: kod pocztowy
field-billing-country = Dane do faktury: kraj
field-language = Język
field-shops = Sklepy
field-wholesaler = Hurtownik
field-groups = Grupy klientów
field-pricelist = Cennik
field-discount-pct = Rabat (%)
field-loyalty-points = Punkty lojalnościowe
field-balance = Saldo
field-balance-limit = Limit salda
field-active = Aktywny
field-blocked = Zablokowany
field-email-verified = E-mail potwierdzony
field-newsletter-email = Newsletter e-mail
field-newsletter-email-shops = Newsletter e-mail: sklepy
field-newsletter-sms = Newsletter SMS
field-newsletter-sms-shops = Newsletter SMS: sklepy
field-registered-at = Data rejestracji
field-last-login-at = Ostatnie logowanie
field-last-order-at = Ostatnie zamówienie
field-shipping = Adresy dostawy
field-note = Notatka
field-tags = Tagi
field-agreements = Zgody
field-password = Hasło
field-shipping-guid = Adres dostawy: GUID
field-shipping-full-name = Adres dostawy: imię i nazwisko
field-shipping-company = Adres dostawy: firma
field-shipping-street = Adres dostawy: ulica
field-shipping-house-number = Adres dostawy: numer domu
field-shipping-city = Adres dostawy: miejscowość
field-shipping-district = Adres dostawy: dzielnica
field-shipping-zip = Adres dostawy: kod pocztowy
field-shipping-country = Adres dostawy: kraj
field-shipping-phone = Adres dostawy: telefon
field-custom = Pole własne: { $key }
field-stat = Statystyka: { $key }
field-extra = Kolumna { $format }: { $column }
field-extra-other = Inna kolumna: { $key }
field-agreement-status = Zgoda: { $key }
field-agreement-time = Data udzielenia zgody: { $key }
field-agreement-valid-to = Zgoda ważna do: { $key }

## Row issues (custio_model::IssueCode) and row results (RowNote). A message starts in
## lower case where a word begins it: the code puts it after "Kolumna …:" or capitalises it.

issue-in-column = Kolumna „{ $column }”: { $message }
issue-warning = Ostrzeżenie: { $message }
word-or = lub
key-name = { $key ->
        [login] login
        [email] adres e-mail
        [guid] GUID
       *[other] { $key }
    }
issue-invalid_email = „{ $value }” nie jest poprawnym adresem e-mail; wpisz go w postaci nazwa@domena, np. jan@example.pl
issue-invalid_phone = „{ $value }” nie jest numerem telefonu; użyj cyfr, opcjonalnie z + na początku, np. +48123456789
issue-invalid_country = „{ $value }” nie jest krajem; użyj kodu, np. PL lub CZ, albo nazwy kraju
issue-invalid_language = „{ $value }” nie jest językiem; użyj kodu, np. pl lub pol
issue-invalid_date = „{ $value }” nie jest datą w oczekiwanym formacie { $expected }
issue-invalid_number = „{ $value }” nie jest liczbą; użyj cyfr z kropką lub przecinkiem dziesiętnym, np. 12,50
issue-invalid_integer = „{ $value }” nie jest liczbą całkowitą
issue-invalid_choice = wartość „{ $value }” jest tu niedozwolona; dozwolone wartości: { $allowed }
issue-invalid_shop_ids = „{ $value }” nie jest listą identyfikatorów sklepów; wpisz ID oddzielone przecinkami bez spacji, np. 1,2,3
issue-too_long = wartość ma { $len ->
        [one] { $len } znak
        [few] { $len } znaki
        [many] { $len } znaków
       *[other] { $len } znaku
    }; dozwolone jest najwyżej { $max }
issue-control_character = „{ $value }” zawiera znak { $character }, którego nie może zawierać żadna wartość klienta; usuń go
issue-invalid_blank = „{ $value }” nie może zawierać spacji ani znaków nowej linii
issue-too_many_cells = komórek w wierszu: { $cells }, w nagłówku: { $expected }; któraś wartość zawiera prawdopodobnie separator bez cudzysłowu
issue-too_few_cells = komórek w wierszu: { $cells }, w nagłówku: { $expected }; brakuje komórek albo wiersz został podzielony
issue-broken_quote = komórek w wierszu: { $cells }, w nagłówku: { $expected }, a komórka w cudzysłowie ciągnie się przez kilka linii; prawdopodobnie nie zamknięto cudzysłowu (")
issue-unmappable_character = znaku „{ $value }” ({ $codepoint }) nie da się zapisać w kodowaniu { $encoding }; wybierz UTF-8 albo zmień wartość
issue-missing_required = pole „{ $field }” jest wymagane w każdym wierszu formatu { $dialect }; uzupełnij je
issue-missing_required_new = pole „{ $field }” jest wymagane dla nowego klienta w formacie { $dialect }; uzupełnij je
issue-missing_email = wiersz nie ma adresu e-mail; { $dialect } wymaga go w każdym wierszu, więc wiersz zostaje pominięty
issue-missing_identity = wiersz nie ma żadnego z pól: { $fields }; uzupełnij co najmniej jedno z nich
issue-unknown_pricelist = cennik „{ $name }” nie istnieje, więc nie zostanie przypisany
issue-unknown_group = te grupy klientów nie istnieją i nie zostaną utworzone: { $names }
issue-unknown_agreement = zgoda „{ $name }” nie istnieje, więc zostanie pominięta
issue-customer_exists = klient { $customer } już istnieje ({ $paired }), a dla istniejących klientów wybrano odrzucenie wiersza
issue-duplicate_login = login „{ $value }” występuje już w wierszu { $line }; każdy klient może wystąpić w pliku tylko raz
issue-duplicate_email = adres e-mail „{ $value }” występuje już w wierszu { $line }; każdy klient może wystąpić w pliku tylko raz
issue-taken-stored = { $by } z wiersza należy do klienta { $customer }, którego { $key } to „{ $stored }”, a nie „{ $value }”; popraw wiersz lub dane klienta
issue-taken-paired = wiersz dopasowano do klienta { $customer } ({ $paired }), ale jego { $key } „{ $value }” należy do innego klienta; popraw jedno z nich
issue-taken = { $key } „{ $value }” ma już inny klient
issue-changed_since_check = dane klienta { $customer } zmieniły się po sprawdzeniu pliku; sprawdź plik ponownie, aby porównać wiersz z aktualnymi danymi klienta
note-created = utworzono klienta { $customer }
note-updated = zaktualizowano klienta { $customer }
note-unchanged = klient { $customer } miał już te dane
note-skipped_by_user = pominięty przez użytkownika
note-skipped_existing = klient { $customer } już istnieje ({ $paired }); pominięty, bo dla istniejących klientów wybrano pozostawienie bez zmian
note-skipped_without_key = klient { $customer } ma już ten { $by }, ale wiersz nie ma pola { $required }; { $dialect } aktualizuje klienta tylko po polu { $required }, więc wiersz zostaje pominięty
note-repeated_in_file = { $key } „{ $value }” występuje już w wierszu { $line }; importowane jest tylko pierwsze wystąpienie
