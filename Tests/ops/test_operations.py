"""Cocrea as an operator runs it, against the real binary:

1. `test_installed_service_runs_from_any_directory`: `scripts/install --root TMP` lays out the binary,
   its resources, the systemd unit and the settings file; the installed binary serves the demo from
   another working directory (no COCREA_RESOURCES), answering /healthz, a page, a static file and
   /metrics from loopback; `systemd-analyze verify` accepts the unit when systemd-analyze is there.
   It installs the debug build CI has already made (`--binary`): a release build of Vapor takes
   more than ten minutes on CI's two cores, and the layout, not the optimiser, is under test.
2. `test_postgresql_backup_restores_into_a_new_database`: the demo on PostgreSQL, `pg_dump -Fc`,
   `pg_restore` into a new database, and Cocrea serving from the copy: the audit trail verifies and
   the demo exercise is there through the API."""
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "support"))
from cocrea_server import ADMIN, API, BINARY, DEMO_EXERCISE, ROOT, free_port  # noqa: E402
from postgres import fresh_database  # noqa: E402

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "faults"))
from test_faults import CocreaProcess  # noqa: E402


def run(command, env=None, cwd=None, timeout=180):
    done = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{command}: {done.stdout}\n{done.stderr}"
    return done.stdout


def clean_env(data_dir, port):
    env = dict(os.environ, COCREA_DATA_DIR=str(data_dir), COCREA_BASE_URL=f"http://127.0.0.1:{port}",
               LOG_LEVEL="warning")
    for name in ("COCREA_RESOURCES", "DATABASE_URL", "SMTP_URL"):
        env.pop(name, None)
    return env


def wait_for_health(base, process, log, timeout=180):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if get(base + "/healthz")[0] == 200:
                return
        except OSError:
            assert process.poll() is None, f"cocrea serve exited:\n{log.read_text()}"
            time.sleep(0.3)
    raise AssertionError(f"cocrea serve did not answer /healthz:\n{log.read_text()}")


def get(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read().decode("utf-8", errors="replace")


def test_installed_service_runs_from_any_directory():
    assert BINARY.exists(), f"build first: {BINARY}"
    work = pathlib.Path(tempfile.mkdtemp(prefix="cocrea-install-"))
    try:
        root = work / "root"
        run([str(ROOT / "scripts/install"), "--root", str(root), "--binary", str(BINARY)])
        installed = root / "usr/local/bin/cocrea"
        share = root / "usr/local/share/cocrea"
        unit = root / "etc/systemd/system/cocrea.service"
        assert installed.is_file() and os.access(installed, os.X_OK)
        assert (share / "Resources/Views").is_dir() and (share / "Public/cocrea.css").is_file()
        text = unit.read_text()
        for line in ("User=cocrea", "Restart=on-failure", "EnvironmentFile=/etc/cocrea/cocrea.env", "StateDirectory=cocrea",
                     "NoNewPrivileges=yes", "ProtectSystem=strict", "ReadWritePaths=/var/lib/cocrea",
                     "ExecStart=/usr/local/bin/cocrea serve"):
            assert line in text, line
        settings = root / "etc/cocrea/cocrea.env"
        assert "COCREA_TRUSTED_PROXIES=" in settings.read_text()
        assert oct(settings.stat().st_mode & 0o777) == "0o640", "the settings hold passwords"

        # A second install keeps the operator's settings.
        settings.write_text(settings.read_text() + "COCREA_METRICS_TOKEN=propio\n")
        run([str(ROOT / "scripts/install"), "--root", str(root), "--binary", str(BINARY)])
        assert "COCREA_METRICS_TOKEN=propio" in settings.read_text()

        if shutil.which("systemd-analyze"):
            # Verified where the binary really is: the unit names it as installed into /.
            check = work / "cocrea.service"
            check.write_text(text.replace("ExecStart=/usr/local/bin/cocrea", f"ExecStart={installed}"))
            done = subprocess.run(["systemd-analyze", "verify", str(check)], capture_output=True, text=True, timeout=60)
            assert done.returncode == 0 and "Unknown" not in done.stderr and "ignoring" not in done.stderr, done.stderr

        elsewhere = work / "elsewhere"
        elsewhere.mkdir()
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log = work / "server.log"
        with open(log, "w") as output:
            server = subprocess.Popen([str(installed), "serve", "--demo", "--hostname", "127.0.0.1", "--port", str(port)],
                                      cwd=elsewhere, env=clean_env(work / "data", port), stdout=output,
                                      stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        try:
            wait_for_health(base, server, log)
            status, page = get(base + "/login")
            assert status == 200 and 'name="email"' in page, page[:500]
            assert get(base + "/cocrea.css")[0] == 200
            status, metrics = get(base + "/metrics")
            assert status == 200 and 'path="/login"' in metrics
        finally:
            server.terminate()
            assert server.wait(timeout=45) == 0, log.read_text()
    finally:
        shutil.rmtree(work, ignore_errors=True)


@pytest.mark.skipif(not shutil.which("pg_dump"), reason="pg_dump is not installed")
def test_postgresql_backup_restores_into_a_new_database():
    work = pathlib.Path(tempfile.mkdtemp(prefix="cocrea-pgbackup-"))
    try:
        with fresh_database("cocrea_backup") as original, fresh_database("cocrea_restored") as restored:
            env = clean_env(work, 0)
            env["COCREA_RESOURCES"] = str(ROOT)
            env["DATABASE_URL"] = original
            run([str(BINARY), "demo"], env=env)
            dump = work / "cocrea.dump"
            run(["pg_dump", "--format=custom", "--no-owner", "--file", str(dump), original])
            run(["pg_restore", "--no-owner", "--exit-on-error", "--dbname", restored, str(dump)])

            env["DATABASE_URL"] = restored
            assert "Bitácora íntegra" in run([str(BINARY), "audit", "verify"], env=env)
            port = free_port()
            env["COCREA_BASE_URL"] = f"http://127.0.0.1:{port}"
            server = CocreaProcess(env, port, work / "server.log", demo=False).start()
            try:
                exercises = API(server.base, server.token(ADMIN))("GET", "/exercises")
                assert DEMO_EXERCISE in [exercise["name"] for exercise in exercises], exercises
            finally:
                assert server.stop() == 0, server.log()
    finally:
        shutil.rmtree(work, ignore_errors=True)
