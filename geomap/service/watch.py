"""``geomap serve --watch DIR``: ingest report files dropped into a folder.

Writers should create the file under a hidden or ``.tmp``/``.part`` name and rename it
into place (an atomic rename), so a half-written file is never read. A file that was
ingested moves to ``DIR/done/``; a file that was refused moves to ``DIR/rejected/`` with
``<name>.reason.txt`` beside it saying why.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

from geomap.service import ingest
from geomap.service.core import Service

__all__ = ["Watcher"]

log = logging.getLogger("geomap.service")
SUFFIXES = {
    ".txt": "text/plain",
    ".text": "text/plain",
    ".json": "application/json",
    ".jsonl": "application/x-ndjson",
    ".ndjson": "application/x-ndjson",
}


def _move(path: Path, folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    target = folder / path.name
    n = 1
    while target.exists():
        target = folder / f"{path.stem}.{n}{path.suffix}"
        n += 1
    os.replace(path, target)
    return target


class Watcher:
    """Polls ``folder`` and posts what appears to ``service``."""

    def __init__(self, service: Service, folder: Path, *, interval: float = 0.5) -> None:
        self.service = service
        self.folder = Path(folder)
        self.interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self._thread = threading.Thread(target=self._loop, name="geomap-watch", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=10)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.scan()
            except Exception:
                log.exception("watch: scan of %s failed", self.folder)
            self._stop.wait(self.interval)

    def scan(self) -> int:
        """Ingest every complete file in the folder now; returns how many were ingested."""
        done = 0
        for path in sorted(self.folder.iterdir()):
            name = path.name
            if not path.is_file() or name.startswith(".") or name.endswith((".tmp", ".part")):
                continue
            kind = SUFFIXES.get(path.suffix.lower())
            try:
                if kind is None:
                    raise ingest.BadInput(f"{name}: not a report file (.txt, .json, .jsonl)")
                size = path.stat().st_size
                if size > ingest.MAX_BODY_BYTES:
                    raise ingest.BadInput(f"{name}: {size} bytes, over {ingest.MAX_BODY_BYTES}")
                reports = ingest.parse_body(path.read_bytes(), kind)
                self.service.post(reports, wait=False)
            except ingest.BadInput as err:
                moved = _move(path, self.folder / "rejected")
                moved.with_name(moved.name + ".reason.txt").write_text(f"{err}\n", encoding="utf-8")
                log.warning("watch: %s rejected: %s", name, err)
                continue
            _move(path, self.folder / "done")
            done += 1
        return done
