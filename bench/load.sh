#!/usr/bin/env bash
# Load test of the panel and the API on 127.0.0.1: wrk with CONNECTIONS connections over
# eight list and panel pages of a store holding ROWS customers, for SECONDS, first alone,
# then while three imports of 30,000 rows each run through the job queue. Prints
# requests/s, p50/p95/p99 latency and errors for both; writes bench/out/load.md.
#
# Usage: bash bench/load.sh [ROWS] [SECONDS] [CONNECTIONS]   (defaults 1000000 30 50)
#        CUSTIO_BIN=/path/to/custio bash bench/load.sh ...   (that binary; builds nothing)
# Needs wrk (apt-get install wrk) and python3.
set -euo pipefail
[ -z "${CUSTIO_BIN:-}" ] || CUSTIO_BIN=$(realpath -m "$CUSTIO_BIN")
cd "$(dirname "$0")/.."
rows=${1:-1000000} seconds=${2:-30} connections=${3:-50}
out=bench/out work=bench/out/load
command -v wrk >/dev/null || { echo "needs wrk: apt-get install wrk" >&2; exit 2; }
bin=${CUSTIO_BIN:-}
if [ -z "$bin" ]; then cargo build --release -q -p custio; bin=target/release/custio; fi
rm -rf "$work"; mkdir -p "$work"
file=$out/idosell-$rows.csv
[ -s "$file" ] || python3 bench/gen_idosell.py "$rows" > "$file"
small=$work/small.csv
python3 bench/gen_idosell.py 30000 | sed 's/user\([0-9]\)/load\1/g; s/@example/@load/g' > "$small"
db="sqlite://$work/load.db"
"$bin" --db "$db" import "$file" --format idosell --commit > /dev/null
printf 'load-test-password\n' | "$bin" --db "$db" users add admin --admin > /dev/null
"$bin" --db "$db" serve --bind 127.0.0.1:0 --data-dir "$work/data" > "$work/serve.out" 2> "$work/serve.log" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
until grep -q "custio is running" "$work/serve.out"; do sleep 0.2; done
url=$(sed -n 's/^custio is running: open //p' "$work/serve.out" | head -1)
token=$(python3 - "$url" <<'PY'
import http.cookiejar, json, sys, urllib.parse, urllib.request
url = sys.argv[1]
jar = http.cookiejar.CookieJar()
class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k): return None
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
opener.open(url + "/login")
pre = next(c.value for c in jar if c.name == "custio_pre")
data = urllib.parse.urlencode({"csrf": pre, "username": "admin", "password": "load-test-password"}).encode()
try: opener.open(url + "/login", data)
except urllib.error.HTTPError as e: pass
me = json.load(opener.open(url + "/api/v1/me"))
req = urllib.request.Request(url + "/api/v1/tokens", json.dumps({"name": "load"}).encode(),
                             {"Content-Type": "application/json", "X-CSRF-Token": me["csrf_token"]})
print(json.load(opener.open(req))["token"])
PY
)
cat > "$work/paths.lua" <<LUA
local paths = {
  "/api/v1/customers?limit=50", "/api/v1/customers?search=kowal&limit=50",
  "/api/v1/customers?sort=registered&limit=50", "/api/v1/batches", "/api/v1/jobs",
  "/api/v1/customers?search=user4&limit=50", "/api/v1/shops", "/api/v1/formats",
}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1], { ["Authorization"] = "Bearer $token" })
end
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format("RESULT %.1f %.1f %.1f %.1f %d %d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, errors, summary.errors.timeout))
end
LUA
measure() { wrk -t2 -c"$connections" -d"${seconds}s" --timeout 5s -s "$work/paths.lua" "$url" | grep '^RESULT' | cut -d' ' -f2-; }
alone=$(measure)
# Three clients import for the whole second run: upload, wait for the check, commit, wait
# for the commit, again, each round with new logins and e-mails (so every commit creates).
python3 bench/load_imports.py "$url" "$token" "$small" "$((seconds + 5))" > "$work/imports.txt" &
importer=$!
sleep 2
busy=$(measure)
wait $importer
read -r imports succeeded created < "$work/imports.txt"
python3 - "$alone" "$busy" "$rows" "$seconds" "$connections" "$out/load.md" "$imports" "$succeeded" "$created" <<'PY'
import sys, datetime, os
alone, busy, rows, seconds, conns, md, imports, succeeded, created = sys.argv[1:]
def row(name, r):
    rps, p50, p95, p99, errors, timeouts = r.split()
    return f"| {name} | {float(rps):.0f} | {float(p50):.0f} ms | {float(p95):.0f} ms | {float(p99):.0f} ms | {errors} | {timeouts} |"
lines = [f"{int(rows):,} customers, {conns} connections, {seconds} s each, 2 wrk threads, "
         f"{os.cpu_count()} cores, {datetime.datetime.now().astimezone().isoformat(timespec='seconds')}", "",
         "| run | requests/s | p50 | p95 | p99 | errors | timeouts |", "|---|---|---|---|---|---|---|",
         row("alone", alone), row("while three clients import 30,000-row files", busy), "",
         f"During the second run: {imports} imports (check and commit) finished, {succeeded} succeeded, {int(created):,} customers created."]
print("\n".join(lines))
open(md, "w").write("\n".join(lines) + "\n")
PY
