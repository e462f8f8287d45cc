#!/usr/bin/env bash
# custio on PostgreSQL, against psql's own loader and unloader on the same server, in one run:
#   - import (check + commit) of ROWS IdoSell rows into an empty schema, against
#     `psql \copy bare FROM FILE` of the same file into a bare table of text columns;
#   - export of the ROWS customers (`custio export`), against
#     `psql \copy (SELECT * FROM bare) TO FILE`;
#   - the check of CHECK_ROWS rows queued as a job (`import --detach`) and run by two
#     `custio worker`s, each pinned to one core with taskset, against one worker.
# Each timed figure is the median wall clock of ROUNDS rounds (reference first, then custio);
# every timed step starts after a CHECKPOINT, so that none pays for the writes of the one
# before it.
# Prints a table (figure, custio, reference, ratio, goal, must reach, ok/MISSED) and the
# machine; writes bench/out/postgres.md. Exit code 0 when every "must reach" holds.
#
# Usage: bash bench/postgres.sh [ROWS] [CHECK_ROWS]   (defaults 1000000 2000000)
#        bash bench/postgres.sh --quick               (100000 200000)
#        CUSTIO_BENCH_DB=postgres://USER@HOST/DB      (default postgres://postgres@127.0.0.1:5432/test)
#        CUSTIO_BIN=/path/to/custio  ROUNDS=N
set -euo pipefail
[ -z "${CUSTIO_BIN:-}" ] || CUSTIO_BIN=$(realpath -m "$CUSTIO_BIN")
cd "$(dirname "$0")/.."

rows=1000000 check_rows=2000000
case "${1:-}" in
  -h|--help) sed -n '/^# Usage:/,/^set /p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 2 ;;
  --quick) rows=100000 check_rows=200000 ;;
  "") ;;
  *) rows=$1 check_rows=${2:-$check_rows} ;;
esac
rounds=${ROUNDS:-3}
db=${CUSTIO_BENCH_DB:-postgres://postgres@127.0.0.1:5432/test}
out=bench/out
mkdir -p "$out"

log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }

if [ -n "${CUSTIO_BIN:-}" ]; then
  bin=$CUSTIO_BIN
else
  log "building the release binary"
  cargo build --release -q -p custio
  bin=${CARGO_TARGET_DIR:-target}/release/custio
fi
psql "$db" -qAtc 'SELECT 1' > /dev/null || { log "PostgreSQL at $db does not answer"; exit 2; }

generate() { # prints the path of a cached IdoSell file of $1 rows
  local file=$out/idosell-$1.csv
  if [ ! -s "$file" ] || [ "$(wc -l < "$file")" -ne $(($1 + 1)) ]; then
    log "generating $file"
    python3 bench/gen_idosell.py "$1" > "$file.tmp"
    mv "$file.tmp" "$file"
  fi
  cat "$file" > /dev/null
  echo "$file"
}

now() { date +%s.%N; }
seconds() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.3f}')" "$1" "$2"; }
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# timed CMD...: runs CMD with its output discarded; prints its wall seconds.
timed() {
  local start end
  start=$(now)
  "$@" > /dev/null 2> "$out/postgres-last.stderr" || { cat "$out/postgres-last.stderr" >&2; exit 2; }
  end=$(now)
  seconds "$start" "$end"
}

schema() { echo "$db?schema=$1"; }
settle() { psql "$db" -qc CHECKPOINT; }
drop_schema() { psql "$db" -qc "DROP SCHEMA IF EXISTS $1 CASCADE" 2> /dev/null; }

bare_table() { # a table of text columns named by the file's header
  local header columns
  header=$(head -1 "$1")
  columns=$(tr ';' '\n' <<< "$header" | sed 's/.*/"&" text/' | paste -sd, -)
  drop_schema bench_ref
  psql "$db" -qc "CREATE SCHEMA bench_ref; CREATE TABLE bench_ref.bare ($columns)"
}

file=$(generate "$rows")
import_ref=() import_custio=() export_ref=() export_custio=()
for round in $(seq "$rounds"); do
  log "round $round of $rounds: import and export of $rows rows"
  bare_table "$file"
  settle
  import_ref+=("$(timed psql "$db" -qc "\\copy bench_ref.bare FROM '$file' WITH (FORMAT csv, DELIMITER ';', HEADER)")")
  drop_schema bench_custio
  settle
  import_custio+=("$(timed "$bin" --db "$(schema bench_custio)" import "$file" --commit)")
  settle
  export_ref+=("$(timed psql "$db" -qc "\\copy (SELECT * FROM bench_ref.bare) TO '$out/postgres-ref-export.csv' WITH (FORMAT csv, DELIMITER ';', HEADER)")")
  settle
  export_custio+=("$(timed "$bin" --db "$(schema bench_custio)" export -o "$out/postgres-custio-export.csv")")
done

# check_with N: seconds from starting N pinned workers to the end of one queued check of
# the CHECK_ROWS file (the workers are started after the job is queued).
check_file=$(generate "$check_rows")
check_with() {
  local n=$1 job start end state pids=() core
  drop_schema bench_check
  "$bin" --db "$(schema bench_check)" shops list > /dev/null
  job=$("$bin" --db "$(schema bench_check)" import "$check_file" --format idosell --detach --data-dir "$out/postgres-data" | awk '/^queued job/ {print $3}')
  settle
  start=$(now)
  for core in $(seq 0 $((n - 1))); do
    taskset -c "$core" "$bin" --db "$(schema bench_check)" worker --data-dir "$out/postgres-data" > /dev/null 2>&1 &
    pids+=($!)
  done
  while :; do
    state=$("$bin" --db "$(schema bench_check)" jobs show "$job" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])')
    case $state in succeeded|failed) break ;; esac
    sleep 0.2
  done
  end=$(now)
  kill "${pids[@]}" 2> /dev/null || true
  wait "${pids[@]}" 2> /dev/null || true
  [ "$state" = succeeded ] || { log "the check failed"; "$bin" --db "$(schema bench_check)" jobs show "$job" >&2; exit 2; }
  seconds "$start" "$end"
}
check_one=() check_two=()
for round in $(seq "$rounds"); do
  log "round $round of $rounds: check of $check_rows rows, one worker then two"
  check_one+=("$(check_with 1)")
  check_two+=("$(check_with 2)")
done
drop_schema bench_check
drop_schema bench_custio
drop_schema bench_ref

missed=0
table="| figure | custio (s) | reference (s) | ratio | goal | must reach | |
|---|---|---|---|---|---|---|"
row() { # figure custio reference goal must
  local ratio status
  ratio=$(python3 -c "import sys; print(f'{float(sys.argv[1]) / float(sys.argv[2]):.2f}')" "$2" "$3")
  if python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) <= float(sys.argv[2]) else 1)" "$ratio" "$5"; then
    status=ok
  else
    status=MISSED missed=1
  fi
  table+="
| $1 | $2 | $3 | $ratio | $4 | $5 | $status |"
}
row "import (check + commit) of $rows rows / psql \\copy in" "$(median "${import_custio[@]}")" "$(median "${import_ref[@]}")" 1.5 4.0
row "export of $rows customers / psql \\copy out" "$(median "${export_custio[@]}")" "$(median "${export_ref[@]}")" 0.7 1.5
row "check of $check_rows rows, two workers / one worker (pinned)" "$(median "${check_two[@]}")" "$(median "${check_one[@]}")" 0.55 0.85

machine="$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(psql "$db" -qAtc 'SHOW server_version') on the same machine, $(date -u +%Y-%m-%d)"
rounds_note="rounds (s): import ${import_custio[*]} vs ${import_ref[*]}; export ${export_custio[*]} vs ${export_ref[*]}; check two ${check_two[*]} vs one ${check_one[*]}"
printf '%s\n\n%s\n\n%s\n' "$table" "$machine" "$rounds_note" | tee "$out/postgres.md"
exit $missed
