"""How the reliability campaign (``reliability_campaign.py``) runs a command and counts
what it did: in this process through the CLI's error boundary, or as a subprocess."""

from __future__ import annotations

import collections
import contextlib
import io
import resource
import subprocess
import sys
import time
from pathlib import Path

from reliability_inputs import ONE_MB, ROOT


def in_process(args: list[str]) -> tuple[int, float, str, float]:
    from geomap import cli

    err = io.StringIO()
    start, cpu = time.perf_counter(), cpu_seconds()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            code = cli.main(args)
        except SystemExit as stop:  # argparse: usage
            code = stop.code if isinstance(stop.code, int) else 2
    return code, time.perf_counter() - start, err.getvalue(), cpu_seconds() - cpu


def cpu_seconds() -> float:
    """CPU seconds of this process and of the children it has waited for (worker pools)."""
    me, kids = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def in_subprocess(args: list[str], timeout: float = 60) -> tuple[int, float, str, float]:
    start, cpu = time.perf_counter(), cpu_seconds()
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "geomap", *args],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired as err:
        said = err.stderr.decode(errors="replace") if isinstance(err.stderr, bytes) else ""
        if "geomap: serving" in said:  # a valid configuration (serve creates missing folders)
            return 0, time.perf_counter() - start, f"STARTED {said!r}", cpu_seconds() - cpu
        return -1, time.perf_counter() - start, f"TIMEOUT {said!r}", cpu_seconds() - cpu
    return proc.returncode, time.perf_counter() - start, proc.stderr, cpu_seconds() - cpu


def size_of(paths: list[str]) -> int:
    total = 0
    for p in paths:
        with contextlib.suppress(OSError):
            path = Path(p)
            if path.is_file():
                total += path.stat().st_size
            elif path.is_dir():
                total += sum(f.stat().st_size for f in path.iterdir() if f.is_file())
    return total


class Runs:
    """The runs of one part and their tally."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, str, int, float, str, int, float]] = []

    def add(
        self, name: str, what: str, result: tuple[int, float, str, float], size: int = 0
    ) -> None:
        code, secs, err, cpu = result
        self.rows.append((name, what, code, secs, err, size, cpu))
        flags = " | TRACEBACK" if "Traceback" in err else ""
        last = err.strip().splitlines()[-1:] if code not in (0, 1, 2, 3) else []
        print(
            f"{name} | {what} | {code} | {secs:.1f}s | cpu {cpu:.1f}s{flags} {last}",
            file=sys.stderr,
            flush=True,
        )

    def summary(self) -> dict:
        rows = self.rows
        return {
            "runs": len(rows),
            "exit_codes": dict(sorted(collections.Counter(r[2] for r in rows).items())),
            "internal_errors": [
                (r[0], r[1], r[4].strip().splitlines()[-1:]) for r in rows if r[2] == 4
            ],
            "tracebacks": [(r[0], r[1]) for r in rows if "Traceback" in r[4]],
            "timeouts": [(r[0], r[1]) for r in rows if r[2] == -1],
            "over_10s_under_1MB": [
                (r[0], r[1], round(r[3], 1)) for r in rows if r[3] > 10 and r[5] < ONE_MB
            ],
            "over_10s_any": [(r[0], r[1], round(r[3], 1)) for r in rows if r[3] > 10],
            "cpu_over_10s_under_1MB": [
                (r[0], r[1], round(r[6], 1)) for r in rows if r[6] > 10 and r[5] < ONE_MB
            ],
            "slowest_wall": sorted(((round(r[3], 1), r[0], r[1]) for r in rows), reverse=True)[:8],
            "slowest_cpu": sorted(((round(r[6], 1), r[0], r[1]) for r in rows), reverse=True)[:8],
            "total_wall_s": round(sum(r[3] for r in rows)),
            "total_cpu_s": round(sum(r[6] for r in rows)),
            "more_than_one_error_line": [
                (r[0], r[1])
                for r in rows
                if sum(ln.startswith("geomap: error") for ln in r[4].splitlines()) > 1
            ],
            "exit_0_with_an_error_line": [
                (r[0], r[1]) for r in rows if r[2] == 0 and "geomap: error" in r[4]
            ],
            "failed_without_an_error_line": [
                (r[0], r[1]) for r in rows if r[2] not in (0, 2, -1) and "geomap: error" not in r[4]
            ],
        }
