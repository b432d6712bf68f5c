"""The prefilter's analyses kept on disk between processes (geo.prefilter.cache)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

import geo.prefilter as prefilter
import geo.prefilter.cache as cache
import geo.prefilter.folding as folding
import geo.prefilter.literals as literals
import geo.prefilter.starts as starts
from geo.gates import StartIndex

# invented expressions, as the rules and actors tables write theirs
WALLS = r"(?<![\w-])(?:the|its) (?:rampart|bastion)s? (?:fell|held)"
GUARDS = r"(?<![\w-])(?:border|palace) guards?(?![\w-])"


def _forget() -> None:
    """What a new process knows: nothing analysed, nothing read."""
    for f in (starts._start_literals, literals._literal_sets, cache._kept, cache.kept_file):
        f.cache_clear()
    for entries in cache._MADE.values():
        entries.clear()


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("GEOMAP_CACHE", str(tmp_path))
    _forget()
    yield tmp_path
    _forget()  # the next tests read the real cache folder again


def _analysis_forbidden(monkeypatch) -> None:
    def boom(*_):
        raise AssertionError("analysed again")

    monkeypatch.setattr(starts, "_analysed_starts", boom)
    monkeypatch.setattr(literals, "_analysed_sets", boom)


def test_an_index_keeps_its_analyses_for_the_next_process(fresh_cache, monkeypatch):
    index = StartIndex([WALLS, GUARDS], keep=True)
    starts, sets = prefilter.start_literals(WALLS), prefilter.required_literal_sets(GUARDS)
    assert starts and all(s.startswith(("the ", "its ")) for s in starts)
    assert cache.kept_file().parent == fresh_cache and cache.kept_file().is_file()

    _forget()
    _analysis_forbidden(monkeypatch)
    assert prefilter.start_literals(WALLS) == starts
    assert prefilter.required_literal_sets(GUARDS) == sets
    again = StartIndex([WALLS, GUARDS], keep=True)
    text = prefilter.fold_spaces("Its bastions held; the palace guard left.")
    assert again.scan(text) == index.scan(text)


def test_the_file_is_named_by_the_analysis_code_it_comes_from(fresh_cache):
    # the code of the three modules whose walks make the analyses, in that order
    code = b"".join(Path(m.__file__).read_bytes() for m in (folding, literals, starts))
    assert hashlib.sha256(code).hexdigest()[:16] in cache.kept_file().name


@pytest.mark.parametrize(
    "content",
    [
        "not json {",
        json.dumps(["a list"]),
        json.dumps({"starts": {f"0:{WALLS}": [1, 2]}, "sets": {f"0:{WALLS}": "the"}}),
        json.dumps({"starts": {f"0:{WALLS}": ["x"]}, "sets": {f"0:{WALLS}": [["x"], [3]]}}),
    ],
)
def test_a_damaged_file_or_entry_is_analysed_again(fresh_cache, content):
    want_starts = starts._analysed_starts(WALLS, 0)
    want_sets = literals._analysed_sets(WALLS, 0)
    path = cache.kept_file()
    path.write_text(content, encoding="utf-8")
    if "starts" in content and '["x"]' in content:
        # a well-formed entry is read as it is (the file is data the cache wrote)
        assert prefilter.start_literals(WALLS) == {"x"}
        assert prefilter.required_literal_sets(WALLS) == want_sets
        return
    assert prefilter.start_literals(WALLS) == want_starts
    assert prefilter.required_literal_sets(WALLS) == want_sets
    cache.keep([WALLS])
    kept = json.loads(path.read_text(encoding="utf-8"))
    assert kept["starts"][f"0:{WALLS}"] == sorted(want_starts)


def test_the_file_keeps_the_entries_made_last_first_up_to_its_bound(fresh_cache, monkeypatch):
    monkeypatch.setattr(cache, "MAX_KEPT", 2)
    for pattern in ("old one", "old two"):
        prefilter.start_literals(pattern)
    cache.keep(["old one", "old two"])
    _forget()
    prefilter.start_literals("new one")
    cache.keep(["new one"])
    kept = json.loads(cache.kept_file().read_text(encoding="utf-8"))["starts"]
    assert list(kept) == ["0:new one", "0:old one"]


def test_a_cache_folder_that_cannot_be_written_only_means_analysing_again(tmp_path, monkeypatch):
    blocked = tmp_path / "a file"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setenv("GEOMAP_CACHE", str(blocked / "cache"))
    _forget()
    try:
        assert prefilter.start_literals(WALLS)
        cache.keep([WALLS])  # no error
        assert not (blocked / "cache").exists()
        assert cache._MADE["starts"]  # still to write, by a later process
    finally:
        _forget()


def test_an_index_of_a_callers_own_expressions_keeps_nothing(fresh_cache):
    # the expressions a caller makes up (a test's generated ones) never fill the file
    StartIndex([WALLS, GUARDS])
    assert not cache.kept_file().exists()
    StartIndex([GUARDS], keep=True)
    kept = json.loads(cache.kept_file().read_text(encoding="utf-8"))
    assert list(kept["starts"]) == [f"0:{GUARDS}"]
    assert f"0:{WALLS}" in cache._MADE["starts"]  # analysed, not written


def test_the_analyses_waiting_to_be_kept_are_bounded(fresh_cache, monkeypatch):
    # a long process analysing expressions of its own forgets the oldest
    monkeypatch.setattr(cache, "MAX_KEPT", 2)
    for pattern in ("first one", "second one", "third one"):
        prefilter.start_literals(pattern)
    assert list(cache._MADE["starts"]) == ["0:second one", "0:third one"]
