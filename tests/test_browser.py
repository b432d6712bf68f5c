"""Open geomap maps in headless Chromium with every network request refused.

Run on their own with ``pytest -m browser``. Screenshots go to the test's
``tmp_path``; set ``GEOMAP_SCREENSHOTS=DIR`` to keep them (or run
``python tests/maps_browser.py --screenshots DIR``).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest
from maps_browser import (
    DESKTOP,
    PHONE,
    box,
    browser,
    chromium_available,
    click_everything,
    open_map,
    overlaps,
    render_samples,
    show_event,
    view_of,
)
from maps_support import XSS_IMG, XSS_SCRIPT, load_regions, make_events

from maps import page_data

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
    """The three maps the tests open (places, xss, full), written once."""
    out = tmp_path_factory.mktemp("maps")
    render_samples(out)
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
        drawn = page.evaluate(
            "Array.from(document.querySelectorAll('path.geomap-region'))"
            ".map(p => p.getAttribute('data-iso'))"
        )
        afghan = set(regions.loc[regions["country"] == "AF", "iso_3166_2"])
        assert afghan <= set(drawn) <= set(regions["iso_3166_2"])  # the data's country, whole
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
        assert page.inner_text(".geomap-slider-date") == "2021-07-10"
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


# ----------------------------------------------------------------------------- phone and desktop
AFGHANISTAN = (60.4, 29.3, 75.0, 38.6)  # west, south, east, north (Natural Earth outline)


def in_afghanistan(view: dict) -> bool:
    w, s, e, n = AFGHANISTAN
    return w <= view["lon"] <= e and s <= view["lat"] <= n


def test_phone_view_frames_the_data_with_the_legend_closed(chromium, maps_dir, tmp_path):
    with open_map(chromium, maps_dir / "full.html", width=PHONE[0], height=PHONE[1]) as (
        page,
        log,
    ):
        view = view_of(page)
        assert view["zoom"] >= 4 and in_afghanistan(view), view
        # the legend starts closed, a tap opens it
        assert page.evaluate("document.querySelector('#geomap-legend details').open") is False
        legend = box(page, "#geomap-legend")
        assert legend and legend["height"] < 60
        # the layer list is a button, and the title box does not cover it
        assert page.locator(".leaflet-control-layers-expanded").count() == 0
        assert not overlaps(box(page, "#geomap-title"), box(page, ".leaflet-control-layers"))
        assert not overlaps(box(page, "#geomap-title"), box(page, ".leaflet-control-zoom"))
        assert not overlaps(box(page, "#geomap-slider"), box(page, "#geomap-legend"))
        shot(page, tmp_path, "full-phone")
        page.locator("#geomap-legend summary").click()
        assert page.evaluate("document.querySelector('#geomap-legend details').open") is True
        assert "Territorial control" in page.inner_text("#geomap-legend")
        shot(page, tmp_path, "full-phone-legend")
        assert_clean(log)


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_clicking_every_marker_cluster_and_region_logs_no_error(chromium, maps_dir, size):
    with open_map(chromium, maps_dir / "full.html", width=size[0], height=size[1]) as (
        page,
        log,
    ):
        counts = click_everything(page)
        assert counts["events"] >= 3 and counts["places"] == 6 and counts["regions"] >= 34
        # and a stacked or far cluster, zoomed out to the whole view
        page.evaluate("window.__geomap.map.setZoom(3, {animate: false})")
        click_everything(page)
        assert_clean(log)


_NEAR_TOP = """() => {
  const m = window.__geomap.map;
  m.closePopup();
  m.setView([31.3, 63.1], 7, {animate: false});
  const a = m.latLngToContainerPoint([31.59, 64.37]);  // Lashkar Gah
  m.panBy([0, a.y - 40], {animate: false});
}"""
# click one marker, then another `delay` ms later, as Leaflet hears a click on them
_CLICK_TWO = """([first, second, delay]) => new Promise((resolve) => {
  const click = (title) => document.querySelector(`.geomap-event[title="${title}"]`)
    .dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true}));
  click(first);
  setTimeout(() => { click(second); resolve(); }, delay);
})"""


def test_second_marker_clicked_while_the_map_pans_keeps_its_popup(chromium, maps_dir):
    """Issue 8, item 9: a click while the first popup's pan runs raised in Leaflet."""
    with open_map(chromium, maps_dir / "full.html") as (page, log):
        for delay in (0, 10, 25, 40, 80, 150):
            # two lone markers near the top edge: each popup must pan the map down
            page.evaluate(_NEAR_TOP)
            page.wait_for_timeout(150)
            before = view_of(page)
            page.evaluate(_CLICK_TWO, ["Lashkar Gah", "Zaranj", delay])
            page.wait_for_timeout(1000)  # every pan has ended
            assert view_of(page)["lat"] != before["lat"]  # the popups did pan the map
            popups = page.locator(".leaflet-popup-content")
            assert popups.count() == 1, delay
            assert "Zaranj" in popups.inner_text(), delay  # still open after the pan
        assert_clean(log)


def test_region_popup_quotes_its_evidence_with_the_report(chromium, maps_dir, tmp_path):
    with open_map(chromium, maps_dir / "full.html") as (page, log):
        for label in ("Events (8)", "Places named (6)"):
            page.get_by_label(label).uncheck()
        page.locator('path.geomap-control[data-iso="AF-HER"]').click()
        popup = page.locator(".leaflet-popup-content")
        popup.wait_for()
        text = popup.inner_text()
        herat = make_events().set_index("event_id").loc["GM-5"]
        assert herat["notes"] in text  # the sentence itself, not only its id
        assert "Report: Sample dispatch on Herat" in text
        assert "Date: 2021-08-13" in text
        assert popup.locator("a").get_attribute("href") == herat["url"]
        assert "GM-5" in text  # the evidence ids stay, after the sentence
        shot(page, tmp_path, "full-region-popup")
        assert_clean(log)


def test_legend_follows_the_layers_that_are_on(chromium, maps_dir):
    with open_map(chromium, maps_dir / "full.html") as (page, log):
        mentions = page.locator('.geomap-legend-sec[data-layer="regions"]')
        events = page.locator('.geomap-legend-sec[data-layer="events"]')
        assert not mentions.is_visible() and events.is_visible()
        page.get_by_label("Provinces: place mentions").check()
        assert mentions.is_visible()
        page.get_by_label("Events (8)").uncheck()
        assert not events.is_visible()
        assert not page.locator("#geomap-list").is_visible()  # the list goes with its layer
        assert_clean(log)


def test_event_list_is_newest_first_and_filters_the_map(chromium, maps_dir, tmp_path):
    events = make_events()
    with open_map(chromium, maps_dir / "full.html") as (page, log):
        items = page.locator(".geomap-list-item")
        assert items.count() == len(events)
        dates = [t.split()[0] for t in items.all_inner_texts()]
        assert dates == sorted(events["event_date"], reverse=True)
        page.select_option(".geomap-filter-type", label="Battles")
        battles = events[events["event_type"] == "Battles"]
        assert items.count() == len(battles)
        assert page.evaluate("window.__geomap.shownEvents()") == len(battles)
        page.select_option(".geomap-filter-actor", value="Taliban")
        both = battles[(battles["actor1"] == "Taliban") | (battles["actor2"] == "Taliban")]
        assert items.count() == page.evaluate("window.__geomap.shownEvents()") == len(both)
        assert all("Taliban" in t for t in items.all_inner_texts())
        cells = page.evaluate("window.__geomap.drawnEventCells")
        assert 0 < cells <= len(both)  # the map draws only what the filters let through
        shot(page, tmp_path, "full-list-filtered")
        # a click flies to the event and opens its popup
        target = items.first.inner_text().split()[1]
        items.first.click()
        popup = page.locator(".leaflet-popup-content")
        popup.wait_for(timeout=5000)
        assert target in popup.inner_text()
        page.select_option(".geomap-filter-type", value="-1")
        page.select_option(".geomap-filter-actor", value="")
        assert items.count() == len(events)
        assert_clean(log)


def test_last_n_days_mode_shows_a_window_of_days(chromium, maps_dir):
    events = make_events()
    dates = events["event_date"].astype("datetime64[ns]")
    with open_map(chromium, maps_dir / "full.html") as (page, log):
        page.select_option(".geomap-slider-mode", value="last")
        page.fill(".geomap-slider-n", "7")
        page.dispatch_event(".geomap-slider-n", "change")
        last = dates.max()
        expected = int((dates > last - pd.Timedelta(days=7)).sum())
        assert page.evaluate("window.__geomap.shownEvents()") == expected < len(events)
        assert " to " in page.inner_text(".geomap-slider-date")
        page.locator("input.geomap-slider-input").fill("6")  # 2021-07-07: 01..07
        assert page.evaluate("window.__geomap.shownEvents()") == int((dates <= "2021-07-07").sum())
        page.select_option(".geomap-slider-mode", value="upto")
        assert page.evaluate("window.__geomap.shownEvents()") == int((dates <= "2021-07-07").sum())
        assert_clean(log)


def test_add_data_merges_new_events_without_a_reload(chromium, maps_dir):
    """The live mode's entry point: geomap.addData(page_data(...)) in an open page."""
    extra = make_events().iloc[:2].copy()
    extra["event_id"] = ["LIVE-1", "LIVE-2"]
    extra["event_date"] = ["2021-08-20", "2021-06-20"]  # after and before the page's range
    extra["location"] = ["Live one", "Live two"]
    part = page_data(events=extra)
    with open_map(chromium, maps_dir / "full.html") as (page, log):
        page.evaluate("window.__x_marker = 1")  # survives only if the page is not reloaded
        page.evaluate("part => window.geomap.addData(part)", part)
        assert page.evaluate("window.__geomap.shownEvents()") == len(make_events()) + 2
        assert page.evaluate("window.__x_marker") == 1
        first = page.locator(".geomap-list-item").first.inner_text()
        assert first.startswith("2021-08-20") and "Live one" in first
        assert page.locator(".geomap-list-item").last.inner_text().startswith("2021-06-20")
        ends = page.inner_text(".geomap-slider-ends")
        assert "2021-06-20" in ends and "2021-08-20" in ends
        assert_clean(log)


def test_seed_map_on_a_phone_frames_afghanistan(chromium, tmp_path):
    seed = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "2021-07-07-badghis.txt"
    if not seed.exists():
        pytest.skip("the seed report is not here")
    path = _cli_map(tmp_path, seed)
    with open_map(chromium, path, width=PHONE[0], height=PHONE[1]) as (page, log):
        view = view_of(page)
        assert view["zoom"] >= 4 and in_afghanistan(view), view
        assert page.evaluate("document.querySelector('#geomap-legend details').open") is False
        assert not overlaps(box(page, "#geomap-title"), box(page, ".leaflet-control-layers"))
        shot(page, tmp_path, "cli-seed-phone")
        click_everything(page)
        assert_clean(log)
