# Shared by the benchmark scripts: source it after setting `port`, `bin` and the environment
# (DATABASE_URL, DATA_DIR, …).

# Starts the service in the background (`server` = its pid) and waits until it answers.
start_server() {
  BIND_ADDR=127.0.0.1:$port LOG=warn "$bin" serve & server=$!
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && return; sleep 0.1; done
  echo "the service did not start" >&2; return 1
}

stop_server() {
  kill "$server"; wait "$server" 2>/dev/null || true
}

# Creates the benchmark admin (once per database) and logs in: `token` = a bearer token.
login_admin() {
  "$bin" create-user --email bench@ngayhoi.local --password bench-password-1 --role admin >/dev/null 2>&1 || true
  token=$(curl -fs -H 'content-type: application/json' \
    -d '{"email":"bench@ngayhoi.local","password":"bench-password-1"}' \
    "http://127.0.0.1:$port/api/v1/auth/login" | sed -E 's/.*"token":"([^"]+)".*/\1/')
}

# Runs `run NAME URL` on SQLite in `work`, then on PostgreSQL at `pg_url` when it answers
# (the database is recreated).
on_both_databases() {
  run sqlite "sqlite://$work/sqlite/ngayhoi.db?mode=rwc"
  if psql "${pg_url%/*}/postgres" -qc 'select 1' >/dev/null 2>&1; then
    local db=${pg_url##*/}
    psql "${pg_url%/*}/postgres" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
    run postgres "$pg_url"
  else
    echo "== postgres: not reachable at $pg_url, skipped"
  fi
}
