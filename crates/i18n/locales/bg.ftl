# custio: български. Термините на администрацията на CloudCart (glossary.md). Числата
# избират формата: one (1), other (всички останали).

## Navigation and accounts

customers = Клиенти
import = Импорт
import-log = Списък с импорти
jobs = Задачи на опашка
job = Задача
export = Експорт
shops = Магазини
profiles = Профили за съпоставяне
users = Потребители
audit = Одитен дневник
login = Вход
logout = Изход
username = Потребителско име
password = Парола
password-again = Повторете паролата
setup = Настройка на custio
setup-intro = Създайте първия администратор. Тази връзка работи само веднъж.
setup-invalid = Тази връзка за настройка вече не е валидна.
create-admin = Създай администратор
passwords-differ = Паролите се различават.
login-failed = Грешно потребителско име или парола.
login-throttled = Твърде много неуспешни опити за вход. Опитайте отново след { $minutes ->
        [one] { $minutes } минута
       *[other] { $minutes } минути
    }.
language-switch = Език

## Customer list

search-placeholder = Потребителско име, имейл, име, фирма, град
all-shops = Всички магазини
all-groups = Всички клиентски групи
all-kinds = Всички типове
kind-person = Физическо лице
kind-company = Фирма
kind-contact = Контакт
gender-male = Мъж
gender-female = Жена
yes = да
no = не
newsletter = Приема маркетинг
newsletter-all = Бюлетин: всички
newsletter-option = Бюлетин: { $value }
consent-yes = да
consent-no = не
consent-notset = не е зададено
consent-excluded = изключен
registered-from = Регистрирани от
registered-to = до
sort-option = Сортиране: { $by }
sort-id = ред на добавяне
sort-email = имейл
sort-name = име
sort-registered = дата на регистрация
sort-last_order = последна поръчка
sort-ascending = възходящо
sort-descending = низходящо
apply = Приложи
reset = Изчисти
export-selected = Експортирай избраните клиенти
export-filtered = Експортирай филтрираните клиенти
select-all = Избери всички
no-customers = Няма клиенти, които отговарят на филтъра.
first-page = Първа страница
next-page = Следваща страница
customers-in-base = { $count ->
        [one] { $count } клиент в базата
       *[other] { $count } клиента в базата
    }
choose-columns = Изберете видимите колони (текущ изглед)
save-view = Запази изгледа
col-id = ID
col-login = Потребителско име
col-email = Имейл
col-first_name = Име
col-last_name = Фамилия
col-company = Фирма
col-phone = Телефон
col-street = Улица
col-zip = Пощенски код
col-city = Град
col-country = Държава
col-shops = Магазини
col-kind = Тип
col-newsletter = Приема маркетинг
col-registered = Дата на регистрация
col-last_order = Последна поръчка
col-groups = Клиентски групи
shop-default-name = Магазин { $id }

## Import

file = Файл
format = Формат
encoding = Кодиране
detect = автоматично
format-default = по подразбиране за формата
encoding-utf-8 = UTF-8
encoding-utf-8-bom = UTF-8 с BOM (Excel)
encoding-windows-1250 = Windows-1250 (централноевропейска)
encoding-windows-1251 = Windows-1251 (кирилица)
on-existing = Вече съществуващи клиенти
on-existing-update = обнови данните им
on-existing-skip = остави ги без промяна
on-existing-fail = отхвърли реда
mapping-profile = Профил за съпоставяне
no-profile = без профил
has-header = Файлът има описателен ред на колоните (за формати, в които той не е задължителен, като CloudCart)
header-note = Нищо не се записва в клиентите, докато не импортирате избраните редове.
check-file = Провери файла
dialect-idosell = IdoSell
dialect-iof = IdoSell IOF 3.0 XML
dialect-shoptet = Shoptet
dialect-upgates = UPgates
dialect-cloudcart = CloudCart
dialect-csv = Произволен CSV файл
dialect-xlsx = Таблица на Excel (XLSX)

## Jobs

kind = Вид
status = Статус
progress = Напредък
rate = Скорост
job-rate = { $rate } в секунда
created = Дата на създаване
by = Потребител
result = Резултат
batch = Импорт
batch-title = Импорт { $id }
job-title = Задача { $id }
open-batch = Отвори импорт { $id }
download = Изтегли
download-customers = Изтегли ({ $count ->
        [one] { $count } клиент
       *[other] { $count } клиента
    })
no-jobs = Все още няма задачи.
job-kind-check = проверка на файла
job-kind-help_check = помощ при проверката на файла
job-kind-migrate = миграция от магазин
job-kind-commit = импорт
job-kind-export = експорт
job-state-queued = на опашка
job-state-running = изпълнява се
job-state-succeeded = готово
job-state-failed = неуспешна
job-failed-check = Файлът не можа да бъде проверен.
job-failed-commit = Импортът беше прекъснат.
job-failed-export = Експортът не можа да бъде записан.
job-failed-other = Задачата не успя.
job-failed-format = Форматът на файла не е разпознат. Изберете го на страницата за импорт.
job-resumed-check = Сървърът спря по време на тази задача; запазеният файл се прочита отново в нов импорт.
job-resumed-commit = Сървърът спря по време на тази задача; вече импортираните редове остават, останалите продължават.
job-resumed-other = Сървърът спря по време на тази задача; тя започва отначало.
job-interrupted = Сървърът спря по време на тази задача { $attempts ->
        [one] веднъж
       *[other] { $attempts } пъти
    }; тя няма да бъде стартирана отново.
technical-detail = Технически подробности (на английски)
actor-panel = { $user } (панел)
actor-api = { $user } (API, токен { $token })
actor-cli = { $user } (команден ред)

## Import list and one import

imported = Импортирани
invalid = Невалидни
skipped = Пропуснати
failed = Неуспешни
rows = Редове
no-batches = Все още няма импорти.
batch-status-checking = Проверява се
batch-status-needs_mapping = Нужно е съпоставяне на колони
batch-status-checked = Чака проверка
batch-status-committed = Импортиран
batch-status-failed = Неуспешен
batch-replaced = Заменен от импорт { $id } (проверен отново със съпоставянето на колоните).
batch-interrupted = Сървърът спря по време на проверката на този файл; задачата за проверка го прочита отново в нов импорт.
batch-unreadable = Файлът не можа да бъде прочетен.
batch-new-shop = Магазин { $id } все още не съществува; импортът ще го създаде като „{ $name }“. Можете да го преименувате в „Магазини“.
batch-ignored-columns = { $format } пропуска колоните, които не познава, както самата платформа: { $columns }
batch-counts = Редове: { $rows } · за импорт: { $pending } (нови: { $new }, за обновяване: { $update }, без промяна: { $unchanged }) · невалидни: { $invalid } · пропуснати: { $skipped } · импортирани: { $imported } · неуспешни: { $failed }
mapping-title = Непознати колони
mapping-intro = Файлът има колони, които custio не познава. Съпоставете всяка със свободно поле или я игнорирайте; след това файлът се проверява отново.
column = Колона
column-number = колона { $number }
columns = Колони
map-to = Поле в custio
suggested = { $field } (предложено)
ignore-column = игнорирай колоната
choose-mapping = изберете какво съдържа колоната…
save-profile-as = Запази като профил за съпоставяне
optional = по избор
apply-mapping = Съпостави и провери отново
not-imported = Неимпортирани клиенти
imported-list = Импортирани клиенти
batch-log = Дневник
tab-count = { $name } ({ $count })
show-all-rows = Покажи всички редове
only-invalid = Само невалидните редове
download-rejected = Изтегли отхвърлените редове
import-selected = Импортирай избраните клиенти
skip-selected = Пропусни избраните клиенти
import-all-valid = Импортирай всички валидни клиенти
line = Ред
customer = Клиент
will-do = Действие
edit = Редактирай
errors = Грешки
new-value = нова стойност
save = Запази
edit-failed = Промяната не беше запазена.
action-new = нов клиент
action-update = обновяване
action-unchanged = без промяна
paired-by = { $key ->
        [guid] разпознат по GUID
        [login] разпознат по потребителско име
        [email] разпознат по имейл
       *[other] разпознат по { $key }
    }
changes = Промени: { $fields }
row-status-pending = валиден
row-status-invalid = невалиден
row-status-skipped = пропуснат
row-status-imported = импортиран
row-status-failed = неуспешен
no-rows = Няма редове.
notified = Клиентът е уведомен за създадения профил
not-notified = все още не
reason = Причина
log-empty = Няма пропуснати или неуспешни редове.
customer-id = ID на клиента
confirm-title = Проверка преди импорт
confirm-intro = Можете да промените данните на тези клиенти преди импорта.
dont-ask-again = Не питай повече за потвърждение
confirm-import = Импортирай
skip = Пропусни

## Export

which-customers = Кои клиенти да се експортират
scope-all = всички клиенти
scope-filtered = филтрираните
scope-selected = избраните ({ $count })
filter-search = търсене
filter-shop = магазин
filter-group = клиентска група
filter-kind = тип
filter-newsletter = бюлетин
filter-registered_from = регистрирани от
filter-registered_to = регистрирани до
filter-pair = { $name }: { $value }
kind-full = всички данни
kind-view = данни по текущия изглед
kind-legacy = всички данни, стар формат (полски заглавия)
options = Опции
excel-safe = Безопасно за Excel (клетките, които приличат на формули, се неутрализират)
with-hashes = Включи хешовете на паролите
confirm-hashes = Потвърждавам, че хешовете на паролите могат да напуснат системата (записва се в одитния дневник)
start-export = Експортирай

## Shops, profiles, users, audit

id = ID
name = Име
url = Адрес (URL)
language = Език
add-or-rename-shop = Добави или преименувай магазин
no-profiles = Все още няма профили; запазете профил от екрана за съпоставяне.
ignored-columns = Игнорирани колони
delete = Изтрий
role = Роля
role-admin = администратор
role-staff = служител
add-user = Добави потребител
change-password = Смяна на паролата
current-password = Текуща парола
new-password = Нова парола
api-tokens = Моите API токени
last-used = Последно използван
never = никога
revoke = Анулирай
create-token = Създай токен
token-once = Копирайте новия токен сега; няма да бъде показан отново:
password-changed = Паролата е сменена; другите сесии са прекратени.
user-added = Потребителят е добавен.
time = Време
action = Действие
detail = Подробности
audit-empty = Все още няма записи.
audit-customer_created = създаден клиент
audit-customer_updated = променен клиент
audit-customer_deleted = изтрит клиент
audit-shop_saved = запазен магазин
audit-user_created = добавен потребител
audit-password_changed = сменена парола
audit-token_created = създаден API токен
audit-token_revoked = анулиран API токен
audit-export_with_password_hashes = експорт с хешовете на паролите
audit-export_downloaded = изтеглен файл с експорт
audit-export_with_password_hashes_downloaded = изтеглен експорт с хешовете на паролите
audit-rejected_downloaded = изтеглени отхвърлени редове
detail-customer = клиент { $id }
detail-user = потребител { $name }
detail-shop = магазин { $name }
detail-token = токен { $name }
detail-format = формат { $name }
detail-search = търсене „{ $value }“
detail-job = задача { $id }
detail-file = файл { $name }
detail-batch = импорт { $id }
language-name = { $code ->
        [pl] полски
        [cs] чешки
        [sk] словашки
        [bg] български
        [en] английски
        [de] немски
        [hu] унгарски
        [ro] румънски
        [uk] украински
        [lt] литовски
        [sl] словенски
        [hr] хърватски
        [it] италиански
        [fr] френски
        [es] испански
       *[other] { $code }
    }

## Errors

error = Грешка
error-back = Обратно към панела
error-unauthenticated = Първо влезте в системата.
error-forbidden = Вашата роля не позволява това.
error-csrf_failed = Формулярът е изтекъл. Отворете страницата отново и повторете.
error-not_found = Това не съществува (вече).
error-invalid_request = Нещо във формуляра не е валидно.
error-conflict = Това име или ключ вече е заето.
error-not_allowed = Това не е възможно в текущото състояние на импорта.
error-too_many_attempts = Твърде много опити; изчакайте няколко минути.
error-too_large = Файлът е по-голям от { $mb } MB, които този сървър приема.
error-internal = Възникна грешка на сървъра. Подробностите са в дневника на сървъра.
error-choose-file = Изберете файл за импорт.
error-empty-file = Файлът е празен.
error-select-customers = Първо изберете клиенти.
error-shop-id = ID на магазина е число по-голямо от 0.
error-shop-name = Магазинът трябва да има име.
error-current-password = Текущата парола е грешна.
error-password-short = Паролата трябва да има поне { $count ->
        [one] { $count } знак
       *[other] { $count } знака
    }.
error-username = Потребителското име трябва да е от 1 до 64 знака.
error-user-exists = Вече има потребител с това име.

## Customer fields (mapping and edit lists, changes of a row)

field-guid = GUID
field-login = Потребителско име
field-email = Имейл
field-code = Код на клиента
field-kind = Тип клиент
field-gender = Пол
field-degree = Титла
field-first-name = Име
field-last-name = Фамилия
field-full-name = Име и фамилия
field-nickname = Псевдоним
field-company-name = Име на фирмата
field-company-company-number = ЕИК
field-company-vat-id = ДДС номер
field-company-tax-id = Данъчен номер
field-company-vat-payer = Регистриран по ДДС
field-phone = Телефон
field-phone2 = Втори телефон
field-fax = Факс
field-billing-full-name = Адрес за фактуриране: име
field-billing-company = Адрес за фактуриране: фирма
field-billing-street = Адрес за фактуриране: улица
field-billing-house-number = Адрес за фактуриране: номер
field-billing-city = Адрес за фактуриране: град
field-billing-district = Адрес за фактуриране: квартал
field-billing-zip = Адрес за фактуриране: пощенски код
field-billing-country = Адрес за фактуриране: държава
field-language = Език
field-shops = Магазини
field-wholesaler = Търговец на едро
field-groups = Клиентски групи
field-pricelist = Ценова листа
field-discount-pct = Отстъпка (%)
field-loyalty-points = Точки за лоялност
field-balance = Салдо
field-balance-limit = Лимит на салдото
field-active = Активен
field-blocked = Блокиран
field-email-verified = Потвърден имейл
field-newsletter-email = Приема маркетинг по имейл
field-newsletter-email-shops = Приема маркетинг по имейл: магазини
field-newsletter-sms = Приема маркетинг по SMS
field-newsletter-sms-shops = Приема маркетинг по SMS: магазини
field-registered-at = Дата на регистрация
field-last-login-at = Последен вход
field-last-order-at = Последна поръчка
field-shipping = Адреси за доставка
field-note = Бележка
field-tags = Етикети
field-agreements = Съгласия
field-password = Парола
field-shipping-guid = Адрес за доставка: GUID
field-shipping-full-name = Адрес за доставка: име
field-shipping-company = Адрес за доставка: фирма
field-shipping-street = Адрес за доставка: улица
field-shipping-house-number = Адрес за доставка: номер
field-shipping-city = Адрес за доставка: град
field-shipping-district = Адрес за доставка: квартал
field-shipping-zip = Адрес за доставка: пощенски код
field-shipping-country = Адрес за доставка: държава
field-shipping-phone = Адрес за доставка: телефон
field-custom = Допълнително поле: { $key }
field-stat = Статистика: { $key }
field-extra = Колона на { $format }: { $column }
field-extra-other = Друга колона: { $key }
field-agreement-status = Съгласие: { $key }
field-agreement-time = Съгласие дадено на: { $key }
field-agreement-valid-to = Съгласие валидно до: { $key }

## Row issues (custio_model::IssueCode) and row results (RowNote). A message starts in
## lower case where a word begins it: the code puts it after "Колона …:" or capitalises it.

issue-in-column = Колона „{ $column }“: { $message }
issue-warning = Предупреждение: { $message }
word-or = или
key-name = { $key ->
        [login] потребителско име
        [email] имейл
        [guid] GUID
       *[other] { $key }
    }
issue-invalid_email = „{ $value }“ не е валиден имейл адрес; напишете го във вида име@домейн, напр. ivan@example.bg
issue-invalid_phone = „{ $value }“ не е телефонен номер; използвайте цифри, по желание с + в началото, напр. +359888123456
issue-invalid_country = „{ $value }“ не е държава; използвайте код, напр. BG или PL, или името на държавата
issue-invalid_language = „{ $value }“ не е език; използвайте код, напр. bg или bul
issue-invalid_date = „{ $value }“ не е дата в очаквания формат { $expected }
issue-invalid_number = „{ $value }“ не е число; използвайте цифри с десетична точка или запетая, напр. 12,50
issue-invalid_integer = „{ $value }“ не е цяло число
issue-invalid_choice = стойността „{ $value }“ не е позволена тук; позволени стойности: { $allowed }
issue-invalid_shop_ids = „{ $value }“ не е списък с ID на магазини; напишете ID, разделени със запетаи без интервали, напр. 1,2,3
issue-too_long = стойността е дълга { $len ->
        [one] { $len } знак
       *[other] { $len } знака
    }; позволени са най-много { $max }
issue-control_character = „{ $value }“ съдържа знака { $character }, който никоя стойност на клиент не може да съдържа; премахнете го
issue-invalid_blank = „{ $value }“ не може да съдържа интервали или нови редове
issue-too_many_cells = клетки в реда: { $cells }, в заглавния ред: { $expected }; някоя стойност вероятно съдържа разделител без кавички
issue-too_few_cells = клетки в реда: { $cells }, в заглавния ред: { $expected }; липсват клетки или редът е разделен
issue-broken_quote = клетки в реда: { $cells }, в заглавния ред: { $expected }, а клетка в кавички продължава на няколко реда; вероятно кавичките (") не са затворени
issue-unmappable_character = знакът „{ $value }“ ({ $codepoint }) не може да бъде записан в кодиране { $encoding }; изберете UTF-8 или променете стойността
issue-missing_required = полето „{ $field }“ е задължително във всеки ред на формата { $dialect }; попълнете го
issue-missing_required_new = полето „{ $field }“ е задължително за нов клиент във формата { $dialect }; попълнете го
issue-missing_email = редът няма имейл адрес; { $dialect } изисква имейл във всеки ред, затова редът се пропуска
issue-missing_identity = редът няма нито едно от полетата: { $fields }; попълнете поне едно от тях
issue-unknown_pricelist = ценовата листа „{ $name }“ не съществува, затова не се прилага
issue-unknown_group = тези клиентски групи не съществуват и няма да бъдат създадени: { $names }
issue-unknown_agreement = съгласието „{ $name }“ не съществува, затова се игнорира
issue-customer_exists = клиент { $customer } вече съществува ({ $paired }), а за съществуващите клиенти е избрано отхвърляне на реда
issue-duplicate_login = потребителското име „{ $value }“ вече се среща на ред { $line }; всеки клиент може да присъства във файла само веднъж
issue-duplicate_email = имейлът „{ $value }“ вече се среща на ред { $line }; всеки клиент може да присъства във файла само веднъж
issue-taken-stored = { $by } от реда принадлежи на клиент { $customer }, чието поле { $key } е „{ $stored }“, а не „{ $value }“; поправете реда или клиента
issue-taken-paired = редът е разпознат като клиент { $customer } ({ $paired }), но неговото поле { $key } „{ $value }“ принадлежи на друг клиент; поправете едно от двете
issue-taken = { $key } „{ $value }“ вече се използва от друг клиент
issue-changed_since_check = клиент { $customer } е променен след проверката; проверете файла отново, за да сравните реда с клиента в сегашния му вид
note-created = създаден клиент { $customer }
note-updated = обновен клиент { $customer }
note-unchanged = клиент { $customer } вече има тези данни
note-skipped_by_user = пропуснат от потребителя
note-skipped_existing = клиент { $customer } съществува ({ $paired }); пропуснат, защото съществуващите клиенти се оставят без промяна
note-skipped_without_key = клиент { $customer } вече има това поле { $by }, но редът няма { $required }; { $dialect } обновява клиент само по { $required }, затова редът се пропуска
note-repeated_in_file = { $key } „{ $value }“ вече се среща на ред { $line }; импортира се само първото срещане
