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

__all__ = [
    "DATE_MAX",
    "DATE_MIN",
    "MAX_REPORT_BYTES",
    "Report",
    "check_date",
    "parse_date",
    "read_reports",
    "report_from_text",
    "text_key",
]

#: The largest report geomap reads, in bytes of UTF-8 (a text file, or one JSON Lines record).
MAX_REPORT_BYTES = 20 * 1024 * 1024
#: The dates a report (header, JSON ``date``, dateline or ``--date``) may carry: news of the
#: modern era, well inside what pandas' nanosecond timestamps can hold (1677-2262).
DATE_MIN = dt.date(1900, 1, 1)
DATE_MAX = dt.date(2100, 12, 31)
# JSON Lines records: these fields, when present, must be strings (``date`` also a date).
_STRING_FIELDS = ("text", "date", "title", "url", "source", "id")

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


def check_date(value: dt.date) -> dt.date:
    """Return ``value`` if it lies within :data:`DATE_MIN` .. :data:`DATE_MAX`.

    Raises
    ------
    ValueError
        If it does not.

    Examples
    --------
    >>> check_date(dt.date(2021, 7, 7))
    datetime.date(2021, 7, 7)
    """
    if not DATE_MIN <= value <= DATE_MAX:
        raise ValueError(
            f"{value.isoformat()} is outside the dates geomap accepts "
            f"({DATE_MIN.isoformat()} to {DATE_MAX.isoformat()})"
        )
    return value


def parse_date(value: str) -> dt.date:
    """Parse a date written as ``2021-07-07``, ``July 7, 2021`` or ``7 July 2021``.

    The date must lie within :data:`DATE_MIN` .. :data:`DATE_MAX`.

    Raises
    ------
    ValueError
        If ``value`` is not such a date, or is out of that range.

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
                date = dt.date(int(m["y"]), month, int(m["d"]))
            except ValueError as err:
                raise ValueError(f"{value!r} is not a valid date: {err}") from err
            return check_date(date)
    shown = repr(value[:40] + "…") if len(value) > 40 else repr(value)
    raise ValueError(f"{shown} is not a date (expected e.g. 2021-07-07 or July 7, 2021)")


def text_key(text: str) -> str:
    """The identity of a report's text: a SHA-256 of it, line endings and outer space aside.

    The same text read twice (the same file named twice, or copied into two files or two
    JSON Lines records) has one key, so it counts as one report, never as corroboration.
    """
    norm = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    return hashlib.sha256(norm.encode("utf-8", "surrogatepass")).hexdigest()


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


def _too_big(size: int) -> str:
    return (
        f"the report is {size / 2**20:.1f} MiB; geomap reads reports of at most "
        f"{MAX_REPORT_BYTES // 2**20} MiB (split it; see docs/reliability.md)"
    )


def _check_string(value: object, where: str, label: str) -> str:
    """``value`` must be a ``str`` that UTF-8 can encode (no lone surrogate)."""
    if not isinstance(value, str):
        raise ReportError(f"{where}: {label!r} must be a string, not {type(value).__name__}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as err:
        raise ReportError(
            f"{where}: {label!r} holds a lone surrogate (U+{ord(value[err.start]):04X} at "
            f"offset {err.start}), which is not text"
        ) from None
    return value


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
    _check_string(text, where, "text")
    if not text.strip():
        raise ReportError(f"{where}: the report is empty")
    if len(text) > MAX_REPORT_BYTES or len(text.encode("utf-8")) > MAX_REPORT_BYTES:
        raise ReportError(f"{where}: {_too_big(len(text.encode('utf-8')))}")
    for label, value in (("title", title), ("url", url), ("source", source), ("name", name)):
        if value is not None:
            _check_string(value, where, label)
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


def _jsonl_lines(path: Path) -> Iterator[tuple[int, bytes | None]]:
    """Lines of a JSON Lines file split on ``\\n`` only (U+2028, U+0085 stay inside records),
    read a bounded piece at a time; a line over the size limit comes as ``None``."""
    with open(path, "rb") as f:
        lineno = 0
        while True:
            line = f.readline(MAX_REPORT_BYTES + 2)
            if not line:
                return
            lineno += 1
            if len(line) > MAX_REPORT_BYTES + 1 and not line.endswith(b"\n"):
                while (rest := f.readline(1 << 20)) and not rest.endswith(b"\n"):
                    pass
                yield lineno, None
                continue
            yield lineno, line


def _record(line: bytes, where: str) -> dict:
    """Decode and check one JSON Lines record."""
    text = _check_text(line, where)
    try:
        record = json.loads(text)
    except json.JSONDecodeError as err:
        raise ReportError(f"{where}: not valid JSON ({err.msg})") from None
    except RecursionError:
        raise ReportError(f"{where}: the JSON is nested too deeply") from None
    except ValueError as err:  # e.g. an integer of thousands of digits
        raise ReportError(f"{where}: not usable JSON ({str(err).split(';')[0]})") from None
    if not isinstance(record, dict) or "text" not in record:
        raise ReportError(f"{where}: expected an object with a 'text' string")
    for key in _STRING_FIELDS:
        if record.get(key) is not None:
            _check_string(record[key], where, key)
    return record


def _read_jsonl(
    path: Path, date: dt.date | None, errors: list[ReportError] | None = None
) -> Iterator[Report]:
    found, bad = False, 0
    for lineno, line in _jsonl_lines(path):
        where = f"{path}:{lineno}"
        try:
            if line is None:
                raise ReportError(f"{where}: {_too_big(MAX_REPORT_BYTES + 1)}")
            if not line.strip():
                continue
            record = _record(line, where)
            record_date = date
            if record.get("date"):
                try:
                    record_date = parse_date(record["date"])
                except ValueError as err:
                    raise ReportError(f"{where}: bad 'date': {err}") from None
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
        except ReportError as err:
            if errors is None:
                raise
            errors.append(err)
            bad += 1
            continue
        if record.get("date"):
            report = _with_origin(report, record_date, "header")
        found = True
        yield report
    if not found and not bad:
        raise ReportError(f"{path}: the JSON Lines file holds no reports")


def _with_origin(report: Report, date: dt.date | None, origin: str) -> Report:
    from dataclasses import replace

    return replace(report, date=date, date_origin=origin)


def _read_file(
    path: Path, date: dt.date | None, errors: list[ReportError] | None = None
) -> Iterator[Report]:
    if path.is_symlink() and not path.exists():
        raise ReportError(f"{path}: a broken symbolic link")
    if path.is_dir():
        raise ReportError(f"{path}: a folder, not a report file")
    if not path.exists():
        raise ReportError(f"{path}: no such file or folder")
    if not path.is_file():
        raise ReportError(f"{path}: not a regular file or folder")
    if path.suffix.lower() == ".jsonl":
        yield from _read_jsonl(path, date, errors)
        return
    size = path.stat().st_size
    if size > MAX_REPORT_BYTES:
        raise ReportError(f"{path}: {_too_big(size)}")
    text = _check_text(path.read_bytes(), str(path))
    yield report_from_text(text, name=path.stem, date=date, path=str(path))


def _files(path: Path) -> list[Path]:
    """What a command-line argument names: itself, or a folder's report files."""
    if not path.is_dir():
        return [path]
    try:
        files = sorted(p for p in path.iterdir() if p.suffix.lower() in _READABLE_SUFFIXES)
    except OSError as err:
        raise ReportError(f"{path}: cannot list the folder ({err.strerror or err})") from None
    if not files:
        raise ReportError(f"{path}: the folder holds no .txt or .jsonl reports")
    return files


def read_reports(
    paths: str | Path | Iterable[str | Path],
    *,
    date: dt.date | None = None,
    errors: list[ReportError] | None = None,
    duplicates: list[tuple[Report, Report]] | None = None,
) -> list[Report]:
    """Read reports from text files, JSON Lines files and folders of them.

    The same text is one report however often it arrives (the same file named twice,
    or the same text in two files or records, by :func:`text_key`): later copies are
    dropped, so they never corroborate each other.

    Parameters
    ----------
    paths : path or iterable of paths
        Files (``.txt`` or any text; ``.jsonl`` for one JSON report per line) or
        folders, whose ``.txt`` and ``.jsonl`` files are read in name order (a README.md is not a report).
    date : datetime.date, optional
        The date of reports that carry none in a header or dateline.
    errors : list, optional
        When given, a bad file, folder entry or JSON Lines record is appended here as its
        :class:`~geo.errors.ReportError` and reading goes on (``--skip-bad``).
    duplicates : list, optional
        When given, each dropped copy is appended here as ``(copy, first)``.

    Returns
    -------
    list of Report

    Raises
    ------
    ReportError
        Naming the file (and line) and what is wrong with it, unless ``errors`` is given.
    """
    if date is not None:
        try:
            check_date(date)
        except ValueError as err:
            raise ReportError(f"date argument: {err}") from None
    if isinstance(paths, (str, Path)):
        paths = [paths]
    reports: list[Report] = []
    seen: dict[str, Report] = {}
    for item in paths:
        path = Path(item)
        try:
            files = _files(path)
        except ReportError as err:
            if errors is None:
                raise
            errors.append(err)
            continue
        for file in files:
            try:
                for report in _read_file(file, date, errors):
                    key = text_key(report.text)
                    if key in seen:
                        if duplicates is not None:
                            duplicates.append((report, seen[key]))
                        continue
                    seen[key] = report
                    reports.append(report)
            except ReportError as err:
                if errors is None:
                    raise
                errors.append(err)
            except OSError as err:
                problem = ReportError(f"{file}: cannot read ({err.strerror or err})")
                if errors is None:
                    raise problem from None
                errors.append(problem)
    return reports
