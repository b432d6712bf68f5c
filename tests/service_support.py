"""Run ``geomap serve`` for the service tests: a real uvicorn on a free 127.0.0.1 port."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "seeds" / "2021-07-07-badghis.txt"
TOKEN = "test-token-0123456789"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    url: str
    proc: subprocess.Popen
    db: str

    def client(self, token: str | None = TOKEN) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=120)

    def kill9(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)


def start(db: str, tmp: Path, *extra: str, timeout: float = 600) -> Server:
    """Start ``geomap serve`` on ``db`` and wait until ``/healthz`` answers."""
    port = free_port()
    token_file = tmp / "token"
    token_file.write_text(TOKEN + "\n", encoding="utf-8")
    env = dict(os.environ)
    env.pop("GEOMAP_TOKEN", None)
    log = open(tmp / f"server-{port}.log", "wb")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "geomap.cli",
            "serve",
            "--port",
            str(port),
            "--db",
            db,
            "--token-file",
            str(token_file),
            *extra,
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {(tmp / f'server-{port}.log').read_text()[-2000:]}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                return Server(url, proc, db)
        time.sleep(0.3)
    proc.kill()
    raise RuntimeError("server did not start in time")


@contextlib.contextmanager
def running(db: str, tmp: Path, *extra: str) -> Iterator[Server]:
    server = start(db, tmp, *extra)
    try:
        yield server
    finally:
        if server.proc.poll() is None:
            server.proc.send_signal(signal.SIGINT)
            try:
                server.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.proc.kill()


def pg_url() -> str | None:
    return os.environ.get("GEOMAP_TEST_PG_URL") or None


def fresh_pg_db(base: str, name: str) -> str:
    """A new, empty database on the cluster of ``base`` (dropped first if it exists)."""
    import sqlalchemy as sa

    from geomap.service.store import db_url

    engine = sa.create_engine(db_url(base), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    engine.dispose()
    head, _, _ = base.rpartition("/")
    return f"{head}/{name}"


def invented_report(i: int, place: str, day: int) -> str:
    """An invented report (not from any real source) naming one real town."""
    return (
        f"title: invented report {i}\ndate: 2021-08-{day:02d}\n\n"
        f"Taliban fighters captured {place} on {day} August after heavy fighting with "
        f"government forces, a local official said in statement number {i}.\n"
    )
