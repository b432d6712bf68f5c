"""Score geomap on the development corpus, in process, with a reason for every miss.

The corpus is third-party text: it is read from ``../shared/dev-corpus`` (next to the
repository) and nothing of it is copied here. The measures are those of the corpus's
reference scorer (``../shared/dev-corpus/score.py``, whose figures this script must
reproduce), computed from geomap's own tables instead of its CLI output:

- a gold place is *found* when a place row of the same report has the same mention (or
  one contains the other as whole words) within 40 km (countries 1,500 km, provinces
  200 km); gold places marked ``uncertain`` are not counted;
- *precision*: non-country rows that match no gold place are false;
- *admin-1*: found non-country places whose gold has an ISO 3166-2 code must carry it;
- a gold capture, recapture or surrender with a date and a non-country place is *found on
  the right day* when an event of the same report within 40 km (provinces 200 km) is a
  change of territory dated within one day.

Run from the repository root::

    .venv/bin/python benchmarks/score_dev_corpus.py            # misses, then one JSON line
    .venv/bin/python benchmarks/score_dev_corpus.py --json     # one JSON object
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "dev-corpus"
TERRITORY = ("overtakes territory", "transfer of territory", "regains territory")
CHANGES = ("capture", "recapture", "surrender")
TOLERANCE_KM = {"country": 1500.0, "province": 200.0}


def same_mention(a: str, b: str) -> bool:
    """Equal, or one inside the other as whole words (case-insensitive)."""
    a, b = a.strip().lower(), b.strip().lower()
    if min(len(a), len(b)) < 3:
        return a == b
    return f" {a} " in f" {b} " or f" {b} " in f" {a} "


def _day(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _tables(corpus: Path) -> tuple[dict, dict, dict]:
    """Gold by file stem, and geomap's places and events by file stem."""
    from geo import extract_events, find_places, read_reports

    gold = {}
    for line in (corpus / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            g = json.loads(line)
            gold[Path(g["file"]).stem] = g
    reports = read_reports(sorted((corpus / "corpus").glob("*.txt")))
    stem = {r.id: Path(r.path or r.id).stem for r in reports}
    places = find_places(reports)
    events = extract_events(reports, places)
    by_places: dict[str, list[dict]] = {}
    for row in places.drop(columns="geometry").to_dict("records"):
        by_places.setdefault(stem[row["report"]], []).append(row)
    by_events: dict[str, list[dict]] = {}
    for row in events.drop(columns="geometry").to_dict("records"):
        by_events.setdefault(stem.get(row["report"], row["report"]), []).append(row)
    return gold, by_places, by_events


def score(corpus: Path = DEV) -> dict:
    """The measures and the itemised misses (see the module docstring)."""
    from geo.distance import haversine_km

    gold, places, events = _tables(corpus)

    def near(g: dict, lat: object, lon: object, km: float | None = None) -> bool:
        if g.get("lat") is None:
            return True
        if lat is None or lon is None:
            return False
        limit = km if km is not None else TOLERANCE_KM.get(g["kind"], 40.0)
        return float(haversine_km(g["lat"], g["lon"], lat, lon)) <= limit

    out: dict = {"missed": [], "false": [], "wrong_admin1": [], "missed_changes": []}
    total = found = a1_n = a1_ok = tp = fp = n = typed = right = 0
    for name, g in gold.items():
        got = places.get(name, [])
        for p in g["places"]:
            if p.get("uncertain"):
                continue
            total += 1
            hits = [
                f
                for f in got
                if same_mention(p["mention"], f["mention"]) and near(p, f["lat"], f["lon"])
            ]
            if not hits:
                out["missed"].append(f"{name}: {p['mention']}")
                continue
            found += 1
            if p["kind"] != "country" and p.get("iso_3166_2"):
                a1_n += 1
                if hits[0]["iso_3166_2"] == p["iso_3166_2"]:
                    a1_ok += 1
                else:
                    out["wrong_admin1"].append(
                        f"{name}: {p['mention']} {hits[0]['iso_3166_2']} (gold {p['iso_3166_2']})"
                    )
        for f in got:
            if f["kind"] == "country":
                continue
            if any(
                same_mention(p["mention"], f["mention"]) and near(p, f["lat"], f["lon"])
                for p in g["places"]
            ):
                tp += 1
            else:
                fp += 1
                out["false"].append(f"{name}: {f['mention']} -> {f['name']} ({f['country']})")
        by_name = {p["name"]: p for p in g["places"]}
        for e in g["events"]:
            p = by_name.get(e.get("place"))
            if (
                e["type"] not in CHANGES
                or not e.get("date")
                or p is None
                or p.get("lat") is None
                or p["kind"] == "country"
            ):
                continue
            n += 1
            km = 200.0 if p["kind"] == "province" else 40.0
            there = [x for x in events.get(name, []) if near(p, x["latitude"], x["longitude"], km)]
            terr = [
                x for x in there if any(t in str(x["sub_event_type"]).lower() for t in TERRITORY)
            ]
            want = _day(e["date"])
            ok = [
                x
                for x in terr
                if (d := _day(x["event_date"])) and want and abs((d - want).days) <= 1
            ]
            typed += bool(terr)
            right += bool(ok)
            if not ok:
                why = (
                    "no event there"
                    if not there
                    else "no change of territory there"
                    if not terr
                    else "dated " + ", ".join(sorted({str(x["event_date"])[:10] for x in terr}))
                )
                out["missed_changes"].append(f"{name}: {e['place']} {e['date']} ({why})")
    out["measures"] = {
        "place_recall": round(found / max(total, 1), 3),
        "place_precision": round(tp / max(tp + fp, 1), 3),
        "admin1_accuracy": round(a1_ok / max(a1_n, 1), 3),
        "control_changes_found": round(typed / max(n, 1), 3),
        "control_changes_right_day": round(right / max(n, 1), 3),
        "counts": {
            "places": total,
            "found": found,
            "false": fp,
            "admin1": a1_n,
            "control_changes": n,
        },
    }
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--corpus", type=Path, default=DEV, help="folder with corpus/ and gold.jsonl"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    if not (args.corpus / "gold.jsonl").exists():
        print(f"score_dev_corpus: {args.corpus}: no dev corpus here (gold.jsonl)", file=sys.stderr)
        return 1
    result = score(args.corpus)
    if args.json:
        print(json.dumps(result))
        return 0
    for key, title in (
        ("missed", "missed places"),
        ("false", "false places"),
        ("wrong_admin1", "wrong admin-1"),
        ("missed_changes", "missed changes of control"),
    ):
        print(f"{title} ({len(result[key])}):")
        for item in result[key]:
            print("  ", item)
    print(json.dumps(result["measures"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
