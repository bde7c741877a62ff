"""On SQLite the web process and the job worker share one file: a writer waits for the other
(busy timeout) instead of failing at once with « database is locked », readers do not block
the writer (WAL), and a transaction takes its write lock when it begins (IMMEDIATE), so that
a read-then-write transaction never fails half-way on a lock it cannot upgrade."""

import sqlite3
import threading

import pytest
from django.conf import settings
from django.db.backends.sqlite3.base import DatabaseWrapper

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="the SQLite options apply only when the database is SQLite",
)


def test_the_sqlite_options_wait_for_the_lock_and_use_wal():
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["timeout"] >= 20
    assert options["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in options["init_command"]


def _connect(path):
    """A connection opened as Django opens it with the project's settings."""
    wrapper = DatabaseWrapper({**settings.DATABASES["default"], "NAME": str(path)}, alias="x")
    return wrapper.get_new_connection(wrapper.get_connection_params())


def test_a_connection_with_these_options_is_in_wal_with_a_busy_timeout(tmp_path):
    connection = _connect(tmp_path / "db.sqlite3")
    try:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert connection.execute("PRAGMA busy_timeout").fetchone()[0] >= 20_000
    finally:
        connection.close()


def test_a_second_writer_waits_for_the_first_instead_of_failing(tmp_path):
    """What killed the worker: with no busy timeout a second writer fails at once."""
    path = tmp_path / "db.sqlite3"
    first = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    first.execute("PRAGMA journal_mode=WAL")
    first.execute("CREATE TABLE t (x)")
    first.execute("BEGIN IMMEDIATE")
    first.execute("INSERT INTO t VALUES (1)")
    impatient = sqlite3.connect(path, timeout=0, isolation_level=None)
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        impatient.execute("BEGIN IMMEDIATE")
    patient = _connect(path)
    timer = threading.Timer(0.5, first.execute, ["COMMIT"])
    timer.start()
    try:
        patient.execute("BEGIN IMMEDIATE")  # waits for the first writer's commit
        patient.execute("INSERT INTO t VALUES (2)")
        patient.execute("COMMIT")
        assert [row[0] for row in patient.execute("SELECT x FROM t ORDER BY x")] == [1, 2]
    finally:
        timer.join()
        patient.close()
        impatient.close()
        first.close()
