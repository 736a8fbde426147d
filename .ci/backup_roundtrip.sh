#!/usr/bin/env bash
# Issue #12, data safety: back up the demo data, restore it into a fresh database and compare
# every table's row count and content. SQLite always; PostgreSQL into scratch databases when
# a server answers on 127.0.0.1:5432 (the machine's own databases are never touched).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# Two manifests (backups of the source and of the restored copy) hold the same tables, rows
# and row digests: the restore lost nothing and changed nothing.
compare() {
  "$PY" - "$1" "$2" <<'PYEOF'
import json, sys, tarfile
def tables(path):
    with tarfile.open(path) as archive:
        return json.load(archive.extractfile("manifest.json"))["tables"]
a, b = tables(sys.argv[1]), tables(sys.argv[2])
assert a == b, sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
rows = sum(t["rows"] for t in a.values())
assert rows > 1000, f"only {rows} rows: the demo data did not load"
print(f"round trip identical: {len(a)} tables, {rows} rows")
PYEOF
}

roundtrip() {  # $1: source DATABASE_URL, $2: target DATABASE_URL, $3: name
  DEBUG=true DATABASE_URL="$1" "$PY" manage.py migrate -v 0
  DEBUG=true DATABASE_URL="$1" "$PY" manage.py load_reference_data -v 0
  DEBUG=true DATABASE_URL="$1" "$PY" manage.py seed_demo >/dev/null
  DEBUG=true DATABASE_URL="$1" "$PY" manage.py backup --output "$WORK/$3.tatbackup"
  DEBUG=true DATABASE_URL="$2" "$PY" manage.py restore "$WORK/$3.tatbackup" | tail -1
  # A second restore into the now non-empty database must be refused.
  if DEBUG=true DATABASE_URL="$2" "$PY" manage.py restore "$WORK/$3.tatbackup" >/dev/null 2>&1
  then echo "restore into a non-empty database was not refused" >&2; exit 1; fi
  DEBUG=true DATABASE_URL="$2" "$PY" manage.py backup --output "$WORK/$3-again.tatbackup" >/dev/null
  compare "$WORK/$3.tatbackup" "$WORK/$3-again.tatbackup"
  # The restored copy still serves the app: its migrations are all applied.
  DEBUG=true DATABASE_URL="$2" "$PY" manage.py migrate --check -v 0
}

echo "-- SQLite"
roundtrip "sqlite:///$WORK/source.sqlite3" "sqlite:///$WORK/restored.sqlite3" sqlite

if command -v pg_isready >/dev/null 2>&1 && pg_isready -q -h 127.0.0.1 -p 5432; then
  echo "-- PostgreSQL (scratch databases)"
  SUFFIX="$$"
  PG="postgres://postgres@127.0.0.1:5432"
  for db in "tat_bk_src_$SUFFIX" "tat_bk_dst_$SUFFIX"; do
    psql -q -h 127.0.0.1 -U postgres -d postgres -c "CREATE DATABASE $db" >/dev/null
  done
  trap 'for db in tat_bk_src_$SUFFIX tat_bk_dst_$SUFFIX; do
          psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS $db" \
            >/dev/null 2>&1 || true; done; rm -rf "$WORK"' EXIT
  roundtrip "$PG/tat_bk_src_$SUFFIX" "$PG/tat_bk_dst_$SUFFIX" postgresql
else
  echo "PostgreSQL is not reachable on 127.0.0.1:5432; skipping its backup round trip"
fi
