"""Issue #12, data safety: `manage.py backup` and `manage.py restore` (core/backup.py).

SQLite is copied with the online backup API while writes go on; PostgreSQL with pg_dump and
pg_restore (tests marked `postgres`). Every backup carries a checksum and per-table counts
and digests; a restore verifies the checksum first, refuses a target holding data unless
told, and checks every table afterwards.
"""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys
import tarfile
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

from core import backup as bk

ROOT = Path(settings.BASE_DIR)


def sqlite_db(path: Path) -> dict[str, str]:
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path)}


def make_source(path: Path, rows: int = 50) -> None:
    """A small WAL database with a parent table and a child table (a foreign key)."""
    conn = sqlite3.connect(path)
    conn.executescript(
        """
        PRAGMA journal_mode=WAL;
        CREATE TABLE activity (id INTEGER PRIMARY KEY, title TEXT NOT NULL, body BLOB);
        CREATE TABLE requester_link (
            id INTEGER PRIMARY KEY,
            activity_id INTEGER NOT NULL REFERENCES activity(id)
        );
        CREATE TABLE django_migrations (id INTEGER PRIMARY KEY, app TEXT, name TEXT);
        INSERT INTO django_migrations (app, name) VALUES ('core', '0001_initial');
        """
    )
    for i in range(rows):
        conn.execute("INSERT INTO activity (title, body) VALUES (?, ?)", (f"A {i}", b"\x00\xff"))
        conn.execute("INSERT INTO requester_link (activity_id) VALUES (?)", (i + 1,))
    conn.commit()
    conn.close()


def count(path: Path, table: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608
    finally:
        conn.close()


def test_backup_carries_checksum_and_counts_per_table(tmp_path: Path) -> None:
    make_source(tmp_path / "src.sqlite3", rows=7)
    manifest = bk.backup(sqlite_db(tmp_path / "src.sqlite3"), tmp_path / "b.tatbackup")
    assert manifest.tables["activity"].rows == 7
    assert manifest.tables["requester_link"].rows == 7
    with tarfile.open(tmp_path / "b.tatbackup") as archive:
        assert sorted(archive.getnames()) == ["database.sqlite3", "manifest.json"]
    assert len(manifest.sha256) == 64


def test_round_trip_restores_every_row_and_reports_counts(tmp_path: Path) -> None:
    make_source(tmp_path / "src.sqlite3")
    bk.backup(sqlite_db(tmp_path / "src.sqlite3"), tmp_path / "b.tatbackup")
    target = tmp_path / "fresh" / "tat.sqlite3"
    manifest = bk.restore(sqlite_db(target), tmp_path / "b.tatbackup")
    assert {name: t.rows for name, t in manifest.tables.items()} == {
        "activity": 50,
        "django_migrations": 1,
        "requester_link": 50,
    }
    assert count(target, "activity") == 50
    found = bk.restored_tables(sqlite_db(target))
    assert found == bk.restored_tables(sqlite_db(tmp_path / "src.sqlite3"))


def test_backup_while_the_app_writes_is_a_consistent_snapshot(tmp_path: Path) -> None:
    """Online backup API: writers keep going; the copy holds whole transactions only."""
    source = tmp_path / "busy.sqlite3"
    make_source(source, rows=0)
    stop = threading.Event()
    committed: list[int] = []

    def writer() -> None:
        conn = sqlite3.connect(source, timeout=30)
        while not stop.is_set():
            with conn:  # one transaction: an activity and its requester link
                cur = conn.execute("INSERT INTO activity (title) VALUES ('busy')")
                conn.execute(
                    "INSERT INTO requester_link (activity_id) VALUES (?)", (cur.lastrowid,)
                )
            committed.append(1)
        conn.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(committed) < 50:
            threading.Event().wait(0.01)
        started = len(committed)
        manifests = [bk.backup(sqlite_db(source), tmp_path / f"b{i}.tatbackup") for i in range(3)]
        while len(committed) < started + 20:  # the writer was never shut out
            threading.Event().wait(0.01)
    finally:
        stop.set()
        thread.join()
    for i, manifest in enumerate(manifests):
        assert manifest.tables["activity"].rows == manifest.tables["requester_link"].rows > 0
        target = tmp_path / f"restored{i}.sqlite3"
        bk.restore(sqlite_db(target), tmp_path / f"b{i}.tatbackup")
        conn = sqlite3.connect(target)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        conn.close()


def test_restore_refuses_a_damaged_backup_and_changes_nothing(tmp_path: Path) -> None:
    make_source(tmp_path / "src.sqlite3")
    bk.backup(sqlite_db(tmp_path / "src.sqlite3"), tmp_path / "b.tatbackup")
    # Flip one byte of the data member (a page of rows), keeping the archive readable.
    with tarfile.open(tmp_path / "b.tatbackup") as archive:
        manifest = archive.extractfile("manifest.json").read()
        data = bytearray(archive.extractfile("database.sqlite3").read())
    data[len(data) // 2] ^= 0xFF
    with tarfile.open(tmp_path / "bad.tatbackup", "w") as archive:
        for name, raw in (("manifest.json", manifest), ("database.sqlite3", bytes(data))):
            info = tarfile.TarInfo(name)
            info.size = len(raw)
            archive.addfile(info, io.BytesIO(raw))
    target = tmp_path / "target.sqlite3"
    with pytest.raises(bk.BackupError, match="checksum does not match"):
        bk.restore(sqlite_db(target), tmp_path / "bad.tatbackup")
    assert not target.exists()


def test_restore_refuses_what_is_not_a_backup(tmp_path: Path) -> None:
    (tmp_path / "junk.tatbackup").write_bytes(b"not a tar file at all")
    with pytest.raises(bk.BackupError, match="not a readable backup"):
        bk.restore(sqlite_db(tmp_path / "t.sqlite3"), tmp_path / "junk.tatbackup")


def test_restore_refuses_a_target_with_data_unless_told(tmp_path: Path) -> None:
    make_source(tmp_path / "src.sqlite3", rows=5)
    bk.backup(sqlite_db(tmp_path / "src.sqlite3"), tmp_path / "b.tatbackup")
    target = tmp_path / "busy.sqlite3"
    make_source(target, rows=3)
    with pytest.raises(bk.BackupError, match="already holds 6 rows"):
        bk.restore(sqlite_db(target), tmp_path / "b.tatbackup")
    assert count(target, "activity") == 3
    bk.restore(sqlite_db(target), tmp_path / "b.tatbackup", replace=True)
    assert count(target, "activity") == 5


def test_a_freshly_migrated_database_counts_as_empty(tmp_path: Path) -> None:
    target = tmp_path / "migrated.sqlite3"
    make_source(target, rows=0)  # only django_migrations holds a row
    assert bk.rows_in(sqlite_db(target)) == 0


def test_restore_refuses_a_backup_of_another_engine(tmp_path: Path) -> None:
    make_source(tmp_path / "src.sqlite3", rows=1)
    bk.backup(sqlite_db(tmp_path / "src.sqlite3"), tmp_path / "b.tatbackup")
    postgres = {"ENGINE": "django.db.backends.postgresql", "NAME": "nowhere"}
    with pytest.raises(bk.BackupError, match="sqlite backup; the target database is postgresql"):
        bk.restore(postgres, tmp_path / "b.tatbackup")


def test_verification_names_a_table_whose_rows_differ() -> None:
    manifest = bk.Manifest(
        engine="sqlite",
        created="now",
        data_member=bk.SQLITE_MEMBER,
        sha256="0" * 64,
        size=1,
        tables={"a": bk.TableSummary(2, "x"), "b": bk.TableSummary(1, "y")},
    )
    with pytest.raises(bk.BackupError, match="a: the rows differ.*b: missing"):
        bk._compare(manifest, {"a": bk.TableSummary(2, "z")})


def test_pg_environment_carries_the_password_not_the_command_line() -> None:
    env = bk.pg_environment(
        {"NAME": "tat", "USER": "tat", "PASSWORD": "s3cret", "HOST": "127.0.0.1", "PORT": 5432}
    )
    assert env["PGPASSWORD"] == "s3cret"
    assert env["PGDATABASE"] == "tat" and env["PGPORT"] == "5432"


def _manage(*args: str, url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DEBUG": "true", "DATABASE_URL": url}
    return subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_commands_back_up_and_restore_with_a_report(tmp_path: Path) -> None:
    make_source(tmp_path / "src.sqlite3", rows=12)
    archive = tmp_path / "out" / "b.tatbackup"
    done = _manage("backup", "--output", str(archive), url=f"sqlite:///{tmp_path}/src.sqlite3")
    assert done.returncode == 0, done.stderr
    assert "3 tables, 25 rows" in done.stdout and "SHA-256" in done.stdout

    fresh = f"sqlite:///{tmp_path}/fresh.sqlite3"
    done = _manage("restore", str(archive), url=fresh)
    assert done.returncode == 0, done.stderr
    assert "activity" in done.stdout and "12" in done.stdout
    assert "Restored and verified 3 tables, 25 rows" in done.stdout

    again = _manage("restore", str(archive), url=fresh)  # now it holds data
    assert again.returncode != 0
    assert "already holds 24 rows" in again.stderr and "--yes" in again.stderr
    assert _manage("restore", str(archive), "--yes", url=fresh).returncode == 0


# --- PostgreSQL: pg_dump / pg_restore into scratch databases ----------------------------------


@pytest.fixture
def scratch_pg() -> Iterator[list[dict]]:
    """Two scratch databases on the test run's PostgreSQL server, dropped afterwards."""
    base = dict(settings.DATABASES["default"])
    names = [f"tat_bk_test_{uuid.uuid4().hex[:8]}_{i}" for i in (1, 2)]
    admin = {**base, "NAME": "postgres"}
    with bk.pg_connect(admin, autocommit=True) as conn:
        for name in names:
            conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield [{**base, "NAME": name} for name in names]
    finally:
        with bk.pg_connect(admin, autocommit=True) as conn:
            for name in names:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.postgres
def test_postgres_round_trip_through_pg_dump_and_pg_restore(tmp_path: Path, scratch_pg) -> None:
    source, target = scratch_pg
    with bk.pg_connect(source) as conn:
        conn.execute("CREATE TABLE activity (id serial PRIMARY KEY, title text NOT NULL)")
        conn.execute(
            "CREATE TABLE link (id serial PRIMARY KEY, activity_id int REFERENCES activity(id))"
        )
        conn.execute("INSERT INTO activity (title) SELECT 'A ' || g FROM generate_series(1, 40) g")
        conn.execute("INSERT INTO link (activity_id) SELECT id FROM activity")
        conn.commit()
    manifest = bk.backup(source, tmp_path / "pg.tatbackup")
    assert manifest.engine == "postgresql"
    assert manifest.tables["activity"].rows == manifest.tables["link"].rows == 40

    restored = bk.restore(target, tmp_path / "pg.tatbackup")
    assert restored.tables == manifest.tables
    assert bk.restored_tables(target) == bk.restored_tables(source)
    with pytest.raises(bk.BackupError, match="already holds 80 rows"):
        bk.restore(target, tmp_path / "pg.tatbackup")
    with pytest.raises(bk.BackupError, match="postgresql backup; the target database is sqlite"):
        bk.restore(sqlite_db(tmp_path / "x.sqlite3"), tmp_path / "pg.tatbackup")
