#!/usr/bin/env bash
# Benchmarks of the people side (issue 5), on SQLite and (when it answers) PostgreSQL:
#  1. public registration `POST /api/v1/public/festivals/{slug}/registrations`, requests/s and
#     latency at 64 connections (wrk), next to a no-op axum handler measured in the same run;
#  2. importing a 100,000-row XLSX through `POST …/participants/import`: wall time, and the
#     server's peak resident memory (VmHWM) for a server started just for the import.
#
#   bash bench/people.sh [seconds=10] [connections=64] [rows=100000]
#
# Needs wrk (apt-get install wrk). PostgreSQL from BENCH_PG_URL (default
# postgres://postgres@127.0.0.1:5432/ngayhoi_bench, recreated each run).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
connections=${2:-64}
rows=${3:-100000}
port=18182
noop_port=18190
pg_url=${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432/ngayhoi_bench}

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
cargo build --release --quiet --bin ngayhoi --example noop_server --example participant_sheet
target=${CARGO_TARGET_DIR:-target}/release
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
"$target/examples/participant_sheet" "$rows" "$work/people.xlsx"

wrk_post() { # url
  wrk -t2 -c"$connections" -d"${seconds}s" --latency -s bench/register.lua "$1" \
    | grep -E 'Requests/sec|^ +(50|90|99)%|Non-2xx|Socket errors'
}

"$target/examples/noop_server" "127.0.0.1:$noop_port" & noop=$!
sleep 0.5
echo "== baseline: no-op axum handler, $connections connections"
wrk_post "http://127.0.0.1:$noop_port/registrations"
kill "$noop"

source bench/common.sh
bin=$target/ngayhoi

api() { # method path [json]
  curl -fsS -X "$1" -H "Authorization: Bearer $token" -H 'content-type: application/json' \
    ${3:+-d "$3"} "http://127.0.0.1:$port$2"
}

# A new host with an open festival of 2027; prints the festival's JSON.
open_festival() { # host-name day
  local host
  host=$(api POST /api/v1/hosts "{\"name\":\"$1\",\"kind\":\"residential_area\",\"unit_code\":\"27031\"}" \
    | sed -E 's/^\{"id":([0-9]+).*/\1/')
  api POST /api/v1/festivals "{\"host_id\":$host,\"year\":2027,\"starts_at\":\"2027-08-$2T19:30:00+07:00\",\"ends_at\":\"2027-08-$2T22:00:00+07:00\",\"venue\":\"Nhà văn hóa\",\"registration_open\":true}"
}

run() {
  local name=$1 url=$2
  export DATABASE_URL=$url DATA_DIR=$work/$name PUBLIC_RATE_LIMIT=0
  start_server
  login_admin
  local slug festival
  slug=$(open_festival "Khu phố đo tải" 15 | sed -E 's/.*"slug":"([^"]+)".*/\1/')
  echo "== $name: public registration, $connections connections"
  wrk_post "http://127.0.0.1:$port/api/v1/public/festivals/$slug/registrations"
  # A server started afresh, so that its peak memory is the import's.
  stop_server
  start_server
  festival=$(open_festival "Khu phố nhập tệp" 16 | sed -E 's/^\{"id":([0-9]+).*/\1/')
  echo "== $name: import $rows rows from XLSX ($(du -h "$work/people.xlsx" | cut -f1))"
  curl -fsS -o "$work/import.json" -w '   time %{time_total} s, HTTP %{http_code}\n' \
    -H "Authorization: Bearer $token" -F "file=@$work/people.xlsx" \
    "http://127.0.0.1:$port/api/v1/festivals/$festival/participants/import"
  echo "   answer $(cat "$work/import.json"); server peak memory $(grep VmHWM /proc/$server/status | tr -s ' ' | cut -d' ' -f2-)"
  stop_server
}

on_both_databases
