"""Each report's resolved mentions, as the rows of the places table (compiled by mypyc).

:func:`mention_rows` runs the three steps of :mod:`geo.geoparse` over every report and
gathers what each row takes from the report and its mention, column by column, in lists;
:func:`geo.geoparse.find_places` adds the gazetteer's columns and the join to regions
for all rows at once. Here, compiled, every step is a direct C call, and each column is
built by a loop that reads the mentions' attributes natively (in the package's own
``__init__``, which stays Python, the loop over reports was 8 % of geoparsing).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, NamedTuple

from geo.gazetteer import Gazetteer
from geo.geoparse.context import read_mentions
from geo.geoparse.groups import armed_groups
from geo.geoparse.resolve import resolve_mentions
from geo.geoparse.spot import Mention, spot
from geo.sentences import sentence_spans
from geo.text import Words, sentence_starts, word_table

__all__ = ["MentionRows", "mention_rows", "resolve_report"]


class MentionRows(NamedTuple):
    """The columns the report and the mention give to each row (:func:`mention_rows`).

    ``report`` and ``sentence`` are codes into ``report_ids`` and ``sentence_texts``
    (one string per report and per sentence, not per row)."""

    report_ids: list[str]
    report: list[int]
    mention: list[str]
    start: list[int]
    end: list[int]
    confidence: list[float]
    match: list[str]
    sentence_texts: list[str]
    sentence: list[int]
    sentence_start: list[int]
    sentence_end: list[int]
    report_date: list[Any]
    rid: list[int]


def resolve_report(
    text: str, gaz: Gazetteer
) -> tuple[list[tuple[Mention, int, float]], list[tuple[int, int]]]:
    """The resolved mentions of one report's text (mention, record id, confidence), and
    its sentence spans."""
    words = word_table(text)
    spans = sentence_spans(text)
    sent_starts = sentence_starts(words, spans)
    mentions = spot(text, words, spans, gaz)
    mentions = read_mentions(mentions, text, words, spans, sent_starts, gaz)
    if not mentions:
        return [], spans
    groups = armed_groups(words)
    if groups.words:  # an armed group's name is no place ("Hamas" is also Hamm's)
        mentions = [m for m in mentions if m.i not in groups.words]
    resolved = resolve_mentions(mentions, gaz, groups.focus)
    kinds = gaz._columns["kind"]
    for m, r, _ in resolved:
        if kinds[r] in ("airbase", "other"):
            _whole_facility_name(m, text, words)
    return resolved, spans


# Words that end a facility's name written in lower case ("the al-X air base").
_FACILITY_END = frozenset({"base", "airbase", "airport", "airfield"})
_ARTICLE_PREFIX = re.compile(r"(?i)\b(?:al|el|ad|ar|as|at|az|an|ash)[-‐]$")


def _whole_facility_name(m: Mention, text: str, words: Words) -> None:
    """Stretch a facility's mention over its article and its generic words as written
    ("al-X air base", "X military airport"), so the mention is the name in the text."""
    folded, gaps = words.folded, words.gaps
    k = m.j + 1
    while k < len(folded) and k <= m.j + 3 and gaps[k] == " ":
        if folded[k] in _FACILITY_END:
            m.j, m.end = k, words.ends[k]
            break
        k += 1
    article = _ARTICLE_PREFIX.search(text, max(0, m.start - 4), m.start)
    if article:
        m.start = article.start()


def mention_rows(reports: Iterable[Any], gaz: Gazetteer) -> MentionRows:
    """The rows of the resolved mentions of ``reports`` (:class:`geo.reports.Report`), in
    report order and, within a report, in the order :func:`resolve_report` gives."""
    rows = MentionRows([], [], [], [], [], [], [], [], [], [], [], [], [])
    mention, start, end = rows.mention, rows.start, rows.end
    confidence, match, rid = rows.confidence, rows.match, rows.rid
    sentence_texts, sentence = rows.sentence_texts, rows.sentence
    s_start, s_end = rows.sentence_start, rows.sentence_end
    report_ids, report_codes, dates = rows.report_ids, rows.report, rows.report_date
    for report in reports:
        text: str = report.text
        resolved, spans = resolve_report(text, gaz)
        if not resolved:
            continue
        code = len(report_ids)
        report_ids.append(report.id)
        day: Any = report.date  # a date or None
        # one string per sentence that holds a mention, numbered in sentence order
        code_of: dict[int, int] = {}
        for k in sorted({m.sentence for m, _, _ in resolved}):
            code_of[k] = len(sentence_texts)
            s, e = spans[k]
            sentence_texts.append(text[s:e])
        for m, r, c in resolved:
            a, b = m.start, m.end
            mention.append(text[a:b])
            start.append(a)
            end.append(b)
            confidence.append(c)
            match.append(m.match)
            k = m.sentence
            sentence.append(code_of[k])
            s, e = spans[k]
            s_start.append(s)
            s_end.append(e)
            rid.append(r)
            report_codes.append(code)
            dates.append(day)
    return rows
