"""The analyst's API as the README and the notebooks use it (invented sentences only)."""

from __future__ import annotations

import folium

import geo
import maps
from geo.acled import to_acled
from geo.reports import report_from_text

TEXT = "date: 2021-08-10\n\nMilitants attacked police posts in Kunduz province on Monday."


def test_find_places_takes_plain_text():
    places = geo.find_places("Fighting broke out in Kunduz province on Monday.")
    assert places["iso_3166_2"].tolist() == ["AF-KDZ"]


def test_extract_events_takes_a_single_report():
    report = report_from_text(TEXT)
    events = geo.extract_events(report, geo.find_places(report))
    assert len(events) == 1 and events["event_type"].iat[0] == "Battles"
    assert events["event_date"].dt.strftime("%Y-%m-%d").iat[0] == "2021-08-09"


def test_top_level_names():
    assert geo.to_acled is to_acled and "to_acled" in dir(geo)
    assert callable(maps.make_map) and callable(maps.save_map)


def test_explore_works_with_the_notebook_extra():
    regions = geo.default_boundaries()
    m = regions[regions["country"] == "AF"].head(3).explore(column="admin1")
    assert isinstance(m, folium.Map)
