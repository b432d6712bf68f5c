"""``geomap serve`` and ``geomap push``: registered by :mod:`geomap.cli`.

Heavy imports (FastAPI, uvicorn, httpx, the pipeline) happen when a command runs.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from pathlib import Path

from geo.errors import GeomapError

__all__ = ["ServiceError", "cmd_push", "cmd_serve", "register"]

DEMO_REPORTS = __import__("geo.resources").resources.demo_reports()


class ServiceError(GeomapError):
    """A problem starting the service or pushing reports, told in one line."""


def _read_token(token_file: Path | None) -> str | None:
    if token_file is not None:
        try:
            token = token_file.read_text(encoding="utf-8").strip()
        except OSError as err:
            raise ServiceError(f"{token_file}: cannot read the token file: {err.strerror}") from err
        if not token:
            raise ServiceError(f"{token_file}: the token file is empty")
        return token
    return os.environ.get("GEOMAP_TOKEN") or None


def _port(value: str) -> int:
    """An argparse type: a TCP port, 0 (any free port) to 65535."""
    if not value.isdigit() or int(value) > 65535:
        raise argparse.ArgumentTypeError(f"{value!r}: a port is a number from 0 to 65535")
    return int(value)


def _check_db(db: str | None) -> None:
    """Refuse, before starting, a ``--db`` that can be neither a SQLite file nor a URL."""
    if db is None:
        return
    scheme = db.split("://", 1)[0].lower() if "://" in db else None
    if scheme is not None:
        if scheme.split("+")[0] not in ("sqlite", "postgresql", "postgres"):
            raise ServiceError(
                f"--db {db!r}: unknown database URL scheme {scheme!r} "
                "(give a SQLite file or a postgresql:// URL)"
            )
        return
    path = Path(db).expanduser()
    if path.is_dir():
        raise ServiceError(f"--db {db!r}: is a folder; give a SQLite file (or a postgresql:// URL)")
    if path.is_file() and path.stat().st_size:
        with open(path, "rb") as f:
            if f.read(16) != b"SQLite format 3\x00":
                raise ServiceError(f"--db {db!r}: not a SQLite database file")


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``serve`` and ``push`` to the ``geomap`` command."""
    p = sub.add_parser("serve", help="run the live mapping service (HTTP API and live map)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=_port, default=8000, help="port (default 8000)")
    p.add_argument(
        "--db",
        help="SQLite file (default: geomap's file in your data folder) or postgresql:// URL",
    )
    p.add_argument("--read-only", action="store_true", help="refuse writes; no token needed")
    p.add_argument(
        "--token-file", type=Path, help="file holding the write token (default: $GEOMAP_TOKEN)"
    )
    p.add_argument("--protect-reads", action="store_true", help="reads need the token too")
    p.add_argument(
        "--cors-origin",
        action="append",
        default=[],
        metavar="ORIGIN",
        help="allow this web origin to call the API from a browser (repeatable; none by default)",
    )
    p.add_argument(
        "--rate-limit",
        type=float,
        default=200.0,
        metavar="N",
        help="writes per second allowed per client address, burst 2N (default 200; 0: none)",
    )
    p.add_argument("--watch", type=Path, metavar="DIR", help="also ingest files dropped into DIR")
    p.add_argument(
        "--demo",
        action="store_true",
        help="load the demo reports into a demo database, make and print a token",
    )
    p.add_argument(
        "--tiles",
        action="store_true",
        help="page with map tiles from the network (default: offline)",
    )
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("push", help="post reports to a running geomap service")
    p.add_argument("url", help="the service, e.g. http://127.0.0.1:8000")
    p.add_argument("reports", nargs="+", metavar="REPORT", help="text file, folder or JSON Lines")
    p.add_argument(
        "--token-file", type=Path, help="file holding the token (default: $GEOMAP_TOKEN)"
    )
    p.add_argument("--batch", type=int, default=20, help="reports per request (default 20)")
    p.set_defaults(func=cmd_push)


def cmd_serve(args: argparse.Namespace) -> int:
    """Run the service until interrupted."""
    import logging

    import uvicorn

    from geomap.service.app import Settings, create_app
    from geomap.service.core import Service
    from geomap.service.store import default_db_path

    token = _read_token(args.token_file)
    db = args.db
    if args.demo:
        db = db or str(default_db_path().with_name("demo.sqlite3"))
        if not token:
            token = secrets.token_urlsafe(24)
            print(f"geomap: demo write token: {token}", file=sys.stderr)
    if not token and not args.read_only:
        raise ServiceError(
            "no write token: set GEOMAP_TOKEN or give --token-file (or serve --read-only)"
        )
    _check_db(db)
    logging.basicConfig(level=logging.INFO, format="geomap: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    service = Service(db)
    settings = Settings(
        token=token,
        read_only=args.read_only,
        protect_reads=args.protect_reads,
        cors_origins=args.cors_origin,
        offline_page=not args.tiles,
        write_rate=args.rate_limit,
    )
    on_start, on_stop = [], []
    if args.demo:
        on_start.append(lambda: _load_demo(service))
    if args.watch:
        from geomap.service.watch import Watcher

        watcher = Watcher(service, args.watch)
        on_start.append(watcher.start)
        on_stop.append(watcher.stop)
    app = create_app(service, settings, on_start=on_start, on_stop=on_stop)
    print(
        f"geomap: serving http://{args.host}:{args.port}/ (store: {service.store.url.split('@')[-1]})",
        file=sys.stderr,
    )
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0


def _load_demo(service) -> None:
    from geo.reports import read_reports

    stored = service.post(read_reports([str(DEMO_REPORTS)]))
    new = sum(s.new for s in stored)
    print(f"geomap: demo: {len(stored)} reports ({new} new)", file=sys.stderr)


def cmd_push(args: argparse.Namespace) -> int:
    """Post reports in batches of JSON Lines, with a progress bar."""
    import json

    import httpx
    from tqdm import tqdm

    from geo.reports import read_reports

    token = _read_token(args.token_file)
    if not token:
        raise ServiceError("no token: set GEOMAP_TOKEN or give --token-file")
    if args.batch < 1:
        raise ServiceError("--batch must be at least 1")
    reports = read_reports(args.reports)
    url = args.url.rstrip("/") + "/reports"
    new = old = 0
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/x-ndjson"}
    with (
        httpx.Client(timeout=120) as client,
        tqdm(total=len(reports), unit="report", file=sys.stderr, disable=None) as bar,
    ):
        for i in range(0, len(reports), args.batch):
            chunk = reports[i : i + args.batch]
            body = "\n".join(
                json.dumps(
                    {
                        "text": r.text,
                        "title": r.title,
                        "url": r.url,
                        "source": r.source,
                        "date": r.date.isoformat() if r.date else None,
                    }
                )
                for r in chunk
            )
            try:
                resp = client.post(url, content=body.encode("utf-8"), headers=headers)
            except httpx.HTTPError as err:
                raise ServiceError(f"{args.url}: cannot reach the service: {err}") from err
            if resp.status_code not in (200, 201):
                try:
                    message = resp.json().get("error", resp.text)
                except ValueError:
                    message = resp.text[:200]
                first = chunk[0].path or chunk[0].id
                raise ServiceError(f"{first}: the service answered {resp.status_code}: {message}")
            for rec in resp.json()["reports"]:
                new += rec["new"]
                old += not rec["new"]
            bar.update(len(chunk))
    print(f"{args.url}: {new} new reports, {old} already there", file=sys.stderr)
    return 0
