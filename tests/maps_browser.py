"""Open geomap maps in Debian's headless Chromium with the network refused.

Used by ``tests/test_browser.py``; run it as a script to render the test
maps and save screenshots to look at::

    python tests/maps_browser.py --screenshots out/screens
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass
class PageLog:
    """What a page did: console errors, page errors, requests it tried."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    network_requests: list[str] = field(default_factory=list)
    file_requests: list[str] = field(default_factory=list)


def chromium_available() -> bool:
    return Path(CHROMIUM).exists()


@contextlib.contextmanager
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


@contextlib.contextmanager
def open_map(b, path: Path, *, width: int = 1280, height: int = 800, wait: bool = True):
    """Open ``path`` from file:// with every non-file request aborted and logged."""
    log = PageLog()
    context = b.new_context(viewport={"width": width, "height": height}, offline=True)

    def route(r):
        url = r.request.url
        if url.startswith("file://"):
            log.file_requests.append(url)
            r.continue_()
        else:
            log.network_requests.append(url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on(
        "console", lambda msg: log.console_errors.append(msg.text) if msg.type == "error" else None
    )
    page.on("pageerror", lambda err: log.page_errors.append(str(err)))
    page.goto(Path(path).resolve().as_uri())
    if wait:
        page.wait_for_function("window.__geomapReady === true", timeout=30_000)
    try:
        yield page, log
    finally:
        context.close()


def show_event(page, location: str) -> None:
    """Zoom until the event marker titled ``location`` stands alone on the map."""
    page.evaluate("(loc) => window.__geomap.showEvent(loc)", location)


PHONE = (390, 844)
DESKTOP = (1280, 900)


def view_of(page) -> dict:
    """The map's zoom, centre and size."""
    return page.evaluate(
        "(() => { const m = window.__geomap.map, c = m.getCenter(), s = m.getSize();"
        " return {zoom: m.getZoom(), lat: c.lat, lon: c.lng, width: s.x, height: s.y}; })()"
    )


def box(page, selector: str) -> dict | None:
    return page.locator(selector).first.bounding_box()


def overlaps(a: dict | None, b: dict | None) -> bool:
    if not a or not b:
        return False
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


_TARGETS = """(kind) => {
  const api = window.__geomap, m = api.map, out = [];
  const add = (ll) => out.push([ll.lat, ll.lng]);
  if (kind === 'events' && api.layers.events && api.layers.events._group)
    api.layers.events._group.eachLayer(l => add(l.getLatLng()));
  if (kind === 'places' && api.layers.places && m.hasLayer(api.layers.places))
    api.layers.places.eachLayer(l => add(l.getLatLng()));
  if (kind === 'regions')
    ['control', 'districts', 'regions'].forEach(k => {
      const g = api.layers[k];
      if (g && m.hasLayer(g)) g.eachLayer(l => add(l.getCenter()));
    });
  return out;
}"""

_CENTRE_ON = """([lat, lon, zoom]) => {
  const m = window.__geomap.map;
  m.closePopup();
  m.setView([lat, lon], zoom, {animate: false});
  const p = m.latLngToContainerPoint([lat, lon]), r = m.getContainer().getBoundingClientRect();
  return [r.left + p.x, r.top + p.y, p.x >= 0 && p.y >= 0 && p.x <= r.width && p.y <= r.height];
}"""


def click_everything(page, settle_ms: int = 250) -> dict[str, int]:
    """Click every event marker, cluster, place and region of the first view, one by one.

    Each target is brought to the centre of the map (same zoom) and clicked
    with the mouse where it is drawn, as a reader would; clusters zoom in or
    open their list. Returns how many of each kind were clicked.
    """
    home = view_of(page)
    counts: dict[str, int] = {}
    for kind in ("events", "places", "regions"):
        page.evaluate(_CENTRE_ON, [home["lat"], home["lon"], home["zoom"]])
        page.wait_for_timeout(100)
        targets = page.evaluate(_TARGETS, kind)
        for lat, lon in targets:
            x, y, inside = page.evaluate(_CENTRE_ON, [lat, lon, home["zoom"]])
            page.wait_for_timeout(60)
            if inside:
                page.mouse.click(x, y)
                page.wait_for_timeout(settle_ms)
        counts[kind] = len(targets)
    page.evaluate(_CENTRE_ON, [home["lat"], home["lon"], home["zoom"]])
    return counts


def render_samples(out: Path) -> dict[str, Path]:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import maps_support as ms

    from maps import make_map, save_map

    regions = ms.load_regions()
    places = ms.make_places(regions)
    timeline = ms.make_control_timeline(regions)
    events = ms.make_events()
    maps = {
        "places": make_map(places, regions=regions, title="Badghis, 7 July 2021", offline=True),
        "xss": make_map(
            ms.make_xss_places(regions), regions=regions, title=ms.XSS_SCRIPT, offline=True
        ),
        "full": make_map(
            places,
            regions=regions,
            events=events,
            control=ms.control_as_of(timeline, "2021-08-16"),
            control_timeline=timeline,
            reports=ms.make_reports(events),
            title="The offensive, July–August 2021",
            offline=True,
        ),
    }
    out.mkdir(parents=True, exist_ok=True)
    return {name: save_map(m, out / f"{name}.html") for name, m in maps.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--screenshots", type=Path, required=True, help="folder for PNGs")
    args = parser.parse_args(argv)
    files = render_samples(args.screenshots)
    with browser() as b:
        for name, path in files.items():
            with open_map(b, path, width=PHONE[0], height=PHONE[1]) as (page, log):
                page.screenshot(path=str(args.screenshots / f"{name}-phone.png"))
                print(name, "phone", view_of(page), log)
            with open_map(b, path, width=DESKTOP[0], height=DESKTOP[1]) as (page, log):
                page.screenshot(path=str(args.screenshots / f"{name}.png"))
                if name == "full":
                    page.evaluate("window.__geomap.setDay(10)")
                    page.screenshot(path=str(args.screenshots / f"{name}-day10.png"))
                    page.evaluate("window.__geomap.setDay(40)")
                    show_event(page, "Zaranj")
                    page.locator('.geomap-event[title="Zaranj"]').click()
                    page.wait_for_timeout(400)
                    page.screenshot(path=str(args.screenshots / f"{name}-popup.png"))
                if name == "xss":
                    page.locator("path.geomap-place").first.click()
                    page.wait_for_timeout(400)
                    page.screenshot(path=str(args.screenshots / f"{name}-popup.png"))
                print(name, log)
    return 0


if __name__ == "__main__":
    sys.exit(main())
