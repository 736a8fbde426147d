#!/usr/bin/env bash
# Issue #11: schemathesis against the running API — every check, a few examples per
# operation, time-boxed. Migrates a scratch SQLite database, seeds the demo data, creates
# an administrator's token, starts the app on a free port, runs schemathesis, stops the app.
# Usage: bench/api/schemathesis.sh [extra schemathesis options]
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN="${BIN:-.venv/bin}"
WORK="$(mktemp -d)"
export DATABASE_URL="sqlite:///$WORK/schemathesis.sqlite3"
# A laptop's settings (plain HTTP, no key to set); no rate limit, quiet security log.
export DEBUG=true AXES_ENABLED=false API_RATE_LIMIT="" SECURITY_LOG_LEVEL=WARNING
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

"$BIN/python" manage.py migrate --noinput -v 0
"$BIN/python" manage.py seed_demo >/dev/null
TOKEN="$("$BIN/python" manage.py create_api_token admin@demo.tat.example --name schemathesis 2>/dev/null)"
PORT="$("$BIN/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
# One worker (schemathesis sends one request at a time), warmed by the wait below, with a
# timeout long enough for a busy machine: a cold second worker once spent its whole default
# 30 s importing the URLconf and was killed mid-request.
"$BIN/gunicorn" config.wsgi:application --bind "127.0.0.1:$PORT" --workers 1 --timeout 120 \
  --log-level warning --limit-request-line 8190 &
SERVER_PID=$!
# Wait until the app answers (and has built its OpenAPI document once).
for _ in $(seq 1 100); do
  if "$BIN/python" -c "import urllib.request as u; u.urlopen(u.Request('http://127.0.0.1:$PORT/api/v1/openapi.json', headers={'Authorization': 'Bearer $TOKEN'}), timeout=30)" 2>/dev/null; then break; fi
  sleep 0.3
done

timeout "${SCHEMATHESIS_TIMEOUT:-480}" "$BIN/schemathesis" \
  --config-file bench/api/schemathesis.toml run \
  "http://127.0.0.1:$PORT/api/v1/openapi.json" --url "http://127.0.0.1:$PORT" \
  -H "Authorization: Bearer $TOKEN" \
  --phases "${SCHEMATHESIS_PHASES:-examples,coverage,fuzzing,stateful}" \
  --request-timeout 30 --checks all --max-examples "${SCHEMATHESIS_EXAMPLES:-10}" --seed 1 \
  --no-color "$@"
