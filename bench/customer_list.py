"""Fills a custio store with N customers and times the customer list (see customer-list.sh).

The store is filled with SQL straight into the schema custio created (the import path has
its own benchmark, import-memory.sh); every row is a valid customer document, and the
indexed list columns are computed by SQLite itself as in production.
"""
import base64, http.cookiejar, json, os, random, socket, sqlite3, statistics, subprocess, sys, time, urllib.parse, urllib.request

bin, out, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
db = os.path.join(out, f"list-{count}.db")
url_db = "sqlite://" + db
data = os.path.join(out, "list-data")

FIRST = ["Jan", "Anna", "Piotr", "Ewa", "Marek", "Zofia", "Petra", "Ivan", "Maria", "Tomasz"]
LAST = ["Nowak", "Kowalska", "Zieliński", "Novák", "Dvořák", "Иванов", "Wiśniewski", "Horák", "Petrova", "Mazur"]
CITY = ["Warszawa", "Kraków", "Praha", "Brno", "София", "Gdańsk", "Poznań", "Plovdiv"]
KINDS = ["person", "person", "person", "company", "contact"]
CONSENT = ["yes", "no", "notset", "excluded"]

def fill():
    if os.path.exists(db):
        con = sqlite3.connect(db)
        have = con.execute("SELECT COUNT(*) FROM customers").fetchone()[0]
        con.close()
        if have == count:
            return
        os.remove(db)
    # Let custio create and migrate the schema.
    subprocess.run([bin, "--db", url_db, "users", "list"], check=True, capture_output=True)
    con = sqlite3.connect(db)
    con.execute("PRAGMA journal_mode = WAL")
    con.execute("PRAGMA synchronous = OFF")
    rnd = random.Random(42)
    now = "2026-01-01 00:00:00"
    def rows():
        for i in range(1, count + 1):
            first, last, city = rnd.choice(FIRST), rnd.choice(LAST) + str(rnd.randrange(1000)), rnd.choice(CITY)
            login = f"user{i}"
            email = f"{first.lower()}.{i}@example{rnd.randrange(50)}.pl"
            reg = f"20{rnd.randrange(10, 26):02}-{rnd.randrange(1, 13):02}-{rnd.randrange(1, 29):02}T{rnd.randrange(24):02}:{rnd.randrange(60):02}:00"
            last_order = None if rnd.random() < 0.3 else f"2025-{rnd.randrange(1, 13):02}-{rnd.randrange(1, 29):02}T10:00:00"
            shop = rnd.choice([1, 1, 2])
            doc = {
                "login": login, "email": email, "kind": rnd.choice(KINDS), "first_name": first, "last_name": last,
                "billing": {"city": city, "zip": "00-950", "street": f"Jasna {i % 100}", "country": "PL"},
                "shops": [shop], "groups": ["vip"] if i % 97 == 0 else [], "newsletter_email": rnd.choice(CONSENT),
                "registered_at": reg, "last_order_at": last_order, "active": True,
            }
            search = " ".join([login, email, first, last, city]).lower()
            yield (login, email, f",{shop},", search, json.dumps(doc, ensure_ascii=False), now, now)
    con.executemany(
        "INSERT INTO customers (login, email_key, shops, search, data, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        rows(),
    )
    con.execute("INSERT OR IGNORE INTO shops (id, name) VALUES (2, 'Shop 2')")
    con.commit()
    con.execute("ANALYZE")
    con.close()

start = time.time()
fill()
print(f"store: {count} customers in {db} (filled in {time.time() - start:.0f} s)")

subprocess.run([bin, "--db", url_db, "users", "add", "bench", "--admin"], input="bench-password\n", text=True, capture_output=True)
sock = socket.socket(); sock.bind(("127.0.0.1", 0)); port = sock.getsockname()[1]; sock.close()
server = subprocess.Popen([bin, "--db", url_db, "serve", "--bind", f"127.0.0.1:{port}", "--data-dir", data],
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
try:
    base = f"http://127.0.0.1:{port}"
    while "running" not in server.stdout.readline():
        pass
    jar = http.cookiejar.CookieJar()
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *a, **k):
            return None
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    opener.open(base + "/login").read()
    pre = next(c.value for c in jar if c.name == "custio_pre")
    try:
        opener.open(base + "/login", urllib.parse.urlencode({"csrf": pre, "username": "bench", "password": "bench-password"}).encode())
    except urllib.error.HTTPError as e:
        assert e.code == 303, e.code
    me = json.load(opener.open(base + "/api/v1/me"))
    req = urllib.request.Request(base + "/api/v1/tokens", json.dumps({"name": "bench"}).encode(),
                                 {"Content-Type": "application/json", "X-CSRF-Token": me["csrf_token"]})
    token = json.load(opener.open(req))["token"]
    auth = {"Authorization": "Bearer " + token}

    def timed(path, headers=auth, n=30):
        times, body = [], None
        for _ in range(n):
            t = time.perf_counter()
            with urllib.request.urlopen(urllib.request.Request(base + path, headers=headers)) as r:
                body = r.read()
            times.append((time.perf_counter() - t) * 1000)
        times.sort()
        return statistics.median(times), times[int(len(times) * 0.95) - 1], body

    con = sqlite3.connect(db)
    cols = {"id": "id", "email": "list_email", "name": "list_name", "registered": "list_registered", "last_order": "list_last_order"}
    def cursor_at(sort, desc, offset):
        col = cols[sort]
        d = "DESC" if desc else "ASC"
        order = f"id {d}" if sort == "id" else f"{col} {d}, id {d}"
        value, id_ = con.execute(f"SELECT {col}, id FROM customers ORDER BY {order} LIMIT 1 OFFSET ?", (offset,)).fetchone()
        raw = json.dumps({"value": str(value), "id": id_}).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    results = []
    def row(label, path):
        p50, p95, body = timed(path)
        results.append(p95)
        print(f"{label:<44} p50 {p50:6.1f} ms   p95 {p95:6.1f} ms")
        return body

    print("GET /api/v1/customers, 50 per page, 30 requests each")
    for sort in cols:
        for desc in (False, True):
            order = "desc" if desc else "asc"
            q = f"/api/v1/customers?limit=50&sort={sort}&order={order}"
            body = row(f"{sort} {order}: first page", q)
            nxt = json.loads(body)["next"]
            for _ in range(9):
                nxt = json.loads(timed(q + "&after=" + nxt, n=1)[2])["next"]
            row(f"{sort} {order}: page 11 (by cursor)", q + "&after=" + nxt)
            row(f"{sort} {order}: middle (row {count // 2})", q + "&after=" + cursor_at(sort, desc, count // 2))
            row(f"{sort} {order}: last page", q + "&after=" + cursor_at(sort, desc, count - 51))
    for f in ["kind=company", "newsletter=yes", "shop=2", "registered_from=2020-01-01&registered_to=2020-12-31", "kind=company&sort=email", "group=vip"]:
        row(f"filter {f}", f"/api/v1/customers?limit=50&{f}")
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    p50, p95, _ = timed("/customers?sort=name&order=desc", headers={"Cookie": cookie})
    results.append(p95)
    print(f"{'panel page /customers (HTML, with the count)':<44} p50 {p50:6.1f} ms   p95 {p95:6.1f} ms")
    p50, p95, _ = timed("/api/v1/customers?search=kowalska", n=5)
    print(f"{'search (substring scan, not an index; info)':<44} p50 {p50:6.1f} ms   p95 {p95:6.1f} ms")
    worst = max(results)
    print(f"worst p95 over sorts, pages and filters: {worst:.1f} ms (goal < 50 ms): {'OK' if worst < 50 else 'MISSED'}")
finally:
    server.terminate()
    server.wait()
