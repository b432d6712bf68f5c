"""The gazetteer cache: no pickle ever loaded, checked on load, rebuilt when damaged, built once.

A tiny build stands in for the real one (a minute of GeoNames) so each case runs in
milliseconds; the saving, checking, locking and loading are the real code.
"""

from __future__ import annotations

import json
import multiprocessing
import pickle
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from geo.gazetteer import RECORD_COLUMNS, Gazetteer, GazetteerWarning, key_hash
from geo.gazetteer import lookup as gz_lookup
from geo.gazetteer import store as gz_store


def _tiny_build(target: Path) -> None:
    records = pd.DataFrame(
        [("test:1", "Testville", "town", "XX", "01", "XX-A", 1.0, 2.0, 500, False)],
        columns=RECORD_COLUMNS,
    )
    h = np.array([key_hash("testville")], dtype=np.uint64)
    rid = np.array([0], dtype=np.int32)
    index = {
        "exact_hash": h,
        "exact_rid": rid,
        "translit_hash": h,
        "translit_rid": rid,
        "acronym_hash": np.array([], dtype=np.uint64),
        "acronym_rid": np.array([], dtype=np.int32),
        "english_words": np.array(["the", "fighting"], dtype=object),
        "english_zipf": np.array([7.0, 4.5], dtype=np.float32),
    }
    counter = target.parent / "builds.log"
    with open(counter, "a") as f:
        f.write("build\n")
    time.sleep(0.3)  # long enough for a second process to arrive while this one builds
    gz_store.save(target, records, index, {"records": 1, "names": 1})


@pytest.fixture
def tiny(monkeypatch):
    monkeypatch.setattr(gz_lookup, "build", _tiny_build)


def _builds(base: Path) -> int:
    log = base / "builds.log"
    return len(log.read_text().splitlines()) if log.exists() else 0


def _target(base: Path) -> Path:
    (target,) = [p for p in base.iterdir() if p.is_dir() and p.name.startswith("gazetteer-")]
    return target


def test_cache_is_plain_arrays_memory_mapped_and_checked(tmp_path, tiny):
    gaz = Gazetteer.load(tmp_path)
    assert len(gaz) == 1 and gaz.candidates("Testville")["name"].tolist() == ["Testville"]
    assert isinstance(gaz._index["exact_hash"], np.memmap)
    assert gaz.zipf["the"] == pytest.approx(7.0)
    target = _target(tmp_path)
    assert not list(target.glob("*.npz")) and not list(target.glob("*.pkl"))
    for npy in target.glob("*.npy"):
        assert np.load(npy, allow_pickle=False).dtype != object
    Gazetteer.load(tmp_path)
    assert _builds(tmp_path) == 1  # loaded, not rebuilt


def test_truncated_cache_is_rebuilt_with_a_warning(tmp_path, tiny):
    Gazetteer.load(tmp_path)
    target = _target(tmp_path)
    data = (target / "exact_hash.npy").read_bytes()
    (target / "exact_hash.npy").write_bytes(data[: len(data) // 2])
    with pytest.warns(GazetteerWarning, match="damaged"):
        gaz = Gazetteer.load(tmp_path)
    assert _builds(tmp_path) == 2
    assert gaz.candidates("Testville")["name"].tolist() == ["Testville"]


def test_partial_cache_without_metadata_is_rebuilt(tmp_path, tiny):
    Gazetteer.load(tmp_path)
    (_target(tmp_path) / "meta.json").unlink()
    assert len(Gazetteer.load(tmp_path)) == 1
    assert _builds(tmp_path) == 2


class _Exploit:
    """Unpickling this runs code: it writes a marker file."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (Path.write_text, (self.marker, "pwned"))


@pytest.mark.parametrize("where", ["npy", "npy-and-checksum", "npz", "parquet"])
def test_crafted_pickle_in_the_cache_is_refused_not_run(tmp_path, tiny, where):
    Gazetteer.load(tmp_path)
    target = _target(tmp_path)
    marker = tmp_path / "pwned.txt"
    payload = np.array([_Exploit(marker)], dtype=object)
    if where.startswith("npy"):  # an object array (pickled) in place of an index array
        np.save(target / "english_words.npy", payload, allow_pickle=True)
        if where == "npy-and-checksum":  # even with a matching checksum: never unpickled
            meta = json.loads((target / "meta.json").read_text())
            meta["sha256"]["english_words.npy"] = gz_store.sha256(target / "english_words.npy")
            (target / "meta.json").write_text(json.dumps(meta))
    elif where == "npz":  # the old format's file name
        np.savez(target / "index.npz", english_words=payload)
    else:
        (target / "records.parquet").write_bytes(pickle.dumps(_Exploit(marker)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GazetteerWarning)
        gaz = Gazetteer.load(tmp_path)
    assert not marker.exists()
    assert gaz.candidates("Testville")["name"].tolist() == ["Testville"]


def _load_in_child(base: str) -> int:
    gaz = Gazetteer.load(base)
    return len(gaz)


def test_two_processes_build_once(tmp_path, tiny):
    ctx = multiprocessing.get_context("fork")  # the children keep the tiny build
    with ctx.Pool(3) as pool:
        sizes = pool.map(_load_in_child, [str(tmp_path)] * 3)
    assert sizes == [1, 1, 1]
    assert _builds(tmp_path) == 1
