"""The local PostgreSQL server the tests use (scripts/start-postgres), psql, and a fresh database per test."""
import contextlib
import os
import pathlib
import subprocess
import uuid

ROOT = pathlib.Path(__file__).resolve().parents[2]


def admin_postgres_url():
    url = os.environ.get("COCREA_TEST_POSTGRES_URL")
    if not url:
        done = subprocess.run([str(ROOT / "scripts/start-postgres")], capture_output=True, text=True, timeout=180)
        assert done.returncode == 0, f"scripts/start-postgres failed:\n{done.stdout}\n{done.stderr}"
        url = done.stdout.strip().splitlines()[-1]
    return url


def psql(url, sql):
    done = subprocess.run(["psql", url, "-v", "ON_ERROR_STOP=1", "-qtAc", sql], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, f"psql {sql!r}: {done.stderr}"
    return done.stdout


@contextlib.contextmanager
def fresh_database(prefix):
    """A database of its own on the test server, dropped afterwards even if servers still hold
    connections; yields its URL."""
    admin = admin_postgres_url()
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    psql(admin, f"CREATE DATABASE {name} OWNER cocrea")
    try:
        yield admin.rsplit("/", 1)[0] + "/" + name
    finally:
        psql(admin, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
