"""Reading the body of ``POST /reports``: one text report, a JSON record or a list of them,
or JSON Lines. Everything is checked before anything is stored."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from typing import Any

import geo

__all__ = ["MAX_BODY_BYTES", "MAX_REPORTS", "BadInput", "parse_body"]

#: The largest request body accepted (413 above it), and the most reports in one batch.
MAX_BODY_BYTES = 2 * 1024 * 1024
MAX_REPORTS = 500


class BadInput(ValueError):
    """A request the service refuses; ``status`` is the HTTP status to answer."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def _text(body: bytes, where: str) -> str:
    if not body.strip():
        raise BadInput(f"{where}: the request body is empty")
    if b"\x00" in body:
        raise BadInput(f"{where}: binary data (NUL bytes), not a text report", 415)
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as err:
        raise BadInput(f"{where}: not UTF-8 text (byte {err.start})", 415) from err


def _from_record(record: Any, where: str) -> geo.Report:
    if not isinstance(record, dict):
        raise BadInput(f"{where}: expected a JSON object with a 'text' field")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise BadInput(f"{where}: the 'text' field is missing or empty")
    fields: dict[str, str | None] = {}
    for key in ("title", "url", "source", "date"):
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            raise BadInput(f"{where}: the {key!r} field must be a string")
        fields[key] = value
    date: dt.date | None = None
    if fields["date"]:
        from geo.reports import parse_date

        try:
            date = parse_date(fields["date"])
        except ValueError as err:
            raise BadInput(f"{where}: bad date {fields['date']!r}: {err}") from err
    try:
        report = geo.report_from_text(
            text,
            name=where,
            title=fields["title"],
            url=fields["url"],
            source=fields["source"],
            date=date,
            parse_header=False,
        )
    except geo.ReportError as err:
        raise BadInput(str(err)) from err
    if date is not None and report.date_origin != "header":
        report = replace(report, date=date, date_origin="header")
    return report


def parse_body(body: bytes, content_type: str | None) -> list[geo.Report]:
    """The reports in a request body.

    Parameters
    ----------
    body : bytes
        At most :data:`MAX_BODY_BYTES`.
    content_type : str or None
        ``application/json`` (one object with ``text`` and optional ``title``, ``date``,
        ``url``, ``source``, or a list of them), ``application/x-ndjson`` or
        ``application/jsonl`` (one such object a line), anything else: one plain-text
        report, with the usual ``title:``/``date:``/``url:``/``source:`` header lines.

    Raises
    ------
    BadInput
        Empty, binary, too large, malformed: nothing is stored.
    """
    if len(body) > MAX_BODY_BYTES:
        raise BadInput(f"request body of {len(body)} bytes is over {MAX_BODY_BYTES}", 413)
    kind = (content_type or "text/plain").split(";")[0].strip().lower()
    text = _text(body, "request")
    reports: list[geo.Report]
    if kind == "application/json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise BadInput(f"request: invalid JSON at line {err.lineno}: {err.msg}") from err
        items = data if isinstance(data, list) else [data]
        reports = [_from_record(r, f"record {i + 1}") for i, r in enumerate(items)]
    elif kind in ("application/x-ndjson", "application/jsonl", "application/json-lines"):
        reports = []
        for i, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as err:
                raise BadInput(f"line {i}: invalid JSON: {err.msg}") from err
            reports.append(_from_record(record, f"line {i}"))
    else:
        try:
            reports = [geo.report_from_text(text, name="request")]
        except geo.ReportError as err:
            raise BadInput(str(err)) from err
    if not reports:
        raise BadInput("request: no report in the body")
    if len(reports) > MAX_REPORTS:
        raise BadInput(
            f"request: {len(reports)} reports, more than {MAX_REPORTS} in one batch", 413
        )
    return reports
