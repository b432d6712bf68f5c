"""The live page of geomap serve in headless Chromium: a POST shows up without a reload,
and hostile report text stays text."""

from __future__ import annotations

import time

import pytest
import service_support as ss

pytest.importorskip("playwright")
import maps_browser as mb

pytestmark = [pytest.mark.browser, pytest.mark.slow]

HOSTILE = '<img src=x onerror="window.__pwned=1"><svg onload="window.__pwned=2">'


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("serve-browser")
    with ss.running(str(tmp / "live.sqlite3"), tmp) as srv:
        yield srv


def _open(b, url: str):
    log = mb.PageLog()
    context = b.new_context(viewport={"width": 1200, "height": 800})

    def route(r):
        if r.request.url.startswith(url):
            r.continue_()
        else:
            log.network_requests.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("pageerror", lambda err: log.page_errors.append(str(err)))
    page.goto(url + "/")
    page.wait_for_function("window.__geomapReady === true", timeout=60_000)
    page.wait_for_function("window.__geomapLive && window.__geomapLive.connected", timeout=30_000)
    page.evaluate("window.__x_not_reloaded = 1")  # gone if the page reloads
    return context, page, log


@pytest.mark.skipif(not mb.chromium_available(), reason="no Chromium")
def test_post_appears_live_and_hostile_text_stays_text(server):
    report = (
        "title: invented live report\ndate: 2021-08-12\n\n"
        f"Taliban fighters captured Ghazni {HOSTILE} on Thursday after days of heavy "
        "fighting with government forces around the city, officials said.\n"
    )
    with mb.browser() as b:
        context, page, log = _open(b, server.url)
        try:
            assert page.evaluate("window.__geomap.shownEvents()") == 0
            t0 = time.monotonic()
            with server.client() as c:
                r = c.post("/reports", content=report.encode(), params={"wait": "false"})
            assert r.status_code == 201, r.text
            # drawn by the page's own API (geomap.addData), without a reload
            page.wait_for_function("window.__geomap.shownEvents() >= 1", timeout=10_000)
            latency = time.monotonic() - t0
            assert latency < 10
            assert page.evaluate("window.__x_not_reloaded") == 1
            assert "Ghazni" in page.locator(".geomap-live-list").inner_text()
            assert "Ghazni" in page.locator("#geomap-list").inner_text()
            # the event's popup shows the sentence as text
            page.locator(".geomap-list-item").first.click()
            quote = page.locator(".leaflet-popup-content blockquote").first
            quote.wait_for(timeout=10_000)
            assert HOSTILE in quote.inner_text()
            hostile_nodes = (
                ".leaflet-popup-content img, .leaflet-popup-content svg, #geomap-list img"
            )
            assert page.locator(hostile_nodes).count() == 0
            assert page.evaluate("window.__pwned") is None
            # reloaded, the event is part of the page itself, still inert
            page.reload()
            page.wait_for_function("window.__geomapReady === true", timeout=60_000)
            assert page.evaluate("window.__geomap.data.events !== undefined")
            assert page.evaluate("window.__pwned") is None
            assert log.page_errors == []
            assert log.network_requests == []
        finally:
            context.close()
