#!/usr/bin/env bash
# Peak memory of `custio import --commit` for 100,000 and for 1,000,000 rows.
# Streaming means the two peaks are about equal: the script prints both, their ratio, and
# the throughput, and fails when the larger file needs more than 1.3 times the memory.
#
# Usage: bench/import-memory.sh [SMALL_ROWS] [LARGE_ROWS]   (defaults 100000 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
small=${1:-100000}
large=${2:-1000000}
out=bench/out
mkdir -p "$out"
cargo build --release -q -p custio
bin=target/release/custio

measure() { # rows -> "peak_kib seconds"
  local rows=$1 file="$out/idosell-$1.csv" db="$out/bench-$1.db"
  [ -s "$file" ] || python3 bench/gen_idosell.py "$rows" > "$file"
  rm -f "$db" "$db-wal" "$db-shm"
  python3 - "$bin" "$db" "$file" <<'PY'
import resource, subprocess, sys, time
bin, db, file = sys.argv[1:4]
start = time.time()
run = subprocess.run([bin, "--db", "sqlite://" + db, "import", file, "--commit", "--json"], capture_output=True, text=True)
elapsed = time.time() - start
if run.returncode != 0:
    sys.exit(f"import failed ({run.returncode}): {run.stderr}")
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, f"{elapsed:.1f}")
PY
}

read -r small_kib small_s < <(measure "$small")
read -r large_kib large_s < <(measure "$large")
ratio=$(python3 -c "print(f'{$large_kib / $small_kib:.2f}')")
printf '%-10s %12s %10s %12s\n' rows "peak MiB" seconds "rows/s"
for r in "$small $small_kib $small_s" "$large $large_kib $large_s"; do
  set -- $r
  python3 -c "print(f'{$1:<10} {$2/1024:>12.1f} {$3:>10} {$1/max($3,0.001):>12.0f}')"
done
echo "peak memory ratio ${large}/${small} rows: $ratio (goal: at most 1.30)"
python3 -c "import sys; sys.exit(0 if $ratio <= 1.30 else 1)"
