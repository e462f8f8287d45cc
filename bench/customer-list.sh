#!/usr/bin/env bash
# Response time of the customer list with 1,000,000 customers: p50 and p95 per page, for
# every sort the panel offers (both directions), first pages, pages followed by cursor,
# deep pages (middle and end of the order), filters, and the panel's HTML page.
# Goal: p95 under 50 ms for any page of any sort.
#
# Usage: bench/customer-list.sh [CUSTOMERS]   (default 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-1000000}
target=${CARGO_TARGET_DIR:-target}
out=bench/out
mkdir -p "$out"
cargo build --release -q -p custio
bin=$target/release/custio
exec python3 bench/customer_list.py "$bin" "$out" "$count"
