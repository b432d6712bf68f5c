"""The reliability campaign of issue 8 (not a test): bad inputs over every command.

Runs every file of ``data/samples/bad`` and every failing input of issue 8 through
each command, plus N random texts through ``events`` and ``map``, all in-process
through ``geomap.cli.main`` (the same error boundary as the command line), and
counts internal errors (exit 4: what used to be a traceback), runs over 10 s, and
exit codes. Then times a 10 MB report (``places`` and ``events``) and two reports a
century apart (``map``) as subprocesses.

    python benchmarks/reliability_campaign.py            # 200 random texts
    python benchmarks/reliability_campaign.py --fuzz 50 --no-big
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geomap import cli  # noqa: E402

BAD = ROOT / "data" / "samples" / "bad"
SENTENCE = "The Taliban captured Kunduz city, the capital of Kunduz province, on Monday."
WORDS = [*SENTENCE.split(), "Herat", "fell", "clashes", "1600-06-01", "\u2028", "\x85", "July"]


def _inputs(tmp: Path) -> dict[str, list[str]]:
    """Named input lists: the bad samples and issue 8's items."""

    def write(name: str, text: str | bytes) -> str:
        path = tmp / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8", errors="surrogatepass")
        return str(path)

    cases: dict[str, list[str]] = {p.name: [str(p)] for p in sorted(BAD.iterdir())}
    cases["header-1600"] = [write("h1600.txt", f"date: 1600-06-01\n\n{SENTENCE}\n")]
    cases["header-2300"] = [write("h2300.txt", f"date: 2300-06-01\n\n{SENTENCE}\n")]
    cases["sentence-0016"] = [write("s16.txt", f"date: 2021-08-01\n\n{SENTENCE} 0016-06-01.\n")]
    cases["pair-1700-2250"] = [
        write("p1700.txt", f"date: 1700-01-01\n\n{SENTENCE}\n"),
        write("p2250.txt", f"date: 2250-01-01\n\n{SENTENCE}\n"),
    ]
    cases["pair-1900-2021"] = [
        write("p1900.txt", f"date: 1900-01-01\n\n{SENTENCE}\n"),
        write("p2021.txt", "date: 2021-08-01\n\nThe Taliban captured Qala-e-Naw.\n"),
    ]
    for name, line in {
        "jsonl-u2028": json.dumps({"text": SENTENCE.replace(" ", "\u2028", 3)}, ensure_ascii=False),
        "jsonl-deep": "[" * 100_000 + "]" * 100_000,
        "jsonl-surrogate": '{"text": "\\ud800 Kunduz"}',
        "jsonl-bigint": '{"text": "Kunduz", "n": ' + "9" * 5000 + "}",
        "jsonl-url-list": json.dumps({"text": SENTENCE, "url": ["a"], "source": ["b"]}),
        "jsonl-date-int": json.dumps({"text": SENTENCE, "date": 20210801}),
    }.items():
        cases[name] = [write(f"{name}.jsonl", line + "\n")]
    folder = tmp / "folder"
    folder.mkdir()
    (folder / "a.txt").write_text(f"date: 2021-08-01\n\n{SENTENCE}\n")
    (folder / "dir.txt").mkdir()
    (folder / "link.txt").symlink_to(tmp / "nowhere")
    cases["folder-dir-and-broken-link"] = [str(folder)]
    cases["same-text-twice"] = [str(folder / "a.txt"), str(folder / "a.txt")]
    return cases


def _run(args: list[str]) -> tuple[int, float, str]:
    err = io.StringIO()
    start = time.perf_counter()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            code = cli.main(args)
        except SystemExit as stop:  # argparse: usage
            code = int(stop.code or 0)
    return code, time.perf_counter() - start, err.getvalue()


def campaign(n_fuzz: int, seed: int = 8) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="geomap-campaign-"))
    out = tmp / "out"
    out.mkdir()
    commands = [
        ["places"],
        ["places", "-o", str(out / "p.geojson")],
        ["events"],
        ["control"],
        ["map", "-o", str(out / "m.html")],
        ["chart", "-o", str(out / "c.png")],
    ]
    runs = []
    for name, paths in _inputs(tmp).items():
        for command in commands:
            for extra in ([], ["--skip-bad"]):
                code, secs, err = _run([*command, *paths, *extra])
                runs.append((name, " ".join(command[:1] + extra), code, secs, err))
    extra_cases = [
        ("--date 0001-01-01", ["events", str(BAD / "nodate.txt"), "--date", "0001-01-01"]),
        ("map to missing folder", ["map", str(BAD / "nodate.txt"), "-o", str(tmp / "no/x.html")]),
        ("map to a folder", ["map", str(BAD / "nodate.txt"), "-o", str(out)]),
        ("geocode empty", ["geocode", ""]),
        ("geocode KKKKKKKKKK", ["geocode", "KKKKKKKKKK"]),
        ("unknown format", ["places", str(BAD / "nodate.txt"), "-o", str(out / "x.xyz")]),
    ]
    for name, args in extra_cases:
        code, secs, err = _run(args)
        runs.append((name, args[0], code, secs, err))
    rng = random.Random(seed)
    for i in range(n_fuzz):
        words = [rng.choice(WORDS) for _ in range(rng.randint(1, 60))]
        noise = "".join(chr(rng.randint(1, 0x2FFF)) for _ in range(rng.randint(0, 30)))
        path = tmp / f"fuzz{i}.txt"
        path.write_text(
            f"date: 2021-08-{rng.randint(1, 28):02d}\n\n" + " ".join(words) + noise, "utf-8"
        )
        for command in (["events"], ["map", "-o", str(out / "f.html")]):
            code, secs, err = _run([*command, str(path)])
            runs.append((f"fuzz{i}", command[0], code, secs, err))
    codes = collections.Counter(r[2] for r in runs)
    internal = [(r[0], r[1], r[4].strip().splitlines()[-1:]) for r in runs if r[2] == 4]
    slow = [(r[0], r[1], round(r[3], 1)) for r in runs if r[3] > 10]
    multi = [
        (r[0], r[1])
        for r in runs
        if sum(ln.startswith("geomap: error") for ln in r[4].splitlines()) > 1
    ]
    tracebacks = sum("Traceback" in r[4] for r in runs)
    return {
        "runs": len(runs),
        "exit_codes": dict(sorted(codes.items())),
        "internal_errors": internal,
        "tracebacks": tracebacks,
        "over_10s": slow,
        "more_than_one_error_line": multi,
    }


def _timed(args: list[str]) -> tuple[int, float, float, str]:
    env = {**os.environ}
    cmd = ["/usr/bin/time", "-f", "%e %M", sys.executable, "-m", "geomap", *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env)
    secs, kb = proc.stderr.strip().splitlines()[-1].split()
    return proc.returncode, float(secs), int(kb) / 1024, proc.stderr.strip().splitlines()[-2:-1]


def big_runs() -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="geomap-big-"))
    body = (SENTENCE + " Fighting went on near Herat city. ") * 1
    n = 10 * 1024 * 1024 // len(body)
    big = tmp / "big.txt"
    big.write_text("date: 2021-08-01\n\n" + body * n)
    pair = tmp / "pair"
    pair.mkdir()
    (pair / "a.txt").write_text(f"date: 1900-01-01\n\n{SENTENCE}\n")
    (pair / "b.txt").write_text("date: 2021-08-01\n\nThe Taliban captured Qala-e-Naw.\n")
    results = {}
    for name, args in {
        "10MB places": ["places", str(big), "-o", str(tmp / "p.csv")],
        "10MB events": ["events", str(big), "-o", str(tmp / "e.csv")],
        "century map": ["map", str(pair), "-o", str(tmp / "m.html")],
        "century chart": ["chart", str(pair), "-o", str(tmp / "c.png")],
        "one report map": ["map", str(pair / "b.txt"), "-o", str(tmp / "m1.html")],
    }.items():
        code, secs, mb, last = _timed(args)
        results[name] = {"exit": code, "seconds": secs, "peak_MB": round(mb), "last": last}
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fuzz", type=int, default=200, help="random texts through the CLI")
    parser.add_argument("--no-big", action="store_true", help="skip the 10 MB and century runs")
    args = parser.parse_args()
    print(json.dumps(campaign(args.fuzz), indent=1, ensure_ascii=False), flush=True)
    if not args.no_big:
        print(json.dumps(big_runs(), indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
