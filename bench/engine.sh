#!/usr/bin/env bash
# Whole-process benchmark of the custio engine, with Debian's sqlite3 as the reference.
#
# Measures, in one run and side by side with the reference measured in the same run:
#   - import (check + commit) of ROWS IdoSell rows into an empty store, against
#     `sqlite3 .import` of the same file into a bare table (WAL);
#   - the same file again into the store holding it, against the same reference;
#   - the check alone (`custio import FILE` without --commit, fresh store), same reference;
#   - export of the ROWS customers, against `sqlite3 -csv` of the bare table into a file;
#   - peak memory (max RSS) of the import at ROWS and at BIG_ROWS rows;
#   - store bytes per customer after `batches purge --all`, against CSV bytes per row.
# Prints a table (figure, custio, reference, ratio, goal, must reach, ok/MISSED), the stage
# profile of each import, and the machine; writes bench/out/engine.json and engine.md.
# Exit code 0 when every "must reach" holds, 1 otherwise (a figure the binary cannot
# produce yet shows n/a with the reason and counts as missed).
#
# Usage: bash bench/engine.sh [ROWS] [BIG_ROWS]   (defaults 1000000 5000000)
#        bash bench/engine.sh --quick             (same as 100000 300000)
#        CUSTIO_BIN=/path/to/custio bash bench/engine.sh ...   (that binary; builds nothing)
#        ROUNDS=N bash bench/engine.sh ...        (rounds of the timed runs; default 3)
#
# Run it with the machine otherwise idle: every timed figure is the median wall clock of
# ROUNDS rounds, each round running the reference and then custio, so that both sides meet
# the same noise; the BIG_ROWS import (memory only) runs once. Nothing is dropped from the page cache (we cannot); the generated files are read
# once before measuring so that all runs start warm, and the runs go in the same order
# every time: the reference first, then custio.
set -euo pipefail
[ -z "${CUSTIO_BIN:-}" ] || CUSTIO_BIN=$(realpath -m "$CUSTIO_BIN")   # before leaving the caller's directory
cd "$(dirname "$0")/.."

out=bench/out
runs=$out/engine-runs   # per measured process: NAME.json, NAME.stdout, NAME.stderr, NAME.na
sqlite=/usr/bin/sqlite3
store=$out/engine-store.db
rounds=${ROUNDS:-3}
round=1                 # the round being measured: records are NAME.ROUND.json
profile=yes             # becomes no when the binary rejects --profile
profile_na=""

usage() {
  sed -n '/^# Usage:/,/^#$/p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
}

log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }

die() { log "error: $*"; exit 2; }

parse_args() { # sets rows and big_rows
  rows=1000000 big_rows=5000000
  case "${1:-}" in
    -h|--help) usage ;;
    --quick) rows=100000 big_rows=300000; shift ;;
    *) rows=${1:-$rows} big_rows=${2:-$big_rows}; shift $(($# < 2 ? $# : 2)) ;;
  esac
  [ $# -eq 0 ] || usage
  [[ $rows =~ ^[1-9][0-9]*$ && $big_rows =~ ^[1-9][0-9]*$ ]] || usage
  [[ $rounds =~ ^[1-9][0-9]*$ ]] || usage
}

custio_binary() { # sets bin
  if [ -n "${CUSTIO_BIN:-}" ]; then
    bin=$CUSTIO_BIN
  else
    log "building the release binary"
    cargo build --release -q -p custio
    bin=${CARGO_TARGET_DIR:-target}/release/custio
  fi
  [ -x "$bin" ] || die "no custio binary at $bin"
}

# generate ROWS: prints the path of a cached IdoSell file with ROWS rows, made if missing.
# The file is written under a temporary name and renamed, so a cached file is complete.
generate() {
  local file=$out/idosell-$1.csv
  if [ ! -s "$file" ] || [ "$(wc -l < "$file")" -ne $(($1 + 1)) ]; then
    log "generating $file"
    python3 bench/gen_idosell.py "$1" > "$file.tmp"
    mv "$file.tmp" "$file"
  fi
  echo "$file"
}

drop_db() { rm -f "$1" "$1-wal" "$1-shm"; }

db_bytes() { # the main file and the -wal file, if any
  local bytes=0 f
  for f in "$1" "$1-wal"; do
    [ -e "$f" ] && bytes=$((bytes + $(stat -c %s "$f")))
  done
  echo "$bytes"
}

# The measuring wrapper: runs one command and records, as JSON, its exit code, its wall time
# (perf_counter around subprocess.run) and its own peak memory. With ENGINE_TIME=1 the
# command runs under `/usr/bin/time -f %M`, which reports the child's own max RSS; without,
# getrusage(RUSAGE_CHILDREN) of the wrapper is used, which includes the wrapper's own size
# (about 14 MB) because the child inherits it at fork. Exits with the command's exit code.
read -r -d '' MEASURE <<'PY' || true
import json, os, resource, subprocess, sys, time

record, stdout_path, stderr_path, *cmd = sys.argv[1:]
rss_file = record + ".rss"
if os.environ.get("ENGINE_TIME") == "1":
    cmd = ["/usr/bin/time", "-f", "%M", "-o", rss_file, *cmd]
with open(stdout_path, "wb") as stdout, open(stderr_path, "wb") as stderr:
    start = time.perf_counter()
    code = subprocess.run(cmd, stdout=stdout, stderr=stderr).returncode
    seconds = time.perf_counter() - start
if os.path.exists(rss_file):
    with open(rss_file) as f:
        maxrss_kib = int(f.read().split()[-1])  # GNU time may put a status line first
    os.remove(rss_file)
else:
    maxrss_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
with open(record, "w") as f:
    json.dump({"cmd": cmd, "code": code, "seconds": seconds, "maxrss_kib": maxrss_kib}, f)
sys.exit(code)
PY

memory_tool() { # sets ENGINE_TIME when GNU time can report the child's own max RSS
  if /usr/bin/time -f %M -o /dev/null true 2> /dev/null; then
    export ENGINE_TIME=1
  else
    export ENGINE_TIME=0
    log "no GNU /usr/bin/time: peak memory includes the Python wrapper (about 14 MB)"
  fi
}

shown() { # the arguments as a command line to copy, quoted where needed
  local arg line=""
  for arg in "$@"; do
    [[ $arg =~ ^[][A-Za-z0-9_./:=+,%@-]+$ ]] || arg="'${arg//\'/\'\\\'\'}'"
    line+="$arg "
  done
  echo "${line% }"
}

# measure NAME STDOUT CMD...: runs CMD once, measured; returns its exit code.
measure() {
  local name=$1 stdout=$2; shift 2
  log "$name: $(shown "$@") > $stdout"
  python3 -c "$MEASURE" "$runs/$name.$round.json" "$stdout" "$runs/$name.$round.stderr" "$@"
}

# expect NAME CODE OK_CODES...: stops with the command's stderr unless CODE is one of them.
expect() {
  local name=$1 code=$2 ok; shift 2
  for ok in "$@"; do [ "$code" -eq "$ok" ] && return 0; done
  cat "$runs/$name.$round.stderr" >&2
  die "$name failed with exit code $code"
}

first_error() { grep -m1 . "$runs/$1.$round.stderr" || echo "exit code 2"; }

# custio_import NAME DB FILE [--commit]: one import with the JSON report on NAME.stdout.
# Retries without --profile when the binary rejects it (usage error, exit code 2).
custio_import() {
  local name=$1 db=$2 file=$3 code=0; shift 3
  local cmd=("$bin" --db "sqlite://$db" import "$file" "$@" --json)
  if [ "$profile" = yes ]; then
    measure "$name" "$runs/$name.$round.stdout" "${cmd[@]}" --profile || code=$?
    [ "$code" -eq 2 ] || { expect "$name" "$code" 0 3; return; }
    profile=no profile_na="the binary rejects --profile: $(first_error "$name")"
    log "$name: $profile_na; again without --profile"
    code=0
  fi
  measure "$name" "$runs/$name.$round.stdout" "${cmd[@]}" || code=$?
  expect "$name" "$code" 0 3
}

# custio_step NAME STDOUT ARGS...: a custio command the binary may not support yet; a usage
# error (exit code 2) records n/a with the reason instead of stopping.
custio_step() {
  local name=$1 stdout=$2 code=0; shift 2
  measure "$name" "$stdout" "$bin" "$@" || code=$?
  if [ "$code" -eq 2 ]; then
    first_error "$name" > "$runs/$name.na"
    log "$name: n/a ($(cat "$runs/$name.na"))"
  else
    expect "$name" "$code" 0
  fi
}

sqlite_step() { # sqlite_step NAME STDOUT ARGS...: one reference run; must succeed
  local name=$1 stdout=$2 code=0; shift 2
  measure "$name" "$stdout" "$sqlite" "$@" || code=$?
  expect "$name" "$code" 0
}

reference() { # FILE: sqlite3 .import into a bare table (WAL), then sqlite3 -csv export
  local db=$out/engine-sqlite.db export=$out/engine-sqlite-export.csv
  drop_db "$db"
  sqlite_step sqlite-import /dev/null "$db" "PRAGMA journal_mode=WAL;" ".mode csv" \
    '.separator ";"' ".import $1 customers"
  sqlite_step sqlite-export "$export" -csv "$db" "SELECT * FROM customers"
  rm -f "$export"
  drop_db "$db"
}

custio_runs() { # FILE [BIG_FILE]: every custio figure, in the same order every time
  local export=$out/engine-custio-export.csv check=$out/engine-check.db big=$out/engine-big.db
  drop_db "$store"
  custio_import custio-import "$store" "$1" --commit
  custio_import custio-reimport "$store" "$1" --commit
  drop_db "$check"
  custio_import custio-check "$check" "$1"
  drop_db "$check"
  custio_step custio-export /dev/null --db "sqlite://$store" export --kind full -o "$export"
  rm -f "$export"
  # Without purge the size is recorded anyway: the report shows it as a note.
  custio_step custio-purge /dev/null --db "sqlite://$store" batches purge --all
  db_bytes "$store" > "$runs/store-bytes"
  drop_db "$store"
  [ -n "${2:-}" ] || return 0
  drop_db "$big"
  custio_import custio-big "$big" "$2" --commit
  drop_db "$big"
}

cleanup() {
  local db
  for db in "$out"/engine-*.db; do drop_db "$db"; done
  rm -f "$out"/engine-*-export.csv
}

# The report: reads the records in $runs and prints the table, the profiles and the
# machine; writes engine.json and engine.md; exits 1 when a "must reach" does not hold.
read -r -d '' REPORT <<'PY' || true
import datetime, json, os, platform, subprocess, sys

runs, out, rows, big_rows, file, bin, sqlite, profile_na = sys.argv[1:]
rows, big_rows = int(rows), int(big_rows)
MB = 1_000_000
notes = []


def load(name):
    """The run of median wall time among the rounds: its record, its JSON report (custio
    imports) and the n/a reason, if any; "rounds" holds every round's seconds."""
    path = os.path.join(runs, name)
    run = {"name": name}
    if os.path.exists(path + ".na"):
        run["na"] = open(path + ".na").read().strip()
        return run
    records = []
    for entry in sorted(os.listdir(runs)):
        parts = entry.split(".")
        if len(parts) == 3 and parts[0] == name and parts[2] == "json":
            records.append((json.load(open(os.path.join(runs, entry))), parts[1]))
    if not records:
        return run
    records.sort(key=lambda r: r[0]["seconds"])
    median, number = records[len(records) // 2]
    run.update(median)
    run["rounds"] = [r[0]["seconds"] for r in records]
    stdout = f"{path}.{number}.stdout"
    if os.path.exists(stdout):
        run["report"] = report(stdout)
    return run


def report(path):
    """custio's JSON report; empty (with a note) when stdout holds something else."""
    try:
        return json.load(open(path))
    except ValueError:
        notes.append(f"no JSON report in {path}")
        return {}


R = {n: load(n) for n in ["sqlite-import", "sqlite-export", "custio-import", "custio-reimport",
                          "custio-check", "custio-export", "custio-purge", "custio-big"]}
with open(file, "rb") as f:
    header = len(f.readline())
csv_bytes_per_row = (os.path.getsize(file) - header) / rows
store_bytes = int(open(os.path.join(runs, "store-bytes")).read())
customers = R["custio-import"]["report"].get("imported") or rows


def seconds(run):
    return None if "na" in run else run["seconds"]


def mb(run):
    return None if "na" in run else run["maxrss_kib"] * 1024 / MB


def line(name, unit, custio, reference, ratio, goal, must, goal_met, holds, na=None):
    """One line of the table; goal_met and holds are None when the figure is n/a."""
    if na:
        notes.append(f"n/a: {name}: {na}")
    status = "n/a" if holds is None else "MISSED" if not holds else "ok (goal)" if goal_met else "ok"
    return {"figure": name, "unit": unit, "custio": custio, "reference": reference, "ratio": ratio,
            "goal": goal, "must": must, "status": status, "holds": bool(holds)}


def ratio_line(name, unit, custio, reference, goal, must, na=None):
    """A line whose ratio custio / reference is held against the goal and the must-reach."""
    if custio is None:
        return line(name, unit, None, reference, None, f"{goal:.1f}", f"{must:.1f}", None, None, na)
    ratio = custio / reference
    return line(name, unit, custio, reference, ratio, f"{goal:.1f}", f"{must:.1f}",
                ratio <= goal, ratio <= must)


def timing(name, custio, reference, goal, must):
    return ratio_line(name, "s", seconds(R[custio]), seconds(R[reference]), goal, must, R[custio].get("na"))


LIMIT_MB = 150  # peak memory: goal and must-reach; the goal also wants both peaks equal
EQUAL = 1.10    # "equal" peaks: the larger file needs at most this much more memory
small, big = mb(R["custio-import"]), mb(R["custio-big"])
purge_na = R["custio-purge"].get("na")
if purge_na:
    notes.append(f"without purge the store holds {store_bytes / customers:,.0f} bytes per customer"
                 f" ({store_bytes:,} bytes for {customers:,} customers)")
figures = [
    timing(f"import {rows:,} rows into an empty store (check + commit) / sqlite3 .import",
           "custio-import", "sqlite-import", 1.0, 3.0),
    timing("the same file again into the store holding it / sqlite3 .import",
           "custio-reimport", "sqlite-import", 1.5, 4.0),
    timing("check alone, fresh store / sqlite3 .import", "custio-check", "sqlite-import", 0.5, 1.5),
    timing(f"export {customers:,} customers (--kind full) / sqlite3 -csv",
           "custio-export", "sqlite-export", 0.5, 1.0),
    line(f"peak memory, import {rows:,} rows (reference: sqlite3 .import)", "MB", small,
         mb(R["sqlite-import"]), None, f"< {LIMIT_MB} MB", f"< {LIMIT_MB} MB",
         small < LIMIT_MB, small < LIMIT_MB),
    line(f"peak memory, import {big_rows:,} rows (ratio: against {rows:,} rows)", "MB", big, None,
         big / small, f"< {LIMIT_MB} MB, equal", f"< {LIMIT_MB} MB",
         big < LIMIT_MB and big / small <= EQUAL, big < LIMIT_MB),
    ratio_line("store bytes per customer after purge / CSV bytes per row", "B",
               None if purge_na else store_bytes / customers, csv_bytes_per_row, 1.0, 1.5, purge_na),
]


def cell(value, unit):
    if value is None:
        return "n/a"
    if unit == "s":
        return f"{value:.2f} s"
    if unit == "MB":
        return f"{value:.1f} MB"
    return f"{value:,.0f} B"


def table_rows():
    for f in figures:
        reference = "-" if f["reference"] is None and f["custio"] is not None else cell(f["reference"], f["unit"])
        yield [f["figure"], cell(f["custio"], f["unit"]), reference,
               "-" if f["ratio"] is None else f"{f['ratio']:.2f}", f["goal"], f["must"], f["status"]]


HEAD = ["figure", "custio", "reference", "ratio", "goal", "must reach", "status"]
STAGES = ["parse", "validate", "pair", "write"]
IMPORTS = [("custio-import", rows, f"import into an empty store, {rows:,} rows"),
           ("custio-reimport", rows, "the same file again into the store holding it"),
           ("custio-check", rows, "check alone, fresh store"),
           ("custio-big", big_rows, f"import into an empty store, {big_rows:,} rows (memory)")]


def import_lines(name, count, title):
    run = R[name]
    rep = run["report"]
    rejected = rep.get("invalid", 0) + rep.get("failed", 0)
    counts = ", ".join(f"{k} {rep[k]:,}" for k in ["new", "update", "unchanged", "imported"] if k in rep)
    yield (f"{title}: {run['seconds']:.2f} s, {count / run['seconds']:,.0f} rows/s, "
           f"peak {mb(run):.1f} MB, {rejected:,} rejected (exit code {run['code']}); {counts}")
    profile = rep.get("profile")
    if not profile:
        yield f"    profile: n/a ({profile_na or 'no profile in the JSON report'})"
        return
    top = max(STAGES, key=lambda s: profile.get(s, 0))
    yield "    profile: " + "  ".join(
        f"{s} {profile[s]:.2f}{'*' if s == top else ''}" for s in STAGES + ["wall"] if s in profile)


def reference_lines():
    for name, what in [("sqlite-import", ".import"), ("sqlite-export", "-csv export")]:
        run = R[name]
        yield (f"sqlite3 {what}: {run['seconds']:.2f} s, {rows / run['seconds']:,.0f} rows/s, "
               f"peak {mb(run):.1f} MB")


def output(cmd):
    return subprocess.run(cmd, capture_output=True, text=True).stdout.strip()


def machine():
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")),
               platform.processor())
    mem_kib = next(int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemTotal"))
    return {"nproc": output(["nproc"]), "cpu": cpu, "memory": f"{mem_kib / 1024 / 1024:.1f} GiB",
            "sqlite3": output([sqlite, "--version"]), "custio": f"{bin} ({output([bin, '--version'])})",
            "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
            "memory measured with": "/usr/bin/time -f %M" if os.environ.get("ENGINE_TIME") == "1"
            else "getrusage(RUSAGE_CHILDREN) of a Python wrapper (includes its ~14 MB)"}


profiles = [text for run in IMPORTS for text in import_lines(*run)] + list(reference_lines())
notes[:0] = ["timed figures: the median of each run's rounds, in seconds: " + "; ".join(
    f"{n} {', '.join(f'{s:.2f}' for s in R[n]['rounds'])}" for n in R if R[n].get("rounds"))]
notes[1:1] = [f"CSV file: {file}, {os.path.getsize(file):,} bytes, {csv_bytes_per_row:,.1f} bytes per row",
             f"equal peak memory: the {big_rows:,}-row import needs at most {EQUAL:.2f} times the memory"
             f" of the {rows:,}-row import"]
info = machine()
body = list(table_rows())
widths = [max(len(r[i]) for r in [HEAD] + body) for i in range(len(HEAD))]
for r in [HEAD] + body:
    print("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))).rstrip())
print("\n".join([""] + notes))
print("\nprofiles (seconds; stages run on two threads and may sum to more than wall; * = largest)")
print("\n".join(profiles))
print("\nmachine")
print("\n".join(f"  {k}: {v}" for k, v in info.items()))

md = ["| " + " | ".join(HEAD) + " |", "|" + "---|" * len(HEAD)]
md += ["| " + " | ".join(r) + " |" for r in body]
md += [""] + [f"- {n}" for n in notes] + ["", "```"] + profiles + ["```", ""]
md += [f"- {k}: {v}" for k, v in info.items()]
with open(os.path.join(out, "engine.md"), "w") as f:
    f.write("\n".join(md) + "\n")
with open(os.path.join(out, "engine.json"), "w") as f:
    json.dump({"rows": rows, "big_rows": big_rows, "file": file, "csv_bytes_per_row": csv_bytes_per_row,
               "store_bytes": store_bytes, "customers": customers, "figures": figures, "notes": notes,
               "runs": R, "profile_na": profile_na or None, "machine": info}, f, indent=2)
print(f"\nwritten: {out}/engine.json, {out}/engine.md")
sys.exit(0 if all(f["holds"] for f in figures) else 1)
PY

main() {
  parse_args "$@"
  [ -x "$sqlite" ] || die "the reference needs $sqlite (apt-get install sqlite3)"
  mkdir -p "$out"
  rm -rf "$runs" "$out/engine.json" "$out/engine.md"
  mkdir -p "$runs"
  trap cleanup EXIT
  custio_binary
  memory_tool
  local file big_file
  file=$(generate "$rows")
  big_file=$(generate "$big_rows")
  cat "$file" "$big_file" > /dev/null   # warm the page cache for every run alike
  for ((round = 1; round <= rounds; round++)); do
    log "round $round of $rounds"
    reference "$file"
    custio_runs "$file" "$([ "$round" -eq 1 ] && echo "$big_file")"
  done
  python3 -c "$REPORT" "$runs" "$out" "$rows" "$big_rows" "$file" "$bin" "$sqlite" "$profile_na"
}

main "$@"
