"""Open geomap maps in headless Chromium with every network request refused.

Run on their own with ``pytest -m browser``. Screenshots go to the test's
``tmp_path``; set ``GEOMAP_SCREENSHOTS=DIR`` to keep them (or run
``python tests/maps_browser.py --screenshots DIR``).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from maps_browser import browser, chromium_available, open_map, show_event
from maps_support import (
    XSS_IMG,
    XSS_SCRIPT,
    control_as_of,
    load_regions,
    make_control_timeline,
    make_events,
    make_places,
    make_xss_places,
)

from maps import make_map, save_map

pytest.importorskip("playwright.sync_api")
pytestmark = [
    pytest.mark.browser,
    # Skipped only on a developer's machine without Chromium; under CI it must run.
    pytest.mark.skipif(
        not chromium_available() and not os.environ.get("CI"), reason="needs Debian's chromium"
    ),
]


@pytest.fixture(scope="module")
def chromium():
    with browser() as b:
        yield b


@pytest.fixture(scope="module")
def regions():
    return load_regions()


@pytest.fixture(scope="module")
def maps_dir(tmp_path_factory, regions):
    """The three maps the tests open, written once."""
    out = tmp_path_factory.mktemp("maps")
    places = make_places(regions)
    timeline = make_control_timeline(regions)
    files = {
        "places": make_map(places, regions=regions, title="Badghis, 7 July 2021", offline=True),
        "xss": make_map(make_xss_places(regions), regions=regions, title=XSS_SCRIPT, offline=True),
        "full": make_map(
            places,
            regions=regions,
            events=make_events(),
            control=control_as_of(timeline, "2021-08-16"),
            control_timeline=timeline,
            title="The offensive, July–August 2021",
            offline=True,
        ),
    }
    for name, m in files.items():
        save_map(m, out / f"{name}.html")
    return out


def shot(page, tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.png"
    page.screenshot(path=str(path))
    keep = os.environ.get("GEOMAP_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(keep) / path.name)


def assert_clean(log) -> None:
    assert log.network_requests == []
    assert log.console_errors == []
    assert log.page_errors == []


def overlay_labels(page) -> list[str]:
    return [
        t.strip() for t in page.locator(".leaflet-control-layers-overlays label").all_inner_texts()
    ]


def test_places_map_draws_offline(chromium, maps_dir, regions, tmp_path):
    with open_map(chromium, maps_dir / "places.html") as (page, log):
        assert page.evaluate("typeof window.L === 'object' && window.L.version") == "1.9.4"
        assert page.locator("path.geomap-region").count() == len(regions)
        assert page.locator("path.geomap-place").count() == 6
        assert page.locator("path.geomap-country").count() > 20  # the offline basemap
        assert page.locator("img.leaflet-tile").count() == 0
        labels = overlay_labels(page)
        assert labels == ["Provinces: place mentions", "Places named (6)"]
        # Badghis is shaded (3 mentions), Kandahar is not (none)
        bdg = page.locator('path.geomap-region[data-iso="AF-BDG"]')
        assert bdg.get_attribute("fill") == "#fd8d3c"  # third class of three: 3 mentions
        assert bdg.get_attribute("fill-opacity") == "0.65"
        assert (
            page.locator('path.geomap-region[data-iso="AF-KAN"]').get_attribute("fill-opacity")
            == "0"
        )
        shot(page, tmp_path, "places")

        # toggling the places layer hides its markers, and brings them back
        page.get_by_label("Places named (6)").uncheck()
        assert page.locator("path.geomap-place").count() == 0
        page.get_by_label("Places named (6)").check()
        assert page.locator("path.geomap-place").count() == 6

        # the title box and the legend credit the sources
        assert "7 July 2021" in page.inner_text("#geomap-title")
        legend = page.inner_text("#geomap-legend")
        assert "GeoNames" in legend and "CC BY 4.0" in legend and "Natural Earth" in legend
        assert_clean(log)
    assert log.file_requests == [(maps_dir / "places.html").resolve().as_uri()]


def test_marker_popup_shows_the_sentence(chromium, maps_dir, tmp_path):
    with open_map(chromium, maps_dir / "places.html") as (page, log):
        page.locator("path.geomap-place").nth(0).click()
        popup = page.locator(".leaflet-popup-content")
        popup.wait_for()
        text = popup.inner_text()
        assert "Qala i Naw" in text
        assert "Militants pushed into Qala-e-Naw on Wednesday" in text
        assert "Gazetteer record: geonames:1135689" in text
        assert "Province: Badghis (AF-BDG)" in text
        shot(page, tmp_path, "places-popup")
        assert_clean(log)


def test_script_in_a_report_runs_nothing_and_shows_as_text(chromium, maps_dir, tmp_path):
    with open_map(chromium, maps_dir / "xss.html") as (page, log):
        assert page.evaluate("typeof window.__x") == "undefined"
        assert XSS_SCRIPT in page.inner_text("#geomap-title")
        assert page.title() == XSS_SCRIPT
        page.locator("path.geomap-place").nth(0).click()
        popup = page.locator(".leaflet-popup-content")
        popup.wait_for()
        page.wait_for_timeout(300)  # an onerror would fire once the image failed
        text = popup.inner_text()
        assert XSS_SCRIPT in text and XSS_IMG in text
        assert popup.locator("img, script").count() == 0
        page.locator("path.geomap-place").nth(0).hover()  # tooltip too
        assert page.evaluate("typeof window.__x") == "undefined"
        shot(page, tmp_path, "xss-popup")
        assert_clean(log)


def test_control_events_and_time_slider(chromium, maps_dir, tmp_path):
    with open_map(chromium, maps_dir / "full.html") as (page, log):
        labels = overlay_labels(page)
        assert labels == [
            "Provinces: place mentions",
            "Territorial control",
            "Places named (6)",
            "Events (8)",
        ]
        assert page.locator("path.geomap-control").count() == 34
        herat = page.locator('path.geomap-control[data-iso="AF-HER"]')
        nimroz = page.locator('path.geomap-control[data-iso="AF-NIM"]')
        taliban = page.evaluate("window.__geomap.data.controlColors.controllers['Taliban']")
        government = page.evaluate(
            "window.__geomap.data.controlColors.controllers['Afghan government']"
        )
        # last day: Herat taken; Nimroz only claimed, so hatched rather than filled
        assert herat.get_attribute("fill") == taliban
        assert nimroz.get_attribute("fill").startswith("url(#geomap-hatch-")
        assert "8 of 8 events" in page.inner_text("#geomap-slider")
        shot(page, tmp_path, "full")

        # drag the slider back to 2021-07-10: Herat was the government's, fewer events
        slider = page.locator("input.geomap-slider-input")
        slider.fill("9")
        assert "Up to 2021-07-10" in page.inner_text("#geomap-slider")
        assert herat.get_attribute("fill") == government
        assert nimroz.get_attribute("fill") != taliban and "url(" not in nimroz.get_attribute(
            "fill"
        )
        assert page.evaluate("window.__geomap.shownEvents()") == 3
        assert "3 of 8 events" in page.inner_text("#geomap-slider")
        shot(page, tmp_path, "full-day9")
        slider.fill("45")
        assert page.evaluate("window.__geomap.shownEvents()") == 8

        # an event popup: date, actors, quote, precision, and an http link
        show_event(page, "Zaranj")
        page.locator('.geomap-event[title="Zaranj"]').click()
        popup = page.locator(".leaflet-popup-content")
        popup.wait_for()
        text = popup.inner_text()
        for part in (
            "Battles",
            "Date: 2021-08-06",
            "Actor 1: Taliban",
            "Actor 2: Afghan government forces",
            "The Taliban said they had taken Zaranj.",
            "Location precision: 1: the town itself",
            "Claim: claimed",
        ):
            assert part in text, part
        assert popup.locator("a").get_attribute("href") == "http://example.org/zaranj"
        shot(page, tmp_path, "full-popup")

        # the events layer toggles off and on
        page.get_by_label("Events (8)").uncheck()
        assert page.locator(".geomap-event, .geomap-cluster").count() == 0
        page.get_by_label("Events (8)").check()
        assert page.locator(".geomap-event, .geomap-cluster").count() > 0
        assert_clean(log)


def test_a_javascript_url_is_not_a_link(chromium, maps_dir):
    with open_map(chromium, maps_dir / "full.html") as (page, log):
        show_event(page, "Tehran")
        page.locator('.geomap-event[title="Tehran"]').click()
        popup = page.locator(".leaflet-popup-content")
        popup.wait_for()
        assert "Envoys of both sides met for talks." in popup.inner_text()
        assert popup.locator("a").count() == 0
        assert page.evaluate("typeof window.__x") == "undefined"
        assert_clean(log)


def _cli_map(tmp_path: Path, *reports: Path) -> Path:
    """Render a map with the real command line, as a user does."""
    import subprocess
    import sys

    out = tmp_path / "cli.html"
    result = subprocess.run(
        [sys.executable, "-m", "geomap", "map", *map(str, reports), "-o", str(out), "--offline"],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert result.returncode == 0, result.stderr
    return out


def test_seed_map_from_the_cli_opens_offline(chromium, tmp_path):
    seed = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "2021-07-07-badghis.txt"
    path = _cli_map(tmp_path, seed)
    with open_map(chromium, path) as (page, log):
        assert page.evaluate("typeof window.L") == "object"
        drawn = page.evaluate(
            "Array.from(document.querySelectorAll('path.geomap-region, path.geomap-control'))"
            ".map(p => p.getAttribute('data-iso')).filter(c => c && c.startsWith('AF-'))"
        )
        assert len(set(drawn)) == 34
        assert page.locator("path.geomap-place").count() >= 6  # the report's distinct places
        assert len(overlay_labels(page)) >= 2
        shot(page, tmp_path, "cli-seed")
        assert_clean(log)


def test_report_with_script_from_the_cli_runs_nothing(chromium, tmp_path):
    xss = Path(__file__).resolve().parents[1] / "data" / "samples" / "bad" / "xss.txt"
    path = _cli_map(tmp_path, xss)
    with open_map(chromium, path) as (page, log):
        shown = []
        for i in range(page.locator("path.geomap-place").count()):
            # Some markers lie outside the first view: click them the way Leaflet hears it.
            page.evaluate(
                "i => document.querySelectorAll('path.geomap-place')[i]"
                ".dispatchEvent(new MouseEvent('click', {bubbles: true}))",
                i,
            )
            popup = page.locator(".leaflet-popup-content").last
            popup.wait_for()
            shown.append(popup.inner_text())
            assert popup.locator("img, script").count() == 0
        page.wait_for_timeout(300)  # an onerror would fire once the image failed
        assert page.evaluate("typeof window.__x") == "undefined"
        assert any("<script>" in text or "onerror" in text for text in shown)
        assert_clean(log)
