"""Geocoders with geopy's interface: the offline gazetteer, and an opt-in online chain.

:class:`GazetteerGeocoder` answers from the embedded gazetteer, with no network,
so ``geopandas.tools.geocode(names, provider=GazetteerGeocoder)``
works unchanged. :class:`CachedGeocoder` wraps any geopy geocoder (Nominatim) with
an on-disk cache and a minimum delay between requests (Nominatim's policy is one
request a second); :class:`ChainGeocoder` asks the gazetteer first and the online
service only for what it cannot answer. Nothing goes online unless you build it so.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from geopy.geocoders.base import Geocoder
from geopy.location import Location
from geopy.point import Point

from geo.distance import haversine_km
from geo.gazetteer import Gazetteer, default_gazetteer
from geo.output import atomic_path
from geo.scoring import candidate_score, likeness
from geo.text import folded_words

__all__ = ["CachedGeocoder", "ChainGeocoder", "GazetteerGeocoder", "nominatim", "rank_candidates"]


def rank_candidates(
    gazetteer: Gazetteer,
    query: str,
    *,
    country_codes: str | list[str] | None = None,
    kinds: list[str] | None = None,
) -> pd.DataFrame:
    """Every record ``query`` may name, best first, with a ``confidence`` column.

    Without the context of a report, the ranking uses the prior alone: countries,
    then regions and capitals, then the most populous places; a transliteration
    match counts by how alike the written forms are.

    Examples
    --------
    >>> top = rank_candidates(default_gazetteer(), "Kala-i-Nau").iloc[0]
    >>> top["country"], top["iso_3166_2"]
    ('AF', 'AF-BDG')
    """
    from geo.geoparse.accept import MIN_LIKENESS

    rows = gazetteer.candidates(query)
    if country_codes:
        codes = [country_codes] if isinstance(country_codes, str) else list(country_codes)
        rows = rows[rows["country"].isin([c.upper() for c in codes])]
    if kinds:
        rows = rows[rows["kind"].isin(kinds)]
    if rows.empty:
        return rows.assign(score=[], confidence=[])
    written = " ".join(folded_words(query))
    scores, keep = [], []
    for name, kind, population, seat, match in zip(
        rows["name"], rows["kind"], rows["population"], rows["seat"], rows["match"], strict=True
    ):
        main = " ".join(folded_words(str(name)))
        ratio = likeness(written, main) if match == "transliteration" else None
        # A transliteration key is lossy ("KKKKKKKKKK" and "Kaya" share one): the written
        # forms must still look alike, as in geo.geoparse.
        keep.append(ratio is None or ratio >= MIN_LIKENESS)
        scores.append(
            candidate_score(
                kind,
                int(population),
                bool(seat),
                main_name=main.replace(" ", "") == written.replace(" ", ""),
                likeness_ratio=ratio,
            )
        )
    mask = np.array(keep, dtype=bool)
    rows = rows[mask]
    if rows.empty:
        return rows.assign(score=[], confidence=[])
    score = np.array(scores)[mask]
    rows = rows.assign(
        score=score, confidence=np.exp(score - score.max()) / np.exp(score - score.max()).sum()
    )
    return rows.sort_values("score", ascending=False)


def _location(row: pd.Series) -> Location:
    region = row.get("iso_3166_2") or ""
    parts = [str(row["name"])]
    if row["kind"] != "country":
        parts += [p for p in (region, row["country"]) if p]
    raw = {k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()}
    return Location(", ".join(parts), Point(float(row["lat"]), float(row["lon"])), raw)


class GazetteerGeocoder(Geocoder):
    """geopy geocoder backed by the offline gazetteer (no network).

    Parameters
    ----------
    gazetteer : Gazetteer, optional
        The embedded gazetteer by default.

    Examples
    --------
    >>> geocoder = GazetteerGeocoder()
    >>> location = geocoder.geocode("Mazar-e Sharif")
    >>> location.address, round(location.latitude, 1)
    ('Mazār-e Sharīf, AF-BAL, AF', 36.7)
    """

    def __init__(self, gazetteer: Gazetteer | None = None):
        super().__init__(scheme="https", timeout=None, proxies=None, user_agent="geomap-offline")
        self.gazetteer = gazetteer or default_gazetteer()

    def geocode(
        self,
        query: str,
        *,
        exactly_one: bool = True,
        country_codes: str | list[str] | None = None,
        kinds: list[str] | None = None,
        limit: int | None = None,
    ) -> Location | list[Location] | None:
        """Find ``query``; the best match, or all of them (best first) with ``exactly_one=False``.

        Returns None when nothing matches.
        """
        if not isinstance(query, str) or not query.strip():
            raise ValueError(f"Expected a place name to geocode, instead got: {query!r}")
        rows = rank_candidates(self.gazetteer, query, country_codes=country_codes, kinds=kinds)
        if rows.empty:
            return None
        if exactly_one:
            return _location(rows.iloc[0])
        rows = rows.head(limit) if limit else rows
        return [_location(row) for _, row in rows.iterrows()]

    def reverse(
        self, query: Any, *, exactly_one: bool = True, limit: int | None = None
    ) -> Location | list[Location] | None:
        """The populated places nearest to a ``(lat, lon)`` point, nearest first.

        ``raw["distance_km"]`` gives the great-circle distance.
        """
        point = Point(query)
        rec = self.gazetteer.records
        places = rec[rec["kind"].isin(["city", "town"])]
        km = haversine_km(
            places["lat"].to_numpy(), places["lon"].to_numpy(), point.latitude, point.longitude
        )
        order = np.argsort(km)[: (1 if exactly_one else (limit or 10))]
        out = []
        for i in order:
            row = places.iloc[i].copy()
            row["distance_km"] = float(km[i])
            out.append(_location(row))
        return out[0] if exactly_one else out


class CachedGeocoder:
    """Any geopy geocoder, with an on-disk cache and at most one request per ``min_delay_seconds``.

    Answers (found or not) are cached in a JSON file, so a query goes online once.

    Parameters
    ----------
    geocoder : geopy geocoder
        E.g. ``geopy.geocoders.Nominatim(user_agent=...)``.
    cache_path : path
        JSON file of earlier answers; created when missing.
    min_delay_seconds : float
        Least time between two online requests (Nominatim asks for 1 second).
    clock, sleep : callables
        ``time.monotonic`` and ``time.sleep`` by default.
    """

    def __init__(
        self,
        geocoder: Any,
        cache_path: str | Path,
        *,
        min_delay_seconds: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.geocoder = geocoder
        self.cache_path = Path(cache_path)
        self.min_delay_seconds = min_delay_seconds
        self._clock, self._sleep = clock, sleep
        self._last: float | None = None
        self._lock = threading.Lock()
        self.requests = 0
        self._cache: dict[str, Any] = {}
        if self.cache_path.exists():
            try:
                self._cache = json.loads(self.cache_path.read_text(encoding="utf-8"))
            except (json.JSONDecodeError, UnicodeDecodeError):
                self._cache = {}  # a broken cache is rebuilt, not trusted

    def _wait(self) -> None:
        if self._last is not None:
            wait = self.min_delay_seconds - (self._clock() - self._last)
            if wait > 0:
                self._sleep(wait)
        self._last = self._clock()

    def _save(self) -> None:
        with atomic_path(self.cache_path) as tmp:
            tmp.write_text(json.dumps(self._cache, ensure_ascii=False), encoding="utf-8")

    def geocode(
        self, query: str, *, exactly_one: bool = True, **kwargs: Any
    ) -> Location | list[Location] | None:
        """Like geopy's ``geocode``: from the cache, or from the service (rate-limited)."""
        key = json.dumps(["geocode", query, exactly_one, sorted(kwargs.items())], default=str)
        with self._lock:
            if key not in self._cache:
                self._wait()
                self.requests += 1
                answer = self.geocoder.geocode(query, exactly_one=exactly_one, **kwargs)
                items = answer if isinstance(answer, list) else [answer] if answer else []
                self._cache[key] = [
                    {"address": a.address, "lat": a.latitude, "lon": a.longitude, "raw": a.raw}
                    for a in items
                ]
                self._save()
            found = [
                Location(a["address"], Point(a["lat"], a["lon"]), a["raw"])
                for a in self._cache[key]
            ]
        if exactly_one:
            return found[0] if found else None
        return found or None


class ChainGeocoder:
    """Ask geocoders in turn; the first answer wins (the gazetteer first, then online)."""

    def __init__(self, *geocoders: Any):
        if not geocoders:
            raise ValueError("ChainGeocoder needs at least one geocoder")
        self.geocoders = geocoders

    def geocode(
        self, query: str, *, exactly_one: bool = True, **kwargs: Any
    ) -> Location | list[Location] | None:
        for geocoder in self.geocoders:
            found = geocoder.geocode(query, exactly_one=exactly_one, **kwargs)
            if found:
                return found
        return None


def nominatim(
    user_agent: str, cache_path: str | Path, *, min_delay_seconds: float = 1.0
) -> CachedGeocoder:
    """OpenStreetMap's Nominatim, cached and rate-limited (opt-in; needs the network)."""
    if not user_agent or "geopy" in user_agent.lower():
        raise ValueError(
            f"Nominatim needs a user agent that names your application, instead got: {user_agent!r}"
        )
    from geopy.geocoders import Nominatim

    return CachedGeocoder(
        Nominatim(user_agent=user_agent), cache_path, min_delay_seconds=min_delay_seconds
    )
