#!/usr/bin/env bash
# Load-tests `GET /api/v1/festivals?year=2025` on the demo data and `POST /api/v1/auth/login`
# (Argon2id, 4 connections), on SQLite and (when it answers) PostgreSQL, with wrk:
# requests/s and latency percentiles.
#
#   bash bench/api.sh [seconds=10] [connections=32]
#
# Needs wrk (apt-get install wrk). PostgreSQL is taken from BENCH_PG_URL
# (default postgres://postgres@127.0.0.1:5432/ngayhoi_bench, recreated each run).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
connections=${2:-32}
port=18181
pg_url=${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432/ngayhoi_bench}

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
cargo build --release --quiet
bin=${CARGO_TARGET_DIR:-target}/release/ngayhoi
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

source bench/common.sh

run() {
  local name=$1 url=$2
  export DATABASE_URL=$url DATA_DIR=$work/$name
  "$bin" demo >/dev/null
  start_server
  login_admin
  local target="http://127.0.0.1:$port/api/v1/festivals?year=2025"
  echo "== $name: GET /api/v1/festivals?year=2025 ($(curl -fs -H "Authorization: Bearer $token" "$target" | grep -o '"total":[0-9]*'))"
  wrk -t2 -c"$connections" -d"${seconds}s" --latency -H "Authorization: Bearer $token" "$target" \
    | grep -E 'Requests/sec|^ +(50|90|99)%|Non-2xx|Socket errors'
  echo "== $name: POST /api/v1/auth/login (4 connections)"
  wrk -t1 -c4 -d"${seconds}s" --latency -s bench/login.lua "http://127.0.0.1:$port/api/v1/auth/login" \
    | grep -E 'Requests/sec|^ +(50|90|99)%|Non-2xx|Socket errors'
  stop_server
}

on_both_databases
