"""A throwaway PostgreSQL cluster for the tests: Debian's server binaries, a fresh
`initdb` in a temporary directory, listening on a loopback port and a private unix
socket, stopped and deleted at the end.

PostgreSQL refuses to run as root. When the tests run as root (as CI does), the
cluster is initialised and run as the `postgres` system user that Debian's package
creates, so the directory is made theirs. Nothing here is mocked: every test that
uses it talks to a real server over TCP.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

# When the server runs as root, PostgreSQL's own user runs it instead.
SERVER_USER = "postgres"


def server_binaries() -> Path | None:
    """The newest installed server's bin directory (postgres, initdb, pg_ctl)."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/postgres"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    return found[-1].parent if found else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresCluster:
    """`start()`, `url(database)`, `create_database()`, `stop()`, `restart()`."""

    def __init__(self, bin_dir: Path):
        self.bin = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="inspection-bot-pg-"))
        self.data = self.root / "data"
        self.socket_dir = self.root / "socket"
        self.log = self.root / "server.log"
        self.port = free_port()
        self.user = "inspection_bot"
        self._databases = 0
        self._as_other = os.geteuid() == 0
        if self._as_other:
            account = pwd.getpwnam(SERVER_USER)
            self.root.chmod(0o755)
        self.socket_dir.mkdir()
        if self._as_other:
            for path in (self.root, self.socket_dir):
                os.chown(path, account.pw_uid, account.pw_gid)

    def _run(self, *argv: str, timeout: float = 60) -> subprocess.CompletedProcess:
        command = [str(self.bin / argv[0]), *argv[1:]]
        if self._as_other:
            command = ["runuser", "-u", SERVER_USER, "--", *command]
        return subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, check=False, cwd=self.root
        )

    def start(self) -> PostgresCluster:
        if not self.data.exists():
            done = self._run(
                "initdb",
                "-D",
                str(self.data),
                "-U",
                self.user,
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--no-sync",
            )
            if done.returncode:
                raise RuntimeError(f"initdb failed: {done.stderr or done.stdout}")
        self._ctl_start()
        return self

    def _ctl_start(self) -> None:
        options = (
            f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=200"
        )
        done = self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start"
        )
        if done.returncode:
            log = self.log.read_text() if self.log.exists() else ""
            raise RuntimeError(f"pg_ctl start failed: {done.stderr or done.stdout}\n{log}")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def restart(self, *, down_for: float = 0.0) -> None:
        """Stop the server (closing every connection), wait, start it again."""
        self.stop()
        time.sleep(down_for)
        self._ctl_start()

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{database}"

    def create_database(self) -> str:
        """A new, empty database; its URL."""
        import psycopg

        self._databases += 1
        name = f"test_{os.getpid()}_{self._databases}"
        with psycopg.connect(self.url(), autocommit=True) as db:
            db.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def destroy(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)


def start_cluster_or_fail() -> PostgresCluster:
    """A running cluster, or an error saying why there is none (for the benchmarks)."""
    bin_dir = server_binaries()
    if bin_dir is None:
        raise RuntimeError("PostgreSQL's server is not installed (Debian package postgresql)")
    return PostgresCluster(bin_dir).start()


def start_cluster() -> PostgresCluster:
    """A running cluster, or a skip (a fail in CI) saying why there is none."""
    bin_dir = server_binaries()
    reason = None
    if bin_dir is None:
        reason = "PostgreSQL's server is not installed (Debian package postgresql)"
    else:
        try:
            return PostgresCluster(bin_dir).start()
        except (RuntimeError, KeyError, OSError, subprocess.TimeoutExpired) as error:
            reason = f"PostgreSQL could not start: {error}"
    if os.environ.get("CI"):
        pytest.fail(reason)  # CI installs PostgreSQL: a cluster that can't start is a failure
    pytest.skip(reason)
    raise AssertionError("unreachable")
