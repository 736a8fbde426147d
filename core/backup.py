"""Backups that can be trusted (issue #12, data safety): `manage.py backup` and `restore`.

A backup is one archive (an uncompressed tar file) holding two members:

- `manifest.json`: the format, the database engine, when it was made, the SHA-256 and size
  of the data member, and for every table its row count and a SHA-256 digest of its rows
  (in primary-key order) — all read in the same snapshot the data member holds;
- the data: `database.sqlite3` (SQLite, copied with the online backup API while the app
  keeps running) or `database.pgdump` (PostgreSQL, `pg_dump --format=custom` of the
  snapshot the counts were read in).

`restore` verifies the checksum before touching anything, refuses a target that already
holds data unless told to replace it, restores, and then counts and digests every table of
the restored database against the manifest: a restore that does not match fails loudly.

Connection details for `pg_dump` and `pg_restore` travel in the environment (`PGPASSWORD`
among them), never on the command line where other users of the machine could read them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess  # nosec B404 # pg_dump and pg_restore, fixed arguments
import tarfile
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FORMAT = "tat-backup/1"
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
POSTGRES_MEMBER = "database.pgdump"
CHUNK = 1024 * 1024
# Rows every freshly migrated database holds: a target with only these is empty.
BOOKKEEPING_TABLES = frozenset(
    {"django_migrations", "django_content_type", "auth_permission", "django_site"}
)


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass
class TableSummary:
    rows: int
    digest: str


@dataclass
class Manifest:
    engine: str
    created: str
    data_member: str
    sha256: str
    size: int
    tables: dict[str, TableSummary] = field(default_factory=dict)
    format: str = FORMAT

    def to_json(self) -> bytes:
        body = {
            "format": self.format,
            "engine": self.engine,
            "created": self.created,
            "data_member": self.data_member,
            "sha256": self.sha256,
            "size": self.size,
            "tables": {
                name: {"rows": t.rows, "digest": t.digest}
                for name, t in sorted(self.tables.items())
            },
        }
        return json.dumps(body, indent=2).encode()

    @classmethod
    def from_json(cls, raw: bytes) -> Manifest:
        try:
            body = json.loads(raw)
            if body.get("format") != FORMAT:
                raise BackupError(f"Not a TAT backup of format {FORMAT}: {body.get('format')!r}.")
            tables = {
                name: TableSummary(rows=int(t["rows"]), digest=str(t["digest"]))
                for name, t in body["tables"].items()
            }
            return cls(
                engine=str(body["engine"]),
                created=str(body["created"]),
                data_member=str(body["data_member"]),
                sha256=str(body["sha256"]),
                size=int(body["size"]),
                tables=tables,
            )
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise BackupError(f"The backup's manifest is unreadable: {exc}") from None

    @property
    def total_rows(self) -> int:
        return sum(t.rows for t in self.tables.values())


# --- reading tables (any DB-API cursor; identifiers quoted the SQL-standard way) -------------


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _value(value: Any) -> str:
    if isinstance(value, memoryview | bytes | bytearray):
        return bytes(value).hex()
    return repr(value)


def summarize_tables(cursor: Any, tables: Iterable[str]) -> dict[str, TableSummary]:
    """Row count and a digest of the rows (ordered by every column) of each table."""
    result = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608 # nosec B608 # quoted table name
        (rows,) = cursor.fetchone()
        cursor.execute(f"SELECT * FROM {_quote(table)} LIMIT 0")  # noqa: S608 # nosec B608
        columns = len(cursor.description)
        order = ", ".join(str(i) for i in range(1, columns + 1))
        cursor.execute(f"SELECT * FROM {_quote(table)} ORDER BY {order}")  # noqa: S608 # nosec B608
        digest = hashlib.sha256()
        while batch := cursor.fetchmany(2000):
            for row in batch:
                digest.update("\x1f".join(_value(v) for v in row).encode())
                digest.update(b"\x1e")
        result[table] = TableSummary(rows=int(rows), digest=digest.hexdigest())
    return result


def sqlite_tables(conn: sqlite3.Connection) -> list[str]:
    return [
        name
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]


def postgres_tables(cursor: Any) -> list[str]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1")
    return [name for (name,) in cursor.fetchall()]


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _write_archive(output: Path, manifest: Manifest, data: Path) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")
    with tarfile.open(partial, "w") as archive:
        raw = manifest.to_json()
        info = tarfile.TarInfo(MANIFEST)
        info.size = len(raw)
        archive.addfile(info, io.BytesIO(raw))
        archive.add(data, arcname=manifest.data_member)
    os.replace(partial, output)  # a half-written archive never carries the final name


# --- backup ----------------------------------------------------------------------------------


def is_postgres(db: Mapping[str, Any]) -> bool:
    return str(db["ENGINE"]).endswith("postgresql")


def is_sqlite(db: Mapping[str, Any]) -> bool:
    return str(db["ENGINE"]).endswith("sqlite3")


def backup(db: Mapping[str, Any], output: Path) -> Manifest:
    """Back up the database described by `db` (a Django DATABASES entry) into `output`."""
    if is_sqlite(db):
        return _backup_sqlite(db, output)
    if is_postgres(db):
        return _backup_postgres(db, output)
    raise BackupError(f"Backups support SQLite and PostgreSQL, not {db['ENGINE']}.")


def _backup_sqlite(db: Mapping[str, Any], output: Path) -> Manifest:
    name = str(db["NAME"])
    if name == ":memory:" or not Path(name).exists():
        raise BackupError(f"There is no SQLite database file at {name}.")
    with tempfile.TemporaryDirectory(prefix="tat-backup-") as tmp:
        copy = Path(tmp) / SQLITE_MEMBER
        source = sqlite3.connect(name, timeout=30)
        target = sqlite3.connect(copy)
        try:
            # The online backup API, in one step: one read snapshot (WAL lets the app keep
            # writing meanwhile), so the copy is consistent and never restarts.
            source.backup(target)
        finally:
            source.close()
        try:
            target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            tables = summarize_tables(target.cursor(), sqlite_tables(target))
        finally:
            target.close()
        manifest = Manifest(
            engine="sqlite",
            created=_now(),
            data_member=SQLITE_MEMBER,
            sha256=_sha256_of(copy),
            size=copy.stat().st_size,
            tables=tables,
        )
        _write_archive(output, manifest, copy)
    return manifest


def pg_environment(db: Mapping[str, Any]) -> dict[str, str]:
    """libpq's environment for `db`: the password never appears on a command line."""
    env = dict(os.environ)
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        value = db.get(key)
        if value:
            env[variable] = str(value)
        else:
            env.pop(variable, None)
    sslmode = (db.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = str(sslmode)
    return env


@contextmanager
def pg_connect(db: Mapping[str, Any], *, autocommit: bool = False) -> Iterator[Any]:
    import psycopg

    options = db.get("OPTIONS") or {}
    conn = psycopg.connect(
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        dbname=db["NAME"],
        sslmode=options.get("sslmode"),
        autocommit=autocommit,
    )
    try:
        yield conn
    finally:
        conn.close()


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client).")
    return found


def _run(command: list[str], env: Mapping[str, str]) -> None:
    done = subprocess.run(  # noqa: S603 # nosec B603 # fixed tool and arguments, no shell
        command, env=dict(env), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {done.stderr.strip()[-2000:]}")


def _backup_postgres(db: Mapping[str, Any], output: Path) -> Manifest:
    pg_dump = _tool("pg_dump")
    with tempfile.TemporaryDirectory(prefix="tat-backup-") as tmp, pg_connect(db) as conn:
        dump = Path(tmp) / POSTGRES_MEMBER
        # Counts, digests and the dump all read one snapshot, so they agree while the
        # app keeps writing.
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        (snapshot,) = conn.execute("SELECT pg_export_snapshot()").fetchone()
        cursor = conn.cursor()
        tables = summarize_tables(cursor, postgres_tables(cursor))
        _run(
            [
                pg_dump,
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--file={dump}",
            ],
            pg_environment(db),
        )
        conn.rollback()
        manifest = Manifest(
            engine="postgresql",
            created=_now(),
            data_member=POSTGRES_MEMBER,
            sha256=_sha256_of(dump),
            size=dump.stat().st_size,
            tables=tables,
        )
        _write_archive(output, manifest, dump)
    return manifest


# --- restore ---------------------------------------------------------------------------------


def read_archive(path: Path, workdir: Path) -> tuple[Manifest, Path]:
    """The manifest and the verified data file of the backup at `path`, extracted into
    `workdir`. Raises BackupError when anything does not match its checksum."""
    try:
        archive = tarfile.open(path, "r")  # noqa: SIM115 - closed by the `with` below
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(f"{path} is not a readable backup: {exc}") from None
    with archive:
        names = archive.getnames()
        if MANIFEST not in names:
            raise BackupError(f"{path} holds no {MANIFEST}: not a TAT backup.")
        manifest = Manifest.from_json(_member_bytes(archive, MANIFEST))
        if manifest.data_member not in (SQLITE_MEMBER, POSTGRES_MEMBER) or (
            manifest.data_member not in names
        ):
            raise BackupError(f"{path} lacks its data ({manifest.data_member}).")
        member = archive.getmember(manifest.data_member)
        if not member.isfile():
            raise BackupError(f"{path}: {manifest.data_member} is not a file.")
        data = workdir / manifest.data_member  # a fixed name: nothing escapes workdir
        source = archive.extractfile(member)
        if source is None:
            raise BackupError(f"{path}: {manifest.data_member} is unreadable.")
        with data.open("wb") as handle:
            shutil.copyfileobj(source, handle, CHUNK)
    size = data.stat().st_size
    checksum = _sha256_of(data)
    if size != manifest.size or checksum != manifest.sha256:
        raise BackupError(
            f"The backup's checksum does not match (SHA-256 {checksum}, expected "
            f"{manifest.sha256}): the file is damaged or was altered. Nothing was restored."
        )
    return manifest, data


def _member_bytes(archive: tarfile.TarFile, name: str) -> bytes:
    handle = archive.extractfile(name)
    if handle is None:
        raise BackupError(f"{name} in the backup is not a file.")
    return handle.read(10 * CHUNK)


def rows_in(db: Mapping[str, Any]) -> int:
    """Rows the target holds beyond a fresh migration's bookkeeping (0: empty)."""
    if is_sqlite(db):
        name = str(db["NAME"])
        if not Path(name).exists() or Path(name).stat().st_size == 0:
            return 0
        conn = sqlite3.connect(name, timeout=30)
        try:
            return _rows_beyond_bookkeeping(conn.cursor(), sqlite_tables(conn))
        finally:
            conn.close()
    with pg_connect(db) as conn:
        cursor = conn.cursor()
        return _rows_beyond_bookkeeping(cursor, postgres_tables(cursor))


def _rows_beyond_bookkeeping(cursor: Any, tables: Iterable[str]) -> int:
    total = 0
    for table in tables:
        if table in BOOKKEEPING_TABLES:
            continue
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608 # nosec B608 # quoted table name
        total += int(cursor.fetchone()[0])
    return total


def restore(db: Mapping[str, Any], path: Path, *, replace: bool = False) -> Manifest:
    """Restore the backup at `path` into the database `db` and verify it table by table.

    Refuses (BackupError, nothing changed) when the checksum does not match, when the
    backup is of another engine, or when the target holds data and `replace` is false.
    """
    with tempfile.TemporaryDirectory(prefix="tat-restore-") as tmp:
        manifest, data = read_archive(path, Path(tmp))
        engine = "sqlite" if is_sqlite(db) else "postgresql" if is_postgres(db) else db["ENGINE"]
        if manifest.engine != engine:
            raise BackupError(
                f"This is a {manifest.engine} backup; the target database is {engine}. "
                "Restore it into a database of the same kind."
            )
        existing = rows_in(db)
        if existing and not replace:
            raise BackupError(
                f"The target database already holds {existing:,} rows. Restore into an empty "
                "database, or pass --yes to replace everything in it."
            )
        if engine == "sqlite":
            _restore_sqlite(db, data)
        else:
            _restore_postgres(db, data)
    found = restored_tables(db)
    _compare(manifest, found)
    return manifest


def restored_tables(db: Mapping[str, Any]) -> dict[str, TableSummary]:
    if is_sqlite(db):
        conn = sqlite3.connect(str(db["NAME"]), timeout=30)
        try:
            return summarize_tables(conn.cursor(), sqlite_tables(conn))
        finally:
            conn.close()
    with pg_connect(db) as conn:
        cursor = conn.cursor()
        return summarize_tables(cursor, postgres_tables(cursor))


def _compare(manifest: Manifest, found: Mapping[str, TableSummary]) -> None:
    problems = []
    for table, expected in sorted(manifest.tables.items()):
        got = found.get(table)
        if got is None:
            problems.append(f"{table}: missing")
        elif got.rows != expected.rows:
            problems.append(f"{table}: {got.rows} rows, expected {expected.rows}")
        elif got.digest != expected.digest:
            problems.append(f"{table}: the rows differ from the backup's")
    if problems:
        raise BackupError("The restored database does not match the backup: " + "; ".join(problems))


def _restore_sqlite(db: Mapping[str, Any], data: Path) -> None:
    target_name = Path(str(db["NAME"]))
    target_name.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{data}?mode=ro", uri=True)
    target = sqlite3.connect(target_name, timeout=30)
    _register_django_functions(target)
    try:
        # Page by page into the target under its own lock: readers never see half a copy.
        source.backup(target)
        target.execute("PRAGMA journal_mode=WAL")  # as the app runs it (config/settings.py)
        check = target.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise BackupError(f"The restored SQLite database fails its integrity check: {check}")
    finally:
        source.close()
        target.close()


def _register_django_functions(conn: sqlite3.Connection) -> None:
    """The SQL functions Django adds to its SQLite connections: the schema's expression
    indexes and check constraints call them, and the integrity check evaluates those."""
    from django.db.backends.sqlite3._functions import register

    register(conn)


def _restore_postgres(db: Mapping[str, Any], data: Path) -> None:
    pg_restore = _tool("pg_restore")
    _run(
        [
            pg_restore,
            "--no-owner",
            "--no-privileges",
            "--clean",
            "--if-exists",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={db['NAME']}",
            str(data),
        ],
        pg_environment(db),
    )
