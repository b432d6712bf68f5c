"""Reading reports: plain-text files, folders of them, and JSON Lines.

A report is the unit of provenance: every place, event and control change
points back to a report's ``id`` and to character offsets in its ``text``.

A text file may start with ``key: value`` header lines (``title``, ``date``,
``url``, ``source``) ended by a blank line. Without a ``date:`` header the date
comes from a dateline such as ``July 7, 2021:`` at the start of the text, or
from the ``date`` argument of :func:`read_reports`.

Three modules: :mod:`geo.reports.checks` (what a report must be: its size, encoding,
fields and dates, with the limits of docs/reliability.md), :mod:`geo.reports.report`
(a :class:`Report` from a string: header, dateline, identity) and
:mod:`geo.reports.read` (files, folders and JSON Lines).
"""

from geo.reports.checks import DATE_MAX, DATE_MIN, MAX_REPORT_BYTES, MONTHS, check_date, parse_date
from geo.reports.read import read_reports
from geo.reports.report import Report, report_from_text, text_key

__all__ = [
    "DATE_MAX",
    "DATE_MIN",
    "MAX_REPORT_BYTES",
    "MONTHS",
    "Report",
    "check_date",
    "parse_date",
    "read_reports",
    "report_from_text",
    "text_key",
]
