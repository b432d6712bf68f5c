"""geomap serve's command line: the token rule, geomap push, and --watch."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
import service_support as ss

pytestmark = pytest.mark.slow


def _geomap(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "geomap.cli", *args],
        cwd=ss.ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )


def test_serve_refuses_to_start_without_a_token(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "GEOMAP_TOKEN"}
    r = _geomap("serve", "--db", str(tmp_path / "x.sqlite3"), env=env)
    assert r.returncode == 1
    assert r.stderr.strip().count("\n") == 0 and "GEOMAP_TOKEN" in r.stderr
    assert "Traceback" not in r.stderr
    r = _geomap("serve", "--token-file", str(tmp_path / "missing"), env=env)
    assert r.returncode == 1 and "missing" in r.stderr and "Traceback" not in r.stderr


def test_push_and_watch(tmp_path):
    inbox = tmp_path / "inbox"
    with ss.running(str(tmp_path / "w.sqlite3"), tmp_path, "--watch", str(inbox)) as srv:
        env = dict(os.environ, GEOMAP_TOKEN=ss.TOKEN)
        demo = str(ss.ROOT / "data" / "samples" / "demo")
        first = _geomap("push", srv.url, demo, env=env)
        assert first.returncode == 0, first.stderr
        assert "4 new reports, 0 already there" in first.stderr
        again = _geomap("push", srv.url, demo, env=env)
        assert "0 new reports, 4 already there" in again.stderr
        bad = _geomap("push", srv.url, demo, env=dict(env, GEOMAP_TOKEN="wrong"))
        assert bad.returncode == 1 and "401" in bad.stderr and "Traceback" not in bad.stderr

        with srv.client() as c:
            seq = c.get("/healthz").json()["seq"]
            # atomic rename-in: written under a hidden name, then renamed
            tmp = inbox / ".incoming.tmp"
            tmp.write_text(ss.invented_report(7, "Kunduz", 8), encoding="utf-8")
            tmp.rename(inbox / "kunduz.txt")
            (inbox / "junk.txt").write_bytes(b"\x00\x01binary")
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not (inbox / "done" / "kunduz.txt").exists():
                time.sleep(0.2)
            assert (inbox / "done" / "kunduz.txt").exists()
            assert c.get("/healthz").json()["seq"] > seq
            assert (inbox / "rejected" / "junk.txt").exists()
            reason = (inbox / "rejected" / "junk.txt.reason.txt").read_text()
            assert "binary" in reason
            places = c.get("/places", params={"limit": 5000}).json()["features"]
            assert any(f["properties"]["name"] == "Kunduz" for f in places)
