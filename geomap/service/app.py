"""The ASGI application of ``geomap serve`` (FastAPI on uvicorn)."""

from __future__ import annotations

import asyncio
import datetime as dt
import hmac
import json
import logging
import threading
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import pandas as pd
import sqlalchemy as sa
from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from geomap.service import ingest, page, query
from geomap.service.core import Service

__all__ = ["Settings", "create_app"]

log = logging.getLogger("geomap.service")


@dataclass
class Settings:
    """How the service is exposed."""

    token: str | None = None
    read_only: bool = False
    protect_reads: bool = False
    cors_origins: list[str] = field(default_factory=list)
    #: requests per second allowed per client address (writes), with a burst of twice that
    write_rate: float = 200.0
    offline_page: bool = True
    title: str = "geomap live"


class _Error(Exception):
    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers


class _RateLimiter:
    """A token bucket per client address."""

    def __init__(self, rate: float) -> None:
        self.rate = rate
        self.buckets: dict[str, tuple[float, float]] = {}
        self.lock = threading.Lock()

    def allow(self, key: str) -> bool:
        if self.rate <= 0:
            return True
        now = time.monotonic()
        with self.lock:
            tokens, last = self.buckets.get(key, (2 * self.rate, now))
            tokens = min(2 * self.rate, tokens + (now - last) * self.rate)
            if tokens < 1:
                self.buckets[key] = (tokens, now)
                return False
            self.buckets[key] = (tokens - 1, now)
            return True


def _date(value: str | None, name: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise _Error(400, f"{name}: expected a date YYYY-MM-DD, got {value!r}") from None


def create_app(
    service: Service,
    settings: Settings,
    *,
    on_start: list[Callable[[], Any]] = (),  # type: ignore[assignment]
    on_stop: list[Callable[[], Any]] = (),  # type: ignore[assignment]
) -> FastAPI:
    """The application; ``service`` is started and stopped with it, then ``on_start``
    (e.g. a folder watcher) run in a worker thread, and ``on_stop`` before it stops."""
    if not settings.token and not settings.read_only:
        raise ValueError("a write token is required unless the service is read-only")
    limiter = _RateLimiter(settings.write_rate)
    cache: dict[str, Any] = {}
    # wakes every open /stream: set once and replaced, so a stream that was busy reading
    # when it was set still sees it (it holds the event it read before)
    wake = {"event": asyncio.Event()}

    def notify() -> None:
        event, wake["event"] = wake["event"], asyncio.Event()
        event.set()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        loop = asyncio.get_running_loop()

        def changed() -> None:  # called from the deriving thread
            loop.call_soon_threadsafe(notify)

        service.listeners.append(changed)
        await run_in_threadpool(service.start)
        for start in on_start:
            await run_in_threadpool(start)
        yield
        for stop in on_stop:
            await run_in_threadpool(stop)
        await run_in_threadpool(service.stop)

    app = FastAPI(
        title="geomap",
        summary="Places, events and territorial control from conflict reports, live.",
        version="1",
        lifespan=lifespan,
    )
    if settings.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "Last-Event-ID"],
        )

    @app.exception_handler(_Error)
    async def _error(_r: Request, err: _Error) -> JSONResponse:
        return JSONResponse({"error": err.message}, status_code=err.status, headers=err.headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_r: Request, err: StarletteHTTPException) -> JSONResponse:
        return JSONResponse({"error": str(err.detail)}, status_code=err.status_code)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_r: Request, err: RequestValidationError) -> JSONResponse:
        first = err.errors()[0] if err.errors() else {}
        where = ".".join(str(x) for x in first.get("loc", ()))
        return JSONResponse({"error": f"{where}: {first.get('msg', 'invalid')}"}, status_code=400)

    @app.exception_handler(Exception)
    async def _crash(_r: Request, err: Exception) -> JSONResponse:
        log.exception("internal error", exc_info=err)
        return JSONResponse({"error": "internal error"}, status_code=500)

    def _token_ok(request: Request) -> bool:
        header = request.headers.get("authorization", "")
        scheme, _, given = header.partition(" ")
        if scheme.lower() != "bearer" or not settings.token:
            return False
        return hmac.compare_digest(given.strip().encode(), settings.token.encode())

    def write_access(request: Request) -> None:
        if settings.read_only:
            raise _Error(403, "this service is read-only")
        if not _token_ok(request):
            raise _Error(
                401,
                "a valid 'Authorization: Bearer <token>' header is required",
                {"WWW-Authenticate": "Bearer"},
            )
        client = request.client.host if request.client else "?"
        if not limiter.allow(client):
            raise _Error(429, "too many requests; slow down", {"Retry-After": "1"})

    def read_access(request: Request) -> None:
        if settings.protect_reads and not _token_ok(request):
            raise _Error(
                401,
                "a valid 'Authorization: Bearer <token>' header is required",
                {"WWW-Authenticate": "Bearer"},
            )

    async def _body(request: Request) -> bytes:
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > ingest.MAX_BODY_BYTES:
            raise _Error(413, f"request body over {ingest.MAX_BODY_BYTES} bytes")
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > ingest.MAX_BODY_BYTES:
                raise _Error(413, f"request body over {ingest.MAX_BODY_BYTES} bytes")
            chunks.append(chunk)
        return b"".join(chunks)

    @app.post("/reports", status_code=201, summary="Add reports (text, JSON or JSON Lines)")
    async def post_reports(
        request: Request,
        wait: bool = Query(True, description="wait until events and control include the reports"),
    ) -> JSONResponse:
        """One report as text (``title:``/``date:``/``url:``/``source:`` headers, a blank
        line, the text), JSON (``{"text": ..., "date": ...}`` or a list), or JSON Lines
        (``application/x-ndjson``). 201 if any report is new, 200 if all were already
        stored (same content). Bodies over ``MAX_BODY_BYTES`` (2 MiB) are refused with 413."""
        write_access(request)
        body = await _body(request)
        try:
            reports = ingest.parse_body(body, request.headers.get("content-type"))
        except ingest.BadInput as err:
            raise _Error(err.status, str(err)) from None
        stored = await run_in_threadpool(partial(service.post, reports, wait=wait))
        notify()
        new = any(s.new for s in stored)
        return JSONResponse(
            {
                "reports": [
                    {
                        "id": s.id,
                        "new": s.new,
                        "seq": s.seq or None,
                        "events": s.events,
                        **({"merged_events": s.merged} if s.merged is not None else {}),
                    }
                    for s in stored
                ]
            },
            status_code=201 if new else 200,
        )

    @app.delete("/reports/{report_id}", summary="Retract a report")
    async def delete_report(report_id: str, request: Request) -> JSONResponse:
        write_access(request)
        done = await run_in_threadpool(service.retract, report_id)
        if done is None:
            raise _Error(404, f"{report_id}: no such report")
        notify()
        return JSONResponse({"id": report_id, "retracted": True, "already": not done})

    @app.get("/reports/{report_id}", summary="A report, its places and the events it supports")
    async def get_report(report_id: str, request: Request) -> JSONResponse:
        read_access(request)
        found = await run_in_threadpool(service.report, report_id)
        if found is None:
            raise _Error(404, f"{report_id}: no such report")
        places = await run_in_threadpool(
            query.place_features, service.store, query.Filters(limit=query.MAX_LIMIT), report_id
        )
        found["places"] = places
        return JSONResponse(found)

    def _filters(
        bbox: str | None,
        since: str | None,
        until: str | None,
        event_type: str | None,
        actor: str | None,
        country: str | None,
        after: int,
        limit: int,
    ) -> query.Filters:
        try:
            box = query.parse_bbox(bbox)
        except ValueError as err:
            raise _Error(400, f"bbox: {err}") from None
        return query.Filters(
            bbox=box,
            since=_date(since, "since"),
            until=_date(until, "until"),
            event_type=event_type,
            actor=actor,
            country=country,
            after=after,
            limit=limit,
        )

    paging = {
        "after": Query(0, ge=0, description="only rows changed after this seq (cursor)"),
        "limit": Query(1000, ge=1, le=query.MAX_LIMIT),
    }

    @app.get("/events", summary="Events merged across reports (GeoJSON)")
    async def get_events(
        request: Request,
        bbox: str | None = Query(None, description="west,south,east,north"),
        since: str | None = None,
        until: str | None = None,
        event_type: str | None = None,
        actor: str | None = None,
        country: str | None = None,
        after: int = paging["after"],
        limit: int = paging["limit"],
    ) -> Response:
        read_access(request)
        f = _filters(bbox, since, until, event_type, actor, country, after, limit)
        body = await run_in_threadpool(query.event_features, service.store, f)
        return Response(body, media_type="application/geo+json")

    @app.get("/places", summary="Place mentions of live reports (GeoJSON)")
    async def get_places(
        request: Request,
        bbox: str | None = Query(None, description="west,south,east,north"),
        since: str | None = None,
        until: str | None = None,
        country: str | None = None,
        after: int = paging["after"],
        limit: int = paging["limit"],
    ) -> JSONResponse:
        read_access(request)
        f = _filters(bbox, since, until, None, None, country, after, limit)
        return JSONResponse(await run_in_threadpool(query.place_features, service.store, f))

    @app.get("/control", summary="Control of every province or district on a day (GeoJSON)")
    async def get_control(
        request: Request,
        as_of: str | None = Query(None, description="YYYY-MM-DD; default the last event day"),
        level: str = Query(
            "admin1",
            description="admin1 (provinces) or district (admin-2, where a district file "
            "exists: data/admin2_<CC>.parquet; each district with its province)",
        ),
        country: str | None = None,
    ) -> JSONResponse:
        read_access(request)
        if level not in ("admin1", "district"):
            raise _Error(400, f"level: {level!r} is not one of admin1, district")
        day = _date(as_of, "as_of")
        return JSONResponse(await run_in_threadpool(_control, day, country, level))

    def _control(day: dt.date | None, country: str | None, level: str) -> dict[str, Any]:
        import geo
        from geomap.service import derive

        key = service.store.last_seq()
        if cache.get("events_seq") != key:
            with service.store.read() as conn:
                cache["events"] = derive.stored_events(conn)
            cache["events_seq"] = key
        events = cache["events"]
        if level == "district":
            return _district_control(events, day, country)
        regions = derive.control_regions(events, service.pipeline.regions)
        if country:
            regions = regions[regions["country"] == country.upper()]
        dated = events["event_date"].dropna() if len(events) else pd.Series([], dtype=object)
        if day is None:
            if not len(dated):
                return {"type": "FeatureCollection", "features": [], "next": None}
            day = dated.max().date()
        return query.control_features(geo.control_as_of(events, regions, day))

    def _district_control(
        events: pd.DataFrame, day: dt.date | None, country: str | None
    ) -> dict[str, Any]:
        from geo.provinces import district_control

        if day is None:
            dated = events["event_date"].dropna() if len(events) else None
            if dated is None or not len(dated):
                return {"type": "FeatureCollection", "features": [], "next": None}
            day = dated.max().date()
        table = district_control(events, day)
        if country:
            table = table[table["country"] == country.upper()]
        return query.control_features(table)

    @app.get("/stream", summary="Server-Sent Events: changes, resumable with Last-Event-ID")
    async def stream(request: Request, after: int | None = Query(None, ge=0)) -> Response:
        """Each change is one event: ``event`` (new or changed event), ``event_retracted``,
        ``control``, ``control_retracted``, ``report``, ``report_retracted``; its ``id`` is
        the change's ``seq``. The first message, ``ready`` (no id), says where it starts. Reconnect with ``Last-Event-ID`` (or ``?after=``) to resume."""
        read_access(request)
        from sse_starlette.sse import EventSourceResponse

        last_id = request.headers.get("last-event-id")
        start = int(last_id) if last_id and last_id.isdigit() else after
        if start is None:
            start = await run_in_threadpool(service.store.last_seq)

        async def events() -> AsyncIterator[dict[str, Any]]:
            seen = start
            yield {"event": "ready", "data": json.dumps({"after": start})}
            while True:
                woken = wake["event"]
                batch = await run_in_threadpool(service.store.changes_after, seen)
                for ch in batch:
                    seen = ch["seq"]
                    yield {
                        "id": str(ch["seq"]),
                        "event": ch["kind"],
                        "data": json.dumps(ch["data"]),
                    }
                if len(batch) < 500:
                    # woken by this process's writes at once; the poll finds the
                    # writes of other processes sharing a PostgreSQL store
                    with suppress(TimeoutError):
                        await asyncio.wait_for(woken.wait(), timeout=0.5)

        return EventSourceResponse(events(), ping=15)

    @app.get("/", response_class=HTMLResponse, summary="The live map")
    async def index(request: Request) -> Response:
        read_access(request)
        key = await run_in_threadpool(service.store.last_seq)
        if cache.get("page_seq") != key:
            cache["page"] = await run_in_threadpool(
                page.live_page, service, title=settings.title, offline=settings.offline_page
            )
            cache["page_seq"] = key
        return HTMLResponse(cache["page"])

    @app.get("/static/live.js", include_in_schema=False)
    async def live_js() -> Response:
        return Response(page.live_js(), media_type="text/javascript")

    @app.get("/healthz", summary="Liveness and the store's position")
    async def healthz() -> dict[str, Any]:
        def position() -> dict[str, int]:
            from geomap.service import store as S
            from geomap.service.store import Store

            with service.store.read() as conn:
                out = {k: Store.get_meta(conn, k) for k in ("seq", "input_seq", "derived_seq")}
                r = S.reports
                out["pending"] = conn.execute(
                    sa.select(sa.func.count())
                    .select_from(r)
                    .where(r.c.pending.is_(True), r.c.retracted_seq.is_(None))
                ).scalar_one()
                return out

        return {"status": "ok", **(await run_in_threadpool(position))}

    app.add_middleware(_SafetyHeaders)
    return app


class _SafetyHeaders:
    """Adds ``X-Content-Type-Options: nosniff`` and ``Referrer-Policy: no-referrer`` to
    every response (plain ASGI: ``@app.middleware("http")`` costs about a millisecond a
    request, and holds back streamed responses)."""

    HEADERS = ((b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"))

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in self.HEADERS if k not in names]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)
