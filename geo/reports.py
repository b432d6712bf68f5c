"""Reading reports: plain-text files, folders of them, and JSON Lines.

A report is the unit of provenance: every place, event and control change
points back to a report's ``id`` and to character offsets in its ``text``.

A text file may start with ``key: value`` header lines (``title``, ``date``,
``url``, ``source``) ended by a blank line. Without a ``date:`` header the date
comes from a dateline such as ``July 7, 2021:`` at the start of the text, or
from the ``date`` argument of :func:`read_reports`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from geo.errors import ReportError

__all__ = ["Report", "parse_date", "read_reports", "report_from_text"]

HEADER_KEYS = ("title", "date", "url", "source")
_HEADER_RE = re.compile(r"^(title|date|url|source)\s*:\s*(.*?)\s*$", re.IGNORECASE)
# Month names and abbreviations (lower case) to month numbers; geo.dates uses them too.
MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_DATE_PATTERNS = [
    re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"),
    re.compile(
        rf"(?P<mon>{_MONTH_RE})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})", re.I
    ),
    re.compile(
        rf"(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<mon>{_MONTH_RE})\.?,?\s+(?P<y>\d{{4}})", re.I
    ),
]
# A dateline: an optional place in capitals ("KABUL, ") then a date, then ":" or a dash.
_DATELINE_RE = re.compile(
    rf"^\s*(?:[A-Z][A-Za-z .'’-]{{1,40}},\s*)?(?P<date>(?:{_MONTH_RE})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}\s+(?:{_MONTH_RE})\.?,?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})\s*(?:[:—–-]|\(|$)",
    re.IGNORECASE,
)
_READABLE_SUFFIXES = (".txt", ".text", ".jsonl")


@dataclass(frozen=True)
class Report:
    """One report: its text and what is known about where it came from.

    Attributes
    ----------
    id : str
        Stable identifier: a slug of the file name (or title) and a hash of the text.
    text : str
        The body of the report. All character offsets geomap reports are into this string.
    date : datetime.date or None
        Publication date, from a header, a dateline or the caller.
    title, url, source : str or None
        Optional metadata from the header or the JSON record.
    path : str or None
        Where the report was read from (``file.jsonl:3`` for line 3 of a JSON Lines file).
    body_offset : int
        Offset of ``text`` within the file, so offsets can be mapped back to the file.
    date_origin : str
        Where ``date`` came from: ``header``, ``dateline``, ``argument`` or ``none``.
    """

    id: str
    text: str
    date: dt.date | None = None
    title: str | None = None
    url: str | None = None
    source: str | None = None
    path: str | None = None
    body_offset: int = 0
    date_origin: str = "none"
    extra: dict[str, str] = field(default_factory=dict, compare=False, repr=False)


def parse_date(value: str) -> dt.date:
    """Parse a date written as ``2021-07-07``, ``July 7, 2021`` or ``7 July 2021``.

    Raises
    ------
    ValueError
        If ``value`` is not such a date.

    Examples
    --------
    >>> parse_date("July 7, 2021")
    datetime.date(2021, 7, 7)
    >>> parse_date("2021-08-15")
    datetime.date(2021, 8, 15)
    """
    text = value.strip()
    for pattern in _DATE_PATTERNS:
        m = pattern.fullmatch(text)
        if m:
            month = int(m["m"]) if "m" in m.groupdict() else MONTHS[m["mon"].lower()]
            try:
                return dt.date(int(m["y"]), month, int(m["d"]))
            except ValueError as err:
                raise ValueError(f"{value!r} is not a valid date: {err}") from err
    raise ValueError(f"{value!r} is not a date (expected e.g. 2021-07-07 or July 7, 2021)")


def _slug(text: str, limit: int = 40) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:limit].strip("-") or "report"


def _report_id(name: str, text: str) -> str:
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
    return f"{_slug(name)}-{digest}"


def _split_header(raw: str) -> tuple[dict[str, str], str, int]:
    """Split ``key: value`` header lines (ended by a blank line) from the body."""
    lines = raw.splitlines(keepends=True)
    headers: dict[str, str] = {}
    consumed = 0
    for line in lines:
        if not line.strip():
            if headers:
                consumed += len(line)
                body = raw[consumed:]
                return headers, body, consumed
            break
        m = _HEADER_RE.match(line)
        if not m:
            break
        headers[m[1].lower()] = m[2]
        consumed += len(line)
    return {}, raw, 0


def _check_text(raw: bytes, where: str) -> str:
    if not raw.strip():
        raise ReportError(f"{where}: the report is empty")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ReportError(f"{where}: the report is UTF-16 text; save it as UTF-8")
    if b"\x00" in raw[:8192]:
        raise ReportError(f"{where}: the file is binary, not a text report")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ReportError(
            f"{where}: not UTF-8 text (byte 0x{raw[err.start]:02x} at offset {err.start}); "
            "save the report as UTF-8"
        ) from err
    control = sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if control > 0.05 * min(len(text), 4096):
        raise ReportError(f"{where}: the file is binary, not a text report")
    return text


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:512].lower()
    if head.startswith(("<!doctype html", "<html", "<?xml")):
        return True
    tags = len(
        re.findall(r"</?(?:div|p|span|a|br|td|tr|li|body|head|meta|script)\b", text[:20000], re.I)
    )
    words = max(1, len(text[:20000].split()))
    return tags / words > 0.1


def _find_dateline(body: str) -> re.Match[str] | None:
    """A dateline at the start of one of the first three lines (a headline may come first)."""
    for line in body.splitlines()[:3]:
        m = _DATELINE_RE.match(line)
        if m:
            return m
    return None


def report_from_text(
    text: str,
    *,
    name: str = "report",
    date: dt.date | None = None,
    title: str | None = None,
    url: str | None = None,
    source: str | None = None,
    path: str | None = None,
    parse_header: bool = True,
) -> Report:
    """Make a :class:`Report` from a string, reading its header and dateline.

    Examples
    --------
    >>> r = report_from_text("title: A test\\n\\nMarch 3, 2021: Fighting in Kunduz.")
    >>> r.title, r.date, r.text[:5]
    ('A test', datetime.date(2021, 3, 3), 'March')
    """
    where = path or name
    if not text.strip():
        raise ReportError(f"{where}: the report is empty")
    if _looks_like_html(text):
        raise ReportError(
            f"{where}: looks like an HTML page, not a plain-text report; "
            "save the article's text (or put it in the 'text' field of a JSON Lines file)"
        )
    headers: dict[str, str] = {}
    body, offset = text, 0
    if parse_header:
        headers, body, offset = _split_header(text)
    if not body.strip():
        raise ReportError(f"{where}: the report has a header but no text")
    origin = "none"
    report_date: dt.date | None = None
    if headers.get("date"):
        try:
            report_date = parse_date(headers["date"])
        except ValueError as err:
            raise ReportError(f"{where}: bad date header: {err}") from err
        origin = "header"
    else:
        m = _find_dateline(body)
        if m:
            try:
                report_date = parse_date(re.sub(r"\s+", " ", m["date"]))
                origin = "dateline"
            except ValueError:
                report_date = None
        if report_date is None and date is not None:
            report_date, origin = date, "argument"
    title = headers.get("title") or title
    return Report(
        id=_report_id(title if name == "report" and title else name, body),
        text=body,
        date=report_date,
        title=title,
        url=headers.get("url") or url,
        source=headers.get("source") or source,
        path=path,
        body_offset=offset,
        date_origin=origin,
    )


def _read_jsonl(path: Path, date: dt.date | None) -> Iterator[Report]:
    text = _check_text(path.read_bytes(), str(path))
    found = False
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            raise ReportError(f"{where}: not valid JSON ({err.msg})") from err
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            raise ReportError(f"{where}: expected an object with a 'text' string")
        record_date = date
        if record.get("date"):
            try:
                record_date = parse_date(str(record["date"]))
            except ValueError as err:
                raise ReportError(f"{where}: bad 'date': {err}") from err
        report = report_from_text(
            record["text"],
            name=str(record.get("id") or record.get("title") or f"{path.stem}-{lineno}"),
            date=record_date,
            title=record.get("title"),
            url=record.get("url"),
            source=record.get("source"),
            path=where,
            parse_header=False,
        )
        if record.get("date"):
            report = _with_origin(report, record_date, "header")
        found = True
        yield report
    if not found:
        raise ReportError(f"{path}: the JSON Lines file holds no reports")


def _with_origin(report: Report, date: dt.date | None, origin: str) -> Report:
    from dataclasses import replace

    return replace(report, date=date, date_origin=origin)


def _read_file(path: Path, date: dt.date | None) -> Iterator[Report]:
    if path.suffix.lower() == ".jsonl":
        yield from _read_jsonl(path, date)
        return
    text = _check_text(path.read_bytes(), str(path))
    yield report_from_text(text, name=path.stem, date=date, path=str(path))


def read_reports(
    paths: str | Path | Iterable[str | Path], *, date: dt.date | None = None
) -> list[Report]:
    """Read reports from text files, JSON Lines files and folders of them.

    Parameters
    ----------
    paths : path or iterable of paths
        Files (``.txt`` or any text; ``.jsonl`` for one JSON report per line) or
        folders, whose ``.txt`` and ``.jsonl`` files are read in name order (a README.md is not a report).
    date : datetime.date, optional
        The date of reports that carry none in a header or dateline.

    Returns
    -------
    list of Report

    Raises
    ------
    ReportError
        Naming the file and what is wrong with it.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    reports: list[Report] = []
    for item in paths:
        path = Path(item)
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.suffix.lower() in _READABLE_SUFFIXES)
            if not files:
                raise ReportError(f"{path}: the folder holds no .txt or .jsonl reports")
            for file in files:
                reports.extend(_read_file(file, date))
        elif path.is_file():
            reports.extend(_read_file(path, date))
        elif path.exists():
            raise ReportError(f"{path}: not a regular file or folder")
        else:
            raise ReportError(f"{path}: no such file or folder")
    return reports
