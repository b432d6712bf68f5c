"""Hostile inputs of the reliability campaign (``reliability_campaign.py``): report
files, JSON Lines records, paths and boundaries files, made in a temporary folder."""

from __future__ import annotations

import json
import os
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BAD = ROOT / "data" / "samples" / "bad"
SENTENCE = "The Taliban captured Kunduz city, the capital of Kunduz province, on Monday."
WORDS = [*SENTENCE.split(), "Herat", "fell", "clashes", "1600-06-01", "\u2028", "\x85", "July"]
REPORT_COMMANDS = ("places", "places-geojson", "events", "events-acled", "control", "map")
REPORT_COMMANDS += ("chart", "export")
ONE_MB = 1 << 20


def make_writer(tmp: Path):
    def write(name: str, text: str | bytes) -> str:
        path = tmp / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8", errors="surrogatepass")
        return str(path)

    return write


def report_inputs(tmp: Path) -> dict[str, list[str]]:
    """Named lists of report paths: the bad samples, issue 8's items and more."""
    write = make_writer(tmp)
    good = f"date: 2021-08-01\n\n{SENTENCE}\n"
    cases: dict[str, list[str]] = {p.name: [str(p)] for p in sorted(BAD.iterdir())}
    # dates
    cases["header-1600"] = [write("h1600.txt", f"date: 1600-06-01\n\n{SENTENCE}\n")]
    cases["header-2300"] = [write("h2300.txt", f"date: 2300-06-01\n\n{SENTENCE}\n")]
    cases["header-feb-30"] = [write("h0230.txt", f"date: 2021-02-30\n\n{SENTENCE}\n")]
    cases["header-july-32"] = [write("h0732.txt", f"date: July 32, 2021\n\n{SENTENCE}\n")]
    cases["sentence-0016"] = [write("s16.txt", f"date: 2021-08-01\n\n{SENTENCE} 0016-06-01.\n")]
    cases["sentence-9999"] = [write("s9999.txt", f"date: 2021-08-01\n\n{SENTENCE} 9999-12-31.\n")]
    cases["dateline-1600"] = [write("dl1600.txt", f"KABUL, 1600-01-01: {SENTENCE}\n")]
    cases["pair-1700-2250"] = [
        write("p1700.txt", f"date: 1700-01-01\n\n{SENTENCE}\n"),
        write("p2250.txt", f"date: 2250-01-01\n\n{SENTENCE}\n"),
    ]
    cases["pair-1900-2021"] = [
        write("p1900.txt", f"date: 1900-01-01\n\n{SENTENCE}\n"),
        write(
            "p2021.txt",
            "date: 2021-08-01\n\nThe Taliban captured Qala-e-Naw city, the capital of Badghis province.\n",
        ),
    ]
    cases["pair-1900-2100"] = [
        write("q1900.txt", f"date: 1900-01-01\n\n{SENTENCE}\n"),
        write("q2100.txt", "date: 2100-12-31\n\nThe Taliban captured Herat city.\n"),
    ]
    # text files
    for name, content in {
        "whitespace-only": " \n\t\n  \n",
        "bom-only": "\ufeff",
        "header-no-body": "title: x\ndate: 2021-08-01\n\n",
        "crlf": good.replace("\n", "\r\n"),
        "cr-only": good.replace("\n", "\r"),
        "control-chars": "".join(chr(i % 31 + 1) for i in range(2000)),
        "nul-after-8k": "x " * 5000 + "\x00" + SENTENCE,
        "punctuation": ".,;:!?-–—()[]{}\"'«»" * 200,
        "one-letter-words": " ".join("abcdefghij" * 500),
        "capitals": " ".join(["Kunduz"] * 3000),
        "script-tags": "date: 2021-08-01\n\n<script>alert(1)</script> " + SENTENCE,
        "rtl-and-emoji": "date: 2021-08-01\n\n\u202e" + SENTENCE + " 🏴\u200d☠️ کندز",
        "long-word-900k": "date: 2021-08-01\n\n" + "K" * 900_000,
        "sentences-900k": "date: 2021-08-01\n\n" + (SENTENCE + " ") * (900_000 // 77),
        "random-unicode-900k": "date: 2021-08-01\n\n"
        + "".join(chr(random.Random(1).randint(0x20, 0x2FFF)) for _ in range(300_000)),
        "places-only-900k": "date: 2021-08-01\n\n" + "Kunduz Herat Kabul " * 47_000,
    }.items():
        cases[name] = [write(f"{name}.txt", content)]
    cases["utf16"] = [write("utf16.txt", good.encode("utf-16"))]
    cases["over-20MiB"] = [write("huge.txt", b"x" * (21 * ONE_MB))]
    # JSON Lines
    good_record = json.dumps({"text": SENTENCE, "date": "2021-08-01"})
    for name, line in {
        "jsonl-u2028": json.dumps({"text": SENTENCE.replace(" ", "\u2028", 3)}, ensure_ascii=False),
        "jsonl-deep": "[" * 100_000 + "]" * 100_000,
        "jsonl-deep-object": '{"a":' * 50_000 + "1" + "}" * 50_000,
        "jsonl-surrogate": '{"text": "\\ud800 Kunduz"}',
        "jsonl-bigint": '{"text": "Kunduz", "n": ' + "9" * 5000 + "}",
        "jsonl-url-list": json.dumps({"text": SENTENCE, "url": ["a"], "source": ["b"]}),
        "jsonl-date-int": json.dumps({"text": SENTENCE, "date": 20210801}),
        "jsonl-date-1600": json.dumps({"text": SENTENCE, "date": "1600-01-01"}),
        "jsonl-text-null": '{"text": null}',
        "jsonl-text-empty": '{"text": ""}',
        "jsonl-text-number": '{"text": 12}',
        "jsonl-array": json.dumps([SENTENCE]),
        "jsonl-string": json.dumps(SENTENCE),
        "jsonl-nan": '{"text": NaN}',
        "jsonl-truncated": '{"text": "Kunduz',
        "jsonl-dup-keys": '{"text": "Kunduz", "text": "' + SENTENCE + '"}',
        "jsonl-html-text": json.dumps({"text": "<html><body><p>x</p></body></html>"}),
        "jsonl-id-object": json.dumps({"text": SENTENCE, "id": {"a": 1}}),
        "jsonl-title-bool": json.dumps({"text": SENTENCE, "title": True}),
        "jsonl-crlf": good_record + "\r\n" + good_record.replace("Monday", "Tuesday"),
        "jsonl-bom": "\ufeff" + good_record,
        "jsonl-blank-lines": "\n\n   \n",
        "jsonl-good-then-bad": good_record + "\n{bad json",
        "jsonl-same-record-twice": good_record + "\n" + good_record,
    }.items():
        cases[name] = [write(f"{name}.jsonl", line + "\n")]
    cases["jsonl-latin1"] = [
        write("jsonl-latin1.jsonl", '{"text": "Kund\xfcz"}\n'.encode("latin-1"))
    ]
    cases["jsonl-binary"] = [write("jsonl-binary.jsonl", bytes(range(256)) * 4)]
    # paths
    folder = tmp / "folder"
    folder.mkdir()
    (folder / "a.txt").write_text(good)
    (folder / "dir.txt").mkdir()
    (folder / "link.txt").symlink_to(tmp / "nowhere")
    cases["folder-dir-and-broken-link"] = [str(folder)]
    cases["same-text-twice"] = [str(folder / "a.txt"), str(folder / "a.txt")]
    (tmp / "copy.txt").write_text(good)
    cases["same-text-two-files"] = [str(folder / "a.txt"), str(tmp / "copy.txt")]
    (tmp / "empty-folder").mkdir()
    cases["empty-folder"] = [str(tmp / "empty-folder")]
    (tmp / "readme-folder").mkdir()
    (tmp / "readme-folder" / "README.md").write_text(good)
    cases["folder-without-reports"] = [str(tmp / "readme-folder")]
    cases["missing-file"] = [str(tmp / "no-such-file.txt")]
    os.mkfifo(tmp / "fifo.txt")
    cases["fifo"] = [str(tmp / "fifo.txt")]
    cases["dev-null"] = ["/dev/null"]
    cases["dev-zero"] = ["/dev/zero"]
    odd = os.fsdecode(bytes(tmp) + b"/odd\xff\nname.txt")
    Path(odd).write_text(good)
    cases["odd-file-name"] = [odd]
    return cases


def report_args(command: str, out: Path) -> list[str]:
    return {
        "places": ["places"],
        "places-geojson": ["places", "-o", str(out / "p.geojson")],
        "events": ["events"],
        "events-acled": ["events", "--format", "acled", "-o", str(out / "e.csv")],
        "control": ["control"],
        "map": ["map", "-o", str(out / "m.html")],
        "chart": ["chart", "-o", str(out / "c.png")],
        "export": ["export", "-o", str(out / "x.gpkg")],
    }[command]


def boundaries_inputs(tmp: Path) -> dict[str, str]:
    """Hostile boundaries files."""
    import geopandas as gpd
    import shapely

    write = make_writer(tmp)
    box = shapely.box(60, 29, 75, 39)
    made = {}
    for name, columns in {
        "code-null": {"admin1": ["A"], "iso_3166_2": [None], "country": ["AF"]},
        "code-numeric": {"admin1": ["A"], "iso_3166_2": [12], "country": ["AF"]},
        "no-code-column": {"admin1": ["A"], "country": ["AF"]},
        "name-null": {"admin1": [None], "iso_3166_2": ["AF-KDZ"], "country": ["AF"]},
    }.items():
        path = tmp / f"{name}.geojson"
        gpd.GeoDataFrame(columns, geometry=[box], crs="EPSG:4326").to_file(path)
        made[name] = str(path)
    path = tmp / "no-geometry.geojson"
    gpd.GeoDataFrame(
        {"admin1": ["A"], "iso_3166_2": ["AF-KDZ"]}, geometry=[None], crs="EPSG:4326"
    ).to_file(path)
    made["no-geometry"] = str(path)
    path = tmp / "no-crs.geojson"
    gpd.GeoDataFrame({"admin1": ["A"], "iso_3166_2": ["AF-KDZ"]}, geometry=[box]).to_file(path)
    made["no-crs"] = str(path)
    made["points"] = write(
        "points.geojson",
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"admin1": "A", "iso_3166_2": "AF-KDZ"},
                        "geometry": {"type": "Point", "coordinates": [68.8, 36.7]},
                    }
                ],
            }
        ),
    )
    made["not-gis"] = write("not-gis.geojson", "this is not a GIS file")
    made["empty-file"] = write("empty.geojson", "")
    made["invalid-polygon"] = write(
        "bowtie.geojson",
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"admin1": "A", "iso_3166_2": "AF-KDZ"},
                        "geometry": {
                            "type": "Polygon",
                            "coordinates": [[[60, 29], [75, 39], [75, 29], [60, 39], [60, 29]]],
                        },
                    }
                ],
            }
        ),
    )
    made["missing"] = str(tmp / "no-such.gpkg")
    made["folder"] = str(tmp)
    return made
