"""Looking names up: the :class:`Gazetteer` over a built cache, and the embedded default."""

from __future__ import annotations

import contextlib
import warnings
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from geo.errors import GazetteerError
from geo.gazetteer.build import build
from geo.gazetteer.schema import CACHE_LIMIT, COMMON_WORD_ZIPF, is_acronym, key_hash
from geo.gazetteer.store import (
    CacheDamaged,
    CacheMissing,
    GazetteerWarning,
    clean_leftovers,
    fingerprint,
    locked,
    open_cache,
)
from geo.gazetteer.store import cache_dir as default_cache_dir
from geo.text import folded_words, name_key, translit_key

__all__ = ["Gazetteer", "default_gazetteer"]


class Gazetteer:
    """Place names to gazetteer records.

    Use :meth:`load` (or :func:`default_gazetteer`): it builds the cache on first
    use (about half a minute) and reads it afterwards.

    Attributes
    ----------
    records : pandas.DataFrame
        One row per place: ``source`` (``geonames:ID``, ``airport:ICAO``, ``airport-town:ICAO``,
        ``naturalearth:ADM1``, ``curated:ROW``, ``curated-small:ROW``, ``curated-region:ROW``,
        ``curated-feature:ROW``), ``name``, ``kind``, ``country``,
        ``admin1_code`` (GeoNames), ``iso_3166_2``, ``lat``, ``lon``, ``population``,
        ``seat`` (national capital or most populous place of its admin-1).

    Examples
    --------
    >>> gaz = default_gazetteer()
    >>> rows = gaz.candidates("Kala-i-Nau")
    >>> bool((rows["country"] == "AF").any())
    True
    """

    def __init__(
        self, records: pd.DataFrame, index: dict[str, np.ndarray], path: Path | None = None
    ):
        self.records = records
        self._index = index
        self.path = path
        zipf = dict(
            zip(index["english_words"].tolist(), index["english_zipf"].tolist(), strict=True)
        )
        #: Zipf frequency of English words (folded), from wordfreq.
        self.zipf = zipf
        #: English words (folded) that are common: a place of that name needs strong evidence.
        self.common_words = frozenset(w for w, z in zipf.items() if z >= COMMON_WORD_ZIPF)
        self._main_keys: dict[int, str] = {}
        # Lookups and candidate scores repeat across reports: remember them.
        self._found: dict[tuple[str, str], np.ndarray] = {}
        #: The geoparser's per-name candidates and verdicts (geo.geoparse.resolve).
        self.score_cache: dict[tuple, Any] = {}
        self.accept_cache: dict[tuple, tuple[bool, bool]] = {}
        self.run_cache: dict[str | tuple, tuple | None] = {}
        #: What the words around a name need to know of its candidates (geo.geoparse.context).
        self.name_cache: dict[tuple, Any] = {}
        #: English words frequent enough never to be a misspelt foreign name.
        self.known_words = frozenset(zipf)

    @classmethod
    def load(cls, cache_dir: str | Path | None = None, *, rebuild: bool = False) -> Gazetteer:
        """Load the gazetteer from the cache, building it first if needed.

        The cache is checked on load (format, SHA-256 of every file); a damaged or
        partial one is rebuilt with a :class:`GazetteerWarning`. A file lock makes
        concurrent processes build it once. Arrays are memory-mapped, read-only.
        """
        base = Path(cache_dir) if cache_dir else default_cache_dir()
        target = base / f"gazetteer-{fingerprint()}"
        try:
            base.mkdir(parents=True, exist_ok=True)
            if not rebuild:
                with contextlib.suppress(CacheMissing, CacheDamaged):
                    return cls(*open_cache(target), target)
            with locked(base / f".{target.name}.lock"):
                if not rebuild:  # another process may have built it while we waited
                    try:
                        return cls(*open_cache(target), target)
                    except CacheMissing:
                        pass
                    except CacheDamaged as err:
                        warnings.warn(
                            f"the gazetteer cache {target} is damaged ({err}); rebuilding it",
                            GazetteerWarning,
                            stacklevel=2,
                        )
                clean_leftovers(base)
                build(target)
                return cls(*open_cache(target), target)
        except (CacheMissing, CacheDamaged) as err:
            raise GazetteerError(
                f"cannot load the gazetteer just built in {target}: {err}"
            ) from None
        except (OSError, ValueError, KeyError) as err:
            raise GazetteerError(f"cannot build or load the gazetteer in {target}: {err}") from err

    @cached_property
    def _columns(self) -> dict[str, np.ndarray]:
        # Plain numpy arrays: element access on Arrow-backed pandas columns is slow.
        out = {}
        for c in self.records.columns:
            col = self.records[c]
            out[c] = col.to_numpy(dtype=object) if col.dtype.kind not in "fiub" else col.to_numpy()
        return out

    def bound_caches(self, limit: int = CACHE_LIMIT) -> None:
        """Empty any look-up cache that has grown past ``limit`` entries.

        The caches only remember answers (the same with or without them), and the names
        of a stream of reports keep coming: a long run (the service, a batch of
        millions) keeps its memory bounded by starting them afresh.
        """
        for cache in (
            self.run_cache,
            self.name_cache,
            self.score_cache,
            self.accept_cache,
            self._found,
            self._main_keys,
        ):
            if len(cache) > limit:
                cache.clear()

    @cached_property
    def region_names(self) -> dict[str, str]:
        """ISO 3166-2 code → name of every admin-1 region (kind ``province``)."""
        provinces = self.records[self.records["kind"] == "province"]
        return dict(zip(provinces["iso_3166_2"].tolist(), provinces["name"].tolist(), strict=True))

    def main_key(self, rid: int) -> str:
        """The exact key of a record's main name (cached)."""
        key = self._main_keys.get(rid)
        if key is None:
            key = self._main_keys[rid] = " ".join(folded_words(str(self._columns["name"][rid])))
        return key

    def _find(self, label: str, key: str) -> np.ndarray:
        hit = self._found.get((label, key))
        if hit is None:
            hit = self._found[(label, key)] = self._search(label, key)
        return hit

    def _search(self, label: str, key: str) -> np.ndarray:
        hashes = self._index[f"{label}_hash"]
        h = np.uint64(key_hash(key))
        lo = np.searchsorted(hashes, h, "left")
        hi = np.searchsorted(hashes, h, "right")
        return np.unique(self._index[f"{label}_rid"][lo:hi])

    def lookup(self, key: str, *, how: str = "exact") -> np.ndarray:
        """Record ids under ``key`` (already made by :func:`geo.text.name_key` or
        :func:`geo.text.translit_key`); ``how`` is ``exact``, ``translit`` or ``acronym``."""
        return self._find(how, key)

    def candidates(self, name: str, *, country: str | None = None) -> pd.DataFrame:
        """All records a name may mean: exact matches, else transliteration matches.

        Adds the column ``match`` (``exact``, ``transliteration`` or ``acronym``).
        """
        if is_acronym(name):
            rids, match = self.lookup(name_key(name), how="acronym"), "acronym"
        else:
            rids, match = self.lookup(name_key(name)), "exact"
        if len(rids) == 0:
            rids, match = self.lookup(translit_key(name), how="translit"), "transliteration"
        rows = self.records.iloc[np.unique(rids)].copy()
        rows["match"] = match
        if country:
            rows = rows[rows["country"] == country.upper()]
        return rows

    def __len__(self) -> int:
        return len(self.records)

    def __repr__(self) -> str:
        return f"<Gazetteer {len(self.records):,} places at {self.path}>"


_DEFAULT: Gazetteer | None = None


def default_gazetteer() -> Gazetteer:
    """The embedded gazetteer, loaded once per process."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Gazetteer.load()
    return _DEFAULT
