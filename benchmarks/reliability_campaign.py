"""The reliability campaign of issue 8 (not a test): bad inputs over every command.

Three parts, each a JSON block on standard output (progress on standard error):

1. ``bad``: every file of ``data/samples/bad``, every failing input of issue 8 and
   many more hostile inputs (reports, JSON Lines records, paths, boundaries files,
   options, outputs, place names, shards, service options) through every command —
   ``places``, ``events``, ``control``, ``map``, ``chart``, ``export``, ``geocode``,
   ``batch`` in-process through ``geomap.cli.main`` (the same error boundary as the
   command line), ``serve`` and ``push`` as subprocesses with a timeout (120 s). The report
   inputs run with and without ``--skip-bad``.
2. ``fuzz``: N random texts through ``events`` and ``map``.
3. ``big`` (unless ``--no-big``): a 10 MB report through ``places`` and ``events`` and
   two reports a century apart through ``map`` and ``chart``, as subprocesses under
   ``/usr/bin/time``: wall and CPU seconds, peak RSS.

Counted: internal errors (exit 4: what used to be a traceback), any ``Traceback`` on
stderr, runs over 10 s on inputs under 1 MB, more than one error line, exit codes.

    nice -n 19 python benchmarks/reliability_campaign.py --fuzz 200   # all three parts
    python benchmarks/reliability_campaign.py --fuzz 50 --no-big
    python benchmarks/reliability_campaign.py --big-only                # the 10 MB measure
    python benchmarks/reliability_campaign.py --fuzz-only --fuzz 200    # the random texts
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from reliability_inputs import (
    BAD,
    REPORT_COMMANDS,
    ROOT,
    SENTENCE,
    WORDS,
    boundaries_inputs,
    report_args,
    report_inputs,
)
from reliability_runs import Runs, in_process, in_subprocess, size_of


def bad_inputs(tmp: Path, from_case: str | None = None) -> dict:
    out = tmp / "out"
    out.mkdir()
    runs = Runs()
    cases = report_inputs(tmp)
    if from_case is not None:  # resume a long campaign: the report inputs from this one on
        names = list(cases)
        cases = {name: cases[name] for name in names[names.index(from_case) :]}
    # 1. report inputs over every command that reads reports, with and without --skip-bad
    for name, paths in cases.items():
        size = size_of(paths)
        for command in REPORT_COMMANDS:
            for extra in ([], ["--skip-bad"]):
                args = [*report_args(command, out), *paths, *extra]
                runs.add(name, " ".join([command, *extra]), in_process(args), size)
    good = tmp / "good.txt"
    good.write_text(f"date: 2021-08-01\n\n{SENTENCE}\n")
    nodate = str(BAD / "nodate.txt")
    # 2. boundaries files over every command that takes them
    for name, path in boundaries_inputs(tmp).items():
        for command in REPORT_COMMANDS:
            args = [*report_args(command, out), str(good), "--boundaries", path]
            runs.add(f"boundaries {name}", command, in_process(args))
        args = [*report_args("control", out), str(good), "--boundaries", path]
        runs.add(
            f"boundaries {name} code=admin1",
            "control",
            in_process([*args, "--code-column", "admin1", "--name-column", "iso_3166_2"]),
        )
    # 3. options
    ro = tmp / "read-only"
    ro.mkdir()
    ro.chmod(0o500)
    option_cases = {
        "--date 0001-01-01": ["events", nodate, "--date", "0001-01-01"],
        "--date 9999-12-31": ["places", nodate, "--date", "9999-12-31"],
        "--date garbage": ["control", nodate, "--date", "yesterday"],
        "--date empty": ["control", nodate, "--date", ""],
        "--as-of 1600": ["control", str(good), "--as-of", "1600-01-01"],
        "--as-of 2100": ["control", str(good), "--as-of", "2100-12-31"],
        "--as-of before events": ["control", str(good), "--as-of", "1900-01-01"],
        "map --as-of 1900": ["map", str(good), "-o", str(out / "m.html"), "--as-of", "1900-01-01"],
        "control undated": ["control", nodate],
        "control district no file": ["control", str(BAD / "xss.txt"), "--level", "district"],
        "map district": ["map", str(good), "-o", str(out / "m.html"), "--level", "district"],
        "--jobs 0": ["places", str(good), "--jobs", "0"],
        "--jobs -1": ["places", str(good), "-j", "-1"],
        "--jobs 3": ["events", str(good), str(BAD / "nodate.txt"), "-j", "3"],
        "--jobs huge": ["places", str(good), "-j", "99999999999999999999"],
        "--format bad": ["events", str(good), "--format", "xml"],
        "--stdout-format bad": ["places", str(good), "-o", "-", "--stdout-format", "xml"],
        "stdout geojson": ["events", str(good), "-o", "-", "--stdout-format", "geojson"],
        "unknown option": ["places", str(good), "--frobnicate"],
        "no command": [],
        "unknown command": ["frobnicate"],
        "no report": ["places"],
        "name-column missing": ["control", str(good), "--name-column", "nope"],
        "map --title huge": ["map", str(good), "-o", str(out / "m.html"), "--title", "x" * 100_000],
        "map --title script": [
            "map",
            str(good),
            "-o",
            str(out / "m.html"),
            "--title",
            "</title><script>alert(1)</script>",
        ],
        "chart --title format": [
            "chart",
            str(good),
            "-o",
            str(out / "c.png"),
            "--title",
            "%s{0}$x^",
        ],
        "--quiet both": ["-q", "places", str(good), "-q"],
        "--debug bad input": ["--debug", "places", str(BAD / "empty.txt")],
    }
    for name, args in option_cases.items():
        runs.add(name, (args or ["-"])[0], in_process(args))
    # 4. outputs
    output_cases = {
        "map to missing folder": ["map", nodate, "-o", str(tmp / "no/x.html")],
        "map to a folder": ["map", nodate, "-o", str(out)],
        "map to .png": ["map", nodate, "-o", str(out / "x.png")],
        "map to read-only folder": ["map", nodate, "-o", str(ro / "x.html")],
        "chart to .html": ["chart", str(good), "-o", str(out / "x.html")],
        "chart to read-only folder": ["chart", str(good), "-o", str(ro / "x.png")],
        "chart to missing folder": ["chart", str(good), "-o", str(tmp / "no/x.png")],
        "places unknown format": ["places", nodate, "-o", str(out / "x.xyz")],
        "places no suffix": ["places", nodate, "-o", str(out / "noext")],
        "places to read-only": ["places", nodate, "-o", str(ro / "x.csv")],
        "places to a folder": ["places", nodate, "-o", str(out)],
        "events to missing folder": ["events", str(good), "-o", str(tmp / "no/e.gpkg")],
        "control to .parquet in ro": ["control", str(good), "-o", str(ro / "c.parquet")],
        "export to .csv": ["export", str(good), "-o", str(out / "x.csv")],
        "export to read-only": ["export", str(good), "-o", str(ro / "x.gpkg")],
        "export undated": ["export", nodate, "-o", str(out / "u.gpkg")],
        "output over an input": ["places", str(tmp / "copy.txt"), "-o", str(tmp / "copy.txt")],
    }
    for name, args in output_cases.items():
        runs.add(name, args[0], in_process(args))
    # 5. geocode
    for name in [
        "",
        "   ",
        "KKKKKKKKKK",
        "x" * 100_000,
        "\x00",
        "Kabul\x00",
        "\ud800",
        "%",
        "*",
        "?",
        "Kabul' OR 1=1 --",
        "<script>",
        "Kabul",
        "كابل",
        "0",
        "-1",
        "\u2028",
    ]:
        runs.add(f"geocode {name[:20]!r}", "geocode", in_process(["geocode", name]))
    for name, args in {
        "geocode --country ZZ": ["geocode", "Kabul", "--country", "ZZ"],
        "geocode --country empty": ["geocode", "Kabul", "--country", ""],
        "geocode --country long": ["geocode", "Kabul", "--country", "AFG"],
        "geocode --limit 0": ["geocode", "Kabul", "--limit", "0"],
        "geocode --limit -1": ["geocode", "Kabul", "--limit", "-1"],
        "geocode --limit huge": ["geocode", "Kabul", "--limit", "10000000"],
    }.items():
        runs.add(name, "geocode", in_process(args))
    # 6. batch
    shards = tmp / "shards"
    shards.mkdir()
    (shards / "a.jsonl").write_text('{"text": "Kunduz"}\n{bad\n')
    (tmp / "shards-empty").mkdir()
    (tmp / "shards-parquet").mkdir()
    (tmp / "shards-parquet" / "a.parquet").write_text("not parquet")
    for name, args in {
        "batch missing folder": ["batch", str(tmp / "nope"), "-o", str(out / "b1")],
        "batch empty folder": ["batch", str(tmp / "shards-empty"), "-o", str(out / "b2")],
        "batch a file": ["batch", str(good), "-o", str(out / "b3")],
        "batch bad shard": ["batch", str(shards), "-o", str(out / "b4"), "--workers", "1"],
        "batch bad parquet": [
            "batch",
            str(tmp / "shards-parquet"),
            "-o",
            str(out / "b5"),
            "--workers",
            "1",
        ],
        "batch output exists": ["batch", str(shards), "-o", str(out), "--workers", "1"],
        "batch output in ro": ["batch", str(shards), "-o", str(ro / "b"), "--workers", "1"],
        "batch bad scheduler": [
            "batch",
            str(shards),
            "-o",
            str(out / "b6"),
            "--scheduler",
            "tcp://127.0.0.1:1",
        ],
        "batch bad boundaries": [
            "batch",
            str(shards),
            "-o",
            str(out / "b7"),
            "--boundaries",
            str(tmp / "no.gpkg"),
        ],
    }.items():
        runs.add(name, "batch", in_process(args), size_of([str(shards)]))
    _service_inputs(tmp, runs, good)
    ro.chmod(0o700)
    return runs.summary()


def _service_inputs(tmp: Path, runs: Runs, good: Path, timeout: float = 120) -> None:
    """``serve`` and ``push``: subprocesses (a serve that starts would never return; one
    that still has not said "serving" after ``timeout`` s is a hang)."""
    env_token = tmp / "token"
    env_token.write_text("secret-token")
    (tmp / "empty-token").write_text("")
    for name, args in {
        "serve no token": ["serve", "--port", "0", "--db", str(tmp / "s.sqlite3")],
        "serve token file missing": ["serve", "--port", "0", "--token-file", str(tmp / "none")],
        "serve token file empty": [
            "serve",
            "--port",
            "0",
            "--token-file",
            str(tmp / "empty-token"),
        ],
        "serve bad db url": ["serve", "--port", "0", "--read-only", "--db", "nonsense://x"],
        "serve db in missing folder": [
            "serve",
            "--port",
            "0",
            "--read-only",
            "--db",
            str(tmp / "no/s.sqlite3"),
        ],
        "serve db is a folder": ["serve", "--port", "0", "--read-only", "--db", str(tmp)],
        "serve db not sqlite": ["serve", "--port", "0", "--read-only", "--db", str(good)],
        "serve bad port": [
            "serve",
            "--read-only",
            "--db",
            str(tmp / "p.sqlite3"),
            "--port",
            "99999",
        ],
        "serve watch missing": [
            "serve",
            "--port",
            "0",
            "--token-file",
            str(env_token),
            "--db",
            str(tmp / "w.sqlite3"),
            "--watch",
            str(tmp / "nowatch"),
        ],
        "push nothing listening": [
            "push",
            "http://127.0.0.1:1",
            str(good),
            "--token-file",
            str(env_token),
        ],
        "push bad url": ["push", "not a url", str(good), "--token-file", str(env_token)],
        "push no token": ["push", "http://127.0.0.1:1", str(good)],
        "push bad report": [
            "push",
            "http://127.0.0.1:1",
            str(BAD / "empty.txt"),
            "--token-file",
            str(env_token),
        ],
        "push --batch 0": [
            "push",
            "http://127.0.0.1:1",
            str(good),
            "--batch",
            "0",
            "--token-file",
            str(env_token),
        ],
    }.items():
        env_free = {k: v for k, v in os.environ.items() if k != "GEOMAP_TOKEN"}
        with _environ(env_free):
            runs.add(name, args[0], in_subprocess(args, timeout=timeout))


@contextlib.contextmanager
def _environ(env: dict[str, str]):
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def fuzz(tmp: Path, n: int, seed: int = 8) -> dict:
    out = tmp / "fuzz-out"
    out.mkdir()
    runs = Runs()
    rng = random.Random(seed)
    for i in range(n):
        words = [rng.choice(WORDS) for _ in range(rng.randint(1, 60))]
        noise = "".join(chr(rng.randint(1, 0x2FFF)) for _ in range(rng.randint(0, 30)))
        path = tmp / f"fuzz{i}.txt"
        path.write_text(
            f"date: 2021-08-{rng.randint(1, 28):02d}\n\n" + " ".join(words) + noise, "utf-8"
        )
        for command in (["events"], ["map", "-o", str(out / "f.html")]):
            runs.add(f"fuzz{i}", command[0], in_process([*command, str(path)]), 1)
    return runs.summary()


def _timed(args: list[str]) -> dict:
    """One subprocess under /usr/bin/time: wall, user and system CPU seconds, peak RSS.

    Peak RSS is the largest resident set of the process (or of any child it waited for;
    a single report runs in one process, ``--jobs`` notwithstanding). The process tree's
    summed RSS is also sampled every 50 ms, in case a worker pool is used.
    """
    import psutil

    cmd = ["/usr/bin/time", "-f", "TIME %e %U %S %M", sys.executable, "-m", "geomap", *args]
    proc = subprocess.Popen(
        cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    tree_peak = [0]

    def sample() -> None:
        try:
            root = psutil.Process(proc.pid)
            while proc.poll() is None:
                total = 0
                for p in [root, *root.children(recursive=True)]:
                    with contextlib.suppress(psutil.Error):
                        total += p.memory_info().rss
                tree_peak[0] = max(tree_peak[0], total)
                time.sleep(0.05)
        except psutil.Error:
            pass

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    sampler.join()
    lines = err.strip().splitlines()
    stats = [ln for ln in lines if ln.startswith("TIME ")][-1].split()
    wall, user, system, kb = float(stats[1]), float(stats[2]), float(stats[3]), int(stats[4])
    return {
        "exit": proc.returncode,
        "wall_s": wall,
        "cpu_s": round(user + system, 2),
        "user_s": user,
        "sys_s": system,
        "peak_rss_MB": round(kb / 1024),
        "tree_rss_sampled_MB": round(tree_peak[0] / 2**20),
        "last_line": [ln for ln in lines if not ln.startswith("TIME ")][-1:],
    }


def big_runs(tmp: Path, repeat: int = 1) -> dict:
    """The 10 MB report and the century pair; ``repeat`` runs of each."""
    body = SENTENCE + " Fighting went on near Herat city. "
    n = 10 * 1000 * 1000 // len(body)
    big = tmp / "big.txt"
    big.write_text("date: 2021-08-01\n\n" + body * n)
    pair = tmp / "pair"
    pair.mkdir()
    (pair / "a.txt").write_text(f"date: 1900-01-01\n\n{SENTENCE}\n")
    (pair / "b.txt").write_text(
        "date: 2021-08-01\n\nThe Taliban captured Qala-e-Naw city, the capital of Badghis province.\n"
    )
    results: dict = {"10MB_report_bytes": big.stat().st_size}
    for name, args in {
        "10MB places": ["places", str(big), "-o", str(tmp / "p.csv")],
        "10MB events": ["events", str(big), "-o", str(tmp / "e.csv")],
        "century map": ["map", str(pair), "-o", str(tmp / "m.html")],
        "century chart": ["chart", str(pair), "-o", str(tmp / "c.png")],
        "one report map": ["map", str(pair / "b.txt"), "-o", str(tmp / "m1.html")],
    }.items():
        results[name] = [_timed(args) for _ in range(repeat)]
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fuzz", type=int, default=200, help="random texts through the CLI")
    parser.add_argument("--no-big", action="store_true", help="skip the 10 MB and century runs")
    parser.add_argument("--big-only", action="store_true", help="only the 10 MB and century runs")
    parser.add_argument("--fuzz-only", action="store_true", help="only the random texts")
    parser.add_argument("--service-only", action="store_true", help="only serve and push")
    parser.add_argument(
        "--from-case", help="start the report inputs at this case (resume a long campaign)"
    )
    parser.add_argument("--repeat", type=int, default=1, help="runs of each big measure")
    parser.add_argument(
        "--max-memory-gb",
        type=float,
        default=8,
        help="address-space limit of the campaign and its subprocesses (default 8): a blow-up "
        "ends in MemoryError (exit 4) instead of the machine's out-of-memory killer",
    )
    args = parser.parse_args()
    limit = int(args.max_memory_gb * 2**30)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))  # inherited by subprocesses
    tmp = Path(tempfile.mkdtemp(prefix="geomap-campaign-"))
    header = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "load_average": os.getloadavg(),
        "cpus": os.cpu_count(),
        "nice": os.nice(0),
    }
    print(json.dumps({"campaign": header}), flush=True)
    if args.service_only:
        runs = Runs()
        good = tmp / "good.txt"
        good.write_text(f"date: 2021-08-01\n\n{SENTENCE}\n")
        _service_inputs(tmp, runs, good)
        print(json.dumps({"service": runs.summary()}, indent=1, ensure_ascii=False))
        return
    if not args.big_only and not args.fuzz_only:
        bad = bad_inputs(tmp, args.from_case)
        print(json.dumps({"bad": bad}, indent=1, ensure_ascii=False), flush=True)
    if not args.big_only:
        print(json.dumps({"fuzz": fuzz(tmp, args.fuzz)}, indent=1, ensure_ascii=False), flush=True)
    if not args.no_big and not args.fuzz_only:
        big = big_runs(tmp, args.repeat)
        print(json.dumps({"big": big}, indent=1, ensure_ascii=False), flush=True)
    print(
        json.dumps(
            {"end": time.strftime("%H:%M UTC", time.gmtime()), "load_average": os.getloadavg()}
        ),
        flush=True,
    )


if __name__ == "__main__":
    main()
