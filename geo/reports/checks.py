"""What a report must be: its size, its encoding, its fields and its dates.

The limits are those of docs/reliability.md; every check raises
:class:`~geo.errors.ReportError` (or ``ValueError`` for a date string) naming the input
and the problem.
"""

from __future__ import annotations

import datetime as dt
import json
import re

from geo.errors import ReportError

__all__ = [
    "DATE_MAX",
    "DATE_MIN",
    "MAX_REPORT_BYTES",
    "MONTHS",
    "MONTH_PATTERN",
    "check_date",
    "check_record",
    "check_string",
    "decode_text",
    "looks_like_html",
    "parse_date",
    "too_big",
]

#: The largest report geomap reads, in bytes of UTF-8 (a text file, or one JSON Lines record).
MAX_REPORT_BYTES = 20 * 1024 * 1024
#: The dates a report (header, JSON ``date``, dateline or ``--date``) may carry: news of the
#: modern era, well inside what pandas' nanosecond timestamps can hold (1677-2262).
DATE_MIN = dt.date(1900, 1, 1)
DATE_MAX = dt.date(2100, 12, 31)
# JSON Lines records: these fields, when present, must be strings (``date`` also a date).
_STRING_FIELDS = ("text", "date", "title", "url", "source", "id")

#: Month names and abbreviations (lower case) to month numbers; geo.dates uses them too.
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
#: A regular expression alternation of :data:`MONTHS`, longest first.
MONTH_PATTERN = "|".join(sorted(MONTHS, key=len, reverse=True))
_DATE_PATTERNS = [
    re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"),
    re.compile(
        rf"(?P<mon>{MONTH_PATTERN})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})", re.I
    ),
    re.compile(
        rf"(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<mon>{MONTH_PATTERN})\.?,?\s+(?P<y>\d{{4}})", re.I
    ),
]


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


def too_big(size: int) -> str:
    """The message for a report of ``size`` bytes, over :data:`MAX_REPORT_BYTES`."""
    return (
        f"the report is {size / 2**20:.1f} MiB; geomap reads reports of at most "
        f"{MAX_REPORT_BYTES // 2**20} MiB (split it; see docs/reliability.md)"
    )


def check_string(value: object, where: str, label: str) -> str:
    """``value`` must be a ``str`` that UTF-8 can encode (no lone surrogate).

    Raises
    ------
    ReportError
        Naming ``where`` and the field ``label``.

    Examples
    --------
    >>> check_string("Kabul", "r.jsonl:1", "text")
    'Kabul'
    """
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


def decode_text(raw: bytes, where: str) -> str:
    """The text of a report file (or JSON Lines record): UTF-8, not empty, not binary.

    Raises
    ------
    ReportError
        For an empty, UTF-16, binary or non-UTF-8 input, naming ``where``.

    Examples
    --------
    >>> decode_text(b"Fighting in Kunduz.", "r.txt")
    'Fighting in Kunduz.'
    """
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


def looks_like_html(text: str) -> bool:
    """Whether ``text`` is an HTML page rather than a report's text.

    Examples
    --------
    >>> looks_like_html("<!DOCTYPE html><html><body>x</body></html>")
    True
    >>> looks_like_html("Fighting in Kunduz.")
    False
    """
    head = text.lstrip()[:512].lower()
    if head.startswith(("<!doctype html", "<html", "<?xml")):
        return True
    tags = len(
        re.findall(r"</?(?:div|p|span|a|br|td|tr|li|body|head|meta|script)\b", text[:20000], re.I)
    )
    words = max(1, len(text[:20000].split()))
    return tags / words > 0.1


def check_record(line: bytes, where: str) -> dict:
    """Decode and check one JSON Lines record: an object with a ``text`` string, and
    ``date``, ``title``, ``url``, ``source``, ``id`` strings when present.

    Raises
    ------
    ReportError
        Naming ``where`` (``file.jsonl:LINE``) and the problem.

    Examples
    --------
    >>> check_record(b'{"text": "Fighting in Kunduz."}', "r.jsonl:1")
    {'text': 'Fighting in Kunduz.'}
    """
    text = decode_text(line, where)
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
            check_string(record[key], where, key)
    return record
