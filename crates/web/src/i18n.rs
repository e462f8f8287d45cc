//! The panel's languages and their texts, as data: one row per text, one column per
//! language. English is the default; a missing translation falls back to English.

use std::collections::BTreeMap;

/// A language of the panel.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    #[default]
    En,
    Pl,
    Cs,
    Bg,
}

impl Lang {
    pub const ALL: [Lang; 4] = [Lang::En, Lang::Pl, Lang::Cs, Lang::Bg];

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Pl => "pl",
            Lang::Cs => "cs",
            Lang::Bg => "bg",
        }
    }

    pub fn parse(code: &str) -> Option<Lang> {
        Self::ALL.into_iter().find(|l| l.code() == code)
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// Every text of the panel: key, then English, Polish, Czech, Bulgarian.
pub const TEXTS: &[(&str, [&str; 4])] = &[
    (
        "customers",
        ["Customers", "Klienci", "Zákazníci", "Клиенти"],
    ),
    (
        "customers_lc",
        ["customers", "klientów", "zákazníků", "клиента"],
    ),
    (
        "customers_in_base",
        [
            "customers in the base",
            "klientów w bazie",
            "zákazníků v databázi",
            "клиента в базата",
        ],
    ),
    ("import", ["Import", "Import", "Import", "Импорт"]),
    (
        "import_log",
        [
            "Import log",
            "Dziennik importów",
            "Protokol importů",
            "Дневник на импорта",
        ],
    ),
    ("jobs", ["Jobs", "Zadania", "Úlohy", "Задачи"]),
    ("job", ["Job", "Zadanie", "Úloha", "Задача"]),
    ("export", ["Export", "Eksport", "Export", "Експорт"]),
    ("shops", ["Shops", "Sklepy", "Obchody", "Магазини"]),
    (
        "profiles",
        [
            "Mapping profiles",
            "Profile mapowania",
            "Profily mapování",
            "Профили за съпоставяне",
        ],
    ),
    (
        "users",
        ["Users", "Użytkownicy", "Uživatelé", "Потребители"],
    ),
    (
        "audit",
        [
            "Audit log",
            "Dziennik audytu",
            "Auditní protokol",
            "Одитен дневник",
        ],
    ),
    ("login", ["Log in", "Zaloguj się", "Přihlásit se", "Вход"]),
    ("logout", ["Log out", "Wyloguj", "Odhlásit", "Изход"]),
    (
        "username",
        [
            "User name",
            "Nazwa użytkownika",
            "Uživatelské jméno",
            "Потребителско име",
        ],
    ),
    ("password", ["Password", "Hasło", "Heslo", "Парола"]),
    (
        "password_again",
        [
            "Password again",
            "Powtórz hasło",
            "Heslo znovu",
            "Повторете паролата",
        ],
    ),
    (
        "setup",
        [
            "Set up custio",
            "Konfiguracja custio",
            "Nastavení custio",
            "Настройка на custio",
        ],
    ),
    (
        "setup_intro",
        [
            "Create the first administrator. This link works once.",
            "Utwórz pierwszego administratora. Ten link działa jeden raz.",
            "Vytvořte prvního správce. Tento odkaz funguje jen jednou.",
            "Създайте първия администратор. Тази връзка работи само веднъж.",
        ],
    ),
    (
        "setup_invalid",
        [
            "This setup link is not valid (any more).",
            "Ten link konfiguracyjny jest nieważny.",
            "Tento odkaz pro nastavení již neplatí.",
            "Тази връзка за настройка вече не е валидна.",
        ],
    ),
    (
        "create_admin",
        [
            "Create administrator",
            "Utwórz administratora",
            "Vytvořit správce",
            "Създай администратор",
        ],
    ),
    (
        "passwords_differ",
        [
            "The passwords differ.",
            "Hasła się różnią.",
            "Hesla se liší.",
            "Паролите се различават.",
        ],
    ),
    (
        "search",
        [
            "Login, e-mail, name, company, city",
            "Login, e-mail, nazwisko, firma, miasto",
            "Login, e-mail, jméno, firma, město",
            "Потребител, имейл, име, фирма, град",
        ],
    ),
    (
        "all_shops",
        [
            "All shops",
            "Wszystkie sklepy",
            "Všechny obchody",
            "Всички магазини",
        ],
    ),
    (
        "all_groups",
        [
            "All groups",
            "Wszystkie grupy",
            "Všechny skupiny",
            "Всички групи",
        ],
    ),
    (
        "all_kinds",
        [
            "All types",
            "Wszystkie typy",
            "Všechny typy",
            "Всички типове",
        ],
    ),
    (
        "kind_person",
        [
            "Person",
            "Osoba prywatna",
            "Fyzická osoba",
            "Физическо лице",
        ],
    ),
    ("kind_company", ["Company", "Firma", "Firma", "Фирма"]),
    ("kind_contact", ["Contact", "Kontakt", "Kontakt", "Контакт"]),
    (
        "newsletter",
        ["Newsletter", "Newsletter", "Newsletter", "Бюлетин"],
    ),
    (
        "newsletter_any",
        [
            "Any newsletter consent",
            "Dowolna zgoda na newsletter",
            "Jakýkoli souhlas s newsletterem",
            "Всяко съгласие за бюлетин",
        ],
    ),
    ("consent_yes", ["yes", "tak", "ano", "да"]),
    ("consent_no", ["no", "nie", "ne", "не"]),
    (
        "consent_notset",
        ["not asked", "nie pytano", "nedotázán", "не е питан"],
    ),
    (
        "consent_excluded",
        ["excluded", "wykluczony", "vyloučen", "изключен"],
    ),
    (
        "registered_from",
        [
            "Registered from",
            "Zarejestrowani od",
            "Registrováni od",
            "Регистрирани от",
        ],
    ),
    ("registered_to", ["to", "do", "do", "до"]),
    ("sort", ["Sort", "Sortuj", "Řadit", "Сортиране"]),
    (
        "sort_id",
        [
            "order of arrival",
            "kolejność dodania",
            "pořadí přidání",
            "ред на добавяне",
        ],
    ),
    ("sort_email", ["e-mail", "e-mail", "e-mail", "имейл"]),
    ("sort_name", ["name", "nazwisko", "jméno", "име"]),
    (
        "sort_registered",
        [
            "registration date",
            "data rejestracji",
            "datum registrace",
            "дата на регистрация",
        ],
    ),
    (
        "sort_last_order",
        [
            "last order",
            "ostatnie zamówienie",
            "poslední objednávka",
            "последна поръчка",
        ],
    ),
    ("apply", ["Apply", "Zastosuj", "Použít", "Приложи"]),
    ("reset", ["Reset", "Wyczyść", "Zrušit filtry", "Изчисти"]),
    (
        "export_selected",
        [
            "Export selected",
            "Eksportuj zaznaczonych",
            "Exportovat vybrané",
            "Експортирай избраните",
        ],
    ),
    (
        "export_filtered",
        [
            "Export filtered",
            "Eksportuj przefiltrowanych",
            "Exportovat filtrované",
            "Експортирай филтрираните",
        ],
    ),
    (
        "select_all",
        [
            "Select all",
            "Zaznacz wszystkie",
            "Vybrat vše",
            "Избери всички",
        ],
    ),
    (
        "no_customers",
        [
            "No customers match.",
            "Brak pasujących klientów.",
            "Žádní odpovídající zákazníci.",
            "Няма съвпадащи клиенти.",
        ],
    ),
    (
        "first_page",
        [
            "First page",
            "Pierwsza strona",
            "První strana",
            "Първа страница",
        ],
    ),
    (
        "next_page",
        [
            "Next page",
            "Następna strona",
            "Další strana",
            "Следваща страница",
        ],
    ),
    (
        "choose_columns",
        [
            "Choose the visible columns (the current view)",
            "Wybierz widoczne kolumny (aktualny widok)",
            "Zvolte viditelné sloupce (aktuální pohled)",
            "Изберете видимите колони (текущ изглед)",
        ],
    ),
    (
        "save_view",
        [
            "Save view",
            "Zapisz widok",
            "Uložit pohled",
            "Запази изгледа",
        ],
    ),
    ("col_id", ["ID", "ID", "ID", "ID"]),
    ("col_login", ["Login", "Login", "Login", "Потребител"]),
    ("col_email", ["E-mail", "E-mail", "E-mail", "Имейл"]),
    ("col_first_name", ["First name", "Imię", "Jméno", "Име"]),
    (
        "col_last_name",
        ["Last name", "Nazwisko", "Příjmení", "Фамилия"],
    ),
    ("col_company", ["Company", "Firma", "Firma", "Фирма"]),
    ("col_phone", ["Phone", "Telefon", "Telefon", "Телефон"]),
    ("col_street", ["Street", "Ulica", "Ulice", "Улица"]),
    (
        "col_zip",
        ["Postcode", "Kod pocztowy", "PSČ", "Пощенски код"],
    ),
    ("col_city", ["City", "Miasto", "Město", "Град"]),
    ("col_country", ["Country", "Kraj", "Země", "Държава"]),
    ("col_shops", ["Shops", "Sklepy", "Obchody", "Магазини"]),
    ("col_kind", ["Type", "Typ", "Typ", "Тип"]),
    (
        "col_newsletter",
        ["Newsletter", "Newsletter", "Newsletter", "Бюлетин"],
    ),
    (
        "col_registered",
        ["Registered", "Rejestracja", "Registrace", "Регистрация"],
    ),
    (
        "col_last_order",
        [
            "Last order",
            "Ostatnie zamówienie",
            "Poslední objednávka",
            "Последна поръчка",
        ],
    ),
    ("col_groups", ["Groups", "Grupy", "Skupiny", "Групи"]),
    ("file", ["File", "Plik", "Soubor", "Файл"]),
    ("format", ["Format", "Format", "Formát", "Формат"]),
    (
        "encoding",
        ["Encoding", "Kodowanie", "Kódování", "Кодиране"],
    ),
    ("detect", ["detect", "wykryj", "rozpoznat", "разпознай"]),
    (
        "format_default",
        [
            "the format's default",
            "domyślne dla formatu",
            "výchozí pro formát",
            "по подразбиране за формата",
        ],
    ),
    (
        "on_existing",
        [
            "Customers that already exist",
            "Klienci, którzy już istnieją",
            "Zákazníci, kteří již existují",
            "Вече съществуващи клиенти",
        ],
    ),
    (
        "on_existing_update",
        ["update them", "aktualizuj", "aktualizovat", "обнови ги"],
    ),
    (
        "on_existing_skip",
        [
            "leave them as they are",
            "pozostaw bez zmian",
            "ponechat beze změny",
            "остави ги",
        ],
    ),
    (
        "on_existing_fail",
        [
            "reject the row",
            "odrzuć wiersz",
            "odmítnout řádek",
            "отхвърли реда",
        ],
    ),
    (
        "mapping_profile",
        [
            "Mapping profile",
            "Profil mapowania",
            "Profil mapování",
            "Профил за съпоставяне",
        ],
    ),
    (
        "has_header",
        [
            "My file has a header row (formats where it is optional, such as CloudCart)",
            "Mój plik ma wiersz nagłówka (formaty, w których jest opcjonalny, np. CloudCart)",
            "Můj soubor má řádek záhlaví (formáty, kde je volitelný, např. CloudCart)",
            "Файлът ми има заглавен ред (формати, в които е по избор, като CloudCart)",
        ],
    ),
    (
        "header_note",
        [
            "Nothing is written to the customers until you import the rows you choose.",
            "Nic nie trafia do bazy, dopóki nie zaimportujesz wybranych wierszy.",
            "Do databáze se nic nezapíše, dokud neimportujete vybrané řádky.",
            "Нищо не се записва, докато не импортирате избраните редове.",
        ],
    ),
    (
        "check_file",
        [
            "Check the file",
            "Sprawdź plik",
            "Zkontrolovat soubor",
            "Провери файла",
        ],
    ),
    ("kind", ["Kind", "Rodzaj", "Druh", "Вид"]),
    ("state", ["State", "Stan", "Stav", "Състояние"]),
    ("progress", ["Progress", "Postęp", "Průběh", "Напредък"]),
    ("rate", ["Speed", "Szybkość", "Rychlost", "Скорост"]),
    (
        "created",
        ["Created", "Utworzono", "Vytvořeno", "Създадено"],
    ),
    ("by", ["By", "Przez", "Kdo", "От"]),
    ("result", ["Result", "Wynik", "Výsledek", "Резултат"]),
    ("batch", ["Batch", "Import", "Dávka", "Пакет"]),
    (
        "open_batch",
        [
            "Open batch",
            "Otwórz import",
            "Otevřít dávku",
            "Отвори пакет",
        ],
    ),
    ("download", ["Download", "Pobierz", "Stáhnout", "Изтегли"]),
    (
        "no_jobs",
        [
            "No jobs yet.",
            "Brak zadań.",
            "Zatím žádné úlohy.",
            "Все още няма задачи.",
        ],
    ),
    (
        "job_check",
        ["check", "sprawdzenie", "kontrola", "проверка"],
    ),
    ("job_commit", ["import", "import", "import", "импорт"]),
    ("job_export", ["export", "eksport", "export", "експорт"]),
    (
        "state_queued",
        ["queued", "w kolejce", "ve frontě", "на опашка"],
    ),
    (
        "state_running",
        ["running", "w toku", "běží", "изпълнява се"],
    ),
    (
        "state_succeeded",
        ["done", "zakończone", "hotovo", "готово"],
    ),
    (
        "state_failed",
        ["failed", "nieudane", "selhalo", "неуспешно"],
    ),
    ("status", ["Status", "Status", "Stav", "Статус"]),
    ("rows", ["Rows", "Wiersze", "Řádky", "Редове"]),
    (
        "pending",
        ["to import", "do importu", "k importu", "за импорт"],
    ),
    ("new", ["new", "nowi", "noví", "нови"]),
    (
        "update",
        ["updates", "aktualizacje", "aktualizace", "обновявания"],
    ),
    (
        "unchanged",
        ["unchanged", "bez zmian", "beze změny", "без промяна"],
    ),
    ("invalid", ["Invalid", "Błędne", "Chybné", "Невалидни"]),
    (
        "skipped",
        ["Skipped", "Pominięte", "Přeskočené", "Пропуснати"],
    ),
    (
        "imported",
        ["Imported", "Zaimportowane", "Importované", "Импортирани"],
    ),
    ("failed", ["Failed", "Nieudane", "Neúspěšné", "Неуспешни"]),
    (
        "no_batches",
        [
            "No imports yet.",
            "Brak importów.",
            "Zatím žádné importy.",
            "Все още няма импорти.",
        ],
    ),
    (
        "batch_checking",
        [
            "being checked",
            "sprawdzanie",
            "kontroluje se",
            "проверява се",
        ],
    ),
    (
        "batch_needs_mapping",
        [
            "needs a column mapping",
            "wymaga mapowania kolumn",
            "vyžaduje mapování sloupců",
            "нужно е съпоставяне на колони",
        ],
    ),
    (
        "batch_checked",
        [
            "waiting for verification",
            "oczekuje na weryfikację",
            "čeká na ověření",
            "чака проверка",
        ],
    ),
    (
        "batch_committed",
        ["imported", "zaimportowany", "importováno", "импортиран"],
    ),
    (
        "batch_failed",
        ["failed", "nieudany", "selhal", "неуспешен"],
    ),
    (
        "mapping_title",
        [
            "Unknown columns",
            "Nieznane kolumny",
            "Neznámé sloupce",
            "Непознати колони",
        ],
    ),
    (
        "mapping_intro",
        [
            "The file has columns custio does not know. Map each to a free field, or ignore it; the file is then checked again.",
            "Plik zawiera kolumny, których custio nie zna. Przypisz każdą do wolnego pola albo ją pomiń; plik zostanie sprawdzony ponownie.",
            "Soubor obsahuje sloupce, které custio nezná. Přiřaďte každý k volnému poli nebo jej ignorujte; soubor se pak zkontroluje znovu.",
            "Файлът има колони, които custio не познава. Съпоставете всяка със свободно поле или я игнорирайте; след това файлът се проверява отново.",
        ],
    ),
    ("column", ["Column", "Kolumna", "Sloupec", "Колона"]),
    ("columns", ["Columns", "Kolumny", "Sloupce", "Колони"]),
    ("map_to", ["Means", "Oznacza", "Znamená", "Означава"]),
    (
        "suggested",
        ["suggested", "sugerowane", "navrženo", "предложено"],
    ),
    (
        "ignore_column",
        [
            "ignore this column",
            "pomiń kolumnę",
            "ignorovat sloupec",
            "игнорирай колоната",
        ],
    ),
    (
        "save_profile_as",
        [
            "Save as mapping profile",
            "Zapisz jako profil mapowania",
            "Uložit jako profil mapování",
            "Запази като профил",
        ],
    ),
    (
        "optional",
        ["optional", "opcjonalnie", "nepovinné", "по избор"],
    ),
    (
        "apply_mapping",
        [
            "Map and check again",
            "Zmapuj i sprawdź ponownie",
            "Namapovat a zkontrolovat znovu",
            "Съпостави и провери отново",
        ],
    ),
    (
        "not_imported",
        [
            "Not imported",
            "Klienci niezaimportowani",
            "Neimportovaní",
            "Неимпортирани",
        ],
    ),
    (
        "imported_list",
        [
            "Imported",
            "Klienci zaimportowani",
            "Importovaní",
            "Импортирани",
        ],
    ),
    ("batch_log", ["Log", "Dziennik", "Protokol", "Дневник"]),
    (
        "show_all_rows",
        [
            "Show all rows",
            "Pokaż wszystkie wiersze",
            "Zobrazit všechny řádky",
            "Покажи всички редове",
        ],
    ),
    (
        "only_invalid",
        [
            "Only invalid rows",
            "Tylko błędne wiersze",
            "Jen chybné řádky",
            "Само невалидните редове",
        ],
    ),
    (
        "download_rejected",
        [
            "Download rejected rows",
            "Pobierz odrzucone wiersze",
            "Stáhnout odmítnuté řádky",
            "Изтегли отхвърлените редове",
        ],
    ),
    (
        "import_selected",
        [
            "Import selected",
            "Importuj zaznaczonych",
            "Importovat vybrané",
            "Импортирай избраните",
        ],
    ),
    (
        "skip_selected",
        [
            "Skip selected",
            "Pomiń zaznaczonych",
            "Přeskočit vybrané",
            "Пропусни избраните",
        ],
    ),
    (
        "import_all_valid",
        [
            "Import all valid rows",
            "Importuj wszystkie poprawne",
            "Importovat všechny platné",
            "Импортирай всички валидни",
        ],
    ),
    ("line", ["Line", "Wiersz", "Řádek", "Ред"]),
    ("customer", ["Customer", "Klient", "Zákazník", "Клиент"]),
    (
        "customer_id",
        ["Customer ID", "ID klienta", "ID zákazníka", "ID на клиента"],
    ),
    ("will_do", ["Will", "Akcja", "Akce", "Действие"]),
    ("edit", ["Edit", "Edytuj", "Upravit", "Редактирай"]),
    ("errors", ["Errors", "Błędy", "Chyby", "Грешки"]),
    (
        "new_value",
        ["new value", "nowa wartość", "nová hodnota", "нова стойност"],
    ),
    ("save", ["Save", "Zapisz", "Uložit", "Запази"]),
    (
        "paired_by",
        ["paired by", "dopasowano po", "spárováno podle", "сдвоен по"],
    ),
    ("action_new", ["create", "utwórz", "vytvořit", "създай"]),
    (
        "action_update",
        ["update", "aktualizuj", "aktualizovat", "обнови"],
    ),
    (
        "action_unchanged",
        [
            "nothing to change",
            "bez zmian",
            "beze změny",
            "без промяна",
        ],
    ),
    ("row_pending", ["valid", "poprawny", "platný", "валиден"]),
    ("row_invalid", ["invalid", "błędny", "chybný", "невалиден"]),
    (
        "row_skipped",
        ["skipped", "pominięty", "přeskočen", "пропуснат"],
    ),
    (
        "row_imported",
        ["imported", "zaimportowany", "importován", "импортиран"],
    ),
    (
        "row_failed",
        ["failed", "nieudany", "neúspěšný", "неуспешен"],
    ),
    (
        "no_rows",
        [
            "No rows here.",
            "Brak wierszy.",
            "Žádné řádky.",
            "Няма редове.",
        ],
    ),
    (
        "notified",
        [
            "Customer notified of the account",
            "Poinformowano klienta o założeniu konta",
            "Zákazník informován o účtu",
            "Клиентът е уведомен за профила",
        ],
    ),
    (
        "not_notified",
        ["not yet", "jeszcze nie", "zatím ne", "все още не"],
    ),
    ("reason", ["Reason", "Powód", "Důvod", "Причина"]),
    (
        "log_empty",
        [
            "No row was skipped or failed.",
            "Żaden wiersz nie został pominięty ani odrzucony.",
            "Žádný řádek nebyl přeskočen ani neselhal.",
            "Няма пропуснати или неуспешни редове.",
        ],
    ),
    (
        "confirm_title",
        [
            "Check before import",
            "Sprawdź przed importem",
            "Kontrola před importem",
            "Проверка преди импорт",
        ],
    ),
    (
        "confirm_intro",
        [
            "You may still change these customers before they are imported.",
            "Możesz jeszcze zmienić tych klientów przed importem.",
            "Tyto zákazníky můžete před importem ještě upravit.",
            "Можете да промените тези клиенти преди импорта.",
        ],
    ),
    (
        "dont_ask_again",
        [
            "Don't ask me again",
            "Nie pytaj mnie ponownie",
            "Příště se neptat",
            "Не питай повече",
        ],
    ),
    ("skip", ["Skip", "Pomiń", "Přeskočit", "Пропусни"]),
    (
        "which_customers",
        [
            "Which customers",
            "Którzy klienci",
            "Kteří zákazníci",
            "Кои клиенти",
        ],
    ),
    (
        "scope_all",
        [
            "all customers",
            "wszyscy klienci",
            "všichni zákazníci",
            "всички клиенти",
        ],
    ),
    (
        "scope_filtered",
        [
            "the filtered ones",
            "przefiltrowani",
            "filtrovaní",
            "филтрираните",
        ],
    ),
    (
        "scope_selected",
        ["the selected ones", "zaznaczeni", "vybraní", "избраните"],
    ),
    (
        "kind_full",
        ["all data", "wszystkie dane", "všechna data", "всички данни"],
    ),
    (
        "kind_view",
        [
            "data of the current view",
            "dane według aktualnego widoku",
            "data podle aktuálního pohledu",
            "данни по текущия изглед",
        ],
    ),
    (
        "kind_legacy",
        [
            "all data, old format (Polish headers)",
            "wszystkie dane, stara wersja (polskie nagłówki)",
            "všechna data, starý formát (polská záhlaví)",
            "всички данни, стар формат (полски заглавия)",
        ],
    ),
    ("options", ["Options", "Opcje", "Možnosti", "Опции"]),
    (
        "excel_safe",
        [
            "Safe for Excel (formula-like cells neutralised)",
            "Bezpieczny dla Excela (komórki jak formuły zneutralizowane)",
            "Bezpečné pro Excel (buňky podobné vzorcům neutralizovány)",
            "Безопасно за Excel (клетки като формули се неутрализират)",
        ],
    ),
    (
        "with_hashes",
        [
            "Include password hashes",
            "Dołącz zaszyfrowane hasła",
            "Zahrnout hashe hesel",
            "Включи хешове на пароли",
        ],
    ),
    (
        "confirm_hashes",
        [
            "I confirm that password hashes may leave the system (recorded in the audit log)",
            "Potwierdzam, że zaszyfrowane hasła mogą opuścić system (zapis w dzienniku audytu)",
            "Potvrzuji, že hashe hesel mohou opustit systém (zaznamenáno v auditu)",
            "Потвърждавам, че хешовете могат да напуснат системата (записва се в одита)",
        ],
    ),
    (
        "start_export",
        ["Export", "Eksportuj", "Exportovat", "Експортирай"],
    ),
    ("name", ["Name", "Nazwa", "Název", "Име"]),
    ("language", ["Language", "Język", "Jazyk", "Език"]),
    (
        "add_or_rename_shop",
        [
            "Add or rename a shop",
            "Dodaj lub zmień nazwę sklepu",
            "Přidat nebo přejmenovat obchod",
            "Добави или преименувай магазин",
        ],
    ),
    (
        "no_profiles",
        [
            "No mapping profiles yet; save one from the mapping screen.",
            "Brak profili; zapisz profil na ekranie mapowania.",
            "Zatím žádné profily; uložte jej na obrazovce mapování.",
            "Няма профили; запазете от екрана за съпоставяне.",
        ],
    ),
    ("delete", ["Delete", "Usuń", "Smazat", "Изтрий"]),
    ("role", ["Role", "Rola", "Role", "Роля"]),
    (
        "add_user",
        [
            "Add a user",
            "Dodaj użytkownika",
            "Přidat uživatele",
            "Добави потребител",
        ],
    ),
    (
        "change_password",
        [
            "Change my password",
            "Zmień moje hasło",
            "Změnit mé heslo",
            "Смяна на паролата",
        ],
    ),
    (
        "current_password",
        [
            "Current password",
            "Obecne hasło",
            "Současné heslo",
            "Текуща парола",
        ],
    ),
    (
        "new_password",
        ["New password", "Nowe hasło", "Nové heslo", "Нова парола"],
    ),
    (
        "api_tokens",
        [
            "My API tokens",
            "Moje tokeny API",
            "Moje tokeny API",
            "Моите API токени",
        ],
    ),
    (
        "last_used",
        [
            "Last used",
            "Ostatnio użyty",
            "Naposledy použit",
            "Последно използван",
        ],
    ),
    ("revoke", ["Revoke", "Unieważnij", "Zrušit", "Отмени"]),
    (
        "create_token",
        [
            "Create token",
            "Utwórz token",
            "Vytvořit token",
            "Създай токен",
        ],
    ),
    (
        "token_once",
        [
            "Copy the new token now; it is not shown again:",
            "Skopiuj nowy token teraz; nie zostanie pokazany ponownie:",
            "Zkopírujte nový token nyní; znovu se nezobrazí:",
            "Копирайте новия токен сега; няма да бъде показан отново:",
        ],
    ),
    (
        "password_changed",
        [
            "Password changed; other sessions were logged out.",
            "Hasło zmienione; inne sesje wylogowano.",
            "Heslo změněno; ostatní relace byly odhlášeny.",
            "Паролата е сменена; другите сесии са прекратени.",
        ],
    ),
    (
        "user_added",
        [
            "User added.",
            "Dodano użytkownika.",
            "Uživatel přidán.",
            "Потребителят е добавен.",
        ],
    ),
    ("time", ["Time", "Czas", "Čas", "Време"]),
    ("action", ["Action", "Akcja", "Akce", "Действие"]),
    (
        "detail",
        ["Detail", "Szczegóły", "Podrobnosti", "Подробности"],
    ),
    (
        "audit_empty",
        [
            "Nothing recorded yet.",
            "Brak wpisów.",
            "Zatím nic nezaznamenáno.",
            "Все още няма записи.",
        ],
    ),
    ("error", ["Error", "Błąd", "Chyba", "Грешка"]),
];

/// The texts of `lang`, by key (English where a text has no translation).
pub fn texts(lang: Lang) -> BTreeMap<&'static str, &'static str> {
    TEXTS
        .iter()
        .map(|(key, values)| {
            let text = values[lang.index()];
            (*key, if text.is_empty() { values[0] } else { text })
        })
        .collect()
}

/// One text.
pub fn text(lang: Lang, key: &str) -> &'static str {
    TEXTS
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v[lang.index()])
        .unwrap_or("?")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_every_language_has_every_text() {
        let mut seen = std::collections::BTreeSet::new();
        for (key, values) in TEXTS {
            assert!(seen.insert(*key), "duplicate key {key}");
            for v in values {
                assert!(!v.is_empty(), "{key} lacks a translation");
            }
        }
    }

    #[test]
    fn every_key_a_template_uses_exists() {
        let templates = crate::templates::SOURCES;
        let keys: std::collections::BTreeSet<&str> = TEXTS.iter().map(|(k, _)| *k).collect();
        for (name, source) in templates {
            let mut rest = *source;
            while let Some(at) = rest.find("t.") {
                let before = rest[..at].chars().last();
                rest = &rest[at + 2..];
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                    continue;
                }
                let key: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_')
                    .collect();
                if !key.is_empty() {
                    assert!(
                        keys.contains(key.as_str()),
                        "{name} uses unknown text t.{key}"
                    );
                }
            }
        }
    }
}
